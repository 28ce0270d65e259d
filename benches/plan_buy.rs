//! `plan` and `buy` per scenario (goal: under 50 ms each): the cost plan of every shipped scenario
//! (capacity from the estimator, options, break-even search), and `buy` for three models over every
//! machine the catalog prices.

use criterion::{criterion_group, criterion_main, Criterion};
use deepseek_advisor::buy::{search, BuyRequest};
use deepseek_advisor::catalog::schema::Currency;
use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::cost::plan;
use deepseek_advisor::estimate::grid::RuntimeChoice;
use deepseek_advisor::prices::{Day, PriceContext};
use deepseek_advisor::scenario::Scenario;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let ctx = PriceContext::catalog_only(Day::new(2026, 12, 1).unwrap());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let s = Scenario::load(&f).unwrap();
        let name = format!("plan_{}", f.file_stem().unwrap().to_string_lossy());
        c.bench_function(&name, |b| b.iter(|| plan(black_box(&s.costs), &ctx)));
    }
    let catalog = Catalog::get();
    for (model, budget) in [
        ("deepseek-v4-flash-0731", 60_000.0),
        ("deepseek-r1-distill-qwen-14b", 30_000.0),
        ("deepseek-v4-pro-0813", 10_000.0),
    ] {
        let req = BuyRequest {
            model: catalog.model(model).unwrap(),
            quant: None,
            runtime: RuntimeChoice::Auto,
            budget,
            currency: Currency::Cny,
            min_tok_s: 10.0,
            context: 8192,
        };
        let n = search(&req, &ctx).considered;
        println!("buy {model}: {n} machines considered");
        c.bench_function(&format!("buy_{model}"), |b| {
            b.iter(|| search(black_box(&req), &ctx))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
