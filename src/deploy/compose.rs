//! `--target compose`: a docker-compose.yml with GPU reservations, the weights as a volume and
//! health checks. Several nodes run the same file with a profile each (head, worker, prefill,
//! decode, router); `x-deepseek-advisor.nodes` says how many hosts run each service.

use super::command::{Launch, Var};
use super::container::{argv, health_command, startup_minutes, vendor, MODEL_MOUNT};
use super::image::image;
use super::launch::{engine, router};
use super::spec::{DeploymentSpec, SpecError};
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
    name: String,
    profile: Option<String>,
    launch: &'a Launch,
    gpus: u32,
    hosts: u32,
    /// Answers HTTP (health check, published port).
    serves: bool,
    multi_node: bool,
    image: &'a str,
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
            format!("${{MODEL_DIR:-./models}}:{MODEL_MOUNT}:ro")
        };
        m.push(("volumes".into(), Yaml::strs(&[volume])));
    }
    if s.multi_node {
        // NCCL and the PD transfer engine talk between hosts directly.
        m.push(("network_mode".into(), Yaml::str("host")));
    } else if s.serves {
        m.push((
            "ports".into(),
            Yaml::strs(&[format!("{}:{}", spec.port, spec.port)]),
        ));
    }
    if matches!(spec.runtime, Runtime::Vllm | Runtime::Sglang) && s.gpus > 0 {
        m.push(("ipc".into(), Yaml::str("host")));
    }
    if s.gpus > 0 {
        match vendor(spec) {
            Some(Vendor::Nvidia) => m.push((
                "deploy".into(),
                Yaml::map(vec![(
                    "resources",
                    Yaml::map(vec![(
                        "reservations",
                        Yaml::map(vec![(
                            "devices",
                            Yaml::Seq(vec![Yaml::map(vec![
                                ("driver", Yaml::str("nvidia")),
                                ("count", Yaml::from(s.gpus)),
                                ("capabilities", Yaml::strs(&["gpu"])),
                            ])]),
                        )]),
                    )]),
                )]),
            )),
            _ => m.push(("devices".into(), Yaml::strs(&["/dev/kfd", "/dev/dri"]))),
        }
    }
    if s.serves {
        m.push((
            "healthcheck".into(),
            Yaml::map(vec![
                (
                    "test",
                    if s.gpus > 0 {
                        Yaml::strs(&health_command(spec))
                    } else {
                        Yaml::strs(&[
                            "CMD",
                            "python3",
                            "-c",
                            &format!(
                                "import socket; socket.create_connection(('localhost', {}), 5)",
                                spec.port
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

pub fn files(spec: &DeploymentSpec) -> Result<Vec<GeneratedFile>, SpecError> {
    let img = image(spec)?;
    let mut launches: Vec<(String, Option<String>, Launch, u32, bool, bool)> = Vec::new();
    let groups = spec.groups();
    let several_roles = groups.len() > 1;
    for g in &groups {
        let base = g.group.name();
        if g.nodes_each > 1 {
            launches.push((
                format!("{base}-head"),
                Some(format!("{base}-head")),
                engine(spec, *g, true)?,
                g.instances,
                true,
                true,
            ));
            launches.push((
                format!("{base}-worker"),
                Some(format!("{base}-worker")),
                engine(spec, *g, false)?,
                g.instances * (g.nodes_each - 1),
                false,
                true,
            ));
        } else {
            launches.push((
                base.to_string(),
                several_roles.then(|| base.to_string()),
                engine(spec, *g, true)?,
                g.instances,
                true,
                several_roles,
            ));
        }
    }
    let mut services: Vec<(String, Yaml)> = launches
        .iter()
        .map(|(name, profile, launch, hosts, serves, multi_node)| {
            (
                name.clone(),
                service(
                    spec,
                    &Service {
                        name: name.clone(),
                        profile: profile.clone(),
                        launch,
                        gpus: spec.gpus_per_node,
                        hosts: *hosts,
                        serves: *serves,
                        multi_node: *multi_node,
                        image: img,
                    },
                ),
            )
        })
        .collect();
    if let Some(r) = router(spec) {
        let s = Service {
            name: "router".into(),
            profile: Some("router".into()),
            launch: &r,
            gpus: 0,
            hosts: 1,
            serves: true,
            multi_node: true,
            image: img,
        };
        services.push((s.name.clone(), service(spec, &s)));
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
    for (_, _, l, ..) in &launches {
        for n in &l.notes {
            if !comments.contains(n) {
                comments.push(n.clone());
            }
        }
    }
    let text = yaml::documents(&comments, &[Yaml::Map(top)]);
    Ok(vec![GeneratedFile::text("docker-compose.yml", text)])
}
