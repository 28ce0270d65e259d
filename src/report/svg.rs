//! A chart as an SVG element, written out by hand (no script, no external reference), for inline
//! use in the HTML report.

use super::chart::{tick_label, Chart, HEIGHT, MARGIN_LEFT, WIDTH};
use crate::lang::Lang;
use std::fmt::Write;

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Approximate width of 12 px text: CJK characters are square, Latin ones about 0.6 em.
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if c as u32 >= 0x2E80 { 12.5 } else { 7.0 })
        .sum()
}

fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// The chart as `<svg>…</svg>`, labelled for screen readers with its title.
pub fn render(chart: &Chart, lang: Lang) -> String {
    let (left, top, right, bottom) = Chart::plot_area();
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}" font-family="system-ui, 'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif" font-size="12">"#,
        escape(&chart.title)
    );
    let _ = write!(
        s,
        r##"<rect x="{left}" y="{top}" width="{}" height="{}" fill="#ffffff" stroke="#888888"/>"##,
        right - left,
        bottom - top
    );
    for v in chart.x.ticks() {
        if let Some((x, _)) = chart.to_pixel([v, chart.y.lo.max(f64::MIN_POSITIVE)]) {
            let _ = write!(
                s,
                r##"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{bottom}" stroke="#e4e4e4"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
                bottom + 16.0,
                escape(&tick_label(lang, v))
            );
        }
    }
    for v in chart.y.ticks() {
        if let Some((_, y)) = chart.to_pixel([chart.x.lo.max(f64::MIN_POSITIVE), v]) {
            let _ = write!(
                s,
                r##"<line x1="{left}" y1="{y:.1}" x2="{right}" y2="{y:.1}" stroke="#e4e4e4"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
                left - 6.0,
                y + 4.0,
                escape(&tick_label(lang, v))
            );
        }
    }
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        (left + right) / 2.0,
        HEIGHT - 6.0,
        escape(&chart.x_label)
    );
    let _ = write!(
        s,
        r#"<text transform="translate(14 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
        (top + bottom) / 2.0,
        escape(&chart.y_label)
    );
    for series in &chart.series {
        let points: Vec<String> = series
            .points
            .iter()
            .filter_map(|p| chart.to_pixel(*p))
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        if points.is_empty() {
            continue;
        }
        let _ = write!(
            s,
            r#"<polyline fill="none" stroke="{}" stroke-width="2.5" points="{}"><title>{}</title></polyline>"#,
            hex(series.color),
            points.join(" "),
            escape(&series.label)
        );
    }
    // Every marker gets its dot; a label only where it does not run into the previous one.
    let mut labelled_until = f64::NEG_INFINITY;
    for m in &chart.markers {
        if let Some((x, y)) = chart.to_pixel(m.at) {
            let _ = write!(
                s,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="#222222"><title>{}</title></circle>"##,
                escape(&m.label)
            );
            if x + 8.0 >= labelled_until {
                let _ = write!(
                    s,
                    r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
                    x + 8.0,
                    y - 6.0,
                    escape(&m.label)
                );
                labelled_until = x + 8.0 + text_width(&m.label) + 4.0;
            }
        }
    }
    let mut x = MARGIN_LEFT;
    for series in &chart.series {
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="14" width="14" height="14" fill="{}"/><text x="{:.1}" y="26">{}</text>"#,
            hex(series.color),
            x + 19.0,
            escape(&series.label)
        );
        x += 32.0 + text_width(&series.label);
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::super::chart::{Marker, Series};
    use super::*;

    #[test]
    fn svg_holds_every_series_marker_and_escaped_label() {
        let chart = Chart::new(
            "c",
            "A <b> & c".into(),
            ("x".into(), true),
            ("y".into(), false),
            vec![Series {
                label: "API & co".into(),
                color: [1, 2, 3],
                points: vec![[10.0, 1.0], [100.0, 2.0], [0.0, 3.0]],
            }],
            vec![Marker {
                at: [50.0, 1.5],
                label: "50".into(),
            }],
        );
        let svg = render(&chart, Lang::En);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("A &lt;b&gt; &amp; c"));
        assert!(svg.contains("API &amp; co"));
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        assert!(!svg.contains("<script"));
    }
}
