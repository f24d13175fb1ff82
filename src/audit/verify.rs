//! `deskql audit verify`: check an audit record against itself, then
//! recompute it with its recorded snapshot and library version and compare
//! everything it recorded. Exit 0 only if the record is consistent (its
//! figures hash to its digest, its header states its proof fields, its
//! signature holds when it has one and a key is given) and the snapshot's
//! content hash, the definitions, the stored input rows and the figures are
//! all identical; otherwise print each field that differs and exit 6
//! (`exit::DIFFERS`; an error, such as an unreadable record, is 1).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde_json::Value;

use super::record::{self, AuditRecord, InputProof};
use super::{VerifyArgs, canonical, open_with_library, signature};
use crate::exit;
use crate::library::{self, Version};

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
    let (audit, raw) = read(&args.audit)?;
    let mut checks = vec![check_record(&audit, &raw)];
    checks.extend(check_signature(&raw)?);
    let version = Version::parse(&audit.library.version)?;
    let library = library::find(version).context("this deskql cannot recompute the audit")?;
    checks.push(check_definitions(&audit, library));
    let (conn, schema) = open_with_library(db, library, &args.wait)?;
    let snapshot_check = check_snapshot(&conn, &audit)?;
    let snapshot_ok = snapshot_check.ok;
    checks.push(snapshot_check);
    if snapshot_ok {
        let snapshot = record::snapshot_proof(&conn, &audit.report)?;
        let (result, digest, inputs) = record::compute(&conn, &audit.report, &schema, &snapshot)?;
        checks.push(check_inputs(&audit.inputs, &inputs));
        checks.push(check_result(&audit, &result, &digest));
    }
    let outcome = Outcome { identical: checks.iter().all(|c| c.ok), checks };
    print(&audit, &outcome, args.json)?;
    Ok(if outcome.identical { exit::OK } else { exit::DIFFERS })
}

/// The record, and its JSON as written (for the signature, which covers
/// every field, including those this deskql does not read).
fn read(path: &Path) -> Result<(AuditRecord, Value)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading audit {}", path.display()))?;
    let value: Value = serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let format = value.get("format").and_then(Value::as_str).unwrap_or_default();
    if format != record::FORMAT {
        bail!("{} is not a deskql audit record: its format is {format:?}, expected {:?}", path.display(), record::FORMAT);
    }
    let record = serde_json::from_value(value.clone()).with_context(|| format!("{} is not a complete audit record", path.display()))?;
    Ok((record, value))
}

/// The record against itself, before anything is recomputed: its figures
/// must hash to its `result_digest`, and the facts the report document
/// states (report kind, snapshot, library) must be those the record's proof
/// fields state. An edited field that the editor did not carry over
/// everywhere shows here, named.
fn check_record(audit: &AuditRecord, raw: &Value) -> Check {
    let mut differences = Vec::new();
    let digest = canonical::digest(&audit.result);
    if digest != audit.result_digest {
        differences.push(format!(
            "result_digest: the recorded result hashes to {}, the record says {} (the result or the digest was edited)",
            short(&digest),
            short(&audit.result_digest)
        ));
    }
    let header = &audit.result["header"];
    let claims = [
        ("result.report", &audit.result["report"], Value::from(audit.report.kind.name()), "report.kind"),
        ("result.header.snapshot.id", &header["snapshot"]["id"], Value::from(audit.snapshot.id.clone()), "snapshot.id"),
        ("result.header.snapshot.taken_at", &header["snapshot"]["taken_at"], Value::from(audit.snapshot.taken_at.clone()), "snapshot.taken_at"),
        ("result.header.snapshot.content_hash", &header["snapshot"]["content_hash"], Value::from(audit.snapshot.content_hash.clone()), "snapshot.content_hash"),
        ("result.header.library.version", &header["library"]["version"], Value::from(audit.library.version.clone()), "library.version"),
        ("result.header.library.sql_sha256", &header["library"]["sql_sha256"], Value::from(audit.library.sql_sha256.clone()), "library.sql_sha256"),
    ];
    for (field, stated, proof, proof_field) in claims {
        if *stated != proof {
            differences.push(format!("{field} is {} but {proof_field} is {}", show(stated), show(&proof)));
        }
    }
    if audit.report.snapshot.as_slice() != [audit.snapshot.id.clone()] {
        differences.push(format!("report.snapshot is {:?} but snapshot.id is {}", audit.report.snapshot, audit.snapshot.id));
    }
    if raw.get("signature").is_some_and(|s| !s.is_object()) {
        differences.push("signature: not an object".to_string());
    }
    Check { what: "record: figures match their digest, header matches the proof fields".to_string(), ok: differences.is_empty(), differences }
}

/// The signature, when the record has one or a key says one is expected.
fn check_signature(raw: &Value) -> Result<Option<Check>> {
    Ok(match signature::check(raw)? {
        signature::Status::Unsigned => None,
        signature::Status::NoKey { key_id } => Some(Check {
            what: format!("signature by key {key_id}: not checked ({} is not set)", signature::KEY_VARIABLE),
            ok: true,
            differences: Vec::new(),
        }),
        signature::Status::Valid { key_id } => Some(Check { what: format!("signature by key {key_id}"), ok: true, differences: Vec::new() }),
        signature::Status::Invalid(differences) => Some(Check { what: "signature".to_string(), ok: false, differences }),
    })
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
    // The recorded list itself: an object left out of (or added to) it
    // would escape the check above.
    if let Ok((proof, _)) = record::library_proof(library, audit.report.kind) {
        let recorded: std::collections::BTreeSet<&str> = audit.library.objects.iter().map(|o| o.name.as_str()).collect();
        let used: std::collections::BTreeSet<&str> = proof.objects.iter().map(|o| o.name.as_str()).collect();
        for missing in used.difference(&recorded) {
            differences.push(format!("library.objects: {missing} is used by the report but not recorded"));
        }
        for extra in recorded.difference(&used) {
            differences.push(format!("library.objects: {extra} is recorded but the report does not use it"));
        }
    }
    match record::library_proof(library, audit.report.kind) {
        Ok((_, report_sql)) if report_sql.sha256 != audit.report_sql.sha256 => {
            differences.push(format!("report_sql ({}): recorded {}, this deskql has {}", report_sql.name, short(&audit.report_sql.sha256), short(&report_sql.sha256)))
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
    let recorded = &audit.snapshot;
    let differences = match crate::catalog::by_id(conn, &recorded.id)? {
        None => vec![format!("snapshot.id: snapshot {} is no longer in the database (dropped or pruned?)", recorded.id)],
        Some(now) => {
            let mut lines = Vec::new();
            if now.content_hash != recorded.content_hash {
                lines.push(format!(
                    "snapshot.content_hash: recorded {}, the database has {} (the record was edited, or the snapshot replaced)",
                    short(&recorded.content_hash),
                    short(&now.content_hash)
                ));
            }
            if now.taken_at != recorded.taken_at {
                lines.push(format!("snapshot.taken_at: recorded {}, the database has {}", recorded.taken_at, now.taken_at));
            }
            lines
        }
    };
    Ok(Check { what: format!("snapshot {} (content {})", recorded.id, short(&recorded.content_hash)), ok: differences.is_empty(), differences })
}

fn check_inputs(recorded: &[InputProof], now: &[InputProof]) -> Check {
    let mut differences = Vec::new();
    for r in recorded {
        match now.iter().find(|n| n.table == r.table) {
            Some(n) if n == r => {}
            Some(n) => differences.push(format!(
                "inputs[{}]: {} rows ({}) recorded, now {} rows ({}): stored rows changed",
                r.table,
                r.rows,
                short(&r.sha256),
                n.rows,
                short(&n.sha256)
            )),
            None => differences.push(format!("inputs[{}]: not a contract table", r.table)),
        }
    }
    for n in now.iter().filter(|n| !recorded.iter().any(|r| r.table == n.table)) {
        differences.push(format!("inputs[{}]: the report reads it but the record has no fingerprint of it", n.table));
    }
    let rows: i64 = recorded.iter().map(|r| r.rows).sum();
    Check { what: format!("stored inputs: {} tables, {rows} rows", recorded.len()), ok: differences.is_empty(), differences }
}

/// The recomputed figures against the recorded ones, field by field, and
/// their digest against the recorded digest. A record made by another
/// deskql version is compared on the fields it has (a newer deskql may add
/// fields to report documents); one made by this version, exactly.
fn check_result(audit: &AuditRecord, result: &Value, digest: &str) -> Check {
    let same_tool = audit.tool.deskql == env!("CARGO_PKG_VERSION");
    let (now, now_digest) = if same_tool {
        (result.clone(), digest.to_string())
    } else {
        let projected = canonical::project(result, &audit.result);
        let projected_digest = canonical::digest(&projected);
        (projected, projected_digest)
    };
    let mut differences: Vec<String> =
        canonical::differences(&audit.result, &now).into_iter().map(|(path, before, after)| describe(&audit.result, &path, &before, &after)).collect();
    if now_digest != audit.result_digest {
        differences.insert(0, format!("result_digest: recorded {}, recomputed {}", short(&audit.result_digest), short(&now_digest)));
    }
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
    let out = &mut std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(outcome)?)?;
        return Ok(());
    }
    let args = &audit.report;
    writeln!(
        out,
        "audit of the {} report of account {} ({}), snapshot {}, library {}, made {} by deskql {}",
        args.kind.name(),
        args.account,
        period_text(audit),
        audit.snapshot.id,
        audit.library.version,
        audit.created_at,
        audit.tool.deskql
    )?;
    for check in &outcome.checks {
        writeln!(out, "{} {}", if check.ok { "ok  " } else { "DIFF" }, check.what)?;
        for line in &check.differences {
            writeln!(out, "       {line}")?;
        }
    }
    writeln!(out, "{}", if outcome.identical { "verified: identical" } else { "NOT identical" })?;
    Ok(())
}

fn period_text(audit: &AuditRecord) -> String {
    let period = &audit.result["header"]["period"];
    format!("{} to {}", text(&period["from"]), text(&period["to"]))
}
