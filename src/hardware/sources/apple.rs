//! Apple Silicon: the chip from `sysctl machdep.cpu.brand_string` and unified memory from
//! `hw.memsize`. The GPU shares that memory; the estimator applies the GPU working-set limit.

use crate::hardware::profile::{GpuInfo, GpuVendor};

/// Turns the two sysctl values into the GPU record and the RAM size in bytes.
pub fn from_sysctl(brand: &str, memsize: &str) -> Result<(GpuInfo, u64), String> {
    let brand = brand.trim();
    if !brand.starts_with("Apple") {
        return Err(format!("not Apple Silicon (`{brand}`)"));
    }
    let bytes: u64 = memsize
        .trim()
        .parse()
        .map_err(|_| format!("hw.memsize `{}` is not a number", memsize.trim()))?;
    Ok((
        GpuInfo {
            vendor: GpuVendor::Apple,
            name: brand.to_string(),
            vram_total_gb: bytes as f64 / 1e9,
            vram_free_gb: None,
            driver: None,
            unified_memory: true,
            pci: None,
            catalog_id: None,
            source: "sysctl".into(),
            notes: vec![
                "unified memory: the GPU may use about 75% of it by default (Metal working set)"
                    .into(),
            ],
        },
        bytes,
    ))
}

/// Reads the values with `sysctl -n` (macOS only).
#[cfg(target_os = "macos")]
pub fn query() -> Result<(GpuInfo, u64), String> {
    let out = super::nvidia_smi::run_with_timeout(
        "sysctl",
        &["-n", "machdep.cpu.brand_string", "hw.memsize"],
        std::time::Duration::from_secs(1),
    )?;
    let mut lines = out.lines();
    let brand = lines.next().unwrap_or_default();
    let mem = lines.next().unwrap_or_default();
    from_sysctl(brand, mem)
}
