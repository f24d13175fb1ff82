//! deskql: help-desk metrics on an embedded, temporal DuckDB.
//!
//! The modules form three layers; an import only ever runs downward (or
//! sideways without a cycle), which `tests/suite/layers.rs` checks on every
//! `cargo test`:
//!
//! | layer | modules | what they do |
//! | --- | --- | --- |
//! | cli | `cli` | parse arguments, dispatch, turn errors into exit codes |
//! | commands | `ingest`, `import`, `report`, `mail`, `audit`, `repl`, `bench`, `demo`, `generate`, `snapshots`, `views` | one user-facing command each (arguments and what it does) |
//! | services | `storage`, `contract`, `catalog`, `canonical`, `contacts`, `library`, `sqltext`, `format`, `timezones`, `trace`, `exit`, `values`, `outfile` | the database file, the snapshot contract and catalog, the metric library, SQL text, output formats |
//!
//! Among commands, `report` and `ingest` are used by others (`audit`,
//! `repl`, `demo`); the layer test also rejects any cycle.

// cli
pub mod cli;

// commands
pub mod audit;
pub mod bench;
pub mod demo;
pub mod generate;
pub mod import;
pub mod ingest;
pub mod mail;
pub mod repl;
pub mod report;
pub mod snapshots;
pub mod views;

// services
pub mod canonical;
pub mod catalog;
pub mod contacts;
pub mod contract;
pub mod exit;
pub mod format;
pub mod library;
pub mod outfile;
pub mod sqltext;
pub mod storage;
pub mod timezones;
pub mod trace;
pub mod values;
