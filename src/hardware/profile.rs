//! `HardwareProfile`: what detection found (or a user wrote), every value with where it came from.
//! Saved and read as RON (`check --save-hardware` / `--hardware`), so a machine can be sent to a
//! colleague.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// Largest memory size (GB), bandwidth (GB/s) or disk space (GB) a profile may state: above any
/// real machine, so a unit mistake or a damaged file is caught instead of estimated.
const MAX_FIGURE: f64 = 1e7;

/// Version written into saved profiles; newer files are refused.
pub const PROFILE_VERSION: u32 = 1;

/// Profiles are written by the program, and newer versions are refused, so an unknown field is a
/// typo and an error that names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HardwareProfile {
    pub version: u32,
    /// `Linux 6.1 (Debian 12)`, `macOS 14.5`, `Windows 11`.
    pub os: String,
    pub cpu: CpuInfo,
    pub ram_total_gb: f64,
    pub ram_available_gb: f64,
    /// Where the RAM figures came from.
    pub ram_source: String,
    pub gpus: Vec<GpuInfo>,
    /// Free space where model files would go (the home directory's disk), GB.
    pub disk_free_gb: Option<f64>,
    pub disk_path: Option<String>,
    /// That disk's kind as the OS reports it: `SSD`, `HDD`, or empty when unknown.
    pub disk_kind: String,
    /// What could not be detected and why; assumptions made.
    pub notes: Vec<String>,
    /// Detection ran out of time or a source failed: some values may be missing.
    pub partial: bool,
}

impl Default for HardwareProfile {
    fn default() -> Self {
        HardwareProfile {
            version: PROFILE_VERSION,
            os: String::new(),
            cpu: CpuInfo::default(),
            ram_total_gb: 0.0,
            ram_available_gb: 0.0,
            ram_source: String::new(),
            gpus: Vec::new(),
            disk_free_gb: None,
            disk_path: None,
            disk_kind: String::new(),
            notes: Vec::new(),
            partial: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CpuInfo {
    pub brand: String,
    pub physical_cores: u32,
    pub logical_cores: u32,
    /// Instruction-set extensions that matter for CPU inference: `AVX2`, `AVX-512`, `AMX`, `NEON`.
    pub isa: Vec<String>,
    /// Peak memory bandwidth, GB/s.
    pub mem_bw_gbs: f64,
    /// How `mem_bw_gbs` was obtained: a platform-table id or the copy probe.
    pub mem_bw_source: String,
    /// Where brand and core counts came from.
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GpuVendor {
    Nvidia,
    Amd,
    Intel,
    Apple,
    Huawei,
    Other,
}

impl GpuVendor {
    /// From a PCI vendor id.
    pub fn from_pci_id(id: u32) -> GpuVendor {
        match id {
            0x10de => GpuVendor::Nvidia,
            0x1002 => GpuVendor::Amd,
            0x8086 => GpuVendor::Intel,
            0x19e5 => GpuVendor::Huawei,
            0x106b => GpuVendor::Apple,
            _ => GpuVendor::Other,
        }
    }

    /// From a vendor or device name as reported.
    pub fn from_name(name: &str) -> GpuVendor {
        let n = name.to_ascii_lowercase();
        if n.contains("nvidia")
            || n.contains("geforce")
            || n.contains("tesla")
            || n.contains("quadro")
        {
            GpuVendor::Nvidia
        } else if n.contains("amd")
            || n.contains("radeon")
            || n.contains("advanced micro")
            || n.contains("instinct")
        {
            GpuVendor::Amd
        } else if n.contains("intel") || n.split_whitespace().any(|w| w == "arc") {
            GpuVendor::Intel
        } else if n.contains("apple") {
            GpuVendor::Apple
        } else if n.contains("huawei") || n.contains("ascend") {
            GpuVendor::Huawei
        } else {
            GpuVendor::Other
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            GpuVendor::Nvidia => "NVIDIA",
            GpuVendor::Amd => "AMD",
            GpuVendor::Intel => "Intel",
            GpuVendor::Apple => "Apple",
            GpuVendor::Huawei => "Huawei",
            GpuVendor::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpuInfo {
    pub vendor: GpuVendor,
    pub name: String,
    /// Dedicated memory, GB. For unified-memory and integrated GPUs: the memory they may use.
    pub vram_total_gb: f64,
    #[serde(default)]
    pub vram_free_gb: Option<f64>,
    #[serde(default)]
    pub driver: Option<String>,
    /// Shares system RAM (Apple Silicon, AMD APUs, Intel integrated graphics).
    #[serde(default)]
    pub unified_memory: bool,
    /// PCI address `0000:01:00.0`, used to merge what several sources report.
    #[serde(default)]
    pub pci: Option<String>,
    /// Matched catalog entry; `None` for a device the catalog lacks.
    #[serde(default)]
    pub catalog_id: Option<String>,
    /// Which source reported it: `NVML`, `nvidia-smi`, `sysfs`, `sysinfo`, `sysctl`, `user`.
    #[serde(default)]
    pub source: String,
    /// Corrections and assumptions for this device.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A profile file that could not be read.
pub type ProfileError = crate::fsutil::FileError;

impl HardwareProfile {
    /// Parses profile text; `file` names it in errors (`file:line:column: message`).
    pub fn from_ron(text: &str, file: &str) -> Result<HardwareProfile, ProfileError> {
        let p: HardwareProfile = ron::from_str(text).map_err(|e| ProfileError {
            file: file.into(),
            message: crate::fsutil::ron_error(text, &e),
        })?;
        if p.version > PROFILE_VERSION {
            return Err(ProfileError {
                file: file.into(),
                message: format!(
                    "field `version`: {} is newer than this program understands ({PROFILE_VERSION}); update deepseek-advisor",
                    p.version
                ),
            });
        }
        p.check_numbers().map_err(|message| ProfileError {
            file: file.into(),
            message,
        })?;
        Ok(p)
    }

    /// Every number, with its field.
    pub fn numbers(&self) -> Vec<(String, f64)> {
        let mut v = vec![
            ("ram_total_gb".to_string(), self.ram_total_gb),
            ("ram_available_gb".into(), self.ram_available_gb),
            ("cpu.mem_bw_gbs".into(), self.cpu.mem_bw_gbs),
        ];
        if let Some(d) = self.disk_free_gb {
            v.push(("disk_free_gb".into(), d));
        }
        for (i, g) in self.gpus.iter().enumerate() {
            v.push((format!("gpus[{i}].vram_total_gb"), g.vram_total_gb));
            if let Some(f) = g.vram_free_gb {
                v.push((format!("gpus[{i}].vram_free_gb"), f));
            }
        }
        v
    }

    /// Checks every number is finite, ≥ 0 and real; the message names the field.
    pub fn check_numbers(&self) -> Result<(), String> {
        for (field, v) in self.numbers() {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!(
                    "field `{field}` must be a finite number ≥ 0, got {v}"
                ));
            }
            if v > MAX_FIGURE {
                return Err(format!(
                    "field `{field}` is {v:e}, beyond any real machine (at most {MAX_FIGURE})"
                ));
            }
        }
        Ok(())
    }

    pub fn load(path: &Path) -> Result<HardwareProfile, ProfileError> {
        let (text, file) = crate::fsutil::read_text(path)?;
        HardwareProfile::from_ron(&text, &file)
    }

    pub fn to_ron(&self) -> String {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .unwrap_or_else(|e| format!("// could not serialize the profile: {e}\n"))
    }

    /// Writes the profile next to `path` and renames it into place, so a crash never leaves a
    /// half-written file.
    pub fn save(&self, path: &Path) -> Result<(), ProfileError> {
        // Serialized here rather than with `to_ron`, whose fallback text must never replace a file.
        let text =
            ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default()).map_err(|e| {
                crate::fsutil::FileError {
                    file: path.display().to_string(),
                    message: format!("cannot write: the profile could not be serialized: {e}"),
                }
            })?;
        crate::fsutil::save(path, text.as_bytes())
    }
}

/// A profile for a machine described on the command line (every value from the user).
pub fn described(m: &super::Machine) -> HardwareProfile {
    use crate::catalog::schema::Vendor;
    let gpus = m
        .gpus
        .iter()
        .flat_map(|g| {
            let vendor = match g.spec.vendor {
                Vendor::Nvidia => GpuVendor::Nvidia,
                Vendor::Amd => GpuVendor::Amd,
                Vendor::Intel => GpuVendor::Intel,
                Vendor::Huawei => GpuVendor::Huawei,
                Vendor::Apple => GpuVendor::Apple,
            };
            let unified = g.is_unified();
            std::iter::repeat_n(
                GpuInfo {
                    vendor,
                    name: g.spec.name.clone(),
                    vram_total_gb: if unified { m.ram_gb } else { g.spec.vram_gb },
                    vram_free_gb: None,
                    driver: None,
                    unified_memory: unified,
                    pci: None,
                    catalog_id: Some(g.spec.id.clone()),
                    source: "user".into(),
                    notes: Vec::new(),
                },
                g.count as usize,
            )
        })
        .collect();
    HardwareProfile {
        os: "described on the command line".into(),
        cpu: CpuInfo {
            physical_cores: m.cpu_cores,
            logical_cores: m.cpu_cores,
            mem_bw_gbs: m.cpu_mem_bw_gbs,
            mem_bw_source: "user".into(),
            source: "user".into(),
            ..CpuInfo::default()
        },
        ram_total_gb: m.ram_gb,
        ram_available_gb: m.ram_gb,
        ram_source: "user".into(),
        gpus,
        notes: m.assumptions.clone(),
        ..HardwareProfile::default()
    }
}
