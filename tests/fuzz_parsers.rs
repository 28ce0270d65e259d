//! A short, fixed-seed fuzz pass over every parser in `fuzz/targets.rs`: the shipped files
//! (scenarios, fixtures, seeds) mutated the way hand-edited, truncated or hostile files go wrong —
//! bit flips, truncation, cut and doubled ranges, extreme numbers, NaN and infinity, deep nesting,
//! long strings, invalid UTF-8, stray syntax. Then every input the long campaign
//! (`scripts/fuzz.sh`) ever crashed on, from `tests/fuzz/regressions/`, is replayed.
//!
//! The seed is fixed, so a failure reproduces; proptest shrinks it to the fewest mutations.

#[path = "../fuzz/targets.rs"]
mod targets;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::Path;

/// Values that break naive number handling.
const NUMBERS: &[&str] = &[
    "1e308",
    "-1e308",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "-0.0",
    "0",
    "-1",
    "4294967295",
    "4294967296",
    "18446744073709551616",
    "1000000",
    "1000000000",
    "1000000000000",
    "1e-320",
    "0x7fffffff",
];

/// Syntax fragments of RON, JSON, CSV and the command line.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "'",
    "Some(",
    "None",
    "true",
    "//",
    "/*",
    "r#\"",
    "#![enable(implicit_some)]",
    "version: 2,",
    "\\u{0}",
    "\n",
    "\r\n",
    "\t",
    "\0",
    ", ",
    "--gpu",
    "--json",
    "--context",
    "--hardware",
    ":1024",
    "\u{feff}",
    "中文",
];

#[derive(Debug, Clone)]
enum Mutation {
    FlipBit { at: u32, bit: u8 },
    Truncate { at: u32 },
    Delete { at: u32, len: u16 },
    Duplicate { at: u32, len: u16 },
    Insert { at: u32, token: usize },
    Number { nth: u32, value: usize },
    LongString { at: u32, len: u32 },
    Nesting { at: u32, depth: u16, open: usize },
    InvalidUtf8 { at: u32, byte: u8 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<u32>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        any::<u32>().prop_map(|at| Mutation::Truncate { at }),
        (any::<u32>(), 1u16..200).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<u32>(), 1u16..200).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        (any::<u32>(), 0..TOKENS.len()).prop_map(|(at, token)| Mutation::Insert { at, token }),
        (any::<u32>(), 0..NUMBERS.len()).prop_map(|(nth, value)| Mutation::Number { nth, value }),
        (any::<u32>(), 1u32..100_000).prop_map(|(at, len)| Mutation::LongString { at, len }),
        (any::<u32>(), 1u16..3000, 0usize..4).prop_map(|(at, depth, open)| Mutation::Nesting {
            at,
            depth,
            open
        }),
        (any::<u32>(), 0x80u8..=0xff).prop_map(|(at, byte)| Mutation::InvalidUtf8 { at, byte }),
    ]
}

fn pos(at: u32, len: usize) -> usize {
    at as usize % (len + 1)
}

/// Byte ranges of the numbers in `data`.
fn numbers(data: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        if data[i].is_ascii_digit() {
            let start = if i > 0 && data[i - 1] == b'-' {
                i - 1
            } else {
                i
            };
            while i < data.len() && (data[i].is_ascii_alphanumeric() || data[i] == b'.') {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

fn apply(mut d: Vec<u8>, m: &Mutation) -> Vec<u8> {
    match *m {
        Mutation::FlipBit { at, bit } => {
            if !d.is_empty() {
                let i = at as usize % d.len();
                d[i] ^= 1 << bit;
            }
        }
        Mutation::Truncate { at } => d.truncate(pos(at, d.len())),
        Mutation::Delete { at, len } => {
            let i = pos(at, d.len());
            let j = (i + len as usize).min(d.len());
            d.drain(i..j);
        }
        Mutation::Duplicate { at, len } => {
            let i = pos(at, d.len());
            let j = (i + len as usize).min(d.len());
            let copy = d[i..j].to_vec();
            d.splice(j..j, copy);
        }
        Mutation::Insert { at, token } => {
            let i = pos(at, d.len());
            d.splice(i..i, TOKENS[token].bytes());
        }
        Mutation::Number { nth, value } => {
            let found = numbers(&d);
            if !found.is_empty() {
                let (i, j) = found[nth as usize % found.len()];
                d.splice(i..j, NUMBERS[value].bytes());
            }
        }
        Mutation::LongString { at, len } => {
            let i = pos(at, d.len());
            d.splice(i..i, std::iter::repeat_n(b'x', len as usize));
        }
        Mutation::Nesting { at, depth, open } => {
            let i = pos(at, d.len());
            let o = ["(", "[", "{", "Some("][open];
            d.splice(i..i, o.repeat(depth as usize).into_bytes());
        }
        Mutation::InvalidUtf8 { at, byte } => {
            let i = pos(at, d.len());
            d.insert(i, byte);
        }
    }
    d
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_parser_survives_mutated_shipped_files() {
    let results: Vec<(&str, Result<(), String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = targets::TARGETS
            .iter()
            .map(|t| {
                s.spawn(move || {
                    let seeds = targets::seed_files(root(), t);
                    assert!(!seeds.is_empty(), "target {} has no seed files", t.name);
                    for (k, seed) in seeds.iter().enumerate() {
                        let original = std::fs::read(seed).unwrap();
                        (t.run)(&original);
                        let config = Config {
                            cases: t.test_cases,
                            failure_persistence: None,
                            ..Config::default()
                        };
                        let mut key = [0u8; 32];
                        key[0] = k as u8;
                        key[1..1 + t.name.len().min(31)]
                            .copy_from_slice(&t.name.as_bytes()[..t.name.len().min(31)]);
                        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &key);
                        let mut runner = TestRunner::new_with_rng(config, rng);
                        let strategy = proptest::collection::vec(mutation(), 1..5);
                        runner
                            .run(&strategy, |ms| {
                                let input = ms.iter().fold(original.clone(), apply);
                                (t.run)(&input);
                                Ok(())
                            })
                            .map_err(|e| format!("seed {}: {e}", seed.display()))?;
                    }
                    Ok(())
                })
            })
            .collect();
        targets::TARGETS
            .iter()
            .zip(handles)
            .map(|(t, h)| {
                let r = h
                    .join()
                    .unwrap_or_else(|_| Err("panicked outside a case".into()));
                (t.name, r)
            })
            .collect()
    });
    let failed: Vec<String> = results
        .into_iter()
        .filter_map(|(name, r)| r.err().map(|e| format!("{name}: {e}")))
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// Every input that once crashed a parser (kept by `scripts/fuzz.sh`) now passes.
#[test]
fn fuzz_regressions_replay() {
    for t in targets::TARGETS {
        let dir = root().join("tests/fuzz/regressions").join(t.name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.filter_map(|e| e.ok()) {
            let data = std::fs::read(e.path()).unwrap();
            (t.run)(&data);
        }
    }
}

#[test]
fn every_target_has_a_unique_name() {
    let mut names: Vec<&str> = targets::TARGETS.iter().map(|t| t.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), targets::TARGETS.len());
    assert!(targets::target("scenario").is_some());
}
