//! The `estimate --json` object (DESIGN.md §5). Every number passes through `number::finite`, so
//! no NaN or infinity can reach the output.

use crate::catalog::schema::SupportLevel;
use crate::estimate::suggest::Change;
use crate::estimate::Fit;
use crate::evidence::nearest::{for_estimate, Near};
use crate::hardware::Machine;
use crate::lang::Lang;
use crate::number::finite;
use serde_json::{json, Value};

fn gb(bytes: f64) -> f64 {
    finite(bytes / 1e9)
}

/// The `measured` array: the nearest measured points, one entry per metric, exact matches first.
pub fn measured_array(near: &[Near]) -> Value {
    near.iter()
        .flat_map(|n| {
            let p = n.point;
            p.metrics().map(move |(metric, value)| {
                json!({
                    "metric": metric.json_name(),
                    "value": finite(value),
                    "hardware": p.hardware,
                    "runtime": p.runtime.map(|r| r.cli_name()),
                    "version": p.version,
                    "model": p.model,
                    "quant": p.quant,
                    "context": n.context(),
                    "concurrency": p.concurrency(),
                    "date": p.date,
                    "source": n.source_link(),
                    "source_name": n.source.map(|s| s.title.as_str()),
                    "measured_by": p.by.as_deref().or(n.source.map(|s| s.measured_by.as_str())),
                    "match": n.closeness.json_name(),
                    "confidence": format!("{:?}", n.confidence()).to_lowercase(),
                    "not_scored": p.exclude,
                })
            })
        })
        .collect()
}

/// The documented estimate object, plus `kv_cache_type`, `published_weights_gb`,
/// `suggestions` (what would make it fit) and `measured` (the nearest measured points on
/// `machine`).
pub fn estimate_object(fit: &Fit, machine: &Machine, suggestions: &[Change], lang: Lang) -> Value {
    let p = &fit.placement;
    let s = &fit.speed;
    let band = fit
        .correction
        .get(crate::estimate::correction::Quantity::Decode);
    let support = fit
        .model
        .runtimes
        .iter()
        .find(|r| r.runtime == fit.options.runtime)
        .map(|r| {
            json!({
                "level": match r.level {
                    SupportLevel::Mainline => "mainline",
                    SupportLevel::Fork => "fork",
                },
                "since": r.since,
                "notes": r.notes,
            })
        });
    let d = &fit.disk;
    let point = crate::estimate::serving::operating_point(
        fit,
        crate::estimate::serving::RequestShape::half_window(fit.options.context),
    );
    json!({
        "model": {
            "id": fit.model.id,
            "total_params_b": finite(fit.params.total() / 1e9),
            "active_params_b": finite(fit.params.active() / 1e9),
            "engram_params_b": finite(fit.params.engram / 1e9),
        },
        "quant": fit.quant.id,
        "quant_file": {
            "known": crate::estimate::is_known_file(fit.model, fit.quant),
            "weights_basis": match fit.weights.basis {
                crate::estimate::weights::WeightsBasis::Formula => "formula",
                crate::estimate::weights::WeightsBasis::Published => "published",
                crate::estimate::weights::WeightsBasis::File => "file",
                crate::estimate::weights::WeightsBasis::Sibling => "same_architecture",
            },
            "nearest_known": (!crate::estimate::is_known_file(fit.model, fit.quant))
                .then(|| crate::estimate::weights::nearest_known_file(
                    crate::catalog::Catalog::get(),
                    fit.model,
                    &fit.params,
                    fit.weights.bytes,
                ))
                .flatten()
                .map(|(q, bytes)| json!({"quant": q.id, "weights_gb": gb(bytes)})),
            "note": crate::estimate::explain::file_note(fit, lang),
        },
        "runtime": fit.options.runtime.cli_name(),
        "context": fit.options.context,
        "concurrency": fit.options.concurrency,
        "kv_cache_type": fit.kv_type.name(),
        "speculative": fit.options.speculative.map_or("off", |k| k.cli_name()),
        "runtime_support": support,
        "memory": {
            "weights_gb": gb(fit.weights.bytes),
            "kv_cache_gb": gb(fit.kv_bytes),
            "kv_per_sequence_gb": gb(fit.kv_bytes_per_sequence),
            "overhead_gb": gb(fit.overhead_bytes()),
            "total_gb": gb(fit.total_bytes()),
            "published_weights_gb": fit.weights.published_bytes.map(gb),
        },
        "placement": {
            "kind": p.kind.json_name(),
            "gpu_layers": p.gpu_layers,
            "total_layers": p.total_layers,
            "short_by_gb": gb(p.short_by),
            "gpu_gb": gb(p.gpu_bytes),
            "ram_gb": gb(p.ram_bytes),
            "disk_gb": gb(p.disk_bytes),
            "nodes": p.nodes,
            "moe_layers": p.experts.moe_layers,
            "expert_layers_on_gpu": p.experts.layers_on_gpu,
            "experts_per_layer_on_gpu": p.experts.per_layer_on_gpu,
            "experts_gb": {
                "gpu": gb(p.experts.gpu),
                "ram": gb(p.experts.ram),
                "streamed": gb(p.experts.streamed),
                "cache": gb(p.experts.cache),
            },
            "cache_home": p.experts.cache_home.map(|h| match h {
                crate::estimate::tiers::CacheHome::Gpu => "gpu",
                crate::estimate::tiers::CacheHome::Ram => "ram",
            }),
            "cached_fraction": finite(p.cached_fraction()),
            "cache_hit_rate": finite(p.experts.hit_rate),
            "cache_hit_rate_low": finite(p.experts.hit_rate_low),
            "side_tables_in_ram_gb": gb(p.side_in_ram),
            "side_tables_on_disk_gb": gb(p.side_on_disk),
        },
        "disk": {
            "files_gb": gb(d.files_bytes),
            "free_gb": d.free_bytes.map(gb),
            "short_by_gb": gb(d.short_by),
            "streams_from_disk": d.streams_from_disk,
        },
        "speed": {
            "decode_tok_s": finite(s.decode),
            "decode_tok_s_low": finite(s.decode_low),
            "decode_tok_s_high": finite(s.decode_high),
            "band": {
                "residuals": band.residuals,
                "regime": band.regime,
                "evidence": if band.dense { "dense" } else { "thin" },
            },
            "prefill_tok_s": finite(s.prefill),
            "aggregate_tok_s": finite(s.aggregate),
            "per_user_tok_s": finite(s.aggregate / f64::from(fit.options.concurrency.max(1))),
            "ttft_s": finite(point.ttft_s),
        },
        "verdict": {
            "level": fit.verdict.level.json_name(),
            "reason": fit.verdict.reason(lang),
        },
        "suggestions": suggestions.iter().map(|c| c.describe(lang)).collect::<Vec<_>>(),
        "measured": measured_array(&for_estimate(fit, machine)),
    })
}
