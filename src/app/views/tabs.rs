//! The central tabs: Verdict, Wizard, Costs and Buy.

use crate::app::state::{Command, Tab};
use crate::app::AdvisorApp;
use eframe::egui;

pub fn show(ui: &mut egui::Ui, app: &mut AdvisorApp, cmds: &mut Vec<Command>) {
    let t = app.texts();
    ui.horizontal(|ui| {
        ui.selectable_value(&mut app.tab, Tab::Verdict, t.tab_verdict);
        ui.selectable_value(&mut app.tab, Tab::Wizard, t.tab_wizard);
        ui.selectable_value(&mut app.tab, Tab::Costs, t.tab_costs);
        ui.selectable_value(&mut app.tab, Tab::Buy, app.lang.pick("Buy", "选购"));
    });
    ui.separator();
    match app.tab {
        Tab::Verdict => super::verdict::show(ui, app, cmds),
        Tab::Wizard => super::wizard::show(ui, app, cmds),
        Tab::Costs => super::costs::show(ui, app, cmds),
        Tab::Buy => super::buy::show(ui, app),
    }
}
