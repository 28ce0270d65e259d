//! Buy tab: "what should I buy for this budget?" — the model, budget, speed and context asked,
//! then every machine the catalog prices that runs it, cheapest first, each with its price source,
//! quant, runtime, placement, speed band and verdict.

use crate::app::AdvisorApp;
use crate::buy::{search, BuyOption, BuyRequest};
use crate::catalog::Catalog;
use crate::estimate::grid::{deepseek_models, RuntimeChoice};
use crate::lang::{format_amount, Lang};
use crate::prices::convert;
use eframe::egui;

/// Rows shown (cheapest first).
const SHOWN: usize = 40;

fn options_grid(ui: &mut egui::Ui, id: &str, options: &[&BuyOption], sym: &str, lang: Lang) {
    egui::Grid::new(id).striped(true).show(ui, |ui| {
        for h in [
            lang.pick("hardware", "硬件"),
            lang.pick("price", "价格"),
            lang.pick("quant", "量化"),
            lang.pick("runtime", "运行时"),
            lang.pick("placement", "放置方式"),
            lang.pick("tokens/s", "token/s"),
            lang.pick("verdict", "结论"),
        ] {
            ui.strong(h);
        }
        ui.end_row();
        for o in options {
            ui.label(&o.product);
            ui.label(format!("{sym}{}", format_amount(lang, o.price)))
                .on_hover_text(format!(
                    "{sym}{} – {sym}{}\n{}",
                    format_amount(lang, o.price_low),
                    format_amount(lang, o.price_high),
                    o.price_source(lang)
                ));
            ui.label(&o.quant);
            ui.label(o.runtime.cli_name());
            ui.label(o.placement.json_name());
            ui.label(format!(
                "{:.0} ({:.0}–{:.0})",
                o.decode_tok_s, o.decode_tok_s_low, o.decode_tok_s_high
            ));
            ui.label(o.verdict.label(lang))
                .on_hover_text(&o.verdict_reason);
            ui.end_row();
        }
    });
}

pub fn show(ui: &mut egui::Ui, app: &mut AdvisorApp) {
    let lang = app.lang;
    let currency = app.scenario.costs.currency;
    let rate = app.scenario.costs.usd_to_cny;
    let sym = crate::lang::currency_symbol(currency);
    let c = Catalog::get();
    let f = &mut app.buy;
    if f.currency != currency {
        f.budget = convert(f.budget, f.currency, currency, rate);
        f.currency = currency;
        f.answer = None;
    }
    ui.heading(lang.pick("What should I buy?", "买什么硬件？"));
    let mut ask = false;
    egui::Grid::new("buy-form").show(ui, |ui| {
        let l = ui.label(lang.pick("Model", "模型"));
        let name = c
            .model(&f.model)
            .map_or(f.model.clone(), |m| m.name.clone());
        egui::ComboBox::from_id_salt("buy-model")
            .selected_text(name)
            .show_ui(ui, |ui| {
                for m in deepseek_models(c) {
                    if ui.selectable_label(f.model == m.id, &m.name).clicked() {
                        f.model = m.id.clone();
                        f.quant.clear();
                    }
                }
            })
            .response
            .labelled_by(l.id);
        ui.end_row();
        let l = ui.label(lang.pick("Quantization", "量化"));
        let auto = lang.pick("best that fits each machine", "每台机器取最合适的");
        egui::ComboBox::from_id_salt("buy-quant")
            .selected_text(if f.quant.is_empty() {
                auto
            } else {
                f.quant.as_str()
            })
            .show_ui(ui, |ui| {
                if ui.selectable_label(f.quant.is_empty(), auto).clicked() {
                    f.quant.clear();
                }
                if let Ok(m) = c.model(&f.model) {
                    for q in &m.quants {
                        if ui.selectable_label(&f.quant == q, q).clicked() {
                            f.quant = q.clone();
                        }
                    }
                }
            })
            .response
            .labelled_by(l.id);
        ui.end_row();
        let l = ui.label(format!("{} ({sym})", lang.pick("Budget", "预算")));
        let speed = (f.budget * 0.01).max(1.0);
        ui.add(
            egui::DragValue::new(&mut f.budget)
                .range(1.0..=1e10)
                .speed(speed),
        )
        .labelled_by(l.id);
        ui.end_row();
        let l = ui.label(lang.pick("Slowest acceptable tokens/s", "最低可接受 token/s"));
        ui.add(egui::DragValue::new(&mut f.min_tok_s).range(0.0..=1000.0))
            .labelled_by(l.id);
        ui.end_row();
        let l = ui.label(lang.pick("Context (tokens)", "上下文（token）"));
        ui.add(
            egui::DragValue::new(&mut f.context)
                .range(512..=1_048_576)
                .speed(256.0),
        )
        .labelled_by(l.id);
        ui.end_row();
    });
    if ui.button(lang.pick("Find hardware", "查找硬件")).clicked() {
        ask = true;
    }
    if ask {
        if let Ok(model) = c.model(&f.model) {
            let quant = (!f.quant.is_empty())
                .then(|| c.quant(&f.quant).ok())
                .flatten();
            let req = BuyRequest {
                model,
                quant,
                runtime: RuntimeChoice::Auto,
                budget: f.budget,
                currency,
                min_tok_s: f.min_tok_s,
                context: f.context,
            };
            f.answer = Some(search(&req, &app.prices));
        }
    }
    let Some(a) = &app.buy.answer else {
        ui.label(lang.pick(
            "Every GPU (1–8 in a host), Mac, DGX Spark (1–4), Strix Halo box and CPU-only server the catalog or your price file prices is estimated with this machine's estimator.",
            "会用估算器评估目录或您的价格文件中有价格的每种配置：GPU（主机内 1–8 张）、Mac、DGX Spark（1–4 台）、Strix Halo 主机和纯 CPU 服务器。",
        ));
        return;
    };
    ui.label(format!(
        "{} {} · {} {}",
        lang.pick("Prices as of", "价格截至"),
        a.prices_as_of
            .map_or(lang.pick("undated", "无日期").into(), |d| d.to_string()),
        a.considered,
        lang.pick("machines considered", "种配置已评估")
    ));
    egui::ScrollArea::vertical()
        .id_salt("buy-results")
        .show(ui, |ui| {
            if a.options.is_empty() {
                ui.label(lang.pick(
                    "Nothing priced runs it within this budget.",
                    "在此预算内没有能运行它的硬件。",
                ));
                if let Some(o) = &a.cheapest_that_works {
                    ui.strong(
                        lang.pick("The cheapest machine that would:", "能运行它的最便宜硬件："),
                    );
                    options_grid(ui, "buy-cheapest", &[o], sym, lang);
                }
            } else {
                let shown: Vec<&BuyOption> = a.options.iter().take(SHOWN).collect();
                options_grid(ui, "buy-options", &shown, sym, lang);
                if a.options.len() > SHOWN {
                    ui.label(format!(
                        "… {} {}",
                        a.options.len() - SHOWN,
                        lang.pick("more, dearer", "项更贵的未列出")
                    ));
                }
            }
        });
}
