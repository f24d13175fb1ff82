-- deskql metric library: the Happiness report (Help Scout ratings: 'great',
-- 'okay', 'not_good'), and the happiness section of the User report. A rating
-- counts in the period of its `created_at`, for a conversation in scope.

--- The ratings of a period in scope (same arguments as `metrics.activity`;
--- `actors`: only ratings of those users' replies), with the conversation's
--- number, the customer's and the user's names, and the local time.
CREATE OR REPLACE MACRO metrics.period_ratings(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                                with_tags := NULL, viewer := NULL, snap := NULL, actors := NULL,
                                                check_window := true) AS TABLE
WITH p AS (
    SELECT * FROM metrics.period(account, date_from, date_to, zone := zone, snap := snap, check_window := check_window)
)
SELECT r.rating_id,
       r.rating,
       r.comments,
       r.created_at,
       metrics.to_local(r.created_at, p.zone_name) AS local_created_at,
       r.conversation_id,
       c.number AS conversation_number,
       c.channel,
       r.customer_id,
       cu.name AS customer,
       r.user_id,
       u.name AS user_name
FROM main.ratings_at(metrics.snapshot_seq(snap)) AS r
JOIN metrics.scoped_conversations(account, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap) AS c
     USING (account_id, conversation_id)
LEFT JOIN main.customers_at(metrics.snapshot_seq(snap)) AS cu ON cu.account_id = r.account_id AND cu.customer_id = r.customer_id
LEFT JOIN main.users_at(metrics.snapshot_seq(snap)) AS u ON u.account_id = r.account_id AND u.user_id = r.user_id
CROSS JOIN p
WHERE r.account_id = account
  AND r.created_at >= p.utc_from AND r.created_at < p.utc_to
  AND (actors IS NULL OR list_contains(actors, r.user_id));

--- The happiness figures of a period, in long form (section 'happiness';
--- metric, value), same arguments as `metrics.period_ratings`.
CREATE OR REPLACE MACRO metrics.happiness_metrics(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                                   with_tags := NULL, viewer := NULL, snap := NULL, actors := NULL,
                                                   check_window := true) AS TABLE
WITH figures AS (
    SELECT 'happiness' AS section,
           --- @metric ratings (count) "Ratings"
           --- @shown happiness: happiness; user: happiness
           --- Ratings given in the period on conversations in scope (in user
           --- and team reports, ratings of the report's users).
           count(*) AS ratings,
           --- @metric great (percent) "Great"
           --- @shown happiness: happiness; user: happiness
           --- Share of those ratings that are 'great'.
           100.0 * count(*) FILTER (WHERE rating = 'great') / nullif(count(*), 0) AS great,
           --- @metric okay (percent) "Okay"
           --- @shown happiness: happiness; user: happiness
           --- Share of those ratings that are 'okay'.
           100.0 * count(*) FILTER (WHERE rating = 'okay') / nullif(count(*), 0) AS okay,
           --- @metric not_good (percent) "Not good"
           --- @shown happiness: happiness; user: happiness
           --- Share of those ratings that are 'not_good'.
           100.0 * count(*) FILTER (WHERE rating = 'not_good') / nullif(count(*), 0) AS not_good,
           --- @metric happiness_score (score) "Happiness score"
           --- @shown happiness: happiness; user: happiness
           --- Percent great minus percent not good (from -100 to 100);
           --- NULL without ratings.
           100.0 * (count(*) FILTER (WHERE rating = 'great') - count(*) FILTER (WHERE rating = 'not_good')) / nullif(count(*), 0) AS happiness_score
    FROM metrics.period_ratings(account, date_from, date_to, zone := zone, inboxes := inboxes, channels := channels,
                                with_tags := with_tags, viewer := viewer, snap := snap, actors := actors, check_window := check_window)
)
SELECT section, metric, CAST(value AS DOUBLE) AS value
FROM figures UNPIVOT INCLUDE NULLS (value FOR metric IN (ratings, great, okay, not_good, happiness_score));

--- The metric cards of the Happiness report (company-wide, or for `users`
--- when given): the 'happiness' rows of `metrics.catalogue`.
CREATE OR REPLACE MACRO metrics.happiness(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                           with_tags := NULL, viewer := NULL, snap := NULL, users := NULL, check_window := true) AS TABLE
SELECT k.section, k.metric, k.label, k.unit, metrics.card_value(k.unit, f.value) AS value, k.ordinal
FROM metrics.catalogue AS k
LEFT JOIN metrics.happiness_metrics(account, date_from, date_to, zone := zone, inboxes := inboxes, channels := channels,
                                    with_tags := with_tags, viewer := viewer, snap := snap, actors := users, check_window := check_window) AS f
       USING (section, metric)
WHERE k.report = 'happiness'
ORDER BY k.ordinal;

--- The Happiness report's cards next to the previous period, as
--- `metrics.company_compare` does.
CREATE OR REPLACE MACRO metrics.happiness_compare(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                                   with_tags := NULL, viewer := NULL, snap := NULL, users := NULL) AS TABLE
WITH previous_period AS (
    SELECT within_window
    FROM metrics.period(account, metrics.previous_from(date_from, date_to), date_from, zone := zone, snap := snap, check_window := false)
),
current_cards AS (
    SELECT * FROM metrics.happiness(account, date_from, date_to, zone := zone, inboxes := inboxes, channels := channels,
                                    with_tags := with_tags, viewer := viewer, snap := snap, users := users)
),
previous_cards AS (
    SELECT c.section, c.metric, CASE WHEN w.within_window THEN c.value END AS value
    FROM metrics.happiness(account, metrics.previous_from(date_from, date_to), date_from, zone := zone, inboxes := inboxes,
                           channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, users := users,
                           check_window := false) AS c,
         previous_period AS w
)
SELECT c.section, c.metric, c.label, c.unit, c.value, p.value AS previous,
       metrics.change(c.unit, c.value, p.value) AS change, metrics.change_unit(c.unit) AS change_unit, c.ordinal
FROM current_cards AS c
LEFT JOIN previous_cards AS p USING (section, metric)
ORDER BY c.ordinal;

--- The ratings list of the Happiness report, newest first: local time,
--- rating, conversation number, customer name, user name, comment.
CREATE OR REPLACE MACRO metrics.happiness_ratings(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                                   with_tags := NULL, viewer := NULL, snap := NULL, users := NULL) AS TABLE
SELECT local_created_at AS rated_at, rating, conversation_number, customer, user_name, comments
FROM metrics.period_ratings(account, date_from, date_to, zone := zone, inboxes := inboxes, channels := channels,
                            with_tags := with_tags, viewer := viewer, snap := snap, actors := users)
ORDER BY created_at DESC, rating_id;
