//! A report as one self-contained HTML file: inline CSS and SVG charts, no scripts, no external
//! reference of any kind. Cells that show a `plan --json` number carry it as `data-field` /
//! `data-value`, and option rows their `data-key`, so the figures can be checked by machine.

use super::document::{Block, Document};
use super::svg::{escape, render as svg};
use crate::lang::Lang;

const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','Noto Sans SC','PingFang SC','Microsoft YaHei',sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#202124;line-height:1.45}\
h1{font-size:1.6em;margin-bottom:.3em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}\
.callout{background:#eef4ff;border-left:4px solid #4285f4;padding:.6em .9em;font-weight:600}\
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}th,td{border:1px solid #ddd;padding:.3em .55em;vertical-align:top}\
th{background:#f5f5f5;text-align:left}td.num{text-align:right;white-space:nowrap}\
pre{background:#f6f8fa;padding:.7em;overflow-x:auto}figure{margin:1em 0}svg{max-width:100%;height:auto}\
@media print{body{margin:0}}";

/// The HTML text.
pub fn render(doc: &Document, lang: Lang) -> String {
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        doc.lang_tag,
        escape(&doc.title),
        escape(&doc.title)
    );
    for b in &doc.blocks {
        match b {
            Block::Heading(h) => s.push_str(&format!("<h2>{}</h2>\n", escape(h))),
            Block::Paragraph(p) => s.push_str(&format!("<p>{}</p>\n", escape(p))),
            Block::Callout(p) => s.push_str(&format!("<p class=\"callout\">{}</p>\n", escape(p))),
            Block::Bullets(items) => {
                s.push_str("<ul>\n");
                for i in items {
                    s.push_str(&format!("<li>{}</li>\n", escape(i)));
                }
                s.push_str("</ul>\n");
            }
            Block::Table(t) => {
                s.push_str("<table>\n<tr>");
                for h in &t.header {
                    s.push_str(&format!("<th>{}</th>", escape(h)));
                }
                s.push_str("</tr>\n");
                for r in &t.rows {
                    match &r.key {
                        Some(k) => s.push_str(&format!("<tr data-key=\"{}\">", escape(k))),
                        None => s.push_str("<tr>"),
                    }
                    for (i, c) in r.cells.iter().enumerate() {
                        let class = if t.numeric.get(i).copied().unwrap_or(false) {
                            " class=\"num\""
                        } else {
                            ""
                        };
                        let data = c
                            .json
                            .map(|(f, v)| format!(" data-field=\"{f}\" data-value=\"{v}\""))
                            .unwrap_or_default();
                        s.push_str(&format!("<td{class}{data}>{}</td>", escape(&c.text)));
                    }
                    s.push_str("</tr>\n");
                }
                s.push_str("</table>\n");
            }
            Block::Code(lines) => {
                s.push_str("<pre><code>");
                s.push_str(&escape(&lines.join("\n")));
                s.push_str("</code></pre>\n");
            }
            Block::Chart(chart, _) => {
                s.push_str("<figure>");
                s.push_str(&svg(chart, lang));
                s.push_str("</figure>\n");
            }
        }
    }
    s.push_str("</body>\n</html>\n");
    s
}
