//! Curves over volume, break-even volumes, the recommendation with its reasons, and which
//! assumptions flip it.

use super::capacity::{server_capacity, Capacity};
use super::inputs::CostInputs;
use super::options::{option_costs, OptionCost, OptionKind};
use super::rates::Rates;
use super::tier::Relation;
use crate::lang::Lang;
use crate::prices::{Day, PriceContext, STALE_AFTER_DAYS};

/// Volumes (requests/day) the curves span, log-spaced.
pub const CURVE_MIN: f64 = 10.0;
pub const CURVE_MAX: f64 = 10_000_000.0;
pub const CURVE_POINTS: usize = 61;

/// Costs at `requests_per_day`, everything else as in `inputs`.
pub fn costs_at(
    inputs: &CostInputs,
    r: &Rates,
    cap: &Capacity,
    requests_per_day: f64,
) -> Vec<OptionCost> {
    let mut i = inputs.clone();
    i.workload.requests_per_day = requests_per_day;
    option_costs(&i, cap, r)
}

/// Monthly cost of each feasible option against requests/day: (option, [(volume, cost)]).
pub fn curves(inputs: &CostInputs, r: &Rates, cap: &Capacity) -> Vec<(OptionKind, Vec<[f64; 2]>)> {
    let mut out: Vec<(OptionKind, Vec<[f64; 2]>)> =
        OptionKind::ALL.iter().map(|k| (*k, Vec::new())).collect();
    for k in 0..CURVE_POINTS {
        let t = k as f64 / (CURVE_POINTS - 1) as f64;
        let v = CURVE_MIN * (CURVE_MAX / CURVE_MIN).powf(t);
        for c in costs_at(inputs, r, cap, v) {
            if c.feasible {
                if let Some(series) = out.iter_mut().find(|s| s.0 == c.kind) {
                    series.1.push([v, c.monthly]);
                }
            }
        }
    }
    out
}

/// Where two options cost the same.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakEven {
    pub a: OptionKind,
    pub b: OptionKind,
    pub requests_per_day: f64,
    pub monthly: f64,
    /// The crossing falls on a jump (one more server or instance): the costs differ there by the
    /// jump, not by zero.
    pub at_capacity_step: bool,
}

fn monthly_of(
    inputs: &CostInputs,
    r: &Rates,
    cap: &Capacity,
    v: f64,
    kind: OptionKind,
) -> Option<f64> {
    costs_at(inputs, r, cap, v)
        .into_iter()
        .find(|c| c.kind == kind && c.feasible)
        .map(|c| c.monthly)
}

/// Volumes where each pair of options cross, found by scanning the curve grid for a sign change
/// and bisecting in log space.
pub fn break_evens(inputs: &CostInputs, r: &Rates, cap: &Capacity) -> Vec<BreakEven> {
    let mut out = Vec::new();
    let kinds = OptionKind::ALL;
    for (ia, &a) in kinds.iter().enumerate() {
        for &b in &kinds[ia + 1..] {
            let diff = |v: f64| match (
                monthly_of(inputs, r, cap, v, a),
                monthly_of(inputs, r, cap, v, b),
            ) {
                (Some(x), Some(y)) => Some(x - y),
                _ => None,
            };
            let mut prev: Option<(f64, f64)> = None;
            for k in 0..CURVE_POINTS {
                let t = k as f64 / (CURVE_POINTS - 1) as f64;
                let v = CURVE_MIN * (CURVE_MAX / CURVE_MIN).powf(t);
                let Some(d) = diff(v) else {
                    prev = None;
                    continue;
                };
                if let Some((pv, pd)) = prev {
                    if (pd < 0.0) != (d < 0.0) && pd != 0.0 {
                        let (mut lo, mut hi) = (pv.ln(), v.ln());
                        for _ in 0..60 {
                            let m = (lo + hi) / 2.0;
                            match diff(m.exp()) {
                                Some(dm) if (dm < 0.0) == (pd < 0.0) => lo = m,
                                Some(_) => hi = m,
                                None => break,
                            }
                        }
                        let x = ((lo + hi) / 2.0).exp();
                        let (ca, cb) = (
                            monthly_of(inputs, r, cap, x, a).unwrap_or(0.0),
                            monthly_of(inputs, r, cap, x, b).unwrap_or(0.0),
                        );
                        let rel = (ca - cb).abs() / ca.max(cb).max(1e-9);
                        out.push(BreakEven {
                            a,
                            b,
                            requests_per_day: x,
                            monthly: (ca + cb) / 2.0,
                            at_capacity_step: rel >= 0.005,
                        });
                    }
                }
                prev = Some((v, d));
            }
        }
    }
    out
}

/// The rule of thumb from the seed articles (`wizard::tree`: seed 001's volume bands; seed 000:
/// regulated data stays on-premises) and the rule that decided.
pub fn rule_of_thumb(inputs: &CostInputs) -> (OptionKind, String) {
    let path = crate::wizard::tree::walk(inputs);
    (path.option, path.rule(Lang::En).to_string())
}

/// True when the option has the prices it is costed with (an unpriced option would look free).
pub fn priced(rates: &Rates, kind: OptionKind) -> bool {
    use super::rates::{MISSING_API, MISSING_PURCHASE, MISSING_RENTAL};
    let needs = match kind {
        OptionKind::Api => MISSING_API,
        OptionKind::CloudGpu => MISSING_RENTAL,
        OptionKind::LocalServer | OptionKind::LocalCluster => MISSING_PURCHASE,
    };
    !rates.missing.contains(&needs)
}

/// True when the option can serve the volume, is priced, and the constraints allow it.
pub fn allowed(inputs: &CostInputs, rates: &Rates, o: &OptionCost) -> bool {
    o.feasible && priced(rates, o.kind) && (!inputs.constraints.regulated || o.kind.is_local())
}

/// The recommendation and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub capacity: Capacity,
    /// The prices used, each with its source.
    pub rates: Rates,
    pub options: Vec<OptionCost>,
    pub recommended: Option<OptionKind>,
    pub reasons: Vec<String>,
    pub rule_of_thumb: OptionKind,
    pub break_evens: Vec<BreakEven>,
    /// The newest date among the prices used.
    pub prices_as_of: Option<Day>,
    /// Days between `prices_as_of` and the day of the answer when that is more than
    /// `STALE_AFTER_DAYS`.
    pub stale_by_days: Option<i64>,
}

fn fmt_volume(v: f64) -> String {
    crate::lang::format_amount(Lang::En, v)
}

/// Cheapest option that is feasible and allowed by the constraints, over the horizon, with the
/// prices of `ctx` (the user's price file and the day of the answer).
pub fn plan(inputs: &CostInputs, ctx: &PriceContext) -> Plan {
    let rates = Rates::resolve(inputs, ctx);
    let capacity = server_capacity(inputs);
    let options = option_costs(inputs, &capacity, &rates);
    let mut p = plan_with(inputs, &rates, capacity, options, true);
    p.prices_as_of = rates.prices_as_of();
    p.stale_by_days = p
        .prices_as_of
        .map(|d| ctx.today.days_after(d))
        .filter(|age| *age > STALE_AFTER_DAYS);
    let mut head = Vec::new();
    if let (Some(d), Some(age)) = (p.prices_as_of, p.stale_by_days) {
        head.push(format!(
            "prices as of {d} are {age} days old (more than {STALE_AFTER_DAYS}): import a current price file (File → Import prices…, or --prices FILE.ron)"
        ));
    }
    if let Some(a) = rates.api.as_ref().filter(|a| a.retired) {
        head.push(format!(
            "the API endpoint {} was retired on {}: its last price is used",
            a.endpoint,
            a.effective_until.as_deref().unwrap_or("?")
        ));
    }
    head.push(rates.comparison.sentence(Lang::En));
    p.reasons.splice(0..0, head);
    p.rates = rates;
    p
}

fn plan_with(
    inputs: &CostInputs,
    rates: &Rates,
    capacity: Capacity,
    options: Vec<OptionCost>,
    with_break_evens: bool,
) -> Plan {
    let mut reasons = Vec::new();
    let c = &inputs.constraints;
    if c.regulated {
        reasons.push("data must stay on-premises: only the local options qualify".into());
    }
    for m in &rates.missing {
        reasons.push(format!(
            "no {m} for {} in the catalog or your price file, so the options that need it are not computed: enter one in the scenario or your price file",
            inputs.deployment.gpu
        ));
    }
    reasons.push(super::summary::capacity_sentence(
        inputs,
        &capacity,
        Lang::En,
    ));
    let best = options
        .iter()
        .filter(|o| allowed(inputs, rates, o))
        .min_by(|a, b| a.horizon.total_cmp(&b.horizon));
    let recommended = best.map(|b| b.kind);
    if let Some(b) = best {
        reasons.push(format!(
            "{} costs least over {} years among the allowed options",
            b.kind.json_name(),
            inputs.workload.horizon_years
        ));
        if let Some(c) = &b.cluster {
            reasons.push(super::summary::cluster_sentence(c, Lang::En));
        }
        if b.kind == OptionKind::Api && rates.comparison.relation == Relation::SelfHostedStronger {
            reasons.push("the API serves a weaker model than the self-hosted one".into());
        }
        if c.budget > 0.0 && b.horizon > c.budget {
            reasons.push(format!(
                "it exceeds the budget ({:.0} > {:.0})",
                b.horizon, c.budget
            ));
        }
        if b.kind.is_local() && !c.has_ops_staff {
            reasons.push(
                "it needs staff to run servers, which the answers say are not available".into(),
            );
        }
    } else {
        reasons.push("no option satisfies the constraints".into());
    }
    let (rule, why) = rule_of_thumb(inputs);
    if recommended.is_some() && recommended != Some(rule) {
        reasons.push(format!(
            "the rule of thumb ({why}) would pick {}; the computed costs disagree",
            rule.json_name()
        ));
    } else {
        reasons.push(format!("the rule of thumb agrees ({why})"));
    }
    let break_evens = if with_break_evens {
        break_evens(inputs, rates, &capacity)
    } else {
        Vec::new()
    };
    for be in &break_evens {
        if !be.at_capacity_step {
            reasons.push(format!(
                "{} and {} break even at {} requests/day",
                be.a.json_name(),
                be.b.json_name(),
                fmt_volume(be.requests_per_day)
            ));
        }
    }
    Plan {
        capacity,
        rates: rates.clone(),
        options,
        recommended,
        reasons,
        rule_of_thumb: rule,
        break_evens,
        prices_as_of: None,
        stale_by_days: None,
    }
}

/// An assumption moved by ±`share` and what the recommendation becomes.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    pub assumption: &'static str,
    pub low: Option<OptionKind>,
    pub high: Option<OptionKind>,
    pub flips: bool,
}

/// Moves each key assumption by ±`share` (e.g. 0.3) and reports whether the recommendation flips.
pub fn sensitivity(inputs: &CostInputs, rates: &Rates, share: f64) -> Vec<Sensitivity> {
    type Setter = fn(&mut CostInputs, &mut Rates, f64);
    let knobs: [(&'static str, Setter); 9] = [
        ("requests per day", |i, _, f| {
            i.workload.requests_per_day *= f
        }),
        ("output tokens per request", |i, _, f| {
            i.workload.output_tokens *= f
        }),
        ("share of API traffic in peak hours", |i, _, f| {
            i.workload.peak_share = (i.workload.peak_share * f).min(1.0)
        }),
        ("API prices", |_, r, f| {
            for t in [&mut r.api_off_peak, &mut r.api_peak] {
                t.cache_hit_per_mtok *= f;
                t.cache_miss_per_mtok *= f;
                t.output_per_mtok *= f;
            }
        }),
        ("GPU purchase price", |_, r, f| {
            r.gpu_price *= f;
            r.server_capex *= f;
        }),
        ("cloud GPU price", |_, r, f| r.cloud_gpu_hour *= f),
        ("electricity price", |_, r, f| r.electricity_per_kwh *= f),
        ("staff cost", |i, _, f| i.prices.engineer_per_year *= f),
        ("horizon", |i, _, f| i.workload.horizon_years *= f),
    ];
    let capacity = server_capacity(inputs);
    let base = plan_with(
        inputs,
        rates,
        capacity,
        option_costs(inputs, &capacity, rates),
        false,
    )
    .recommended;
    knobs
        .iter()
        .map(|(name, set)| {
            let rec = |f: f64| {
                let mut i = inputs.clone();
                let mut r = rates.clone();
                set(&mut i, &mut r, f);
                // Volume and tokens change capacity needs, not per-server capacity.
                plan_with(&i, &r, capacity, option_costs(&i, &capacity, &r), false).recommended
            };
            let (low, high) = (rec(1.0 - share), rec(1.0 + share));
            Sensitivity {
                assumption: name,
                low,
                high,
                flips: low != base || high != base,
            }
        })
        .collect()
}
