//! Golden figures of the Usage report (`deskql report usage`) on the
//! hand-made snapshot of `fixture/usage.rs`, every one worked out by hand
//! below, benchmarks and differences included; that the catalogue's usage
//! metrics are exactly the ones pinned here; the default month, the
//! deflection window, `--tz`, "not enabled" sections in every format; and
//! the HTML rendered in a real headless browser (Debian's chromium).
//!
//! The figures are library 1.2.0's; those library 1.3.0 changed on purpose
//! (the benchmark leaves the account out, Predict accuracy is per label; see
//! `sql/library/CHANGELOG.md`) are pinned next to them, and both versions
//! run.
//!
//! October 2025 in UTC, per account: Acme (Paris) [09-30 22:00, 10-31 23:00),
//! Beta (New York) [10-01 04:00, 11-01 04:00), Gamma (Tokyo) [09-30 15:00,
//! 10-31 15:00). Times below are UTC.



use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fixture::{PINNED_VERSIONS, deskql, query, stdout, usage, use_library};
use serde_json::Value;
use tempfile::TempDir;

/// A database with the usage snapshot taken at `as_of`.
fn usage_db(tmp: &TempDir, as_of: &str) -> PathBuf {
    let db = tmp.path().join("usage.duckdb");
    let dir = usage::snapshot().write(&tmp.path().join("snapshot"));
    deskql(&db).args(["ingest", "--snapshot", "u", "--as-of", as_of]).arg(&dir).assert().success();
    db
}

const AS_OF: &str = "2025-11-15";

/// The usage database with library `version` in schema `metrics`.
fn usage_db_with(tmp: &TempDir, version: &str) -> PathBuf {
    let db = usage_db(tmp, AS_OF);
    use_library(&db, version);
    db
}

/// `base` (1.2.0's figures) with those `version` changed.
fn figures_of(version: &str, base: &[Figure], changed_in_1_3_0: &[Figure]) -> Vec<Figure> {
    base.iter().map(|f| *changed_in_1_3_0.iter().find(|c| c.0 == f.0 && version >= "1.3.0").unwrap_or(f)).collect()
}

fn stderr_of_failure(db: &Path, args: &[&str]) -> String {
    let output = deskql(db).args(args).output().unwrap();
    assert!(!output.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&output.stderr).to_string()
}

fn report_json(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&stdout(db, &[&["report", "usage"], args, &["--format", "json"]].concat())).unwrap()
}

type Figure = (&'static str, Option<f64>, Option<f64>, Option<f64>);

/// section/metric -> (value, benchmark, difference).
fn cards(doc: &Value) -> BTreeMap<String, (Option<f64>, Option<f64>, Option<f64>)> {
    crate::fixture::cards_by(doc, ["value", "benchmark", "difference"])
}

fn close(got: Option<f64>, expected: Option<f64>) -> bool {
    match (got, expected) {
        (Some(g), Some(e)) => (g - e).abs() < 1e-9,
        (g, e) => g == e,
    }
}

/// The report's cards are exactly `expected`, in this order, with these
/// values, benchmarks and differences.
fn assert_figures(doc: &Value, expected: &[Figure]) {
    let order: Vec<String> = doc["cards"].as_array().unwrap().iter().map(|c| format!("{}/{}", c["section"].as_str().unwrap(), c["metric"].as_str().unwrap())).collect();
    let expected_order: Vec<&str> = expected.iter().map(|f| f.0).collect();
    assert_eq!(order, expected_order, "the report's cards, in display order");
    let actual = cards(doc);
    for (key, value, benchmark, difference) in expected {
        let (v, b, d) = actual[*key];
        assert!(close(v, *value), "{key}: value {v:?}, expected {value:?}");
        assert!(close(b, *benchmark), "{key}: benchmark {b:?}, expected {benchmark:?}");
        assert!(close(d, *difference), "{key}: difference {d:?}, expected {difference:?}");
    }
}

// Benchmarks of October 2025 (24 h window), the unweighted mean over the
// accounts with a value, each in its own zone:
// - csat: Acme 11/3, Beta 4 (Gamma: no response) -> (11/3 + 4) / 2 = 23/6
// - csat_satisfied: Acme 200/3, Beta 50 -> 175/3
// - time_to_first_response: Acme 3165, Beta 3300, Gamma 20 -> 6485/3
// - time_to_resolve: Acme 15700, Beta 9000, Gamma 600 -> 25300/3
// - deflection: Acme 400/7, Beta 200/3 (Gamma: no view with a customer) -> (1200/21 + 1400/21) / 2 = 1300/21
const CSAT_BENCHMARK: f64 = 23.0 / 6.0;
const SATISFIED_BENCHMARK: f64 = 175.0 / 3.0;
const FIRST_RESPONSE_BENCHMARK: f64 = 6485.0 / 3.0;
const RESOLVE_BENCHMARK: f64 = 25300.0 / 3.0;
const DEFLECTION_BENCHMARK: f64 = 1300.0 / 21.0;

/// Acme (account 1, Europe/Paris), October 2025.
const ACME_OCTOBER: &[Figure] = &[
    // CSAT in October local time: 6101 5 stars, 6102 4 (31 Oct 22:30 UTC = 23:30 CET), 6103 2 (1 Oct).
    // Not: 6105 (30 Sep 21:30 UTC = 23:30 CEST), 6112 (spam), 6113 (deleted).
    ("performance/csat", Some(11.0 / 3.0), Some(CSAT_BENCHMARK), Some(11.0 / 3.0 - 23.0 / 6.0)),
    ("performance/csat_satisfied", Some(200.0 / 3.0), Some(SATISFIED_BENCHMARK), Some(25.0 / 3.0)),
    ("performance/csat_responses", Some(3.0), None, None),
    // First responses in October of conversations customers started: 6101 bot chat after 60 s,
    // 6102 Bob after 3600 s (the bot's line item is not a response), 6103 Ann at 30 Sep 22:30 UTC
    // (1 Oct 00:30 CEST) 5400 s after its creation, 6107 Bob after 3600 s. Not: 6104 (a user
    // started it), 6105 (first response in September), 6106 and 6111 (first responses on
    // 1 November local), 6108-6110 (no response), spam and deleted. (60 + 3600 + 5400 + 3600) / 4
    ("performance/time_to_first_response", Some(3165.0), Some(FIRST_RESPONSE_BENCHMARK), Some(3165.0 - 6485.0 / 3.0)),
    // Closed now, last close by a user, bot or workflow in October: 6101 (bot, 300 s), 6102 (Ann,
    // 7200 s), 6103 (workflow, 1 Oct 08:00, 11 h = 39600 s). 6107's last close is on 1 November
    // local; 6108 is rejected. (300 + 7200 + 39600) / 3
    ("performance/time_to_resolve", Some(15700.0), Some(RESOLVE_BENCHMARK), Some(15700.0 - 25300.0 / 3.0)),
    // FAQ views with a customer in October: v1 (6110 2 h later: followed), v2 (6108 24 h 1 s
    // later: not), v3 (6109 exactly 24 h later: followed), v4 (6107 before the view: not), v6
    // (only the spam 6112 follows: not), v8 (6111 30 min later: followed), v9 (31 Oct 23:30 CET,
    // nothing after: not). v5 has no customer, v7 is in September. 4 of 7 not followed.
    ("performance/deflection", Some(400.0 / 7.0), Some(DEFLECTION_BENCHMARK), Some(400.0 / 7.0 - 1300.0 / 21.0)),
    // Contracts 2024-10-16..2025-10-15 (50, 3) and 2025-10-16..2026-10-15 (40, 4) both cover
    // October: the latest start wins.
    ("contract/contracted_mau", Some(40.0), None, None),
    // Activity in October local time: 1000 (twice), 1001, 1002 (31 Oct 23:30 CET); not 1005
    // (1 Nov 00:30 CET) nor 1003 (30 Sep 23:59 CEST).
    ("contract/mau", Some(3.0), None, None),
    ("contract/mau_used", Some(7.5), None, None),
    ("contract/contracted_seats", Some(4.0), None, None),
    // Replies in October: Ann (6103 at 1 Oct 00:30 local, 6104), Bob (6102, 6105, 6107). Cy only
    // replied in the spam conversation; Ann's reply in 6106 is on 1 November local.
    ("contract/active_users", Some(2.0), None, None),
    ("contract/seats_used", Some(50.0), None, None),
    ("predict/enabled", Some(1.0), None, None),
    // Labels predicted in October: 6101, 6102 (twice), 6104, 6107. Not 6103 (September local),
    // 6112 (spam), 6105 (1 November local).
    ("predict/issues_labeled", Some(4.0), None, None),
    // Closed now: 6101 (accurate), 6102 (one label marked inaccurate), 6107 (accurate); 6104 is open.
    ("predict/accuracy", Some(200.0 / 3.0), None, None),
    // At the month's end: model 1; model 3 (created 31 Oct 23:30 CET). Not model 2 (deleted
    // 20 Oct), model 4 (created in November).
    ("predict/models", Some(2.0), None, None),
    ("quicksearch/enabled", Some(1.0), None, None),
    // Showings in October: s1 (3 FAQs, no conversation), s2 (0 FAQs, no conversation), s3
    // (2 FAQs, then 6101). s4 led to the spam 6112: left out; s5 is in September.
    ("quicksearch/faqs_suggested", Some(2.0), None, None),
    ("quicksearch/quicksearch_deflection", Some(200.0 / 3.0), None, None),
    ("bots/enabled", Some(1.0), None, None),
    // Runs started in October: r1, r2, r3, r5, r7 (running). r6 started on 30 Sep 23:50 CEST;
    // r4 is on the spam 6112.
    ("bots/invocations", Some(5.0), None, None),
    // Ended in October with 'resolved': r1 and r5, both on 6101.
    ("bots/resolved_by_bot", Some(1.0), None, None),
    // Bot chats in October: 6101 at 08:01 and 08:03. Not the bot line items, the spam's bot
    // chat, 6111's bot chat on 1 November local.
    ("bots/outbound_messages", Some(2.0), None, None),
    // Ended in October resolved, rejected or handed off: r1, r2, r5, r6 (ended 1 Oct 00:10
    // CEST). r3 was abandoned, r7 has not ended.
    ("bots/completions", Some(4.0), None, None),
    // At the month's end: bot 1; bot 4 (deleted exactly at the month's end, 31 Oct 23:00 UTC).
    // Not bot 2 (deleted 10 Oct), bot 3 (created in November).
    ("bots/bots", Some(2.0), None, None),
    // Created in October local time: 6101, 6102, 6104, 6106-6111. Not 6103 and 6105
    // (September), 6112 (spam), 6113 (deleted).
    ("usage/issues_created", Some(9.0), None, None),
    // Set to closed in October: 6101, 6102, 6103 (1 Oct), 6107 (14 Oct; reopened since).
    ("usage/issues_resolved", Some(4.0), None, None),
    ("usage/issues_rejected", Some(1.0), None, None),
    ("usage/mau", Some(3.0), None, None),
];

// Library 1.3.0: each account's benchmark is the mean of the other accounts
// with a value (Acme: Beta and Gamma; Beta: Acme and Gamma; Gamma: Acme and
// Beta), and Predict accuracy is per label over conversations resolved or
// rejected now.
const ACME_OCTOBER_1_3_0: &[Figure] = &[
    // Beta alone has CSAT responses: 4 stars, 50 % satisfied
    ("performance/csat", Some(11.0 / 3.0), Some(4.0), Some(-1.0 / 3.0)),
    ("performance/csat_satisfied", Some(200.0 / 3.0), Some(50.0), Some(50.0 / 3.0)),
    // (3300 + 20) / 2 and (9000 + 600) / 2
    ("performance/time_to_first_response", Some(3165.0), Some(1660.0), Some(1505.0)),
    ("performance/time_to_resolve", Some(15700.0), Some(4800.0), Some(10900.0)),
    // Beta alone has views with a customer
    ("performance/deflection", Some(400.0 / 7.0), Some(200.0 / 3.0), Some(-200.0 / 21.0)),
    // labels of October on conversations closed or rejected now: 6101 (accurate), 6102 (one of two
    // marked inaccurate), 6107 (accurate): 3 of 4
    ("predict/accuracy", Some(75.0), None, None),
];

/// Beta (account 2, America/New_York), October 2025: no bot, no model, no
/// showing (not enabled), no contract.
const BETA_OCTOBER: &[Figure] = &[
    // 6201 5 stars (1 Oct 07:00 UTC = 03:00 EDT), 6202 3 stars.
    ("performance/csat", Some(4.0), Some(CSAT_BENCHMARK), Some(4.0 - 23.0 / 6.0)),
    ("performance/csat_satisfied", Some(50.0), Some(SATISFIED_BENCHMARK), Some(50.0 - 175.0 / 3.0)),
    ("performance/csat_responses", Some(2.0), None, None),
    // 6201 created 30 Sep 23:00 EDT, answered 1 Oct 01:00 EDT: 7200 s, in October; 6202 1800 s;
    // 6204 created 31 Oct 23:30 EDT, answered 23:45 EDT: 900 s. (7200 + 1800 + 900) / 3
    ("performance/time_to_first_response", Some(3300.0), Some(FIRST_RESPONSE_BENCHMARK), Some(3300.0 - 6485.0 / 3.0)),
    // 6201 closed after 10800 s, 6202 after 7200 s.
    ("performance/time_to_resolve", Some(9000.0), Some(RESOLVE_BENCHMARK), Some(9000.0 - 25300.0 / 3.0)),
    // 2000 (6201 came before the view: not followed), 2001 (6203 2 h later: followed), 2002
    // (6204 11 days later: not followed): 2 of 3.
    ("performance/deflection", Some(200.0 / 3.0), Some(DEFLECTION_BENCHMARK), Some(200.0 / 3.0 - 1300.0 / 21.0)),
    ("contract/contracted_mau", None, None, None),
    // 2000, 2001; not 2002 (1 Oct 03:00 UTC = 30 Sep 23:00 EDT).
    ("contract/mau", Some(2.0), None, None),
    ("contract/mau_used", None, None, None),
    ("contract/contracted_seats", None, None, None),
    // Gus (6201, 6202) and Hal (6204, 31 Oct 23:45 EDT).
    ("contract/active_users", Some(2.0), None, None),
    ("contract/seats_used", None, None, None),
    ("predict/enabled", Some(0.0), None, None),
    ("predict/issues_labeled", None, None, None),
    ("predict/accuracy", None, None, None),
    ("predict/models", None, None, None),
    ("quicksearch/enabled", Some(0.0), None, None),
    ("quicksearch/faqs_suggested", None, None, None),
    ("quicksearch/quicksearch_deflection", None, None, None),
    ("bots/enabled", Some(0.0), None, None),
    ("bots/invocations", None, None, None),
    ("bots/resolved_by_bot", None, None, None),
    ("bots/outbound_messages", None, None, None),
    ("bots/completions", None, None, None),
    ("bots/bots", None, None, None),
    // 6202, 6203, 6204 (31 Oct 23:30 EDT); 6201 is 30 Sep 23:00 EDT.
    ("usage/issues_created", Some(3.0), None, None),
    // 6201 (closed 1 Oct 02:00 EDT), 6202.
    ("usage/issues_resolved", Some(2.0), None, None),
    ("usage/issues_rejected", Some(0.0), None, None),
    ("usage/mau", Some(2.0), None, None),
];

const BETA_OCTOBER_1_3_0: &[Figure] = &[
    ("performance/csat", Some(4.0), Some(11.0 / 3.0), Some(1.0 / 3.0)),
    ("performance/csat_satisfied", Some(50.0), Some(200.0 / 3.0), Some(-50.0 / 3.0)),
    // (3165 + 20) / 2 and (15700 + 600) / 2
    ("performance/time_to_first_response", Some(3300.0), Some(1592.5), Some(1707.5)),
    ("performance/time_to_resolve", Some(9000.0), Some(8150.0), Some(850.0)),
    ("performance/deflection", Some(200.0 / 3.0), Some(400.0 / 7.0), Some(200.0 / 21.0)),
];

/// Gamma (account 3, Asia/Tokyo), October 2025: no CSAT response and no FAQ
/// view with a customer (so no value: left out of those benchmarks).
const GAMMA_OCTOBER: &[Figure] = &[
    // 6302's response (31 Oct 16:30 UTC) is on 1 November in Tokyo, though October in Paris.
    ("performance/csat", None, Some(CSAT_BENCHMARK), None),
    ("performance/csat_satisfied", None, Some(SATISFIED_BENCHMARK), None),
    ("performance/csat_responses", Some(0.0), None, None),
    // 6301: a bot chat after 20 s. 6302 was answered on 1 November JST.
    ("performance/time_to_first_response", Some(20.0), Some(FIRST_RESPONSE_BENCHMARK), Some(20.0 - 6485.0 / 3.0)),
    // 6301 closed by the bot after 600 s.
    ("performance/time_to_resolve", Some(600.0), Some(RESOLVE_BENCHMARK), Some(600.0 - 25300.0 / 3.0)),
    ("performance/deflection", None, Some(DEFLECTION_BENCHMARK), None),
    // The 2025 contract: 10 MAU, no seats.
    ("contract/contracted_mau", Some(10.0), None, None),
    // 3001 at 31 Oct 23:59:59 JST; 3000 on 1 November JST.
    ("contract/mau", Some(1.0), None, None),
    ("contract/mau_used", Some(10.0), None, None),
    ("contract/contracted_seats", None, None, None),
    // Ivy's only reply is on 1 November JST.
    ("contract/active_users", Some(0.0), None, None),
    ("contract/seats_used", None, None, None),
    ("predict/enabled", Some(0.0), None, None),
    ("predict/issues_labeled", None, None, None),
    ("predict/accuracy", None, None, None),
    ("predict/models", None, None, None),
    ("quicksearch/enabled", Some(0.0), None, None),
    ("quicksearch/faqs_suggested", None, None, None),
    ("quicksearch/quicksearch_deflection", None, None, None),
    ("bots/enabled", Some(1.0), None, None),
    // Run 31 on 6301: started, resolved and ended in October.
    ("bots/invocations", Some(1.0), None, None),
    ("bots/resolved_by_bot", Some(1.0), None, None),
    ("bots/outbound_messages", Some(1.0), None, None),
    ("bots/completions", Some(1.0), None, None),
    ("bots/bots", Some(1.0), None, None),
    // 6301 and 6302 (31 Oct 23:00 JST).
    ("usage/issues_created", Some(2.0), None, None),
    ("usage/issues_resolved", Some(1.0), None, None),
    ("usage/issues_rejected", Some(0.0), None, None),
    ("usage/mau", Some(1.0), None, None),
];

// Gamma's CSAT, satisfied and deflection benchmarks were already Acme's and
// Beta's: it has no value of its own.
const GAMMA_OCTOBER_1_3_0: &[Figure] = &[
    // (3165 + 3300) / 2 and (15700 + 9000) / 2
    ("performance/time_to_first_response", Some(20.0), Some(3232.5), Some(-3212.5)),
    ("performance/time_to_resolve", Some(600.0), Some(12350.0), Some(-11750.0)),
];

#[test]
fn acme_golden_figures_with_benchmarks() {
    for version in PINNED_VERSIONS {
        let tmp = TempDir::new().unwrap();
        let db = usage_db_with(&tmp, version);
        let doc = report_json(&db, &["--account", "1", "--month", "2025-10"]);
        assert_eq!(doc["header"]["library"]["version"], version);
        assert_figures(&doc, &figures_of(version, ACME_OCTOBER, ACME_OCTOBER_1_3_0));
    }
    let tmp = TempDir::new().unwrap();
    let db = usage_db(&tmp, AS_OF);
    let doc = report_json(&db, &["--account", "1", "--month", "2025-10"]);
    assert_eq!(doc["report"], "usage");
    assert_eq!(doc["header"]["period"]["from"], "2025-10-01");
    assert_eq!(doc["header"]["period"]["to"], "2025-11-01");
    assert_eq!(doc["header"]["period"]["utc_from"], "2025-09-30T22:00:00Z");
    assert_eq!(doc["header"]["period"]["utc_to"], "2025-10-31T23:00:00Z");
    assert!(doc["header"]["library"]["version"].as_str().unwrap() >= "1.1.0", "the usage report needs library 1.1.0 or later");
    let notes = doc["header"]["notes"].as_array().unwrap();
    assert!(notes.iter().all(|n| !n.as_str().unwrap().contains("chosen by default")), "--month given: {notes:?}");
    assert!(notes.iter().any(|n| n.as_str().unwrap().starts_with("deflection window: 24h")), "{notes:?}");
}

#[test]
fn an_account_without_bots_predict_or_quicksearch_is_not_enabled_there() {
    let tmp = TempDir::new().unwrap();
    let db = usage_db(&tmp, AS_OF);
    for version in PINNED_VERSIONS {
        let tmp = TempDir::new().unwrap();
        let db = usage_db_with(&tmp, version);
        let doc = report_json(&db, &["--account", "Beta", "--month", "2025-10"]);
        assert_figures(&doc, &figures_of(version, BETA_OCTOBER, BETA_OCTOBER_1_3_0));
    }
    let doc = report_json(&db, &["--account", "Beta", "--month", "2025-10"]);
    assert_eq!(doc["header"]["period"]["utc_from"], "2025-10-01T04:00:00Z");
    let text = stdout(&db, &["report", "usage", "--account", "2", "--month", "2025-10"]);
    let markdown = stdout(&db, &["report", "usage", "--account", "2", "--month", "2025-10", "--format", "markdown"]);
    for title in ["Predict", "QuickSearch Bot", "Custom bots"] {
        let line = format!("{title}: not enabled for this account.");
        assert!(text.contains(&format!("\n{title}\n{line}\n")), "table: {title}\n{text}");
        assert!(markdown.contains(&format!("\n## {title}\n\n{line}\n")), "markdown: {title}\n{markdown}");
    }
    assert!(!text.contains("Invocations") && !text.contains("Issues labeled") && !text.contains("Times FAQs suggested"), "{text}");
    // Acme has them all
    let acme = stdout(&db, &["report", "usage", "--account", "1", "--month", "2025-10"]);
    assert!(!acme.contains("not enabled") && acme.contains("Invocations"), "{acme}");
}

#[test]
fn gamma_has_no_csat_nor_deflection_and_is_left_out_of_those_benchmarks() {
    for version in PINNED_VERSIONS {
        let tmp = TempDir::new().unwrap();
        let db = usage_db_with(&tmp, version);
        let doc = report_json(&db, &["--account", "3", "--month", "2025-10"]);
        assert_figures(&doc, &figures_of(version, GAMMA_OCTOBER, GAMMA_OCTOBER_1_3_0));
        let accounts = query(
            &db,
            "SELECT metric, benchmark_accounts FROM metrics.usage(3, DATE '2025-10-01') WHERE benchmark_accounts IS NOT NULL ORDER BY ordinal",
        );
        // 1.3.0 leaves Gamma out of its own benchmark: the two others have every value
        let expected = if version < "1.3.0" {
            ["csat|2", "csat_satisfied|2", "time_to_first_response|3", "time_to_resolve|3", "deflection|2"]
        } else {
            ["csat|2", "csat_satisfied|2", "time_to_first_response|2", "time_to_resolve|2", "deflection|2"]
        };
        assert_eq!(accounts, expected, "{version}");
    }
}

#[test]
fn every_usage_metric_of_the_catalogue_has_a_golden_figure_and_no_other() {
    let tmp = TempDir::new().unwrap();
    let db = usage_db(&tmp, AS_OF);
    // (the office-time twins are pinned in office_hours.rs)
    let documented = query(&db, "SELECT section || '/' || metric FROM metrics.catalogue WHERE report = 'usage' AND NOT starts_with(metric, 'office_') ORDER BY ordinal");
    for golden in [ACME_OCTOBER, BETA_OCTOBER, GAMMA_OCTOBER] {
        let pinned: Vec<&str> = golden.iter().map(|f| f.0).collect();
        assert_eq!(documented, pinned);
    }
    // and every figure has a definition and a label in the catalogue
    let undefined = query(&db, "SELECT count(*) FROM metrics.catalogue WHERE report = 'usage' AND (length(definition) < 40 OR label = '')");
    assert_eq!(undefined, ["0"]);
}

#[test]
fn the_deflection_window_is_an_option() {
    // 90 minutes: Acme's v1 (2 h) and v3 (24 h) are now not followed, v8 (30 min) still is: 6 of 7.
    // Beta's 2001 (2 h) is not followed either: 3 of 3. Benchmark (600/7 + 100) / 2 = 650/7 under
    // 1.2.0; Beta's 100 under 1.3.0 (Acme left out).
    for (version, deflection_benchmark, csat_benchmark) in [("1.2.0", 650.0 / 7.0, CSAT_BENCHMARK), ("1.3.0", 100.0, 4.0)] {
        let tmp = TempDir::new().unwrap();
        let db = usage_db_with(&tmp, version);
        for window in ["90m", "5400s", "5400"] {
            let doc = report_json(&db, &["--account", "1", "--month", "2025-10", "--deflection-window", window]);
            let c = cards(&doc);
            let (value, benchmark, difference) = c["performance/deflection"];
            let expected_difference = 600.0 / 7.0 - deflection_benchmark;
            assert!(
                close(value, Some(600.0 / 7.0)) && close(benchmark, Some(deflection_benchmark)) && close(difference, Some(expected_difference)),
                "{version} {window}: {:?}",
                c["performance/deflection"]
            );
            let (csat, benchmark, _) = c["performance/csat"];
            assert!(close(csat, Some(11.0 / 3.0)) && close(benchmark, Some(csat_benchmark)), "other figures do not move");
            assert!(doc["header"]["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().starts_with("deflection window: 90m")));
        }
        let same = report_json(&db, &["--account", "1", "--month", "2025-10", "--deflection-window", "24h"]);
        assert_figures(&same, &figures_of(version, ACME_OCTOBER, ACME_OCTOBER_1_3_0));
    }
    let tmp = TempDir::new().unwrap();
    let db = usage_db(&tmp, AS_OF);
    let err = stderr_of_failure(&db, &["report", "usage", "--account", "1", "--deflection-window", "1d"]);
    assert!(err.contains("e.g. 24h, 90m, 3600s or 3600"), "{err}");
    let err = stderr_of_failure(&db, &["report", "company", "--account", "1", "--month", "2025-10", "--deflection-window", "1h"]);
    assert!(err.contains("applies to the usage report only"), "{err}");
    let err = query_error(&db, "SELECT * FROM metrics.usage(1, DATE '2025-10-01', deflection_window := 0)");
    assert!(err.contains("deflection_window must be a positive number of seconds"), "{err}");
}

#[test]
fn tz_moves_the_account_s_month_but_not_the_benchmark() {
    // October in UTC: 6103's first response (30 Sep 22:30) leaves; 6106's (31 Oct 23:30,
    // 999000 s after its creation on 20 Oct 10:00) and 6111's bot chat (31 Oct 23:10, 564000 s
    // after 25 Oct 10:30) come in: (60 + 3600 + 3600 + 999000 + 564000) / 5 = 314052.
    // The benchmark stays each account's own October (1.3.0: Beta's and Gamma's only).
    for (version, expected_benchmark) in [("1.2.0", FIRST_RESPONSE_BENCHMARK), ("1.3.0", 1660.0)] {
        let tmp = TempDir::new().unwrap();
        let db = usage_db_with(&tmp, version);
        let doc = report_json(&db, &["--account", "1", "--month", "2025-10", "--tz", "UTC"]);
        let (value, benchmark, difference) = cards(&doc)["performance/time_to_first_response"];
        assert!(close(value, Some(314052.0)), "{value:?}");
        assert!(close(benchmark, Some(expected_benchmark)), "{version}: {benchmark:?}");
        assert!(close(difference, Some(314052.0 - expected_benchmark)), "{difference:?}");
        assert_eq!(doc["header"]["period"]["time_zone"], "UTC");
    }
}

#[test]
fn the_default_month_is_the_last_full_month_before_the_as_of_in_the_report_s_zone() {
    let tmp = TempDir::new().unwrap();
    let db = usage_db(&tmp, AS_OF);
    let doc = report_json(&db, &["--account", "1"]);
    assert_figures(&doc, &figures_of("1.3.0", ACME_OCTOBER, ACME_OCTOBER_1_3_0));
    let notes: Vec<&str> = doc["header"]["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(notes[0].starts_with("month 2025-10 chosen by default") && notes[0].contains("2025-11-15T00:00:00Z") && notes[0].contains("Europe/Paris"), "{notes:?}");

    // Taken 2025-10-31 23:30 UTC: already 1 November in Paris (October is the last full month),
    // still 31 October in UTC and New York (September is).
    let early = TempDir::new().unwrap();
    let db = usage_db(&early, "2025-10-31T23:30:00Z");
    let first_day = |args: &[&str]| report_json(&db, args)["header"]["period"]["from"].as_str().unwrap().to_string();
    assert_eq!(first_day(&["--account", "1"]), "2025-10-01");
    assert_eq!(first_day(&["--account", "1", "--tz", "UTC"]), "2025-09-01");
    assert_eq!(first_day(&["--account", "2"]), "2025-09-01");
    assert_eq!(first_day(&["--account", "3"]), "2025-10-01", "Tokyo: 1 November 08:30");
    // As of then, the 24-hour windows of Acme's v9 (31 Oct 22:30) and Beta's 2001 (31 Oct 10:00)
    // have not ended: left out. Acme: v2, v4, v6 of v1-v4, v6, v8 not followed: 3 of 6; Beta:
    // 2000 and 2002, both not followed: 2 of 2.
    let deflection = |account: &str| cards(&report_json(&db, &["--account", account, "--month", "2025-10"]))["performance/deflection"].0;
    assert!(close(deflection("1"), Some(50.0)), "{:?}", deflection("1"));
    assert!(close(deflection("2"), Some(100.0)), "{:?}", deflection("2"));
}

#[test]
fn the_feature_table_lists_every_feature_seen_in_any_account() {
    let tmp = TempDir::new().unwrap();
    let db = usage_db(&tmp, AS_OF);
    let features = |account: &str| -> Vec<String> {
        let doc = report_json(&db, &["--account", account, "--month", "2025-10"]);
        let table = doc["tables"].as_array().unwrap().iter().find(|t| t["name"] == "features").unwrap().clone();
        assert_eq!(table["columns"], serde_json::json!(["feature", "used", "uses", "users"]));
        table["rows"].as_array().unwrap().iter().map(|r| format!("{}|{}|{}|{}", r["feature"].as_str().unwrap(), r["used"], r["uses"], r["users"])).collect()
    };
    // Acme: search 3 times by Ann (twice) and Bob; beacon once by Ann on 31 Oct 23:30 CET (Bob's
    // is on 1 November); reports only in September; workflows only at Beta.
    assert_eq!(features("1"), ["beacon|true|1|1", "reports|false|0|0", "search|true|3|2", "workflows|false|0|0"]);
    assert_eq!(features("2"), ["beacon|false|0|0", "reports|false|0|0", "search|false|0|0", "workflows|true|2|1"]);
    assert_eq!(features("3"), ["beacon|false|0|0", "reports|false|0|0", "search|false|0|0", "workflows|false|0|0"]);
}

#[test]
fn text_markdown_and_csv_show_the_benchmark_columns() {
    // 1.2.0: 11/3 stars against 23/6, difference -1/6; 3165 s against 6485/3 s: +1003 s.
    // 1.3.0: against 4 stars (Beta), -1/3; against 1660 s: +1505 s; satisfied +50/3 points.
    let shown_by_version: [(&str, [&str; 5], &str, &str); 2] = [
        ("1.2.0", ["3.83 / 5", "-0.17", "36m 02s", "+16m 43s", "+8.3 pts"], "| CSAT | 3.67 / 5 | 3.83 / 5 | -0.17 |", "15700,,,,8433.333333333334,7266.666666666666"),
        ("1.3.0", ["4.00 / 5", "-0.33", "27m 40s", "+25m 05s", "+16.7 pts"], "| CSAT | 3.67 / 5 | 4.00 / 5 | -0.33 |", "15700,,,,4800,10900"),
    ];
    for (version, shown, markdown_csat, csv_resolve) in shown_by_version {
        let tmp = TempDir::new().unwrap();
        let db = usage_db_with(&tmp, version);
        let args = ["report", "usage", "--account", "1", "--month", "2025-10"];
        let text = stdout(&db, &args);
        assert!(text.starts_with("Usage report: Acme (account 1, pro plan)\n"), "{text}");
        for section in ["Performance", "Contract vs usage", "Predict", "QuickSearch Bot", "Custom bots", "Feature usage", "Adoption of features"] {
            assert!(text.contains(&format!("\n{section}\n")), "section {section} in:\n{text}");
        }
        for shown in shown.iter().chain(&["3.67 / 5", "52m 45s", "benchmark", "difference"]) {
            assert!(text.contains(shown), "{version}: {shown} in:\n{text}");
        }
        let markdown = stdout(&db, &[&args[..], &["--format", "markdown"]].concat());
        let performance = format!("## Performance\n\n| metric | value | benchmark | difference |\n| --- | ---: | ---: | ---: |\n{markdown_csat}\n");
        assert!(markdown.contains(&performance), "{markdown}");
        assert!(markdown.contains("| CSAT responses | 3 |  |  |"), "no benchmark for a count: {markdown}");
        assert!(markdown.contains("## Contract vs usage\n\n| metric | value |\n"), "{markdown}");
        // CSV: the cards; the features with --table
        let cards = stdout(&db, &[&args[..], &["--format", "csv"]].concat());
        assert!(cards.starts_with("section,metric,label,unit,value,previous,change,change_unit,benchmark,difference\n"), "{cards}");
        assert!(cards.contains(&format!("\nperformance,time_to_resolve,Time to resolve,seconds,{csv_resolve}\n")), "{cards}");
        assert!(cards.contains("\npredict,enabled,Enabled,flag,1,,,,,\n"), "{cards}");
        assert!(!cards.contains("\n\n"), "one table: {cards}");
        let features = stdout(&db, &[&args[..], &["--format", "csv", "--table", "features"]].concat());
        assert!(features.starts_with("feature,used,uses,users\nbeacon,true,1,1\n"), "{features}");
    }
}

#[test]
fn the_usage_report_refuses_what_does_not_apply_to_it() {
    let tmp = TempDir::new().unwrap();
    let db = usage_db(&tmp, AS_OF);
    let usage = ["report", "usage", "--account", "1"];
    let cases: &[(&[&str], &str)] = &[
        (&["--from", "2025-10-01", "--to", "2025-11-01"], "give --month YYYY-MM"),
        (&["--inbox", "10"], "--inbox does not apply to the usage report"),
        (&["--channel", "email"], "--channel does not apply"),
        (&["--tag", "vip"], "--tag does not apply"),
        (&["--as-user", "100"], "--as-user does not apply"),
        (&["--compare"], "--compare does not apply"),
        (&["--month", "2025-13"], "expected YYYY-MM"),
    ];
    for (extra, message) in cases {
        let err = stderr_of_failure(&db, &[&usage[..], extra].concat());
        assert!(err.contains(message), "{extra:?}: {err}");
    }
    // Gamma is on the standard plan: the last 2 years before the snapshot (from 2023-11-15 in Tokyo)
    let err = stderr_of_failure(&db, &["report", "usage", "--account", "3", "--month", "2023-10"]);
    assert!(err.contains("can report from 2023-11-15") && err.contains("not on the month starting 2023-10-01"), "{err}");
    let err = query_error(&db, "SELECT * FROM metrics.usage(1, DATE '2025-10-02')");
    assert!(err.contains("is not the first day of a month"), "{err}");
    let err = query_error(&db, "SELECT * FROM metrics.usage(9, DATE '2025-10-01')");
    assert!(err.contains("no account 9 in the snapshot"), "{err}");
}

fn query_error(db: &Path, sql: &str) -> String {
    let config = duckdb::Config::default().access_mode(duckdb::AccessMode::ReadOnly).unwrap();
    let conn = duckdb::Connection::open_with_flags(db, config).unwrap();
    let result = conn.prepare(sql).and_then(|mut stmt| stmt.query([]).map(|_| ()));
    result.err().map(|e| e.to_string()).unwrap_or_else(|| panic!("{sql} should fail"))
}

#[test]
fn spam_and_deleted_conversations_never_count_through_what_is_attached_to_them() {
    let tmp = TempDir::new().unwrap();
    let db = usage_db(&tmp, AS_OF);
    // the same figures without the spam and deleted conversations' CSAT, label, showing, bot run and threads
    let attached = query(
        &db,
        "SELECT (SELECT count(*) FROM csat WHERE conversation_id IN (6112, 6113)) + (SELECT count(*) FROM predict_labels WHERE conversation_id = 6112) \
         + (SELECT count(*) FROM quicksearch WHERE conversation_id = 6112) + (SELECT count(*) FROM bot_runs WHERE conversation_id = 6112)",
    );
    assert_eq!(attached, ["5"], "the fixture attaches them");
    let figures = query(
        &db,
        "SELECT count(*) FROM metrics.usage_figures(DATE '2025-10-01', account := 1) AS f \
         JOIN (SELECT * FROM metrics.usage(1, DATE '2025-10-01')) AS u USING (section, metric) WHERE f.value IS DISTINCT FROM u.value",
    );
    assert_eq!(figures, ["0"], "usage_figures and usage agree");
    let conversations = query(&db, "SELECT count(*) FROM metrics.usage_conversations(account := 1) WHERE conversation_id IN (6112, 6113)");
    assert_eq!(conversations, ["0"]);
}

#[test]
fn the_usage_macros_run_in_the_official_duckdb_python_client() {
    let tmp = TempDir::new().unwrap();
    let db = usage_db(&tmp, AS_OF);
    let script = r#"
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.sql("SELECT metric, round(value, 6), round(benchmark, 6) FROM metrics.usage(2, DATE '2025-10-01') WHERE metric IN ('csat', 'time_to_resolve') ORDER BY metric").fetchall())
print(con.sql("SELECT feature, uses FROM metrics.usage_features(1, DATE '2025-10-01') WHERE used").fetchall())
"#;
    let output = Command::new("python3").arg("-c").arg(script).arg(&db).output().expect("python3 runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the DuckDB Python client must be installed (`pip install duckdb==2.0.1`; .ci/run does it): {stderr}");
    let out = String::from_utf8_lossy(&output.stdout);
    // library 1.3.0: Beta's benchmarks are Acme's and Gamma's
    assert_eq!(out.lines().collect::<Vec<_>>(), ["[('csat', 4.0, 3.666667), ('time_to_resolve', 9000.0, 8150.0)]", "[('beacon', 1), ('search', 3)]"], "{stderr}");
}

/// The HTML report rendered by a real headless browser: it loads, shows
/// every section (and "not enabled" for Beta's automation), and makes no
/// external request (nothing in the page could make one).
#[test]
fn the_html_report_renders_in_headless_chromium() {
    let tmp = TempDir::new().unwrap();
    let db = usage_db(&tmp, AS_OF);
    crate::fixture::chromium(); // fails first, saying how to install it, when chromium is missing
    for (account, enabled) in [("1", true), ("2", false)] {
        let html_path = tmp.path().join(format!("usage-{account}.html"));
        deskql(&db)
            .args(["report", "usage", "--account", account, "--month", "2025-10", "--format", "html", "--output"])
            .arg(&html_path)
            .assert()
            .success()
            .stdout("");
        let html = std::fs::read_to_string(&html_path).unwrap();
        crate::fixture::assert_self_contained(&html);
        assert_eq!(html.matches("<svg").count(), 5, "one account-vs-benchmark chart per benchmarked figure");

        let profile = tmp.path().join(format!("profile-{account}"));
        let shot = tmp.path().join(format!("shot-{account}.png"));
        let run = |extra: &[String]| crate::fixture::run_chromium(&profile, &html_path, (900, 2000), extra);
        run(&[format!("--screenshot={}", shot.display())]);
        let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
        assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "a real screenshot ({} bytes)", png.len());
        if let Ok(keep) = std::env::var("DESKQL_KEEP_SCREENSHOTS") {
            std::fs::copy(&shot, Path::new(&keep).join(format!("usage-{account}.png"))).unwrap();
        }

        let dom = String::from_utf8(run(&["--dump-dom".to_string()]).stdout).unwrap();
        for section in ["performance", "contract", "predict", "quicksearch", "bots", "usage"] {
            assert!(dom.contains(&format!("data-section=\"{section}\"")), "section {section} rendered for account {account}");
        }
        assert!(dom.contains("data-table=\"features\"") && dom.contains("Adoption of features"));
        for title in ["Performance", "Contract vs usage", "Predict", "QuickSearch Bot", "Custom bots", "Feature usage"] {
            assert!(dom.contains(&format!(">{title}</h2>")), "{title} for account {account}");
        }
        assert!(dom.contains("This account against the benchmark") && dom.contains("<svg"), "charts rendered");
        let not_enabled = dom.matches(": not enabled for this account.").count();
        assert_eq!(not_enabled, if enabled { 0 } else { 3 }, "account {account}");
        if !enabled {
            for section in ["predict", "quicksearch", "bots"] {
                assert!(dom.contains(&format!("data-not-enabled=\"{section}\"")), "{section}");
            }
        }
    }
}

