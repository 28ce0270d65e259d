//! Volumes where the answer changes: the cheapest allowed option below a flip differs from the one
//! above it. These are the break-evens that matter to the decision (a crossing between two options
//! that are both beaten by a third does not change it) plus capacity limits (one server no longer
//! enough).

use crate::cost::analysis::{allowed, CURVE_MAX, CURVE_MIN};
use crate::cost::capacity::Capacity;
use crate::cost::options::{option_costs, OptionKind};
use crate::cost::{CostInputs, Rates};

/// The cheapest allowed option on one side of a flip and its monthly cost there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Side {
    pub option: OptionKind,
    pub monthly: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flip {
    pub requests_per_day: f64,
    /// `None` where no option is allowed.
    pub below: Option<Side>,
    pub above: Option<Side>,
}

/// Scan points over the curves' span (log-spaced); a flip is then located by bisection.
const GRID: usize = 241;
const BISECTIONS: usize = 48;

/// The cheapest allowed option at `requests_per_day`.
pub fn winner(
    inputs: &CostInputs,
    cap: &Capacity,
    rates: &Rates,
    requests_per_day: f64,
) -> Option<Side> {
    let mut i = inputs.clone();
    i.workload.requests_per_day = requests_per_day;
    option_costs(&i, cap, rates)
        .into_iter()
        .filter(|o| allowed(&i, rates, o))
        .min_by(|a, b| a.monthly.total_cmp(&b.monthly))
        .map(|o| Side {
            option: o.kind,
            monthly: o.monthly,
        })
}

fn same(a: Option<Side>, b: Option<Side>) -> bool {
    a.map(|s| s.option) == b.map(|s| s.option)
}

/// Every flip between `CURVE_MIN` and `CURVE_MAX` requests/day, in increasing volume.
pub fn flips(inputs: &CostInputs, rates: &Rates, cap: &Capacity) -> Vec<Flip> {
    let at = |v: f64| winner(inputs, cap, rates, v);
    let volume = |k: usize| CURVE_MIN * (CURVE_MAX / CURVE_MIN).powf(k as f64 / (GRID - 1) as f64);
    let mut out = Vec::new();
    let mut prev = (volume(0), at(volume(0)));
    for k in 1..GRID {
        let v = volume(k);
        let w = at(v);
        if !same(prev.1, w) {
            let (mut lo, mut hi) = ((prev.0.ln(), prev.1), (v.ln(), w));
            for _ in 0..BISECTIONS {
                let m = (lo.0 + hi.0) / 2.0;
                let wm = at(m.exp());
                if same(wm, lo.1) {
                    lo = (m, wm);
                } else {
                    hi = (m, wm);
                }
            }
            out.push(Flip {
                requests_per_day: hi.0.exp(),
                below: lo.1,
                above: hi.1,
            });
        }
        prev = (v, w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::schema::Currency;
    use crate::cost::analysis::costs_at;

    fn one_rps() -> Capacity {
        Capacity {
            concurrency: 8,
            output_tok_s: 2000.0,
            per_user_tok_s: 250.0,
            prefill_tok_s: 10_000.0,
            requests_per_s: 1.0,
            ..Capacity::default()
        }
    }

    fn inputs() -> CostInputs {
        let mut i = CostInputs::defaults(Currency::Cny);
        i.prices.gpu_price = Some(100_000.0);
        i.prices.cloud_gpu_hour = Some(20.0);
        i.prices.api_cache_hit = Some(1.0);
        i.prices.api_cache_miss = Some(4.0);
        i.prices.api_output = Some(60.0);
        i
    }

    fn rates(i: &CostInputs) -> Rates {
        Rates::resolve(i, &on_the_day())
    }

    fn on_the_day() -> crate::prices::PriceContext {
        crate::prices::PriceContext::catalog_only(crate::prices::Day::new(2026, 12, 1).unwrap())
    }

    #[test]
    fn the_winner_changes_across_each_flip_and_nowhere_else() {
        let i = inputs();
        let cap = one_rps();
        let rates = rates(&i);
        let f = flips(&i, &rates, &cap);
        assert!(
            !f.is_empty(),
            "the API is cheapest at 10/day, not at 10M/day"
        );
        for flip in &f {
            let v = flip.requests_per_day;
            assert!(!same(flip.below, flip.above));
            assert!(same(winner(&i, &cap, &rates, v * 0.999), flip.below));
            assert!(same(winner(&i, &cap, &rates, v * 1.001), flip.above));
        }
        // Between flips the winner stays.
        let mut edges: Vec<f64> = vec![CURVE_MIN];
        edges.extend(f.iter().map(|x| x.requests_per_day));
        edges.push(CURVE_MAX);
        for pair in edges.windows(2) {
            let mid = (pair[0] * pair[1]).sqrt();
            let a = winner(&i, &cap, &rates, pair[0] * 1.01);
            assert!(same(winner(&i, &cap, &rates, mid), a));
        }
    }

    #[test]
    fn the_winner_is_the_plans_recommendation() {
        let cap = one_rps();
        for v in [50.0, 5_000.0, 80_000.0, 3e6] {
            let mut i = inputs();
            i.workload.requests_per_day = v;
            let rates = rates(&i);
            let cheapest = costs_at(&i, &rates, &cap, v)
                .into_iter()
                .filter(|o| allowed(&i, &rates, o))
                .min_by(|a, b| a.horizon.total_cmp(&b.horizon))
                .map(|o| o.kind);
            assert_eq!(winner(&i, &cap, &rates, v).map(|s| s.option), cheapest);
        }
    }

    #[test]
    fn regulated_data_never_flips_to_the_api_or_the_cloud() {
        let mut i = inputs();
        i.constraints.regulated = true;
        for f in flips(&i, &rates(&i), &one_rps()) {
            for side in [f.below, f.above].into_iter().flatten() {
                assert!(side.option.is_local(), "{f:?}");
            }
        }
    }
}
