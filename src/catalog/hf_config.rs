//! A model from a Hugging Face `config.json`: Llama, Qwen2/2.5, Qwen3, Mistral-style dense configs,
//! DeepSeek-V2/V3 MoE+MLA configs and DeepSeek-V4/V4.1 compressed-attention configs. Errors name
//! the file, position and field.

use super::schema::{
    Architecture, CompressedAttention, Confidence, Engram, Indexer, LayerKind, Mla, ModelEntry, Moe,
};
use serde_json::Value;
use std::path::Path;

/// Largest size, count or length accepted for any `config.json` field (2^24): above every real
/// model by orders of magnitude, and low enough that no product of sizes overflows.
const MAX_FIELD: u64 = 1 << 24;

/// A config.json that could not be read or understood.
pub type ConfigError = crate::fsutil::FileError;

/// Reads and converts a `config.json` file.
pub fn load(path: &Path) -> Result<ModelEntry, ConfigError> {
    let (text, file) = crate::fsutil::read_text(path)?;
    from_json(&text, &file)
}

/// Converts `config.json` text; `file` is used in messages.
pub fn from_json(text: &str, file: &str) -> Result<ModelEntry, ConfigError> {
    let err = |message: String| ConfigError {
        file: file.to_string(),
        message,
    };
    let v: Value = serde_json::from_str(text).map_err(|e| {
        err(format!(
            "line {}, column {}: invalid JSON: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let obj = v
        .as_object()
        .ok_or_else(|| err("the top level must be a JSON object".into()))?;
    // Multimodal configs nest the language model (`text_config`); use it when present.
    let cfg = obj
        .get("text_config")
        .and_then(Value::as_object)
        .unwrap_or(obj);
    let model_type = cfg
        .get("model_type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();

    let uint = |field: &str| -> Result<u32, ConfigError> {
        match cfg.get(field) {
            None | Some(Value::Null) => Err(err(format!("missing field `{field}`"))),
            Some(x) => x
                .as_u64()
                .filter(|&n| n > 0 && n <= MAX_FIELD)
                .map(|n| n as u32)
                .ok_or_else(|| {
                    err(format!(
                        "field `{field}` must be a positive integer up to {MAX_FIELD}, got {x}"
                    ))
                }),
        }
    };
    let opt_uint = |field: &str| -> Result<Option<u32>, ConfigError> {
        match cfg.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(x) if x.as_u64() == Some(0) => Ok(None),
            Some(_) => uint(field).map(Some),
        }
    };
    let flag = |field: &str| cfg.get(field).and_then(Value::as_bool).unwrap_or(false);

    let layers = uint("num_hidden_layers")?;
    let hidden = uint("hidden_size")?;
    let heads = uint("num_attention_heads")?;
    let kv_heads = opt_uint("num_key_value_heads")?.unwrap_or(heads);
    if kv_heads > heads {
        return Err(err(format!(
            "field `num_key_value_heads` ({kv_heads}) exceeds `num_attention_heads` ({heads})"
        )));
    }
    let head_dim = match opt_uint("head_dim")? {
        Some(d) => d,
        None => {
            if hidden % heads != 0 {
                return Err(err(format!(
                    "missing field `head_dim` and `hidden_size` {hidden} is not divisible by `num_attention_heads` {heads}"
                )));
            }
            hidden / heads
        }
    };
    let vocab = uint("vocab_size")?;
    let max_context = uint("max_position_embeddings")?;
    let is_deepseek = model_type.starts_with("deepseek");
    let mla = if is_deepseek && cfg.contains_key("kv_lora_rank") && !cfg["kv_lora_rank"].is_null() {
        Some(Mla {
            q_lora_rank: opt_uint("q_lora_rank")?,
            kv_lora_rank: uint("kv_lora_rank")?,
            qk_nope_head_dim: uint("qk_nope_head_dim")?,
            qk_rope_head_dim: uint("qk_rope_head_dim")?,
            v_head_dim: uint("v_head_dim")?,
        })
    } else {
        None
    };
    let routed = opt_uint("n_routed_experts")?;
    let moe = match routed {
        Some(routed_experts) => Some(Moe {
            routed_experts,
            shared_experts: opt_uint("n_shared_experts")?.unwrap_or(0),
            experts_per_token: uint("num_experts_per_tok")?,
            first_dense_layers: opt_uint("first_k_dense_replace")?.unwrap_or(0),
            expert_intermediate: uint("moe_intermediate_size")?,
        }),
        None => None,
    };
    if let Some(m) = &moe {
        if m.experts_per_token > m.routed_experts {
            return Err(err(format!(
                "field `num_experts_per_tok` ({}) exceeds `n_routed_experts` ({})",
                m.experts_per_token, m.routed_experts
            )));
        }
    }
    let indexer = match opt_uint("index_n_heads")? {
        Some(h) => Some(Indexer {
            heads: h,
            head_dim: uint("index_head_dim")?,
            topk: opt_uint("index_topk")?.unwrap_or(0),
        }),
        None => None,
    };
    let compressed = compressed_attention(cfg, layers, &err)?;
    let engram = match cfg.get("engram_num_embeddings") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let rows: Option<u64> = match v {
                Value::Array(items) => items.iter().map(Value::as_u64).sum(),
                other => other.as_u64(),
            };
            let rows = rows.filter(|&r| r > 0).ok_or_else(|| {
                err(
                    "field `engram_num_embeddings` must be a positive integer or a list of them"
                        .into(),
                )
            })?;
            Some(Engram {
                rows,
                dim: opt_uint("engram_head_dim")?.unwrap_or(head_dim),
                rows_per_token: ENGRAM_ROWS_PER_TOKEN,
            })
        }
    };
    let dspark_stages = cfg
        .get("dspark_target_layer_ids")
        .and_then(Value::as_array)
        .map_or(0, |a| a.len() as u32);
    let arch = Architecture {
        layers,
        hidden,
        intermediate: uint("intermediate_size")?,
        heads,
        kv_heads,
        head_dim,
        vocab,
        max_context,
        tied_embeddings: flag("tie_word_embeddings"),
        // Qwen2 adds q/k/v biases without a config flag; others say `attention_bias`.
        attention_bias: flag("attention_bias") || model_type == "qwen2",
        qk_norm: model_type.starts_with("qwen3"),
        mla,
        moe,
        mtp_layers: opt_uint("num_nextn_predict_layers")?
            .unwrap_or(0)
            .max(dspark_stages),
        indexer,
        compressed,
        mtp_routed_experts: None,
        engram,
        vision_params: 0.0,
    };
    let name = cfg
        .get("_name_or_path")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| {
            Path::new(file)
                .parent()
                .and_then(|p| p.file_name())
                .map(|s| s.to_string_lossy().into_owned())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "custom-model".into())
        });
    let dtype = cfg
        .get("torch_dtype")
        .or_else(|| cfg.get("dtype"))
        .and_then(Value::as_str)
        .unwrap_or("bfloat16");
    let id = name
        .to_ascii_lowercase()
        .rsplit('/')
        .next()
        .unwrap_or("custom-model")
        .to_string();
    let native_dtype = match dtype {
        "float32" => "F32",
        "float16" => "F16",
        _ => "BF16",
    };
    let mut model = ModelEntry::custom(
        id,
        name.clone(),
        arch,
        "config.json",
        format!("{file} (model_type `{model_type}`)"),
        Confidence::Derived,
    );
    model.hf_repo = name;
    model.native_dtype = native_dtype.into();
    Ok(model)
}

/// Engram rows read per token when a config does not say (UNVERIFIED; as in models.ron).
const ENGRAM_ROWS_PER_TOKEN: u32 = 32;

/// V4-style attention from `compress_ratios` (one entry per layer; trailing MTP entries ignored),
/// `sliding_window`, the low-rank query/output fields and, for V4.1, `kv_source_layer_ids` and
/// `index_source_layer_ids`. `None` when the config has no `compress_ratios`.
fn compressed_attention(
    cfg: &serde_json::Map<String, Value>,
    layers: u32,
    err: &dyn Fn(String) -> ConfigError,
) -> Result<Option<CompressedAttention>, ConfigError> {
    let Some(ratios) = cfg.get("compress_ratios").and_then(Value::as_array) else {
        return Ok(None);
    };
    let field = |name: &str| -> Result<u32, ConfigError> {
        cfg.get(name)
            .and_then(Value::as_u64)
            .filter(|&n| n > 0 && n <= u64::from(u32::MAX))
            .map(|n| n as u32)
            .ok_or_else(|| err(format!("field `{name}` must be a positive integer")))
    };
    let ids = |name: &str| -> Option<Vec<u64>> {
        cfg.get(name)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_u64).collect())
    };
    if (ratios.len() as u64) < u64::from(layers) {
        return Err(err(format!(
            "field `compress_ratios` has {} entries for {layers} layers",
            ratios.len()
        )));
    }
    let owners = ids("kv_source_layer_ids");
    let indexed_layers = ids("index_source_layer_ids");
    let mut kinds: Vec<LayerKind> = Vec::new();
    for (i, r) in ratios.iter().take(layers as usize).enumerate() {
        let ratio = r.as_u64().filter(|&n| n <= 1 << 20).ok_or_else(|| {
            err(format!(
                "`compress_ratios[{i}]` must be a non-negative integer"
            ))
        })? as u32;
        let i = i as u64;
        let owns = owners.as_ref().is_none_or(|o| o.contains(&i));
        let kind = LayerKind {
            layers: 1,
            ratio: if owns { ratio } else { 0 },
            // V4: the lightning indexer sits on the CSA (ratio 4) layers; V4.1 lists its layers.
            indexed: owns
                && match &indexed_layers {
                    Some(ix) => ix.contains(&i),
                    None => ratio == 4,
                },
            reads_shared: !owns && ratio > 0,
        };
        match kinds.iter_mut().find(|k| {
            k.ratio == kind.ratio
                && k.indexed == kind.indexed
                && k.reads_shared == kind.reads_shared
        }) {
            Some(k) => k.layers += 1,
            None => kinds.push(kind),
        }
    }
    Ok(Some(CompressedAttention {
        latent_dim: field("head_dim")?,
        rope_dim: field("qk_rope_head_dim")?,
        q_lora_rank: field("q_lora_rank")?,
        o_groups: field("o_groups")?,
        o_lora_rank: field("o_lora_rank")?,
        sliding_window: field("sliding_window")?,
        hc_mult: cfg.get("hc_mult").and_then(Value::as_u64).unwrap_or(1) as u32,
        hash_layers: cfg
            .get("num_hash_layers")
            .and_then(Value::as_u64)
            .unwrap_or(0) as u32,
        layer_kinds: kinds,
    }))
}
