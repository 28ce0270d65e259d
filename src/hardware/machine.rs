//! `Machine`: the devices the estimator places a model on — GPU groups (catalog spec × count),
//! system RAM, CPU memory bandwidth and cores. Built from command-line flags, a saved profile or
//! detection; validated so that no NaN, negative or absurd value reaches the estimator.

use super::profile::{GpuVendor, HardwareProfile};
use crate::catalog::schema::{Confidence, DeviceClass, GpuEntry, Vendor};
use crate::catalog::Catalog;
use std::fmt;

/// Identical GPUs (or one Apple chip) of one catalog entry.
#[derive(Debug, Clone)]
pub struct GpuGroup {
    pub spec: GpuEntry,
    pub count: u32,
}

impl GpuGroup {
    /// The GPU shares system memory (Apple Silicon, DGX Spark, Strix Halo).
    pub fn is_unified(&self) -> bool {
        self.spec.class.is_unified()
    }
}

/// What the estimator needs to know about a machine.
#[derive(Debug, Clone)]
pub struct Machine {
    pub gpus: Vec<GpuGroup>,
    /// Installed system memory, GB.
    pub ram_gb: f64,
    /// Peak CPU memory bandwidth, GB/s.
    pub cpu_mem_bw_gbs: f64,
    /// Physical CPU cores.
    pub cpu_cores: u32,
    /// Sequential read bandwidth of the disk that holds the weights, GB/s (what SSD streaming is
    /// bounded by).
    pub ssd_read_gbs: f64,
    /// Whether `ssd_read_gbs` was assumed rather than given (shown where it matters).
    pub ssd_assumed: bool,
    /// Free space on the disk that will hold the model files, GB, and which disk that is; `None`
    /// when unknown (a described machine).
    pub disk_free_gb: Option<f64>,
    pub disk_path: Option<String>,
    /// Values that were assumed rather than given, for display.
    pub assumptions: Vec<String>,
}

/// Invalid hardware input, naming the argument.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineError {
    pub argument: String,
    pub message: String,
}

impl fmt::Display for MachineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.argument, self.message)
    }
}

impl std::error::Error for MachineError {}

/// Defaults for a machine described only in part (documented in the README).
pub const DEFAULT_RAM_GB: f64 = 32.0;
/// Desktop DDR5-4800 dual channel (hardware.md §1e, derived).
pub const DEFAULT_CPU_MEM_BW_GBS: f64 = 76.8;
pub const DEFAULT_CPU_CORES: u32 = 8;

/// Sequential read assumed for an NVMe SSD of unknown kind: a PCIe 3.0 ×4 drive (UNVERIFIED
/// typical figure; PCIe 4.0 drives read ~7 GB/s, SATA SSDs ~0.55 GB/s).
pub const DEFAULT_SSD_READ_GBS: f64 = 3.5;
/// Sequential read of Apple's internal SSDs: 5.4–7 GB/s measured on M1/M2 machines (hw-specs
/// research, MIRROR); the middle is assumed for every Mac.
pub const APPLE_SSD_READ_GBS: f64 = 6.0;
/// Sequential read assumed for a spinning disk (UNVERIFIED typical figure).
pub const HDD_READ_GBS: f64 = 0.2;
/// Upper bound for `--ssd-gbps` (a striped array of PCIe 5.0 drives).
const MAX_SSD_GBS: f64 = 200.0;

/// Bandwidth assumed for a GPU the catalog lacks (UNVERIFIED: a low-end discrete card), GB/s.
pub const UNKNOWN_GPU_BW_GBS: f64 = 250.0;
/// Dense FP16 TFLOPS assumed for a GPU the catalog lacks (UNVERIFIED).
pub const UNKNOWN_GPU_TFLOPS: f64 = 20.0;
/// Unified memory is sold in GiB ("192 GB" = 192 × 2^30 bytes); the estimator counts 10^9-byte GB.
pub const GB_PER_APPLE_GB: f64 = 1.073_741_824;

/// Upper bounds that catch unit mistakes (TB typed as GB) without limiting real machines.
const MAX_RAM_GB: f64 = 65_536.0;
pub const MAX_CPU_BW_GBS: f64 = 20_000.0;
const MAX_CORES: u32 = 4096;
/// Most GPUs in one machine.
pub const MAX_GPUS: u32 = 1024;
/// Most boxes in a small-box cluster (`--gpu "DGX Spark:4"`).
pub const MAX_NODES: u32 = 8;

fn check_number(argument: &str, v: f64, max: f64) -> Result<f64, MachineError> {
    if !v.is_finite() {
        return Err(MachineError {
            argument: argument.into(),
            message: format!("must be a finite number, got {v}"),
        });
    }
    if v <= 0.0 {
        return Err(MachineError {
            argument: argument.into(),
            message: format!("must be greater than 0, got {v}"),
        });
    }
    if v > max {
        return Err(MachineError {
            argument: argument.into(),
            message: format!("{v} is beyond any real machine (at most {max})"),
        });
    }
    Ok(v)
}

/// Parses `NAME` or `NAME:COUNT` as given to `--gpu`.
pub fn parse_gpu_arg(catalog: &Catalog, arg: &str) -> Result<GpuGroup, MachineError> {
    let (name, count) = match arg.rsplit_once(':') {
        Some((n, c)) if !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit()) => {
            let count: u32 = c.parse().map_err(|_| MachineError {
                argument: "--gpu".into(),
                message: format!("count `{c}` in `{arg}` is too large"),
            })?;
            (n, count)
        }
        _ => (arg, 1),
    };
    if count == 0 || count > MAX_GPUS {
        return Err(MachineError {
            argument: "--gpu".into(),
            message: format!("count in `{arg}` must be between 1 and {MAX_GPUS}"),
        });
    }
    let spec = catalog.gpu(name).map_err(|e| MachineError {
        argument: "--gpu".into(),
        message: e.to_string(),
    })?;
    // Boxes whose GPU shares their memory (DGX Spark, Macs, Strix Halo) combine as a small-box
    // cluster over their network: 2–8 of them.
    if spec.class.is_unified() && count > MAX_NODES {
        return Err(MachineError {
            argument: "--gpu".into(),
            message: format!(
                "`{arg}`: a small-box cluster has at most {MAX_NODES} boxes; `plan` sizes larger clusters"
            ),
        });
    }
    Ok(GpuGroup {
        spec: spec.clone(),
        count,
    })
}

impl Machine {
    /// A machine from explicit values; missing ones take the documented defaults, and each
    /// default is recorded in `assumptions`.
    pub fn from_parts(
        gpus: Vec<GpuGroup>,
        ram_gb: Option<f64>,
        cpu_mem_bw_gbs: Option<f64>,
        cpu_cores: Option<u32>,
    ) -> Result<Machine, MachineError> {
        let mut assumptions = Vec::new();
        let apple: Vec<&GpuGroup> = gpus.iter().filter(|g| g.is_unified()).collect();
        if apple.len() > 1 || (!apple.is_empty() && gpus.len() > 1) {
            return Err(MachineError {
                argument: "--gpu".into(),
                message: format!(
                    "{} is the whole machine (its GPU shares system memory); it cannot be combined with other GPUs",
                    apple[0].spec.name
                ),
            });
        }
        let total: u64 = gpus.iter().map(|g| u64::from(g.count)).sum();
        if total > u64::from(MAX_GPUS) {
            return Err(MachineError {
                argument: "--gpu".into(),
                message: format!(
                    "{total} GPUs in all is beyond one machine (at most {MAX_GPUS}); `plan` sizes clusters"
                ),
            });
        }
        let ram_gb = match (ram_gb, apple.first()) {
            (Some(r), chip) => {
                let r = check_number("--ram", r, MAX_RAM_GB)?;
                if let Some(chip) = chip {
                    let max = chip
                        .spec
                        .memory_options_gb
                        .iter()
                        .copied()
                        .fold(0.0, f64::max);
                    if r > max * GB_PER_APPLE_GB * 1.001 {
                        return Err(MachineError {
                            argument: "--ram".into(),
                            message: format!(
                                "{} is sold with at most {max} GB (GiB) of unified memory, got {r} GB",
                                chip.spec.name
                            ),
                        });
                    }
                }
                r
            }
            (None, Some(chip)) => {
                let max = chip
                    .spec
                    .memory_options_gb
                    .iter()
                    .copied()
                    .fold(0.0, f64::max);
                assumptions.push(format!(
                    "unified memory {max} GiB (the largest {} configuration; pass --ram to change)",
                    chip.spec.name
                ));
                max * GB_PER_APPLE_GB
            }
            (None, None) => {
                assumptions.push(format!("RAM {DEFAULT_RAM_GB} GB (default; pass --ram)"));
                DEFAULT_RAM_GB
            }
        };
        let cpu_mem_bw_gbs = match (cpu_mem_bw_gbs, apple.first()) {
            (Some(b), _) => check_number("--cpu-mem-bw", b, MAX_CPU_BW_GBS)?,
            (None, Some(chip)) => chip.spec.mem_bw_gbs,
            (None, None) => {
                assumptions.push(format!(
                    "CPU memory bandwidth {DEFAULT_CPU_MEM_BW_GBS} GB/s (DDR5-4800 dual channel; pass --cpu-mem-bw)"
                ));
                DEFAULT_CPU_MEM_BW_GBS
            }
        };
        let cpu_cores = match cpu_cores {
            Some(0) => {
                return Err(MachineError {
                    argument: "--cpu-cores".into(),
                    message: "must be at least 1".into(),
                })
            }
            Some(c) if c > MAX_CORES => {
                return Err(MachineError {
                    argument: "--cpu-cores".into(),
                    message: format!("{c} is beyond any real machine (at most {MAX_CORES})"),
                })
            }
            Some(c) => c,
            None => {
                assumptions.push(format!(
                    "{DEFAULT_CPU_CORES} CPU cores (default; pass --cpu-cores)"
                ));
                DEFAULT_CPU_CORES
            }
        };
        let ssd_read_gbs = if apple
            .first()
            .is_some_and(|g| g.spec.class == DeviceClass::AppleUnified)
        {
            APPLE_SSD_READ_GBS
        } else {
            DEFAULT_SSD_READ_GBS
        };
        Ok(Machine {
            gpus,
            ram_gb,
            cpu_mem_bw_gbs,
            cpu_cores,
            ssd_read_gbs,
            ssd_assumed: true,
            disk_free_gb: None,
            disk_path: None,
            assumptions,
        })
    }

    /// Sets the disk's read bandwidth from `--ssd-gbps` (validated).
    pub fn set_ssd_read_gbs(&mut self, gbps: f64) -> Result<(), MachineError> {
        self.ssd_read_gbs = check_number("--ssd-gbps", gbps, MAX_SSD_GBS)?;
        self.ssd_assumed = false;
        Ok(())
    }

    /// Total number of GPUs.
    pub fn gpu_count(&self) -> u32 {
        self.gpus.iter().map(|g| g.count).sum()
    }

    /// Whether the machine's GPU shares system memory (Apple Silicon, DGX Spark, Strix Halo).
    pub fn is_unified(&self) -> bool {
        self.gpus.iter().any(GpuGroup::is_unified)
    }

    /// Boxes in a small-box cluster (`--gpu "DGX Spark:4"` = 4, each with `ram_gb` of memory);
    /// 1 for one machine.
    pub fn nodes(&self) -> u32 {
        self.gpus
            .iter()
            .find(|g| g.is_unified())
            .map_or(1, |g| g.count.max(1))
    }

    /// The network between the boxes of a small-box cluster.
    pub fn node_link(&self) -> Option<super::link::NodeLink> {
        self.gpus
            .iter()
            .find(|g| g.is_unified() && g.count > 1)
            .map(|g| super::link::node_link(&g.spec))
    }

    /// One-line description: `2× NVIDIA GeForce RTX 4090, 64 GB RAM`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .gpus
            .iter()
            .map(|g| {
                if g.count > 1 {
                    format!("{}× {}", g.count, g.spec.name)
                } else {
                    g.spec.name.clone()
                }
            })
            .collect();
        if self.nodes() > 1 {
            parts.push(format!("{} GB memory each", fmt_num(self.ram_gb)));
        } else {
            parts.push(format!("{} GB RAM", fmt_num(self.ram_gb)));
        }
        parts.join(", ")
    }
}

fn fmt_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A catalog-like entry for a detected GPU the catalog lacks: its reported memory, assumed speed.
fn unknown_gpu_entry(g: &super::profile::GpuInfo) -> GpuEntry {
    let vendor = match g.vendor {
        GpuVendor::Nvidia => Vendor::Nvidia,
        GpuVendor::Amd => Vendor::Amd,
        GpuVendor::Apple => Vendor::Apple,
        GpuVendor::Huawei => Vendor::Huawei,
        // Only llama.cpp (Vulkan) would use an unknown vendor's card; Intel's runtime support matches.
        GpuVendor::Intel | GpuVendor::Other => Vendor::Intel,
    };
    GpuEntry {
        id: format!("unknown:{}", g.name),
        name: g.name.clone(),
        aliases: Vec::new(),
        vendor,
        class: DeviceClass::ConsumerGddr,
        vram_gb: g.vram_total_gb,
        memory_options_gb: Vec::new(),
        mem_bw_gbs: UNKNOWN_GPU_BW_GBS,
        fp16_tflops: UNKNOWN_GPU_TFLOPS,
        fp16_acc16_tflops: None,
        fp8_tflops: None,
        int8_tops: None,
        tdp_w: None,
        interconnect: String::new(),
        link_gbs: None,
        launch: String::new(),
        price: None,
        source: g.source.clone(),
        confidence: Confidence::Unverified,
        notes: vec![format!(
            "not in the catalog: bandwidth {UNKNOWN_GPU_BW_GBS} GB/s and {UNKNOWN_GPU_TFLOPS} TFLOPS assumed"
        )],
    }
}

impl Machine {
    /// The machine a profile describes. Integrated GPUs that share RAM (other than Apple's) and
    /// devices with unknown memory are left out, with a note in `assumptions`.
    pub fn from_profile(p: &HardwareProfile, catalog: &Catalog) -> Result<Machine, MachineError> {
        if p.gpus.len() > MAX_GPUS as usize {
            return Err(MachineError {
                argument: "gpus".into(),
                message: format!(
                    "{} GPUs is beyond one machine (at most {MAX_GPUS})",
                    p.gpus.len()
                ),
            });
        }
        let mut groups: Vec<GpuGroup> = Vec::new();
        let mut notes = Vec::new();
        let mut apple_ram: Option<f64> = None;
        for g in &p.gpus {
            let entry = g.catalog_id.as_deref().and_then(|id| catalog.gpu(id).ok());
            if g.unified_memory {
                match entry {
                    Some(e) if e.class.is_unified() => {
                        if groups.iter().all(|x| !x.is_unified()) {
                            groups.push(GpuGroup {
                                spec: e.clone(),
                                count: 1,
                            });
                            apple_ram = Some(g.vram_total_gb);
                        }
                    }
                    _ => notes.push(format!(
                        "{} shares system RAM: counted as CPU memory, not as a GPU",
                        g.name
                    )),
                }
                continue;
            }
            if !(g.vram_total_gb.is_finite() && g.vram_total_gb > 0.0) {
                notes.push(format!("{}: memory unknown, left out", g.name));
                continue;
            }
            let mut spec = match entry {
                Some(e) => e.clone(),
                None => {
                    notes.push(format!(
                        "{} is not in the catalog: speed assumes {UNKNOWN_GPU_BW_GBS} GB/s",
                        g.name
                    ));
                    unknown_gpu_entry(g)
                }
            };
            // The detected size is the truth for this card (e.g. 24564 MiB on a "24 GB" card).
            spec.vram_gb = g.vram_total_gb;
            match groups
                .iter_mut()
                .find(|x| x.spec.id == spec.id && (x.spec.vram_gb - spec.vram_gb).abs() < 0.5)
            {
                Some(x) => x.count += 1,
                None => groups.push(GpuGroup { spec, count: 1 }),
            }
        }
        if apple_ram.is_some() && groups.len() > 1 {
            groups.retain(|x| x.is_unified());
        }
        let ram = apple_ram.or(Some(p.ram_total_gb)).filter(|r| *r > 0.0);
        let bw = Some(p.cpu.mem_bw_gbs).filter(|b| *b > 0.0);
        let cores = Some(p.cpu.physical_cores).filter(|c| *c > 0);
        // Detected RAM is not a marketing size; skip the Apple configuration check for it.
        let mut m = if let (Some(r), true) = (ram, apple_ram.is_some()) {
            let mut m = Machine::from_parts(groups, None, bw, cores)?;
            m.ram_gb = check_number("ram_total_gb", r, MAX_RAM_GB)?;
            m.assumptions.retain(|a| !a.starts_with("unified memory"));
            m
        } else {
            Machine::from_parts(groups, ram, bw, cores)?
        };
        m.assumptions.extend(notes);
        m.disk_free_gb = p.disk_free_gb.filter(|g| g.is_finite() && *g >= 0.0);
        m.disk_path = p.disk_path.clone();
        if p.disk_kind.eq_ignore_ascii_case("hdd") {
            m.ssd_read_gbs = HDD_READ_GBS;
        }
        Ok(m)
    }

    /// Where `ssd_read_gbs` came from, for display.
    pub fn ssd_read_note(&self) -> String {
        if self.ssd_assumed {
            format!(
                "disk read {} GB/s assumed (pass --ssd-gbps)",
                fmt_num(self.ssd_read_gbs)
            )
        } else {
            format!("disk read {} GB/s (given)", fmt_num(self.ssd_read_gbs))
        }
    }
}
