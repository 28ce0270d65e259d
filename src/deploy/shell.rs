//! `--target shell`: one script per node role with the exact commands, and the download script.

use super::assumptions;
use super::command::{shell_word, Launch, Var};
use super::download::download;
use super::launch::{engine, router};
use super::names::dns_label;
use super::spec::{DeploymentSpec, InstanceGroup, SpecError};
use super::GeneratedFile;
use crate::catalog::schema::Runtime;

/// The weights folder's default name under `$HOME/models`.
pub fn model_dir_name(spec: &DeploymentSpec) -> String {
    dns_label(&format!("{}-{}", spec.model.id, spec.quant.id), 63, "model")
}

/// A command over several lines, a flag and its value per line.
pub fn block(l: &Launch) -> String {
    let mut words: Vec<String> = l
        .env
        .iter()
        .map(|(k, v)| format!("{k}={}", super::command::shell_quote(v)))
        .collect();
    let first_arg = words.len() + l.program_len;
    words.extend(l.argv.iter().map(shell_word));
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push_str(if i >= first_arg && w.starts_with('-') {
                " \\\n    "
            } else {
                " "
            });
        }
        out.push_str(w);
    }
    out
}

/// `NAME=...` lines that define the variables `vars` reads.
fn definitions(spec: &DeploymentSpec, vars: &[Var], nodes: u32) -> String {
    let mut out = String::new();
    for v in vars {
        let line = match v {
            Var::ModelDir => format!(
                "MODEL_DIR=\"${{MODEL_DIR:-$HOME/models/{}}}\"",
                model_dir_name(spec)
            ),
            Var::WeightsRepo => format!(
                "WEIGHTS_REPO=\"${{WEIGHTS_REPO:?set WEIGHTS_REPO to the Hugging Face repo of the {} weights}}\"",
                spec.quant.id
            ),
            Var::NodeRank => {
                "NODE_RANK=\"${NODE_RANK:?set NODE_RANK to this node's rank: 0 on the head node, 1, 2, ... on the others}\"".into()
            }
            Var::HeadAddress => {
                "HEAD_ADDR=\"${HEAD_ADDR:?set HEAD_ADDR to the head node's IP address}\"".into()
            }
            Var::NodeCount => format!("NODE_COUNT={nodes}"),
            Var::PrefillAddress => {
                "PREFILL_ADDR=\"${PREFILL_ADDR:?set PREFILL_ADDR to the prefill head node's address}\"".into()
            }
            Var::DecodeAddress => {
                "DECODE_ADDR=\"${DECODE_ADDR:?set DECODE_ADDR to the decode head node's address}\"".into()
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn header(spec: &DeploymentSpec, what: &str) -> String {
    let mut out = String::from("#!/bin/sh\n");
    out.push_str(&format!(
        "# {what}\n# Written by deepseek-advisor {}.\n",
        env!("CARGO_PKG_VERSION")
    ));
    for l in assumptions::lines(spec) {
        out.push_str(&format!("# {l}\n"));
    }
    out.push_str("set -eu\n");
    if spec.runtime == Runtime::Ds4 {
        out.push_str(
            "cd \"${DS4_DIR:?set DS4_DIR to your ds4 checkout (github.com/antirez/ds4)}\"\n",
        );
    }
    out
}

fn notes(l: &Launch) -> String {
    l.notes.iter().map(|n| format!("# {n}\n")).collect()
}

fn merged_vars(ls: &[&Launch]) -> Vec<Var> {
    let mut out: Vec<Var> = Vec::new();
    for v in ls.iter().flat_map(|l| l.vars()) {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn run_script(spec: &DeploymentSpec, g: InstanceGroup) -> Result<String, SpecError> {
    let head = engine(spec, g, true)?;
    let mut out = header(
        spec,
        &format!(
            "Starts the {} engine on one node ({} node(s) run this script).",
            g.group.name(),
            g.nodes()
        ),
    );
    if g.nodes_each > 1 {
        let worker = engine(spec, g, false)?;
        out.push_str(&definitions(
            spec,
            &merged_vars(&[&head, &worker]),
            g.nodes_each,
        ));
        out.push_str(&format!(
            "# Each {} instance spans {} nodes: run this on each with NODE_RANK 0..{} and the same HEAD_ADDR.\n",
            g.group.name(),
            g.nodes_each,
            g.nodes_each - 1
        ));
        out.push_str(&notes(&head));
        out.push_str("if [ \"$NODE_RANK\" = 0 ]; then\n  exec ");
        out.push_str(&block(&head).replace('\n', "\n  "));
        out.push_str("\nelse\n  exec ");
        out.push_str(&block(&worker).replace('\n', "\n  "));
        out.push_str("\nfi\n");
    } else {
        out.push_str(&definitions(spec, &head.vars(), 1));
        out.push_str(&notes(&head));
        out.push_str("exec ");
        out.push_str(&block(&head));
        out.push('\n');
    }
    Ok(out)
}

/// `download-model.sh` (every target writes it).
pub fn download_script(spec: &DeploymentSpec) -> Result<GeneratedFile, SpecError> {
    let cmds = download(spec)?;
    let mut out = header(
        spec,
        "Downloads the weights (run once on every node, or once on shared storage).",
    );
    let refs: Vec<&Launch> = cmds.iter().collect();
    out.push_str(&definitions(spec, &merged_vars(&refs), 1));
    if spec.runtime == Runtime::Ollama {
        out.push_str(&format!(
            "# Ollama pulls through its server: start run-server.sh first.\nexport OLLAMA_HOST=\"${{OLLAMA_HOST:-127.0.0.1:{}}}\"\n",
            spec.port
        ));
    } else if refs.iter().any(|l| l.vars().contains(&Var::ModelDir)) {
        out.push_str("mkdir -p \"$MODEL_DIR\"\n");
    }
    for c in &cmds {
        out.push_str(&notes(c));
        out.push_str(&block(c));
        out.push('\n');
    }
    Ok(GeneratedFile::script("download-model.sh", out))
}

pub fn files(spec: &DeploymentSpec) -> Result<Vec<GeneratedFile>, SpecError> {
    let mut out = vec![download_script(spec)?];
    for g in spec.groups() {
        out.push(GeneratedFile::script(
            &format!("run-{}.sh", g.group.name()),
            run_script(spec, g)?,
        ));
    }
    if let Some(r) = router(spec) {
        let mut s = header(
            spec,
            "Starts the prefill/decode router (one small CPU node or any node).",
        );
        s.push_str(&definitions(spec, &r.vars(), 1));
        s.push_str(&notes(&r));
        s.push_str("exec ");
        s.push_str(&block(&r));
        s.push('\n');
        out.push(GeneratedFile::script("run-router.sh", s));
    }
    Ok(out)
}
