//! One account and everything about it that is not a conversation: inboxes,
//! users and their access, teams, bots, prediction models, FAQs, contracts,
//! and the clocks that place its customers and conversations in time.
//!
//! An account is built from its own random stream and the revision only
//! decides which of its (time-stamped) rows are visible, so revision K shows
//! the same account as revision 0, K weeks later.

use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use super::clock::{self, Arrivals, Calendar, DAY, SECOND, WEEK, WINDOW_START};
use super::names;
use super::rng::{Domain, Rand, Streams};

/// Id scheme: every id embeds its account's id, so ids are unique across
/// accounts too and a row can be traced back by eye.
pub const MAX_ACCOUNTS: u32 = 100_000;
/// Conversation numbers per account stay below this (ids are
/// `account_id * 10^9 + number`, thread ids `conversation_id * 1000 + k`).
pub const MAX_NUMBER: u64 = 999_999_999;

pub struct Inbox {
    pub id: i64,
    pub name: &'static str,
    pub created_at: i64,
}

pub struct User {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub can_view_reports: bool,
    pub created_at: i64,
    /// May lie after the as-of: the row shows it only once it has happened.
    pub deleted_at: Option<i64>,
}

impl User {
    pub fn active_at(&self, t: i64) -> bool {
        self.created_at <= t && self.deleted_at.is_none_or(|d| t < d)
    }
}

pub struct Team {
    pub id: i64,
    pub name: &'static str,
}

/// A bot or a prediction model: exists from `created_at` until `deleted_at`.
pub struct Lived {
    pub id: i64,
    /// A bot's name, a model's language.
    pub label: &'static str,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
}

impl Lived {
    pub fn alive_at(&self, t: i64) -> bool {
        self.created_at <= t && self.deleted_at.is_none_or(|d| t < d)
    }
}

pub struct Faq {
    pub id: i64,
    pub title: String,
    pub language: &'static str,
    /// 0 for the FAQs of the base snapshot; `j` for the one added in week `j`.
    pub added_in_week: u32,
    /// The FAQ is removed (with its views) from revision `removed_in_week` on.
    pub removed_in_week: Option<u32>,
}

impl Faq {
    pub fn visible_in(&self, revision: u32) -> bool {
        self.added_in_week <= revision && self.removed_in_week.is_none_or(|w| revision < w)
    }
}

pub struct ContractPeriod {
    pub starts_on: i32,
    pub ends_on: i32,
    pub contracted_mau: Option<i64>,
    pub contracted_seats: i64,
}

/// Customers are created one per `slot`, from `start` on, forever: the
/// customers existing at any instant are exactly the first `count_at(t)`.
pub struct CustomerClock {
    start: i64,
    slot: i64,
}

impl CustomerClock {
    pub fn count_at(&self, t: i64) -> u64 {
        ((t - self.start) / self.slot).max(0) as u64
    }

    /// Creation instant of customer `index` (the first draw of its stream).
    pub fn created_at(&self, index: u64, rng: &mut Rand) -> i64 {
        let t = self.start + index as i64 * self.slot + (rng.unit() * self.slot as f64) as i64;
        t - t.rem_euclid(SECOND)
    }
}

pub struct Account {
    pub index: u32,
    pub id: i64,
    pub name: String,
    pub plan: &'static str,
    pub timezone: &'static str,
    pub language: &'static str,
    pub created_at: i64,
    pub inboxes: Vec<Inbox>,
    pub users: Vec<User>,
    /// Per inbox, the users who may work in it (owners and admins: all).
    pub inbox_users: Vec<Vec<usize>>,
    /// Explicit access of role `user` (user index, inbox index).
    pub user_inboxes: Vec<(usize, usize)>,
    pub teams: Vec<Team>,
    pub team_members: Vec<(usize, usize)>,
    pub bots: Vec<Lived>,
    pub models: Vec<Lived>,
    pub faqs: Vec<Faq>,
    /// FAQs that exist at the base snapshot (views pick among these).
    pub base_faqs: usize,
    pub contracts: Vec<ContractPeriod>,
    pub customers: CustomerClock,
    /// Conversations created in the 120 days before the base as-of.
    pub base_conversations: u64,
    /// Conversations created in later week `j` (index `j - 1`), up to the revision.
    pub week_conversations: Vec<u64>,
    pub calendar: Calendar,
}

impl Account {
    pub fn build(streams: &Streams, index: u32, base_conversations: u64, revision: u32) -> Result<Account> {
        let mut rng = streams.rng(Domain::Account, u64::from(index), 0);
        let id = i64::from(index) + 1;
        let timezone = names::TIMEZONES[index as usize % names::TIMEZONES.len()];
        let tz: Tz = timezone.parse().map_err(|e| anyhow::anyhow!("time zone {timezone}: {e}"))?;
        let round = index as usize / names::ACCOUNT_NAMES.len();
        let base_name = names::ACCOUNT_NAMES[index as usize % names::ACCOUNT_NAMES.len()];
        let name = if round == 0 { base_name.to_string() } else { format!("{base_name} {}", round + 1) };
        let created_at = day_floor(clock::BASE_AS_OF - (200 + rng.below(0, 1300) as i64) * DAY);
        let language = match timezone {
            "Europe/Paris" => "fr",
            "Asia/Tokyo" => "ja",
            "Europe/Berlin" => "de",
            "America/Sao_Paulo" => "pt",
            _ => "en",
        };
        let mut week_conversations = Vec::new();
        for week in 1..=revision {
            let mut week_rng = streams.rng(Domain::Week, u64::from(index), u64::from(week));
            let expected = base_conversations as f64 * 7.0 / clock::WINDOW_DAYS as f64 * (0.9 + 0.2 * week_rng.unit());
            week_conversations.push((expected + week_rng.unit()) as u64);
        }
        let total: u64 = base_conversations + week_conversations.iter().sum::<u64>();
        if total > MAX_NUMBER {
            bail!("account {id} would get {total} conversations by revision {revision}; at most {MAX_NUMBER} per account are supported (use more accounts)");
        }
        let customer_base = (base_conversations / 2).max(2) as i64;
        let customer_span = 400 * DAY;
        let mut account = Account {
            index,
            id,
            name,
            plan: names::PLANS[index as usize % names::PLANS.len()],
            timezone,
            language,
            created_at,
            inboxes: Vec::new(),
            users: Vec::new(),
            inbox_users: Vec::new(),
            user_inboxes: Vec::new(),
            teams: Vec::new(),
            team_members: Vec::new(),
            bots: Vec::new(),
            models: Vec::new(),
            faqs: Vec::new(),
            base_faqs: 0,
            contracts: Vec::new(),
            customers: CustomerClock { start: clock::BASE_AS_OF - customer_span, slot: (customer_span / customer_base).max(1) },
            base_conversations,
            week_conversations,
            // Events later than 60 days after the last as-of are never shown,
            // so the calendar need not reach them.
            calendar: Calendar::new(tz, WINDOW_START - DAY, clock::as_of(revision) + 60 * DAY),
        };
        account.add_users_and_inboxes(&mut rng);
        account.add_teams(&mut rng);
        account.add_bots_and_models(&mut rng);
        account.add_faqs(&mut rng, revision);
        account.add_contracts(customer_base);
        Ok(account)
    }

    fn add_users_and_inboxes(&mut self, rng: &mut Rand) {
        let user_count = (3 + ((self.base_conversations as f64).sqrt() / 2.0).round() as usize).min(300);
        let inbox_count = (2 + user_count / 6).min(names::INBOX_NAMES.len());
        for i in 0..inbox_count {
            let created_at = self.created_at + (i as i64) * 3 * DAY;
            self.inboxes.push(Inbox { id: self.id * 1_000 + i as i64 + 1, name: names::INBOX_NAMES[i], created_at });
        }
        let domain = self.name.to_lowercase().replace(' ', "");
        for u in 0..user_count {
            let role = match u {
                0 => "owner",
                _ if u <= user_count / 7 + 1 && u < user_count - 1 => "admin",
                _ => "user",
            };
            let first = rng.pick(&names::FIRST_NAMES);
            let last = rng.pick(&names::LAST_NAMES);
            let created_at = if u == 0 {
                self.created_at
            } else if rng.chance(0.2) {
                // Hired during the period.
                WINDOW_START + (rng.unit() * (clock::WINDOW_DAYS - 7) as f64 * DAY as f64) as i64
            } else {
                self.created_at + (rng.unit() * (WINDOW_START - self.created_at) as f64) as i64
            };
            let deleted_at = (u != 0 && rng.chance(0.12)).then(|| {
                // Between the start of the period and 8 weeks after the base as-of:
                // some leave during a later revision.
                let at = WINDOW_START + (rng.unit() * ((clock::WINDOW_DAYS + 56) * DAY) as f64) as i64;
                at.max(created_at + 14 * DAY)
            });
            self.users.push(User {
                id: self.id * 100_000 + u as i64 + 1,
                name: format!("{first} {last}"),
                email: format!("{}.{}{}@{domain}.example", first.to_lowercase(), last.to_lowercase(), u + 1),
                role,
                can_view_reports: role != "user" || rng.chance(0.25),
                created_at: second_floor(created_at),
                deleted_at: deleted_at.map(second_floor),
            });
        }
        self.inbox_users = vec![Vec::new(); inbox_count];
        for (u, user) in self.users.iter().enumerate() {
            if user.role != "user" {
                for inbox in &mut self.inbox_users {
                    inbox.push(u);
                }
                continue;
            }
            let first = rng.index(inbox_count);
            for (i, inbox) in self.inbox_users.iter_mut().enumerate() {
                if i == first || rng.chance(0.35) {
                    inbox.push(u);
                    self.user_inboxes.push((u, i));
                }
            }
        }
    }

    fn add_teams(&mut self, rng: &mut Rand) {
        let team_count = (1 + self.users.len() / 8).min(names::TEAM_NAMES.len());
        for t in 0..team_count {
            self.teams.push(Team { id: self.id * 1_000 + t as i64 + 1, name: names::TEAM_NAMES[t] });
        }
        for (u, user) in self.users.iter().enumerate() {
            if user.role == "owner" {
                continue;
            }
            let first = rng.index(team_count);
            for t in 0..team_count {
                if t == first || rng.chance(0.15) {
                    self.team_members.push((t, u));
                }
            }
        }
        self.team_members.sort();
    }

    fn add_bots_and_models(&mut self, rng: &mut Rand) {
        let bot_count = match self.plan {
            "standard" => 1,
            "plus" => 2,
            _ => 3,
        };
        for b in 0..bot_count {
            let created_at = if b < 2 {
                self.created_at + (rng.unit() * (WINDOW_START - self.created_at) as f64) as i64
            } else {
                WINDOW_START + (rng.unit() * 60.0 * DAY as f64) as i64
            };
            let deleted_at = (b == 1 && rng.chance(0.5)).then(|| WINDOW_START + 30 * DAY + (rng.unit() * 130.0 * DAY as f64) as i64);
            self.bots.push(Lived {
                id: self.id * 1_000 + b as i64 + 1,
                label: names::BOT_NAMES[b],
                created_at: second_floor(created_at),
                deleted_at: deleted_at.map(second_floor),
            });
        }
        let model_count = if self.plan == "pro" { 2 } else { 1 };
        for m in 0..model_count {
            let created_at = if m == 0 {
                self.created_at + (rng.unit() * (WINDOW_START - self.created_at) as f64) as i64
            } else {
                WINDOW_START + (rng.unit() * 90.0 * DAY as f64) as i64
            };
            // The first model may be retired once a second one exists.
            let deleted_at = (m == 0 && model_count > 1 && rng.chance(0.5)).then(|| clock::BASE_AS_OF - 5 * DAY + (rng.unit() * 30.0 * DAY as f64) as i64);
            let language = if m == 0 { self.language } else { "en" };
            self.models.push(Lived {
                id: self.id * 1_000 + m as i64 + 1,
                label: language,
                created_at: second_floor(created_at),
                deleted_at: deleted_at.map(second_floor),
            });
        }
    }

    fn add_faqs(&mut self, rng: &mut Rand, revision: u32) {
        let base = (8.0 + 3.0 * ((self.base_conversations + 1) as f64).ln()).min(200.0) as usize;
        for f in 0..base {
            self.faqs.push(self.faq(f, 0, rng));
        }
        // One base FAQ is removed in each later week, in an order drawn once
        // (independent of the revision), up to half of them.
        let mut order: Vec<usize> = (0..base).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.index(i + 1));
        }
        for (week, &f) in order.iter().take(base / 2).enumerate() {
            self.faqs[f].removed_in_week = Some(week as u32 + 1);
        }
        self.base_faqs = base;
        // And one is added each week (drawn from the week's own position, not
        // from the account stream, so later revisions leave earlier rows alone).
        for week in 1..=revision {
            let f = base + week as usize - 1;
            let faq = self.faq(f, week, rng);
            self.faqs.push(faq);
        }
    }

    fn faq(&self, f: usize, week: u32, rng: &mut Rand) -> Faq {
        let title = names::FAQ_TITLES[f % names::FAQ_TITLES.len()];
        let part = f / names::FAQ_TITLES.len();
        let language = if week == 0 && rng.chance(0.2) { "en" } else { self.language };
        Faq {
            id: self.id * 100_000 + f as i64 + 1,
            title: if part == 0 { title.to_string() } else { format!("{title} (part {})", part + 1) },
            language,
            added_in_week: week,
            removed_in_week: None,
        }
    }

    /// Yearly contracts from the account's creation day, the last few years.
    fn add_contracts(&mut self, customer_base: i64) {
        let start = chrono::DateTime::from_timestamp_micros(self.created_at).expect("in range").date_naive();
        let seats = (self.users.len() as i64 * 6 / 5 + 4) / 5 * 5;
        let mau = ((customer_base * 3 / 5 + 99) / 100 * 100).max(100);
        let mut year = 0;
        loop {
            let (Some(from), Some(to)) = (add_years(start, year), add_years(start, year + 1)) else { break };
            let starts_on = days(from);
            // Contracts starting up to a year after the base as-of: the rows
            // for later revisions exist already and show once they start.
            if i64::from(starts_on) * DAY > clock::BASE_AS_OF + 400 * DAY {
                break;
            }
            if i64::from(days(to)) * DAY > WINDOW_START - 365 * DAY {
                self.contracts.push(ContractPeriod {
                    starts_on,
                    ends_on: days(to) - 1,
                    contracted_mau: (self.plan != "standard").then_some(mau + mau * i64::from(year) / 10),
                    contracted_seats: seats + 5 * i64::from(year),
                });
            }
            year += 1;
        }
    }

    pub fn user_id(&self, user: usize) -> i64 {
        self.users[user].id
    }

    pub fn customer_id(&self, index: u64) -> i64 {
        self.id * 1_000_000_000 + index as i64 + 1
    }

    pub fn conversation_id(&self, number: u64) -> i64 {
        self.id * 1_000_000_000 + number as i64
    }

    pub fn workflow_id(&self, rng: &mut Rand) -> i64 {
        self.id * 1_000 + rng.below(1, names::WORKFLOWS + 1) as i64
    }

    /// A user who works in `inbox` and is employed at `t` (the owner if the
    /// random picks find none: owners never leave).
    pub fn pick_user(&self, inbox: usize, t: i64, rng: &mut Rand) -> usize {
        let candidates = &self.inbox_users[inbox];
        for _ in 0..8 {
            let u = rng.pick(candidates);
            if self.users[u].active_at(t) {
                return u;
            }
        }
        0
    }

    /// A random customer existing at `t`; a fifth of conversations come from a
    /// small set of frequent customers.
    pub fn pick_customer(&self, t: i64, rng: &mut Rand) -> Option<i64> {
        let count = self.customers.count_at(t);
        if count == 0 {
            return None;
        }
        let index = if rng.chance(0.2) { rng.below(0, count / 50 + 1) } else { rng.below(0, count) };
        Some(self.customer_id(index))
    }

    pub fn base_arrivals(&self) -> Arrivals {
        self.calendar.arrivals(WINDOW_START, clock::BASE_AS_OF)
    }

    pub fn week_arrivals(&self, week: u32) -> Arrivals {
        let start = clock::week_start(week);
        self.calendar.arrivals(start, start + WEEK)
    }

    /// First conversation number of later week `week`.
    pub fn first_number_of_week(&self, week: u32) -> u64 {
        self.base_conversations + self.week_conversations[..week as usize - 1].iter().sum::<u64>() + 1
    }
}

fn day_floor(t: i64) -> i64 {
    t - t.rem_euclid(DAY)
}

fn second_floor(t: i64) -> i64 {
    t - t.rem_euclid(SECOND)
}

fn add_years(date: NaiveDate, years: i32) -> Option<NaiveDate> {
    date.with_year(date.year() + years).or_else(|| date.with_day(28)?.with_year(date.year() + years))
}

fn days(date: NaiveDate) -> i32 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}
