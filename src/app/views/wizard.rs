//! Wizard tab: five steps with Back / Next — volume and tokens, data sensitivity, quality, budget
//! and staff, latency — then the recommendation, the path through the seeds' rule of thumb, and the
//! alternatives with their costs.

use crate::app::state::Command;
use crate::app::AdvisorApp;
use crate::catalog::schema::Runtime;
use crate::catalog::Catalog;
use crate::cost::inputs::Deployment;
use crate::lang::format_amount;
use eframe::egui;

pub const STEPS: usize = 5;

/// Quality tiers offered, each with the deployment it implies.
pub struct QualityTier {
    pub label_en: &'static str,
    pub label_zh: &'static str,
    pub deployment: fn() -> Deployment,
}

pub const TIERS: [QualityTier; 3] = [
    QualityTier {
        label_en: "Full DeepSeek-R1-0528 (671B MoE) on 8× H200, FP8",
        label_zh: "满血 DeepSeek-R1-0528（671B MoE），8× H200，FP8",
        deployment: || Deployment {
            model: "deepseek-r1-0528".into(),
            quant: "FP8".into(),
            runtime: Runtime::Sglang,
            gpu: "h200-sxm".into(),
            gpus_per_server: 8,
        },
    },
    QualityTier {
        label_en: "R1-Distill-Qwen-32B on one A100 80GB, AWQ 4-bit",
        label_zh: "R1-Distill-Qwen-32B，单张 A100 80GB，AWQ 4 位",
        deployment: || Deployment {
            model: "deepseek-r1-distill-qwen-32b".into(),
            quant: "AWQ".into(),
            runtime: Runtime::Vllm,
            gpu: "a100-80gb-sxm".into(),
            gpus_per_server: 1,
        },
    },
    QualityTier {
        label_en: "R1-Distill-Qwen-14B on one RTX 4090, Q4_K_M",
        label_zh: "R1-Distill-Qwen-14B，单张 RTX 4090，Q4_K_M",
        deployment: || Deployment {
            model: "deepseek-r1-distill-qwen-14b".into(),
            quant: "Q4_K_M".into(),
            runtime: Runtime::LlamaCpp,
            gpu: "rtx-4090".into(),
            gpus_per_server: 1,
        },
    },
];

fn scores(model: &str) -> String {
    let Ok(m) = Catalog::get().model(model) else {
        return String::new();
    };
    let find = |name: &str| {
        m.quality
            .iter()
            .find(|q| q.benchmark.starts_with(name))
            .map(|q| q.value)
    };
    match (find("AIME 2024"), find("GPQA Diamond")) {
        (Some(a), Some(g)) => format!("AIME 2024 {a} · GPQA Diamond {g}"),
        _ => String::new(),
    }
}

fn labelled(ui: &mut egui::Ui, label: &str, value: &mut f64, max: f64) -> bool {
    let speed = (*value * 0.02).max(1.0);
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(egui::DragValue::new(value).range(0.0..=max).speed(speed))
            .labelled_by(l.id)
            .changed()
    })
    .inner
}

pub fn show(ui: &mut egui::Ui, app: &mut AdvisorApp, cmds: &mut Vec<Command>) {
    let lang = app.lang;
    let step = app.wizard_step.min(STEPS);
    let mut changed = false;
    if step < STEPS {
        ui.label(format!(
            "{} {} / {STEPS}",
            lang.pick("Step", "步骤"),
            step + 1
        ));
    }
    let c = &mut app.scenario.costs;
    match step {
        0 => {
            ui.heading(lang.pick("How much will you use it?", "使用量有多大？"));
            let w = &mut c.workload;
            changed |= labelled(
                ui,
                lang.pick("Requests per day", "每日请求数"),
                &mut w.requests_per_day,
                1e9,
            );
            changed |= labelled(
                ui,
                lang.pick("Input tokens per request", "每次请求输入 token"),
                &mut w.input_tokens,
                1e6,
            );
            changed |= labelled(
                ui,
                lang.pick(
                    "Output tokens per request (reasoning included)",
                    "每次请求输出 token（含思考过程）",
                ),
                &mut w.output_tokens,
                1e6,
            );
            ui.small(lang.pick(
                "Reasoning models write long chains of thought: R1 was evaluated with up to 32,768 generated tokens.",
                "推理模型会写很长的思考过程：R1 评测时最多生成 32,768 个 token。",
            ));
        }
        1 => {
            ui.heading(lang.pick("Where may the data go?", "数据可以出本地吗？"));
            changed |= ui
                .checkbox(
                    &mut c.constraints.regulated,
                    lang.pick(
                        "Regulated data: must stay on-premises",
                        "受监管数据：必须留在本地",
                    ),
                )
                .changed();
        }
        2 => {
            ui.heading(lang.pick("What quality do you need?", "需要什么样的质量？"));
            for tier in &TIERS {
                let d = (tier.deployment)();
                let selected = c.deployment.model == d.model && c.deployment.gpu == d.gpu;
                let label = format!(
                    "{} — {}",
                    lang.pick(tier.label_en, tier.label_zh),
                    scores(&d.model)
                );
                if ui.radio(selected, label).clicked() && !selected {
                    c.deployment = d;
                    c.prices.gpu_price = None;
                    c.prices.cloud_gpu_hour = None;
                    changed = true;
                }
            }
        }
        3 => {
            ui.heading(lang.pick("Budget and people", "预算与人员"));
            changed |= labelled(
                ui,
                lang.pick(
                    "Budget over the horizon (0 = none)",
                    "周期内预算（0 表示不限）",
                ),
                &mut c.constraints.budget,
                1e12,
            );
            changed |= ui
                .checkbox(
                    &mut c.constraints.has_ops_staff,
                    lang.pick("We have staff to run servers", "有人员运维服务器"),
                )
                .changed();
        }
        4 => {
            ui.heading(lang.pick("How fast must answers stream?", "回答需要多快？"));
            changed |= labelled(
                ui,
                lang.pick("Minimum tokens/s per user", "每个用户最低 token/s"),
                &mut c.workload.min_user_tok_s,
                1000.0,
            );
        }
        _ => result(ui, app),
    }
    if changed {
        cmds.push(Command::Edited);
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if step > 0 && ui.button(lang.pick("Back", "上一步")).clicked() {
            app.wizard_step = step - 1;
        }
        if step < STEPS && ui.button(lang.pick("Next", "下一步")).clicked() {
            app.wizard_step = step + 1;
        }
    });
}

fn result(ui: &mut egui::Ui, app: &mut AdvisorApp) {
    let lang = app.lang;
    let plan = app.plan();
    let c = &app.scenario.costs;
    let sym = super::costs::currency_symbol(c.currency);
    ui.heading(match plan.recommended {
        Some(k) => format!("{} {}", lang.pick("Recommended:", "推荐："), k.label(lang)),
        None => lang
            .pick("No option fits the constraints", "没有满足条件的方案")
            .to_string(),
    });
    ui.label(format!(
        "{}: {} {} · {}× {} · {}",
        lang.pick("Self-hosting means", "自建意味着"),
        c.deployment.model,
        c.deployment.quant,
        c.deployment.gpus_per_server,
        c.deployment.gpu,
        c.deployment.runtime.cli_name()
    ));
    ui.strong(lang.pick("Why", "理由"));
    for r in &plan.reasons {
        ui.label(format!("• {r}"));
    }
    ui.strong(lang.pick("Alternatives", "其他方案"));
    egui::Grid::new("wizard-alternatives")
        .striped(true)
        .show(ui, |ui| {
            for o in &plan.options {
                ui.label(o.kind.label(lang));
                if o.feasible {
                    ui.label(format!(
                        "{sym}{} / {}",
                        format_amount(lang, o.monthly),
                        lang.pick("month", "月")
                    ));
                    ui.label(format!(
                        "{sym}{} {}",
                        format_amount(lang, o.horizon),
                        lang.pick("in total", "总计")
                    ));
                } else {
                    ui.label(lang.pick("cannot serve this volume", "无法承载该请求量"));
                    ui.label("");
                }
                ui.end_row();
            }
        });
}
