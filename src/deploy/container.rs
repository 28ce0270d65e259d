//! What Compose and Kubernetes share: the argv a container runs, its health check and the path
//! the weights are mounted at.

use super::command::{shell_quote, Launch, Var};
use super::download::gguf_pattern;
use super::launch::health_path;
use super::spec::DeploymentSpec;
use crate::catalog::schema::{Runtime, Vendor};

/// Where containers see the weights folder.
pub const MODEL_MOUNT: &str = "/models";

/// The container's argv: `spell` renders the variables; `escape` protects literal `$` from the
/// target's own interpolation. A command that loads a GGUF file runs through `/bin/sh -c`,
/// which finds the first file of the set (by its own name, so split parts load) first.
pub fn argv(
    spec: &DeploymentSpec,
    l: &Launch,
    spell: &dyn Fn(Var) -> String,
    escape: &dyn Fn(&str) -> String,
) -> Vec<String> {
    // The llama.cpp images keep their binaries in /app, off PATH.
    let program = |i: usize, s: String| {
        if i == 0 && spec.runtime == Runtime::LlamaCpp {
            format!("/app/{s}")
        } else {
            s
        }
    };
    if !l.vars().contains(&Var::ModelFile) {
        return l
            .argv
            .iter()
            .enumerate()
            .map(|(i, a)| program(i, a.render(spell, escape)))
            .collect();
    }
    let words: Vec<String> = l
        .argv
        .iter()
        .enumerate()
        .map(|(i, a)| {
            program(
                i,
                a.render(
                    &|v| match v {
                        Var::ModelFile => escape("\"$MODEL_FILE\""),
                        other => spell(other),
                    },
                    &|t| escape(&shell_quote(t)),
                ),
            )
        })
        .collect();
    let pattern = gguf_pattern(spec);
    let find = escape(&format!(
        "MODEL_FILE=$(find {MODEL_MOUNT} -name {} | sort | head -n 1); if [ ! -f \"$MODEL_FILE\" ]; then echo \"no {pattern} under {MODEL_MOUNT}: run download-model.sh on this node\" >&2; exit 1; fi; exec ",
        shell_quote(&pattern)
    ));
    vec![
        "/bin/sh".into(),
        "-c".into(),
        format!("{find}{}", words.join(" ")),
    ]
}

/// A command run inside the container that succeeds once the engine answers on `port`.
pub fn health_command(spec: &DeploymentSpec, port: u16) -> Vec<String> {
    let url = format!("http://localhost:{port}{}", health_path(spec.runtime));
    match spec.runtime {
        Runtime::LlamaCpp => vec!["CMD".into(), "curl".into(), "-f".into(), url],
        Runtime::Ollama => vec!["CMD".into(), "ollama".into(), "list".into()],
        _ => vec![
            "CMD".into(),
            "python3".into(),
            "-c".into(),
            format!("import urllib.request; urllib.request.urlopen('{url}')"),
        ],
    }
}

/// How long the engine may take to load the weights before health checks count.
pub fn startup_minutes(spec: &DeploymentSpec) -> u32 {
    match spec.runtime {
        Runtime::Vllm | Runtime::Sglang => 60,
        _ => 20,
    }
}

/// The GPU vendor, when a plan names one.
pub fn vendor(spec: &DeploymentSpec) -> Option<Vendor> {
    spec.gpu.as_ref().map(|g| g.vendor)
}
