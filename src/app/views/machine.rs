//! Left panel: the detected hardware (each value's source in its tooltip) and the what-if editor.

use crate::app::i18n;
use crate::app::state::Command;
use crate::app::AdvisorApp;
use crate::catalog::schema::DeviceClass;
use crate::catalog::Catalog;
use crate::hardware::problem::Problem;
use crate::hardware::sources::membw::probe_date;
use crate::scenario::WhatIfGpu;
use eframe::egui;

pub fn show(ui: &mut egui::Ui, app: &mut AdvisorApp, cmds: &mut Vec<Command>) {
    egui::Panel::left("machine")
        .resizable(true)
        .default_size(300.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                this_machine(ui, app, cmds);
                ui.add_space(12.0);
                what_if(ui, app, cmds);
            });
        });
}

fn this_machine(ui: &mut egui::Ui, app: &AdvisorApp, cmds: &mut Vec<Command>) {
    let t = app.texts();
    ui.heading(t.this_machine);
    let Some(p) = app.profile() else {
        ui.horizontal(|ui| {
            ui.add(egui::Spinner::new());
            ui.label(t.detecting);
        });
        return;
    };
    let row = |ui: &mut egui::Ui, key: &str, value: String, source: &str| {
        ui.horizontal_wrapped(|ui| {
            ui.strong(key);
            ui.label(value)
                .on_hover_text(format!("{}: {source}", t.source));
        });
    };
    if !p.cpu.brand.is_empty() || p.cpu.physical_cores > 0 {
        row(
            ui,
            t.cpu,
            format!(
                "{} ({} / {})",
                p.cpu.brand, p.cpu.physical_cores, p.cpu.logical_cores
            ),
            &p.cpu.source,
        );
    }
    row(
        ui,
        t.ram,
        format!("{:.1} GB", p.ram_total_gb),
        &p.ram_source,
    );
    row(
        ui,
        t.mem_bw,
        format!("{:.0} GB/s", p.cpu.mem_bw_gbs),
        &p.cpu.mem_bw_source,
    );
    if let Some(date) = probe_date(&p.cpu.mem_bw_source) {
        ui.small(format!(
            "{} {date} {}",
            t.bw_measured_on, t.bw_busy_reads_low
        ));
    }
    if p.gpus.is_empty() {
        ui.label(t.no_gpu);
    }
    for g in &p.gpus {
        let mut text = format!("{} — {:.1} GB", g.name, g.vram_total_gb);
        if g.catalog_id.is_none() {
            text.push_str(" ⚠");
        }
        let mut tip = format!("{}: {}", t.source, g.source);
        for n in &g.notes {
            tip.push('\n');
            tip.push_str(n);
        }
        ui.label(text).on_hover_text(tip);
    }
    // Known detection problems as one plain sentence; the technical note in the tooltip.
    for n in &p.notes {
        match Problem::classify(n) {
            Some(problem) => {
                ui.label(problem.sentence(app.lang)).on_hover_text(n);
            }
            None => {
                ui.small(n);
            }
        }
    }
    if app.scenario.hardware.profile.is_none() && ui.button(t.redetect).clicked() {
        cmds.push(Command::Redetect);
    }
    measured_here(ui, app, cmds);
}

/// The measurements saved for this machine (newest first) and the Measure… button.
fn measured_here(ui: &mut egui::Ui, app: &AdvisorApp, cmds: &mut Vec<Command>) {
    let lang = app.lang;
    let saved = app.measurements();
    if !saved.is_empty() {
        ui.add_space(4.0);
        ui.strong(lang.pick("Measured here", "本机实测"));
    }
    for r in saved.iter().take(5) {
        let Some(l) = r.results.first() else {
            continue;
        };
        let name = match (&r.server.catalog_model, &r.server.quant) {
            (Some(m), Some(q)) => format!("{m} {q}"),
            _ => r.server.model.clone(),
        };
        ui.label(format!("{name} — {:.1} tok/s", l.decode_tok_s))
            .on_hover_text(format!(
                "{}, {}, {} {}",
                r.server.label(),
                r.date,
                l.concurrency,
                lang.pick("user(s)", "个用户")
            ));
    }
    super::measure::button(ui, app, ("Measure…", "实测…"), cmds);
}

fn labelled_drag(ui: &mut egui::Ui, label: &str, value: &mut f64, max: f64) -> bool {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(egui::DragValue::new(value).range(0.0..=max).speed(1.0))
            .labelled_by(l.id)
            .changed()
    })
    .inner
}

fn what_if(ui: &mut egui::Ui, app: &mut AdvisorApp, cmds: &mut Vec<Command>) {
    let t = app.texts();
    ui.heading(t.what_if);
    ui.small(t.what_if_hint);
    if app.profile().is_none() {
        return;
    }
    let catalog = Catalog::get();
    // GPU picker.
    ui.horizontal(|ui| {
        let current = catalog
            .gpu(&app.add_gpu_id)
            .map(|g| g.name.clone())
            .unwrap_or_default();
        egui::ComboBox::from_label(t.gpu_model)
            .selected_text(current)
            .width(170.0)
            .show_ui(ui, |ui| {
                for g in catalog
                    .gpus
                    .gpus
                    .iter()
                    .filter(|g| g.class != DeviceClass::AppleUnified)
                {
                    let r = ui.selectable_value(&mut app.add_gpu_id, g.id.clone(), &g.name);
                    let mut tip = format!("{} GB, {} GB/s", g.vram_gb, g.mem_bw_gbs);
                    if let Some(p) = &g.price {
                        tip.push('\n');
                        tip.push_str(&i18n::price(app.lang, p));
                    }
                    r.on_hover_text(tip);
                }
            });
    });
    ui.horizontal(|ui| {
        let l = ui.label(t.count);
        ui.add(egui::DragValue::new(&mut app.add_gpu_count).range(1..=64))
            .labelled_by(l.id);
        if ui.button(t.add_gpu).clicked() {
            app.begin_what_if();
            let w = &mut app.scenario.hardware.what_if;
            w.enabled = true;
            match w.gpus.iter_mut().find(|g| g.id == app.add_gpu_id) {
                Some(g) => g.count += app.add_gpu_count,
                None => w.gpus.push(WhatIfGpu {
                    id: app.add_gpu_id.clone(),
                    count: app.add_gpu_count,
                }),
            }
            cmds.push(Command::Edited);
        }
    });
    if app.scenario.hardware.what_if.enabled {
        let mut remove = None;
        for (i, g) in app.scenario.hardware.what_if.gpus.iter().enumerate() {
            ui.horizontal(|ui| {
                let name = catalog.gpu(&g.id).map(|e| e.name.as_str()).unwrap_or(&g.id);
                ui.label(format!("{}× {name}", g.count));
                // The button says "Remove"; its accessible name and tooltip say which GPU.
                let what = format!("{} {name}", t.remove);
                let r = ui.small_button(t.remove);
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &what));
                if r.on_hover_text(&what).clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            app.scenario.hardware.what_if.gpus.remove(i);
            cmds.push(Command::Edited);
        }
    }
    let mut ram = app.machine().map_or(0.0, |m| m.ram_gb);
    let mut bw = app.machine().map_or(0.0, |m| m.cpu_mem_bw_gbs);
    if labelled_drag(ui, t.ram_gb, &mut ram, 65_536.0) {
        app.begin_what_if();
        app.scenario.hardware.what_if.ram_gb = ram;
        cmds.push(Command::Edited);
    }
    if labelled_drag(ui, t.cpu_bw_gbs, &mut bw, 20_000.0) {
        app.begin_what_if();
        app.scenario.hardware.what_if.cpu_mem_bw_gbs = bw;
        cmds.push(Command::Edited);
    }
    if app.scenario.hardware.what_if.enabled && ui.button(t.reset_to_detected).clicked() {
        cmds.push(Command::ResetToDetected);
    }
}
