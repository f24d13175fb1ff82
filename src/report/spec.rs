//! Every report kind in one place: its queries, tables, which options it
//! takes and how it is rendered. Adding a report is one `ReportSpec` here,
//! its SQL (`sql/reports/` and the library) and its tests; adding a table is
//! its query in the library version's report queries, a `TableSpec` here and,
//! unless it is a plain table of rows, a renderer for its `TableShape`.

use super::{ReportArgs, ReportKind, SeriesBy};

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

/// How a table is drawn (the renderers' hook): every format but JSON and
/// CSV draws each shape its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableShape {
    /// Rows under a heading, values in words.
    Rows,
    /// A series over time (one row per day, week or month): sparklines in a
    /// terminal, charts in HTML.
    Series,
    /// A weekday x hour grid of counts (`weekday`, `day`, `h00`..`h23`,
    /// `total`): a heat grid.
    HourGrid,
    /// One row `from_hour`, `to_hour`, `events`, `per_day`: a sentence.
    HourRange,
}

/// A report option that shapes a table (it is bound as the query parameter
/// of the same name, and refused where no shown table takes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableOption {
    /// `--by day|week|month`: `$by`.
    By,
    /// `--top N`: `$top`.
    Top,
    /// `--rating great|okay|not_good`: `$rating`.
    Rating,
}

impl TableOption {
    pub fn flag(self) -> &'static str {
        match self {
            TableOption::By => "--by",
            TableOption::Top => "--top",
            TableOption::Rating => "--rating",
        }
    }

    /// The query parameter it is bound as.
    pub fn parameter(self) -> &'static str {
        match self {
            TableOption::By => "by",
            TableOption::Top => "top",
            TableOption::Rating => "rating",
        }
    }
}

/// A table shown after the cards: its query in the report's file, its title,
/// how it is drawn and the options it takes.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub shape: TableShape,
    pub options: &'static [TableOption],
}

impl TableSpec {
    const fn rows(name: &'static str, title: &'static str) -> TableSpec {
        TableSpec { name, title, shape: TableShape::Rows, options: &[] }
    }

    /// The title in `report`, saying what counts and what the options made
    /// of the table.
    pub fn title_for(&self, report: &ReportSpec, args: &ReportArgs) -> String {
        let title = self.title;
        match self.shape {
            TableShape::Series => match args.by {
                SeriesBy::Day => title.to_string(),
                SeriesBy::Week => "Per week (weeks start on Monday)".to_string(),
                SeriesBy::Month => "Per month".to_string(),
            },
            TableShape::HourGrid | TableShape::HourRange => format!("{title} ({})", report.busy_events()),
            TableShape::Rows if self.options.contains(&TableOption::Top) => format!("{title} (top {})", args.top),
            TableShape::Rows => match args.rating.filter(|_| self.options.contains(&TableOption::Rating)) {
                Some(rating) => format!("{title} ({} only)", super::present::words(rating.name())),
                None => title.to_string(),
            },
        }
    }
}

const DAILY: TableSpec = TableSpec { name: "daily", title: "Per day", shape: TableShape::Series, options: &[TableOption::By] };
const BUSIEST_TIME: TableSpec = TableSpec { name: "busiest_time", title: "Busiest time", shape: TableShape::HourGrid, options: &[] };
const BUSIEST_RANGE: TableSpec = TableSpec { name: "busiest_range", title: "Busiest two hours", shape: TableShape::HourRange, options: &[] };
const TOP_USERS: TableSpec = TableSpec::rows("top_users", "Top users");
const TAGS: TableSpec = TableSpec { name: "tags", title: "Most active tags", shape: TableShape::Rows, options: &[TableOption::Top] };
const CUSTOMERS: TableSpec = TableSpec { name: "customers", title: "Most active customers", shape: TableShape::Rows, options: &[TableOption::Top] };
const CONVERSATIONS: TableSpec = TableSpec::rows("conversations", "Conversation history");
const RATINGS: TableSpec = TableSpec { name: "ratings", title: "Ratings", shape: TableShape::Rows, options: &[TableOption::Rating] };

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
    tables: &[DAILY, BUSIEST_TIME, BUSIEST_RANGE, TOP_USERS, TAGS, CUSTOMERS],
    period: PeriodRule::Dates,
    subject: SubjectRule::Account,
    scoped: true,
    benchmarked: false,
    benchmark_section: None,
    deflection_window: false,
    office_hours: true,
};

const USER_TABLES: &[TableSpec] = &[DAILY, BUSIEST_TIME, BUSIEST_RANGE, CONVERSATIONS, RATINGS, TAGS, CUSTOMERS];

/// The Team report shows its members side by side too.
const TEAM_TABLES: &[TableSpec] = &[DAILY, BUSIEST_TIME, BUSIEST_RANGE, TOP_USERS, CONVERSATIONS, RATINGS, TAGS, CUSTOMERS];

const USER: ReportSpec = ReportSpec {
    kind: ReportKind::User,
    catalogue: "user",
    queries: "user",
    tables: USER_TABLES,
    subject: SubjectRule::User,
    ..COMPANY
};

const TEAM: ReportSpec = ReportSpec { kind: ReportKind::Team, subject: SubjectRule::Team, tables: TEAM_TABLES, ..USER };

const HAPPINESS: ReportSpec = ReportSpec {
    kind: ReportKind::Happiness,
    catalogue: "happiness",
    queries: "happiness",
    tables: &[RATINGS],
    subject: SubjectRule::Either,
    // ratings only: no durations
    office_hours: false,
    ..COMPANY
};

const USAGE: ReportSpec = ReportSpec {
    kind: ReportKind::Usage,
    catalogue: "usage",
    queries: "usage",
    tables: &[TableSpec::rows("features", "Adoption of features")],
    period: PeriodRule::Month,
    subject: SubjectRule::Account,
    scoped: false,
    benchmarked: true,
    benchmark_section: Some("performance"),
    deflection_window: true,
    office_hours: true,
};

impl ReportSpec {
    /// What the busiest day, hour and time of the report count
    /// (`metrics.busy_events`).
    pub fn busy_events(&self) -> &'static str {
        match self.subject {
            SubjectRule::Account => "new conversations",
            _ => "replies sent",
        }
    }
}

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

    #[test]
    fn the_newest_library_has_every_table_and_takes_every_table_option() {
        let newest = crate::library::latest();
        for spec in SPECS {
            let file = newest.report_queries(spec.queries).unwrap();
            for table in spec.tables {
                let sql = crate::sqltext::named(file.text, table.name).unwrap_or_else(|_| panic!("{} has no query {}", file.path, table.name));
                for option in table.options {
                    assert!(super::super::query::uses_parameter(&sql, option.parameter()), "{}: {} does not use ${}", file.path, table.name, option.parameter());
                }
            }
        }
    }
}
