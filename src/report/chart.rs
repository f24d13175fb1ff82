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

/// A horizontal bar chart comparing labelled values (e.g. account vs
/// benchmark), as an inline SVG element.
pub fn svg_bars(bars: &[(String, f64)], width: u32) -> String {
    let max = bars.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    let row_height = 22;
    let label_width = 110;
    let height = row_height * bars.len() as u32 + 4;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" viewBox=\"0 0 {width} {height}\">"
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = i as u32 * row_height + 2;
        let span = (width - label_width - 60) as f64;
        let length = if max > 0.0 { (value / max * span).max(1.0) } else { 1.0 };
        let fill = if i == 0 { "#2f6fdf" } else { "#9aa5b1" };
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"12\" font-family=\"Arial, sans-serif\" fill=\"#333\">{}</text>\
             <rect x=\"{label_width}\" y=\"{y}\" width=\"{length:.1}\" height=\"16\" rx=\"2\" fill=\"{fill}\"/>",
            y + 13,
            super::html::escape(label)
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
        let svg = svg_bars(&[("You".into(), 2.0), ("Benchmark <all>".into(), 4.0)], 400);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Benchmark &lt;all&gt;"));
        assert!(!svg.contains("href"));
    }
}
