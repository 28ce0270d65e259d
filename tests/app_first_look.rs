//! The Verdict tab's first screen at 1280×800, as a new user sees it on a laptop without a GPU and
//! on an RTX 4090 with 64 GB, in English and Chinese: the models that run come first, V4-Flash's
//! best file is on screen without scrolling, the models that don't fit are folded into one line
//! that opens them, and the lower half shows the headline model's detail before any click.

#[path = "support/app.rs"]
mod app_support;
use app_support::Setup;
use deepseek_advisor::app::verdict_grid::FIRST_SCREEN_RUNS;
use deepseek_advisor::app::AdvisorApp;
use deepseek_advisor::catalog::schema::Tuning;
use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::estimate::best::{best_index, best_per_model};
use deepseek_advisor::estimate::grid::RuntimeChoice;
use deepseek_advisor::estimate::verdict::VerdictLevel;
use deepseek_advisor::hardware::HardwareProfile;
use deepseek_advisor::lang::Lang;
use eframe::egui;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

const WIDTH: f32 = 1280.0;
const HEIGHT: f32 = 800.0;

fn laptop_without_gpu() -> HardwareProfile {
    app_support::machine(&[], 32.0, 76.8, 8)
}

fn rtx4090_with_64_gb() -> HardwareProfile {
    app_support::machine(&["rtx-4090"], 64.0, 89.6, 16)
}

fn first_screen(hardware: HardwareProfile, lang: Lang) -> Harness<'static, AdvisorApp> {
    let mut h = app_support::app(Setup {
        lang,
        size: egui::vec2(WIDTH, HEIGHT),
        ..Setup::new(hardware)
    });
    h.run();
    h
}

/// What `check` says for the machine: the best file of each model and the headline's.
struct Expected {
    /// (model id, quant id, level) of each model's best file.
    best: Vec<(String, String, VerdictLevel)>,
    headline: (String, String, VerdictLevel),
}

fn expected(h: &Harness<'static, AdvisorApp>) -> Expected {
    let machine = h.state().machine().expect("a machine");
    let results = best_per_model(Catalog::get(), &machine, RuntimeChoice::Auto, 8192);
    let row = |f: &deepseek_advisor::estimate::Fit| {
        (f.model.id.clone(), f.quant.id.clone(), f.verdict.level)
    };
    let i = best_index(&results).expect("something runs on both machines");
    Expected {
        best: results.iter().map(|r| row(&r.fit)).collect(),
        headline: row(&results[i].fit),
    }
}

fn cell(model: &str, quant: &str, level: VerdictLevel, lang: Lang) -> String {
    format!("{model} {quant}: {}", level.label(lang))
}

/// The button that folds the models that don't fit (its top is where the grid's view ends).
fn folded_line(h: &Harness<'static, AdvisorApp>, lang: Lang) -> egui::Rect {
    h.get_by_label_contains(lang.pick("don't fit here", "装不下"))
        .rect()
}

/// On screen without scrolling: inside the window and above the line that ends the grid's view.
fn assert_on_screen(h: &Harness<'static, AdvisorApp>, label: &str, grid_end: f32) {
    let r = h.get_by_label(label).rect();
    assert!(
        r.left() >= 0.0 && r.right() <= WIDTH && r.top() >= 0.0 && r.bottom() <= grid_end,
        "{label} at {r:?}: not on the first screen (the grid's view ends at y = {grid_end})"
    );
}

fn check_first_screen(hardware: HardwareProfile, lang: Lang) {
    let h = first_screen(hardware, lang);
    let want = expected(&h);
    let grid_end = folded_line(&h, lang).top();

    // At least one row that runs, and every model that runs, on screen.
    let runs: Vec<_> = want
        .best
        .iter()
        .filter(|b| b.2 != VerdictLevel::DoesNotFit)
        .collect();
    assert!(!runs.is_empty());
    // The first screen draws the strongest chat-tuned models that run (up to FIRST_SCREEN_RUNS),
    // every one of them inside the grid's view; the others are folded into the line.
    let chat = |m: &str| Catalog::get().model(m).unwrap().tuning == Tuning::Chat;
    let drawn: Vec<_> = runs
        .iter()
        .filter(|(m, q, l)| h.query_by_label(&cell(m, q, *l, lang)).is_some())
        .collect();
    assert_eq!(
        drawn.len(),
        runs.iter()
            .filter(|r| chat(&r.0))
            .count()
            .min(FIRST_SCREEN_RUNS)
    );
    for (model, quant, level) in &drawn {
        assert!(
            chat(model),
            "{model} is not chat-tuned but is on the first screen"
        );
        assert_on_screen(&h, &cell(model, quant, *level, lang), grid_end);
    }
    // V4-Flash's best file is on screen: as one of the models that run (its experts streamed
    // from the disk) or, where it doesn't fit, as one of the strongest with what it would take.
    let (model, quant, level) = want
        .best
        .iter()
        .find(|b| b.0 == "deepseek-v4-flash-0731")
        .expect("V4-Flash-0731 has a file");
    assert_on_screen(&h, &cell(model, quant, *level, lang), grid_end);
    // The rows that run come before the ones that don't.
    let lowest_run = drawn
        .iter()
        .map(|(m, q, l)| h.get_by_label(&cell(m, q, *l, lang)).rect().top())
        .fold(0.0, f32::max);
    let v4 = h.get_by_label(&cell(model, quant, *level, lang)).rect();
    if *level == VerdictLevel::DoesNotFit {
        assert!(
            v4.top() > lowest_run,
            "V4-Flash's row comes after those that run"
        );
    } else {
        assert!(
            v4.top() <= lowest_run,
            "V4-Flash runs: among the rows that run"
        );
    }

    // The lower half shows the headline model's detail before any click.
    let (model, quant, level) = &want.headline;
    let name = &Catalog::get().model(model).unwrap().name;
    let heading = format!("{name} · {quant} · {}", level.label(lang));
    let r = h.get_by_label(&heading).rect();
    assert!(
        r.top() >= HEIGHT / 2.0 && r.bottom() <= HEIGHT,
        "the detail `{heading}` at {r:?} is not in the lower half"
    );
    assert!(
        h.state().scenario.selection.model.is_none(),
        "nothing was clicked"
    );
}

#[test]
fn a_laptop_without_a_gpu_in_english() {
    check_first_screen(laptop_without_gpu(), Lang::En);
}

#[test]
fn a_laptop_without_a_gpu_in_chinese() {
    check_first_screen(laptop_without_gpu(), Lang::Zh);
}

#[test]
fn an_rtx_4090_with_64_gb_in_english() {
    check_first_screen(rtx4090_with_64_gb(), Lang::En);
}

#[test]
fn an_rtx_4090_with_64_gb_in_chinese() {
    check_first_screen(rtx4090_with_64_gb(), Lang::Zh);
}

#[test]
fn the_folded_line_opens_the_models_that_do_not_fit() {
    let mut h = first_screen(rtx4090_with_64_gb(), Lang::En);
    // V4-Flash-Base needs far more than 24 GB + 64 GB and is not chat-tuned: folded, not drawn.
    let v3 = "deepseek-v4-flash-base FP8: does not fit";
    assert!(h.query_by_label(v3).is_none());
    // Prover-V2-7B runs here but is not chat-tuned: folded too, as one of the models that run.
    let prover = "deepseek-prover-v2-7b INT8: comfortable";
    assert!(h.query_by_label(prover).is_none());
    h.get_by_label_contains("more models that run and").click();
    h.run();
    h.get_by_label(v3);
    h.get_by_label(prover);
    h.get_by_label_contains("Hide the").click();
    h.run();
    assert!(h.query_by_label(v3).is_none());
    assert!(h.query_by_label(prover).is_none());
}

#[test]
fn precision_columns_name_their_files_and_the_file_view_is_one_click_away() {
    let mut h = first_screen(rtx4090_with_64_gb(), Lang::En);
    for head in ["16-bit", "8-bit", "4-bit", "2-bit", "<2-bit"] {
        h.get_by_label(head);
    }
    // V4-Flash-0731's 2-bit cell is antirez's ds4-q2, in the column of the K-quants' Q2_K.
    let column = h.get_by_label("2-bit").rect().left();
    let mut two_bit: Vec<egui::Rect> = vec![h
        .get_by_label_contains("deepseek-v4-flash-0731 ds4-q2: ")
        .rect()];
    two_bit.extend(h.get_all_by_label_contains(" Q2_K: ").map(|n| n.rect()));
    assert!(two_bit.len() > 5, "{} 2-bit cells", two_bit.len());
    for r in two_bit {
        assert!(
            (r.left() - column).abs() < 1.0,
            "{r:?} is not in the 2-bit column at {column}"
        );
    }
    assert!(
        h.query_by_label("Q4_K_M").is_none(),
        "no per-file columns yet"
    );
    h.get_by_label("By file").click();
    h.run();
    h.get_by_label("Q4_K_M");
    h.get_by_label("ds4-q2");
    h.get_by_label("By precision").click();
    h.run();
    assert!(h.query_by_label("Q4_K_M").is_none());
}

#[test]
fn a_click_replaces_the_headline_detail() {
    let mut h = first_screen(rtx4090_with_64_gb(), Lang::En);
    h.get_by_label_contains("the headline's model");
    h.get_by_label("deepseek-r1-distill-qwen-14b Q4_K_M: comfortable")
        .click();
    h.run();
    h.get_by_label_contains("DeepSeek-R1-Distill-Qwen-14B · Q4_K_M · ");
    assert!(h.query_by_label_contains("the headline's model").is_none());
}
