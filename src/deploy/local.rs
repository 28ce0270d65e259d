//! Commands for one estimate on this machine, for the cell detail and reports: the download and
//! the engine command, one line each, with the weights under `./models/`.

use super::command::{Arg, Launch, Piece, Var};
use super::download::{download, ollama_tag};
use super::from_plan::spec_from_fit;
use super::launch::engine;
use super::shell::model_dir_name;
use super::spec::DeploymentSpec;
use crate::catalog::schema::Runtime;
use crate::estimate::Fit;

fn with_model_dir(l: &Launch, dir: &str) -> Launch {
    let argv = l
        .argv
        .iter()
        .map(|a| {
            Arg(a
                .0
                .iter()
                .map(|p| match p {
                    Piece::Var(Var::ModelDir) => Piece::Text(dir.to_string()),
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
    let dir = format!("./models/{}", model_dir_name(spec));
    let mut out = Vec::new();
    if spec.runtime == Runtime::Ollama {
        if let Ok(tag) = ollama_tag(spec) {
            out.push(format!("ollama run {tag}"));
        }
        return out;
    }
    if let Ok(cmds) = download(spec) {
        out.extend(cmds.iter().map(|c| with_model_dir(c, &dir).shell_line()));
    }
    if let Some(g) = spec.groups().first() {
        if let Ok(l) = engine(spec, *g, true) {
            out.push(with_model_dir(&l, &dir).shell_line());
        }
    }
    // Ollama's one-liner, where its library has these weights.
    if let Ok(tag) = ollama_tag(spec) {
        out.push(format!("ollama run {tag}"));
    }
    out
}

/// The commands that download the weights and start the fit's runtime on this machine.
pub fn launch_commands(f: &Fit) -> Vec<String> {
    lines(&spec_from_fit(f))
}
