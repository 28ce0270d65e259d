//! Verdict tab: the headline, context and runtime selectors, the models × quants grid (by
//! precision class or by file; the models that don't fit folded into one line) and the detail of
//! the clicked cell, or of the headline's until one is clicked.

use crate::app::i18n;
use crate::app::state::Command;
use crate::app::verdict_grid::{GridRow, RowGroup, VerdictGrid};
use crate::app::AdvisorApp;
use crate::catalog::schema::Runtime;
use crate::estimate::verdict::VerdictLevel;
use eframe::egui;

pub const CONTEXTS: [u32; 6] = [4096, 8192, 16384, 32768, 65536, 131072];

/// Space between the grid's columns and rows: rows packed closely, so that every model that runs
/// and the strongest that don't are on the first screen at 1280×800.
const ROW_SPACING: [f32; 2] = [6.0, 1.0];

/// Text size of a cell (in the precision view: file name and speed).
const CELL_TEXT: f32 = 12.0;
/// Height of a grid row and text size of its model name.
const ROW_HEIGHT: f32 = 18.0;
const MODEL_TEXT: f32 = 13.0;

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
    let headline = app.verdict_grid(&machine);
    ui.heading(&headline.headline);
    if let Some(line) = headline
        .headline_cell
        .as_ref()
        .and_then(|(model, quant)| headline_measured(app, model, quant))
    {
        ui.label(line);
    }
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
        ui.separator();
        // Columns: one per precision class (each cell names its file), or one per file.
        ui.selectable_value(&mut app.verdict_by_file, false, t.by_precision)
            .on_hover_text(t.by_precision_tip);
        ui.selectable_value(&mut app.verdict_by_file, true, t.by_file)
            .on_hover_text(t.by_file_tip);
    });
    ui.separator();
    // Again: the selectors above may have changed the context or runtime this frame.
    let grid_data = app.verdict_grid(&machine);
    grid(ui, app, &grid_data, cmds);
    let (more_runs, misfits) = grid_data.folded();
    if more_runs + misfits > 0 {
        let any_runs = grid_data.rows.iter().any(|r| r.group == RowGroup::Runs);
        let line = i18n::folded_line(
            app.lang,
            (more_runs, misfits),
            app.verdict_show_misfits,
            any_runs,
        );
        if ui.button(line).clicked() {
            app.verdict_show_misfits = !app.verdict_show_misfits;
        }
    }
    ui.separator();
    // Until a cell is clicked, the detail is the headline's.
    let app: &AdvisorApp = app;
    let on_open = app.scenario.selection.model.is_none();
    super::detail::show(
        ui,
        app,
        &machine,
        detail_cell(app, &grid_data),
        on_open,
        cmds,
    );
}

/// The rows the grid shows: all but the folded ones, unless they are opened.
fn shown_rows<'a>(app: &AdvisorApp, data: &'a VerdictGrid) -> impl Iterator<Item = &'a GridRow> {
    let open = app.verdict_show_misfits;
    data.rows
        .iter()
        .filter(move |r| open || matches!(r.group, RowGroup::Runs | RowGroup::WouldTake))
}

/// This machine's latest saved one-user measurement of the headline's model and quant, as the
/// line shown under the headline (the grid itself stays the catalog's estimate).
fn headline_measured(app: &AdvisorApp, model: &str, quant: &str) -> Option<String> {
    if app.scenario.hardware.what_if.enabled {
        return None;
    }
    let report = app
        .measure
        .saved_of(app.profile()?, model, quant)
        .into_iter()
        .max_by(|a, b| a.date.cmp(&b.date))?;
    let one_user = report
        .results
        .iter()
        .min_by_key(|l| l.concurrency)
        .filter(|l| l.decode_tok_s.is_finite() && l.decode_tok_s > 0.0)?;
    Some(i18n::headline_measured(
        app.lang,
        one_user.decode_tok_s,
        report.server.kind.display(),
        &report.date,
    ))
}

/// The model × quant the detail shows: the clicked cell, else the headline's.
fn detail_cell<'a>(app: &'a AdvisorApp, data: &'a VerdictGrid) -> Option<(&'a str, &'a str)> {
    let sel = &app.scenario.selection;
    match (&sel.model, &sel.quant) {
        (Some(m), Some(q)) => Some((m, q)),
        _ => data
            .headline_cell
            .as_ref()
            .map(|(m, q)| (m.as_str(), q.as_str())),
    }
}

fn grid(ui: &mut egui::Ui, app: &AdvisorApp, data: &VerdictGrid, cmds: &mut Vec<Command>) {
    egui::ScrollArea::vertical()
        .id_salt("verdict-rows")
        .max_height(ui.available_height() * 0.62)
        .show(ui, |ui| {
            // Rows are as tall as a cell's button in both grids, so the pinned model column and
            // the scrolling cells stay aligned (and striped alike).
            ui.spacing_mut().interact_size.y = ROW_HEIGHT;
            let row_h = ROW_HEIGHT;
            ui.horizontal_top(|ui| {
                egui::Grid::new("verdict-models")
                    .striped(true)
                    .spacing(ROW_SPACING)
                    .min_row_height(row_h)
                    .show(ui, |ui| {
                        ui.strong(app.texts().model);
                        ui.end_row();
                        for row in shown_rows(app, data) {
                            model_name(ui, app, row);
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

/// A row's model name; its tooltip says what the row's best file is, or what it would take.
fn model_name(ui: &mut egui::Ui, app: &AdvisorApp, row: &GridRow) {
    let mut name = egui::RichText::new(&row.model_name).size(MODEL_TEXT);
    if matches!(row.group, RowGroup::WouldTake | RowGroup::DoesNotFit) {
        name = name.weak();
    }
    let r = ui.add(egui::Label::new(name).extend());
    let mut tip = match &row.best {
        Some((q, level)) if *level != VerdictLevel::DoesNotFit => {
            format!("{q}: {}", level.label(app.lang))
        }
        _ => String::new(),
    };
    if !row.would_take.is_empty() {
        if !tip.is_empty() {
            tip.push('\n');
        }
        tip.push_str(app.texts().would_fit_if_row);
        for w in &row.would_take {
            tip.push_str(&format!("\n• {w}"));
        }
    }
    if !tip.is_empty() {
        r.on_hover_text(tip);
    }
}

/// The cells of the grid, one row per model (the model names are pinned beside): one column per
/// precision class, each cell naming its file, or one column per file.
fn cells(ui: &mut egui::Ui, app: &AdvisorApp, data: &VerdictGrid, cmds: &mut Vec<Command>) {
    let t = app.texts();
    let dark = ui.visuals().dark_mode;
    let row_h = ROW_HEIGHT;
    let by_file = app.verdict_by_file;
    let shown = detail_cell(app, data);
    egui::Grid::new("verdict-grid")
        .striped(true)
        .spacing(ROW_SPACING)
        .min_row_height(row_h)
        .show(ui, |ui| {
            if by_file {
                for q in &data.quants {
                    ui.strong(q);
                }
            } else {
                for c in &data.classes {
                    ui.strong(c.label(app.lang))
                        .on_hover_text(t.by_precision_tip);
                }
            }
            ui.end_row();
            for row in shown_rows(app, data) {
                let columns: Vec<Option<usize>> = if by_file {
                    (0..data.quants.len()).map(Some).collect()
                } else {
                    row.class_cells.clone()
                };
                for column in columns {
                    let Some((q, cell)) =
                        column.and_then(|i| Some((&data.quants[i], row.cells[i].as_ref()?)))
                    else {
                        ui.label("");
                        continue;
                    };
                    let best = row.best.as_ref().is_some_and(|(b, _)| b == q);
                    let text = if by_file {
                        cell.text.clone()
                    } else {
                        format!("{q} {}", cell.text)
                    };
                    let mut text = egui::RichText::new(text);
                    if best {
                        text = text.strong();
                    }
                    // Small enough that eight columns naming their files fit beside the
                    // machine panel, and that a button is no taller than a model name's row.
                    text = text.size(CELL_TEXT);
                    let selected = shown == Some((row.model_id.as_str(), q.as_str()));
                    let button = egui::Button::new(text)
                        .fill(level_color(cell.level, dark))
                        .selected(selected)
                        .min_size(egui::vec2(if by_file { 52.0 } else { 0.0 }, 0.0));
                    let label = cell_label(&row.model_id, q, cell.level, app.lang);
                    let r = ui.add(button);
                    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                    let tip = if best {
                        format!("{q}\n{}\n{}", cell.tooltip, t.best_here)
                    } else {
                        format!("{q}\n{}", cell.tooltip)
                    };
                    let r = r.on_hover_text(tip);
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
