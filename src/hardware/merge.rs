//! Joining what several sources report into one list of devices: the same card seen by NVML and by
//! sysfs is one card; each is matched to the catalog; implausible sizes are corrected with a note.

use super::profile::{GpuInfo, GpuVendor};
use crate::catalog::schema::GpuEntry;
use crate::catalog::Catalog;

/// Sources from most to least trusted.
const SOURCE_RANK: [&str; 7] = [
    "user",
    "NVML",
    "nvidia-smi",
    "sysctl",
    "DXGI",
    "sysfs",
    "sysinfo",
];

fn rank(source: &str) -> usize {
    SOURCE_RANK
        .iter()
        .position(|s| *s == source)
        .unwrap_or(SOURCE_RANK.len())
}

/// `00000000:01:00.0` and `0000:01:00.0` → `0000:01:00.0`.
pub fn normalize_pci(pci: &str) -> String {
    let p = pci.trim().to_ascii_lowercase();
    match p.split_once(':') {
        Some((domain, rest)) if domain.len() > 4 => {
            format!("{}:{rest}", &domain[domain.len() - 4..])
        }
        _ => p,
    }
}

fn base_name(name: &str) -> &str {
    name.split(" MIG ").next().unwrap_or(name)
}

fn same_device(a: &GpuInfo, b: &GpuInfo) -> bool {
    if a.source == b.source {
        // One source lists distinct devices (several identical cards, MIG slices).
        return false;
    }
    match (&a.pci, &b.pci) {
        (Some(x), Some(y)) => normalize_pci(x) == normalize_pci(y),
        _ => {
            let close = a.vram_total_gb == 0.0
                || b.vram_total_gb == 0.0
                || (a.vram_total_gb - b.vram_total_gb).abs()
                    <= 0.1 * a.vram_total_gb.max(b.vram_total_gb);
            a.vendor == b.vendor
                && crate::catalog::lookup::normalize(base_name(&a.name))
                    == crate::catalog::lookup::normalize(base_name(&b.name))
                && close
        }
    }
}

/// Candidate catalog names for a reported name: itself, without a MIG suffix, and the
/// alternatives pci.ids lists in brackets (`Navi 31 [Radeon RX 7900 XT/7900 XTX]`).
fn candidate_names(name: &str) -> Vec<String> {
    let base = base_name(name).trim().to_string();
    let mut out = vec![base.clone()];
    if let (Some(open), Some(close)) = (base.find('['), base.rfind(']')) {
        if open < close {
            let inner = &base[open + 1..close];
            let mut prefix = String::new();
            for (i, part) in inner.split('/').enumerate() {
                let part = part.trim();
                if i == 0 {
                    // "Radeon RX 7900 XT" → prefix "Radeon RX" for "7900 XTX".
                    let words: Vec<&str> = part.split_whitespace().collect();
                    prefix = words[..words.len().saturating_sub(2)].join(" ");
                    out.push(part.to_string());
                } else {
                    out.push(format!("{prefix} {part}"));
                }
            }
        }
    }
    out
}

/// The catalog entry for a reported device, if its name matches one whose memory is plausible.
pub fn match_catalog<'a>(catalog: &'a Catalog, gpu: &GpuInfo) -> Option<&'a GpuEntry> {
    candidate_names(&gpu.name)
        .iter()
        .filter_map(|n| catalog.gpu(n).ok())
        .find(|e| {
            gpu.unified_memory
                || gpu.vram_total_gb == 0.0
                || is_32bit_cap(gpu.vram_total_gb)
                || gpu.name.contains(" MIG ")
                || (e.vram_gb - gpu.vram_total_gb).abs() <= 0.15 * e.vram_gb
        })
}

/// 4 GiB (± 1 MiB) is what a 32-bit memory field reports for any larger card.
fn is_32bit_cap(gb: f64) -> bool {
    let b = gb * 1e9;
    (b - 4_294_967_296.0).abs() <= 1_048_576.0
}

/// Merges source records, matches the catalog and applies corrections. Returns the devices and
/// notes about what was corrected.
pub fn merge(catalog: &Catalog, mut records: Vec<GpuInfo>) -> (Vec<GpuInfo>, Vec<String>) {
    records.sort_by_key(|g| rank(&g.source));
    let mut out: Vec<GpuInfo> = Vec::new();
    let mut notes = Vec::new();
    for r in records {
        if let Some(kept) = out.iter_mut().find(|k| same_device(k, &r)) {
            // A less trusted source may still know something the better one did not.
            if kept.pci.is_none() {
                kept.pci = r.pci.clone();
            }
            if kept.driver.is_none() {
                kept.driver = r.driver.clone();
            }
            if kept.vram_total_gb == 0.0 && r.vram_total_gb > 0.0 {
                kept.vram_total_gb = r.vram_total_gb;
                kept.vram_free_gb = r.vram_free_gb;
            }
            continue;
        }
        out.push(r);
    }
    for g in &mut out {
        match match_catalog(catalog, g) {
            Some(e) => {
                g.catalog_id = Some(e.id.clone());
                if is_32bit_cap(g.vram_total_gb) && e.vram_gb > 4.5 && !g.unified_memory {
                    g.notes.push(format!(
                        "{} reported {:.2} GB, the ceiling of a 32-bit field; using the catalog's {} GB",
                        g.source, g.vram_total_gb, e.vram_gb
                    ));
                    notes.push(format!(
                        "{}: 4 GB report corrected to {} GB",
                        g.name, e.vram_gb
                    ));
                    g.vram_total_gb = e.vram_gb;
                    g.vram_free_gb = None;
                }
                if g.vram_total_gb == 0.0 && !g.unified_memory {
                    g.vram_total_gb = e.vram_gb;
                    g.notes.push(format!(
                        "memory not reported; using the catalog's {} GB",
                        e.vram_gb
                    ));
                }
            }
            None if g.vendor == GpuVendor::Intel && g.unified_memory => {}
            None => {
                g.notes.push(format!(
                    "not in the catalog: memory bandwidth unknown, speed assumes {} GB/s",
                    super::machine::UNKNOWN_GPU_BW_GBS
                ));
                notes.push(format!("{} is not in the catalog", g.name));
            }
        }
    }
    (out, notes)
}
