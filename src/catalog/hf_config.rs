//! A model from a Hugging Face `config.json`: Llama, Qwen2/2.5, Qwen3, Mistral-style dense configs
//! and DeepSeek-V2/V3 MoE+MLA configs. Errors name the file, position and field.

use super::schema::{Architecture, Confidence, Indexer, Mla, ModelEntry, ModelRole, Moe};
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
        mtp_layers: opt_uint("num_nextn_predict_layers")?.unwrap_or(0),
        indexer,
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
    Ok(ModelEntry {
        id: name
            .to_ascii_lowercase()
            .rsplit('/')
            .next()
            .unwrap_or("custom-model")
            .to_string(),
        name: name.clone(),
        role: ModelRole::Custom,
        hf_repo: name,
        ollama_tags: Vec::new(),
        released: String::new(),
        license: "unknown (from config.json)".into(),
        native_dtype: match dtype {
            "float32" => "F32",
            "float16" => "F16",
            _ => "BF16",
        }
        .into(),
        official_total_params_b: None,
        official_active_params_b: None,
        official_context: max_context,
        arch,
        quality: Vec::new(),
        published_sizes: Vec::new(),
        source: format!("{file} (model_type `{model_type}`)"),
        confidence: Confidence::Derived,
        notes: vec!["parameters computed from config.json".into()],
    })
}
