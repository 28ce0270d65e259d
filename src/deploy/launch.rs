//! The command that starts each engine, with the flags the estimate assumed (context, slots,
//! parallelism, KV cache type, speculative decoding, offload). Flag names were checked against
//! each runtime's documentation (sources in the README's "Deploying" section); a setting whose
//! flag could not be verified is left out and said so in `Launch::notes`.

use super::command::{Arg, Launch, Piece, Var};
use super::spec::{DeploymentSpec, Group, InstanceGroup, SpecError, DIST_INIT_PORT};
use crate::catalog::schema::{Runtime, SpeculativeKind};
use crate::estimate::kv::KvCacheType;

/// The GGUF file every target loads: `download-model.sh` links the first file of the downloaded
/// set to this name inside the weights folder.
pub const GGUF_LINK: &str = "model.gguf";

/// ds4's DSpark support file for V4-Flash 0731 (antirez/ds4 docs/SPECULATIVE_DECODING.md).
const DS4_DSPARK_SUPPORT: &str = "gguf/DeepSeek-V4-Flash-DSpark-support-0731.gguf";

fn model_dir_arg(suffix: &str) -> Arg {
    let mut pieces = vec![Piece::Var(Var::ModelDir)];
    if !suffix.is_empty() {
        pieces.push(Piece::Text(suffix.into()));
    }
    Arg(pieces)
}

fn head_addr_with_port(port: u16) -> Arg {
    Arg(vec![
        Piece::Var(Var::HeadAddress),
        Piece::Text(format!(":{port}")),
    ])
}

/// The command one node of `group` runs; `head` is rank 0 of its instance.
pub fn engine(
    spec: &DeploymentSpec,
    group: InstanceGroup,
    head: bool,
) -> Result<Launch, SpecError> {
    let multi_node = group.nodes_each > 1;
    let single_node_only = |name: &str| {
        if multi_node {
            Err(SpecError(format!(
                "{name} serves from one machine: a server of {} GPUs over {} nodes needs vLLM or SGLang",
                group.nodes_each * spec.gpus_per_node,
                group.nodes_each
            )))
        } else {
            Ok(())
        }
    };
    match spec.runtime {
        Runtime::LlamaCpp => {
            single_node_only("llama.cpp")?;
            Ok(llama_server(spec))
        }
        Runtime::Ollama => {
            single_node_only("Ollama")?;
            Ok(ollama_serve(spec))
        }
        Runtime::Vllm => Ok(vllm_serve(spec, group, head)),
        Runtime::Sglang => Ok(sglang_server(spec, group, head)),
        Runtime::Ktransformers => {
            single_node_only("KTransformers")?;
            Ok(ktransformers(spec))
        }
        Runtime::Ds4 => {
            single_node_only("ds4")?;
            Ok(ds4_server(spec))
        }
        Runtime::Mlx => {
            single_node_only("MLX")?;
            Ok(mlx_server(spec))
        }
        Runtime::TensorrtLlm => {
            single_node_only("TensorRT-LLM (trtllm-serve)")?;
            Ok(trtllm_serve(spec, group))
        }
    }
}

fn llama_server(spec: &DeploymentSpec) -> Launch {
    let mut l = Launch::new(&["llama-server"]);
    l.arg(Arg::text("-m"))
        .arg(model_dir_arg(&format!("/{GGUF_LINK}")))
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port)
        .flag("-c", u64::from(spec.context) * u64::from(spec.concurrency))
        .flag("-np", spec.concurrency)
        .note(format!(
            "-c is the KV pool the {} slot(s) share: {} tokens each",
            spec.concurrency, spec.context
        ));
    l.flag("-ngl", spec.gpu_layers.unwrap_or(999));
    if let Some(n) = spec.expert_split.cpu_moe_layers {
        l.flag("--n-cpu-moe", n).note(format!(
            "--n-cpu-moe {n} keeps the routed experts of the first {n} MoE layers in system RAM and puts the other layers' experts in the free VRAM, as the estimate placed them"
        ));
    } else if spec.experts_on_cpu {
        l.args(&["--cpu-moe"])
            .note("--cpu-moe keeps the routed experts in system RAM, as the estimate placed them");
    }
    if spec.ssd_streaming {
        l.note("experts that do not fit in RAM are read from the GGUF through the page cache (mmap, llama.cpp's default): do not add --mlock or --no-mmap");
    }
    if matches!(spec.kv_type, KvCacheType::Q8_0 | KvCacheType::Q4_0) {
        l.flag("-ctk", spec.kv_type.name())
            .flag("-ctv", spec.kv_type.name());
    }
    match spec.speculative {
        Some(SpeculativeKind::Mtp) => {
            l.flag("--spec-type", "draft-mtp")
                .flag("--spec-draft-n-max", 2)
                .note("MTP drafts from the multi-token-prediction layers: the GGUF must carry them (llama.cpp PR #25784)");
        }
        Some(SpeculativeKind::Dspark) => {
            l.flag("--spec-type", "draft-dspark")
                .arg(Arg::text("-md"))
                .arg(model_dir_arg("/dspark.gguf"))
                .flag("--spec-draft-n-max", 5)
                .flag("--fit", "off")
                .note("DSpark needs its drafter GGUF saved as dspark.gguf beside the model; --fit off as reported in llama.cpp PR #25784");
        }
        None => {}
    }
    l
}

fn ollama_serve(spec: &DeploymentSpec) -> Launch {
    let mut l = Launch::new(&["ollama", "serve"]);
    l.env("OLLAMA_HOST", format!("0.0.0.0:{}", spec.port))
        .env("OLLAMA_CONTEXT_LENGTH", spec.context)
        .env("OLLAMA_NUM_PARALLEL", spec.concurrency);
    if matches!(spec.kv_type, KvCacheType::Q8_0 | KvCacheType::Q4_0) {
        l.env("OLLAMA_FLASH_ATTENTION", 1)
            .env("OLLAMA_KV_CACHE_TYPE", spec.kv_type.name());
    }
    if spec.speculative.is_some() {
        l.note("Ollama has no speculative decoding setting: left out");
    }
    l
}

/// The served name clients put in `model`.
fn served_name(spec: &DeploymentSpec) -> String {
    spec.model.id.clone()
}

fn vllm_serve(spec: &DeploymentSpec, group: InstanceGroup, head: bool) -> Launch {
    let p = spec.parallelism(group);
    let mut l = Launch::new(&["vllm", "serve"]);
    l.arg(model_dir_arg(""))
        .flag("--served-model-name", served_name(spec))
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port)
        .flag("--tensor-parallel-size", p.tensor);
    if p.pipeline > 1 {
        l.flag("--pipeline-parallel-size", p.pipeline);
    }
    if p.expert {
        l.args(&["--enable-expert-parallel"]);
    }
    l.flag("--max-model-len", spec.context)
        .flag("--max-num-seqs", spec.concurrency);
    if spec.kv_type == KvCacheType::Fp8 {
        l.flag("--kv-cache-dtype", "fp8");
    }
    match spec.speculative {
        Some(SpeculativeKind::Mtp) => {
            l.flag(
                "--speculative-config",
                r#"{"method":"deepseek_mtp","num_speculative_tokens":1}"#,
            );
        }
        Some(SpeculativeKind::Dspark) => {
            l.flag(
                "--speculative-config",
                r#"{"method":"dspark","num_speculative_tokens":7,"draft_sample_method":"greedy"}"#,
            );
        }
        None => {}
    }
    if group.nodes_each > 1 {
        l.arg(Arg::text("--nnodes"))
            .arg(Arg::var(Var::NodeCount))
            .arg(Arg::text("--node-rank"))
            .arg(Arg::var(Var::NodeRank))
            .arg(Arg::text("--master-addr"))
            .arg(Arg::var(Var::HeadAddress));
        if !head {
            l.args(&["--headless"]);
        }
    }
    l.args(&["--trust-remote-code"]);
    l
}

fn sglang_server(spec: &DeploymentSpec, group: InstanceGroup, head: bool) -> Launch {
    let p = spec.parallelism(group);
    let mut l = Launch::new(&["python3", "-m", "sglang.launch_server"]);
    l.arg(Arg::text("--model-path"))
        .arg(model_dir_arg(""))
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port)
        .flag("--tp-size", p.tensor);
    if p.data > 1 {
        l.flag("--dp-size", p.data)
            .args(&["--enable-dp-attention"])
            .flag("--ep-size", p.tensor)
            .flag("--moe-a2a-backend", "deepep");
    }
    match group.group {
        Group::Prefill => {
            l.flag("--disaggregation-mode", "prefill");
        }
        Group::Decode => {
            l.flag("--disaggregation-mode", "decode");
        }
        Group::Serve => {}
    }
    if group.group != Group::Serve {
        l.note("PD disaggregation moves the KV cache over RDMA (Mooncake by default): add --disaggregation-ib-device <your NIC, e.g. mlx5_0> if it is not found");
    }
    l.flag("--context-length", spec.context)
        .flag("--max-running-requests", spec.concurrency);
    if spec.kv_type == KvCacheType::Fp8 {
        l.flag("--kv-cache-dtype", "fp8_e4m3");
    }
    match spec.speculative {
        Some(SpeculativeKind::Mtp) => {
            l.flag("--speculative-algorithm", "EAGLE")
                .flag("--speculative-num-steps", 1)
                .flag("--speculative-eagle-topk", 1)
                .flag("--speculative-num-draft-tokens", 2);
        }
        Some(SpeculativeKind::Dspark) => {
            l.flag("--speculative-algorithm", "DSPARK").note(
                "the checkpoint bundles its DSpark head: no draft model path (sglang PR #33083)",
            );
        }
        None => {}
    }
    if group.nodes_each > 1 {
        l.arg(Arg::text("--dist-init-addr"))
            .arg(head_addr_with_port(DIST_INIT_PORT))
            .arg(Arg::text("--nnodes"))
            .arg(Arg::var(Var::NodeCount))
            .arg(Arg::text("--node-rank"))
            .arg(Arg::var(Var::NodeRank));
        if !head {
            l.note("worker node: only the head (rank 0) answers HTTP requests");
        }
    }
    l.args(&["--trust-remote-code"]);
    l
}

/// The PD router in front of a disaggregated cluster (SGLang docs, pd_disaggregation.md).
pub fn router(spec: &DeploymentSpec) -> Option<Launch> {
    if !matches!(spec.layout, super::spec::Layout::Disaggregated { .. }) {
        return None;
    }
    let url = |v: Var| {
        Arg(vec![
            Piece::Text("http://".into()),
            Piece::Var(v),
            Piece::Text(format!(":{}", spec.port)),
        ])
    };
    let mut l = Launch::new(&["python3", "-m", "sglang_router.launch_router"]);
    l.args(&["--pd-disaggregation"])
        .arg(Arg::text("--prefill"))
        .arg(url(Var::PrefillAddress))
        .arg(Arg::text("--decode"))
        .arg(url(Var::DecodeAddress))
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port);
    Some(l)
}

fn ktransformers(spec: &DeploymentSpec) -> Launch {
    let mut l = Launch::new(&["python3", "-m", "sglang.launch_server"]);
    l.arg(Arg::text("--model"))
        .arg(model_dir_arg(""))
        .arg(Arg::text("--kt-weight-path"))
        .arg(model_dir_arg(""))
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port);
    if spec.model.id.contains("v4") {
        l.flag("--kt-method", "MXFP4");
    } else {
        l.note("--kt-method depends on how the CPU experts are stored: pick it from the kt-kernel README (only MXFP4 for V4 is verified here)");
    }
    let gpu_experts = spec.expert_split.gpu_experts_per_layer.unwrap_or(0);
    l.flag("--kt-num-gpu-experts", gpu_experts)
        .note(format!(
            "--kt-num-gpu-experts {gpu_experts} puts that many routed experts of every layer in the free VRAM and the rest on the CPU, as the estimate placed them"
        ))
        .note("tune --kt-cpuinfer and --kt-threadpool-count for your CPU (kt-kernel README); not set here")
        .flag("--tensor-parallel-size", spec.gpus_per_node)
        .flag("--context-length", spec.context)
        .flag("--max-running-requests", spec.concurrency);
    if spec.speculative == Some(SpeculativeKind::Mtp) {
        l.flag("--speculative-algorithm", "EAGLE")
            .flag("--speculative-num-steps", 3)
            .flag("--speculative-eagle-topk", 1)
            .flag("--speculative-num-draft-tokens", 4);
    }
    l.args(&["--trust-remote-code"]);
    l
}

fn ds4_server(spec: &DeploymentSpec) -> Launch {
    let mut l = Launch::new(&["./ds4-server"]);
    l.flag("--ctx", spec.context)
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port);
    if spec.concurrency > 1 {
        l.flag("--batched-session", spec.concurrency);
    }
    if spec.ssd_streaming {
        l.args(&["--ssd-streaming"]);
        if let Some(gb) = spec.expert_split.cache_gb.filter(|g| *g >= 1.0) {
            l.flag("--ssd-streaming-cache-experts", format!("{gb:.0}GB"));
        }
        l.note("--ssd-streaming reads routed experts from the GGUF through an expert cache in GPU memory, as the estimate placed them");
    }
    match spec.speculative {
        Some(SpeculativeKind::Dspark) if spec.concurrency == 1 => {
            l.args(&["--dspark"])
                .flag("--mtp-model", DS4_DSPARK_SUPPORT);
        }
        Some(_) => {
            l.note("ds4 runs speculative decoding only without --batched-session, and MTP only for GLM: left out");
        }
        None => {}
    }
    l.note("ds4 loads ds4flash.gguf, the link its download_model.sh updates; run from the ds4 checkout");
    l
}

fn mlx_server(spec: &DeploymentSpec) -> Launch {
    let mut l = Launch::new(&["mlx_lm.server"]);
    l.arg(Arg::text("--model"))
        .arg(model_dir_arg(""))
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port)
        .note("mlx_lm.server sizes its cache per request: no verified context or KV flag to pass");
    if spec.speculative.is_some() {
        l.note("MLX speculative decoding for DeepSeek is not in a released mlx-lm flag we could verify: left out");
    }
    l
}

/// `trtllm-serve` with the PyTorch backend (flags from the trtllm-serve command reference and
/// NVIDIA's DeepSeek-R1 example: `--tp_size --ep_size --pp_size --max_batch_size --max_seq_len
/// --kv_cache_free_gpu_memory_fraction`).
fn trtllm_serve(spec: &DeploymentSpec, group: InstanceGroup) -> Launch {
    let p = spec.parallelism(group);
    let mut l = Launch::new(&["trtllm-serve"]);
    l.arg(model_dir_arg(""))
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port)
        .flag("--backend", "pytorch")
        .flag("--tp_size", p.tensor)
        .flag("--pp_size", p.pipeline.max(1));
    if p.expert {
        l.flag("--ep_size", p.tensor);
    }
    l.flag("--max_batch_size", spec.concurrency)
        .flag("--max_seq_len", spec.context)
        .flag("--kv_cache_free_gpu_memory_fraction", "0.9");
    if spec.speculative.is_some() {
        l.note("TensorRT-LLM configures MTP through --extra_llm_api_options (speculative_config in a YAML file): add it as NVIDIA's DeepSeek recipes do");
    }
    l
}

/// The HTTP path that answers once the engine is ready.
pub fn health_path(runtime: Runtime) -> &'static str {
    match runtime {
        Runtime::LlamaCpp
        | Runtime::Vllm
        | Runtime::Sglang
        | Runtime::Ktransformers
        | Runtime::TensorrtLlm => "/health",
        Runtime::Ollama => "/api/version",
        Runtime::Ds4 | Runtime::Mlx => "/v1/models",
    }
}
