//! The Measure dialog: pick a local server (found on the usual ports) or type its address, run
//! `bench` with a progress bar and Cancel, see the result beside the estimate for this machine,
//! and save it so this machine's estimates use it.

use crate::app::measure::MeasureCommand;
use crate::app::state::Command;
use crate::app::AdvisorApp;
use crate::bench::adjust::estimate_of;
use crate::bench::BenchReport;
use crate::catalog::Catalog;
use crate::estimate::verdict::speed_range;
use crate::hardware::Machine;
use crate::lang::Lang;
use eframe::egui;

/// The button that opens the dialog (This machine panel and the cell detail).
/// `label` tells the panel's button ("Measure…") from the cell detail's, so each has its own
/// accessible name.
pub fn button(ui: &mut egui::Ui, app: &AdvisorApp, label: (&str, &str), cmds: &mut Vec<Command>) {
    let r = ui
        .button(app.lang.pick(label.0, label.1))
        .on_hover_text(app.lang.pick(
            "Measure a model server already running here (Ollama, llama.cpp, LM Studio, vLLM, SGLang); its speed then corrects this machine's estimates",
            "测量本机已在运行的模型服务（Ollama、llama.cpp、LM Studio、vLLM、SGLang）；实测速度随后用于校正本机的估算",
        ));
    if r.clicked() {
        cmds.push(Command::Measure(MeasureCommand::Open));
    }
}

fn result_rows(ui: &mut egui::Ui, r: &BenchReport, machine: Option<&Machine>, lang: Lang) {
    let s = &r.server;
    ui.strong(format!("{} — {}", s.label(), s.model));
    match (&s.catalog_model, &s.quant) {
        (Some(m), Some(q)) => ui.label(format!("{} {m} {q}", lang.pick("Catalog:", "目录："))),
        _ => ui.label(lang.pick(
            "Not a catalog model: measured under the server's name",
            "不是目录中的模型：按服务给出的名称测量",
        )),
    };
    egui::Grid::new("measure-results")
        .striped(true)
        .show(ui, |ui| {
            for h in [
                lang.pick("Users", "并发"),
                lang.pick("First token", "首 token"),
                lang.pick("Prefill", "预填充"),
                lang.pick("Per user", "每用户"),
                lang.pick("All users", "总输出"),
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for l in &r.results {
                ui.label(l.concurrency.to_string());
                ui.label(format!("{:.2} s", l.ttft_s));
                ui.label(format!("{:.0} tok/s", l.prefill_tok_s));
                ui.label(format!(
                    "{:.1} tok/s ({})",
                    l.decode_tok_s,
                    speed_range(l.decode_tok_s_range.0, l.decode_tok_s_range.1)
                ));
                ui.label(format!("{:.1} tok/s", l.aggregate_tok_s));
                ui.end_row();
            }
        });
    match machine.and_then(|m| estimate_of(r, m)) {
        Some(e) => ui.label(match lang {
            Lang::En => format!(
                "Estimate for this machine: {} tok/s per user ({}); measured {:.0}% of its middle",
                speed_range(e.decode_tok_s_low, e.decode_tok_s_high),
                e.placement.json_name(),
                e.level.decode_tok_s / e.decode_tok_s * 100.0
            ),
            Lang::Zh => format!(
                "本机估算：每用户 {} tok/s（{}）；实测为估算中值的 {:.0}%",
                speed_range(e.decode_tok_s_low, e.decode_tok_s_high),
                e.placement.json_name(),
                e.level.decode_tok_s / e.decode_tok_s * 100.0
            ),
        }),
        None => ui.label(lang.pick(
            "No estimate to compare: the model, quant or server kind is not one the catalog knows",
            "无可比较的估算：模型、量化或服务类型不在目录中",
        )),
    };
}

pub fn show(ctx: &egui::Context, app: &mut AdvisorApp, cmds: &mut Vec<Command>) {
    if !app.measure.open {
        return;
    }
    let lang = app.lang;
    let machine = app
        .detected
        .as_ref()
        .and_then(|p| Machine::from_profile(p, Catalog::get()).ok());
    let mut open = true;
    egui::Window::new(lang.pick("Measure this machine", "实测本机"))
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .default_width(560.0)
        .show(ctx, |ui| {
            let m = &mut app.measure;
            ui.label(lang.pick(
                "Sends a fixed, harmless prompt to a model server you already run and times the answers. Nothing about this machine is sent; no API key unless the server needs one.",
                "向你已运行的模型服务发送固定的、无害的提示词并计时。不会发送本机的任何信息。",
            ));
            ui.add_space(4.0);
            match &m.found {
                None => {
                    ui.horizontal(|ui| {
                        ui.add(egui::Spinner::new());
                        ui.label(lang.pick(
                            "Looking on 127.0.0.1 (ports 11434, 8080, 1234, 8000, 30000)…",
                            "正在 127.0.0.1 上查找（端口 11434、8080、1234、8000、30000）…",
                        ));
                    });
                }
                Some(found) if found.is_empty() => {
                    ui.label(lang.pick(
                        "No server on the usual local ports; type its address below.",
                        "常用本地端口上没有服务；请在下方输入地址。",
                    ));
                }
                Some(found) => {
                    ui.label(lang.pick("Found:", "发现："));
                    for f in found.clone() {
                        let url = f.split(' ').next().unwrap_or_default().to_string();
                        if ui.selectable_label(m.url == url, &f).clicked() {
                            m.url = url;
                        }
                    }
                }
            }
            let running = m.is_running();
            egui::Grid::new("measure-form").show(ui, |ui| {
                let l = ui.label(lang.pick("Server", "服务地址"));
                ui.add_enabled(
                    !running,
                    egui::TextEdit::singleline(&mut m.url).hint_text("http://127.0.0.1:11434"),
                )
                .labelled_by(l.id);
                ui.end_row();
                let l = ui.label(lang.pick("Users at once", "并发用户"));
                ui.add_enabled(
                    !running,
                    egui::TextEdit::singleline(&mut m.concurrency).hint_text("1,4,16"),
                )
                .labelled_by(l.id);
                ui.end_row();
            });
            ui.horizontal(|ui| {
                if running {
                    if ui.button(lang.pick("Cancel", "取消")).clicked() {
                        cmds.push(Command::Measure(MeasureCommand::Cancel));
                    }
                } else if ui
                    .add_enabled(!m.url.trim().is_empty(), egui::Button::new(lang.pick("Start", "开始")))
                    .clicked()
                {
                    cmds.push(Command::Measure(MeasureCommand::Start));
                }
                if ui.button(lang.pick("Close", "关闭")).clicked() {
                    cmds.push(Command::Measure(MeasureCommand::Close));
                }
            });
            if let Some(p) = &m.progress {
                ui.add(
                    egui::ProgressBar::new(p.fraction)
                        .show_percentage()
                        .text(p.line.clone()),
                );
            }
            match &m.result {
                Some(Ok(r)) => {
                    ui.separator();
                    result_rows(ui, r, machine.as_ref(), lang);
                    ui.horizontal(|ui| {
                        if m.saved {
                            ui.label(lang.pick(
                                "Saved for this machine: its estimates now use it",
                                "已为本机保存：本机的估算将使用它",
                            ));
                        } else if ui
                            .button(lang.pick("Save for this machine", "为本机保存"))
                            .clicked()
                        {
                            cmds.push(Command::Measure(MeasureCommand::Save));
                        }
                    });
                }
                Some(Err(e)) => {
                    ui.separator();
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                None => {}
            }
            if let Some(p) = &m.store_problem {
                ui.colored_label(ui.visuals().warn_fg_color, p);
            }
        });
    if !open {
        cmds.push(Command::Measure(MeasureCommand::Close));
    }
}
