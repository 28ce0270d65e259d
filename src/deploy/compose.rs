//! `--target compose`: a docker-compose.yml with GPU reservations, the weights as a volume and
//! health checks. Several nodes run the same file with a profile each (head, worker, prefill,
//! decode, router); `x-deepseek-advisor.hosts` says how many hosts run each service. The weights
//! folder is the shell scripts' one (`$HOME/models/<model>-<quant>`, or `MODEL_DIR`).

use super::command::{Launch, Var};
use super::container::{argv, health_command, startup_minutes, vendor, MODEL_MOUNT};
use super::engines::image;
use super::launch::{engine, router};
use super::shell::model_dir_name;
use super::spec::{DeploymentSpec, SpecError, ROUTER_PORT};
use super::yaml::{self, Yaml};
use super::{assumptions, GeneratedFile};
use crate::catalog::schema::{Runtime, Vendor};

fn spell(v: Var) -> String {
    match v {
        Var::ModelDir => MODEL_MOUNT.into(),
        other => format!(
            "${{{}:?set {} (see README.md)}}",
            other.env_name(),
            other.env_name()
        ),
    }
}

fn escape(t: &str) -> String {
    t.replace('$', "$$")
}

struct Service<'a> {
    profile: Option<String>,
    launch: &'a Launch,
    gpus: u32,
    hosts: u32,
    /// The port it answers HTTP on (health check, published port), if any.
    serves: Option<u16>,
    multi_node: bool,
    image: &'a str,
}

fn gpu_access(spec: &DeploymentSpec, gpus: u32) -> (String, Yaml) {
    match vendor(spec) {
        Some(Vendor::Nvidia) => (
            "deploy".into(),
            Yaml::map(vec![(
                "resources",
                Yaml::map(vec![(
                    "reservations",
                    Yaml::map(vec![(
                        "devices",
                        Yaml::Seq(vec![Yaml::map(vec![
                            ("driver", Yaml::str("nvidia")),
                            ("count", Yaml::from(gpus)),
                            ("capabilities", Yaml::strs(&["gpu"])),
                        ])]),
                    )]),
                )]),
            )]),
        ),
        // ROCm needs the compute interface; Intel GPUs are render nodes only.
        Some(Vendor::Amd) => ("devices".into(), Yaml::strs(&["/dev/kfd", "/dev/dri"])),
        _ => ("devices".into(), Yaml::strs(&["/dev/dri"])),
    }
}

fn service(spec: &DeploymentSpec, s: &Service) -> Yaml {
    let mut m: Vec<(String, Yaml)> = vec![("image".into(), Yaml::str(s.image))];
    if let Some(p) = &s.profile {
        m.push(("profiles".into(), Yaml::strs(&[p])));
    }
    m.push((
        "entrypoint".into(),
        Yaml::strs(&argv(spec, s.launch, &spell, &escape)),
    ));
    if !s.launch.env.is_empty() {
        m.push((
            "environment".into(),
            Yaml::map(
                s.launch
                    .env
                    .iter()
                    .map(|(k, v)| (k.clone(), Yaml::str(escape(v))))
                    .collect(),
            ),
        ));
    }
    if s.gpus > 0 {
        let volume = if spec.runtime == Runtime::Ollama {
            "ollama:/root/.ollama".to_string()
        } else {
            format!(
                "${{MODEL_DIR:-~/models/{}}}:{MODEL_MOUNT}:ro",
                model_dir_name(spec)
            )
        };
        m.push(("volumes".into(), Yaml::strs(&[volume])));
    }
    if s.multi_node {
        // NCCL, the PD transfer engine and its bootstrap server talk between hosts directly.
        m.push(("network_mode".into(), Yaml::str("host")));
    } else if let Some(port) = s.serves {
        m.push(("ports".into(), Yaml::strs(&[format!("{port}:{port}")])));
    }
    if matches!(spec.runtime, Runtime::Vllm | Runtime::Sglang) && s.gpus > 0 {
        m.push(("ipc".into(), Yaml::str("host")));
    }
    if s.gpus > 0 {
        m.push(gpu_access(spec, s.gpus));
    }
    if let Some(port) = s.serves {
        m.push((
            "healthcheck".into(),
            Yaml::map(vec![
                (
                    "test",
                    if s.gpus > 0 {
                        Yaml::strs(&health_command(spec, port))
                    } else {
                        Yaml::strs(&[
                            "CMD",
                            "python3",
                            "-c",
                            &format!(
                                "import socket; socket.create_connection(('localhost', {port}), 5)"
                            ),
                        ])
                    },
                ),
                ("interval", Yaml::str("30s")),
                ("timeout", Yaml::str("10s")),
                ("retries", Yaml::Int(3)),
                (
                    "start_period",
                    Yaml::str(format!("{}m", startup_minutes(spec))),
                ),
            ]),
        ));
    }
    m.push(("restart".into(), Yaml::str("unless-stopped")));
    m.push((
        "x-deepseek-advisor".into(),
        Yaml::map(vec![
            ("hosts", Yaml::from(s.hosts)),
            ("gpus_per_host", Yaml::from(s.gpus)),
        ]),
    ));
    Yaml::Map(m)
}

/// One engine service: its name, profile, command, hosts, whether it answers HTTP and whether
/// it runs on several hosts.
struct EngineService {
    name: String,
    profile: Option<String>,
    launch: Launch,
    hosts: u32,
    serves: bool,
    multi_node: bool,
}

pub fn files(spec: &DeploymentSpec) -> Result<Vec<GeneratedFile>, SpecError> {
    let img = image(spec)?;
    let mut launches: Vec<EngineService> = Vec::new();
    let groups = spec.groups();
    let several_roles = groups.len() > 1;
    for g in &groups {
        let base = g.group.name();
        if g.nodes_each > 1 {
            launches.push(EngineService {
                name: format!("{base}-head"),
                profile: Some(format!("{base}-head")),
                launch: engine(spec, *g, true)?,
                hosts: g.instances,
                serves: true,
                multi_node: true,
            });
            launches.push(EngineService {
                name: format!("{base}-worker"),
                profile: Some(format!("{base}-worker")),
                launch: engine(spec, *g, false)?,
                hosts: g.instances * (g.nodes_each - 1),
                serves: false,
                multi_node: true,
            });
        } else {
            launches.push(EngineService {
                name: base.to_string(),
                profile: several_roles.then(|| base.to_string()),
                launch: engine(spec, *g, true)?,
                hosts: g.instances,
                serves: true,
                multi_node: several_roles,
            });
        }
    }
    let mut services: Vec<(String, Yaml)> = launches
        .iter()
        .map(|e| {
            (
                e.name.clone(),
                service(
                    spec,
                    &Service {
                        profile: e.profile.clone(),
                        launch: &e.launch,
                        gpus: spec.gpus_per_node,
                        hosts: e.hosts,
                        serves: e.serves.then_some(spec.port),
                        multi_node: e.multi_node,
                        image: &img,
                    },
                ),
            )
        })
        .collect();
    if let Some(r) = router(spec) {
        let s = Service {
            profile: Some("router".into()),
            launch: &r,
            gpus: 0,
            hosts: 1,
            serves: Some(ROUTER_PORT),
            multi_node: true,
            image: &img,
        };
        services.push(("router".into(), service(spec, &s)));
    }
    let mut top = vec![("services".to_string(), Yaml::Map(services))];
    if spec.runtime == Runtime::Ollama {
        top.push((
            "volumes".into(),
            Yaml::map(vec![("ollama", Yaml::Map(Vec::new()))]),
        ));
    }
    let mut comments = assumptions::lines(spec);
    comments.push(format!(
        "Written by deepseek-advisor {}. See README.md for how to start it.",
        env!("CARGO_PKG_VERSION")
    ));
    for e in &launches {
        for n in &e.launch.notes {
            if !comments.contains(n) {
                comments.push(n.clone());
            }
        }
    }
    let text = yaml::documents(&comments, &[Yaml::Map(top)]);
    Ok(vec![GeneratedFile::text("docker-compose.yml", text)])
}
