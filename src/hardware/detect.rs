//! Detection of this machine: every source on its own thread, all under one time budget. Sources
//! that fail or run late are reported in the profile's notes and the profile is marked partial;
//! nothing here panics or blocks past the budget.

use super::merge;
use super::profile::{CpuInfo, GpuInfo, HardwareProfile};
use super::sources::{membw, nvidia_smi, nvml, sysfs_drm, system};
use crate::catalog::Catalog;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Total time detection may take before returning what it has.
pub const BUDGET: Duration = Duration::from_millis(1500);

enum Report {
    System(system::SystemFacts, f64, String),
    Nvidia(Vec<GpuInfo>, Vec<String>),
    Sysfs(Vec<GpuInfo>, Vec<String>),
    SysinfoGpus(Result<Vec<GpuInfo>, String>),
    #[cfg(target_os = "macos")]
    Apple(Result<(GpuInfo, u64), String>),
}

fn nvidia() -> Report {
    match nvml::query() {
        Ok(devices) => Report::Nvidia(nvml::to_gpu_infos(&devices), Vec::new()),
        Err(nvml_err) => match nvidia_smi::query() {
            Ok(gpus) => Report::Nvidia(gpus, vec![format!("{nvml_err}; used nvidia-smi instead")]),
            Err(smi_err) => {
                Report::Nvidia(Vec::new(), vec![format!("NVIDIA: {nvml_err}; {smi_err}")])
            }
        },
    }
}

fn system_report(catalog: &Catalog) -> Report {
    let facts = system::query();
    let (bw, source) = match membw::match_platform(catalog, &facts.cpu_brand) {
        Some(p) => (p.peak_gbs, format!("platform table: {}", p.name)),
        None => membw::probed_peak_gbs(&facts.cpu_brand, facts.logical_cores),
    };
    Report::System(facts, bw, source)
}

/// Detects this machine within `budget`.
pub fn detect_within(catalog: &'static Catalog, budget: Duration) -> HardwareProfile {
    let start = Instant::now();
    let (tx, rx) = mpsc::channel::<(&'static str, Report)>();
    let mut pending: Vec<&'static str> = Vec::new();
    let mut spawn = |name: &'static str, f: Box<dyn FnOnce() -> Report + Send>| {
        let tx = tx.clone();
        pending.push(name);
        let spawned = std::thread::Builder::new()
            .name(format!("detect-{name}"))
            .spawn(move || {
                let _ = tx.send((name, f()));
            });
        if spawned.is_err() {
            pending.retain(|p| *p != name);
        }
    };
    spawn("system", Box::new(move || system_report(catalog)));
    spawn("NVIDIA", Box::new(nvidia));
    spawn(
        "GPU list",
        Box::new(|| Report::SysinfoGpus(system::query_gpus())),
    );
    if cfg!(target_os = "linux") {
        spawn(
            "sysfs",
            Box::new(|| {
                let (g, n) = sysfs_drm::query();
                Report::Sysfs(g, n)
            }),
        );
    }
    #[cfg(target_os = "macos")]
    spawn(
        "Apple",
        Box::new(|| Report::Apple(super::sources::apple::query())),
    );
    drop(tx);

    let mut profile = HardwareProfile::default();
    let mut records: Vec<GpuInfo> = Vec::new();
    while !pending.is_empty() {
        let left = budget.saturating_sub(start.elapsed());
        let Ok((name, report)) = rx.recv_timeout(left) else {
            break;
        };
        pending.retain(|p| *p != name);
        match report {
            Report::System(facts, bw, bw_source) => {
                profile.os = facts.os;
                profile.cpu = CpuInfo {
                    brand: facts.cpu_brand,
                    physical_cores: facts.physical_cores,
                    logical_cores: facts.logical_cores,
                    isa: system::isa_flags(),
                    mem_bw_gbs: bw,
                    mem_bw_source: bw_source,
                    source: "sysinfo".into(),
                };
                profile.ram_total_gb = facts.ram_total_bytes as f64 / 1e9;
                profile.ram_available_gb = facts.ram_available_bytes as f64 / 1e9;
                profile.ram_source = "sysinfo".into();
                profile.disk_free_gb = facts.disk_free_bytes.map(|b| b as f64 / 1e9);
                profile.disk_path = facts.disk_path;
                profile.disk_kind = facts.disk_kind;
                profile.notes.extend(facts.notes);
            }
            Report::Nvidia(g, n) | Report::Sysfs(g, n) => {
                records.extend(g);
                profile.notes.extend(n);
            }
            Report::SysinfoGpus(r) => match r {
                Ok(g) => records.extend(g),
                Err(e) => profile.notes.push(e),
            },
            #[cfg(target_os = "macos")]
            Report::Apple(r) => match r {
                Ok((g, bytes)) => {
                    records.push(g);
                    profile.ram_total_gb = bytes as f64 / 1e9;
                    profile.ram_source = "sysctl hw.memsize".into();
                }
                Err(e) => profile.notes.push(format!("Apple: {e}")),
            },
        }
    }
    for name in &pending {
        profile.partial = true;
        profile.notes.push(format!(
            "{name} did not answer within {:.1} s; its values are missing",
            budget.as_secs_f64()
        ));
    }
    let (gpus, notes) = merge::merge(catalog, records);
    profile.gpus = gpus;
    profile.notes.extend(notes);
    profile
}

/// Detects this machine within the standard budget.
pub fn detect() -> HardwareProfile {
    detect_within(Catalog::get(), BUDGET)
}
