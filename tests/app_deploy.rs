//! The app with the private-R1 scenario on 8× H200: the Costs tab says what one server serves at
//! the service level and how the cluster is built; File → Export deployment writes the plan's
//! deployment (the folder comes from the scripted dialog, the files land in `deploy-<target>`
//! inside it, and a second export into the same place is refused); the wizard's result card exports
//! the report and the deployment too.

#[path = "support/app.rs"]
mod app_support;
use app_support::Setup;
use deepseek_advisor::app::dialogs::ScriptedDialogs;
use deepseek_advisor::app::state::Tab;
use deepseek_advisor::app::AdvisorApp;
use deepseek_advisor::lang::Lang;
use deepseek_advisor::wizard::steps::RESULT;
use eframe::egui;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use std::path::PathBuf;

fn harness(folder: PathBuf, lang: Lang) -> Harness<'static, AdvisorApp> {
    harness_with(
        ScriptedDialogs {
            folders: vec![Some(folder.clone()), Some(folder)],
            ..Default::default()
        },
        lang,
    )
}

/// The private-R1 scenario on 8× H200 with these dialog answers.
fn harness_with(dialogs: ScriptedDialogs, lang: Lang) -> Harness<'static, AdvisorApp> {
    let scenario = PathBuf::from(format!(
        "{}/scenarios/r1-671b-private-h200.ron",
        env!("CARGO_MANIFEST_DIR")
    ));
    let mut h = app_support::app(Setup {
        dialogs,
        open_path: Some(scenario),
        lang,
        size: egui::vec2(1600.0, 1200.0),
        ..Setup::new(app_support::machine(&["h200-sxm:8"], 2048.0, 614.4, 112))
    });
    h.run();
    h
}

fn export(h: &mut Harness<'static, AdvisorApp>, file: &str, menu: &str, item: &str) {
    h.get_by_label(file).click();
    h.run();
    h.get_by_label(menu).click();
    h.run();
    h.get_by_label(item).click();
    h.run();
    h.run();
}

#[test]
fn export_deployment_writes_kubernetes_files_into_the_chosen_folder() {
    let folder = std::env::temp_dir().join(format!("dsa-app-deploy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let mut h = harness(folder.clone(), Lang::En);
    export(&mut h, "File", "Export deployment", "Kubernetes…");
    let out = folder.join("deploy-k8s");
    for f in [
        "deployment.yaml",
        "service.yaml",
        "download-model.sh",
        "README.md",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    h.get_by_label_contains("Deployment files written");
    h.get_by_label("OK").click();
    h.run();
    assert!(h.state().notice.is_none());
    // The same folder again: the export is refused and says why; the files stay.
    export(&mut h, "File", "Export deployment", "Kubernetes…");
    h.get_by_label_contains("Could not export the deployment");
    assert!(h
        .state()
        .error
        .as_deref()
        .unwrap_or("")
        .contains("not empty"));
    assert!(out.join("README.md").is_file());
    let _ = std::fs::remove_dir_all(&folder);
}

#[test]
fn export_menu_in_chinese() {
    let folder = std::env::temp_dir().join(format!("dsa-app-deploy-zh-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let mut h = harness(folder.clone(), Lang::Zh);
    export(&mut h, "文件", "导出部署", "Shell 脚本…");
    assert!(folder.join("deploy-shell").join("run-server.sh").is_file());
    h.get_by_label_contains("部署文件已写入");
    let _ = std::fs::remove_dir_all(&folder);
}

#[test]
fn the_costs_tab_shows_the_operating_point_and_the_cluster_layout() {
    for (lang, tab, heading, users, cluster) in [
        (
            Lang::En,
            "Costs",
            "Serving at your service level",
            "users at once",
            "the cluster is",
        ),
        (
            Lang::Zh,
            "成本",
            "服务水平下的承载能力",
            "个用户",
            "集群采用",
        ),
    ] {
        let mut h = harness(std::env::temp_dir(), lang);
        h.get_by_label(tab).click();
        h.run();
        h.get_by_label(heading);
        h.get_by_label_contains(users);
        h.get_by_label_contains(cluster);
    }
}

#[test]
fn the_result_card_exports_the_report_and_the_deployment() {
    let folder = std::env::temp_dir().join(format!("dsa-app-card-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let report = folder.join("decision.html");
    let mut h = harness_with(
        ScriptedDialogs {
            exports: vec![Some(report.clone())],
            folders: vec![Some(folder.clone())],
            ..Default::default()
        },
        Lang::En,
    );
    h.state_mut().tab = Tab::Wizard;
    h.state_mut().wizard_step = RESULT;
    h.run();
    h.get_by_label("Export Report…").click();
    h.run();
    h.run();
    let html = std::fs::read_to_string(&report).expect("the report is written");
    assert!(html.contains("<svg"), "with its charts");
    h.get_by_label("OK").click();
    h.run();
    h.get_by_label("Export deployment").click();
    h.run();
    h.get_by_label("Shell scripts…").click();
    h.run();
    h.run();
    assert!(folder
        .join("deploy-shell")
        .join("download-model.sh")
        .is_file());
    h.get_by_label_contains("Deployment files written");
    let _ = std::fs::remove_dir_all(&folder);
}
