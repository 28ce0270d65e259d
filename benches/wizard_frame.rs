//! What the Wizard tab costs: one whole frame of the app (menu, machine panel, presets, decision
//! tree, live chart, step form or result card; laid out and tessellated, accesskit on) with
//! nothing changed — an upper bound for the tree and chart, goal < 2 ms — and recomputing the
//! decision after an answer changes (plan, curves, sensitivity, flips). The Verdict and Costs
//! tabs are measured the same way for comparison, and the Verdict grid's estimates (computed once
//! per change of machine, runtime, context or language, not per frame) on their own.

#[path = "../tests/support/app.rs"]
mod app_support;

use criterion::{criterion_group, criterion_main, Criterion};
use deepseek_advisor::app::state::Tab;
use deepseek_advisor::app::verdict_grid::{GridKey, VerdictGrid};
use deepseek_advisor::app::AdvisorApp;
use deepseek_advisor::catalog::schema::Currency;
use deepseek_advisor::cost::CostInputs;
use deepseek_advisor::prices::{Day, PriceContext};
use deepseek_advisor::wizard::presets::PRESETS;
use deepseek_advisor::wizard::steps::RESULT;
use deepseek_advisor::wizard::Decision;
use eframe::egui;
use egui_kittest::Harness;
use std::hint::black_box;

fn app(tab: Tab, page: usize) -> Harness<'static, AdvisorApp> {
    let mut h = app_support::app(app_support::Setup {
        size: egui::vec2(1280.0, 800.0),
        ..app_support::Setup::new(app_support::machine(&["rtx-4090"], 64.0, 89.6, 16))
    });
    let s = h.state_mut();
    s.tab = tab;
    s.wizard_step = page;
    PRESETS[3].apply(&mut s.scenario.costs);
    h.run();
    h
}

fn frame(h: &mut Harness<'static, AdvisorApp>) {
    h.step();
    let shapes = h.output().shapes.clone();
    black_box(h.ctx.tessellate(shapes, 1.0));
}

fn bench(c: &mut Criterion) {
    for (name, tab, page) in [
        ("frame_verdict", Tab::Verdict, 0),
        ("frame_wizard_step_1", Tab::Wizard, 0),
        ("frame_wizard_result", Tab::Wizard, RESULT),
        ("frame_costs", Tab::Costs, 0),
    ] {
        let mut h = app(tab, page);
        c.bench_function(name, |b| b.iter(|| frame(&mut h)));
    }
    // What the Verdict tab's cache saves each frame: every model × quant estimated for the grid
    // and the headline.
    let h = app(Tab::Verdict, 0);
    let s = h.state();
    let machine = s.machine().expect("the harness has a machine");
    let key = GridKey {
        hardware: s.scenario.hardware.clone(),
        detected: s.detected.clone(),
        runtime: s.scenario.selection.runtime_choice(),
        context: s.scenario.selection.context,
        lang: s.lang,
    };
    c.bench_function("verdict_grid_estimates", |b| {
        b.iter(|| VerdictGrid::compute(black_box(key.clone()), &machine))
    });
    let mut inputs = CostInputs::defaults(Currency::Cny);
    PRESETS[3].apply(&mut inputs);
    let prices = PriceContext::catalog_only(Day::new(2026, 12, 1).expect("a real day"));
    c.bench_function("decision_after_an_answer_changes", |b| {
        b.iter(|| Decision::compute(black_box(&inputs), &prices))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
