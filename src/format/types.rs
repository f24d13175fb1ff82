//! DuckDB types on their way to the formats: the rule per type.
//!
//! A result reaches deskql as Arrow (duckdb-rs's `stream_arrow`), and Arrow
//! cannot carry every DuckDB value faithfully. What went wrong before this
//! module, and why it cannot be mended after Arrow:
//! - `TIMESTAMP WITH TIME ZONE` is labelled with the session's zone name
//!   (`UTC`); Arrow, built without a time-zone database, cannot read it.
//! - `UHUGEINT` travels as a signed `Decimal128(38, 0)`: its maximum arrives
//!   as `-1`.
//! - `infinity` dates and timestamps are DuckDB's sentinels, which Arrow's
//!   calendar cannot show; `TIME '24:00:00'` neither.
//! - `TIME WITH TIME ZONE` travels as a plain time holding DuckDB's packed
//!   bits; `BIT` and `BIGNUM` as raw storage bytes; `INTERVAL` in Arrow's own
//!   wording; `VARIANT` and `GEOMETRY` not at all.
//!
//! So the shell asks DuckDB for the text before Arrow sees the value: a
//! query whose columns need it is wrapped, `SELECT CAST(c AS ...) FROM
//! (<query>)`, and every value is then written as DuckDB's own `CAST(value
//! AS VARCHAR)` writes it (the text the DuckDB CLI shows). The rule:
//!
//! | type | table, list, line, markdown, csv | json, jsonl |
//! | --- | --- | --- |
//! | BOOLEAN | `true`/`false` | true/false |
//! | TINYINT ... BIGINT, UTINYINT ... UBIGINT, HUGEINT | digits | a number |
//! | FLOAT, DOUBLE | DuckDB's text (`0.1`, `1e+20`, `inf`, `nan`) | a number; `"NaN"`, `"Infinity"`, `"-Infinity"` as strings (JSON has no such numbers) |
//! | DECIMAL(w,s) | digits with `s` decimals | a number |
//! | UHUGEINT | digits | a string of digits (Arrow has no unsigned 128-bit number) |
//! | VARCHAR, UUID | the text (control characters escaped on a terminal, see `text`) | a string |
//! | DATE, TIME, TIME_NS, TIMETZ, TIMESTAMP (_S, _MS, _NS), TIMESTAMPTZ, INTERVAL | DuckDB's text (`2026-11-01 10:00:00+00`, `infinity`, `1 day 02:00:00`) | that text as a string |
//! | BLOB | DuckDB's text (`\xAA` for bytes that are not printable ASCII) | that text as a string |
//! | BIT, BIGNUM, ENUM, UNION, VARIANT, GEOMETRY, any newer type | DuckDB's text | that text as a string |
//! | LIST, ARRAY, STRUCT, MAP | DuckDB's text (`[1, 2]`, `{'k': v}`) | JSON arrays and objects (an ARRAY as a list, MAP keys as strings), their values by this same rule |
//! | NULL | `NULL` (csv: an empty field) | null |
//!
//! Statements that cannot be wrapped (an `INSERT ... RETURNING`, `PRAGMA`,
//! `EXECUTE`) go to Arrow as they are; there a time zone label is read as
//! UTC (`cells::readable_time_zone`), and a value Arrow cannot show is an
//! error, never a placeholder.

use duckdb::core::{LogicalTypeHandle, LogicalTypeId};

use super::Format;
use crate::sqltext::quote_ident;

/// A result column as DuckDB types it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnType {
    /// As the DuckDB CLI's header shows it: `int32`, `varchar`, `decimal(5,2)`.
    pub name: String,
    /// Right-aligned in the table.
    pub numeric: bool,
}

/// Which rule column of the table above a format follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Text,
    Json,
}

impl Family {
    pub fn of(format: Format) -> Family {
        match format {
            Format::Json | Format::Jsonl => Family::Json,
            _ => Family::Text,
        }
    }
}

/// What DuckDB does with one column before Arrow: nothing, or a cast.
pub type Cast = Option<String>;

/// The casts a column of type `t` needs for `family`.
pub fn cast_for(t: &LogicalTypeHandle, family: Family) -> Cast {
    match family {
        Family::Text => Some("VARCHAR".to_string()),
        Family::Json => json_target(t),
    }
}

/// The type a JSON column is cast to, `None` when Arrow carries it as it is.
fn json_target(t: &LogicalTypeHandle) -> Cast {
    use LogicalTypeId as Id;
    match t.id() {
        Id::Boolean | Id::Tinyint | Id::Smallint | Id::Integer | Id::Bigint | Id::UTinyint | Id::USmallint | Id::UInteger | Id::UBigint | Id::Hugeint => None,
        Id::Float | Id::Double | Id::Decimal | Id::Varchar | Id::Uuid | Id::SqlNull => None,
        Id::List | Id::Array => {
            let child = t.child(0);
            // An ARRAY becomes a LIST when its elements change: the cast to a
            // list needs no size, which duckdb-rs does not tell.
            match (t.id(), json_target(&child)) {
                (Id::List, None) => None,
                (_, None) => Some(format!("{}[]", sql_type(&child))),
                (_, Some(cast)) => Some(format!("{cast}[]")),
            }
        }
        Id::Struct => {
            let fields: Vec<(String, LogicalTypeHandle)> = (0..t.num_children()).map(|i| (t.child_name(i), t.child(i))).collect();
            let targets: Vec<Cast> = fields.iter().map(|(_, child)| json_target(child)).collect();
            if targets.iter().all(Option::is_none) {
                return None;
            }
            let members: Vec<String> = fields
                .iter()
                .zip(targets)
                .map(|((name, child), target)| format!("{} {}", quote_ident(name), target.unwrap_or_else(|| sql_type(child))))
                .collect();
            Some(format!("STRUCT({})", members.join(", ")))
        }
        Id::Map => {
            // JSON object keys are strings.
            let (key, value) = (t.child(0), t.child(1));
            let value_target = json_target(&value);
            if key.id() == Id::Varchar && value_target.is_none() {
                return None;
            }
            Some(format!("MAP(VARCHAR, {})", value_target.unwrap_or_else(|| sql_type(&value))))
        }
        _ => Some("VARCHAR".to_string()),
    }
}

/// SQL text of a type that JSON keeps as it is (see `json_target`).
fn sql_type(t: &LogicalTypeHandle) -> String {
    use LogicalTypeId as Id;
    match t.id() {
        Id::Decimal => format!("DECIMAL({},{})", t.decimal_width(), t.decimal_scale()),
        Id::List | Id::Array => format!("{}[]", sql_type(&t.child(0))),
        Id::Struct => {
            let members: Vec<String> = (0..t.num_children()).map(|i| format!("{} {}", quote_ident(&t.child_name(i)), sql_type(&t.child(i)))).collect();
            format!("STRUCT({})", members.join(", "))
        }
        Id::Map => format!("MAP({}, {})", sql_type(&t.child(0)), sql_type(&t.child(1))),
        Id::SqlNull => "INTEGER".to_string(),
        other => upper_name(other).unwrap_or("VARCHAR").to_string(),
    }
}

/// DuckDB's name of a type without parameters or children.
fn upper_name(id: LogicalTypeId) -> Option<&'static str> {
    use LogicalTypeId as Id;
    Some(match id {
        Id::Boolean => "BOOLEAN",
        Id::Tinyint => "TINYINT",
        Id::Smallint => "SMALLINT",
        Id::Integer => "INTEGER",
        Id::Bigint => "BIGINT",
        Id::Hugeint => "HUGEINT",
        Id::UTinyint => "UTINYINT",
        Id::USmallint => "USMALLINT",
        Id::UInteger => "UINTEGER",
        Id::UBigint => "UBIGINT",
        Id::UHugeint => "UHUGEINT",
        Id::Float => "FLOAT",
        Id::Double => "DOUBLE",
        Id::Varchar => "VARCHAR",
        Id::Blob => "BLOB",
        Id::Uuid => "UUID",
        Id::Date => "DATE",
        Id::Time => "TIME",
        Id::TimeNs => "TIME_NS",
        Id::TimeTZ => "TIME WITH TIME ZONE",
        Id::Timestamp => "TIMESTAMP",
        Id::TimestampS => "TIMESTAMP_S",
        Id::TimestampMs => "TIMESTAMP_MS",
        Id::TimestampNs => "TIMESTAMP_NS",
        Id::TimestampTZ => "TIMESTAMP WITH TIME ZONE",
        Id::Interval => "INTERVAL",
        Id::Bit => "BIT",
        Id::Bignum => "BIGNUM",
        Id::Enum => "ENUM",
        Id::Union => "UNION",
        Id::Geometry => "GEOMETRY",
        Id::Variant => "VARIANT",
        Id::SqlNull => "NULL",
        _ => return None,
    })
}

/// The column type as the DuckDB CLI's header writes it, from the handle
/// (used when DuckDB's own type text, from DESCRIBE, is not at hand).
pub fn column_type(t: &LogicalTypeHandle) -> ColumnType {
    ColumnType { name: display_name(t), numeric: is_numeric(t.id()) }
}

fn display_name(t: &LogicalTypeHandle) -> String {
    use LogicalTypeId as Id;
    if let Some(alias) = t.get_alias() {
        return alias.to_lowercase();
    }
    match t.id() {
        Id::List => format!("{}[]", display_name(&t.child(0))),
        Id::Array => format!("{}[]", display_name(&t.child(0))),
        Id::Decimal => format!("decimal({},{})", t.decimal_width(), t.decimal_scale()),
        Id::Struct | Id::Union => {
            let members: Vec<String> = (0..t.num_children()).map(|i| format!("{} {}", t.child_name(i), display_name(&t.child(i)))).collect();
            format!("{}({})", if t.id() == Id::Struct { "struct" } else { "union" }, members.join(", "))
        }
        Id::Map => format!("map({}, {})", display_name(&t.child(0)), display_name(&t.child(1))),
        other => short_int_name(other).map(str::to_string).unwrap_or_else(|| upper_name(other).unwrap_or("unknown").to_lowercase()),
    }
}

/// The DuckDB CLI writes integer types by their size.
fn short_int_name(id: LogicalTypeId) -> Option<&'static str> {
    use LogicalTypeId as Id;
    Some(match id {
        Id::Tinyint => "int8",
        Id::Smallint => "int16",
        Id::Integer => "int32",
        Id::Bigint => "int64",
        Id::Hugeint => "int128",
        Id::UTinyint => "uint8",
        Id::USmallint => "uint16",
        Id::UInteger => "uint32",
        Id::UBigint => "uint64",
        Id::UHugeint => "uint128",
        _ => return None,
    })
}

fn is_numeric(id: LogicalTypeId) -> bool {
    use LogicalTypeId as Id;
    short_int_name(id).is_some() || matches!(id, Id::Float | Id::Double | Id::Decimal)
}

/// DuckDB's type text (from DESCRIBE: `INTEGER`, `DECIMAL(5,2)`,
/// `STRUCT(k VARCHAR)`) as the DuckDB CLI's header writes it: lower case
/// outside quotes, integers by size, list elements likewise.
pub fn display_from_text(text: &str) -> String {
    if let Some(element) = text.strip_suffix("[]") {
        return format!("{}[]", display_from_text(element));
    }
    let upper = text.to_ascii_uppercase();
    let short = match upper.as_str() {
        "TINYINT" => Some("int8"),
        "SMALLINT" => Some("int16"),
        "INTEGER" => Some("int32"),
        "BIGINT" => Some("int64"),
        "HUGEINT" => Some("int128"),
        "UTINYINT" => Some("uint8"),
        "USMALLINT" => Some("uint16"),
        "UINTEGER" => Some("uint32"),
        "UBIGINT" => Some("uint64"),
        "UHUGEINT" => Some("uint128"),
        _ => None,
    };
    short.map(str::to_string).unwrap_or_else(|| lower_outside_quotes(text))
}

fn lower_outside_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {}
        }
        out.push(if quote.is_none() { c.to_ascii_lowercase() } else { c });
    }
    out
}

/// `sql` with its columns cast as `casts` says, keeping their `names` and
/// order. The statement goes on lines of its own, so that a trailing `--`
/// comment cannot swallow the closing parenthesis.
pub fn wrap(sql: &str, names: &[String], casts: &[Cast]) -> String {
    let aliases: Vec<String> = (1..=names.len()).map(|i| format!("\"c{i}\"")).collect();
    let select: Vec<String> = aliases
        .iter()
        .zip(names)
        .zip(casts)
        .map(|((alias, name), cast)| match cast {
            Some(target) => format!("CAST({alias} AS {target}) AS {}", quote_ident(name)),
            None => format!("{alias} AS {}", quote_ident(name)),
        })
        .collect();
    format!("SELECT {}\nFROM (\n{sql}\n) AS deskql_result({})", select.join(", "), aliases.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_follow_the_duckdb_cli() {
        assert_eq!(display_from_text("INTEGER"), "int32");
        assert_eq!(display_from_text("BIGINT[][]"), "int64[][]");
        assert_eq!(display_from_text("DECIMAL(5,2)"), "decimal(5,2)");
        assert_eq!(display_from_text("STRUCT(\"Key A\" VARCHAR, b INTEGER)"), "struct(\"Key A\" varchar, b integer)");
        assert_eq!(display_from_text("ENUM('A', 'b')"), "enum('A', 'b')");
        assert_eq!(display_from_text("TIMESTAMP WITH TIME ZONE"), "timestamp with time zone");
    }

    #[test]
    fn wrapping_keeps_names_and_survives_a_trailing_comment() {
        let wrapped = wrap("SELECT 1 AS a, now() AS \"b c\" -- the end", &["a".into(), "b c".into()], &[None, Some("VARCHAR".into())]);
        assert_eq!(wrapped, "SELECT \"c1\" AS \"a\", CAST(\"c2\" AS VARCHAR) AS \"b c\"\nFROM (\nSELECT 1 AS a, now() AS \"b c\" -- the end\n) AS deskql_result(\"c1\", \"c2\")");
    }
}
