-- Which conversations explain a change of a report between snapshot
-- sequences $before and $after: the account's conversations whose row or
-- threads changed in between (a version began or ended after $before, up to
-- $after), that are active in the report period in either snapshot (a thread
-- in [utc_from, utc_to), or created then), with their facts before and after.
-- A conversation that left the facts (now spam or deleted) is 'gone'; one
-- that was not there before is 'new'. Only conversations in the report's
-- scope (inbox, channel and tag filters, the viewer's inboxes) in either
-- snapshot are listed: the same scope as the figures.

-- name: changed
WITH changed_keys AS (
    SELECT conversation_id FROM hist.conversations
    WHERE account_id = $account
      AND ((_from_seq > $before AND _from_seq <= $after) OR (_to_seq > $before AND _to_seq <= $after))
    UNION
    SELECT conversation_id FROM hist.threads
    WHERE account_id = $account
      AND ((_from_seq > $before AND _from_seq <= $after) OR (_to_seq > $before AND _to_seq <= $after))
),
active AS (
    SELECT DISTINCT conversation_id FROM main.threads_at($before)
    WHERE account_id = $account AND created_at >= $utc_from AND created_at < $utc_to
    UNION
    SELECT DISTINCT conversation_id FROM main.threads_at($after)
    WHERE account_id = $account AND created_at >= $utc_from AND created_at < $utc_to
    UNION
    SELECT conversation_id FROM main.conversations_at($after)
    WHERE account_id = $account AND created_at >= $utc_from AND created_at < $utc_to
),
scoped AS (
    SELECT conversation_id
    FROM metrics.scoped_conversations($account, inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]),
                                      channels := string_split($channels, chr(31)), with_tags := string_split($with_tags, chr(31)),
                                      viewer := $viewer, snap := $before)
    UNION
    SELECT conversation_id
    FROM metrics.scoped_conversations($account, inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]),
                                      channels := string_split($channels, chr(31)), with_tags := string_split($with_tags, chr(31)),
                                      viewer := $viewer, snap := $after)
),
before AS (
    SELECT * FROM metrics.fact_conversations_at($before, account := $account)
    WHERE conversation_id IN (SELECT conversation_id FROM changed_keys)
),
after AS (
    SELECT * FROM metrics.fact_conversations_at($after, account := $account)
    WHERE conversation_id IN (SELECT conversation_id FROM changed_keys)
)
SELECT coalesce(a.number, b.number) AS number,
       conversation_id,
       CASE WHEN b.conversation_id IS NULL THEN 'new' WHEN a.conversation_id IS NULL THEN 'gone' ELSE 'changed' END AS change,
       b.status AS status_before,
       a.status AS status_after,
       b.replies AS replies_before,
       a.replies AS replies_after,
       b.resolved_at AS resolved_at_before,
       a.resolved_at AS resolved_at_after,
       b.first_response_seconds AS first_response_time_before,
       a.first_response_seconds AS first_response_time_after
FROM after AS a
FULL JOIN before AS b USING (conversation_id)
WHERE conversation_id IN (SELECT conversation_id FROM active)
  AND conversation_id IN (SELECT conversation_id FROM scoped)
ORDER BY number, conversation_id;
