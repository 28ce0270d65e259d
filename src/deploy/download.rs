//! The commands that fetch the weights before the engine starts: `hf download` of the official
//! repo (or of the publisher the catalog names for a GGUF or a conversion), `ollama pull`, or
//! ds4's own download script.

use super::command::{Arg, Launch, Piece, Var};
use super::launch::GGUF_LINK;
use super::spec::{DeploymentSpec, SpecError};
use crate::catalog::schema::{QuantFormat, Runtime};

/// ds4 download targets (antirez/ds4 docs/MODELS.md) for the catalog's model and quant.
fn ds4_target(model_id: &str, quant: &str) -> Option<&'static str> {
    let flash = model_id.starts_with("deepseek-v4-flash");
    let pro = model_id.starts_with("deepseek-v4-pro");
    match (flash, pro, quant) {
        (true, _, "ds4-q2") => Some("ds4f-q2"),
        (true, _, "ds4-q4") => Some("ds4f-q4"),
        (true, _, "MXFP4_MOE") => Some("ds4f-mxfp4"),
        (_, true, "ds4-q2") => Some("pro-q2-imatrix"),
        _ => None,
    }
}

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

/// Commands that download the weights into `MODEL_DIR` (run once per node, or once on shared
/// storage).
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
            match ds4_target(&spec.model.id, &spec.quant.id) {
                Some(t) => {
                    l.args(&[t]);
                }
                None => {
                    return Err(SpecError(format!(
                        "ds4 publishes no download target for {} {} that this tool knows; run ./download_model.sh --help in the ds4 checkout",
                        spec.model.name, spec.quant.id
                    )))
                }
            }
            if spec.speculative == Some(crate::catalog::schema::SpeculativeKind::Dspark) {
                let mut d = Launch::new(&["./download_model.sh", "ds4f-dspark"]);
                d.note("DSpark support file for Flash 0731");
                out.push(l);
                out.push(d);
            } else {
                out.push(l);
            }
        }
        _ => {
            let mut l = Launch::new(&["hf", "download"]);
            l.arg(repo_arg(spec));
            if spec.quant.format == QuantFormat::Gguf {
                l.flag("--include", format!("*{}*", spec.quant.id));
            }
            l.arg(Arg::text("--local-dir")).arg(Arg::var(Var::ModelDir));
            if !spec.quant.native && spec.quant.publisher_repo.is_none() {
                l.note(format!(
                    "{} weights of {} are a third-party conversion: set WEIGHTS_REPO to the Hugging Face repo you trust",
                    spec.quant.id, spec.model.name
                ));
            }
            out.push(l);
            if spec.quant.format == QuantFormat::Gguf {
                // Link the first file of the set (split GGUFs load from their first part).
                let mut link = Launch::new(&["sh", "-c"]);
                link.arg(Arg(vec![Piece::Text(format!(
                    "cd \"$0\" && ln -sf \"$(find . -name '*{}*.gguf' | sort | head -n 1)\" {GGUF_LINK}",
                    spec.quant.id
                ))]))
                .arg(Arg::var(Var::ModelDir))
                .note(format!("{GGUF_LINK} points at the first GGUF file of the set"));
                out.push(link);
            }
        }
    }
    Ok(out)
}
