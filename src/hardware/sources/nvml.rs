//! NVIDIA GPUs through NVML (nvml-wrapper loads the library at run time; without a driver this is a
//! clean "not available"). MIG instances are reported as separate devices with their own memory.

use crate::hardware::profile::{GpuInfo, GpuVendor};

/// What NVML says about one physical GPU.
#[derive(Debug, Clone, PartialEq)]
pub struct NvidiaDevice {
    pub name: String,
    pub total_bytes: u64,
    pub free_bytes: u64,
    pub driver: Option<String>,
    pub pci: Option<String>,
    /// MIG instances (memory total and free, bytes) when MIG mode is on.
    pub mig_instances: Vec<(u64, u64)>,
}

/// One record per GPU, or per MIG instance when MIG is on.
pub fn to_gpu_infos(devices: &[NvidiaDevice]) -> Vec<GpuInfo> {
    let mut out = Vec::new();
    for d in devices {
        let base = GpuInfo {
            vendor: GpuVendor::Nvidia,
            name: d.name.clone(),
            vram_total_gb: d.total_bytes as f64 / 1e9,
            vram_free_gb: Some(d.free_bytes as f64 / 1e9),
            driver: d.driver.clone(),
            unified_memory: false,
            pci: d.pci.clone(),
            catalog_id: None,
            source: "NVML".into(),
            notes: Vec::new(),
        };
        if d.mig_instances.is_empty() {
            out.push(base);
            continue;
        }
        let n = d.mig_instances.len();
        for (i, &(total, free)) in d.mig_instances.iter().enumerate() {
            out.push(GpuInfo {
                name: format!("{} MIG {}/{n}", d.name, i + 1),
                vram_total_gb: total as f64 / 1e9,
                vram_free_gb: Some(free as f64 / 1e9),
                notes: vec![format!(
                    "MIG instance {} of {n} on {}: a model must fit in this slice, which shares the card's bandwidth",
                    i + 1,
                    d.name
                )],
                ..base.clone()
            });
        }
    }
    out
}

/// Queries NVML. Errors are short sentences (`NVML not available: …`).
pub fn query() -> Result<Vec<NvidiaDevice>, String> {
    use nvml_wrapper::Nvml;
    let nvml = Nvml::init().map_err(|e| format!("NVML not available: {e}"))?;
    let driver = nvml.sys_driver_version().ok();
    let count = nvml
        .device_count()
        .map_err(|e| format!("NVML device count failed: {e}"))?;
    let mut out = Vec::new();
    for i in 0..count {
        let dev = match nvml.device_by_index(i) {
            Ok(d) => d,
            Err(e) => return Err(format!("NVML device {i}: {e}")),
        };
        let mem = dev
            .memory_info()
            .map_err(|e| format!("NVML device {i} memory: {e}"))?;
        let mut mig_instances = Vec::new();
        if dev.mig_mode().map(|m| m.current == 1).unwrap_or(false) {
            for k in 0..7 {
                match dev.mig_device_by_index(k).and_then(|m| m.memory_info()) {
                    Ok(mi) => mig_instances.push((mi.total, mi.free)),
                    Err(_) => break,
                }
            }
        }
        out.push(NvidiaDevice {
            name: dev.name().unwrap_or_else(|_| format!("NVIDIA GPU {i}")),
            total_bytes: mem.total,
            free_bytes: mem.free,
            driver: driver.clone(),
            pci: dev.pci_info().ok().map(|p| p.bus_id),
            mig_instances,
        });
    }
    Ok(out)
}
