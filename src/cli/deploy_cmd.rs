//! `deepseek-advisor deploy SCENARIO.ron --target shell|compose|k8s --out DIR [--option OPTION]
//! [--force]`: writes the files that start the plan's chosen option and lists them.

use super::{CliError, DeployArgs};
use crate::cost::{plan, OptionKind};
use crate::deploy::{export, spec_from_plan, DeployError, Target};
use crate::scenario::Scenario;
use clap::ValueEnum;
use std::io::Write;

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum TargetArg {
    Shell,
    Compose,
    K8s,
}

impl From<TargetArg> for Target {
    fn from(t: TargetArg) -> Target {
        match t {
            TargetArg::Shell => Target::Shell,
            TargetArg::Compose => Target::Compose,
            TargetArg::K8s => Target::K8s,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum OptionArg {
    #[value(name = "api")]
    Api,
    #[value(name = "cloud_gpu", alias = "cloud-gpu")]
    CloudGpu,
    #[value(name = "local_server", alias = "local-server")]
    LocalServer,
    #[value(name = "local_cluster", alias = "local-cluster")]
    LocalCluster,
}

impl From<OptionArg> for OptionKind {
    fn from(o: OptionArg) -> OptionKind {
        match o {
            OptionArg::Api => OptionKind::Api,
            OptionArg::CloudGpu => OptionKind::CloudGpu,
            OptionArg::LocalServer => OptionKind::LocalServer,
            OptionArg::LocalCluster => OptionKind::LocalCluster,
        }
    }
}

pub(super) fn run(a: &DeployArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let scenario = Scenario::load(&a.scenario).map_err(|e| CliError::bad_input(e.to_string()))?;
    let p = plan(&scenario.costs, &super::prices_arg::context(&a.price)?);
    let target: Target = a.target.into();
    let spec = spec_from_plan(
        &scenario.name,
        &scenario.costs,
        &p,
        a.option.map(Into::into),
    )
    .map_err(|e| CliError::bad_input(e.to_string()))?;
    let written = export(&spec, target, &a.out, a.force).map_err(|e| match e {
        DeployError::Spec(e) => CliError::bad_input(format!("--target {}: {e}", target.name())),
        DeployError::Write(crate::deploy::WriteError::Io(p, e)) => CliError {
            code: super::EXIT_INTERNAL,
            message: format!("{}: cannot write: {e}", p.display()),
        },
        DeployError::Write(e) => CliError::bad_input(e.to_string()),
    })?;
    let mut text = format!(
        "{} ({}, {} GPUs) for option {}: wrote {} files\n",
        spec.model.name,
        spec.runtime.cli_name(),
        spec.total_gpus(),
        spec.option.json_name(),
        written.len()
    );
    for path in &written {
        text.push_str(&format!("{}\n", path.display()));
    }
    out.write_all(text.as_bytes()).map_err(|e| CliError {
        code: super::EXIT_INTERNAL,
        message: format!("cannot write output: {e}"),
    })
}
