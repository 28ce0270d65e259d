//! Reading the header of a 100 GB GGUF file (sparse, so it costs a few MB of disk): a DeepSeek-
//! sized tensor table (1,000 tensors) behind a 150,000-token vocabulary and merges (≈ 6 MB of
//! metadata, like a real file). Goal: well under 100 ms, a few MB read. Runs with a warm page
//! cache; a cold read adds one sequential read of the header.

#[path = "../tests/support/gguf_writer.rs"]
mod gguf_writer;

use criterion::{criterion_group, criterion_main, Criterion};
use deepseek_advisor::modelfile::evaluate::evaluate_path;
use gguf_writer as w;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let dir = w::temp_dir("bench");
    let (mut meta, _) = w::tiny_moe();
    w::with_real_size_vocabulary(&mut meta);
    let ts: Vec<_> = (0..1000)
        .map(|i| {
            w::t(
                &format!("blk.{i}.ffn_up_exps.weight"),
                &[7168, 512, 27],
                "Q8_0",
            )
        })
        .collect();
    let path = dir.join("big.gguf");
    let len = w::write(&path, &meta, &ts);
    let e = evaluate_path(&path).unwrap();
    println!(
        "file {:.1} GB, {} tensors, header bytes read from disk: {}",
        len as f64 / 1e9,
        e.file.tensors.len(),
        e.file.bytes_read
    );
    c.bench_function("evaluate_100gb_gguf_header", |b| {
        b.iter(|| evaluate_path(black_box(&path)).unwrap())
    });
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
