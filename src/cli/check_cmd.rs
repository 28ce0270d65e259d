//! `deepseek-advisor check`: the machine, then every DeepSeek model at its best quant on it, the
//! best comfortable choice first, and what it would take to run the strongest ones that don't fit.

use super::measured::{self, ThisMachine};
use super::table::{key_values, Table};
use super::{json, lang_arg, CheckArgs, CliError};
use crate::catalog::Catalog;
use crate::estimate::best::{add_would_take, best_index, best_per_model, ModelResult};
use crate::estimate::placement::PlacementKind;
use crate::estimate::verdict::speed_range;
use crate::hardware::{HardwareProfile, Machine};
use crate::lang::Lang;
use serde_json::{json, Value};
use std::io::Write;

/// The `hardware` object of `check --json` (DESIGN.md §5).
pub fn hardware_object(p: &HardwareProfile) -> Value {
    let f = crate::number::finite;
    json!({
        "os": p.os,
        "cpu": {
            "brand": p.cpu.brand,
            "physical_cores": p.cpu.physical_cores,
            "logical_cores": p.cpu.logical_cores,
            "isa": p.cpu.isa,
            "mem_bw_gbs": f(p.cpu.mem_bw_gbs),
            "mem_bw_source": p.cpu.mem_bw_source,
        },
        "ram_total_gb": f(p.ram_total_gb),
        "ram_available_gb": f(p.ram_available_gb),
        "gpus": p.gpus.iter().map(|g| json!({
            "vendor": g.vendor.name(),
            "name": g.name,
            "vram_total_gb": f(g.vram_total_gb),
            "vram_free_gb": g.vram_free_gb.map(f),
            "driver": g.driver,
            "unified_memory": g.unified_memory,
            "catalog_id": g.catalog_id,
            "source": g.source,
            "notes": g.notes,
        })).collect::<Vec<_>>(),
        "disk_free_gb": p.disk_free_gb.map(f),
        "notes": p.notes,
        "partial": p.partial,
    })
}

pub(super) fn run(a: &CheckArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let catalog = Catalog::get();
    let lang = lang_arg(&a.lang)?;
    let (profile, machine) = a.hw.resolve(catalog)?;
    if a.context == 0 {
        return Err(CliError::bad_input("--context: must be at least 1 token"));
    }
    if let Some(path) = &a.save_hardware {
        profile
            .save(path)
            .map_err(|e| CliError::bad_input(format!("--save-hardware: {e}")))?;
    }
    let mut results = best_per_model(catalog, &machine, a.runtime.into(), a.context);
    add_would_take(catalog, &machine, &mut results);
    // Measurements saved by `bench --save` on this machine correct its estimates.
    let this = ThisMachine::load(&profile);
    let corrections: Vec<_> = results
        .iter_mut()
        .map(|r| {
            let (f, c) = this.correct(&r.fit, &machine);
            r.fit = f;
            c
        })
        .collect();
    let best = best_index(&results);
    let text = if a.json {
        let object = |i: usize, changes: &[crate::estimate::suggest::Change]| {
            let fit = &results[i].fit;
            let mut v = json::estimate_object(fit, &machine, changes, lang);
            measured::add_to_estimate(&mut v, this.entries(fit), corrections[i].as_ref(), lang);
            v
        };
        let v = json!({
            "hardware": hardware_object(&profile),
            "results": (0..results.len()).map(|i| object(i, &results[i].changes)).collect::<Vec<_>>(),
            "best": best.map(|i| object(i, &[])),
        });
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    } else {
        let mut text = render(&profile, &machine, &results, best, lang);
        text.push_str(&measured::check_note(&this, &corrections, lang));
        text
    };
    out.write_all(text.as_bytes()).map_err(|e| CliError {
        code: super::EXIT_INTERNAL,
        message: format!("cannot write output: {e}"),
    })
}

fn render(
    p: &HardwareProfile,
    m: &Machine,
    results: &[ModelResult],
    best: Option<usize>,
    lang: Lang,
) -> String {
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh).to_string();
    let mut pairs = vec![
        (l("OS", "系统"), p.os.clone()),
        (l("CPU", "CPU"), {
            let mut v = format!(
                "{}{} {} / {} {}",
                if p.cpu.brand.is_empty() {
                    String::new()
                } else {
                    format!("{}, ", p.cpu.brand)
                },
                p.cpu.physical_cores,
                lang.pick("cores", "核"),
                p.cpu.logical_cores,
                lang.pick("threads", "线程"),
            );
            if !p.cpu.isa.is_empty() {
                v.push_str(&format!(", {}", p.cpu.isa.join(" ")));
            }
            v
        }),
        (
            l("Memory bandwidth", "内存带宽"),
            format!("{:.1} GB/s ({})", p.cpu.mem_bw_gbs, p.cpu.mem_bw_source),
        ),
        (
            l("RAM", "内存"),
            format!(
                "{:.1} GB, {:.1} GB {}",
                p.ram_total_gb,
                p.ram_available_gb,
                lang.pick("available", "可用")
            ),
        ),
    ];
    if p.gpus.is_empty() {
        pairs.push((l("GPU", "GPU"), l("none found", "未发现")));
    }
    for g in &p.gpus {
        let mut v = format!("{} — {:.1} GB", g.name, g.vram_total_gb);
        if g.unified_memory {
            v.push_str(lang.pick(" shared", "（共享内存）"));
        }
        v.push_str(&format!(" [{}]", g.source));
        if g.catalog_id.is_none() {
            v.push_str(lang.pick(" (not in catalog)", "（不在目录中）"));
        }
        pairs.push((l("GPU", "GPU"), v));
    }
    if let Some(d) = p.disk_free_gb {
        let on = p
            .disk_path
            .as_deref()
            .map(|path| format!(" {} {path}", lang.pick("on", "位于")))
            .unwrap_or_default();
        pairs.push((l("Free disk", "可用磁盘"), format!("{d:.0} GB{on}")));
    }
    // Detection problems as plain sentences; `--json` keeps the technical notes. Assumptions
    // detection already noted are not repeated.
    for n in &p.notes {
        pairs.push((
            l("Note", "说明"),
            crate::hardware::problem::plain_note(n, lang),
        ));
    }
    for n in m.assumptions.iter().filter(|a| !p.notes.contains(a)) {
        pairs.push((l("Note", "说明"), n.clone()));
    }
    let mut s = key_values(&pairs);
    s.push('\n');
    if let Some(i) = best {
        let f = &results[i].fit;
        s.push_str(&format!(
            "{} {} {} {} {} {}: {}\n\n",
            lang.pick("Best choice:", "推荐："),
            f.model.name,
            f.quant.id,
            lang.pick("on", "使用"),
            f.options.runtime.cli_name(),
            f.verdict.level.label(lang),
            f.verdict.reason(lang)
        ));
        // The measurements behind the best choice (every model's are in `check --json`).
        let near = crate::evidence::nearest::for_estimate(f, m);
        if !near.is_empty() {
            s.push_str(lang.pick("Measured:\n", "实测：\n"));
            for n in &near {
                s.push_str(&format!("  {}\n", n.describe(lang)));
            }
            s.push('\n');
        }
    }
    let mut t = Table::new(&[
        lang.pick("model", "模型"),
        lang.pick("quant", "量化"),
        lang.pick("runtime", "推理框架"),
        lang.pick("verdict", "结论"),
        lang.pick("placement", "放置"),
        "tok/s",
        lang.pick("memory GB", "内存 GB"),
    ])
    .right_align(&[5, 6]);
    for r in results {
        let f = &r.fit;
        let speed = if f.placement.kind == PlacementKind::DoesNotFit {
            lang.pick("none", "无").to_string()
        } else {
            speed_range(f.speed.decode_low, f.speed.decode_high)
        };
        t.row(vec![
            f.model.id.clone(),
            f.quant.id.clone(),
            f.options.runtime.cli_name().to_string(),
            f.verdict.level.label(lang).to_string(),
            f.placement.kind.json_name().to_string(),
            speed,
            format!("{:.1}", f.total_bytes() / 1e9),
        ]);
    }
    s.push_str(&t.render());
    let takes: Vec<&ModelResult> = results.iter().filter(|r| !r.changes.is_empty()).collect();
    if !takes.is_empty() {
        s.push('\n');
        s.push_str(lang.pick("What it would take:\n", "要运行更强的模型：\n"));
        for r in takes {
            let changes: Vec<String> = r.changes.iter().map(|c| c.describe(lang)).collect();
            let need = if r.fit.placement.kind == PlacementKind::DoesNotFit {
                crate::estimate::suggest::shortfall(r.fit.placement.short_by, lang)
            } else {
                lang.pick(
                    "runs only slowly here; usable with",
                    "在本机很慢；可用的条件",
                )
                .to_string()
            };
            s.push_str(&format!(
                "  {} {} {need}: {}\n",
                r.fit.model.name,
                r.fit.quant.id,
                changes.join(lang.pick("; or ", "；或 "))
            ));
        }
    }
    s
}
