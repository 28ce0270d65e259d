//! The regimes of issue 18 against published measurements: a MoE's experts split over GPU and RAM
//! (hybrid offload), experts streamed from disk through a hot-expert cache, small-box clusters,
//! and AMD GPUs serving many users. Each row names its source and whether a value of the model
//! was chosen from it (`Fit`) or it is kept aside to check the result (`Holdout`). Rows of early
//! software are printed as `History` and not counted. Prints the table and each regime's median
//! absolute error.
//!
//! Measurements found but not expressible (and why) are listed in `NOT_EXPRESSIBLE`.

use deepseek_advisor::catalog::schema::{Runtime, SpeculativeKind};
use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::estimate::placement::PlacementKind;
use deepseek_advisor::estimate::serving::{operating_point, RequestShape};
use deepseek_advisor::estimate::{fit, FitOptions};
use deepseek_advisor::hardware::machine::parse_gpu_arg;
use deepseek_advisor::hardware::Machine;
#[path = "support/calibration.rs"]
mod calibration_support;
use calibration_support::{median, Set};

/// Unified memory is sold in GiB: "128GB" = 137.4 × 10^9 bytes.
const GIB: f64 = 1.073_741_824;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Regime {
    Hybrid,
    SsdStream,
    Cluster,
    AmdServing,
}

#[derive(Clone, Copy)]
struct Row {
    regime: Regime,
    set: Set,
    source: &'static str,
    model: &'static str,
    quant: &'static str,
    runtime: Runtime,
    gpus: &'static str,
    /// A card modded to more memory than its catalog entry (RTX 3080 20 GB).
    vram: Option<f64>,
    ram: f64,
    cpu_bw: Option<f64>,
    cores: u32,
    ssd_gbps: Option<f64>,
    /// Decode rows: twice the decode position. Serving rows: ignored (input + output).
    context: u32,
    /// 1 = one user's decode; more = aggregate output tok/s of a `shape` serving run.
    concurrency: u32,
    shape: (f64, f64),
    speculative: Option<SpeculativeKind>,
    experts_on_cpu: bool,
    measured: f64,
    /// The placement the setup used.
    kind: PlacementKind,
}

fn base(regime: Regime, set: Set, source: &'static str) -> Row {
    Row {
        regime,
        set,
        source,
        model: "deepseek-v4-flash",
        quant: "ds4-q2",
        runtime: Runtime::LlamaCpp,
        gpus: "",
        vram: None,
        ram: 64.0,
        cpu_bw: None,
        cores: 16,
        ssd_gbps: None,
        context: 4096,
        concurrency: 1,
        shape: (1024.0, 1024.0),
        speculative: None,
        experts_on_cpu: false,
        measured: 0.0,
        kind: PlacementKind::ExpertOffload,
    }
}

/// Measurements of these setups that the command line cannot express, with the reason.
const NOT_EXPRESSIBLE: [(&str, &str); 8] = [
    ("Crow #25/#30 (llama.cpp fork, VRAM expert cache over SSD)", "a cache in VRAM in front of disk under llama.cpp is a fork's feature, not mainline (its hit rates calibrate expert_cache)"),
    ("FreeToken #444 (RTX 5090 + EPYC Rome, 24.5–26.9 tok/s)", "FreeToken's own hybrid runtime, not one the estimator models"),
    ("atlas #1148 (V4.1 on one DGX Spark, 12.4–12.9 tok/s)", "atlas runtime; EXL3 on two Sparks (30–32 tok/s) likewise"),
    ("calibration-2026.csv line 57 (Threadripper 5975WX + 2 GPUs, V4.1)", "GPUs and quant not stated"),
    ("club-3090 #1106 (4× 3090, V4-Flash-0731 UD-IQ2_XXS, 22.6 tok/s)", "draft method not stated (MTP or DSpark) and its acceptance of 59% is outside the model's band"),
    ("ds4 PR #1036 second tester (Strix Halo, 5.4 tok/s)", "one informal HTTP request on a default power profile"),
    ("Mac Studio / Strix Halo clusters (exo, MLX distributed, llama.cpp RPC)", "no DeepSeek measurement found: those estimates are unverified"),
    ("InferenceX MI355X disaggregated (serving.csv)", "multi-node PD disaggregation has no fixed GPU count"),
];

fn rows() -> Vec<Row> {
    use Regime::*;
    use Set::*;
    let epyc = |set, position: u32, measured, source| Row {
        gpus: "rtx-pro-6000",
        ram: 384.0,
        cpu_bw: Some(460.8),
        cores: 32,
        context: 2 * position,
        experts_on_cpu: true,
        measured,
        ..base(Hybrid, set, source)
    };
    let kt = |set, gpus, ram, bw, cores, model, measured, source| Row {
        runtime: Runtime::Ktransformers,
        model,
        quant: "Q4_K_M",
        gpus,
        ram,
        cpu_bw: Some(bw),
        cores,
        context: 2048,
        measured,
        ..base(Hybrid, set, source)
    };
    let mac = |set, gpus, ram_gib: f64, model, quant, position: u32, measured, source| Row {
        runtime: Runtime::Ds4,
        model,
        quant,
        gpus,
        ram: ram_gib * GIB,
        context: 2 * position,
        measured,
        kind: PlacementKind::SsdStream,
        ..base(SsdStream, set, source)
    };
    let spark4 = |set, position: u32, concurrency, measured, source| Row {
        runtime: Runtime::Sglang,
        model: "deepseek-v4.1-flash",
        quant: "FP4-FP8",
        gpus: "dgx-spark:4",
        ram: 128.0 * GIB,
        cores: 20,
        context: 2 * position,
        concurrency,
        shape: (f64::from(position), 1024.0),
        speculative: Some(SpeculativeKind::Dspark),
        measured,
        kind: PlacementKind::MultiGpu,
        ..base(Cluster, set, source)
    };
    let spark2 = |concurrency, measured, source| Row {
        runtime: Runtime::Vllm,
        model: "deepseek-v4-flash-0731",
        quant: "FP4-FP8",
        gpus: "dgx-spark:2",
        ram: 128.0 * GIB,
        cores: 20,
        context: 4096,
        concurrency,
        shape: (1024.0, 1024.0),
        speculative: Some(SpeculativeKind::Dspark),
        measured,
        kind: PlacementKind::MultiGpu,
        ..base(Cluster, Holdout, source)
    };
    let atom = |set, concurrency, measured, source| Row {
        runtime: Runtime::Sglang,
        model: "deepseek-v4-pro",
        quant: "FP4-FP8",
        gpus: "mi355x:8",
        ram: 2048.0,
        cpu_bw: Some(614.4),
        cores: 128,
        concurrency,
        measured,
        kind: PlacementKind::MultiGpu,
        ..base(AmdServing, set, source)
    };
    let dstack = |runtime, concurrency, measured| Row {
        runtime,
        model: "deepseek-r1",
        quant: "FP8",
        gpus: "mi300x:8",
        ram: 2048.0,
        cpu_bw: Some(614.4),
        cores: 128,
        concurrency,
        shape: (3200.0, 800.0),
        measured,
        kind: PlacementKind::MultiGpu,
        ..base(
            AmdServing,
            History,
            "serving.csv dstack 8× MI300X 3.2k/0.8k (2025-03; pairs chose the AMD factor)",
        )
    };
    let atom_src = "ROCm/ATOM recipes/DeepSeek-V4.md, 8× MI355X TP8 1k/1k (2026-05-23)";
    let ix_src = "InferenceX PR #1626, V4-Pro MI355X ATOM TP8 1k/1k (output = total/2, 2026-05)";
    vec![
        // ---- Hybrid offload: experts in RAM (and in the free VRAM).
        epyc(Fit, 8192, 19.82, "llama.cpp PR #24162 -cmoe, EPYC 9374F + RTX PRO 6000 (calibration-2026.csv)"),
        epyc(Fit, 65_536, 19.53, "llama.cpp PR #24162 -cmoe at 64K (calibration-2026.csv)"),
        Row {
            gpus: "rtx-5070",
            ram: 96.0,
            cpu_bw: Some(89.6),
            cores: 8,
            context: 512,
            experts_on_cpu: true,
            measured: 10.6,
            ..base(Hybrid, Holdout, "antirez/llama.cpp-deepseek-v4-flash #11: RTX 5070 12 GB + Ryzen 7 9700X DDR5 (5600 and 96 GB assumed), --cpu-moe, short prompt")
        },
        Row {
            model: "deepseek-v4-flash",
            quant: "MXFP4_MOE",
            gpus: "rtx-3080-12gb:2",
            vram: Some(20.0),
            ram: 256.0,
            cpu_bw: Some(59.7),
            cores: 22,
            context: 64_000,
            measured: 8.54,
            ..base(Hybrid, Holdout, "llama.cpp #22319: 2× RTX 3080 20 GB + Xeon E5-2696 v4, quad-channel 1866, native FP4/FP8 GGUF at 32K (calibration-2026.csv)")
        },
        kt(Fit, "rtx-4090-d", 1000.0, 614.4, 64, "deepseek-v3", 12.208, "KTransformers tutorial: 2× Xeon 6454S + 4090D (calibration.csv 17)"),
        kt(Fit, "rtx-4090", 768.0, 460.8, 96, "deepseek-r1", 14.0, "KTransformers #314: EPYC 9654 + 4090 (calibration.csv 24)"),
        kt(Holdout, "l40s", 768.0, 921.6, 192, "deepseek-r1", 10.8, "KTransformers V3-success: 2× EPYC 9654 + L40S (hardware.md §2d; quant unstated, Q4_K_M assumed)"),
        kt(Holdout, "rtx-4090", 512.0, 204.8, 32, "deepseek-r1", 6.5, "KTransformers #319: Xeon 8352Y (DDR4-3200 8ch) + 4090, 6–7 tok/s (hardware.md §2d)"),
        kt(Holdout, "rtx-4090", 512.0, 375.4, 56, "deepseek-r1", 2.3, "KTransformers #319: 2× EPYC 7C13 DDR4-2933 + 4090 (hardware.md §2d)"),
        // ---- SSD streaming through a hot-expert cache.
        mac(Holdout, "apple-m1-ultra", 64.0, "deepseek-v4-flash", "ds4-q2", 8192, 5.0, "ds4 PR #350: M1 Ultra 64 GB, 32 GB cache, 2K–32K"),
        mac(Holdout, "apple-m5", 24.0, "deepseek-v4-flash", "ds4-q2", 256, 2.5, "ds4 #627: M5 24 GB, 4.6–6.6 GiB cache, 2.4–2.6 tok/s"),
        mac(Holdout, "apple-m5-pro", 64.0, "deepseek-v4-flash-0731", "ds4-q2", 256, 9.45, "ds4 #810: M5 Pro 64 GB, 0731 q2, 32 GB cache warm (8 GB: 11.4)"),
        mac(Holdout, "apple-m2-ultra", 192.0, "deepseek-v4.1-flash", "ds4-q2", 2300, 10.66, "ds4 PR #1041: M2 Ultra 192 GB, V4.1 Q2, automatic cache (main-branch arm)"),
        Row {
            ssd_gbps: Some(13.5),
            ..mac(Fit, "ryzen-ai-max-395", 128.0, "deepseek-v4.1-flash", "ds4-q2", 2048, 9.5, "ds4 PR #1036: Strix Halo 128 GB, V4.1 Q2, 96 GB cache, RAID-0 13.5 GB/s, 9–10 tok/s")
        },
        Row {
            ssd_gbps: Some(3.6),
            ..mac(Fit, "dgx-spark", 128.0, "deepseek-v4-flash", "ds4-q4", 2048, 2.96, "ds4 #639/PR #647: DGX Spark, V4-Flash q4, 100 GB LRU cache (81% hit); NVMe ~3.6 GB/s derived from its 3 GB/token at 1.03 tok/s")
        },
        // ---- Small-box clusters (nothing was chosen from these rows).
        spark4(Holdout, 256, 1, 39.4, "0xSero/local-ai-registry PR #55: 4× DGX Spark SGLang TP4 + DSpark, C1 at context 0"),
        spark4(Holdout, 32_768, 1, 37.2, "PR #55: same, C1 at 32K"),
        spark4(Holdout, 256, 8, 117.3, "PR #55: same, aggregate at C8"),
        spark2(1, 36.7, "getainode/ainode PR #91: 2× DGX Spark vLLM TP2 + DSpark, single stream"),
        spark2(4, 78.5, "ainode PR #91: same, 4 streams aggregate"),
        spark2(8, 84.1, "ainode PR #94: same, 8 streams aggregate"),
        Row {
            model: "deepseek-v4-flash-0731",
            concurrency: 1,
            measured: 60.0,
            ..spark2(1, 60.0, "keiretsu-labs PR #1817: 2× DGX Spark vLLM TP2 + DSpark, 54–65 tok/s (calibration-2026.csv)")
        },
        // ---- AMD serving.
        atom(Holdout, 4, 195.31, atom_src),
        atom(Holdout, 8, 367.43, atom_src),
        atom(Holdout, 16, 668.02, atom_src),
        atom(Holdout, 32, 1145.71, atom_src),
        atom(Holdout, 64, 1808.69, atom_src),
        atom(Holdout, 128, 2847.24, atom_src),
        atom(Holdout, 256, 4289.93, atom_src),
        atom(Holdout, 64, 389.30 * 8.0 / 2.0, ix_src),
        atom(Holdout, 128, 601.21 * 8.0 / 2.0, ix_src),
        atom(Holdout, 256, 880.78 * 8.0 / 2.0, ix_src),
        Row {
            model: "deepseek-v3",
            quant: "FP8",
            gpus: "mi300x:8",
            shape: (302.0, 188.0),
            ..atom(Holdout, 100, 463.8, "serving.csv SGLang 0.5.7 ROCm cookbook, 8× MI300X V3 (2026-01; 'looks poorly tuned')")
        },
        dstack(Runtime::Sglang, 16, 301.0),
        dstack(Runtime::Sglang, 64, 612.3),
        dstack(Runtime::Vllm, 16, 258.1),
        dstack(Runtime::Vllm, 64, 671.8),
    ]
}

#[test]
fn tiers_clusters_and_amd_serving_against_published_measurements() {
    let c = Catalog::get();
    let mut errors: Vec<(Regime, Set, f64)> = Vec::new();
    println!(
        "{:<10} {:<8} {:<22} {:<10} {:<12} {:<15} {:>5} {:>8} {:>8} {:>13} {:>7}  source",
        "regime",
        "set",
        "model",
        "quant",
        "runtime",
        "gpus",
        "users",
        "measured",
        "estimate",
        "band",
        "error"
    );
    for r in rows() {
        let gpus = r
            .gpus
            .split(',')
            .filter(|g| !g.is_empty())
            .map(|g| {
                let mut g = parse_gpu_arg(c, g).unwrap_or_else(|e| panic!("{}: {e}", r.source));
                if let Some(v) = r.vram {
                    g.spec.vram_gb = v;
                }
                g
            })
            .collect();
        let mut machine = Machine::from_parts(gpus, Some(r.ram), r.cpu_bw, Some(r.cores))
            .unwrap_or_else(|e| panic!("{}: {e}", r.source));
        if let Some(s) = r.ssd_gbps {
            machine.set_ssd_read_gbs(s).unwrap();
        }
        let serving = r.concurrency > 1;
        let shape = RequestShape {
            input_tokens: r.shape.0,
            output_tokens: r.shape.1,
        };
        let context = if serving || r.regime == Regime::AmdServing {
            shape.context()
        } else {
            r.context
        };
        let f = fit(
            c.model(r.model).unwrap(),
            c.quant(r.quant).unwrap(),
            &machine,
            FitOptions {
                concurrency: r.concurrency,
                speculative: r.speculative,
                experts_on_cpu: r.experts_on_cpu,
                ..FitOptions::new(r.runtime, context)
            },
        )
        .unwrap_or_else(|e| panic!("{}: {e}", r.source));
        assert_eq!(f.placement.kind, r.kind, "{}: {:?}", r.source, f.verdict);
        let (est, low, high) = if serving {
            let a = operating_point(&f, shape).aggregate_tok_s;
            (a, a, a)
        } else {
            (f.speed.decode, f.speed.decode_low, f.speed.decode_high)
        };
        assert!(est.is_finite() && est > 0.0, "{}", r.source);
        let err = (est - r.measured) / r.measured;
        println!(
            "{:<10} {:<8} {:<22} {:<10} {:<12} {:<15} {:>5} {:>8.2} {:>8.2} {:>6.1}–{:<6.1} {:>+6.1}%  {}",
            format!("{:?}", r.regime),
            format!("{:?}", r.set),
            r.model,
            r.quant,
            r.runtime.cli_name(),
            r.gpus,
            r.concurrency,
            r.measured,
            est,
            low,
            high,
            err * 100.0,
            r.source
        );
        errors.push((r.regime, r.set, err));
    }
    let med = |f: &dyn Fn(&(Regime, Set, f64)) -> bool| {
        median(errors.iter().filter(|e| f(e)).map(|e| e.2.abs()).collect())
    };
    let signed = |regime: Regime| {
        median(
            errors
                .iter()
                .filter(|e| e.0 == regime && e.1 != Set::History)
                .map(|e| e.2)
                .collect(),
        )
    };
    for regime in [
        Regime::Hybrid,
        Regime::SsdStream,
        Regime::Cluster,
        Regime::AmdServing,
    ] {
        let n = errors
            .iter()
            .filter(|e| e.0 == regime && e.1 != Set::History)
            .count();
        println!(
            "{:<10} median |error| {:>5.1}% ({n} rows; fit {:.1}%, hold-out {:.1}%; signed median {:+.1}%)",
            format!("{regime:?}"),
            med(&|e| e.0 == regime && e.1 != Set::History) * 100.0,
            med(&|e| e.0 == regime && e.1 == Set::Fit) * 100.0,
            med(&|e| e.0 == regime && e.1 == Set::Holdout) * 100.0,
            signed(regime) * 100.0,
        );
    }
    println!(
        "all hold-out rows: median |error| {:.1}%; history (not counted) {:.1}%",
        med(&|e| e.1 == Set::Holdout) * 100.0,
        med(&|e| e.1 == Set::History) * 100.0
    );
    for (what, why) in NOT_EXPRESSIBLE {
        println!("not expressible: {what}: {why}");
    }
    // Guards against regressions at today's accuracy (README "Accuracy of the tiers"), not
    // targets: hybrid within 35%, SSD streaming 40%, AMD serving 45% (its factor is fitted over
    // the catalog's two AMD serving sources, assets/catalog/fitted.ron), small-box clusters
    // (every measured row used DSpark, whose gain there is uncertain) 75%.
    for (regime, bound) in [
        (Regime::Hybrid, 0.35),
        (Regime::SsdStream, 0.40),
        (Regime::AmdServing, 0.45),
        (Regime::Cluster, 0.75),
    ] {
        let m = med(&|e| e.0 == regime && e.1 != Set::History);
        assert!(m <= bound, "{regime:?} median {:.1}%", m * 100.0);
    }
}
