//! The app's prices: File → Import prices… (scripted dialog), a bad price file, the peak-hour
//! presets and the ageing warning on the Costs tab, and the Buy tab — driven by role and label.

#[path = "support/app.rs"]
mod app_support;
use app_support::Setup;
use deepseek_advisor::app::dialogs::ScriptedDialogs;
use deepseek_advisor::app::AdvisorApp;
use deepseek_advisor::prices::Day;
use eframe::egui;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use std::path::PathBuf;

fn harness(dialogs: ScriptedDialogs) -> Harness<'static, AdvisorApp> {
    let mut h = app_support::app(Setup {
        dialogs,
        size: egui::vec2(1600.0, 2400.0),
        ..Setup::new(app_support::machine(&["rtx-4090"], 64.0, 89.6, 16))
    });
    h.state_mut().prices.today = Day::new(2026, 12, 1).unwrap();
    h.run();
    h
}

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/prices-example.ron")
}

fn import(h: &mut Harness<'static, AdvisorApp>) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Import prices…").click();
    h.run();
}

#[test]
fn imported_prices_replace_the_catalogs_and_are_named_as_yours() {
    let mut h = harness(ScriptedDialogs {
        prices: vec![Some(example())],
        ..Default::default()
    });
    import(&mut h);
    assert!(h.state().prices.user_file.ends_with("prices-example.ron"));
    assert_eq!(h.state().prices.user.gpus[0].price.0, 16999.0);
    h.get_by_label("Costs").click();
    h.run();
    h.get_by_label_contains("your quotes from");
    h.get_by_label("Where each price comes from").click();
    h.run();
    // The default deployment runs on H200s, so the example's electricity price applies to it.
    h.get_by_label("your quote, 2026-11-01 (example: industrial tariff)");
    // The scenario did not change: the quotes live beside it, not in it.
    assert!(!h.state().dirty);
}

#[test]
fn a_bad_price_file_is_reported_and_changes_nothing() {
    let dir = std::env::temp_dir().join(format!("dsa-app-prices-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("my-prices.ron");
    std::fs::write(
        &bad,
        "(\n  version: 1,\n  gpus: [(gpu: \"rtx-4090\", price: \"cheap\", currency: Cny, date: \"2026-11-30\")],\n)",
    )
    .unwrap();
    let mut h = harness(ScriptedDialogs {
        prices: vec![Some(bad)],
        ..Default::default()
    });
    let before = h.state().prices.clone();
    import(&mut h);
    let msg = format!("{:?}", h.get_by_label_contains("my-prices.ron"));
    assert!(msg.contains("3:") && msg.contains("`price`"), "{msg}");
    assert_eq!(h.state().prices, before);
    h.get_by_label("OK").click();
    h.run();
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn peak_presets_set_the_share_and_old_prices_are_called_out() {
    let mut h = harness(ScriptedDialogs::default());
    h.get_by_label("Costs").click();
    h.run();
    h.get_by_label_contains("Prices as of 2026-10-17");
    assert!(h.query_by_label_contains("days old").is_none());
    h.get_by_label("Assumptions (all editable)").click();
    h.run();
    h.get_by_label("Batch jobs at night (00–08 Beijing) (0%)")
        .click();
    h.run();
    assert_eq!(h.state().scenario.costs.workload.peak_share, 0.0);
    assert!(h.state().dirty);
    h.get_by_label("Office-hours app in China (weekdays 09–18 Beijing) (76%)")
        .click();
    h.run();
    assert!((h.state().scenario.costs.workload.peak_share - 1694.0 / 2232.0).abs() < 1e-12);
    // Half a year later the same prices are flagged next to the answer.
    h.state_mut().prices.today = Day::new(2027, 6, 1).unwrap();
    h.run();
    h.get_by_label_contains("These prices are 227 days old");
}

#[test]
fn the_buy_tab_finds_machines_within_the_budget() {
    let mut h = harness(ScriptedDialogs::default());
    h.get_by_label("Buy").click();
    h.run();
    h.get_by_label("Find hardware").click();
    h.run();
    let a = h.state().buy.answer.clone().expect("an answer");
    assert!(!a.options.is_empty());
    assert!(a.options.iter().all(|o| o.price <= h.state().buy.budget));
    h.get_by_label(&a.options[0].product);
    h.get_by_label_contains("machines considered");
}

#[test]
fn the_price_views_render_in_chinese() {
    let mut h = harness(ScriptedDialogs {
        prices: vec![Some(example())],
        ..Default::default()
    });
    import(&mut h);
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("中文").click();
    h.run();
    h.get_by_label("成本").click();
    h.run();
    h.get_by_label_contains("价格截至");
    h.get_by_label("假设（均可修改）").click();
    h.run();
    h.get_by_label("每个价格的来源").click();
    h.run();
    h.get_by_label_contains("您的报价, 2026-11-01");
    // An edited price shows its reset button.
    h.state_mut().scenario.costs.prices.gpu_price = Some(1.0);
    h.run();
    h.get_by_label("恢复");
    h.get_by_label("选购").click();
    h.run();
    h.get_by_label("查找硬件").click();
    h.run();
    h.get_by_label_contains("种配置已评估");
}
