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

/// `x` as IEEE half-precision bits (normal numbers; enough for scales).
fn f16_bits(x: f32) -> u16 {
    let b = x.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xff) as i32 - 127 + 15;
    let mant = ((b >> 13) & 0x3ff) as u16;
    if x == 0.0 || exp <= 0 {
        sign
    } else {
        sign | ((exp.min(30) as u16) << 10) | mant
    }
}

/// xorshift64*: reproducible pseudo-random bytes for weights.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Writes a GGUF file with real data a runtime can load and run: norm weights 1.0, other F32
/// tensors uniform in ±0.05, Q8_0 tensors as blocks of a half-precision scale and 32
/// pseudo-random int8 values (weights within ±0.06). Returns the file's length.
pub fn write_with_data(path: &Path, meta: &[(&str, Meta)], tensors: &[T], seed: u64) -> u64 {
    use std::io::Write;
    let (h, _) = header(meta, tensors);
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(&h).unwrap();
    let mut rng = Rng(seed | 1);
    let mut len = h.len() as u64;
    for t in tensors {
        let n: u64 = t.dims.iter().product();
        let mut bytes: Vec<u8> = Vec::with_capacity(tensor_bytes(t.ty, &t.dims) as usize);
        match t.ty {
            "F32" => {
                for _ in 0..n {
                    let v = if t.name.ends_with("norm.weight") {
                        1.0f32
                    } else {
                        ((rng.next() >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 0.1
                    };
                    bytes.extend_from_slice(&v.to_le_bytes());
                }
            }
            "Q8_0" => {
                for _ in 0..n / 32 {
                    bytes.extend_from_slice(&f16_bits(0.0005).to_le_bytes());
                    for _ in 0..32 {
                        bytes.push((rng.next() >> 56) as u8);
                    }
                }
            }
            other => panic!("write_with_data writes F32 and Q8_0 tensors, not {other}"),
        }
        let padded = (bytes.len() as u64).div_ceil(32) * 32;
        bytes.resize(padded as usize, 0);
        f.write_all(&bytes).unwrap();
        len += padded;
    }
    f.flush().unwrap();
    len
}

/// A small Llama-architecture model with an SPM vocabulary (control tokens, the 256 byte
/// tokens, then filler words) that llama.cpp loads: Q8_0 matrices, F32 norms. About 73 MB with
/// the default sizes — larger than a CPU's caches, so decoding reads memory as a real model does.
pub fn tiny_llama(
    vocab: u64,
    hidden: u64,
    layers: u64,
    ffn: u64,
    heads: u64,
) -> (MetaList, Vec<T>) {
    let mut tokens = vec![s("<unk>"), s("<s>"), s("</s>")];
    let mut types = vec![Meta::I32(2), Meta::I32(3), Meta::I32(3)];
    for b in 0..256 {
        tokens.push(s(&format!("<0x{b:02X}>")));
        types.push(Meta::I32(6));
    }
    // Whole words of `bench`'s prompt, so it tokenizes to about the length asked for.
    let words = "Request Here is a list of colours Continue the with more colour names one per line \
                 and keep going until you are stopped red blue green yellow orange purple pink brown \
                 black white gray gold silver navy olive teal";
    // SentencePiece merges pairs of pieces that are themselves tokens: every prefix of
    // `▁word` is one, so each word merges up to a single token.
    let mut pieces: Vec<String> = ('a'..='z').chain('A'..='Z').map(String::from).collect();
    for word in words.split_whitespace() {
        let full: Vec<char> = format!("\u{2581}{word}").chars().collect();
        for end in 1..=full.len() {
            let p: String = full[..end].iter().collect();
            if !pieces.contains(&p) {
                pieces.push(p);
            }
        }
    }
    for p in pieces {
        tokens.push(s(&p));
        types.push(Meta::I32(1));
    }
    let mut i = 0;
    while (tokens.len() as u64) < vocab {
        tokens.push(s(&format!("\u{2581}w{i}")));
        types.push(Meta::I32(1));
        i += 1;
    }
    let scores: Vec<Meta> = (0..vocab).map(|i| Meta::F32(-(i as f32))).collect();
    let meta: MetaList = vec![
        ("general.architecture", s("llama")),
        ("general.name", s("Tiny Random Llama")),
        ("general.alignment", Meta::U32(32)),
        ("general.file_type", Meta::U32(7)),
        ("llama.context_length", Meta::U32(4096)),
        ("llama.embedding_length", Meta::U32(hidden as u32)),
        ("llama.block_count", Meta::U32(layers as u32)),
        ("llama.feed_forward_length", Meta::U32(ffn as u32)),
        ("llama.attention.head_count", Meta::U32(heads as u32)),
        ("llama.attention.head_count_kv", Meta::U32(heads as u32)),
        ("llama.rope.dimension_count", Meta::U32((hidden / heads) as u32)),
        ("llama.attention.layer_norm_rms_epsilon", Meta::F32(1e-5)),
        ("llama.vocab_size", Meta::U32(vocab as u32)),
        ("tokenizer.ggml.model", s("llama")),
        ("tokenizer.ggml.tokens", Meta::Array(8, tokens)),
        ("tokenizer.ggml.scores", Meta::Array(6, scores)),
        ("tokenizer.ggml.token_type", Meta::Array(5, types)),
        ("tokenizer.ggml.unknown_token_id", Meta::U32(0)),
        ("tokenizer.ggml.bos_token_id", Meta::U32(1)),
        ("tokenizer.ggml.eos_token_id", Meta::U32(2)),
        (
            "tokenizer.chat_template",
            s("{% for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n{% endfor %}<|im_start|>assistant\n"),
        ),
    ];
    let mut ts = vec![
        t("token_embd.weight", &[hidden, vocab], "Q8_0"),
        t("output_norm.weight", &[hidden], "F32"),
        t("output.weight", &[hidden, vocab], "Q8_0"),
    ];
    for l in 0..layers {
        let n = |x: &str| format!("blk.{l}.{x}.weight");
        ts.push(t(&n("attn_norm"), &[hidden], "F32"));
        for x in ["attn_q", "attn_k", "attn_v", "attn_output"] {
            ts.push(t(&n(x), &[hidden, hidden], "Q8_0"));
        }
        ts.push(t(&n("ffn_norm"), &[hidden], "F32"));
        ts.push(t(&n("ffn_gate"), &[hidden, ffn], "Q8_0"));
        ts.push(t(&n("ffn_up"), &[hidden, ffn], "Q8_0"));
        ts.push(t(&n("ffn_down"), &[ffn, hidden], "Q8_0"));
    }
    (meta, ts)
}
