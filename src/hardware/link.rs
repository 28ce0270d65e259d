//! The network between the boxes of a small-box cluster (`--gpu "DGX Spark:4"`, two Mac Studios,
//! a Strix Halo pair): its bandwidth and the latency of one small collective, which every layer
//! pays when the model is split across boxes.

use crate::catalog::schema::{DeviceClass, GpuEntry, Vendor};

/// One box-to-box link as the speed model uses it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeLink {
    /// What the boxes are connected with, for display.
    pub name: &'static str,
    /// Usable bandwidth in one direction, bytes/s.
    pub bytes_per_s: f64,
    /// Time of one small (8–32 KiB) all-reduce or hand-off over it, seconds.
    pub latency_s: f64,
    /// Remote direct memory access (else TCP through the kernel).
    pub rdma: bool,
    pub source: &'static str,
}

/// DGX Spark: ConnectX-7, 200 Gb/s (25 GB/s) per QSFP port with RoCE. nccl-tests all_reduce
/// between two Sparks takes 30–35 µs at 8–16 KiB (NVIDIA/dgx-spark-playbooks PR #103).
pub const CONNECTX7_ROCE: NodeLink = NodeLink {
    name: "200 GbE RoCE (ConnectX-7)",
    bytes_per_s: 25e9,
    latency_s: 32e-6,
    rdma: true,
    source: "NVIDIA/dgx-spark-playbooks PR #103 (nccl-tests all_reduce 8 KiB: 30–35 µs); 200 Gb/s per port",
};

/// Thunderbolt 5 with RDMA (macOS 26.2+, MLX's JACCL backend, exo): 80 Gb/s; all-reduce reaches
/// 7–9 GB/s (pytorch PR #181087, 1–16 MiB) and small exchanges take under 50 µs against 250–350 µs
/// over TCP (exo's measurements as quoted in anthony-chaudhary/fak issue #12596): 50 µs, the
/// quoted upper bound (UNVERIFIED for DeepSeek-sized messages).
pub const THUNDERBOLT5_RDMA: NodeLink = NodeLink {
    name: "Thunderbolt 5 RDMA",
    bytes_per_s: 8e9,
    latency_s: 50e-6,
    rdma: true,
    source: "pytorch PR #181087 (7–9 GB/s all-reduce over TB5 RDMA); <50 µs per exchange (exo, via fak issue #12596)",
};

/// Thunderbolt 4 / USB4 networking (TCP): 40 Gb/s; 250–350 µs per exchange over TCP (as above):
/// 300 µs. Macs without Thunderbolt 5 (MLX ring backend) and Strix Halo boxes (USB4) use it.
pub const USB4_TCP: NodeLink = NodeLink {
    name: "Thunderbolt 4 / USB4 (TCP)",
    bytes_per_s: 4e9,
    latency_s: 300e-6,
    rdma: false,
    source: "40 Gb/s link; 250–350 µs per exchange over TCP (exo, via fak issue #12596); UNVERIFIED for USB4 between Strix Halo boxes",
};

/// Apple chips whose Macs have Thunderbolt 5 ports (M4 Pro/Max Mac mini and Studio, M3 Ultra Mac
/// Studio, the M5 family); older ones have Thunderbolt 4.
fn has_thunderbolt5(id: &str) -> bool {
    ["m4-pro", "m4-max", "m3-ultra", "m5"]
        .iter()
        .any(|p| id.contains(p))
}

/// The link boxes of this kind are connected with.
pub fn node_link(spec: &GpuEntry) -> NodeLink {
    match (spec.class, spec.vendor) {
        (DeviceClass::SocUnified, Vendor::Nvidia) => CONNECTX7_ROCE,
        (DeviceClass::AppleUnified, _) if has_thunderbolt5(&spec.id) => THUNDERBOLT5_RDMA,
        _ => USB4_TCP,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn each_small_box_gets_its_own_link() {
        let c = Catalog::get();
        let link = |id: &str| node_link(c.gpu(id).unwrap());
        assert_eq!(link("dgx-spark"), CONNECTX7_ROCE);
        assert_eq!(link("apple-m3-ultra"), THUNDERBOLT5_RDMA);
        assert_eq!(link("apple-m4-max-40c"), THUNDERBOLT5_RDMA);
        assert_eq!(link("apple-m2-ultra"), USB4_TCP);
        assert_eq!(link("ryzen-ai-max-395"), USB4_TCP);
        const {
            assert!(CONNECTX7_ROCE.latency_s < THUNDERBOLT5_RDMA.latency_s);
            assert!(THUNDERBOLT5_RDMA.latency_s < USB4_TCP.latency_s);
        }
    }
}
