//! Shareable reports of a scenario (`report` command, File → Export report…): the verdict for its
//! hardware, the recommended deployment with reasons, every option's cost, cost curves and
//! cumulative cost as charts, the assumptions with sources and dates, and the launch commands.
//! HTML is one self-contained file (inline SVG, no scripts); Markdown gets PNG charts beside it.

pub mod assumptions;
pub mod chart;
pub mod content;
pub mod document;
pub mod html;
pub mod markdown;
pub mod raster;
pub mod svg;

use crate::catalog::Catalog;
use crate::cost::Plan;
use crate::fsutil::{write_atomically, FileError};
use crate::hardware::{HardwareProfile, Machine};
use crate::lang::Lang;
use crate::scenario::{Scenario, ScenarioHardware};
pub use content::HardwareOrigin;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
}

impl Format {
    /// `md` / `markdown` or `html` / `htm`, any case.
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    /// The format a file name asks for by its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::from_name)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }
}

/// A rendered report: its text and, for Markdown, the chart images to write beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub text: String,
    /// File name (no folder) and PNG bytes.
    pub images: Vec<(String, Vec<u8>)>,
}

/// The hardware a scenario file describes: its saved profile, its what-if hardware (on a blank
/// profile when none is saved, so the report does not depend on where it is made), or else the
/// machine `detect` finds.
pub fn scenario_hardware(
    scenario: &Scenario,
    detect: impl FnOnce() -> HardwareProfile,
) -> (Option<Machine>, HardwareOrigin) {
    let hw = &scenario.hardware;
    let catalog = Catalog::get();
    let origin = hardware_origin(hw);
    let machine = match (&hw.profile, origin) {
        (Some(p), _) => hw.machine(p, catalog),
        (None, HardwareOrigin::Detected) => hw.machine(&detect(), catalog),
        (None, _) => hw.machine(&HardwareProfile::default(), catalog),
    };
    (machine, origin)
}

/// Where a scenario's hardware comes from: its what-if edits, its saved profile, or neither
/// (this machine).
pub fn hardware_origin(hw: &ScenarioHardware) -> HardwareOrigin {
    if hw.what_if.enabled {
        HardwareOrigin::WhatIf
    } else if hw.profile.is_some() {
        HardwareOrigin::Saved
    } else {
        HardwareOrigin::Detected
    }
}

/// The report of `scenario` judged on `machine`, with its costs from `plan` (the scenario's
/// `cost::plan`).
pub fn document(
    scenario: &Scenario,
    plan: &Plan,
    machine: Option<&Machine>,
    origin: HardwareOrigin,
    lang: Lang,
) -> document::Document {
    content::document(&content::ReportInputs {
        scenario,
        plan,
        machine,
        origin,
        lang,
        generated_on: crate::date::today(),
    })
}

/// Renders the document; Markdown charts are named `<image_prefix>-<chart>.png`.
pub fn render(
    doc: &document::Document,
    format: Format,
    lang: Lang,
    image_prefix: &str,
) -> Result<Rendered, String> {
    match format {
        Format::Html => Ok(Rendered {
            text: html::render(doc, lang),
            images: Vec::new(),
        }),
        Format::Markdown => {
            let name = |stem: &str| format!("{image_prefix}-{stem}.png");
            let mut images = Vec::new();
            for b in &doc.blocks {
                if let document::Block::Chart(chart, _) = b {
                    images.push((name(chart.file_stem), raster::render_png(chart, lang)?));
                }
            }
            Ok(Rendered {
                text: markdown::render(doc, &name),
                images,
            })
        }
    }
}

/// The prefix of chart files beside a Markdown report: the report's file stem.
pub fn image_prefix(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into())
}

/// Writes the report and its images (each atomically) next to each other; returns the files
/// written.
pub fn write(path: &Path, rendered: &Rendered) -> Result<Vec<PathBuf>, FileError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut written = Vec::new();
    let mut put = |p: PathBuf, bytes: &[u8]| {
        write_atomically(&p, bytes).map_err(|e| FileError {
            file: p.display().to_string(),
            message: format!("cannot write: {e}"),
        })?;
        written.push(p);
        Ok::<(), FileError>(())
    };
    for (name, bytes) in &rendered.images {
        put(dir.join(name), bytes)?;
    }
    put(path.to_path_buf(), rendered.text.as_bytes())?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name_and_extension() {
        assert_eq!(Format::from_name("MD"), Some(Format::Markdown));
        assert_eq!(Format::from_name("pdf"), None);
        assert_eq!(
            Format::from_path(Path::new("a/b.report.HTML")),
            Some(Format::Html)
        );
        assert_eq!(Format::from_path(Path::new("a/b")), None);
    }
}
