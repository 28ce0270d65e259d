//! Detail of the selected cell: memory bar against the machine, placement, speed with its
//! assumptions, official scores, what would make it fit, launch commands.

use crate::app::state::Command;
use crate::app::AdvisorApp;
use crate::catalog::schema::SpeculativeKind;
use crate::catalog::Catalog;
use crate::deploy::launch_commands;
use crate::estimate::explain;
use crate::estimate::placement::PlacementKind;
use crate::estimate::serving::{max_concurrency_by_memory, operating_point, RequestShape};
use crate::estimate::suggest::smallest_changes;
use crate::estimate::verdict::speed_range;
use crate::estimate::{fit, Fit};
use crate::evidence::nearest::for_estimate;
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
            format!("| {} {:.1} GB", t.gpu_memory, positive_gb(gpu)),
        );
        ui.colored_label(
            egui::Color32::from_rgb(219, 68, 55),
            format!("| {} {:.1} GB", t.ram, positive_gb(ram)),
        );
    });
}

/// Bytes as GB, 0 for nothing (never "-0.0": a machine without a GPU has no GPU memory).
fn positive_gb(bytes: f64) -> f64 {
    if bytes > 0.0 {
        bytes / 1e9
    } else {
        0.0
    }
}

/// "Measured on this machine": the saved measurements of this model and quant, the correction
/// the estimate got, and the Measure… button.
fn measured_here(
    ui: &mut egui::Ui,
    app: &AdvisorApp,
    f: &Fit,
    saved: &[crate::bench::BenchReport],
    correction: Option<&crate::bench::adjust::Correction>,
    cmds: &mut Vec<Command>,
) {
    let lang = app.lang;
    let mine = saved.iter().filter(|r| {
        r.server.catalog_model.as_deref() == Some(f.model.id.as_str())
            && r.server.quant.as_deref() == Some(f.quant.id.as_str())
    });
    for r in mine {
        for l in &r.results {
            ui.label(match lang {
                crate::lang::Lang::En => format!(
                    "Measured on this machine ({}, {}): {} user(s), {:.1} tok/s each, first token {:.2} s",
                    r.server.kind.display(),
                    r.date,
                    l.concurrency,
                    l.decode_tok_s,
                    l.ttft_s
                ),
                crate::lang::Lang::Zh => format!(
                    "本机实测（{}，{}）：{} 个用户，每用户 {:.1} tok/s，首 token {:.2} 秒",
                    r.server.kind.display(),
                    r.date,
                    l.concurrency,
                    l.decode_tok_s,
                    l.ttft_s
                ),
            });
        }
    }
    ui.horizontal_wrapped(|ui| {
        if let Some(c) = correction {
            ui.small(c.sentence(lang));
        }
        super::measure::button(
            ui,
            app,
            ("Measure it on this machine…", "在本机实测…"),
            cmds,
        );
    });
}

/// The most users the detail's field offers: beyond this, plan a cluster on the Costs tab.
const MAX_USERS: u32 = 1024;

/// What each user gets and what the machine delivers at the selected number of users, for prompts
/// and answers of half the window each.
fn serving_rows(ui: &mut egui::Ui, app: &AdvisorApp, f: &Fit) {
    let t = app.texts();
    let point = operating_point(f, RequestShape::half_window(f.options.context));
    // The estimate's range, scaled to the speed left after other users' prompts.
    let share = if f.speed.decode > 0.0 {
        point.per_user_tok_s / f.speed.decode
    } else {
        0.0
    };
    let per_user = speed_range(f.speed.decode_low * share, f.speed.decode_high * share);
    let rows = [
        (t.per_user, format!("{} {}", per_user, t.tok_s), None),
        (
            t.server_output,
            format!("{:.0} {}", point.aggregate_tok_s, t.tok_s),
            None,
        ),
        (
            t.first_token,
            format!("{:.2} s", point.ttft_s),
            Some(t.first_token_tip),
        ),
        (
            t.requests_per_s,
            format!("{:.2}", point.requests_per_s),
            None,
        ),
        (
            t.kv_pool_holds,
            format!("{} {}", max_concurrency_by_memory(f), t.users),
            None,
        ),
    ];
    for (name, value, tip) in rows {
        ui.strong(name);
        let r = ui.label(value);
        if let Some(tip) = tip {
            r.on_hover_text(tip);
        }
        ui.end_row();
    }
}

/// The published measurements nearest to this cell (serving ones first when several users are
/// asked for), each with its source link to copy.
fn measured(
    ui: &mut egui::Ui,
    app: &AdvisorApp,
    f: &Fit,
    machine: &Machine,
    cmds: &mut Vec<Command>,
) {
    let t = app.texts();
    ui.add_space(6.0);
    ui.strong(t.measured).on_hover_text(t.measured_tip);
    let near = for_estimate(f, machine);
    if near.is_empty() {
        ui.label(t.measured_none);
    }
    for n in &near {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("• {}", n.describe(app.lang)));
            if ui
                .small_button(t.copy_link)
                .on_hover_text(n.source_link())
                .clicked()
            {
                cmds.push(Command::Copy(n.source_link().to_string()));
            }
        });
    }
}

/// The detail of `cell` (model id, quant id); `on_open` says it is the headline's, shown before
/// any cell was clicked.
pub fn show(
    ui: &mut egui::Ui,
    app: &AdvisorApp,
    machine: &Machine,
    cell: Option<(&str, &str)>,
    on_open: bool,
    cmds: &mut Vec<Command>,
) {
    let t = app.texts();
    let catalog = Catalog::get();
    let sel = &app.scenario.selection;
    let Some((model_id, quant_id)) = cell else {
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
    // Measurements saved on this machine (`bench`): the measured model takes its measurement,
    // others this machine's factor — a step after the estimate, said below the verdict.
    let saved = app.measurements();
    let correction = crate::bench::adjust::correction(&f, machine, &saved);
    let f = correction
        .as_ref()
        .map_or(f, |c| crate::bench::adjust::apply(&f, c));
    egui::ScrollArea::vertical()
        .id_salt("detail")
        .show(ui, |ui| {
            ui.heading(format!(
                "{} · {} · {}",
                model.name,
                quant.id,
                f.verdict.level.label(app.lang)
            ));
            if on_open {
                ui.horizontal_wrapped(|ui| {
                    ui.label(f.verdict.reason(app.lang));
                    ui.weak(t.shown_on_open);
                });
            } else {
                ui.label(f.verdict.reason(app.lang));
            }
            measured_here(ui, app, &f, &saved, correction.as_ref(), cmds);
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
                let split = crate::estimate::explain::tier_split(&f, app.lang);
                if !split.is_empty() {
                    p.push_str(&format!(" ({split})"));
                }
                ui.label(p);
                ui.end_row();
                if let Some(note) = crate::estimate::explain::file_note(&f, app.lang) {
                    ui.strong(t.quant_file);
                    ui.label(note);
                    ui.end_row();
                }
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
                let label = ui.strong(t.users_at_once);
                let mut users = sel.concurrency.clamp(1, MAX_USERS);
                let r = ui
                    .add(egui::DragValue::new(&mut users).range(1..=MAX_USERS))
                    .labelled_by(label.id)
                    .on_hover_text(t.users_at_once_tip);
                if r.changed() && users != sel.concurrency {
                    cmds.push(Command::SetConcurrency(users));
                }
                ui.end_row();
                if f.placement.kind != PlacementKind::DoesNotFit && f.options.concurrency > 1 {
                    serving_rows(ui, app, &f);
                } else if f.placement.kind != PlacementKind::DoesNotFit {
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
            measured(ui, app, &f, machine, cmds);
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
