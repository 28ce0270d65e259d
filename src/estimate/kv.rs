//! The KV cache as a function of context (models.md §6, models-2026.md §4): how many bytes one
//! sequence keeps at a context of L tokens, and how many bytes decoding one token reads at
//! position P. GQA/MHA and MLA caches grow by a constant per token; the V3.2 indexer adds a key
//! per token but decode reads only the top-k latents; V4's compressed attention keeps a sliding
//! window on every layer plus one entry per 4 (CSA) or 128 (HCA) tokens, so its cache is affine in
//! L and decode reads top-k entries — which is why long context is cheap on V4.

use crate::catalog::schema::{Architecture, CompressedAttention, Runtime};
use std::fmt;
use std::str::FromStr;

/// Element type of the KV cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KvCacheType {
    /// The runtime's default for the model (resolved by `KvCacheType::resolve`).
    #[default]
    Auto,
    /// 16-bit (the default of most runtimes here).
    F16,
    /// llama.cpp q8_0: 34 bytes per 32 elements.
    Q8_0,
    /// llama.cpp q4_0: 18 bytes per 32 elements.
    Q4_0,
    /// vLLM / SGLang fp8 (e4m3): 1 byte per element; for V4 the `fp8_ds_mla` layout.
    Fp8,
    /// 32-bit floats: ds4's compressed-attention cache.
    F32,
}

impl KvCacheType {
    pub const ALL: [KvCacheType; 6] = [
        KvCacheType::Auto,
        KvCacheType::F16,
        KvCacheType::Q8_0,
        KvCacheType::Q4_0,
        KvCacheType::Fp8,
        KvCacheType::F32,
    ];

    /// Bytes per element (`Auto` counts as 16-bit until resolved).
    pub fn bytes_per_element(self) -> f64 {
        match self {
            KvCacheType::Auto | KvCacheType::F16 => 2.0,
            KvCacheType::Q8_0 => 34.0 / 32.0,
            KvCacheType::Q4_0 => 18.0 / 32.0,
            KvCacheType::Fp8 => 1.0,
            KvCacheType::F32 => 4.0,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            KvCacheType::Auto => "auto",
            KvCacheType::F16 => "f16",
            KvCacheType::Q8_0 => "q8_0",
            KvCacheType::Q4_0 => "q4_0",
            KvCacheType::Fp8 => "fp8",
            KvCacheType::F32 => "f32",
        }
    }

    /// The cache types `runtime` offers for `arch`, its default first.
    pub fn offered(arch: &Architecture, runtime: Runtime) -> &'static [KvCacheType] {
        use KvCacheType::*;
        let compressed = arch.compressed.is_some();
        match runtime {
            // vLLM allocates V4's cache only as fp8_ds_mla (models-2026.md §4.1).
            Runtime::Vllm | Runtime::Sglang | Runtime::TensorrtLlm if compressed => &[Fp8],
            Runtime::Vllm | Runtime::Sglang | Runtime::TensorrtLlm => &[F16, Fp8],
            Runtime::LlamaCpp => &[F16, Q8_0, Q4_0],
            Runtime::Ollama => &[F16, Q8_0, Q4_0],
            // ds4 keeps compressed entries as F32 (measured slope 13,764 B/token).
            Runtime::Ds4 => &[F32],
            Runtime::Ktransformers | Runtime::Mlx => &[F16],
        }
    }

    /// Whether `runtime` offers this cache type for `arch` (`Auto` always).
    pub fn supported(self, arch: &Architecture, runtime: Runtime) -> bool {
        self == KvCacheType::Auto || KvCacheType::offered(arch, runtime).contains(&self)
    }

    /// `Auto` becomes the runtime's default for the model; anything else stays.
    pub fn resolve(self, arch: &Architecture, runtime: Runtime) -> KvCacheType {
        match self {
            KvCacheType::Auto => KvCacheType::offered(arch, runtime)[0],
            k => k,
        }
    }
}

impl fmt::Display for KvCacheType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for KvCacheType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        KvCacheType::ALL
            .into_iter()
            .find(|k| {
                k.name().eq_ignore_ascii_case(s)
                    || (s.eq_ignore_ascii_case("bf16") && *k == KvCacheType::F16)
            })
            .ok_or_else(|| {
                format!("unknown KV cache type `{s}` (expected auto, f16, q8_0, q4_0, fp8 or f32)")
            })
    }
}

/// How an MLA model's cache is laid out under a runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MlaLayout {
    /// Compressed latent + rope key: kv_lora_rank + qk_rope_head_dim per layer (vLLM, SGLang,
    /// KTransformers, llama.cpp after PR #19067; MLX assumed, UNVERIFIED).
    Latent,
    /// Latent plus a stored V view (kv_lora_rank + rope + kv_lora_rank): llama.cpp builds before
    /// 2026-01-24, which Ollama is assumed to bundle (UNVERIFIED).
    LatentWithV,
    /// Decompressed per-head K and V, as HF transformers eager or pre-MLA llama.cpp.
    Naive,
}

impl MlaLayout {
    pub fn for_runtime(runtime: Runtime) -> MlaLayout {
        match runtime {
            Runtime::Ollama => MlaLayout::LatentWithV,
            _ => MlaLayout::Latent,
        }
    }
}

/// KV-cache bytes for one token of one sequence of a GQA/MHA or MLA model (the V3.2 indexer key
/// included). For compressed attention this is the slope of `KvCache::bytes` beyond the window.
pub fn bytes_per_token(a: &Architecture, layout: MlaLayout, kv: KvCacheType) -> f64 {
    let layers = f64::from(a.layers);
    let b = kv.bytes_per_element();
    match &a.mla {
        // FlashMLA's sparse FP8 layout (V3.2 DSA on vLLM/SGLang): FP8 latent + one fp32 scale per
        // 128 + a 16-bit RoPE key = 656 B per layer for V3.2 (models-2026.md §4.3).
        Some(m) if kv == KvCacheType::Fp8 && a.indexer.is_some() && layout == MlaLayout::Latent => {
            let latent = f64::from(m.kv_lora_rank);
            let entry =
                latent + 4.0 * (latent / 128.0).ceil() + 2.0 * f64::from(m.qk_rope_head_dim);
            layers * (entry + indexer_key_bytes(a))
        }
        Some(m) => {
            let elems = match layout {
                MlaLayout::Latent => f64::from(m.kv_lora_rank + m.qk_rope_head_dim),
                MlaLayout::LatentWithV => f64::from(2 * m.kv_lora_rank + m.qk_rope_head_dim),
                MlaLayout::Naive => {
                    f64::from(a.heads)
                        * f64::from(m.qk_nope_head_dim + m.qk_rope_head_dim + m.v_head_dim)
                }
            };
            layers * (elems * b + indexer_key_bytes(a))
        }
        None => 2.0 * layers * f64::from(a.kv_heads) * f64::from(a.head_dim) * b,
    }
}

/// The V3.2 lightning-indexer key: FP8 of `index_head_dim` plus one fp32 scale per 128-element
/// block, per token per layer (models.md §6), whatever the KV type.
fn indexer_key_bytes(a: &Architecture) -> f64 {
    a.indexer.as_ref().map_or(0.0, |ix| {
        let dim = f64::from(ix.head_dim);
        dim + 4.0 * (dim / 128.0).ceil()
    })
}

/// Bytes of one compressed-attention entry under a runtime's layout (models-2026.md §4.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EntryBytes {
    /// A 512-wide latent entry (window and compressed entries alike).
    pub main: f64,
    /// A lightning-indexer key.
    pub index: f64,
    /// llama.cpp pre-allocates compressed cells for the whole window, CSA cells padded to 256.
    pub preallocated: bool,
}

/// Entry sizes of a compressed-attention cache for `kv` (already resolved).
pub fn entry_bytes(c: &CompressedAttention, index_dim: u32, kv: KvCacheType) -> EntryBytes {
    let dim = f64::from(c.latent_dim);
    let idx = f64::from(index_dim);
    let (main, index) = match kv {
        // fp8_ds_mla: FP8 NoPE part + 16-bit RoPE part + one UE8M0 scale per 64 + 1 pad byte
        // (448 + 128 + 7 + 1 = 584 for V4); indexer key FP8 + one fp32 scale (132).
        KvCacheType::Fp8 => {
            let rope = f64::from(c.rope_dim);
            let nope = dim - rope;
            (nope + 2.0 * rope + (nope / 64.0).ceil() + 1.0, idx + 4.0)
        }
        k => (dim * k.bytes_per_element(), idx * k.bytes_per_element()),
    };
    EntryBytes {
        main,
        index,
        preallocated: false,
    }
}

/// The cache of one sequence under one runtime, ready to be evaluated at any context.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KvCache<'a> {
    arch: &'a Architecture,
    shape: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// A constant number of bytes per token (GQA/MHA, MLA), of which `index` is V3.2's indexer key;
    /// decode reads all latents unless `topk` bounds it (DSA).
    PerToken {
        per_token: f64,
        index: f64,
        topk: Option<u32>,
    },
    Compressed(EntryBytes),
}

/// Compressor state per owning layer: fp32 partial windows for kv and score, `coff × ratio`
/// slots of `coff × width` (overlapping CSA windows have coff = 2): 64 KiB + 16 KiB per CSA layer
/// and 512 KiB per HCA layer for V4 (SGLang's `get_compress_state_ring_size`).
fn compressor_state_bytes(ratio: u32, width: f64) -> f64 {
    let coff = if ratio == 4 { 2.0 } else { 1.0 };
    let slots = coff * f64::from(ratio);
    slots * 2.0 * coff * width * 4.0
}

/// Compressed cells a layer of `ratio` holds for `len` tokens.
fn cells(len: f64, ratio: u32, preallocated: bool) -> f64 {
    if ratio == 0 {
        return 0.0;
    }
    let r = f64::from(ratio);
    if preallocated {
        let n = (len / r).ceil();
        if ratio <= 4 {
            (n / 256.0).ceil() * 256.0
        } else {
            n
        }
    } else {
        (len / r).floor()
    }
}

impl<'a> KvCache<'a> {
    /// The cache of `arch` on `runtime` with element type `kv` (`Auto` is resolved here).
    pub fn new(arch: &'a Architecture, runtime: Runtime, kv: KvCacheType) -> KvCache<'a> {
        let kv = kv.resolve(arch, runtime);
        let shape = match &arch.compressed {
            Some(c) => {
                let index_dim = arch.indexer.as_ref().map_or(0, |ix| ix.head_dim);
                let mut e = entry_bytes(c, index_dim, kv);
                e.preallocated = matches!(runtime, Runtime::LlamaCpp | Runtime::Ollama);
                Shape::Compressed(e)
            }
            None => Shape::PerToken {
                per_token: bytes_per_token(arch, MlaLayout::for_runtime(runtime), kv),
                index: f64::from(arch.layers) * indexer_key_bytes(arch),
                topk: arch
                    .indexer
                    .as_ref()
                    .filter(|_| arch.mla.is_some())
                    .map(|ix| ix.topk),
            },
        };
        KvCache { arch, shape }
    }

    /// Bytes one sequence keeps at a context of `len` tokens (llama.cpp: allocated for the window).
    pub fn bytes(&self, len: f64) -> f64 {
        match self.shape {
            Shape::PerToken { per_token, .. } => per_token * len,
            Shape::Compressed(e) => {
                let Some(c) = &self.arch.compressed else {
                    return 0.0;
                };
                let window = len.min(f64::from(c.sliding_window));
                let latent = f64::from(c.latent_dim);
                let index_dim = self
                    .arch
                    .indexer
                    .as_ref()
                    .map_or(0.0, |ix| f64::from(ix.head_dim));
                c.layer_kinds
                    .iter()
                    .map(|k| {
                        let n = f64::from(k.layers);
                        let mut per_layer = window * e.main;
                        if k.ratio > 0 && !k.reads_shared {
                            let entry = e.main + if k.indexed { e.index } else { 0.0 };
                            per_layer += cells(len, k.ratio, e.preallocated) * entry
                                + compressor_state_bytes(k.ratio, latent);
                            if k.indexed {
                                per_layer += compressor_state_bytes(k.ratio, index_dim);
                            }
                        }
                        n * per_layer
                    })
                    .sum()
            }
        }
    }

    /// Bytes decoding one token at `position` reads from this sequence's cache: all of it for
    /// dense attention; for sparse attention the indexer keys plus the top-k entries.
    pub fn bytes_read(&self, position: f64) -> f64 {
        match self.shape {
            Shape::PerToken {
                per_token,
                index,
                topk,
            } => match topk {
                Some(k) => index * position + (per_token - index) * position.min(f64::from(k)),
                None => per_token * position,
            },
            Shape::Compressed(e) => {
                let Some(c) = &self.arch.compressed else {
                    return 0.0;
                };
                self.compressed_reads(c, position, e.main, e.index)
            }
        }
    }

    /// (entries, index keys) a token attends to or scores at `position`, summed over layers, for
    /// compressed attention; weighted by `main` and `index` bytes.
    fn compressed_reads(
        &self,
        c: &CompressedAttention,
        position: f64,
        main: f64,
        index: f64,
    ) -> f64 {
        let topk = self
            .arch
            .indexer
            .as_ref()
            .map_or(f64::INFINITY, |ix| f64::from(ix.topk));
        let window = position.min(f64::from(c.sliding_window));
        // Shared caches are read at the density of the finest owning layer.
        let finest = c
            .layer_kinds
            .iter()
            .filter(|k| k.ratio > 0 && !k.reads_shared)
            .map(|k| k.ratio)
            .min()
            .unwrap_or(0);
        c.layer_kinds
            .iter()
            .map(|k| {
                let n = f64::from(k.layers);
                let own = if k.reads_shared {
                    cells(position, finest, false).min(topk) * main
                } else if k.ratio == 0 {
                    0.0
                } else {
                    let cells = cells(position, k.ratio, false);
                    if k.indexed {
                        cells * index + cells.min(topk) * main
                    } else {
                        cells * main
                    }
                };
                n * (window * main + own)
            })
            .sum()
    }

    /// Attention FLOPs for one token at `position`: scores and values over the entries attended,
    /// plus the indexer's scores over every key it ranks.
    pub fn attention_flops(&self, position: f64) -> f64 {
        let a = self.arch;
        let heads = f64::from(a.heads);
        let indexer_per_key = a
            .indexer
            .as_ref()
            .map_or(0.0, |ix| 2.0 * f64::from(ix.heads) * f64::from(ix.head_dim));
        match (&a.compressed, &a.mla, self.shape) {
            (Some(c), _, _) => {
                // K = V = one 512-wide latent: 2 × 2 × heads × latent FLOPs per entry attended.
                let per_entry = 4.0 * heads * f64::from(c.latent_dim);
                self.compressed_reads(c, position, per_entry, indexer_per_key)
            }
            (None, Some(m), Shape::PerToken { topk, .. }) => {
                // Absorbed MLA: scores over kv_lora + rope, values over kv_lora, per head.
                let per_pos = 2.0 * heads * f64::from(2 * m.kv_lora_rank + m.qk_rope_head_dim);
                let attended = topk.map_or(position, |k| position.min(f64::from(k)));
                f64::from(a.layers) * (per_pos * attended + indexer_per_key * position)
            }
            _ => f64::from(a.layers) * 4.0 * heads * f64::from(a.head_dim) * position,
        }
    }

    /// Bytes per token beyond the window (the growth rate of `bytes`), for display.
    pub fn slope(&self) -> f64 {
        match self.shape {
            Shape::PerToken { per_token, .. } => per_token,
            Shape::Compressed(_) => {
                let far = 1_048_576.0;
                (self.bytes(2.0 * far) - self.bytes(far)) / far
            }
        }
    }
}
