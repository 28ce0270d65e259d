//! The evidence lookup beside estimates must stay cheap (`check --json` under 20 ms): parsing the
//! embedded measurement catalog (once per process), and the nearest points for every result
//! `check` prints on an RTX 4090.

use criterion::{criterion_group, criterion_main, Criterion};
use deepseek_advisor::catalog::schema::MeasurementCatalog;
use deepseek_advisor::catalog::schema::Runtime;
use deepseek_advisor::catalog::{Catalog, MEASUREMENTS_JSON, MEASUREMENTS_RON};
use deepseek_advisor::estimate::best::best_per_model;
use deepseek_advisor::estimate::grid::RuntimeChoice;
use deepseek_advisor::evidence::nearest::for_estimate;
use deepseek_advisor::evidence::Evidence;
use deepseek_advisor::hardware::machine::parse_gpu_arg;
use deepseek_advisor::hardware::Machine;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let catalog = Catalog::get();
    c.bench_function("evidence_parse_measurements_ron", |b| {
        b.iter(|| Evidence::from_ron(black_box(MEASUREMENTS_RON)).unwrap())
    });
    // The committed fit the estimator reads on first use (parameters and band cells).
    c.bench_function("fitted_parse_ron", |b| {
        b.iter(|| {
            ron::from_str::<deepseek_advisor::estimate::correction::Fitted>(black_box(
                deepseek_advisor::estimate::correction::FITTED_RON,
            ))
            .unwrap()
        })
    });
    // What the program parses: the JSON copy build.rs writes.
    c.bench_function("evidence_parse_measurements_json", |b| {
        b.iter(|| serde_json::from_str::<MeasurementCatalog>(black_box(MEASUREMENTS_JSON)).unwrap())
    });
    let machine = Machine::from_parts(
        vec![parse_gpu_arg(catalog, "rtx-4090").unwrap()],
        Some(64.0),
        Some(89.6),
        Some(16),
    )
    .unwrap();
    let results = best_per_model(
        catalog,
        &machine,
        RuntimeChoice::One(Runtime::LlamaCpp),
        8192,
    );
    let _ = Evidence::get();
    println!("nearest points for {} check results", results.len());
    c.bench_function("evidence_nearest_for_every_check_result_4090", |b| {
        b.iter(|| {
            results
                .iter()
                .map(|r| for_estimate(black_box(&r.fit), &machine).len())
                .sum::<usize>()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
