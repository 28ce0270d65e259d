//! The commands that fetch the weights before the engine starts: `hf download` of the official
//! repo (or of the publisher the catalog names for a GGUF or a conversion), `ollama pull`, or
//! ds4's own download script. `hf download` resumes an interrupted download and skips files
//! already complete, so running the script again is safe.

use super::command::{Arg, Launch, Var};
use super::launch::ds4_target;
use super::spec::{DeploymentSpec, SpecError};
use crate::catalog::schema::{QuantFormat, Runtime};

/// The local Ollama tag for the spec's weights: Ollama's default tags are Q4_K_M builds.
pub fn ollama_tag(spec: &DeploymentSpec) -> Result<&str, SpecError> {
    if !spec.quant.id.eq_ignore_ascii_case("Q4_K_M") {
        return Err(SpecError(format!(
            "Ollama's library tags are Q4_K_M builds; {} has none in {} (choose Q4_K_M or llama.cpp)",
            spec.model.name, spec.quant.id
        )));
    }
    spec.model
        .ollama_tags
        .first()
        .map(String::as_str)
        .ok_or_else(|| {
            SpecError(format!(
                "{} has no local Ollama tag (cloud-only tags download no weights): use llama.cpp",
                spec.model.name
            ))
        })
}

/// The repo the weights come from: the official one for the native checkpoint, the publisher
/// the catalog names, or one the user sets in `WEIGHTS_REPO`.
fn repo_arg(spec: &DeploymentSpec) -> Arg {
    if spec.quant.native {
        Arg::text(spec.model.hf_repo.clone())
    } else if let Some(r) = &spec.quant.publisher_repo {
        Arg::text(r.clone())
    } else {
        Arg::var(Var::WeightsRepo)
    }
}

/// The `find` pattern of the spec's GGUF files (`*Q4_K_M*.gguf`).
pub fn gguf_pattern(spec: &DeploymentSpec) -> String {
    format!("*{}*.gguf", spec.quant.id)
}

/// Commands that download the weights into `MODEL_DIR` (and `GGUF_DIR`), run once per node or
/// once on shared storage.
pub fn download(spec: &DeploymentSpec) -> Result<Vec<Launch>, SpecError> {
    let mut out = Vec::new();
    match spec.runtime {
        Runtime::Ollama => {
            let mut l = Launch::new(&["ollama", "pull"]);
            l.args(&[ollama_tag(spec)?]);
            out.push(l);
        }
        Runtime::Ds4 => {
            let mut l = Launch::new(&["./download_model.sh"]);
            l.args(&[ds4_target(spec)?]);
            out.push(l);
        }
        _ => {
            let gguf = spec.quant.format == QuantFormat::Gguf;
            // KTransformers reads GGUF experts beside the original checkpoint.
            let two_folders = gguf && spec.runtime == Runtime::Ktransformers;
            if two_folders {
                let mut l = Launch::new(&["hf", "download"]);
                l.arg(Arg::text(spec.model.hf_repo.clone()))
                    .arg(Arg::text("--local-dir"))
                    .arg(Arg::var(Var::ModelDir))
                    .note(format!(
                        "KTransformers runs the GPU layers from the original checkpoint ({}) and the CPU experts from the GGUF",
                        spec.model.hf_repo
                    ));
                out.push(l);
            }
            let mut l = Launch::new(&["hf", "download"]);
            l.arg(repo_arg(spec));
            if gguf {
                l.flag("--include", gguf_pattern(spec));
            }
            l.arg(Arg::text("--local-dir"))
                .arg(Arg::var(if two_folders {
                    Var::GgufDir
                } else {
                    Var::ModelDir
                }));
            if !spec.quant.native && spec.quant.publisher_repo.is_none() {
                l.note(format!(
                    "{} weights of {} are a third-party conversion: set WEIGHTS_REPO to the Hugging Face repo you trust",
                    spec.quant.id, spec.model.name
                ));
            }
            if gguf {
                l.note("split GGUFs stay as downloaded: the engine is given the first part by its own name and finds the others beside it");
            }
            out.push(l);
        }
    }
    Ok(out)
}
