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
    Buy,
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
    /// File → Export Report…: ask where, then write HTML or Markdown by the file name.
    ExportReport,
    /// Help → About (true) and its Close button (false).
    ShowAbout(bool),
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
    /// Speculative decoding for the selected cell (`None` = off).
    SetSpeculative(Option<crate::catalog::schema::SpeculativeKind>),
    /// Users served at once in the cell detail.
    SetConcurrency(u32),
    Copy(String),
    Redetect,
    ResetToDetected,
    /// Unsaved-changes dialog answers.
    SaveThenContinue,
    DiscardThenContinue,
    CancelPending,
    DismissError,
    DismissNotice,
    RestoreAutosave,
    DiscardAutosave,
    /// File → Evaluate model file…: ask for a model file.
    EvaluateModel,
    /// Read and evaluate this model file or folder (dropped, or chosen in the dialog).
    EvaluateModelPath(PathBuf),
    CloseModelFile,
    /// File → Export deployment…: ask for a folder and write the plan's deployment there.
    ExportDeployment(crate::deploy::Target),
    /// File → Import prices…
    ImportPrices,
    /// The Measure dialog (measuring a running model server).
    Measure(crate::app::measure::MeasureCommand),
}

/// A model file being evaluated, or its result.
#[derive(Debug)]
pub enum ModelFileState {
    /// Its header is being read on a background thread.
    Reading(PathBuf),
    Ready(Box<crate::modelfile::evaluate::Evaluation>),
    /// The file could not be read; the message names it and what is wrong.
    Failed(String),
}

/// Whether a dropped path is a model to evaluate rather than a scenario to open.
pub fn is_model_path(p: &std::path::Path) -> bool {
    let ext = p
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    p.is_dir() || matches!(ext.as_str(), "gguf" | "safetensors" | "json")
}

/// The Buy tab: what the user asks and the last answer (recomputed on request, not every frame).
#[derive(Debug, Clone, PartialEq)]
pub struct BuyForm {
    pub model: String,
    /// Empty: every published quant.
    pub quant: String,
    pub budget: f64,
    /// The currency `budget` is in.
    pub currency: Currency,
    pub min_tok_s: f64,
    pub context: u32,
    pub answer: Option<crate::buy::BuyAnswer>,
}

impl Default for BuyForm {
    fn default() -> Self {
        BuyForm {
            model: "deepseek-v4-flash-0731".into(),
            quant: String::new(),
            budget: 50_000.0,
            currency: Currency::Cny,
            min_tok_s: 10.0,
            context: 8192,
            answer: None,
        }
    }
}
