-- Who the benchmark's reports are about: every account (largest first, by
-- conversations) with its busiest user (most replies; the lowest id on a
-- tie; the first user when nobody replied).
WITH sizes AS (
    SELECT account_id, count(*) AS conversations FROM conversations GROUP BY account_id
),
repliers AS (
    SELECT account_id, actor_id AS user_id, count(*) AS replies
    FROM threads
    WHERE actor_type = 'user' AND type IN ('reply', 'chat', 'phone')
    GROUP BY account_id, actor_id
)
SELECT a.account_id,
       coalesce((SELECT arg_max(r.user_id, r.replies * 1e12 - r.user_id) FROM repliers r WHERE r.account_id = a.account_id),
                (SELECT min(u.user_id) FROM users u WHERE u.account_id = a.account_id)) AS user_id
FROM accounts a
LEFT JOIN sizes s USING (account_id)
ORDER BY coalesce(s.conversations, 0) DESC, a.account_id;
