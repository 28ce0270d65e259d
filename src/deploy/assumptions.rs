//! The assumptions behind a deployment, as lines for script headers, YAML comments and the
//! README: what runs where and which of the estimate's settings the commands carry.

use super::names::one_line;
use super::spec::{DeploymentSpec, Layout};

/// Short lines, English (the files are read by operators and tools, not the app's UI).
pub fn lines(spec: &DeploymentSpec) -> Vec<String> {
    let gpu = spec
        .gpu
        .as_ref()
        .map_or("this machine's GPUs".to_string(), |g| g.name.clone());
    let layout = match spec.layout {
        Layout::Replicas { count, nodes_each: 1 } => {
            format!("{count} independent server(s) of {} × {gpu}", spec.gpus_per_node)
        }
        Layout::Replicas { count, nodes_each } => format!(
            "{count} independent server(s), each {nodes_each} nodes × {} {gpu}",
            spec.gpus_per_node
        ),
        Layout::Disaggregated {
            prefill_nodes,
            decode_nodes,
        } => format!(
            "prefill/decode disaggregation: {prefill_nodes} prefill node(s) + {decode_nodes} decode node(s), {} {gpu} each, wide expert parallelism, one router",
            spec.gpus_per_node
        ),
    };
    let mut out = vec![
        format!("Scenario: {}", one_line(&spec.scenario)),
        format!("Option: {}", spec.option.json_name()),
        format!(
            "Model: {} ({}), weights {}",
            spec.model.name, spec.model.hf_repo, spec.quant.id
        ),
        format!("Engine: {}", spec.runtime.cli_name()),
        format!("Layout: {layout}; {} GPUs in total", spec.total_gpus()),
        format!(
            "Context {} tokens per sequence, {} sequences at once per instance, KV cache {}",
            spec.context,
            spec.concurrency,
            spec.kv_type.name()
        ),
        format!(
            "Speculative decoding: {}",
            spec.speculative.map_or("off", |k| k.cli_name())
        ),
    ];
    if spec.experts_on_cpu {
        out.push("Routed experts in system RAM (expert offload)".into());
    }
    if let Some(n) = spec.expert_split.cpu_moe_layers {
        out.push(format!(
            "Routed experts of the first {n} MoE layers in system RAM, the others in VRAM"
        ));
    }
    if let Some(g) = spec.expert_split.gpu_experts_per_layer {
        out.push(format!(
            "{g} routed experts of every layer in VRAM, the rest on the CPU"
        ));
    }
    if let Some(n) = spec.gpu_layers {
        out.push(format!("{n} layers on the GPUs, the rest on the CPU"));
    }
    if spec.ssd_streaming {
        out.push("Routed experts streamed from the SSD".into());
    }
    out.extend(spec.notes.iter().map(|n| one_line(n)));
    out
}
