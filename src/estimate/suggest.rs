//! The smallest changes that would make a model fit: a shorter context, a lower quant, more RAM,
//! more GPUs. Each candidate is checked by re-running the estimate.

use super::verdict::VerdictLevel;
use super::{fit_with_params, params, Fit, FitOptions};
use crate::catalog::Catalog;
use crate::hardware::{GpuGroup, Machine};
use crate::lang::Lang;

/// One change that makes the model fit.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Allocate at most this context.
    ShorterContext { context: u32 },
    /// Use this quant instead.
    LowerQuant { quant: String, weights_gb: f64 },
    /// Have this much RAM in total.
    MoreRam { ram_gb: f64 },
    /// Have this many GPUs of this kind in total.
    MoreGpus { name: String, count: u32 },
    /// The same unified-memory chip with this much memory (a bigger Mac configuration).
    MoreUnifiedMemory { name: String, ram_gb: f64 },
    /// Free this much disk space for the model files.
    FreeDisk { gb: f64 },
}

impl Change {
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (Change::ShorterContext { context }, Lang::En) => {
                format!("use a context of at most {context} tokens")
            }
            (Change::ShorterContext { context }, Lang::Zh) => {
                format!("上下文缩短到 {context} token 以内")
            }
            (Change::LowerQuant { quant, weights_gb }, Lang::En) => {
                format!("use {quant} ({weights_gb:.1} GB of weights)")
            }
            (Change::LowerQuant { quant, weights_gb }, Lang::Zh) => {
                format!("改用 {quant}（权重 {weights_gb:.1} GB）")
            }
            (Change::MoreRam { ram_gb }, Lang::En) => format!("have {ram_gb:.0} GB of RAM"),
            (Change::MoreRam { ram_gb }, Lang::Zh) => format!("内存增加到 {ram_gb:.0} GB"),
            (Change::MoreGpus { name, count }, Lang::En) => format!("use {count}× {name}"),
            (Change::MoreGpus { name, count }, Lang::Zh) => format!("使用 {count} 张 {name}"),
            (Change::MoreUnifiedMemory { name, ram_gb }, Lang::En) => {
                format!("use an {name} with {ram_gb:.0} GB")
            }
            (Change::MoreUnifiedMemory { name, ram_gb }, Lang::Zh) => {
                format!("换用 {ram_gb:.0} GB 内存的 {name}")
            }
            (Change::FreeDisk { gb }, Lang::En) => format!("free {gb:.0} GB of disk space"),
            (Change::FreeDisk { gb }, Lang::Zh) => format!("再腾出 {gb:.0} GB 磁盘空间"),
        }
    }
}

/// RAM sizes people buy, GB.
const RAM_STEPS: [f64; 16] = [
    8.0, 16.0, 24.0, 32.0, 48.0, 64.0, 96.0, 128.0, 192.0, 256.0, 384.0, 512.0, 768.0, 1024.0,
    1536.0, 2048.0,
];
/// Most GPUs suggested for one deployment.
const MAX_SUGGESTED_GPUS: u32 = 64;

/// Changes that would make `fit` fit — or, when it only runs slowly (offloaded or streamed from the
/// SSD below 5 tok/s), run at a usable speed — smallest first within each kind; and the disk space
/// to free when the files do not fit the disk. Empty when nothing is needed.
pub fn smallest_changes(catalog: &Catalog, fit: &Fit, machine: &Machine) -> Vec<Change> {
    let mut out = Vec::new();
    if fit.disk.short_by > 0.0 {
        out.push(Change::FreeDisk {
            gb: (fit.disk.short_by / 1e9).ceil(),
        });
    }
    let target = match fit.verdict.level {
        VerdictLevel::DoesNotFit => VerdictLevel::Slow,
        VerdictLevel::Slow => VerdictLevel::Tight,
        _ => return out,
    };
    let fits = |f: &Fit| f.verdict.level >= target;
    let (model, quant, o) = (fit.model, fit.quant, fit.options);
    let p = params::count(&model.arch);
    let try_with = |q, m: &Machine, opts: FitOptions| fit_with_params(model, q, m, opts, p);

    // Shorter context: the largest multiple of 1024 (at least 2048) that fits.
    if o.context > 2048 {
        let (mut lo, mut hi) = (2u32, o.context / 1024);
        if fits(&try_with(
            quant,
            machine,
            FitOptions {
                context: lo * 1024,
                ..o
            },
        )) {
            while lo < hi {
                let mid = (lo + hi).div_ceil(2);
                if fits(&try_with(
                    quant,
                    machine,
                    FitOptions {
                        context: mid * 1024,
                        ..o
                    },
                )) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            out.push(Change::ShorterContext { context: lo * 1024 });
        }
    }

    // Lower quant: the best-quality loadable quant with smaller weights that fits.
    let quality = |q| super::weights::quality_bits(model, &p, q);
    let mut quants: Vec<_> = catalog
        .quants
        .quants
        .iter()
        .filter(|q| {
            super::weights::weights(model, &p, q).bytes < fit.weights.bytes
                && super::problem(model, q, &o).is_none()
                && super::offered_by_default(model, q)
        })
        .collect();
    quants.sort_by(|a, b| quality(b).total_cmp(&quality(a)));
    if let Some(f) = quants.iter().map(|q| try_with(q, machine, o)).find(fits) {
        out.push(Change::LowerQuant {
            quant: f.quant.id.clone(),
            weights_gb: f.weights.bytes / 1e9,
        });
    }

    // A bigger configuration of the same unified-memory chip.
    if let Some(chip) = machine.gpus.iter().find(|g| g.is_unified() && g.count == 1) {
        for &option in &chip.spec.memory_options_gb {
            // Sold in GiB; the machine's RAM is in 10^9 bytes.
            let ram = option * 1.073_741_824;
            if ram <= machine.ram_gb * 1.001 {
                continue;
            }
            let m = Machine {
                ram_gb: ram,
                ..machine.clone()
            };
            if fits(&try_with(quant, &m, o)) {
                out.push(Change::MoreUnifiedMemory {
                    name: chip.spec.name.clone(),
                    ram_gb: option,
                });
                break;
            }
        }
    }

    // More RAM (runtimes that can use it).
    for &ram in RAM_STEPS.iter().filter(|&&r| r > machine.ram_gb) {
        if machine.is_unified() {
            break;
        }
        let m = Machine {
            ram_gb: ram,
            ..machine.clone()
        };
        if fits(&try_with(quant, &m, o)) {
            out.push(Change::MoreRam { ram_gb: ram });
            break;
        }
    }

    // More GPUs: of the kind already present, else an 80 GB H100 and a 141 GB H200.
    let mut kinds: Vec<GpuGroup> = machine
        .gpus
        .iter()
        .filter(|g| !g.is_unified())
        .cloned()
        .collect();
    if kinds.is_empty() {
        for id in ["rtx-4090", "h100-sxm", "h200-sxm"] {
            if let Ok(spec) = catalog.gpu(id) {
                kinds.push(GpuGroup {
                    spec: spec.clone(),
                    count: 0,
                });
            }
        }
    }
    for g in kinds {
        for count in (g.count + 1)..=MAX_SUGGESTED_GPUS {
            let mut m = machine.clone();
            m.gpus.retain(|x| x.spec.id != g.spec.id && !x.is_unified());
            m.gpus.push(GpuGroup {
                spec: g.spec.clone(),
                count,
            });
            if fits(&try_with(quant, &m, o)) {
                out.push(Change::MoreGpus {
                    name: g.spec.name.clone(),
                    count,
                });
                break;
            }
        }
    }
    out
}
/// How much memory a model lacks, as "what it would take" lines say it.
pub fn shortfall(short_by_bytes: f64, lang: crate::lang::Lang) -> String {
    let gb = short_by_bytes / 1e9;
    match lang {
        crate::lang::Lang::En => format!("is about {gb:.0} GB short"),
        crate::lang::Lang::Zh => format!("还差约 {gb:.0} GB"),
    }
}
