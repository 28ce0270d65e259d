//! A chart as a PNG, drawn into an RGBA buffer: anti-aliased polylines, grid, markers, and tick
//! labels in a built-in 5×7 pixel font (digits and the k/M/B suffixes). Series are numbered in the
//! legend swatches; the Markdown beside the image names them.

use super::chart::{compact_label, Chart, HEIGHT, MARGIN_LEFT, WIDTH};

const W: usize = WIDTH as usize;
const H: usize = HEIGHT as usize;
const GLYPH_SCALE: usize = 2;

/// An RGBA image with drawing primitives.
struct Canvas {
    px: Vec<u8>,
}

impl Canvas {
    fn new() -> Canvas {
        Canvas {
            px: vec![255; W * H * 4],
        }
    }

    /// Blends `color` into pixel (x, y) with coverage `a` (0–1).
    fn blend(&mut self, x: i64, y: i64, color: [u8; 3], a: f64) {
        if x < 0 || y < 0 || x >= W as i64 || y >= H as i64 || a <= 0.0 {
            return;
        }
        let a = a.min(1.0);
        let i = (y as usize * W + x as usize) * 4;
        for (k, c) in color.iter().enumerate() {
            let old = f64::from(self.px[i + k]);
            self.px[i + k] = (old + (f64::from(*c) - old) * a).round() as u8;
        }
    }

    fn fill_rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, color: [u8; 3]) {
        for y in y0.round() as i64..y1.round() as i64 {
            for x in x0.round() as i64..x1.round() as i64 {
                self.blend(x, y, color, 1.0);
            }
        }
    }

    /// A segment `width` pixels wide with anti-aliased edges (coverage from the distance to it).
    fn line(&mut self, a: (f64, f64), b: (f64, f64), width: f64, color: [u8; 3]) {
        let hw = width / 2.0;
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len2 = dx * dx + dy * dy;
        let x0 = (a.0.min(b.0) - hw - 1.0).floor() as i64;
        let x1 = (a.0.max(b.0) + hw + 1.0).ceil() as i64;
        let y0 = (a.1.min(b.1) - hw - 1.0).floor() as i64;
        let y1 = (a.1.max(b.1) + hw + 1.0).ceil() as i64;
        for y in y0..=y1 {
            for x in x0..=x1 {
                let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
                let t = if len2 > 0.0 {
                    (((px - a.0) * dx + (py - a.1) * dy) / len2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let (cx, cy) = (a.0 + t * dx, a.1 + t * dy);
                let d = ((px - cx).powi(2) + (py - cy).powi(2)).sqrt();
                self.blend(x, y, color, hw + 0.5 - d);
            }
        }
    }

    fn disc(&mut self, c: (f64, f64), r: f64, color: [u8; 3]) {
        self.line(c, c, 2.0 * r, color);
    }

    /// Draws `text` in the pixel font with its top-left at (x, y); returns the width drawn.
    fn text(&mut self, x: f64, y: f64, text: &str, color: [u8; 3]) -> f64 {
        let mut cx = x.round() as i64;
        let top = y.round() as i64;
        for ch in text.chars() {
            if let Some(rows) = glyph(ch) {
                for (r, bits) in rows.iter().enumerate() {
                    for c in 0..5 {
                        if bits & (0b10000 >> c) != 0 {
                            for sy in 0..GLYPH_SCALE {
                                for sx in 0..GLYPH_SCALE {
                                    self.blend(
                                        cx + (c * GLYPH_SCALE + sx) as i64,
                                        top + (r * GLYPH_SCALE + sy) as i64,
                                        color,
                                        1.0,
                                    );
                                }
                            }
                        }
                    }
                }
            }
            cx += (6 * GLYPH_SCALE) as i64;
        }
        text_width(text)
    }
}

fn text_width(text: &str) -> f64 {
    (text.chars().count() * 6 * GLYPH_SCALE) as f64
}

/// 5×7 glyphs, one row per byte, high bit on the left.
fn glyph(c: char) -> Option<[u8; 7]> {
    Some(match c {
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        '.' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C],
        '-' => [0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00],
        'k' => [0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        _ => return None,
    })
}

const GRID: [u8; 3] = [228, 228, 228];
const FRAME: [u8; 3] = [136, 136, 136];
const INK: [u8; 3] = [40, 40, 40];

/// The chart as PNG bytes.
pub fn render_png(chart: &Chart) -> Result<Vec<u8>, String> {
    let mut c = Canvas::new();
    let (left, top, right, bottom) = Chart::plot_area();
    let glyph_h = (7 * GLYPH_SCALE) as f64;
    for v in chart.x.ticks() {
        if let Some((x, _)) = chart.to_pixel([v, chart.y.lo.max(f64::MIN_POSITIVE)]) {
            c.line((x, top), (x, bottom), 1.0, GRID);
            let label = compact_label(v);
            c.text(x - text_width(&label) / 2.0, bottom + 6.0, &label, INK);
        }
    }
    for v in chart.y.ticks() {
        if let Some((_, y)) = chart.to_pixel([chart.x.lo.max(f64::MIN_POSITIVE), v]) {
            c.line((left, y), (right, y), 1.0, GRID);
            let label = compact_label(v);
            c.text(
                left - 8.0 - text_width(&label),
                y - glyph_h / 2.0,
                &label,
                INK,
            );
        }
    }
    for (a, b) in [
        ((left, top), (right, top)),
        ((right, top), (right, bottom)),
        ((right, bottom), (left, bottom)),
        ((left, bottom), (left, top)),
    ] {
        c.line(a, b, 1.0, FRAME);
    }
    for s in &chart.series {
        let pts: Vec<(f64, f64)> = s.points.iter().filter_map(|p| chart.to_pixel(*p)).collect();
        for w in pts.windows(2) {
            c.line(w[0], w[1], 2.5, s.color);
        }
        if let [only] = pts.as_slice() {
            c.disc(*only, 2.5, s.color);
        }
    }
    for m in &chart.markers {
        if let Some(p) = chart.to_pixel(m.at) {
            c.disc(p, 5.0, INK);
        }
    }
    let mut x = MARGIN_LEFT;
    for (i, s) in chart.series.iter().enumerate() {
        c.fill_rect(x, 10.0, x + 22.0, 10.0 + glyph_h + 6.0, s.color);
        c.text(x + 5.0, 13.0, &(i + 1).to_string(), [255, 255, 255]);
        x += 40.0;
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, W as u32, H as u32);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc
            .write_header()
            .map_err(|e| format!("PNG encoding failed: {e}"))?;
        writer
            .write_image_data(&c.px)
            .map_err(|e| format!("PNG encoding failed: {e}"))?;
    }
    Ok(out)
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

    #[test]
    fn png_is_the_chart_size_and_shows_the_series_colour() {
        let red = [220, 20, 20];
        let chart = Chart::new(
            "c",
            "t".into(),
            ("x".into(), true),
            ("y".into(), true),
            vec![Series {
                label: "s".into(),
                color: red,
                points: vec![[10.0, 10.0], [1000.0, 1000.0]],
            }],
            Vec::new(),
        );
        let (info, px) = decode(&render_png(&chart).unwrap());
        assert_eq!((info.width, info.height), (W as u32, H as u32));
        // The diagonal's middle is on the line.
        let (mx, my) = chart.to_pixel([100.0, 100.0]).unwrap();
        let i = (my as usize * W + mx as usize) * 4;
        assert_eq!(&px[i..i + 3], &red);
        // A corner of the plot area far from the line stays white.
        let (cx, cy) = chart.to_pixel([900.0, 12.0]).unwrap();
        let j = (cy as usize * W + cx as usize) * 4;
        assert_eq!(&px[j..j + 3], &[255, 255, 255]);
    }

    #[test]
    fn every_compact_label_character_has_a_glyph() {
        for v in [0.0, 5.5, 10.0, 2_500.0, 1e6, 2.5e9, -3.0] {
            for ch in compact_label(v).chars() {
                assert!(glyph(ch).is_some(), "{ch} in {}", compact_label(v));
            }
        }
    }
}
