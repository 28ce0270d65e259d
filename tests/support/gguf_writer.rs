//! A small GGUF writer for tests: builds headers with any metadata and tensor table, and sizes
//! tensors from its own copy of llama.cpp's block table so tests check the reader against an
//! independent count. Files are written sparse (`set_len`), so a 400 GB model costs a few KB.
#![allow(dead_code)]

use std::path::Path;

/// A metadata value as written.
#[derive(Clone, Debug)]
pub enum Meta {
    U8(u8),
    U16(u16),
    U32(u32),
    I32(i32),
    U64(u64),
    F32(f32),
    Bool(bool),
    Str(String),
    /// (element type id, elements written by `write_meta`)
    Array(u32, Vec<Meta>),
}

pub fn s(x: &str) -> Meta {
    Meta::Str(x.to_string())
}

fn type_id(m: &Meta) -> u32 {
    match m {
        Meta::U8(_) => 0,
        Meta::U16(_) => 2,
        Meta::U32(_) => 4,
        Meta::I32(_) => 5,
        Meta::F32(_) => 6,
        Meta::Bool(_) => 7,
        Meta::Str(_) => 8,
        Meta::Array(..) => 9,
        Meta::U64(_) => 10,
    }
}

fn write_str(out: &mut Vec<u8>, x: &str) {
    out.extend_from_slice(&(x.len() as u64).to_le_bytes());
    out.extend_from_slice(x.as_bytes());
}

fn write_meta(out: &mut Vec<u8>, m: &Meta) {
    match m {
        Meta::U8(x) => out.push(*x),
        Meta::U16(x) => out.extend_from_slice(&x.to_le_bytes()),
        Meta::U32(x) => out.extend_from_slice(&x.to_le_bytes()),
        Meta::I32(x) => out.extend_from_slice(&x.to_le_bytes()),
        Meta::U64(x) => out.extend_from_slice(&x.to_le_bytes()),
        Meta::F32(x) => out.extend_from_slice(&x.to_le_bytes()),
        Meta::Bool(x) => out.push(u8::from(*x)),
        Meta::Str(x) => write_str(out, x),
        Meta::Array(ty, items) => {
            out.extend_from_slice(&ty.to_le_bytes());
            out.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for i in items {
                write_meta(out, i);
            }
        }
    }
}

/// (ggml type id, elements per block, bytes per block) as in llama.cpp `GGML_QUANT_SIZES`.
pub const TYPES: [(&str, u32, u64, u64); 16] = [
    ("F32", 0, 1, 4),
    ("F16", 1, 1, 2),
    ("Q4_0", 2, 32, 18),
    ("Q5_0", 6, 32, 22),
    ("Q8_0", 8, 32, 34),
    ("Q2_K", 10, 256, 84),
    ("Q3_K", 11, 256, 110),
    ("Q4_K", 12, 256, 144),
    ("Q5_K", 13, 256, 176),
    ("Q6_K", 14, 256, 210),
    ("IQ2_XXS", 16, 256, 66),
    ("IQ1_S", 19, 256, 50),
    ("IQ4_XS", 23, 256, 136),
    ("BF16", 30, 1, 2),
    ("MXFP4", 39, 32, 17),
    ("I32", 26, 1, 4),
];

pub fn ty(name: &str) -> u32 {
    TYPES.iter().find(|t| t.0 == name).unwrap().1
}

/// Bytes of a tensor of this type and shape.
pub fn tensor_bytes(type_name: &str, dims: &[u64]) -> u64 {
    let (_, _, block, bytes) = *TYPES.iter().find(|t| t.0 == type_name).unwrap();
    dims.iter().product::<u64>() / block * bytes
}

#[derive(Clone, Debug)]
pub struct T {
    pub name: String,
    pub dims: Vec<u64>,
    pub ty: &'static str,
}

pub fn t(name: &str, dims: &[u64], ty: &'static str) -> T {
    T {
        name: name.to_string(),
        dims: dims.to_vec(),
        ty,
    }
}

/// A GGUF header (with padding to the data section) and the length of the data section.
pub fn header(meta: &[(&str, Meta)], tensors: &[T]) -> (Vec<u8>, u64) {
    let mut out = b"GGUF".to_vec();
    out.extend_from_slice(&3u32.to_le_bytes());
    out.extend_from_slice(&(tensors.len() as u64).to_le_bytes());
    out.extend_from_slice(&(meta.len() as u64).to_le_bytes());
    for (k, v) in meta {
        write_str(&mut out, k);
        out.extend_from_slice(&type_id(v).to_le_bytes());
        write_meta(&mut out, v);
    }
    let mut offset = 0u64;
    for t in tensors {
        write_str(&mut out, &t.name);
        out.extend_from_slice(&(t.dims.len() as u32).to_le_bytes());
        for d in &t.dims {
            out.extend_from_slice(&d.to_le_bytes());
        }
        out.extend_from_slice(&ty(t.ty).to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        offset += tensor_bytes(t.ty, &t.dims).div_ceil(32) * 32;
    }
    out.resize(out.len().div_ceil(32) * 32, 0);
    (out, offset)
}

/// Writes a sparse GGUF file; returns its length.
pub fn write(path: &Path, meta: &[(&str, Meta)], tensors: &[T]) -> u64 {
    let (h, data) = header(meta, tensors);
    std::fs::write(path, &h).unwrap();
    let len = h.len() as u64 + data;
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(len)
        .unwrap();
    len
}

/// Sum of tensor bytes (without alignment padding).
pub fn total(tensors: &[T]) -> u64 {
    tensors.iter().map(|t| tensor_bytes(t.ty, &t.dims)).sum()
}

pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("dsa-modelfile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Metadata key/values as written.
pub type MetaList = Vec<(&'static str, Meta)>;

/// Replaces the tokenizer metadata with a real-sized vocabulary (150,000 tokens and merges), so
/// a header is as large as a real model's (about 6 MB, mostly the tokenizer).
pub fn with_real_size_vocabulary(meta: &mut MetaList) {
    meta.retain(|(k, _)| !k.starts_with("tokenizer"));
    meta.push((
        "tokenizer.ggml.tokens",
        Meta::Array(8, (0..150_000).map(|i| s(&format!("token-{i}"))).collect()),
    ));
    meta.push((
        "tokenizer.ggml.merges",
        Meta::Array(8, (0..150_000).map(|i| s(&format!("m{i} n{i}"))).collect()),
    ));
}

/// Which group a test tensor belongs to (the expected answer, written down by construction).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum G {
    Embedding,
    Attention,
    DenseFfn,
    SharedExperts,
    RoutedExperts,
    Router,
    Output,
}

/// A small DeepSeek-V3-shaped MoE (MLA attention, 1 dense + 3 MoE layers, 8 experts, a shared
/// expert) with a mixed-type layout: Q8_0 attention, Q6_K kv_b and down projections, IQ2_XXS /
/// MXFP4 / Q4_K experts, F32 norms and router. Returns metadata and tensors tagged with groups.
pub fn tiny_moe() -> (MetaList, Vec<(T, G)>) {
    let meta = vec![
        ("general.architecture", s("deepseek2")),
        ("general.name", s("Tiny MoE Test")),
        ("general.file_type", Meta::U32(15)),
        ("general.alignment", Meta::U32(32)),
        ("deepseek2.block_count", Meta::U32(4)),
        ("deepseek2.context_length", Meta::U32(4096)),
        ("deepseek2.embedding_length", Meta::U32(512)),
        ("deepseek2.feed_forward_length", Meta::U32(1024)),
        ("deepseek2.attention.head_count", Meta::U32(8)),
        ("deepseek2.attention.head_count_kv", Meta::U32(8)),
        ("deepseek2.attention.q_lora_rank", Meta::U32(256)),
        ("deepseek2.attention.kv_lora_rank", Meta::U32(256)),
        ("deepseek2.attention.key_length", Meta::U32(192)),
        ("deepseek2.attention.value_length", Meta::U32(128)),
        ("deepseek2.rope.dimension_count", Meta::U32(64)),
        ("deepseek2.expert_count", Meta::U32(8)),
        ("deepseek2.expert_used_count", Meta::U32(2)),
        ("deepseek2.expert_shared_count", Meta::U32(1)),
        ("deepseek2.leading_dense_block_count", Meta::U32(1)),
        ("deepseek2.expert_feed_forward_length", Meta::U32(256)),
        ("deepseek2.vocab_size", Meta::U32(1024)),
        ("deepseek2.expert_weights_norm", Meta::Bool(true)),
        ("deepseek2.rope.scaling.factor", Meta::F32(40.0)),
        (
            "tokenizer.ggml.tokens",
            Meta::Array(8, (0..1024).map(|i| s(&format!("tok{i}"))).collect()),
        ),
        (
            "tokenizer.ggml.token_type",
            Meta::Array(5, (0..1024).map(Meta::I32).collect()),
        ),
        (
            "test.nested",
            Meta::Array(9, vec![Meta::Array(0, vec![Meta::U8(1), Meta::U8(2)])]),
        ),
    ];
    let (h, e, moe_i, inter, vocab, heads) = (512u64, 8u64, 256u64, 1024u64, 1024u64, 8u64);
    let mut ts = vec![
        (t("token_embd.weight", &[h, vocab], "Q4_K"), G::Embedding),
        (t("output_norm.weight", &[h], "F32"), G::Attention),
        (t("output.weight", &[h, vocab], "Q6_K"), G::Output),
    ];
    for l in 0..4 {
        let n = |x: &str| format!("blk.{l}.{x}.weight");
        let a = |name: &str, dims: &[u64], ty| (t(&n(name), dims, ty), G::Attention);
        ts.push(a("attn_norm", &[h], "F32"));
        ts.push(a("attn_q_a", &[h, 256], "Q8_0"));
        ts.push(a("attn_q_a_norm", &[256], "F32"));
        ts.push(a("attn_q_b", &[256, heads * 192], "Q8_0"));
        ts.push(a("attn_kv_a_mqa", &[h, 256 + 64], "Q8_0"));
        ts.push(a("attn_kv_a_norm", &[256], "F32"));
        ts.push(a("attn_kv_b", &[256, heads * 256], "Q6_K"));
        ts.push(a("attn_output", &[heads * 128, h], "Q8_0"));
        ts.push(a("ffn_norm", &[h], "F32"));
        if l == 0 {
            ts.push((t(&n("ffn_gate"), &[h, inter], "Q4_K"), G::DenseFfn));
            ts.push((t(&n("ffn_up"), &[h, inter], "Q4_K"), G::DenseFfn));
            ts.push((t(&n("ffn_down"), &[inter, h], "Q6_K"), G::DenseFfn));
        } else {
            ts.push((t(&n("ffn_gate_inp"), &[h, e], "F32"), G::Router));
            ts.push((
                t(&format!("blk.{l}.exp_probs_b.bias"), &[e], "F32"),
                G::Router,
            ));
            ts.push((
                t(&n("ffn_gate_exps"), &[h, moe_i, e], "IQ2_XXS"),
                G::RoutedExperts,
            ));
            ts.push((
                t(&n("ffn_up_exps"), &[h, moe_i, e], "MXFP4"),
                G::RoutedExperts,
            ));
            ts.push((
                t(&n("ffn_down_exps"), &[moe_i, h, e], "Q4_K"),
                G::RoutedExperts,
            ));
            ts.push((
                t(&n("ffn_gate_shexp"), &[h, moe_i], "Q8_0"),
                G::SharedExperts,
            ));
            ts.push((t(&n("ffn_up_shexp"), &[h, moe_i], "Q8_0"), G::SharedExperts));
            ts.push((
                t(&n("ffn_down_shexp"), &[moe_i, h], "Q8_0"),
                G::SharedExperts,
            ));
        }
    }
    (meta, ts)
}

pub fn untag(ts: &[(T, G)]) -> Vec<T> {
    ts.iter().map(|(t, _)| t.clone()).collect()
}

pub fn group_total(ts: &[(T, G)], g: G) -> u64 {
    ts.iter()
        .filter(|(_, tg)| *tg == g)
        .map(|(t, _)| tensor_bytes(t.ty, &t.dims))
        .sum()
}
