-- Delivery records of `deskql mail` (src/mail/deliveries.rs): one row per
-- attempt to deliver a report to one recipient. A row is written as
-- 'sending' before the message goes to the server and becomes 'sent' only
-- once the server accepted it, or 'failed' with the server's answer; a
-- 'sending' row left behind means deskql was stopped mid-send and nobody
-- knows whether the server got the message. Values are always bound.

-- name: table_exists
-- The table is part of the schema (sql/schema/base.sql); a database last
-- opened for writing by an older deskql, read here read-only, lacks it.
SELECT count(*) > 0 FROM duckdb_tables() WHERE schema_name = 'deskql_meta' AND table_name = 'mail_deliveries';

-- name: history
-- Per account, month and recipient of a report: when it was first
-- delivered (NULL: never), and the latest attempt's status and time.
SELECT account_id, month, lower(recipient) AS recipient,
       strftime(min(finished_at) FILTER (WHERE status = 'sent'), '%Y-%m-%dT%H:%M:%SZ') AS sent_at,
       arg_max(status, attempted_at) AS last_status,
       strftime(max(attempted_at), '%Y-%m-%dT%H:%M:%SZ') AS last_attempt
FROM deskql_meta.mail_deliveries
WHERE report = ?
GROUP BY account_id, month, lower(recipient);

-- name: start
INSERT INTO deskql_meta.mail_deliveries
    (report, account_id, month, recipient, snapshot_id, digest, message_id, server, status, attempted_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'sending', ?);

-- name: finish
UPDATE deskql_meta.mail_deliveries
SET status = ?, finished_at = ?, error = ?
WHERE message_id = ? AND recipient = ? AND status = 'sending';
