//! The HTML reports (company, user, team, happiness) in a real headless
//! browser, Debian's chromium, at 1200 px and at 480 px (a phone's mail
//! client): they render, show every section and table, load nothing from
//! anywhere, and fit 480 px without scrolling sideways. Chromium's window is
//! at least 500 px wide, so the page is laid out at a width by a copy whose
//! root element has that width; what chromium measured comes from a copy
//! with a probe script appended (the report itself has no script).
//! `DESKQL_KEEP_SCREENSHOTS=DIR` keeps the screenshots to look at.

use std::path::{Path, PathBuf};

use crate::fixture::{assert_self_contained, deskql, golden};
use serde_json::Value;
use tempfile::TempDir;

const OCTOBER: [&str; 4] = ["--from", "2025-10-01", "--to", "2025-11-01"];

/// Appended to a copy of the page: how far right anything was laid out,
/// and what the browser loaded.
const PROBE: &str = "<script>var right = 0; document.querySelectorAll('body *').forEach(function (e) {\
    right = Math.max(right, e.getBoundingClientRect().right); });\
    document.body.setAttribute('data-probe', JSON.stringify({width: Math.ceil(right), \
    resources: performance.getEntriesByType('resource').map(function (e) { return e.name; })}));</script>";

/// The page as a mail client `width` px wide lays it out.
fn at_width(html: &str, width: u32) -> String {
    html.replacen("<html lang=\"en\">", &format!("<html lang=\"en\" style=\"width:{width}px;\">"), 1)
}

fn golden_db(tmp: &TempDir) -> PathBuf {
    let db = tmp.path().join("golden.duckdb");
    let dir = golden::snapshot().write(&tmp.path().join("s"));
    deskql(&db).args(["ingest", "--snapshot", "s", "--as-of", "2025-11-15"]).arg(&dir).assert().success();
    db
}

/// Run chromium headless on `page` at `width` px with `extra` arguments.
fn chromium_run(profile: &Path, page: &Path, width: u32, extra: &[String]) -> std::process::Output {
    let mut flags = vec!["--hide-scrollbars".to_string(), "--virtual-time-budget=2000".to_string()];
    flags.extend_from_slice(extra);
    crate::fixture::run_chromium(profile, page, (width.max(500), 3000), &flags)
}

/// The probe's measures: the page's scroll width and the resources it loaded.
fn probe(tmp: &Path, html: &str, name: &str, width: u32) -> (u64, Vec<String>) {
    let page = tmp.join(format!("{name}-{width}-probe.html"));
    std::fs::write(&page, at_width(html, width).replace("</body>", &format!("{PROBE}</body>"))).unwrap();
    let dom = String::from_utf8(chromium_run(&tmp.join(format!("profile-{name}-{width}")), &page, width, &["--dump-dom".to_string()]).stdout).unwrap();
    let start = dom.find("data-probe=\"").expect("the probe ran") + "data-probe=\"".len();
    let text = dom[start..].split('"').next().unwrap().replace("&quot;", "\"");
    let measured: Value = serde_json::from_str(&text).unwrap();
    let resources = measured["resources"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()).collect();
    (measured["width"].as_u64().unwrap(), resources)
}

#[test]
fn html_reports_render_fit_a_phone_and_load_nothing() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let reports: [(&str, Vec<&str>); 4] = [
        ("company", vec!["company", "--account", "1", "--compare"]),
        ("user", vec!["user", "--account", "1", "--user", "Bob", "--compare"]),
        ("team", vec!["team", "--account", "1", "--team", "Tier 1"]),
        ("happiness", vec!["happiness", "--account", "1"]),
    ];
    for (name, args) in reports {
        let file = tmp.path().join(format!("{name}.html"));
        deskql(&db).arg("report").args(&args).args(OCTOBER).arg("-o").arg(&file).assert().success().stdout("");
        let html = std::fs::read_to_string(&file).unwrap();
        assert_self_contained(&html);
        let json: Value = serde_json::from_str(&crate::fixture::stdout(&db, &[&["report"], &args[..], &OCTOBER[..], &["--format", "json"]].concat())).unwrap();
        for width in [1200, 480] {
            let page = tmp.path().join(format!("{name}-{width}.html"));
            std::fs::write(&page, at_width(&html, width)).unwrap();
            let shot = tmp.path().join(format!("{name}-{width}.png"));
            chromium_run(&tmp.path().join(format!("profile-{name}-shot-{width}")), &page, width, &[format!("--screenshot={}", shot.display())]);
            let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
            assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{name} at {width} px: a real screenshot ({} bytes)", png.len());
            if let Ok(keep) = std::env::var("DESKQL_KEEP_SCREENSHOTS") {
                std::fs::copy(&shot, Path::new(&keep).join(format!("{name}-{width}.png"))).unwrap();
            }
            let dom = String::from_utf8(chromium_run(&tmp.path().join(format!("profile-{name}-dom-{width}")), &page, width, &["--dump-dom".to_string()]).stdout).unwrap();
            for card in json["cards"].as_array().unwrap() {
                let section = card["section"].as_str().unwrap();
                assert!(dom.contains(&format!("data-section=\"{section}\"")), "{name} at {width}: section {section}");
            }
            for table in json["tables"].as_array().unwrap() {
                let table = table["name"].as_str().unwrap();
                assert!(dom.contains(&format!("data-table=\"{table}\"")), "{name} at {width}: table {table}");
            }
            let (scroll_width, resources) = probe(tmp.path(), &html, name, width);
            assert!(resources.is_empty(), "{name} loaded {resources:?}");
            assert!(scroll_width <= u64::from(width), "{name} at {width} px is laid out {scroll_width} px wide: it scrolls sideways");
        }
    }
}

#[test]
fn html_reads_in_words_with_definitions_coloured_changes_and_charts() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let html = |args: &[&str]| crate::fixture::stdout(&db, &[&["report"], args, &OCTOBER[..], &["--format", "html"]].concat());
    let company = html(&["company", "--account", "1", "--compare"]);
    // a metric's label carries its catalogue definition
    assert!(company.contains("title=\"Distinct customers of the conversations that received a reply"), "tooltip");
    // response time 3600 s in September, 2770 s in October: down is good; resolved 0 -> 4: new
    let tile = |metric: &str| -> String {
        let start = company.find(&format!("data-metric=\"{metric}\"")).unwrap_or_else(|| panic!("no tile {metric}"));
        let rest = &company[start..];
        let end = rest[1..].find("data-metric=").map_or(rest.len(), |e| e + 1);
        rest[..end].to_string()
    };
    assert!(tile("all/response_time").contains("data-tone=\"good\"") && tile("all/response_time").contains("▼"), "{}", tile("all/response_time"));
    assert!(tile("all/resolved").contains(">new<"), "{}", tile("all/resolved"));
    assert!(tile("all/new_conversations").contains("data-tone=\"neutral\""), "more new conversations are neither good nor bad");
    // the series as charts, not a 31-row table
    assert!(company.contains("data-series=\"replies_sent\"") && company.contains("data-series=\"response_time\""));
    assert!(!company.contains(">2025-10-15<"), "no row per day");
    assert_eq!(company.matches("<rect").count() % 31, 0, "one bar per day in each count chart");
    // the heatmap: a cell per weekday and hour, with its count as a tooltip
    assert!(company.contains("title=\"Sunday 02:00–03:00: 2 new conversations\""), "heatmap cell");
    // words, not ids
    let user = html(&["user", "--account", "1", "--user", "Bob"]);
    assert!(user.contains(">Replies by users<") && user.contains("#9 Notes only") && user.contains("Dan · Email · Active"), "{user}");
    let happiness = html(&["happiness", "--account", "1"]);
    assert!(happiness.contains(">Not good<") && !happiness.contains(">not_good<"));
}
