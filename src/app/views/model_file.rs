//! The model-file card at the top of the Verdict tab: the file's name, the architecture found,
//! its exact size by tensor group, and the usual verdict, placement and speed on this machine.

use crate::app::i18n::group_name;
use crate::app::state::{Command, ModelFileState};
use crate::app::AdvisorApp;
use crate::estimate::placement::PlacementKind;
use crate::estimate::verdict::speed_range;
use crate::estimate::FitOptions;
use crate::hardware::Machine;
use crate::modelfile::evaluate::Evaluation;
use eframe::egui;

fn gb(bytes: f64) -> String {
    format!("{:.2} GB", bytes / 1e9)
}

pub fn show(
    ui: &mut egui::Ui,
    app: &AdvisorApp,
    machine: Option<&Machine>,
    cmds: &mut Vec<Command>,
) {
    let t = app.texts();
    let Some(state) = &app.model_file else {
        return;
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.strong(t.model_file);
            if ui.small_button(t.close).clicked() {
                cmds.push(Command::CloseModelFile);
            }
        });
        match state {
            ModelFileState::Reading(p) => {
                ui.horizontal(|ui| {
                    ui.add(egui::Spinner::new());
                    ui.label(format!("{} {}", t.reading_model, p.display()));
                });
            }
            ModelFileState::Failed(message) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("{}: {message}", t.model_file_failed),
                );
            }
            ModelFileState::Ready(e) => ready(ui, app, e, machine),
        }
    });
}

fn ready(ui: &mut egui::Ui, app: &AdvisorApp, e: &Evaluation, machine: Option<&Machine>) {
    let t = app.texts();
    let lang = app.lang;
    let name = e
        .file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| e.file.path.display().to_string());
    ui.heading(name)
        .on_hover_text(e.file.path.display().to_string());
    ui.label(format!(
        "{}: {} · {}",
        t.architecture,
        if e.kind.is_empty() { "?" } else { &e.kind },
        e.identity(lang)
    ));
    if let Some(n) = &e.matched.note {
        ui.label(n.describe(lang));
    }
    ui.label(format!(
        "{}: {} · {} {} · {} {}",
        t.quant,
        e.quant.id,
        gb(e.file.file_bytes as f64),
        t.on_disk,
        e.file.tensors.len(),
        t.tensors
    ));
    ui.strong(t.size_by_group);
    egui::Grid::new("model-file-groups")
        .striped(true)
        .show(ui, |ui| {
            for (g, bytes) in e.breakdown.by_group() {
                ui.label(group_name(lang, g));
                ui.label(gb(bytes as f64));
                let types: Vec<String> = e
                    .breakdown
                    .types_of(g)
                    .iter()
                    .map(|(ty, b)| format!("{ty} {}", gb(*b as f64)))
                    .collect();
                ui.label(types.join(", "));
                ui.end_row();
            }
            ui.strong(t.total);
            ui.strong(gb(e.breakdown.total() as f64));
            ui.end_row();
        });
    if let Some(why) = e.no_estimate_reason(lang) {
        ui.label(why);
        return;
    }
    let Some(machine) = machine else {
        ui.horizontal(|ui| {
            ui.add(egui::Spinner::new());
            ui.label(t.detecting);
        });
        return;
    };
    let sel = &app.scenario.selection;
    let max_context = e.model.as_ref().map_or(1, |m| m.arch.max_context);
    let runtime = if !sel.auto_runtime && e.quant.runtimes.contains(&sel.runtime) {
        sel.runtime
    } else {
        e.default_runtime()
    };
    let options = FitOptions::new(runtime, sel.context.clamp(1, max_context));
    match e.fit(machine, options) {
        Err(err) => {
            ui.label(err.to_string());
        }
        Ok(f) => {
            ui.strong(format!(
                "{}: {} — {}",
                t.verdict,
                f.verdict.level.label(lang),
                f.verdict.reason(lang)
            ));
            egui::Grid::new("model-file-fit").show(ui, |ui| {
                ui.label(t.runtime);
                ui.label(format!(
                    "{} · {} {}",
                    options.runtime.cli_name(),
                    t.context,
                    options.context
                ));
                ui.end_row();
                ui.label(t.total);
                ui.label(format!(
                    "{} ({} {} + {} {} + {} {})",
                    gb(f.total_bytes()),
                    t.weights,
                    gb(f.weights.bytes),
                    t.kv_cache,
                    gb(f.kv_bytes),
                    t.overhead,
                    gb(f.overhead_bytes())
                ));
                ui.end_row();
                ui.label(t.placement);
                ui.label(f.placement.kind.json_name());
                ui.end_row();
                if f.placement.kind != PlacementKind::DoesNotFit {
                    ui.label(t.speed);
                    ui.label(format!(
                        "{} {}",
                        speed_range(f.speed.decode_low, f.speed.decode_high),
                        t.tok_s
                    ));
                    ui.end_row();
                }
            });
        }
    }
    ui.small(t.drop_hint);
}
