//! A fixed-seed fuzz pass over the GGUF and safetensors header readers: random bytes, valid
//! headers with bytes overwritten, truncations and false file lengths. Every input must give a
//! header or an error — never a panic, a hang or a huge allocation (the readers are bounded by
//! the claimed file length and `HEADER_CAP`). A panic fails the test with the shrunk input.

mod support;

use deepseek_advisor::modelfile::groups::Breakdown;
use deepseek_advisor::modelfile::{arch, gguf, safetensors, HEADER_CAP};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use support::gguf_writer as w;

const CASES: u32 = 5000;

fn runner(seed: u8) -> TestRunner {
    TestRunner::new_with_rng(
        Config {
            cases: CASES,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

/// Parses as GGUF and, when that works, runs the architecture and grouping code on the result.
fn gguf_input(bytes: &[u8], claimed_extra: u64) {
    let len = bytes.len() as u64 + claimed_extra;
    if let Ok(h) = gguf::parse(bytes, len, HEADER_CAP) {
        let _ = arch::from_gguf(&h.metadata, &h.tensors);
        let _ = Breakdown::of(&h.tensors, arch::gguf_mtp_from(&h.metadata)).by_group();
    }
}

fn safetensors_input(bytes: &[u8], claimed_extra: u64) {
    let len = bytes.len() as u64 + claimed_extra;
    if let Ok(h) = safetensors::parse(bytes, len, HEADER_CAP) {
        let _ = Breakdown::of(&h.tensors, Some(1)).total();
    }
}

fn valid_gguf() -> Vec<u8> {
    let (mut meta, ts) = w::tiny_moe();
    meta.retain(|(k, _)| !k.starts_with("tokenizer"));
    w::header(&meta, &w::untag(&ts)).0
}

fn valid_safetensors() -> Vec<u8> {
    let json = r#"{"__metadata__":{"format":"pt"},"model.embed_tokens.weight":{"dtype":"BF16","shape":[16,8],"data_offsets":[0,256]},"model.layers.0.mlp.experts.0.up_proj.weight":{"dtype":"F8_E4M3","shape":[8,8],"data_offsets":[256,320]},"lm_head.weight":{"dtype":"F4","shape":[16,8],"data_offsets":[320,384]}}"#;
    let mut f = (json.len() as u64).to_le_bytes().to_vec();
    f.extend_from_slice(json.as_bytes());
    f
}

/// A valid input with up to 8 bytes overwritten, cut at some length, claiming some data after it.
fn mutated(valid: Vec<u8>) -> impl Strategy<Value = (Vec<u8>, u64)> {
    let n = valid.len();
    (
        vec((0..n, any::<u8>()), 0..8),
        0..=n,
        prop_oneof![Just(0u64), 0..1u64 << 20, Just(1u64 << 40)],
    )
        .prop_map(move |(edits, cut, extra)| {
            let mut b = valid.clone();
            for (i, v) in edits {
                b[i] = v;
            }
            b.truncate(cut.max(1));
            (b, extra)
        })
}

fn random(prefix: &'static [u8]) -> impl Strategy<Value = (Vec<u8>, u64)> {
    (vec(any::<u8>(), 0..600), any::<bool>(), any::<u64>()).prop_map(move |(mut b, pre, extra)| {
        if pre {
            let mut p = prefix.to_vec();
            p.extend_from_slice(&b);
            b = p;
        }
        (b, extra % (1 << 42))
    })
}

#[test]
fn fuzz_the_gguf_reader() {
    let mut r = runner(1);
    r.run(&random(b"GGUF\x03\x00\x00\x00"), |(b, extra)| {
        gguf_input(&b, extra);
        Ok(())
    })
    .unwrap();
    let mut r = runner(2);
    r.run(&mutated(valid_gguf()), |(b, extra)| {
        gguf_input(&b, extra);
        Ok(())
    })
    .unwrap();
    eprintln!("GGUF reader: {} inputs, 0 crashes", 2 * CASES);
}

#[test]
fn fuzz_the_safetensors_reader() {
    let mut r = runner(3);
    r.run(
        &random(b"\x40\x00\x00\x00\x00\x00\x00\x00{"),
        |(b, extra)| {
            safetensors_input(&b, extra);
            Ok(())
        },
    )
    .unwrap();
    let mut r = runner(4);
    r.run(&mutated(valid_safetensors()), |(b, extra)| {
        safetensors_input(&b, extra);
        Ok(())
    })
    .unwrap();
    eprintln!("safetensors reader: {} inputs, 0 crashes", 2 * CASES);
}

#[test]
fn the_valid_inputs_parse() {
    let g = valid_gguf();
    let h = gguf::parse(&g[..], g.len() as u64 + (1 << 30), HEADER_CAP).unwrap();
    assert!(arch::from_gguf(&h.metadata, &h.tensors).is_ok());
    let s = valid_safetensors();
    assert_eq!(
        safetensors::parse(&s[..], s.len() as u64 + 384, HEADER_CAP)
            .unwrap()
            .tensors
            .len(),
        3
    );
}
