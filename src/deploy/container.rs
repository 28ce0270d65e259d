//! What Compose and Kubernetes share: the argv a container runs, its health check and the path
//! the weights are mounted at.

use super::command::{Launch, Var};
use super::launch::health_path;
use super::spec::DeploymentSpec;
use crate::catalog::schema::{Runtime, Vendor};

/// Where containers see the weights folder.
pub const MODEL_MOUNT: &str = "/models";

/// The container's argv: `spell` renders the variables; `escape` protects literal `$`.
pub fn argv(
    spec: &DeploymentSpec,
    l: &Launch,
    spell: &dyn Fn(Var) -> String,
    escape: &dyn Fn(&str) -> String,
) -> Vec<String> {
    l.argv
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let s = a.render(spell, escape);
            // The llama.cpp images keep their binaries in /app, off PATH.
            if i == 0 && spec.runtime == Runtime::LlamaCpp {
                format!("/app/{s}")
            } else {
                s
            }
        })
        .collect()
}

/// A command run inside the container that succeeds once the engine answers.
pub fn health_command(spec: &DeploymentSpec) -> Vec<String> {
    let url = format!(
        "http://localhost:{}{}",
        spec.port,
        health_path(spec.runtime)
    );
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
