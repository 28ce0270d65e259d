//! Costs tab: monthly cost against requests/day (log axis) with break-even markers, cumulative
//! cost over the horizon, the TCO breakdown per option, the assumptions (all editable) and which of
//! them flip the recommendation.

use crate::app::state::Command;
use crate::app::AdvisorApp;
use crate::cost::options::OptionKind;
use crate::cost::Plan;
use crate::lang::{currency_symbol, format_amount, Lang};
use crate::wizard::Decision;
use eframe::egui;
use egui_plot::{Legend, Line, Plot, PlotPoint, Points, Text, VLine};

fn option_color(k: OptionKind) -> egui::Color32 {
    match k {
        OptionKind::Api => egui::Color32::from_rgb(66, 133, 244),
        OptionKind::CloudGpu => egui::Color32::from_rgb(251, 188, 5),
        OptionKind::LocalServer => egui::Color32::from_rgb(52, 168, 83),
        OptionKind::LocalCluster => egui::Color32::from_rgb(234, 67, 53),
    }
}

/// Monthly cost against requests/day on log axes: one line per feasible option, the break-even
/// points, and the current volume as a vertical line. `titled`: with axis titles (a small plot
/// has its heading instead).
pub fn curves_plot(
    ui: &mut egui::Ui,
    id: &str,
    d: &Decision,
    lang: Lang,
    height: f32,
    titled: bool,
) {
    let sym = currency_symbol(d.inputs.currency);
    let marker = ui.visuals().text_color();
    let mut plot = Plot::new(id).height(height).legend(Legend::default());
    if titled {
        plot = plot
            .x_axis_label(lang.pick("requests/day (log scale)", "每日请求数（对数刻度）"))
            .y_axis_label(format!(
                "{sym} / {} ({})",
                lang.pick("month", "月"),
                lang.pick("log scale", "对数刻度")
            ));
    }
    plot.x_axis_formatter(move |mark, _| axis_amount(lang, 10f64.powf(mark.value)))
        .y_axis_formatter(move |mark, _| axis_amount(lang, 10f64.powf(mark.value)))
        .label_formatter(move |hover| {
            let (name, p) = match hover {
                egui_plot::HoverPosition::NearDataPoint {
                    plot_name,
                    position,
                    ..
                } => (*plot_name, *position),
                egui_plot::HoverPosition::Elsewhere { position } => ("", *position),
            };
            Some(format!(
                "{name}\n{} {}\n{sym}{}",
                format_amount(lang, 10f64.powf(p.x)),
                lang.pick("requests/day", "次/天"),
                format_amount(lang, 10f64.powf(p.y))
            ))
        })
        .show(ui, |p| {
            for (kind, pts) in &d.curves {
                let pts: Vec<[f64; 2]> = pts
                    .iter()
                    .map(|[x, y]| [x.log10(), y.max(1.0).log10()])
                    .collect();
                p.line(Line::new(kind.label(lang), pts).color(option_color(*kind)));
            }
            for be in d.plan.break_evens.iter().filter(|b| !b.at_capacity_step) {
                let x = be.requests_per_day.log10();
                let y = be.monthly.max(1.0).log10();
                p.points(
                    Points::new(lang.pick("break-even", "盈亏平衡点"), vec![[x, y]]).radius(5.0),
                );
                // Unnamed: the label stays out of the legend.
                p.text(Text::new(
                    "",
                    PlotPoint::new(x, y),
                    format!("  {}", format_amount(lang, be.requests_per_day)),
                ));
            }
            let v = d.inputs.workload.requests_per_day;
            if v > 0.0 {
                p.vline(
                    VLine::new(lang.pick("your volume", "当前请求量"), v.log10()).color(marker),
                );
            }
        });
}

/// A short tick label for a log axis: `10k`, `2M` in English, `10万`, `2亿` in Chinese.
fn axis_amount(lang: Lang, v: f64) -> String {
    let units: &[(f64, &str)] = match lang {
        Lang::En => &[(1e9, "B"), (1e6, "M"), (1e3, "k")],
        Lang::Zh => &[(1e8, "亿"), (1e4, "万")],
    };
    for (scale, unit) in units {
        if v >= *scale {
            let x = v / scale;
            let digits = if x < 10.0 && (x - x.round()).abs() > 0.05 {
                1
            } else {
                0
            };
            return format!("{x:.digits$}{unit}");
        }
    }
    format!("{v:.0}")
}

pub fn show(ui: &mut egui::Ui, app: &mut AdvisorApp, cmds: &mut Vec<Command>) {
    let d = app.decision();
    let plan = &d.plan;
    let inputs = &d.inputs;
    let lang = app.lang;
    let sym = currency_symbol(inputs.currency);
    egui::ScrollArea::vertical()
        .id_salt("costs")
        .show(ui, |ui| {
            ui.heading(lang.pick(
                "Monthly cost against requests per day",
                "每月成本与日请求量",
            ));
            curves_plot(ui, "cost-curves", &d, lang, 280.0, true);
            ui.add_space(8.0);
            ui.heading(lang.pick("Cumulative cost at this volume", "当前请求量下的累计成本"));
            let months = (inputs.workload.horizon_years * 12.0).round().max(1.0) as usize;
            Plot::new("cumulative")
                .height(200.0)
                .legend(Legend::default())
                .x_axis_label(lang.pick("month", "月"))
                .y_axis_formatter(move |mark, _| format_amount(lang, mark.value))
                .show(ui, |p| {
                    for o in plan.options.iter().filter(|o| o.feasible) {
                        let pts: Vec<[f64; 2]> = (0..=months)
                            .map(|m| [m as f64, o.monthly * m as f64])
                            .collect();
                        p.line(Line::new(o.kind.label(lang), pts).color(option_color(o.kind)));
                    }
                });
            ui.add_space(8.0);
            breakdown(ui, app, plan, sym);
            ui.add_space(8.0);
            assumptions(ui, app, cmds);
            ui.add_space(8.0);
            ui.heading(lang.pick(
                "What flips the recommendation (±30%)",
                "哪些假设变化 ±30% 会改变推荐",
            ));
            egui::Grid::new("sensitivity").striped(true).show(ui, |ui| {
                for s in &d.sensitivity {
                    ui.label(s.assumption);
                    let name = |k: Option<OptionKind>| k.map_or("-", |k| k.label(lang));
                    ui.label(format!("−30%: {}", name(s.low)));
                    ui.label(format!("+30%: {}", name(s.high)));
                    ui.label(if s.flips {
                        lang.pick("flips", "会改变")
                    } else {
                        ""
                    });
                    ui.end_row();
                }
            });
        });
}

fn breakdown(ui: &mut egui::Ui, app: &AdvisorApp, plan: &Plan, sym: &str) {
    let lang = app.lang;
    ui.heading(lang.pick("Total cost of ownership", "总拥有成本"));
    // The monthly items run long: the table scrolls sideways rather than being cut.
    egui::ScrollArea::horizontal()
        .id_salt("tco")
        .show(ui, |ui| {
            egui::Grid::new("tco").striped(true).show(ui, |ui| {
                ui.strong(lang.pick("option", "方案"));
                ui.strong(lang.pick("servers / GPUs", "服务器 / GPU"));
                ui.strong(lang.pick("per month", "每月"));
                ui.strong(lang.pick("over the horizon", "总计"));
                ui.strong(lang.pick("monthly items", "每月明细"));
                ui.end_row();
                for o in &plan.options {
                    ui.label(o.kind.label(lang));
                    ui.label(format!("{} / {}", o.servers, o.gpus));
                    if o.feasible {
                        ui.label(format!("{sym}{}", format_amount(lang, o.monthly)));
                        ui.label(format!("{sym}{}", format_amount(lang, o.horizon)));
                        let items: Vec<String> = o
                            .breakdown
                            .iter()
                            .map(|(k, v)| format!("{k} {sym}{}", format_amount(lang, *v)))
                            .collect();
                        ui.label(items.join(", "));
                    } else {
                        ui.label("-");
                        ui.label(lang.pick("cannot serve this volume", "无法承载该请求量"));
                        ui.label("");
                    }
                    ui.end_row();
                }
            });
        });
}

fn field(ui: &mut egui::Ui, label: &str, value: &mut f64, max: f64, changed: &mut bool) {
    let l = ui.label(label);
    let speed = (*value * 0.01).max(0.01);
    if ui
        .add(egui::DragValue::new(value).range(0.0..=max).speed(speed))
        .labelled_by(l.id)
        .on_hover_text(label)
        .changed()
    {
        *changed = true;
    }
    ui.end_row();
}

fn assumptions(ui: &mut egui::Ui, app: &mut AdvisorApp, cmds: &mut Vec<Command>) {
    let lang = app.lang;
    let mut changed = false;
    // The GPU's catalog prices are shown and become overrides once edited.
    let mut gpu_price = app.scenario.costs.gpu_price();
    let mut gpu_hour = app.scenario.costs.cloud_gpu_hour();
    egui::CollapsingHeader::new(lang.pick("Assumptions (all editable)", "假设（均可修改）"))
        .id_salt("assumptions")
        .show(ui, |ui| {
            egui::Grid::new("assumption-grid").show(ui, |ui| {
                let mut price_changed = false;
                field(
                    ui,
                    lang.pick("GPU purchase price", "GPU 采购价"),
                    &mut gpu_price,
                    1e9,
                    &mut price_changed,
                );
                let mut hour_changed = false;
                field(
                    ui,
                    lang.pick("Cloud GPU / hour", "云 GPU / 小时"),
                    &mut gpu_hour,
                    1e6,
                    &mut hour_changed,
                );
                let c = &mut app.scenario.costs;
                if price_changed {
                    c.prices.gpu_price = Some(gpu_price);
                }
                if hour_changed {
                    c.prices.cloud_gpu_hour = Some(gpu_hour);
                }
                changed |= price_changed || hour_changed;
                let w = &mut c.workload;
                field(
                    ui,
                    lang.pick("Peak ÷ average load", "峰值 ÷ 平均负载"),
                    &mut w.peak_to_average,
                    100.0,
                    &mut changed,
                );
                field(
                    ui,
                    lang.pick("API cache-hit share", "API 缓存命中率"),
                    &mut w.cache_hit_share,
                    1.0,
                    &mut changed,
                );
                field(
                    ui,
                    lang.pick("Horizon (years)", "周期（年）"),
                    &mut w.horizon_years,
                    50.0,
                    &mut changed,
                );
                let p = &mut c.prices;
                field(
                    ui,
                    lang.pick("API cache hit / M tokens", "API 缓存命中 / 百万 token"),
                    &mut p.api_cache_hit,
                    1e4,
                    &mut changed,
                );
                field(
                    ui,
                    lang.pick("API cache miss / M tokens", "API 缓存未命中 / 百万 token"),
                    &mut p.api_cache_miss,
                    1e4,
                    &mut changed,
                );
                field(
                    ui,
                    lang.pick("API output / M tokens", "API 输出 / 百万 token"),
                    &mut p.api_output,
                    1e4,
                    &mut changed,
                );
                field(
                    ui,
                    lang.pick("Electricity / kWh", "电价 / 千瓦时"),
                    &mut p.electricity_per_kwh,
                    100.0,
                    &mut changed,
                );
                field(ui, "PUE", &mut p.pue, 5.0, &mut changed);
                field(
                    ui,
                    lang.pick("Engineer / year", "工程师年薪"),
                    &mut p.engineer_per_year,
                    1e8,
                    &mut changed,
                );
                field(
                    ui,
                    lang.pick("Utilization", "利用率"),
                    &mut p.utilization,
                    1.0,
                    &mut changed,
                );
                field(
                    ui,
                    lang.pick("Maintenance share / year", "年维护费率"),
                    &mut p.maintenance_share_per_year,
                    1.0,
                    &mut changed,
                );
            });
        });
    if changed {
        cmds.push(Command::Edited);
    }
}
