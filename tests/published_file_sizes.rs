//! Published GGUF sizes reproduced from a synthetic header with the model's real tensor table
//! and llama.cpp's per-tensor type choice (`llama_tensor_get_type` in `src/llama-quant.cpp`):
//! norms, biases and the expert router stay F32; the output head is Q6_K; for Q4_K_M / Q5_K_M,
//! `attn_v` / `attn_kv_b` and every `ffn_down*` of the layers `use_more_bits` picks are Q6_K;
//! 80-layer models (llama.cpp's "70B" type) take Q5_K for the other `attn_v`; rows whose length is
//! not a multiple of the block fall back (Q4_K → Q5_0, Q6_K → Q8_0). The sum of tensor bytes the
//! reader reports is compared with the published file size (which also holds the tokenizer, a
//! few MB, so sums run slightly under).

mod support;

use deepseek_advisor::catalog::schema::{Architecture, SizeUnit};
use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::modelfile::groups::Breakdown;
use deepseek_advisor::modelfile::{gguf, HEADER_CAP};
use support::gguf_writer::{self as w, s, Meta, T};

/// llama.cpp's `use_more_bits(i_layer, n_layers)`.
fn use_more_bits(i: i64, n: i64) -> bool {
    i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2
}

#[derive(Clone, Copy, PartialEq)]
enum Ftype {
    Q4KM,
    Q5KM,
    Q6K,
    Q8_0,
    F16,
}

fn block_of(ty: &str) -> u64 {
    w::TYPES.iter().find(|t| t.0 == ty).unwrap().2
}

/// The type llama.cpp gives tensor `name` (dims innermost first) in a file of type `ft`.
fn choose(
    name: &str,
    dims: &[u64],
    ft: Ftype,
    n_layer: i64,
    is_70b: bool,
    tied: bool,
) -> &'static str {
    let layer = name
        .strip_prefix("blk.")
        .and_then(|r| r.split('.').next())
        .and_then(|n| n.parse::<i64>().ok())
        .unwrap_or(0);
    let quantizable = dims.len() >= 2
        && name.ends_with("weight")
        && !name.contains("_norm.weight")
        && !name.contains("ffn_gate_inp");
    if !quantizable {
        return "F32";
    }
    if ft == Ftype::F16 {
        return "F16";
    }
    let default = match ft {
        Ftype::Q4KM => "Q4_K",
        Ftype::Q5KM => "Q5_K",
        Ftype::Q6K => "Q6_K",
        Ftype::Q8_0 | Ftype::F16 => "Q8_0",
    };
    let mut ty = default;
    let is_output = name == "output.weight" || (tied && name == "token_embd.weight");
    if is_output {
        if ty != "Q8_0" {
            ty = "Q6_K";
        }
    } else if name.contains("attn_v.weight") || name.contains("attn_kv_b.weight") {
        if matches!(ft, Ftype::Q4KM | Ftype::Q5KM) && use_more_bits(layer, n_layer) {
            ty = "Q6_K";
        }
        if is_70b && ty == "Q4_K" {
            ty = "Q5_K";
        }
    } else if name.contains("ffn_down")
        && matches!(ft, Ftype::Q4KM | Ftype::Q5KM)
        && use_more_bits(layer, n_layer)
    {
        ty = "Q6_K";
    }
    // Rows that do not hold whole blocks fall back.
    if dims[0] % block_of(ty) != 0 {
        ty = match ty {
            "Q4_K" => "Q5_0",
            "Q5_K" => "Q5_1",
            _ => "Q8_0",
        };
    }
    ty
}

/// The tensor table llama.cpp's converter writes for an architecture (dims innermost first).
fn table(a: &Architecture) -> Vec<(String, Vec<u64>)> {
    let h = u64::from(a.hidden);
    let v = u64::from(a.vocab);
    let heads = u64::from(a.heads);
    let hd = u64::from(a.head_dim);
    let kvd = u64::from(a.kv_heads) * hd;
    let inter = u64::from(a.intermediate);
    let mut ts = vec![
        ("token_embd.weight".to_string(), vec![h, v]),
        ("output_norm.weight".to_string(), vec![h]),
    ];
    if !a.tied_embeddings {
        ts.push(("output.weight".to_string(), vec![h, v]));
    }
    for l in 0..a.layers {
        let mut add = |n: &str, dims: Vec<u64>| ts.push((format!("blk.{l}.{n}"), dims));
        add("attn_norm.weight", vec![h]);
        add("ffn_norm.weight", vec![h]);
        match &a.mla {
            Some(m) => {
                let (q, kv, nope, rope, vd) = (
                    u64::from(m.q_lora_rank.unwrap_or(0)),
                    u64::from(m.kv_lora_rank),
                    u64::from(m.qk_nope_head_dim),
                    u64::from(m.qk_rope_head_dim),
                    u64::from(m.v_head_dim),
                );
                if q > 0 {
                    add("attn_q_a.weight", vec![h, q]);
                    add("attn_q_a_norm.weight", vec![q]);
                    add("attn_q_b.weight", vec![q, heads * (nope + rope)]);
                } else {
                    add("attn_q.weight", vec![h, heads * (nope + rope)]);
                }
                add("attn_kv_a_mqa.weight", vec![h, kv + rope]);
                add("attn_kv_a_norm.weight", vec![kv]);
                add("attn_kv_b.weight", vec![kv, heads * (nope + vd)]);
                add("attn_output.weight", vec![heads * vd, h]);
            }
            None => {
                add("attn_q.weight", vec![h, heads * hd]);
                add("attn_k.weight", vec![h, kvd]);
                add("attn_v.weight", vec![h, kvd]);
                add("attn_output.weight", vec![heads * hd, h]);
                if a.attention_bias {
                    add("attn_q.bias", vec![heads * hd]);
                    add("attn_k.bias", vec![kvd]);
                    add("attn_v.bias", vec![kvd]);
                }
                if a.qk_norm {
                    add("attn_q_norm.weight", vec![hd]);
                    add("attn_k_norm.weight", vec![hd]);
                }
            }
        }
        match &a.moe {
            Some(moe) if l >= moe.first_dense_layers => {
                let (e, mi, sh) = (
                    u64::from(moe.routed_experts),
                    u64::from(moe.expert_intermediate),
                    u64::from(moe.shared_experts),
                );
                add("ffn_gate_inp.weight", vec![h, e]);
                add("exp_probs_b.bias", vec![e]);
                add("ffn_gate_exps.weight", vec![h, mi, e]);
                add("ffn_up_exps.weight", vec![h, mi, e]);
                add("ffn_down_exps.weight", vec![mi, h, e]);
                if sh > 0 {
                    add("ffn_gate_shexp.weight", vec![h, mi * sh]);
                    add("ffn_up_shexp.weight", vec![h, mi * sh]);
                    add("ffn_down_shexp.weight", vec![mi * sh, h]);
                }
            }
            _ => {
                add("ffn_gate.weight", vec![h, inter]);
                add("ffn_up.weight", vec![h, inter]);
                add("ffn_down.weight", vec![inter, h]);
            }
        }
    }
    ts
}

/// Tensor bytes the reader finds in a synthetic header of `a` quantized as `ft`.
fn sized(a: &Architecture, ft: Ftype) -> u64 {
    let n_layer = i64::from(a.layers);
    let is_70b = a.layers == 80 && a.mla.is_none();
    let ts: Vec<T> = table(a)
        .into_iter()
        .map(|(name, dims)| {
            let ty = choose(&name, &dims, ft, n_layer, is_70b, a.tied_embeddings);
            w::t(&name, &dims, ty)
        })
        .collect();
    let (header, data) = w::header(
        &[
            ("general.architecture", s("llama")),
            ("general.file_type", Meta::U32(15)),
        ],
        &ts,
    );
    let len = header.len() as u64 + data;
    let h = gguf::parse(&header[..], len, HEADER_CAP).unwrap();
    let total = Breakdown::of(&h.tensors, None).total();
    assert_eq!(total, w::total(&ts), "the reader agrees with the writer");
    total
}

/// Half the last digit of `x` as written (at least two significant digits), in percent of `x`.
fn rounding_percent(x: f64) -> f64 {
    let magnitude = x.abs().log10().floor();
    let digits = (2..=6)
        .find(|d| {
            let unit = 10f64.powf(magnitude - f64::from(*d) + 1.0);
            ((x / unit).round() * unit - x).abs() < 1e-9 * x.abs()
        })
        .unwrap_or(6);
    0.5 * 10f64.powf(magnitude - f64::from(digits) + 1.0) / x * 100.0
}

#[test]
fn rounding_of_published_figures() {
    assert!((rounding_percent(20.0) - 2.5).abs() < 1e-9);
    assert!((rounding_percent(1.12) - 0.5 / 1.12).abs() < 1e-9);
    assert!((rounding_percent(404.0) - 0.5 / 404.0 * 100.0).abs() < 1e-9);
}

#[test]
fn published_gguf_sizes_are_reproduced_from_the_tensor_table() {
    let c = Catalog::get();
    let mut rows = Vec::new();
    // V4's files (compressed attention, MXFP4 experts kept by the converter, Engram) are not
    // llama.cpp's per-tensor type choice: tests/reference_sizes.rs checks them by tensor group.
    for m in c
        .models
        .models
        .iter()
        .filter(|m| m.arch.compressed.is_none())
    {
        for p in &m.published_sizes {
            let ft = match p.quant.as_str() {
                "Q4_K_M" => Ftype::Q4KM,
                "Q5_K_M" => Ftype::Q5KM,
                "Q6_K" => Ftype::Q6K,
                "Q8_0" => Ftype::Q8_0,
                "BF16" => Ftype::F16,
                _ => continue,
            };
            if p.confidence.is_estimate() {
                continue;
            }
            let ours = sized(&m.arch, ft) as f64;
            let published = p.bytes();
            let diff = (ours - published) / published * 100.0;
            rows.push((
                m.id.clone(),
                p.quant.clone(),
                published,
                ours,
                diff,
                p.unit,
                p.size,
            ));
        }
    }
    println!("\nmodel                              quant    published GB   sized GB    diff");
    let mut worst: Vec<String> = Vec::new();
    for (id, q, published, ours, diff, unit, size) in &rows {
        println!(
            "{id:<34} {q:<8} {:>12.3} {:>10.3} {diff:>+7.2}%",
            published / 1e9,
            ours / 1e9
        );
        // A figure published to two or three significant digits (Ollama's "20GB", "4.9GB",
        // Hugging Face's "1.12 GB") is itself only known to ± half its last digit.
        let rounding = match unit {
            SizeUnit::Bytes => 0.0,
            _ => rounding_percent(*size),
        };
        if diff.abs() > 0.5 + rounding {
            worst.push(format!("{id} {q}: {diff:+.2}%"));
        }
    }
    assert!(rows.len() >= 15, "{} published sizes checked", rows.len());
    assert!(worst.is_empty(), "outside 0.5%: {worst:?}");
}
