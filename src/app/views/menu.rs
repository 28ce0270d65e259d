//! Menu bar: File, View and Help.

use crate::app::state::{Command, ThemeChoice};
use crate::app::AdvisorApp;
use crate::catalog::schema::Currency;
use crate::lang::Lang;
use eframe::egui;

pub fn show(ui: &mut egui::Ui, app: &AdvisorApp, cmds: &mut Vec<Command>) {
    let t = app.texts();
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(t.file, |ui| {
                let item = |ui: &mut egui::Ui, label: &str, keys: &str| {
                    ui.add(egui::Button::new(label).shortcut_text(keys))
                        .clicked()
                };
                if item(ui, t.new, "Ctrl+N") {
                    cmds.push(Command::New);
                }
                if item(ui, t.open, "Ctrl+O") {
                    cmds.push(Command::Open);
                }
                ui.menu_button(t.open_recent, |ui| {
                    if app.prefs.recent.is_empty() {
                        ui.label(t.no_recent);
                    }
                    for p in &app.prefs.recent {
                        if ui.button(p.display().to_string()).clicked() {
                            cmds.push(Command::OpenPath(p.clone()));
                        }
                    }
                });
                if ui.button(t.evaluate_model).clicked() {
                    cmds.push(Command::EvaluateModel);
                }
                export_deployment_menu(ui, app.lang, cmds);
                if ui
                    .button(app.lang.pick("Import prices…", "导入价格文件…"))
                    .clicked()
                {
                    cmds.push(Command::ImportPrices);
                }
                ui.separator();
                if item(ui, t.save, "Ctrl+S") {
                    cmds.push(Command::Save);
                }
                if item(ui, t.save_as, "Ctrl+Shift+S") {
                    cmds.push(Command::SaveAs);
                }
                if ui.button(t.export_report).clicked() {
                    cmds.push(Command::ExportReport);
                }
                ui.separator();
                if item(ui, t.quit, "Ctrl+Q") {
                    cmds.push(Command::Quit);
                }
            });
            ui.menu_button(t.view, |ui| {
                for (lang, label) in [(Lang::Zh, "中文"), (Lang::En, "English")] {
                    if ui.radio(app.lang == lang, label).clicked() {
                        cmds.push(Command::SetLang(lang));
                    }
                }
                ui.separator();
                for (theme, label) in [
                    (ThemeChoice::Light, t.theme_light),
                    (ThemeChoice::Dark, t.theme_dark),
                    (ThemeChoice::System, t.theme_system),
                ] {
                    if ui.radio(app.prefs.theme == theme, label).clicked() {
                        cmds.push(Command::SetTheme(theme));
                    }
                }
                ui.separator();
                ui.label(t.currency);
                for (c, label) in [(Currency::Cny, "CNY ¥"), (Currency::Usd, "USD $")] {
                    if ui.radio(app.prefs.currency == c, label).clicked() {
                        cmds.push(Command::SetCurrency(c));
                    }
                }
            });
            ui.menu_button(t.help, |ui| {
                if ui.button(t.about).clicked() {
                    cmds.push(Command::ShowAbout(true));
                }
            });
        });
    });
}

/// "Export deployment" with its targets (shell scripts, Docker Compose, Kubernetes): in the File
/// menu and on the wizard's result card.
pub fn export_deployment_menu(ui: &mut egui::Ui, lang: Lang, cmds: &mut Vec<Command>) {
    use crate::deploy::Target;
    let t = crate::app::i18n::texts(lang);
    ui.menu_button(t.export_deployment, |ui| {
        for (target, label) in [
            (Target::Shell, t.export_shell),
            (Target::Compose, "Docker Compose…"),
            (Target::K8s, "Kubernetes…"),
        ] {
            if ui.button(label).clicked() {
                cmds.push(Command::ExportDeployment(target));
            }
        }
    });
}
