//! AMD and Intel GPUs on Linux from `/sys/class/drm/card*/device/`: vendor and device ids,
//! `mem_info_vram_total`, `mem_info_vram_used` and `mem_info_gtt_total`. An APU's "VRAM" is only
//! the BIOS carve-out and an Intel iGPU has none: both are marked as sharing system memory, never as
//! discrete VRAM. NVIDIA cards are left to NVML / nvidia-smi but recorded when seen here.

use crate::hardware::profile::{GpuInfo, GpuVendor};
use std::fs;
use std::path::Path;

/// A carve-out at or below this size next to a larger GTT pool marks an APU (bytes).
const APU_CARVE_OUT_MAX: u64 = 2 * 1024 * 1024 * 1024;

/// The default sysfs location.
pub const DRM_ROOT: &str = "/sys/class/drm";
/// Where pci.ids lives on common distributions.
pub const PCI_IDS: [&str; 3] = [
    "/usr/share/hwdata/pci.ids",
    "/usr/share/misc/pci.ids",
    "/usr/share/pci.ids",
];

enum Read<T> {
    Missing,
    Garbage(String),
    Value(T),
}

fn read_trimmed(path: &Path) -> Option<String> {
    fs::read_to_string(path).ok().map(|s| s.trim().to_string())
}

fn read_hex(path: &Path) -> Read<u32> {
    match read_trimmed(path) {
        None => Read::Missing,
        Some(s) if s.is_empty() => Read::Garbage(s),
        Some(s) => match u32::from_str_radix(s.trim_start_matches("0x"), 16) {
            Ok(v) => Read::Value(v),
            Err(_) => Read::Garbage(s),
        },
    }
}

fn read_u64(path: &Path) -> Read<u64> {
    match read_trimmed(path) {
        None => Read::Missing,
        Some(s) => match s.parse::<u64>() {
            Ok(v) => Read::Value(v),
            Err(_) => Read::Garbage(s),
        },
    }
}

/// The device name from pci.ids text (`vendor` line, then a tab-indented `device` line).
pub fn pci_ids_name(pci_ids: &str, vendor: u32, device: u32) -> Option<String> {
    let v = format!("{vendor:04x}");
    let d = format!("\t{device:04x}");
    let mut in_vendor = false;
    for line in pci_ids.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if !line.starts_with('\t') {
            in_vendor = line.starts_with(&v);
            continue;
        }
        if in_vendor && line.starts_with(&d) {
            return Some(line[d.len()..].trim().to_string());
        }
    }
    None
}

/// Scans a drm directory (normally `/sys/class/drm`). Unreadable or garbage files become notes.
pub fn scan(root: &Path, pci_ids: Option<&str>) -> (Vec<GpuInfo>, Vec<String>) {
    let mut gpus = Vec::new();
    let mut notes = Vec::new();
    let Ok(entries) = fs::read_dir(root) else {
        return (gpus, notes);
    };
    let mut cards: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with("card") && n[4..].chars().all(|c| c.is_ascii_digit()) && n.len() > 4
        })
        .collect();
    cards.sort();
    for card in cards {
        let dev = root.join(&card).join("device");
        if let Some(class) = read_trimmed(&dev.join("class")) {
            if !class.starts_with("0x03") {
                continue;
            }
        }
        let vendor_id = match read_hex(&dev.join("vendor")) {
            Read::Value(v) => v,
            Read::Missing => continue,
            Read::Garbage(s) => {
                notes.push(format!(
                    "sysfs {card}: vendor id `{s}` is unreadable; skipped"
                ));
                continue;
            }
        };
        let device_id = match read_hex(&dev.join("device")) {
            Read::Value(v) => Some(v),
            _ => None,
        };
        let vendor = GpuVendor::from_pci_id(vendor_id);
        let name = device_id
            .and_then(|d| pci_ids.and_then(|ids| pci_ids_name(ids, vendor_id, d)))
            .map(|n| format!("{} {n}", vendor.name()))
            .unwrap_or_else(|| match device_id {
                Some(d) => format!("{} GPU {vendor_id:04x}:{d:04x}", vendor.name()),
                None => format!("{} GPU", vendor.name()),
            });
        let mut mem = |file: &str| match read_u64(&dev.join(file)) {
            Read::Value(v) => Some(v),
            Read::Missing => None,
            Read::Garbage(s) => {
                notes.push(format!("sysfs {card}: {file} `{s}` is unreadable; ignored"));
                None
            }
        };
        let vram = mem("mem_info_vram_total");
        let used = mem("mem_info_vram_used");
        let gtt = mem("mem_info_gtt_total");
        let pci = fs::canonicalize(&dev)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .filter(|n| n.matches(':').count() == 2);
        let mut info = GpuInfo {
            vendor,
            name,
            vram_total_gb: vram.map_or(0.0, |v| v as f64 / 1e9),
            vram_free_gb: vram
                .zip(used)
                .map(|(t, u)| t.saturating_sub(u) as f64 / 1e9),
            driver: None,
            unified_memory: false,
            pci,
            catalog_id: None,
            source: "sysfs".into(),
            notes: Vec::new(),
        };
        match (vendor, vram) {
            (GpuVendor::Amd, Some(v)) if v <= APU_CARVE_OUT_MAX && gtt.is_some_and(|g| g > v) => {
                info.unified_memory = true;
                info.vram_total_gb = gtt.unwrap_or(v) as f64 / 1e9;
                info.vram_free_gb = None;
                info.notes.push(format!(
                    "AMD APU: {:.0} MB is only the BIOS carve-out; the GPU shares system RAM (GTT {:.1} GB)",
                    v as f64 / 1e6,
                    gtt.unwrap_or(0) as f64 / 1e9
                ));
            }
            (GpuVendor::Intel, None) => {
                info.unified_memory = true;
                info.vram_total_gb = gtt.map_or(0.0, |g| g as f64 / 1e9);
                info.notes
                    .push("Intel integrated graphics: shares system RAM, no dedicated VRAM".into());
            }
            (GpuVendor::Nvidia, None) => {
                info.notes.push(
                    "NVIDIA GPU seen in sysfs; its memory comes from NVML or nvidia-smi".into(),
                );
            }
            (_, None) => info
                .notes
                .push("no mem_info_vram_total: dedicated memory unknown".into()),
            _ => {}
        }
        gpus.push(info);
    }
    (gpus, notes)
}

/// Scans the real sysfs with the system's pci.ids.
pub fn query() -> (Vec<GpuInfo>, Vec<String>) {
    let ids = PCI_IDS.iter().find_map(|p| fs::read_to_string(p).ok());
    scan(Path::new(DRM_ROOT), ids.as_deref())
}
