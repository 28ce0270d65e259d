//! The full fit matrix (all catalog models × loadable quants × three contexts) for one hardware
//! profile: the work the app redoes when an input changes. Goal ≤ 0.2 ms.

use criterion::{criterion_group, criterion_main, Criterion};
use deepseek_advisor::catalog::schema::Runtime;
use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::estimate::grid::fit_matrix;
use deepseek_advisor::hardware::machine::parse_gpu_arg;
use deepseek_advisor::hardware::Machine;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let catalog = Catalog::get();
    let machine = Machine::from_parts(
        vec![parse_gpu_arg(catalog, "rtx-4090").unwrap()],
        Some(64.0),
        Some(89.6),
        Some(16),
    )
    .unwrap();
    let contexts = [4096, 32768, 131072];
    let n = fit_matrix(catalog, &machine, Runtime::LlamaCpp, &contexts).len();
    println!("fit matrix: {n} fits per run");
    c.bench_function("fit_matrix_4090_llama_cpp_3_contexts", |b| {
        b.iter(|| {
            fit_matrix(
                black_box(catalog),
                black_box(&machine),
                Runtime::LlamaCpp,
                &contexts,
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
