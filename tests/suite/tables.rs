//! The report tables Help Scout shows next to the cards (library 1.3.0):
//! golden figures on the hand-made snapshot of `fixture/golden.rs`
//! (October 2025 in Paris; see its table of conversations), agreement with
//! the cards, the options that shape them (`--by`, `--top`, `--rating`),
//! how every format draws them, and CSV's one table per output.

use std::path::{Path, PathBuf};

use crate::fixture::{deskql, golden, stdout, use_library};
use serde_json::{Value, json};
use tempfile::TempDir;

const OCTOBER: [&str; 4] = ["--from", "2025-10-01", "--to", "2025-11-01"];

fn golden_db(tmp: &TempDir) -> PathBuf {
    let db = tmp.path().join("golden.duckdb");
    let dir = golden::snapshot().write(&tmp.path().join("s"));
    deskql(&db).args(["ingest", "--snapshot", "s", "--as-of", "2025-11-15"]).arg(&dir).assert().success();
    db
}

fn report_json(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&stdout(db, &[&["report"], args, &OCTOBER[..], &["--format", "json"]].concat())).unwrap()
}

fn table<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["tables"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap_or_else(|| panic!("no table {name} in {}", doc["report"]))
}

/// A table's rows as arrays of the given columns.
fn rows(doc: &Value, name: &str, columns: &[&str]) -> Vec<Vec<Value>> {
    table(doc, name)["rows"].as_array().unwrap().iter().map(|r| columns.iter().map(|c| r[*c].clone()).collect()).collect()
}

fn card(doc: &Value, key: &str) -> Value {
    let (section, metric) = key.split_once('/').unwrap();
    doc["cards"].as_array().unwrap().iter().find(|c| c["section"] == section && c["metric"] == metric).unwrap()["value"].clone()
}

fn failure(db: &Path, args: &[&str]) -> String {
    let output = deskql(db).arg("report").args(args).output().unwrap();
    assert!(!output.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&output.stderr).to_string()
}

#[test]
fn the_company_report_shows_help_scout_s_tables() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let doc = report_json(&db, &["company", "--account", "1"]);
    let names: Vec<&str> = doc["tables"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["daily", "busiest_time", "busiest_range", "top_users", "tags", "customers"]);
    // New conversations by local weekday and hour: 5001 Monday 10:00, 5009 Monday 11:00, 5008
    // Tuesday 15:00, 5011 Wednesday 00:30, 5002 and 5003 Sunday 02:30 (CEST, then CET)
    let grid = rows(&doc, "busiest_time", &["day", "h00", "h02", "h10", "h11", "h15", "total"]);
    assert_eq!(grid[0], vec![json!("Monday"), json!(0), json!(0), json!(1), json!(1), json!(0), json!(2)], "{grid:?}");
    assert_eq!(grid[1], vec![json!("Tuesday"), json!(0), json!(0), json!(0), json!(0), json!(1), json!(1)]);
    assert_eq!(grid[2], vec![json!("Wednesday"), json!(1), json!(0), json!(0), json!(0), json!(0), json!(1)]);
    assert_eq!(grid[6], vec![json!("Sunday"), json!(0), json!(2), json!(0), json!(0), json!(0), json!(2)]);
    let total: i64 = table(&doc, "busiest_time")["rows"].as_array().unwrap().iter().map(|r| r["total"].as_i64().unwrap()).sum();
    assert_eq!(json!(total as f64), card(&doc, "all/new_conversations"), "the grid holds the new conversations");
    // 10:00-12:00 has 2 in 31 days; 01:00-03:00 and 02:00-04:00 have 2 in 31.5 (local hour 2 happens twice on the 26th)
    assert_eq!(rows(&doc, "busiest_range", &["from_hour", "to_hour", "events"]), vec![vec![json!(10), json!(12), json!(2)]]);
    let per_day = table(&doc, "busiest_range")["rows"][0]["per_day"].as_f64().unwrap();
    assert!((per_day - 2.0 / 31.0).abs() < 1e-9, "{per_day}");
    // Ann: replies in 5001, 5002 (2), 5008, 5011; resolved and closed 5001, 5002, 5011; waits 7200,
    // 120, 300, 1800; first responses 120 (5002) and 1800 (5011); ratings great and not good. Bob:
    // 5001 and 5004, both after 3600 s; resolved and closed 5004; an okay rating.
    let users = rows(&doc, "top_users", &["user", "replies", "customers_helped", "resolved", "closed", "response_time", "first_response_time", "ratings", "happiness_score"]);
    assert_eq!(users[0], vec![json!("Ann"), json!(5), json!(3), json!(3), json!(3), json!(2355.0), json!(960.0), json!(2), json!(0.0)]);
    assert_eq!(users[1], vec![json!("Bob"), json!(2), json!(1), json!(1), json!(1), json!(3600.0), json!(3600.0), json!(1), json!(0.0)]);
    // Active in October: 5001 (billing), 5002, 5003, 5004 (billing, vip), 5005, 5008, 5009, 5011
    assert_eq!(rows(&doc, "tags", &["tag", "conversations", "share"]), vec![vec![json!("billing"), json!(2), json!(25.0)], vec![json!("vip"), json!(1), json!(12.5)]]);
    // Finn: 5005, 5008, 5011 (a message each in 5005 and 5011); Carla: 5001 (3), 5004 (1); Dan: 5002 (2), 5009 (1); Ema: 5003
    let customers = rows(&doc, "customers", &["customer", "conversations", "messages"]);
    assert_eq!(customers, [("Finn", 3, 2), ("Carla", 2, 4), ("Dan", 2, 3), ("Ema", 1, 1)].map(|(n, c, m)| vec![json!(n), json!(c), json!(m)]).to_vec());
    assert!(table(&doc, "tags")["title"].as_str().unwrap().ends_with("(top 10)"));
}

#[test]
fn top_users_agree_with_each_user_s_report() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let company = report_json(&db, &["company", "--account", "1"]);
    let users = &table(&company, "top_users")["rows"];
    let replies: f64 = users.as_array().unwrap().iter().map(|u| u["replies"].as_f64().unwrap()).sum();
    assert_eq!(json!(replies), card(&company, "all/replies_sent"), "every reply is some user's");
    for row in users.as_array().unwrap() {
        let user = row["user_id"].to_string();
        let report = report_json(&db, &["user", "--account", "1", "--user", &user]);
        let pairs = [
            ("replies", "all/replies_sent"),
            ("customers_helped", "all/customers_helped"),
            ("resolved", "all/resolved"),
            ("closed", "all/closed"),
            ("response_time", "all/response_time"),
            ("first_response_time", "all/first_response_time"),
            ("ratings", "happiness/ratings"),
            ("happiness_score", "happiness/happiness_score"),
        ];
        for (column, key) in pairs {
            assert_eq!(row[column].as_f64(), card(&report, key).as_f64(), "user {user}: {column} against the card {key}");
        }
    }
    // the Team report lists its members only
    let team = report_json(&db, &["team", "--account", "1", "--team", "Tier 1"]);
    let names: Vec<Value> = table(&team, "top_users")["rows"].as_array().unwrap().iter().map(|r| r["user"].clone()).collect();
    assert_eq!(names, [json!("Ann"), json!("Bob")]);
    let user = report_json(&db, &["user", "--account", "1", "--user", "Bob"]);
    assert!(user["tables"].as_array().unwrap().iter().all(|t| t["name"] != "top_users"), "a user report is about one user");
}

#[test]
fn the_series_has_resolved_and_times_and_groups_by_week_or_month() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let daily = report_json(&db, &["company", "--account", "1"]);
    let columns = table(&daily, "daily")["columns"].clone();
    assert_eq!(columns, json!(["day", "new_conversations", "replies_sent", "customers_helped", "closed", "resolved", "first_response_time", "response_time"]));
    // 26 October: 5002 (first response 120 s; waits 120 and 300 s; resolved) and 5003 (closed, not resolved)
    let day = table(&daily, "daily")["rows"].as_array().unwrap().iter().find(|r| r["day"] == "2025-10-26").unwrap().clone();
    assert_eq!(
        (day["resolved"].clone(), day["closed"].clone(), day["first_response_time"].clone(), day["response_time"].clone()),
        (json!(1), json!(2), json!(120.0), json!(210.0))
    );
    // weeks start on Monday; the first is cut by the period (Wednesday 1 October)
    let weekly = report_json(&db, &["company", "--account", "1", "--by", "week"]);
    let weeks = rows(&weekly, "daily", &["day", "new_conversations", "replies_sent", "customers_helped"]);
    let starts: Vec<&str> = weeks.iter().map(|w| w[0].as_str().unwrap()).collect();
    assert_eq!(starts, ["2025-10-01", "2025-10-06", "2025-10-13", "2025-10-20", "2025-10-27"]);
    assert_eq!(weeks[0][1..], [json!(1), json!(2), json!(2)], "5011; replies to 5011 (Finn) and 5004 (Carla)");
    assert_eq!(table(&weekly, "daily")["title"], "Per week (weeks start on Monday)");
    // one month: the row is the cards (distinct counts and averages over the whole month)
    let monthly = report_json(&db, &["company", "--account", "1", "--by", "month"]);
    let month = &table(&monthly, "daily")["rows"][0];
    for (column, key) in [
        ("new_conversations", "all/new_conversations"),
        ("replies_sent", "all/replies_sent"),
        ("customers_helped", "all/customers_helped"),
        ("closed", "all/closed"),
        ("resolved", "all/resolved"),
        ("first_response_time", "all/first_response_time"),
        ("response_time", "all/response_time"),
    ] {
        assert_eq!(month[column].as_f64(), card(&monthly, key).as_f64(), "{column}");
    }
    // the user report's series is the user's
    let bob = report_json(&db, &["user", "--account", "1", "--user", "Bob", "--by", "month"]);
    assert_eq!(rows(&bob, "daily", &["handled", "replies_sent", "resolved"]), vec![vec![json!(2), json!(2), json!(1)]]);
}

#[test]
fn top_picks_how_many_tags_and_customers() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let doc = report_json(&db, &["company", "--account", "1", "--top", "1"]);
    assert_eq!(rows(&doc, "tags", &["tag"]), vec![vec![json!("billing")]]);
    assert_eq!(rows(&doc, "customers", &["customer"]), vec![vec![json!("Finn")]]);
    assert_eq!(table(&doc, "customers")["title"], "Most active customers (top 1)");
    // Bob's history: 5009 (Dan), 5008 (Finn), 5001 and 5004 (Carla, billing; vip too)
    let bob = report_json(&db, &["user", "--account", "1", "--user", "Bob"]);
    assert_eq!(rows(&bob, "tags", &["tag", "conversations", "share"]), vec![vec![json!("billing"), json!(2), json!(50.0)], vec![json!("vip"), json!(1), json!(25.0)]]);
    assert_eq!(rows(&bob, "customers", &["customer", "conversations"]), vec![vec![json!("Carla"), json!(2)], vec![json!("Dan"), json!(1)], vec![json!("Finn"), json!(1)]]);
    let output = deskql(&db).args(["report", "company", "--account", "1", "--top", "0"]).args(OCTOBER).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "a usage error");
}

#[test]
fn user_and_team_reports_list_their_ratings_and_rating_filters_them() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let columns = ["rating", "conversation_number", "subject", "customer", "user_name", "comments"];
    let bob = report_json(&db, &["user", "--account", "1", "--user", "Bob"]);
    assert_eq!(rows(&bob, "ratings", &columns), vec![vec![json!("okay"), json!(4), json!("Reopened"), json!("Carla"), json!("Bob"), Value::Null]]);
    let team = report_json(&db, &["team", "--account", "1", "--team", "Tier 1", "--rating", "not_good"]);
    assert_eq!(rows(&team, "ratings", &columns), vec![vec![json!("not_good"), json!(2), json!("Chat"), json!("Dan"), json!("Ann"), json!("Slow")]]);
    assert_eq!(table(&team, "ratings")["title"], "Ratings (Not good only)");
    assert_eq!(card(&team, "happiness/ratings"), json!(3.0), "the cards keep every rating");
    let ann = report_json(&db, &["happiness", "--account", "1", "--user", "ann@acme.test", "--rating", "great"]);
    assert_eq!(rows(&ann, "ratings", &["conversation_number"]), vec![vec![json!(1)]]);
    let err = failure(&db, &[&["company", "--account", "1", "--rating", "great"], &OCTOBER[..]].concat());
    assert!(err.contains("--rating does not apply to the company report"), "{err}");
    let output = deskql(&db).args(["report", "happiness", "--account", "1", "--rating", "bad"]).args(OCTOBER).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn table_options_are_refused_where_they_do_not_apply_or_with_an_older_library() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let err = failure(&db, &["usage", "--account", "1", "--month", "2025-10", "--top", "5"]);
    assert!(err.contains("--top does not apply to the usage report"), "{err}");
    let err = failure(&db, &[&["happiness", "--account", "1", "--by", "week"], &OCTOBER[..]].concat());
    assert!(err.contains("--by does not apply to the happiness report"), "{err}");
    use_library(&db, "1.2.0");
    let err = failure(&db, &[&["company", "--account", "1", "--by", "week"], &OCTOBER[..]].concat());
    assert!(err.contains("--by needs metric library 1.3.0") && err.contains("library 1.2.0"), "{err}");
    let err = failure(&db, &[&["happiness", "--account", "1", "--rating", "great"], &OCTOBER[..]].concat());
    assert!(err.contains("--rating needs metric library 1.3.0"), "{err}");
    // 1.2.0's reports show 1.2.0's tables
    let old = report_json(&db, &["company", "--account", "1"]);
    assert_eq!(old["tables"].as_array().unwrap().len(), 1);
}

#[test]
fn csv_writes_one_table_and_out_dir_writes_each_in_its_file() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let company = [&["report", "company", "--account", "1"], &OCTOBER[..]].concat();
    let cards = stdout(&db, &[&company[..], &["--format", "csv"]].concat());
    assert!(cards.starts_with("section,metric,label") && !cards.contains("\n\n"), "{cards}");
    let tags = stdout(&db, &[&company[..], &["--format", "csv", "--table", "tags"]].concat());
    assert_eq!(tags, "tag,conversations,share\nbilling,2,25.0\nvip,1,12.5\n");
    assert_eq!(stdout(&db, &[&company[..], &["--format", "csv", "--table", "cards"]].concat()), cards);
    let err = failure(&db, &[&company[1..], &["--format", "csv", "--table", "nope"]].concat());
    assert!(err.contains("no table \"nope\"") && err.contains("cards, daily, busiest_time"), "{err}");
    let err = failure(&db, &[&company[1..], &["--format", "json", "--table", "tags"]].concat());
    assert!(err.contains("--table applies to --format csv"), "{err}");
    // --out-dir: CSV by default, one file per table, each loadable by read_csv
    let dir = tmp.path().join("out");
    let output = deskql(&db).args(&company).arg("--out-dir").arg(&dir).output().unwrap();
    assert!(output.status.success() && output.stdout.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut files: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, ["busiest_range.csv", "busiest_time.csv", "cards.csv", "customers.csv", "daily.csv", "tags.csv", "top_users.csv"]);
    let conn = duckdb::Connection::open_in_memory().unwrap();
    let count = |file: &str| -> i64 { conn.query_row(&format!("SELECT count(*) FROM read_csv('{}')", dir.join(file).display()), [], |r| r.get(0)).unwrap() };
    assert_eq!((count("cards.csv"), count("daily.csv"), count("busiest_time.csv"), count("tags.csv")), (30, 31, 7, 2));
    let err = failure(&db, &[&company[1..], &["--out-dir", "x", "--format", "html"]].concat());
    assert!(err.contains("--out-dir applies to --format csv"), "{err}");
}

#[test]
fn output_s_extension_picks_the_format() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let company = [&["report", "company", "--account", "1"], &OCTOBER[..]].concat();
    for (name, starts) in [("r.html", "<!DOCTYPE html>"), ("r.json", "{"), ("r.md", "# Company report"), ("r.csv", "section,metric"), ("r.txt", "Company report")] {
        let file = tmp.path().join(name);
        deskql(&db).args(&company).arg("-o").arg(&file).assert().success().stdout("");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with(starts), "{name}: {}", &text[..text.len().min(80)]);
    }
    // an explicit --format wins
    let file = tmp.path().join("explicit.html");
    deskql(&db).args(&company).args(["--format", "markdown", "-o"]).arg(&file).assert().success();
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("# Company report"));
}

#[test]
fn the_terminal_draws_a_heat_grid_and_sparklines_that_agree_with_the_cards() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let text = stdout(&db, &[&["report", "company", "--account", "1"], &OCTOBER[..]].concat());
    for heading in ["Busiest time (new conversations)", "Busiest two hours (new conversations)", "Top users", "Most active tags (top 10)", "Most active customers (top 10)"] {
        assert!(text.contains(&format!("\n{heading}\n")), "{heading} in:\n{text}");
    }
    assert!(text.contains("10:00–12:00: 2 new conversations in the period, 0.06 a day"), "{text}");
    let sunday = text.lines().find(|l| l.starts_with("Sun   ")).unwrap();
    assert!(sunday.contains("· · ██· ") && sunday.ends_with("  2"), "the busiest cell is the darkest: {sunday}");
    assert!(!text.contains('\u{1b}'), "no colour: shades only");
    // the sparklines give the card's figure for the period, never a sum of days
    let helped = text.lines().find(|l| l.trim_start().starts_with("Customers helped ") && l.contains("period:")).unwrap();
    assert!(helped.contains("period: 3") && !helped.contains("total"), "{helped}");
    let response = text.lines().find(|l| l.trim_start().starts_with("Response time ") && l.contains("period:")).unwrap();
    assert!(response.contains("period: 46m 10s"), "{response}");
    // tables in words
    assert!(text.contains("Replies sent") && text.contains("Share of conversations") && text.contains("25.0 %"), "{text}");
    let happiness = stdout(&db, &[&["report", "happiness", "--account", "1"], &OCTOBER[..]].concat());
    assert!(happiness.contains("Not good") && !happiness.contains("not_good"), "{happiness}");
}

#[test]
fn markdown_shows_the_grid_and_the_tables_in_words() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let markdown = stdout(&db, &[&["report", "team", "--account", "1", "--team", "1", "--format", "markdown"], &OCTOBER[..]].concat());
    assert!(markdown.contains("## Busiest time (replies sent)\n\n| Day | 00 | 01 |"), "{markdown}");
    assert!(markdown.contains("\n| Mon |"), "{markdown}");
    assert!(markdown.contains("## Top users\n\n| User | Replies sent | Customers helped |"), "{markdown}");
    assert!(markdown.contains("| Conversation | Subject | Customer | Channel | Status | Replies by users |"), "{markdown}");
    assert!(markdown.contains("| Not good |"), "{markdown}");
}
