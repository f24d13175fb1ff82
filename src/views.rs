//! `deskql views ...` and `deskql metrics`: installing the metric library
//! and reading its catalogue (the library itself is `crate::library`).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::library::install::{self, Target};
use crate::library::{self, Library, SCHEMA, Version, installed_library};
use crate::exit::{self, WaitArgs};
use crate::storage::{self, Access};

#[derive(Args, Debug)]
pub struct ViewsArgs {
    #[command(subcommand)]
    pub action: ViewsAction,
}

#[derive(Subcommand, Debug)]
pub enum ViewsAction {
    /// Install the metric library (default: the newest version this deskql embeds).
    Install {
        /// Library version to install, e.g. 1.0.0.
        #[arg(long)]
        version: Option<String>,
        /// Replace a newer installed version with an older one.
        #[arg(long)]
        allow_downgrade: bool,
        /// Install into the version's own schema (metrics_1_0_0), next to the current one.
        #[arg(long)]
        side_by_side: bool,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// List the objects (views, macros) of the installed library with their docs.
    List {
        /// Print JSON (name, kind, doc, sha256 of each object).
        #[arg(long)]
        json: bool,
    },
    /// Print one object's documentation and SQL.
    Show {
        /// Object name, e.g. fact_conversations or company.
        name: String,
        /// Library version (default: the installed one, else the newest embedded).
        #[arg(long)]
        version: Option<String>,
    },
    /// Installed and embedded library versions.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct MetricsArgs {
    /// Only this report's metrics (the team report shows the user report's).
    #[arg(long, value_parser = catalogue_reports())]
    pub report: Option<String>,
    /// Library version (default: the newest embedded one).
    #[arg(long)]
    pub version: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Print Markdown tables (one per report), as in README.md.
    #[arg(long, conflicts_with = "json")]
    pub markdown: bool,
}

/// The catalogue's reports, from the report specs (each once).
fn catalogue_reports() -> clap::builder::PossibleValuesParser {
    let mut names: Vec<&'static str> = crate::report::spec::SPECS.iter().map(|s| s.catalogue).collect();
    names.dedup();
    clap::builder::PossibleValuesParser::new(names)
}

pub fn run_views(db: &Path, args: &ViewsArgs) -> Result<u8> {
    let out = &mut std::io::stdout().lock();
    match &args.action {
        ViewsAction::Install { version, allow_downgrade, side_by_side, wait } => {
            let library = chosen(version.as_deref())?;
            let conn = storage::open(db, Access::read_write(wait))?;
            let target = if *side_by_side { Target::SideBySide } else { Target::Current { allow_downgrade: *allow_downgrade } };
            writeln!(out, "{}", install::install(&conn, library, target)?.message())?;
        }
        ViewsAction::List { json } => {
            let conn = storage::open(db, Access::ReadOnly)?;
            let library = installed_library(&conn)?;
            print_objects(out, library, *json)?;
        }
        ViewsAction::Show { name, version } => {
            let library = match version {
                Some(v) => library::find(Version::parse(v)?)?,
                None if db.exists() => installed_library(&storage::open(db, Access::ReadOnly)?)?,
                None => library::latest(),
            };
            let object = library.docs.object(name).with_context(|| format!("library {} has no object named {name:?}; see `deskql views list`", library.version))?;
            writeln!(out, "-- {SCHEMA}.{} ({}, library {}, {}:{})\n-- sha256 {}\n", object.name, object.kind, library.version, object.file, object.line, object.sha256)?;
            writeln!(out, "{}\n\n{};", object.doc, object.sql)?;
        }
        ViewsAction::Status { json } => print_status(out, db, *json)?,
    }
    Ok(exit::OK)
}

fn chosen(version: Option<&str>) -> Result<&'static Library> {
    match version {
        Some(v) => library::find(Version::parse(v)?),
        None => Ok(library::latest()),
    }
}

fn print_objects(out: &mut dyn Write, library: &Library, json: bool) -> Result<()> {
    if json {
        #[derive(Serialize)]
        struct Row<'a> {
            name: String,
            kind: &'a str,
            doc: &'a str,
            sha256: &'a str,
        }
        let rows: Vec<Row> = library
            .docs
            .objects
            .iter()
            .map(|o| Row { name: format!("{SCHEMA}.{}", o.name), kind: &o.kind, doc: &o.doc, sha256: &o.sha256 })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&serde_json::json!({ "version": library.version.to_string(), "objects": rows }))?)?;
        return Ok(());
    }
    writeln!(out, "metric library {} ({} objects)\n", library.version, library.docs.objects.len())?;
    let mut table = text_table(&["object", "kind", "what it is"]);
    for o in &library.docs.objects {
        table.add_row(vec![format!("{SCHEMA}.{}", o.name), o.kind.clone(), o.doc.clone()]);
    }
    writeln!(out, "{table}")?;
    Ok(())
}

fn print_status(out: &mut dyn Write, db: &Path, json: bool) -> Result<()> {
    let installed = if db.exists() { install::installed(&storage::open(db, Access::ReadOnly)?)? } else { Vec::new() };
    let released: Vec<Version> = library::released()?.into_iter().map(|(v, _)| v).collect();
    let embedded: Vec<serde_json::Value> = library::all()
        .iter()
        .map(|l| serde_json::json!({ "version": l.version.to_string(), "sql_sha256": l.sha256, "released": released.contains(&l.version) }))
        .collect();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&serde_json::json!({ "installed": installed, "embedded": embedded }))?)?;
        return Ok(());
    }
    let mut table = text_table(&["schema", "version", "sql sha256", "installed at"]);
    for i in &installed {
        table.add_row(vec![i.schema.clone(), i.version.clone(), i.sql_sha256.get(..16).unwrap_or(&i.sql_sha256).to_string(), i.installed_at.clone()]);
    }
    if installed.is_empty() {
        writeln!(out, "no library installed in {}", db.display())?;
    } else {
        writeln!(out, "{table}")?;
    }
    let versions: Vec<String> = library::all()
        .iter()
        .map(|l| if released.contains(&l.version) { l.version.to_string() } else { format!("{} (unreleased)", l.version) })
        .collect();
    writeln!(out, "this deskql embeds library versions {}", versions.join(", "))?;
    Ok(())
}

/// `deskql metrics`: every metric of the library with its definition, from
/// the doc comments.
pub fn run_metrics(args: &MetricsArgs) -> Result<u8> {
    let out = &mut std::io::stdout().lock();
    let library = chosen(args.version.as_deref())?;
    let rows: Vec<&library::docs::CatalogueRow> = library
        .docs
        .catalogue
        .iter()
        .filter(|r| args.report.as_ref().is_none_or(|report| r.report == *report))
        .collect();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&serde_json::json!({ "version": library.version.to_string(), "metrics": rows }))?)?;
        return Ok(exit::OK);
    }
    if args.markdown {
        write!(out, "{}", catalogue_markdown(library, &rows))?;
        return Ok(exit::OK);
    }
    writeln!(out, "metric library {}\n", library.version)?;
    let mut table = text_table(&["report", "section", "metric", "label", "unit", "definition"]);
    for r in rows {
        table.add_row(vec![r.report.clone(), r.section.clone(), r.metric.clone(), r.label.clone(), r.unit.clone(), r.definition.clone()]);
    }
    writeln!(out, "{table}")?;
    Ok(exit::OK)
}

/// One Markdown table per report: section, metric, label, unit, definition.
pub fn catalogue_markdown(library: &Library, rows: &[&library::docs::CatalogueRow]) -> String {
    let mut out = format!("Metric library {}; `deskql metrics` prints the same.\n", library.version);
    let mut report = "";
    for r in rows {
        if r.report != report {
            report = &r.report;
            out.push_str(&format!("\n#### {} report\n\n| section | metric | label | unit | definition |\n| --- | --- | --- | --- | --- |\n", r.report));
        }
        let definition = r.definition.replace('\n', " ").replace('|', "\\|");
        out.push_str(&format!("| {} | `{}` | {} | {} | {} |\n", r.section, r.metric, r.label, r.unit, definition));
    }
    out
}

/// A listing whose long definitions wrap to the terminal's width.
fn text_table(header: &[&str]) -> comfy_table::Table {
    let mut table = crate::format::text_table(header.to_vec());
    table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    table
}
