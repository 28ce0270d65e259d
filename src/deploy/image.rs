//! Official container images per engine and GPU vendor. Tags are pinned to releases known to
//! exist (vLLM v0.28.0 and SGLang v0.5.18 as the LeaderWorkerSet examples pin them, 2026; both
//! are past the versions DeepSeek V4 and DSpark need); bump them to current releases.

use super::spec::{DeploymentSpec, SpecError};
use crate::catalog::schema::{Runtime, Vendor};

pub const VLLM: &str = "vllm/vllm-openai:v0.28.0";
pub const SGLANG: &str = "lmsysorg/sglang:v0.5.18";

/// The image that runs the spec's engine on its GPUs, or why there is none to use.
pub fn image(spec: &DeploymentSpec) -> Result<&'static str, SpecError> {
    let vendor = spec.gpu.as_ref().map(|g| g.vendor);
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
        (Runtime::Vllm, Some(Vendor::Nvidia)) => Ok(VLLM),
        (Runtime::Sglang, Some(Vendor::Nvidia)) => Ok(SGLANG),
        (Runtime::LlamaCpp, Some(Vendor::Nvidia)) => Ok("ghcr.io/ggml-org/llama.cpp:server-cuda"),
        (Runtime::LlamaCpp, Some(Vendor::Amd)) => Ok("ghcr.io/ggml-org/llama.cpp:server-rocm"),
        (Runtime::LlamaCpp, Some(Vendor::Intel)) => Ok("ghcr.io/ggml-org/llama.cpp:server-intel"),
        (Runtime::Ollama, Some(Vendor::Nvidia)) => Ok("ollama/ollama:latest"),
        (Runtime::Ollama, Some(Vendor::Amd)) => Ok("ollama/ollama:rocm"),
        (_, Some(Vendor::Apple)) => none("containers cannot reach the Apple GPU"),
        (Runtime::Vllm | Runtime::Sglang, Some(_)) => {
            none("the ROCm and other-vendor builds are not ones this tool could verify")
        }
        (Runtime::Ktransformers, _) => none("KTransformers installs from source (kt-kernel)"),
        (Runtime::Ds4, _) => none("ds4 builds from source for the machine's GPU"),
        (Runtime::Mlx, _) => none("MLX runs on macOS only"),
        (Runtime::TensorrtLlm, _) => {
            none("TensorRT-LLM's NGC container tags change with each release; install it as NVIDIA's guide says")
        }
        (_, _) => none("no GPU vendor this tool has an image for"),
    }
}
