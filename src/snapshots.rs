//! `deskql snapshots`: list, drop and prune snapshots; `deskql contract`;
//! `deskql demo`.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use duckdb::{Connection, params};
use serde::Serialize;

use crate::cli::{WaitArgs, exit};
use crate::contract::{Contract, quote_ident};
use crate::storage::{self, Access};

#[derive(Args, Debug)]
pub struct SnapshotsArgs {
    #[command(subcommand)]
    pub action: Option<SnapshotsAction>,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum SnapshotsAction {
    /// List snapshots, oldest first (the default action).
    List,
    /// Drop one snapshot; every other snapshot's state stays as it was.
    Drop {
        id: String,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Drop the oldest snapshots, keeping the newest N.
    Prune {
        #[arg(long)]
        keep: usize,
        #[command(flatten)]
        wait: WaitArgs,
    },
}

#[derive(Debug, Serialize)]
pub struct SnapshotRow {
    pub seq: i32,
    pub id: String,
    pub taken_at: String,
    pub ingested_at: String,
    pub mode: String,
    pub input_rows: i64,
    pub content_hash: String,
    pub source: String,
    pub tool_version: String,
}

pub fn run(db: &Path, args: &SnapshotsArgs) -> Result<u8> {
    match &args.action {
        None | Some(SnapshotsAction::List) => {
            let conn = storage::open(db, Access::ReadOnly)?;
            print_list(&list(&conn)?, args.json)?;
        }
        Some(SnapshotsAction::Drop { id, wait }) => {
            let conn = storage::open(db, wait.access())?;
            let seq = seq_of(&conn, id)?;
            storage::in_transaction(&conn, "the drop", || drop_seq(&conn, seq))?;
            report(args.json, &format!("dropped snapshot {id}"), &[id.clone()])?;
        }
        Some(SnapshotsAction::Prune { keep, wait }) => {
            let conn = storage::open(db, wait.access())?;
            let all = list(&conn)?;
            let doomed: Vec<&SnapshotRow> = all.iter().take(all.len().saturating_sub(*keep)).collect();
            storage::in_transaction(&conn, "the prune", || doomed.iter().try_for_each(|s| drop_seq(&conn, s.seq)))?;
            let ids: Vec<String> = doomed.iter().map(|s| s.id.clone()).collect();
            report(args.json, &format!("pruned {} snapshot(s), kept {}", ids.len(), all.len() - ids.len()), &ids)?;
        }
    }
    Ok(exit::OK)
}

fn report(json: bool, message: &str, ids: &[String]) -> Result<()> {
    if json {
        println!("{}", serde_json::json!({ "message": message, "dropped": ids }));
    } else {
        println!("{message}");
    }
    Ok(())
}

pub fn list(conn: &Connection) -> Result<Vec<SnapshotRow>> {
    let mut stmt = conn.prepare(
        "SELECT seq, id, strftime(taken_at, '%Y-%m-%dT%H:%M:%SZ'), strftime(ingested_at, '%Y-%m-%dT%H:%M:%SZ'), mode, input_rows, content_hash, source, tool_version \
         FROM deskql_meta.snapshots ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(SnapshotRow {
            seq: r.get(0)?,
            id: r.get(1)?,
            taken_at: r.get(2)?,
            ingested_at: r.get(3)?,
            mode: r.get(4)?,
            input_rows: r.get(5)?,
            content_hash: r.get(6)?,
            source: r.get(7)?,
            tool_version: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn print_list(rows: &[SnapshotRow], json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(rows)?);
        return Ok(());
    }
    if rows.is_empty() {
        println!("no snapshots yet: run `deskql ingest DIR`");
        return Ok(());
    }
    let mut table = crate::format::text_table(["seq", "id", "taken_at", "ingested_at", "mode", "input rows", "content hash"]);
    for r in rows {
        table.add_row(vec![
            r.seq.to_string(),
            r.id.clone(),
            r.taken_at.clone(),
            r.ingested_at.clone(),
            r.mode.clone(),
            r.input_rows.to_string(),
            r.content_hash.get(..16).unwrap_or(&r.content_hash).to_string(),
        ]);
    }
    println!("{table}");
    Ok(())
}

pub fn seq_of(conn: &Connection, id: &str) -> Result<i32> {
    match conn.query_row("SELECT seq FROM deskql_meta.snapshots WHERE id = ?", [id], |r| r.get(0)) {
        Ok(seq) => Ok(seq),
        Err(duckdb::Error::QueryReturnedNoRows) => {
            let known: Vec<String> = list(conn)?.into_iter().map(|s| s.id).collect();
            bail!("no snapshot with id {id:?}; known snapshots: {}", if known.is_empty() { "none".into() } else { known.join(", ") })
        }
        Err(err) => Err(err.into()),
    }
}

const DROP_SNAPSHOT_SQL: &str = include_str!("../sql/schema/drop_snapshot.sql");

/// Remove one snapshot from every history table and from the catalog. The
/// caller holds the transaction.
pub fn drop_seq(conn: &Connection, seq: i32) -> Result<()> {
    let next: Option<i32> = conn.query_row("SELECT min(seq) FROM deskql_meta.snapshots WHERE seq > ?", [seq], |r| r.get(0))?;
    for table in &Contract::get().tables {
        let sql = DROP_SNAPSHOT_SQL.replace("{{table}}", &quote_ident(&table.name));
        for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty() && !s.lines().all(|l| l.trim_start().starts_with("--"))) {
            conn.execute(statement, params![seq, next])?;
        }
    }
    conn.execute("DELETE FROM deskql_meta.snapshot_tables WHERE seq = ?", [seq])?;
    conn.execute("DELETE FROM deskql_meta.snapshots WHERE seq = ?", [seq])?;
    Ok(())
}

/// `deskql contract`: the contract as a person reads it.
pub fn print_contract() -> Result<u8> {
    for table in &Contract::get().tables {
        let need = if table.mandatory { "mandatory" } else { "optional" };
        println!("{} ({need}; key: {})", table.name, table.key.join(", "));
        if !table.doc.is_empty() {
            println!("  {}", table.doc);
        }
        for c in &table.columns {
            let mut notes = Vec::new();
            if table.is_key(&c.name) || c.not_null {
                notes.push("not null".to_string());
            }
            if !c.required {
                notes.push("may be absent".to_string());
            }
            if !c.values.is_empty() {
                notes.push(format!("one of {}", c.values_display()));
            }
            if let Some(format) = &c.format {
                notes.push(format.clone());
            }
            if !c.doc.is_empty() {
                notes.push(c.doc.clone());
            }
            println!("  {:<18} {:<10} {}", c.name, c.sql_type, notes.join("; "));
        }
        for r in &table.references {
            println!("  -> ({}) references {}", r.columns.join(", "), r.table);
        }
        println!();
    }
    Ok(exit::OK)
}

/// `deskql demo`: ingest the two sample snapshots and summarise the database.
pub fn demo(db: &Path, data: &Path) -> Result<u8> {
    for (n, label) in [(1, "2026-11-01"), (2, "2026-11-08")] {
        let dir = data.join(format!("snapshot-{n}"));
        let args = crate::ingest::IngestArgs {
            dir: dir.clone(),
            snapshot: Some(format!("sample-{n}")),
            as_of: Some(label.to_string()),
            mode: crate::ingest::Mode::Full,
            replace: false,
            wait: WaitArgs { wait: 30 },
            json: false,
            quiet: true,
        };
        let summary = crate::ingest::ingest(db, &args)?;
        println!("{}", summary.message);
    }
    let conn = storage::open(db, Access::ReadOnly)?;
    println!();
    print_list(&list(&conn)?, false)?;
    print_demo_summary(&conn)?;
    print_demo_report(&conn)?;
    if std::io::stdout().is_terminal() {
        println!(
            "\nNext: `deskql --db {0} repl` to explore, `deskql --db {0} report user --account 1 --user 100002 --month 2026-10`, `deskql metrics`.",
            db.display()
        );
    }
    Ok(exit::OK)
}

/// The Company report of the first sample account for the last full month
/// before the sample's as-of, as `deskql report` prints it.
fn print_demo_report(conn: &Connection) -> Result<()> {
    let words = ["company", "--account", "1", "--month", "2026-10", "--compare"];
    println!("\n$ deskql report {}\n", words.join(" "));
    let parsed = <crate::report::ReplReport as clap::Parser>::try_parse_from(words)?;
    crate::report::run_with_connection(conn, &parsed.args, &mut std::io::stdout().lock())
}

const DEMO_SUMMARY_SQL: &str = include_str!("../sql/schema/demo_summary.sql");

fn print_demo_summary(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare(DEMO_SUMMARY_SQL)?;
    let mut rows = stmt.query([])?;
    let columns = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
    let mut table = crate::format::text_table(columns.clone());
    while let Some(row) = rows.next()? {
        let cells: Vec<String> = (0..columns.len())
            .map(|i| row.get::<_, duckdb::types::Value>(i).map(|v| display_value(&v)).unwrap_or_default())
            .collect();
        table.add_row(cells);
    }
    println!("\nChanges per table between the two snapshots (row versions):\n{table}");
    Ok(())
}

fn display_value(value: &duckdb::types::Value) -> String {
    use duckdb::types::Value::*;
    match value {
        Null => "NULL".into(),
        Text(s) => s.clone(),
        BigInt(i) => i.to_string(),
        Int(i) => i.to_string(),
        HugeInt(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}
