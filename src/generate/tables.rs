//! The generator's view of the contract tables: column names and kinds in
//! contract order, and how each table is laid out on disk. Checked against
//! `contract.toml` before anything is written (and by a unit test), so the
//! generator cannot silently drift from the contract.

use anyhow::{Result, bail};

use crate::contract::Contract;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Id,
    Int,
    Text,
    Bool,
    Time,
    Date,
    /// A time of day (contract type TIME).
    TimeOfDay,
    TextList,
}

impl Kind {
    fn sql_type(self) -> &'static str {
        match self {
            Kind::Id => "BIGINT",
            Kind::Int => "INTEGER",
            Kind::Text => "VARCHAR",
            Kind::Bool => "BOOLEAN",
            Kind::Time => "TIMESTAMP",
            Kind::Date => "DATE",
            Kind::TimeOfDay => "TIME",
            Kind::TextList => "VARCHAR[]",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `<table>.parquet`
    File,
    /// `<table>/part-NNNNN.parquet`, a new part per account (and every
    /// `MAX_PART_ROWS` rows), as large exports are usually split.
    Parts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// tz-aware Parquet timestamps (UTC), what most exports carry.
    Utc,
    /// Naive timestamps, as some survey tools export; the ingest takes them as UTC.
    Naive,
}

#[derive(Debug)]
pub struct TableSpec {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    pub layout: Layout,
    pub clock: Clock,
}

use Kind::*;

const fn spec(name: &'static str, columns: &'static [(&'static str, Kind)]) -> TableSpec {
    TableSpec { name, columns, layout: Layout::File, clock: Clock::Utc }
}

pub const ACCOUNTS: TableSpec = spec("accounts", &[("account_id", Id), ("name", Text), ("plan", Text), ("timezone", Text), ("created_at", Time)]);
pub const CONTRACTS: TableSpec =
    spec("contracts", &[("account_id", Id), ("starts_on", Date), ("ends_on", Date), ("contracted_mau", Id), ("contracted_seats", Id)]);
pub const INBOXES: TableSpec = spec("inboxes", &[("account_id", Id), ("inbox_id", Id), ("name", Text), ("created_at", Time)]);
pub const USERS: TableSpec = spec(
    "users",
    &[
        ("account_id", Id),
        ("user_id", Id),
        ("name", Text),
        ("email", Text),
        ("role", Text),
        ("can_view_reports", Bool),
        ("created_at", Time),
        ("deleted_at", Time),
    ],
);
pub const USER_INBOXES: TableSpec = spec("user_inboxes", &[("account_id", Id), ("user_id", Id), ("inbox_id", Id)]);
pub const TEAMS: TableSpec = spec("teams", &[("account_id", Id), ("team_id", Id), ("name", Text)]);
pub const TEAM_MEMBERS: TableSpec = spec("team_members", &[("account_id", Id), ("team_id", Id), ("user_id", Id)]);
pub const CUSTOMERS: TableSpec =
    spec("customers", &[("account_id", Id), ("customer_id", Id), ("name", Text), ("email", Text), ("created_at", Time)]);
pub const CONVERSATIONS: TableSpec = spec(
    "conversations",
    &[
        ("account_id", Id),
        ("conversation_id", Id),
        ("number", Id),
        ("inbox_id", Id),
        ("channel", Text),
        ("customer_id", Id),
        ("subject", Text),
        ("status", Text),
        ("state", Text),
        ("created_at", Time),
        ("created_by_type", Text),
        ("created_by_id", Id),
        ("assignee_id", Id),
        ("closed_at", Time),
        ("closed_by_id", Id),
        ("tags", TextList),
    ],
);
pub const THREADS: TableSpec = TableSpec {
    layout: Layout::Parts,
    ..spec(
        "threads",
        &[
            ("account_id", Id),
            ("thread_id", Id),
            ("conversation_id", Id),
            ("type", Text),
            ("actor_type", Text),
            ("actor_id", Id),
            ("created_at", Time),
            ("status", Text),
            ("assigned_to", Id),
        ],
    )
};
pub const RATINGS: TableSpec = TableSpec {
    clock: Clock::Naive,
    ..spec(
        "ratings",
        &[
            ("account_id", Id),
            ("rating_id", Id),
            ("conversation_id", Id),
            ("thread_id", Id),
            ("user_id", Id),
            ("customer_id", Id),
            ("rating", Text),
            ("comments", Text),
            ("created_at", Time),
        ],
    )
};
pub const CSAT: TableSpec =
    TableSpec { clock: Clock::Naive, ..spec("csat", &[("account_id", Id), ("conversation_id", Id), ("stars", Int), ("created_at", Time)]) };
pub const FAQS: TableSpec = spec("faqs", &[("account_id", Id), ("faq_id", Id), ("title", Text), ("language", Text)]);
pub const FAQ_VIEWS: TableSpec =
    spec("faq_views", &[("account_id", Id), ("view_id", Id), ("faq_id", Id), ("customer_id", Id), ("viewed_at", Time)]);
pub const QUICKSEARCH: TableSpec = spec(
    "quicksearch",
    &[("account_id", Id), ("search_id", Id), ("customer_id", Id), ("shown_at", Time), ("faqs_suggested", Int), ("conversation_id", Id)],
);
pub const BOTS: TableSpec = spec("bots", &[("account_id", Id), ("bot_id", Id), ("name", Text), ("created_at", Time), ("deleted_at", Time)]);
pub const BOT_RUNS: TableSpec = spec(
    "bot_runs",
    &[
        ("account_id", Id),
        ("run_id", Id),
        ("bot_id", Id),
        ("conversation_id", Id),
        ("started_at", Time),
        ("ended_at", Time),
        ("outcome", Text),
    ],
);
pub const PREDICT_MODELS: TableSpec =
    spec("predict_models", &[("account_id", Id), ("model_id", Id), ("language", Text), ("created_at", Time), ("deleted_at", Time)]);
pub const PREDICT_LABELS: TableSpec = spec(
    "predict_labels",
    &[
        ("account_id", Id),
        ("conversation_id", Id),
        ("model_id", Id),
        ("label", Text),
        ("predicted_at", Time),
        ("marked_inaccurate", Bool),
    ],
);
pub const END_USER_ACTIVITY: TableSpec = spec("end_user_activity", &[("account_id", Id), ("customer_id", Id), ("active_at", Time)]);
pub const FEATURE_USAGE: TableSpec = spec("feature_usage", &[("account_id", Id), ("feature", Text), ("used_at", Time), ("user_id", Id)]);
pub const OFFICE_HOURS: TableSpec = spec(
    "office_hours",
    &[("account_id", Id), ("team_id", Id), ("valid_from", Date), ("weekday", Int), ("opens", TimeOfDay), ("closes", TimeOfDay)],
);
pub const HOLIDAYS: TableSpec = spec("holidays", &[("account_id", Id), ("day", Date), ("name", Text)]);
pub const ACCOUNT_CONTACTS: TableSpec = spec("account_contacts", &[("account_id", Id), ("email", Text), ("name", Text), ("is_primary", Bool)]);

/// Every table the generator writes, in contract order.
pub const ALL: [&TableSpec; 24] = [
    &ACCOUNTS,
    &CONTRACTS,
    &INBOXES,
    &USERS,
    &USER_INBOXES,
    &TEAMS,
    &TEAM_MEMBERS,
    &CUSTOMERS,
    &CONVERSATIONS,
    &THREADS,
    &RATINGS,
    &CSAT,
    &FAQS,
    &FAQ_VIEWS,
    &QUICKSEARCH,
    &BOTS,
    &BOT_RUNS,
    &PREDICT_MODELS,
    &PREDICT_LABELS,
    &END_USER_ACTIVITY,
    &FEATURE_USAGE,
    &OFFICE_HOURS,
    &HOLIDAYS,
    &ACCOUNT_CONTACTS,
];

/// The generator writes exactly the contract's tables and columns, in order.
pub fn check_against_contract(contract: &Contract) -> Result<()> {
    let ours: Vec<&str> = ALL.iter().map(|t| t.name).collect();
    let theirs: Vec<&str> = contract.tables.iter().map(|t| t.name.as_str()).collect();
    if ours != theirs {
        bail!("generator out of date with contract.toml: it writes tables {ours:?}, the contract has {theirs:?}");
    }
    for (spec, table) in ALL.iter().zip(&contract.tables) {
        let ours: Vec<(&str, &str)> = spec.columns.iter().map(|(n, k)| (*n, k.sql_type())).collect();
        let theirs: Vec<(&str, &str)> = table.columns.iter().map(|c| (c.name.as_str(), c.sql_type.as_str())).collect();
        if ours != theirs {
            bail!("generator out of date with contract.toml: table {} has columns {theirs:?}, the generator writes {ours:?}", table.name);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn generator_tables_match_the_contract() {
        super::check_against_contract(crate::contract::Contract::get()).unwrap();
    }
}
