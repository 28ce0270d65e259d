//! KV-cache bytes per token (models.md §6): GQA/MHA, MLA latent or naive (decided by the runtime),
//! the V3.2 indexer cache, and KV quantization.

use crate::catalog::schema::{Architecture, Runtime};
use std::fmt;
use std::str::FromStr;

/// Element type of the KV cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KvCacheType {
    /// 16-bit (the default of every runtime here).
    #[default]
    F16,
    /// llama.cpp q8_0: 34 bytes per 32 elements.
    Q8_0,
    /// llama.cpp q4_0: 18 bytes per 32 elements.
    Q4_0,
    /// vLLM / SGLang fp8 (e4m3): 1 byte per element.
    Fp8,
}

impl KvCacheType {
    pub const ALL: [KvCacheType; 4] = [
        KvCacheType::F16,
        KvCacheType::Q8_0,
        KvCacheType::Q4_0,
        KvCacheType::Fp8,
    ];

    pub fn bytes_per_element(self) -> f64 {
        match self {
            KvCacheType::F16 => 2.0,
            KvCacheType::Q8_0 => 34.0 / 32.0,
            KvCacheType::Q4_0 => 18.0 / 32.0,
            KvCacheType::Fp8 => 1.0,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            KvCacheType::F16 => "f16",
            KvCacheType::Q8_0 => "q8_0",
            KvCacheType::Q4_0 => "q4_0",
            KvCacheType::Fp8 => "fp8",
        }
    }

    /// Whether `runtime` offers this cache type.
    pub fn supported_by(self, runtime: Runtime) -> bool {
        match self {
            KvCacheType::F16 => true,
            KvCacheType::Q8_0 | KvCacheType::Q4_0 => {
                matches!(runtime, Runtime::LlamaCpp | Runtime::Ollama)
            }
            KvCacheType::Fp8 => matches!(runtime, Runtime::Vllm | Runtime::Sglang),
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
            .ok_or_else(|| format!("unknown KV cache type `{s}` (expected f16, q8_0, q4_0 or fp8)"))
    }
}

/// How an MLA model's cache is laid out under a runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MlaLayout {
    /// Compressed latent + rope key: kv_lora_rank + qk_rope_head_dim per layer (vLLM, SGLang,
    /// KTransformers, llama.cpp after PR #19067).
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
            Runtime::LlamaCpp | Runtime::Vllm | Runtime::Sglang | Runtime::Ktransformers => {
                MlaLayout::Latent
            }
        }
    }
}

/// KV-cache bytes for one token of one sequence.
pub fn bytes_per_token(a: &Architecture, layout: MlaLayout, kv: KvCacheType) -> f64 {
    let layers = f64::from(a.layers);
    let b = kv.bytes_per_element();
    match &a.mla {
        Some(m) => {
            let elems = match layout {
                MlaLayout::Latent => f64::from(m.kv_lora_rank + m.qk_rope_head_dim),
                MlaLayout::LatentWithV => f64::from(2 * m.kv_lora_rank + m.qk_rope_head_dim),
                MlaLayout::Naive => {
                    f64::from(a.heads)
                        * f64::from(m.qk_nope_head_dim + m.qk_rope_head_dim + m.v_head_dim)
                }
            };
            // V3.2 lightning indexer: an FP8 key of index_head_dim plus one fp32 scale per
            // 128-element block, per token per layer (models.md §6), whatever the KV type.
            let indexer = a.indexer.as_ref().map_or(0.0, |ix| {
                let dim = f64::from(ix.head_dim);
                dim + 4.0 * (dim / 128.0).ceil()
            });
            layers * (elems * b + indexer)
        }
        None => 2.0 * layers * f64::from(a.kv_heads) * f64::from(a.head_dim) * b,
    }
}
