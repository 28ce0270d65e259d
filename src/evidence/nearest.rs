//! The measured points nearest to an estimate: exact matches first ("measured on this setup"),
//! then the same model family and quant class on the same device, on similar hardware, and the
//! same device with other models (hardware efficiency is shared). Cheap: a scan of a few hundred
//! resolved points with no allocation per point.

use super::{Evidence, Resolved};
use crate::catalog::schema::{
    Confidence, GpuEntry, MeasuredPoint, MeasurementSource, ModelEntry, QuantEntry, Runtime,
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
    /// A setup: `model` at `quant` on `runtime`, `machine`'s GPUs, `concurrency` users.
    pub fn new(
        model: &'a ModelEntry,
        quant: &'a QuantEntry,
        runtime: Runtime,
        machine: &'a Machine,
        concurrency: u32,
    ) -> Query<'a> {
        Query {
            model,
            quant,
            runtime,
            gpus: machine
                .gpus
                .iter()
                .map(|g| (g.spec.id.as_str(), g.count))
                .collect(),
            primary: machine.gpus.first().map(|g| &g.spec),
            concurrency,
        }
    }

    /// The setup of an estimate on a machine.
    pub fn of(fit: &Fit<'a>, machine: &'a Machine) -> Query<'a> {
        Query::new(
            fit.model,
            fit.quant,
            fit.options.runtime,
            machine,
            fit.options.concurrency,
        )
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
    let mut found: Vec<(Near<'a>, Rank, &'a str)> = Vec::new();
    for set in sets {
        for (p, r) in set.points.iter().zip(&set.resolved) {
            let Some(closeness) = closeness(q, family, class, p, r) else {
                continue;
            };
            let rank = Rank {
                unscored: p.exclude.is_some(),
                closeness,
                elsewhere: !set.this_machine,
                other_runtime: p.runtime != Some(q.runtime),
                other_gpus: !same_gpus(q, p),
                other_class: r.quant.is_none_or(|x| quant_class(x) != class),
                other_kind: (p.concurrency() > 1) != (q.concurrency > 1),
            };
            found.push((
                Near {
                    point: p,
                    source: set.source(&p.source),
                    closeness,
                    this_machine: set.this_machine,
                    url: set.url(p),
                },
                rank,
                p.date.as_str(),
            ));
        }
    }
    found.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| b.2.cmp(a.2)));
    found.into_iter().take(limit).map(|f| f.0).collect()
}

/// Sort key of a match: each `true` ranks it later. A claim or bound the catalog excludes from
/// scoring ranks after every measurement it scores, however close.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    unscored: bool,
    closeness: Closeness,
    elsewhere: bool,
    other_runtime: bool,
    other_gpus: bool,
    other_class: bool,
    other_kind: bool,
}

fn same_gpus(q: &Query, p: &MeasuredPoint) -> bool {
    p.gpus.len() == q.gpus.len()
        && p.gpus
            .iter()
            .zip(&q.gpus)
            .all(|((id, n), (qid, qn))| id == qid && n == qn)
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
    } else if same_family
        && same_class
        && gpu_count(&p.gpus) == q.gpus.iter().map(|g| g.1).sum::<u32>()
        && similar_hardware(r.primary_gpu, q.primary)
    {
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

/// GPUs in a measured setup (a 4-GPU tensor-parallel run is not similar to one card).
fn gpu_count(gpus: &[(String, u32)]) -> u32 {
    gpus.iter().map(|g| g.1).sum()
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

/// How many measured points an estimate lists.
pub const SHOWN: usize = 5;

/// The measured points nearest to an estimate on a machine, from the catalog (and, once `bench`
/// saves them, from this machine's own measurements, which rank first).
pub fn for_estimate(fit: &Fit, machine: &Machine) -> Vec<Near<'static>> {
    let q = Query::of(fit, machine);
    nearest(&q, &[Evidence::get()], SHOWN)
}

impl Near<'_> {
    /// The KV context the measurement ran at, when known: the window, else prompt + answer, else
    /// the decode depth.
    pub fn context(&self) -> Option<u32> {
        let p = self.point;
        p.context
            .or_else(|| match (p.prompt, p.output) {
                (Some(i), Some(o)) => Some(i.saturating_add(o)),
                (Some(i), None) => Some(i),
                _ => None,
            })
            .or(p.depth)
    }

    /// How sure the point is: its own confidence, else its source's.
    pub fn confidence(&self) -> Confidence {
        self.point
            .confidence
            .or(self.source.map(|s| s.confidence))
            .unwrap_or(Confidence::Unverified)
    }

    /// The source as JSON and text name it: its URL, or "this machine".
    pub fn source_link(&self) -> &str {
        if self.this_machine {
            super::THIS_MACHINE
        } else {
            self.url
        }
    }

    /// One line: "measured on this setup: decode 26.7 tok/s, prefill 58.5 tok/s — DeepSeek-V4-Flash
    /// (preview) ds4 q2, ds4 8d57664 (Metal), MacBook Pro M3 Max 128GB, context 256, 2026-05-21 —
    /// https://…".
    pub fn describe(&self, lang: crate::lang::Lang) -> String {
        let p = self.point;
        let metrics: Vec<String> = p
            .metrics()
            .map(|(m, v)| format!("{} {v:.1} {}", metric_label(m, lang), m.unit()))
            .collect();
        let mut setup = vec![
            format!("{} {}", p.model, short(&p.quant)),
            format!(
                "{} {}",
                p.runtime.map_or("?", |r| r.cli_name()),
                short(&p.version)
            ),
            p.hardware.clone(),
        ];
        if p.concurrency() > 1 {
            setup.push(format!(
                "{} {}",
                p.concurrency(),
                lang.pick("users", "并发")
            ));
        }
        if let Some(c) = self.context() {
            setup.push(format!("{} {c}", lang.pick("context", "上下文")));
        }
        setup.push(p.date.clone());
        let caveat = if p.exclude.is_some() {
            lang.pick(
                " [a claim or bound, not a full measurement]",
                " [声明或界限值，非完整实测]",
            )
        } else if self.confidence() == Confidence::Low {
            lang.pick(" [weak source]", " [来源较弱]")
        } else {
            ""
        };
        format!(
            "{}: {}{caveat} — {} — {}",
            self.closeness.label(lang),
            metrics.join(", "),
            setup.join(", "),
            self.source_link()
        )
    }
}

/// A published label up to its first parenthesis: "ds4 q2 (routed experts …)" → "ds4 q2".
fn short(s: &str) -> &str {
    s.split(" (").next().unwrap_or(s).trim()
}

impl Closeness {
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            Closeness::Exact => lang.pick("measured on this setup", "本配置实测"),
            Closeness::SameSetup => lang.pick("same setup, close variant", "同配置近似版本"),
            Closeness::SameDevice => lang.pick("same device", "同一设备"),
            Closeness::SimilarHardware => lang.pick("similar hardware", "相近硬件"),
            Closeness::SameDeviceOtherModel => lang.pick(
                "same device, another model or quantization",
                "同一设备，其他模型或量化",
            ),
        }
    }
}

/// A metric as text shows it.
pub fn metric_label(m: crate::catalog::schema::Metric, lang: crate::lang::Lang) -> &'static str {
    use crate::catalog::schema::Metric::*;
    match m {
        Decode => lang.pick("decode", "生成"),
        PerUser => lang.pick("per user", "每用户"),
        Aggregate => lang.pick("aggregate", "总吞吐"),
        Prefill => lang.pick("prefill", "预填充"),
        Ttft => lang.pick("first token", "首 token"),
    }
}
