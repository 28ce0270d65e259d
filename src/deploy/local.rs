//! Commands for one estimate on this machine, for the cell detail and reports: the download and
//! the engine command, one line each, with the weights under `./models/`. A model the estimate
//! does not place gets no command; one the pinned engine cannot start gets the reason instead.

use super::command::{shell_quote, Arg, Launch, Piece, Var};
use super::download::{download, gguf_pattern, ollama_tag};
use super::from_plan::spec_from_fit;
use super::launch::engine;
use super::shell::{gguf_dir_name, model_dir_name};
use super::spec::DeploymentSpec;
use crate::catalog::schema::Runtime;
use crate::estimate::placement::PlacementKind;
use crate::estimate::Fit;

fn with_folders(l: &Launch, spec: &DeploymentSpec) -> Launch {
    let dir = format!("./models/{}", model_dir_name(spec));
    let text = |v: Var| match v {
        Var::ModelDir => Some(dir.clone()),
        Var::GgufDir => Some(format!("./models/{}", gguf_dir_name(spec))),
        _ => None,
    };
    let argv = l
        .argv
        .iter()
        .map(|a| {
            Arg(a
                .0
                .iter()
                .map(|p| match p {
                    Piece::Var(v) => text(*v).map_or(p.clone(), Piece::Text),
                    other => other.clone(),
                })
                .collect())
        })
        .collect();
    Launch {
        env: l.env.clone(),
        argv,
        program_len: l.program_len,
        notes: l.notes.clone(),
    }
}

fn lines(spec: &DeploymentSpec) -> Vec<String> {
    let mut out = Vec::new();
    if let Err(e) = super::verify::verify(spec) {
        out.push(format!("# {e}"));
        return out;
    }
    if spec.runtime == Runtime::Ollama {
        if let Ok(tag) = ollama_tag(spec) {
            out.push(format!("ollama run {tag}"));
        }
        return out;
    }
    if let Ok(cmds) = download(spec) {
        out.extend(cmds.iter().map(|c| with_folders(c, spec).shell_line()));
    }
    if let Some(g) = spec.groups().first() {
        if let Ok(l) = engine(spec, *g, true) {
            let line = with_folders(&l, spec).shell_line();
            // The first GGUF of the set, found where it was downloaded.
            let find = format!(
                "\"$(find ./models/{} -name {} | sort | head -n 1)\"",
                model_dir_name(spec),
                shell_quote(&gguf_pattern(spec))
            );
            out.push(line.replace("\"${MODEL_FILE}\"", &find));
        }
    }
    // Ollama's one-liner, where its library has these weights.
    if let Ok(tag) = ollama_tag(spec) {
        out.push(format!("ollama run {tag}"));
    }
    out
}

/// The commands that download the weights and start the fit's runtime on this machine (none
/// when the estimate does not place the model).
pub fn launch_commands(f: &Fit) -> Vec<String> {
    if f.placement.kind == PlacementKind::DoesNotFit {
        return Vec::new();
    }
    lines(&spec_from_fit(f))
}
