//! The central tabs: Verdict (this issue), Wizard and Costs (filled by the cost model).

use crate::app::state::{Command, Tab};
use crate::app::AdvisorApp;
use eframe::egui;

pub fn show(ui: &mut egui::Ui, app: &mut AdvisorApp, cmds: &mut Vec<Command>) {
    let t = app.texts();
    ui.horizontal(|ui| {
        ui.selectable_value(&mut app.tab, Tab::Verdict, t.tab_verdict);
        ui.selectable_value(&mut app.tab, Tab::Wizard, t.tab_wizard);
        ui.selectable_value(&mut app.tab, Tab::Costs, t.tab_costs);
    });
    ui.separator();
    match app.tab {
        Tab::Verdict => super::verdict::show(ui, app, cmds),
        Tab::Wizard | Tab::Costs => {
            ui.label(t.costs_later);
        }
    }
}
