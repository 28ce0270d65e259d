//! Disk is part of "can I run it": the model files must fit on the disk that will hold them, and
//! SSD streaming reads the weights from that disk.

use super::placement::Placement;
use super::weights::Weights;
use crate::hardware::Machine;

/// The model files against the free space of the disk that will hold them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DiskCheck {
    /// Size of the files to download, bytes (the published size where there is one).
    pub files_bytes: f64,
    /// Free space on that disk, bytes; `None` when not measured (a described machine).
    pub free_bytes: Option<f64>,
    /// How much more free space the files need; 0 when they fit or free space is unknown.
    pub short_by: f64,
    /// The placement reads weights from this disk while decoding (SSD streaming, Engram on disk).
    pub streams_from_disk: bool,
}

impl DiskCheck {
    /// The files fit the free space (or it is unknown).
    pub fn fits(&self) -> bool {
        self.short_by <= 0.0
    }
}

/// Compares the files of `weights` with the machine's free disk space.
pub fn check(weights: &Weights, placement: &Placement, machine: &Machine) -> DiskCheck {
    let files_bytes = weights.published_bytes.unwrap_or(weights.bytes);
    let free_bytes = machine.disk_free_gb.map(|g| g * 1e9);
    let short_by = free_bytes.map_or(0.0, |free| (files_bytes - free).max(0.0));
    DiskCheck {
        files_bytes,
        free_bytes,
        short_by,
        streams_from_disk: placement.disk_bytes > 0.0,
    }
}
