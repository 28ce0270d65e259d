//! The architecture a model file describes, in the catalog's terms (`Architecture`): from GGUF
//! metadata keys (`{arch}.block_count`, `.attention.kv_lora_rank`, `.expert_count`, …) or from
//! a checkpoint's `config.json` (via `catalog::hf_config`). Architectures whose attention the
//! estimator cannot describe yet (DeepSeek V4's compressed attention, hybrids) are refused with
//! the reason, rather than guessed.

use super::metadata::Metadata;
use super::tensor::Tensor;
use crate::catalog::schema::{Architecture, Indexer, Mla, Moe};

/// GGUF `general.architecture` values whose attention is plain GQA/MHA or MLA, with an optional
/// dense or MoE FFN: what the estimator models.
pub const GGUF_SUPPORTED: [&str; 8] = [
    "llama",
    "mistral",
    "qwen2",
    "qwen3",
    "qwen2moe",
    "qwen3moe",
    "deepseek",
    "deepseek2",
];

/// Hugging Face `model_type` values `catalog::hf_config` converts faithfully.
pub const HF_SUPPORTED: [&str; 7] = [
    "llama",
    "mistral",
    "qwen2",
    "qwen3",
    "deepseek_v2",
    "deepseek_v3",
    "deepseek_v32",
];

/// Why a file's architecture cannot be estimated.
pub fn unsupported(kind: &str) -> String {
    format!(
        "architecture `{kind}` is not yet supported by the estimator (its attention or layer layout differs from the GQA/MLA models it describes); sizes are exact, placement and speed are not estimated"
    )
}

fn has(tensors: &[Tensor], name: &str) -> bool {
    tensors.iter().any(|t| t.name == name)
}

/// Multi-token-prediction layers in a GGUF file: `{arch}.nextn_predict_layers`.
pub fn gguf_mtp_layers(meta: &Metadata) -> u64 {
    meta.arch_u64("nextn_predict_layers").unwrap_or(0)
}

/// The first MTP layer index of a GGUF file, if it has MTP layers.
pub fn gguf_mtp_from(meta: &Metadata) -> Option<u64> {
    let nextn = gguf_mtp_layers(meta);
    let blocks = meta.arch_u64("block_count")?;
    (nextn > 0 && nextn < blocks).then(|| blocks - nextn)
}

/// The architecture of a GGUF file from its metadata and tensor names.
pub fn from_gguf(meta: &Metadata, tensors: &[Tensor]) -> Result<Architecture, String> {
    let kind = meta
        .architecture()
        .ok_or("the file has no `general.architecture` key")?;
    if !GGUF_SUPPORTED.contains(&kind) {
        return Err(unsupported(kind));
    }
    let u32_of = |v: u64, key: &str| {
        u32::try_from(v).map_err(|_| format!("`{kind}.{key}` = {v} is out of range"))
    };
    let need = |key: &str| -> Result<u32, String> {
        match meta.arch_u64(key) {
            Some(v) if v > 0 => u32_of(v, key),
            _ => Err(format!("the file has no valid `{kind}.{key}` key")),
        }
    };
    let opt = |key: &str| -> Result<Option<u32>, String> {
        match meta.arch_u64(key) {
            Some(v) if v > 0 => u32_of(v, key).map(Some),
            _ => Ok(None),
        }
    };
    let blocks = need("block_count")?;
    let mtp_layers = u32_of(gguf_mtp_layers(meta), "nextn_predict_layers")?;
    let layers = blocks
        .checked_sub(mtp_layers)
        .filter(|l| *l > 0)
        .ok_or_else(|| {
            format!(
                "`{kind}.nextn_predict_layers` ({mtp_layers}) leaves no main layers of {blocks}"
            )
        })?;
    let hidden = need("embedding_length")?;
    let heads = need("attention.head_count")?;
    let kv_heads = opt("attention.head_count_kv")?.unwrap_or(heads);
    let vocab = match opt("vocab_size")? {
        Some(v) => v,
        None => tensors
            .iter()
            .find(|t| t.name == "token_embd.weight")
            .and_then(|t| t.shape.get(1).copied())
            .or_else(|| {
                meta.get("tokenizer.ggml.tokens").and_then(|v| match v {
                    super::metadata::Value::Array { len, .. } => Some(*len),
                    _ => None,
                })
            })
            .map(|v| u32_of(v, "vocab_size"))
            .transpose()?
            .ok_or("the file gives no vocabulary size (no vocab_size, token_embd or tokens)")?,
    };
    let mla = match opt("attention.kv_lora_rank")? {
        None => None,
        Some(kv_lora_rank) => {
            let rope = need("rope.dimension_count")?;
            let key = opt("attention.key_length_mla")?
                .map_or_else(|| need("attention.key_length"), Ok)?;
            let value = opt("attention.value_length_mla")?
                .map_or_else(|| need("attention.value_length"), Ok)?;
            let nope = key.checked_sub(rope).filter(|n| *n > 0).ok_or_else(|| {
                format!("MLA key length {key} is not larger than the rope dimension {rope}")
            })?;
            Some(Mla {
                q_lora_rank: opt("attention.q_lora_rank")?,
                kv_lora_rank,
                qk_nope_head_dim: nope,
                qk_rope_head_dim: rope,
                v_head_dim: value,
            })
        }
    };
    let head_dim = match &mla {
        Some(m) => m.v_head_dim,
        None => match opt("attention.key_length")? {
            Some(k) => k,
            None => hidden / heads,
        },
    };
    let moe = match opt("expert_count")? {
        None => None,
        Some(routed_experts) => {
            let experts_per_token = need("expert_used_count")?;
            if experts_per_token > routed_experts {
                return Err(format!(
                    "`{kind}.expert_used_count` ({experts_per_token}) exceeds `{kind}.expert_count` ({routed_experts})"
                ));
            }
            Some(Moe {
                routed_experts,
                shared_experts: opt("expert_shared_count")?.unwrap_or(0),
                experts_per_token,
                first_dense_layers: opt("leading_dense_block_count")?.unwrap_or(0),
                expert_intermediate: need("expert_feed_forward_length")?,
            })
        }
    };
    let indexer = match opt("attention.indexer.head_count")? {
        None => None,
        Some(h) => Some(Indexer {
            heads: h,
            head_dim: need("attention.indexer.key_length")?,
            topk: opt("attention.indexer.top_k")?.unwrap_or(0),
        }),
    };
    Ok(Architecture {
        layers,
        hidden,
        intermediate: opt("feed_forward_length")?.unwrap_or(0),
        heads,
        kv_heads,
        head_dim,
        vocab,
        max_context: need("context_length")?,
        tied_embeddings: !has(tensors, "output.weight"),
        attention_bias: has(tensors, "blk.0.attn_q.bias"),
        qk_norm: has(tensors, "blk.0.attn_q_norm.weight"),
        mla,
        moe,
        mtp_layers,
        indexer,
        compressed: None,
        mtp_routed_experts: None,
        engram: None,
        vision_params: 0.0,
    })
}
