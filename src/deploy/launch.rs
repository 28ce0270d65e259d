//! The command that starts each engine, with the flags the estimate assumed (context, slots,
//! parallelism, KV cache type, speculative decoding, offload). Every flag is one the pinned
//! release's own parser accepts (`engine_schema`, checked before any file is written); a
//! setting the pinned release has no flag for is left out and said so in `Launch::notes`.

use super::command::{Arg, Launch, Piece, Var};
use super::engine_schema::Engine;
use super::spec::{
    DeploymentSpec, Group, InstanceGroup, Layout, SpecError, BOOTSTRAP_PORT, DIST_INIT_PORT,
    ROUTER_PORT,
};
use crate::catalog::schema::{QuantFormat, Runtime, SpeculativeKind};
use crate::estimate::kv::KvCacheType;
use crate::estimate::parallelism::Layout as Parallel;

fn model_dir() -> Arg {
    Arg::var(Var::ModelDir)
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
    let p = spec.parallelism(group)?;
    let mut l = match spec.runtime {
        Runtime::LlamaCpp => llama_server(spec),
        Runtime::Ollama => ollama_serve(spec),
        Runtime::Vllm => vllm_serve(spec, group, head, &p),
        Runtime::Sglang => sglang_server(spec, group, head, &p),
        Runtime::Ktransformers => ktransformers(spec, &p)?,
        Runtime::Ds4 => ds4_server(spec)?,
        Runtime::Mlx => mlx_server(spec),
        Runtime::TensorrtLlm => trtllm_serve(spec, &p),
    };
    if let Some(n) = crate::estimate::parallelism::idle_note(&spec.model.shape, spec.runtime, &p) {
        l.note(n);
    }
    Ok(l)
}

fn llama_server(spec: &DeploymentSpec) -> Launch {
    let mut l = Launch::new(&["llama-server"]);
    l.arg(Arg::text("-m"))
        .arg(Arg::var(Var::ModelFile))
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port)
        .flag("-c", u64::from(spec.context) * u64::from(spec.concurrency))
        .flag("-np", spec.concurrency)
        .note(format!(
            "-c is the KV pool the {} slot(s) share: {} tokens each",
            spec.concurrency, spec.context
        ));
    match spec.gpu_layers {
        Some(n) => l.flag("-ngl", n),
        None => l.flag("-ngl", "all"),
    };
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
                .arg(Arg(vec![
                    Piece::Var(Var::ModelDir),
                    Piece::Text("/dspark.gguf".into()),
                ]))
                .flag("--spec-draft-n-max", 5)
                .flag("--fit", "off")
                .note("DSpark needs its drafter GGUF saved as dspark.gguf in the weights folder; --fit off as reported in llama.cpp PR #25784");
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

fn vllm_serve(spec: &DeploymentSpec, group: InstanceGroup, head: bool, p: &Parallel) -> Launch {
    let mut l = Launch::new(&["vllm", "serve"]);
    l.arg(model_dir())
        .flag("--served-model-name", served_name(spec))
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port)
        .flag("--tensor-parallel-size", p.tensor);
    if p.pipeline > 1 {
        l.flag("--pipeline-parallel-size", p.pipeline);
    }
    if p.data > 1 {
        l.flag("--data-parallel-size", p.data);
    }
    if p.expert > 1 {
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

fn sglang_server(spec: &DeploymentSpec, group: InstanceGroup, head: bool, p: &Parallel) -> Launch {
    let mut l = Launch::new(&["python3", "-m", "sglang.launch_server"]);
    l.arg(Arg::text("--model-path"))
        .arg(model_dir())
        .flag("--served-model-name", served_name(spec))
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port)
        .flag("--tp-size", p.tensor);
    if p.data > 1 {
        l.flag("--dp-size", p.data);
    }
    if p.attention_data > 1 {
        // SGLang 0.5.23 spells DP attention `--attn-dp-size N` (`--dp-size N
        // --enable-dp-attention` is deprecated).
        l.flag("--attn-dp-size", p.attention_data);
    }
    if p.expert > 1 {
        l.flag("--ep-size", p.expert);
    }
    match group.group {
        Group::Prefill => {
            l.flag("--moe-a2a-backend", "deepep")
                .flag("--disaggregation-mode", "prefill")
                .flag("--disaggregation-bootstrap-port", BOOTSTRAP_PORT);
        }
        Group::Decode => {
            l.flag("--moe-a2a-backend", "deepep")
                .flag("--disaggregation-mode", "decode");
        }
        Group::Serve => {}
    }
    if group.group != Group::Serve {
        l.note(format!("PD disaggregation moves the KV cache over RDMA (Mooncake by default); decode instances reach the prefill head's bootstrap port {BOOTSTRAP_PORT}: add --disaggregation-ib-device <your NIC, e.g. mlx5_0> if it is not found"));
    }
    l.flag("--context-length", spec.context).flag(
        "--max-running-requests",
        spec.concurrency.saturating_mul(p.data),
    );
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

/// The PD router in front of a disaggregated cluster (SGLang docs, pd_disaggregation.md): the
/// prefill URL carries its bootstrap port, and the router listens on its own port.
pub fn router(spec: &DeploymentSpec) -> Option<Launch> {
    if !matches!(spec.layout, Layout::Disaggregated { .. }) {
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
        .arg(Arg::text(BOOTSTRAP_PORT.to_string()))
        .arg(Arg::text("--decode"))
        .arg(url(Var::DecodeAddress))
        .flag("--host", "0.0.0.0")
        .flag("--port", ROUTER_PORT);
    Some(l)
}

/// The kt-kernel method that reads the CPU experts as the weights store them.
fn kt_method(spec: &DeploymentSpec) -> Result<&'static str, SpecError> {
    match (spec.quant.format, spec.quant.id.as_str()) {
        (QuantFormat::Gguf, _) => Ok("LLAMAFILE"),
        (_, "FP4-FP8") => Ok("MXFP4"),
        (_, "FP8") => Ok("FP8"),
        (_, "BF16") => Ok("BF16"),
        (_, "NVFP4") => Ok("NVFP4"),
        (_, other) => Err(SpecError(format!(
            "KTransformers reads CPU experts as GGUF (LLAMAFILE), FP8, BF16, MXFP4 or NVFP4; {other} weights need converting first (kt-kernel's convert tools): choose one of those quants or llama.cpp"
        ))),
    }
}

fn ktransformers(spec: &DeploymentSpec, p: &Parallel) -> Result<Launch, SpecError> {
    let method = kt_method(spec)?;
    let gpu_experts = spec.expert_split.gpu_experts_per_layer.unwrap_or(0);
    let mut l = Launch::new(&["python3", "-m", "sglang.launch_server"]);
    l.arg(Arg::text("--model")).arg(model_dir());
    if spec.quant.format == QuantFormat::Gguf {
        l.arg(Arg::text("--kt-weight-path"))
            .arg(Arg::var(Var::GgufDir))
            .note("--model is the original checkpoint (config, tokenizer, the GPU layers); --kt-weight-path the GGUF folder the CPU experts are read from (LLAMAFILE)");
    } else {
        l.arg(Arg::text("--kt-weight-path")).arg(model_dir());
    }
    l.flag("--kt-method", method)
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port)
        .flag("--kt-num-gpu-experts", gpu_experts)
        .note(format!(
            "--kt-num-gpu-experts {gpu_experts} puts that many routed experts of every layer in the free VRAM and the rest on the CPU, as the estimate placed them"
        ))
        .note("tune --kt-cpuinfer and --kt-threadpool-count for your CPU (kt-kernel README); not set here")
        .flag("--tensor-parallel-size", p.tensor)
        .flag("--context-length", spec.context)
        .flag("--max-running-requests", spec.concurrency);
    if spec.speculative == Some(SpeculativeKind::Mtp) {
        l.flag("--speculative-algorithm", "EAGLE")
            .flag("--speculative-num-steps", 3)
            .flag("--speculative-eagle-topk", 1)
            .flag("--speculative-num-draft-tokens", 4);
    }
    l.args(&["--trust-remote-code"]);
    Ok(l)
}

/// ds4's download target for the spec's model and quant, from the pinned ds4's own
/// `download_model.sh` (its GGUFs are DeepSeek-V4-Flash builds).
pub fn ds4_target(spec: &DeploymentSpec) -> Result<&'static str, SpecError> {
    let pinned = Engine::Ds4.schema();
    let target = match (spec.model.id.as_str(), spec.quant.id.as_str()) {
        ("deepseek-v4-flash", "ds4-q2") => "q2-imatrix",
        ("deepseek-v4-flash", "ds4-q4") => "q4-imatrix",
        _ => {
            return Err(SpecError(format!(
                "the pinned ds4 ({}) downloads only DeepSeek-V4-Flash in ds4-q2 or ds4-q4 ({}); {} {} needs a later ds4 build or another runtime",
                pinned.version,
                pinned.download_targets().join(", "),
                spec.model.name,
                spec.quant.id
            )))
        }
    };
    if !pinned.download_targets().contains(&target) {
        return Err(SpecError(format!(
            "internal: ds4 {} has no download target {target}",
            pinned.version
        )));
    }
    Ok(target)
}

fn ds4_server(spec: &DeploymentSpec) -> Result<Launch, SpecError> {
    ds4_target(spec)?;
    let mut l = Launch::new(&["./ds4-server"]);
    l.flag("--ctx", spec.context)
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port);
    if spec.concurrency > 1 {
        l.note(format!(
            "the pinned ds4-server serves one session at a time; the plan assumed {} at once",
            spec.concurrency
        ));
    }
    if spec.ssd_streaming {
        let cache = spec
            .expert_split
            .cache_gb
            .filter(|g| *g >= 1.0)
            .map_or(String::new(), |gb| {
                format!(" (a {gb:.0} GB expert cache in GPU memory)")
            });
        l.note(format!("the estimate streams routed experts from the SSD{cache}; the pinned ds4 has no option for it (ds4 builds with --ssd-streaming have), so the machine needs memory for the whole GGUF or a later ds4 build"));
    }
    if spec.speculative.is_some() {
        l.note("speculative decoding left out: the pinned ds4 drafts only with its separate MTP GGUF (download_model.sh mtp, --mtp)");
    }
    l.note("ds4 loads ds4flash.gguf, the link its download_model.sh updates; run from the ds4 checkout");
    Ok(l)
}

fn mlx_server(spec: &DeploymentSpec) -> Launch {
    let mut l = Launch::new(&["mlx_lm.server"]);
    l.arg(Arg::text("--model"))
        .arg(model_dir())
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port);
    if spec.concurrency > 1 {
        l.flag("--decode-concurrency", spec.concurrency);
    }
    l.note("mlx_lm.server sizes its cache per request: no context flag to pass");
    if spec.speculative.is_some() {
        l.note("MLX speculative decoding needs a separate draft model (--draft-model): left out");
    }
    l
}

/// `trtllm-serve` with the PyTorch backend (one node).
fn trtllm_serve(spec: &DeploymentSpec, p: &Parallel) -> Launch {
    let mut l = Launch::new(&["trtllm-serve"]);
    l.arg(model_dir())
        .flag("--host", "0.0.0.0")
        .flag("--port", spec.port)
        .flag("--backend", "pytorch")
        .flag("--tp_size", p.tensor)
        .flag("--pp_size", p.pipeline);
    if p.expert > 1 {
        l.flag("--ep_size", p.expert);
    }
    l.flag("--max_batch_size", spec.concurrency)
        .flag("--max_seq_len", spec.context)
        .flag("--kv_cache_free_gpu_memory_fraction", "0.9")
        .args(&["--trust_remote_code"]);
    if spec.speculative.is_some() {
        l.note("TensorRT-LLM configures MTP through --config (speculative_config in a YAML file): add it as NVIDIA's DeepSeek recipes do");
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
