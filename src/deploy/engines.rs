//! Which engine release a deployment runs, its container image, and whether that release loads
//! the model: the pinned schema's model registry (architectures) and the catalog's support
//! matrix (first release, or fork only) decide; the export refuses, naming what is needed,
//! where no released engine can.
//!
//! Pinned releases (bump: scripts/engine-schemas/regen.sh, then the tags below):
//! vLLM 0.34.0, SGLang 0.5.23, sglang-router 0.3.2, KTransformers 0.7.2 (sglang-kt), llama.cpp
//! b11312, mlx-lm 0.32.2, ds4 8d57664, Ollama 0.32.15, trtllm-serve 00209af.

use super::engine_schema::{Engine, EngineSchema};
use super::spec::{DeploymentSpec, SpecError};
use crate::catalog::schema::{Runtime, SupportLevel, Vendor};

/// The engine (and so the schema) a runtime's commands run.
pub fn engine_of(runtime: Runtime) -> Engine {
    match runtime {
        Runtime::LlamaCpp => Engine::LlamaCpp,
        Runtime::Ollama => Engine::Ollama,
        Runtime::Vllm => Engine::Vllm,
        Runtime::Sglang => Engine::Sglang,
        Runtime::Ktransformers => Engine::Ktransformers,
        Runtime::Ds4 => Engine::Ds4,
        Runtime::Mlx => Engine::MlxLm,
        Runtime::TensorrtLlm => Engine::TensorrtLlm,
    }
}

pub fn schema_of(runtime: Runtime) -> &'static EngineSchema {
    engine_of(runtime).schema()
}

/// `architectures[0]` of a Hugging Face checkpoint as the GGUF `general.architecture`
/// llama.cpp and ds4 use, and as mlx-lm's `model_type` module.
fn gguf_and_mlx(hf: &str) -> Option<(&'static str, &'static str)> {
    Some(match hf {
        "DeepseekV3ForCausalLM" => ("deepseek2", "deepseek_v3"),
        "DeepseekV2ForCausalLM" => ("deepseek2", "deepseek_v2"),
        "DeepseekV32ForCausalLM" => ("deepseek32", "deepseek_v32"),
        "DeepseekV4ForCausalLM" => ("deepseek4", "deepseek_v4"),
        "DeepseekV41ForCausalLM" => ("deepseek41", "deepseek_v41"),
        "Qwen2ForCausalLM" => ("qwen2", "qwen2"),
        "Qwen3ForCausalLM" => ("qwen3", "qwen3"),
        "LlamaForCausalLM" => ("llama", "llama"),
        _ => return None,
    })
}

/// The key the runtime's model registry knows the model by, or `None` where the pinned schema
/// lists no architectures (Ollama pulls library tags; trtllm-serve's list was not extracted).
pub fn architecture_key(runtime: Runtime, hf_architecture: &str) -> Option<String> {
    if hf_architecture.is_empty() {
        return None;
    }
    match runtime {
        Runtime::Vllm | Runtime::Sglang | Runtime::Ktransformers => {
            Some(hf_architecture.to_string())
        }
        Runtime::LlamaCpp | Runtime::Ds4 => gguf_and_mlx(hf_architecture).map(|k| k.0.into()),
        Runtime::Mlx => gguf_and_mlx(hf_architecture).map(|k| k.1.into()),
        Runtime::Ollama | Runtime::TensorrtLlm => None,
    }
}

/// Compares dotted release numbers (`0.5.21` < `0.5.23`; a leading `v` or `b` is ignored).
pub fn release_lt(a: &str, b: &str) -> bool {
    let parts = |s: &str| -> Vec<u64> {
        s.trim_start_matches(['v', 'b'])
            .split('.')
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    parts(a) < parts(b)
}

/// Whether the pinned release of the spec's engine loads the model; the error names the
/// release or fork that does.
pub fn check_support(spec: &DeploymentSpec) -> Result<(), SpecError> {
    let schema = schema_of(spec.runtime);
    let row = spec
        .model
        .support
        .iter()
        .find(|r| r.runtime == spec.runtime);
    if let Some(r) = row {
        if r.level == SupportLevel::Fork {
            return Err(SpecError(format!(
                "{} runs {} only in a fork or an unreleased branch ({}); the pinned {} release cannot load it{}",
                spec.runtime.cli_name(),
                spec.model.name,
                r.since,
                schema.label(),
                alternatives(spec)
            )));
        }
        if let Some(first) = &r.release {
            if release_lt(&schema.version, first) {
                return Err(SpecError(format!(
                    "{} needs {} {first} or newer; the pinned release is {}",
                    spec.model.name,
                    spec.runtime.cli_name(),
                    schema.version
                )));
            }
        }
    }
    if let Some(key) = architecture_key(spec.runtime, &spec.model.architecture) {
        if !schema.architectures.is_empty() && !schema.knows_architecture(&key) {
            let needed = row
                .and_then(|r| r.release.clone())
                .unwrap_or_else(|| "a newer release".into());
            return Err(SpecError(format!(
                "the pinned {} does not load {} ({key} is not in its model registry): {} needs {needed}{}",
                schema.label(),
                spec.model.name,
                spec.model.name,
                alternatives(spec)
            )));
        }
    }
    Ok(())
}

/// "; use X or Y" for the runtimes whose releases run the model.
fn alternatives(spec: &DeploymentSpec) -> String {
    let names: Vec<&str> = spec
        .model
        .support
        .iter()
        .filter(|r| r.runtime != spec.runtime && r.level == SupportLevel::Mainline)
        .map(|r| r.runtime.cli_name())
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("; its releases run on {}", names.join(", "))
    }
}

/// The container image (pinned to the schema's release) for the spec's engine and GPUs, or why
/// there is none to use.
pub fn image(spec: &DeploymentSpec) -> Result<String, SpecError> {
    let vendor = spec.gpu.as_ref().map(|g| g.vendor);
    let v = &schema_of(spec.runtime).version;
    let none = |why: &str| {
        Err(SpecError(format!(
            "no official container image for {} on {}: {why}; use --target shell",
            spec.runtime.cli_name(),
            spec.gpu
                .as_ref()
                .map_or("this machine", |g| g.name.as_str())
        )))
    };
    match (spec.runtime, vendor) {
        (_, Some(Vendor::Apple)) => none("containers cannot reach the Apple GPU"),
        (Runtime::Vllm, Some(Vendor::Nvidia)) => Ok(format!("vllm/vllm-openai:v{v}")),
        (Runtime::Sglang, Some(Vendor::Nvidia)) => Ok(format!("lmsysorg/sglang:v{v}")),
        (Runtime::LlamaCpp, Some(Vendor::Nvidia)) => {
            Ok(format!("ghcr.io/ggml-org/llama.cpp:server-cuda-{v}"))
        }
        (Runtime::LlamaCpp, Some(Vendor::Amd)) => {
            Ok(format!("ghcr.io/ggml-org/llama.cpp:server-rocm-{v}"))
        }
        (Runtime::LlamaCpp, Some(Vendor::Intel)) => {
            Ok(format!("ghcr.io/ggml-org/llama.cpp:server-intel-{v}"))
        }
        (Runtime::Ollama, Some(Vendor::Nvidia)) => Ok(format!("ollama/ollama:{v}")),
        (Runtime::Ollama, Some(Vendor::Amd)) => Ok(format!("ollama/ollama:{v}-rocm")),
        (Runtime::Ollama, Some(Vendor::Intel)) => {
            none("Ollama publishes no image for Intel GPUs")
        }
        (Runtime::Vllm | Runtime::Sglang, Some(_)) => {
            none("the ROCm and other-vendor builds are not ones this tool could verify")
        }
        (Runtime::Ktransformers, _) => none("KTransformers installs from its packages (pip install ktransformers[sglang])"),
        (Runtime::Ds4, _) => none("ds4 builds from source for the machine's GPU"),
        (Runtime::Mlx, _) => none("MLX runs on macOS only"),
        (Runtime::TensorrtLlm, _) => {
            none("TensorRT-LLM's NGC container tags change with each release; install it as NVIDIA's guide says")
        }
        (_, _) => none("no GPU vendor this tool has an image for"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_compare_numerically() {
        assert!(release_lt("0.5.9", "0.5.21"));
        assert!(release_lt("v0.29.0", "0.30.0"));
        assert!(!release_lt("0.34.0", "0.30.0"));
        assert!(!release_lt("b11312", "b10488"));
    }

    #[test]
    fn every_catalog_architecture_has_engine_keys() {
        for m in &crate::catalog::Catalog::get().models.models {
            assert!(
                gguf_and_mlx(&m.architecture).is_some(),
                "{}: {}",
                m.id,
                m.architecture
            );
        }
    }
}
