//! Every command an export writes, checked against the schema of the engine release it pins
//! before a file is written: a flag the release does not have, a value its parser refuses or a
//! model it cannot load is an error here, not on the user's first line.

use super::command::{Launch, Var};
use super::engine_schema::{Engine, EngineSchema};
use super::engines::{check_support, engine_of};
use super::launch::{engine, router};
use super::spec::{DeploymentSpec, Group, SpecError};

/// A value of the right shape for each variable, as the command would see it where it runs.
pub fn sample(v: Var) -> String {
    match v {
        Var::NodeRank => "1".into(),
        Var::HeadAddress => "10.0.0.1".into(),
        Var::NodeCount => "2".into(),
        Var::PrefillAddress => "10.0.0.2".into(),
        Var::DecodeAddress => "10.0.0.3".into(),
        Var::ModelDir => "/models/model".into(),
        Var::ModelFile => "/models/model/m-00001-of-00002.gguf".into(),
        Var::GgufDir => "/models/model-gguf".into(),
        Var::WeightsRepo => "owner/name".into(),
    }
}

/// The engine commands of the spec (heads, workers, router) with the engine that runs each.
pub fn engine_commands(spec: &DeploymentSpec) -> Result<Vec<(Engine, Launch)>, SpecError> {
    let mut out = Vec::new();
    for g in spec.groups() {
        out.push((engine_of(spec.runtime), engine(spec, g, true)?));
        if g.nodes_each > 1 {
            out.push((engine_of(spec.runtime), engine(spec, g, false)?));
        }
        if g.group == Group::Prefill {
            if let Some(r) = router(spec) {
                out.push((Engine::SglangRouter, r));
            }
        }
    }
    Ok(out)
}

/// Checks one command against a schema.
pub fn check_launch(schema: &EngineSchema, l: &Launch) -> Result<(), Vec<String>> {
    let argv = l.resolved(&sample);
    let mut errors = schema.check_argv(&argv).err().unwrap_or_default();
    errors.extend(schema.check_env(&l.env).err().unwrap_or_default());
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The release loads the model, and every command passes its schema.
pub fn verify(spec: &DeploymentSpec) -> Result<(), SpecError> {
    check_support(spec)?;
    for (e, l) in engine_commands(spec)? {
        let schema = e.schema();
        if let Err(errors) = check_launch(schema, &l) {
            return Err(SpecError(format!(
                "internal: the {} command fails the pinned {} parser: {}",
                spec.runtime.cli_name(),
                schema.label(),
                errors.join("; ")
            )));
        }
    }
    Ok(())
}
