//! The commands that start a model as the estimate placed it: `ollama run` and `llama-server`
//! with the layers and experts where the placement put them. Shown in the app's detail view and in
//! reports.

use crate::catalog::schema::QuantFormat;
use crate::estimate::placement::PlacementKind;
use crate::estimate::Fit;

/// The Ollama and llama.cpp commands for a fit (Ollama only for its default Q4_K_M tags,
/// llama.cpp only for GGUF quants).
pub fn launch_commands(f: &Fit) -> Vec<String> {
    let mut out = Vec::new();
    if f.quant.id == "Q4_K_M" {
        if let Some(tag) = f.model.ollama_tags.first() {
            out.push(format!("ollama run {tag}"));
        }
    }
    let ngl = match f.placement.kind {
        PlacementKind::Cpu => 0,
        PlacementKind::PartialOffload => f.placement.gpu_layers,
        _ => 999,
    };
    let mut cmd = format!(
        "llama-server -m {}-{}.gguf -c {} -ngl {ngl}",
        f.model.name, f.quant.id, f.options.context
    );
    if f.placement.kind == PlacementKind::ExpertOffload {
        cmd.push_str(" -ot exps=CPU");
    }
    if f.quant.format == QuantFormat::Gguf {
        out.push(cmd);
    }
    out
}
