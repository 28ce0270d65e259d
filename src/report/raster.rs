//! A chart as a PNG: the very SVG the HTML report shows (`svg::render`), drawn by resvg with the
//! bundled Noto Sans SC subset only (no system fonts), so both formats show the same chart — axis
//! titles, legend, tick and break-even labels — in English or Chinese, identically on every machine.

use super::chart::{Chart, HEIGHT, WIDTH};
use super::svg;
use crate::lang::Lang;
use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

/// Pixels per SVG unit: twice the chart's size, sharp on high-density screens and when zoomed.
pub const SCALE: f32 = 2.0;

/// The fonts charts are drawn with: the bundled font alone, and its family name.
fn fonts() -> &'static (Arc<usvg::fontdb::Database>, String) {
    static FONTS: OnceLock<(Arc<usvg::fontdb::Database>, String)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(crate::font::NOTO_SANS_SC.to_vec());
        let family = db
            .faces()
            .next()
            .and_then(|f| f.families.first())
            .map_or_else(String::new, |(name, _)| name.clone());
        (Arc::new(db), family)
    })
}

/// The chart as PNG bytes, `SCALE` times its size in SVG units.
pub fn render_png(chart: &Chart, lang: Lang) -> Result<Vec<u8>, String> {
    let (db, family) = fonts();
    let options = usvg::Options {
        fontdb: db.clone(),
        // Whatever family the SVG asks for (system-ui first, for browsers), this font draws it.
        font_family: family.clone(),
        languages: vec![lang.pick("en", "zh-CN").to_string()],
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg::render(chart, lang), &options)
        .map_err(|e| format!("chart `{}`: {e}", chart.file_stem))?;
    let (w, h) = (
        (WIDTH as f32 * SCALE) as u32,
        (HEIGHT as f32 * SCALE) as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| format!("chart `{}`: no {w}×{h} canvas", chart.file_stem))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("chart `{}`: PNG encoding failed: {e}", chart.file_stem))
}

#[cfg(test)]
mod tests {
    use super::super::chart::Series;
    use super::*;

    fn decode(bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        (info, buf)
    }

    fn chart(label: &str) -> Chart {
        Chart::new(
            "c",
            "t".into(),
            ("requests/day".into(), true),
            ("USD / month".into(), true),
            vec![Series {
                label: label.into(),
                color: [220, 20, 20],
                points: vec![[10.0, 10.0], [1000.0, 1000.0]],
            }],
            Vec::new(),
        )
    }

    /// Pixels that are neither white nor the series' red: text, grid and frame.
    fn ink(px: &[u8]) -> usize {
        px.chunks(4)
            .filter(|p| p[..3] != [255, 255, 255] && p[..3] != [220, 20, 20])
            .count()
    }

    #[test]
    fn png_is_the_chart_at_twice_its_size_and_shows_the_series_colour() {
        let c = chart("s");
        let (info, px) = decode(&render_png(&c, Lang::En).unwrap());
        let w = (WIDTH as f32 * SCALE) as usize;
        assert_eq!(
            (info.width as usize, info.height as usize),
            (w, (HEIGHT as f32 * SCALE) as usize)
        );
        // The diagonal's middle is on the line.
        let (mx, my) = c.to_pixel([100.0, 100.0]).unwrap();
        let at = |x: f64, y: f64| {
            let i = ((y * f64::from(SCALE)) as usize * w + (x * f64::from(SCALE)) as usize) * 4;
            [px[i], px[i + 1], px[i + 2]]
        };
        assert_eq!(at(mx, my), [220, 20, 20]);
        // A corner of the plot area far from the line stays white.
        let (cx, cy) = c.to_pixel([900.0, 12.0]).unwrap();
        assert_eq!(at(cx, cy), [255, 255, 255]);
    }

    #[test]
    fn text_is_drawn_in_either_language() {
        let ink_of = |label: &str, lang| ink(&decode(&render_png(&chart(label), lang).unwrap()).1);
        // A long series name adds ink to the legend: the text is drawn, not dropped.
        let short = ink_of("A", Lang::En);
        assert!(ink_of("DeepSeek API and rented GPUs", Lang::En) > short + 500);
        assert!(ink_of("单台本地服务器与租用云 GPU", Lang::Zh) > short + 500);
    }
}
