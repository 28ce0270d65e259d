//! File dialogs behind a trait so tests can answer them. The native ones (rfd) may fail silently on
//! a desktop without a portal; drag-and-drop and the command-line path always work.

use std::path::PathBuf;

pub trait FileDialogs {
    fn open(&mut self) -> Option<PathBuf>;
    fn save(&mut self, suggested_name: &str) -> Option<PathBuf>;
    /// A price file to import (File → Import prices…).
    fn open_prices(&mut self) -> Option<PathBuf>;
}

/// rfd's native dialogs.
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn open(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Scenario (RON)", &["ron"])
            .pick_file()
    }

    fn save(&mut self, suggested_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Scenario (RON)", &["ron"])
            .set_file_name(format!("{suggested_name}.ron"))
            .save_file()
    }

    fn open_prices(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Prices (RON)", &["ron"])
            .pick_file()
    }
}

/// Answers from a list, for tests: `None` entries mean "cancelled".
#[derive(Default)]
pub struct ScriptedDialogs {
    pub opens: Vec<Option<PathBuf>>,
    pub saves: Vec<Option<PathBuf>>,
    pub prices: Vec<Option<PathBuf>>,
}

impl FileDialogs for ScriptedDialogs {
    fn open(&mut self) -> Option<PathBuf> {
        if self.opens.is_empty() {
            None
        } else {
            self.opens.remove(0)
        }
    }

    fn save(&mut self, _suggested_name: &str) -> Option<PathBuf> {
        if self.saves.is_empty() {
            None
        } else {
            self.saves.remove(0)
        }
    }

    fn open_prices(&mut self) -> Option<PathBuf> {
        if self.prices.is_empty() {
            None
        } else {
            self.prices.remove(0)
        }
    }
}
