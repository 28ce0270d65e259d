//! The desktop app (eframe 0.37, glow renderer). Views read state and push `Command`s; the app
//! runs them after drawing. Detection runs on a thread and reports through a channel.

pub mod autosave;
pub mod dialogs;
pub mod fonts;
pub mod i18n;
pub mod measure;
pub mod state;
pub mod verdict_grid;
mod views;

use crate::catalog::Catalog;
use crate::hardware::{HardwareProfile, Machine};
use crate::lang::Lang;
use crate::prices::{Day, PriceContext, UserPrices};
use crate::report;
use crate::scenario::file_type::{display_stem, with_scenario_extension};
use crate::scenario::{Scenario, WhatIfGpu};
use autosave::AutosaveFile;
use dialogs::{FileDialogs, NativeDialogs};
use eframe::egui;
use state::{Autosave, Command, ModelFileState, Pending, Prefs, Tab, ThemeChoice, PREFS_KEY};
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
    /// Files later starts hand to this window (single instance).
    pub incoming: Option<crate::instance::Incoming>,
    /// Where unsaved work is kept for recovery; `None` keeps none (tests).
    pub autosave: Option<PathBuf>,
    /// Where `bench` measurements are kept (shared with the command line); `None` keeps none.
    pub measurements: Option<PathBuf>,
}

impl Default for AppDeps {
    fn default() -> Self {
        AppDeps {
            hardware: HardwareSource::Detect,
            dialogs: Box::new(NativeDialogs),
            open_path: None,
            lang: None,
            incoming: None,
            autosave: AutosaveFile::default_path(),
            measurements: crate::bench::store::default_path(),
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
    /// A message that something worked (a report or a deployment was written), shown until
    /// dismissed.
    pub notice: Option<String>,
    /// The About window is open.
    pub show_about: bool,
    /// Waiting for the user to answer "save changes?".
    pub pending: Option<Pending>,
    /// Work recovered from the autosave file after a crash.
    pub recovered: Option<Autosave>,
    autosave: Option<AutosaveFile>,
    /// An autosave failure was shown; not repeated until a write succeeds again.
    autosave_warned: bool,
    /// Wizard page (0-based; `wizard::steps::RESULT` is the result page).
    pub wizard_step: usize,
    /// Enter / Escape as the wizard reads them before widgets use the keys.
    wizard_keys: views::wizard::KeyIntent,
    /// The decision for the last answers (plan, curves, sensitivity, flips), shared by the
    /// Wizard and Costs tabs and recomputed only when the answers change.
    /// Keyed by the scenario's cost inputs and the measurements saved so far.
    decision_cache: Option<DecisionCache>,
    /// The Verdict tab's estimates for the current machine, runtime, context and language.
    verdict_grid: Option<Arc<verdict_grid::VerdictGrid>>,
    /// The Verdict grid shows one column per file instead of one per precision class.
    pub verdict_by_file: bool,
    /// The Verdict grid shows the models that don't fit instead of folding them into one line.
    pub verdict_show_misfits: bool,
    /// The prices answers use: the user's price file (if any) over the catalog, and today.
    pub prices: PriceContext,
    /// The folder the price file is kept in (the app's storage folder); `None` without storage.
    prices_dir: Option<PathBuf>,
    /// The Buy tab's question and its last answer.
    pub buy: state::BuyForm,
    /// What-if editor: the catalog GPU to add and how many.
    pub add_gpu_id: String,
    pub add_gpu_count: u32,
    /// A model file being evaluated (File → Evaluate model file…, or dropped on the window).
    pub model_file: Option<ModelFileState>,
    model_file_reading: Option<mpsc::Receiver<ModelFileState>>,
    /// The Measure dialog and the measurements saved for this machine.
    pub measure: measure::MeasureState,
    dialogs: Box<dyn FileDialogs>,
    incoming: Option<crate::instance::Incoming>,
    commands: Vec<Command>,
    allow_close: bool,
    last_title: String,
    first_frame_done: bool,
}

/// Reads a model file's header on a thread: headers are bounded (`modelfile::HEADER_CAP`) but
/// may sit on a slow or network disk, and the window must stay responsive meanwhile.
fn spawn_model_reading(ctx: &egui::Context, path: PathBuf) -> mpsc::Receiver<ModelFileState> {
    let (tx, rx) = mpsc::channel();
    let ctx = ctx.clone();
    let job = move || {
        let state = match crate::modelfile::evaluate::evaluate_path(&path) {
            Ok(e) => ModelFileState::Ready(Box::new(e)),
            Err(e) => ModelFileState::Failed(e.to_string()),
        };
        let _ = tx.send(state);
        ctx.request_repaint();
    };
    if let Err(e) = std::thread::Builder::new()
        .name("model-file".into())
        .spawn(job)
    {
        let (tx2, rx2) = mpsc::channel();
        let _ = tx2.send(ModelFileState::Failed(format!(
            "the file could not be read: no thread ({e})"
        )));
        return rx2;
    }
    rx
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

/// The last decision and what it was computed from: the scenario's cost inputs as the user
/// gave them and the number of measurements saved (a saved one may set the capacity).
struct DecisionCache {
    costs: crate::cost::CostInputs,
    saves: u64,
    decision: Arc<crate::wizard::Decision>,
}

impl AdvisorApp {
    pub fn new(cc: &eframe::CreationContext<'_>, deps: AppDeps) -> AdvisorApp {
        fonts::install(&cc.egui_ctx);
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default();
        let lang = deps.lang.unwrap_or_else(|| prefs.language());
        // The price file lives beside eframe's own storage; without storage (tests) there is none.
        let prices_dir = cc.storage.and_then(|_| eframe::storage_dir(APP_ID));
        let (prices, prices_error) = load_price_file(prices_dir.as_deref());
        let autosave = deps.autosave.map(AutosaveFile::at);
        let (recovered, error) = match autosave.as_ref().map(AutosaveFile::load) {
            Some(Ok(work)) => (work, None),
            Some(Err(e)) => (
                None,
                Some(format!("{}\n{e}", i18n::texts(lang).autosave_unreadable)),
            ),
            None => (None, None),
        };
        let error = match (error, prices_error) {
            (Some(a), Some(b)) => Some(format!("{a}\n\n{b}")),
            (a, b) => a.or(b),
        };
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
            error,
            notice: None,
            show_about: false,
            pending: None,
            recovered,
            autosave,
            autosave_warned: false,
            wizard_step: 0,
            prices,
            prices_dir,
            buy: state::BuyForm::default(),
            wizard_keys: Default::default(),
            decision_cache: None,
            verdict_grid: None,
            verdict_by_file: false,
            verdict_show_misfits: false,
            add_gpu_id: "rtx-4090".into(),
            add_gpu_count: 1,
            model_file: None,
            model_file_reading: None,
            measure: measure::MeasureState::new(deps.measurements),
            dialogs: deps.dialogs,
            incoming: deps.incoming,
            commands: Vec::new(),
            allow_close: false,
            last_title: String::new(),
            first_frame_done: false,
        };
        app.apply_theme(&cc.egui_ctx);
        if let Some(incoming) = &app.incoming {
            let ctx = cc.egui_ctx.clone();
            incoming.set_waker(move || ctx.request_repaint());
        }
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

    /// The `bench` measurements saved for the machine estimates run against: this machine's
    /// (or a scenario's saved profile's) — none while what-if edits change the hardware.
    pub fn measurements(&self) -> Vec<crate::bench::BenchReport> {
        if self.scenario.hardware.what_if.enabled {
            return Vec::new();
        }
        self.profile()
            .map(|p| self.measure.saved_for(p))
            .unwrap_or_default()
    }

    /// The machine estimates run against: the profile, with what-if edits when enabled.
    pub fn machine(&self) -> Option<Machine> {
        let base = self.profile()?;
        self.scenario.hardware.machine(base, Catalog::get())
    }

    /// The Verdict tab's headline and grid for `machine` (the one `machine()` returns), estimated
    /// again only when the hardware, runtime, context or language change.
    pub fn verdict_grid(&mut self, machine: &Machine) -> Arc<verdict_grid::VerdictGrid> {
        let sel = &self.scenario.selection;
        if let Some(g) = &self.verdict_grid {
            let k = &g.key;
            if k.runtime == sel.runtime_choice()
                && k.context == sel.context
                && k.lang == self.lang
                && k.hardware == self.scenario.hardware
                && k.detected == self.detected
            {
                return g.clone();
            }
        }
        let key = verdict_grid::GridKey {
            hardware: self.scenario.hardware.clone(),
            detected: self.detected.clone(),
            runtime: sel.runtime_choice(),
            context: sel.context,
            lang: self.lang,
        };
        let g = Arc::new(verdict_grid::VerdictGrid::compute(key, machine));
        self.verdict_grid = Some(g.clone());
        g
    }

    /// The cost plan for the scenario (from the cached decision).
    pub fn plan(&mut self) -> crate::cost::Plan {
        self.decision().plan.clone()
    }

    /// The scenario's cost inputs with the saved measurement of its deployment's server, if
    /// there is one (`bench::curve`): the plan's per-server capacity then comes from it.
    fn plan_inputs(&self) -> crate::cost::CostInputs {
        let mut costs = self.scenario.costs.clone();
        costs.measured = self.measure.curve_for(&costs.deployment);
        costs
    }

    /// The decision for the scenario's answers, recomputed only when they change.
    pub fn decision(&mut self) -> Arc<crate::wizard::Decision> {
        match &self.decision_cache {
            Some(c)
                if c.costs == self.scenario.costs
                    && c.saves == self.measure.saves()
                    && c.decision.prices == self.prices =>
            {
                c.decision.clone()
            }
            _ => {
                let d = Arc::new(crate::wizard::Decision::compute(
                    &self.plan_inputs(),
                    &self.prices,
                ));
                self.decision_cache = Some(DecisionCache {
                    costs: self.scenario.costs.clone(),
                    saves: self.measure.saves(),
                    decision: d.clone(),
                });
                d
            }
        }
    }

    /// Reads a price file chosen by the user; if it is valid, keeps a copy in the app's folder
    /// and uses it. A bad file is reported (file, line:column, field) and changes nothing.
    pub fn import_prices(&mut self, path: &Path) {
        let text = match crate::fsutil::read_text(path)
            .and_then(|(text, file)| UserPrices::from_ron(&text, &file).map(|p| (text, p)))
        {
            Ok(ok) => ok,
            Err(e) => {
                self.error = Some(format!(
                    "{}\n{e}",
                    self.lang
                        .pick("Could not import prices", "无法导入价格文件")
                ));
                return;
            }
        };
        let (text, user) = text;
        let shown = match &self.prices_dir {
            Some(dir) => {
                let kept = dir.join(crate::prices::user_file::PRICE_FILE_NAME);
                let written = std::fs::create_dir_all(dir)
                    .and_then(|()| crate::fsutil::write_atomically(&kept, text.as_bytes()));
                if let Err(e) = written {
                    self.error = Some(format!(
                        "{}\n{}: {e}",
                        self.lang.pick(
                            "The prices are used now but could not be kept for next time",
                            "价格已生效，但无法保存以供下次使用"
                        ),
                        kept.display()
                    ));
                }
                kept
            }
            None => path.to_path_buf(),
        };
        self.prices = PriceContext::with_user(user, shown.display().to_string(), self.prices.today);
        self.buy.answer = None;
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
            .as_deref()
            .and_then(display_stem)
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
            _ => self
                .dialogs
                .save(&self.scenario.name, self.lang)
                .map(with_scenario_extension),
        };
        let Some(path) = path else {
            return false;
        };
        if self.scenario.hardware.profile.is_none() {
            // Keep the hardware with the scenario so it reopens the same anywhere.
            self.scenario.hardware.profile = self.detected.clone();
        }
        if let Some(stem) = display_stem(&path) {
            self.scenario.name = stem;
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
                if let Some(p) = self.dialogs.open(self.lang) {
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
            Command::ExportReport => self.export_report(),
            Command::ShowAbout(open) => self.show_about = open,
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
            Command::SetSpeculative(kind) => {
                self.scenario.selection.speculative = kind;
                self.dirty = true;
            }
            Command::SetConcurrency(users) => {
                self.scenario.selection.concurrency = users;
                self.dirty = true;
            }
            Command::Copy(text) => ctx.copy_text(text),
            Command::Redetect => {
                if self.detection.is_none() {
                    // Measure the memory bandwidth again: the cached reading may be from a busy
                    // moment.
                    crate::hardware::sources::membw::forget_cached_probe();
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
            Command::DismissNotice => self.notice = None,
            Command::RestoreAutosave => {
                if let Some(a) = self.recovered.take() {
                    self.scenario = a.scenario;
                    self.path = a.path;
                    self.dirty = true;
                }
            }
            Command::DiscardAutosave => self.recovered = None,
            Command::ImportPrices => {
                if let Some(p) = self.dialogs.open_prices(self.lang) {
                    self.import_prices(&p);
                }
            }
            Command::EvaluateModel => {
                if let Some(p) = self.dialogs.open_model() {
                    self.run_command(ctx, Command::EvaluateModelPath(p));
                }
            }
            Command::EvaluateModelPath(p) => {
                self.tab = Tab::Verdict;
                self.model_file_reading = Some(spawn_model_reading(ctx, p.clone()));
                self.model_file = Some(ModelFileState::Reading(p));
            }
            Command::CloseModelFile => {
                self.model_file = None;
                self.model_file_reading = None;
            }
            Command::Measure(m) => self.measure.run(ctx, m, self.detected.as_ref()),
            Command::ExportDeployment(target) => {
                if let Some(folder) = self.dialogs.pick_folder() {
                    self.export_deployment(target, &folder);
                }
            }
        }
    }

    /// Writes the plan's self-hosted deployment into `deploy-<target>` inside `folder`.
    fn export_deployment(&mut self, target: crate::deploy::Target, folder: &Path) {
        let costs = self.plan_inputs();
        let plan = crate::cost::plan(&costs, &self.prices);
        let dir = folder.join(format!("deploy-{}", target.name()));
        let result = crate::deploy::spec_from_plan(
            &self.scenario.name,
            &costs,
            &plan,
            crate::deploy::self_hosted_choice(&plan),
        )
        .map_err(crate::deploy::DeployError::Spec)
        .and_then(|spec| crate::deploy::export(&spec, target, &dir, false));
        let t = self.texts();
        match result {
            Ok(files) => {
                let list: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
                self.notice = Some(format!("{}\n{}", t.export_done, list.join("\n")));
            }
            Err(e) => self.error = Some(format!("{}\n{e}", t.export_failed)),
        }
    }

    /// Asks where to write a report of the scenario and writes it: HTML or Markdown by the file
    /// name (a bare name gets `.html`), judged on the hardware the app shows.
    fn export_report(&mut self) {
        let Some(mut path) = self.dialogs.export_report(&self.scenario.name, self.lang) else {
            return;
        };
        if path.extension().is_none() {
            let html = path.with_extension("html");
            if !html.exists() {
                path = html;
            }
        }
        let t = self.texts();
        let Some(format) = report::Format::from_path(&path) else {
            self.error = Some(format!("{}\n{}", t.report_failed, t.report_extension));
            return;
        };
        let origin = report::hardware_origin(&self.scenario.hardware);
        let plan = self.plan();
        let machine = self.machine();
        // The report says what the plan rests on, a measured server included.
        let scenario = crate::scenario::Scenario {
            costs: self.plan_inputs(),
            ..self.scenario.clone()
        };
        let doc = report::document(&scenario, &plan, machine.as_ref(), origin, self.lang);
        let written = report::render(&doc, format, self.lang, &report::image_prefix(&path))
            .and_then(|r| report::write(&path, &r).map_err(|e| e.to_string()));
        match written {
            Ok(files) => {
                let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
                self.notice = Some(format!("{}\n{}", t.report_written, names.join("\n")));
            }
            Err(e) => self.error = Some(format!("{}\n{e}", t.report_failed)),
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
        self.measure.poll(self.lang);
        if let Some(rx) = &self.model_file_reading {
            if let Ok(state) = rx.try_recv() {
                self.model_file = Some(state);
                self.model_file_reading = None;
            }
        }
        for p in dropped {
            self.commands.push(if state::is_model_path(&p) {
                Command::EvaluateModelPath(p)
            } else {
                Command::OpenPath(p)
            });
        }
        // A scenario double-clicked while this window runs (see `instance`).
        let handed: Vec<crate::instance::Request> = self
            .incoming
            .as_ref()
            .map(|i| i.requests.try_iter().collect())
            .unwrap_or_default();
        for request in handed {
            if let crate::instance::Request::Open(p) = request {
                self.commands.push(Command::OpenPath(p));
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
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
        views::measure::show(&ctx, self, &mut commands);
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
                if let Some(bytes) = crate::startup::anonymous_memory_bytes() {
                    eprintln!(
                        "anonymous memory at the first frame: {:.1} MB",
                        bytes as f64 / 1e6
                    );
                }
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                self.allow_close = true;
            }
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
        let Some(file) = &mut self.autosave else {
            return;
        };
        if self.dirty {
            let work = Autosave {
                scenario: self.scenario.clone(),
                path: self.path.clone(),
            };
            match file.store(&work) {
                Ok(()) => self.autosave_warned = false,
                Err(e) if !self.autosave_warned => {
                    self.autosave_warned = true;
                    self.error = Some(format!("{}\n{e}", self.texts().autosave_failed));
                }
                Err(_) => {}
            }
        } else if self.recovered.is_none() {
            file.clear();
        }
    }
}

/// The price file kept in `dir`, if any: the prices to use and an error to show if it is bad
/// (then the catalog's prices are used).
fn load_price_file(dir: Option<&Path>) -> (PriceContext, Option<String>) {
    let today = Day::today();
    let Some(path) = dir
        .map(|d| d.join(crate::prices::user_file::PRICE_FILE_NAME))
        .filter(|p| p.exists())
    else {
        return (PriceContext::catalog_only(today), None);
    };
    match UserPrices::load(&path) {
        Ok(p) => (
            PriceContext::with_user(p, path.display().to_string(), today),
            None,
        ),
        Err(e) => (
            PriceContext::catalog_only(today),
            Some(format!(
                "Your price file could not be read; catalog prices are used. / 无法读取您的价格文件，改用目录价格。\n{e}"
            )),
        ),
    }
}

/// Opens the window on what the command line asked for.
pub fn run(launch: crate::cli::Launch) -> Result<(), String> {
    // One window: a later start hands its file to the running one and exits.
    let (_listening, incoming) = match crate::instance::claim(launch.open_path.as_deref()) {
        crate::instance::Claim::HandedOff => return Ok(()),
        crate::instance::Claim::Primary(listening, incoming) => (Some(listening), Some(incoming)),
        crate::instance::Claim::Unavailable(why) => {
            eprintln!("note: opening a separate window ({why})");
            (None, None)
        }
    };
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
                    incoming,
                    ..AppDeps::default()
                },
            );
            if let Some(tab) = launch.tab {
                app.tab = match tab {
                    crate::cli::TabArg::Verdict => Tab::Verdict,
                    crate::cli::TabArg::Wizard => Tab::Wizard,
                    crate::cli::TabArg::Costs => Tab::Costs,
                };
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
