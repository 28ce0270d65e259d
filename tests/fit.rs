//! The fitted speed model (issue 19 phase 2): the committed fit is what the procedure produces,
//! the cross-validation targets are met or reported as not met, and bands hold the estimate.

use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::estimate::correction::Fitted;
use deepseek_advisor::evidence::accuracy::{meets_target, same_fit, target};
use deepseek_advisor::evidence::crossval::HeldOutBy;
use deepseek_advisor::evidence::fit::{fit_catalog, FitRun};
use deepseek_advisor::evidence::regime::Regime;
use deepseek_advisor::evidence::Evidence;
use std::sync::OnceLock;

fn run() -> &'static FitRun {
    static RUN: OnceLock<FitRun> = OnceLock::new();
    RUN.get_or_init(|| fit_catalog(Catalog::get(), Evidence::get(), "test"))
}

#[test]
fn the_committed_fit_is_what_the_procedure_produces() {
    assert!(
        same_fit(&run().fitted, Fitted::get()),
        "assets/catalog/fitted.ron is stale: run `deepseek-advisor accuracy --fit assets/catalog/fitted.ron`"
    );
}

#[test]
fn every_regime_with_enough_points_meets_its_target_or_is_reported_as_not_meeting_it() {
    use deepseek_advisor::catalog::schema::Metric;
    let rows = &run().rows;
    let row = |r: Regime, m: Metric| {
        rows.iter()
            .find(|x| x.regime == r && x.metric == m && x.held_out_by == HeldOutBy::Source)
            .unwrap_or_else(|| panic!("no row for {r:?} {m:?}"))
    };
    // Which rows carry a target: single-user decode and served aggregate output, ≥ 20 points.
    let gpu = row(Regime::SingleUserGpu, Metric::Decode);
    let unified = row(Regime::UnifiedMemory, Metric::Decode);
    let serving = row(Regime::MultiGpuServing, Metric::Aggregate);
    for r in [gpu, unified, serving] {
        assert!(r.points >= 20 && target(r).is_some(), "{r:?}");
    }
    assert!(target(row(Regime::HybridOffload, Metric::Decode)).is_none());
    // The figures on 2026-12-06 (docs/estimator.md): single-user GPU decode has a median of 12%
    // but a band wider than 1.8; unified memory (one source holds half its points) 20%; served
    // aggregate output 55% (one 2025 source holds 30 of 46). None meets every target, and the
    // table says so rather than passing them silently.
    assert!(gpu.median_abs_error <= 0.13, "{gpu:?}");
    assert!(unified.median_abs_error <= 0.22, "{unified:?}");
    assert!(serving.median_abs_error <= 0.60, "{serving:?}");
    for r in [gpu, unified] {
        let c = r.band_coverage.unwrap();
        assert!((0.70..=0.90).contains(&c), "coverage {c} in {r:?}");
        assert!(r.median_band_ratio.unwrap() <= 2.0, "{r:?}");
    }
    assert_eq!(meets_target(gpu), Some(false));
    assert_eq!(meets_target(unified), Some(false));
    assert_eq!(meets_target(serving), Some(false));
}

#[test]
fn bands_come_from_left_out_residuals_and_cover_about_eight_in_ten() {
    // Over every banded point held out by source, the band holds 70–90%.
    let res = &run().residuals[&HeldOutBy::Source];
    let banded: Vec<bool> = res.iter().flatten().filter_map(|r| r.in_band).collect();
    let share = banded.iter().filter(|b| **b).count() as f64 / banded.len() as f64;
    assert!((0.70..=0.90).contains(&share), "{share}");
    // Dense evidence gives a narrower single-user band than thin evidence.
    let f = Fitted::get();
    let q = deepseek_advisor::estimate::correction::Quantity::Decode;
    let dense = f.band(q, "single_user_gpu", true).unwrap();
    let thin = f.band(q, "single_user_gpu", false).unwrap();
    assert!(
        dense.high / dense.low < thin.high / thin.low,
        "{dense:?} {thin:?}"
    );
}
