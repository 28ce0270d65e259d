//! A report as Markdown, with each chart as a PNG file beside it (`![title](name.png)`; the same
//! chart the HTML report draws, legend and axis titles included) and its lines named in words for
//! readers who see no picture.

use super::document::{Block, Document};

/// Escapes characters Markdown would read as formatting. An underscore inside a word
/// (`Q4_K_M`) is left alone: CommonMark does not read it as emphasis.
fn escape(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let word = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_alphanumeric())
        };
        match c {
            '_' if word(i.checked_sub(1)) && word(Some(i + 1)) => out.push(c),
            '\\' | '*' | '_' | '`' | '[' | ']' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// The Markdown text; `image_name(file_stem)` names each chart's PNG file.
pub fn render(doc: &Document, image_name: &dyn Fn(&str) -> String) -> String {
    let mut s = format!("# {}\n\n", escape(&doc.title));
    for b in &doc.blocks {
        match b {
            Block::Heading(h) => s.push_str(&format!("## {}\n\n", escape(h))),
            Block::Paragraph(p) => s.push_str(&format!("{}\n\n", escape(p))),
            Block::Callout(p) => s.push_str(&format!("> **{}**\n\n", escape(p))),
            Block::Bullets(items) => {
                for i in items {
                    s.push_str(&format!("- {}\n", escape(i)));
                }
                s.push('\n');
            }
            Block::Table(t) => {
                let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
                s.push_str(&line(t.header.iter().map(|h| escape(h)).collect()));
                s.push_str(&line(
                    t.numeric
                        .iter()
                        .map(|n| if *n { "---:" } else { "---" }.to_string())
                        .collect(),
                ));
                for r in &t.rows {
                    s.push_str(&line(r.cells.iter().map(|c| escape(&c.text)).collect()));
                }
                s.push('\n');
            }
            Block::Code(lines) => {
                s.push_str("```sh\n");
                for l in lines {
                    s.push_str(l);
                    s.push('\n');
                }
                s.push_str("```\n\n");
            }
            Block::Chart(chart, colours) => {
                s.push_str(&format!(
                    "![{}]({})\n\n",
                    escape(&chart.title),
                    image_name(chart.file_stem)
                ));
                let legend: Vec<String> = chart
                    .series
                    .iter()
                    .zip(colours)
                    .map(|(series, colour)| format!("{} ({colour})", escape(&series.label)))
                    .collect();
                if !legend.is_empty() {
                    s.push_str(&format!("{}\n\n", legend.join(" · ")));
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_formatting_characters() {
        assert_eq!(escape("a|b *c* <x>"), "a\\|b \\*c\\* &lt;x&gt;");
        assert_eq!(escape("Q4_K_M _x_"), "Q4_K_M \\_x\\_");
    }
}
