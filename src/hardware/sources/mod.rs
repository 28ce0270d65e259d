//! Detection sources. Each turns what one API or file reports into `GpuInfo` records (and notes);
//! the parsing is separate from the I/O so recorded fixtures can drive it in tests.

pub mod apple;
pub mod dxgi;
pub mod membw;
pub mod nvidia_smi;
pub mod nvml;
pub mod sysfs_drm;
pub mod system;
#[cfg(windows)]
pub mod volume;
