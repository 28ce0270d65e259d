//! `deepseek-advisor accuracy`: how far to trust an estimate — the measurement catalog's size and
//! the estimator's cross-validated error per regime.

use super::table::{key_values, Table};
use super::{lang_arg, AccuracyArgs, CliError};
use crate::catalog::Catalog;
use crate::evidence::accuracy::{accuracy, meets_target, Accuracy};
use crate::evidence::fit::{to_ron, METHOD};
use crate::evidence::Evidence;
use crate::lang::Lang;
use crate::number::finite;
use serde_json::{json, Value};
use std::io::Write;

pub(super) fn run(a: &AccuracyArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = lang_arg(&a.lang)?;
    let mut acc = accuracy(Catalog::get(), Evidence::get());
    if let Some(path) = &a.fit {
        acc.fitted.fitted_on = crate::date::today();
        let text = to_ron(&acc.fitted).map_err(|e| CliError {
            code: super::EXIT_INTERNAL,
            message: format!("cannot write the fit: {e}"),
        })?;
        std::fs::write(path, text).map_err(|e| CliError {
            code: super::EXIT_INTERNAL,
            message: format!("cannot write {}: {e}", path.display()),
        })?;
    }
    let text = if a.json {
        serde_json::to_string_pretty(&object(&acc)).map_err(|e| CliError {
            code: super::EXIT_INTERNAL,
            message: format!("cannot write JSON: {e}"),
        })? + "\n"
    } else {
        let mut t = render(&acc, lang);
        if a.list {
            t.push('\n');
            t.push_str(&list(&acc, lang));
        }
        t
    };
    out.write_all(text.as_bytes()).map_err(|e| CliError {
        code: super::EXIT_INTERNAL,
        message: format!("cannot write output: {e}"),
    })
}

/// The `accuracy --json` object (issue 19): errors as fractions, band ratio = high ÷ low.
pub fn object(acc: &Accuracy) -> Value {
    json!({
        "points": acc.points,
        "hardware": acc.hardware,
        "sources": acc.sources,
        "observations": acc.scored,
        "skipped": acc.skipped.iter().map(|(why, n)| json!({"reason": why, "observations": n})).collect::<Vec<_>>(),
        "fit": {
            "fitted": true,
            "method": METHOD,
            "ridge": acc.fitted.ridge,
            "catalog_hash": acc.fitted.catalog_hash,
            "matches_committed": acc.matches_committed,
            "parameters": acc.fitted.parameters.iter().map(|p| json!({
                "quantity": p.quantity, "group": p.group, "name": p.name,
                "factor": finite(p.factor), "points": p.points, "sources": p.sources,
            })).collect::<Vec<_>>(),
            "bands": acc.fitted.bands.iter().map(|b| json!({
                "quantity": b.quantity, "regime": b.regime, "evidence": b.evidence,
                "low": finite(b.low), "high": finite(b.high), "residuals": b.residuals,
            })).collect::<Vec<_>>(),
        },
        "cross_validation": acc.rows.iter().map(|r| json!({
            "regime": r.regime.json_name(),
            "metric": r.metric.json_name(),
            "held_out_by": r.held_out_by.json_name(),
            "points": r.points,
            "sources": r.sources,
            "hardware": r.hardware,
            "median_abs_error": finite(r.median_abs_error),
            "p90_abs_error": finite(r.p90_abs_error),
            "median_error": finite(r.median_error),
            "band_coverage": r.band_coverage.map(finite),
            "median_band_ratio": r.median_band_ratio.map(finite),
            "meets_target": meets_target(r),
        })).collect::<Vec<_>>(),
    })
}

/// Every scored measurement against its estimate.
fn list(acc: &Accuracy, lang: Lang) -> String {
    let mut t = Table::new(&[
        lang.pick("regime", "场景"),
        lang.pick("metric", "指标"),
        lang.pick("measured", "实测"),
        lang.pick("estimate", "估计"),
        lang.pick("error", "误差"),
        lang.pick("model", "模型"),
        lang.pick("quant", "量化"),
        lang.pick("runtime", "框架"),
        lang.pick("hardware", "硬件"),
        lang.pick("source", "来源"),
    ])
    .right_align(&[2, 3, 4]);
    for s in &acc.scored_points {
        let p = s.point;
        t.row(vec![
            s.regime.json_name().to_string(),
            s.metric.json_name().to_string(),
            format!("{:.1}", s.measured),
            format!("{:.1}", s.estimate),
            format!("{:+.0}%", s.error * 100.0),
            p.model_id.clone().unwrap_or_default(),
            p.quant_id.clone().unwrap_or_default(),
            p.runtime.map_or("", |r| r.cli_name()).to_string(),
            p.hardware.clone(),
            p.source.clone(),
        ]);
    }
    t.render()
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn render(acc: &Accuracy, lang: Lang) -> String {
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh).to_string();
    let mut s = key_values(&[
        (
            l("Measurements", "实测数据"),
            format!(
                "{} {}, {} {}, {} {}",
                acc.points,
                lang.pick("points", "条"),
                acc.hardware,
                lang.pick("hardware types", "种硬件"),
                acc.sources,
                lang.pick("sources", "个来源")
            ),
        ),
        (
            l("Scored", "参与交叉验证"),
            format!(
                "{} {}",
                acc.scored,
                lang.pick(
                    "measured numbers (a point may carry several metrics)",
                    "个实测数值（一条数据可含多项指标）"
                )
            ),
        ),
        (
            l("Parameters", "参数"),
            format!(
                "{} {}; {}",
                acc.fitted.parameters.len(),
                lang.pick("fitted factors (below)", "个拟合系数（见下）"),
                if acc.matches_committed {
                    lang.pick(
                        "the committed assets/catalog/fitted.ron is this fit",
                        "已提交的 assets/catalog/fitted.ron 即为此拟合",
                    )
                } else {
                    lang.pick(
                        "the committed assets/catalog/fitted.ron differs: rerun `accuracy --fit assets/catalog/fitted.ron`",
                        "已提交的 assets/catalog/fitted.ron 与此不同：请运行 `accuracy --fit assets/catalog/fitted.ron`",
                    )
                }
            ),
        ),
    ]);
    s.push('\n');
    s.push_str(lang.pick("Fit: ", "拟合："));
    s.push_str(METHOD);
    s.push('\n');
    let mut p = Table::new(&[
        lang.pick("quantity", "量"),
        lang.pick("group", "分组"),
        lang.pick("name", "名称"),
        lang.pick("factor", "系数"),
        lang.pick("points", "数量"),
        lang.pick("sources", "来源"),
    ])
    .right_align(&[3, 4, 5]);
    for x in &acc.fitted.parameters {
        p.row(vec![
            x.quantity.clone(),
            x.group.clone(),
            x.name.clone(),
            format!("{:.3}", x.factor),
            x.points.to_string(),
            x.sources.to_string(),
        ]);
    }
    s.push_str(&p.render());
    s.push('\n');
    s.push_str(lang.pick(
        "Cross-validation: whole sources (or hardware types) left out; error = (estimate − measured) ÷ measured.\n",
        "交叉验证：每次留出整个来源（或整种硬件）；误差 =（估计 − 实测）÷ 实测。\n",
    ));
    let mut t = Table::new(&[
        lang.pick("regime", "场景"),
        lang.pick("metric", "指标"),
        lang.pick("held out", "留出"),
        lang.pick("points", "数量"),
        lang.pick("median |err|", "中位|误差|"),
        lang.pick("p90 |err|", "p90|误差|"),
        lang.pick("bias", "偏差"),
        lang.pick("in band", "落入区间"),
        lang.pick("band hi/lo", "区间上/下"),
        lang.pick("target", "目标"),
    ])
    .right_align(&[3, 4, 5, 6, 7, 8]);
    for r in &acc.rows {
        t.row(vec![
            r.regime.label(lang).to_string(),
            r.metric.json_name().to_string(),
            r.held_out_by.json_name().to_string(),
            r.points.to_string(),
            pct(r.median_abs_error),
            pct(r.p90_abs_error),
            format!("{:+.0}%", r.median_error * 100.0),
            r.band_coverage.map_or("–".into(), pct),
            r.median_band_ratio
                .map_or("–".into(), |x| format!("{x:.2}")),
            match meets_target(r) {
                Some(true) => lang.pick("met", "达到"),
                Some(false) => lang.pick("NOT met", "未达到"),
                None => "–",
            }
            .to_string(),
        ]);
    }
    s.push_str(&t.render());
    s.push('\n');
    s.push_str(lang.pick("Not scored:\n", "未参与：\n"));
    for (why, n) in &acc.skipped {
        s.push_str(&format!("  {n:>4}  {why}\n"));
    }
    s
}
