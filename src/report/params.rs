//! From command-line words to a report's parameters: which account, period,
//! users, filters, viewer and snapshot, each checked against the database
//! with a message that says what was wrong and what would be right.

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use duckdb::Connection;
use duckdb::types::Value;
use serde::Serialize;

use super::query::{self, Parameters};
use super::spec::{PeriodRule, SubjectRule};
use super::{RatingFilter, ReportArgs, ReportKind, SeriesBy};
use crate::catalog;
use crate::sqltext::{LIST_SEPARATOR, bound_list};
use crate::values::{duration_text, month_bounds, read_date, read_duration};

const RESOLVE: &str = include_str!("../../sql/reports/resolve.sql");

/// A user named in the report header.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UserRef {
    pub id: i64,
    pub name: String,
}

/// Whose activity a User or Team report shows.
#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    /// `user` or `team`.
    pub kind: &'static str,
    pub id: i64,
    pub name: String,
    pub users: Vec<UserRef>,
}

/// Everything a report needs, resolved and checked.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub kind: ReportKind,
    pub account_id: i64,
    pub date_from: NaiveDate,
    pub date_to: NaiveDate,
    pub zone: Option<String>,
    pub snapshot_seq: Option<i32>,
    /// `--inbox`: the inboxes asked for (shown in the header).
    pub inboxes: Option<Vec<i64>>,
    /// `--as-user` without `--inbox`: the inboxes the viewer may see in the
    /// latest snapshot, which the queries are limited to.
    pub scope_inboxes: Option<Vec<i64>>,
    pub channels: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub viewer: Option<UserRef>,
    pub subject: Option<Subject>,
    pub compare: bool,
    /// Library schema the report reads (`metrics`, or a side-by-side one).
    pub schema: String,
    /// Things the reader should know (a clamped period, ...).
    pub notes: Vec<String>,
    /// Usage report: the deflection window, in seconds.
    pub deflection_window: i64,
    /// `--by`, `--top`, `--rating`: what the tables show.
    pub by: SeriesBy,
    pub top: u32,
    pub rating: Option<RatingFilter>,
    /// `--office-hours`: times in office time.
    pub office_hours: bool,
    /// The library version installed in `schema`: its definitions and its
    /// report queries.
    pub library: &'static crate::library::Library,
}

impl Resolved {
    /// The named parameters of the report queries.
    pub fn parameters(&self) -> Parameters {
        let mut p = Parameters::default();
        p.set("account", Value::BigInt(self.account_id))
            .set("date_from", Value::Text(self.date_from.to_string()))
            .set("date_to", Value::Text(self.date_to.to_string()))
            .set("zone", optional_text(self.zone.as_deref()))
            .set("snap", self.snapshot_seq.map_or(Value::Null, Value::Int))
            .set("inboxes", list_text(self.inboxes.as_ref().or(self.scope_inboxes.as_ref()).map(|v| v.iter().map(|i| i.to_string()).collect())))
            .set("channels", list_text(self.channels.clone()))
            .set("with_tags", list_text(self.tags.clone()))
            .set("viewer", self.viewer.as_ref().map_or(Value::Null, |v| Value::BigInt(v.id)))
            .set("users", list_text(self.subject.as_ref().map(|s| s.users.iter().map(|u| u.id.to_string()).collect())))
            .set("deflection_window", Value::BigInt(self.deflection_window))
            .set("by", Value::Text(self.by.name().to_string()))
            .set("top", Value::BigInt(i64::from(self.top)))
            .set("rating", optional_text(self.rating.map(RatingFilter::name)))
            .set("office_hours", Value::Boolean(self.office_hours))
            .set("team", self.office_team().map_or(Value::Null, Value::BigInt))
            .set("from_day", Value::Text(self.first_day().to_string()));
        p
    }

    /// The team whose office hours a report uses when it has its own: the
    /// Team report's (the User report is about one person, who may be in
    /// several teams, and uses the account's, as the Company report does).
    pub fn office_team(&self) -> Option<i64> {
        match (&self.subject, self.kind) {
            (Some(subject), ReportKind::Team) => Some(subject.id),
            _ => None,
        }
    }

    /// The first local day the figures read: the period's, or with
    /// `--compare` the previous period's.
    pub fn first_day(&self) -> NaiveDate {
        let previous = self.date_from.checked_sub_signed(self.date_to - self.date_from);
        if self.compare { previous.unwrap_or(self.date_from) } else { self.date_from }
    }
}

fn optional_text(text: Option<&str>) -> Value {
    text.map_or(Value::Null, |t| Value::Text(t.to_string()))
}

/// A list parameter (`sqltext::bound_list`). Ids and channel names never
/// hold the separator; tags that do are refused by `tags_of`.
fn list_text(items: Option<Vec<String>>) -> Value {
    items.map_or(Value::Null, |items| Value::Text(items.join(&LIST_SEPARATOR.to_string())))
}

/// Resolve `args` on `conn` (library schema `schema`).
pub fn resolve(conn: &Connection, args: &ReportArgs, schema: &str) -> Result<Resolved> {
    let spec = args.kind.spec();
    let library = library_in(conn, schema)?;
    let snapshot_seq = catalog::for_report(conn, &args.snapshot)?;
    let mut lookup = Parameters::default();
    lookup.set("snap", snapshot_seq.map_or(Value::Null, Value::Int));
    let account_id = resolve_account(conn, &args.account, &lookup)?;
    lookup.set("account_id", Value::BigInt(account_id));
    if let Some(zone) = &args.tz {
        check_zone(conn, zone)?;
    }
    if !spec.deflection_window && args.deflection_window.is_some() {
        bail!("--deflection-window applies to the usage report only");
    }
    if !spec.scoped {
        refuse_scope_options(args)?;
    }
    let deflection_window = args.deflection_window.as_deref().map_or(Ok(DEFAULT_DEFLECTION_WINDOW), read_duration).context("--deflection-window")?;
    if args.office_hours {
        check_office_hours(args, library)?;
    }
    let (date_from, date_to, default_month) = match spec.period {
        PeriodRule::Month => report_month(conn, library, args, account_id, snapshot_seq)?,
        PeriodRule::Dates => {
            let (from, to) = period_of(args)?;
            (from, to, None)
        }
    };
    let mut resolved = Resolved {
        kind: args.kind,
        account_id,
        date_from,
        date_to,
        zone: args.tz.clone(),
        snapshot_seq,
        inboxes: None,
        scope_inboxes: None,
        channels: (!args.channel.is_empty()).then(|| args.channel.iter().map(|c| c.name().to_string()).collect()),
        tags: tags_of(&args.tag)?,
        viewer: None,
        subject: None,
        compare: args.compare,
        schema: schema.to_string(),
        notes: Vec::new(),
        deflection_window,
        by: args.by,
        top: args.top,
        rating: args.rating,
        office_hours: args.office_hours,
        library,
    };
    apply_history_window(conn, &mut resolved, args.clamp)?;
    resolved.notes.extend(default_month);
    if spec.benchmarked {
        resolved.notes.push(
            "benchmark: the unweighted mean over every account of the snapshot with data for the metric, each over the same calendar month in its own time zone"
                .to_string(),
        );
    }
    if spec.deflection_window {
        resolved.notes.push(format!(
            "deflection window: {} (an FAQ view followed within it by a conversation of the same customer is not deflected)",
            duration_text(deflection_window)
        ));
    }
    resolved.subject = resolve_subject(conn, args, &lookup)?;
    if !args.inbox.is_empty() {
        resolved.inboxes = Some(resolve_inboxes(conn, &args.inbox, &lookup)?);
    }
    if let Some(viewer) = &args.as_user {
        apply_viewer(conn, viewer, account_id, &mut resolved)?;
    }
    Ok(resolved)
}

/// `--office-hours` needs a report with durations and a library version
/// that defines their office-time twins (1.3.0 and later).
fn check_office_hours(args: &ReportArgs, library: &crate::library::Library) -> Result<()> {
    if !args.kind.spec().office_hours {
        bail!("--office-hours does not apply to the {} report: it has no times, only counts and ratings", args.kind.name());
    }
    if !super::office::library_has_office_hours(library) {
        bail!(
            "--office-hours: metric library {} has no office hours (they came with library 1.3.0); \
             upgrade with `deskql views install`, or audit with --library 1.3.0 or later",
            library.version
        );
    }
    Ok(())
}

/// The library version installed in `schema`.
pub(crate) fn library_in(conn: &Connection, schema: &str) -> Result<&'static crate::library::Library> {
    let installed = crate::library::install::installed_in(conn, schema)?
        .with_context(|| format!("no metric library is installed in schema {schema}: run `deskql views install`"))?;
    crate::library::find(crate::library::Version::parse(&installed.version)?)
}

fn tags_of(tags: &[String]) -> Result<Option<Vec<String>>> {
    if let Some(bad) = bound_list(tags).err().or_else(|| tags.iter().find(|t| t.is_empty())) {
        bail!("--tag {bad:?} is not a tag: tags are non-empty and hold no control character U+001F");
    }
    Ok((!tags.is_empty()).then(|| tags.to_vec()))
}

fn resolve_account(conn: &Connection, account: &str, lookup: &Parameters) -> Result<i64> {
    let mut p = lookup.clone();
    p.set("account", Value::Text(account.to_string()));
    let rows = query::values(conn, RESOLVE, "account", &p)?;
    match rows.as_slice() {
        [one] => as_i64(&one[0]),
        [] => {
            let known: Vec<String> = query::values(conn, RESOLVE, "some_accounts", lookup)?
                .iter()
                .map(|r| format!("{} ({})", text(&r[0]), text(&r[1])))
                .collect();
            bail!("no account {account:?} in the snapshot; accounts are given by id or exact name, e.g. {}", known.join(", "))
        }
        many => {
            let ids: Vec<String> = many.iter().map(|r| text(&r[0])).collect();
            bail!("{account:?} names several accounts ({}); give the account id", ids.join(", "))
        }
    }
}

fn check_zone(conn: &Connection, zone: &str) -> Result<()> {
    let mut p = Parameters::default();
    p.set("zone", Value::Text(zone.to_string()));
    let exists = query::values(conn, RESOLVE, "zone_exists", &p)?;
    if exists.first().and_then(|r| r.first()) != Some(&Value::Boolean(true)) {
        bail!("--tz {zone:?} is not a time zone: expected an IANA name such as Europe/Paris, America/New_York or UTC");
    }
    Ok(())
}

/// The period from `--from`/`--to` or `--month`.
pub fn period_of(args: &ReportArgs) -> Result<(NaiveDate, NaiveDate)> {
    let (from, to) = match (&args.month, &args.from, &args.to) {
        (Some(month), None, None) => month_bounds(month).context("--month")?,
        (Some(_), _, _) => bail!("give either --month or --from/--to, not both"),
        (None, Some(from), Some(to)) => (read_date(from).context("--from")?, read_date(to).context("--to")?),
        (None, _, _) => bail!("a {} report needs a period: --from YYYY-MM-DD --to YYYY-MM-DD (to excluded), or --month YYYY-MM", args.kind.name()),
    };
    if from >= to {
        bail!("the period is empty: --from {from} must be before --to {to} (--to is the first day after the period)");
    }
    Ok((from, to))
}

/// The default `--deflection-window`: 24 hours.
pub const DEFAULT_DEFLECTION_WINDOW: i64 = 86_400;

/// A report that is account-wide (no inbox, channel or tag filter, no
/// viewer, no comparison or clamping) refuses those options.
fn refuse_scope_options(args: &ReportArgs) -> Result<()> {
    let refused = [
        (!args.inbox.is_empty(), "--inbox"),
        (!args.channel.is_empty(), "--channel"),
        (!args.tag.is_empty(), "--tag"),
        (args.as_user.is_some(), "--as-user"),
        (args.compare, "--compare"),
        (args.clamp, "--clamp"),
    ];
    if let Some((_, flag)) = refused.iter().find(|(given, _)| *given) {
        bail!(
            "{flag} does not apply to the {} report: it covers the whole account for one calendar month, against a benchmark of every account",
            args.kind.name()
        );
    }
    Ok(())
}

/// A monthly report's month: `--month`, else the calendar month before the
/// one holding the snapshot's as-of instant, in the report's zone (with a
/// note saying so).
fn report_month(
    conn: &Connection,
    library: &crate::library::Library,
    args: &ReportArgs,
    account_id: i64,
    snapshot_seq: Option<i32>,
) -> Result<(NaiveDate, NaiveDate, Option<String>)> {
    if args.from.is_some() || args.to.is_some() {
        bail!(
            "the {} report covers a calendar month: give --month YYYY-MM (default: the last full month before the snapshot), not --from/--to",
            args.kind.name()
        );
    }
    if let Some(month) = &args.month {
        let (from, to) = month_bounds(month).context("--month")?;
        return Ok((from, to, None));
    }
    let mut p = Parameters::default();
    p.set("account", Value::BigInt(account_id))
        .set("zone", optional_text(args.tz.as_deref()))
        .set("snap", snapshot_seq.map_or(Value::Null, Value::Int));
    let queries = library.report_queries(args.kind.spec().queries)?;
    let rows = query::values(conn, queries.text, "default_month", &p)?;
    let [month, zone, taken_at] = rows.first().map(|r| [text(&r[0]), text(&r[1]), text(&r[2])]).context("the snapshot has no as-of time")?;
    let (from, to) = month_bounds(&month)?;
    let note = format!(
        "month {month} chosen by default: the last full month before the snapshot's as-of time ({taken_at}) in {zone}; --month YYYY-MM picks another"
    );
    Ok((from, to, Some(note)))
}

/// The plan's history limit (`metrics.history_window`): refuse a period
/// starting earlier, or clamp it with `--clamp`.
fn apply_history_window(conn: &Connection, resolved: &mut Resolved, clamp: bool) -> Result<()> {
    let common = resolved.library.report_queries("common")?;
    let rows = query::run(conn, common.text, "history_window", &resolved.schema, &resolved.parameters())?;
    let rows = super::document::json_objects(&rows)?;
    let Some(window) = rows.first() else { bail!("account {} is not in the snapshot", resolved.account_id) };
    let plan = window.get("plan").and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let earliest_text = window.get("earliest_day").and_then(|v| v.as_str()).unwrap_or_default();
    let earliest = NaiveDate::parse_from_str(earliest_text, "%Y-%m-%d").with_context(|| format!("reading earliest_day {earliest_text:?}"))?;
    if resolved.date_from >= earliest {
        return Ok(());
    }
    let rule = if plan == "standard" {
        "standard plans report on the last 2 years before the snapshot"
    } else {
        "plus and pro plans report on the account's lifetime, from its creation day"
    };
    if resolved.kind.spec().period == PeriodRule::Month {
        bail!(
            "account {} is on the {plan} plan and can report from {earliest} ({rule}), so not on the month starting {}",
            resolved.account_id,
            resolved.date_from
        );
    }
    if !clamp {
        bail!(
            "account {} is on the {plan} plan and can report from {earliest} ({rule}), not from {}; pass --clamp to start the period on {earliest}",
            resolved.account_id,
            resolved.date_from
        );
    }
    if earliest >= resolved.date_to {
        bail!("the whole period ends before {earliest}, the first day account {} can report on ({rule})", resolved.account_id);
    }
    resolved.notes.push(format!("period clamped to start on {earliest} ({rule}); asked from {}", resolved.date_from));
    resolved.date_from = earliest;
    Ok(())
}

fn resolve_subject(conn: &Connection, args: &ReportArgs, lookup: &Parameters) -> Result<Option<Subject>> {
    match args.kind.spec().subject {
        SubjectRule::User => {
            let user = args.user.as_deref().context("a user report needs --user USER (id, email or exact name)")?;
            let u = resolve_user(conn, user, lookup)?;
            Ok(Some(Subject { kind: "user", id: u.id, name: u.name.clone(), users: vec![u] }))
        }
        SubjectRule::Team => {
            let team = args.team.as_deref().context("a team report needs --team TEAM (id or exact name)")?;
            Ok(Some(resolve_team(conn, team, lookup)?))
        }
        SubjectRule::Either => match (&args.user, &args.team) {
            (Some(user), None) => {
                let u = resolve_user(conn, user, lookup)?;
                Ok(Some(Subject { kind: "user", id: u.id, name: u.name.clone(), users: vec![u] }))
            }
            (None, Some(team)) => Ok(Some(resolve_team(conn, team, lookup)?)),
            (None, None) => Ok(None),
            (Some(_), Some(_)) => bail!("give --user or --team, not both"),
        },
        SubjectRule::Account => {
            if args.user.is_some() || args.team.is_some() {
                bail!("--user and --team apply to the user, team and happiness reports, not to the {} report", args.kind.name());
            }
            Ok(None)
        }
    }
}

struct UserRow {
    user: UserRef,
    role: String,
    can_view_reports: bool,
    deleted: bool,
}

fn find_user(conn: &Connection, user: &str, lookup: &Parameters) -> Result<UserRow> {
    let mut p = lookup.clone();
    p.set("user", Value::Text(user.to_string()));
    let rows = query::values(conn, RESOLVE, "user", &p)?;
    match rows.as_slice() {
        [r] => Ok(UserRow {
            user: UserRef { id: as_i64(&r[0])?, name: text(&r[1]) },
            role: text(&r[2]),
            can_view_reports: r[3] == Value::Boolean(true),
            deleted: r[4] == Value::Boolean(true),
        }),
        [] => bail!("no user {user:?} in this account: give a user id, email or exact name"),
        many => {
            let ids: Vec<String> = many.iter().map(|r| text(&r[0])).collect();
            bail!("{user:?} names several users ({}); give the user id", ids.join(", "))
        }
    }
}

fn resolve_user(conn: &Connection, user: &str, lookup: &Parameters) -> Result<UserRef> {
    Ok(find_user(conn, user, lookup)?.user)
}

fn resolve_team(conn: &Connection, team: &str, lookup: &Parameters) -> Result<Subject> {
    let mut p = lookup.clone();
    p.set("team", Value::Text(team.to_string()));
    let rows = query::values(conn, RESOLVE, "team", &p)?;
    let (id, name) = match rows.as_slice() {
        [r] => (as_i64(&r[0])?, text(&r[1])),
        [] => bail!("no team {team:?} in this account: give a team id or exact name"),
        many => {
            let ids: Vec<String> = many.iter().map(|r| text(&r[0])).collect();
            bail!("{team:?} names several teams ({}); give the team id", ids.join(", "))
        }
    };
    p.set("team_id", Value::BigInt(id));
    let users = query::values(conn, RESOLVE, "team_members", &p)?
        .iter()
        .map(|r| Ok(UserRef { id: as_i64(&r[0])?, name: text(&r[1]) }))
        .collect::<Result<Vec<_>>>()?;
    if users.is_empty() {
        bail!("team {name} ({id}) has no members, so its report would be empty");
    }
    Ok(Subject { kind: "team", id, name, users })
}

/// `--as-user`: who may read is decided by the latest snapshot, whatever
/// snapshot the report reads: a user whose reports permission or inbox
/// access was revoked since cannot read the old figures either. So the
/// viewer must exist, not be deleted and hold the reports permission in the
/// latest snapshot, and the report covers only the inboxes they may see
/// there (and, the library checks in SQL, in the report's snapshot too).
fn apply_viewer(conn: &Connection, viewer: &str, account_id: i64, resolved: &mut Resolved) -> Result<()> {
    let mut latest = Parameters::default();
    latest.set("snap", Value::Null).set("account_id", Value::BigInt(account_id));
    let user = resolve_viewer(conn, viewer, &latest)?;
    latest.set("viewer", Value::BigInt(user.id));
    let visible: Vec<i64> = query::values(conn, RESOLVE, "visible_inboxes", &latest)?.iter().map(|r| as_i64(&r[0])).collect::<Result<_>>()?;
    match &resolved.inboxes {
        Some(asked) => {
            if let Some(hidden) = asked.iter().find(|id| !visible.contains(id)) {
                bail!("--as-user {viewer}: user {} ({}) cannot access inbox {hidden}, so it cannot be reported on", user.name, user.id);
            }
        }
        None if visible.is_empty() => bail!("--as-user {viewer}: user {} ({}) cannot access any inbox of this account, so has nothing to report on", user.name, user.id),
        None => resolved.scope_inboxes = Some(visible),
    }
    resolved.viewer = Some(user);
    Ok(())
}

/// The viewer must exist, not be deleted and hold the reports permission.
fn resolve_viewer(conn: &Connection, viewer: &str, lookup: &Parameters) -> Result<UserRef> {
    let row = find_user(conn, viewer, lookup).context("--as-user")?;
    if row.deleted {
        bail!("--as-user {viewer}: user {} ({}) is deleted and may not view reports", row.user.name, row.user.id);
    }
    if !row.can_view_reports {
        bail!(
            "--as-user {viewer}: user {} ({}, role {}) lacks the reports permission (can_view_reports) and may not view reports",
            row.user.name,
            row.user.id,
            row.role
        );
    }
    Ok(row.user)
}

fn resolve_inboxes(conn: &Connection, inboxes: &[String], lookup: &Parameters) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for inbox in inboxes {
        let mut p = lookup.clone();
        p.set("inbox", Value::Text(inbox.clone()));
        let rows = query::values(conn, RESOLVE, "inbox", &p)?;
        match rows.as_slice() {
            [r] => ids.push(as_i64(&r[0])?),
            [] => bail!("no inbox {inbox:?} in this account: give an inbox id or exact name"),
            _ => bail!("{inbox:?} names several inboxes; give the inbox id"),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

fn as_i64(value: &Value) -> Result<i64> {
    match value {
        Value::BigInt(i) => Ok(*i),
        Value::Int(i) => Ok(i64::from(*i)),
        other => bail!("expected an integer id, found {other:?}"),
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::Text(s) => s.clone(),
        Value::BigInt(i) => i.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Null => String::new(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_bound_as_separated_text() {
        assert_eq!(list_text(Some(vec!["1".into(), "it's, [x]".into()])), Value::Text("1\u{1f}it's, [x]".into()));
        assert_eq!(list_text(None), Value::Null);
        assert!(tags_of(&["a\u{1f}b".to_string()]).is_err());
        assert_eq!(tags_of(&[]).unwrap(), None);
    }
}
