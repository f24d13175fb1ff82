//! The import itself: tap-helpscout's messages in, one contract snapshot
//! out. Records are mapped and written as they arrive; only the threads of
//! the current conversation are held (the tap emits them together), and a
//! few small sets (skipped conversations, keys for `dedup`).
//!
//! The STATE messages say what kind of extract this is: the first one
//! echoes the state the tap was started with (bookmarks: an incremental
//! extract), and the last one has `currently_syncing: null` only if the tap
//! finished (otherwise streams are missing and it is refused, unless
//! `--allow-partial`).

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;

use anyhow::Result;
use serde_json::Value;

use super::mapping::{self, ConversationOutcome, Mapped, Options};
use super::records::{self, parse};
use super::report::Notices;
use super::singer::{InvalidExtract, Message, Reader};
use super::threads::{self, Event};
use super::writer::{Cell, SnapshotWriter};

/// The contract tables an import writes (all of them, even empty, so an
/// incremental snapshot has the mandatory ones and a full one says "none").
pub const TABLES: [&str; 10] = ["accounts", "inboxes", "users", "user_inboxes", "teams", "team_members", "customers", "conversations", "threads", "ratings"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extract {
    /// Started without bookmarks: everything since the config's start_date.
    Full,
    /// Started from a saved state: what changed since its bookmarks.
    Incremental,
}

impl Extract {
    pub fn name(self) -> &'static str {
        match self {
            Extract::Full => "full",
            Extract::Incremental => "incremental",
        }
    }

    /// The first STATE echoes the input state: bookmarks mean incremental.
    fn of_first_state(value: &Value) -> Extract {
        match value.get("bookmarks") {
            Some(Value::Object(bookmarks)) if !bookmarks.is_empty() => Extract::Incremental,
            _ => Extract::Full,
        }
    }
}

/// What the command line says about the account and the import.
#[derive(Debug, Clone)]
pub struct Settings {
    pub options: Options,
    pub account_name: String,
    pub plan: String,
    pub timezone: String,
    /// `--account-created-at`, microseconds.
    pub account_created_at: Option<i64>,
    pub allow_partial: bool,
}

/// An incremental extract without `--account-created-at` (exit 2).
#[derive(Debug)]
pub struct MissingAccountCreatedAt;

impl std::fmt::Display for MissingAccountCreatedAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "this is an incremental extract (its first STATE has bookmarks): pass --account-created-at with the account's creation \
             (the value of the full import, see `deskql sql \"SELECT created_at FROM accounts\"`); derived from the few users and \
             mailboxes an incremental run re-reads, it would move the account's creation later"
        )
    }
}

impl std::error::Error for MissingAccountCreatedAt {}

/// What an import produced.
#[derive(Debug)]
pub struct Outcome {
    pub extract: Extract,
    pub complete: bool,
    pub lines: u64,
    /// Records per stream, and whether the mapping uses the stream.
    pub streams: BTreeMap<String, (u64, &'static str)>,
    pub tables: Vec<(String, u64)>,
    pub notices: Notices,
    pub last_state: Option<Value>,
}

/// The threads of the conversation being read.
struct Block {
    conversation_id: i64,
    /// Set when its conversation was skipped (a draft): the state it had.
    skipped: Option<String>,
    events: Vec<Event>,
}

struct Importer<'a> {
    settings: &'a Settings,
    snapshot: SnapshotWriter,
    notices: Notices,
    block: Option<Block>,
    /// Conversations left out (drafts), with their state: their threads
    /// and ratings are left out too.
    skipped_conversations: HashMap<i64, String>,
    /// The earliest created_at of a mailbox or user: the account's default.
    earliest_created: Option<i64>,
    streams: BTreeMap<String, (u64, &'static str)>,
    /// From the first STATE.
    extract: Option<Extract>,
    last_state: Option<Value>,
}

/// Import tap-helpscout's output from `input` into a new snapshot folder `out`.
pub fn import(input: impl BufRead, settings: &Settings, out: &Path) -> Result<Outcome> {
    let mut reader = Reader::new(input);
    let mut importer = Importer {
        settings,
        snapshot: SnapshotWriter::create(out, &TABLES)?,
        notices: Notices::default(),
        block: None,
        skipped_conversations: HashMap::new(),
        earliest_created: None,
        streams: BTreeMap::new(),
        extract: None,
        last_state: None,
    };
    while let Some((line, message)) = reader.next_message()? {
        importer.message(line, message)?;
    }
    importer.flush_threads()?;
    importer.finish(reader.line())
}

/// How the mapping uses a stream, for the summary.
fn use_of(stream: &str) -> &'static str {
    use mapping::*;
    if [CONVERSATIONS, THREADS, CUSTOMERS, RATINGS, MAILBOXES, FOLDERS, TEAMS, TEAM_MEMBERS, USERS].contains(&stream) {
        "mapped"
    } else if NOT_NEEDED.contains(&stream) {
        "not needed"
    } else {
        "unknown"
    }
}

impl Importer<'_> {
    fn message(&mut self, line: u64, message: Message) -> Result<()> {
        match message {
            Message::Record { stream, record } if stream == mapping::THREADS => {
                self.tally(&stream);
                self.thread(line, record)
            }
            Message::Record { stream, record } => {
                self.flush_threads()?;
                self.tally(&stream);
                self.record(line, &stream, record)
            }
            Message::State { value } => {
                self.flush_threads()?;
                self.state(value)
            }
            Message::Schema { stream } => {
                self.flush_threads()?;
                self.streams.entry(stream.clone()).or_insert((0, use_of(&stream)));
                Ok(())
            }
            Message::Other { .. } => self.flush_threads(),
        }
    }

    fn tally(&mut self, stream: &str) {
        match self.streams.get_mut(stream) {
            Some((records, _)) => *records += 1,
            None => {
                self.streams.insert(stream.to_string(), (1, use_of(stream)));
            }
        }
    }

    fn state(&mut self, value: Value) -> Result<()> {
        if self.extract.is_none() {
            let extract = Extract::of_first_state(&value);
            if extract == Extract::Incremental && self.settings.account_created_at.is_none() {
                return Err(MissingAccountCreatedAt.into());
            }
            self.extract = Some(extract);
        }
        self.last_state = Some(value);
        Ok(())
    }

    fn record(&mut self, line: u64, stream: &str, record: Value) -> Result<()> {
        let refused = |message: String| InvalidExtract::at(line, Some(stream), message);
        let settings = self.settings;
        let options = &settings.options;
        let mapped = match stream {
            mapping::CONVERSATIONS => self.conversation(parse(record).map_err(refused)?).map_err(refused)?,
            mapping::CUSTOMERS => Some(mapping::customer(options, parse(record).map_err(refused)?).map_err(refused)?),
            mapping::RATINGS => self.rating(parse(record).map_err(refused)?).map_err(refused)?,
            mapping::MAILBOXES => Some(self.created(mapping::inbox(options, parse(record).map_err(refused)?).map_err(refused)?)),
            mapping::FOLDERS => mapping::user_inbox(options, parse(record).map_err(refused)?),
            mapping::TEAMS => Some(mapping::team(options, parse(record).map_err(refused)?)),
            mapping::TEAM_MEMBERS => Some(mapping::team_member(options, parse(record).map_err(refused)?)),
            mapping::USERS => mapping::user(options, parse(record).map_err(refused)?, &mut self.notices).map_err(refused)?.map(|m| self.created(m)),
            other if mapping::NOT_NEEDED.contains(&other) => None,
            other => {
                self.notices.count(other, "stream", other, "ignored: a stream the mapping does not know");
                None
            }
        };
        match mapped {
            Some(mapped) => self.snapshot.append(mapped.table, mapped.key, &mapped.row),
            None => Ok(()),
        }
    }

    fn conversation(&mut self, conversation: records::Conversation) -> Result<Option<Mapped>, String> {
        let id = conversation.id;
        match mapping::conversation(&self.settings.options, conversation, &mut self.notices)? {
            ConversationOutcome::Kept(mapped) => {
                // A later copy that is not a draft any more brings its threads back.
                self.skipped_conversations.remove(&id);
                Ok(Some(mapped))
            }
            ConversationOutcome::Skipped { state } => {
                self.skipped_conversations.insert(id, state);
                Ok(None)
            }
        }
    }

    fn rating(&mut self, rating: records::Rating) -> Result<Option<Mapped>, String> {
        if let Some(state) = self.skipped_conversations.get(&rating.conversation_id) {
            self.notices.count(mapping::RATINGS, "conversation.state", state, "skipped with its conversation");
            return Ok(None);
        }
        mapping::rating(&self.settings.options, rating, &mut self.notices)
    }

    /// Mailboxes and users give the account's default creation date.
    fn created(&mut self, mapped: Mapped) -> Mapped {
        if let Some(Cell::Time(at)) = mapped.row.get("created_at") {
            self.earliest_created = Some(self.earliest_created.map_or(*at, |e| e.min(*at)));
        }
        mapped
    }

    fn thread(&mut self, line: u64, record: Value) -> Result<()> {
        let refused = |message: String| InvalidExtract::at(line, Some(mapping::THREADS), message);
        let thread: records::Thread = parse(record).map_err(refused)?;
        if self.block.as_ref().is_some_and(|b| b.conversation_id != thread.conversation_id) {
            self.flush_threads()?;
        }
        let conversation_id = thread.conversation_id;
        let skipped = self.skipped_conversations.get(&conversation_id).cloned();
        let block = self.block.get_or_insert_with(|| Block { conversation_id, skipped, events: Vec::new() });
        if let Some(state) = &block.skipped {
            self.notices.count(mapping::THREADS, "conversation.state", state, "skipped with its conversation");
            return Ok(());
        }
        if let Some(event) = threads::event(thread, &mut self.notices).map_err(refused)? {
            block.events.push(event);
        }
        Ok(())
    }

    /// Write the current conversation's threads, as one block: a later
    /// block of the same conversation replaces it whole.
    fn flush_threads(&mut self) -> Result<()> {
        let Some(mut block) = self.block.take() else { return Ok(()) };
        if block.skipped.is_some() {
            return Ok(());
        }
        threads::normalise(&mut block.events);
        let account_id = self.settings.options.account_id;
        let rows: Vec<_> = block.events.iter().map(|e| threads::row(account_id, block.conversation_id, e)).collect();
        self.snapshot.append_block("threads", (block.conversation_id, 0), &rows)
    }

    fn finish(mut self, lines: u64) -> Result<Outcome> {
        // No STATE at all: refused as unfinished below, unless --allow-partial.
        let extract = self.extract.unwrap_or(Extract::Full);
        let complete = self.check_complete(lines)?;
        let created_at = self.account_created_at()?;
        let settings = self.settings;
        let account = mapping::account(&mapping::Account {
            id: settings.options.account_id,
            name: &settings.account_name,
            plan: &settings.plan,
            timezone: &settings.timezone,
            created_at,
        });
        self.snapshot.append(account.table, account.key, &account.row)?;
        self.warn_about_the_extract(extract);
        let tables = self.snapshot.finish()?;
        Ok(Outcome { extract, complete, lines, streams: self.streams, tables, notices: self.notices, last_state: self.last_state })
    }

    /// The tap's last STATE has `currently_syncing: null` only when it got
    /// through every selected stream. Anything else means it stopped (an
    /// error, a 403 on a Standard plan's ratings): streams are missing, and
    /// a full ingest would close their rows as deleted.
    fn check_complete(&mut self, lines: u64) -> Result<bool> {
        let syncing = match &self.last_state {
            None => Some("no STATE at all".to_string()),
            Some(state) => match state.get("currently_syncing") {
                None | Some(Value::Null) => None,
                Some(Value::String(stream)) => Some(format!("it stopped while syncing {stream}")),
                Some(other) => Some(format!("currently_syncing is {other}")),
            },
        };
        let Some(why) = syncing else { return Ok(true) };
        if !self.settings.allow_partial {
            return Err(InvalidExtract {
                line: Some(lines),
                stream: None,
                message: format!(
                    "the output ends without the tap's final STATE ({why}): the tap did not finish, so streams are missing \
                     (check its exit status and log; on a Standard plan use a catalog without happiness_ratings_report); \
                     --allow-partial imports it anyway, for `ingest --mode incremental` only"
                ),
            }
            .into());
        }
        self.notices.warn(format!(
            "PARTIAL extract ({why}): streams are missing; ingest it with --mode incremental only, and keep the previous state \
             (the tap saves a stream's bookmark before its child streams are read)"
        ));
        Ok(false)
    }

    fn account_created_at(&self) -> Result<i64> {
        if let Some(given) = self.settings.account_created_at {
            return Ok(given);
        }
        self.earliest_created.ok_or_else(|| {
            InvalidExtract {
                line: None,
                stream: None,
                message: "no mailbox or user in the extract has a created_at, so the account's creation is unknown: \
                          pass --account-created-at (and check the tap's start_date: a full extract needs one older than the account)"
                    .to_string(),
            }
            .into()
        })
    }

    fn warn_about_the_extract(&mut self, extract: Extract) {
        let records = |stream: &str| self.streams.get(stream).map_or(0, |(n, _)| *n);
        let mut warnings = Vec::new();
        if extract == Extract::Full {
            for (stream, table) in [(mapping::USERS, "users"), (mapping::MAILBOXES, "inboxes")] {
                if records(stream) == 0 {
                    warnings.push(format!(
                        "a full extract without {stream}: {table} is empty, and a full ingest refuses it; the tap's start_date must be \
                         older than anything in the account (e.g. 2000-01-01T00:00:00Z), since it also filters {stream} by their updatedAt"
                    ));
                }
            }
        }
        if self.streams.contains_key(mapping::FOLDERS) {
            warnings.push(
                "user_inboxes comes from the users' \"mytickets\" folders, and tap-helpscout 1.2.2 shares one folder bookmark across \
                 mailboxes, so some folders (and accesses) can be missing: a user with role `user` may see fewer inboxes in reports \
                 than in Help Scout, never more"
                    .to_string(),
            );
        } else if extract == Extract::Full {
            warnings.push("no mailbox_folders in the extract: user_inboxes is empty, so users with role `user` see no inbox in reports".to_string());
        }
        if records(mapping::RATINGS) > 0 && self.settings.plan == "standard" {
            warnings.push("the extract has happiness ratings but --plan is standard (the ratings report is Plus/Pro only): pass --plan".to_string());
        }
        for warning in warnings {
            self.notices.warn(warning);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            options: Options { account_id: 1, users_can_view_reports: false },
            account_name: "Acme".into(),
            plan: "plus".into(),
            timezone: "UTC".into(),
            account_created_at: None,
            allow_partial: false,
        }
    }

    fn temp(tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("deskql-import-hs-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    const FULL_START: &str = r#"{"type": "STATE", "value": {"currently_syncing": "conversations"}}"#;
    const END: &str = r#"{"type": "STATE", "value": {"currently_syncing": null, "bookmarks": {"users": "2026-09-03T08:00:00Z"}}}"#;
    const USERS: &str = r#"{"type": "SCHEMA", "stream": "users", "schema": {}, "key_properties": ["id"]}
{"type": "RECORD", "stream": "users", "record": {"id": 101, "first_name": "Olivia", "role": "owner", "type": "user", "created_at": "2026-01-10T09:00:00.000000Z"}}
{"type": "SCHEMA", "stream": "mailboxes", "schema": {}, "key_properties": ["id"]}
{"type": "RECORD", "stream": "mailboxes", "record": {"id": 5001, "name": "Support", "created_at": "2026-01-05T09:00:00.000000Z"}}"#;

    fn run(text: &str, settings: &Settings, out: &Path) -> Result<Outcome> {
        import(text.as_bytes(), settings, out)
    }

    #[test]
    fn a_full_extract_derives_the_account_creation_and_counts_unknown_streams() {
        let dir = temp("full");
        let text = format!("{FULL_START}\n{USERS}\n{{\"type\": \"SCHEMA\", \"stream\": \"tickets_v3\", \"schema\": {{}}}}\n{{\"type\": \"RECORD\", \"stream\": \"tickets_v3\", \"record\": {{}}}}\n{END}\n");
        let outcome = run(&text, &settings(), &dir.join("snap")).unwrap();
        assert_eq!((outcome.extract, outcome.complete), (Extract::Full, true));
        assert_eq!(outcome.notices.count_of("tickets_v3", "stream", "tickets_v3"), 1);
        assert_eq!(outcome.streams["tickets_v3"], (1, "unknown"));
        assert!(outcome.tables.contains(&("users".to_string(), 1)) && outcome.tables.contains(&("threads".to_string(), 0)));
        assert!(dir.join("snap/accounts.parquet").is_file());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_incremental_extract_needs_the_account_creation() {
        let dir = temp("incremental");
        let text = format!("{{\"type\": \"STATE\", \"value\": {{\"bookmarks\": {{\"users\": \"2026-09-03T08:00:00Z\"}}, \"currently_syncing\": \"users\"}}}}\n{USERS}\n{END}\n");
        let err = run(&text, &settings(), &dir.join("snap")).unwrap_err();
        assert!(err.downcast_ref::<MissingAccountCreatedAt>().is_some(), "{err}");
        assert!(!dir.join("snap").exists());
        let given = Settings { account_created_at: Some(0), ..settings() };
        let outcome = run(&text, &given, &dir.join("snap")).unwrap();
        assert_eq!(outcome.extract, Extract::Incremental);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_unfinished_extract_is_refused_unless_allowed() {
        let dir = temp("partial");
        let text = format!("{FULL_START}\n{USERS}\n");
        let err = run(&text, &settings(), &dir.join("snap")).unwrap_err();
        let invalid = err.downcast_ref::<InvalidExtract>().unwrap();
        assert!(invalid.message.contains("it stopped while syncing conversations"), "{invalid}");
        assert!(!dir.join("snap").exists());
        let allowed = Settings { allow_partial: true, ..settings() };
        let outcome = run(&text, &allowed, &dir.join("snap")).unwrap();
        assert!(!outcome.complete && outcome.notices.warnings().iter().any(|w| w.starts_with("PARTIAL")));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_record_missing_its_key_names_the_line_and_stream() {
        let dir = temp("key");
        let text = format!("{FULL_START}\n{USERS}\n{{\"type\": \"RECORD\", \"stream\": \"users\", \"record\": {{\"first_name\": \"Nobody\"}}}}\n{END}\n");
        let err = run(&text, &settings(), &dir.join("snap")).unwrap_err().to_string();
        assert!(err.starts_with("invalid tap output at line 6 (stream users): the record is not usable: missing field `id`"), "{err}");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "no folder, not even the temporary one");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
