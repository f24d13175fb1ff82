-- The metric catalogue of an installed library version, built by the
-- installer from the library's `--- @metric` doc comments. Report macros join
-- it to choose, label and order their cards; `.metrics` and `deskql metrics`
-- print it. {{schema}} is `metrics` or a side-by-side schema (`metrics_1_0_0`).
CREATE TABLE {{schema}}.catalogue (
    report VARCHAR NOT NULL,      -- 'company', 'user' (also the Team report), 'happiness', ...
    section VARCHAR NOT NULL,     -- 'all', 'email', 'chat', 'phone', 'happiness', ...
    metric VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,        -- count, per_day, seconds, percent, score, ratio, weekday, hour, stars
    definition VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL,     -- display order within a report
    PRIMARY KEY (report, section, metric)
);
