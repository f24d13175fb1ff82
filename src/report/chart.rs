//! Small charts: terminal sparklines and heat grids, and inline SVG bars
//! and series charts for HTML reports (no scripts, no external assets).

const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One block character per value, scaled to the largest; a zero is a space
/// so that quiet days stand out.
pub fn sparkline(values: &[f64]) -> String {
    let max = values.iter().copied().fold(0.0, f64::max);
    values
        .iter()
        .map(|&v| {
            if v <= 0.0 || max <= 0.0 {
                ' '
            } else {
                let level = ((v / max) * (BLOCKS.len() - 1) as f64).round() as usize;
                BLOCKS[level.min(BLOCKS.len() - 1)]
            }
        })
        .collect()
}

/// `sparkline` of a series with gaps (an average of nothing): a gap is a
/// space, like a zero.
pub fn sparkline_with_gaps(values: &[Option<f64>]) -> String {
    sparkline(&values.iter().map(|v| v.unwrap_or(0.0)).collect::<Vec<_>>())
}

/// The shade of a heat-grid cell, 0 (nothing) to `HEAT_LEVELS`: a count
/// above zero is at least level 1, the largest is the top level.
pub fn heat_level(value: f64, max: f64) -> usize {
    if value <= 0.0 || max <= 0.0 {
        return 0;
    }
    ((value / max * HEAT_LEVELS as f64).ceil() as usize).clamp(1, HEAT_LEVELS)
}

pub const HEAT_LEVELS: usize = 4;

/// Two characters per level of a terminal heat grid: a dot for nothing, then
/// darker shades (no colour, so it reads with `NO_COLOR` and on paper).
const SHADES: [&str; HEAT_LEVELS + 1] = ["· ", "░░", "▒▒", "▓▓", "██"];

/// A weekday x hour heat grid for a terminal: a header of hours every three
/// hours, then one line per row (`label`, 24 counts) with its total, then
/// a legend.
pub fn heat_grid(rows: &[(String, Vec<f64>)]) -> Vec<String> {
    let max = rows.iter().flat_map(|(_, cells)| cells.iter().copied()).fold(0.0, f64::max);
    let mut lines = vec![format!("      {}", (0..24).step_by(3).map(|h| format!("{h:02}    ")).collect::<String>().trim_end())];
    for (label, cells) in rows {
        let shaded: String = cells.iter().map(|&v| SHADES[heat_level(v, max)]).collect();
        let total: f64 = cells.iter().sum();
        lines.push(format!("{label:<6}{shaded}  {total}"));
    }
    lines.push(format!("{} none, {} few ... {} most ({max} in one hour); total on the right", SHADES[0].trim(), SHADES[1], SHADES[HEAT_LEVELS]));
    lines
}

/// How a series is drawn: bars for counts, a line for averages (times).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    Bars,
    Line,
}

/// A series (one value per day, week or month) as an inline SVG chart that
/// scales to its container: bars or a line, the largest value at the top,
/// the first and last labels under it, and every point's label and value as
/// a tooltip. `text` writes a value (a count, a duration).
pub fn svg_series(title: &str, labels: &[String], values: &[Option<f64>], kind: SeriesKind, text: &dyn Fn(f64) -> String) -> String {
    const WIDTH: f64 = 340.0;
    const HEIGHT: f64 = 120.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 102.0;
    let escape = super::html::escape;
    let max = values.iter().flatten().copied().fold(0.0, f64::max);
    let slot = (WIDTH - 8.0) / values.len().max(1) as f64;
    let x = |i: usize| 4.0 + slot * (i as f64 + 0.5);
    let y = |v: f64| if max > 0.0 { BOTTOM - (v.max(0.0) / max) * (BOTTOM - TOP) } else { BOTTOM };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"100%\" role=\"img\" \
         style=\"display:block;max-width:100%;height:auto;\"><title>{}</title>",
        escape(title)
    );
    svg.push_str(&format!("<line x1=\"4\" y1=\"{BOTTOM}\" x2=\"{}\" y2=\"{BOTTOM}\" stroke=\"#cbd2d9\" stroke-width=\"1\"/>", WIDTH - 4.0));
    let point_title = |i: usize, v: Option<f64>| {
        let label = labels.get(i).map(String::as_str).unwrap_or_default();
        escape(&format!("{label}: {}", v.map_or("–".to_string(), text)))
    };
    match kind {
        SeriesKind::Bars => {
            let bar = (slot * 0.7).max(1.0);
            for (i, v) in values.iter().enumerate() {
                let value = v.unwrap_or(0.0);
                let top = y(value).min(BOTTOM - if value > 0.0 { 1.0 } else { 0.0 });
                svg.push_str(&format!(
                    "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"#2f6fdf\"><title>{}</title></rect>",
                    x(i) - bar / 2.0,
                    BOTTOM - top,
                    point_title(i, *v)
                ));
            }
        }
        SeriesKind::Line => {
            // a gap (no value that day) breaks the line
            let mut run: Vec<String> = Vec::new();
            let flush = |run: &mut Vec<String>, svg: &mut String| {
                if run.len() > 1 {
                    svg.push_str(&format!("<polyline points=\"{}\" fill=\"none\" stroke=\"#c2410c\" stroke-width=\"1.5\"/>", run.join(" ")));
                }
                run.clear();
            };
            for (i, v) in values.iter().enumerate() {
                match v {
                    Some(value) => run.push(format!("{:.1},{:.1}", x(i), y(*value))),
                    None => flush(&mut run, &mut svg),
                }
            }
            flush(&mut run, &mut svg);
            for (i, v) in values.iter().enumerate() {
                if let Some(value) = v {
                    svg.push_str(&format!(
                        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"#c2410c\"><title>{}</title></circle>",
                        x(i),
                        y(*value),
                        point_title(i, *v)
                    ));
                }
            }
        }
    }
    let label = |text: &str, x: f64, anchor: &str| {
        format!(
            "<text x=\"{x:.1}\" y=\"{}\" font-size=\"10\" font-family=\"Arial, sans-serif\" fill=\"#52606d\" text-anchor=\"{anchor}\">{}</text>",
            HEIGHT - 4.0,
            escape(text)
        )
    };
    if let (Some(first), Some(last)) = (labels.first(), labels.last()) {
        svg.push_str(&label(first, 4.0, "start"));
        if labels.len() > 1 {
            svg.push_str(&label(last, WIDTH - 4.0, "end"));
        }
    }
    svg.push_str(&format!(
        "<text x=\"4\" y=\"11\" font-size=\"10\" font-family=\"Arial, sans-serif\" fill=\"#52606d\">{}</text>",
        escape(&if max > 0.0 { format!("max {}", text(max)) } else { "none".to_string() })
    ));
    svg.push_str("</svg>");
    svg
}

/// One bar: its label, its value (the length; negative values draw as 0)
/// and the value as text, written after the bar.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

/// A horizontal bar chart comparing labelled values (e.g. account vs
/// benchmark), as an inline SVG element with an accessible title.
pub fn svg_bars(title: &str, bars: &[Bar], width: u32) -> String {
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let row_height = 22;
    let label_width = 110;
    let text_width = 90;
    let height = row_height * bars.len() as u32 + 4;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" viewBox=\"0 0 {width} {height}\">\
         <title>{}</title>",
        super::html::escape(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = i as u32 * row_height + 2;
        let span = width.saturating_sub(label_width + text_width) as f64;
        let length = if max > 0.0 && bar.value > 0.0 { (bar.value / max * span).max(1.0) } else { 1.0 };
        let fill = if i == 0 { "#2f6fdf" } else { "#9aa5b1" };
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"12\" font-family=\"Arial, sans-serif\" fill=\"#333\">{}</text>\
             <rect x=\"{label_width}\" y=\"{y}\" width=\"{length:.1}\" height=\"16\" rx=\"2\" fill=\"{fill}\"/>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"12\" font-family=\"Arial, sans-serif\" fill=\"#333\">{}</text>",
            y + 13,
            super::html::escape(&bar.label),
            label_width as f64 + length + 6.0,
            y + 13,
            super::html::escape(&bar.text)
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_to_the_largest_value() {
        assert_eq!(sparkline(&[0.0, 1.0, 4.0, 8.0]), " ▂▅█");
        assert_eq!(sparkline(&[0.0, 0.0]), "  ");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn heat_levels_reach_the_top_only_at_the_largest() {
        assert_eq!(heat_level(0.0, 4.0), 0);
        assert_eq!(heat_level(1.0, 40.0), 1, "any count shows");
        assert_eq!(heat_level(4.0, 4.0), HEAT_LEVELS);
        assert_eq!(heat_level(3.0, 0.0), 0);
    }

    #[test]
    fn a_heat_grid_has_a_header_a_line_per_row_and_a_legend() {
        let mut monday = vec![0.0; 24];
        monday[10] = 2.0;
        monday[11] = 1.0;
        let lines = heat_grid(&[("Mon".to_string(), monday), ("Tue".to_string(), vec![0.0; 24])]);
        assert_eq!(lines.len(), 4);
        assert!(lines[0].starts_with("      00    03"));
        assert!(lines[1].starts_with("Mon   · ") && lines[1].contains("██▒▒") && lines[1].ends_with("  3"), "{}", lines[1]);
        assert_eq!(lines[1].chars().count(), lines[2].chars().count());
        assert!(lines[3].contains("2 in one hour"));
    }

    #[test]
    fn series_charts_are_self_contained_and_scale() {
        let labels: Vec<String> = ["1 Oct", "2 Oct", "3 Oct"].iter().map(|s| s.to_string()).collect();
        let bars = svg_series("Replies", &labels, &[Some(2.0), Some(0.0), Some(4.0)], SeriesKind::Bars, &|v| format!("{v}"));
        assert!(bars.starts_with("<svg") && bars.ends_with("</svg>") && bars.contains("width=\"100%\""));
        assert_eq!(bars.matches("<rect").count(), 3);
        assert!(bars.contains("<title>3 Oct: 4</title>") && bars.contains(">max 4</text>"));
        let line = svg_series("Times", &labels, &[Some(60.0), None, Some(30.0)], SeriesKind::Line, &|v| format!("{v}s"));
        assert_eq!(line.matches("<circle").count(), 2, "no point where there is no value");
        assert!(!line.contains("<polyline"), "a gap breaks the line into single points");
        assert!(!bars.contains("href") && !line.contains("href"));
    }

    #[test]
    fn svg_bars_are_self_contained() {
        let bar = |label: &str, value: f64| Bar { label: label.into(), value, text: format!("{value} s") };
        let svg = svg_bars("CSAT & co", &[bar("You", 2.0), bar("Benchmark <all>", 4.0), bar("Nobody", -1.0)], 400);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Benchmark &lt;all&gt;") && svg.contains("<title>CSAT &amp; co</title>") && svg.contains(">4 s</text>"));
        assert!(svg.contains("width=\"200.0\"") && svg.contains("width=\"1.0\""), "the largest bar spans the chart, a negative one is a sliver: {svg}");
        assert!(!svg.contains("href"));
    }
}
