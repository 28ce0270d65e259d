//! The desktop app driven through egui_kittest by role and label, with fake hardware and
//! scripted file dialogs. The harness panics on any missing glyph, so these also prove the bundled
//! CJK font covers the UI.

use deepseek_advisor::app::dialogs::ScriptedDialogs;
use deepseek_advisor::app::{AdvisorApp, AppDeps, HardwareSource};
use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::hardware::machine::parse_gpu_arg;
use deepseek_advisor::hardware::profile::described;
use deepseek_advisor::hardware::{HardwareProfile, Machine};
use deepseek_advisor::lang::Lang;
use eframe::egui;
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use std::path::PathBuf;

fn profile(gpus: &[&str], ram: f64, bw: f64, cores: u32) -> HardwareProfile {
    let c = Catalog::get();
    let gpus = gpus.iter().map(|g| parse_gpu_arg(c, g).unwrap()).collect();
    described(&Machine::from_parts(gpus, Some(ram), Some(bw), Some(cores)).unwrap())
}

fn harness_with(
    p: HardwareProfile,
    dialogs: ScriptedDialogs,
    open_path: Option<PathBuf>,
) -> Harness<'static, AdvisorApp> {
    harness_saving_to(p, dialogs, open_path, None)
}

fn harness_saving_to(
    p: HardwareProfile,
    dialogs: ScriptedDialogs,
    open_path: Option<PathBuf>,
    autosave: Option<PathBuf>,
) -> Harness<'static, AdvisorApp> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1700.0))
        .build_eframe(move |cc| {
            AdvisorApp::new(
                cc,
                AppDeps {
                    hardware: HardwareSource::Fixed(Box::new(p)),
                    dialogs: Box::new(dialogs),
                    open_path,
                    lang: Some(Lang::En),
                    incoming: None,
                    autosave,
                },
            )
        })
}

fn rtx4090() -> HardwareProfile {
    profile(&["rtx-4090"], 64.0, 89.6, 16)
}

fn harness(p: HardwareProfile) -> Harness<'static, AdvisorApp> {
    let mut h = harness_with(p, ScriptedDialogs::default(), None);
    h.run();
    h
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dsa-app-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn headline_for_an_rtx_4090_with_64_gb() {
    let h = harness(rtx4090());
    h.get_by_label_contains("This machine runs DeepSeek-R1-Distill-Qwen-32B IQ4_XS comfortably");
}

#[test]
fn headline_for_a_cpu_only_16_gb_laptop() {
    let h = harness(profile(&[], 16.0, 76.8, 8));
    let node = h.get_by_label_contains("This machine runs");
    let text = format!("{node:?}");
    assert!(text.contains("DeepSeek-R1-Distill-Qwen-1.5B"), "{text}");
}

#[test]
fn headline_for_eight_h200() {
    let h = harness(profile(&["h200-sxm:8"], 2048.0, 614.4, 112));
    // The strongest model that runs comfortably: V4-Pro-0813 (≈0.9 TB) fits 8 × 141 GB.
    h.get_by_label_contains("This machine runs DeepSeek-V4-Pro-0813");
}

#[test]
fn a_what_if_second_gpu_turns_a_cell_into_a_fit() {
    let mut h = harness(rtx4090());
    // vLLM cannot offload: the 32B distill in INT8 (33 GB) does not fit one 24 GB card.
    h.get_by_label("Runtime").click();
    h.run();
    h.get_by_label("vllm").click();
    h.run();
    h.get_by_label("deepseek-r1-distill-qwen-32b INT8: does not fit");
    h.get_by_label("Add GPU").click();
    h.run();
    assert!(h
        .query_by_label("deepseek-r1-distill-qwen-32b INT8: does not fit")
        .is_none());
    assert!(h
        .query_by_label_contains("deepseek-r1-distill-qwen-32b INT8: ")
        .is_some());
    assert!(h.state().dirty, "a what-if edit is an unsaved change");
}

#[test]
fn clicking_a_cell_shows_its_detail_and_launch_command() {
    let mut h = harness(rtx4090());
    h.get_by_label_contains("deepseek-r1-distill-qwen-14b Q4_K_M: ")
        .click();
    h.run();
    h.get_by_label_contains("ollama run deepseek-r1:14b");
    h.get_by_label_contains(
        "llama-server -m ./models/deepseek-r1-distill-qwen-14b-q4-k-m/model.gguf",
    );
    h.get_by_label("Official scores");
}

#[test]
fn save_then_reopen_restores_everything() {
    let dir = temp_dir("save");
    let file = dir.join("my-box.ron");
    let dialogs = ScriptedDialogs {
        saves: vec![Some(file.clone())],
        ..Default::default()
    };
    let mut h = harness_with(rtx4090(), dialogs, None);
    h.run();
    h.get_by_label("Runtime").click();
    h.run();
    h.get_by_label("vllm").click();
    h.run();
    h.get_by_label("Add GPU").click();
    h.run();
    h.get_by_label_contains("deepseek-r1-distill-qwen-32b INT8: ")
        .click();
    h.run();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Save As…").click();
    h.run();
    assert!(file.exists());
    assert!(!h.state().dirty);
    let saved = h.state().scenario.clone();

    // A different machine opens the file: the scenario, with its hardware, comes back.
    let mut h2 = harness_with(
        profile(&[], 16.0, 76.8, 8),
        ScriptedDialogs::default(),
        Some(file.clone()),
    );
    h2.run();
    assert_eq!(h2.state().scenario, saved);
    assert_eq!(h2.state().path.as_deref(), Some(file.as_path()));
    h2.get_by_label_contains("deepseek-r1-distill-qwen-32b INT8: ");
    assert!(h2
        .query_by_label("deepseek-r1-distill-qwen-32b INT8: does not fit")
        .is_none());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_malformed_file_shows_the_error_and_keeps_the_scenario() {
    let dir = temp_dir("bad");
    let bad = dir.join("bad.ron");
    std::fs::write(
        &bad,
        "(\n  version: 1,\n  selection: (context: \"long\"),\n)",
    )
    .unwrap();
    let dialogs = ScriptedDialogs {
        opens: vec![Some(bad.clone())],
        ..Default::default()
    };
    // The current scenario is a saved file (no unsaved changes to ask about).
    let good = dir.join("good.ron");
    let mut scenario = deepseek_advisor::scenario::Scenario::default();
    scenario.selection.model = Some("deepseek-r1-distill-qwen-14b".into());
    scenario.selection.quant = Some("Q4_K_M".into());
    scenario.save(&good).unwrap();
    let mut h = harness_with(rtx4090(), dialogs, Some(good));
    h.run();
    let before = h.state().scenario.clone();
    assert_eq!(before, scenario);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Open…").click();
    h.run();
    let msg = h.get_by_label_contains("bad.ron");
    let text = format!("{msg:?}");
    assert!(text.contains("3:"), "line:column in {text}");
    assert_eq!(h.state().scenario, before);
    h.get_by_label("OK").click();
    h.run();
    assert!(h.query_by_label_contains("bad.ron").is_none());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn switching_to_chinese_shows_chinese_labels() {
    let mut h = harness(rtx4090());
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("中文").click();
    h.run();
    h.get_by_label("本机");
    h.get_by_label("结论");
    h.get_by_label_contains("本机可流畅运行 DeepSeek-R1-Distill-Qwen-32B");
    // Open a detail so its Chinese strings render too (a missing glyph would panic).
    h.get_by_label_contains("deepseek-r1-distill-qwen-14b Q4_K_M: ")
        .click();
    h.run();
    h.get_by_label("官方评测");
}

#[test]
fn quitting_with_unsaved_changes_asks_first() {
    let mut h = harness(rtx4090());
    h.get_by_label_contains("deepseek-r1-distill-qwen-14b Q4_K_M: ")
        .click();
    h.run();
    assert!(h.state().dirty);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Quit").click();
    h.run();
    h.get_by_label("Unsaved changes");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.query_by_label("Unsaved changes").is_none());
    // The keyboard shortcut asks too.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Q);
    h.run();
    h.get_by_label("Unsaved changes");
}

#[test]
fn new_with_unsaved_changes_can_discard() {
    let mut h = harness(rtx4090());
    h.get_by_label_contains("deepseek-r1-distill-qwen-14b Q4_K_M: ")
        .click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run();
    h.get_by_label("Don't save").click();
    h.run();
    assert!(!h.state().dirty);
    assert_eq!(h.state().scenario.selection.model, None);
}

/// eframe storage in memory.
#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.into(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// The app with its autosave file at `autosave`.
fn harness_autosaving(autosave: PathBuf) -> Harness<'static, AdvisorApp> {
    let mut h = harness_saving_to(rtx4090(), ScriptedDialogs::default(), None, Some(autosave));
    h.run();
    h
}

#[test]
fn unsaved_work_is_autosaved_and_offered_back() {
    use deepseek_advisor::app::state::PREFS_KEY;
    use eframe::{App, Storage};
    let file = temp_dir("autosave").join("autosave.ron");
    let mut h = harness_autosaving(file.clone());
    h.get_by_label_contains("deepseek-r1-distill-qwen-14b Q4_K_M: ")
        .click();
    h.run();
    let mut storage = MemoryStorage::default();
    h.state_mut().save(&mut storage);
    assert!(storage.get_string(PREFS_KEY).is_some());
    assert!(file.exists(), "dirty work is autosaved");
    let worked_on = h.state().scenario.clone();

    // After a crash the next start finds it and offers it back.
    let mut h2 = harness_autosaving(file.clone());
    h2.get_by_label("Unsaved work from the last session was recovered.");
    h2.get_by_label("Restore").click();
    h2.run();
    assert_eq!(h2.state().scenario, worked_on);
    assert!(h2.state().dirty);

    // Once saved or discarded, nothing is left to recover.
    let mut clean = harness_autosaving(file.clone());
    clean.get_by_label("Don't save").click();
    clean.run();
    clean.state_mut().save(&mut storage);
    assert!(!file.exists());
}

#[test]
fn an_unreadable_autosave_is_reported_and_kept_aside() {
    let dir = temp_dir("autosave-garbage");
    let file = dir.join("autosave.ron");
    std::fs::write(&file, "(scenario: (version: 1, name: ").unwrap();
    let h = harness_autosaving(file.clone());
    let error = h.state().error.clone().unwrap_or_default();
    assert!(
        error.contains("could not be read") && error.contains("autosave.ron.unreadable"),
        "{error}"
    );
    assert!(dir.join("autosave.ron.unreadable").exists());
    assert!(!file.exists());
}

#[test]
fn the_wizard_walks_to_a_recommendation() {
    let mut h = harness(rtx4090());
    h.get_by_label("Wizard").click();
    h.run();
    h.get_by_label("Step 1 / 5");
    h.get_by_label("Next").click();
    h.run();
    h.get_by_label("Regulated data: must stay on-premises")
        .click();
    h.run();
    assert!(h.state().scenario.costs.constraints.regulated);
    h.get_by_label("Next").click();
    h.run();
    h.get_by_label_contains("R1-Distill-Qwen-14B on one RTX 4090")
        .click();
    h.run();
    assert_eq!(h.state().scenario.costs.deployment.gpu, "rtx-4090");
    h.get_by_label("Back").click();
    h.run();
    h.get_by_label("Step 2 / 5");
    for _ in 0..4 {
        h.get_by_label("Next").click();
        h.run();
    }
    // Regulated data: a local option, with the reasons and the alternatives.
    h.get_by_label_contains("Recommended: One local server");
    h.get_by_label_contains("data must stay on-premises");
    h.get_by_label("Alternatives");
    assert!(h.state().dirty);
}

#[test]
fn the_costs_tab_shows_curves_and_breakdown_in_both_languages() {
    let mut h = harness(rtx4090());
    h.get_by_label("Costs").click();
    h.run();
    h.get_by_label("Total cost of ownership");
    h.get_by_label("What flips the recommendation (±30%)");
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("中文").click();
    h.run();
    h.get_by_label("总拥有成本");
    // Switching the currency converts the scenario's amounts.
    h.get_by_label("视图").click();
    h.run();
    use deepseek_advisor::catalog::schema::Currency;
    let (label, other) = match h.state().scenario.costs.currency {
        Currency::Usd => ("CNY ¥", Currency::Cny),
        Currency::Cny => ("USD $", Currency::Usd),
    };
    let before = h.state().scenario.costs.prices.engineer_per_year;
    h.get_by_label(label).click();
    h.run();
    assert_eq!(h.state().scenario.costs.currency, other);
    assert_eq!(h.state().prefs.currency, other);
    assert_ne!(
        h.state().scenario.costs.prices.engineer_per_year,
        before,
        "amounts are converted"
    );
}

#[test]
fn adding_a_discrete_gpu_to_an_apple_machine_replaces_the_chip() {
    let mut h = harness(profile(&["apple-m2-ultra"], 192.0, 800.0, 24));
    h.get_by_label_contains("This machine runs");
    h.get_by_label("Add GPU").click();
    h.run();
    let m = h.state().machine().expect("a valid what-if machine");
    assert!(!m.is_unified());
    assert_eq!(m.gpus[0].spec.id, "rtx-4090");
    h.get_by_label_contains("This machine runs");
}

#[test]
fn a_v4_cell_explains_its_attention_and_the_common_confusions() {
    let mut h = harness(profile(&["apple-m3-ultra"], 549.0, 819.0, 32));
    h.get_by_label_contains("This machine runs DeepSeek-V4");
    // The cell exists (it may be scrolled out of view in a wide grid); select it as a click does.
    h.get_by_label_contains("deepseek-v4-flash-0731 FP4-FP8: ");
    let sel = &mut h.state_mut().scenario.selection;
    sel.model = Some("deepseek-v4-flash-0731".into());
    sel.quant = Some("FP4-FP8".into());
    h.run();
    h.get_by_label("Attention and KV cache");
    h.get_by_label_contains("Compressed attention: every layer keeps the last 128 tokens");
    h.get_by_label_contains("Other tools show 304B");
    h.get_by_label_contains("Active parameters (13.8B per token) set the speed");
    h.get_by_label_contains("Long context is cheap here");
    // MLX offers DSpark for 0731: switching it on is a scenario edit.
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Speculative decoding")
        .click();
    h.run();
    h.get_by_label("DSpark").click();
    h.run();
    assert_eq!(
        h.state().scenario.selection.speculative,
        Some(deepseek_advisor::catalog::schema::SpeculativeKind::Dspark)
    );
    assert!(h.state().dirty);
    // The same explanations in Chinese (the harness panics on a missing glyph).
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("中文").click();
    h.run();
    h.get_by_label("注意力与 KV 缓存");
    h.get_by_label_contains("激活参数");
}

#[test]
fn a_distill_says_it_is_not_r1() {
    let mut h = harness(rtx4090());
    h.get_by_label_contains("deepseek-r1-distill-qwen-7b Q4_K_M: ")
        .click();
    h.run();
    h.get_by_label_contains("`deepseek-r1:7b` is Qwen2.5-Math-7B fine-tuned on R1's outputs");
}

#[test]
fn more_users_at_once_show_what_each_gets_and_what_the_server_delivers() {
    let mut h = harness(profile(&["h200-141gb"; 8], 2048.0, 600.0, 128));
    let sel = &mut h.state_mut().scenario.selection;
    sel.model = Some("deepseek-r1-0528".into());
    sel.quant = Some("FP8".into());
    h.run();
    // One user: the plain speed, no serving rows.
    h.get_by_role_and_label(egui::accesskit::Role::SpinButton, "Users at once");
    assert!(h.query_by_label("Whole machine").is_none());
    // InferenceX's shape: 1,024 tokens in, 1,024 out (the detail's prompt is half the window).
    h.state_mut().scenario.selection.concurrency = 64;
    h.state_mut().scenario.selection.context = 2048;
    h.run();
    h.get_by_label("Per user");
    h.get_by_label("First token");
    h.get_by_label_contains("users at this context");
    // 8×H200 serving R1 FP8 to 64 users: SGLang v0.5.7 measured 1,789 output tok/s (serving.csv).
    let whole = h
        .get_all_by_label_contains(" tokens/s")
        .filter_map(|n| {
            let node = n.accesskit_node();
            let text = node.label().or_else(|| node.value())?;
            text.strip_suffix(" tokens/s")?.parse::<f64>().ok()
        })
        .fold(0.0, f64::max);
    assert!(
        (1789.0 * 0.75..=1789.0 * 1.25).contains(&whole),
        "whole machine {whole} tokens/s"
    );
}
