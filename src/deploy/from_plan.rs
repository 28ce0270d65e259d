//! From a plan (or one estimate) to a `DeploymentSpec`. `spec_from_plan` is the one place that
//! reads the cost model's result, the cluster option's layout (replicas or prefill/decode nodes)
//! included.

use super::spec::{
    DeploymentSpec, ExpertSplit, GpuRef, Layout, ModelRef, QuantRef, SpecError, SupportRef,
    DEFAULT_PORT, MAX_GPUS_PER_NODE,
};
use crate::catalog::schema::{ModelEntry, QuantEntry, SupportLevel};
use crate::catalog::Catalog;
use crate::cost::capacity::{server_layout, server_machine, serving_context};
use crate::cost::{CostInputs, OptionKind, Plan};
use crate::estimate::kv::KvCacheType;
use crate::estimate::parallelism::Shape;
use crate::estimate::placement::PlacementKind;
use crate::estimate::serving::Miss;
use crate::estimate::tiers::CacheHome;
use crate::estimate::{fit, Fit, FitOptions};

pub fn model_ref(m: &ModelEntry) -> ModelRef {
    ModelRef {
        id: m.id.clone(),
        name: m.name.clone(),
        hf_repo: m.hf_repo.clone(),
        ollama_tags: m.ollama_tags.clone(),
        moe: m.arch.moe.is_some(),
        architecture: m.architecture.clone(),
        shape: Shape::of(&m.arch),
        support: m
            .runtimes
            .iter()
            .map(|r| SupportRef {
                runtime: r.runtime,
                level: r.level,
                since: r.since.clone(),
                release: r.release.clone(),
            })
            .collect(),
    }
}

/// `owner/name` at the start of a catalog publisher note, if it names a repo.
fn repo_in(publisher: &str) -> Option<String> {
    let first = publisher.split_whitespace().next()?;
    let (owner, name) = first.split_once('/')?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    (ok(owner) && ok(name) && !name.contains('/')).then(|| first.to_string())
}

pub fn quant_ref(m: &ModelEntry, q: &QuantEntry) -> QuantRef {
    let native = Catalog::get()
        .quant(&m.native_dtype)
        .is_ok_and(|n| n.id == q.id);
    let publisher_repo = m
        .published_sizes
        .iter()
        .filter(|p| p.quant.eq_ignore_ascii_case(&q.id))
        .find_map(|p| repo_in(&p.publisher))
        .filter(|r| *r != m.hf_repo);
    QuantRef {
        id: q.id.clone(),
        format: q.format,
        native,
        publisher_repo,
    }
}

/// What the estimate placed where, as the spec's offload settings.
fn apply_placement(spec: &mut DeploymentSpec, f: &Fit) {
    spec.kv_type = f.kv_type;
    match f.placement.kind {
        PlacementKind::PartialOffload => spec.gpu_layers = Some(f.placement.gpu_layers),
        PlacementKind::Cpu => spec.gpu_layers = Some(0),
        PlacementKind::ExpertOffload | PlacementKind::SsdStream => {
            let e = &f.placement.experts;
            spec.ssd_streaming = f.placement.kind == PlacementKind::SsdStream;
            spec.experts_on_cpu = e.layers_on_gpu == 0 && e.per_layer_on_gpu == 0;
            spec.expert_split = ExpertSplit {
                cpu_moe_layers: (e.layers_on_gpu > 0)
                    .then(|| e.moe_layers.saturating_sub(e.layers_on_gpu)),
                gpu_experts_per_layer: (e.per_layer_on_gpu > 0).then_some(e.per_layer_on_gpu),
                cache_gb: (e.cache_home == Some(CacheHome::Gpu)).then(|| (e.cache / 1e9).floor()),
            };
        }
        _ => {}
    }
    spec.experts_on_cpu |= f.options.experts_on_cpu;
}

fn support_note(m: &ModelEntry, runtime: crate::catalog::schema::Runtime) -> Option<String> {
    m.runtimes
        .iter()
        .find(|r| r.runtime == runtime && r.level == SupportLevel::Fork)
        .map(|r| {
            format!(
                "{} runs {} only in a fork ({}): the official release or image may not load it",
                runtime.cli_name(),
                m.name,
                r.since
            )
        })
}

/// The deployment of `option` (default: the plan's recommendation) for a scenario's cost inputs
/// and its plan. Reads: the option's `servers` and `feasible`; `capacity.concurrency` and
/// `capacity.serves()`; `deployment` (model, quant, runtime, gpu, gpus_per_server); the
/// workload's token lengths (context); and the estimate at that point (KV type, placement).
pub fn spec_from_plan(
    scenario: &str,
    inputs: &CostInputs,
    plan: &Plan,
    option: Option<OptionKind>,
) -> Result<DeploymentSpec, SpecError> {
    let err = |m: String| Err(SpecError(m));
    let Some(kind) = option.or(plan.recommended) else {
        return err("the plan recommends no option (none satisfies the constraints): pass --option cloud_gpu|local_server|local_cluster".into());
    };
    if kind == OptionKind::Api {
        return err(format!(
            "--option api: the DeepSeek API runs on DeepSeek's servers, so there is nothing to deploy{}",
            if option.is_none() {
                " (the plan recommends it); pass --option cloud_gpu|local_server|local_cluster to export a self-hosted deployment"
            } else {
                ""
            }
        ));
    }
    let Some(cost) = plan.options.iter().find(|o| o.kind == kind) else {
        return err(format!("--option {}: not in the plan", kind.json_name()));
    };
    let d = &inputs.deployment;
    let c = Catalog::get();
    let model = c
        .model(&d.model)
        .map_err(|e| SpecError(format!("deployment.model: {e}")))?;
    let quant = c
        .quant(&d.quant)
        .map_err(|e| SpecError(format!("deployment.quant: {e}")))?;
    let gpu = c
        .gpu(&d.gpu)
        .map_err(|e| SpecError(format!("deployment.gpu: {e}")))?;
    if !plan.capacity.serves() {
        let on = format!(
            "{} in {} on {} × {} with {}",
            model.name,
            quant.id,
            d.gpus_per_server,
            gpu.name,
            d.runtime.cli_name()
        );
        let w = &inputs.workload;
        return err(match plan.capacity.miss {
            Some(Miss::TooSlow { per_user_tok_s }) => format!(
                "{on} gives one user {per_user_tok_s:.1} tok/s, below the workload's min_user_tok_s {:.1}: the plan serves no one at that speed (lower workload.min_user_tok_s, or choose faster GPUs or a smaller model)",
                w.min_user_tok_s
            ),
            Some(Miss::FirstTokenTooSlow { ttft_s }) => format!(
                "{on} needs {ttft_s:.1} s to the first token, above the workload's max_ttft_s {:.1} (raise workload.max_ttft_s, or choose faster GPUs or a shorter prompt)",
                w.max_ttft_s
            ),
            Some(Miss::DoesNotFit) => format!(
                "{on} does not fit: nothing can be started (change deployment.gpu, gpus_per_server or quant)"
            ),
            None if server_layout(inputs, &model.arch).is_err() => format!(
                "{on}: {}",
                server_layout(inputs, &model.arch).err().map(|e| e.0).unwrap_or_default()
            ),
            None => match server_machine(inputs).map(|m| {
                fit(model, quant, &m, FitOptions::new(d.runtime, serving_context(inputs, model.arch.max_context)))
            }) {
                Some(Err(e)) => format!("{on} is not a deployment the estimate accepts: {e}"),
                _ => format!("{on} serves no one at the workload's service level"),
            },
        });
    }
    let servers = match kind {
        OptionKind::LocalServer => 1,
        _ => cost.servers,
    };
    if servers == 0 {
        return err(format!(
            "--option {}: the plan needs no servers (no traffic in the workload)",
            kind.json_name()
        ));
    }
    // Servers wider than a node span several nodes of equal size.
    let nodes_each = d.gpus_per_server.div_ceil(MAX_GPUS_PER_NODE).max(1);
    if d.gpus_per_server % nodes_each != 0 {
        return err(format!(
            "deployment.gpus_per_server {} does not split evenly into nodes of at most {MAX_GPUS_PER_NODE} GPUs",
            d.gpus_per_server
        ));
    }
    let gpus_per_node = d.gpus_per_server / nodes_each;
    let mut layout = Layout::Replicas {
        count: servers,
        nodes_each,
    };
    let mut gpus_per_node = gpus_per_node;
    // Sequences per engine: a server running data-parallel copies splits them.
    let mut concurrency = (plan.capacity.concurrency / plan.capacity.copies.max(1)).max(1);
    let mut speculative = plan.capacity.speculative;
    if let Some(c) = cost
        .cluster
        .as_ref()
        .filter(|c| c.layout == crate::cost::cluster::Layout::Disaggregated)
    {
        let per_node = crate::cost::cluster::GPUS_PER_NODE;
        gpus_per_node = per_node;
        layout = Layout::Disaggregated {
            prefill_nodes: c.prefill_gpus / per_node,
            decode_nodes: c.decode_gpus / per_node,
        };
        concurrency = c.decode_sequences.max(1);
        // SGLang runs DSpark neither with PD disaggregation nor with DP attention.
        speculative = speculative.filter(|k| *k != crate::catalog::schema::SpeculativeKind::Dspark);
    }
    let context = serving_context(inputs, model.arch.max_context);
    let mut spec = DeploymentSpec {
        scenario: scenario.to_string(),
        option: kind,
        model: model_ref(model),
        quant: quant_ref(model, quant),
        runtime: d.runtime,
        gpu: Some(GpuRef {
            id: gpu.id.clone(),
            name: gpu.name.clone(),
            vendor: gpu.vendor,
        }),
        gpus_per_node,
        layout,
        context,
        concurrency,
        kv_type: KvCacheType::Auto,
        // As the capacity was computed: with speculative decoding where it served more.
        speculative,
        gpu_layers: None,
        experts_on_cpu: false,
        ssd_streaming: false,
        expert_split: Default::default(),
        port: DEFAULT_PORT,
        notes: Vec::new(),
    };
    let machine = server_machine(inputs);
    let options = FitOptions {
        concurrency: spec.concurrency,
        speculative: spec.speculative,
        ..FitOptions::new(d.runtime, context)
    };
    match machine.as_ref().map(|m| fit(model, quant, m, options)) {
        Some(Ok(f)) => apply_placement(&mut spec, &f),
        Some(Err(e)) => {
            return err(format!(
                "the estimate for {} {} on {} × {} failed ({e}): nothing to deploy",
                model.name, quant.id, d.gpus_per_server, gpu.name
            ))
        }
        None => {
            return err(format!(
                "deployment: {} × {} is not a machine this tool can describe",
                d.gpus_per_server, gpu.name
            ))
        }
    }
    spec.notes.push(format!(
        "The plan sized each server at {} concurrent sequences ({:.0} output tok/s, {:.0} tok/s per user, {:.2} requests/s)",
        plan.capacity.concurrency,
        plan.capacity.output_tok_s,
        plan.capacity.per_user_tok_s,
        plan.capacity.requests_per_s
    ));
    if let Some(rec) = plan.recommended.filter(|r| *r != kind) {
        spec.notes.push(format!(
            "The plan recommends {}; this exports {} as asked",
            rec.json_name(),
            kind.json_name()
        ));
    }
    if !cost.feasible {
        spec.notes.push(format!(
            "The plan says {} cannot serve the workload's volume: this exports it anyway",
            kind.json_name()
        ));
    }
    spec.notes.extend(support_note(model, d.runtime));
    spec.validate()?;
    Ok(spec)
}

/// The option the app exports: the recommendation when it is self-hosted, else the cheapest
/// self-hosted option that can serve the volume (the API has nothing to deploy).
pub fn self_hosted_choice(plan: &Plan) -> Option<OptionKind> {
    plan.recommended
        .filter(|k| *k != OptionKind::Api)
        .or_else(|| {
            plan.options
                .iter()
                .filter(|o| o.kind != OptionKind::Api && o.feasible && o.servers > 0)
                .min_by(|a, b| a.horizon.total_cmp(&b.horizon))
                .map(|o| o.kind)
        })
}

/// The spec for one estimate on this machine: one server, the fit's settings.
pub fn spec_from_fit(f: &Fit) -> DeploymentSpec {
    let mut spec = DeploymentSpec {
        scenario: String::new(),
        option: OptionKind::LocalServer,
        model: model_ref(f.model),
        quant: quant_ref(f.model, f.quant),
        runtime: f.options.runtime,
        gpu: None,
        gpus_per_node: f.placement.gpus_used.max(1),
        layout: Layout::Replicas {
            count: 1,
            nodes_each: 1,
        },
        context: f.options.context,
        concurrency: f.options.concurrency.max(1),
        kv_type: f.kv_type,
        speculative: f.options.speculative,
        gpu_layers: None,
        experts_on_cpu: false,
        ssd_streaming: false,
        expert_split: Default::default(),
        port: DEFAULT_PORT,
        notes: Vec::new(),
    };
    apply_placement(&mut spec, f);
    spec.notes.extend(support_note(f.model, f.options.runtime));
    spec
}

#[cfg(test)]
mod tests {
    use super::repo_in;

    #[test]
    fn publisher_repos() {
        assert_eq!(
            repo_in("unsloth/DeepSeek-V4-Flash-GGUF ('lossless')").as_deref(),
            Some("unsloth/DeepSeek-V4-Flash-GGUF")
        );
        assert_eq!(repo_in("bartowski GGUF"), None);
        assert_eq!(repo_in("proxy: xtc2023/qm unsloth"), None);
        assert_eq!(repo_in("unsloth / bartowski"), None);
    }
}
