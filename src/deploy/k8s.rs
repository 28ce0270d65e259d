//! `--target k8s`: a Deployment for single-node servers, a LeaderWorkerSet
//! (leaderworkerset.x-k8s.io/v1) for servers spanning nodes, and for the disaggregated cluster a
//! prefill LeaderWorkerSet, a decode LeaderWorkerSet and a router Deployment — the llm-d / Dynamo
//! shape built from plain objects. GPU requests, a node selector, /dev/shm in memory, probes and
//! Services. Object names are DNS-1123 labels derived from catalog ids, never from the scenario.

use super::command::{Launch, Var};
use super::container::{argv, startup_minutes, vendor, MODEL_MOUNT};
use super::engines::image;
use super::launch::{engine, health_path, router};
use super::names::{dns_label, MAX_BASE};
use super::shell::model_dir_name;
use super::spec::{DeploymentSpec, Group, InstanceGroup, SpecError, BOOTSTRAP_PORT, ROUTER_PORT};
use super::yaml::{self, Yaml};
use super::{assumptions, GeneratedFile};
use crate::catalog::schema::{Runtime, Vendor};

/// The node label the pods select (`kubectl label node <node> deepseek-advisor/gpu=<id>`).
pub const GPU_LABEL: &str = "deepseek-advisor/gpu";

/// Where the weights live on each GPU node: `/models/<model>-<quant>`, the folder name the
/// shell and Compose files use under `$HOME/models`.
pub const HOST_MODELS: &str = "/models";

/// The node folder Ollama keeps its pulled models in (mounted at `/root/.ollama`).
pub fn ollama_host_dir() -> String {
    format!("{HOST_MODELS}/ollama")
}

pub fn base_name(spec: &DeploymentSpec) -> String {
    dns_label(
        &format!("{}-{}", spec.model.id, spec.runtime.cli_name()),
        MAX_BASE,
        "deepseek",
    )
}

/// The extended resource the vendor's device plugin exposes.
pub fn resource_name(spec: &DeploymentSpec) -> &'static str {
    match vendor(spec) {
        Some(Vendor::Amd) => "amd.com/gpu",
        Some(Vendor::Intel) => "gpu.intel.com/i915",
        _ => "nvidia.com/gpu",
    }
}

fn escape(t: &str) -> String {
    t.replace('$', "$$")
}

/// Variables as Kubernetes expands them in `command` (`$(NAME)` from the container's env;
/// LeaderWorkerSet sets the LWS_* ones).
fn spell(base: &str, v: Var) -> String {
    match v {
        Var::ModelDir => MODEL_MOUNT.into(),
        Var::NodeRank => "$(LWS_WORKER_INDEX)".into(),
        Var::HeadAddress => "$(LWS_LEADER_ADDRESS)".into(),
        Var::NodeCount => "$(LWS_GROUP_SIZE)".into(),
        Var::PrefillAddress => format!("{base}-prefill"),
        Var::DecodeAddress => format!("{base}-decode"),
        Var::WeightsRepo => "$(WEIGHTS_REPO)".into(),
        // Runs inside `/bin/sh -c` (container::argv), which finds the file first.
        Var::ModelFile => "\"$MODEL_FILE\"".into(),
        Var::GgufDir => format!("{MODEL_MOUNT}-gguf"),
    }
}

fn probe(spec: &DeploymentSpec, period: u32, failures: u32) -> Yaml {
    Yaml::map(vec![
        (
            "httpGet",
            Yaml::map(vec![
                ("path", Yaml::str(health_path(spec.runtime))),
                ("port", Yaml::str("http")),
            ]),
        ),
        ("periodSeconds", Yaml::from(period)),
        ("failureThreshold", Yaml::from(failures)),
    ])
}

fn tcp_probe(port: u16) -> Yaml {
    Yaml::map(vec![
        (
            "tcpSocket",
            Yaml::map(vec![("port", Yaml::from(u32::from(port)))]),
        ),
        ("periodSeconds", Yaml::Int(10)),
    ])
}

/// The ports a pod listens on: `http` (probes and Services) and, for prefill, `bootstrap`.
type Ports = Vec<(&'static str, u16)>;

fn container_ports(ports: &Ports) -> Yaml {
    Yaml::Seq(
        ports
            .iter()
            .map(|(name, port)| {
                Yaml::map(vec![
                    ("name", Yaml::str(*name)),
                    ("containerPort", Yaml::from(u32::from(*port))),
                ])
            })
            .collect(),
    )
}

/// A pod template running `launch`; `ports` (when not empty) adds them and the probes.
fn pod(
    spec: &DeploymentSpec,
    base: &str,
    labels: Vec<(&str, Yaml)>,
    launch: &Launch,
    gpus: u32,
    ports: &Ports,
) -> Yaml {
    let mut container: Vec<(String, Yaml)> = vec![
        ("name".into(), Yaml::str("engine")),
        ("image".into(), Yaml::str(image(spec).unwrap_or_default())),
        (
            "command".into(),
            Yaml::strs(&argv(spec, launch, &|v| spell(base, v), &escape)),
        ),
    ];
    if !launch.env.is_empty() {
        container.push((
            "env".into(),
            Yaml::Seq(
                launch
                    .env
                    .iter()
                    .map(|(k, v)| {
                        Yaml::map(vec![
                            ("name", Yaml::str(k)),
                            ("value", Yaml::str(escape(v))),
                        ])
                    })
                    .collect(),
            ),
        ));
    }
    let mut mounts = Vec::new();
    let mut volumes = Vec::new();
    if gpus > 0 {
        let limit = Yaml::map(vec![(resource_name(spec), Yaml::from(gpus))]);
        container.push((
            "resources".into(),
            Yaml::map(vec![("limits", limit.clone()), ("requests", limit)]),
        ));
        let (mount, host) = if spec.runtime == Runtime::Ollama {
            ("/root/.ollama".to_string(), ollama_host_dir())
        } else {
            (
                MODEL_MOUNT.to_string(),
                format!("{HOST_MODELS}/{}", model_dir_name(spec)),
            )
        };
        mounts.push(Yaml::map(vec![
            ("name", Yaml::str("models")),
            ("mountPath", Yaml::str(mount)),
        ]));
        volumes.push(Yaml::map(vec![
            ("name", Yaml::str("models")),
            (
                "hostPath",
                Yaml::map(vec![
                    ("path", Yaml::str(host)),
                    ("type", Yaml::str("DirectoryOrCreate")),
                ]),
            ),
        ]));
        mounts.push(Yaml::map(vec![
            ("name", Yaml::str("dshm")),
            ("mountPath", Yaml::str("/dev/shm")),
        ]));
        volumes.push(Yaml::map(vec![
            ("name", Yaml::str("dshm")),
            ("emptyDir", Yaml::map(vec![("medium", Yaml::str("Memory"))])),
        ]));
    }
    if let Some(&(_, http)) = ports.first() {
        container.push(("ports".into(), container_ports(ports)));
        if gpus > 0 {
            // Loading hundreds of GB takes a while: the startup probe allows for it.
            container.push((
                "startupProbe".into(),
                probe(spec, 30, startup_minutes(spec) * 2),
            ));
            container.push(("readinessProbe".into(), probe(spec, 10, 3)));
            container.push(("livenessProbe".into(), probe(spec, 30, 5)));
        } else {
            container.push(("readinessProbe".into(), tcp_probe(http)));
            container.push(("livenessProbe".into(), tcp_probe(http)));
        }
    }
    if !mounts.is_empty() {
        container.push(("volumeMounts".into(), Yaml::Seq(mounts)));
    }
    let mut pod_spec: Vec<(String, Yaml)> =
        vec![("containers".into(), Yaml::Seq(vec![Yaml::Map(container)]))];
    if gpus > 0 {
        if let Some(g) = &spec.gpu {
            pod_spec.push((
                "nodeSelector".into(),
                Yaml::map(vec![(GPU_LABEL, Yaml::str(dns_label(&g.id, 63, "gpu")))]),
            ));
        }
        pod_spec.push(("volumes".into(), Yaml::Seq(volumes)));
    }
    Yaml::map(vec![
        ("metadata", Yaml::map(vec![("labels", Yaml::map(labels))])),
        ("spec", Yaml::Map(pod_spec)),
    ])
}

fn meta(name: &str, base: &str) -> Yaml {
    Yaml::map(vec![
        ("name", Yaml::str(name)),
        (
            "labels",
            Yaml::map(vec![
                ("app.kubernetes.io/name", Yaml::str(base)),
                (
                    "app.kubernetes.io/managed-by",
                    Yaml::str("deepseek-advisor"),
                ),
            ]),
        ),
    ])
}

#[allow(clippy::too_many_arguments)]
fn deployment(
    spec: &DeploymentSpec,
    base: &str,
    name: &str,
    role: &str,
    replicas: u32,
    launch: &Launch,
    gpus: u32,
    ports: &Ports,
) -> Yaml {
    let labels = || {
        vec![
            ("app.kubernetes.io/name", Yaml::str(base)),
            ("role", Yaml::str(role)),
        ]
    };
    Yaml::map(vec![
        ("apiVersion", Yaml::str("apps/v1")),
        ("kind", Yaml::str("Deployment")),
        ("metadata", meta(name, base)),
        (
            "spec",
            Yaml::map(vec![
                ("replicas", Yaml::from(replicas)),
                (
                    "selector",
                    Yaml::map(vec![("matchLabels", Yaml::map(labels()))]),
                ),
                ("template", pod(spec, base, labels(), launch, gpus, ports)),
            ]),
        ),
    ])
}

fn leader_worker_set(
    spec: &DeploymentSpec,
    base: &str,
    name: &str,
    role: &str,
    g: InstanceGroup,
    ports: &Ports,
) -> Result<Yaml, SpecError> {
    let head = engine(spec, g, true)?;
    let worker = engine(spec, g, false)?;
    let labels = |leader: bool| {
        vec![
            ("app.kubernetes.io/name", Yaml::str(base)),
            ("role", Yaml::str(role)),
            (
                "node-role",
                Yaml::str(if leader { "leader" } else { "worker" }),
            ),
        ]
    };
    Ok(Yaml::map(vec![
        ("apiVersion", Yaml::str("leaderworkerset.x-k8s.io/v1")),
        ("kind", Yaml::str("LeaderWorkerSet")),
        ("metadata", meta(name, base)),
        (
            "spec",
            Yaml::map(vec![
                ("replicas", Yaml::from(g.instances)),
                (
                    "leaderWorkerTemplate",
                    Yaml::map(vec![
                        ("size", Yaml::from(g.nodes_each)),
                        ("restartPolicy", Yaml::str("RecreateGroupOnPodRestart")),
                        (
                            "leaderTemplate",
                            pod(spec, base, labels(true), &head, spec.gpus_per_node, ports),
                        ),
                        (
                            "workerTemplate",
                            pod(
                                spec,
                                base,
                                labels(false),
                                &worker,
                                spec.gpus_per_node,
                                &Vec::new(),
                            ),
                        ),
                    ]),
                ),
            ]),
        ),
    ]))
}

/// A Service in front of the pods labelled `role` (the leaders, for LeaderWorkerSets), on the
/// pods' `ports`.
fn service(base: &str, name: &str, role: &str, leaders_only: bool, ports: &Ports) -> Yaml {
    let mut selector = vec![
        ("app.kubernetes.io/name", Yaml::str(base)),
        ("role", Yaml::str(role)),
    ];
    if leaders_only {
        selector.push(("node-role", Yaml::str("leader")));
    }
    Yaml::map(vec![
        ("apiVersion", Yaml::str("v1")),
        ("kind", Yaml::str("Service")),
        ("metadata", meta(name, base)),
        (
            "spec",
            Yaml::map(vec![
                ("type", Yaml::str("ClusterIP")),
                ("selector", Yaml::map(selector)),
                (
                    "ports",
                    Yaml::Seq(
                        ports
                            .iter()
                            .map(|(pname, port)| {
                                Yaml::map(vec![
                                    ("name", Yaml::str(*pname)),
                                    ("port", Yaml::from(u32::from(*port))),
                                    ("targetPort", Yaml::str(*pname)),
                                ])
                            })
                            .collect(),
                    ),
                ),
            ]),
        ),
    ])
}

pub fn files(spec: &DeploymentSpec) -> Result<Vec<GeneratedFile>, SpecError> {
    image(spec)?;
    let base = base_name(spec);
    let mut workloads = Vec::new();
    let mut services = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for g in spec.groups() {
        let role = g.group.name();
        let name = if g.group == Group::Serve {
            base.clone()
        } else {
            format!("{base}-{role}")
        };
        let head = engine(spec, g, true)?;
        for n in &head.notes {
            if !notes.contains(n) {
                notes.push(n.clone());
            }
        }
        // Decode instances fetch the KV handshake from the prefill head's bootstrap server.
        let mut ports: Ports = vec![("http", spec.port)];
        if g.group == Group::Prefill {
            ports.push(("bootstrap", BOOTSTRAP_PORT));
        }
        if g.nodes_each > 1 || g.group != Group::Serve {
            workloads.push(leader_worker_set(spec, &base, &name, role, g, &ports)?);
            services.push(service(&base, &name, role, true, &ports));
        } else {
            workloads.push(deployment(
                spec,
                &base,
                &name,
                role,
                g.instances,
                &head,
                spec.gpus_per_node,
                &ports,
            ));
            services.push(service(&base, &name, role, false, &ports));
        }
    }
    if let Some(r) = router(spec) {
        let ports: Ports = vec![("http", ROUTER_PORT)];
        workloads.push(deployment(
            spec,
            &base,
            &format!("{base}-router"),
            "router",
            1,
            &r,
            0,
            &ports,
        ));
        services.push(service(&base, &base, "router", false, &ports));
    }
    let mut comments = assumptions::lines(spec);
    comments.push(format!(
        "Written by deepseek-advisor {}. Label the GPU nodes: kubectl label node <node> {GPU_LABEL}={}",
        env!("CARGO_PKG_VERSION"),
        spec.gpu.as_ref().map_or("gpu".to_string(), |g| dns_label(&g.id, 63, "gpu"))
    ));
    comments.extend(notes);
    let file = match spec.layout {
        super::spec::Layout::Disaggregated { .. } => "disaggregated.yaml",
        super::spec::Layout::Replicas { nodes_each, .. } if nodes_each > 1 => {
            "leaderworkerset.yaml"
        }
        super::spec::Layout::Replicas { .. } => "deployment.yaml",
    };
    Ok(vec![
        GeneratedFile::text(file, yaml::documents(&comments, &workloads)),
        GeneratedFile::text("service.yaml", yaml::documents(&[], &services)),
    ])
}
