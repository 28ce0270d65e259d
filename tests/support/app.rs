//! The desktop app under egui_kittest: fixed hardware, scripted file dialogs, a chosen language
//! and window size, and nothing written outside the test's own folders (no autosave unless asked).

use deepseek_advisor::app::dialogs::ScriptedDialogs;
use deepseek_advisor::app::{AdvisorApp, AppDeps, HardwareSource};
use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::hardware::machine::parse_gpu_arg;
use deepseek_advisor::hardware::profile::described;
use deepseek_advisor::hardware::{HardwareProfile, Machine};
use deepseek_advisor::instance::Incoming;
use deepseek_advisor::lang::Lang;
use eframe::egui;
use egui_kittest::Harness;
use std::path::PathBuf;

/// A machine from catalog GPU names (`"h200-sxm:8"`), RAM, CPU memory bandwidth and cores.
pub fn machine(gpus: &[&str], ram_gb: f64, cpu_bw_gbs: f64, cores: u32) -> HardwareProfile {
    let c = Catalog::get();
    let gpus = gpus.iter().map(|g| parse_gpu_arg(c, g).unwrap()).collect();
    described(&Machine::from_parts(gpus, Some(ram_gb), Some(cpu_bw_gbs), Some(cores)).unwrap())
}

/// How a test starts the app.
pub struct Setup {
    pub hardware: HardwareProfile,
    pub dialogs: ScriptedDialogs,
    pub open_path: Option<PathBuf>,
    pub lang: Lang,
    pub incoming: Option<Incoming>,
    pub autosave: Option<PathBuf>,
    /// Where `bench` measurements are kept (none unless a test asks).
    pub measurements: Option<PathBuf>,
    /// Tall enough that the verdict grid's cells are on screen (a click outside does nothing).
    pub size: egui::Vec2,
}

impl Setup {
    pub fn new(hardware: HardwareProfile) -> Setup {
        Setup {
            hardware,
            dialogs: ScriptedDialogs::default(),
            open_path: None,
            lang: Lang::En,
            incoming: None,
            autosave: None,
            measurements: None,
            size: egui::vec2(1600.0, 1700.0),
        }
    }
}

/// The app, built but not yet run (a test may change its state before the first frame).
pub fn app(s: Setup) -> Harness<'static, AdvisorApp> {
    Harness::builder()
        .with_size(s.size)
        .build_eframe(move |cc| {
            AdvisorApp::new(
                cc,
                AppDeps {
                    hardware: HardwareSource::Fixed(Box::new(s.hardware)),
                    dialogs: Box::new(s.dialogs),
                    open_path: s.open_path,
                    lang: Some(s.lang),
                    incoming: s.incoming,
                    autosave: s.autosave,
                    measurements: s.measurements,
                },
            )
        })
}
