//! deskql's integration tests, compiled as one binary (each test binary
//! links the bundled DuckDB, so one instead of a dozen saves minutes of
//! linking). One module per area; `fixture` and `shell` hold the helpers.

mod fixture;
mod shell;

mod access;
mod audit;
mod bench;
mod generate;
mod html;
mod import_helpscout;
mod ingest;
mod layers;
mod library;
mod mail;
mod metrics;
mod office_hours;
mod repl;
mod report_facts;
mod reports;
mod robustness;
mod seed;
mod sql;
mod tables;
mod temporal;
mod trust;
mod usage;
mod usage_figures;
