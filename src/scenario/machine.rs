//! The machine a scenario describes: its hardware profile (saved snapshot or this machine's
//! detection) with the what-if edits applied when they are enabled. Shared by the app's verdict
//! grid and reports, so both judge the same hardware.

use super::ScenarioHardware;
use crate::catalog::Catalog;
use crate::hardware::{GpuGroup, HardwareProfile, Machine};

impl ScenarioHardware {
    /// `base` as it is, or with the what-if GPUs, RAM and CPU bandwidth replacing its own. `None`
    /// when no valid machine can be built from it.
    pub fn machine(&self, base: &HardwareProfile, catalog: &Catalog) -> Option<Machine> {
        let w = &self.what_if;
        if !w.enabled {
            return Machine::from_profile(base, catalog).ok();
        }
        let mut gpus: Vec<GpuGroup> = w
            .gpus
            .iter()
            .filter_map(|g| {
                catalog.gpu(&g.id).ok().map(|spec| GpuGroup {
                    spec: spec.clone(),
                    count: g.count,
                })
            })
            .collect();
        // An Apple chip is the whole machine: added discrete GPUs replace it.
        if gpus.iter().any(|g| !g.is_unified()) {
            gpus.retain(|g| !g.is_unified());
        }
        let pick =
            |v: f64, fallback: f64| Some(if v > 0.0 { v } else { fallback }).filter(|x| *x > 0.0);
        let cores = Some(base.cpu.physical_cores).filter(|c| *c > 0);
        let bw = pick(w.cpu_mem_bw_gbs, base.cpu.mem_bw_gbs);
        // A RAM size the chosen Apple chip is not sold with falls back to its largest one.
        Machine::from_parts(gpus.clone(), pick(w.ram_gb, base.ram_total_gb), bw, cores)
            .or_else(|_| Machine::from_parts(gpus, None, bw, cores))
            .ok()
    }
}
