//! An audit record: a report's figures together with everything that
//! produced them (arguments, snapshot and its content hash, library version
//! and the SHA-256 of every SQL object used, fingerprints of the stored input
//! rows, tool and DuckDB versions) and a canonical digest of the figures.

use anyhow::{Context, Result};
use duckdb::{Connection, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::canonical;
use crate::catalog;
use crate::contract::Contract;
use crate::sqltext::{quote_ident, render};
use crate::library::{self, Library};
use crate::report::{self, ReportArgs, ReportKind};

/// Identifies the record's JSON shape.
pub const FORMAT: &str = "deskql.audit/1";

const FINGERPRINT_SQL: &str = include_str!("../../sql/audit/fingerprint.sql");

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditRecord {
    pub format: String,
    /// When the audit was made (UTC); not part of any comparison.
    pub created_at: String,
    pub tool: Tool,
    /// The report's arguments, pinned to the snapshot below.
    pub report: ReportArgs,
    pub snapshot: SnapshotProof,
    pub library: LibraryProof,
    /// The report queries of the library version (`sql/library/...`).
    pub report_sql: ObjectProof,
    /// The stored rows the report may read, as of the snapshot.
    pub inputs: Vec<InputProof>,
    /// The report document, canonical (sorted keys, rounded numbers), without
    /// what does not depend on data and definitions (the tool version, the
    /// schema the library was installed in).
    pub result: Value,
    /// SHA-256 of the canonical text of `result`.
    pub result_digest: String,
    /// HMAC-SHA256 of the record, when it was made with `DESKQL_AUDIT_KEY` set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<super::signature::Signature>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Tool {
    pub deskql: String,
    pub duckdb: String,
    pub storage_version: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SnapshotProof {
    pub id: String,
    pub seq: i32,
    pub taken_at: String,
    pub content_hash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LibraryProof {
    pub version: String,
    pub sql_sha256: String,
    /// Every library object the report uses, directly or indirectly.
    pub objects: Vec<ObjectProof>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ObjectProof {
    pub name: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InputProof {
    pub table: String,
    pub rows: i64,
    pub sha256: String,
}

/// The snapshot a report reads: `--snapshot`, else the latest.
pub fn snapshot_proof(conn: &Connection, args: &ReportArgs) -> Result<SnapshotProof> {
    let s = catalog::chosen(conn, &args.snapshot)?;
    Ok(SnapshotProof { id: s.id, seq: s.seq, taken_at: s.taken_at, content_hash: s.content_hash })
}

/// The library objects and report queries a report kind uses.
pub fn library_proof(library: &Library, kind: ReportKind) -> Result<(LibraryProof, ObjectProof)> {
    let file = library.report_queries(kind.spec().queries)?;
    let objects = library
        .docs
        .closure(file.text)
        .into_iter()
        .map(|o| ObjectProof { name: format!("{}.{}", library::SCHEMA, o.name), sha256: o.sha256.clone() })
        .collect();
    let proof = LibraryProof { version: library.version.to_string(), sql_sha256: library.sha256.clone(), objects };
    Ok((proof, ObjectProof { name: format!("sql/library/{}", file.path), sha256: library::sha256_hex(file.text) }))
}

/// Fingerprints of every contract table the report may read, as of `seq`:
/// the account's rows, or every account's for reports that compare
/// accounts (benchmarks). The office hours tables are read with
/// `--office-hours` only.
pub fn input_proofs(conn: &Connection, seq: i32, args: &ReportArgs, account_id: i64) -> Result<Vec<InputProof>> {
    let account = if args.kind.spec().benchmarked { None } else { Some(account_id) };
    let mut proofs = Vec::new();
    let read = |table: &str| args.office_hours || !report::office::TABLES.contains(&table);
    for table in Contract::get().tables.iter().filter(|t| t.report_input && read(&t.name)) {
        let keys: Vec<String> = table.key.iter().map(|k| format!("t.{}", quote_ident(k))).collect();
        let sql = render(FINGERPRINT_SQL, &[("table_at", &quote_ident(&format!("{}_at", table.name))), ("keys", &keys.join(", "))]);
        let (rows, sha256): (i64, String) = conn
            .query_row(&sql, params![seq, account, account], |r| Ok((r.get(0)?, r.get(1)?)))
            .with_context(|| format!("fingerprinting {}", table.name))?;
        proofs.push(InputProof { table: table.name.clone(), rows, sha256 });
    }
    Ok(proofs)
}

/// The report document as audited (`ReportDoc::audited_value`): canonical,
/// without what depends on the database file or the tool.
pub fn audited_result(doc: &report::document::ReportDoc) -> Result<Value> {
    doc.audited_value()
}

pub fn tool(conn: &Connection) -> Result<Tool> {
    Ok(Tool {
        deskql: env!("CARGO_PKG_VERSION").to_string(),
        duckdb: conn.query_row("SELECT version()", [], |r| r.get(0))?,
        storage_version: crate::storage::STORAGE_VERSION,
    })
}

/// Recompute a report for `args` (pinned to its snapshot) with library
/// `library` in schema `schema`: the result, its digest and the inputs.
pub fn compute(conn: &Connection, args: &ReportArgs, schema: &str, snapshot: &SnapshotProof) -> Result<(Value, String, Vec<InputProof>)> {
    // never the stored usage figures: an audit recomputes from the base tables
    let doc = report::build_with(conn, args, schema, report::usage_figures::Figures::Recomputed)?;
    let result = audited_result(&doc)?;
    let digest = canonical::digest(&result);
    let inputs = input_proofs(conn, snapshot.seq, args, doc.header.account.id)?;
    Ok((result, digest, inputs))
}
