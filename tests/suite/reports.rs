//! Reports end to end: every output format, the demo, the README's metric
//! catalogue, and invariants that must hold on any data (checked on the
//! generated sample): series add up to cards, users add up to the company,
//! a viewer's report equals the report filtered to the inboxes they see.



use std::path::{Path, PathBuf};

use crate::fixture::{deskql, golden, query, stdout};
use serde_json::Value;
use tempfile::TempDir;

fn golden_db(tmp: &TempDir) -> PathBuf {
    let db = tmp.path().join("golden.duckdb");
    let dir = golden::snapshot().write(&tmp.path().join("s"));
    deskql(&db).args(["ingest", "--snapshot", "s", "--as-of", "2025-11-15"]).arg(&dir).assert().success();
    db
}

fn sample_db(tmp: &TempDir) -> PathBuf {
    let db = tmp.path().join("sample.duckdb");
    deskql(&db).args(["demo"]).assert().success();
    db
}


const GOLDEN_COMPANY: [&str; 8] = ["report", "company", "--account", "1", "--from", "2025-10-01", "--to", "2025-11-01"];

#[test]
fn the_table_format_reads_like_a_report() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let text = stdout(&db, &GOLDEN_COMPANY);
    assert!(text.starts_with("Company report: Acme (account 1, pro plan)\n"), "{text}");
    assert!(text.contains("Period: 2025-10-01 to 2025-11-01 (31 days, Europe/Paris; the end day excluded)"));
    let version = query(&db, "SELECT version FROM deskql_meta.library WHERE schema_name = 'metrics'").remove(0);
    assert!(text.contains(&format!("Snapshot: s (seq 1, as of 2025-11-15T00:00:00Z); library {version}\n")), "{text}");
    for section in ["All channels", "Email", "Chat", "Phone", "Per day"] {
        assert!(text.contains(&format!("\n{section}\n")), "section {section}");
    }
    // 2770 s, Monday, local hour 2, 7 / 31
    for shown in ["46m 10s", "Monday", "02:00–03:00", "0.23", "25.0 %"] {
        assert!(text.contains(shown), "{shown} in:\n{text}");
    }
}

#[test]
fn markdown_csv_and_json_carry_the_same_figures() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let markdown = stdout(&db, &[&GOLDEN_COMPANY[..], &["--format", "markdown", "--compare"]].concat());
    assert!(markdown.starts_with("# Company report: Acme"));
    assert!(markdown.contains("## All channels\n\n| metric | value | previous | change |\n| --- | ---: | ---: | ---: |\n"));
    assert!(markdown.contains("| Replies sent | 7 | 1 | +600.0 % |"), "{markdown}");
    // CSV: one table, the cards unless --table names another
    let cards = stdout(&db, &[&GOLDEN_COMPANY[..], &["--format", "csv"]].concat());
    assert!(cards.starts_with("section,metric,label,unit,value,previous,change,change_unit\n"));
    assert!(cards.contains("\nall,replies_sent,Replies sent,count,7,,,\n"), "{cards}");
    assert!(cards.contains("\nall,response_time,Response time,seconds,2770,,,\n"));
    assert!(!cards.contains("\n\n"), "one table: {cards}");
    let daily = stdout(&db, &[&GOLDEN_COMPANY[..], &["--format", "csv", "--table", "daily"]].concat());
    assert!(
        daily.starts_with("day,new_conversations,replies_sent,customers_helped,closed,resolved,first_response_time,response_time\n2025-10-01,1,1,1,1,1,1800.0,1800.0\n"),
        "{daily}"
    );
    let json: Value = serde_json::from_str(&stdout(&db, &[&GOLDEN_COMPANY[..], &["--format", "json"]].concat())).unwrap();
    assert_eq!(json["format"], "deskql.report/1");
    let replies = json["cards"].as_array().unwrap().iter().find(|c| c["section"] == "all" && c["metric"] == "replies_sent").unwrap();
    assert_eq!(replies["value"], 7.0);
}

#[test]
fn html_is_one_self_contained_page() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let file = tmp.path().join("report.html");
    deskql(&db).args(GOLDEN_COMPANY).args(["--format", "html", "--output"]).arg(&file).assert().success().stdout("");
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    for forbidden in ["<script", "<link", " src=", "url(", "@import", "http://", "https://"] {
        let allowed_svg_namespace = forbidden == "http://" && html.matches("http://").count() == html.matches("http://www.w3.org/2000/svg").count();
        assert!(!html.contains(forbidden) || allowed_svg_namespace, "{forbidden} in the HTML");
    }
    assert!(html.contains("Customers helped") && html.contains("data-section=\"chat\""));
}

#[test]
fn the_repl_runs_reports_with_the_cli_arguments() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let out = deskql(&db)
        .arg("repl")
        .write_stdin(".report company --account 1 --from 2025-10-01 --to 2025-11-01 --format csv\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("all,replies_sent,Replies sent,count,7,,,"), "{stdout}");
}

#[test]
fn the_demo_prints_a_company_report() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("demo.duckdb");
    let out = stdout(&db, &["demo"]);
    assert!(out.contains("$ deskql report company --account 1 --month 2026-10 --compare"));
    assert!(out.contains("Company report: Acme Outdoor (account 1, pro plan)") && out.contains("Customers helped"), "{out}");
}

#[test]
fn the_readme_catalogue_is_the_library_s() {
    let tmp = TempDir::new().unwrap();
    let generated = stdout(&tmp.path().join("none.duckdb"), &["metrics", "--markdown"]);
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- metrics:start -->\n").expect("README has the catalogue markers") + "<!-- metrics:start -->\n".len();
    let end = readme.find("<!-- metrics:end -->").unwrap();
    assert_eq!(&readme[start..end], generated, "README's catalogue is stale: paste `deskql metrics --markdown` between the markers");
}

fn card(doc: &Value, section: &str, metric: &str) -> f64 {
    doc["cards"].as_array().unwrap().iter().find(|c| c["section"] == section && c["metric"] == metric).unwrap()["value"].as_f64().unwrap_or(f64::NAN)
}

fn json_report(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&stdout(db, &[&["report"], args, &["--format", "json"]].concat())).unwrap()
}

#[test]
fn on_the_sample_series_add_up_and_users_add_up_to_the_company() {
    let tmp = TempDir::new().unwrap();
    let db = sample_db(&tmp);
    for account in ["1", "2", "3", "4"] {
        let company = json_report(&db, &["company", "--account", account, "--month", "2026-10"]);
        let daily = &company["tables"][0]["rows"];
        let sum = |column: &str| daily.as_array().unwrap().iter().map(|r| r[column].as_f64().unwrap()).sum::<f64>();
        assert_eq!(sum("new_conversations"), card(&company, "all", "new_conversations"), "account {account}");
        assert_eq!(sum("replies_sent"), card(&company, "all", "replies_sent"), "account {account}");
        assert!(card(&company, "all", "replies_sent") > 0.0, "the sample has activity in October (account {account})");
        let users = query(&db, &format!("SELECT user_id FROM users WHERE account_id = {account} ORDER BY user_id"));
        let mut replies = 0.0;
        let mut resolved = 0.0;
        for user in &users {
            let report = json_report(&db, &["user", "--account", account, "--user", user, "--month", "2026-10"]);
            replies += card(&report, "all", "replies_sent");
            resolved += card(&report, "all", "resolved");
        }
        assert_eq!(replies, card(&company, "all", "replies_sent"), "every reply has one user (account {account})");
        assert_eq!(resolved, card(&company, "all", "resolved"), "every resolution has one resolver (account {account})");
    }
}

#[test]
fn on_the_sample_every_viewer_sees_exactly_their_inboxes() {
    let tmp = TempDir::new().unwrap();
    let db = sample_db(&tmp);
    let viewers = query(&db, "SELECT account_id, user_id, role FROM users WHERE can_view_reports AND deleted_at IS NULL ORDER BY 1, 2");
    assert!(viewers.iter().any(|v| v.ends_with("|user")), "the sample has restricted viewers");
    for viewer in viewers {
        let [account, user, role]: [&str; 3] = viewer.split('|').collect::<Vec<_>>().try_into().unwrap();
        let inboxes = if role == "user" {
            query(&db, &format!("SELECT inbox_id FROM user_inboxes WHERE account_id = {account} AND user_id = {user} ORDER BY 1"))
        } else {
            query(&db, &format!("SELECT inbox_id FROM inboxes WHERE account_id = {account} ORDER BY 1"))
        };
        let as_viewer = json_report(&db, &["company", "--account", account, "--month", "2026-10", "--as-user", user]);
        let filtered = if inboxes.is_empty() {
            None
        } else {
            let mut args = vec!["company", "--account", account, "--month", "2026-10"];
            for inbox in &inboxes {
                args.extend(["--inbox", inbox.as_str()]);
            }
            Some(json_report(&db, &args))
        };
        match filtered {
            Some(f) => assert_eq!(as_viewer["cards"], f["cards"], "account {account}, viewer {user} ({role}) sees inboxes {inboxes:?}"),
            None => assert_eq!(card(&as_viewer, "all", "new_conversations"), 0.0, "viewer {user} sees no inbox"),
        }
    }
}
