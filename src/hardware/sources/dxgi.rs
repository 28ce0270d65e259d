//! Windows GPUs of every vendor through DXGI: one record per adapter with its dedicated memory
//! (a 64-bit field, so cards above 4 GB read right) and, where the driver offers it, the memory
//! budget left to this process. `dxgi.dll` is loaded at run time, so a Windows (or Wine) without it
//! is a "not detected" note instead of a program that cannot start; the kernel-mode adapter
//! queries (`D3DKMT…`) are not used at all, because a system that lacks one aborts the process
//! when it is called.

use crate::hardware::profile::{GpuInfo, GpuVendor};
use serde::{Deserialize, Serialize};

/// `DXGI_ADAPTER_FLAG_SOFTWARE`: a software rasterizer, not a GPU.
pub const FLAG_SOFTWARE: u32 = 2;

/// Microsoft's vendor id, which the "Microsoft Basic Render Driver" reports.
const MICROSOFT_VENDOR_ID: u32 = 0x1414;

/// Dedicated memory at or below this on an AMD GPU is a BIOS carve-out of an APU (as on Linux).
const APU_CARVE_OUT_MAX: u64 = 2 * 1024 * 1024 * 1024;

/// Dedicated memory below this on an Intel GPU is an integrated GPU's small reserve, not VRAM.
const INTEL_IGPU_RESERVE_MAX: u64 = 1024 * 1024 * 1024;

/// What `IDXGIAdapter1::GetDesc1` (and `IDXGIAdapter3::QueryVideoMemoryInfo`) report for one
/// adapter; the tests read recorded ones from `tests/fixtures/dxgi/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdapterDesc {
    pub description: String,
    pub vendor_id: u32,
    pub device_id: u32,
    pub dedicated_video_memory: u64,
    pub dedicated_system_memory: u64,
    pub shared_system_memory: u64,
    /// `DXGI_ADAPTER_DESC1::Flags`.
    pub flags: u32,
    /// Local-memory budget the OS grants this process minus what it uses, bytes (`None` where
    /// `IDXGIAdapter3` is not offered).
    #[serde(default)]
    pub local_budget_free: Option<u64>,
}

impl AdapterDesc {
    fn is_software(&self) -> bool {
        self.flags & FLAG_SOFTWARE != 0 || self.vendor_id == MICROSOFT_VENDOR_ID
    }
}

/// One record per hardware adapter; software renderers are left out.
pub fn to_gpu_infos(adapters: &[AdapterDesc]) -> Vec<GpuInfo> {
    adapters
        .iter()
        .filter(|a| !a.is_software())
        .map(|a| {
            let vendor = match GpuVendor::from_pci_id(a.vendor_id) {
                GpuVendor::Other => GpuVendor::from_name(&a.description),
                v => v,
            };
            let dedicated = a.dedicated_video_memory;
            let mut info = GpuInfo {
                vendor,
                name: a.description.trim().to_string(),
                vram_total_gb: dedicated as f64 / 1e9,
                vram_free_gb: a
                    .local_budget_free
                    .map(|b| b.min(dedicated) as f64 / 1e9),
                driver: None,
                unified_memory: false,
                pci: None,
                catalog_id: None,
                source: "DXGI".into(),
                notes: Vec::new(),
            };
            let shared = a.shared_system_memory;
            match vendor {
                GpuVendor::Amd if dedicated <= APU_CARVE_OUT_MAX && shared > dedicated => {
                    info.unified_memory = true;
                    info.vram_total_gb = shared as f64 / 1e9;
                    info.vram_free_gb = None;
                    info.notes.push(format!(
                        "AMD APU: {:.0} MB is only the BIOS carve-out; the GPU shares system RAM ({:.1} GB)",
                        dedicated as f64 / 1e6,
                        shared as f64 / 1e9
                    ));
                }
                GpuVendor::Intel if dedicated < INTEL_IGPU_RESERVE_MAX => {
                    info.unified_memory = true;
                    info.vram_total_gb = shared as f64 / 1e9;
                    info.vram_free_gb = None;
                    info.notes
                        .push("Intel integrated graphics: shares system RAM, no dedicated VRAM".into());
                }
                _ if dedicated == 0 => info
                    .notes
                    .push("DXGI reported no dedicated memory: dedicated memory unknown".into()),
                _ => {}
            }
            info
        })
        .collect()
}

/// Asks DXGI for the adapters (Windows only).
#[cfg(windows)]
pub fn query() -> Result<Vec<AdapterDesc>, String> {
    use std::ffi::c_void;
    use windows::core::{Interface, GUID, HRESULT};
    use windows::Win32::Graphics::Dxgi::{
        IDXGIAdapter3, IDXGIFactory1, DXGI_MEMORY_SEGMENT_GROUP_LOCAL, DXGI_QUERY_VIDEO_MEMORY_INFO,
    };
    type CreateFactory = unsafe extern "system" fn(*const GUID, *mut *mut c_void) -> HRESULT;

    // SAFETY: dxgi.dll is a system library whose initialisation has no preconditions.
    let library = unsafe { libloading::Library::new("dxgi.dll") }
        .map_err(|e| format!("DXGI not available: {e}"))?;
    // SAFETY: CreateDXGIFactory1 has this signature in every dxgi.dll that exports it.
    let create = unsafe { library.get::<CreateFactory>(b"CreateDXGIFactory1\0") }
        .map_err(|e| format!("DXGI not available: {e}"))?;
    let mut raw: *mut c_void = std::ptr::null_mut();
    // SAFETY: both pointers are valid for the call; on success `raw` owns one reference.
    unsafe { create(&IDXGIFactory1::IID, &mut raw) }
        .ok()
        .map_err(|e| format!("DXGI could not list the GPUs ({e})"))?;
    if raw.is_null() {
        return Err("DXGI could not list the GPUs (no factory returned)".into());
    }
    // SAFETY: `raw` is an IDXGIFactory1 whose reference we now own; it is released (dropped)
    // before `library` at the end of this function.
    let factory = unsafe { IDXGIFactory1::from_raw(raw) };
    let mut out = Vec::new();
    for index in 0.. {
        // SAFETY: plain COM calls on a live factory; the loop ends at DXGI_ERROR_NOT_FOUND.
        let Ok(adapter) = (unsafe { factory.EnumAdapters1(index) }) else {
            break;
        };
        // SAFETY: as above.
        let desc = match unsafe { adapter.GetDesc1() } {
            Ok(d) => d,
            Err(e) => return Err(format!("DXGI adapter {index}: {e}")),
        };
        let len = desc
            .Description
            .iter()
            .position(|&c| c == 0)
            .unwrap_or(desc.Description.len());
        let local_budget_free = adapter.cast::<IDXGIAdapter3>().ok().and_then(|a3| {
            let mut info = DXGI_QUERY_VIDEO_MEMORY_INFO::default();
            // SAFETY: `info` is a valid out pointer for the call.
            unsafe { a3.QueryVideoMemoryInfo(0, DXGI_MEMORY_SEGMENT_GROUP_LOCAL, &mut info) }
                .ok()
                .map(|()| info.Budget.saturating_sub(info.CurrentUsage))
        });
        out.push(AdapterDesc {
            description: String::from_utf16_lossy(&desc.Description[..len]),
            vendor_id: desc.VendorId,
            device_id: desc.DeviceId,
            dedicated_video_memory: desc.DedicatedVideoMemory as u64,
            dedicated_system_memory: desc.DedicatedSystemMemory as u64,
            shared_system_memory: desc.SharedSystemMemory as u64,
            flags: desc.Flags,
            local_budget_free,
        });
    }
    drop(factory);
    drop(library);
    Ok(out)
}
