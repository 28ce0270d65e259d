//! `deploy`: every target on shipped scenarios, YAML parsed, GPU counts equal to the plan's,
//! nothing written outside the output folder, refusals with exit code 2.

use deepseek_advisor::catalog::schema::{QuantFormat, Runtime, SpeculativeKind, Vendor};
use deepseek_advisor::cost::{plan, OptionKind};
use deepseek_advisor::deploy::names::is_dns_label;
use deepseek_advisor::deploy::{
    render, DeploymentSpec, GeneratedFile, GpuRef, Layout, QuantRef, Target,
};
use deepseek_advisor::estimate::kv::KvCacheType;
use deepseek_advisor::prices::{Day, PriceContext};
use deepseek_advisor::scenario::Scenario;
use std::path::{Path, PathBuf};
use yaml_rust2::{Yaml, YamlLoader};

#[path = "support/cli.rs"]
mod cli_support;
use cli_support::run;

fn scenario(name: &str) -> String {
    format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A fresh parent folder per test; the export goes into `parent/out`.
fn parent(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dsa-deploy-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every path under `dir`, relative.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        out.push(p.strip_prefix(dir).unwrap().to_path_buf());
        if p.is_dir() {
            out.extend(
                tree(&p)
                    .into_iter()
                    .map(|c| p.strip_prefix(dir).unwrap().join(c)),
            );
        }
    }
    out.sort();
    out
}

fn int(y: &Yaml) -> i64 {
    match y {
        Yaml::Integer(n) => *n,
        Yaml::String(s) => s.parse().unwrap(),
        other => panic!("not a count: {other:?}"),
    }
}

fn pod_gpus(pod: &Yaml) -> i64 {
    pod["spec"]["containers"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|c| {
            let l = &c["resources"]["limits"];
            [&l["nvidia.com/gpu"], &l["amd.com/gpu"]]
                .into_iter()
                .find(|v| !v.is_badvalue())
                .map_or(0, int)
        })
        .sum()
}

/// GPUs the Kubernetes objects request, and a check of every object name.
fn k8s_gpus(docs: &[Yaml]) -> i64 {
    let mut total = 0;
    for d in docs {
        let name = d["metadata"]["name"].as_str().unwrap();
        assert!(is_dns_label(name), "{name:?} is not a DNS-1123 label");
        match d["kind"].as_str().unwrap() {
            "Deployment" => total += int(&d["spec"]["replicas"]) * pod_gpus(&d["spec"]["template"]),
            "LeaderWorkerSet" => {
                let t = &d["spec"]["leaderWorkerTemplate"];
                let size = int(&t["size"]);
                total += int(&d["spec"]["replicas"])
                    * (pod_gpus(&t["leaderTemplate"])
                        + (size - 1) * pod_gpus(&t["workerTemplate"]));
            }
            "Service" => assert!(!d["spec"]["selector"].is_badvalue()),
            other => panic!("unexpected kind {other}"),
        }
    }
    total
}

/// GPUs the Compose services reserve, times the hosts each runs on.
fn compose_gpus(doc: &Yaml) -> i64 {
    let mut total = 0;
    for (name, s) in doc["services"].as_hash().unwrap() {
        let name = name.as_str().unwrap();
        assert!(is_dns_label(name), "{name}");
        assert!(!s["entrypoint"].as_vec().unwrap().is_empty());
        let reserved = &s["deploy"]["resources"]["reservations"]["devices"][0]["count"];
        let per_host = if reserved.is_badvalue() {
            int(&s["x-deepseek-advisor"]["gpus_per_host"])
        } else {
            int(reserved)
        };
        total += per_host * int(&s["x-deepseek-advisor"]["hosts"]);
    }
    total
}

/// Parses every YAML file of an export and returns the GPUs it asks for.
fn yaml_gpus(files: &[(String, String)], target: Target) -> i64 {
    let mut total = 0;
    for (name, text) in files {
        if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
            continue;
        }
        let docs =
            YamlLoader::load_from_str(text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        assert!(!docs.is_empty(), "{name} has no document");
        total += match target {
            Target::Compose => compose_gpus(&docs[0]),
            Target::K8s => k8s_gpus(&docs),
            Target::Shell => 0,
        };
    }
    total
}

fn read_all(paths: &[PathBuf]) -> Vec<(String, String)> {
    paths
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect()
}

fn deploy_ok(
    file: &str,
    target: Target,
    option: Option<&str>,
    tag: &str,
) -> (Vec<(String, String)>, i64) {
    let parent = parent(tag);
    let out = parent.join("out");
    let out_s = out.to_string_lossy().into_owned();
    let mut args = vec!["deploy", file, "--target", target.name(), "--out", &out_s];
    if let Some(o) = option {
        args.extend(["--option", o]);
    }
    let (code, stdout, err) = run(&args);
    assert_eq!(code, 0, "{file} {}: {err}", target.name());
    let listed: Vec<PathBuf> = stdout.lines().skip(1).map(PathBuf::from).collect();
    assert!(!listed.is_empty());
    for p in &listed {
        assert!(
            p.starts_with(&out),
            "{} outside {}",
            p.display(),
            out.display()
        );
        assert!(p.is_file());
    }
    assert_eq!(tree(&parent), {
        let mut t: Vec<PathBuf> = vec![PathBuf::from("out")];
        t.extend(
            listed
                .iter()
                .map(|p| PathBuf::from("out").join(p.file_name().unwrap())),
        );
        t.sort();
        t
    });
    let files = read_all(&listed);
    assert!(files.iter().any(|(n, _)| n == "README.md"));
    let gpus = yaml_gpus(&files, target);
    let _ = std::fs::remove_dir_all(&parent);
    (files, gpus)
}

fn plan_gpus(file: &str, option: Option<OptionKind>) -> i64 {
    let s = Scenario::load(Path::new(file)).unwrap();
    let p = plan(
        &s.costs,
        &PriceContext::catalog_only(Day::new(2026, 12, 1).unwrap()),
    );
    let kind = option.or(p.recommended).unwrap();
    i64::from(p.options.iter().find(|o| o.kind == kind).unwrap().gpus)
}

#[test]
fn every_target_on_shipped_scenarios_matches_the_plan() {
    let cases: [(&str, Option<(&str, OptionKind)>); 4] = [
        ("r1-671b-private-h200.ron", None),
        ("finance-2m-cny-8xh100-regulated.ron", None),
        (
            "startup-100k-cny-2xa100.ron",
            Some(("local_server", OptionKind::LocalServer)),
        ),
        (
            "personal-rtx4090.ron",
            Some(("local_server", OptionKind::LocalServer)),
        ),
    ];
    for (i, (name, option)) in cases.iter().enumerate() {
        let file = scenario(name);
        let want = plan_gpus(&file, option.map(|o| o.1));
        for target in Target::ALL {
            let (files, gpus) = deploy_ok(
                &file,
                target,
                option.map(|o| o.0),
                &format!("s{i}-{}", target.name()),
            );
            match target {
                Target::Shell => {
                    let run = files.iter().find(|(n, _)| n == "run-server.sh").unwrap();
                    assert!(run.1.starts_with("#!/bin/sh\n"));
                    assert!(run.1.contains("exec "));
                }
                _ => assert_eq!(gpus, want, "{name} {}", target.name()),
            }
        }
    }
}

#[test]
fn commands_carry_the_estimates_settings() {
    let file = scenario("r1-671b-private-h200.ron");
    let (files, _) = deploy_ok(&file, Target::Shell, None, "flags");
    let run = &files.iter().find(|(n, _)| n == "run-server.sh").unwrap().1;
    for flag in [
        "sglang.launch_server",
        "--tp-size 8",
        "--context-length 4096",
        "--max-running-requests",
        "--trust-remote-code",
    ] {
        assert!(
            run.replace(" \\\n    ", " ").contains(flag),
            "{flag} missing in\n{run}"
        );
    }
    let dl = &files
        .iter()
        .find(|(n, _)| n == "download-model.sh")
        .unwrap()
        .1;
    assert!(dl.contains("hf download deepseek-ai/DeepSeek-R1-0528"));
    let file = scenario("personal-rtx4090.ron");
    let (files, _) = deploy_ok(&file, Target::Shell, Some("local_server"), "flags-llama");
    let run = &files.iter().find(|(n, _)| n == "run-server.sh").unwrap().1;
    assert!(run.contains("llama-server"));
    // One slot per user the plan's capacity holds (the KV pool at the workload's context).
    let users = plan(
        &Scenario::load(Path::new(&file)).unwrap().costs,
        &PriceContext::catalog_only(Day::new(2026, 12, 1).unwrap()),
    )
    .capacity
    .concurrency;
    assert!(users > 1);
    assert!(run.contains(&format!("-np {users}")), "{run}");
}

fn spec(runtime: Runtime, layout: Layout) -> DeploymentSpec {
    DeploymentSpec {
        scenario: "hand-built".into(),
        option: OptionKind::LocalCluster,
        model: deepseek_advisor::deploy::model_ref(
            deepseek_advisor::catalog::Catalog::get()
                .model("deepseek-r1-0528")
                .unwrap(),
        ),
        quant: QuantRef {
            id: "FP8".into(),
            format: QuantFormat::Safetensors,
            native: true,
            publisher_repo: None,
        },
        runtime,
        gpu: Some(GpuRef {
            id: "h200-sxm".into(),
            name: "NVIDIA H200".into(),
            vendor: Vendor::Nvidia,
        }),
        gpus_per_node: 8,
        layout,
        context: 4096,
        concurrency: 64,
        kv_type: KvCacheType::Fp8,
        speculative: None,
        gpu_layers: None,
        experts_on_cpu: false,
        ssd_streaming: false,
        expert_split: Default::default(),
        port: 8000,
        notes: vec![],
    }
}

fn texts(files: &[GeneratedFile]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|f| (f.name.clone(), f.contents.clone()))
        .collect()
}

#[test]
fn disaggregated_cluster_counts_prefill_plus_decode() {
    let s = spec(
        Runtime::Sglang,
        Layout::Disaggregated {
            prefill_nodes: 2,
            decode_nodes: 4,
        },
    );
    assert_eq!(s.total_gpus(), 48);
    for target in [Target::Compose, Target::K8s] {
        let files = texts(&render(&s, target).unwrap());
        assert_eq!(yaml_gpus(&files, target), 48, "{}", target.name());
        let all: String = files.iter().map(|f| f.1.as_str()).collect();
        for needle in [
            "--disaggregation-mode",
            "prefill",
            "decode",
            "sglang_router.launch_router",
            "--attn-dp-size",
            "--moe-a2a-backend",
            "--disaggregation-bootstrap-port",
        ] {
            assert!(all.contains(needle), "{needle} missing ({})", target.name());
        }
    }
    let shell = texts(&render(&s, Target::Shell).unwrap());
    let names: Vec<&str> = shell.iter().map(|f| f.0.as_str()).collect();
    for n in [
        "run-prefill.sh",
        "run-decode.sh",
        "run-router.sh",
        "download-model.sh",
        "README.md",
    ] {
        assert!(names.contains(&n), "{n} missing: {names:?}");
    }
    let decode = &shell.iter().find(|f| f.0 == "run-decode.sh").unwrap().1;
    assert!(
        decode.contains("--dist-init-addr \"${HEAD_ADDR}\":5000"),
        "{decode}"
    );
    assert!(decode.contains("NODE_COUNT=4"));
    // DSpark does not combine with PD disaggregation in SGLang; vLLM has no verified PD router.
    let mut d = s.clone();
    d.speculative = Some(SpeculativeKind::Dspark);
    assert!(render(&d, Target::Shell).is_err());
    let v = spec(Runtime::Vllm, s.layout);
    assert!(render(&v, Target::K8s).is_err());
}

#[test]
fn multi_node_replicas_use_leader_worker_sets() {
    let s = spec(
        Runtime::Vllm,
        Layout::Replicas {
            count: 3,
            nodes_each: 2,
        },
    );
    let k8s = texts(&render(&s, Target::K8s).unwrap());
    assert_eq!(yaml_gpus(&k8s, Target::K8s), 48);
    let lws = &k8s
        .iter()
        .find(|f| f.0 == "leaderworkerset.yaml")
        .unwrap()
        .1;
    assert!(lws.contains("$(LWS_LEADER_ADDRESS)") && lws.contains("--headless"));
    // R1's 61 layers do not split into two pipeline stages: TP 16 over both nodes.
    assert!(!lws.contains("--pipeline-parallel-size") && lws.contains("--kv-cache-dtype"));
    assert!(lws.contains("- \"16\""), "{lws}");
    let compose = texts(&render(&s, Target::Compose).unwrap());
    assert_eq!(yaml_gpus(&compose, Target::Compose), 48);
    let sg = spec(
        Runtime::Sglang,
        Layout::Replicas {
            count: 2,
            nodes_each: 2,
        },
    );
    let k8s = texts(&render(&sg, Target::K8s).unwrap());
    assert_eq!(yaml_gpus(&k8s, Target::K8s), 32);
    assert!(
        k8s[0].1.contains("\"16\""),
        "SGLang shards over both nodes (--tp-size 16)"
    );
}

#[test]
fn engines_put_the_estimated_expert_split_on_the_command_line() {
    let one = Layout::Replicas {
        count: 1,
        nodes_each: 1,
    };
    let run_sh = |s: &DeploymentSpec| {
        texts(&render(s, Target::Shell).unwrap())
            .into_iter()
            .filter(|f| f.0.ends_with(".sh"))
            .map(|f| f.1)
            .collect::<String>()
    };
    let mut l = spec(Runtime::LlamaCpp, one);
    l.gpus_per_node = 1;
    l.kv_type = KvCacheType::F16;
    l.expert_split.cpu_moe_layers = Some(19);
    let text = run_sh(&l);
    assert!(text.contains("--n-cpu-moe 19"), "{text}");
    assert!(!text.contains("--cpu-moe "), "{text}");
    let mut k = spec(Runtime::Ktransformers, one);
    k.gpus_per_node = 1;
    k.expert_split.gpu_experts_per_layer = Some(12);
    assert!(run_sh(&k).contains("--kt-num-gpu-experts 12"));
    let mut d = spec(Runtime::Ds4, one);
    d.model.id = "deepseek-v4-flash".into();
    d.model.hf_repo = "deepseek-ai/DeepSeek-V4-Flash".into();
    d.model.architecture = "DeepseekV4ForCausalLM".into();
    d.quant.id = "ds4-q2".into();
    d.quant.format = QuantFormat::Gguf;
    d.quant.native = false;
    d.gpus_per_node = 1;
    d.kv_type = KvCacheType::F32;
    d.ssd_streaming = true;
    d.expert_split.cache_gb = Some(37.0);
    let text = run_sh(&d);
    // The pinned ds4 has no streaming option: the script says what the estimate assumed.
    assert!(
        text.lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .all(|l| !l.contains("--ssd-streaming")),
        "{text}"
    );
    assert!(
        text.contains("a 37 GB expert cache in GPU memory"),
        "{text}"
    );
}

#[test]
fn targets_a_runtime_cannot_use_are_refused() {
    let mut s = spec(
        Runtime::Ds4,
        Layout::Replicas {
            count: 1,
            nodes_each: 1,
        },
    );
    s.gpus_per_node = 1;
    s.kv_type = KvCacheType::F32;
    let c = deepseek_advisor::catalog::Catalog::get();
    let flash = c.model("deepseek-v4-flash").unwrap();
    s.model = deepseek_advisor::deploy::model_ref(flash);
    s.quant = deepseek_advisor::deploy::quant_ref(flash, c.quant("ds4-q2").unwrap());
    assert!(render(&s, Target::Shell).is_ok());
    assert!(render(&s, Target::K8s)
        .unwrap_err()
        .0
        .contains("use --target shell"));
    assert!(render(&s, Target::Compose).is_err());
    let mut l = spec(
        Runtime::LlamaCpp,
        Layout::Replicas {
            count: 1,
            nodes_each: 2,
        },
    );
    l.kv_type = KvCacheType::F16;
    assert!(
        render(&l, Target::Shell).is_err(),
        "llama.cpp has no multi-node server"
    );
}

#[test]
fn scenario_names_never_reach_file_names_or_structure() {
    let parent = parent("traversal");
    let text = std::fs::read_to_string(scenario("r1-671b-private-h200.ron"))
        .unwrap()
        .replace(
            "name: \"Private R1 671B: 8×H200 vs 16×H100 vs cloud\"",
            "name: \"../../escape\\n---\\nkind: Secret\\n$(rm -rf /)\"",
        );
    assert!(text.contains("../../escape"));
    let file = parent.join("evil.ron");
    std::fs::write(&file, text).unwrap();
    let out = parent.join("out");
    for target in Target::ALL {
        let dir = out.join(target.name());
        let (code, stdout, err) = run(&[
            "deploy",
            file.to_str().unwrap(),
            "--target",
            target.name(),
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        let listed: Vec<PathBuf> = stdout.lines().skip(1).map(PathBuf::from).collect();
        let files = read_all(&listed);
        for (name, body) in &files {
            assert!(!name.contains("escape"));
            assert!(
                !body.contains("\nkind: Secret"),
                "{name} took a line from the scenario name"
            );
        }
        yaml_gpus(&files, target);
    }
    let mut expected = vec![PathBuf::from("evil.ron"), PathBuf::from("out")];
    for t in Target::ALL {
        expected.push(PathBuf::from("out").join(t.name()));
    }
    let found: Vec<PathBuf> = tree(&parent)
        .into_iter()
        .filter(|p| p.components().count() <= 2)
        .collect();
    assert_eq!(found, {
        expected.sort();
        expected
    });
    let _ = std::fs::remove_dir_all(&parent);
}

#[test]
fn refusals_exit_with_code_2() {
    let parent = parent("refuse");
    let out = parent.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("mine.txt"), "keep").unwrap();
    let file = scenario("r1-671b-private-h200.ron");
    let o = out.to_str().unwrap();
    let (code, _, err) = run(&["deploy", &file, "--target", "shell", "--out", o]);
    assert_eq!(code, 2);
    assert!(
        err.contains("not empty") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("mine.txt")).unwrap(),
        "keep"
    );
    let (code, _, err) = run(&["deploy", &file, "--target", "shell", "--out", o, "--force"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("mine.txt")).unwrap(),
        "keep"
    );
    let fresh = parent.join("fresh");
    let f = fresh.to_str().unwrap();
    let (code, _, err) = run(&["deploy", &file, "--target", "helm", "--out", f]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(&[
        "deploy", &file, "--target", "k8s", "--out", f, "--option", "api",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("nothing to deploy"), "{err}");
    // The recommendation is the API: nothing to deploy unless an option is named.
    let (code, _, err) = run(&[
        "deploy",
        &scenario("personal-rtx4090.ron"),
        "--target",
        "shell",
        "--out",
        f,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--option"), "{err}");
    let (code, _, _) = run(&[
        "deploy",
        &file,
        "--target",
        "shell",
        "--out",
        f,
        "--option",
        "everything",
    ]);
    assert_eq!(code, 2);
    assert!(!fresh.exists(), "refused exports write nothing");
    let _ = std::fs::remove_dir_all(&parent);
}

#[test]
fn a_plan_that_picks_a_disaggregated_cluster_exports_its_prefill_and_decode_nodes() {
    // The private-R1 scenario (SGLang on 8× H200) at five million requests a day: the plan builds
    // the cluster as prefill + decode nodes, and the export starts exactly those GPUs.
    let mut s = Scenario::load(Path::new(&scenario("r1-671b-private-h200.ron"))).unwrap();
    s.costs.workload.requests_per_day = 5_000_000.0;
    let dir = parent("disaggregated-plan");
    let file = dir.join("busy.dsa.ron");
    std::fs::write(&file, s.to_ron()).unwrap();
    let file = file.to_string_lossy().into_owned();
    let p = plan(
        &s.costs,
        &PriceContext::catalog_only(Day::new(2026, 12, 1).unwrap()),
    );
    let cluster = p
        .options
        .iter()
        .find(|o| o.kind == OptionKind::LocalCluster)
        .unwrap();
    let layout = cluster.cluster.as_ref().unwrap();
    assert_eq!(
        layout.layout,
        deepseek_advisor::cost::cluster::Layout::Disaggregated
    );
    let (files, gpus) = deploy_ok(&file, Target::K8s, Some("local_cluster"), "pd-k8s");
    assert_eq!(gpus, i64::from(cluster.gpus));
    let text: String = files.iter().map(|(_, t)| t.as_str()).collect();
    assert!(text.contains("prefill") && text.contains("decode"));
    let (files, _) = deploy_ok(&file, Target::Shell, Some("local_cluster"), "pd-shell");
    assert!(files.iter().any(|(n, _)| n == "run-prefill.sh"));
    assert!(files.iter().any(|(n, _)| n == "run-decode.sh"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_engine_release_older_than_the_model_needs_is_refused_naming_the_release() {
    let mut s = spec(
        Runtime::Vllm,
        Layout::Replicas {
            count: 1,
            nodes_each: 1,
        },
    );
    let c = deepseek_advisor::catalog::Catalog::get();
    let v41 = c.model("deepseek-v4.1-flash").unwrap();
    s.model = deepseek_advisor::deploy::model_ref(v41);
    s.quant = deepseek_advisor::deploy::quant_ref(v41, c.quant("FP4-FP8").unwrap());
    assert!(render(&s, Target::K8s).is_ok(), "V4.1 runs on vLLM 0.30+");
    let row = s
        .model
        .support
        .iter_mut()
        .find(|r| r.runtime == Runtime::Vllm)
        .unwrap();
    assert_eq!(row.release.as_deref(), Some("0.30.0"));
    row.release = Some("9.1.0".into());
    let e = render(&s, Target::Shell).unwrap_err().0;
    assert!(e.contains("9.1.0") && e.contains("0.34.0"), "{e}");
    // Released mlx-lm has no deepseek_v4 module: MLX is refused for V4, naming the runtimes
    // whose releases run it.
    let flash = c.model("deepseek-v4-flash").unwrap();
    let mut m = spec(
        Runtime::Mlx,
        Layout::Replicas {
            count: 1,
            nodes_each: 1,
        },
    );
    m.model = deepseek_advisor::deploy::model_ref(flash);
    m.gpus_per_node = 1;
    let e = render(&m, Target::Shell).unwrap_err().0;
    assert!(e.contains("fork") && e.contains("vllm"), "{e}");
}

#[test]
fn intel_gpus_get_their_own_devices_and_resource() {
    let c = deepseek_advisor::catalog::Catalog::get();
    let m = c.model("deepseek-r1-distill-qwen-7b").unwrap();
    let mut s = spec(
        Runtime::LlamaCpp,
        Layout::Replicas {
            count: 1,
            nodes_each: 1,
        },
    );
    s.model = deepseek_advisor::deploy::model_ref(m);
    s.quant = deepseek_advisor::deploy::quant_ref(m, c.quant("Q4_K_M").unwrap());
    s.kv_type = KvCacheType::F16;
    s.gpus_per_node = 2;
    s.gpu = Some(GpuRef {
        id: "arc-a770-16gb".into(),
        name: "Intel Arc A770".into(),
        vendor: Vendor::Intel,
    });
    let all: String = texts(&render(&s, Target::Compose).unwrap())
        .into_iter()
        .chain(texts(&render(&s, Target::K8s).unwrap()))
        .map(|f| f.1)
        .collect();
    assert!(
        all.contains("/dev/dri") && all.contains("gpu.intel.com/i915"),
        "{all}"
    );
    assert!(
        !all.contains("/dev/kfd") && !all.contains("nvidia.com/gpu"),
        "{all}"
    );
    assert!(all.contains("server-intel-b11312"));
}

#[test]
fn a_server_too_slow_for_the_speed_target_is_refused_as_too_slow_not_as_not_fitting() {
    let mut s = Scenario::load(Path::new(&scenario("r1-671b-private-h200.ron"))).unwrap();
    s.costs.workload.min_user_tok_s = 5_000.0;
    let dir = parent("too-slow");
    let file = dir.join("slow.dsa.ron");
    std::fs::write(&file, s.to_ron()).unwrap();
    let out = dir.join("out");
    let (code, _, err) = run(&[
        "deploy",
        file.to_str().unwrap(),
        "--target",
        "shell",
        "--out",
        out.to_str().unwrap(),
        "--option",
        "local_server",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("min_user_tok_s") && !err.contains("does not fit"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_cell_that_does_not_fit_gets_no_launch_command() {
    use deepseek_advisor::estimate::{fit, FitOptions};
    use deepseek_advisor::hardware::machine::parse_gpu_arg;
    use deepseek_advisor::hardware::Machine;
    let c = deepseek_advisor::catalog::Catalog::get();
    let machine = Machine::from_parts(
        vec![parse_gpu_arg(c, "rtx-4090").unwrap()],
        Some(32.0),
        Some(60.0),
        Some(8),
    )
    .unwrap();
    for runtime in [Runtime::Vllm, Runtime::Sglang] {
        let f = fit(
            c.model("deepseek-r1-0528").unwrap(),
            c.quant("FP8").unwrap(),
            &machine,
            FitOptions::new(runtime, 4096),
        )
        .unwrap();
        let lines = deepseek_advisor::deploy::launch_commands(&f);
        assert!(lines.is_empty(), "{lines:?}");
    }
}
