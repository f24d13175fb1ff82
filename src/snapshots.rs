//! `deskql snapshots`: list, drop and prune snapshots (the catalog itself is
//! `crate::catalog`).

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use clap::{Args, Subcommand};

use crate::catalog::{self, Snapshot};
use crate::exit::{self, WaitArgs};
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
        /// The snapshot's id, as `deskql snapshots` lists it.
        id: String,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Drop the oldest snapshots, keeping the newest N.
    Prune {
        /// How many of the newest snapshots to keep.
        #[arg(long, value_name = "N")]
        keep: usize,
        #[command(flatten)]
        wait: WaitArgs,
    },
}

pub fn run(db: &Path, args: &SnapshotsArgs) -> Result<u8> {
    let out = &mut std::io::stdout().lock();
    match &args.action {
        None | Some(SnapshotsAction::List) => {
            let conn = storage::open(db, Access::ReadOnly)?;
            print_list(out, &catalog::list(&conn)?, args.json)?;
        }
        Some(SnapshotsAction::Drop { id, wait }) => {
            let conn = storage::open(db, Access::read_write(wait))?;
            let seq = catalog::seq_of(&conn, id)?;
            storage::in_transaction(&conn, "the drop", || catalog::drop_seq(&conn, seq))?;
            report(out, args.json, &format!("dropped snapshot {id}"), &[id.clone()])?;
        }
        Some(SnapshotsAction::Prune { keep, wait }) => {
            let conn = storage::open(db, Access::read_write(wait))?;
            let all = catalog::list(&conn)?;
            let doomed: Vec<&Snapshot> = all.iter().take(all.len().saturating_sub(*keep)).collect();
            storage::in_transaction(&conn, "the prune", || doomed.iter().try_for_each(|s| catalog::drop_seq(&conn, s.seq)))?;
            let ids: Vec<String> = doomed.iter().map(|s| s.id.clone()).collect();
            report(out, args.json, &format!("pruned {} snapshot(s), kept {}", ids.len(), all.len() - ids.len()), &ids)?;
        }
    }
    Ok(exit::OK)
}

fn report(out: &mut dyn Write, json: bool, message: &str, ids: &[String]) -> Result<()> {
    if json {
        writeln!(out, "{}", serde_json::json!({ "message": message, "dropped": ids }))?;
    } else {
        writeln!(out, "{message}")?;
    }
    Ok(())
}

pub fn print_list(out: &mut dyn Write, rows: &[Snapshot], json: bool) -> Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(rows)?)?;
        return Ok(());
    }
    if rows.is_empty() {
        writeln!(out, "{}", catalog::NO_SNAPSHOT_YET)?;
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
    writeln!(out, "{table}")?;
    Ok(())
}
