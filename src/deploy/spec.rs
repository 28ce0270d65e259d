//! What a deployment export starts: the model and weights, the engine, the GPUs and how the nodes
//! are laid out, and the settings the estimate assumed. Built from a plan (`from_plan`) or by hand.

use crate::catalog::schema::{QuantFormat, Runtime, SpeculativeKind, SupportLevel, Vendor};
use crate::cost::OptionKind;
use crate::estimate::kv::KvCacheType;
use crate::estimate::parallelism::{self, Role, Shape};

/// Largest GPU count of one node: HGX / OAM baseboards carry 8 (UNVERIFIED for exotic chassis; a
/// deployment asking for more GPUs per server spans several nodes).
pub const MAX_GPUS_PER_NODE: u32 = 8;

/// The port every engine listens on inside its node or container.
pub const DEFAULT_PORT: u16 = 8000;

/// Port SGLang and vLLM use to rendezvous across the nodes of one instance.
pub const DIST_INIT_PORT: u16 = 5000;

/// Port of a prefill instance's bootstrap server, where decode instances fetch the KV cache
/// handshake (SGLang `--disaggregation-bootstrap-port`, its default).
pub const BOOTSTRAP_PORT: u16 = 8998;

/// Port the prefill/decode router listens on (sglang-router's default), distinct from the
/// engines' so the router can share a node with one.
pub const ROUTER_PORT: u16 = 30000;

/// The catalog model the deployment serves.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelRef {
    /// Catalog id: `deepseek-r1-0528`.
    pub id: String,
    /// `DeepSeek-R1-0528`.
    pub name: String,
    /// `deepseek-ai/DeepSeek-R1-0528`.
    pub hf_repo: String,
    /// Ollama tags that download weights (never the cloud-only ones).
    pub ollama_tags: Vec<String>,
    /// A MoE model (expert parallelism, `--cpu-moe`).
    pub moe: bool,
    /// `architectures[0]` of its config.json (`DeepseekV3ForCausalLM`); empty when unknown.
    pub architecture: String,
    /// What the parallelism rules read from the architecture.
    pub shape: Shape,
    /// The catalog's support matrix for the model (empty: any runtime that loads the quant).
    pub support: Vec<SupportRef>,
}

/// One row of a model's runtime support matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct SupportRef {
    pub runtime: Runtime,
    pub level: SupportLevel,
    /// First version, PR or fork (free text, as the catalog says it).
    pub since: String,
    /// First release that loads it (`0.30.0`), where checked.
    pub release: Option<String>,
}

/// The weights' format as the catalog names it.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantRef {
    /// `FP8`, `Q4_K_M`, `AWQ`.
    pub id: String,
    pub format: QuantFormat,
    /// The model's own released checkpoint (no conversion needed).
    pub native: bool,
    /// A Hugging Face repo the catalog names as publisher of these weights (GGUF or converted
    /// safetensors), if any.
    pub publisher_repo: Option<String>,
}

/// The GPU of every node.
#[derive(Debug, Clone, PartialEq)]
pub struct GpuRef {
    /// Catalog id: `h200-sxm`.
    pub id: String,
    pub name: String,
    pub vendor: Vendor,
}

/// How the nodes serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Independent copies of the same engine behind a load balancer; each copy spans
    /// `nodes_each` nodes.
    Replicas { count: u32, nodes_each: u32 },
    /// Prefill/decode disaggregation with wide expert parallelism: one prefill instance over
    /// `prefill_nodes` nodes, one decode instance over `decode_nodes`, and a router in front.
    Disaggregated {
        prefill_nodes: u32,
        decode_nodes: u32,
    },
}

/// The engine instances of a layout: what each node runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    /// A replica serving prefill and decode.
    Serve,
    Prefill,
    Decode,
}

impl Group {
    /// The word used in file, service and script names.
    pub fn name(self) -> &'static str {
        match self {
            Group::Serve => "server",
            Group::Prefill => "prefill",
            Group::Decode => "decode",
        }
    }
}

/// One kind of engine instance: how many there are and how many nodes each spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceGroup {
    pub group: Group,
    pub instances: u32,
    pub nodes_each: u32,
}

impl InstanceGroup {
    pub fn nodes(&self) -> u32 {
        self.instances * self.nodes_each
    }
}

/// Everything a target needs to write the files.
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentSpec {
    /// The scenario's name, shown in comments and the README (never used in file names).
    pub scenario: String,
    pub option: OptionKind,
    pub model: ModelRef,
    pub quant: QuantRef,
    pub runtime: Runtime,
    /// `None` for "this machine" (a single estimate, not a plan).
    pub gpu: Option<GpuRef>,
    pub gpus_per_node: u32,
    pub layout: Layout,
    /// Context window per sequence, tokens.
    pub context: u32,
    /// Sequences one instance decodes together (slots, `--max-num-seqs`).
    pub concurrency: u32,
    /// KV cache element type (resolved, never `Auto`).
    pub kv_type: KvCacheType,
    pub speculative: Option<SpeculativeKind>,
    /// llama.cpp: layers on the GPUs when only some fit (`-ngl`); `None` = all.
    pub gpu_layers: Option<u32>,
    /// Routed experts in system RAM (llama.cpp `--cpu-moe`, KTransformers).
    pub experts_on_cpu: bool,
    /// Routed experts streamed from the SSD (ds4).
    pub ssd_streaming: bool,
    /// How many routed experts the GPUs hold when they do not all fit.
    pub expert_split: ExpertSplit,
    pub port: u16,
    /// What the plan said that users should know (one sentence each), shown in the README.
    pub notes: Vec<String>,
}

/// The estimate's split of the routed experts, as the engines' flags say it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ExpertSplit {
    /// llama.cpp `--n-cpu-moe N`: the experts of the first N MoE layers stay on the CPU.
    pub cpu_moe_layers: Option<u32>,
    /// KTransformers `--kt-num-gpu-experts`: experts of every layer on the GPU.
    pub gpu_experts_per_layer: Option<u32>,
    /// ds4 `--ssd-streaming-cache-experts`: GB of expert cache.
    pub cache_gb: Option<f64>,
}

/// A spec the targets cannot turn into files, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError(pub String);

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl DeploymentSpec {
    /// The instance groups of the layout, in start order (prefill before decode).
    pub fn groups(&self) -> Vec<InstanceGroup> {
        match self.layout {
            Layout::Replicas { count, nodes_each } => vec![InstanceGroup {
                group: Group::Serve,
                instances: count,
                nodes_each,
            }],
            Layout::Disaggregated {
                prefill_nodes,
                decode_nodes,
            } => vec![
                InstanceGroup {
                    group: Group::Prefill,
                    instances: 1,
                    nodes_each: prefill_nodes,
                },
                InstanceGroup {
                    group: Group::Decode,
                    instances: 1,
                    nodes_each: decode_nodes,
                },
            ],
        }
    }

    /// Nodes across the whole deployment.
    pub fn nodes(&self) -> u32 {
        self.groups().iter().map(InstanceGroup::nodes).sum()
    }

    /// GPUs across the whole deployment (what the plan buys or rents).
    pub fn total_gpus(&self) -> u32 {
        self.nodes() * self.gpus_per_node
    }

    /// How one instance of `group` splits the model over its GPUs: the parallelism planner's
    /// layout (TP divides heads, EP divides experts, PP divides layers).
    pub fn parallelism(&self, group: InstanceGroup) -> Result<parallelism::Layout, SpecError> {
        let role = match group.group {
            Group::Serve => Role::Serve,
            Group::Prefill => Role::Prefill,
            Group::Decode => Role::Decode,
        };
        parallelism::plan(
            &self.model.shape,
            self.runtime,
            role,
            self.gpus_per_node,
            group.nodes_each,
        )
        .map_err(|e| SpecError(format!("layout: {e}")))
    }

    /// Checks what no generator can work around; names the field.
    pub fn validate(&self) -> Result<(), SpecError> {
        let bad = |m: String| Err(SpecError(m));
        if self.gpus_per_node > MAX_GPUS_PER_NODE {
            return bad(format!(
                "gpus_per_node must be at most {MAX_GPUS_PER_NODE}, got {}",
                self.gpus_per_node
            ));
        }
        match self.layout {
            Layout::Replicas { count, nodes_each } if count == 0 || nodes_each == 0 => {
                return bad("layout: replicas need at least one replica of one node".into())
            }
            Layout::Disaggregated {
                prefill_nodes,
                decode_nodes,
            } => {
                if prefill_nodes == 0 || decode_nodes == 0 {
                    return bad(
                        "layout: a disaggregated cluster needs prefill and decode nodes".into(),
                    );
                }
                if self.speculative == Some(SpeculativeKind::Dspark) {
                    return bad("speculative: SGLang does not combine DSpark with PD disaggregation or DP attention (sglang PR #33083)".into());
                }
            }
            Layout::Replicas { .. } => {}
        }
        if self.context == 0 || self.concurrency == 0 {
            return bad("context and concurrency must be at least 1".into());
        }
        if self.kv_type == KvCacheType::Auto {
            return bad("kv_type must be resolved (not auto)".into());
        }
        if self.gpus_per_node == 0 && self.gpu.is_some() {
            return bad("gpus_per_node must be at least 1".into());
        }
        for g in self.groups() {
            self.parallelism(g)?;
        }
        Ok(())
    }
}
