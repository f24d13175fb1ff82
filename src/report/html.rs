//! `--format html`: one self-contained, email-ready page. Layout with
//! tables, `div`s and inline `style` attributes (what mail clients render),
//! no scripts, no external assets, no links to fetch; charts are inline SVG
//! and the busiest-time heatmap a table of coloured cells. Everything fits
//! a 480 px wide mail client: cards wrap, charts scale, wide tables fold
//! their descriptive columns into the first one.

use serde_json::Value;

use super::chart::{Bar, HEAT_LEVELS, SeriesKind, heat_level, svg_bars, svg_series};
use super::document::{Card, ReportDoc, Table};
use super::present::{self, hour_text};
use super::render::{Columns, columns, header_lines, not_enabled_text, sections, shown_cards, title};
use super::spec::TableShape;
use super::text::{grid_rows, range_sentence};
use super::units::{Tone, display_card_change, display_difference, display_value, duration, is_duration_column, section_title, tone};

const PAGE: &str = "margin:0;padding:16px 8px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933;";
const BOX: &str = "background:#ffffff;border:1px solid #d9dee4;border-radius:6px;padding:12px;margin:0 0 14px 0;";
const H2: &str = "font-size:17px;margin:0 0 10px 0;";
const TILE: &str = "display:inline-block;vertical-align:top;box-sizing:border-box;width:170px;max-width:100%;margin:0 6px 8px 0;\
                    padding:8px 10px;border:1px solid #e4e7eb;border-radius:6px;background:#fafbfc;";
const TH: &str = "text-align:left;vertical-align:bottom;padding:4px 5px;border-bottom:2px solid #d9dee4;font-size:12px;color:#52606d;";
const TD: &str = "vertical-align:top;padding:5px 5px;border-bottom:1px solid #eef0f3;font-size:13px;";
const NUMBER: &str = "text-align:right;white-space:nowrap;";
const MUTED: &str = "color:#7b8794;font-size:12px;";
/// What a missing cell reads as.
static NULL: Value = Value::Null;
/// Heatmap cells, from nothing to the busiest hour.
const HEAT: [&str; HEAT_LEVELS + 1] = ["#eef2f7", "#c6dbf7", "#8fb8ef", "#4f8ee6", "#1d5fd0"];

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

pub fn document(doc: &ReportDoc) -> String {
    let mut html = String::new();
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    html.push_str(&format!("<title>{}</title></head>\n", escape(&title(doc))));
    html.push_str(&format!("<body style=\"{PAGE}\"><div style=\"max-width:760px;margin:0 auto;\">\n"));
    html.push_str(&format!("<h1 style=\"font-size:21px;margin:0 0 8px 0;\">{}</h1>\n", escape(&title(doc))));
    html.push_str(&header_html(doc));
    for (section, cards) in sections(&doc.cards) {
        html.push_str(&section_html(doc, &section, &cards));
    }
    for table in &doc.tables {
        html.push_str(&table_html(doc, table));
    }
    html.push_str(&format!(
        "<p style=\"font-size:11px;color:#7b8794;\">{} · library {} · snapshot content {}</p>\n",
        escape(&doc.header.generated_by),
        escape(&doc.header.library.version),
        escape(doc.header.snapshot.content_hash.get(..16).unwrap_or_default())
    ));
    html.push_str("</div></body></html>\n");
    html
}

/// The header's facts; a note that the data ends before the period does
/// stands out.
fn header_html(doc: &ReportDoc) -> String {
    let lines: Vec<String> = header_lines(doc)
        .iter()
        .map(|line| {
            if line.starts_with("Note: data until") {
                format!("<span style=\"color:#9a5b00;font-weight:bold;\">{}</span>", escape(line))
            } else {
                escape(line)
            }
        })
        .collect();
    format!("<p style=\"font-size:13px;color:#52606d;margin:0 0 14px 0;line-height:1.45;\">{}</p>\n", lines.join("<br>"))
}

fn section_html(doc: &ReportDoc, section: &str, cards: &[&Card]) -> String {
    let mut html = format!("<div style=\"{BOX}\" data-section=\"{}\">", escape(section));
    html.push_str(&format!("<h2 style=\"{H2}\">{}</h2>", escape(&section_title(section))));
    let Some(shown) = shown_cards(cards) else {
        html.push_str(&format!(
            "<p style=\"font-size:14px;color:#52606d;margin:0;\" data-not-enabled=\"{}\">{}</p></div>\n",
            escape(section),
            escape(&not_enabled_text(section))
        ));
        return html;
    };
    let columns = columns(doc, section, &shown);
    html.push_str("<div>");
    for card in &shown {
        html.push_str(&tile_html(doc, card, columns));
    }
    html.push_str("</div>");
    let benchmarked: Vec<&&Card> = shown.iter().filter(|c| c.benchmark.is_some()).collect();
    if !benchmarked.is_empty() {
        html.push_str("<h3 style=\"font-size:14px;margin:12px 0 4px 0;color:#52606d;\">This account against the benchmark</h3>");
    }
    for card in benchmarked {
        let bar = |label: &str, value: Option<f64>| Bar { label: label.to_string(), value: value.unwrap_or(0.0), text: display_value(&card.unit, value) };
        let bars = [bar("This account", card.value), bar("Benchmark", card.benchmark)];
        let hint = if card.unit == "seconds" { " (lower is better)" } else { "" };
        html.push_str(&format!(
            "<p style=\"font-size:13px;margin:10px 0 2px 0;\">{}{hint}</p><div style=\"max-width:100%;overflow:hidden;\">{}</div>",
            escape(&card.label),
            svg_bars(&format!("{}: this account against the benchmark", card.label), &bars, 420)
        ));
    }
    html.push_str("</div>\n");
    html
}

/// One metric: its label (the catalogue definition as a tooltip), its
/// value, and under `--compare` the change coloured by whether it is good
/// news, or for the usage report the benchmark and the difference.
fn tile_html(doc: &ReportDoc, card: &Card, columns: Columns) -> String {
    let key = format!("{}/{}", card.section, card.metric);
    let definition = doc.definition(&card.section, &card.metric).unwrap_or_default();
    let mut html = format!("<div style=\"{TILE}\" data-metric=\"{}\">", escape(&key));
    html.push_str(&format!(
        "<div style=\"font-size:12px;color:#52606d;\"><span title=\"{}\" style=\"border-bottom:1px dotted #9aa5b1;\">{}</span></div>",
        escape(definition),
        escape(&card.label)
    ));
    html.push_str(&format!("<div style=\"font-size:20px;font-weight:bold;margin:3px 0 2px 0;\">{}</div>", escape(&display_value(&card.unit, card.value))));
    if columns.compared {
        html.push_str(&change_html(card));
    }
    if columns.benchmarked && card.benchmark.is_some() {
        let accounts = card.benchmark_accounts.map(|n| format!(" ({n} {})", if n == 1 { "account" } else { "accounts" })).unwrap_or_default();
        let tone = tone(&card.metric, &card.unit, card.difference);
        html.push_str(&format!(
            "<div style=\"{MUTED}\">Benchmark {}{}</div><div style=\"font-size:12px;color:{};font-weight:bold;\" data-tone=\"{}\">{}</div>",
            escape(&display_value(&card.unit, card.benchmark)),
            escape(&accounts),
            tone_colour(tone),
            tone_name(tone),
            escape(&display_difference(&card.unit, card.difference))
        ));
    }
    html.push_str("</div>");
    html
}

/// Under `--compare`: the change, coloured by whether it is good news, and
/// the previous figure (or that there was none).
fn change_html(card: &Card) -> String {
    let Some(previous) = card.previous else {
        return format!("<div style=\"{MUTED}\">none the period before</div>");
    };
    let change = display_card_change(card.change, card.change_unit.as_deref(), card.change_note.as_deref(), card.previous);
    let tone = tone(&card.metric, &card.unit, card.change);
    format!(
        "<div style=\"font-size:12px;\"><span style=\"color:{};font-weight:bold;\" data-tone=\"{}\">{}</span> <span style=\"{MUTED}\">from {}</span></div>",
        tone_colour(tone),
        tone_name(tone),
        escape(&arrowed(&change, card.change)),
        escape(&display_value(&card.unit, Some(previous)))
    )
}

/// `+12.0 %` as `▲ +12.0 %`: the arrow says which way, the colour whether
/// that is good.
fn arrowed(text: &str, change: Option<f64>) -> String {
    match change {
        Some(c) if c > 0.0 => format!("▲ {text}"),
        Some(c) if c < 0.0 => format!("▼ {text}"),
        _ => text.to_string(),
    }
}

fn tone_colour(tone: Tone) -> &'static str {
    match tone {
        Tone::Good => "#18794e",
        Tone::Bad => "#c62828",
        Tone::Neutral => "#52606d",
    }
}

fn tone_name(tone: Tone) -> &'static str {
    match tone {
        Tone::Good => "good",
        Tone::Bad => "bad",
        Tone::Neutral => "neutral",
    }
}

fn table_html(doc: &ReportDoc, table: &Table) -> String {
    let mut html = format!("<div style=\"{BOX}\" data-table=\"{}\">", escape(&table.name));
    html.push_str(&format!("<h2 style=\"{H2}\">{}</h2>", escape(&table.title)));
    if table.rows.is_empty() {
        html.push_str("<p style=\"font-size:14px;color:#52606d;margin:0;\">None.</p></div>\n");
        return html;
    }
    html.push_str(&match table.shape {
        TableShape::Series => series_html(doc, table),
        TableShape::HourGrid => heatmap_html(doc, table),
        TableShape::HourRange => format!("<p style=\"font-size:14px;margin:0;\">{}</p>", escape(&range_sentence(doc, table))),
        TableShape::Rows => rows_html(doc, table),
    });
    html.push_str("</div>\n");
    html
}

/// The series as small charts, one per figure (bars for counts, a line for
/// times), each titled with the period's figure from its card.
fn series_html(doc: &ReportDoc, table: &Table) -> String {
    let labels: Vec<String> = table.rows.iter().map(|r| r.get("day").and_then(Value::as_str).unwrap_or_default().to_string()).collect();
    let mut html = String::new();
    for column in table.columns.iter().skip(1) {
        let values = table.numbers(column);
        let (kind, text): (SeriesKind, fn(f64) -> String) =
            if is_duration_column(column) { (SeriesKind::Line, duration) } else { (SeriesKind::Bars, count_text) };
        let period = doc
            .cards
            .iter()
            .find(|c| c.section == "all" && &c.metric == column)
            .map(|c| format!(" · {} in the period", display_value(&c.unit, c.value)))
            .unwrap_or_default();
        let definition = doc.column_definition(column).unwrap_or_default();
        html.push_str(&format!(
            "<div style=\"display:inline-block;vertical-align:top;box-sizing:border-box;width:350px;max-width:100%;padding:0 8px 12px 0;\" data-series=\"{}\">\
             <div style=\"font-size:13px;margin:0 0 2px 0;\"><span title=\"{}\">{}</span><span style=\"{MUTED}\">{}</span></div>{}</div>",
            escape(column),
            escape(definition),
            escape(&present::heading(column)),
            escape(&period),
            svg_series(&format!("{} per {}", present::heading(column), doc.by.name()), &labels, &values, kind, &text)
        ));
    }
    html
}

fn count_text(value: f64) -> String {
    format!("{value}")
}

/// The busiest time as a grid of coloured cells, one per weekday and hour,
/// each with its count as a tooltip.
fn heatmap_html(doc: &ReportDoc, table: &Table) -> String {
    let rows = grid_rows(table);
    let max = rows.iter().flat_map(|(_, cells)| cells.iter().copied()).fold(0.0, f64::max);
    let events = doc.spec.busy_events();
    let cell = "padding:0;height:14px;border-radius:2px;";
    let mut html = String::from("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"2\" style=\"border-collapse:separate;width:100%;max-width:520px;table-layout:fixed;font-size:10px;color:#52606d;\">");
    html.push_str("<tr><td style=\"width:30px;\"></td>");
    for hour in (0..24).step_by(3) {
        html.push_str(&format!("<td colspan=\"3\" style=\"padding:0;\">{hour:02}</td>"));
    }
    html.push_str("<td style=\"width:26px;text-align:right;\">All</td></tr>");
    let full_days: Vec<String> = table.rows.iter().map(|r| r.get("day").and_then(Value::as_str).unwrap_or_default().to_string()).collect();
    for ((label, cells), day) in rows.iter().zip(&full_days) {
        html.push_str(&format!("<tr><td style=\"padding:0 4px 0 0;\">{}</td>", escape(label)));
        for (hour, &count) in cells.iter().enumerate() {
            html.push_str(&format!(
                "<td style=\"{cell}background:{};\" title=\"{}\"></td>",
                HEAT[heat_level(count, max)],
                escape(&format!("{day} {}–{}: {count} {events}", hour_text(hour as i64), hour_text(hour as i64 + 1)))
            ));
        }
        html.push_str(&format!("<td style=\"text-align:right;\">{}</td></tr>", cells.iter().sum::<f64>()));
    }
    html.push_str("</table>");
    let legend: String = HEAT.iter().map(|c| format!("<span style=\"display:inline-block;width:12px;height:10px;background:{c};margin:0 1px;\"></span>")).collect();
    html.push_str(&format!("<p style=\"{MUTED}margin:6px 0 0 0;\">Fewer {legend} more {events} an hour (at most {max}); local time.</p>"));
    html
}

/// How a table of rows folds into a narrow page: `lead` columns make the
/// first cell's line, `detail` columns a smaller line under it, in the first
/// cell or, `detail_row`, across the whole table (when the first column is
/// narrow, a name).
struct Fold {
    lead: &'static [&'static str],
    detail: &'static [&'static str],
    detail_row: bool,
}

fn fold(table: &str) -> Option<Fold> {
    match table {
        "conversations" => Some(Fold { lead: &["number", "subject"], detail: &["customer", "channel", "status"], detail_row: false }),
        "ratings" => Some(Fold { lead: &["conversation_number", "subject"], detail: &["customer"], detail_row: false }),
        "top_users" => Some(Fold { lead: &["user"], detail: &["ratings", "happiness_score"], detail_row: true }),
        _ => None,
    }
}

/// A table of rows in words: ids hidden, metric headings with their
/// definition as a tooltip, numbers right-aligned, shares with a bar.
fn rows_html(doc: &ReportDoc, table: &Table) -> String {
    let fold = fold(&table.name);
    let folded = |c: &str| fold.as_ref().is_some_and(|f| f.lead.contains(&c) || f.detail.contains(&c));
    let plain: Vec<&String> = table.columns.iter().filter(|c| !present::hidden(c) && !folded(c)).collect();
    let numeric: Vec<bool> = plain.iter().map(|c| table.rows.iter().any(|r| r.get(*c).is_some_and(Value::is_number))).collect();
    let mut html = String::from("<table cellpadding=\"0\" cellspacing=\"0\" style=\"width:100%;border-collapse:collapse;\"><tr>");
    if let Some(f) = &fold {
        html.push_str(&format!("<th style=\"{TH}\">{}</th>", escape(&present::heading(f.lead[0]))));
    }
    for (column, is_number) in plain.iter().zip(&numeric) {
        let align = if *is_number { "text-align:right;" } else { "" };
        let tip = doc.column_definition(column).map(|d| format!(" title=\"{}\"", escape(d))).unwrap_or_default();
        html.push_str(&format!("<th style=\"{TH}{align}\"{tip}>{}</th>", escape(&present::heading(column))));
    }
    html.push_str("</tr>");
    for row in &table.rows {
        let value = |c: &str| row.get(c).unwrap_or(&NULL);
        let detail = fold.as_ref().map(|f| detail_text(f, &value)).unwrap_or_default();
        let detail_row = fold.as_ref().is_some_and(|f| f.detail_row) && !detail.is_empty();
        // a row followed by its detail row has one bottom border, under both
        let td = if detail_row { TD.replace("border-bottom:1px solid #eef0f3;", "") } else { TD.to_string() };
        html.push_str("<tr>");
        if let Some(f) = &fold {
            html.push_str(&format!("<td style=\"{td}\">{}</td>", lead_html(f, &value, if f.detail_row { "" } else { &detail })));
        }
        for (column, is_number) in plain.iter().zip(&numeric) {
            let cell = present::cell(column, value(column.as_str()));
            let style = if *is_number { format!("{td}{NUMBER}") } else { td.clone() };
            html.push_str(&format!("<td style=\"{style}\">{}</td>", cell_html(column, &cell.text, value(column.as_str()))));
        }
        html.push_str("</tr>");
        if detail_row {
            html.push_str(&format!(
                "<tr><td colspan=\"{}\" style=\"{TD}padding-top:0;{MUTED}\">{}</td></tr>",
                plain.len() + 1,
                escape(&detail)
            ));
        }
    }
    html.push_str("</table>");
    html
}

/// The first cell of a folded row: `#9 Notes only`, then `detail` in small
/// print under it.
fn lead_html<'a>(fold: &Fold, value: &dyn Fn(&str) -> &'a Value, detail: &str) -> String {
    let lead: Vec<String> = fold
        .lead
        .iter()
        .map(|&column| {
            let text = present::cell(column, value(column)).text;
            if matches!(column, "number" | "conversation_number") { format!("#{text}") } else { text }
        })
        .collect();
    let mut html = escape(&lead.join(" "));
    if !detail.is_empty() {
        html.push_str(&format!("<br><span style=\"{MUTED}\">{}</span>", escape(detail)));
    }
    html
}

/// The small print of a folded row: `Dan · Email · Active`; numbers with
/// their heading, `Ratings: 2`.
fn detail_text<'a>(fold: &Fold, value: &dyn Fn(&str) -> &'a Value) -> String {
    let items: Vec<String> = fold
        .detail
        .iter()
        .filter(|&&column| !value(column).is_null())
        .map(|&column| {
            let cell = present::cell(column, value(column));
            if cell.numeric { format!("{}: {}", present::heading(column), cell.text) } else { cell.text }
        })
        .collect();
    items.join(" · ")
}

/// A cell's content: ratings coloured by how good they are, shares with a
/// small bar.
fn cell_html(column: &str, text: &str, value: &Value) -> String {
    match (column, value) {
        ("rating", Value::String(rating)) => {
            let colour = match rating.as_str() {
                "great" => "#18794e",
                "not_good" => "#c62828",
                _ => "#9a5b00",
            };
            format!("<span style=\"color:{colour};font-weight:bold;\">{}</span>", escape(text))
        }
        // a local time on two short lines: a narrow column, never a wide one
        (_, Value::String(raw)) if raw.len() >= 16 && present::readable_timestamp(raw) == text => match text.split_once(' ') {
            Some((day, time)) => format!("<span style=\"white-space:nowrap;\">{}</span><br>{}", escape(day), escape(time)),
            None => escape(text),
        },
        ("share", Value::Number(n)) => {
            let width = n.as_f64().unwrap_or(0.0).clamp(0.0, 100.0) * 0.6;
            format!(
                "<span style=\"display:inline-block;width:{width:.0}px;height:8px;background:#8fb8ef;margin-right:4px;vertical-align:middle;\"></span>{}",
                escape(text)
            )
        }
        _ => escape(text),
    }
}

#[cfg(test)]
mod tests {
    use super::{arrowed, escape};

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(escape("<a href=\"x\">O'Neil & co</a>"), "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;");
    }

    #[test]
    fn an_arrow_says_which_way_a_change_goes() {
        assert_eq!(arrowed("+5.0 %", Some(5.0)), "▲ +5.0 %");
        assert_eq!(arrowed("-5.0 %", Some(-5.0)), "▼ -5.0 %");
        assert_eq!(arrowed("new", None), "new");
    }
}
