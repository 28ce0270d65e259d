//! Wizard tab: presets, the decision tree, then the current step's form (or the result card)
//! beside a live cost-against-volume chart and one sentence on where the answer flips.
//! Keyboard: the first field of a step takes the focus when the step opens, Tab / Shift+Tab move
//! through the fields, Enter goes to the next step (Enter on a focused button presses it), Escape
//! goes back — neither while a menu, popup or dialog is open.

use super::{costs, decision_tree};
use crate::app::state::{Command, Tab};
use crate::app::AdvisorApp;
use crate::catalog::Catalog;
use crate::cost::options::OptionKind;
use crate::cost::tier::TIERS;
use crate::cost::traffic::PeakPreset;
use crate::lang::{format_amount, format_with_symbol, Lang};
use crate::wizard::presets::PRESETS;
use crate::wizard::steps::{percent, FieldValue, Step, RESULT};
use crate::wizard::tiers::{self, deployment_name};
use crate::wizard::Decision;
use eframe::egui::{self, Id, Key, Modifiers, RichText};

/// Enter / Escape as read before any widget uses them this frame.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyIntent {
    next: bool,
    back: bool,
}

/// Ids of the current step's widgets, kept in egui's temporary data between frames.
#[derive(Debug, Clone, Default)]
struct StepWidgets {
    /// The page they belong to.
    page: Option<usize>,
    /// The widget that takes the focus when the page opens.
    first: Option<Id>,
    /// Every field (Enter there means Next).
    fields: Vec<Id>,
    /// Checkboxes and radio buttons, which egui would toggle on Enter.
    toggles: Vec<Id>,
}

fn widgets_id() -> Id {
    Id::unique("wizard-step-widgets")
}

fn focused_page_id() -> Id {
    Id::unique("wizard-focused-page")
}

/// Reads Enter and Escape for the wizard at the start of a frame, before a closing popup or a
/// toggled checkbox has used them.
pub fn read_keys(ctx: &egui::Context, app: &AdvisorApp) -> KeyIntent {
    let dialog_open = app.pending.is_some() || app.error.is_some() || app.recovered.is_some();
    if app.tab != Tab::Wizard || dialog_open || egui::Popup::is_any_open(ctx) {
        return KeyIntent::default();
    }
    let back = ctx.input(|i| i.key_pressed(Key::Escape));
    let mut next = false;
    if ctx.input(|i| i.key_pressed(Key::Enter) && i.modifiers.is_none()) {
        let widgets: StepWidgets = ctx.data(|d| d.get_temp(widgets_id())).unwrap_or_default();
        match ctx.memory(|m| m.focused()) {
            None => next = true,
            Some(id) if widgets.toggles.contains(&id) => {
                // Enter means Next here, not "toggle".
                ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
                next = true;
            }
            Some(id) => next = widgets.fields.contains(&id),
        }
    }
    KeyIntent { next, back }
}

pub fn show(ui: &mut egui::Ui, app: &mut AdvisorApp, cmds: &mut Vec<Command>) {
    let keys = std::mem::take(&mut app.wizard_keys);
    let lang = app.lang;
    let before = app.wizard_step;
    egui::ScrollArea::vertical()
        .id_salt("wizard")
        .show(ui, |ui| {
            presets(ui, app, cmds);
            // The tree shows the answers as they are now (a preset just clicked included).
            let d = app.decision();
            if let Some(page) = decision_tree::show(ui, app, &d) {
                app.wizard_step = page;
            }
            decision_tree::legend(ui, &d, lang);
            ui.separator();
            let mut page = |ui: &mut egui::Ui| match Step::at(app.wizard_step) {
                Some(step) => step_form(ui, app, step, &d, cmds),
                None => result_card(ui, app, &d, cmds),
            };
            if ui.available_width() >= 760.0 {
                // Columns lay out justified by default; text reads better ragged.
                let left = egui::Layout::top_down(egui::Align::LEFT);
                ui.columns(2, |cols| {
                    cols[0].with_layout(left, |ui| page(ui));
                    cols[1].with_layout(left, |ui| live(ui, &d, lang));
                });
            } else {
                page(ui);
                ui.add_space(8.0);
                live(ui, &d, lang);
            }
        });
    let step = app.wizard_step.min(RESULT);
    if keys.next && step < RESULT {
        app.wizard_step = step + 1;
    }
    if keys.back && step > 0 {
        app.wizard_step = step - 1;
    }
    if app.wizard_step != before {
        ui.ctx().request_repaint();
    }
}

fn presets(ui: &mut egui::Ui, app: &mut AdvisorApp, cmds: &mut Vec<Command>) {
    let lang = app.lang;
    let mut applied = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(lang.pick("Start from a common case:", "从常见情形开始："));
        for p in &PRESETS {
            let selected = p.is_applied(&app.scenario.costs);
            if selected {
                applied = Some(p);
            }
            let r = ui
                .selectable_label(selected, p.name(lang))
                .on_hover_text(p.source(lang));
            if r.clicked() && !selected {
                p.apply(&mut app.scenario.costs);
                applied = Some(p);
                cmds.push(Command::Edited);
            }
        }
    });
    if let Some(p) = applied {
        ui.label(
            RichText::new(format!(
                "{}{}",
                lang.pick("Where these numbers come from: ", "这些数字的来源："),
                p.source(lang)
            ))
            .small()
            .weak(),
        );
    }
}

/// The chart beside the steps and the sentence on the nearest flip.
fn live(ui: &mut egui::Ui, d: &Decision, lang: Lang) {
    ui.strong(match lang {
        Lang::En => format!(
            "Monthly cost ({}) against requests per day, log scales",
            crate::lang::currency_symbol(d.inputs.currency)
        ),
        Lang::Zh => format!(
            "每月成本（{}）与每日请求数，对数刻度",
            crate::lang::currency_symbol(d.inputs.currency)
        ),
    });
    costs::curves_plot(ui, "wizard-curves", d, lang, 210.0, false);
    ui.label(RichText::new(d.sentence(lang)).strong());
}

fn number(ui: &mut egui::Ui, label: &str, value: &mut f64, min: f64, max: f64) -> egui::Response {
    let speed = (*value * 0.02).max(0.1);
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(egui::DragValue::new(value).range(min..=max).speed(speed))
            .labelled_by(l.id)
    })
    .inner
}

fn step_form(
    ui: &mut egui::Ui,
    app: &mut AdvisorApp,
    step: Step,
    d: &Decision,
    cmds: &mut Vec<Command>,
) {
    let lang = app.lang;
    let page = step.index();
    ui.label(format!(
        "{} {} / {}",
        lang.pick("Step", "步骤"),
        page + 1,
        Step::ALL.len()
    ));
    ui.heading(step.question(lang));
    ui.label(RichText::new(step.why(lang)).italics());
    ui.add_space(4.0);
    // The first field takes the focus one frame after the page opens (its id is known by then),
    // before it is drawn, so a number field opens for typing with its text selected.
    let focused = ui.data(|d| d.get_temp::<usize>(focused_page_id())) == Some(page);
    let last: StepWidgets = ui.data(|d| d.get_temp(widgets_id())).unwrap_or_default();
    if !focused {
        if let (Some(id), Some(p)) = (last.first, last.page) {
            if p == page {
                ui.memory_mut(|m| m.request_focus(id));
                ui.data_mut(|d| d.insert_temp(focused_page_id(), page));
            }
        }
        ui.ctx().request_repaint();
    }
    let mut widgets = StepWidgets {
        page: Some(page),
        ..StepWidgets::default()
    };
    let mut changed = false;
    let mut first: Option<Id> = None;
    for field in step.fields() {
        let source = field.default_source(&app.scenario.costs, lang);
        let label = field.label(lang);
        match field.value_mut(&mut app.scenario.costs) {
            FieldValue::Number { value, min, max } => {
                let r = number(ui, label, value, min, max);
                widgets.fields.push(r.id);
                changed |= r.changed();
                first.get_or_insert(r.id);
            }
            FieldValue::Flag(flag) => {
                let r = ui.checkbox(flag, label);
                widgets.fields.push(r.id);
                widgets.toggles.push(r.id);
                changed |= r.changed();
                first.get_or_insert(r.id);
            }
            FieldValue::PeakShare(share) => {
                let current = PeakPreset::matching(*share);
                for p in PeakPreset::ALL {
                    let selected = current == Some(p);
                    let text = format!("{} — {}", p.label(lang), percent(p.peak_share()));
                    let r = ui.radio(selected, text);
                    widgets.fields.push(r.id);
                    widgets.toggles.push(r.id);
                    if r.clicked() && !selected {
                        *share = p.peak_share();
                        changed = true;
                    }
                    if selected || first.is_none() {
                        first = Some(r.id);
                    }
                }
                // Any other share, typed as a percentage.
                let mut pct = *share * 100.0;
                let r = ui
                    .horizontal(|ui| {
                        let l = ui.label(label);
                        ui.add(
                            egui::DragValue::new(&mut pct)
                                .range(0.0..=100.0)
                                .max_decimals(1)
                                .suffix(" %")
                                .speed(0.5),
                        )
                        .labelled_by(l.id)
                    })
                    .inner;
                widgets.fields.push(r.id);
                if r.changed() {
                    *share = pct / 100.0;
                    changed = true;
                }
                ui.label(RichText::new(crate::cost::traffic::peak_rule(lang)).small());
            }
            FieldValue::Tier(inputs) => {
                for tier in &TIERS {
                    let selected = tiers::is_chosen(tier, inputs);
                    let r = ui.radio(selected, tier.label(lang));
                    widgets.fields.push(r.id);
                    widgets.toggles.push(r.id);
                    if r.clicked() && !selected {
                        tiers::choose(tier, inputs);
                        changed = true;
                    }
                    if selected || first.is_none() {
                        first = Some(r.id);
                    }
                    let scores =
                        tiers::scores_line(&tiers::comparison(tier, inputs, &d.prices), lang);
                    if !scores.is_empty() {
                        ui.indent(tier.label_en, |ui| {
                            ui.label(RichText::new(scores).small());
                        });
                    }
                }
                if tiers::chosen(inputs).is_none() {
                    let name = deployment_name(&inputs.deployment);
                    let api = tiers::endpoint(inputs);
                    ui.label(match lang {
                        Lang::En => format!(
                            "The scenario's own setup: {name} against the {api} API — a tier replaces it."
                        ),
                        Lang::Zh => format!(
                            "方案文件自带的配置：{name}，对比 {api} API——选择档位会替换它。"
                        ),
                    });
                }
            }
        }
        ui.label(RichText::new(source).small().weak());
        ui.add_space(2.0);
    }
    if step == Step::Traffic {
        traffic_notes(ui, d, lang);
    }
    widgets.first = first;
    ui.data_mut(|d| d.insert_temp(widgets_id(), widgets));
    if changed {
        cmds.push(Command::Edited);
    }
    ui.add_space(8.0);
    nav(ui, app);
}

/// Under the traffic question: the API's prices off-peak and at peak as resolved for this answer,
/// and what the API costs at the current share.
fn traffic_notes(ui: &mut egui::Ui, d: &Decision, lang: Lang) {
    if d.plan.rates.api.is_none() {
        // Unpriced: the reasons and the API's leaf say so.
        return;
    }
    ui.add_space(4.0);
    ui.label(api_prices(d, lang));
    if let Some(api) = d.option(OptionKind::Api) {
        let money = format_with_symbol(lang, d.inputs.currency, api.monthly);
        let pct = percent(d.inputs.workload.peak_share);
        let volume = format_amount(lang, d.inputs.workload.requests_per_day);
        ui.strong(match lang {
            Lang::En => format!(
                "With {pct} in peak hours the API costs {money} a month at {volume} requests/day."
            ),
            Lang::Zh => {
                format!("高峰时段占 {pct} 时，每天 {volume} 次请求的 API 费用为每月 {money}。")
            }
        });
    }
    if d.inputs.constraints.regulated {
        ui.label(
            RichText::new(lang.pick(
                "Your data must stay on-premises, so the API is ruled out: this answer matters only if that changes.",
                "你的数据必须留在本地，API 已被排除：只有这一点改变时，本题的回答才有影响。",
            ))
            .weak(),
        );
    }
}

/// The API the answer is compared with and its prices per million tokens, off-peak and at peak,
/// as resolved for this answer (catalog row of the day, price file or the scenario's overrides).
fn api_prices(d: &Decision, lang: Lang) -> String {
    let r = &d.plan.rates;
    // Unit prices are small: keep the cents, and a third digit below ten cents (¥0.003).
    let unit = |v: f64| {
        let sym = crate::lang::currency_symbol(d.inputs.currency);
        if v < 0.1 {
            format!("{sym}{v:.3}")
        } else {
            format!("{sym}{v:.2}")
        }
    };
    let (off, peak) = (&r.api_off_peak, &r.api_peak);
    let endpoint = &r.comparison.api_endpoint;
    let serves = r.api.as_ref().map_or("", |a| a.serves.as_str());
    match lang {
        Lang::En => format!(
            "DeepSeek API {endpoint} ({serves}), per million tokens: input {} off-peak, {} at peak ({} and {} from cache); output {} off-peak, {} at peak.",
            unit(off.cache_miss_per_mtok),
            unit(peak.cache_miss_per_mtok),
            unit(off.cache_hit_per_mtok),
            unit(peak.cache_hit_per_mtok),
            unit(off.output_per_mtok),
            unit(peak.output_per_mtok)
        ),
        Lang::Zh => format!(
            "DeepSeek API {endpoint}（{serves}），每百万 token：输入闲时 {}、高峰 {}（缓存命中 {} 和 {}）；输出闲时 {}、高峰 {}。",
            unit(off.cache_miss_per_mtok),
            unit(peak.cache_miss_per_mtok),
            unit(off.cache_hit_per_mtok),
            unit(peak.cache_hit_per_mtok),
            unit(off.output_per_mtok),
            unit(peak.output_per_mtok)
        ),
    }
}

fn nav(ui: &mut egui::Ui, app: &mut AdvisorApp) {
    let lang = app.lang;
    let step = app.wizard_step.min(RESULT);
    ui.horizontal(|ui| {
        if step > 0 && ui.button(lang.pick("Back", "上一步")).clicked() {
            app.wizard_step = step - 1;
        }
        if step < RESULT && ui.button(lang.pick("Next", "下一步")).clicked() {
            app.wizard_step = step + 1;
        }
        ui.label(
            RichText::new(lang.pick("Enter: next · Esc: back", "回车：下一步 · Esc：上一步"))
                .small()
                .weak(),
        );
    });
}

fn result_card(ui: &mut egui::Ui, app: &mut AdvisorApp, d: &Decision, cmds: &mut Vec<Command>) {
    let lang = app.lang;
    ui.data_mut(|m| {
        m.insert_temp(focused_page_id(), RESULT);
        m.insert_temp(widgets_id(), StepWidgets::default());
    });
    let money = |v: f64| format_with_symbol(lang, d.inputs.currency, v);
    let years = format_amount(lang, d.inputs.workload.horizon_years);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        let Some(r) = d.recommended() else {
            ui.heading(lang.pick("No option fits the constraints", "没有满足条件的方案"));
            bullets(ui, &d.reasons(lang));
            return;
        };
        ui.heading(match lang {
            Lang::En => format!("Recommended: {}", r.kind.label(lang)),
            Lang::Zh => format!("推荐：{}", r.kind.label(lang)),
        });
        ui.label(
            RichText::new(match lang {
                Lang::En => format!(
                    "{} a month · {} over {years} years",
                    money(r.monthly),
                    money(r.horizon)
                ),
                Lang::Zh => format!(
                    "每月 {} · {years} 年共 {}",
                    money(r.monthly),
                    money(r.horizon)
                ),
            })
            .size(17.0)
            .strong(),
        );
        let row = |ui: &mut egui::Ui, key: &str, value: String| {
            ui.horizontal_wrapped(|ui| {
                ui.strong(key);
                ui.label(value);
            });
        };
        row(
            ui,
            lang.pick("What runs", "运行什么"),
            what_runs(d, r.kind, lang),
        );
        row(
            ui,
            lang.pick("Speed and users", "速度与用户数"),
            speed(d, r.kind, lang),
        );
        row(
            ui,
            lang.pick("Model against the API", "模型与 API"),
            d.plan.rates.comparison.sentence(lang),
        );
        row(
            ui,
            lang.pick("Runner-up", "次优方案"),
            match d.runner_up() {
                Some(o) => match lang {
                    Lang::En => format!(
                        "{}: {} a month, {} over {years} years",
                        o.kind.label(lang),
                        money(o.monthly),
                        money(o.horizon)
                    ),
                    Lang::Zh => format!(
                        "{}：每月 {}，{years} 年共 {}",
                        o.kind.label(lang),
                        money(o.monthly),
                        money(o.horizon)
                    ),
                },
                None => lang
                    .pick("none: no other option is allowed", "无：没有其他可选方案")
                    .into(),
            },
        );
        ui.add_space(6.0);
        ui.strong(lang.pick("Why", "理由"));
        bullets(ui, &d.reasons(lang));
        ui.add_space(6.0);
        ui.strong(lang.pick("What would change the answer", "什么会改变结论"));
        bullets(ui, &d.what_would_change(lang));
    });
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(lang.pick(
                "Open the Costs tab at this volume",
                "在“成本”页查看此请求量",
            ))
            .clicked()
        {
            app.tab = Tab::Costs;
        }
        if ui.button(lang.pick("Save scenario", "保存方案")).clicked() {
            cmds.push(Command::Save);
        }
        if ui.button(app.texts().export_report).clicked() {
            cmds.push(Command::ExportReport);
        }
        super::menu::export_deployment_menu(ui, lang, cmds);
    });
    ui.add_space(6.0);
    nav(ui, app);
}

fn bullets(ui: &mut egui::Ui, lines: &[String]) {
    for l in lines {
        ui.label(format!("• {l}"));
    }
}

/// What the recommended option runs on: the API's prices, or the model on its hardware.
fn what_runs(d: &Decision, kind: OptionKind, lang: Lang) -> String {
    let i = &d.inputs;
    // Unit prices (per million tokens, per GPU-hour) are small: keep the cents.
    let unit = |v: f64| format!("{}{v:.2}", crate::lang::currency_symbol(i.currency));
    let Some(o) = d.option(kind) else {
        return String::new();
    };
    let pct = percent(i.workload.peak_share);
    match (kind, lang) {
        (OptionKind::Api, Lang::En) => {
            format!("{} {pct} of the tokens in peak hours.", api_prices(d, lang))
        }
        (OptionKind::Api, Lang::Zh) => {
            format!("{}其中 {pct} 的 token 落在高峰时段。", api_prices(d, lang))
        }
        (_, Lang::En) => format!(
            "{} with {} · {} server{}, {} GPUs{}",
            deployment_name(&i.deployment),
            i.deployment.runtime.cli_name(),
            o.servers,
            if o.servers == 1 { "" } else { "s" },
            o.gpus,
            if kind == OptionKind::CloudGpu {
                format!(
                    ", rented at {} per GPU-hour",
                    unit(d.plan.rates.cloud_gpu_hour)
                )
            } else {
                String::new()
            }
        ),
        (_, Lang::Zh) => format!(
            "{}，运行于 {} · {} 台服务器，{} 张 GPU{}",
            deployment_name(&i.deployment),
            i.deployment.runtime.cli_name(),
            o.servers,
            o.gpus,
            if kind == OptionKind::CloudGpu {
                format!("，租金每 GPU 小时 {}", unit(d.plan.rates.cloud_gpu_hour))
            } else {
                String::new()
            }
        ),
    }
}

/// Per-user speed and how many users the recommended option serves at once.
fn speed(d: &Decision, kind: OptionKind, lang: Lang) -> String {
    let cap = &d.plan.capacity;
    if kind == OptionKind::Api {
        let s = &Catalog::get().cloud.cost_defaults.min_user_tok_s;
        return match lang {
            Lang::En => format!("set by DeepSeek's service ({}, {})", s.source, s.date),
            Lang::Zh => format!("由 DeepSeek 服务决定（{}，{}）", s.source, s.date),
        };
    }
    let servers = d.option(kind).map_or(0, |o| o.servers);
    let users = cap.concurrency.saturating_mul(servers);
    let rps = cap.requests_per_s * f64::from(servers);
    match lang {
        Lang::En => format!(
            "{:.0} tok/s per user; {users} users at once, {rps:.2} requests/s",
            cap.per_user_tok_s
        ),
        Lang::Zh => format!(
            "每用户 {:.0} token/s；同时服务 {users} 个用户，每秒 {rps:.2} 个请求",
            cap.per_user_tok_s
        ),
    }
}
