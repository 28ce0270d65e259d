//! Typed shape of the RON catalogs in `assets/catalog/`.
//!
//! This file depends on serde only: `build.rs` includes it with `#[path]` so that a catalog which does
//! not match these types fails the build with the file, line, column and field.

use serde::{Deserialize, Serialize};

/// How sure a catalog value is (see `shared/reference/models.md`, "Conventions").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Confidence {
    /// Read from a primary source.
    Verified,
    /// Read from a faithful third-party copy of a primary source.
    Mirror,
    /// Computed by arithmetic from sourced numbers.
    Derived,
    /// Best knowledge, not confirmed by a source: shown to users as an estimate.
    Unverified,
    /// Only a weak source (content-farm blog, unattributed excerpt).
    Low,
}

impl Confidence {
    /// True where the value must be presented as an estimate.
    pub fn is_estimate(self) -> bool {
        matches!(
            self,
            Confidence::Derived | Confidence::Unverified | Confidence::Low
        )
    }
}

/// Inference engines the estimator models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Runtime {
    LlamaCpp,
    Ollama,
    Vllm,
    Sglang,
    Ktransformers,
    /// antirez's DwarfStar 4: a DeepSeek-V4 engine (Metal first; CUDA incl. DGX Spark; ROCm branch)
    /// with its own GGUFs, SSD streaming of routed experts and on-disk KV.
    Ds4,
    /// Apple's MLX (mlx-lm / oMLX / mlx-vlm): Apple Silicon only.
    Mlx,
    /// NVIDIA TensorRT-LLM (trtllm-serve, Dynamo): NVIDIA data-centre and workstation GPUs.
    TensorrtLlm,
}

impl Runtime {
    pub const ALL: [Runtime; 8] = [
        Runtime::LlamaCpp,
        Runtime::Ollama,
        Runtime::Vllm,
        Runtime::Sglang,
        Runtime::Ktransformers,
        Runtime::Ds4,
        Runtime::Mlx,
        Runtime::TensorrtLlm,
    ];

    /// The spelling used on the command line and in JSON.
    pub fn cli_name(self) -> &'static str {
        match self {
            Runtime::LlamaCpp => "llama.cpp",
            Runtime::Ollama => "ollama",
            Runtime::Vllm => "vllm",
            Runtime::Sglang => "sglang",
            Runtime::Ktransformers => "ktransformers",
            Runtime::Ds4 => "ds4",
            Runtime::Mlx => "mlx",
            Runtime::TensorrtLlm => "tensorrt-llm",
        }
    }

    /// Batched servers that allocate a KV pool from a memory-utilization share and shard layers
    /// by tensor parallelism (vLLM, SGLang, TensorRT-LLM).
    pub fn is_serving_engine(self) -> bool {
        matches!(self, Runtime::Vllm | Runtime::Sglang | Runtime::TensorrtLlm)
    }

    /// Runtimes that drive one device and never offload to RAM (ds4, MLX).
    pub fn is_single_device(self) -> bool {
        matches!(self, Runtime::Ds4 | Runtime::Mlx)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Currency {
    #[serde(alias = "USD")]
    Usd,
    #[serde(alias = "CNY", alias = "RMB")]
    Cny,
}

// ---------------------------------------------------------------------------------------------
// models.ron
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelCatalog {
    pub models: Vec<ModelEntry>,
}

/// Whether a model is one users choose, or a non-DeepSeek model kept to calibrate the estimator
/// against published measurements (Llama-2 7B, Llama-3 8B/70B, Qwen3-8B).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModelRole {
    DeepSeek,
    Reference,
    /// Read from a user's `config.json` (never in the catalog files).
    Custom,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    /// Lower-case Hugging Face repo name: `deepseek-r1`, `deepseek-r1-distill-qwen-32b`.
    pub id: String,
    /// Display name: `DeepSeek-R1`.
    pub name: String,
    pub role: ModelRole,
    /// `deepseek-ai/DeepSeek-R1`.
    pub hf_repo: String,
    /// `architectures[0]` of the checkpoint's `config.json` (`DeepseekV3ForCausalLM`): what the
    /// engines' model registries are keyed by. Empty where unknown.
    #[serde(default)]
    pub architecture: String,
    /// Ollama tags that resolve to this model (`deepseek-r1:671b`); may be empty.
    #[serde(default)]
    pub ollama_tags: Vec<String>,
    /// Ollama tags that only run on Ollama's cloud (`deepseek-v4-flash:cloud`): they name the model
    /// but download no weights.
    #[serde(default)]
    pub ollama_cloud_tags: Vec<String>,
    /// Release date `YYYY-MM-DD` (or `YYYY-MM`).
    pub released: String,
    pub license: String,
    /// Dtype of the official checkpoint: `FP8`, `BF16`, `FP4+FP8`.
    pub native_dtype: String,
    /// Bits per weight of the routed experts as released, where narrower than the rest (V4: MXFP4,
    /// 4.25): GGUF conversions keep them at that width.
    #[serde(default)]
    pub routed_native_bpw: Option<f64>,
    /// Parameter counts as the publisher states them, in billions (for display beside the derived
    /// count). `None` where the publisher gives none.
    pub official_total_params_b: Option<f64>,
    pub official_active_params_b: Option<f64>,
    /// The parameter count Hugging Face's page showed where it differs from the real one (V4's
    /// packed FP4 experts were counted as one parameter per byte: "158B" for 284B).
    #[serde(default)]
    pub hf_displayed_params_b: Option<f64>,
    /// The model a distill was trained from (`Qwen2.5-Math-7B`): the weights are that model's, taught
    /// by the teacher named in `name`.
    #[serde(default)]
    pub distilled_into: Option<String>,
    /// Context length the publisher supports (tokens).
    pub official_context: u32,
    pub arch: Architecture,
    #[serde(default)]
    pub quality: Vec<QualityScore>,
    #[serde(default)]
    pub published_sizes: Vec<PublishedSize>,
    /// Quants published for this model (quants.ron ids). Empty: any quant a converter can make.
    /// Models whose files are a fixed set of releases (V4) list them, and others are refused.
    #[serde(default)]
    pub quants: Vec<String>,
    /// Runtimes that run this model, with the first version and caveats. Empty: every runtime
    /// that loads the quant. A runtime not listed is refused, naming the ones listed.
    #[serde(default)]
    pub runtimes: Vec<RuntimeSupport>,
    /// Speculative decoding the checkpoint carries: MTP layers (`num_nextn_predict_layers`) or a
    /// DSpark module; `None` when it ships neither.
    #[serde(default)]
    pub speculative: Option<SpeculativeKind>,
    /// How the weights were tuned: a chat model (the default), a pretrained base, R1-Zero's RL
    /// straight from the base, or a specialist (Lean 4 proofs).
    #[serde(default)]
    pub tuning: Tuning,
    /// Other repositories that publish this model's weights in one quant (`nvidia/…-NVFP4`):
    /// `--model` accepts them too.
    #[serde(default)]
    pub file_repos: Vec<FileRepo>,
    /// Zipf exponent of how unevenly a decoding session uses the routed experts, where measured
    /// (`estimate::expert_cache`); `None` = the default (1).
    #[serde(default)]
    pub expert_popularity_zipf: Option<f64>,
    /// Source keys from `shared/reference/models.md` §9, e.g. `S1 configs/config_671B.json, S10`.
    pub source: String,
    /// Confidence of the architecture numbers as a whole.
    pub confidence: Confidence,
    /// Caveats, including which individual fields are UNVERIFIED.
    #[serde(default)]
    pub notes: Vec<String>,
}

impl ModelEntry {
    /// A model that is not in the catalog, known only by its architecture read from `origin`
    /// (`config.json`, `the model file`): no tags, no published files, every quant and runtime
    /// allowed, license unknown. `source` names the file.
    pub fn custom(
        id: String,
        name: String,
        arch: Architecture,
        origin: &str,
        source: String,
        confidence: Confidence,
    ) -> ModelEntry {
        ModelEntry {
            id,
            name,
            role: ModelRole::Custom,
            hf_repo: String::new(),
            architecture: String::new(),
            ollama_tags: Vec::new(),
            ollama_cloud_tags: Vec::new(),
            released: String::new(),
            license: format!("unknown (from {origin})"),
            native_dtype: String::new(),
            routed_native_bpw: None,
            official_total_params_b: None,
            official_active_params_b: None,
            hf_displayed_params_b: None,
            distilled_into: None,
            official_context: arch.max_context,
            arch,
            quality: Vec::new(),
            published_sizes: Vec::new(),
            quants: Vec::new(),
            runtimes: Vec::new(),
            speculative: None,
            tuning: Tuning::Chat,
            file_repos: Vec::new(),
            expert_popularity_zipf: None,
            source,
            confidence,
            notes: vec![format!("architecture read from {origin}")],
        }
    }
}

/// How a checkpoint was tuned, which decides whether it answers like an assistant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Tuning {
    /// Instruction- or chat-tuned: answers requests.
    #[default]
    Chat,
    /// Pretrained only: continues text, does not follow instructions.
    Base,
    /// Reinforcement learning straight from the base, without supervised chat tuning (R1-Zero).
    Zero,
    /// Tuned for one task (Lean 4 theorem proving), not for conversation.
    Prover,
}

impl Tuning {
    pub fn json_name(self) -> &'static str {
        match self {
            Tuning::Chat => "chat",
            Tuning::Base => "base",
            Tuning::Zero => "zero",
            Tuning::Prover => "prover",
        }
    }
}

/// A repository that publishes a model's weights in one quant.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRepo {
    /// `nvidia/DeepSeek-V4.1-Flash-1017-NVFP4`.
    pub repo: String,
    /// quants.ron id of the files.
    pub quant: String,
    pub publisher: String,
    pub source: String,
    pub confidence: Confidence,
}

/// How well a runtime supports a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SupportLevel {
    /// In the runtime's own releases.
    Mainline,
    /// Only in a fork or an unmerged branch: runs, but the user has to build it.
    Fork,
}

/// One row of a model's runtime support matrix.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeSupport {
    pub runtime: Runtime,
    pub level: SupportLevel,
    /// First version (or PR, or fork) that runs the model: `v0.20.0`, `PR #24162`.
    pub since: String,
    /// The first released version that loads the model, as the engine numbers its releases
    /// (`0.30.0`), where it was checked against the release's own model registry; deployment
    /// export refuses an older pinned engine and names this one.
    #[serde(default)]
    pub release: Option<String>,
    /// Caveats shown with estimates on this runtime.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Speculative decoding this runtime offers for the model.
    #[serde(default)]
    pub speculative: Vec<SpeculativeKind>,
    pub source: String,
}

/// Speculative decoding methods of the DeepSeek family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SpeculativeKind {
    /// Multi-token prediction layers (V3/R1/V4 preview: one `mtp.0` layer).
    Mtp,
    /// DeepSeek's DSpark module (V4-Flash-0731, V4-Pro-0813, V4.1-Flash; DeepSpec, 2026-06).
    Dspark,
}

impl SpeculativeKind {
    pub fn cli_name(self) -> &'static str {
        match self {
            SpeculativeKind::Mtp => "mtp",
            SpeculativeKind::Dspark => "dspark",
        }
    }
}

/// Architecture numbers as in the Hugging Face `config.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Architecture {
    /// `num_hidden_layers` (main model, without MTP layers).
    pub layers: u32,
    /// `hidden_size`.
    pub hidden: u32,
    /// Dense FFN `intermediate_size`.
    pub intermediate: u32,
    /// `num_attention_heads`.
    pub heads: u32,
    /// `num_key_value_heads`.
    pub kv_heads: u32,
    /// Head dimension for GQA/MHA models (`head_dim`, else hidden / heads). For MLA models this is
    /// the nominal value from the config and is not used for the KV cache.
    pub head_dim: u32,
    /// `vocab_size`.
    pub vocab: u32,
    /// `max_position_embeddings`.
    pub max_context: u32,
    /// `tie_word_embeddings`: the output head shares the embedding matrix.
    #[serde(default)]
    pub tied_embeddings: bool,
    /// Bias on the q/k/v projections (Qwen2 family).
    #[serde(default)]
    pub attention_bias: bool,
    /// Per-head RMSNorm on q and k (Qwen3 family).
    #[serde(default)]
    pub qk_norm: bool,
    /// Multi-head latent attention (DeepSeek-V2/V3 lineage).
    #[serde(default)]
    pub mla: Option<Mla>,
    /// Mixture of experts.
    #[serde(default)]
    pub moe: Option<Moe>,
    /// `num_nextn_predict_layers`: multi-token-prediction layers shipped in the checkpoint.
    #[serde(default)]
    pub mtp_layers: u32,
    /// DeepSeek sparse-attention lightning indexer (V3.2's DSA; V4's CSA layers).
    #[serde(default)]
    pub indexer: Option<Indexer>,
    /// Per-layer compressed attention (DeepSeek V4 / V4.1); `None` for GQA, MHA and MLA.
    #[serde(default)]
    pub compressed: Option<CompressedAttention>,
    /// Routed experts per MTP/DSpark layer where they differ from the main model's (V4.1's DSpark
    /// blocks carry 128-expert MoEs).
    #[serde(default)]
    pub mtp_routed_experts: Option<u32>,
    /// Engram n-gram memory tables (V4.1): looked up a few rows per token, never multiplied.
    #[serde(default)]
    pub engram: Option<Engram>,
    /// Parameters of a vision encoder shipped in the checkpoint (read per image, not per token).
    #[serde(default)]
    pub vision_params: f64,
}

/// DeepSeek V4-style attention: one shared 512-wide latent (K = V) per token, a sliding window on
/// every layer, and per-layer compression of older tokens (models-2026.md §2b–§2c, §4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompressedAttention {
    /// `head_dim`: width of one cached entry, 512.
    pub latent_dim: u32,
    /// `qk_rope_head_dim`: the RoPE share of the entry, 64 (kept 16-bit in FP8 cache layouts).
    pub rope_dim: u32,
    /// `q_lora_rank`.
    pub q_lora_rank: u32,
    /// `o_groups` × `o_lora_rank`: the grouped low-rank output projection.
    pub o_groups: u32,
    pub o_lora_rank: u32,
    /// `sliding_window`: the most recent tokens every layer keeps uncompressed.
    pub sliding_window: u32,
    /// `hc_mult`: hyper-connection residual streams (mHC; small F32 mixing weights per layer).
    pub hc_mult: u32,
    /// `num_hash_layers`: the first MoE layers route by a frozen token-id table (`tid2eid`, I64).
    #[serde(default)]
    pub hash_layers: u32,
    /// The layer kinds, in any order; their layer counts add up to `layers`.
    pub layer_kinds: Vec<LayerKind>,
}

/// Layers that cache the same way (one `compress_ratios` value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerKind {
    /// How many layers are of this kind.
    pub layers: u32,
    /// Tokens per compressed entry: 4 for CSA, 128 for HCA, 2 or 1 for V4.1's owning layers;
    /// 0 for layers that keep only the sliding window.
    pub ratio: u32,
    /// Compressed entries carry a lightning-indexer key and decode attends to the top-k entries
    /// (`indexer.topk`) instead of all of them.
    #[serde(default)]
    pub indexed: bool,
    /// The layer keeps no compressed cache of its own but attends to the top-k entries of the
    /// caches owning layers hold (V4.1's `kv_source_layer_ids`).
    #[serde(default)]
    pub reads_shared: bool,
}

/// V4.1's Engram memory: hashed n-gram embedding tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Engram {
    /// Sum of `engram_num_embeddings` over the Engram layers.
    pub rows: u64,
    /// Width of a row (`engram head_dim`).
    pub dim: u32,
    /// Rows read per token (UNVERIFIED: n-gram orders × hash heads × layers).
    pub rows_per_token: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mla {
    /// `q_lora_rank`; `None` where the query uses a full projection (V2-Lite).
    pub q_lora_rank: Option<u32>,
    pub kv_lora_rank: u32,
    pub qk_nope_head_dim: u32,
    pub qk_rope_head_dim: u32,
    pub v_head_dim: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moe {
    /// `n_routed_experts`.
    pub routed_experts: u32,
    /// `n_shared_experts`.
    pub shared_experts: u32,
    /// `num_experts_per_tok`.
    pub experts_per_token: u32,
    /// `first_k_dense_replace`: the first layers use a dense FFN.
    pub first_dense_layers: u32,
    /// `moe_intermediate_size`.
    pub expert_intermediate: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indexer {
    /// `index_n_heads`.
    pub heads: u32,
    /// `index_head_dim`.
    pub head_dim: u32,
    /// `index_topk`.
    pub topk: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityScore {
    /// Benchmark and metric as published: `AIME 2024 pass@1`, `GPQA Diamond pass@1`.
    pub benchmark: String,
    pub value: f64,
    /// Source key, e.g. `S2 (R1 README, Jan 2025)`.
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SizeUnit {
    /// 10^9 bytes (Hugging Face, Ollama).
    Gb,
    /// 2^30 bytes (Unsloth's published figures).
    Gib,
    /// Exact bytes.
    Bytes,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedSize {
    /// Quant id as in quants.ron (`Q4_K_M`, `FP8`, `UD-IQ1_S`).
    pub quant: String,
    pub size: f64,
    pub unit: SizeUnit,
    /// Who publishes the file: `Ollama deepseek-r1:14b`, `bartowski GGUF`, `unsloth`.
    pub publisher: String,
    pub source: String,
    /// `Unverified` for the "est." cells of models.md §4.2, which are not published numbers.
    pub confidence: Confidence,
}

impl PublishedSize {
    pub fn bytes(&self) -> f64 {
        match self.unit {
            SizeUnit::Gb => self.size * 1e9,
            SizeUnit::Gib => self.size * 1_073_741_824.0,
            SizeUnit::Bytes => self.size,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// quants.ron
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantCatalog {
    pub quants: Vec<QuantEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuantFormat {
    Gguf,
    Safetensors,
}

/// Which tensor-core rate prefill runs at with this format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComputePrecision {
    Fp16,
    Fp8,
    Int8,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantEntry {
    /// Usual spelling: `Q4_K_M`, `FP8`, `UD-IQ1_S`.
    pub id: String,
    /// Other accepted spellings, matched case-insensitively (`F16`, `W8A8`).
    #[serde(default)]
    pub aliases: Vec<String>,
    pub format: QuantFormat,
    /// Effective bits per weight of the transformer body (attention, FFN and expert matrices),
    /// including block scales and the mix of higher-bit tensors the recipe keeps.
    pub body_bpw: f64,
    /// Bits per weight of the token-embedding matrix.
    pub embed_bpw: f64,
    /// Bits per weight of the output head (`lm_head` / `output.weight`).
    pub output_bpw: f64,
    /// Bits per weight of the routed experts where the recipe stores them differently from the
    /// body (V4's MXFP4 experts at 4.25 in an FP8 checkpoint); `None` = `body_bpw`.
    #[serde(default)]
    pub routed_bpw: Option<f64>,
    /// Bits per weight of Engram tables (V4.1); `None` = `body_bpw`.
    #[serde(default)]
    pub engram_bpw: Option<f64>,
    /// The precision the format is named for, where its bits per weight put it in another
    /// precision class (Unsloth's "1.73-bit" UD-IQ1_M averages 2.02 with its scales); `None` =
    /// the bits of its bulk (routed experts, else body).
    #[serde(default)]
    pub named_bits: Option<f64>,
    /// The published checkpoint keeps the MTP layers (official safetensors do; GGUF conversions drop them).
    #[serde(default)]
    pub includes_mtp: bool,
    /// Mixed-precision recipe whose size differs per model (Unsloth dynamic quants): the published
    /// file size is used where the model has one; the bpw fields only estimate other models.
    #[serde(default)]
    pub sized_by_publication: bool,
    /// A recipe for MoE models only (routed experts at `routed_bpw`, everything else at
    /// `body_bpw`): Unsloth's dynamic quants of the big DeepSeek MoEs.
    #[serde(default)]
    pub moe_only: bool,
    /// Estimated when asked for (`estimate --quant`, `buy --quant`) but not tried by default in
    /// the verdict grid, `check` and `buy`: the less common llama.cpp types and MLX widths.
    #[serde(default)]
    pub on_request: bool,
    pub compute: ComputePrecision,
    pub runtimes: Vec<Runtime>,
    /// Model ids the format is published for; empty = any model can be converted.
    #[serde(default)]
    pub only_for: Vec<String>,
    /// Quality note shown to users.
    pub quality: String,
    pub source: String,
    pub confidence: Confidence,
}

// ---------------------------------------------------------------------------------------------
// gpus.ron
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpuCatalog {
    pub gpus: Vec<GpuEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Vendor {
    Nvidia,
    Amd,
    Intel,
    Huawei,
    Apple,
}

/// Device classes reach different fractions of peak bandwidth at batch 1 (hardware.md §2f).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeviceClass {
    /// GeForce / Radeon / Arc consumer cards with GDDR memory.
    ConsumerGddr,
    /// Workstation and inference cards with GDDR memory (RTX A6000, L40S, L4, A10).
    WorkstationGddr,
    /// Datacenter cards with HBM (A100, H100, H200, MI300X, Ascend 910B).
    DatacenterHbm,
    /// Apple Silicon unified memory.
    AppleUnified,
    /// Other unified-memory systems on a chip (NVIDIA DGX Spark / GB10, AMD Strix Halo): the GPU
    /// shares LPDDR5X with the CPU.
    SocUnified,
}

impl DeviceClass {
    /// The GPU shares system memory: the device is the whole machine.
    pub fn is_unified(self) -> bool {
        matches!(self, DeviceClass::AppleUnified | DeviceClass::SocUnified)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpuEntry {
    /// Short id used on the command line: `rtx-4090`, `h100-sxm`, `apple-m2-ultra-76c`.
    pub id: String,
    /// Display name: `NVIDIA GeForce RTX 4090`.
    pub name: String,
    /// Names detection may report (nvidia-smi, sysfs, sysctl), matched case-insensitively.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub vendor: Vendor,
    pub class: DeviceClass,
    /// Memory per device in GB (10^9 B). Unified-memory chips: the largest configuration.
    pub vram_gb: f64,
    /// Unified-memory chips: the memory configurations sold (GB).
    #[serde(default)]
    pub memory_options_gb: Vec<f64>,
    pub mem_bw_gbs: f64,
    /// Dense FP16/BF16 tensor TFLOPS at the rate inference uses (FP32-accumulate on GeForce).
    pub fp16_tflops: f64,
    /// GeForce only: the FP16-accumulate rate (llama.cpp can reach it).
    #[serde(default)]
    pub fp16_acc16_tflops: Option<f64>,
    /// Dense FP8 TFLOPS; `None` where the device has no FP8 tensor support.
    #[serde(default)]
    pub fp8_tflops: Option<f64>,
    #[serde(default)]
    pub int8_tops: Option<f64>,
    #[serde(default)]
    pub tdp_w: Option<f64>,
    /// Free-text interconnect as published: `PCIe 4.0, no NVLink`, `NVLink 4: 900 GB/s`.
    pub interconnect: String,
    /// Bidirectional GPU-to-GPU bandwidth in GB/s where a fast link exists.
    #[serde(default)]
    pub link_gbs: Option<f64>,
    pub launch: String,
    #[serde(default)]
    pub price: Option<PriceQuote>,
    pub source: String,
    pub confidence: Confidence,
    #[serde(default)]
    pub notes: Vec<String>,
}

impl GpuEntry {
    /// Every name the entry answers to: id, full name and aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str())
            .chain(std::iter::once(self.name.as_str()))
            .chain(self.aliases.iter().map(String::as_str))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceQuote {
    pub currency: Currency,
    /// Low end of the quoted price (or the single price).
    pub low: f64,
    /// High end of the quoted price (equal to `low` for a single price).
    pub high: f64,
    /// When the price was read or quoted: `2025-07`, `2026-02`.
    pub date: String,
    pub source: String,
    pub confidence: Confidence,
}

// ---------------------------------------------------------------------------------------------
// cpus.ron
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CpuCatalog {
    pub platforms: Vec<CpuPlatform>,
}

/// A memory platform for CPU / hybrid inference: channels × data rate (hardware.md §1e).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CpuPlatform {
    /// `ddr5-4800-8ch`.
    pub id: String,
    /// `Server DDR5-4800, 8 channels (Xeon Sapphire/Emerald Rapids)`.
    pub name: String,
    /// `DDR4`, `DDR5`, `LPDDR5X`.
    pub memory: String,
    pub channels: u32,
    /// Data rate in MT/s.
    pub mts: u32,
    /// Theoretical peak per socket, GB/s (channels × 8 B × MT/s).
    pub peak_gbs: f64,
    /// A measured STREAM-type figure where one is published.
    #[serde(default)]
    pub measured_gbs: Option<f64>,
    /// CPU brand substrings that identify this platform when detected (`EPYC 9654`).
    #[serde(default)]
    pub cpu_matches: Vec<String>,
    pub source: String,
    pub confidence: Confidence,
}

// ---------------------------------------------------------------------------------------------
// holidays.ron
// ---------------------------------------------------------------------------------------------

/// The PRC public-holiday calendar DeepSeek's peak billing follows.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayCatalog {
    /// DeepSeek's peak-billing rule as read, with its source.
    pub billing_rule: BillingRule,
    pub years: Vec<HolidayYear>,
}

/// Which days DeepSeek bills at the peak price.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillingRule {
    pub text: String,
    /// `YYYY-MM-DD` the rule was first seen on the pricing page.
    pub since: String,
    pub source: String,
    pub confidence: Confidence,
}

/// One calendar year: its breaks and make-up working days.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayYear {
    pub year: i32,
    /// The State Council notice that fixes the year (title and date); `None` where it was not found
    /// and `breaks` hold only the statutory days.
    pub notice: Option<String>,
    pub source: String,
    pub confidence: Confidence,
    pub breaks: Vec<HolidayBreak>,
    /// Saturdays and Sundays worked to make up for a break (`YYYY-MM-DD`).
    pub make_up_days: Vec<String>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Consecutive days off, first and last included (`YYYY-MM-DD`, Beijing time).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayBreak {
    pub name: String,
    pub name_zh: String,
    pub first: String,
    pub last: String,
}

// ---------------------------------------------------------------------------------------------
// cloud.ron
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudCatalog {
    pub api_prices: Vec<ApiPrice>,
    pub instances: Vec<CloudInstance>,
    /// Complete machines whose GPU shares system memory (Macs, DGX Spark, Strix Halo boxes), one
    /// row per memory size sold.
    #[serde(default)]
    pub system_prices: Vec<SystemPrice>,
    /// Complete GPU servers (host and GPUs) quoted as one price.
    #[serde(default)]
    pub server_prices: Vec<ServerPrice>,
    /// Machines without their GPUs (and CPU-only servers) that `buy` puts GPUs into.
    #[serde(default)]
    pub hosts: Vec<Host>,
    /// DeepSeek's prices for the tools its API runs (web search, page fetch, OCR, TTS), dated.
    #[serde(default)]
    pub tool_prices: Vec<ToolPrice>,
    pub cost_defaults: CostDefaults,
}

/// A tool DeepSeek's API runs and bills apart from tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApiTool {
    /// Web search, per successful call.
    Search,
    /// Fetching a web page, per successful call.
    Fetch,
    /// OCR / file parsing, per page.
    Ocr,
    /// Text to speech, per character.
    Tts,
}

impl ApiTool {
    pub const ALL: [ApiTool; 4] = [ApiTool::Search, ApiTool::Fetch, ApiTool::Ocr, ApiTool::Tts];

    /// The spelling used in JSON and in the price file's `tool` field.
    pub fn json_name(self) -> &'static str {
        match self {
            ApiTool::Search => "search",
            ApiTool::Fetch => "fetch",
            ApiTool::Ocr => "ocr",
            ApiTool::Tts => "tts",
        }
    }
}

/// One dated price of an API tool: `price` per `per` units (1,000 calls, 1,000 pages, 10,000
/// characters).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolPrice {
    pub tool: ApiTool,
    /// `YYYY-MM-DD` (Beijing time) billing started.
    pub effective_from: String,
    #[serde(default)]
    pub effective_until: Option<String>,
    pub currency: Currency,
    pub price: f64,
    /// Units the price is for.
    pub per: f64,
    pub source: String,
    pub confidence: Confidence,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A unified-memory machine at one memory size: `Mac Studio M3 Ultra 96 GB`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemPrice {
    /// Catalog GPU id of the chip (gpus.ron).
    pub gpu_id: String,
    /// Unified memory of this configuration, GB as sold (Apple's GB are GiB).
    pub memory_gb: f64,
    /// What is sold: `Mac Studio (M3 Ultra 28-core CPU, 96 GB, 1 TB)`.
    pub product: String,
    pub price: PriceQuote,
}

/// A complete server: `8× H200 machine`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerPrice {
    pub gpu_id: String,
    pub gpu_count: u32,
    pub product: String,
    pub price: PriceQuote,
}

/// A machine that takes GPUs (or a CPU-only server): CPU, RAM, board, power supply and chassis.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Host {
    pub id: String,
    pub name: String,
    /// GPUs it takes; 0 for a CPU-only server.
    pub max_gpus: u32,
    /// Device classes it takes (empty for a CPU-only server).
    #[serde(default)]
    pub for_classes: Vec<DeviceClass>,
    pub ram_gb: f64,
    pub cpu_mem_bw_gbs: f64,
    pub cpu_cores: u32,
    pub price: PriceQuote,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// One default of the cost model with where it comes from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sourced {
    pub value: f64,
    /// When the figure was read or published.
    pub date: String,
    pub source: String,
    pub confidence: Confidence,
}

/// A purchase price for a GPU the GPU catalog has no price for (or a better one).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpuPurchase {
    pub gpu_id: String,
    pub price: PriceQuote,
}

/// Defaults of the cost model (DESIGN.md §4); every one is editable in a scenario.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostDefaults {
    /// CNY per USD.
    pub usd_to_cny: Sourced,
    pub electricity_cny_per_kwh: Sourced,
    pub electricity_usd_per_kwh: Sourced,
    pub pue: Sourced,
    /// Cooling build-out, CNY per kW of IT load.
    pub cooling_cny_per_kw: Sourced,
    /// Fully loaded yearly cost of one infrastructure/ML engineer, CNY.
    pub engineer_cny_per_year: Sourced,
    pub fte_local_server: Sourced,
    pub fte_local_cluster: Sourced,
    pub fte_cloud: Sourced,
    /// Yearly maintenance as a share of hardware cost.
    pub maintenance_share_per_year: Sourced,
    /// CPU, RAM, NVMe and chassis as a share of the GPUs' cost.
    pub server_share_of_gpu_cost: Sourced,
    /// Cluster network (InfiniBand/RoCE) as a share of server cost.
    pub network_share_of_server_cost: Sourced,
    pub optimization_once_cny: Sourced,
    pub optimization_per_year_cny: Sourced,
    /// Power of one server besides its GPUs, kW.
    pub server_base_kw: Sourced,
    /// Share of the time servers draw full power.
    pub utilization: Sourced,
    /// Share of input tokens served from DeepSeek's context cache.
    pub cache_hit_share: Sourced,
    /// Busiest hour's load ÷ the day's average.
    pub peak_to_average: Sourced,
    /// Slowest acceptable decode speed per user, tokens/s.
    pub min_user_tok_s: Sourced,
    /// Longest acceptable wait for the first token, seconds.
    pub max_ttft_s: Sourced,
    /// Share of API tokens billed in DeepSeek's peak hours (weekdays 09:00–12:00 and 14:00–18:00
    /// Beijing time, since 2026-08-16).
    pub peak_share: Sourced,
    pub gpu_purchases: Vec<GpuPurchase>,
}

/// One row of DeepSeek's API price history (models.md §7, models-2026.md §8,
/// catalog-audit-2026-12 §3).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiPrice {
    /// API model name: `deepseek-chat`, `deepseek-reasoner`, `deepseek-flash`.
    pub endpoint: String,
    /// Model served, as the pricing page names it: `DeepSeek-V3`, `DeepSeek-V3.1 (thinking)`.
    pub serves: String,
    /// The catalog model (models.ron id) the endpoint serves in this period, so costs compare like
    /// with like; `None` for models the catalog lacks (V2.5).
    #[serde(default)]
    pub serves_model: Option<String>,
    /// `YYYY-MM-DD` (UTC) the price took effect.
    pub effective_from: String,
    /// `YYYY-MM-DD` it ended (the next row's `effective_from`, or the day the endpoint was
    /// retired); `None` while current.
    #[serde(default)]
    pub effective_until: Option<String>,
    pub currency: Currency,
    /// Per million input tokens on a context-cache hit (off-peak when `peak` is given).
    pub cache_hit_per_mtok: f64,
    /// Per million input tokens on a cache miss (off-peak when `peak` is given).
    pub cache_miss_per_mtok: f64,
    /// Per million output tokens (reasoning tokens are billed as output; off-peak when `peak` is
    /// given).
    pub output_per_mtok: f64,
    /// The price in DeepSeek's peak hours (weekdays 09:00–12:00 and 14:00–18:00 Beijing time,
    /// since 2026-08-16); `None` where one price applies all day.
    #[serde(default)]
    pub peak: Option<TokenPrices>,
    /// A promotion or a time-of-day discount that applies instead of the list row in its hours:
    /// not used as the price of the period.
    #[serde(default)]
    pub discount: bool,
    pub source: String,
    pub confidence: Confidence,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Per-million-token prices of one billing tier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenPrices {
    pub cache_hit_per_mtok: f64,
    pub cache_miss_per_mtok: f64,
    pub output_per_mtok: f64,
}

/// How a rental price is sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Pricing {
    /// Pay by the hour, no commitment: what the cost model uses.
    #[default]
    OnDemand,
    /// A reserved block bought ahead (AWS Capacity Blocks): not an on-demand price.
    CapacityBlock,
    /// A figure a company assumed for its own costs, not a market offer.
    Assumption,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudInstance {
    /// `AWS`, `Lambda`, `RunPod`, `CoreWeave`, `Azure`, `GCP`, `AutoDL-type (China)`.
    pub provider: String,
    /// Instance or offer name: `p5.48xlarge`, `8x H100 SXM`, `Community H100 SXM`.
    pub instance: String,
    #[serde(default)]
    pub region: Option<String>,
    /// Catalog GPU id from gpus.ron.
    pub gpu_id: String,
    pub gpu_count: u32,
    pub currency: Currency,
    /// Price for the whole instance per hour.
    pub per_hour: f64,
    /// On-demand unless stated; only on-demand rows price the rented-GPU option.
    #[serde(default)]
    pub pricing: Pricing,
    #[serde(default)]
    pub spot_per_hour: Option<f64>,
    /// When the price was read: `2026-11-09`.
    pub date: String,
    pub source: String,
    pub confidence: Confidence,
    #[serde(default)]
    pub notes: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// measurements.ron
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasurementCatalog {
    pub sources: Vec<MeasurementSource>,
    pub points: Vec<MeasuredPoint>,
}

/// One publication measured points come from: a discussion thread, a results file, a blog post.
/// Cross-validation leaves whole sources out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasurementSource {
    /// Short key the points name: `llama.cpp#15013`, `ds4-speed-bench`.
    pub id: String,
    pub title: String,
    pub url: String,
    /// Who measured (a person, a team, "llama.cpp users").
    pub measured_by: String,
    /// Where the numbers were read when not from the publication itself (a transcription in
    /// `shared/reference/`).
    #[serde(default)]
    pub via: Option<String>,
    pub confidence: Confidence,
}

/// Where a measured run kept the weights besides its GPUs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Offload {
    /// Everything on the listed GPUs (or on the CPU when no GPU is listed).
    #[default]
    None,
    /// Routed experts in system RAM, the rest on the GPU (KTransformers, llama.cpp `-ot exps=CPU`
    /// / `--cpu-moe`).
    Experts,
    /// Some whole layers in system RAM (llama.cpp `-ngl` below the layer count).
    Layers,
    /// Routed experts streamed from the SSD through a cache in memory (ds4 `--ssd-streaming`).
    SsdStream,
}

/// One measured setup and what was measured on it (`measurements.ron` header explains the units).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasuredPoint {
    /// `MeasurementSource::id`.
    pub source: String,
    /// The exact comment, file or row when narrower than the source's URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Who measured, when not the source's `measured_by`.
    #[serde(default)]
    pub by: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// Model as published.
    pub model: String,
    /// Catalog model (models.ron id) the estimator uses for this point.
    #[serde(default)]
    pub model_id: Option<String>,
    /// Quantization or file as published.
    pub quant: String,
    /// Catalog quant (quants.ron id) the estimator uses for this point.
    #[serde(default)]
    pub quant_id: Option<String>,
    /// `None` for in-house or unknown serving stacks.
    #[serde(default)]
    pub runtime: Option<Runtime>,
    /// Runtime version, build or branch as published.
    pub version: String,
    /// Machine as published.
    pub hardware: String,
    /// GPUs as (gpus.ron id, count); empty for a CPU-only run.
    #[serde(default)]
    pub gpus: Vec<(String, u32)>,
    #[serde(default)]
    pub cpu: Option<String>,
    /// System RAM in GB (unified-memory machines: as sold).
    #[serde(default)]
    pub ram_gb: Option<f64>,
    /// Peak CPU memory bandwidth, GB/s.
    #[serde(default)]
    pub cpu_mem_bw_gbs: Option<f64>,
    /// Physical CPU cores used.
    #[serde(default)]
    pub cpu_cores: Option<u32>,
    /// Read bandwidth of the disk the weights streamed from, GB/s.
    #[serde(default)]
    pub ssd_gbps: Option<f64>,
    #[serde(default)]
    pub offload: Offload,
    /// Parallelism and placement flags as published: `TP8 + DP-attention`, `layer split`, `-cmoe`.
    #[serde(default)]
    pub parallel: Option<String>,
    /// Servers the run spans (1 when absent).
    #[serde(default)]
    pub nodes: Option<u32>,
    /// Prefill and decode on separate GPUs (PD disaggregation).
    #[serde(default)]
    pub disaggregated: bool,
    /// The benchmark as published: `pp512 / tg128`, `obench.sh eval rate`.
    #[serde(default)]
    pub test: Option<String>,
    /// Context window allocated, tokens.
    #[serde(default)]
    pub context: Option<u32>,
    /// Prompt tokens per request (the prefill measurement's length).
    #[serde(default)]
    pub prompt: Option<u32>,
    /// Generated tokens per request.
    #[serde(default)]
    pub output: Option<u32>,
    /// KV position the decode speed was measured at; default `prompt` + `output` / 2.
    #[serde(default)]
    pub depth: Option<u32>,
    /// Sequences decoded together; 1 when absent.
    #[serde(default)]
    pub concurrency: Option<u32>,
    #[serde(default)]
    pub speculative: Option<SpeculativeKind>,
    /// One user's decode speed, tok/s.
    #[serde(default)]
    pub decode: Option<f64>,
    /// Each user's decode speed at `concurrency`, tok/s.
    #[serde(default)]
    pub per_user: Option<f64>,
    /// Output tok/s of the whole system at `concurrency`.
    #[serde(default)]
    pub aggregate: Option<f64>,
    /// Prompt processing, tok/s.
    #[serde(default)]
    pub prefill: Option<f64>,
    /// Time to first token, milliseconds.
    #[serde(default)]
    pub ttft_ms: Option<f64>,
    /// Overrides the source's confidence for this point.
    #[serde(default)]
    pub confidence: Option<Confidence>,
    /// Why the point stays out of the cross-validation (it is still shown as evidence).
    #[serde(default)]
    pub exclude: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl MeasuredPoint {
    /// Sequences decoded together (1 when not stated).
    pub fn concurrency(&self) -> u32 {
        self.concurrency.unwrap_or(1)
    }

    /// The KV position the decode speed was measured at, when known.
    pub fn decode_depth(&self) -> Option<u32> {
        self.depth.or_else(|| match (self.prompt, self.output) {
            (None, None) => None,
            (p, o) => Some(p.unwrap_or(0).saturating_add(o.unwrap_or(0) / 2)),
        })
    }

    /// The metrics measured, with their values, in display order.
    pub fn metrics(&self) -> impl Iterator<Item = (Metric, f64)> + '_ {
        [
            (Metric::Decode, self.decode),
            (Metric::PerUser, self.per_user),
            (Metric::Aggregate, self.aggregate),
            (Metric::Prefill, self.prefill),
            (Metric::Ttft, self.ttft_ms),
        ]
        .into_iter()
        .filter_map(|(m, v)| v.map(|v| (m, v)))
    }
}

/// What a measurement measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Metric {
    /// One user's decode speed, tok/s.
    Decode,
    /// Each user's decode speed at a concurrency, tok/s.
    PerUser,
    /// Output tok/s of the whole system at a concurrency.
    Aggregate,
    /// Prompt processing, tok/s.
    Prefill,
    /// Time to first token, ms.
    Ttft,
}

impl Metric {
    pub const ALL: [Metric; 5] = [
        Metric::Decode,
        Metric::PerUser,
        Metric::Aggregate,
        Metric::Prefill,
        Metric::Ttft,
    ];

    /// The spelling in JSON output.
    pub fn json_name(self) -> &'static str {
        match self {
            Metric::Decode => "decode_tok_s",
            Metric::PerUser => "per_user_tok_s",
            Metric::Aggregate => "aggregate_tok_s",
            Metric::Prefill => "prefill_tok_s",
            Metric::Ttft => "ttft_ms",
        }
    }

    /// Unit shown after a value.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Ttft => "ms",
            _ => "tok/s",
        }
    }
}
