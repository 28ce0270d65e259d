//! How one engine instance splits a model over its GPUs — tensor (TP), pipeline (PP), data (DP)
//! and expert (EP) parallelism — by the rules the engines check when they start: TP divides the
//! attention heads, is compatible with the KV heads (divides them or is a multiple of them) and
//! divides the FFN widths it shards; EP divides the routed experts; PP divides the layers; and
//! TP × PP × DP fits the GPUs. When a GPU count cannot be used whole, the largest valid layout
//! runs and the rest is reported idle, with the nearest counts that would be used whole.
//!
//! The one planner: the estimate's tensor-parallel placement, the plan's capacity and cluster
//! sizes, the report and every deployment export read their layouts from here.

use crate::catalog::schema::{Architecture, Runtime};

/// What the parallelism rules read from a model's architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub heads: u32,
    pub kv_heads: u32,
    /// Multi-head latent attention (or V4's one shared latent): the cache is replicated, not
    /// split by KV head.
    pub latent_kv: bool,
    pub layers: u32,
    /// Width of the dense FFN layers (0 when every layer is MoE).
    pub dense_ffn: u32,
    /// Routed experts per MoE layer (0 for a dense model).
    pub routed_experts: u32,
    /// Width of one expert's FFN.
    pub expert_ffn: u32,
}

impl Shape {
    pub fn of(a: &Architecture) -> Shape {
        let (routed, expert_ffn, all_moe) = match &a.moe {
            Some(m) => (
                m.routed_experts,
                m.expert_intermediate,
                m.first_dense_layers == 0,
            ),
            None => (0, 0, false),
        };
        Shape {
            heads: a.heads.max(1),
            kv_heads: a.kv_heads.max(1),
            latent_kv: a.mla.is_some() || a.compressed.is_some(),
            layers: a.layers.max(1),
            dense_ffn: if all_moe { 0 } else { a.intermediate },
            routed_experts: routed,
            expert_ffn,
        }
    }

    pub fn is_moe(&self) -> bool {
        self.routed_experts > 0
    }
}

/// Why a tensor-parallel size does not work for a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TensorReject {
    Heads { heads: u32 },
    KvHeads { kv_heads: u32 },
    DenseFfn { width: u32 },
    ExpertFfn { width: u32 },
}

impl TensorReject {
    pub fn describe(self, tp: u32) -> String {
        match self {
            TensorReject::Heads { heads } => {
                format!("tensor parallel {tp} does not divide the {heads} attention heads")
            }
            TensorReject::KvHeads { kv_heads } => format!(
                "tensor parallel {tp} neither divides nor is a multiple of the {kv_heads} KV heads"
            ),
            TensorReject::DenseFfn { width } => {
                format!("tensor parallel {tp} does not divide the FFN width {width}")
            }
            TensorReject::ExpertFfn { width } => format!(
                "tensor parallel {tp} does not divide the expert FFN width {width} (and expert parallelism is off)"
            ),
        }
    }
}

/// Whether `tp` GPUs can shard the attention and dense layers; `experts_split` when the routed
/// experts are tensor-split too (no expert parallelism).
pub fn tensor_fits(s: &Shape, tp: u32, experts_split: bool) -> Result<(), TensorReject> {
    if tp == 0 || s.heads % tp != 0 {
        return Err(TensorReject::Heads { heads: s.heads });
    }
    if !s.latent_kv && s.kv_heads % tp != 0 && tp % s.kv_heads != 0 {
        return Err(TensorReject::KvHeads {
            kv_heads: s.kv_heads,
        });
    }
    if s.dense_ffn > 0 && s.dense_ffn % tp != 0 {
        return Err(TensorReject::DenseFfn { width: s.dense_ffn });
    }
    if experts_split && s.is_moe() && s.expert_ffn % tp != 0 {
        return Err(TensorReject::ExpertFfn {
            width: s.expert_ffn,
        });
    }
    Ok(())
}

/// Whether the routed experts split evenly over `ep` GPUs.
pub fn experts_fit(s: &Shape, ep: u32) -> bool {
    ep > 0 && s.routed_experts > 0 && s.routed_experts % ep == 0
}

/// Largest tensor-parallel size ≤ `count` that shards the model (experts split by TP unless EP
/// of the same size divides them); 1 at least.
pub fn largest_tensor(s: &Shape, count: u32) -> u32 {
    (1..=count.max(1))
        .rev()
        .find(|&tp| tensor_fits(s, tp, !experts_fit(s, tp)).is_ok())
        .unwrap_or(1)
}

/// What one engine instance runs as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Serves prefill and decode (a replica).
    Serve,
    /// Prefill or decode side of a disaggregated deployment: data-parallel attention with the
    /// experts spread over every GPU (wide EP).
    Prefill,
    Decode,
}

/// How one instance splits the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Tensor-parallel size (for a disaggregated side: every GPU of the side).
    pub tensor: u32,
    /// Pipeline stages (one per node for vLLM across nodes).
    pub pipeline: u32,
    /// Data-parallel copies inside the instance (vLLM `--data-parallel-size`, SGLang
    /// `--dp-size`); 1 = off.
    pub data: u32,
    /// Data-parallel attention groups (SGLang `--attn-dp-size`); 1 = off.
    pub attention_data: u32,
    /// Expert-parallel size (GPUs the routed experts are spread over); 1 = off.
    pub expert: u32,
    /// Whole layers spread over the GPUs, one after another (llama.cpp, Ollama).
    pub layer_split: bool,
    /// GPUs per node the instance uses, and nodes.
    pub gpus_per_node: u32,
    pub nodes: u32,
    /// GPUs of the instance's nodes left without work.
    pub idle_gpus: u32,
}

impl Layout {
    /// GPUs the instance uses.
    pub fn gpus(&self) -> u32 {
        if self.layer_split {
            self.gpus_per_node * self.nodes
        } else {
            self.tensor * self.pipeline * self.data
        }
    }

    fn single(gpus: u32) -> Layout {
        Layout {
            tensor: 1,
            pipeline: 1,
            data: 1,
            attention_data: 1,
            expert: 1,
            layer_split: gpus > 1,
            gpus_per_node: gpus.max(1),
            nodes: 1,
            idle_gpus: 0,
        }
    }
}

/// A layout that cannot be built, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unplannable(pub String);

impl std::fmt::Display for Unplannable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Runtimes that serve from one machine only.
pub fn single_node(runtime: Runtime) -> bool {
    !matches!(runtime, Runtime::Vllm | Runtime::Sglang)
}

/// The layout of one instance of `role` on `nodes` nodes of `gpus_per_node` GPUs.
pub fn plan(
    s: &Shape,
    runtime: Runtime,
    role: Role,
    gpus_per_node: u32,
    nodes: u32,
) -> Result<Layout, Unplannable> {
    let gpn = gpus_per_node.max(1);
    let nodes = nodes.max(1);
    if nodes > 1 && single_node(runtime) {
        return Err(Unplannable(format!(
            "{} serves from one machine: an instance over {nodes} nodes needs vLLM or SGLang",
            runtime.cli_name()
        )));
    }
    match role {
        Role::Prefill | Role::Decode => wide_ep(s, runtime, gpn, nodes),
        Role::Serve => match runtime {
            Runtime::LlamaCpp | Runtime::Ollama => Ok(Layout::single(gpn)),
            Runtime::Ds4 | Runtime::Mlx => {
                let mut l = Layout::single(1);
                l.idle_gpus = gpn - 1;
                Ok(l)
            }
            Runtime::Vllm if nodes > 1 => Ok(across_nodes(s, gpn, nodes, true)),
            Runtime::Sglang if nodes > 1 => Ok(across_nodes(s, gpn, nodes, false)),
            Runtime::Vllm | Runtime::Sglang => Ok(one_node(s, gpn, true)),
            Runtime::Ktransformers | Runtime::TensorrtLlm => Ok(one_node(s, gpn, false)),
        },
    }
}

/// Expert parallelism for an MoE model over `tp` GPUs when it divides the experts.
fn expert_size(s: &Shape, gpus: u32) -> u32 {
    if gpus > 1 && experts_fit(s, gpus) {
        gpus
    } else {
        1
    }
}

/// One node: the largest valid TP, data-parallel copies over the rest where the engine runs
/// them (`data_parallel`). Expert parallelism spans the TP × DP group when the experts divide
/// it; otherwise the experts are tensor-split.
fn one_node(s: &Shape, gpus: u32, data_parallel: bool) -> Layout {
    let tp = largest_tensor(s, gpus);
    let mut data = if data_parallel { gpus / tp } else { 1 };
    let split_ok = tensor_fits(s, tp, true).is_ok();
    if s.is_moe() && !experts_fit(s, tp * data) && !split_ok {
        data = 1;
    }
    Layout {
        tensor: tp,
        pipeline: 1,
        data,
        attention_data: 1,
        expert: expert_size(s, tp * data),
        layer_split: false,
        gpus_per_node: gpus,
        nodes: 1,
        idle_gpus: gpus - tp * data,
    }
}

/// Several nodes: TP inside the node and one pipeline stage per node where the layers divide
/// (vLLM), else TP over every GPU; the largest valid size otherwise.
fn across_nodes(s: &Shape, gpn: u32, nodes: u32, pipeline: bool) -> Layout {
    let total = gpn * nodes;
    let ok = |tp: u32| tensor_fits(s, tp, !experts_fit(s, tp)).is_ok();
    let (tensor, stages) = if pipeline && ok(gpn) && s.layers % nodes == 0 {
        (gpn, nodes)
    } else if ok(total) {
        (total, 1)
    } else {
        (largest_tensor(s, total), 1)
    };
    let used = tensor * stages;
    Layout {
        tensor,
        pipeline: stages,
        data: 1,
        attention_data: 1,
        expert: expert_size(s, tensor),
        layer_split: false,
        gpus_per_node: gpn,
        nodes,
        idle_gpus: total - used,
    }
}

/// A prefill or decode side: DP attention over every GPU, experts over every GPU (they must
/// divide); nodes that would break the division stay idle.
fn wide_ep(s: &Shape, runtime: Runtime, gpn: u32, nodes: u32) -> Result<Layout, Unplannable> {
    if runtime != Runtime::Sglang {
        return Err(Unplannable(format!(
            "prefill/decode disaggregation is exported for SGLang only; {} would need a prefill/decode router this tool cannot write",
            runtime.cli_name()
        )));
    }
    if !s.is_moe() {
        return Err(Unplannable(
            "a dense model has no experts to spread over a prefill/decode side".into(),
        ));
    }
    let used = (1..=nodes)
        .rev()
        .find(|&n| experts_fit(s, n * gpn))
        .ok_or_else(|| {
            Unplannable(format!(
                "expert parallelism over {gpn} GPUs per node does not divide the {} routed experts",
                s.routed_experts
            ))
        })?;
    let gpus = used * gpn;
    Ok(Layout {
        tensor: gpus,
        pipeline: 1,
        data: 1,
        attention_data: gpus,
        expert: gpus,
        layer_split: false,
        gpus_per_node: gpn,
        nodes: used,
        idle_gpus: (nodes - used) * gpn,
    })
}

/// The smallest node count ≥ `at_least` whose GPUs divide the routed experts (a prefill or
/// decode side the planner uses whole), or `None` when none up to 1,024 nodes does.
pub fn wide_ep_nodes(s: &Shape, gpus_per_node: u32, at_least: u32) -> Option<u32> {
    (at_least.max(1)..=1024).find(|&n| experts_fit(s, n * gpus_per_node.max(1)))
}

/// GPU counts near `gpus` that one node of `runtime` uses whole (below and above), for "use 4
/// or 8 GPUs" advice.
pub fn whole_counts(s: &Shape, runtime: Runtime, gpus: u32) -> (Option<u32>, Option<u32>) {
    let whole = |g: u32| {
        plan(s, runtime, Role::Serve, g, 1)
            .map(|l| l.idle_gpus == 0)
            .unwrap_or(false)
    };
    let below = (1..gpus).rev().find(|&g| whole(g));
    let above = (gpus + 1..=gpus.saturating_mul(2).max(gpus + 1)).find(|&g| whole(g));
    (below, above)
}

/// A sentence on GPUs left idle, or `None` when the layout uses them all.
pub fn idle_note(s: &Shape, runtime: Runtime, l: &Layout) -> Option<String> {
    if l.idle_gpus == 0 {
        return None;
    }
    let total = l.gpus() + l.idle_gpus;
    let why = tensor_fits(s, l.tensor + 1, true)
        .err()
        .map(|r| r.describe(l.tensor + 1))
        .unwrap_or_else(|| "the parallel sizes must divide the model".into());
    let (below, above) = if l.nodes > 1 || l.attention_data > 1 {
        (None, None)
    } else {
        whole_counts(s, runtime, total)
    };
    let mut out = format!(
        "{} of {total} GPUs run the model and {} stay idle ({why})",
        l.gpus(),
        l.idle_gpus
    );
    match (below, above) {
        (Some(b), Some(a)) => out.push_str(&format!("; {b} or {a} GPUs would be used whole")),
        (Some(b), None) => out.push_str(&format!("; {b} GPUs would be used whole")),
        (None, Some(a)) => out.push_str(&format!("; {a} GPUs would be used whole")),
        (None, None) => {}
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use proptest::prelude::*;

    fn shape(id: &str) -> Shape {
        Shape::of(&Catalog::get().model(id).unwrap().arch)
    }

    #[test]
    fn tensor_sizes_divide_heads_kv_heads_and_ffn() {
        // R1: 128 heads (MLA), 18,432-wide dense FFN, 2,048-wide experts.
        let r1 = shape("deepseek-r1");
        for tp in [1, 2, 4, 8, 16] {
            assert!(tensor_fits(&r1, tp, true).is_ok(), "{tp}");
        }
        for tp in [3, 6, 12, 24] {
            assert!(tensor_fits(&r1, tp, true).is_err(), "{tp}");
        }
        // The 7B distill (28 heads, 4 KV heads): 8 does not divide 28.
        let q7 = shape("deepseek-r1-distill-qwen-7b");
        assert_eq!(
            tensor_fits(&q7, 8, false),
            Err(TensorReject::Heads { heads: 28 })
        );
        assert_eq!(largest_tensor(&q7, 8), 4);
        // The 14B distill (40 heads, 8 KV heads): 3 does not divide 40.
        let q14 = shape("deepseek-r1-distill-qwen-14b");
        assert!(tensor_fits(&q14, 3, false).is_err());
        assert_eq!(largest_tensor(&q14, 3), 2);
        // 1.5B: 12 heads, 2 KV heads; 6 divides both but not the 8,960-wide FFN.
        let q15 = shape("deepseek-r1-distill-qwen-1.5b");
        assert_eq!(
            tensor_fits(&q15, 6, false),
            Err(TensorReject::DenseFfn { width: 8960 })
        );
    }

    #[test]
    fn vllm_and_sglang_fill_a_node_with_data_parallel_copies() {
        let q7 = shape("deepseek-r1-distill-qwen-7b");
        let l = plan(&q7, Runtime::Vllm, Role::Serve, 8, 1).unwrap();
        assert_eq!((l.tensor, l.data, l.idle_gpus), (4, 2, 0));
        let l = plan(&q7, Runtime::TensorrtLlm, Role::Serve, 8, 1).unwrap();
        assert_eq!((l.tensor, l.data, l.idle_gpus), (4, 1, 4));
        assert!(idle_note(&q7, Runtime::TensorrtLlm, &l)
            .unwrap()
            .contains("4 of 8 GPUs"));
        let q14 = shape("deepseek-r1-distill-qwen-14b");
        let l = plan(&q14, Runtime::Sglang, Role::Serve, 6, 1).unwrap();
        assert_eq!((l.tensor, l.data, l.idle_gpus), (4, 1, 2));
        let note = idle_note(&q14, Runtime::Sglang, &l).unwrap();
        assert!(note.contains("4 or 8 GPUs"), "{note}");
    }

    #[test]
    fn multi_node_vllm_uses_pipeline_stages_only_when_the_layers_divide() {
        // R1 has 61 layers: no pipeline split; TP 16 over both nodes.
        let r1 = shape("deepseek-r1");
        let l = plan(&r1, Runtime::Vllm, Role::Serve, 8, 2).unwrap();
        assert_eq!((l.tensor, l.pipeline, l.expert), (16, 1, 16));
        // V4-Flash: 43 layers, 64 heads: TP 16 over two nodes.
        let flash = shape("deepseek-v4-flash");
        let l = plan(&flash, Runtime::Vllm, Role::Serve, 8, 2).unwrap();
        assert_eq!(l.gpus(), 16);
        // A 70B Llama distill (80 layers) splits into two stages of TP 8.
        let llama = shape("deepseek-r1-distill-llama-70b");
        let l = plan(&llama, Runtime::Vllm, Role::Serve, 8, 2).unwrap();
        assert_eq!((l.tensor, l.pipeline), (8, 2));
        assert!(plan(&llama, Runtime::LlamaCpp, Role::Serve, 8, 2).is_err());
    }

    #[test]
    fn disaggregated_sides_divide_the_experts() {
        let r1 = shape("deepseek-r1");
        // 3 decode nodes = 24 GPUs do not divide 256 experts: 2 nodes run, one stays idle.
        let l = plan(&r1, Runtime::Sglang, Role::Decode, 8, 3).unwrap();
        assert_eq!((l.expert, l.nodes, l.idle_gpus), (16, 2, 8));
        assert_eq!(wide_ep_nodes(&r1, 8, 3), Some(4));
        // V4-Pro's 384 experts divide over 3 nodes.
        let pro = shape("deepseek-v4-pro");
        assert_eq!(wide_ep_nodes(&pro, 8, 3), Some(3));
        assert!(plan(&r1, Runtime::Vllm, Role::Decode, 8, 2).is_err());
    }

    proptest! {
        #[test]
        fn every_layout_is_valid_and_fits(gpn in 1u32..=8, nodes in 1u32..=4, pick in 0usize..6) {
            let ids = ["deepseek-r1", "deepseek-v4-flash", "deepseek-v4-pro",
                "deepseek-r1-distill-qwen-7b", "deepseek-r1-distill-qwen-14b", "deepseek-r1-distill-llama-70b"];
            let s = shape(ids[pick]);
            for rt in [Runtime::Vllm, Runtime::Sglang, Runtime::TensorrtLlm, Runtime::Ktransformers] {
                for role in [Role::Serve, Role::Prefill, Role::Decode] {
                    let Ok(l) = plan(&s, rt, role, gpn, nodes) else { continue };
                    prop_assert!(l.gpus() + l.idle_gpus == gpn * nodes);
                    prop_assert!(l.gpus() >= 1);
                    let attention_tp = l.tensor / l.attention_data;
                    prop_assert!(tensor_fits(&s, attention_tp, false).is_ok() || l.attention_data > 1);
                    prop_assert!(s.heads % attention_tp == 0);
                    prop_assert!(s.layers % l.pipeline == 0);
                    if l.expert > 1 { prop_assert!(s.routed_experts % l.expert == 0); }
                }
            }
        }
    }
}
