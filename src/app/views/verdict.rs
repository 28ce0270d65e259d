//! Verdict tab: the headline, context and runtime selectors, and the models × quants grid.

use crate::app::state::Command;
use crate::app::verdict_grid::VerdictGrid;
use crate::app::AdvisorApp;
use crate::catalog::schema::Runtime;
use crate::estimate::verdict::VerdictLevel;
use eframe::egui;

pub const CONTEXTS: [u32; 6] = [4096, 8192, 16384, 32768, 65536, 131072];

pub fn level_color(level: VerdictLevel, dark: bool) -> egui::Color32 {
    let (r, g, b) = match level {
        VerdictLevel::Comfortable => (46, 160, 67),
        VerdictLevel::Tight => (212, 167, 44),
        VerdictLevel::Slow => (219, 109, 40),
        VerdictLevel::DoesNotFit => (110, 110, 118),
    };
    let a = if dark { 150 } else { 110 };
    egui::Color32::from_rgba_unmultiplied(r, g, b, a)
}

/// The accessible name of a grid cell (what tests and screen readers find).
pub fn cell_label(
    model: &str,
    quant: &str,
    level: VerdictLevel,
    lang: crate::lang::Lang,
) -> String {
    format!("{model} {quant}: {}", level.label(lang))
}

pub fn show(ui: &mut egui::Ui, app: &mut AdvisorApp, cmds: &mut Vec<Command>) {
    let t = app.texts();
    if app.model_file.is_some() {
        super::model_file::show(ui, app, app.machine().as_ref(), cmds);
        ui.separator();
    }
    let Some(machine) = app.machine() else {
        ui.horizontal(|ui| {
            ui.add(egui::Spinner::new());
            ui.label(t.detecting);
        });
        return;
    };
    ui.heading(&app.verdict_grid(&machine).headline);
    ui.horizontal(|ui| {
        let sel = &mut app.scenario.selection;
        let before = (sel.context, sel.runtime_choice());
        egui::ComboBox::from_label(t.context)
            .selected_text(sel.context.to_string())
            .show_ui(ui, |ui| {
                for c in CONTEXTS {
                    ui.selectable_value(&mut sel.context, c, c.to_string());
                }
            });
        egui::ComboBox::from_label(t.runtime)
            .selected_text(if sel.auto_runtime {
                t.runtime_auto
            } else {
                sel.runtime.cli_name()
            })
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(sel.auto_runtime, t.runtime_auto)
                    .on_hover_text(t.runtime_auto_tip)
                    .clicked()
                {
                    sel.auto_runtime = true;
                }
                for r in Runtime::ALL {
                    if ui
                        .selectable_label(!sel.auto_runtime && sel.runtime == r, r.cli_name())
                        .clicked()
                    {
                        sel.auto_runtime = false;
                        sel.runtime = r;
                    }
                }
            });
        if before != (sel.context, sel.runtime_choice()) {
            cmds.push(Command::Edited);
        }
    });
    ui.separator();
    // Again: the selectors above may have changed the context or runtime this frame.
    let grid_data = app.verdict_grid(&machine);
    grid(ui, app, &grid_data, cmds);
    ui.separator();
    super::detail::show(ui, app, &machine, cmds);
}

fn grid(ui: &mut egui::Ui, app: &AdvisorApp, data: &VerdictGrid, cmds: &mut Vec<Command>) {
    // Rows are as tall as a cell's button in both grids, so the pinned model column and the
    // scrolling cells stay aligned (and striped alike).
    let row_h = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .id_salt("verdict-rows")
        .max_height(ui.available_height() * 0.55)
        .show(ui, |ui| {
            ui.horizontal_top(|ui| {
                egui::Grid::new("verdict-models")
                    .striped(true)
                    .min_row_height(row_h)
                    .show(ui, |ui| {
                        ui.strong(app.texts().model);
                        ui.end_row();
                        for row in &data.rows {
                            ui.add(egui::Label::new(&row.model_name).extend());
                            ui.end_row();
                        }
                    });
                egui::ScrollArea::horizontal()
                    .id_salt("verdict-cells")
                    .show(ui, |ui| {
                        cells(ui, app, data, cmds);
                    });
            });
        });
}

/// The quantization columns of the grid, one row per model (the model names are pinned beside).
fn cells(ui: &mut egui::Ui, app: &AdvisorApp, data: &VerdictGrid, cmds: &mut Vec<Command>) {
    let sel = &app.scenario.selection;
    let dark = ui.visuals().dark_mode;
    let row_h = ui.spacing().interact_size.y;
    egui::Grid::new("verdict-grid")
        .striped(true)
        .min_row_height(row_h)
        .show(ui, |ui| {
            for q in &data.quants {
                ui.strong(q);
            }
            ui.end_row();
            for row in &data.rows {
                for (q, cell) in data.quants.iter().zip(&row.cells) {
                    let Some(cell) = cell else {
                        ui.label("");
                        continue;
                    };
                    let selected = sel.model.as_deref() == Some(row.model_id.as_str())
                        && sel.quant.as_deref() == Some(q.as_str());
                    let button = egui::Button::new(&cell.text)
                        .fill(level_color(cell.level, dark))
                        .selected(selected)
                        .min_size(egui::vec2(52.0, 0.0));
                    let label = cell_label(&row.model_id, q, cell.level, app.lang);
                    let r = ui.add(button);
                    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                    let r = r.on_hover_text(&cell.tooltip);
                    if r.clicked() {
                        cmds.push(Command::SelectCell {
                            model: row.model_id.clone(),
                            quant: q.clone(),
                        });
                    }
                }
                ui.end_row();
            }
        });
}
