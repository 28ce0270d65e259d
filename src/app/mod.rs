//! The desktop app (eframe 0.37, glow renderer). Views read state and push `Command`s; the app
//! runs them after drawing. Detection runs on a thread and reports through a channel.

pub mod dialogs;
pub mod fonts;
pub mod i18n;
pub mod state;
mod views;

use crate::catalog::Catalog;
use crate::hardware::{HardwareProfile, Machine};
use crate::lang::Lang;
use crate::scenario::{Scenario, WhatIfGpu};
use dialogs::{FileDialogs, NativeDialogs};
use eframe::egui;
use state::{Autosave, Command, Pending, Prefs, Tab, ThemeChoice, AUTOSAVE_KEY, PREFS_KEY};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};

/// Where the app gets "this machine" from.
pub enum HardwareSource {
    /// Run detection on a background thread.
    Detect,
    /// A fixed profile (tests, or a machine described elsewhere).
    Fixed(Box<HardwareProfile>),
}

/// What the app is built with; tests replace the parts that touch the system.
pub struct AppDeps {
    pub hardware: HardwareSource,
    pub dialogs: Box<dyn FileDialogs>,
    /// A scenario file to open at start (command-line argument).
    pub open_path: Option<PathBuf>,
    /// Force a language (tests); otherwise the preference, else the system locale.
    pub lang: Option<Lang>,
}

impl Default for AppDeps {
    fn default() -> Self {
        AppDeps {
            hardware: HardwareSource::Detect,
            dialogs: Box::new(NativeDialogs),
            open_path: None,
            lang: None,
        }
    }
}

pub struct AdvisorApp {
    pub scenario: Scenario,
    pub path: Option<PathBuf>,
    pub dirty: bool,
    pub prefs: Prefs,
    pub lang: Lang,
    pub tab: Tab,
    /// This machine as detected (None while detection runs).
    pub detected: Option<HardwareProfile>,
    detection: Option<mpsc::Receiver<HardwareProfile>>,
    /// An error to show in a dialog.
    pub error: Option<String>,
    /// Waiting for the user to answer "save changes?".
    pub pending: Option<Pending>,
    /// Work recovered from the app's storage after a crash.
    pub recovered: Option<Autosave>,
    /// Wizard page (0-based; `wizard::steps::RESULT` is the result page).
    pub wizard_step: usize,
    /// Enter / Escape as the wizard reads them before widgets use the keys.
    wizard_keys: views::wizard::KeyIntent,
    /// The decision for the last answers (plan, curves, sensitivity, flips), shared by the
    /// Wizard and Costs tabs and recomputed only when the answers change.
    decision_cache: Option<Arc<crate::wizard::Decision>>,
    /// What-if editor: the catalog GPU to add and how many.
    pub add_gpu_id: String,
    pub add_gpu_count: u32,
    dialogs: Box<dyn FileDialogs>,
    commands: Vec<Command>,
    allow_close: bool,
    last_title: String,
    first_frame_done: bool,
}

fn spawn_detection(ctx: &egui::Context) -> mpsc::Receiver<HardwareProfile> {
    let (tx, rx) = mpsc::channel();
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("detect".into())
        .spawn(move || {
            let profile = crate::hardware::detect::detect();
            let _ = tx.send(profile);
            ctx.request_repaint();
        });
    if let Err(e) = spawned {
        // No thread: detection results simply never arrive; say so.
        let (tx2, rx2) = mpsc::channel();
        let _ = tx2.send(HardwareProfile {
            notes: vec![format!("detection could not start: {e}")],
            partial: true,
            ..HardwareProfile::default()
        });
        return rx2;
    }
    rx
}

impl AdvisorApp {
    pub fn new(cc: &eframe::CreationContext<'_>, deps: AppDeps) -> AdvisorApp {
        fonts::install(&cc.egui_ctx);
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default();
        let recovered: Option<Autosave> =
            cc.storage.and_then(|s| eframe::get_value(s, AUTOSAVE_KEY));
        let lang = deps.lang.unwrap_or_else(|| prefs.language());
        let (detected, detection) = match deps.hardware {
            HardwareSource::Fixed(p) => (Some(*p), None),
            HardwareSource::Detect => (None, Some(spawn_detection(&cc.egui_ctx))),
        };
        let mut app = AdvisorApp {
            scenario: Scenario::default(),
            path: None,
            dirty: false,
            prefs,
            lang,
            tab: Tab::Verdict,
            detected,
            detection,
            error: None,
            pending: None,
            recovered,
            wizard_step: 0,
            wizard_keys: Default::default(),
            decision_cache: None,
            add_gpu_id: "rtx-4090".into(),
            add_gpu_count: 1,
            dialogs: deps.dialogs,
            commands: Vec::new(),
            allow_close: false,
            last_title: String::new(),
            first_frame_done: false,
        };
        app.apply_theme(&cc.egui_ctx);
        app.scenario.costs = crate::cost::CostInputs::defaults(app.prefs.currency);
        if let Some(p) = deps.open_path {
            app.open_path(&p);
        }
        app
    }

    fn apply_theme(&self, ctx: &egui::Context) {
        ctx.set_theme(match self.prefs.theme {
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
            ThemeChoice::System => egui::ThemePreference::System,
        });
    }

    pub fn texts(&self) -> &'static i18n::Texts {
        i18n::texts(self.lang)
    }

    /// The profile the scenario uses: its saved snapshot, else this machine's detection.
    pub fn profile(&self) -> Option<&HardwareProfile> {
        self.scenario
            .hardware
            .profile
            .as_ref()
            .or(self.detected.as_ref())
    }

    /// The machine estimates run against: the profile, with what-if edits when enabled.
    pub fn machine(&self) -> Option<Machine> {
        let catalog = Catalog::get();
        let base = self.profile()?;
        let w = &self.scenario.hardware.what_if;
        if !w.enabled {
            return Machine::from_profile(base, catalog).ok();
        }
        let mut gpus: Vec<crate::hardware::GpuGroup> = w
            .gpus
            .iter()
            .filter_map(|g| {
                catalog
                    .gpu(&g.id)
                    .ok()
                    .map(|spec| crate::hardware::GpuGroup {
                        spec: spec.clone(),
                        count: g.count,
                    })
            })
            .collect();
        // An Apple chip is the whole machine: added discrete GPUs replace it.
        if gpus.iter().any(|g| !g.is_unified()) {
            gpus.retain(|g| !g.is_unified());
        }
        let pick =
            |v: f64, fallback: f64| Some(if v > 0.0 { v } else { fallback }).filter(|x| *x > 0.0);
        let cores = Some(base.cpu.physical_cores).filter(|c| *c > 0);
        let bw = pick(w.cpu_mem_bw_gbs, base.cpu.mem_bw_gbs);
        // A RAM size the chosen Apple chip is not sold with falls back to its largest one.
        Machine::from_parts(gpus.clone(), pick(w.ram_gb, base.ram_total_gb), bw, cores)
            .or_else(|_| Machine::from_parts(gpus, None, bw, cores))
            .ok()
    }

    /// The cost plan for the scenario (from the cached decision).
    pub fn plan(&mut self) -> crate::cost::Plan {
        self.decision().plan.clone()
    }

    /// The decision for the scenario's answers, recomputed only when they change.
    pub fn decision(&mut self) -> Arc<crate::wizard::Decision> {
        match &self.decision_cache {
            Some(d) if d.inputs == self.scenario.costs => d.clone(),
            _ => {
                let d = Arc::new(crate::wizard::Decision::compute(&self.scenario.costs));
                self.decision_cache = Some(d.clone());
                d
            }
        }
    }

    /// Starts what-if editing from the current hardware.
    pub fn begin_what_if(&mut self) {
        if self.scenario.hardware.what_if.enabled {
            return;
        }
        let Some(m) = self
            .profile()
            .and_then(|p| Machine::from_profile(p, Catalog::get()).ok())
        else {
            return;
        };
        let w = &mut self.scenario.hardware.what_if;
        w.enabled = true;
        w.gpus = m
            .gpus
            .iter()
            .filter(|g| !g.spec.id.starts_with("unknown:"))
            .map(|g| WhatIfGpu {
                id: g.spec.id.clone(),
                count: g.count,
            })
            .collect();
        w.ram_gb = m.ram_gb;
        w.cpu_mem_bw_gbs = m.cpu_mem_bw_gbs;
    }

    fn title(&self) -> String {
        let name = self
            .path
            .as_ref()
            .and_then(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.scenario.name.clone());
        format!(
            "{}{} — {}",
            name,
            if self.dirty { " •" } else { "" },
            self.texts().app_name
        )
    }

    /// Opens a scenario file; on failure the current scenario stays and the error is shown.
    pub fn open_path(&mut self, path: &Path) {
        match Scenario::load(path) {
            Ok(s) => {
                self.scenario = s;
                self.path = Some(path.to_path_buf());
                self.dirty = false;
                self.prefs.remember(path.to_path_buf());
            }
            Err(e) => self.error = Some(format!("{}\n{e}", self.texts().open_failed)),
        }
    }

    /// Saves to the current path (asking for one if none); returns whether it was saved.
    fn save(&mut self, ask: bool) -> bool {
        let path = match (&self.path, ask) {
            (Some(p), false) => Some(p.clone()),
            _ => self.dialogs.save(&self.scenario.name),
        };
        let Some(path) = path else {
            return false;
        };
        if self.scenario.hardware.profile.is_none() {
            // Keep the hardware with the scenario so it reopens the same anywhere.
            self.scenario.hardware.profile = self.detected.clone();
        }
        if let Some(stem) = path.file_stem() {
            self.scenario.name = stem.to_string_lossy().into_owned();
        }
        match self.scenario.save(&path) {
            Ok(()) => {
                self.path = Some(path.clone());
                self.dirty = false;
                self.prefs.remember(path);
                true
            }
            Err(e) => {
                self.error = Some(format!("{}\n{e}", self.texts().save_failed));
                false
            }
        }
    }

    fn continue_pending(&mut self, ctx: &egui::Context, pending: Pending) {
        match pending {
            Pending::New => {
                self.scenario = Scenario::default();
                self.scenario.costs = crate::cost::CostInputs::defaults(self.prefs.currency);
                self.path = None;
                self.dirty = false;
            }
            Pending::Open => {
                if let Some(p) = self.dialogs.open() {
                    self.open_path(&p);
                }
            }
            Pending::OpenPath(p) => self.open_path(&p),
            Pending::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// Runs `pending` now, or asks first when there are unsaved changes.
    fn guarded(&mut self, ctx: &egui::Context, pending: Pending) {
        if self.dirty {
            self.pending = Some(pending);
        } else {
            self.continue_pending(ctx, pending);
        }
    }

    pub fn run_command(&mut self, ctx: &egui::Context, c: Command) {
        match c {
            Command::New => self.guarded(ctx, Pending::New),
            Command::Open => self.guarded(ctx, Pending::Open),
            Command::OpenPath(p) => self.guarded(ctx, Pending::OpenPath(p)),
            Command::Save => {
                self.save(false);
            }
            Command::SaveAs => {
                self.save(true);
            }
            Command::Quit => self.guarded(ctx, Pending::Quit),
            Command::SetLang(l) => {
                self.lang = l;
                self.prefs.lang = Some(match l {
                    Lang::En => "en".into(),
                    Lang::Zh => "zh".into(),
                });
            }
            Command::SetTheme(t) => {
                self.prefs.theme = t;
                self.apply_theme(ctx);
            }
            Command::SetCurrency(c) => {
                self.prefs.currency = c;
                if self.scenario.costs.currency != c {
                    self.scenario.costs = self.scenario.costs.in_currency(c);
                    self.dirty = true;
                }
            }
            Command::Edited => self.dirty = true,
            Command::SelectCell { model, quant } => {
                self.scenario.selection.model = Some(model);
                self.scenario.selection.quant = Some(quant);
                self.dirty = true;
            }
            Command::Copy(text) => ctx.copy_text(text),
            Command::Redetect => {
                if self.detection.is_none() {
                    self.detected = None;
                    self.detection = Some(spawn_detection(ctx));
                }
            }
            Command::ResetToDetected => {
                self.scenario.hardware.what_if = Default::default();
                self.scenario.hardware.profile = None;
                self.dirty = true;
            }
            Command::SaveThenContinue => {
                if let Some(p) = self.pending.take() {
                    if self.save(false) {
                        self.continue_pending(ctx, p);
                    }
                }
            }
            Command::DiscardThenContinue => {
                if let Some(p) = self.pending.take() {
                    self.dirty = false;
                    self.continue_pending(ctx, p);
                }
            }
            Command::CancelPending => self.pending = None,
            Command::DismissError => self.error = None,
            Command::RestoreAutosave => {
                if let Some(a) = self.recovered.take() {
                    self.scenario = a.scenario;
                    self.path = a.path;
                    self.dirty = true;
                }
            }
            Command::DiscardAutosave => self.recovered = None,
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let table = [
            (
                KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::S),
                Command::SaveAs,
            ),
            (
                KeyboardShortcut::new(Modifiers::COMMAND, Key::S),
                Command::Save,
            ),
            (
                KeyboardShortcut::new(Modifiers::COMMAND, Key::N),
                Command::New,
            ),
            (
                KeyboardShortcut::new(Modifiers::COMMAND, Key::O),
                Command::Open,
            ),
            (
                KeyboardShortcut::new(Modifiers::COMMAND, Key::Q),
                Command::Quit,
            ),
        ];
        for (shortcut, command) in table {
            if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                self.commands.push(command);
            }
        }
    }
}

impl eframe::App for AdvisorApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if let Some(rx) = &self.detection {
            if let Ok(p) = rx.try_recv() {
                self.detected = Some(p);
                self.detection = None;
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        for p in dropped {
            self.commands.push(Command::OpenPath(p));
        }
        if ctx.input(|i| i.viewport().close_requested()) && self.dirty && !self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.pending = Some(Pending::Quit);
        }
        self.shortcuts(ctx);
        self.wizard_keys = views::wizard::read_keys(ctx, self);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let mut commands = std::mem::take(&mut self.commands);
        views::menu::show(ui, self, &mut commands);
        views::machine::show(ui, self, &mut commands);
        egui::CentralPanel::default().show(ui, |ui| {
            views::tabs::show(ui, self, &mut commands);
        });
        views::modals::show(&ctx, self, &mut commands);
        for c in commands {
            self.run_command(&ctx, c);
        }
        let title = self.title();
        if title != self.last_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.last_title = title;
        }
        if !self.first_frame_done {
            self.first_frame_done = true;
            if std::env::var_os("DEEPSEEK_ADVISOR_STARTUP_PROBE").is_some() {
                eprintln!(
                    "first frame after {:.0} ms",
                    crate::startup::since_process_start().as_secs_f64() * 1000.0
                );
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                self.allow_close = true;
            }
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
        if self.dirty {
            eframe::set_value(
                storage,
                AUTOSAVE_KEY,
                &Autosave {
                    scenario: self.scenario.clone(),
                    path: self.path.clone(),
                },
            );
        } else if self.recovered.is_none() {
            storage.remove_string(AUTOSAVE_KEY);
        }
    }
}

/// What the command line asks the app to open.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Launch {
    /// A scenario file.
    pub open_path: Option<PathBuf>,
    /// The tab to show first.
    pub tab: Option<Tab>,
    /// The wizard page to show (0-based; `wizard::steps::RESULT` is the result).
    pub wizard_step: Option<usize>,
}

/// Opens the window.
pub fn run(launch: Launch) -> Result<(), String> {
    let icon = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")).ok();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(i18n::EN.app_name)
        .with_app_id(APP_ID)
        .with_inner_size([1200.0, 760.0])
        .with_min_inner_size([720.0, 480.0])
        .with_drag_and_drop(true);
    if let Some(icon) = icon {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        APP_ID,
        options,
        Box::new(move |cc| {
            let mut app = AdvisorApp::new(
                cc,
                AppDeps {
                    open_path: launch.open_path,
                    ..AppDeps::default()
                },
            );
            if let Some(tab) = launch.tab {
                app.tab = tab;
            }
            if let Some(step) = launch.wizard_step {
                app.wizard_step = step;
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| e.to_string())
}

/// Matches assets/deepseek-advisor.desktop (Wayland uses it to find the icon) and names the
/// storage folder.
pub const APP_ID: &str = "deepseek-advisor";
