//! A report as format-neutral blocks: what it says is decided once (`content`), then written as
//! Markdown or HTML. Table cells that carry a `plan --json` number keep it beside their text, so
//! the HTML can expose it and tests can compare.

use super::chart::Chart;

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    /// `en` or `zh`, for the HTML `lang` attribute.
    pub lang_tag: &'static str,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    Paragraph(String),
    /// A paragraph that stands out (the verdict, the recommendation).
    Callout(String),
    Bullets(Vec<String>),
    Table(Table),
    /// Shell commands, one per line.
    Code(Vec<String>),
    /// A chart with the colour name of each series (for the PNG's numbered legend).
    Chart(Chart, Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    /// Columns aligned to the right (numbers).
    pub numeric: Vec<bool>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What the row is about in `plan --json` terms (`api`, `local_server`), if anything.
    pub key: Option<String>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    /// The `plan --json` field this cell shows and its value there.
    pub json: Option<(&'static str, f64)>,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            json: None,
        }
    }

    /// A cell showing `text` for the `plan --json` number `value` of `field`.
    pub fn number(text: impl Into<String>, field: &'static str, value: f64) -> Cell {
        Cell {
            text: text.into(),
            json: Some((field, crate::number::finite(value))),
        }
    }
}

impl Table {
    pub fn new(header: &[&str], numeric: &[usize]) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            numeric: (0..header.len()).map(|i| numeric.contains(&i)).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, key: Option<&str>, cells: Vec<Cell>) {
        self.rows.push(Row {
            key: key.map(str::to_string),
            cells,
        });
    }
}
