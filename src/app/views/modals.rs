//! Dialogs: unsaved changes, errors, and recovered work.

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
