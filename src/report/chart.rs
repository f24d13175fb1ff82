//! Small charts: a terminal sparkline for per-day series, and inline SVG
//! bars for HTML reports (no scripts, no external assets).

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
    fn svg_bars_are_self_contained() {
        let bar = |label: &str, value: f64| Bar { label: label.into(), value, text: format!("{value} s") };
        let svg = svg_bars("CSAT & co", &[bar("You", 2.0), bar("Benchmark <all>", 4.0), bar("Nobody", -1.0)], 400);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Benchmark &lt;all&gt;") && svg.contains("<title>CSAT &amp; co</title>") && svg.contains(">4 s</text>"));
        assert!(svg.contains("width=\"200.0\"") && svg.contains("width=\"1.0\""), "the largest bar spans the chart, a negative one is a sliver: {svg}");
        assert!(!svg.contains("href"));
    }
}
