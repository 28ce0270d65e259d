//! `deepseek-advisor catalog models|quants|gpus|cloud`.

use super::table::Table;
use super::{lang_arg, CatalogArgs, CatalogKind, CliError};
use crate::catalog::schema::{Currency, ModelRole, Pricing, Tuning};
use crate::catalog::Catalog;
use crate::estimate::params;
use crate::lang::Lang;
use std::io::Write;

fn conf(c: crate::catalog::schema::Confidence, lang: Lang) -> String {
    if c.is_estimate() {
        lang.pick("estimate", "估计").to_string()
    } else {
        lang.pick("sourced", "有出处").to_string()
    }
}

fn money(c: Currency, v: f64) -> String {
    match c {
        Currency::Usd => format!("${v}"),
        Currency::Cny => format!("¥{v}"),
    }
}

pub(super) fn run(a: &CatalogArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let c = Catalog::get();
    let lang = lang_arg(&a.lang)?;
    let text = if a.json {
        let v = match a.kind {
            CatalogKind::Models => models_json(c),
            CatalogKind::Quants => serde_json::to_value(&c.quants),
            CatalogKind::Gpus => serde_json::to_value(&c.gpus).and_then(|g| {
                Ok(serde_json::json!({ "gpus": g["gpus"], "cpu_platforms": serde_json::to_value(&c.cpus)?["platforms"] }))
            }),
            CatalogKind::Cloud => serde_json::to_value(&c.cloud),
        }
        .map_err(|e| CliError {
            code: super::EXIT_INTERNAL,
            message: format!("cannot write JSON: {e}"),
        })?;
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    } else {
        match a.kind {
            CatalogKind::Models => models(c, lang),
            CatalogKind::Quants => quants(c, lang),
            CatalogKind::Gpus => gpus(c, lang),
            CatalogKind::Cloud => cloud(c, lang),
        }
    };
    out.write_all(text.as_bytes()).map_err(|e| CliError {
        code: super::EXIT_INTERNAL,
        message: format!("cannot write output: {e}"),
    })
}

/// The models as in models.ron plus the derived parameter counts: `total_params_b` (the main
/// model, MTP excluded: V4-Flash 284B, not the 158B of packed FP4 bytes), `active_params_b` and
/// `engram_params_b`.
fn models_json(c: &Catalog) -> Result<serde_json::Value, serde_json::Error> {
    let f = crate::number::finite;
    let models = c
        .models
        .models
        .iter()
        .map(|m| {
            let p = params::count(&m.arch);
            let mut v = serde_json::to_value(m)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("total_params_b".into(), f(p.total() / 1e9).into());
                o.insert("active_params_b".into(), f(p.active() / 1e9).into());
                o.insert("engram_params_b".into(), f(p.engram / 1e9).into());
            }
            Ok(v)
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()?;
    Ok(serde_json::json!({ "models": models }))
}

fn models(c: &Catalog, lang: Lang) -> String {
    let mut t = Table::new(&[
        lang.pick("id", "标识"),
        lang.pick("total", "总参数"),
        lang.pick("active", "激活"),
        lang.pick("layers", "层数"),
        lang.pick("context", "上下文"),
        lang.pick("dtype", "原生精度"),
        lang.pick("license", "许可"),
        lang.pick("data", "数据"),
    ])
    .right_align(&[1, 2, 3, 4]);
    for m in &c.models.models {
        let p = params::count(&m.arch);
        let mut id = m.id.clone();
        if m.role == ModelRole::Reference {
            id.push_str(lang.pick(" (reference)", "（参照）"));
        }
        match m.tuning {
            Tuning::Chat => {}
            Tuning::Base => {
                id.push_str(lang.pick(" (base, not chat-tuned)", "（基座，未经对话微调）"))
            }
            Tuning::Zero => {
                id.push_str(lang.pick(" (RL only, not chat-tuned)", "（纯强化学习，未经对话微调）"))
            }
            Tuning::Prover => id.push_str(lang.pick(" (Lean 4 prover)", "（Lean 4 证明器）")),
        }
        t.row(vec![
            id,
            format!("{:.1}B", p.total() / 1e9),
            format!("{:.1}B", p.active() / 1e9),
            m.arch.layers.to_string(),
            m.official_context.to_string(),
            m.native_dtype.clone(),
            m.license.clone(),
            conf(m.confidence, lang),
        ]);
    }
    t.render()
}

fn quants(c: &Catalog, lang: Lang) -> String {
    let mut t = Table::new(&[
        lang.pick("quant", "量化"),
        lang.pick("bits/weight", "位/权重"),
        lang.pick("format", "格式"),
        lang.pick("runtimes", "推理框架"),
        lang.pick("data", "数据"),
    ])
    .right_align(&[1]);
    for q in &c.quants.quants {
        t.row(vec![
            q.id.clone(),
            format!("{:.3}", q.body_bpw),
            format!("{:?}", q.format),
            q.runtimes
                .iter()
                .map(|r| r.cli_name())
                .collect::<Vec<_>>()
                .join(", "),
            conf(q.confidence, lang),
        ]);
    }
    t.render()
}

fn gpus(c: &Catalog, lang: Lang) -> String {
    let mut t = Table::new(&[
        lang.pick("id", "标识"),
        lang.pick("name", "名称"),
        "GB",
        "GB/s",
        "FP16 TFLOPS",
        "FP8 TFLOPS",
        lang.pick("price", "价格"),
        lang.pick("data", "数据"),
    ])
    .right_align(&[2, 3, 4, 5]);
    for g in &c.gpus.gpus {
        let price = g
            .price
            .as_ref()
            .map_or(lang.pick("not priced", "无价格").into(), |p| {
                if p.high > p.low {
                    format!("{}–{} ({})", money(p.currency, p.low), p.high, p.date)
                } else {
                    format!("{} ({})", money(p.currency, p.low), p.date)
                }
            });
        t.row(vec![
            g.id.clone(),
            g.name.clone(),
            format!("{}", g.vram_gb),
            format!("{}", g.mem_bw_gbs),
            format!("{}", g.fp16_tflops),
            g.fp8_tflops
                .map_or(lang.pick("no FP8", "不支持").into(), |v| v.to_string()),
            price,
            conf(g.confidence, lang),
        ]);
    }
    let mut cpu = Table::new(&[
        lang.pick("memory platform", "内存平台"),
        lang.pick("peak GB/s", "峰值 GB/s"),
        lang.pick("measured", "实测"),
    ])
    .right_align(&[1, 2]);
    for p in &c.cpus.platforms {
        cpu.row(vec![
            p.name.clone(),
            format!("{}", p.peak_gbs),
            p.measured_gbs
                .map_or(lang.pick("not measured", "未实测").into(), |v| {
                    v.to_string()
                }),
        ]);
    }
    format!("{}\n{}", t.render(), cpu.render())
}

fn cloud(c: &Catalog, lang: Lang) -> String {
    let mut api = Table::new(&[
        lang.pick("API endpoint", "API 模型"),
        lang.pick("serves", "对应模型"),
        lang.pick("from", "生效"),
        lang.pick("until", "截止"),
        lang.pick("cache hit /M", "缓存命中/百万"),
        lang.pick("miss /M", "未命中/百万"),
        lang.pick("output /M", "输出/百万"),
        lang.pick("peak hit/miss/out", "高峰 命中/未命中/输出"),
        lang.pick("data", "数据"),
    ])
    .right_align(&[4, 5, 6, 7]);
    for p in &c.cloud.api_prices {
        api.row(vec![
            p.endpoint.clone()
                + if p.discount {
                    lang.pick(" (discount)", "（优惠）")
                } else {
                    ""
                },
            p.serves.clone(),
            p.effective_from.clone(),
            p.effective_until
                .clone()
                .unwrap_or_else(|| lang.pick("in force", "现行").into()),
            money(p.currency, p.cache_hit_per_mtok),
            money(p.currency, p.cache_miss_per_mtok),
            money(p.currency, p.output_per_mtok),
            p.peak.map_or_else(
                || lang.pick("none: one price all day", "无：全天同价").into(),
                |t| {
                    format!(
                        "{} / {} / {}",
                        money(p.currency, t.cache_hit_per_mtok),
                        money(p.currency, t.cache_miss_per_mtok),
                        money(p.currency, t.output_per_mtok)
                    )
                },
            ),
            conf(p.confidence, lang),
        ]);
    }
    let mut inst = Table::new(&[
        lang.pick("provider", "云厂商"),
        lang.pick("instance", "实例"),
        "GPUs",
        lang.pick("per hour", "每小时"),
        lang.pick("date", "日期"),
        lang.pick("data", "数据"),
    ])
    .right_align(&[3]);
    for i in &c.cloud.instances {
        let kind = match i.pricing {
            Pricing::OnDemand => "",
            Pricing::CapacityBlock => {
                lang.pick(" (capacity block, not used)", "（预留容量块，不采用）")
            }
            Pricing::Assumption => lang.pick(" (assumption, not used)", "（假设值，不采用）"),
        };
        inst.row(vec![
            i.provider.clone(),
            format!("{}{kind}", i.instance),
            format!("{}× {}", i.gpu_count, i.gpu_id),
            money(i.currency, i.per_hour),
            i.date.clone(),
            conf(i.confidence, lang),
        ]);
    }
    format!("{}\n{}", api.render(), inst.render())
}
