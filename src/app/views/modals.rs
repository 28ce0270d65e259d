//! Dialogs: unsaved changes, errors, notices, About, and recovered work.

use crate::app::state::Command;
use crate::app::AdvisorApp;
use eframe::egui;

pub fn show(ctx: &egui::Context, app: &AdvisorApp, cmds: &mut Vec<Command>) {
    let t = app.texts();
    if app.pending.is_some() {
        egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
            ui.heading(t.unsaved_title);
            ui.label(t.unsaved_body);
            ui.horizontal(|ui| {
                if ui.button(t.save).clicked() {
                    cmds.push(Command::SaveThenContinue);
                }
                if ui.button(t.discard).clicked() {
                    cmds.push(Command::DiscardThenContinue);
                }
                if ui.button(t.cancel).clicked() {
                    cmds.push(Command::CancelPending);
                }
            });
        });
    } else if let Some(e) = &app.error {
        egui::Modal::new(egui::Id::unique("error")).show(ctx, |ui| {
            ui.label(e);
            if ui.button(t.ok).clicked() {
                cmds.push(Command::DismissError);
            }
        });
    } else if let Some(n) = &app.notice {
        egui::Modal::new(egui::Id::unique("notice")).show(ctx, |ui| {
            ui.label(n);
            if ui.button(t.ok).clicked() {
                cmds.push(Command::DismissNotice);
            }
        });
    } else if app.show_about {
        about(ctx, app, cmds);
    } else if app.recovered.is_some() {
        egui::Modal::new(egui::Id::unique("recovered")).show(ctx, |ui| {
            ui.label(t.recovered);
            ui.horizontal(|ui| {
                if ui.button(t.restore).clicked() {
                    cmds.push(Command::RestoreAutosave);
                }
                if ui.button(t.discard).clicked() {
                    cmds.push(Command::DiscardAutosave);
                }
            });
        });
    }
}

/// Help → About: version, how recent the catalogs are (computed from their dates), licences.
fn about(ctx: &egui::Context, app: &AdvisorApp, cmds: &mut Vec<Command>) {
    let t = app.texts();
    let catalog = crate::catalog::Catalog::get();
    let lang = app.lang;
    egui::Modal::new(egui::Id::unique("about")).show(ctx, |ui| {
        ui.heading(t.app_name);
        ui.label(format!("{} {}", t.version, crate::about::VERSION));
        let undated = lang.pick("undated", "无日期");
        ui.label(format!(
            "{} {}",
            t.prices_as_of,
            crate::about::prices_as_of(catalog).unwrap_or(undated)
        ));
        ui.label(format!(
            "{} {}",
            t.models_as_of,
            crate::about::models_as_of(catalog).unwrap_or(undated)
        ));
        ui.add_space(6.0);
        ui.strong(t.licences);
        egui::Grid::new("licences").striped(true).show(ui, |ui| {
            for l in &crate::about::LICENCES {
                ui.label(l.component);
                ui.label(l.licence);
                ui.label(lang.pick(l.note_en, l.note_zh));
                ui.end_row();
            }
        });
        ui.add_space(6.0);
        if ui.button(t.close).clicked() {
            cmds.push(Command::ShowAbout(false));
        }
    });
}
