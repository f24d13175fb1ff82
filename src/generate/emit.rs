//! Turning accounts, people and conversation lives into rows as of one
//! instant: what had happened before the as-of is shown, the rest is not.

use anyhow::Result;
use std::path::Path;

use super::account::Account;
use super::clock::{self, DAY, HOUR, WINDOW_START, seconds};
use super::conversation::{Conversation, sub_row_id};
use super::names;
use super::rng::{Domain, Streams};
use super::sink::TableWriter;
use super::tables;

/// One writer per contract table.
pub struct Sinks {
    pub accounts: TableWriter,
    pub contracts: TableWriter,
    pub inboxes: TableWriter,
    pub users: TableWriter,
    pub user_inboxes: TableWriter,
    pub teams: TableWriter,
    pub team_members: TableWriter,
    pub customers: TableWriter,
    pub conversations: TableWriter,
    pub threads: TableWriter,
    pub ratings: TableWriter,
    pub csat: TableWriter,
    pub faqs: TableWriter,
    pub faq_views: TableWriter,
    pub quicksearch: TableWriter,
    pub bots: TableWriter,
    pub bot_runs: TableWriter,
    pub predict_models: TableWriter,
    pub predict_labels: TableWriter,
    pub end_user_activity: TableWriter,
    pub feature_usage: TableWriter,
    pub office_hours: TableWriter,
    pub holidays: TableWriter,
    pub account_contacts: TableWriter,
}

impl Sinks {
    pub fn create(dir: &Path) -> Result<Sinks> {
        let open = |spec| TableWriter::create(dir, spec);
        Ok(Sinks {
            accounts: open(&tables::ACCOUNTS)?,
            contracts: open(&tables::CONTRACTS)?,
            inboxes: open(&tables::INBOXES)?,
            users: open(&tables::USERS)?,
            user_inboxes: open(&tables::USER_INBOXES)?,
            teams: open(&tables::TEAMS)?,
            team_members: open(&tables::TEAM_MEMBERS)?,
            customers: open(&tables::CUSTOMERS)?,
            conversations: open(&tables::CONVERSATIONS)?,
            threads: open(&tables::THREADS)?,
            ratings: open(&tables::RATINGS)?,
            csat: open(&tables::CSAT)?,
            faqs: open(&tables::FAQS)?,
            faq_views: open(&tables::FAQ_VIEWS)?,
            quicksearch: open(&tables::QUICKSEARCH)?,
            bots: open(&tables::BOTS)?,
            bot_runs: open(&tables::BOT_RUNS)?,
            predict_models: open(&tables::PREDICT_MODELS)?,
            predict_labels: open(&tables::PREDICT_LABELS)?,
            end_user_activity: open(&tables::END_USER_ACTIVITY)?,
            feature_usage: open(&tables::FEATURE_USAGE)?,
            office_hours: open(&tables::OFFICE_HOURS)?,
            holidays: open(&tables::HOLIDAYS)?,
            account_contacts: open(&tables::ACCOUNT_CONTACTS)?,
        })
    }

    /// Close every file; rows written per table, in contract order.
    pub fn finish(self) -> Result<Vec<(&'static str, u64)>> {
        let all = [
            self.accounts,
            self.contracts,
            self.inboxes,
            self.users,
            self.user_inboxes,
            self.teams,
            self.team_members,
            self.customers,
            self.conversations,
            self.threads,
            self.ratings,
            self.csat,
            self.faqs,
            self.faq_views,
            self.quicksearch,
            self.bots,
            self.bot_runs,
            self.predict_models,
            self.predict_labels,
            self.end_user_activity,
            self.feature_usage,
            self.office_hours,
            self.holidays,
            self.account_contacts,
        ];
        all.into_iter()
            .map(|writer| {
                let name = writer.name();
                Ok((name, writer.finish()?))
            })
            .collect()
    }
}

/// What a snapshot shows: revision `revision`, as of `as_of`.
#[derive(Debug, Clone, Copy)]
pub struct View {
    pub revision: u32,
    pub as_of: i64,
}

impl View {
    fn shows(&self, t: i64) -> bool {
        t < self.as_of
    }

    fn happened(&self, t: Option<i64>) -> Option<i64> {
        t.filter(|t| self.shows(*t))
    }
}

/// The account's own row and its small tables.
pub fn account_rows(account: &Account, view: View, sinks: &mut Sinks) -> Result<()> {
    let a = account.id;
    sinks.accounts.row().id(a).text(&account.name).text(account.plan).text(account.timezone).time(account.created_at).end()?;
    for period in account.contracts.iter().filter(|p| view.shows(i64::from(p.starts_on) * DAY)) {
        sinks
            .contracts
            .row()
            .id(a)
            .date(period.starts_on)
            .date(period.ends_on)
            .opt_id(period.contracted_mau)
            .id(period.contracted_seats)
            .end()?;
    }
    for inbox in &account.inboxes {
        sinks.inboxes.row().id(a).id(inbox.id).text(inbox.name).time(inbox.created_at).end()?;
    }
    for user in account.users.iter().filter(|u| view.shows(u.created_at)) {
        sinks
            .users
            .row()
            .id(a)
            .id(user.id)
            .text(&user.name)
            .text(&user.email)
            .text(user.role)
            .bool(user.can_view_reports)
            .time(user.created_at)
            .opt_time(view.happened(user.deleted_at))
            .end()?;
    }
    for &(user, inbox) in &account.user_inboxes {
        if view.shows(account.users[user].created_at) {
            sinks.user_inboxes.row().id(a).id(account.user_id(user)).id(account.inboxes[inbox].id).end()?;
        }
    }
    for team in &account.teams {
        sinks.teams.row().id(a).id(team.id).text(team.name).end()?;
    }
    for &(team, user) in &account.team_members {
        if view.shows(account.users[user].created_at) {
            sinks.team_members.row().id(a).id(account.teams[team].id).id(account.user_id(user)).end()?;
        }
    }
    for bot in account.bots.iter().filter(|b| view.shows(b.created_at)) {
        sinks.bots.row().id(a).id(bot.id).text(bot.label).time(bot.created_at).opt_time(view.happened(bot.deleted_at)).end()?;
    }
    for model in account.models.iter().filter(|m| view.shows(m.created_at)) {
        sinks
            .predict_models
            .row()
            .id(a)
            .id(model.id)
            .text(model.label)
            .time(model.created_at)
            .opt_time(view.happened(model.deleted_at))
            .end()?;
    }
    for faq in account.faqs.iter().filter(|f| f.visible_in(view.revision)) {
        sinks.faqs.row().id(a).id(faq.id).text(&faq.title).text(faq.language).end()?;
    }
    contact_rows(account, sinks)
}

/// Who the monthly usage email goes to. No random draw (the other tables'
/// bytes do not depend on it): the account's owner (its first user) and,
/// for every other account, a billing address are primary contacts; an IT
/// address is a secondary one; every fourth account has no primary contact
/// (the usage email skips it).
fn contact_rows(account: &Account, sinks: &mut Sinks) -> Result<()> {
    let a = account.id;
    let domain = account.name.to_lowercase().replace(' ', "");
    let with_primary = account.index % 4 != 3;
    if with_primary && let Some(owner) = account.users.first() {
        sinks.account_contacts.row().id(a).text(&owner.email).text(&owner.name).bool(true).end()?;
    }
    if with_primary && account.index % 2 == 0 {
        sinks.account_contacts.row().id(a).text(&format!("billing@{domain}.example")).text("Billing").bool(true).end()?;
    }
    sinks.account_contacts.row().id(a).text(&format!("it@{domain}.example")).text("IT").bool(false).end()?;
    Ok(())
}

/// Customers existing at the as-of, each with its app launches (MAU) since
/// the start of the period. Each customer has its own stream, and launches
/// are a Poisson process drawn in time order, so a later as-of only appends.
pub fn customer_rows(account: &Account, streams: &Streams, view: View, sinks: &mut Sinks) -> Result<()> {
    let a = account.id;
    let domain = account.name.to_lowercase().replace(' ', "-");
    for index in 0..account.customers.count_at(view.as_of) {
        let mut rng = streams.rng(Domain::Customer, u64::from(account.index), index);
        let created_at = account.customers.created_at(index, &mut rng);
        let first = rng.pick(&names::FIRST_NAMES);
        let last = rng.pick(&names::LAST_NAMES);
        let id = account.customer_id(index);
        let email = format!("{}.{}{}@{domain}.customers.example", first.to_lowercase(), last.to_lowercase(), index + 1);
        sinks.customers.row().id(a).id(id).text(&format!("{first} {last}")).text(&email).time(created_at).end()?;
        // Launches per day: most customers rarely, a few daily.
        let per_day = rng.lognormal(0.04, 1.0).min(3.0);
        let mut t = created_at.max(WINDOW_START);
        loop {
            t += seconds(rng.exponential(86_400.0 / per_day));
            if !view.shows(t) {
                break;
            }
            sinks.end_user_activity.row().id(a).id(id).time(t).end()?;
        }
    }
    Ok(())
}

/// Feature use by each user while employed, in office hours.
pub fn feature_usage_rows(account: &Account, streams: &Streams, view: View, sinks: &mut Sinks) -> Result<()> {
    let a = account.id;
    for (index, user) in account.users.iter().enumerate() {
        let mut rng = streams.rng(Domain::User, u64::from(account.index), index as u64);
        let end = user.deleted_at.unwrap_or(i64::MAX).min(view.as_of);
        let mut t = user.created_at.max(WINDOW_START);
        loop {
            // 0.3 uses an hour, drawn over all hours and kept only in office
            // hours: about three a working day.
            t += seconds(rng.exponential(HOUR as f64 / 1e6 / 0.3));
            let feature = rng.weighted(&names::FEATURES);
            if t >= end {
                break;
            }
            if account.calendar.is_working(t) {
                sinks.feature_usage.row().id(a).text(feature).time(t).id(user.id).end()?;
            }
        }
    }
    Ok(())
}

/// The account's office hours and holidays (the same in every revision).
pub fn office_hours_rows(account: &Account, streams: &Streams, sinks: &mut Sinks) -> Result<()> {
    let a = account.id;
    let office = super::office::OfficeHours::of(account, streams);
    for row in &office.intervals {
        sinks
            .office_hours
            .row()
            .id(a)
            .opt_id(row.team_id)
            .opt_date(row.valid_from)
            .int(row.weekday)
            .time_of_day(row.opens)
            .time_of_day(row.closes)
            .end()?;
    }
    for holiday in &office.holidays {
        sinks.holidays.row().id(a).date(holiday.day).text(holiday.name).end()?;
    }
    Ok(())
}

/// All rows of one conversation as of the view.
pub fn conversation_rows(account: &Account, conv: &Conversation, view: View, sinks: &mut Sinks) -> Result<()> {
    let a = account.id;
    let shown = conv.threads_before(view.as_of);
    if shown == 0 {
        return Ok(());
    }
    let state = conv.state_after(shown);
    let first = &conv.threads[0];
    let deleted = view.happened(conv.deleted_at).is_some();
    sinks
        .conversations
        .row()
        .id(a)
        .id(conv.id)
        .id(conv.number as i64)
        .id(account.inboxes[conv.inbox].id)
        .text(conv.channel().as_str())
        .opt_id(conv.customer_id)
        .text(conv.subject)
        .text(state.status.as_str())
        .text(if deleted { "deleted" } else { "published" })
        .time(conv.created_at)
        .text(first.actor.as_str())
        .opt_id(first.actor_id)
        .opt_id(state.assignee_id)
        .opt_time(state.closed_at)
        .opt_id(state.closed_by_id)
        .texts(&conv.tags)
        .end()?;
    for (k, thread) in conv.threads[..shown].iter().enumerate() {
        sinks
            .threads
            .row()
            .id(a)
            .id(conv.id * 1_000 + k as i64)
            .id(conv.id)
            .text(thread.kind.as_str())
            .text(thread.actor.as_str())
            .opt_id(thread.actor_id)
            .time(thread.at)
            .text(thread.status.as_str())
            .opt_id(thread.assigned_to)
            .end()?;
    }
    for (k, rating) in conv.ratings.iter().enumerate().filter(|(_, r)| view.shows(r.at)) {
        sinks
            .ratings
            .row()
            .id(a)
            .id(sub_row_id(conv.id, k))
            .id(conv.id)
            .id(conv.id * 1_000 + rating.thread as i64)
            .opt_id(rating.user_id)
            .opt_id(conv.customer_id)
            .text(rating.rating)
            .opt_text(rating.comments)
            .time(rating.at)
            .end()?;
    }
    if let Some(csat) = conv.csat.filter(|c| view.shows(c.at)) {
        sinks.csat.row().id(a).id(conv.id).int(csat.stars).time(csat.at).end()?;
    }
    for (k, run) in conv.bot_runs.iter().enumerate().filter(|(_, r)| view.shows(r.started_at)) {
        let ended = view.happened(Some(run.ended_at));
        sinks
            .bot_runs
            .row()
            .id(a)
            .id(sub_row_id(conv.id, k))
            .id(run.bot_id)
            .opt_id(run.in_conversation.then_some(conv.id))
            .time(run.started_at)
            .opt_time(ended)
            .opt_text(ended.map(|_| run.outcome))
            .end()?;
    }
    for label in conv.labels.iter().filter(|l| view.shows(l.predicted_at)) {
        sinks
            .predict_labels
            .row()
            .id(a)
            .id(conv.id)
            .id(label.model_id)
            .text(label.label)
            .time(label.predicted_at)
            .bool(view.happened(label.marked_inaccurate_at).is_some())
            .end()?;
    }
    for (k, showing) in conv.showings.iter().enumerate().filter(|(_, s)| view.shows(s.shown_at)) {
        sinks
            .quicksearch
            .row()
            .id(a)
            .id(sub_row_id(conv.id, k))
            .opt_id(showing.customer_id)
            .time(showing.shown_at)
            .int(showing.faqs_suggested)
            .opt_id(showing.led_to_conversation.then_some(conv.id))
            .end()?;
    }
    for (k, faq_view) in conv.views.iter().enumerate() {
        let faq = &account.faqs[faq_view.faq];
        // Views of a removed FAQ go with it.
        if view.shows(faq_view.viewed_at) && faq.visible_in(view.revision) {
            sinks.faq_views.row().id(a).id(sub_row_id(conv.id, k)).id(faq.id).opt_id(faq_view.customer_id).time(faq_view.viewed_at).end()?;
        }
    }
    Ok(())
}

/// The as-of of a revision.
pub fn view_of(revision: u32) -> View {
    View { revision, as_of: clock::as_of(revision) }
}
