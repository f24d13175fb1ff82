-- Looking up what a report's arguments name (src/report/params.rs). An
-- argument is matched as an id or by its exact name (email for users); the
-- values are bound, never interpolated.

-- name: account
SELECT account_id, name FROM main.accounts_at($snap)
WHERE CAST(account_id AS VARCHAR) = $account OR name = $account
ORDER BY account_id;

-- name: some_accounts
SELECT account_id, name FROM main.accounts_at($snap) ORDER BY account_id LIMIT 10;

-- name: user
SELECT user_id, name, role, can_view_reports, deleted_at IS NOT NULL AS deleted
FROM main.users_at($snap)
WHERE account_id = $account_id AND (CAST(user_id AS VARCHAR) = $user OR email = $user OR name = $user)
ORDER BY user_id;

-- name: team
SELECT team_id, name FROM main.teams_at($snap)
WHERE account_id = $account_id AND (CAST(team_id AS VARCHAR) = $team OR name = $team)
ORDER BY team_id;

-- name: team_members
SELECT u.user_id, u.name
FROM main.team_members_at($snap) AS m
JOIN main.users_at($snap) AS u USING (account_id, user_id)
WHERE m.account_id = $account_id AND m.team_id = $team_id
ORDER BY u.user_id;

-- name: inbox
SELECT inbox_id, name FROM main.inboxes_at($snap)
WHERE account_id = $account_id AND (CAST(inbox_id AS VARCHAR) = $inbox OR name = $inbox)
ORDER BY inbox_id;

-- name: visible_inboxes
SELECT inbox_id FROM metrics.visible_inboxes($account_id, viewer := $viewer, snap := $snap) ORDER BY inbox_id;

-- name: zone_exists
SELECT count(*) > 0 FROM deskql_meta.tz_offsets WHERE tz = $zone;
