//! The measured points nearest to an estimate: exact matches first ("measured on this setup"),
//! then the same model family and quant class on the same device, on similar hardware, and the
//! same device with other models (hardware efficiency is shared). Cheap: a scan of a few hundred
//! resolved points with no allocation per point.

use super::{Evidence, Resolved};
use crate::catalog::schema::{
    GpuEntry, MeasuredPoint, MeasurementSource, ModelEntry, QuantEntry, Runtime,
};
use crate::estimate::Fit;
use crate::hardware::Machine;

/// How close a measured point is to the asked setup, closest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Closeness {
    /// Same model, quant, runtime and GPUs (and their count).
    Exact,
    /// Same model family and quant class on the same GPUs, a similar runtime.
    SameSetup,
    /// Same model family and quant class on the same device, another count or runtime.
    SameDevice,
    /// Same model family and quant class on a device of the same kind and bandwidth (±35%).
    SimilarHardware,
    /// The same device measured with another model: what it reaches, not this model's speed.
    SameDeviceOtherModel,
}

impl Closeness {
    pub fn json_name(self) -> &'static str {
        match self {
            Closeness::Exact => "exact",
            Closeness::SameSetup => "same_setup",
            Closeness::SameDevice => "same_device",
            Closeness::SimilarHardware => "similar_hardware",
            Closeness::SameDeviceOtherModel => "same_device_other_model",
        }
    }
}

/// What an estimate is about, for the lookup.
#[derive(Debug, Clone)]
pub struct Query<'a> {
    pub model: &'a ModelEntry,
    pub quant: &'a QuantEntry,
    pub runtime: Runtime,
    /// (catalog id, count) per GPU group; empty for a CPU-only machine.
    pub gpus: Vec<(&'a str, u32)>,
    pub primary: Option<&'a GpuEntry>,
    pub concurrency: u32,
}

impl<'a> Query<'a> {
    /// The setup of an estimate on a machine.
    pub fn of(fit: &Fit<'a>, machine: &'a Machine) -> Query<'a> {
        Query {
            model: fit.model,
            quant: fit.quant,
            runtime: fit.options.runtime,
            gpus: machine
                .gpus
                .iter()
                .map(|g| (g.spec.id.as_str(), g.count))
                .collect(),
            primary: machine.gpus.first().map(|g| &g.spec),
            concurrency: fit.options.concurrency,
        }
    }
}

/// A measured point near the query.
#[derive(Debug, Clone, Copy)]
pub struct Near<'a> {
    pub point: &'a MeasuredPoint,
    pub source: Option<&'a MeasurementSource>,
    pub closeness: Closeness,
    /// Measured on the user's own machine.
    pub this_machine: bool,
    /// The link to cite.
    pub url: &'a str,
}

/// Up to `limit` points nearest to `q` over `sets` (points measured on this machine first at equal
/// closeness, then the same runtime, the matching single-user or serving kind, the newest).
pub fn nearest<'a>(q: &Query, sets: &[&'a Evidence], limit: usize) -> Vec<Near<'a>> {
    let family = family_key(q.model);
    let class = quant_class(q.quant);
    let mut found: Vec<(Near<'a>, bool, bool, &'a str)> = Vec::new();
    for set in sets {
        for (p, r) in set.points.iter().zip(&set.resolved) {
            let Some(closeness) = closeness(q, family, class, p, r) else {
                continue;
            };
            let same_runtime = p.runtime == Some(q.runtime);
            let same_kind = (p.concurrency() > 1) == (q.concurrency > 1);
            found.push((
                Near {
                    point: p,
                    source: set.source(&p.source),
                    closeness,
                    this_machine: set.this_machine,
                    url: set.url(p),
                },
                same_runtime,
                same_kind,
                p.date.as_str(),
            ));
        }
    }
    found.sort_by(|a, b| {
        (a.0.closeness, !a.0.this_machine, !a.1, !a.2)
            .cmp(&(b.0.closeness, !b.0.this_machine, !b.1, !b.2))
            .then_with(|| b.3.cmp(a.3))
    });
    found.into_iter().take(limit).map(|f| f.0).collect()
}

fn closeness(
    q: &Query,
    family: (u32, u32, u32),
    class: u8,
    p: &MeasuredPoint,
    r: &Resolved,
) -> Option<Closeness> {
    let same_family = r.model.is_some_and(|m| family_key(m) == family);
    let same_class = r.quant.is_some_and(|x| quant_class(x) == class);
    let same_gpus = p.gpus.len() == q.gpus.len()
        && p.gpus
            .iter()
            .zip(&q.gpus)
            .all(|((id, n), (qid, qn))| id == qid && n == qn);
    let same_device = match (r.primary_gpu, q.primary) {
        (Some(a), Some(b)) => a.id == b.id,
        (None, None) => true,
        _ => false,
    };
    let similar_runtime = p.runtime.is_some_and(|rt| similar(rt, q.runtime));
    let exact = r.model.is_some_and(|m| m.id == q.model.id)
        && r.quant.is_some_and(|x| x.id == q.quant.id)
        && p.runtime == Some(q.runtime)
        && same_gpus;
    if exact {
        Some(Closeness::Exact)
    } else if same_family && same_class && same_gpus && similar_runtime {
        Some(Closeness::SameSetup)
    } else if same_family && same_class && same_device {
        Some(Closeness::SameDevice)
    } else if same_family && same_class && similar_hardware(r.primary_gpu, q.primary) {
        Some(Closeness::SimilarHardware)
    } else if same_device && q.primary.is_some() && similar_runtime {
        Some(Closeness::SameDeviceOtherModel)
    } else {
        None
    }
}

/// Models with the same shape (layers, width, routed experts) count as one family: R1, R1-0528,
/// V3 and V3-0324 are one; V4-Flash and its 0731 update are one.
fn family_key(m: &ModelEntry) -> (u32, u32, u32) {
    let a = &m.arch;
    (
        a.layers,
        a.hidden,
        a.moe.as_ref().map_or(0, |x| x.routed_experts),
    )
}

/// Bits per weight of the bulk of the weights (the routed experts where they differ), rounded to
/// the usual classes: 2, 3, 4, 6, 8 or 16 bits.
fn quant_class(q: &QuantEntry) -> u8 {
    match q.routed_bpw.unwrap_or(q.body_bpw) {
        b if b <= 2.6 => 2,
        b if b <= 3.6 => 3,
        b if b <= 5.0 => 4,
        b if b <= 7.0 => 6,
        b if b <= 9.0 => 8,
        _ => 16,
    }
}

fn similar(a: Runtime, b: Runtime) -> bool {
    use Runtime::*;
    a == b
        || matches!((a, b), (LlamaCpp, Ollama) | (Ollama, LlamaCpp))
        || (a.is_serving_engine() && b.is_serving_engine())
}

fn similar_hardware(a: Option<&GpuEntry>, b: Option<&GpuEntry>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            a.class == b.class
                && a.vendor == b.vendor
                && (a.mem_bw_gbs / b.mem_bw_gbs - 1.0).abs() <= 0.35
        }
        _ => false,
    }
}
