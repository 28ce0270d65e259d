//! The desktop app driven through egui_kittest by role and label, with fake hardware and
//! scripted file dialogs. The harness panics on any missing glyph, so these also prove the bundled
//! CJK font covers the UI.

#[path = "support/app.rs"]
mod app_support;
use app_support::Setup;
use deepseek_advisor::app::dialogs::ScriptedDialogs;
use deepseek_advisor::app::state::Tab;
use deepseek_advisor::app::AdvisorApp;
use deepseek_advisor::catalog::schema::Currency;
use deepseek_advisor::cost::tier::TIERS;
use deepseek_advisor::cost::traffic::PeakPreset;
use deepseek_advisor::cost::OptionKind;
use deepseek_advisor::hardware::HardwareProfile;
use deepseek_advisor::lang::{currency_symbol, Lang};
use eframe::egui;
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use std::path::PathBuf;
use std::sync::Arc;

fn profile(gpus: &[&str], ram: f64, bw: f64, cores: u32) -> HardwareProfile {
    app_support::machine(gpus, ram, bw, cores)
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
    app_support::app(Setup {
        dialogs,
        open_path,
        autosave,
        ..Setup::new(p)
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

/// Switches the Verdict grid to one column per file (these tests look for particular files).
fn by_file(h: &mut Harness<'static, AdvisorApp>) {
    h.get_by_label("By file").click();
    h.run();
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
    by_file(&mut h);
    // vLLM cannot offload: the 32B distill in INT8 (33 GB) does not fit one 24 GB card.
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Runtime")
        .click();
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
fn a_longer_context_re_estimates_the_grid() {
    let mut h = harness(rtx4090());
    by_file(&mut h);
    // vLLM cannot offload: the 14B distill in INT8 (15 GB) fits a 24 GB card at 8K tokens, but
    // not with the KV cache of 128K tokens.
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Runtime")
        .click();
    h.run();
    h.get_by_label("vllm").click();
    h.run();
    h.get_by_label("deepseek-r1-distill-qwen-14b INT8: comfortable");
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Context")
        .click();
    h.run();
    h.get_by_label("131072").click();
    h.run();
    // No file of the 14B runs on vLLM at this context: its row is among the folded ones.
    h.get_by_label_contains("don't fit here — show them")
        .click();
    h.run();
    h.get_by_label("deepseek-r1-distill-qwen-14b INT8: does not fit");
    assert!(h
        .query_by_label("deepseek-r1-distill-qwen-14b INT8: comfortable")
        .is_none());
}

#[test]
fn clicking_a_cell_shows_its_detail_and_launch_command() {
    let mut h = harness(rtx4090());
    h.get_by_label_contains("deepseek-r1-distill-qwen-14b Q4_K_M: ")
        .click();
    h.run();
    h.get_by_label_contains("ollama run deepseek-r1:14b");
    // The first file of the (possibly split) GGUF set, by its own name, not a link.
    h.get_by_label_contains(
        "llama-server -m \"$(find ./models/deepseek-r1-distill-qwen-14b-q4-k-m -name '*Q4_K_M*.gguf' | sort | head -n 1)\"",
    );
    h.get_by_label("Official scores");
}

#[test]
fn a_big_moe_cell_shows_its_tier_split_and_the_n_cpu_moe_launch() {
    let mut h = harness(rtx4090());
    // The V4 columns are far right in the grid: bring the cell into view first.
    h.get_by_label_contains("deepseek-v4-flash ds4-q2: ")
        .scroll_to_me();
    h.run();
    h.get_by_label_contains("deepseek-v4-flash ds4-q2: ")
        .click();
    h.run();
    // 24 GB of VRAM hold the experts of a few of 43 layers; the rest stream through RAM.
    h.get_by_label_contains("of 43 layers on the GPU");
    h.get_by_label_contains("streamed from disk");
    h.get_by_label_contains("--n-cpu-moe");
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
    by_file(&mut h);
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Runtime")
        .click();
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
    by_file(&mut h2);
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

fn open_wizard(h: &mut Harness<'static, AdvisorApp>) {
    h.get_by_label("Wizard").click();
    h.run();
}

/// The option the app's decision recommends (the estimator's numbers decide which).
fn recommended(h: &mut Harness<'static, AdvisorApp>) -> OptionKind {
    h.state_mut()
        .decision()
        .plan
        .recommended
        .expect("an option qualifies")
}

fn page(h: &Harness<'static, AdvisorApp>) -> usize {
    h.state().wizard_step
}

/// The accessible name of an option's leaf in the tree ("DeepSeek API: …").
fn leaf(h: &Harness<'static, AdvisorApp>, option: &str) -> String {
    let label = format!("{option}: ");
    let node = h.get_by(move |n| {
        n.role() == egui::accesskit::Role::Button
            && n.label().is_some_and(|l| l.starts_with(&label))
    });
    format!("{node:?}")
}

#[test]
fn the_wizard_walks_to_a_recommendation() {
    let mut h = harness(rtx4090());
    open_wizard(&mut h);
    h.get_by_label("Step 1 / 6");
    h.get_by_label("Next").click();
    h.run();
    h.get_by_label("Regulated data: must stay on-premises")
        .click();
    h.run();
    assert!(h.state().scenario.costs.constraints.regulated);
    h.get_by_label("Next").click();
    h.run();
    h.get_by_label("When does your traffic come?");
    h.get_by_label("Next").click();
    h.run();
    h.get_by_label_contains("R1-Distill-Qwen-14B on one RTX 4090")
        .click();
    h.run();
    assert_eq!(h.state().scenario.costs.deployment.gpu, "rtx-4090");
    h.get_by_label("Back").click();
    h.run();
    h.get_by_label("Step 3 / 6");
    for _ in 0..4 {
        h.get_by_label("Next").click();
        h.run();
    }
    // Regulated data: a local option, with the reasons, what would change it and the runner-up.
    let rec = recommended(&mut h);
    assert!(rec.is_local());
    h.get_by_label(&format!("Recommended: {}", rec.label(Lang::En)));
    h.get_by_label_contains("Data must stay on-premises: only the local options qualify");
    h.get_by_label("What would change the answer");
    h.get_by_label("Runner-up");
    assert!(h.state().dirty);
    // The card's buttons: the Costs tab at this volume.
    h.get_by_label("Open the Costs tab at this volume").click();
    h.run();
    assert_eq!(h.state().tab, Tab::Costs);
    h.get_by_label("Total cost of ownership");
}

#[test]
fn a_preset_fills_every_step() {
    let mut h = harness(rtx4090());
    open_wizard(&mut h);
    h.get_by_label("Regulated finance / medical").click();
    h.run();
    let c = h.state().scenario.costs.clone();
    assert_eq!(c.workload.requests_per_day, 20_000.0);
    assert_eq!(c.workload.input_tokens, 1_500.0);
    assert!(c.constraints.regulated);
    assert!(c.constraints.has_ops_staff);
    assert_eq!(c.deployment.gpu, "h200-sxm");
    let budget_cny = c.in_currency(Currency::Cny).constraints.budget;
    assert!((budget_cny - 2_000_000.0).abs() < 1.0, "{budget_cny}");
    assert!(h.state().dirty);
    // Every step's node carries the preset's answer, and the preset says where it comes from.
    h.get_by_label("Step 1: Requests per day — 20,000 a day");
    h.get_by_label("Step 2: Regulated data? — yes: keep on-premises");
    h.get_by_label("Step 3: Traffic hours — 76% of API tokens at peak");
    h.get_by_label(
        "Step 4: Quality tier — DeepSeek-V4-Flash-0731 FP4-FP8 · 4× H200 · API deepseek-flash",
    );
    h.get_by_label_contains("Step 5: Budget and people — $");
    h.get_by_label_contains("finance-2m-cny-8xh100-regulated.ron");
    // The rule of thumb (5,000–50,000 requests/day → one server) and the computed answer are
    // both on the tree, and said.
    assert!(leaf(&h, "One local server").contains("rule of thumb"));
    let rec = recommended(&mut h);
    assert!(rec.is_local());
    assert!(leaf(&h, rec.label(Lang::En)).contains("recommended"));
    h.get_by_label_contains(if rec == OptionKind::LocalServer {
        "The rule of thumb and the computed costs agree: one local server."
    } else {
        "The rule of thumb says one local server; the computed costs say"
    });
    // The steps stay editable: step 2 shows the preset's answer and can be changed.
    h.get_by_label_contains("Step 2: Regulated data?").click();
    h.run();
    h.get_by_label("Regulated data: must stay on-premises")
        .click();
    h.run();
    assert!(!h.state().scenario.costs.constraints.regulated);
}

#[test]
fn crossing_a_break_even_changes_the_lit_leaf_and_the_sentence() {
    let mut h = harness(rtx4090());
    open_wizard(&mut h);
    h.get_by_label("Personal developer").click();
    h.run();
    let d = h.state_mut().decision();
    let flip = *d.flip_above().expect("a flip above 200 requests/day");
    let (below, above) = (flip.below.unwrap().option, flip.above.unwrap().option);
    let (below, above) = (below.label(Lang::En), above.label(Lang::En));
    assert!(leaf(&h, below).contains("recommended"));
    assert!(!leaf(&h, above).contains("recommended"));
    let sentence = d.sentence(Lang::En);
    assert!(sentence.starts_with("Above"), "{sentence}");
    h.get_by_label(&sentence);
    // Type a volume past the flip (and short of the next one).
    let next = d
        .flips
        .iter()
        .find(|f| f.requests_per_day > flip.requests_per_day);
    let past = next.map_or(flip.requests_per_day * 1.2, |n| {
        (flip.requests_per_day * n.requests_per_day).sqrt()
    });
    let field = h.get_by_role_and_label(egui::accesskit::Role::SpinButton, "Requests per day");
    field.focus();
    h.run();
    h.event(egui::Event::Text(format!("{past:.0}")));
    h.run();
    assert_eq!(
        h.state().scenario.costs.workload.requests_per_day,
        past.round()
    );
    assert!(leaf(&h, above).contains("recommended"));
    assert!(!leaf(&h, below).contains("recommended"));
    let now = h.state_mut().decision().sentence(Lang::En);
    assert!(now.starts_with("Below"), "{now}");
    h.get_by_label(&now);
    assert!(h.query_by_label(&sentence).is_none());
}

#[test]
fn a_regulated_answer_greys_out_the_api_and_the_cloud_with_the_reason() {
    let mut h = harness(rtx4090());
    open_wizard(&mut h);
    assert!(!leaf(&h, "DeepSeek API").contains("ruled out"));
    h.get_by_label("Next").click();
    h.run();
    h.get_by_label("Regulated data: must stay on-premises")
        .click();
    h.run();
    h.get_by_label("DeepSeek API: ruled out: data must stay on-premises");
    h.get_by_label("Rented cloud GPUs: ruled out: data must stay on-premises");
    // The local options stay (one server may still be too small for the load).
    assert!(!leaf(&h, "One local server").contains("on-premises"));
    assert!(!leaf(&h, "Local cluster").contains("ruled out"));
}

#[test]
fn clicking_a_node_opens_its_step() {
    let mut h = harness(rtx4090());
    open_wizard(&mut h);
    for _ in 0..3 {
        h.get_by_label("Next").click();
        h.run();
    }
    h.get_by_label("Step 4 / 6");
    h.get_by_label_contains("Step 2: Regulated data?").click();
    h.run();
    assert_eq!(page(&h), 1);
    h.get_by_label("Step 2 / 6");
    h.get_by_label_contains("Step 6: Speed per user").click();
    h.run();
    assert_eq!(page(&h), 5);
    // An option opens the result.
    h.get_by_label_contains("DeepSeek API: ").click();
    h.run();
    assert_eq!(page(&h), 6);
    h.get_by_label_contains("Recommended:");
}

#[test]
fn the_wizard_can_be_completed_with_the_keyboard_alone() {
    let mut h = harness(rtx4090());
    // As `--tab wizard` opens it.
    h.state_mut().tab = Tab::Wizard;
    h.run();
    // Step 1: the volume field has the focus, its text selected.
    h.event(egui::Event::Text("3000".into()));
    h.run();
    assert_eq!(h.state().scenario.costs.workload.requests_per_day, 3_000.0);
    h.key_press(egui::Key::Tab);
    h.run();
    h.event(egui::Event::Text("700".into()));
    h.run();
    assert_eq!(h.state().scenario.costs.workload.input_tokens, 700.0);
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(page(&h), 1);
    // Step 2: Space ticks the focused checkbox; Enter goes on without unticking it.
    h.key_press(egui::Key::Space);
    h.run();
    assert!(h.state().scenario.costs.constraints.regulated);
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(page(&h), 2);
    assert!(h.state().scenario.costs.constraints.regulated);
    // Step 3: no ready-made answer is 50%, so the first one has the focus; Space picks it.
    h.key_press(egui::Key::Space);
    h.run();
    assert_eq!(
        h.state().scenario.costs.workload.peak_share,
        PeakPreset::OfficeHoursChina.peak_share()
    );
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(page(&h), 3);
    // Step 4: the chosen tier has the focus; Tab to the next one, Space picks it.
    h.key_press(egui::Key::Tab);
    h.run();
    h.key_press(egui::Key::Space);
    h.run();
    assert_eq!(h.state().scenario.costs.deployment.gpu, "a100-80gb-sxm");
    // Escape goes back, Enter forward; neither while a menu is open.
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(page(&h), 2);
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(page(&h), 3);
    h.get_by_label("View").click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(page(&h), 3, "Escape closed the menu, not the step");
    for want in 4..=6 {
        h.key_press(egui::Key::Enter);
        h.run();
        assert_eq!(page(&h), want);
    }
    let rec = recommended(&mut h);
    h.get_by_label(&format!("Recommended: {}", rec.label(Lang::En)));
}

/// Opens the wizard step whose tree node starts with `Step {n}: {title}`.
fn open_step(h: &mut Harness<'static, AdvisorApp>, n: usize, title: &str) {
    h.get_by_label_contains(&format!("Step {n}: {title} — "))
        .click();
    h.run();
    assert_eq!(page(h), n - 1);
}

fn toggled(h: &Harness<'static, AdvisorApp>, label: &str) -> bool {
    h.get_by_label(label).accesskit_node().toggled() == Some(egui::accesskit::Toggled::True)
}

fn api_monthly(h: &mut Harness<'static, AdvisorApp>) -> f64 {
    h.state_mut()
        .decision()
        .option(OptionKind::Api)
        .expect("the API is priced")
        .monthly
}

#[test]
fn picking_each_tier_sets_the_deployment_and_the_api_the_plan_compares_with() {
    let mut h = harness(rtx4090());
    open_wizard(&mut h);
    open_step(&mut h, 4, "Quality tier");
    // The default scenario runs V4-Flash-0731 on 4× H200: the Flash tier, shown as chosen.
    assert!(toggled(&h, TIERS[1].label_en));
    assert_eq!(TIERS.iter().filter(|t| toggled(&h, t.label_en)).count(), 1);
    // Each tier's model beside the API's, by their published scores.
    h.get_by_label_contains("GPQA Diamond 59.1 vs API 90.9 (API: DeepSeek-V4.1-Flash-1017)");
    for t in TIERS.iter().rev() {
        h.get_by_label(t.label_en).click();
        h.run();
        assert_eq!(h.state().scenario.costs.deployment, (t.deployment)());
        assert!(toggled(&h, t.label_en));
        let d = h.state_mut().decision();
        assert_eq!(d.plan.rates.comparison.api_endpoint, t.api_endpoint);
        h.get_by_label_contains(&format!(" · API {}", t.api_endpoint));
    }
    // A distill against the Flash API: the result says the API's model is stronger.
    h.get_by_label(TIERS[3].label_en).click();
    h.run();
    h.get_by_label_contains("DeepSeek API: ").click();
    h.run();
    h.get_by_label("Model against the API");
    h.get_by_label_contains("the API model is stronger");
}

#[test]
fn the_peak_question_sets_the_share_and_the_api_cost_follows() {
    let mut h = harness(rtx4090());
    open_wizard(&mut h);
    open_step(&mut h, 3, "Traffic hours");
    h.get_by_label("When does your traffic come?");
    // The catalog's default, marked unverified, and the prices the plan resolved.
    h.get_by_label_contains("Default 50% — no measured traffic mix");
    h.get_by_label_contains("(unverified, 2026-12)");
    let prices = {
        let d = h.state_mut().decision();
        let (r, sym) = (&d.plan.rates, currency_symbol(d.inputs.currency));
        format!(
            "output {sym}{:.2} off-peak, {sym}{:.2} at peak.",
            r.api_off_peak.output_per_mtok, r.api_peak.output_per_mtok
        )
    };
    h.get_by_label_contains(&prices);
    let at_default = api_monthly(&mut h);
    let mut last = 0.0;
    for (label, share) in [
        ("Batch jobs at night (00–08 Beijing) — 0%", 0.0),
        ("Global, around the clock — 19%", 1694.0 / 8760.0),
        (
            "Office-hours app in China (weekdays 09–18 Beijing) — 76%",
            1694.0 / 2232.0,
        ),
    ] {
        h.get_by_label(label).click();
        h.run();
        assert!(toggled(&h, label));
        let now = h.state().scenario.costs.workload.peak_share;
        assert!((now - share).abs() < 1e-12, "{label}: {now}");
        let cost = api_monthly(&mut h);
        assert!(cost > last, "{label}: {cost} after {last}");
        if share > 0.5 {
            assert!(cost > at_default);
        }
        last = cost;
    }
    h.get_by_label_contains("With 76% in peak hours the API costs ");
    h.get_by_label("Step 3: Traffic hours — 76% of API tokens at peak");
    // Any other share, typed.
    let field = h.get_by_role_and_label(
        egui::accesskit::Role::SpinButton,
        "Share of API tokens in DeepSeek's peak hours",
    );
    field.focus();
    h.run();
    h.event(egui::Event::Text("100".into()));
    h.run();
    assert_eq!(h.state().scenario.costs.workload.peak_share, 1.0);
    assert!(api_monthly(&mut h) > last);
    h.get_by_label("Step 3: Traffic hours — 100% of API tokens at peak");
    assert!(!toggled(
        &h,
        "Office-hours app in China (weekdays 09–18 Beijing) — 76%"
    ));
    assert!(h.state().dirty);
}

#[test]
fn the_first_token_wait_is_asked_beside_the_speed() {
    let mut h = harness(rtx4090());
    open_wizard(&mut h);
    open_step(&mut h, 6, "Speed per user");
    h.get_by_role_and_label(
        egui::accesskit::Role::SpinButton,
        "Minimum tokens/s per user",
    );
    h.get_by_label_contains("Default 2 s — our assumption: no published service level");
    let field = h.get_by_role_and_label(
        egui::accesskit::Role::SpinButton,
        "Longest wait for the first token (seconds)",
    );
    field.focus();
    h.run();
    h.event(egui::Event::Text("0.5".into()));
    h.run();
    assert_eq!(h.state().scenario.costs.workload.max_ttft_s, 0.5);
    h.get_by_label("Step 6: Speed per user — ≥ 20 tok/s per user · first token ≤ 0.5 s");
}

#[test]
fn the_decision_is_computed_once_per_change() {
    let mut h = harness(rtx4090());
    open_wizard(&mut h);
    let first = h.state_mut().decision();
    h.run();
    assert!(
        Arc::ptr_eq(&first, &h.state_mut().decision()),
        "idle frames reuse it"
    );
    h.event(egui::Event::Text("2".into()));
    h.run();
    let changed = h.state_mut().decision();
    assert!(!Arc::ptr_eq(&first, &changed));
    assert_eq!(changed.inputs.workload.requests_per_day, 2.0);
    h.run();
    assert!(Arc::ptr_eq(&changed, &h.state_mut().decision()));
}

#[test]
fn the_wizard_renders_every_page_in_chinese() {
    let mut h = harness(rtx4090());
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("中文").click();
    h.run();
    h.get_by_label("向导").click();
    h.run();
    h.get_by_label("受监管的金融 / 医疗").click();
    h.run();
    h.get_by_label_contains("步骤 1：每日请求量 — 2.0 万");
    h.get_by_label("步骤 3：流量时段 — 高峰时段占 API token 的 76%");
    // The sentence on the nearest volume where the answer flips.
    h.get_by_label_contains(" 次时，");
    for page in 1..=6 {
        h.get_by_label("下一步").click();
        h.run();
        match page {
            2 => {
                h.get_by_label("你的流量集中在什么时候？");
                h.get_by_label("中国工作时间应用（工作日北京时间 9–18 点） — 76%");
                h.get_by_label("API token 落在 DeepSeek 高峰时段的比例");
                h.get_by_label_contains("默认 50% —— 来源：");
                h.get_by_label_contains("你的数据必须留在本地，API 已被排除");
            }
            3 => {
                // Every tier's scores beside the API model's.
                let scores = h.query_all_by_label_contains(" 自建 ").count();
                assert_eq!(scores, TIERS.len());
            }
            5 => {
                h.get_by_label("首个 token 最长等待时间（秒）");
                h.get_by_label_contains("默认 2 秒 —— 来源：");
            }
            _ => {}
        }
    }
    h.get_by_label_contains("推荐：");
    h.get_by_label("模型与 API");
    h.get_by_label("什么会改变结论");
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
    by_file(&mut h);
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

#[test]
fn the_verdict_grid_scrolls_sideways_with_the_model_column_pinned() {
    let mut h = harness(rtx4090());
    h.set_size(egui::vec2(900.0, 800.0));
    h.run();
    by_file(&mut h);
    let name =
        |h: &Harness<'static, AdvisorApp>| h.get_by_label("DeepSeek-R1-Distill-Qwen-14B").rect();
    let cell = |h: &Harness<'static, AdvisorApp>| {
        h.get_by_label_contains("deepseek-r1-distill-qwen-14b Q8_0: ")
            .rect()
    };
    let (name0, cell0) = (name(&h), cell(&h));
    assert!(
        (name0.center().y - cell0.center().y).abs() < 1.0,
        "rows aligned"
    );
    // egui applies accesskit's ScrollLeft as "move the content left", i.e. show what is right.
    h.get_by_label_contains("deepseek-r1-distill-qwen-14b Q8_0: ")
        .scroll_left();
    h.run();
    assert!(cell(&h).left() < cell0.left(), "the cells scrolled");
    assert_eq!(name(&h), name0, "the model column stayed");
}

#[test]
fn the_traffic_step_says_holidays_are_off_peak_and_takes_agent_tools() {
    let mut h = harness(rtx4090());
    open_wizard(&mut h);
    open_step(&mut h, 3, "Traffic hours");
    h.get_by_label_contains("weekends and Chinese public holidays (and the weekend days worked to make up for them) are off-peak all day");
    h.get_by_label_contains("the presets count the 2026 holiday calendar");
    let field = h.get_by_role_and_label(
        egui::accesskit::Role::SpinButton,
        "Agent features: web searches a day",
    );
    field.focus();
    h.run();
    h.event(egui::Event::Text("2000".into()));
    h.run();
    assert_eq!(
        h.state().scenario.costs.workload.tools.searches.per_day,
        2000.0
    );
    h.get_by_label("Step 3: Traffic hours — 50% of API tokens at peak · 2,000 web searches/day");
    let d = h.state_mut().decision();
    let api = d
        .plan
        .options
        .iter()
        .find(|o| o.kind == OptionKind::Api)
        .unwrap();
    assert!(api.breakdown.iter().any(|(k, _)| *k == "web searches"));
}

#[test]
fn the_detail_lists_the_measurements_nearest_to_the_cell() {
    let mut h = harness(profile(&["h200-141gb"; 8], 2048.0, 600.0, 128));
    let sel = &mut h.state_mut().scenario.selection;
    sel.model = Some("deepseek-r1-0528".into());
    sel.quant = Some("FP8".into());
    // SGLang named (the automatic choice follows the fitted serving factors).
    sel.runtime = deepseek_advisor::catalog::schema::Runtime::Sglang;
    sel.auto_runtime = false;
    h.state_mut().scenario.selection.concurrency = 64;
    h.state_mut().scenario.selection.context = 2048;
    h.run();
    h.get_by_label("Measured");
    // The InferenceX sweep on 8× H200 with SGLang, with its link to copy.
    let labels: Vec<String> = h
        .get_all_by_label_contains("InferenceX/issues/870")
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.label().or_else(|| node.value())
        })
        .collect();
    assert!(
        labels.iter().any(|l| l.contains("measured on this setup")),
        "{labels:?}"
    );
    assert!(h.get_all_by_label("Copy link").count() >= 1);
    h.get_all_by_label("Copy link").next().unwrap().click();
    h.run();
}
