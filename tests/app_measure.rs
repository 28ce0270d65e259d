//! The Measure dialog under egui_kittest: opened from the This machine panel, measuring a model
//! server of our own on 127.0.0.1 with a progress bar, saving the result, and the cell detail
//! then showing "measured on this machine" for that model; Cancel stops a measurement.

#[path = "support/app.rs"]
mod app_support;
#[path = "support/saved_bench.rs"]
mod saved_bench;
mod support;

use app_support::Setup;
use deepseek_advisor::app::AdvisorApp;
use deepseek_advisor::lang::Lang;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use support::model_server::{Behaviour, Kind, ModelServer};

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dsa-app-measure-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A CPU-only machine with a CPU name, so a measurement can be tied to it.
fn harness(store: PathBuf) -> Harness<'static, AdvisorApp> {
    harness_in(store, Lang::En)
}

fn harness_in(store: PathBuf, lang: Lang) -> Harness<'static, AdvisorApp> {
    let mut p = app_support::machine(&[], 32.0, 60.0, 8);
    p.cpu.brand = "Test CPU 9000".into();
    p.cpu.logical_cores = 16;
    let mut h = app_support::app(Setup {
        measurements: Some(store),
        lang,
        ..Setup::new(p)
    });
    h.run();
    h
}

/// Steps the app until `label` is on screen (real time passes: the measurement runs on a thread).
fn wait_for(h: &mut Harness<'static, AdvisorApp>, label: &str, secs: u64) {
    let until = Instant::now() + Duration::from_secs(secs);
    while h.query_by_label_contains(label).is_none() {
        assert!(
            Instant::now() < until,
            "{label:?} did not appear in {secs} s"
        );
        std::thread::sleep(Duration::from_millis(50));
        h.step();
    }
}

fn start(h: &mut Harness<'static, AdvisorApp>, url: &str) {
    h.get_by_label("Measure…").click();
    h.run();
    h.get_by_label("Server").click();
    h.run();
    h.get_by_label("Server").type_text(url);
    h.run();
    h.get_by_label("Start").click();
    h.step();
}

#[test]
fn measure_save_and_see_it_in_the_cell_detail() {
    let server = ModelServer::start(Behaviour {
        first_token_delay: Duration::from_millis(50),
        tok_per_s: 400.0,
        ..Behaviour::new(Kind::Ollama)
    });
    let dir = temp_dir("save");
    let store = dir.join("measurements.json");
    let mut h = harness(store.clone());
    start(&mut h, &server.url);
    wait_for(&mut h, "Save for this machine", 60);
    h.get_by_label_contains("Ollama 0.12.0 — deepseek-r1:1.5b");
    h.get_by_label_contains("Catalog: deepseek-r1-distill-qwen-1.5b Q4_K_M");
    h.get_by_label_contains("Estimate for this machine:");
    h.get_by_label("Save for this machine").click();
    h.run();
    h.get_by_label_contains("Saved for this machine");
    assert!(store.is_file());
    // The panel lists it; the cell detail shows it and the speed it now uses.
    h.get_by_label_contains("deepseek-r1-distill-qwen-1.5b Q4_K_M — ");
    h.get_by_label("Close").click();
    h.run();
    h.get_by_label_contains("deepseek-r1-distill-qwen-1.5b Q4_K_M: ")
        .click();
    h.run();
    h.get_by_label_contains("Measured on this machine (Ollama");
    h.get_by_label_contains("Measured on this machine with Ollama");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cancel_stops_a_measurement_and_saves_nothing() {
    let server = ModelServer::start(Behaviour {
        tok_per_s: 5.0,
        ..Behaviour::new(Kind::LlamaCpp)
    });
    let dir = temp_dir("cancel");
    let store = dir.join("measurements.json");
    let mut h = harness(store.clone());
    start(&mut h, &server.url);
    wait_for(&mut h, "Warm-up", 20);
    h.get_by_label("Cancel").click();
    h.step();
    wait_for(&mut h, "stopped", 10);
    assert!(h.query_by_label("Save for this machine").is_none());
    assert!(!store.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_dialog_and_its_result_in_chinese() {
    // The harness panics on a missing glyph: this proves the bundled font covers the dialog.
    let server = ModelServer::start(Behaviour {
        first_token_delay: Duration::from_millis(20),
        tok_per_s: 400.0,
        ..Behaviour::new(Kind::Ollama)
    });
    let dir = temp_dir("zh");
    let mut h = harness_in(dir.join("measurements.json"), Lang::Zh);
    h.get_by_label("实测…").click();
    h.run();
    h.get_by_label("服务地址").click();
    h.run();
    h.get_by_label("服务地址").type_text(&server.url);
    h.run();
    h.get_by_label("开始").click();
    h.step();
    wait_for(&mut h, "为本机保存", 60);
    h.get_by_label_contains("本机估算");
    h.get_by_label("为本机保存").click();
    h.run();
    h.get_by_label_contains("已为本机保存");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A saved one-user measurement of the headline's model and quant shows under the headline, in
/// both languages; the grid keeps the catalog's estimate.
#[test]
fn the_headline_says_what_was_measured_on_this_machine() {
    use deepseek_advisor::bench::store::{MachineKey, Store};
    use saved_bench::{level, llama_cpp_report};
    let dir = temp_dir("headline");
    let store = dir.join("measurements.json");
    let mut h = harness(store.clone());
    let (model, quant) = {
        let app = h.state_mut();
        let machine = app.machine().expect("the test machine is set");
        app.verdict_grid(&machine)
            .headline_cell
            .clone()
            .expect("something runs on 32 GB")
    };
    assert!(h
        .query_by_label_contains("Measured on this machine:")
        .is_none());
    let profile = h.state().profile().expect("profile").clone();
    let mut s = Store::load(&store).unwrap();
    s.add(
        MachineKey::of(&profile).unwrap(),
        llama_cpp_report(&model, &quant, vec![level(1, 7.3, 0.8)]),
    );
    s.save(&store).unwrap();
    drop(h);
    let h = harness(store.clone());
    h.get_by_label(
        "Measured on this machine: 7.3 tokens/s for one user (llama.cpp server, 2026-12-06).",
    );
    let h = harness_in(store, Lang::Zh);
    h.get_by_label("本机实测：单用户 7.3 token/s（llama.cpp server，2026-12-06）。");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A saved multi-user measurement of the scenario's server (same GPUs, model, quant, runtime)
/// sets the plan's per-server capacity in the app too, and the Costs tab says so.
#[test]
fn a_measured_server_sets_the_capacity_in_the_costs_tab() {
    use deepseek_advisor::bench::store::{MachineKey, Store};
    use saved_bench::{level, llama_cpp_report};
    let dir = temp_dir("capacity");
    let store = dir.join("measurements.json");
    let mut s = Store::default();
    s.add(
        MachineKey {
            cpu: "AMD Ryzen 9 7950X".into(),
            logical_cores: 32,
            ram_gb: 64,
            gpus: vec!["NVIDIA GeForce RTX 4090 (24 GB)".into()],
        },
        llama_cpp_report(
            "deepseek-r1-distill-qwen-14b",
            "Q4_K_M",
            vec![
                level(1, 40.0, 0.3),
                level(4, 30.0, 0.6),
                level(16, 12.0, 2.0),
            ],
        ),
    );
    s.save(&store).unwrap();
    let scenario = PathBuf::from(format!(
        "{}/scenarios/personal-rtx4090.ron",
        env!("CARGO_MANIFEST_DIR")
    ));
    let mut h = app_support::app(Setup {
        measurements: Some(store),
        open_path: Some(scenario),
        ..Setup::new(app_support::machine(&["rtx-4090"], 64.0, 89.6, 16))
    });
    h.run();
    h.get_by_label("Costs").click();
    h.run();
    h.get_by_label_contains(
        "users at once, 30 tok/s each, first token in 0.60 s, 120 output tok/s; limited because one more user would get less than 20 tok/s (per-server capacity from a measurement, not the estimate: bench of deepseek-r1-distill-qwen-14b Q4_K_M with llama.cpp server on AMD Ryzen 9 7950X",
    );
    let _ = std::fs::remove_dir_all(&dir);
}
