//! The deployment matrix: every runtime × model family × target × layout (one GPU, several
//! GPUs, several nodes, prefill/decode) the plan proposes, exported and checked as users run it.
//!
//! * Setups come from the plan itself: a grid of models, quants, runtimes, GPUs and volumes is
//!   planned, and each self-hosted option the plan can serve is exported (so plan and export
//!   must agree: an option the plan prices either exports or is refused with a reason a user
//!   can act on — a fork-only runtime, a release too old, no image for the target).
//! * Shell: every script is shellchecked (one batch) and run under sh, dash, bash, `bash -u` and
//!   zsh with stub engines on PATH that record their argv; every recorded engine command is
//!   checked against the schema of its pinned release. Required settings left unset stop the
//!   script with a message naming them, in every shell.
//! * Compose and Kubernetes: every file is validated against the pinned Compose Specification,
//!   Kubernetes 1.33 and LeaderWorkerSet schemas (tests/schemas), and every container command is
//!   checked against the engine schema (commands run through `/bin/sh -c` are run with stubs).
//!
//! shellcheck, dash and zsh come from apt (`.ci/run` installs them). Without them those checks
//! are skipped with a note, unless DEEPSEEK_ADVISOR_REQUIRE_TOOLS=1 (set by `.ci/run`) makes a
//! missing tool a failure. No network is used.
// The exported scripts run under sh, dash and zsh with stub engines marked executable: Unix only.
#![cfg(unix)]

#[path = "support/json_schema.rs"]
mod json_schema;

use deepseek_advisor::catalog::schema::{Currency, Runtime};
use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::cost::{plan, CostInputs, OptionKind};
use deepseek_advisor::deploy::engine_schema::Engine;
use deepseek_advisor::deploy::engines::engine_of;
use deepseek_advisor::deploy::spec::{Layout, BOOTSTRAP_PORT};
use deepseek_advisor::deploy::{render, spec_from_fit, spec_from_plan, DeploymentSpec, Target};
use deepseek_advisor::estimate::{fit, FitOptions};
use deepseek_advisor::hardware::machine::parse_gpu_arg;
use deepseek_advisor::hardware::Machine;
use deepseek_advisor::prices::{Day, PriceContext};
use json_schema::{yaml_to_json, Schemas};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

const MODELS: [&str; 14] = [
    "deepseek-r1-0528",
    "deepseek-v3-0324",
    "deepseek-v3.2",
    "deepseek-v4-flash",
    "deepseek-v4-flash-0731",
    "deepseek-v4-pro-0813",
    "deepseek-v4.1-flash",
    "deepseek-v2-lite",
    "deepseek-r1-distill-qwen-1.5b",
    "deepseek-r1-distill-qwen-7b",
    "deepseek-r1-distill-qwen-14b",
    "deepseek-r1-distill-qwen-32b",
    "deepseek-r1-distill-llama-70b",
    "deepseek-r1-0528-qwen3-8b",
];

/// GPU and GPUs per server: one consumer card, two, an awkward six, a full node, two nodes, AMD,
/// Intel and an Apple chip.
const GPUS: [(&str, u32); 10] = [
    ("rtx-4090", 1),
    ("rtx-4090", 2),
    ("h200-sxm", 1),
    ("h200-sxm", 2),
    ("h200-sxm", 6),
    ("h200-sxm", 8),
    ("h200-sxm", 16),
    ("mi300x", 8),
    ("arc-a770-16gb", 2),
    ("apple-m3-ultra", 1),
];

/// A busy service: the plan sizes a cluster (replicas or prefill/decode) beside the one server.
const VOLUMES: [f64; 1] = [5_000_000.0];

fn today() -> Day {
    Day::new(2026, 12, 1).unwrap()
}

/// Up to two quants per model and runtime: the native checkpoint, then a common quant the
/// runtime loads.
fn quants(model: &str, runtime: Runtime) -> Vec<String> {
    let c = Catalog::get();
    let m = c.model(model).unwrap();
    let allowed = |q: &str| {
        c.quant(q).is_ok_and(|e| {
            e.runtimes.contains(&runtime)
                && (m.quants.is_empty() || m.quants.iter().any(|x| x.eq_ignore_ascii_case(&e.id)))
        })
    };
    let mut out: Vec<String> = Vec::new();
    for q in [
        m.native_dtype.as_str(),
        "Q4_K_M",
        "AWQ",
        "MXFP4_MOE",
        "UD-Q4_K_XL",
        "ds4-q2",
        "MLX-4bit",
        "BF16",
        "FP8",
    ] {
        if let Ok(e) = c.quant(q) {
            if allowed(&e.id) && !out.contains(&e.id) && out.len() < 2 {
                out.push(e.id.clone());
            }
        }
    }
    out
}

fn plausible(runtime: Runtime, gpu: &str) -> bool {
    let apple = gpu.starts_with("apple");
    match runtime {
        Runtime::Mlx => apple,
        Runtime::Ds4 | Runtime::LlamaCpp | Runtime::Ollama => true,
        _ => !apple,
    }
}

/// What layout an export has, for the coverage table.
fn layout_kind(spec: &DeploymentSpec) -> &'static str {
    match spec.layout {
        Layout::Disaggregated { .. } => "pd",
        Layout::Replicas { nodes_each, .. } if nodes_each > 1 => "multi-node",
        Layout::Replicas { .. } if spec.gpus_per_node > 1 => "multi-gpu",
        Layout::Replicas { .. } => "single-gpu",
    }
}

/// Reasons an export may be refused: each names what the user can change.
const REFUSALS: [&str; 10] = [
    "not a deployment the estimate accepts",
    "only in a fork",
    "needs ",
    "does not load",
    "no official container image",
    "Ollama's library tags",
    "no local Ollama tag",
    "downloads only",
    "KTransformers reads CPU experts",
    "serves from one machine",
];

fn setups() -> (Vec<DeploymentSpec>, usize, BTreeMap<String, usize>) {
    let ctx = PriceContext::catalog_only(today());
    let mut specs: Vec<DeploymentSpec> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut plans = 0;
    let mut refused: BTreeMap<String, usize> = BTreeMap::new();
    for model in MODELS {
        for runtime in Runtime::ALL {
            for quant in quants(model, runtime) {
                for (gpu, per_server) in GPUS {
                    if !plausible(runtime, gpu) {
                        continue;
                    }
                    for volume in VOLUMES {
                        let mut i = CostInputs::defaults(Currency::Usd);
                        i.deployment.model = model.into();
                        i.deployment.quant = quant.clone();
                        i.deployment.runtime = runtime;
                        i.deployment.gpu = gpu.into();
                        i.deployment.gpus_per_server = per_server;
                        i.workload.requests_per_day = volume;
                        i.workload.min_user_tok_s = 1.0;
                        i.workload.max_ttft_s = 600.0;
                        let p = plan(&i, &ctx);
                        plans += 1;
                        if !p.capacity.serves() {
                            continue;
                        }
                        for kind in [OptionKind::LocalServer, OptionKind::LocalCluster] {
                            let Some(o) = p.options.iter().find(|o| o.kind == kind) else {
                                continue;
                            };
                            if o.servers == 0 {
                                continue;
                            }
                            let exported = spec_from_plan("matrix", &i, &p, Some(kind))
                                .and_then(|s| render(&s, Target::Shell).map(|_| s));
                            match exported {
                                Ok(s) => {
                                    // One export per distinct shape of files: the same
                                    // commands on another GPU of the vendor add nothing.
                                    let key = format!(
                                        "{:?} {} {:?} {} {} {:?} {:?} {} {:?} {} {:?} {:?}",
                                        s.runtime,
                                        s.model.architecture,
                                        s.quant.format,
                                        s.quant.native,
                                        layout_kind(&s),
                                        s.speculative,
                                        s.kv_type,
                                        s.experts_on_cpu,
                                        s.gpu_layers.map(|_| ()),
                                        s.ssd_streaming,
                                        s.gpu.as_ref().map(|g| g.vendor),
                                        s.groups()
                                            .iter()
                                            .map(|g| s.parallelism(*g).ok())
                                            .collect::<Vec<_>>()
                                    );
                                    if seen.insert(key) {
                                        specs.push(s);
                                    }
                                }
                                Err(e) => {
                                    assert!(
                                        REFUSALS.iter().any(|r| e.0.contains(r)),
                                        "{model} {quant} {runtime:?} {gpu}×{per_server} {kind:?}: the plan serves it but the export fails: {e}"
                                    );
                                    *refused.entry(e.0.chars().take(60).collect()).or_default() +=
                                        1;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    // This machine (no plan): an Apple chip and a consumer card, one estimate each.
    let c = Catalog::get();
    for (model, quant, runtime, gpu) in [
        (
            "deepseek-v4-flash",
            "ds4-q2",
            Runtime::Ds4,
            "apple-m3-ultra",
        ),
        ("deepseek-v4-flash", "ds4-q2", Runtime::Ds4, "rtx-4090:2"),
        (
            "deepseek-r1-distill-qwen-7b",
            "MLX-4bit",
            Runtime::Mlx,
            "apple-m3-ultra",
        ),
        (
            "deepseek-r1-distill-qwen-14b",
            "Q4_K_M",
            Runtime::LlamaCpp,
            "rtx-4090",
        ),
        (
            "deepseek-r1-0528",
            "UD-IQ1_S",
            Runtime::LlamaCpp,
            "rtx-4090",
        ),
    ] {
        let group = parse_gpu_arg(c, gpu).unwrap();
        let machine = Machine::from_parts(vec![group], Some(256.0), Some(400.0), Some(24)).unwrap();
        let m = c.model(model).unwrap();
        let q = c.quant(quant).unwrap();
        let f = fit(m, q, &machine, FitOptions::new(runtime, 8192)).unwrap();
        let s = spec_from_fit(&f);
        if s.validate().is_ok() {
            specs.push(s);
        }
    }
    (specs, plans, refused)
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether a tool is there; a missing one fails when CI asks for it.
fn tool(tool: &str) -> bool {
    if have(tool) {
        return true;
    }
    assert!(
        std::env::var("DEEPSEEK_ADVISOR_REQUIRE_TOOLS").as_deref() != Ok("1"),
        "{tool} is not installed and DEEPSEEK_ADVISOR_REQUIRE_TOOLS=1 (apt-get install -y shellcheck dash zsh)"
    );
    eprintln!("{tool} not installed: its checks are skipped");
    false
}

/// A stub engine: records its name, argv and Ollama settings, then exits 0.
const STUB: &str = r#"#!/bin/sh
{
  printf 'PROG %s\n' "${0##*/}"
  for a in "$@"; do printf 'ARG %s\n' "$a"; done
  export -p | while read -r line; do
    case "$line" in "export OLLAMA_"*) printf 'ENV %s\n' "${line#export }" ;; esac
  done
  printf 'END\n'
} >> "$STUB_LOG"
"#;

const STUBS: [&str; 9] = [
    "llama-server",
    "vllm",
    "python3",
    "ollama",
    "trtllm-serve",
    "mlx_lm.server",
    "hf",
    "ds4-server",
    "download_model.sh",
];

/// One recorded command: program, argv (program first) and environment.
#[derive(Debug, Clone)]
struct Call {
    argv: Vec<String>,
    env: Vec<(String, String)>,
}

fn read_log(path: &Path) -> Vec<Call> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut out = Vec::new();
    let mut cur = Call {
        argv: Vec::new(),
        env: Vec::new(),
    };
    for line in text.lines() {
        if let Some(p) = line.strip_prefix("PROG ") {
            cur.argv.push(p.to_string());
        } else if let Some(a) = line.strip_prefix("ARG ") {
            cur.argv.push(a.to_string());
        } else if let Some(e) = line.strip_prefix("ENV ") {
            let (k, v) = e.split_once('=').unwrap();
            cur.env.push((k.into(), v.trim_matches(['\'', '"']).into()));
        } else if line == "END" {
            out.push(std::mem::replace(
                &mut cur,
                Call {
                    argv: Vec::new(),
                    env: Vec::new(),
                },
            ));
        }
    }
    out
}

/// The engine a recorded command starts (`None` for download helpers).
fn engine_for(spec: &DeploymentSpec, argv: &[String]) -> Option<Engine> {
    let prog = argv[0].rsplit('/').next().unwrap();
    match prog {
        "python3" if argv.get(2).map(String::as_str) == Some("sglang_router.launch_router") => {
            Some(Engine::SglangRouter)
        }
        "python3" => Some(engine_of(spec.runtime)),
        "ollama" if argv.get(1).map(String::as_str) == Some("serve") => Some(Engine::Ollama),
        "hf" | "ollama" | "download_model.sh" => None,
        _ => Some(engine_of(spec.runtime)),
    }
}

/// The engines' own start-up checks on parallel sizes: attention TP divides the heads (and is
/// compatible with the KV heads), EP divides the routed experts, PP divides the layers.
fn check_parallel(spec: &DeploymentSpec, argv: &[String], origin: &str) {
    let value = |names: &[&str]| {
        argv.iter()
            .position(|a| names.contains(&a.as_str()))
            .and_then(|i| argv.get(i + 1))
            .and_then(|v| v.parse::<u32>().ok())
    };
    let s = &spec.model.shape;
    let tp = value(&["--tensor-parallel-size", "--tp-size", "--tp_size"]).unwrap_or(1);
    let attn_dp = value(&["--attn-dp-size"]).unwrap_or(1);
    assert!(
        tp >= 1 && tp % attn_dp == 0,
        "{origin}: tp {tp}, attention dp {attn_dp}"
    );
    let attention_tp = tp / attn_dp;
    assert_eq!(
        s.heads % attention_tp,
        0,
        "{origin}: TP {attention_tp} vs {} heads",
        s.heads
    );
    assert!(
        s.latent_kv || s.kv_heads % attention_tp == 0 || attention_tp % s.kv_heads == 0,
        "{origin}: TP {attention_tp} vs {} KV heads",
        s.kv_heads
    );
    let ep = if argv.iter().any(|a| a == "--enable-expert-parallel") {
        Some(tp * value(&["--data-parallel-size"]).unwrap_or(1))
    } else {
        value(&["--ep-size", "--ep_size"])
    };
    if let Some(ep) = ep.filter(|e| *e > 1) {
        assert_eq!(
            s.routed_experts % ep,
            0,
            "{origin}: EP {ep} vs {} experts",
            s.routed_experts
        );
    }
    if let Some(pp) = value(&["--pipeline-parallel-size", "--pp_size", "--pp-size"]) {
        assert_eq!(s.layers % pp, 0, "{origin}: PP {pp} vs {} layers", s.layers);
    }
    assert!(
        !argv.iter().any(|a| a == "0")
            || !argv.windows(2).any(|w| w[0].contains("tp") && w[1] == "0"),
        "{origin}: TP 0"
    );
}

/// Checks a recorded command against its pinned schema; download helpers by their own rules.
fn check_call(spec: &DeploymentSpec, call: &Call, origin: &str) {
    let argv = &call.argv;
    let prog = argv[0].rsplit('/').next().unwrap();
    match engine_for(spec, argv) {
        Some(e) => {
            let mut argv = argv.clone();
            // The stub records the program by name; a schema lists python3's module words.
            argv[0] = prog.to_string();
            let schema = e.schema();
            if let Err(errs) = schema.check_argv(&argv) {
                panic!("{origin}: {argv:?} fails {}: {errs:?}", schema.label());
            }
            if let Err(errs) = schema.check_env(&call.env) {
                panic!(
                    "{origin}: env {:?} fails {}: {errs:?}",
                    call.env,
                    schema.label()
                );
            }
            check_parallel(spec, &argv, origin);
            if prog == "llama-server" {
                let m = &argv[argv.iter().position(|a| a == "-m").unwrap() + 1];
                assert!(
                    Path::new(m).is_file() && !m.ends_with("/model.gguf"),
                    "{origin}: -m {m} is not the downloaded GGUF"
                );
                if m.contains("-of-") {
                    assert!(
                        m.contains("-00001-of-"),
                        "{origin}: -m {m} is not the first part"
                    );
                }
            }
        }
        None => match prog {
            "hf" => {
                assert_eq!(argv[1], "download", "{origin}: {argv:?}");
                assert!(argv[2].contains('/'), "{origin}: repo {argv:?}");
                assert!(argv.contains(&"--local-dir".to_string()), "{origin}");
            }
            "ollama" => {
                assert_eq!(argv[1], "pull", "{origin}: {argv:?}");
                assert!(argv[2].contains(':'), "{origin}: tag {argv:?}");
            }
            _ => {
                let targets = Engine::Ds4.schema().download_targets();
                assert!(
                    targets.contains(&argv[1].as_str()),
                    "{origin}: ds4 target {argv:?} not in {targets:?}"
                );
            }
        },
    }
}

struct Sandbox {
    dir: PathBuf,
    bin: PathBuf,
    ds4: PathBuf,
    models: PathBuf,
}

/// The stub engines, written once before any thread runs a script: writing an executable while
/// another thread forks would leave it open in the child ("Text file busy").
fn stubs() -> &'static (PathBuf, PathBuf) {
    static STUB_DIRS: std::sync::OnceLock<(PathBuf, PathBuf)> = std::sync::OnceLock::new();
    STUB_DIRS.get_or_init(|| {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("dsa-matrix-stubs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (bin, ds4) = (dir.join("bin"), dir.join("ds4"));
        for d in [&bin, &ds4] {
            std::fs::create_dir_all(d).unwrap();
        }
        for s in STUBS {
            let target = if s.ends_with(".sh") || s == "ds4-server" {
                ds4.join(s)
            } else {
                bin.join(s)
            };
            std::fs::write(&target, STUB).unwrap();
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        (bin, ds4)
    })
}

/// A folder with a home and a weights folder holding a split GGUF; the stubs on the path.
fn sandbox(tag: &str, spec: &DeploymentSpec) -> Sandbox {
    let tag: String = tag
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("dsa-matrix-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let models = dir.join("models");
    for d in [&models, &dir.join("home")] {
        std::fs::create_dir_all(d).unwrap();
    }
    // A split GGUF as publishers lay it out: a subfolder, three parts.
    let sub = models.join(&spec.quant.id);
    std::fs::create_dir_all(&sub).unwrap();
    for k in 1..=3 {
        std::fs::write(
            sub.join(format!("DeepSeek-{}-{:05}-of-00003.gguf", spec.quant.id, k)),
            b"GGUF",
        )
        .unwrap();
    }
    let (bin, ds4) = stubs().clone();
    Sandbox {
        dir,
        bin,
        ds4,
        models,
    }
}

/// Shells to run scripts under: program and leading arguments.
fn shells() -> Vec<Vec<&'static str>> {
    let mut out = vec![vec!["sh"], vec!["bash"], vec!["bash", "-u"]];
    // Where sh is dash (Debian), `sh` already runs the scripts under dash.
    let sh_is_dash =
        std::fs::canonicalize("/bin/sh").is_ok_and(|p| p.file_name().is_some_and(|n| n == "dash"));
    if tool("dash") && !sh_is_dash {
        out.push(vec!["dash"]);
    }
    if tool("zsh") {
        out.push(vec!["zsh"]);
    }
    out
}

/// Runs `script` under `shell` in the sandbox with `vars`; returns the recorded calls.
fn run_script(
    sb: &Sandbox,
    shell: &[&str],
    script: &Path,
    vars: &[(&str, String)],
    log: &Path,
) -> (bool, String, Vec<Call>) {
    let _ = std::fs::remove_file(log);
    let mut cmd = Command::new(shell[0]);
    cmd.args(&shell[1..])
        .arg(script)
        .env_clear()
        .env(
            "PATH",
            format!("{}:/usr/local/bin:/usr/bin:/bin", sb.bin.display()),
        )
        .env("HOME", sb.dir.join("home"))
        .env("STUB_LOG", log)
        .current_dir(&sb.dir);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        read_log(log),
    )
}

#[derive(Default)]
struct Counts {
    exports: usize,
    scripts: usize,
    script_runs: usize,
    commands_checked: usize,
    yaml_docs: usize,
}

fn check_shell(
    spec: &DeploymentSpec,
    tag: &str,
    shells: &[Vec<&str>],
    all_scripts: &Mutex<Vec<PathBuf>>,
    counts: &Mutex<Counts>,
) {
    let files = render(spec, Target::Shell).unwrap();
    let sb = sandbox(tag, spec);
    let out = sb.dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let mut scripts = Vec::new();
    for f in &files {
        let p = out.join(&f.name);
        std::fs::write(&p, &f.contents).unwrap();
        if f.executable {
            assert!(f.contents.starts_with("#!/bin/sh\n"), "{tag} {}", f.name);
            assert!(
                !f.contents.contains("exec OLLAMA_"),
                "{tag}: exec of an assignment"
            );
            scripts.push((f.name.clone(), p));
        }
    }
    let model_dir = sb.models.to_string_lossy().into_owned();
    let base: Vec<(&str, String)> = vec![
        ("MODEL_DIR", model_dir.clone()),
        ("GGUF_DIR", model_dir.clone()),
        ("DS4_DIR", sb.ds4.to_string_lossy().into_owned()),
        ("HEAD_ADDR", "10.0.0.1".into()),
        ("PREFILL_ADDR", "10.0.0.2".into()),
        ("DECODE_ADDR", "10.0.0.3".into()),
        ("WEIGHTS_REPO", "owner/name".into()),
    ];
    let log = sb.dir.join("calls.log");
    let mut runs = 0;
    let mut checked = 0;
    for (name, path) in &scripts {
        let text = std::fs::read_to_string(path).unwrap();
        let ranks: &[&str] = if text.contains("NODE_RANK") {
            &["0", "1"]
        } else {
            &["0"]
        };
        for shell in shells {
            for rank in ranks {
                let mut vars = base.clone();
                vars.push(("NODE_RANK", rank.to_string()));
                let (ok, err, calls) = run_script(&sb, shell, path, &vars, &log);
                assert!(
                    ok,
                    "{tag} {name} under {shell:?} NODE_RANK={rank}: {err}\n{text}"
                );
                assert!(
                    !calls.is_empty(),
                    "{tag} {name} under {shell:?}: ran no command"
                );
                runs += 1;
                for c in &calls {
                    check_call(spec, c, &format!("{tag} {name} ({shell:?})"));
                    checked += 1;
                }
            }
        }
        // Each required setting, left unset, stops the script naming it.
        for var in [
            "HEAD_ADDR",
            "NODE_RANK",
            "PREFILL_ADDR",
            "DECODE_ADDR",
            "WEIGHTS_REPO",
            "DS4_DIR",
        ] {
            if !text.contains(&format!("${{{var}:?")) {
                continue;
            }
            // Where the quoting differs: a POSIX sh and bash.
            for shell in shells.iter().take(2) {
                let vars: Vec<(&str, String)> = base
                    .iter()
                    .filter(|(k, _)| *k != var)
                    .cloned()
                    .chain(
                        std::iter::once(("NODE_RANK", "0".to_string()))
                            .filter(|_| var != "NODE_RANK"),
                    )
                    .collect();
                let (ok, err, calls) = run_script(&sb, shell, path, &vars, &log);
                assert!(
                    !ok && calls.is_empty(),
                    "{tag} {name} ran without {var} under {shell:?}"
                );
                assert!(
                    err.contains(var),
                    "{tag} {name} without {var} under {shell:?}: {err}"
                );
            }
        }
    }
    let mut c = counts.lock().unwrap();
    c.scripts += scripts.len();
    c.script_runs += runs;
    c.commands_checked += checked;
    let mut all = all_scripts.lock().unwrap();
    all.extend(scripts.into_iter().map(|(_, p)| p));
}

/// `${VAR:?...}` (Compose) and `$(VAR)` (Kubernetes) as values where the command runs; `$$` as `$`.
fn interpolate(s: &str, k8s: bool) -> String {
    let mut out = s.to_string();
    for (var, value) in [
        ("NODE_RANK", "1"),
        ("HEAD_ADDR", "10.0.0.1"),
        ("PREFILL_ADDR", "10.0.0.2"),
        ("DECODE_ADDR", "10.0.0.3"),
        ("NODE_COUNT", "2"),
        ("WEIGHTS_REPO", "owner/name"),
        ("LWS_WORKER_INDEX", "1"),
        ("LWS_LEADER_ADDRESS", "10.0.0.1"),
        ("LWS_GROUP_SIZE", "2"),
    ] {
        out = out.replace(&format!("$({var})"), value);
        let needle = format!("${{{var}:?");
        while let Some(i) = out.find(&needle) {
            let end = out[i..].find('}').unwrap() + i;
            out.replace_range(i..=end, value);
        }
    }
    let _ = k8s;
    out.replace("$$", "$")
}

/// Checks a container's argv: directly, or by running its `/bin/sh -c` script with stubs.
fn check_container(spec: &DeploymentSpec, argv: &[String], tag: &str, counts: &Mutex<Counts>) {
    if argv.first().map(String::as_str) == Some("/bin/sh") {
        assert_eq!(argv[1], "-c", "{tag}");
        let sb = sandbox(&format!("{tag}-c"), spec);
        let script = argv[2]
            .replace("/models", &sb.models.to_string_lossy())
            .replace("/app/", "");
        let log = sb.dir.join("calls.log");
        let (ok, err, calls) = run_script(&sb, &["sh", "-c", &script], Path::new(""), &[], &log);
        assert!(ok && !calls.is_empty(), "{tag}: {script}: {err}");
        for c in &calls {
            check_call(spec, c, tag);
        }
        // Without the weights the container stops with a message instead of starting the engine.
        let empty = argv[2]
            .replace("/models", &sb.dir.join("empty").to_string_lossy())
            .replace("/app/", "");
        let (ok, err, calls) = run_script(&sb, &["sh", "-c", &empty], Path::new(""), &[], &log);
        assert!(
            !ok && calls.is_empty() && err.contains("download-model.sh"),
            "{tag}: {err}"
        );
        counts.lock().unwrap().commands_checked += calls.len();
        let _ = std::fs::remove_dir_all(&sb.dir);
    } else {
        let call = Call {
            argv: argv.to_vec(),
            env: Vec::new(),
        };
        check_call(spec, &call, tag);
        counts.lock().unwrap().commands_checked += 1;
    }
}

fn check_yaml(
    spec: &DeploymentSpec,
    target: Target,
    tag: &str,
    schemas: &Schemas,
    counts: &Mutex<Counts>,
) {
    let files = match render(spec, target) {
        Ok(f) => f,
        Err(e) => {
            assert!(e.0.contains("no official container image"), "{tag}: {e}");
            return;
        }
    };
    for f in files
        .iter()
        .filter(|f| f.name.ends_with(".yml") || f.name.ends_with(".yaml"))
    {
        let docs = yaml_rust2::YamlLoader::load_from_str(&f.contents)
            .unwrap_or_else(|e| panic!("{tag} {}: {e}", f.name));
        for d in &docs {
            let v = yaml_to_json(d);
            counts.lock().unwrap().yaml_docs += 1;
            let (schema, commands): (&Value, Vec<(Vec<String>, Value)>) = match target {
                Target::Compose => {
                    let cmds = v["services"]
                        .as_object()
                        .unwrap()
                        .values()
                        .map(|s| (strings(&s["entrypoint"], false), s["environment"].clone()))
                        .collect();
                    (schemas.file("tests/schemas/compose-spec.json"), cmds)
                }
                _ => {
                    let kind = v["kind"].as_str().unwrap();
                    let def = match kind {
                        "Deployment" => "V1Deployment",
                        "Service" => "V1Service",
                        "LeaderWorkerSet" => "LeaderWorkerSet",
                        other => panic!("{tag}: unexpected kind {other}"),
                    };
                    let mut cmds = Vec::new();
                    let mut pods = vec![&v["spec"]["template"]];
                    pods.push(&v["spec"]["leaderWorkerTemplate"]["leaderTemplate"]);
                    pods.push(&v["spec"]["leaderWorkerTemplate"]["workerTemplate"]);
                    for p in pods {
                        for c in p["spec"]["containers"].as_array().into_iter().flatten() {
                            let env: serde_json::Map<String, Value> = c["env"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .map(|e| {
                                    (e["name"].as_str().unwrap().to_string(), e["value"].clone())
                                })
                                .collect();
                            cmds.push((strings(&c["command"], true), Value::Object(env)));
                        }
                    }
                    if kind == "Service"
                        && v["metadata"]["name"]
                            .as_str()
                            .unwrap()
                            .ends_with("-prefill")
                    {
                        let ports: Vec<u64> = v["spec"]["ports"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|p| p["port"].as_u64().unwrap())
                            .collect();
                        assert!(
                            ports.contains(&u64::from(BOOTSTRAP_PORT)),
                            "{tag}: prefill Service ports {ports:?}"
                        );
                    }
                    (schemas.def(def), cmds)
                }
            };
            let errors = schemas.validate(schema, &v);
            assert!(
                errors.is_empty(),
                "{tag} {}: {errors:#?}\n{}",
                f.name,
                f.contents
            );
            for (argv, env) in commands {
                let mut call_env = Vec::new();
                for (k, val) in env.as_object().into_iter().flatten() {
                    call_env.push((k.clone(), interpolate(val.as_str().unwrap(), true)));
                }
                if !call_env.is_empty() {
                    let e = Engine::Ollama.schema();
                    assert!(e.check_env(&call_env).is_ok(), "{tag}: {call_env:?}");
                }
                check_container(spec, &argv, &format!("{tag} {}", f.name), counts);
            }
        }
    }
}

fn strings(v: &Value, k8s: bool) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a command: {v}"))
        .iter()
        .map(|s| interpolate(s.as_str().unwrap(), k8s))
        .collect()
}

#[test]
fn every_setup_the_plan_proposes_exports_files_that_start() {
    let started = Instant::now();
    let (specs, plans, refused) = setups();
    let setup_time = started.elapsed();
    // Coverage: the layouts each runtime can be planned into were all exported.
    let mut covered: BTreeSet<(String, &str)> = BTreeSet::new();
    let mut families: BTreeSet<(String, String)> = BTreeSet::new();
    for s in &specs {
        covered.insert((s.runtime.cli_name().to_string(), layout_kind(s)));
        families.insert((
            s.runtime.cli_name().to_string(),
            s.model.architecture.clone(),
        ));
    }
    let want: [(&str, &[&str]); 8] = [
        ("vllm", &["single-gpu", "multi-gpu", "multi-node"]),
        ("sglang", &["single-gpu", "multi-gpu", "multi-node", "pd"]),
        ("llama.cpp", &["single-gpu", "multi-gpu"]),
        ("ollama", &["single-gpu", "multi-gpu"]),
        ("ktransformers", &["single-gpu", "multi-gpu"]),
        ("tensorrt-llm", &["single-gpu", "multi-gpu"]),
        ("ds4", &["single-gpu"]),
        ("mlx", &["single-gpu"]),
    ];
    for (rt, layouts) in want {
        for l in layouts {
            assert!(
                covered.contains(&(rt.to_string(), *l)),
                "no {rt} {l} setup exported: {covered:?}"
            );
        }
    }
    for arch in [
        "DeepseekV3ForCausalLM",
        "DeepseekV4ForCausalLM",
        "Qwen2ForCausalLM",
        "LlamaForCausalLM",
    ] {
        for rt in ["vllm", "sglang", "llama.cpp"] {
            assert!(
                families.contains(&(rt.to_string(), arch.to_string())),
                "no {rt} {arch} setup"
            );
        }
    }
    // V4.1 runs on released vLLM (0.30+) and SGLang (0.5.21+): exported with their images.
    assert!(families.contains(&("vllm".into(), "DeepseekV41ForCausalLM".into())));
    assert!(families.contains(&("sglang".into(), "DeepseekV41ForCausalLM".into())));

    let shells = shells();
    stubs();
    let schemas = Schemas::load(&[
        "tests/schemas/compose-spec.json",
        "tests/schemas/k8s-1.33.json",
        "tests/schemas/lws-v1.json",
    ]);
    let counts = Mutex::new(Counts::default());
    let all_scripts = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = {
                    let mut n = next.lock().unwrap();
                    *n += 1;
                    *n - 1
                };
                let Some(spec) = specs.get(i) else { break };
                let tag = format!(
                    "{i}-{}-{}-{}",
                    spec.runtime.cli_name(),
                    spec.model.id,
                    layout_kind(spec)
                );
                check_shell(spec, &tag, &shells, &all_scripts, &counts);
                check_yaml(spec, Target::Compose, &tag, &schemas, &counts);
                check_yaml(spec, Target::K8s, &tag, &schemas, &counts);
                counts.lock().unwrap().exports += 1;
            });
        }
    });
    let all = all_scripts.into_inner().unwrap();
    // Scripts whose code is the same apart from comments and numbers get the same findings:
    // shellcheck one of each.
    let mut shapes = BTreeSet::new();
    let scripts: Vec<PathBuf> = all
        .iter()
        .filter(|p| {
            let code: String = std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .filter(|l| !l.trim_start().starts_with('#') || l.starts_with("#!"))
                .map(|l| l.replace(|c: char| c.is_ascii_digit(), "0") + "\n")
                .collect();
            shapes.insert(code)
        })
        .cloned()
        .collect();
    let mut shellchecked = 0;
    let checks_started = Instant::now();
    if tool("shellcheck") {
        // One shellcheck process per core, each over its share of the scripts.
        let share = scripts.len().div_ceil(workers).max(1);
        let results: Vec<(usize, std::process::Output)> = std::thread::scope(|scope| {
            let handles: Vec<_> = scripts
                .chunks(share)
                .map(|chunk| {
                    scope.spawn(move || {
                        let o = Command::new("shellcheck")
                            .args(["-s", "sh", "-f", "gcc"])
                            .args(chunk)
                            .output()
                            .unwrap();
                        (chunk.len(), o)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (n, o) in results {
            assert!(
                o.status.success(),
                "shellcheck:\n{}",
                String::from_utf8_lossy(&o.stdout)
            );
            shellchecked += n;
        }
    }
    for p in &all {
        if let Some(d) = p.parent().and_then(Path::parent) {
            let _ = std::fs::remove_dir_all(d);
        }
    }
    if let Some(stub_dir) = stubs().0.parent() {
        let _ = std::fs::remove_dir_all(stub_dir);
    }
    let shellcheck_time = checks_started.elapsed();
    let c = counts.into_inner().unwrap();
    eprintln!(
        "deploy matrix: {plans} plans, {} setups exported × 3 targets, {} refused with a reason ({refused:?}); {} scripts ({shellchecked} distinct by code shellchecked, covering all), {} script runs under {} shells, {} engine commands schema-checked, {} YAML documents validated; plans {:.1} s, shellcheck {:.1} s, total {:.1} s",
        c.exports,
        refused.values().sum::<usize>(),
        c.scripts,
        c.script_runs,
        shells.len(),
        c.commands_checked,
        c.yaml_docs,
        setup_time.as_secs_f64(),
        shellcheck_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    assert!(c.exports >= 100, "only {} setups", c.exports);
}
