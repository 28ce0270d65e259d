//! File dialogs behind a trait so tests can answer them. The native ones (rfd) may fail silently on
//! a desktop without a portal; drag-and-drop and the command-line path always work.

use crate::lang::Lang;
use crate::scenario::file_type::default_file_name;
use std::path::PathBuf;

pub trait FileDialogs {
    fn open(&mut self, lang: Lang) -> Option<PathBuf>;
    /// Where to save a scenario called `scenario_name`.
    fn save(&mut self, scenario_name: &str, lang: Lang) -> Option<PathBuf>;
    /// Where to write a report of a scenario called `scenario_name` (HTML or Markdown).
    fn export_report(&mut self, scenario_name: &str, lang: Lang) -> Option<PathBuf>;
    /// A model file to evaluate: a .gguf file, a .safetensors shard or its index.
    fn open_model(&mut self) -> Option<PathBuf>;
    /// A folder to export into.
    fn pick_folder(&mut self) -> Option<PathBuf>;
    /// A price file to import (File → Import prices…).
    fn open_prices(&mut self, lang: Lang) -> Option<PathBuf>;
}

/// rfd's native dialogs.
pub struct NativeDialogs;

/// Extension filters match the last extension only, so `ron` covers `.dsa.ron` as well as the
/// plain `.ron` files the app has always opened.
impl FileDialogs for NativeDialogs {
    fn open(&mut self, lang: Lang) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(
                lang.pick("Scenario (.dsa.ron, .ron)", "方案文件（.dsa.ron、.ron）"),
                &["ron"],
            )
            .pick_file()
    }

    fn save(&mut self, scenario_name: &str, lang: Lang) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(
                lang.pick("Scenario (.dsa.ron)", "方案文件（.dsa.ron）"),
                &["ron"],
            )
            .set_file_name(default_file_name(scenario_name))
            .save_file()
    }

    fn export_report(&mut self, scenario_name: &str, lang: Lang) -> Option<PathBuf> {
        let stem = default_file_name(scenario_name);
        let stem = stem.trim_end_matches(".dsa.ron");
        rfd::FileDialog::new()
            .add_filter(lang.pick("HTML report", "HTML 报告"), &["html"])
            .add_filter(
                lang.pick(
                    "Markdown report (charts as PNG files beside it)",
                    "Markdown 报告（图表另存为 PNG）",
                ),
                &["md"],
            )
            .set_file_name(format!("{stem}.html"))
            .save_file()
    }

    fn open_model(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("GGUF / safetensors", &["gguf", "safetensors", "json"])
            .pick_file()
    }

    fn pick_folder(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new().pick_folder()
    }

    fn open_prices(&mut self, lang: Lang) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(lang.pick("Prices (RON)", "价格文件（RON）"), &["ron"])
            .pick_file()
    }
}

/// Answers from a list, for tests: `None` entries mean "cancelled".
#[derive(Default)]
pub struct ScriptedDialogs {
    pub opens: Vec<Option<PathBuf>>,
    pub saves: Vec<Option<PathBuf>>,
    pub models: Vec<Option<PathBuf>>,
    pub folders: Vec<Option<PathBuf>>,
    pub exports: Vec<Option<PathBuf>>,
    pub prices: Vec<Option<PathBuf>>,
}

fn next(answers: &mut Vec<Option<PathBuf>>) -> Option<PathBuf> {
    if answers.is_empty() {
        None
    } else {
        answers.remove(0)
    }
}

impl FileDialogs for ScriptedDialogs {
    fn open(&mut self, _lang: Lang) -> Option<PathBuf> {
        next(&mut self.opens)
    }

    fn save(&mut self, _scenario_name: &str, _lang: Lang) -> Option<PathBuf> {
        next(&mut self.saves)
    }

    fn export_report(&mut self, _scenario_name: &str, _lang: Lang) -> Option<PathBuf> {
        next(&mut self.exports)
    }

    fn open_model(&mut self) -> Option<PathBuf> {
        next(&mut self.models)
    }

    fn pick_folder(&mut self) -> Option<PathBuf> {
        next(&mut self.folders)
    }

    fn open_prices(&mut self, _lang: Lang) -> Option<PathBuf> {
        next(&mut self.prices)
    }
}
