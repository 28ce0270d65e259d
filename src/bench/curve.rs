//! A saved multi-user measurement as one server's capacity curve: the plan (CLI, app wizard,
//! report) takes it instead of the estimator when the measured server is one of the
//! deployment's — the same catalog GPUs and count, model, quant and runtime.

use super::store::{MachineKey, Store};
use crate::cost::capacity::{MeasuredCurve, MeasuredPoint};
use crate::cost::inputs::Deployment;

/// The newest measurement in `store` of a server like one of `d`'s — the same catalog GPUs and count,
/// model, quant and runtime — as a capacity curve; `None` when there is none.
pub fn measured_curve(store: &Store, d: &Deployment) -> Option<MeasuredCurve> {
    let catalog = crate::catalog::Catalog::get();
    let same_gpus = |k: &MachineKey| {
        let ids: Vec<String> = k
            .gpus
            .iter()
            .filter_map(|g| {
                let name = g.rsplit_once(" (").map_or(g.as_str(), |(n, _)| n);
                catalog.gpu(name).ok().map(|e| e.id.clone())
            })
            .collect();
        ids.len() == k.gpus.len()
            && ids.len() == d.gpus_per_server as usize
            && ids.iter().all(|id| *id == d.gpu)
    };
    let m = store.measurements.iter().rev().find(|m| {
        let s = &m.report.server;
        s.catalog_model.as_deref() == Some(d.model.as_str())
            && s.quant.as_deref() == Some(d.quant.as_str())
            && s.kind.runtime() == Some(d.runtime)
            && same_gpus(&m.machine)
    })?;
    let r = &m.report;
    Some(MeasuredCurve {
        points: r
            .results
            .iter()
            .map(|l| MeasuredPoint {
                concurrency: l.concurrency,
                per_user_tok_s: l.decode_tok_s,
                aggregate_tok_s: l.aggregate_tok_s,
                ttft_s: l.ttft_s,
                prompt_tokens: l.prompt_tokens,
            })
            .collect(),
        source: format!(
            "bench of {} {} with {} on {} ({}), {} to {} users",
            d.model,
            d.quant,
            r.server.kind.display(),
            m.machine.describe(),
            r.date,
            r.results.iter().map(|l| l.concurrency).min().unwrap_or(1),
            r.results.iter().map(|l| l.concurrency).max().unwrap_or(1)
        ),
    })
}
