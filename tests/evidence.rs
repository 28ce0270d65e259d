//! The measurement catalog, the evidence beside estimates and `accuracy` (issue 19).

use deepseek_advisor::catalog::schema::{Metric, Runtime};
use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::estimate::correction::{Fitted, Quantity};
use deepseek_advisor::evidence::crossval::{cross_validate, observations, residuals, HeldOutBy};
use deepseek_advisor::evidence::fit::{FittedEstimator, RIDGE};
use deepseek_advisor::evidence::nearest::{nearest, Closeness, Query};
use deepseek_advisor::evidence::setup::predict;
use deepseek_advisor::evidence::Evidence;
use deepseek_advisor::hardware::machine::parse_gpu_arg;
use deepseek_advisor::hardware::Machine;
use serde_json::Value;

#[path = "support/cli.rs"]
mod cli_support;
use cli_support::run;

fn json(args: &[&str]) -> Value {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "stderr: {err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn accuracy_json_has_the_issues_shape() {
    let v = json(&["accuracy", "--json"]);
    let n = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k}: {v}"));
    assert!(n("points") >= 300, "{}", v["points"]);
    assert!(n("hardware") >= 60, "{}", v["hardware"]);
    assert!(n("sources") >= 40, "{}", v["sources"]);
    assert_eq!(v["fit"]["fitted"], true);
    assert_eq!(v["fit"]["matches_committed"], true);
    let rows = v["cross_validation"].as_array().unwrap();
    let regimes: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["regime"].as_str().unwrap()).collect();
    for r in [
        "single_user_gpu",
        "hybrid_offload",
        "cpu",
        "unified_memory",
        "ssd_streaming",
        "multi_gpu_serving",
    ] {
        assert!(regimes.contains(r), "no row for {r}");
    }
    for r in rows {
        assert!(matches!(
            r["held_out_by"].as_str(),
            Some("source" | "hardware")
        ));
        assert!(r["points"].as_u64().unwrap() > 0);
        for k in ["median_abs_error", "p90_abs_error"] {
            let x = r[k].as_f64().unwrap();
            assert!(x.is_finite() && x >= 0.0, "{k} {x}");
        }
        assert!(r["median_abs_error"].as_f64() <= r["p90_abs_error"].as_f64());
        // Band figures are fractions and ratios, or null where the estimator gives no band.
        match (r["band_coverage"].as_f64(), r["median_band_ratio"].as_f64()) {
            (Some(c), Some(b)) => assert!((0.0..=1.0).contains(&c) && b >= 1.0, "{r}"),
            (None, None) => assert!(r["band_coverage"].is_null()),
            _ => panic!("coverage and ratio come together: {r}"),
        }
    }
    // Single-user decode has a band, both ways of holding out.
    assert!(rows.iter().any(|r| r["regime"] == "single_user_gpu"
        && r["metric"] == "decode_tok_s"
        && r["band_coverage"].is_number()));
}

#[test]
fn accuracy_text_names_every_regime_in_both_languages() {
    let (code, out, _) = run(&["accuracy", "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("single user, GPU") && out.contains("multi-user serving"),
        "{out}"
    );
    let (code, out, _) = run(&["accuracy", "--lang", "zh"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("统一内存") && out.contains("交叉验证"),
        "{out}"
    );
}

/// One 8× H200 server.
fn h200_node() -> Machine {
    let c = Catalog::get();
    Machine::from_parts(
        vec![parse_gpu_arg(c, "h200-sxm:8").unwrap()],
        Some(2048.0),
        Some(614.4),
        Some(112),
    )
    .unwrap()
}

/// R1-0528 FP8 on SGLang for 64 users on `machine`.
fn r1_fp8_sglang(machine: &Machine) -> Query<'_> {
    let c = Catalog::get();
    Query::new(
        c.model("deepseek-r1-0528").unwrap(),
        c.quant("FP8").unwrap(),
        Runtime::Sglang,
        machine,
        64,
    )
}

#[test]
fn the_lookup_ranks_the_exact_setup_first() {
    let machine = h200_node();
    let q = r1_fp8_sglang(&machine);
    let near = nearest(&q, &[Evidence::get()], 5);
    assert_eq!(near.len(), 5);
    assert_eq!(near[0].closeness, Closeness::Exact);
    // InferenceX's 2026 sweep: same model, quant, runtime and 8× H200, several users.
    assert!(
        near[0].url.contains("InferenceX/issues/870"),
        "{}",
        near[0].url
    );
    assert!(near.windows(2).all(|w| w[0].closeness <= w[1].closeness));
    // A single-user query on the same setup puts single-user points ahead of serving sweeps of
    // the same closeness.
    let one = Query {
        concurrency: 1,
        ..q
    };
    let near1 = nearest(&one, &[Evidence::get()], 50);
    let first_serving = near1.iter().position(|n| n.point.concurrency() > 1);
    let last_single_exact = near1
        .iter()
        .rposition(|n| n.point.concurrency() == 1 && n.closeness == near1[0].closeness);
    if let (Some(s), Some(l)) = (first_serving, last_single_exact) {
        assert!(l < s || near1[s].closeness < near1[l].closeness);
    }
}

#[test]
fn a_machine_of_its_own_outranks_the_catalog() {
    // The shape `bench --save` (issue 21) fills in: source "this machine".
    let text = r#"(
        sources: [(id: "this machine", title: "this machine", url: "https://localhost", measured_by: "you", confidence: Verified)],
        points: [(source: "this machine", date: "2026-12-06", model: "DeepSeek-R1-0528", model_id: Some("deepseek-r1-0528"),
                  quant: "FP8", quant_id: Some("FP8"), runtime: Some(Sglang), version: "local", hardware: "this machine",
                  gpus: [("h200-sxm", 8)], concurrency: Some(64), prompt: Some(1024), output: Some(1024), aggregate: Some(1700.0))],
    )"#;
    let mut mine = Evidence::from_ron(text).unwrap();
    mine.this_machine = true;
    let machine = h200_node();
    let near = nearest(&r1_fp8_sglang(&machine), &[Evidence::get(), &mine], 3);
    assert!(near[0].this_machine);
    assert_eq!(near[0].source_link(), "this machine");
}

#[test]
fn estimate_json_lists_measured_points_with_their_sources() {
    let v = json(&[
        "estimate",
        "--json",
        "--model",
        "deepseek-v4-flash",
        "--quant",
        "ds4-q2",
        "--runtime",
        "ds4",
        "--gpu",
        "apple-m3-max-40c",
        "--ram",
        "137",
        "--context",
        "4096",
    ]);
    let m = v["measured"].as_array().unwrap();
    assert!(!m.is_empty());
    for e in m {
        for k in [
            "metric",
            "value",
            "hardware",
            "runtime",
            "version",
            "model",
            "quant",
            "context",
            "concurrency",
            "date",
            "source",
        ] {
            assert!(e.get(k).is_some(), "{k} missing in {e}");
        }
        assert!(e["source"].as_str().unwrap().starts_with("https://"));
    }
    // ds4's own README run on this Mac comes first.
    assert_eq!(m[0]["match"], "exact");
    assert_eq!(m[0]["metric"], "decode_tok_s");
    assert_eq!(m[0]["value"], 26.68);
    // check --json carries them for every result.
    let c = json(&["check", "--json", "--gpu", "rtx-4090", "--ram", "64"]);
    assert!(c["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["measured"].is_array()));
}

#[test]
fn the_fit_runs_inside_each_fold_on_a_tiny_catalog() {
    // Two sources measuring LLaMA-2 7B Q4_0 on an RTX 4090 at 150 and 300 tok/s.
    let text = r#"(
        sources: [(id: "a", title: "a", url: "https://a.example", measured_by: "a", confidence: Verified),
                  (id: "b", title: "b", url: "https://b.example", measured_by: "b", confidence: Verified)],
        points: [(source: "a", date: "2026", model: "LLaMA-2 7B", model_id: Some("llama-2-7b"), quant: "Q4_0", quant_id: Some("Q4_0"),
                  runtime: Some(LlamaCpp), version: "x", hardware: "RTX 4090", gpus: [("rtx-4090", 1)], depth: Some(64), decode: Some(150.0)),
                 (source: "b", date: "2026", model: "LLaMA-2 7B", model_id: Some("llama-2-7b"), quant: "Q4_0", quant_id: Some("Q4_0"),
                  runtime: Some(LlamaCpp), version: "x", hardware: "RTX 4090", gpus: [("rtx-4090", 1)], depth: Some(64), decode: Some(300.0))],
    )"#;
    let e = Evidence::from_ron(text).unwrap();
    let c = Catalog::get();
    let obs = observations(c, &e);
    assert_eq!(obs.scored.len(), 2);
    // The physical model alone, and the features the fit regresses on.
    let raw = predict(c, &e.points[0], Metric::Decode, &Fitted::identity()).unwrap();
    let x: Vec<f64> = raw
        .context
        .unwrap()
        .setup
        .features(Quantity::Decode, "rtx-4090")
        .iter()
        .map(|f| f.2)
        .collect();
    let norm: f64 = x.iter().map(|v| v * v).sum();
    // One training row y with features x: the ridge solution moves ln(estimate) by
    // |x|² y ÷ (|x|² + ridge) (Sherman–Morrison). Source a is predicted from b's 300 alone.
    let shrink = norm / (norm + RIDGE);
    let from = |other: f64| raw.value * (shrink * (other / raw.value).ln()).exp();
    let model = FittedEstimator::new(c, &obs.scored);
    let r = residuals(&model, &obs.scored, HeldOutBy::Source);
    let e0 = r[0].unwrap().error;
    let e1 = r[1].unwrap().error;
    assert!((e0 - (from(300.0) / 150.0 - 1.0)).abs() < 1e-9, "{e0}");
    assert!((e1 - (from(150.0) / 300.0 - 1.0)).abs() < 1e-9, "{e1}");
    let rows = cross_validate(&model, &obs.scored);
    let row = rows
        .iter()
        .find(|r| r.held_out_by == HeldOutBy::Source)
        .unwrap();
    assert_eq!((row.points, row.sources, row.hardware), (2, 2, 1));
    assert!((row.median_abs_error - (e0.abs() + e1.abs()) / 2.0).abs() < 1e-12);
    assert!((row.p90_abs_error - e0.abs().max(e1.abs())).abs() < 1e-12);
    // Four residuals are fewer than a band needs: no band is claimed.
    assert_eq!(row.band_coverage, None);
}

#[test]
fn plan_cites_the_measurement_its_capacity_rests_on() {
    let path = format!(
        "{}/scenarios/r1-671b-private-h200.ron",
        env!("CARGO_MANIFEST_DIR")
    );
    let v = json(&["plan", &path, "--json"]);
    let m = v["capacity"]["measured"].as_array().unwrap();
    assert_eq!(m[0]["match"], "exact", "{}", m[0]);
    let (code, out, _) = run(&["plan", &path, "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(out.contains("Capacity rests on"), "{out}");
}

/// One RTX 4090 with 128 GB of RAM.
fn one_4090() -> Machine {
    let c = Catalog::get();
    Machine::from_parts(
        vec![parse_gpu_arg(c, "rtx-4090").unwrap()],
        Some(128.0),
        Some(89.6),
        Some(16),
    )
    .unwrap()
}

#[test]
fn claims_the_catalog_excludes_rank_after_every_scored_measurement() {
    // The Raspberry Pi + RTX 4090 Vulkan runs are excluded (a single PCIe lane and a slow host):
    // they used to be cited first for one RTX 4090.
    let c = Catalog::get();
    let machine = one_4090();
    for (model, quant) in [("deepseek-v4-flash-0731", "ds4-q2"), ("llama-2-7b", "Q4_0")] {
        let q = Query::new(
            c.model(model).unwrap(),
            c.quant(quant).unwrap(),
            Runtime::LlamaCpp,
            &machine,
            1,
        );
        let near = nearest(&q, &[Evidence::get()], usize::MAX);
        assert!(near.iter().any(|n| n.point.exclude.is_none()), "{model}");
        let first_excluded = near.iter().position(|n| n.point.exclude.is_some());
        if let Some(i) = first_excluded {
            assert!(
                near[i..].iter().all(|n| n.point.exclude.is_some()),
                "{model}: a scored point after an excluded one"
            );
        }
    }
}

#[test]
fn similar_hardware_has_as_many_gpus_as_the_asked_setup() {
    // A 4× RTX 4090 tensor-parallel run is not "similar hardware" to one card.
    let c = Catalog::get();
    let machine = one_4090();
    let q = Query::new(
        c.model("deepseek-v4-flash-0731").unwrap(),
        c.quant("FP4-FP8").unwrap(),
        Runtime::Vllm,
        &machine,
        1,
    );
    let near = nearest(&q, &[Evidence::get()], usize::MAX);
    for n in near
        .iter()
        .filter(|n| n.closeness == Closeness::SimilarHardware)
    {
        let gpus: u32 = n.point.gpus.iter().map(|g| g.1).sum();
        assert_eq!(gpus, 1, "{}", n.point.hardware);
    }
}

#[test]
fn check_prefers_a_model_held_in_ram_over_the_same_model_streamed_from_ssd() {
    // V4-Flash-0731 on one RTX 4090 with 128 GB: ds4-q2 fits RAM with llama.cpp's expert
    // offload; ds4-q4 only streams from the SSD. The streamed speed rests on a hot-expert cache
    // and one SSD measurement, so the in-memory option is named.
    let v = json(&["check", "--json", "--gpu", "rtx-4090", "--ram", "128"]);
    let r = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["model"]["id"] == "deepseek-v4-flash-0731")
        .unwrap();
    assert_eq!(r["quant"], "ds4-q2", "{r}");
    assert_eq!(r["placement"]["kind"], "expert_offload", "{r}");
}
