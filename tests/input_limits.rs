//! Resource limits on input: oversized files are refused before they are read; absurd sizes
//! (a context of 10^12, a million GPUs, 10^9 requests/day, huge concurrency and RAM) are a clear
//! error naming the argument or field, or a finite answer — never a hang, a giant allocation, a
//! panic, NaN or infinity.

use deepseek_advisor::catalog::hf_config;
use deepseek_advisor::cost::capacity::{server_capacity, Capacity};
use deepseek_advisor::cost::options::{option_costs, OptionKind, MAX_SERVERS};
use deepseek_advisor::cost::{plan, Rates};
use deepseek_advisor::fsutil::{read_text, MAX_INPUT_BYTES};
use deepseek_advisor::hardware::HardwareProfile;
use deepseek_advisor::prices::{Day, PriceContext};
use deepseek_advisor::scenario::Scenario;
use std::path::{Path, PathBuf};

#[path = "support/cli.rs"]
mod cli_support;
use cli_support::run;

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dsa-limits-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let p = d.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn shipped(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

const HW: [&str; 4] = ["--gpu", "rtx-4090", "--ram", "64"];

#[test]
fn a_file_over_the_limit_is_refused_by_every_loader() {
    // A valid scenario padded with a comment past 4 MiB.
    let mut text = shipped("scenarios/personal-rtx4090.ron");
    text.push_str("\n// ");
    text.push_str(&"x".repeat(MAX_INPUT_BYTES as usize));
    let big = temp_file("big.ron", text.as_bytes());
    let name = big.display().to_string();
    let scenario = Scenario::load(&big).unwrap_err();
    let profile = HardwareProfile::load(&big).unwrap_err();
    let config = hf_config::load(&big).unwrap_err();
    for e in [scenario, profile, config] {
        assert_eq!(e.file, name);
        assert!(e.message.contains("larger than 4 MiB"), "{e}");
    }
    let (code, _, err) = run(&["plan", &name]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&name) && err.contains("larger than 4 MiB"),
        "{err}"
    );
}

#[test]
fn an_endless_device_is_refused_not_read_forever() {
    let e = read_text(Path::new("/dev/zero")).unwrap_err();
    assert!(e.message.contains("larger than 4 MiB"), "{e}");
    let (code, _, err) = run(&["plan", "/dev/zero"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn invalid_utf8_names_the_position() {
    let p = temp_file(
        "latin1.ron",
        b"(\n    version: 1,\n    name: \"caf\xe9\",\n)",
    );
    let e = Scenario::load(&p).unwrap_err();
    assert_eq!(e.message, "3:15: not UTF-8 text; save the file as UTF-8");
}

#[test]
fn a_folder_is_not_a_file() {
    let dir = std::env::temp_dir();
    let e = Scenario::load(&dir).unwrap_err();
    assert!(e.message.starts_with("cannot read:"), "{e}");
}

#[test]
fn huge_command_line_values_are_clear_errors() {
    let cases: [(&[&str], &str); 7] = [
        (&["--context", "1000000000000"], "--context"),
        (&["--concurrency", "1000000000"], "--concurrency"),
        (&["--concurrency", "70000"], "--concurrency"),
        (&["--gpu", "h100-sxm:1000000"], "--gpu"),
        (
            &["--gpu", "h100-sxm:1024", "--gpu", "h200-sxm:1024"],
            "--gpu",
        ),
        (&["--ram", "1e12"], "--ram"),
        (&["--ram", "NaN"], "--ram"),
    ];
    for (extra, argument) in cases {
        let mut args = vec!["estimate", "--model", "deepseek-r1", "--quant", "Q4_K_M"];
        if !extra.contains(&"--gpu") {
            args.extend_from_slice(&HW[..2]);
        }
        args.extend_from_slice(extra);
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{extra:?}: {err}");
        assert!(err.contains(argument), "{extra:?}: {err}");
    }
}

#[test]
fn the_largest_accepted_values_give_finite_answers() {
    // 1024 GPUs, the longest context, the most concurrent sequences, the most RAM.
    let (code, out, err) = run(&[
        "estimate",
        "--model",
        "deepseek-r1",
        "--quant",
        "FP8",
        "--runtime",
        "sglang",
        "--gpu",
        "h200-sxm:1024",
        "--ram",
        "65536",
        "--context",
        "163840",
        "--concurrency",
        "65536",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in ["decode_tok_s", "prefill_tok_s", "aggregate_tok_s"] {
        assert!(
            v["speed"][key].as_f64().is_some_and(f64::is_finite),
            "{key}: {v}"
        );
    }
    assert!(v["memory"]["total_gb"].as_f64().is_some_and(f64::is_finite));
}

/// A saved scenario's text with one field's value replaced.
fn scenario_with(field: &str, value: &str) -> String {
    let text = Scenario::from_ron(&shipped("scenarios/personal-rtx4090.ron"), "s.ron")
        .unwrap()
        .to_ron();
    let start = text.find(&format!("{field}: ")).expect(field) + field.len() + 2;
    let end = start + text[start..].find([',', '\n']).unwrap();
    format!("{}{value}{}", &text[..start], &text[end..])
}

#[test]
fn huge_scenario_values_are_errors_naming_the_field() {
    let cases = [
        (
            "context",
            "1000000000000",
            "Integer is out of bounds (field `context`)",
        ),
        ("requests_per_day", "1e13", "workload.requests_per_day"),
        ("input_tokens", "1e9", "workload.input_tokens"),
        ("output_tokens", "1e300", "workload.output_tokens"),
        ("api_output", "1e300", "prices.api_output"),
        ("usd_to_cny", "1e-300", "usd_to_cny"),
        ("peak_to_average", "1e9", "workload.peak_to_average"),
        ("engineer_per_year", "inf", "prices.engineer_per_year"),
    ];
    for (field, value, named) in cases {
        let text = scenario_with(field, value);
        let e = Scenario::from_ron(&text, "s.ron").unwrap_err();
        assert!(e.to_string().contains(named), "{field} = {value}: {e}");
    }
}

#[test]
fn a_million_what_if_gpus_are_refused() {
    let mut s = Scenario::default();
    s.hardware.what_if.gpus = (0..1000)
        .map(|_| deepseek_advisor::scenario::WhatIfGpu {
            id: "h100-sxm".into(),
            count: 1000,
        })
        .collect();
    let e = Scenario::from_ron(&s.to_ron(), "s.ron").unwrap_err();
    assert!(e.message.contains("hardware.what_if.gpus"), "{e}");
}

#[test]
fn a_profile_listing_thousands_of_gpus_is_refused() {
    let one = shipped("tests/fuzz/seeds/profile/rtx4090.ron");
    let mut p = HardwareProfile::from_ron(&one, "p.ron").unwrap();
    p.gpus = vec![p.gpus[0].clone(); 5000];
    let path = temp_file("many-gpus.ron", p.to_ron().as_bytes());
    let (code, _, err) = run(&["check", "--hardware", &path.display().to_string()]);
    assert_eq!(code, 2);
    assert!(err.contains("5000 GPUs"), "{err}");
}

#[test]
fn config_json_sizes_beyond_any_model_are_refused() {
    let text = shipped("tests/fixtures/deepseek_v3_config.json");
    for (field, value) in [
        ("hidden_size", "1000000000"),
        ("kv_lora_rank", "4294967295"),
        ("num_hidden_layers", "100000000"),
    ] {
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v[field] = serde_json::from_str(value).unwrap();
        let e = hf_config::from_json(&v.to_string(), "config.json").unwrap_err();
        assert!(e.message.contains(field), "{e}");
    }
}

/// Catalog prices as on the day these tests were written.
fn on_the_day() -> PriceContext {
    PriceContext::catalog_only(Day::new(2026, 12, 1).unwrap())
}

#[test]
fn a_billion_and_a_trillion_requests_a_day_plan_finitely() {
    let s = Scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/r1-671b-private-h200.ron"),
    )
    .unwrap();
    for volume in [1e9, 1e12] {
        let mut inputs = s.costs.clone();
        inputs.workload.requests_per_day = volume;
        let p = plan(&inputs, &on_the_day());
        for o in &p.options {
            assert!(o.monthly.is_finite() && o.horizon.is_finite(), "{o:?}");
            assert!(o.servers <= MAX_SERVERS);
        }
        assert!(server_capacity(&inputs).requests_per_s.is_finite());
    }
}

#[test]
fn servers_beyond_the_limit_make_the_self_hosted_options_infeasible() {
    let s = Scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/r1-671b-private-h200.ron"),
    )
    .unwrap();
    let mut inputs = s.costs;
    inputs.workload.requests_per_day = 1e12;
    inputs.deployment.gpus_per_server = 64;
    // A slow server: 0.01 requests/s needs ~10^9 servers at this volume.
    let slow = Capacity {
        requests_per_s: 0.01,
        ..Capacity::default()
    };
    let costs = option_costs(&inputs, &slow, &Rates::resolve(&inputs, &on_the_day()));
    let cloud = costs
        .iter()
        .find(|c| c.kind == OptionKind::CloudGpu)
        .unwrap();
    assert!(!cloud.feasible);
    // Just under the limit, servers × GPUs per server still counts correctly.
    inputs.workload.requests_per_day =
        f64::from(MAX_SERVERS) * 0.01 * 86_400.0 / inputs.workload.peak_to_average;
    let costs = option_costs(&inputs, &slow, &Rates::resolve(&inputs, &on_the_day()));
    let cloud = costs
        .iter()
        .find(|c| c.kind == OptionKind::CloudGpu)
        .unwrap();
    assert!(cloud.feasible);
    assert_eq!(cloud.gpus, cloud.servers * 64);
}

#[test]
fn profile_figures_must_be_finite_and_real() {
    let one = shipped("tests/fuzz/seeds/profile/rtx4090.ron");
    for (from, to, field) in [
        (
            "disk_free_gb: None",
            "disk_free_gb: Some(NaN)",
            "disk_free_gb",
        ),
        (
            "vram_total_gb: 24.0",
            "vram_total_gb: 1e300",
            "gpus[0].vram_total_gb",
        ),
        ("mem_bw_gbs: 89.6", "mem_bw_gbs: inf", "cpu.mem_bw_gbs"),
    ] {
        let text = one.replace(from, to);
        let e = HardwareProfile::from_ron(&text, "p.ron").unwrap_err();
        assert!(e.message.contains(&format!("`{field}`")), "{e}");
    }
}

#[test]
fn a_scenario_checks_the_hardware_it_carries() {
    let mut s = Scenario::default();
    let one = shipped("tests/fuzz/seeds/profile/rtx4090.ron");
    let mut p = HardwareProfile::from_ron(&one, "p.ron").unwrap();
    p.disk_free_gb = Some(f64::NAN);
    s.hardware.profile = Some(p);
    let e = Scenario::from_ron(&s.to_ron(), "s.ron").unwrap_err();
    assert!(e.message.contains("`hardware.profile.disk_free_gb`"), "{e}");
}
