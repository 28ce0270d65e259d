//! The app as the desktop starts it: a scenario file as the first argument (`.dsa.ron` or any
//! `.ron`), a second double-click handed to the running window, Save As adding `.dsa.ron`,
//! File → Export Report…, Help → About, and detection problems in plain words.

#[path = "support/app.rs"]
mod app_support;
use app_support::Setup;
use deepseek_advisor::app::dialogs::ScriptedDialogs;
use deepseek_advisor::app::AdvisorApp;
use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::cli::{dispatch_with, Outcome};
use deepseek_advisor::hardware::HardwareProfile;
use deepseek_advisor::instance::{claim_at, Claim, Incoming};
use deepseek_advisor::lang::Lang;
use deepseek_advisor::scenario::Scenario;
use eframe::egui;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use std::path::{Path, PathBuf};

fn rtx4090() -> HardwareProfile {
    app_support::machine(&["rtx-4090"], 64.0, 89.6, 16)
}

fn harness(
    p: HardwareProfile,
    dialogs: ScriptedDialogs,
    open_path: Option<PathBuf>,
    incoming: Option<Incoming>,
    lang: Lang,
) -> Harness<'static, AdvisorApp> {
    let mut h = app_support::app(Setup {
        dialogs,
        open_path,
        incoming,
        lang,
        ..Setup::new(p)
    });
    h.run();
    h
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dsa-desktop-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn scenario_file(dir: &Path, name: &str, model: &str) -> PathBuf {
    let mut s = Scenario::default();
    s.selection.model = Some(model.into());
    s.selection.quant = Some("Q4_K_M".into());
    let path = dir.join(name);
    s.save(&path).unwrap();
    path
}

#[test]
fn a_scenario_file_given_as_the_first_argument_opens_with_either_extension() {
    let dir = temp_dir("argv");
    for name in ["plan.dsa.ron", "older.ron"] {
        let file = scenario_file(&dir, name, "deepseek-r1-distill-qwen-14b");
        // What a file manager's double-click runs: `deepseek-advisor FILE`.
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let outcome = dispatch_with(
            ["deepseek-advisor", file.to_str().unwrap()],
            &mut out,
            &mut err,
        );
        assert_eq!(
            outcome,
            Outcome::App(deepseek_advisor::cli::Launch {
                open_path: Some(file.clone()),
                ..Default::default()
            })
        );
        let h = harness(
            rtx4090(),
            ScriptedDialogs::default(),
            Some(file.clone()),
            None,
            Lang::En,
        );
        assert_eq!(h.state().path.as_deref(), Some(file.as_path()));
        assert_eq!(
            h.state().scenario.selection.model.as_deref(),
            Some("deepseek-r1-distill-qwen-14b")
        );
        assert!(!h.state().dirty);
        assert!(h.state().error.is_none());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_second_double_click_opens_the_file_in_the_running_window() {
    let dir = temp_dir("second");
    let sock = dir.join("instance.sock");
    let Claim::Primary(_listening, incoming) = claim_at(&sock, None) else {
        panic!("the first start owns the socket");
    };
    let mut h = harness(
        rtx4090(),
        ScriptedDialogs::default(),
        None,
        Some(incoming),
        Lang::En,
    );
    let file = scenario_file(&dir, "second.dsa.ron", "deepseek-r1-distill-qwen-7b");
    // The second start hands the file over and would exit.
    assert!(matches!(claim_at(&sock, Some(&file)), Claim::HandedOff));
    h.run();
    assert_eq!(h.state().path.as_deref(), Some(file.as_path()));
    assert_eq!(
        h.state().scenario.selection.model.as_deref(),
        Some("deepseek-r1-distill-qwen-7b")
    );

    // With unsaved changes the running window asks first.
    h.get_by_label_contains("deepseek-r1-distill-qwen-14b Q4_K_M: ")
        .click();
    h.run();
    assert!(h.state().dirty);
    let other = scenario_file(&dir, "third.dsa.ron", "deepseek-r1-distill-llama-8b");
    assert!(matches!(claim_at(&sock, Some(&other)), Claim::HandedOff));
    h.run();
    h.get_by_label("Unsaved changes");
    h.get_by_label("Don't save").click();
    h.run();
    assert_eq!(h.state().path.as_deref(), Some(other.as_path()));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn save_as_gives_a_bare_name_the_scenario_extension() {
    let dir = temp_dir("saveas");
    let dialogs = ScriptedDialogs {
        saves: vec![Some(dir.join("my box"))],
        ..Default::default()
    };
    let mut h = harness(rtx4090(), dialogs, None, None, Lang::En);
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::S,
    );
    h.run();
    let saved = dir.join("my box.dsa.ron");
    assert!(saved.exists());
    assert_eq!(h.state().path.as_deref(), Some(saved.as_path()));
    assert_eq!(h.state().scenario.name, "my box");
    assert_eq!(Scenario::load(&saved).unwrap().name, "my box");
    std::fs::remove_dir_all(&dir).ok();
}

fn export(h: &mut Harness<'static, AdvisorApp>) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export Report…").click();
    h.run();
}

#[test]
fn export_report_writes_html_or_markdown_by_the_file_name() {
    let dir = temp_dir("export");
    let dialogs = ScriptedDialogs {
        exports: vec![
            Some(dir.join("plan.html")),
            Some(dir.join("plan.md")),
            Some(dir.join("bare")),
            Some(dir.join("plan.pdf")),
        ],
        ..Default::default()
    };
    let file = scenario_file(&dir, "plan.dsa.ron", "deepseek-r1-distill-qwen-14b");
    let mut h = harness(rtx4090(), dialogs, Some(file), None, Lang::En);

    export(&mut h);
    h.get_by_label_contains("Report written:");
    let html = std::fs::read_to_string(dir.join("plan.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("Recommended:"));
    assert!(
        html.contains("NVIDIA GeForce RTX 4090, 64 GB RAM"),
        "judged on the hardware the app shows"
    );
    h.get_by_label("OK").click();
    h.run();

    export(&mut h);
    let md = std::fs::read_to_string(dir.join("plan.md")).unwrap();
    assert!(md.contains("](plan-cost-curves.png)"));
    assert!(dir.join("plan-cost-curves.png").exists());
    assert!(dir.join("plan-cumulative-cost.png").exists());
    h.get_by_label("OK").click();
    h.run();

    export(&mut h);
    assert!(dir.join("bare.html").exists(), "a bare name becomes HTML");
    h.get_by_label("OK").click();
    h.run();

    export(&mut h);
    h.get_by_label_contains("ends in .html or .md");
    assert!(!dir.join("plan.pdf").exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn about_shows_version_catalog_dates_and_licences_in_both_languages() {
    let c = Catalog::get();
    let prices = deepseek_advisor::about::prices_as_of(c).unwrap();
    for (lang, help, about, version, prices_label, close) in [
        (
            Lang::En,
            "Help",
            "About DeepSeek Advisor",
            "Version",
            "Prices as of",
            "Close",
        ),
        (
            Lang::Zh,
            "帮助",
            "关于 DeepSeek 部署顾问",
            "版本",
            "价格截至",
            "关闭",
        ),
    ] {
        let mut h = harness(rtx4090(), ScriptedDialogs::default(), None, None, lang);
        h.get_by_label(help).click();
        h.run();
        h.get_by_label(about).click();
        h.run();
        h.get_by_label(&format!("{version} {}", env!("CARGO_PKG_VERSION")));
        h.get_by_label(&format!("{prices_label} {prices}"));
        h.get_by_label("SIL Open Font License 1.1");
        h.get_by_label("deepseek-advisor");
        h.get_by_label(close).click();
        h.run();
        assert!(h.query_by_label("SIL Open Font License 1.1").is_none());
    }
}

#[test]
fn a_missing_nvidia_driver_reads_as_one_plain_sentence() {
    let mut p = rtx4090();
    p.gpus.clear();
    p.notes = vec!["NVIDIA: NVML not available: a libloading error occurred: libnvidia-ml.so.1: cannot open shared object file: No such file or directory; nvidia-smi could not be started: No such file or directory (os error 2)".into()];
    p.cpu.mem_bw_source =
        "copy probe, measured 2026-12-01, cached; a busy machine reads low".into();
    for (lang, sentence, measured) in [
        (Lang::En, "No NVIDIA driver found", "Measured on 2026-12-01"),
        (Lang::Zh, "未找到 NVIDIA 驱动", "测量于 2026-12-01"),
    ] {
        let h = harness(p.clone(), ScriptedDialogs::default(), None, None, lang);
        h.get_by_label(sentence);
        assert!(h.query_by_label_contains("libloading").is_none());
        h.get_by_label_contains(measured);
    }
}
