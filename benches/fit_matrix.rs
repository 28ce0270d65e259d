//! The full fit matrix (all catalog models × loadable quants × three contexts) for one hardware
//! profile: the work the app redoes when an input changes. Goal ≤ 0.3 ms on one runtime; the
//! `auto` choice (best runtime per cell, the app's and `check`'s default) is timed beside it.

use criterion::{criterion_group, criterion_main, Criterion};
use deepseek_advisor::catalog::schema::Runtime;
use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::estimate::grid::{fit_matrix, RuntimeChoice};
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
    for (name, choice) in [
        (
            "fit_matrix_4090_llama_cpp_3_contexts",
            RuntimeChoice::One(Runtime::LlamaCpp),
        ),
        ("fit_matrix_4090_auto_3_contexts", RuntimeChoice::Auto),
    ] {
        let n = fit_matrix(catalog, &machine, choice, &contexts).len();
        println!("{name}: {n} cells per run");
        c.bench_function(name, |b| {
            b.iter(|| fit_matrix(black_box(catalog), black_box(&machine), choice, &contexts))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
