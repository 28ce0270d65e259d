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
}

impl Runtime {
    pub const ALL: [Runtime; 5] = [
        Runtime::LlamaCpp,
        Runtime::Ollama,
        Runtime::Vllm,
        Runtime::Sglang,
        Runtime::Ktransformers,
    ];

    /// The spelling used on the command line and in JSON.
    pub fn cli_name(self) -> &'static str {
        match self {
            Runtime::LlamaCpp => "llama.cpp",
            Runtime::Ollama => "ollama",
            Runtime::Vllm => "vllm",
            Runtime::Sglang => "sglang",
            Runtime::Ktransformers => "ktransformers",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Currency {
    Usd,
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
    /// Ollama tags that resolve to this model (`deepseek-r1:671b`); may be empty.
    #[serde(default)]
    pub ollama_tags: Vec<String>,
    /// Release date `YYYY-MM-DD` (or `YYYY-MM`).
    pub released: String,
    pub license: String,
    /// Dtype of the official checkpoint: `FP8` or `BF16`.
    pub native_dtype: String,
    /// Parameter counts as the publisher states them, in billions (for display beside the derived
    /// count). `None` where the publisher gives none.
    pub official_total_params_b: Option<f64>,
    pub official_active_params_b: Option<f64>,
    /// Context length the publisher supports (tokens).
    pub official_context: u32,
    pub arch: Architecture,
    #[serde(default)]
    pub quality: Vec<QualityScore>,
    #[serde(default)]
    pub published_sizes: Vec<PublishedSize>,
    /// Source keys from `shared/reference/models.md` §9, e.g. `S1 configs/config_671B.json, S10`.
    pub source: String,
    /// Confidence of the architecture numbers as a whole.
    pub confidence: Confidence,
    /// Caveats, including which individual fields are UNVERIFIED.
    #[serde(default)]
    pub notes: Vec<String>,
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
    /// DeepSeek sparse-attention lightning indexer (V3.2-Exp).
    #[serde(default)]
    pub indexer: Option<Indexer>,
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
    /// The published checkpoint keeps the MTP layers (official safetensors do; GGUF conversions drop them).
    #[serde(default)]
    pub includes_mtp: bool,
    /// Mixed-precision recipe whose size differs per model (Unsloth dynamic quants): the published
    /// file size is used where the model has one; the bpw fields only estimate other models.
    #[serde(default)]
    pub sized_by_publication: bool,
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
    /// Memory per device in GB (10^9 B). Apple chips: the largest unified-memory configuration.
    pub vram_gb: f64,
    /// Apple chips: the unified-memory configurations sold (GB).
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
// cloud.ron
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudCatalog {
    pub api_prices: Vec<ApiPrice>,
    pub instances: Vec<CloudInstance>,
    pub cost_defaults: CostDefaults,
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
    pub gpu_purchases: Vec<GpuPurchase>,
}

/// One row of DeepSeek's API price history (models.md §7).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiPrice {
    /// API model name: `deepseek-chat`, `deepseek-reasoner`, `deepseek-v4-flash`.
    pub endpoint: String,
    /// Model served: `DeepSeek-V3`, `DeepSeek-R1`, `DeepSeek-V3.1 (thinking)`.
    pub serves: String,
    /// `YYYY-MM-DD` (UTC) the price took effect.
    pub effective_from: String,
    /// `YYYY-MM-DD` it ended; `None` while current or unknown.
    #[serde(default)]
    pub effective_until: Option<String>,
    pub currency: Currency,
    /// Per million input tokens on a context-cache hit.
    pub cache_hit_per_mtok: f64,
    /// Per million input tokens on a cache miss.
    pub cache_miss_per_mtok: f64,
    /// Per million output tokens (reasoning tokens are billed as output).
    pub output_per_mtok: f64,
    /// Off-peak or promotional row rather than the list price.
    #[serde(default)]
    pub discount: bool,
    pub source: String,
    pub confidence: Confidence,
    #[serde(default)]
    pub notes: Vec<String>,
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
    /// On-demand price for the whole instance per hour.
    pub per_hour: f64,
    #[serde(default)]
    pub spot_per_hour: Option<f64>,
    /// When the price was read: `2026-11-09`.
    pub date: String,
    pub source: String,
    pub confidence: Confidence,
    #[serde(default)]
    pub notes: Vec<String>,
}
