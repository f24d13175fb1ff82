-- Delivery records of `deskql mail` (src/mail/deliveries.rs): one row per
-- attempt to deliver a report to one recipient. A row is written as
-- 'sending' before the message goes to the server and becomes 'sent' only
-- once the server accepted it, or 'failed' with the server's answer; a
-- 'sending' row left behind means deskql was stopped mid-send and nobody
-- knows whether the server got the message. Values are always bound.

-- name: create
CREATE TABLE IF NOT EXISTS deskql_meta.mail_deliveries (
    report VARCHAR NOT NULL,          -- 'usage'
    account_id BIGINT NOT NULL,
    month VARCHAR NOT NULL,           -- the report's month, YYYY-MM
    recipient VARCHAR NOT NULL,       -- the envelope's one RCPT TO
    snapshot_id VARCHAR NOT NULL,     -- the snapshot the report read
    digest VARCHAR NOT NULL,          -- the figures' digest (as `audit run` records it)
    message_id VARCHAR NOT NULL,      -- the Message-ID header, without <>
    server VARCHAR NOT NULL,          -- smtp[s]://host:port, never credentials
    status VARCHAR NOT NULL,          -- sending | sent | failed
    attempted_at TIMESTAMP NOT NULL,  -- UTC
    finished_at TIMESTAMP,            -- UTC, when the server answered (or did not)
    error VARCHAR                     -- the server's or the connection's answer when failed
);

-- name: table_exists
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
