//! App state that outlives a frame: preferences (persisted), the open scenario and its file, what
//! the user is being asked, and the commands views emit.

use crate::catalog::schema::Currency;
use crate::lang::Lang;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    Light,
    Dark,
    #[default]
    System,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Verdict,
    Wizard,
    Costs,
}

/// Remembered between runs (eframe storage); window size is remembered by eframe itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// `en` or `zh`; `None` follows the system locale.
    pub lang: Option<String>,
    pub theme: ThemeChoice,
    pub currency: Currency,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            lang: None,
            theme: ThemeChoice::System,
            // Chinese-speaking users mostly budget in yuan.
            currency: match Lang::from_system() {
                Lang::Zh => Currency::Cny,
                Lang::En => Currency::Usd,
            },
            recent: Vec::new(),
        }
    }
}

/// Recent files kept.
pub const MAX_RECENT: usize = 8;

impl Prefs {
    pub fn language(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(|l| l.parse().ok())
            .unwrap_or_else(Lang::from_system)
    }

    pub fn remember(&mut self, path: PathBuf) {
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }
}

/// The working scenario as autosaved (`autosave.rs`) while it has unsaved changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Autosave {
    pub scenario: Scenario,
    pub path: Option<PathBuf>,
}

/// Storage key of the preferences.
pub const PREFS_KEY: &str = "prefs";

/// What to do once unsaved changes are dealt with.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    New,
    Open,
    OpenPath(PathBuf),
    Quit,
}

/// Everything views ask for; the app runs them after drawing.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    New,
    Open,
    OpenPath(PathBuf),
    Save,
    SaveAs,
    Quit,
    SetLang(Lang),
    SetTheme(ThemeChoice),
    SetCurrency(Currency),
    /// The scenario was edited in place.
    Edited,
    SelectCell {
        model: String,
        quant: String,
    },
    Copy(String),
    Redetect,
    ResetToDetected,
    /// Unsaved-changes dialog answers.
    SaveThenContinue,
    DiscardThenContinue,
    CancelPending,
    DismissError,
    RestoreAutosave,
    DiscardAutosave,
}
