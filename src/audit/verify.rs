//! `deskql audit verify`: recompute an audit with its recorded snapshot and
//! library version, and compare everything it recorded. Exit 0 only if the
//! snapshot's content hash, the definitions, the stored input rows and the
//! figures are all identical; otherwise print what differs (metric by
//! metric) and exit 1.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde_json::Value;

use super::record::{self, AuditRecord, InputProof};
use super::{VerifyArgs, canonical, open_with_library};
use crate::cli::exit;
use crate::library::{self, Version};

/// Exit code of a verification that found differences.
pub const DIFFERENT: u8 = 1;

#[derive(Debug, Serialize)]
struct Outcome {
    identical: bool,
    checks: Vec<Check>,
}

#[derive(Debug, Serialize)]
struct Check {
    what: String,
    ok: bool,
    /// What differs, one line each (empty when ok).
    differences: Vec<String>,
}

pub fn verify(db: &Path, args: &VerifyArgs) -> Result<u8> {
    let audit = read(&args.audit)?;
    let mut checks = Vec::new();
    let version = Version::parse(&audit.library.version)?;
    let library = library::find(version).context("this deskql cannot recompute the audit")?;
    checks.push(check_definitions(&audit, library));
    let (conn, schema) = open_with_library(db, library, &args.wait)?;
    let snapshot_check = check_snapshot(&conn, &audit)?;
    let snapshot_ok = snapshot_check.ok;
    checks.push(snapshot_check);
    if snapshot_ok {
        let snapshot = record::snapshot_proof(&conn, &audit.report)?;
        let (result, _, inputs) = record::compute(&conn, &audit.report, &schema, &snapshot)?;
        // Only what the audit recorded is compared: fields a newer deskql
        // added to report documents are left out.
        let result = canonical::project(&result, &audit.result);
        let digest = canonical::digest(&result);
        checks.push(check_inputs(&audit.inputs, &inputs));
        checks.push(check_result(&audit, &result, &digest));
    }
    let outcome = Outcome { identical: checks.iter().all(|c| c.ok), checks };
    print(&audit, &outcome, args.json)?;
    Ok(if outcome.identical { exit::OK } else { DIFFERENT })
}

fn read(path: &Path) -> Result<AuditRecord> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading audit {}", path.display()))?;
    let value: Value = serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let format = value.get("format").and_then(Value::as_str).unwrap_or_default();
    if format != record::FORMAT {
        bail!("{} is not a deskql audit record: its format is {format:?}, expected {:?}", path.display(), record::FORMAT);
    }
    serde_json::from_value(value).with_context(|| format!("{} is not a complete audit record", path.display()))
}

/// The library version's SQL, and each object the report used, must be
/// exactly what the audit recorded.
fn check_definitions(audit: &AuditRecord, library: &library::Library) -> Check {
    let mut differences = Vec::new();
    if library.sha256 != audit.library.sql_sha256 {
        differences.push(format!("library {} SQL: recorded {}, this deskql has {}", library.version, short(&audit.library.sql_sha256), short(&library.sha256)));
    }
    for object in &audit.library.objects {
        let name = object.name.trim_start_matches("metrics.");
        match library.docs.object(name) {
            Some(now) if now.sha256 == object.sha256 => {}
            Some(now) => differences.push(format!("{}: recorded {}, now {}", object.name, short(&object.sha256), short(&now.sha256))),
            None => differences.push(format!("{}: no longer in library {}", object.name, library.version)),
        }
    }
    match record::library_proof(library, audit.report.kind) {
        Ok((_, report_sql)) if report_sql.sha256 != audit.report_sql.sha256 => {
            differences.push(format!("{}: recorded {}, this deskql has {}", report_sql.name, short(&audit.report_sql.sha256), short(&report_sql.sha256)))
        }
        Ok(_) => {}
        Err(err) => differences.push(format!("{}: {err:#}", audit.report_sql.name)),
    }
    Check {
        what: format!("definitions: library {} ({} objects) and {}", audit.library.version, audit.library.objects.len(), audit.report_sql.name),
        ok: differences.is_empty(),
        differences,
    }
}

fn check_snapshot(conn: &duckdb::Connection, audit: &AuditRecord) -> Result<Check> {
    let found: Option<String> = conn
        .query_row("SELECT content_hash FROM deskql_meta.snapshots WHERE id = ?", [&audit.snapshot.id], |r| r.get(0))
        .map(Some)
        .or_else(|e| if matches!(e, duckdb::Error::QueryReturnedNoRows) { Ok(None) } else { Err(e) })?;
    let differences = match found {
        None => vec![format!("snapshot {} is no longer in the database (dropped or pruned?)", audit.snapshot.id)],
        Some(hash) if hash != audit.snapshot.content_hash => {
            vec![format!("content hash: recorded {}, now {} (the snapshot was replaced)", short(&audit.snapshot.content_hash), short(&hash))]
        }
        Some(_) => Vec::new(),
    };
    Ok(Check { what: format!("snapshot {} (content {})", audit.snapshot.id, short(&audit.snapshot.content_hash)), ok: differences.is_empty(), differences })
}

fn check_inputs(recorded: &[InputProof], now: &[InputProof]) -> Check {
    let mut differences = Vec::new();
    for r in recorded {
        match now.iter().find(|n| n.table == r.table) {
            Some(n) if n == r => {}
            Some(n) => differences.push(format!(
                "{}: {} rows ({}) recorded, now {} rows ({}): stored rows changed",
                r.table,
                r.rows,
                short(&r.sha256),
                n.rows,
                short(&n.sha256)
            )),
            None => differences.push(format!("{}: no longer a contract table", r.table)),
        }
    }
    let rows: i64 = recorded.iter().map(|r| r.rows).sum();
    Check { what: format!("stored inputs: {} tables, {rows} rows", recorded.len()), ok: differences.is_empty(), differences }
}

fn check_result(audit: &AuditRecord, result: &Value, digest: &str) -> Check {
    let differences = if digest == audit.result_digest {
        Vec::new()
    } else {
        let mut lines = vec![format!("digest: recorded {}, now {}", short(&audit.result_digest), short(digest))];
        lines.extend(canonical::differences(&audit.result, result).into_iter().map(|(path, before, after)| describe(&audit.result, &path, &before, &after)));
        lines
    };
    Check { what: format!("figures (digest {})", short(&audit.result_digest)), ok: differences.is_empty(), differences }
}

/// `cards[3].value` -> `all/replies_sent (Replies sent): 7 -> 8 (+1)`;
/// `tables[0].rows[5].closed` -> `daily, 2025-10-06: closed 1 -> 2`.
pub fn describe(result: &Value, path: &str, before: &Value, after: &Value) -> String {
    let change = match (before.as_f64(), after.as_f64()) {
        (Some(b), Some(a)) => format!(" ({})", signed(a - b)),
        _ => String::new(),
    };
    let values = format!("{} -> {}{change}", show(before), show(after));
    if let Some(card) = indexed(result, path, "cards[") {
        let field = path.rsplit('.').next().unwrap_or_default();
        let name = format!("{}/{}", text(&card["section"]), text(&card["metric"]));
        let field = if field == "value" { String::new() } else { format!(" {field}") };
        return format!("{name} ({}){field}: {values}", text(&card["label"]));
    }
    if let Some(table) = indexed(result, path, "tables[") {
        let rest = path.split_once("].").map(|(_, r)| r).unwrap_or_default();
        if let Some((row_part, column)) = rest.strip_prefix("rows[").and_then(|r| r.split_once("].")) {
            let row = row_part.parse::<usize>().ok().and_then(|i| table["rows"].get(i));
            let label = row.and_then(|r| r.as_object()).and_then(|r| r.values().next()).map(show).unwrap_or_else(|| format!("row {row_part}"));
            return format!("{}, {label}: {column} {values}", text(&table["name"]));
        }
        return format!("{} {rest}: {values}", text(&table["name"]));
    }
    format!("{path}: {values}")
}

/// The element `cards[i]` (or `tables[i]`) that `path` starts with.
fn indexed<'a>(result: &'a Value, path: &str, prefix: &str) -> Option<&'a Value> {
    let index: usize = path.strip_prefix(prefix)?.split(']').next()?.parse().ok()?;
    result.get(prefix.trim_end_matches('['))?.get(index)
}

fn text(value: &Value) -> String {
    value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string())
}

fn show(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Number(n) => n.as_f64().map(display_number).unwrap_or_else(|| n.to_string()),
        other => text(other),
    }
}

fn signed(x: f64) -> String {
    if x >= 0.0 { format!("+{}", display_number(x)) } else { format!("-{}", display_number(-x)) }
}

/// A number as the canonical form keeps it: integral without decimals,
/// otherwise at most 6 decimals.
fn display_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        format!("{}", x as i64)
    } else {
        let text = format!("{x:.6}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

fn print(audit: &AuditRecord, outcome: &Outcome, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(outcome)?);
        return Ok(());
    }
    let args = &audit.report;
    println!(
        "audit of the {} report of account {} ({}), snapshot {}, library {}, made {} by deskql {}",
        args.kind.name(),
        args.account,
        period_text(audit),
        audit.snapshot.id,
        audit.library.version,
        audit.created_at,
        audit.tool.deskql
    );
    for check in &outcome.checks {
        println!("{} {}", if check.ok { "ok  " } else { "DIFF" }, check.what);
        for line in &check.differences {
            println!("       {line}");
        }
    }
    println!("{}", if outcome.identical { "verified: identical" } else { "NOT identical" });
    Ok(())
}

fn period_text(audit: &AuditRecord) -> String {
    let period = &audit.result["header"]["period"];
    format!("{} to {}", text(&period["from"]), text(&period["to"]))
}
