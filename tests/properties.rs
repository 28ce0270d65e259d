//! Property tests: more memory never worsens a verdict; more bits never shrink weights; longer
//! context never shrinks the KV cache; every number is finite and non-negative.

use deepseek_advisor::catalog::schema::Runtime;
use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::estimate::kv::KvCacheType;
use deepseek_advisor::estimate::placement::PlacementKind;
use deepseek_advisor::estimate::{fit_with_params, params, weights, Fit, FitOptions};
use deepseek_advisor::hardware::machine::parse_gpu_arg;
use deepseek_advisor::hardware::Machine;
use proptest::prelude::*;

const GPUS: [&str; 8] = [
    "rtx-3060-12gb",
    "rtx-4090",
    "rtx-5090",
    "rtx-a6000",
    "a100-80gb-sxm",
    "h100-sxm",
    "h200-sxm",
    "mi300x",
];

fn machine(gpu: Option<(usize, u32)>, ram: f64, bw: f64, cores: u32) -> Machine {
    let c = Catalog::get();
    let gpus = gpu
        .map(|(i, n)| vec![parse_gpu_arg(c, &format!("{}:{n}", GPUS[i])).unwrap()])
        .unwrap_or_default();
    Machine::from_parts(gpus, Some(ram), Some(bw), Some(cores)).unwrap()
}

/// Every (model, quant, runtime) the estimator accepts, by index.
fn combos() -> Vec<(usize, usize, Runtime)> {
    let c = Catalog::get();
    let mut v = Vec::new();
    for (mi, m) in c.models.models.iter().enumerate() {
        for (qi, q) in c.quants.quants.iter().enumerate() {
            for &r in &q.runtimes {
                let o = FitOptions {
                    runtime: r,
                    context: 2048.min(m.arch.max_context),
                    concurrency: 1,
                    kv_type: KvCacheType::Auto,
                    speculative: None,
                    experts_on_cpu: false,
                };
                if deepseek_advisor::estimate::validate(m, q, &o).is_ok() {
                    v.push((mi, qi, r));
                }
            }
        }
    }
    v
}

fn estimate<'a>(
    combo: (usize, usize, Runtime),
    m: &Machine,
    context: u32,
    concurrency: u32,
) -> Fit<'a> {
    let c = Catalog::get();
    let model = &c.models.models[combo.0];
    let quant = &c.quants.quants[combo.1];
    let context = context.clamp(1, model.arch.max_context);
    let options = FitOptions {
        runtime: combo.2,
        context,
        concurrency,
        kv_type: KvCacheType::Auto,
        speculative: None,
        experts_on_cpu: false,
    };
    deepseek_advisor::estimate::validate(model, quant, &options).unwrap();
    // The estimator core, also for runtimes the machine lacks a device for (ds4, MLX): those
    // simply find no GPU.
    fit_with_params(model, quant, m, options, params::count(&model.arch))
}

fn all_finite(f: &Fit) -> bool {
    let s = &f.speed;
    [
        f.weights.bytes,
        f.kv_bytes,
        f.overhead_bytes(),
        f.total_bytes(),
        f.placement.short_by,
        f.placement.gpu_bytes,
        f.placement.ram_bytes,
        s.decode,
        s.decode_low,
        s.decode_high,
        s.prefill,
        s.aggregate,
        f.params.total(),
        f.params.active(),
    ]
    .iter()
    .all(|x| x.is_finite() && *x >= 0.0)
}

fn hw() -> impl Strategy<Value = (Option<(usize, u32)>, f64, f64, u32)> {
    (
        proptest::option::of((0..GPUS.len(), 1u32..=8)),
        4.0f64..2048.0,
        20.0f64..900.0,
        1u32..=128,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn more_ram_never_worsens_the_fit(ci in any::<prop::sample::Index>(), (g, ram, bw, cores) in hw(), extra in 1.0f64..1024.0, ctx in 512u32..65536) {
        let all = combos();
        let combo = all[ci.index(all.len())];
        let small = estimate(combo, &machine(g, ram, bw, cores), ctx, 1);
        let big = estimate(combo, &machine(g, ram + extra, bw, cores), ctx, 1);
        prop_assert!(big.verdict.level >= small.verdict.level || small.placement.kind == big.placement.kind,
            "{:?} -> {:?}", small.verdict.level, big.verdict.level);
        prop_assert!(big.placement.kind.rank() >= small.placement.kind.rank());
        prop_assert!(big.placement.short_by <= small.placement.short_by + 1.0);
    }

    #[test]
    fn more_gpus_never_worsen_the_fit(ci in any::<prop::sample::Index>(), gi in 0..GPUS.len(), n in 1u32..8, ram in 8.0f64..1024.0, ctx in 512u32..32768) {
        let all = combos();
        let combo = all[ci.index(all.len())];
        let few = estimate(combo, &machine(Some((gi, n)), ram, 80.0, 16), ctx, 1);
        let more = estimate(combo, &machine(Some((gi, n * 2)), ram, 80.0, 16), ctx, 1);
        let fits = |f: &Fit| f.placement.kind != PlacementKind::DoesNotFit;
        prop_assert!(fits(&more) || !fits(&few));
        prop_assert!(more.placement.short_by <= few.placement.short_by + 1.0);
    }

    #[test]
    fn longer_context_never_shrinks_kv(ci in any::<prop::sample::Index>(), a in 1u32..200_000, b in 1u32..200_000) {
        let all = combos();
        let combo = all[ci.index(all.len())];
        let m = machine(None, 64.0, 80.0, 8);
        let (lo, hi) = (a.min(b), a.max(b));
        let x = estimate(combo, &m, lo, 1);
        let y = estimate(combo, &m, hi, 1);
        prop_assert!(y.kv_bytes >= x.kv_bytes);
        prop_assert!(y.total_bytes() >= x.total_bytes() - 1.0);
    }

    #[test]
    fn every_number_is_finite_and_non_negative(ci in any::<prop::sample::Index>(), (g, ram, bw, cores) in hw(), ctx in 1u32..200_000, conc in 1u32..512) {
        let all = combos();
        let combo = all[ci.index(all.len())];
        let f = estimate(combo, &machine(g, ram, bw, cores), ctx, conc);
        prop_assert!(all_finite(&f), "{:?}", f);
        prop_assert!(f.speed.decode_low <= f.speed.decode + 1e-9 && f.speed.decode <= f.speed.decode_high + 1e-9);
    }
}

#[test]
fn more_bits_never_shrink_weights() {
    // A quant with at least as many bits for every tensor group never gives smaller weights.
    let c = Catalog::get();
    let qs = &c.quants.quants;
    let mut pairs = 0;
    for m in &c.models.models {
        let p = params::count(&m.arch);
        for a in qs {
            for b in qs {
                let engram = |q: &deepseek_advisor::catalog::schema::QuantEntry| {
                    q.engram_bpw.unwrap_or(q.body_bpw)
                };
                let dominates = b.body_bpw >= a.body_bpw
                    && b.embed_bpw >= a.embed_bpw
                    && b.output_bpw >= a.output_bpw
                    && weights::routed_bpw(m, b) >= weights::routed_bpw(m, a)
                    && engram(b) >= engram(a)
                    && b.format == a.format
                    && (b.includes_mtp || !a.includes_mtp);
                if dominates {
                    pairs += 1;
                    let wa = weights::formula(m, &p, a).bytes;
                    let wb = weights::formula(m, &p, b).bytes;
                    assert!(wb >= wa, "{} {} ({wb}) < {} ({wa})", m.id, b.id, a.id);
                }
            }
        }
    }
    assert!(pairs > 1000);
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn raising_any_bpw_never_shrinks_weights(ci in 0usize..1000, qi in 0usize..1000, extra in 0.0f64..8.0, which in 0usize..5) {
        let c = Catalog::get();
        let m = &c.models.models[ci % c.models.models.len()];
        let mut q = c.quants.quants[qi % c.quants.quants.len()].clone();
        let before = weights::formula(m, &params::count(&m.arch), &q).bytes;
        match which {
            0 => q.body_bpw += extra,
            1 => q.embed_bpw += extra,
            2 => q.routed_bpw = Some(weights::routed_bpw(m, &q) + extra),
            3 => q.engram_bpw = Some(q.engram_bpw.unwrap_or(q.body_bpw) + extra),
            _ => q.output_bpw += extra,
        }
        let after = weights::formula(m, &params::count(&m.arch), &q).bytes;
        prop_assert!(after >= before);
    }
}

/// Every MoE (model, quant) llama.cpp and ds4 accept, by index: the ones whose experts tier.
fn moe_combos(runtime: Runtime) -> Vec<(usize, usize, Runtime)> {
    let c = Catalog::get();
    combos()
        .into_iter()
        .filter(|&(m, _, r)| r == runtime && c.models.models[m].arch.moe.is_some())
        .collect()
}

/// One GPU of the catalog entry `gpu` with `vram` GB, and `ram` GB of system RAM.
fn with_vram(gpu: &str, vram: f64, ram: f64) -> Machine {
    let c = Catalog::get();
    let mut g = parse_gpu_arg(c, gpu).unwrap();
    g.spec.vram_gb = vram;
    Machine::from_parts(vec![g], Some(ram), Some(89.6), Some(16)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn more_vram_moves_more_experts_to_the_gpu_and_never_slows_decode(
        ci in any::<prop::sample::Index>(), vram in 8.0f64..192.0, extra in 1.0f64..96.0,
        ram in 16.0f64..512.0, ctx in 512u32..32768,
    ) {
        let all = moe_combos(Runtime::LlamaCpp);
        let combo = all[ci.index(all.len())];
        let small = estimate(combo, &with_vram("rtx-5090", vram, ram), ctx, 1);
        let big = estimate(combo, &with_vram("rtx-5090", vram + extra, ram), ctx, 1);
        let tiered = |f: &Fit| matches!(f.placement.kind, PlacementKind::ExpertOffload | PlacementKind::SsdStream);
        if tiered(&small) && tiered(&big) {
            prop_assert!(big.placement.experts.layers_on_gpu >= small.placement.experts.layers_on_gpu);
            prop_assert!(big.placement.experts.gpu >= small.placement.experts.gpu);
        }
        prop_assert!(big.verdict.level >= small.verdict.level, "{:?} -> {:?}", small.verdict.level, big.verdict.level);
        prop_assert!(big.speed.decode >= small.speed.decode * 0.999,
            "{} {:?} {:.3} -> {:?} {:.3}", small.model.id, small.placement.kind, small.speed.decode, big.placement.kind, big.speed.decode);
    }

    #[test]
    fn a_faster_disk_never_slows_an_ssd_streamed_estimate(
        ci in any::<prop::sample::Index>(), ds4 in any::<bool>(), vram in 8.0f64..96.0,
        ram in 16.0f64..128.0, gbps in 0.5f64..20.0, faster in 1.01f64..4.0, ctx in 512u32..32768,
    ) {
        let (runtime, gpu) = if ds4 { (Runtime::Ds4, "apple-m4-max-40c") } else { (Runtime::LlamaCpp, "rtx-4090") };
        let all = moe_combos(runtime);
        let combo = all[ci.index(all.len())];
        let machine = |ssd: f64| {
            let mut m = if ds4 {
                let c = Catalog::get();
                Machine::from_parts(vec![parse_gpu_arg(c, gpu).unwrap()], Some(ram.min(137.0)), None, Some(16)).unwrap()
            } else {
                with_vram(gpu, vram, ram)
            };
            m.set_ssd_read_gbs(ssd).unwrap();
            m
        };
        let slow = estimate(combo, &machine(gbps), ctx, 1);
        let fast = estimate(combo, &machine(gbps * faster), ctx, 1);
        prop_assert_eq!(slow.placement.kind, fast.placement.kind);
        if slow.placement.kind == PlacementKind::SsdStream {
            prop_assert!(fast.speed.decode >= slow.speed.decode);
            prop_assert!(fast.speed.decode_low >= slow.speed.decode_low);
            prop_assert!(fast.speed.decode_high >= slow.speed.decode_high);
        }
    }

    #[test]
    fn four_boxes_hold_what_one_can(ci in any::<prop::sample::Index>(), box_i in 0usize..3, ctx in 512u32..65536) {
        let boxes = ["dgx-spark", "apple-m3-ultra", "ryzen-ai-max-395"];
        let all = combos();
        let combo = all[ci.index(all.len())];
        let c = Catalog::get();
        let cluster = |n: u32| {
            Machine::from_parts(vec![parse_gpu_arg(c, &format!("{}:{n}", boxes[box_i])).unwrap()], None, None, Some(16)).unwrap()
        };
        let one = estimate(combo, &cluster(1), ctx, 1);
        let four = estimate(combo, &cluster(4), ctx, 1);
        let fits = |f: &Fit| f.placement.kind != PlacementKind::DoesNotFit;
        prop_assert!(fits(&four) || !fits(&one), "{} {}", one.model.id, one.quant.id);
        prop_assert!(four.placement.short_by <= one.placement.short_by + 1.0);
        prop_assert!(all_finite(&four));
    }
}

#[test]
fn four_dgx_sparks_hold_v4_1_flash_that_one_cannot() {
    // 0xSero/local-ai-registry PR #55: V4.1-Flash native on four DGX Sparks, SGLang TP4, Engram
    // on each node's NVMe.
    let c = Catalog::get();
    let m = c.model("deepseek-v4.1-flash").unwrap();
    let q = c.quant("FP4-FP8").unwrap();
    let on = |n: u32| {
        let machine = Machine::from_parts(
            vec![parse_gpu_arg(c, &format!("DGX Spark:{n}")).unwrap()],
            None,
            None,
            Some(20),
        )
        .unwrap();
        deepseek_advisor::estimate::fit(m, q, &machine, FitOptions::new(Runtime::Sglang, 32768))
            .unwrap()
    };
    let one = on(1);
    let four = on(4);
    assert_eq!(one.placement.kind, PlacementKind::DoesNotFit);
    assert_eq!(four.placement.kind, PlacementKind::MultiGpu);
    assert_eq!(four.placement.nodes, 4);
    assert!(four.speed.decode > 10.0, "{}", four.speed.decode);
}
