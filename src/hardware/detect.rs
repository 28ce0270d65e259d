//! Detection of this machine: every source on its own thread, all under one time budget
//! (`guarded`). Sources that fail, panic or run late are reported in the profile's notes and the
//! profile is marked partial; nothing here panics or blocks past the budget.

use super::guarded::{self, Job};
use super::merge;
use super::profile::{CpuInfo, GpuInfo, HardwareProfile};
use super::sources::{membw, nvidia_smi, nvml, system};
use crate::catalog::Catalog;
use std::time::Duration;

/// Total time detection may take before returning what it has.
pub const BUDGET: Duration = Duration::from_millis(1500);

enum Report {
    System(system::SystemFacts, f64, String),
    Gpus(Vec<GpuInfo>, Vec<String>),
    #[cfg(target_os = "macos")]
    Apple(Result<(GpuInfo, u64), String>),
}

fn nvidia() -> Report {
    match nvml::query() {
        Ok(devices) => Report::Gpus(nvml::to_gpu_infos(&devices), Vec::new()),
        Err(nvml_err) => match nvidia_smi::query() {
            Ok(gpus) => Report::Gpus(gpus, vec![format!("{nvml_err}; used nvidia-smi instead")]),
            Err(smi_err) => {
                Report::Gpus(Vec::new(), vec![format!("NVIDIA: {nvml_err}; {smi_err}")])
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

/// Every vendor's GPUs as the OS lists them: DXGI on Windows, sysinfo elsewhere.
fn gpu_list() -> Report {
    #[cfg(windows)]
    let listed = super::sources::dxgi::query().map(|a| super::sources::dxgi::to_gpu_infos(&a));
    #[cfg(not(windows))]
    let listed = system::query_gpus();
    match listed {
        Ok(gpus) => Report::Gpus(gpus, Vec::new()),
        Err(e) => Report::Gpus(Vec::new(), vec![e]),
    }
}

/// The sources this OS has.
fn jobs(catalog: &'static Catalog) -> Vec<Job<Report>> {
    // Windows adds no source of its own here (DXGI is its GPU list).
    #[cfg_attr(windows, allow(unused_mut))]
    let mut jobs: Vec<Job<Report>> = vec![
        ("system", Box::new(move || system_report(catalog))),
        ("NVIDIA", Box::new(nvidia)),
        ("GPU list", Box::new(gpu_list)),
    ];
    #[cfg(target_os = "linux")]
    jobs.push((
        "sysfs",
        Box::new(|| {
            let (g, n) = super::sources::sysfs_drm::query();
            Report::Gpus(g, n)
        }),
    ));
    #[cfg(target_os = "macos")]
    jobs.push((
        "Apple",
        Box::new(|| Report::Apple(super::sources::apple::query())),
    ));
    jobs
}

/// Detects this machine within `budget`.
pub fn detect_within(catalog: &'static Catalog, budget: Duration) -> HardwareProfile {
    let collected = guarded::collect(jobs(catalog), budget);
    let mut profile = HardwareProfile::default();
    let mut records: Vec<GpuInfo> = Vec::new();
    for (_, report) in collected.answers {
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
            Report::Gpus(g, n) => {
                records.extend(g);
                profile.notes.extend(n);
            }
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
    for (name, what) in &collected.failed {
        profile.partial = true;
        profile
            .notes
            .push(format!("{name} detection {what}; its values are missing"));
    }
    for name in &collected.late {
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
