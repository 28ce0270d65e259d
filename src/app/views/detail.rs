//! Detail of the selected cell: memory bar against the machine, placement, speed with its
//! assumptions, official scores, what would make it fit, launch commands.

use crate::app::state::Command;
use crate::app::AdvisorApp;
use crate::catalog::schema::SpeculativeKind;
use crate::catalog::Catalog;
use crate::deploy::launch_commands;
use crate::estimate::explain;
use crate::estimate::placement::PlacementKind;
use crate::estimate::suggest::smallest_changes;
use crate::estimate::verdict::speed_range;
use crate::estimate::{fit, Fit};
use crate::hardware::Machine;
use eframe::egui;

fn memory_bar(ui: &mut egui::Ui, app: &AdvisorApp, f: &Fit) {
    let t = app.texts();
    let gpu = f.placement.gpu_capacity;
    let ram = f.placement.ram_capacity;
    let parts = [
        (
            t.weights,
            f.weights.bytes,
            egui::Color32::from_rgb(66, 133, 244),
        ),
        (t.kv_cache, f.kv_bytes, egui::Color32::from_rgb(251, 188, 5)),
        (
            t.overhead,
            f.overhead_bytes(),
            egui::Color32::from_rgb(154, 160, 166),
        ),
    ];
    let scale_max = (f.total_bytes()).max(gpu + ram).max(1.0);
    let width = ui.available_width().min(640.0);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 22.0), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 3.0, ui.visuals().extreme_bg_color);
    let mut x = rect.left();
    for (_, bytes, color) in parts {
        let w = (bytes / scale_max) as f32 * rect.width();
        painter.rect_filled(
            egui::Rect::from_min_size(egui::pos2(x, rect.top()), egui::vec2(w, rect.height())),
            0.0,
            color,
        );
        x += w;
    }
    let marker = |bytes: f64, color: egui::Color32| {
        let mx = rect.left() + (bytes / scale_max) as f32 * rect.width();
        painter.line_segment(
            [
                egui::pos2(mx, rect.top() - 3.0),
                egui::pos2(mx, rect.bottom() + 3.0),
            ],
            egui::Stroke::new(2.0, color),
        );
    };
    if gpu > 0.0 {
        marker(gpu, egui::Color32::from_rgb(46, 160, 67));
    }
    marker(gpu + ram, egui::Color32::from_rgb(219, 68, 55));
    ui.horizontal_wrapped(|ui| {
        for (name, bytes, color) in parts {
            ui.colored_label(color, format!("■ {name} {:.1} GB", bytes / 1e9));
        }
        ui.colored_label(
            egui::Color32::from_rgb(46, 160, 67),
            format!("| {} {:.1} GB", t.gpu_memory, gpu / 1e9),
        );
        ui.colored_label(
            egui::Color32::from_rgb(219, 68, 55),
            format!("| {} {:.1} GB", t.ram, ram / 1e9),
        );
    });
}

pub fn show(ui: &mut egui::Ui, app: &AdvisorApp, machine: &Machine, cmds: &mut Vec<Command>) {
    let t = app.texts();
    let catalog = Catalog::get();
    let sel = &app.scenario.selection;
    let (Some(model_id), Some(quant_id)) = (&sel.model, &sel.quant) else {
        ui.label(t.click_a_cell);
        return;
    };
    let (Ok(model), Ok(quant)) = (catalog.model(model_id), catalog.quant(quant_id)) else {
        ui.label(t.click_a_cell);
        return;
    };
    let options = sel.fit_options(model, quant, machine);
    let offered = crate::estimate::speculative_offered(model, options.runtime);
    let f = match fit(model, quant, machine, options) {
        Ok(f) => f,
        Err(e) => {
            ui.label(format!("{} {}: {e}", model.name, quant.id));
            return;
        }
    };
    egui::ScrollArea::vertical()
        .id_salt("detail")
        .show(ui, |ui| {
            ui.heading(format!(
                "{} · {} · {}",
                model.name,
                quant.id,
                f.verdict.level.label(app.lang)
            ));
            ui.label(f.verdict.reason(app.lang));
            memory_bar(ui, app, &f);
            egui::Grid::new("detail-grid").show(ui, |ui| {
                ui.strong(t.runtime);
                ui.label(f.options.runtime.cli_name());
                ui.end_row();
                ui.strong(t.placement);
                let mut p = f.placement.kind.json_name().to_string();
                if f.placement.kind == PlacementKind::PartialOffload {
                    p.push_str(&format!(
                        " ({}/{})",
                        f.placement.gpu_layers, f.placement.total_layers
                    ));
                }
                ui.label(p);
                ui.end_row();
                if !offered.is_empty() {
                    let label = ui.strong(t.speculative);
                    let current = f.options.speculative;
                    let name = |k: Option<SpeculativeKind>| match k {
                        None => t.speculative_off,
                        Some(SpeculativeKind::Mtp) => "MTP",
                        Some(SpeculativeKind::Dspark) => "DSpark",
                    };
                    egui::ComboBox::from_id_salt("speculative")
                        .selected_text(name(current))
                        .show_ui(ui, |ui| {
                            for k in std::iter::once(None).chain(offered.iter().map(|k| Some(*k))) {
                                if ui.selectable_label(current == k, name(k)).clicked()
                                    && current != k
                                {
                                    cmds.push(Command::SetSpeculative(k));
                                }
                            }
                        })
                        .response
                        .labelled_by(label.id)
                        .on_hover_text(t.speculative_tip);
                    ui.end_row();
                }
                if f.placement.kind != PlacementKind::DoesNotFit {
                    ui.strong(t.speed);
                    ui.label(format!(
                        "{} {}",
                        speed_range(f.speed.decode_low, f.speed.decode_high),
                        t.tok_s
                    ))
                    .on_hover_text(t.speed_assumes);
                    ui.end_row();
                    ui.strong(t.prefill);
                    ui.label(format!("{:.0} {}", f.speed.prefill, t.tok_s));
                    ui.end_row();
                }
            });
            ui.small(t.speed_assumes);
            ui.add_space(6.0);
            ui.strong(t.attention);
            ui.label(explain::attention_layout(&f, app.lang));
            let notes = explain::confusions(&f, app.lang);
            if !notes.is_empty() {
                ui.add_space(6.0);
                ui.strong(t.good_to_know);
                for n in notes {
                    ui.label(format!("• {n}"));
                }
            }
            ui.add_space(6.0);
            ui.strong(t.quality);
            if model.quality.is_empty() {
                ui.label(t.no_scores);
            }
            for s in model.quality.iter().take(8) {
                ui.label(format!("{}: {}", s.benchmark, s.value))
                    .on_hover_text(&s.source);
            }
            let changes = smallest_changes(catalog, &f, machine);
            if !changes.is_empty() {
                ui.add_space(6.0);
                ui.strong(t.would_fit_if);
                for c in &changes {
                    ui.label(format!("• {}", c.describe(app.lang)));
                }
            }
            let commands = launch_commands(&f);
            if !commands.is_empty() {
                ui.add_space(6.0);
                ui.strong(t.launch);
                for c in commands {
                    ui.horizontal(|ui| {
                        ui.code(&c);
                        if ui
                            .small_button(format!(
                                "{} {}",
                                t.copy,
                                c.split_whitespace().next().unwrap_or("")
                            ))
                            .clicked()
                        {
                            cmds.push(Command::Copy(c.clone()));
                        }
                    });
                }
            }
        });
}
