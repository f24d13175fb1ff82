//! The library's doc comments, its single source of documentation.
//!
//! - A block of `--- ` lines right before `CREATE ... metrics.<name>`
//!   documents that object (`deskql views list`).
//! - A block starting `--- @metric <name> (<unit>) "<label>"`, followed by
//!   `--- @shown <report>: <section>, ...; <report>: ...` and the definition,
//!   documents one metric where it is computed. It becomes rows of
//!   `metrics.catalogue` (one per report and section it is shown in), which
//!   the report macros join to pick, label and order their cards, and which
//!   `deskql metrics` prints.

use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::{SCHEMA, SourceFile, sha256_hex};
use crate::sqltext::split_statements;

/// Units a metric may have; they decide formatting and comparisons.
pub const UNITS: &[&str] = &["count", "per_day", "seconds", "percent", "score", "ratio", "weekday", "hour", "stars", "flag"];

/// One object (macro, table macro or view) of the library.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectDoc {
    /// Name without schema, e.g. `fact_conversations`.
    pub name: String,
    /// `macro`, `table macro` or `view`.
    pub kind: String,
    pub doc: String,
    /// The CREATE statement, as written (schema `metrics`).
    pub sql: String,
    /// SHA-256 (hex) of `sql`.
    pub sha256: String,
    pub file: String,
    pub line: usize,
}

/// One metric, as documented.
#[derive(Debug, Clone, Serialize)]
pub struct MetricDoc {
    pub metric: String,
    pub unit: String,
    pub label: String,
    /// (report, section) pairs the metric is shown in.
    pub shown: Vec<(String, String)>,
    pub definition: String,
    pub file: String,
    pub line: usize,
}

/// One row of `metrics.catalogue`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CatalogueRow {
    pub report: String,
    pub section: String,
    pub metric: String,
    pub label: String,
    pub unit: String,
    pub definition: String,
    pub ordinal: i32,
}

#[derive(Debug, Default)]
pub struct Docs {
    pub objects: Vec<ObjectDoc>,
    pub metrics: Vec<MetricDoc>,
    pub catalogue: Vec<CatalogueRow>,
}

impl Docs {
    pub fn parse(files: &[SourceFile], sections: &[String]) -> Result<Docs> {
        let mut docs = Docs::default();
        for file in files {
            docs.objects.extend(parse_objects(file)?);
            docs.metrics.extend(parse_metrics(file)?);
        }
        docs.catalogue = catalogue(&docs.metrics, sections)?;
        check_unique_objects(&docs.objects)?;
        Ok(docs)
    }

    pub fn object(&self, name: &str) -> Option<&ObjectDoc> {
        self.objects.iter().find(|o| o.name == name)
    }

    /// The objects `sql` uses, directly or through other objects, in library
    /// order: what a figure computed by `sql` depends on.
    pub fn closure(&self, sql: &str) -> Vec<&ObjectDoc> {
        let mut wanted: Vec<String> = referenced_names(sql);
        let mut seen: Vec<String> = Vec::new();
        while let Some(name) = wanted.pop() {
            if seen.contains(&name) {
                continue;
            }
            if let Some(object) = self.object(&name) {
                wanted.extend(referenced_names(&object.sql));
            }
            seen.push(name);
        }
        self.objects.iter().filter(|o| seen.contains(&o.name)).collect()
    }
}

/// Names of library objects `sql` refers to (`metrics.<name>`).
pub fn referenced_names(sql: &str) -> Vec<String> {
    let mut names = Vec::new();
    for at in super::schema_qualifiers(sql) {
        let after = &sql[at + SCHEMA.len() + 1..];
        let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Objects of one file: every `CREATE ... metrics.<name>` statement with the
/// doc block right above it.
fn parse_objects(file: &SourceFile) -> Result<Vec<ObjectDoc>> {
    let mut objects = Vec::new();
    for statement in split_statements(file.text) {
        let lines: Vec<&str> = statement.text.lines().collect();
        let Some(create_at) = lines.iter().position(|l| l.trim_start().to_ascii_uppercase().starts_with("CREATE ")) else {
            bail!("{}:{}: a library file holds only CREATE statements, found: {}", file.path, statement.line, first_words(statement.text));
        };
        let create_line = lines[create_at];
        let (kind, name) = created_object(create_line)
            .with_context(|| format!("{}:{}: cannot read the object name of: {create_line}", file.path, statement.line + create_at))?;
        let doc = doc_text(lines[..create_at].iter().rev().take_while(|l| l.trim_start().starts_with("---")).collect::<Vec<_>>().into_iter().rev().copied());
        if doc.is_empty() {
            bail!("{}:{}: {SCHEMA}.{name} has no doc comment (`--- ...` lines right above its CREATE)", file.path, statement.line + create_at);
        }
        let sql = lines[create_at..].join("\n");
        objects.push(ObjectDoc { sha256: sha256_hex(&sql), name, kind, doc, sql, file: file.path.to_string(), line: statement.line + create_at });
    }
    Ok(objects)
}

fn first_words(text: &str) -> String {
    text.split_whitespace().take(6).collect::<Vec<_>>().join(" ")
}

/// `CREATE OR REPLACE MACRO metrics.name(...) AS TABLE` -> ("table macro", "name").
fn created_object(line: &str) -> Option<(String, String)> {
    let upper = line.to_ascii_uppercase();
    let words: Vec<&str> = line.split_whitespace().collect();
    let upper_words: Vec<&str> = upper.split_whitespace().collect();
    let kind_at = upper_words.iter().position(|w| matches!(*w, "MACRO" | "VIEW" | "TABLE" | "FUNCTION"))?;
    let qualified = words.get(kind_at + 1)?;
    let name = qualified.strip_prefix(&format!("{SCHEMA}."))?;
    let name: String = name.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let kind = match upper_words[kind_at] {
        "VIEW" => "view",
        "TABLE" => "table",
        _ if upper.contains("AS TABLE") => "table macro",
        _ => "macro",
    };
    (!name.is_empty()).then(|| (kind.to_string(), name))
}

/// The text of `--- ` lines: one paragraph, bullets (`- `) on their own lines.
fn doc_text<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        let text = line.trim_start().trim_start_matches("---").trim();
        if text.is_empty() {
            continue;
        }
        if text.starts_with("- ") && !out.is_empty() {
            out.push('\n');
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(text);
    }
    out
}

/// Metric blocks of one file.
fn parse_metrics(file: &SourceFile) -> Result<Vec<MetricDoc>> {
    let lines: Vec<&str> = file.text.lines().collect();
    let mut metrics = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(header) = lines[i].trim_start().strip_prefix("--- @metric ") else {
            i += 1;
            continue;
        };
        let line = i + 1;
        let place = format!("{}:{line}", file.path);
        let (metric, unit, label) = parse_header(header).with_context(|| format!("{place}: expected `--- @metric <name> (<unit>) \"<label>\"`"))?;
        let mut block = Vec::new();
        i += 1;
        while i < lines.len() && lines[i].trim_start().starts_with("---") {
            block.push(lines[i]);
            i += 1;
        }
        let shown_line = block.first().and_then(|l| l.trim_start().strip_prefix("--- @shown "));
        let Some(shown_text) = shown_line else {
            bail!("{place}: metric {metric} needs a `--- @shown <report>: <section>, ...` line right after its header");
        };
        let shown = parse_shown(shown_text).with_context(|| format!("{place}: metric {metric}: bad @shown line"))?;
        let definition = doc_text(block[1..].iter().copied());
        if definition.is_empty() {
            bail!("{place}: metric {metric} has no definition");
        }
        if !UNITS.contains(&unit.as_str()) {
            bail!("{place}: metric {metric} has unit {unit:?}; expected one of {}", UNITS.join(", "));
        }
        metrics.push(MetricDoc { metric, unit, label, shown, definition, file: file.path.to_string(), line });
    }
    Ok(metrics)
}

/// `name (unit) "Label"`.
fn parse_header(header: &str) -> Option<(String, String, String)> {
    let (name, rest) = header.trim().split_once(' ')?;
    let rest = rest.trim().strip_prefix('(')?;
    let (unit, rest) = rest.split_once(')')?;
    let label = rest.trim().strip_prefix('"')?.strip_suffix('"')?;
    let valid_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    valid_name.then(|| (name.to_string(), unit.trim().to_string(), label.to_string()))
}

/// `company: all, email; user: all` -> [(company, all), (company, email), (user, all)].
fn parse_shown(text: &str) -> Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for part in text.split(';') {
        let (report, sections) = part.split_once(':').with_context(|| format!("{part:?} is not `<report>: <sections>`"))?;
        for section in sections.split(',') {
            pairs.push((report.trim().to_string(), section.trim().to_string()));
        }
    }
    Ok(pairs)
}

/// Catalogue rows, ordered by section (the manifest's order), then by where
/// the metric is documented.
fn catalogue(metrics: &[MetricDoc], sections: &[String]) -> Result<Vec<CatalogueRow>> {
    let mut rows = Vec::new();
    for (index, metric) in metrics.iter().enumerate() {
        for (report, section) in &metric.shown {
            let Some(rank) = sections.iter().position(|s| s == section) else {
                bail!("{}:{}: metric {} is shown in section {section:?}, which library.toml does not list", metric.file, metric.line, metric.metric);
            };
            if rows.iter().any(|r: &CatalogueRow| &r.report == report && &r.section == section && r.metric == metric.metric) {
                bail!("{}:{}: metric {} is documented twice for {report}/{section}", metric.file, metric.line, metric.metric);
            }
            rows.push(CatalogueRow {
                report: report.clone(),
                section: section.clone(),
                metric: metric.metric.clone(),
                label: metric.label.clone(),
                unit: metric.unit.clone(),
                definition: metric.definition.clone(),
                ordinal: (rank * 1000 + index) as i32,
            });
        }
    }
    rows.sort_by(|a, b| (&a.report, a.ordinal).cmp(&(&b.report, b.ordinal)));
    Ok(rows)
}

fn check_unique_objects(objects: &[ObjectDoc]) -> Result<()> {
    for (i, object) in objects.iter().enumerate() {
        if let Some(other) = objects[..i].iter().find(|o| o.name == object.name) {
            bail!("{SCHEMA}.{} is created twice: {}:{} and {}:{}", object.name, other.file, other.line, object.file, object.line);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &'static str) -> SourceFile {
        SourceFile { path: "9.9.9/test.sql", text }
    }

    const SAMPLE: &str = "-- plain comment\n\
        --- Doubles x.\n\
        --- - really\n\
        CREATE OR REPLACE MACRO metrics.double(x) AS x * 2;\n\
        --- Numbers.\n\
        CREATE OR REPLACE MACRO metrics.numbers(n) AS TABLE\n\
        SELECT\n\
            --- @metric total (count) \"Total\"\n\
            --- @shown company: all, email; user: all\n\
            --- How many;\n\
            --- counted once.\n\
            count(*) AS total\n\
        FROM range(n);\n";

    #[test]
    fn objects_and_metrics_are_read_from_doc_comments() {
        let sections = vec!["all".to_string(), "email".to_string()];
        let docs = Docs::parse(&[file(SAMPLE)], &sections).unwrap();
        let names: Vec<(&str, &str)> = docs.objects.iter().map(|o| (o.name.as_str(), o.kind.as_str())).collect();
        assert_eq!(names, vec![("double", "macro"), ("numbers", "table macro")]);
        assert_eq!(docs.objects[0].doc, "Doubles x.\n- really");
        assert_eq!(docs.objects[1].line, 6);
        assert!(docs.objects[1].sql.starts_with("CREATE OR REPLACE MACRO metrics.numbers"));
        let metric = &docs.metrics[0];
        assert_eq!((metric.metric.as_str(), metric.unit.as_str(), metric.label.as_str()), ("total", "count", "Total"));
        assert_eq!(metric.definition, "How many; counted once.");
        let rows: Vec<(&str, &str, i32)> = docs.catalogue.iter().map(|r| (r.report.as_str(), r.section.as_str(), r.ordinal)).collect();
        assert_eq!(rows, vec![("company", "all", 0), ("company", "email", 1000), ("user", "all", 0)]);
    }

    #[test]
    fn the_closure_follows_references_through_objects() {
        let text = "--- A.\nCREATE MACRO metrics.a() AS metrics.b() + 1;\n--- B.\nCREATE MACRO metrics.b() AS 2;\n--- C.\nCREATE MACRO metrics.c() AS 3;";
        let docs = Docs::parse(&[file(text)], &[]).unwrap();
        let names: Vec<&str> = docs.closure("SELECT metrics.a(), xmetrics.c()").iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, vec!["a", "b"]);
    }

    #[test]
    fn an_undocumented_object_is_refused() {
        let err = Docs::parse(&[file("CREATE MACRO metrics.x() AS 1;")], &[]).unwrap_err();
        assert!(format!("{err:#}").contains("metrics.x has no doc comment"), "{err:#}");
    }

    #[test]
    fn a_metric_in_an_unknown_section_or_unit_is_refused() {
        let text = "--- M.\nCREATE MACRO metrics.m() AS TABLE SELECT\n--- @metric a (count) \"A\"\n--- @shown company: nowhere\n--- Def.\n1 AS a;";
        let err = Docs::parse(&[file(text)], &["all".to_string()]).unwrap_err();
        assert!(format!("{err:#}").contains("section \"nowhere\""), "{err:#}");
        let text = "--- M.\nCREATE MACRO metrics.m() AS TABLE SELECT\n--- @metric a (parsecs) \"A\"\n--- @shown company: all\n--- Def.\n1 AS a;";
        let err = Docs::parse(&[file(text)], &["all".to_string()]).unwrap_err();
        assert!(format!("{err:#}").contains("unit \"parsecs\""), "{err:#}");
    }
}
