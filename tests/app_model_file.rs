//! "Will this file run?" in the app: File → Evaluate model file… and dropping a file on the window
//! show the file's architecture, its size by tensor group and the verdict; a bad file shows why.

#[path = "support/app.rs"]
mod app_support;
mod support;
use app_support::Setup;

use deepseek_advisor::app::dialogs::ScriptedDialogs;
use deepseek_advisor::app::state::ModelFileState;
use deepseek_advisor::app::AdvisorApp;
use deepseek_advisor::lang::Lang;
use eframe::egui;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use support::gguf_writer as w;

fn harness(dialogs: ScriptedDialogs, lang: Lang) -> Harness<'static, AdvisorApp> {
    let mut h = app_support::app(Setup {
        dialogs,
        lang,
        size: egui::vec2(1400.0, 1000.0),
        ..Setup::new(app_support::machine(&["rtx-4090"], 64.0, 89.6, 16))
    });
    h.run();
    h
}

/// A file dropped on the window, as the integration hands it to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        Err("the app reads dropped files itself".into())
    }
}

fn drop_file(h: &mut Harness<'static, AdvisorApp>, p: &std::path::Path) {
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(p.to_path_buf())));
}

/// Steps until the background read has reported (the thread finishes in milliseconds).
fn wait_for_result(h: &mut Harness<'static, AdvisorApp>) {
    for _ in 0..500 {
        h.run();
        if !matches!(h.state().model_file, Some(ModelFileState::Reading(_))) {
            h.run();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the model file was not read");
}

#[test]
fn evaluate_model_file_from_the_menu_shows_groups_and_verdict() {
    let dir = w::temp_dir("app-menu");
    let (meta, ts) = w::tiny_moe();
    let p = dir.join("tiny-moe-Q4_K_M.gguf");
    w::write(&p, &meta, &w::untag(&ts));
    let dialogs = ScriptedDialogs {
        models: vec![Some(p.clone())],
        ..Default::default()
    };
    let mut h = harness(dialogs, Lang::En);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Evaluate model file…").click();
    wait_for_result(&mut h);
    h.get_by_label("tiny-moe-Q4_K_M.gguf");
    h.get_by_label_contains("deepseek2 · Tiny MoE Test (not in the catalog)");
    h.get_by_label("Routed experts");
    // The routed experts' row lists their type with its size ("MXFP4 0.00 GB").
    h.get_by_label_contains("MXFP4 0.");
    h.get_by_label_contains("Verdict: comfortable");
    h.get_by_label_contains("Quantization: Q4_K_M");
    h.get_by_label("Close").click();
    h.run();
    assert!(h.state().model_file.is_none());
    assert!(h.query_by_label("Routed experts").is_none());
}

#[test]
fn a_dropped_gguf_is_evaluated_in_chinese_and_a_bad_one_says_why() {
    let dir = w::temp_dir("app-drop");
    let (meta, ts) = w::tiny_moe();
    let p = dir.join("tiny.gguf");
    w::write(&p, &meta, &w::untag(&ts));
    let mut h = harness(ScriptedDialogs::default(), Lang::Zh);
    drop_file(&mut h, &p);
    wait_for_result(&mut h);
    h.get_by_label("路由专家");
    h.get_by_label_contains("结论: 流畅");
    // The scenario is untouched: dropping a model does not open it as a scenario.
    assert!(h.state().error.is_none());
    assert!(!h.state().dirty);

    let bad = dir.join("broken.gguf");
    std::fs::write(&bad, b"GGUF\x03\x00\x00\x00").unwrap();
    drop_file(&mut h, &bad);
    wait_for_result(&mut h);
    let node = h.get_by_label_contains("无法读取模型文件");
    let text = format!("{node:?}");
    assert!(
        text.contains("broken.gguf") && text.contains("the file ends"),
        "{text}"
    );
}
