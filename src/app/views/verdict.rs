//! Verdict tab: the headline, context and runtime selectors, and the models × quants grid.

use crate::app::i18n;
use crate::app::state::Command;
use crate::app::AdvisorApp;
use crate::catalog::schema::{ModelEntry, Runtime};
use crate::catalog::Catalog;
use crate::estimate::best::{best_index, best_per_model};
use crate::estimate::grid::{deepseek_models, model_fits};
use crate::estimate::verdict::{speed_range, VerdictLevel};
use crate::estimate::Fit;
use crate::hardware::Machine;
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

/// The headline sentence for a machine.
pub fn headline(app: &AdvisorApp, machine: &Machine) -> String {
    let catalog = Catalog::get();
    let sel = &app.scenario.selection;
    let results = best_per_model(catalog, machine, sel.runtime_choice(), sel.context);
    match best_index(&results) {
        Some(i) => {
            let f = &results[i].fit;
            i18n::headline(
                app.lang,
                &f.model.name,
                &f.quant.id,
                f.verdict.level,
                &speed_range(f.speed.decode_low, f.speed.decode_high),
            )
        }
        None => app.texts().none_fits.to_string(),
    }
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

fn memory_tooltip(app: &AdvisorApp, f: &Fit) -> String {
    let t = app.texts();
    format!(
        "{}: {:.1} GB\n{}: {:.1} GB\n{}: {:.1} GB\n{}: {:.1} GB\n{}: {}\n{}",
        t.weights,
        f.weights.bytes / 1e9,
        t.kv_cache,
        f.kv_bytes / 1e9,
        t.overhead,
        f.overhead_bytes() / 1e9,
        t.total,
        f.total_bytes() / 1e9,
        t.placement,
        f.placement.kind.json_name(),
        f.verdict.reason(app.lang)
    )
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
    ui.heading(headline(app, &machine));
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
    grid(ui, app, &machine, cmds);
    ui.separator();
    super::detail::show(ui, app, &machine, cmds);
}

fn grid(ui: &mut egui::Ui, app: &AdvisorApp, machine: &Machine, cmds: &mut Vec<Command>) {
    let catalog = Catalog::get();
    let sel = &app.scenario.selection;
    let rows: Vec<(&ModelEntry, Vec<Fit>)> = deepseek_models(catalog)
        .map(|m| {
            let fits = model_fits(catalog, m, machine, sel.runtime_choice(), sel.context)
                .filter(|f| f.quant.body_bpw <= 16.0)
                .collect();
            (m, fits)
        })
        .collect();
    // Columns: the quants that have a cell in some row, in catalog order.
    let quants: Vec<&str> = catalog
        .quants
        .quants
        .iter()
        .filter(|q| {
            rows.iter()
                .any(|(_, fits)| fits.iter().any(|f| f.quant.id == q.id))
        })
        .map(|q| q.id.as_str())
        .collect();
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
                        for (model, _) in &rows {
                            ui.add(egui::Label::new(&model.name).extend());
                            ui.end_row();
                        }
                    });
                egui::ScrollArea::horizontal()
                    .id_salt("verdict-cells")
                    .show(ui, |ui| {
                        cells(ui, app, &rows, &quants, cmds);
                    });
            });
        });
}

/// The quantization columns of the grid, one row per model (the model names are pinned beside).
fn cells(
    ui: &mut egui::Ui,
    app: &AdvisorApp,
    rows: &[(&ModelEntry, Vec<Fit>)],
    quants: &[&str],
    cmds: &mut Vec<Command>,
) {
    let sel = &app.scenario.selection;
    let dark = ui.visuals().dark_mode;
    let row_h = ui.spacing().interact_size.y;
    egui::Grid::new("verdict-grid")
        .striped(true)
        .min_row_height(row_h)
        .show(ui, |ui| {
            for q in quants {
                ui.strong(*q);
            }
            ui.end_row();
            for (model, fits) in rows {
                for q in quants {
                    match fits.iter().find(|f| f.quant.id == *q) {
                        None => {
                            ui.label("");
                        }
                        Some(f) => {
                            let text = if f.verdict.level == VerdictLevel::DoesNotFit {
                                "×".to_string()
                            } else if f.speed.decode < 10.0 {
                                format!("{:.1}", f.speed.decode)
                            } else {
                                format!("{:.0}", f.speed.decode)
                            };
                            let selected = sel.model.as_deref() == Some(model.id.as_str())
                                && sel.quant.as_deref() == Some(*q);
                            let button = egui::Button::new(text)
                                .fill(level_color(f.verdict.level, dark))
                                .selected(selected)
                                .min_size(egui::vec2(52.0, 0.0));
                            let label = cell_label(&model.id, q, f.verdict.level, app.lang);
                            let r = ui.add(button);
                            r.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
                            });
                            let r = r.on_hover_text(memory_tooltip(app, f));
                            if r.clicked() {
                                cmds.push(Command::SelectCell {
                                    model: model.id.clone(),
                                    quant: q.to_string(),
                                });
                            }
                        }
                    }
                }
                ui.end_row();
            }
        });
}
