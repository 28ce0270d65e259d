//! The Measure dialog's state: finding local servers and running `bench` on background threads
//! (results come back through channels; the window never blocks), the measurement's progress,
//! its result, and the measurements saved for this machine, which the cell detail uses.

use crate::bench::store::{MachineKey, Store};
use crate::bench::{self, BenchConfig, BenchReport, Progress, ServerUrl};
use crate::hardware::HardwareProfile;
use eframe::egui;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};

/// What the Measure dialog asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum MeasureCommand {
    /// Open the dialog and look for servers on the usual local ports.
    Open,
    Close,
    Start,
    Cancel,
    /// Keep the result with this machine's profile.
    Save,
}

enum Event {
    Progress(Progress),
    Done(Result<BenchReport, String>),
}

/// A measurement on its way.
struct Running {
    events: mpsc::Receiver<Event>,
    cancel: Arc<AtomicBool>,
}

/// Where the measurement is, for the progress bar.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shown {
    pub line: String,
    /// 0–1 of the requests (warm-up included).
    pub fraction: f32,
}

pub struct MeasureState {
    pub open: bool,
    pub url: String,
    /// Users at once, `1,4`.
    pub concurrency: String,
    /// Servers found on the usual ports (`None` while looking or before the dialog opened).
    pub found: Option<Vec<String>>,
    finding: Option<mpsc::Receiver<Vec<String>>>,
    running: Option<Running>,
    pub progress: Option<Shown>,
    /// The last measurement, or why it failed.
    pub result: Option<Result<BenchReport, String>>,
    /// The result was saved.
    pub saved: bool,
    /// Where measurements are kept; `None` keeps none (tests, no data folder).
    store_path: Option<PathBuf>,
    store: Store,
    /// Counts the measurements saved since start-up, so that what rests on them (the plan's
    /// capacity) is recomputed when one is added and not every frame.
    saves: u64,
    /// The measurements file could not be read or written.
    pub store_problem: Option<String>,
}

impl MeasureState {
    /// The state with the measurements kept at `store_path`.
    pub fn new(store_path: Option<PathBuf>) -> MeasureState {
        let (store, store_problem) = match store_path.as_deref().map(Store::load) {
            Some(Ok(s)) => (s, None),
            Some(Err(e)) => (Store::default(), Some(e.to_string())),
            None => (Store::default(), None),
        };
        MeasureState {
            open: false,
            url: String::new(),
            concurrency: "1".into(),
            found: None,
            finding: None,
            running: None,
            progress: None,
            result: None,
            saved: false,
            store_path,
            store,
            saves: 0,
            store_problem,
        }
    }

    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The measurements saved for the machine `profile` describes, newest first.
    pub fn saved_for(&self, profile: &HardwareProfile) -> Vec<BenchReport> {
        MachineKey::of(profile)
            .map(|k| self.store.for_machine(&k).cloned().collect())
            .unwrap_or_default()
    }

    /// How many measurements were saved since start-up (a change means the store changed).
    pub fn saves(&self) -> u64 {
        self.saves
    }

    /// The saved measurements of `model` and `quant` on the machine `profile` describes,
    /// newest first, borrowed (nothing is copied for a frame).
    pub fn saved_of(
        &self,
        profile: &HardwareProfile,
        model: &str,
        quant: &str,
    ) -> Vec<&BenchReport> {
        let Some(key) = MachineKey::of(profile) else {
            return Vec::new();
        };
        self.store
            .measurements
            .iter()
            .rev()
            .filter(|m| m.machine == key)
            .map(|m| &m.report)
            .filter(|r| {
                r.server.catalog_model.as_deref() == Some(model)
                    && r.server.quant.as_deref() == Some(quant)
            })
            .collect()
    }

    /// The newest saved measurement of a server like one of `d`'s, as a capacity curve.
    pub fn curve_for(
        &self,
        d: &crate::cost::inputs::Deployment,
    ) -> Option<crate::cost::capacity::MeasuredCurve> {
        crate::bench::curve::measured_curve(&self.store, d)
    }

    fn config(&self) -> Result<BenchConfig, String> {
        let url = ServerUrl::parse(&self.url).map_err(|e| e.to_string())?;
        let concurrency = self
            .concurrency
            .split(',')
            .map(|c| c.trim().parse::<u32>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| format!("{:?}: users at once, e.g. 1,4", self.concurrency))?;
        let cfg = BenchConfig {
            url: Some(url),
            concurrency,
            ..BenchConfig::default()
        };
        cfg.validate().map_err(|e| e.to_string())?;
        Ok(cfg)
    }

    /// Runs a command; `profile` is this machine (for saving).
    pub fn run(
        &mut self,
        ctx: &egui::Context,
        c: MeasureCommand,
        profile: Option<&HardwareProfile>,
    ) {
        match c {
            MeasureCommand::Open => {
                self.open = true;
                if self.finding.is_none() && !self.is_running() {
                    self.found = None;
                    self.finding = Some(spawn_finding(ctx));
                }
            }
            MeasureCommand::Close => {
                self.cancel();
                self.open = false;
            }
            MeasureCommand::Cancel => self.cancel(),
            MeasureCommand::Start => {
                if self.is_running() {
                    return;
                }
                self.saved = false;
                match self.config() {
                    Ok(cfg) => {
                        self.progress = Some(Shown::default());
                        self.result = None;
                        self.running = Some(spawn_bench(ctx, cfg));
                    }
                    Err(e) => self.result = Some(Err(e)),
                }
            }
            MeasureCommand::Save => self.save(profile),
        }
    }

    fn cancel(&mut self) {
        if let Some(r) = &self.running {
            r.cancel.store(true, Ordering::Relaxed);
        }
    }

    fn save(&mut self, profile: Option<&HardwareProfile>) {
        let Some(Ok(report)) = &self.result else {
            return;
        };
        let Some(key) = profile.and_then(MachineKey::of) else {
            self.store_problem = Some(
                "this machine's CPU was not detected: the measurement cannot be tied to it".into(),
            );
            return;
        };
        self.store.add(key, report.clone());
        self.saves += 1;
        match &self.store_path {
            Some(path) => match self.store.save(path) {
                Ok(()) => {
                    self.saved = true;
                    self.store_problem = None;
                }
                Err(e) => self.store_problem = Some(e.to_string()),
            },
            // No data folder: used for this session only.
            None => self.saved = true,
        }
    }

    /// Takes what the background threads reported (called every frame).
    pub fn poll(&mut self, lang: crate::lang::Lang) {
        if let Some(rx) = &self.finding {
            if let Ok(found) = rx.try_recv() {
                if self.url.is_empty() {
                    if let Some(first) = found.first() {
                        self.url = first.split(' ').next().unwrap_or_default().to_string();
                    }
                }
                self.found = Some(found);
                self.finding = None;
            }
        }
        let Some(r) = &self.running else {
            return;
        };
        let events: Vec<Event> = r.events.try_iter().collect();
        let total = self.total_requests();
        let mut finished = None;
        for e in events {
            match e {
                Event::Progress(p) => {
                    let fraction = match &p {
                        Progress::Level { done, .. } => {
                            Some(((self.done_before(&p) + done) as f32 / total as f32).min(1.0))
                        }
                        Progress::WarmUp => Some(0.0),
                        _ => None,
                    };
                    let shown = self.progress.get_or_insert_with(Shown::default);
                    if let Some(f) = fraction {
                        shown.fraction = f;
                    }
                    shown.line = p.describe(lang);
                }
                Event::Done(result) => finished = Some(result),
            }
        }
        if let Some(result) = finished {
            self.running = None;
            self.progress = None;
            self.result = Some(result);
        }
    }

    fn total_requests(&self) -> u32 {
        self.config()
            .map(|c| 1 + c.concurrency.iter().map(|u| c.requests_at(*u)).sum::<u32>())
            .unwrap_or(1)
            .max(1)
    }

    /// Requests of the levels before this one, plus the warm-up.
    fn done_before(&self, p: &Progress) -> u32 {
        let (Progress::Level { concurrency, .. }, Ok(c)) = (p, self.config()) else {
            return 0;
        };
        1 + c
            .concurrency
            .iter()
            .take_while(|u| *u != concurrency)
            .map(|u| c.requests_at(*u))
            .sum::<u32>()
    }
}

fn spawn_finding(ctx: &egui::Context) -> mpsc::Receiver<Vec<String>> {
    let (tx, rx) = mpsc::channel();
    let ctx = ctx.clone();
    let _ = std::thread::Builder::new()
        .name("find-servers".into())
        .spawn(move || {
            let found = bench::server::find_local()
                .into_iter()
                .map(|f| format!("{} ({}?)", f.url, f.usual))
                .collect();
            let _ = tx.send(found);
            ctx.request_repaint();
        });
    rx
}

fn spawn_bench(ctx: &egui::Context, cfg: BenchConfig) -> Running {
    let (tx, rx) = mpsc::channel();
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let ctx = ctx.clone();
    let job = move || {
        let progress_tx = tx.clone();
        let repaint = ctx.clone();
        let result = bench::run(&cfg, flag, &mut |p| {
            let _ = progress_tx.send(Event::Progress(p));
            repaint.request_repaint();
        })
        .map_err(|e| e.to_string());
        let _ = tx.send(Event::Done(result));
        ctx.request_repaint();
    };
    if let Err(e) = std::thread::Builder::new().name("bench".into()).spawn(job) {
        let (tx, rx) = mpsc::channel();
        let _ = tx.send(Event::Done(Err(format!(
            "cannot start the measurement: {e}"
        ))));
        return Running { events: rx, cancel };
    }
    Running { events: rx, cancel }
}
