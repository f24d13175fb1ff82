//! Every report kind in one place: its queries, tables, which options it
//! takes and how it is rendered. Adding a report is one `ReportSpec` here,
//! its SQL (`sql/reports/` and the library) and its tests.

use super::ReportKind;

/// How a report's period is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodRule {
    /// `--from/--to` or `--month`.
    Dates,
    /// One calendar month (`--month`, with a default).
    Month,
}

/// Whose activity the report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectRule {
    /// The whole account (`--user`/`--team` refused).
    Account,
    /// `--user` required.
    User,
    /// `--team` required.
    Team,
    /// `--user` or `--team` optional.
    Either,
}

/// A table shown after the cards: its query in the report's file and its title.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub name: &'static str,
    pub title: &'static str,
}

#[derive(Debug)]
pub struct ReportSpec {
    pub kind: ReportKind,
    /// The catalogue report whose metrics the cards show (`team` shows `user`'s).
    pub catalogue: &'static str,
    /// Its report queries in the library version read
    /// (`Library::report_queries`). Audits record their SHA-256 and follow
    /// their references into the library.
    pub queries: &'static str,
    /// The tables it may show, in order; a table shows when the library
    /// version's queries have a query of its name (newer versions add tables).
    pub tables: &'static [TableSpec],
    pub period: PeriodRule,
    pub subject: SubjectRule,
    /// Inbox, channel and tag filters, `--as-user`, `--compare`, `--clamp` apply.
    pub scoped: bool,
    /// Figures set against every account of the snapshot: audits fingerprint
    /// every account's rows, and `benchmark_section`'s cards always show the
    /// benchmark columns.
    pub benchmarked: bool,
    pub benchmark_section: Option<&'static str>,
    /// `--deflection-window` applies.
    pub deflection_window: bool,
    /// `--office-hours` applies: the report has durations with office-time
    /// twins (library 1.3.0 and later).
    pub office_hours: bool,
}

const COMPANY: ReportSpec = ReportSpec {
    kind: ReportKind::Company,
    catalogue: "company",
    queries: "company",
    tables: &[TableSpec { name: "daily", title: "Per day" }],
    period: PeriodRule::Dates,
    subject: SubjectRule::Account,
    scoped: true,
    benchmarked: false,
    benchmark_section: None,
    deflection_window: false,
    office_hours: true,
};

const USER_TABLES: &[TableSpec] = &[TableSpec { name: "daily", title: "Per day" }, TableSpec { name: "conversations", title: "Conversation history" }];

const USER: ReportSpec = ReportSpec {
    kind: ReportKind::User,
    catalogue: "user",
    queries: "user",
    tables: USER_TABLES,
    period: PeriodRule::Dates,
    subject: SubjectRule::User,
    scoped: true,
    benchmarked: false,
    benchmark_section: None,
    deflection_window: false,
    office_hours: true,
};

const TEAM: ReportSpec = ReportSpec { kind: ReportKind::Team, subject: SubjectRule::Team, ..USER };

const HAPPINESS: ReportSpec = ReportSpec {
    kind: ReportKind::Happiness,
    catalogue: "happiness",
    queries: "happiness",
    tables: &[TableSpec { name: "ratings", title: "Ratings" }],
    period: PeriodRule::Dates,
    subject: SubjectRule::Either,
    scoped: true,
    benchmarked: false,
    benchmark_section: None,
    deflection_window: false,
    // ratings only: no durations
    office_hours: false,
};

const USAGE: ReportSpec = ReportSpec {
    kind: ReportKind::Usage,
    catalogue: "usage",
    queries: "usage",
    tables: &[TableSpec { name: "features", title: "Adoption of features" }],
    period: PeriodRule::Month,
    subject: SubjectRule::Account,
    scoped: false,
    benchmarked: true,
    benchmark_section: Some("performance"),
    deflection_window: true,
    office_hours: true,
};

/// Every report kind, in the order `--help` lists them.
pub static SPECS: [&ReportSpec; 5] = [&COMPANY, &USER, &TEAM, &HAPPINESS, &USAGE];

pub fn spec(kind: ReportKind) -> &'static ReportSpec {
    SPECS.iter().copied().find(|s| s.kind == kind).expect("every report kind has a spec")
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;

    #[test]
    fn every_kind_has_one_spec_whose_queries_exist_in_every_version() {
        for kind in ReportKind::value_variants() {
            let spec = spec(*kind);
            assert_eq!(spec.kind, *kind);
            for library in crate::library::all() {
                let file = library.report_queries(spec.queries).unwrap();
                let cards: &[&str] = if spec.scoped { &["cards", "cards_compare"] } else { &["cards"] };
                for name in cards {
                    assert!(crate::sqltext::named(file.text, name).is_ok(), "{} has no query {name}", file.path);
                }
                assert!(spec.tables.iter().any(|t| crate::sqltext::named(file.text, t.name).is_ok()), "{} has none of the tables", file.path);
            }
        }
        assert_eq!(SPECS.len(), ReportKind::value_variants().len());
    }
}
