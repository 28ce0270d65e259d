//! CPU, memory, OS, disk and sysinfo's own GPU list (IOKit on macOS, sysfs + NVML on Linux) through
//! sysinfo 0.40. On Windows sysinfo's GPU list is not built (it calls `D3DKMTQueryAdapterInfo`,
//! which aborts the process where the system lacks it, as Wine 8 does): `dxgi` lists the GPUs
//! there, and the disk is the volume holding the home folder (`volume`).

#[cfg(not(windows))]
use crate::hardware::profile::{GpuInfo, GpuVendor};
use std::path::{Path, PathBuf};
#[cfg(not(windows))]
use sysinfo::Gpus;
use sysinfo::{CpuRefreshKind, Disks, MemoryRefreshKind, RefreshKind, System};

/// What sysinfo reports about the machine.
#[derive(Debug, Clone, Default)]
pub struct SystemFacts {
    pub os: String,
    pub cpu_brand: String,
    pub physical_cores: u32,
    pub logical_cores: u32,
    pub ram_total_bytes: u64,
    pub ram_available_bytes: u64,
    pub disk_free_bytes: Option<u64>,
    pub disk_path: Option<String>,
    /// `SSD`, `HDD` or empty when the OS does not say.
    pub disk_kind: String,
    pub notes: Vec<String>,
}

/// Instruction-set extensions that matter for CPU inference, detected at run time.
pub fn isa_flags() -> Vec<String> {
    #[allow(unused_mut)]
    let mut v: Vec<String> = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            v.push("AVX2".into());
        }
        if std::arch::is_x86_feature_detected!("avx512f") {
            v.push("AVX-512".into());
        }
        // AMX detection is not stable in std: read the kernel's flags where they exist.
        if std::fs::read_to_string("/proc/cpuinfo").is_ok_and(|t| cpuinfo_has_flag(&t, "amx_tile"))
        {
            v.push("AMX".into());
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        v.push("NEON".into());
    }
    v
}

/// Whether the first `flags` line of /proc/cpuinfo text lists `flag`.
pub fn cpuinfo_has_flag(cpuinfo: &str, flag: &str) -> bool {
    cpuinfo
        .lines()
        .find(|l| l.starts_with("flags"))
        .and_then(|l| l.split_once(':'))
        .is_some_and(|(_, flags)| flags.split_whitespace().any(|f| f == flag))
}

/// The folder model files would go in: the home directory (else the current one). On Windows
/// that is `USERPROFILE` first: a `HOME` there may come from a Unix-like shell (MSYS, Wine) and
/// name no Windows folder.
pub fn models_dir() -> PathBuf {
    let (first, second) = if cfg!(windows) {
        ("USERPROFILE", "HOME")
    } else {
        ("HOME", "USERPROFILE")
    };
    std::env::var_os(first)
        .or_else(|| std::env::var_os(second))
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Free bytes, mount point and kind (`SSD`, `HDD` or empty) of the disk whose mount point is the
/// longest prefix of `dir`.
fn disk_free(dir: &Path) -> Option<(u64, String, String)> {
    let disks = Disks::new_with_refreshed_list().ok()?;
    disks
        .iter()
        .filter(|d| dir.starts_with(d.mount_point()))
        .max_by_key(|d| d.mount_point().as_os_str().len())
        .map(|d| {
            let kind = match d.kind() {
                sysinfo::DiskKind::SSD => "SSD",
                sysinfo::DiskKind::HDD => "HDD",
                _ => "",
            };
            (
                d.available_space(),
                d.mount_point().display().to_string(),
                kind.to_string(),
            )
        })
}

/// On Windows the volume query answers for any folder; sysinfo's disk list adds the kind when it
/// lists that volume.
#[cfg(windows)]
fn disk_free_or_note(dir: &Path) -> Result<(u64, String, String), String> {
    let (free, root) = super::volume::free_space(dir)?;
    let kind = disk_free(dir).map(|(_, _, kind)| kind).unwrap_or_default();
    Ok((free, root, kind))
}

#[cfg(not(windows))]
fn disk_free_or_note(dir: &Path) -> Result<(u64, String, String), String> {
    disk_free(dir).ok_or_else(|| format!("free disk space for {} unknown", dir.display()))
}

/// CPU, RAM, OS and disk.
pub fn query() -> SystemFacts {
    let mut facts = SystemFacts::default();
    let refresh = RefreshKind::nothing()
        .with_cpu(CpuRefreshKind::nothing())
        .with_memory(MemoryRefreshKind::nothing().with_ram());
    match System::new_with_specifics(refresh) {
        Ok(sys) => {
            facts.cpu_brand = sys
                .cpus()
                .first()
                .map(|c| c.brand().trim().to_string())
                .unwrap_or_default();
            facts.logical_cores = sys.cpus().len() as u32;
            facts.ram_total_bytes = sys.total_memory();
            facts.ram_available_bytes = sys.available_memory();
        }
        Err(e) => facts
            .notes
            .push(format!("sysinfo could not read the system: {e}")),
    }
    facts.physical_cores = System::physical_core_count()
        .map(|c| c as u32)
        .unwrap_or(facts.logical_cores);
    if facts.logical_cores == 0 {
        facts.logical_cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
        facts
            .notes
            .push("logical core count from the standard library".into());
    }
    if facts.physical_cores == 0 {
        facts.physical_cores = facts.logical_cores;
    }
    let name = System::name().unwrap_or_else(|_| std::env::consts::OS.to_string());
    let version = System::long_os_version()
        .or_else(|_| System::os_version())
        .unwrap_or_default();
    facts.os = if version.is_empty() || version.contains(&name) {
        if version.is_empty() {
            name
        } else {
            version
        }
    } else {
        format!("{name} {version}")
    };
    let dir = models_dir();
    match disk_free_or_note(&dir) {
        Ok((free, mount, kind)) => {
            facts.disk_free_bytes = Some(free);
            facts.disk_path = Some(mount);
            facts.disk_kind = kind;
        }
        Err(note) => facts.notes.push(note),
    }
    facts
}

/// sysinfo's GPU list (not on Windows: see the module's note).
#[cfg(not(windows))]
pub fn query_gpus() -> Result<Vec<GpuInfo>, String> {
    let gpus = Gpus::new_with_refreshed_list().map_err(|e| format!("sysinfo GPU list: {e}"))?;
    Ok(gpus
        .iter()
        .map(|g| {
            let name = g.model().unwrap_or("GPU").to_string();
            let vendor_name = g.vendor().unwrap_or("");
            let vendor = match GpuVendor::from_name(vendor_name) {
                GpuVendor::Other => GpuVendor::from_name(&name),
                v => v,
            };
            let pci = g.pci().to_string();
            let unified = vendor == GpuVendor::Apple;
            GpuInfo {
                vendor,
                name,
                vram_total_gb: g.total_memory().map_or(0.0, |b| b as f64 / 1e9),
                vram_free_gb: g
                    .total_memory()
                    .zip(g.used_memory())
                    .map(|(t, u)| t.saturating_sub(u) as f64 / 1e9),
                driver: None,
                unified_memory: unified,
                pci: Some(pci).filter(|p| !p.starts_with("ffffffff")),
                catalog_id: None,
                source: "sysinfo".into(),
                notes: Vec::new(),
            }
        })
        .collect())
}
