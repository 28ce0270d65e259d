//! One libFuzzer binary for every target in `../targets.rs`. `FUZZ_TARGET` names the target;
//! `FUZZ_CORPUS`, when set, is filled with the target's seed files at start. Built and run by
//! `scripts/fuzz.sh`.
#![no_main]

// `Target::test_cases` is read only by the `cargo test` pass.
#[allow(dead_code)]
#[path = "../targets.rs"]
mod targets;

use std::path::Path;
use std::sync::OnceLock;

fn selected() -> &'static targets::Target {
    static TARGET: OnceLock<&'static targets::Target> = OnceLock::new();
    TARGET.get_or_init(|| {
        let name = std::env::var("FUZZ_TARGET").unwrap_or_default();
        targets::target(&name).unwrap_or_else(|| {
            let names: Vec<&str> = targets::TARGETS.iter().map(|t| t.name).collect();
            eprintln!("set FUZZ_TARGET to one of: {}", names.join(", "));
            std::process::exit(2);
        })
    })
}

fn copy_seeds() {
    let Some(corpus) = std::env::var_os("FUZZ_CORPUS") else {
        return;
    };
    let corpus = Path::new(&corpus);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::create_dir_all(corpus).expect("corpus folder");
    for (i, seed) in targets::seed_files(&repo, selected()).iter().enumerate() {
        let name = seed.file_name().map(|n| n.to_string_lossy().into_owned());
        let to = corpus.join(format!("seed-{i}-{}", name.unwrap_or_default()));
        std::fs::copy(seed, to).expect("copy seed");
    }
}

libfuzzer_sys::fuzz_target!(init: copy_seeds(), |data: &[u8]| (selected().run)(data));
