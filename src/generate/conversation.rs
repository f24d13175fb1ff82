//! The life of one conversation: every thread, rating, survey answer, bot run,
//! prediction, QuickSearch showing and FAQ view it will ever have, with their
//! instants. A snapshot as of T shows the part of that life before T, so the
//! same conversation in a later revision is the earlier one plus what happened
//! since, and the conversation row (status, closed_at, assignee, state) is
//! always derived from the threads it shows.
//!
//! A life is the natural course of the conversation (drawn from its own random
//! stream), plus for every later week a possible change (drawn from the stream
//! of that conversation and week): a customer writing again, a late reply, a
//! note, a reassignment, a spam verdict or a deletion.

use super::account::Account;
use super::clock::{self, DAY, HOUR, MINUTE, SECOND, WEEK, seconds};
use super::names;
use super::rng::{Domain, Rand, Streams};

/// Threads per conversation stay below this (thread ids are
/// `conversation_id * 1000 + position`); weekly changes stop adding beyond.
const MAX_THREADS: usize = 900;
/// Sub-rows (ratings, runs, showings, views) per conversation stay below 100.
const MAX_SUB_ROWS: usize = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Chat,
    Phone,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Chat => "chat",
            Channel::Phone => "phone",
        }
    }

    /// Thread type of a customer's message in this channel.
    fn customer_kind(self) -> ThreadType {
        match self {
            Channel::Email => ThreadType::Customer,
            Channel::Chat => ThreadType::Chat,
            Channel::Phone => ThreadType::Phone,
        }
    }

    /// Thread type of a user's reply in this channel.
    fn reply_kind(self) -> ThreadType {
        match self {
            Channel::Email => ThreadType::Reply,
            Channel::Chat => ThreadType::Chat,
            Channel::Phone => ThreadType::Phone,
        }
    }

    /// How long a user takes to answer (seconds, before office hours apply).
    fn agent_delay(self, rng: &mut Rand) -> f64 {
        match self {
            Channel::Email => rng.lognormal(2.5 * 3600.0, 1.1),
            Channel::Chat => rng.lognormal(90.0, 0.9),
            Channel::Phone => rng.lognormal(240.0, 0.6),
        }
    }

    /// How long a customer takes to write back (seconds).
    fn customer_delay(self, rng: &mut Rand) -> f64 {
        match self {
            Channel::Email => rng.lognormal(6.0 * 3600.0, 1.2),
            Channel::Chat => rng.lognormal(60.0, 0.8),
            Channel::Phone => rng.lognormal(1800.0, 1.0),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadType {
    Customer,
    Reply,
    Note,
    Lineitem,
    Chat,
    Phone,
}

impl ThreadType {
    pub fn as_str(self) -> &'static str {
        match self {
            ThreadType::Customer => "customer",
            ThreadType::Reply => "reply",
            ThreadType::Note => "note",
            ThreadType::Lineitem => "lineitem",
            ThreadType::Chat => "chat",
            ThreadType::Phone => "phone",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Customer,
    User,
    Bot,
    Workflow,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Customer => "customer",
            Actor::User => "user",
            Actor::Bot => "bot",
            Actor::Workflow => "workflow",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    NoChange,
    Active,
    Pending,
    Closed,
    Spam,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NoChange => "nochange",
            Status::Active => "active",
            Status::Pending => "pending",
            Status::Closed => "closed",
            Status::Spam => "spam",
            Status::Rejected => "rejected",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub at: i64,
    pub kind: ThreadType,
    pub actor: Actor,
    pub actor_id: Option<i64>,
    /// The status this thread set (never the status the conversation had already).
    pub status: Status,
    pub assigned_to: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Rating {
    pub at: i64,
    /// Position of the rated reply in `threads`.
    pub thread: usize,
    pub user_id: Option<i64>,
    pub rating: &'static str,
    pub comments: Option<&'static str>,
}

#[derive(Debug, Clone, Copy)]
pub struct Csat {
    pub at: i64,
    pub stars: i32,
}

#[derive(Debug, Clone, Copy)]
pub struct BotRun {
    pub bot_id: i64,
    /// `false`: the customer left before a conversation was created.
    pub in_conversation: bool,
    pub started_at: i64,
    pub ended_at: i64,
    pub outcome: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct Label {
    pub model_id: i64,
    pub label: &'static str,
    pub predicted_at: i64,
    pub marked_inaccurate_at: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
pub struct Showing {
    pub customer_id: Option<i64>,
    pub shown_at: i64,
    pub faqs_suggested: i32,
    /// The customer went on to create this conversation.
    pub led_to_conversation: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct FaqView {
    /// Index into `Account::faqs`.
    pub faq: usize,
    pub customer_id: Option<i64>,
    pub viewed_at: i64,
}

/// Everything that ever happens to one conversation. Reused between
/// conversations (`clear`) to keep allocations out of the hot loop.
#[derive(Debug, Default)]
pub struct Conversation {
    pub number: u64,
    pub id: i64,
    pub created_at: i64,
    pub channel: Option<Channel>,
    pub inbox: usize,
    pub customer_id: Option<i64>,
    pub subject: &'static str,
    pub tags: Vec<&'static str>,
    pub threads: Vec<Thread>,
    pub ratings: Vec<Rating>,
    pub csat: Option<Csat>,
    pub bot_runs: Vec<BotRun>,
    pub labels: Vec<Label>,
    pub showings: Vec<Showing>,
    pub views: Vec<FaqView>,
    pub deleted_at: Option<i64>,
    /// Status after the last thread so far (while simulating).
    status: Option<Status>,
    /// Assigned user (index into `Account::users`) after the last thread so far.
    assignee: Option<usize>,
}

/// The conversation row's derived columns as of some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    pub status: Status,
    pub closed_at: Option<i64>,
    pub closed_by_id: Option<i64>,
    pub assignee_id: Option<i64>,
}

impl Conversation {
    fn clear(&mut self) {
        self.tags.clear();
        self.threads.clear();
        self.ratings.clear();
        self.csat = None;
        self.bot_runs.clear();
        self.labels.clear();
        self.showings.clear();
        self.views.clear();
        self.deleted_at = None;
        self.status = None;
        self.assignee = None;
    }

    pub fn channel(&self) -> Channel {
        self.channel.expect("a simulated conversation has a channel")
    }

    pub fn last_at(&self) -> i64 {
        self.threads.last().map_or(self.created_at, |t| t.at)
    }

    fn current_status(&self) -> Status {
        self.status.unwrap_or(Status::NoChange)
    }

    /// Number of threads before `as_of` (they are in time order).
    pub fn threads_before(&self, as_of: i64) -> usize {
        self.threads.partition_point(|t| t.at < as_of)
    }

    /// Status, closing and assignee after the first `shown` threads: the
    /// status of the last thread that set one, and its time and user if that
    /// status is `closed`.
    pub fn state_after(&self, shown: usize) -> State {
        let threads = &self.threads[..shown];
        let last_change = threads.iter().rev().find(|t| t.status != Status::NoChange);
        let status = last_change.map_or(Status::Active, |t| t.status);
        let closing = last_change.filter(|t| t.status == Status::Closed);
        State {
            status,
            closed_at: closing.map(|t| t.at),
            closed_by_id: closing.filter(|t| t.actor == Actor::User).and_then(|t| t.actor_id),
            assignee_id: threads.iter().rev().find_map(|t| t.assigned_to),
        }
    }

    /// Append a thread at `at` (or right after the previous one: threads are
    /// kept in time order) and return its instant. A requested status equal to
    /// the current one is recorded as `nochange`.
    fn push(&mut self, at: i64, kind: ThreadType, actor: Actor, actor_id: Option<i64>, status: Status, assigned_to: Option<(usize, i64)>) -> i64 {
        let at = at.max(self.last_at() + if self.threads.is_empty() { 0 } else { SECOND });
        let status = if self.status == Some(status) { Status::NoChange } else { status };
        if status != Status::NoChange {
            self.status = Some(status);
        }
        if let Some((user, _)) = assigned_to {
            self.assignee = Some(user);
        }
        self.threads.push(Thread { at, kind, actor, actor_id, status, assigned_to: assigned_to.map(|(_, id)| id) });
        at
    }
}

/// Builds lives. Holds the account and the streams; one per account.
pub struct Life<'a> {
    pub account: &'a Account,
    pub streams: &'a Streams,
    /// Probability that a settled conversation changes in a given later week.
    pub change_rate: f64,
}

impl Life<'_> {
    /// Fill `conv` with the whole life of conversation `number`, created at the
    /// quantile drawn first from its stream within `arrivals`, including the
    /// changes of later weeks 1..=`revision`.
    pub fn simulate(&self, conv: &mut Conversation, number: u64, arrivals: &clock::Arrivals, index_in_window: u64, window_len: u64, window_start: i64, revision: u32) {
        conv.clear();
        let account = self.account;
        let mut rng = self.streams.rng(Domain::Conversation, u64::from(account.index), number);
        conv.number = number;
        conv.id = account.conversation_id(number);
        conv.created_at = arrivals.at((index_in_window as f64 + rng.unit()) / window_len as f64);
        self.natural(conv, &mut rng, window_start);
        for week in 1..=revision {
            self.change_in_week(conv, week);
        }
    }

    fn natural(&self, conv: &mut Conversation, rng: &mut Rand, window_start: i64) {
        let account = self.account;
        let channel = rng.weighted(&[(Channel::Email, 0.6), (Channel::Chat, 0.3), (Channel::Phone, 0.1)]);
        conv.channel = Some(channel);
        conv.inbox = rng.index(account.inboxes.len());
        conv.customer_id = account.pick_customer(conv.created_at, rng);
        conv.subject = rng.pick(&names::SUBJECTS);
        for _ in 0..rng.poisson(0.7).min(3) {
            let tag = rng.pick(&names::TAGS);
            if !conv.tags.contains(&tag) {
                conv.tags.push(tag);
            }
        }
        let by_customer = match channel {
            Channel::Chat => true,
            Channel::Email => !rng.chance(0.08),
            Channel::Phone => !rng.chance(0.4),
        };
        self.side_rows(conv, rng, window_start, by_customer);
        let t0 = conv.created_at;
        if by_customer {
            conv.push(t0, channel.customer_kind(), Actor::Customer, conv.customer_id, Status::Active, None);
        } else {
            // A user starts it: an outbound email waits for the customer, a
            // logged call is active until dealt with.
            let user = account.pick_user(conv.inbox, t0, rng);
            let status = if channel == Channel::Email { Status::Pending } else { Status::Active };
            conv.push(t0, channel.reply_kind(), Actor::User, Some(account.user_id(user)), status, Some((user, account.user_id(user))));
            if channel == Channel::Email {
                if !rng.chance(0.55) {
                    let at = conv.last_at() + 3 * DAY + seconds(rng.unit() * 4.0 * 86_400.0);
                    conv.push(at, ThreadType::Lineitem, Actor::Workflow, Some(account.workflow_id(rng)), Status::Closed, None);
                    return self.after_close(conv, rng);
                }
                let at = conv.last_at() + seconds(channel.customer_delay(rng));
                conv.push(at, ThreadType::Customer, Actor::Customer, conv.customer_id, Status::Active, None);
            }
        }
        if by_customer && rng.chance(0.03) {
            return self.mark(conv, rng, Status::Spam);
        }
        if by_customer && rng.chance(0.01) {
            return self.mark(conv, rng, Status::Rejected);
        }
        if channel == Channel::Chat && rng.chance(0.45) && !self.bot_phase(conv, rng) {
            return self.after_close(conv, rng);
        }
        if conv.assignee.is_none() && rng.chance(0.3) {
            let user = account.pick_user(conv.inbox, conv.last_at(), rng);
            let at = conv.last_at() + seconds(5.0 + rng.unit() * 55.0);
            conv.push(at, ThreadType::Lineitem, Actor::Workflow, Some(account.workflow_id(rng)), Status::NoChange, Some((user, account.user_id(user))));
        }
        if rng.chance(0.03) {
            return; // never answered: part of the backlog
        }
        self.rounds(conv, rng);
        self.settle_pending(conv, rng);
        self.after_close(conv, rng);
    }

    /// Ratings are not threads: predictions, QuickSearch showings and FAQ views
    /// around the conversation's creation.
    fn side_rows(&self, conv: &mut Conversation, rng: &mut Rand, window_start: i64, by_customer: bool) {
        let account = self.account;
        let t0 = conv.created_at;
        for model in account.models.iter().filter(|m| m.alive_at(t0)) {
            if rng.chance(0.7) {
                let predicted_at = t0 + seconds(2.0 + rng.unit() * 40.0);
                let marked_inaccurate_at = rng.chance(0.08).then(|| predicted_at + seconds(rng.lognormal(6.0 * 3600.0, 1.0)));
                conv.labels.push(Label { model_id: model.id, label: rng.pick(&names::LABELS), predicted_at, marked_inaccurate_at });
            }
        }
        if by_customer && conv.channel() != Channel::Phone && rng.chance(0.3) {
            // The showing the customer saw just before writing; never before the
            // window the conversation belongs to, so a later week's conversation
            // does not add rows to an earlier week.
            let shown_at = (t0 - seconds(20.0 + rng.exponential(180.0))).max(window_start);
            let faqs_suggested = rng.below(1, 6) as i32;
            conv.showings.push(Showing { customer_id: conv.customer_id, shown_at, faqs_suggested, led_to_conversation: true });
        }
        for _ in 0..rng.poisson(0.6).min(10) {
            let shown_at = t0 + seconds(rng.exponential(12.0 * 3600.0));
            let customer_id = account.pick_customer(shown_at, rng);
            let faqs_suggested = rng.below(0, 6) as i32;
            conv.showings.push(Showing { customer_id, shown_at, faqs_suggested, led_to_conversation: false });
        }
        for _ in 0..rng.poisson(1.2).min(20) {
            let viewed_at = t0 + seconds(rng.exponential(24.0 * 3600.0));
            let customer_id = match rng.unit() {
                x if x < 0.5 => conv.customer_id,
                x if x < 0.8 => account.pick_customer(viewed_at, rng),
                _ => None, // anonymous reader
            };
            conv.views.push(FaqView { faq: rng.index(account.base_faqs), customer_id, viewed_at });
        }
        if rng.chance(0.03) {
            if let Some(bot) = self.bot_at(t0, rng) {
                // A bot run that ended without a conversation being created.
                let started_at = t0 + seconds(rng.exponential(6.0 * 3600.0));
                let ended_at = started_at + seconds(rng.lognormal(120.0, 0.7));
                conv.bot_runs.push(BotRun { bot_id: bot, in_conversation: false, started_at, ended_at, outcome: "abandoned" });
            }
        }
    }

    fn bot_at(&self, t: i64, rng: &mut Rand) -> Option<i64> {
        let alive: Vec<i64> = self.account.bots.iter().filter(|b| b.alive_at(t)).map(|b| b.id).collect();
        (!alive.is_empty()).then(|| rng.pick(&alive))
    }

    /// A bot answers the chat first. Returns `true` when it hands over to a
    /// user, `false` when the conversation ended with the bot.
    fn bot_phase(&self, conv: &mut Conversation, rng: &mut Rand) -> bool {
        let account = self.account;
        let Some(bot) = self.bot_at(conv.last_at(), rng) else { return true };
        let started_at = conv.last_at() + seconds(2.0 + rng.unit() * 8.0);
        let mut at = started_at;
        for message in 0..rng.below(1, 4) {
            if message > 0 && rng.chance(0.5) {
                at = conv.push(at + seconds(rng.lognormal(25.0, 0.6)), ThreadType::Chat, Actor::Customer, conv.customer_id, Status::Active, None);
            }
            at = conv.push(at + seconds(rng.lognormal(6.0, 0.5)), ThreadType::Chat, Actor::Bot, Some(bot), Status::NoChange, None);
        }
        let outcome = rng.weighted(&[("resolved", 0.35), ("handed_off", 0.4), ("abandoned", 0.2), ("rejected", 0.05)]);
        let mut ended_at = at + seconds(rng.lognormal(30.0, 0.5));
        let continues = match outcome {
            "resolved" => {
                ended_at = conv.push(ended_at, ThreadType::Lineitem, Actor::Bot, Some(bot), Status::Closed, None);
                false
            }
            "rejected" => {
                ended_at = conv.push(ended_at, ThreadType::Lineitem, Actor::Bot, Some(bot), Status::Rejected, None);
                false
            }
            "abandoned" => {
                ended_at = at + 10 * MINUTE;
                let close_at = ended_at + HOUR + seconds(rng.unit() * 600.0);
                conv.push(close_at, ThreadType::Lineitem, Actor::Workflow, Some(account.workflow_id(rng)), Status::Closed, None);
                false
            }
            _ => {
                let user = account.pick_user(conv.inbox, ended_at, rng);
                ended_at = conv.push(ended_at, ThreadType::Lineitem, Actor::Bot, Some(bot), Status::NoChange, Some((user, account.user_id(user))));
                true
            }
        };
        conv.bot_runs.push(BotRun { bot_id: bot, in_conversation: true, started_at, ended_at, outcome });
        continues
    }

    /// A user (or, for spam, sometimes a workflow) marks the conversation.
    fn mark(&self, conv: &mut Conversation, rng: &mut Rand, status: Status) {
        let account = self.account;
        let t = conv.last_at();
        if status == Status::Spam && rng.chance(0.3) {
            conv.push(t + seconds(rng.unit() * 10.0), ThreadType::Lineitem, Actor::Workflow, Some(account.workflow_id(rng)), status, None);
        } else {
            let at = account.calendar.next_working(t + seconds(conv.channel().agent_delay(rng)), rng);
            let user = account.pick_user(conv.inbox, at, rng);
            conv.push(at, ThreadType::Lineitem, Actor::User, Some(account.user_id(user)), status, None);
        }
        if rng.chance(0.3) {
            conv.deleted_at = Some(conv.last_at() + seconds(rng.lognormal(2.0 * 86_400.0, 1.0)));
        }
    }

    /// The user answering at `at`: the assignee if still employed, else a new
    /// one, who is then assigned by this reply.
    fn responder(&self, conv: &Conversation, at: i64, rng: &mut Rand) -> (usize, Option<(usize, i64)>) {
        let account = self.account;
        match conv.assignee {
            Some(user) if account.users[user].active_at(at) => (user, None),
            _ => {
                let user = account.pick_user(conv.inbox, at, rng);
                (user, Some((user, account.user_id(user))))
            }
        }
    }

    /// Replies and customer follow-ups until the last reply.
    fn rounds(&self, conv: &mut Conversation, rng: &mut Rand) {
        let account = self.account;
        let channel = conv.channel();
        let mut rounds = 1;
        while rounds < 6 && rng.chance(0.55) {
            rounds += 1;
        }
        let mut t = conv.last_at();
        for round in 0..rounds {
            let last = round + 1 == rounds;
            if rng.chance(0.2) {
                let at = account.calendar.next_working(t + seconds(channel.agent_delay(rng) / 2.0), rng);
                let (user, assign) = self.responder(conv, at, rng);
                conv.push(at, ThreadType::Note, Actor::User, Some(account.user_id(user)), Status::NoChange, assign);
            }
            if conv.assignee.is_some() && rng.chance(0.05) {
                let at = account.calendar.next_working(conv.last_at() + seconds(rng.lognormal(600.0, 1.0)), rng);
                let (by, _) = self.responder(conv, at, rng);
                let to = account.pick_user(conv.inbox, at, rng);
                conv.push(at, ThreadType::Lineitem, Actor::User, Some(account.user_id(by)), Status::NoChange, Some((to, account.user_id(to))));
            }
            let at = account.calendar.next_working(conv.last_at().max(t) + seconds(channel.agent_delay(rng)), rng);
            let (user, assign) = self.responder(conv, at, rng);
            let status = match (last, rng.unit()) {
                (true, x) if x < 0.62 => Status::Closed,
                (true, _) => Status::Pending,
                (false, x) if x < 0.85 => Status::Pending,
                (false, _) => Status::NoChange,
            };
            let replied = conv.push(at, channel.reply_kind(), Actor::User, Some(account.user_id(user)), status, assign);
            if last {
                break;
            }
            t = conv.push(replied + seconds(channel.customer_delay(rng)), channel.customer_kind(), Actor::Customer, conv.customer_id, Status::Active, None);
        }
    }

    /// A conversation left pending is closed by its user or by the auto-close
    /// workflow, or stays pending.
    fn settle_pending(&self, conv: &mut Conversation, rng: &mut Rand) {
        if conv.current_status() != Status::Pending {
            return;
        }
        let account = self.account;
        let t = conv.last_at();
        match rng.unit() {
            x if x < 0.35 => {
                let at = account.calendar.next_working(t + seconds(rng.lognormal(86_400.0, 0.8)), rng);
                let (user, assign) = self.responder(conv, at, rng);
                conv.push(at, ThreadType::Lineitem, Actor::User, Some(account.user_id(user)), Status::Closed, assign);
            }
            x if x < 0.85 => {
                let at = t + 3 * DAY + seconds(rng.lognormal(2.0 * 3600.0, 0.5));
                conv.push(at, ThreadType::Lineitem, Actor::Workflow, Some(account.workflow_id(rng)), Status::Closed, None);
            }
            _ => {}
        }
    }

    /// Rating, survey answer and maybe a reopening of a closed conversation.
    fn after_close(&self, conv: &mut Conversation, rng: &mut Rand) {
        if conv.current_status() != Status::Closed {
            return;
        }
        let account = self.account;
        let channel = conv.channel();
        let closed_at = conv.last_at();
        let last_reply = conv.threads.iter().rposition(|t| t.actor == Actor::User && t.kind == channel.reply_kind());
        if let Some(reply) = last_reply.filter(|_| channel != Channel::Phone && rng.chance(0.25)) {
            let rating = rng.weighted(&[("great", 0.7), ("okay", 0.18), ("not_good", 0.12)]);
            let comments = rng.chance(0.35).then(|| match rating {
                "great" => rng.pick(&names::COMMENTS_GREAT),
                "okay" => rng.pick(&names::COMMENTS_OKAY),
                _ => rng.pick(&names::COMMENTS_NOT_GOOD),
            });
            let at = closed_at + seconds(rng.lognormal(2.0 * 3600.0, 1.2));
            conv.ratings.push(Rating { at, thread: reply, user_id: conv.threads[reply].actor_id, rating, comments });
        }
        if rng.chance(0.3) {
            let stars = rng.weighted(&[(5, 0.45), (4, 0.25), (3, 0.12), (2, 0.08), (1, 0.10)]);
            conv.csat = Some(Csat { at: closed_at + seconds(rng.lognormal(3600.0, 1.3)), stars });
        }
        if rng.chance(0.08) {
            // Reopened: the customer writes again, the user answers and closes.
            let at = closed_at + seconds(rng.lognormal(2.0 * 86_400.0, 1.0));
            let at = conv.push(at, channel.customer_kind(), Actor::Customer, conv.customer_id, Status::Active, None);
            let reply_at = account.calendar.next_working(at + seconds(channel.agent_delay(rng)), rng);
            let (user, assign) = self.responder(conv, reply_at, rng);
            let status = if rng.chance(0.85) { Status::Closed } else { Status::Pending };
            conv.push(reply_at, channel.reply_kind(), Actor::User, Some(account.user_id(user)), status, assign);
        }
        if rng.chance(0.008) {
            conv.deleted_at = Some(conv.last_at() + seconds(rng.lognormal(4.0 * 86_400.0, 1.0)));
        }
    }

    /// The change, if any, of a conversation in later week `week`: only
    /// conversations settled before the week starts (nothing pending in their
    /// natural course) are picked, with probability `change_rate`.
    fn change_in_week(&self, conv: &mut Conversation, week: u32) {
        let week_start = clock::week_start(week);
        if conv.created_at >= week_start {
            return;
        }
        let account = self.account;
        let mut rng = self.streams.rng(Domain::Change, u64::from(account.index), (conv.number << 10) | u64::from(week));
        if !rng.chance(self.change_rate) {
            return;
        }
        if conv.last_at() >= week_start || conv.deleted_at.is_some() || conv.threads.len() >= MAX_THREADS {
            return;
        }
        let channel = conv.channel();
        let t = week_start + seconds(rng.unit() * (WEEK / SECOND) as f64);
        let x = rng.unit();
        match conv.current_status() {
            Status::Closed if x < 0.55 => {
                let at = conv.push(t, channel.customer_kind(), Actor::Customer, conv.customer_id, Status::Active, None);
                let status = if rng.chance(0.8) { Status::Closed } else { Status::Pending };
                self.change_reply(conv, &mut rng, at, status);
            }
            Status::Closed if x < 0.75 => {
                let at = account.calendar.next_working(t, &mut rng);
                let (user, _) = self.responder(conv, at, &mut rng);
                conv.push(at, ThreadType::Note, Actor::User, Some(account.user_id(user)), Status::NoChange, None);
            }
            Status::Closed if x < 0.9 => {
                let at = account.calendar.next_working(t, &mut rng);
                let (by, _) = self.responder(conv, at, &mut rng);
                let to = account.pick_user(conv.inbox, at, &mut rng);
                conv.push(at, ThreadType::Lineitem, Actor::User, Some(account.user_id(by)), Status::NoChange, Some((to, account.user_id(to))));
            }
            Status::Active | Status::Pending if x < 0.6 => self.change_reply(conv, &mut rng, t, Status::Closed),
            Status::Active | Status::Pending if x < 0.8 => {
                let at = account.calendar.next_working(t, &mut rng);
                let (user, assign) = self.responder(conv, at, &mut rng);
                conv.push(at, ThreadType::Lineitem, Actor::User, Some(account.user_id(user)), Status::Closed, assign);
            }
            Status::Active | Status::Pending if x < 0.9 => {
                let at = account.calendar.next_working(t, &mut rng);
                let (user, _) = self.responder(conv, at, &mut rng);
                conv.push(at, ThreadType::Lineitem, Actor::User, Some(account.user_id(user)), Status::Spam, None);
            }
            Status::Spam | Status::Rejected if x < 0.5 => {
                // Not spam after all.
                let at = account.calendar.next_working(t, &mut rng);
                let (user, _) = self.responder(conv, at, &mut rng);
                conv.push(at, ThreadType::Lineitem, Actor::User, Some(account.user_id(user)), Status::Active, None);
            }
            _ => conv.deleted_at = Some(t),
        }
    }

    fn change_reply(&self, conv: &mut Conversation, rng: &mut Rand, after: i64, status: Status) {
        let account = self.account;
        let at = account.calendar.next_working(after + seconds(conv.channel().agent_delay(rng)), rng);
        let (user, assign) = self.responder(conv, at, rng);
        conv.push(at, conv.channel().reply_kind(), Actor::User, Some(account.user_id(user)), status, assign);
    }
}

/// Sub-row ids: `conversation_id * 100 + position`.
pub fn sub_row_id(conversation_id: i64, position: usize) -> i64 {
    debug_assert!(position < MAX_SUB_ROWS);
    conversation_id * 100 + position as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::clock::{WINDOW_START, as_of};

    fn lives(streams: &Streams, revision: u32, count: u64) -> Vec<Conversation> {
        let account = Account::build(streams, 0, count, revision).unwrap();
        let life = Life { account: &account, streams, change_rate: 0.2 };
        let arrivals = account.base_arrivals();
        (0..count)
            .map(|i| {
                let mut conv = Conversation::default();
                life.simulate(&mut conv, i + 1, &arrivals, i, count, WINDOW_START, revision);
                conv
            })
            .collect()
    }

    #[test]
    fn a_later_revision_only_appends_to_a_life() {
        let streams = Streams::new(9);
        let (base, later) = (lives(&streams, 0, 400), lives(&streams, 3, 400));
        let mut grown = 0;
        for (a, b) in base.iter().zip(&later) {
            let shown = a.threads_before(as_of(0));
            assert_eq!(b.threads_before(as_of(0)), shown, "conversation {}", a.number);
            assert_eq!(a.threads[..shown], b.threads[..shown], "conversation {}", a.number);
            assert_eq!(a.state_after(shown), b.state_after(shown));
            grown += usize::from(b.threads_before(as_of(3)) > shown);
        }
        // A 20% weekly change rate over three weeks, plus natural continuations.
        assert!(grown > 100 && grown < 300, "{grown} of 400 conversations grew");
    }

    #[test]
    fn threads_are_ordered_and_record_only_status_changes() {
        for conv in lives(&Streams::new(4), 2, 500) {
            assert_eq!(conv.threads[0].at, conv.created_at);
            assert!(conv.threads.windows(2).all(|w| w[0].at < w[1].at), "conversation {} out of order", conv.number);
            let mut status = Status::NoChange;
            for thread in &conv.threads {
                assert_ne!(thread.status, status, "conversation {}: a thread re-set the current status", conv.number);
                if thread.status != Status::NoChange {
                    status = thread.status;
                }
            }
            assert!(conv.threads.len() < MAX_THREADS);
            for rating in &conv.ratings {
                assert!(rating.at > conv.threads[rating.thread].at);
                assert_eq!(conv.threads[rating.thread].actor, Actor::User);
            }
        }
    }
}
