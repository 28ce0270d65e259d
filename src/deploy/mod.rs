//! Deployment export (issue 10 item 4): for a plan's chosen option, the files that start it —
//! shell scripts, a docker-compose.yml or Kubernetes manifests — with a README of what was
//! assumed. Pure and egui-free: `render` builds the files, `export` writes them into a folder.

mod assumptions;
mod command;
mod compose;
mod container;
mod download;
pub mod engine_schema;
pub mod engines;
mod from_plan;
mod k8s;
mod launch;
mod local;
pub mod names;
mod readme;
mod shell;
pub mod spec;
pub mod verify;
mod write;
pub mod yaml;

pub use command::{Launch, Var};
pub use from_plan::{model_ref, quant_ref, self_hosted_choice, spec_from_fit, spec_from_plan};
pub use local::launch_commands;
pub use spec::{DeploymentSpec, GpuRef, Layout, ModelRef, QuantRef, SpecError, SupportRef};
pub use write::WriteError;

use std::path::{Path, PathBuf};

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Shell,
    Compose,
    K8s,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::Shell, Target::Compose, Target::K8s];

    pub fn name(self) -> &'static str {
        match self {
            Target::Shell => "shell",
            Target::Compose => "compose",
            Target::K8s => "k8s",
        }
    }
}

/// One file of the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// A plain file name chosen here (never from the scenario).
    pub name: String,
    pub contents: String,
    pub executable: bool,
}

impl GeneratedFile {
    pub fn text(name: &str, contents: String) -> GeneratedFile {
        GeneratedFile {
            name: name.into(),
            contents,
            executable: false,
        }
    }

    pub fn script(name: &str, contents: String) -> GeneratedFile {
        GeneratedFile {
            name: name.into(),
            contents,
            executable: true,
        }
    }
}

/// Why an export did not happen.
#[derive(Debug)]
pub enum DeployError {
    /// The spec cannot be started with this target (the message says why and what to change).
    Spec(SpecError),
    Write(WriteError),
}

impl std::fmt::Display for DeployError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeployError::Spec(e) => write!(f, "{e}"),
            DeployError::Write(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for DeployError {}

/// The files of `target` for `spec`, README last.
pub fn render(spec: &DeploymentSpec, target: Target) -> Result<Vec<GeneratedFile>, SpecError> {
    spec.validate()?;
    verify::verify(spec)?;
    let mut files = match target {
        Target::Shell => shell::files(spec)?,
        Target::Compose => {
            let mut f = compose::files(spec)?;
            f.push(shell::download_script(spec)?);
            f
        }
        Target::K8s => {
            let mut f = k8s::files(spec)?;
            f.push(shell::download_script(spec)?);
            f
        }
    };
    let readme = readme::readme(spec, target, &files);
    files.push(readme);
    Ok(files)
}

/// Renders and writes into `dir`; returns the paths written.
pub fn export(
    spec: &DeploymentSpec,
    target: Target,
    dir: &Path,
    force: bool,
) -> Result<Vec<PathBuf>, DeployError> {
    let files = render(spec, target).map_err(DeployError::Spec)?;
    write::write_into(dir, &files, force).map_err(DeployError::Write)
}
