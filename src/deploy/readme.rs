//! README.md in the output folder: what each file is, how to start it, and what was assumed.

use super::assumptions;
use super::download::ollama_tag;
use super::engines::{image, schema_of};
use super::k8s::{ollama_host_dir, GPU_LABEL, HOST_MODELS};
use super::names::dns_label;
use super::shell::model_dir_name;
use super::spec::{DeploymentSpec, Layout, ROUTER_PORT};
use super::{GeneratedFile, Target};
use crate::catalog::schema::Runtime;

fn describe(name: &str) -> &'static str {
    match name {
        "download-model.sh" => "downloads the weights (run it on every GPU node, or once on shared storage)",
        "run-server.sh" => "starts one server; run it on every server node",
        "run-prefill.sh" => "starts the prefill instance on each prefill node",
        "run-decode.sh" => "starts the decode instance on each decode node",
        "run-router.sh" => "starts the prefill/decode router clients connect to",
        "docker-compose.yml" => "the engine as Compose services with GPU reservations, the weights volume and health checks",
        "deployment.yaml" => "a Deployment of single-node servers",
        "leaderworkerset.yaml" => "a LeaderWorkerSet: each server is a group of pods, one per node",
        "disaggregated.yaml" => "prefill and decode LeaderWorkerSets and the router Deployment",
        "service.yaml" => "the Services clients and the router connect to",
        _ => "",
    }
}

fn how_to(spec: &DeploymentSpec, target: Target) -> String {
    let multi = match spec.layout {
        Layout::Replicas { nodes_each, .. } => nodes_each > 1,
        Layout::Disaggregated { .. } => true,
    };
    match target {
        Target::Shell => {
            let mut s = if spec.runtime == Runtime::Ollama {
                String::from("1. On every server node: start `./run-server.sh`, then run `./download-model.sh` (Ollama pulls through its server).\n")
            } else {
                format!("1. On every GPU node: `./download-model.sh` (the weights go to `$HOME/models/{}`; set `MODEL_DIR` for another folder). Running it again resumes or skips what is there.\n", model_dir_name(spec))
            };
            if multi {
                s.push_str("2. On each node of an instance: `NODE_RANK=<0,1,...> HEAD_ADDR=<head node IP> ./run-<role>.sh`; the nodes must reach each other (InfiniBand/RoCE for wide expert parallelism).\n");
            } else {
                s.push_str("2. On every server node: `./run-server.sh`.\n");
            }
            if matches!(spec.layout, Layout::Disaggregated { .. }) {
                s.push_str(&format!("3. On the router node (any node: it listens on {ROUTER_PORT}, not the engines' port): `PREFILL_ADDR=<prefill head> DECODE_ADDR=<decode head> ./run-router.sh`; clients use port {ROUTER_PORT}.\n"));
            } else if let Layout::Replicas { count, .. } = spec.layout {
                if count > 1 {
                    s.push_str(&format!(
                        "3. Put a load balancer in front of the {count} servers.\n"
                    ));
                }
            }
            s
        }
        Target::Compose => {
            let mut s = if spec.runtime == Runtime::Ollama {
                format!("1. Install the NVIDIA Container Toolkit (or ROCm drivers) on every node. Start the service (step 2), then pull the weights into its volume: `docker compose exec server ollama pull {}`.\n", ollama_tag(spec).unwrap_or("<tag>"))
            } else {
                format!("1. Install the NVIDIA Container Toolkit (or ROCm drivers) on every node and run `./download-model.sh` there; the weights folder (`MODEL_DIR`, default `$HOME/models/{}`, as the script writes it) is mounted at `/models`.\n", model_dir_name(spec))
            };
            if multi {
                s.push_str("2. Each service has a profile: on the head node of an instance `NODE_COUNT=<n> NODE_RANK=0 HEAD_ADDR=<its IP> docker compose --profile <role>-head up -d`, on the others `--profile <role>-worker` with their rank. Services use host networking so the nodes reach each other.\n");
                if matches!(spec.layout, Layout::Disaggregated { .. }) {
                    s.push_str(&format!("3. The router (port {ROUTER_PORT}): `PREFILL_ADDR=<prefill head> DECODE_ADDR=<decode head> docker compose --profile router up -d`.\n"));
                }
            } else {
                s.push_str("2. `docker compose up -d` on every server node; `docker compose ps` shows the health check.\n");
            }
            s.push_str(
                "`x-deepseek-advisor.hosts` on each service says on how many hosts it runs.\n",
            );
            s
        }
        Target::K8s => {
            let weights = if spec.runtime == Runtime::Ollama {
                format!("2. After step 3, pull the weights inside the pod: `kubectl exec deploy/{} -- ollama pull {}`; they land in `{}` on the node.\n", super::k8s::base_name(spec), ollama_tag(spec).unwrap_or("<tag>"), ollama_host_dir())
            } else {
                format!("2. Put the weights on each GPU node under `{HOST_MODELS}/{}` (the same folder name as the shell scripts' `$HOME/models/{}`): run `MODEL_DIR={HOST_MODELS}/{} ./download-model.sh` there.\n", model_dir_name(spec), model_dir_name(spec), model_dir_name(spec))
            };
            let mut s = format!(
                "1. Label the GPU nodes: `kubectl label node <node> {GPU_LABEL}={}`; the GPU vendor's device plugin must expose `{}`.\n{weights}",
                spec.gpu.as_ref().map_or("gpu".to_string(), |g| dns_label(&g.id, 63, "gpu")),
                super::k8s::resource_name(spec),
            );
            if multi {
                s.push_str("3. Install LeaderWorkerSet (kubernetes-sigs/lws) in the cluster.\n4. `kubectl apply -f .`\n");
            } else {
                s.push_str("3. `kubectl apply -f .`\n");
            }
            s
        }
    }
}

pub fn readme(spec: &DeploymentSpec, target: Target, files: &[GeneratedFile]) -> GeneratedFile {
    let mut s = format!(
        "# Deployment: {} on {}\n\nWritten by deepseek-advisor {} (`deploy --target {}`).\n\n## Files\n\n",
        spec.model.name,
        spec.runtime.cli_name(),
        env!("CARGO_PKG_VERSION"),
        target.name()
    );
    for f in files {
        s.push_str(&format!("- `{}`: {}\n", f.name, describe(&f.name)));
    }
    s.push_str("- `README.md`: this file\n\n## Start\n\n");
    s.push_str(&how_to(spec, target));
    let pinned = schema_of(spec.runtime);
    s.push_str(&format!(
        "\n## Engine\n\n{} {} (pinned; every command here was checked against its own argument parser, extracted from {}).",
        spec.runtime.cli_name(),
        pinned.version,
        pinned.source
    ));
    if let Ok(img) = image(spec) {
        s.push_str(&format!(" Image: `{img}`."));
    }
    s.push_str("\n\n## What was assumed\n\n");
    for l in assumptions::lines(spec) {
        s.push_str(&format!("- {l}\n"));
    }
    s.push_str(&format!(
        "\nThe weights folder is `{}`. Settings the pinned engine has no flag for are left out; the scripts say so where it matters.\n",
        model_dir_name(spec)
    ));
    GeneratedFile::text("README.md", s)
}
