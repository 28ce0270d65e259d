//! What a report says, section by section, as format-neutral blocks. Amounts come from the one
//! `cost::plan` result and are formatted by `lang::format_money`, the path `plan` prints with;
//! options, breakdown items and assumptions are walked generically, so new ones appear by
//! themselves.

use super::assumptions::assumptions;
use super::chart::{Chart, Marker, Series};
use super::document::{Block, Cell, Document, Table};
use crate::catalog::Catalog;
use crate::cost::analysis::{curves, sensitivity};
use crate::cost::{OptionKind, Plan};
use crate::deploy::launch_commands;
use crate::estimate::best::{add_would_take, best_index, best_per_model};
use crate::estimate::fit;
use crate::estimate::placement::PlacementKind;
use crate::estimate::verdict::speed_range;
use crate::hardware::Machine;
use crate::lang::{format_amount, format_money, Lang};
use crate::number::finite;
use crate::scenario::Scenario;
use crate::wizard::decision::Exclusion;

/// Where the hardware a report judges came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HardwareOrigin {
    /// The profile saved in the scenario.
    Saved,
    /// The scenario's what-if hardware.
    WhatIf,
    /// The machine the report was made on (the scenario names no hardware).
    Detected,
}

/// Everything a report is made from.
pub struct ReportInputs<'a> {
    pub scenario: &'a Scenario,
    pub plan: &'a Plan,
    /// The hardware to judge, or `None` when none could be built.
    pub machine: Option<&'a Machine>,
    pub origin: HardwareOrigin,
    pub lang: Lang,
    /// `YYYY-MM-DD`.
    pub generated_on: String,
}

/// Line colours per option (the app's Costs tab uses the same) and their names for the legend.
pub fn option_color(k: OptionKind) -> ([u8; 3], &'static str, &'static str) {
    match k {
        OptionKind::Api => ([66, 133, 244], "blue", "蓝"),
        OptionKind::CloudGpu => ([240, 170, 0], "yellow", "黄"),
        OptionKind::LocalServer => ([52, 168, 83], "green", "绿"),
        OptionKind::LocalCluster => ([234, 67, 53], "red", "红"),
    }
}

/// The report of a scenario.
pub fn document(r: &ReportInputs) -> Document {
    let lang = r.lang;
    // The answer first (hardware verdict, recommendation, charts), the evidence after it.
    let (verdict_summary, verdict_details) = verdict(r);
    let mut blocks = header(r);
    blocks.push(Block::Heading(lang.pick("Summary", "摘要").into()));
    blocks.extend(verdict_summary);
    blocks.push(recommendation_callout(r));
    blocks.extend(charts(r));
    blocks.extend(recommendation(r));
    blocks.extend(option_costs(r));
    blocks.extend(verdict_details);
    blocks.extend(what_flips(r));
    blocks.extend(assumption_table(r));
    blocks.extend(launch(r));
    Document {
        title: format!(
            "{} — {}",
            r.scenario.name,
            lang.pick("DeepSeek Advisor report", "DeepSeek 部署顾问报告")
        ),
        lang_tag: lang.pick("en", "zh-CN"),
        blocks,
    }
}

fn header(r: &ReportInputs) -> Vec<Block> {
    let lang = r.lang;
    let c = Catalog::get();
    let mut out = Vec::new();
    if !r.scenario.notes.trim().is_empty() {
        out.push(Block::Paragraph(r.scenario.notes.trim().to_string()));
    }
    let undated = lang.pick("undated", "无日期");
    // The prices this answer used, not merely the newest in the catalog.
    let prices_as_of = r.plan.prices_as_of.map(|d| d.to_string());
    out.push(Block::Paragraph(format!(
        "{} deepseek-advisor {} · {} {} · {} {} · {} {}",
        lang.pick("Made with", "生成工具"),
        crate::about::VERSION,
        lang.pick("on", "日期"),
        r.generated_on,
        lang.pick("prices as of", "价格截至"),
        prices_as_of
            .as_deref()
            .or(crate::about::prices_as_of(c))
            .unwrap_or(undated),
        lang.pick("newest model in the catalog", "目录中最新模型发布于"),
        crate::about::models_as_of(c).unwrap_or(undated),
    )));
    out
}

/// The hardware and its best choice (for the summary), and every model's best quant on it.
fn verdict(r: &ReportInputs) -> (Vec<Block>, Vec<Block>) {
    let lang = r.lang;
    let mut out = Vec::new();
    let Some(machine) = r.machine else {
        out.push(Block::Paragraph(
            lang.pick(
                "The scenario's hardware could not be built, so there is no verdict.",
                "无法从方案中得到硬件配置，因此没有结论。",
            )
            .into(),
        ));
        return (out, Vec::new());
    };
    let origin = match r.origin {
        HardwareOrigin::Saved => lang.pick("Hardware saved in the scenario", "方案中保存的硬件"),
        HardwareOrigin::WhatIf => lang.pick("The scenario's what-if hardware", "方案中的假设硬件"),
        HardwareOrigin::Detected => lang.pick(
            "The machine this report was made on (the scenario names no hardware)",
            "生成本报告的机器（方案未指定硬件）",
        ),
    };
    let sel = &r.scenario.selection;
    out.push(Block::Paragraph(format!(
        "{origin}: {}, {} {:.1} GB/s, {} {} · {} {}, {} {} tokens",
        machine.describe(),
        lang.pick("CPU memory bandwidth", "CPU 内存带宽"),
        machine.cpu_mem_bw_gbs,
        machine.cpu_cores,
        lang.pick("cores", "核"),
        lang.pick("runtime", "推理框架"),
        sel.runtime.cli_name(),
        lang.pick("context", "上下文"),
        sel.context
    )));
    let catalog = Catalog::get();
    let mut results = best_per_model(catalog, machine, sel.runtime_choice(), sel.context);
    add_would_take(catalog, machine, &mut results);
    out.push(Block::Callout(match best_index(&results) {
        Some(i) => {
            let f = &results[i].fit;
            format!(
                "{} {} {} — {}: {}",
                lang.pick("Best choice:", "最佳选择："),
                f.model.name,
                f.quant.id,
                f.verdict.level.label(lang),
                f.verdict.reason(lang)
            )
        }
        None => lang
            .pick(
                "No DeepSeek model fits this hardware.",
                "本硬件放不下任何 DeepSeek 模型。",
            )
            .into(),
    }));
    let mut details = vec![Block::Heading(
        lang.pick(
            "Every DeepSeek model on this hardware",
            "本硬件上的各 DeepSeek 模型",
        )
        .into(),
    )];
    let mut t = Table::new(
        &[
            lang.pick("model", "模型"),
            lang.pick("quant", "量化"),
            lang.pick("verdict", "结论"),
            lang.pick("placement", "放置"),
            "tokens/s",
            lang.pick("memory GB", "内存 GB"),
        ],
        &[4, 5],
    );
    for m in &results {
        let f = &m.fit;
        let speed = if f.placement.kind == PlacementKind::DoesNotFit {
            lang.pick("none", "无").to_string()
        } else {
            speed_range(f.speed.decode_low, f.speed.decode_high)
        };
        t.row(
            Some(&f.model.id),
            vec![
                Cell::text(&f.model.name),
                Cell::text(&f.quant.id),
                Cell::text(f.verdict.level.label(lang)),
                Cell::text(f.placement.kind.json_name()),
                Cell::text(speed),
                Cell::text(format!("{:.1}", f.total_bytes() / 1e9)),
            ],
        );
    }
    details.push(Block::Table(t));
    let takes: Vec<String> = results
        .iter()
        .filter(|m| !m.changes.is_empty())
        .map(|m| {
            let changes: Vec<String> = m.changes.iter().map(|c| c.describe(lang)).collect();
            format!(
                "{} {} {}: {}",
                m.fit.model.name,
                m.fit.quant.id,
                crate::estimate::suggest::shortfall(m.fit.placement.short_by, lang),
                changes.join(lang.pick("; or ", "；或 "))
            )
        })
        .collect();
    if !takes.is_empty() {
        details.push(Block::Paragraph(
            lang.pick(
                "What it would take to run stronger models:",
                "要运行更强的模型：",
            )
            .into(),
        ));
        details.push(Block::Bullets(takes));
    }
    if !machine.assumptions.is_empty() {
        details.push(Block::Paragraph(lang.pick("Assumed:", "假设：").into()));
        details.push(Block::Bullets(machine.assumptions.clone()));
    }
    (out, details)
}

/// The recommended option with its monthly and horizon cost.
fn recommendation_callout(r: &ReportInputs) -> Block {
    let lang = r.lang;
    let w = &r.scenario.costs.workload;
    let cur = r.scenario.costs.currency;
    let best = r
        .plan
        .recommended
        .and_then(|k| r.plan.options.iter().find(|o| o.kind == k));
    Block::Callout(match best {
        Some(o) => {
            let (m, h) = (
                format_money(lang, finite(o.monthly), cur),
                format_money(lang, finite(o.horizon), cur),
            );
            let years = w.horizon_years;
            let label = o.kind.label(lang);
            let hardware = match (o.servers, lang) {
                (0, _) => String::new(),
                (n, Lang::En) => format!(" ({n} servers, {} GPUs)", o.gpus),
                (n, Lang::Zh) => format!("（{n} 台服务器，{} 张 GPU）", o.gpus),
            };
            match lang {
                Lang::En => {
                    format!(
                        "Recommended: {label} — {m} per month, {h} over {years} years{hardware}"
                    )
                }
                Lang::Zh => format!("推荐部署：{label} — 每月 {m}，{years} 年共 {h}{hardware}"),
            }
        }
        None => lang
            .pick(
                "No option satisfies the constraints.",
                "没有满足约束条件的方案。",
            )
            .into(),
    })
}

/// The workload, the self-hosted setup and the reasons behind the recommendation.
fn recommendation(r: &ReportInputs) -> Vec<Block> {
    let lang = r.lang;
    let w = &r.scenario.costs.workload;
    let d = &r.scenario.costs.deployment;
    let mut out = vec![Block::Heading(
        lang.pick("Why this deployment", "为何推荐此部署方式")
            .into(),
    )];
    out.push(Block::Paragraph(format!(
        "{}: {} {} × ({} {} + {} {}) · {}: {} {} {} {}× {} ({})",
        lang.pick("Workload", "负载"),
        format_amount(lang, w.requests_per_day),
        lang.pick("requests/day", "次请求/天"),
        w.input_tokens,
        lang.pick("input", "输入"),
        w.output_tokens,
        lang.pick("output tokens", "输出 token"),
        lang.pick("self-hosted as", "自建配置"),
        d.model,
        d.quant,
        lang.pick("on", "部署于"),
        d.gpus_per_server,
        d.gpu,
        d.runtime.cli_name()
    )));
    out.push(Block::Paragraph(lang.pick("Why:", "原因：").into()));
    out.push(Block::Bullets(r.plan.reasons_in(&r.scenario.costs, lang)));
    out
}

fn option_costs(r: &ReportInputs) -> Vec<Block> {
    let lang = r.lang;
    let cur = r.scenario.costs.currency;
    let mut out = vec![Block::Heading(
        lang.pick("Cost of every option", "各方案成本").into(),
    )];
    let mut t = Table::new(
        &[
            lang.pick("option", "方案"),
            lang.pick("per month", "每月"),
            lang.pick("over the horizon", "周期总计"),
            lang.pick("servers", "服务器"),
            "GPUs",
        ],
        &[1, 2, 3, 4],
    );
    for o in &r.plan.options {
        let (monthly, horizon) = if o.feasible {
            (
                Cell::number(
                    format_money(lang, finite(o.monthly), cur),
                    "monthly_cost",
                    o.monthly,
                ),
                Cell::number(
                    format_money(lang, finite(o.horizon), cur),
                    "horizon_cost",
                    o.horizon,
                ),
            )
        } else {
            (
                Cell::text(lang.pick("ruled out", "已排除")),
                Cell::text(Exclusion::of(&r.scenario.costs, r.plan, o).map_or_else(
                    || {
                        lang.pick("cannot serve this volume", "无法承载该请求量")
                            .into()
                    },
                    |e| e.reason(&r.scenario.costs, lang),
                )),
            )
        };
        let name = if Some(o.kind) == r.plan.recommended {
            format!("{} ✓", o.kind.label(lang))
        } else {
            o.kind.label(lang).to_string()
        };
        t.row(
            Some(o.kind.json_name()),
            vec![
                Cell::text(name),
                monthly,
                horizon,
                Cell::number(o.servers.to_string(), "servers", f64::from(o.servers)),
                Cell::number(o.gpus.to_string(), "gpus", f64::from(o.gpus)),
            ],
        );
    }
    out.push(Block::Table(t));
    let mut items = Table::new(
        &[
            lang.pick("option", "方案"),
            lang.pick("monthly item", "每月明细"),
            lang.pick("per month", "每月"),
        ],
        &[2],
    );
    for o in r.plan.options.iter().filter(|o| o.feasible) {
        for (item, v) in &o.breakdown {
            items.row(
                Some(&format!("{}:{item}", o.kind.json_name())),
                vec![
                    Cell::text(o.kind.label(lang)),
                    Cell::text(crate::cost::labels::label(item, lang)),
                    Cell::number(format_money(lang, finite(*v), cur), "monthly", *v),
                ],
            );
        }
    }
    out.push(Block::Table(items));
    let bes: Vec<String> = r
        .plan
        .break_evens
        .iter()
        .map(|b| {
            format!(
                "{} = {} {} {} {} ({} {}){}",
                b.a.label(lang),
                b.b.label(lang),
                lang.pick("at", "于"),
                format_amount(lang, b.requests_per_day),
                lang.pick("requests/day", "次请求/天"),
                format_money(lang, finite(b.monthly), cur),
                lang.pick("per month", "每月"),
                if b.at_capacity_step {
                    lang.pick(
                        ", where one more server makes the cost jump",
                        "，恰在需要增加服务器的跳变处",
                    )
                } else {
                    ""
                }
            )
        })
        .collect();
    if !bes.is_empty() {
        out.push(Block::Paragraph(
            lang.pick("Break-even volumes:", "盈亏平衡点：").into(),
        ));
        out.push(Block::Bullets(bes));
    }
    out
}

fn series_legend(kinds: &[OptionKind], lang: Lang) -> Vec<String> {
    kinds
        .iter()
        .map(|k| {
            let (_, en, zh) = option_color(*k);
            lang.pick(en, zh).to_string()
        })
        .collect()
}

fn charts(r: &ReportInputs) -> Vec<Block> {
    let lang = r.lang;
    let inputs = &r.scenario.costs;
    let cur = crate::lang::currency_code(inputs.currency);
    let mut out = vec![Block::Heading(lang.pick("Cost curves", "成本曲线").into())];
    let series: Vec<(OptionKind, Vec<[f64; 2]>)> = curves(inputs, &r.plan.rates, &r.plan.capacity)
        .into_iter()
        .filter(|(_, pts)| !pts.is_empty())
        .collect();
    let kinds: Vec<OptionKind> = series.iter().map(|s| s.0).collect();
    let markers = r
        .plan
        .break_evens
        .iter()
        .filter(|b| !b.at_capacity_step)
        .map(|b| Marker {
            at: [b.requests_per_day, b.monthly],
            label: format_amount(lang, b.requests_per_day),
        })
        .collect();
    let curve_chart = Chart::new(
        "cost-curves",
        lang.pick(
            "Monthly cost against requests per day (log scales; dots: break-even)",
            "每月成本与日请求量（对数刻度；圆点为盈亏平衡点）",
        )
        .into(),
        (lang.pick("requests/day", "每日请求数").into(), true),
        (format!("{cur} / {}", lang.pick("month", "月")), true),
        series
            .into_iter()
            .map(|(k, points)| Series {
                label: k.label(lang).into(),
                color: option_color(k).0,
                points,
            })
            .collect(),
        markers,
    );
    out.push(Block::Paragraph(curve_chart.title.clone()));
    out.push(Block::Chart(curve_chart, series_legend(&kinds, lang)));
    let months = (inputs.workload.horizon_years * 12.0).round().max(1.0) as u32;
    let feasible: Vec<_> = r.plan.options.iter().filter(|o| o.feasible).collect();
    let cumulative = Chart::new(
        "cumulative-cost",
        format!(
            "{} {} {}",
            lang.pick("Cumulative cost at", "累计成本：每日"),
            format_amount(lang, inputs.workload.requests_per_day),
            lang.pick("requests/day", "次请求")
        ),
        (lang.pick("month", "月").into(), false),
        (cur.to_string(), false),
        feasible
            .iter()
            .map(|o| Series {
                label: o.kind.label(lang).into(),
                color: option_color(o.kind).0,
                points: (0..=months)
                    .map(|m| [f64::from(m), o.monthly * f64::from(m)])
                    .collect(),
            })
            .collect(),
        Vec::new(),
    );
    let kinds: Vec<OptionKind> = feasible.iter().map(|o| o.kind).collect();
    out.push(Block::Paragraph(cumulative.title.clone()));
    out.push(Block::Chart(cumulative, series_legend(&kinds, lang)));
    out
}

fn what_flips(r: &ReportInputs) -> Vec<Block> {
    let lang = r.lang;
    let mut t = Table::new(
        &[
            lang.pick("assumption", "假设"),
            "−30%",
            "+30%",
            lang.pick("changes the recommendation", "是否改变推荐"),
        ],
        &[],
    );
    let name = |k: Option<OptionKind>| k.map_or(lang.pick("none", "无"), |k| k.label(lang));
    for s in sensitivity(&r.scenario.costs, &r.plan.rates, 0.3) {
        t.row(
            None,
            vec![
                Cell::text(crate::cost::labels::label(s.assumption, lang)),
                Cell::text(name(s.low)),
                Cell::text(name(s.high)),
                Cell::text(if s.flips {
                    lang.pick("yes", "是")
                } else {
                    lang.pick("no", "否")
                }),
            ],
        );
    }
    vec![
        Block::Heading(
            lang.pick(
                "What changes the recommendation (±30%)",
                "哪些假设变化 ±30% 会改变推荐",
            )
            .into(),
        ),
        Block::Table(t),
    ]
}

/// A plain number: thousands separated from 1,000, else up to three decimals.
pub(super) fn plain(lang: Lang, v: f64) -> String {
    if v.abs() >= 1000.0 {
        return format_amount(lang, v);
    }
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn assumption_table(r: &ReportInputs) -> Vec<Block> {
    let lang = r.lang;
    let mut t = Table::new(
        &[
            lang.pick("assumption", "假设"),
            lang.pick("value", "取值"),
            lang.pick("source", "来源"),
            lang.pick("date", "日期"),
            lang.pick("confidence", "可信度"),
        ],
        &[1],
    );
    for a in assumptions(&r.scenario.costs, &r.plan.rates, lang) {
        t.row(
            Some(a.field),
            vec![
                Cell::text(a.label),
                Cell::text(plain(lang, a.value)),
                Cell::text(a.source),
                Cell::text(a.date),
                Cell::text(a.sureness),
            ],
        );
    }
    vec![
        Block::Heading(
            lang.pick("Assumptions and their sources", "假设及其来源")
                .into(),
        ),
        Block::Table(t),
    ]
}

fn launch(r: &ReportInputs) -> Vec<Block> {
    let lang = r.lang;
    let mut out = vec![Block::Heading(
        lang.pick("Launch commands", "启动命令").into(),
    )];
    let catalog = Catalog::get();
    let sel = &r.scenario.selection;
    let Some(machine) = r.machine else {
        return Vec::new();
    };
    // The model chosen in the scenario, else the best choice on this hardware.
    let chosen = match (&sel.model, &sel.quant) {
        (Some(m), Some(q)) => catalog.model(m).ok().zip(catalog.quant(q).ok()),
        _ => None,
    };
    let chosen = chosen.or_else(|| {
        let results = best_per_model(catalog, machine, sel.runtime_choice(), sel.context);
        best_index(&results).map(|i| (results[i].fit.model, results[i].fit.quant))
    });
    let Some((model, quant)) = chosen else {
        out.push(Block::Paragraph(
            lang.pick(
                "No model to launch on this hardware.",
                "本硬件上没有可启动的模型。",
            )
            .into(),
        ));
        return out;
    };
    match fit(
        model,
        quant,
        machine,
        sel.fit_options(model, quant, machine),
    ) {
        Ok(f) => {
            out.push(Block::Paragraph(format!(
                "{} {} — {}: {}",
                model.name,
                quant.id,
                f.verdict.level.label(lang),
                f.verdict.reason(lang)
            )));
            let commands = launch_commands(&f);
            if commands.is_empty() {
                out.push(Block::Paragraph(
                    lang.pick(
                        "No launch command for this runtime and placement.",
                        "该推理框架与放置方式没有可用的启动命令。",
                    )
                    .into(),
                ));
            } else {
                out.push(Block::Code(commands));
            }
        }
        Err(e) => out.push(Block::Paragraph(format!(
            "{} {}: {e}",
            model.name, quant.id
        ))),
    }
    out
}
