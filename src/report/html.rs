//! `--format html`: one self-contained, email-ready page. Layout with
//! tables and inline `style` attributes (what mail clients render), no
//! scripts, no external assets, no links to fetch; charts are inline SVG.

use super::chart::{Bar, svg_bars};
use super::document::{Card, ReportDoc, Table};
use super::render::{card_cells, card_header, columns, header_lines, not_enabled_text, sections, shown_cards, title};
use super::units::{display_value, duration, is_duration_column, section_title};

const PAGE: &str = "margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933;";
const CARD: &str = "background:#ffffff;border:1px solid #d9dee4;border-radius:6px;padding:16px;margin:0 0 16px 0;";
const TH: &str = "text-align:left;padding:6px 10px;border-bottom:2px solid #d9dee4;font-size:13px;color:#52606d;";
const TD: &str = "padding:6px 10px;border-bottom:1px solid #eef0f3;font-size:14px;";
const TD_NUMBER: &str = "padding:6px 10px;border-bottom:1px solid #eef0f3;font-size:14px;text-align:right;white-space:nowrap;";

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

pub fn document(doc: &ReportDoc) -> String {
    let mut html = String::new();
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    html.push_str(&format!("<title>{}</title></head>\n", escape(&title(doc))));
    html.push_str(&format!("<body style=\"{PAGE}\"><div style=\"max-width:760px;margin:0 auto;\">\n"));
    html.push_str(&format!("<h1 style=\"font-size:22px;margin:0 0 8px 0;\">{}</h1>\n", escape(&title(doc))));
    html.push_str("<p style=\"font-size:13px;color:#52606d;margin:0 0 16px 0;\">");
    html.push_str(&header_lines(doc).iter().map(|l| escape(l)).collect::<Vec<_>>().join("<br>"));
    html.push_str("</p>\n");
    for (section, cards) in sections(&doc.cards) {
        html.push_str(&section_html(doc, &section, &cards));
    }
    for table in &doc.tables {
        html.push_str(&table_html(table));
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

fn section_html(doc: &ReportDoc, section: &str, cards: &[&Card]) -> String {
    let mut html = format!("<div style=\"{CARD}\" data-section=\"{}\">", escape(section));
    html.push_str(&format!("<h2 style=\"font-size:17px;margin:0 0 10px 0;\">{}</h2>", escape(&section_title(section))));
    let Some(shown) = shown_cards(cards) else {
        html.push_str(&format!(
            "<p style=\"font-size:14px;color:#52606d;margin:0;\" data-not-enabled=\"{}\">{}</p></div>\n",
            escape(section),
            escape(&not_enabled_text(section))
        ));
        return html;
    };
    let columns = columns(doc, section, &shown);
    html.push_str("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" style=\"width:100%;border-collapse:collapse;\"><tr>");
    for (i, heading) in card_header(columns).iter().enumerate() {
        let align = if i == 0 { "" } else { "text-align:right;" };
        html.push_str(&format!("<th style=\"{TH}{align}\">{}</th>", escape(&capitalized(heading))));
    }
    html.push_str("</tr>");
    for card in &shown {
        html.push_str("<tr>");
        for (i, cell) in card_cells(card, columns).iter().enumerate() {
            html.push_str(&format!("<td style=\"{}\">{}</td>", if i == 0 { TD } else { TD_NUMBER }, escape(cell)));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table>");
    let benchmarked: Vec<&&Card> = shown.iter().filter(|c| c.benchmark.is_some()).collect();
    if !benchmarked.is_empty() {
        html.push_str("<h3 style=\"font-size:14px;margin:16px 0 4px 0;color:#52606d;\">This account against the benchmark</h3>");
    }
    for card in benchmarked {
        let bar = |label: &str, value: Option<f64>| Bar { label: label.to_string(), value: value.unwrap_or(0.0), text: display_value(&card.unit, value) };
        let bars = [bar("This account", card.value), bar("Benchmark", card.benchmark)];
        let hint = if card.unit == "seconds" { " (lower is better)" } else { "" };
        html.push_str(&format!(
            "<p style=\"font-size:13px;margin:10px 0 2px 0;\">{}{hint}</p>{}",
            escape(&card.label),
            svg_bars(&format!("{}: this account against the benchmark", card.label), &bars, 520)
        ));
    }
    html.push_str("</div>\n");
    html
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

fn table_html(table: &Table) -> String {
    let mut html = format!("<div style=\"{CARD}\" data-table=\"{}\">", escape(&table.name));
    html.push_str(&format!("<h2 style=\"font-size:17px;margin:0 0 10px 0;\">{}</h2>", escape(&table.title)));
    if table.rows.is_empty() {
        html.push_str("<p style=\"font-size:14px;color:#52606d;\">None.</p></div>\n");
        return html;
    }
    html.push_str("<table cellpadding=\"0\" cellspacing=\"0\" style=\"width:100%;border-collapse:collapse;\"><tr>");
    for column in &table.columns {
        // a column of numbers has its heading over the right-aligned figures
        let numeric = table.rows.iter().any(|r| r.get(column).is_some_and(serde_json::Value::is_number));
        let align = if numeric { "text-align:right;" } else { "" };
        html.push_str(&format!("<th style=\"{TH}{align}\">{}</th>", escape(column)));
    }
    html.push_str("</tr>");
    for row in &table.rows {
        html.push_str("<tr>");
        for column in &table.columns {
            let value = row.get(column).unwrap_or(&serde_json::Value::Null);
            let (text, numeric) = cell_text(column, value);
            html.push_str(&format!("<td style=\"{}\">{}</td>", if numeric { TD_NUMBER } else { TD }, escape(&text)));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table></div>\n");
    html
}

fn cell_text(column: &str, value: &serde_json::Value) -> (String, bool) {
    match value {
        serde_json::Value::Null => ("–".to_string(), false),
        serde_json::Value::Number(n) if is_duration_column(column) => (duration(n.as_f64().unwrap_or(0.0)), true),
        serde_json::Value::Number(n) => (n.to_string(), true),
        serde_json::Value::String(s) => (readable_timestamp(s), false),
        serde_json::Value::Bool(b) => (if *b { "yes" } else { "no" }.to_string(), false),
        other => (other.to_string(), false),
    }
}

/// Arrow's `2026-10-05T09:30:00` as `2026-10-05 09:30:00`; other text as is.
fn readable_timestamp(text: &str) -> String {
    let b = text.as_bytes();
    let looks_like_timestamp = b.len() >= 19 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':';
    if looks_like_timestamp { format!("{} {}", &text[..10], &text[11..]) } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::{escape, readable_timestamp};

    #[test]
    fn only_timestamps_lose_their_t() {
        assert_eq!(readable_timestamp("2026-10-05T09:30:00"), "2026-10-05 09:30:00");
        assert_eq!(readable_timestamp("Tom Tailor"), "Tom Tailor");
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(escape("<a href=\"x\">O'Neil & co</a>"), "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;");
    }
}
