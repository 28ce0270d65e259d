//! `--target shell`: one script per node role with the exact commands, and the download script.
//! POSIX sh that runs the same under sh, dash, bash (`bash -u` too) and zsh: every variable the
//! user sets is named at the top with an example, environment settings are exported before the
//! engine is exec'd, and no message inside `${VAR:?…}` holds a quote.

use super::assumptions;
use super::command::{shell_quote, shell_word, Launch, Var};
use super::download::{download, gguf_pattern};
use super::launch::{engine, router};
use super::names::dns_label;
use super::spec::{DeploymentSpec, InstanceGroup, SpecError};
use super::GeneratedFile;
use crate::catalog::schema::Runtime;

/// The weights folder's name, the same under `$HOME/models` (shell, Compose) and `/models`
/// (Kubernetes nodes).
pub fn model_dir_name(spec: &DeploymentSpec) -> String {
    dns_label(&format!("{}-{}", spec.model.id, spec.quant.id), 63, "model")
}

/// The GGUF folder beside the checkpoint (KTransformers' CPU experts).
pub fn gguf_dir_name(spec: &DeploymentSpec) -> String {
    format!("{}-gguf", model_dir_name(spec))
}

/// A command over several lines, a flag and its value per line (environment not included).
pub fn block(l: &Launch) -> String {
    let words: Vec<String> = l.argv.iter().map(shell_word).collect();
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push_str(if i >= l.program_len && w.starts_with('-') {
                " \\\n    "
            } else {
                " "
            });
        }
        out.push_str(w);
    }
    out
}

/// Text a `${VAR:?message}` may hold in every shell: no quotes, `$`, backquote, backslash or
/// closing brace (an apostrophe there opens a quote in bash).
pub fn plain_message(s: &str) -> bool {
    !s.contains(['\'', '"', '$', '`', '\\', '}'])
}

/// One user setting: how the script reads it and the line documenting it.
struct Setting {
    doc: String,
    line: String,
}

fn required(var: &str, what: &str, example: &str) -> Setting {
    let msg = format!("set {var} to {what}, e.g. {var}={example}");
    debug_assert!(plain_message(&msg), "{msg}");
    Setting {
        doc: format!("{var:<13} {what} (required), e.g. {var}={example}"),
        line: format!(": \"${{{var}:?{msg}}}\""),
    }
}

fn setting(spec: &DeploymentSpec, v: Var, nodes: u32) -> Option<Setting> {
    Some(match v {
        Var::ModelDir => Setting {
            doc: format!(
                "MODEL_DIR     the weights folder (default $HOME/models/{})",
                model_dir_name(spec)
            ),
            line: format!(
                "MODEL_DIR=\"${{MODEL_DIR:-${{HOME:?set HOME or MODEL_DIR}}/models/{}}}\"",
                model_dir_name(spec)
            ),
        },
        Var::GgufDir => Setting {
            doc: format!(
                "GGUF_DIR      the GGUF folder (default $HOME/models/{})",
                gguf_dir_name(spec)
            ),
            line: format!(
                "GGUF_DIR=\"${{GGUF_DIR:-${{HOME:?set HOME or GGUF_DIR}}/models/{}}}\"",
                gguf_dir_name(spec)
            ),
        },
        Var::ModelFile => Setting {
            doc: format!(
                "MODEL_FILE    the GGUF to load (default: the first {} under MODEL_DIR, the first part of a split set)",
                gguf_pattern(spec)
            ),
            line: format!(
                "MODEL_FILE=\"${{MODEL_FILE:-$(find \"$MODEL_DIR\" -name {} | sort | head -n 1)}}\"\nif [ ! -f \"$MODEL_FILE\" ]; then\n  echo \"no {} under $MODEL_DIR: run ./download-model.sh first, or set MODEL_FILE\" >&2\n  exit 1\nfi",
                shell_quote(&gguf_pattern(spec)),
                gguf_pattern(spec)
            ),
        },
        Var::WeightsRepo => required(
            "WEIGHTS_REPO",
            &format!("the Hugging Face repo of the {} weights", spec.quant.id),
            "owner/name",
        ),
        Var::NodeRank => required(
            "NODE_RANK",
            "the rank of this node in its instance, 0 on the head node",
            "0",
        ),
        Var::HeadAddress => required(
            "HEAD_ADDR",
            "the IP address of the head node of the instance",
            "10.0.0.1",
        ),
        Var::NodeCount => Setting {
            doc: format!("NODE_COUNT    nodes per instance, as planned ({nodes})"),
            line: format!("NODE_COUNT={nodes}"),
        },
        Var::PrefillAddress => required(
            "PREFILL_ADDR",
            "the address of the prefill head node",
            "10.0.0.1",
        ),
        Var::DecodeAddress => required(
            "DECODE_ADDR",
            "the address of the decode head node",
            "10.0.0.2",
        ),
    })
}

/// The settings block: a comment naming every variable with an example, then the lines that
/// read them (defaults or a clear stop). `extra` adds required settings of the runtime.
fn settings(spec: &DeploymentSpec, vars: &[Var], nodes: u32, extra: &[Setting]) -> String {
    let mut list: Vec<Setting> = Vec::new();
    if spec.runtime == Runtime::Ds4 {
        list.push(required(
            "DS4_DIR",
            "the folder of your ds4 checkout (github.com/antirez/ds4)",
            "/opt/ds4",
        ));
    }
    // The folders first: the file is found inside them.
    let mut ordered: Vec<Var> = vars.to_vec();
    ordered.sort_by_key(|v| match v {
        Var::ModelDir => 0,
        Var::GgufDir => 1,
        Var::ModelFile => 2,
        _ => 3,
    });
    list.extend(ordered.iter().filter_map(|v| setting(spec, *v, nodes)));
    let mut out = String::from(
        "\n# Settings: set these in the environment before running (or edit them here).\n",
    );
    for s in list.iter().chain(extra) {
        out.push_str(&format!("#   {}\n", s.doc));
    }
    out.push_str("set -eu\n");
    for s in list.iter().chain(extra) {
        out.push_str(&s.line);
        out.push('\n');
    }
    if spec.runtime == Runtime::Ds4 {
        out.push_str("cd \"$DS4_DIR\"\n");
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
    // The GGUF file is found inside the weights folder.
    if out.contains(&Var::ModelFile) && !out.contains(&Var::ModelDir) {
        out.push(Var::ModelDir);
    }
    out
}

/// `export NAME=value` lines for the command's environment, then `exec` of its argv.
fn exec(l: &Launch, indent: &str) -> String {
    let mut out = String::new();
    for (k, v) in &l.env {
        out.push_str(&format!("{indent}export {k}={}\n", shell_quote(v)));
    }
    out.push_str(indent);
    out.push_str("exec ");
    out.push_str(&block(l).replace('\n', &format!("\n{indent}")));
    out.push('\n');
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
        out.push_str(&settings(
            spec,
            &merged_vars(&[&head, &worker]),
            g.nodes_each,
            &[],
        ));
        out.push_str(&format!(
            "# Each {} instance spans {} nodes: run this on each with NODE_RANK 0..{} and the same HEAD_ADDR.\n",
            g.group.name(),
            g.nodes_each,
            g.nodes_each - 1
        ));
        out.push_str(&notes(&head));
        out.push_str("if [ \"$NODE_RANK\" = 0 ]; then\n");
        out.push_str(&exec(&head, "  "));
        out.push_str("else\n");
        out.push_str(&exec(&worker, "  "));
        out.push_str("fi\n");
    } else {
        out.push_str(&settings(spec, &merged_vars(&[&head]), 1, &[]));
        out.push_str(&notes(&head));
        out.push_str(&exec(&head, ""));
    }
    Ok(out)
}

/// `download-model.sh` (every target writes it).
pub fn download_script(spec: &DeploymentSpec) -> Result<GeneratedFile, SpecError> {
    let cmds = download(spec)?;
    let mut out = header(
        spec,
        "Downloads the weights (run once on every node, or once on shared storage). Safe to run again: finished files are skipped, interrupted ones resume.",
    );
    let refs: Vec<&Launch> = cmds.iter().collect();
    let vars = merged_vars(&refs);
    let mut extra = Vec::new();
    if spec.runtime == Runtime::Ollama {
        extra.push(Setting {
            doc: format!("OLLAMA_HOST   where the Ollama server answers (default 127.0.0.1:{}; start run-server.sh first)", spec.port),
            line: format!(
                "OLLAMA_HOST=\"${{OLLAMA_HOST:-127.0.0.1:{}}}\"\nexport OLLAMA_HOST",
                spec.port
            ),
        });
    }
    out.push_str(&settings(spec, &vars, 1, &extra));
    for (v, name) in [(Var::ModelDir, "MODEL_DIR"), (Var::GgufDir, "GGUF_DIR")] {
        if vars.contains(&v) {
            out.push_str(&format!("mkdir -p \"${name}\"\n"));
        }
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
            "Starts the prefill/decode router (a small CPU node, or any node: it listens on its own port).",
        );
        s.push_str(&settings(spec, &r.vars(), 1, &[]));
        s.push_str(&notes(&r));
        s.push_str(&exec(&r, ""));
        out.push(GeneratedFile::script("run-router.sh", s));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_settings_hold_no_quote() {
        assert!(!plain_message("the head node's IP address"));
        for (var, what, ex) in [
            (
                "HEAD_ADDR",
                "the IP address of the head node of the instance",
                "10.0.0.1",
            ),
            (
                "NODE_RANK",
                "the rank of this node in its instance, 0 on the head node",
                "0",
            ),
        ] {
            let s = required(var, what, ex);
            let inner = s.line.trim_start_matches(": \"${").trim_end_matches("}\"");
            assert!(plain_message(inner), "{}", s.line);
        }
    }
}
