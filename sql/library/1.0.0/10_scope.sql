-- deskql metric library: what a report may see (account, period, plan
-- history limit, viewer access, filters).

--- How far back an account may report, as of a snapshot (one row): the first
--- local day it may report on, `earliest_day`, in time zone `zone` (default:
--- the account's). Plus and pro plans report on the account's lifetime (from
--- its creation day); standard plans on the last 2 years before the
--- snapshot's as-of time (the local day of `taken_at` minus 2 years), and not
--- before the creation day either.
CREATE OR REPLACE MACRO metrics.history_window(account, zone := NULL, snap := NULL) AS TABLE
SELECT a.account_id,
       a.plan,
       coalesce(zone, a.timezone) AS zone_name,
       s.taken_at,
       CAST(metrics.to_local(a.created_at, coalesce(zone, a.timezone)) AS DATE) AS created_day,
       CASE WHEN a.plan = 'standard'
            THEN greatest(CAST(CAST(metrics.to_local(s.taken_at, coalesce(zone, a.timezone)) AS DATE) - INTERVAL 2 YEAR AS DATE),
                          CAST(metrics.to_local(a.created_at, coalesce(zone, a.timezone)) AS DATE))
            ELSE CAST(metrics.to_local(a.created_at, coalesce(zone, a.timezone)) AS DATE)
       END AS earliest_day
FROM main.accounts_at(metrics.snapshot_seq(snap)) AS a, metrics.snapshot(snap := snap) AS s
WHERE a.account_id = account;

--- A report period, as one row, after checking the arguments (each bad one is
--- an error that names it): the account must exist; `date_from` < `date_to`
--- (local dates: the period is [date_from, date_to), `date_to` excluded);
--- `zone` (default: the account's) must be an IANA zone; `date_from` must not
--- be before the plan's history window (`metrics.history_window`). Gives the
--- account, plan, zone, the local dates, `days`, the UTC bounds `utc_from`,
--- `utc_to` of the period (local midnights converted with
--- `metrics.to_utc`, so a period crossing a DST change is an hour longer or
--- shorter, never shifted), `within_window` and the snapshot read. With
--- `check_window := false` a period before the history window is not an
--- error but has `within_window` false (comparisons use it for the previous
--- period, whose figures are then NULL).
CREATE OR REPLACE MACRO metrics.period(account, date_from, date_to, zone := NULL, snap := NULL, check_window := true) AS TABLE
SELECT a.account_id,
       a.name AS account_name,
       a.plan,
       h.zone_name,
       CAST(date_from AS DATE) AS local_from,
       CAST(date_to AS DATE) AS local_to,
       CAST(date_to AS DATE) - CAST(date_from AS DATE) AS days,
       metrics.to_utc(CAST(CAST(date_from AS DATE) AS TIMESTAMP), h.zone_name) AS utc_from,
       metrics.to_utc(CAST(CAST(date_to AS DATE) AS TIMESTAMP), h.zone_name) AS utc_to,
       h.earliest_day,
       CAST(date_from AS DATE) >= h.earliest_day AS within_window,
       s.seq AS snapshot_seq,
       s.id AS snapshot_id,
       s.taken_at
FROM main.accounts_at(metrics.snapshot_seq(snap)) AS a,
     metrics.history_window(account, zone := zone, snap := snap) AS h,
     metrics.snapshot(snap := snap) AS s
WHERE a.account_id = account
  AND metrics.assert((SELECT count(*) FROM main.accounts_at(metrics.snapshot_seq(snap)) WHERE account_id = account) = 1,
                     'no account ' || account || ' in the snapshot')
  AND metrics.assert(CAST(date_from AS DATE) < CAST(date_to AS DATE),
                     'the period is empty: date_from ' || CAST(date_from AS DATE) || ' must be before date_to ' || CAST(date_to AS DATE) || ' (date_to is excluded)')
  AND metrics.assert(EXISTS (SELECT 1 FROM deskql_meta.tz_offsets WHERE tz = h.zone_name),
                     'unknown time zone ' || h.zone_name || ': expected an IANA name such as Europe/Paris')
  AND (NOT check_window OR metrics.assert(CAST(date_from AS DATE) >= h.earliest_day,
                     'the ' || a.plan || ' plan of account ' || account || ' can report from ' || h.earliest_day
                     || CASE WHEN a.plan = 'standard' THEN ' (standard plans: the last 2 years before the snapshot)' ELSE ' (the account''s creation day)' END
                     || ', not from ' || CAST(date_from AS DATE)));

--- Inbox ids a report may read (one row each). Without a `viewer` (NULL):
--- every inbox of the account. With one: every inbox for owners and admins,
--- the inboxes of `user_inboxes` for other users; an error if `viewer` is not
--- a current (not deleted) user of the account or lacks the reports
--- permission (`can_view_reports`).
CREATE OR REPLACE MACRO metrics.visible_inboxes(account, viewer := NULL, snap := NULL) AS TABLE
WITH viewer_row AS (
    SELECT u.role, u.can_view_reports
    FROM main.users_at(metrics.snapshot_seq(snap)) AS u
    WHERE u.account_id = account AND u.user_id = viewer AND u.deleted_at IS NULL
)
SELECT i.inbox_id
FROM main.inboxes_at(metrics.snapshot_seq(snap)) AS i
WHERE i.account_id = account
  AND (viewer IS NULL OR metrics.assert((SELECT count(*) FROM viewer_row) = 1,
                                        'user ' || viewer || ' is not a current user of account ' || account))
  AND (viewer IS NULL OR metrics.assert((SELECT bool_and(can_view_reports) FROM viewer_row),
                                        'user ' || viewer || ' lacks the reports permission (can_view_reports) and may not view reports'))
  AND (viewer IS NULL
       OR (SELECT any_value(role) FROM viewer_row) IN ('owner', 'admin')
       OR i.inbox_id IN (SELECT ui.inbox_id FROM main.user_inboxes_at(metrics.snapshot_seq(snap)) AS ui
                         WHERE ui.account_id = account AND ui.user_id = viewer));

--- The conversations every report counts: those of `account` as of the
--- snapshot, except spam (current status 'spam') and deleted ones (state
--- 'deleted'), narrowed by the optional filters: `inboxes` (a list of inbox
--- ids), `channels` (a list of 'email', 'chat', 'phone'), `with_tags`
--- (conversations carrying at least one of these tags) and `viewer` (only
--- the inboxes that user may see, see `metrics.visible_inboxes`). NULL means
--- no filter.
CREATE OR REPLACE MACRO metrics.scoped_conversations(account, inboxes := NULL, channels := NULL, with_tags := NULL, viewer := NULL, snap := NULL) AS TABLE
SELECT c.*
FROM main.conversations_at(metrics.snapshot_seq(snap)) AS c
WHERE c.account_id = account
  AND c.state = 'published'
  AND c.status <> 'spam'
  AND (inboxes IS NULL OR list_contains(inboxes, c.inbox_id))
  AND (channels IS NULL OR list_contains(channels, c.channel))
  AND (with_tags IS NULL OR list_has_any(coalesce(c.tags, []), with_tags))
  AND c.inbox_id IN (SELECT v.inbox_id FROM metrics.visible_inboxes(account, viewer := viewer, snap := snap) AS v);
