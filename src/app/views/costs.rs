//! Costs tab: the prices' date and sources, the models compared, monthly cost against requests/day
//! (log axis) with break-even markers, cumulative cost over the horizon, the TCO breakdown per
//! option (the API split into off-peak and peak), the assumptions (all editable, with traffic-time
//! presets) and which of them flip the recommendation.

use crate::app::state::Command;
use crate::app::AdvisorApp;
use crate::cost::options::OptionKind;
use crate::cost::traffic::PeakPreset;
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
            prices_header(ui, app, plan);
            ui.add_space(8.0);
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
            serving(ui, plan, inputs, lang);
            ui.add_space(8.0);
            breakdown(ui, app, inputs, plan, sym);
            ui.add_space(8.0);
            assumptions(ui, app, plan, cmds);
            ui.add_space(8.0);
            price_sources(ui, app, plan);
            ui.add_space(8.0);
            ui.heading(lang.pick(
                "What flips the recommendation (±30%)",
                "哪些假设变化 ±30% 会改变推荐",
            ));
            egui::Grid::new("sensitivity").striped(true).show(ui, |ui| {
                for s in &d.sensitivity {
                    ui.label(crate::cost::labels::label(s.assumption, lang));
                    let name = |k: Option<OptionKind>| {
                        k.map_or(lang.pick("none", "无"), |k| k.label(lang))
                    };
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

/// One server's operating point at the service level and how the cluster is built.
fn serving(ui: &mut egui::Ui, plan: &Plan, inputs: &crate::cost::CostInputs, lang: Lang) {
    use crate::cost::summary::{capacity_sentence, cluster_sentence};
    ui.heading(lang.pick("Serving at your service level", "服务水平下的承载能力"));
    ui.label(capacity_sentence(inputs, &plan.capacity, lang))
        .on_hover_text(lang.pick(
            "The largest number of users one server takes while each still gets the speed and first-token wait you asked for (Speed step of the wizard), within its KV cache.",
            "在每个用户仍能获得您要求的速度和首 token 等待时间（向导的“速度”一步）、且不超出 KV 缓存的前提下，单台服务器能同时服务的最多用户数。",
        ));
    if let Some(c) = plan
        .options
        .iter()
        .filter(|o| o.feasible)
        .find_map(|o| o.cluster.as_ref())
    {
        ui.label(cluster_sentence(c, lang));
    }
}

fn breakdown(
    ui: &mut egui::Ui,
    app: &AdvisorApp,
    inputs: &crate::cost::CostInputs,
    plan: &Plan,
    sym: &str,
) {
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
                            .map(|(k, v)| {
                                format!(
                                    "{} {sym}{}",
                                    crate::cost::labels::label(k, lang),
                                    format_amount(lang, *v)
                                )
                            })
                            .collect();
                        ui.label(items.join(", "));
                    } else {
                        ui.label(lang.pick("ruled out", "已排除"));
                        ui.label(
                            crate::wizard::decision::Exclusion::of(inputs, plan, o).map_or_else(
                                || {
                                    lang.pick("cannot serve this volume", "无法承载该请求量")
                                        .into()
                                },
                                |e| e.reason(inputs, lang),
                            ),
                        );
                        ui.label("");
                    }
                    ui.end_row();
                }
            });
        });
}

/// "Prices as of", a warning when they are old, where they come from, and the models compared.
fn prices_header(ui: &mut egui::Ui, app: &AdvisorApp, plan: &Plan) {
    let lang = app.lang;
    let as_of = plan.prices_as_of.map_or_else(
        || lang.pick("undated", "无日期").to_string(),
        |d| d.to_string(),
    );
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!("{} {as_of}", lang.pick("Prices as of", "价格截至")));
        if app.prices.user_file.is_empty() {
            ui.label(lang.pick(
                "· catalog prices (File → Import prices… to use your own quotes)",
                "· 目录价格（文件 → 导入价格文件… 可使用您自己的报价）",
            ));
        } else {
            ui.label(format!(
                "· {} {}",
                lang.pick("your quotes from", "您的报价来自"),
                app.prices.user_file
            ));
        }
    });
    if let Some(age) = plan.stale_by_days {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "{} {age} {}",
                lang.pick("These prices are", "这些价格已有"),
                lang.pick(
                    "days old: prices move every month — import a current price file (File → Import prices…).",
                    "天未更新：价格每月都在变——请导入最新的价格文件（文件 → 导入价格文件…）。"
                )
            ),
        );
    }
    ui.label(plan.rates.comparison.sentence(lang));
}

/// Every price the answer uses and where it comes from.
fn price_sources(ui: &mut egui::Ui, app: &AdvisorApp, plan: &Plan) {
    let lang = app.lang;
    let sym = currency_symbol(app.scenario.costs.currency);
    egui::CollapsingHeader::new(lang.pick("Where each price comes from", "每个价格的来源"))
        .id_salt("price-sources")
        .show(ui, |ui| {
            egui::Grid::new("price-source-grid")
                .striped(true)
                .show(ui, |ui| {
                    for s in &plan.rates.sources {
                        ui.label(source_item(&s.item, lang));
                        ui.label(format!("{sym}{}", short_price(s.value)));
                        ui.label(s.source.describe(lang));
                        ui.end_row();
                    }
                });
        });
}

/// A price item (`API cache hit, peak (deepseek-flash)`) in the UI language.
fn source_item(item: &str, lang: crate::lang::Lang) -> String {
    const ZH: [(&str, &str); 10] = [
        ("server purchase", "整机采购"),
        ("GPU purchase", "GPU 采购"),
        ("rented GPU-hour", "租用 GPU 每小时"),
        ("electricity per kWh", "每千瓦时电价"),
        ("API cache hit", "API 缓存命中"),
        ("API cache miss", "API 缓存未命中"),
        ("API output", "API 输出"),
        (", off-peak", "（闲时）"),
        (", peak", "（高峰）"),
        ("CNY per USD", "美元兑人民币"),
    ];
    match lang {
        crate::lang::Lang::En => item.to_string(),
        crate::lang::Lang::Zh => ZH
            .iter()
            .fold(item.to_string(), |s, (en, zh)| s.replace(en, zh)),
    }
}

/// More digits for per-token prices than for amounts.
fn short_price(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.4}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
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

/// A price shown as resolved (price file or catalog) that becomes the scenario's own once edited;
/// the reset button hands it back to the catalog and price file.
fn override_field(
    ui: &mut egui::Ui,
    label: &str,
    resolved: f64,
    value: &mut Option<f64>,
    max: f64,
    lang: crate::lang::Lang,
    changed: &mut bool,
) {
    let l = ui.label(label);
    let mut v = value.unwrap_or(resolved);
    ui.horizontal(|ui| {
        let speed = (v * 0.01).max(0.0001);
        if ui
            .add(
                egui::DragValue::new(&mut v)
                    .range(0.0..=max)
                    .speed(speed)
                    .max_decimals(4),
            )
            .labelled_by(l.id)
            .on_hover_text(label)
            .changed()
        {
            *value = Some(v);
            *changed = true;
        }
        if value.is_some()
            && ui
                .small_button(lang.pick("reset", "恢复"))
                .on_hover_text(lang.pick(
                    "Use the price file or catalog price again",
                    "恢复使用价格文件或目录价格",
                ))
                .clicked()
        {
            *value = None;
            *changed = true;
        }
    });
    ui.end_row();
}

/// When the traffic comes: the share itself, then presets computed from DeepSeek's peak hours.
fn peak_share(ui: &mut egui::Ui, share: &mut f64, lang: crate::lang::Lang, changed: &mut bool) {
    let l = ui
        .label(lang.pick(
            "API traffic in peak hours (weekdays 09–12, 14–18 Beijing; holidays off-peak)",
            "API 流量落在高峰时段的比例（工作日北京时间 9–12、14–18 点；节假日为闲时）",
        ))
        .on_hover_text(crate::cost::traffic::peak_rule(lang));
    let mut pct = *share * 100.0;
    if ui
        .add(
            egui::DragValue::new(&mut pct)
                .range(0.0..=100.0)
                .suffix(" %")
                .speed(0.5),
        )
        .labelled_by(l.id)
        .changed()
    {
        *share = pct / 100.0;
        *changed = true;
    }
    ui.end_row();
    ui.label("");
    ui.horizontal(|ui| {
        let current = PeakPreset::matching(*share);
        for p in PeakPreset::ALL {
            if ui
                .selectable_label(
                    current == Some(p),
                    format!("{} ({:.0}%)", p.label(lang), p.peak_share() * 100.0),
                )
                .clicked()
            {
                *share = p.peak_share();
                *changed = true;
            }
        }
    });
    ui.end_row();
    ui.label("");
    ui.label(egui::RichText::new(crate::cost::traffic::peak_rule(lang)).small());
    ui.end_row();
}

fn assumptions(ui: &mut egui::Ui, app: &mut AdvisorApp, plan: &Plan, cmds: &mut Vec<Command>) {
    let lang = app.lang;
    let mut changed = false;
    let r = &plan.rates;
    egui::CollapsingHeader::new(lang.pick("Assumptions (all editable)", "假设（均可修改）"))
        .id_salt("assumptions")
        .show(ui, |ui| {
            egui::Grid::new("assumption-grid").show(ui, |ui| {
                let c = &mut app.scenario.costs;
                peak_share(ui, &mut c.workload.peak_share, lang, &mut changed);
                let p = &mut c.prices;
                override_field(
                    ui,
                    lang.pick("GPU purchase price", "GPU 采购价"),
                    r.gpu_price,
                    &mut p.gpu_price,
                    1e9,
                    lang,
                    &mut changed,
                );
                override_field(
                    ui,
                    lang.pick("Cloud GPU / hour", "云 GPU / 小时"),
                    r.cloud_gpu_hour,
                    &mut p.cloud_gpu_hour,
                    1e6,
                    lang,
                    &mut changed,
                );
                for (label, resolved, value) in [
                    (
                        lang.pick(
                            "API cache hit / M tokens, off-peak",
                            "API 缓存命中 / 百万 token（闲时）",
                        ),
                        r.api_off_peak.cache_hit_per_mtok,
                        &mut p.api_cache_hit,
                    ),
                    (
                        lang.pick(
                            "API cache miss / M tokens, off-peak",
                            "API 缓存未命中 / 百万 token（闲时）",
                        ),
                        r.api_off_peak.cache_miss_per_mtok,
                        &mut p.api_cache_miss,
                    ),
                    (
                        lang.pick(
                            "API output / M tokens, off-peak",
                            "API 输出 / 百万 token（闲时）",
                        ),
                        r.api_off_peak.output_per_mtok,
                        &mut p.api_output,
                    ),
                    (
                        lang.pick(
                            "API cache hit / M tokens, peak",
                            "API 缓存命中 / 百万 token（高峰）",
                        ),
                        r.api_peak.cache_hit_per_mtok,
                        &mut p.api_peak_cache_hit,
                    ),
                    (
                        lang.pick(
                            "API cache miss / M tokens, peak",
                            "API 缓存未命中 / 百万 token（高峰）",
                        ),
                        r.api_peak.cache_miss_per_mtok,
                        &mut p.api_peak_cache_miss,
                    ),
                    (
                        lang.pick(
                            "API output / M tokens, peak",
                            "API 输出 / 百万 token（高峰）",
                        ),
                        r.api_peak.output_per_mtok,
                        &mut p.api_peak_output,
                    ),
                    (
                        lang.pick("Electricity / kWh", "电价 / 千瓦时"),
                        r.electricity_per_kwh,
                        &mut p.electricity_per_kwh,
                    ),
                ] {
                    override_field(ui, label, resolved, value, 1e4, lang, &mut changed);
                }
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
