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

/// The rule of thumb from the seed articles (`rule_of_thumb`: seed 001's volume bands; seed 000:
/// regulated data stays on-premises) and the rule that decided.
pub fn rule_of_thumb(inputs: &CostInputs) -> (OptionKind, String) {
    let path = super::rule_of_thumb::walk(inputs);
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

/// GPUs of a server the parallelism planner cannot give work (TP must divide the heads, …), with
/// the counts that would be used whole; `None` when every GPU runs the model.
fn idle_gpus_sentence(inputs: &CostInputs, lang: Lang) -> Option<String> {
    use crate::estimate::parallelism::{idle_note, Shape};
    let model = crate::catalog::Catalog::get()
        .model(&inputs.deployment.model)
        .ok()?;
    let l = super::capacity::server_layout(inputs, &model.arch).ok()?;
    let note = idle_note(&Shape::of(&model.arch), inputs.deployment.runtime, &l)?;
    Some(match lang {
        Lang::En => format!("each server: {note}"),
        Lang::Zh => format!(
            "每台服务器 {} 个 GPU 中只有 {} 个运行模型，{} 个闲置：并行规模必须整除模型的注意力头、专家数或层数",
            l.gpus() + l.idle_gpus,
            l.gpus(),
            l.idle_gpus
        ),
    })
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
    p.rates = rates;
    p.reasons = p.reasons_in(inputs, Lang::En);
    p
}

impl Plan {
    /// Why the recommendation is what it is, in `lang`, for the inputs the plan was computed from.
    /// `reasons` holds the English sentences (what `plan --json` prints).
    pub fn reasons_in(&self, inputs: &CostInputs, lang: Lang) -> Vec<String> {
        let rates = &self.rates;
        let mut out = Vec::new();
        if let (Some(d), Some(age)) = (self.prices_as_of, self.stale_by_days) {
            out.push(match lang {
                Lang::En => format!(
                    "prices as of {d} are {age} days old (more than {STALE_AFTER_DAYS}): import a current price file (File → Import prices…, or --prices FILE.ron)"
                ),
                Lang::Zh => format!(
                    "价格截至 {d}，已有 {age} 天（超过 {STALE_AFTER_DAYS} 天）：请导入最新的价格文件（文件 → 导入价格…，或 --prices FILE.ron）"
                ),
            });
        }
        if let Some(a) = rates.api.as_ref().filter(|a| a.retired) {
            let until = a.effective_until.as_deref().unwrap_or("?");
            out.push(match lang {
                Lang::En => format!(
                    "the API endpoint {} was retired on {until}: its last price is used",
                    a.endpoint
                ),
                Lang::Zh => format!(
                    "API 端点 {} 已于 {until} 停用：使用其最后的价格",
                    a.endpoint
                ),
            });
        }
        out.push(rates.comparison.sentence(lang));
        let w = &inputs.workload;
        // Tool prices are small (¥5, $0.75): cents below 100, whole amounts above.
        let money = |v: f64| {
            if v.abs() < 100.0 {
                format!("{}{v:.2}", crate::lang::currency_symbol(inputs.currency))
            } else {
                crate::lang::format_with_symbol(lang, inputs.currency, v)
            }
        };
        out.extend(super::tools::sentences(
            &w.tools,
            &rates.tools,
            w.requests_per_day,
            money,
            lang,
        ));
        let c = &inputs.constraints;
        if c.regulated {
            out.push(
                lang.pick(
                    "data must stay on-premises: only the local options qualify",
                    "数据必须留在本地：只有本地方案符合要求",
                )
                .into(),
            );
        }
        for m in &rates.missing {
            let gpu = &inputs.deployment.gpu;
            out.push(match lang {
                Lang::En => format!(
                    "no {m} for {gpu} in the catalog or your price file, so the options that need it are not computed: enter one in the scenario or your price file"
                ),
                Lang::Zh => format!(
                    "目录和您的价格文件中都没有 {gpu} 的{}，需要它的方案未计算：请在方案或价格文件中填写",
                    super::rates::missing_price_name(m, lang)
                ),
            });
        }
        out.push(super::summary::capacity_sentence(
            inputs,
            &self.capacity,
            lang,
        ));
        out.extend(idle_gpus_sentence(inputs, lang));
        let best = self
            .recommended
            .and_then(|k| self.options.iter().find(|o| o.kind == k));
        if let Some(b) = best {
            let years = inputs.workload.horizon_years;
            out.push(match lang {
                Lang::En => format!(
                    "{} costs least over {years} years among the allowed options",
                    b.kind.json_name()
                ),
                Lang::Zh => format!(
                    "在可选方案中，{}在 {years} 年内总成本最低",
                    b.kind.label(lang)
                ),
            });
            if let Some(cl) = &b.cluster {
                out.push(super::summary::cluster_sentence(cl, lang));
            }
            if b.kind == OptionKind::Api
                && rates.comparison.relation == Relation::SelfHostedStronger
            {
                out.push(
                    lang.pick(
                        "the API serves a weaker model than the self-hosted one",
                        "API 提供的模型弱于自建模型",
                    )
                    .into(),
                );
            }
            if c.budget > 0.0 && b.horizon > c.budget {
                out.push(match lang {
                    Lang::En => {
                        format!("it exceeds the budget ({:.0} > {:.0})", b.horizon, c.budget)
                    }
                    Lang::Zh => format!("它超出了预算（{:.0} > {:.0}）", b.horizon, c.budget),
                });
            }
            if b.kind.is_local() && !c.has_ops_staff {
                out.push(
                    lang.pick(
                        "it needs staff to run servers, which the answers say are not available",
                        "它需要运维服务器的人员，而回答中说没有",
                    )
                    .into(),
                );
            }
        } else {
            out.push(
                lang.pick("no option satisfies the constraints", "没有满足条件的方案")
                    .into(),
            );
        }
        let why = super::rule_of_thumb::walk(inputs).rule(lang);
        let rule = self.rule_of_thumb;
        out.push(match (self.recommended.is_some_and(|r| r != rule), lang) {
            (true, Lang::En) => format!(
                "the rule of thumb ({why}) would pick {}; the computed costs disagree",
                rule.json_name()
            ),
            (true, Lang::Zh) => {
                format!(
                    "经验法则（{why}）会选择{}；计算出的成本与之不同",
                    rule.label(lang)
                )
            }
            (false, Lang::En) => format!("the rule of thumb agrees ({why})"),
            (false, Lang::Zh) => format!("经验法则与此一致（{why}）"),
        });
        for be in self.break_evens.iter().filter(|b| !b.at_capacity_step) {
            let volume = crate::lang::format_amount(lang, be.requests_per_day);
            out.push(match lang {
                Lang::En => format!(
                    "{} and {} break even at {volume} requests/day",
                    be.a.json_name(),
                    be.b.json_name()
                ),
                Lang::Zh => format!(
                    "{}与{}在每日 {volume} 次请求时成本持平",
                    be.a.label(lang),
                    be.b.label(lang)
                ),
            });
        }
        out
    }
}

fn plan_with(
    inputs: &CostInputs,
    rates: &Rates,
    capacity: Capacity,
    options: Vec<OptionCost>,
    with_break_evens: bool,
) -> Plan {
    let recommended = options
        .iter()
        .filter(|o| allowed(inputs, rates, o))
        .min_by(|a, b| a.horizon.total_cmp(&b.horizon))
        .map(|b| b.kind);
    let break_evens = if with_break_evens {
        break_evens(inputs, rates, &capacity)
    } else {
        Vec::new()
    };
    Plan {
        capacity,
        rates: rates.clone(),
        options,
        recommended,
        reasons: Vec::new(),
        rule_of_thumb: rule_of_thumb(inputs).0,
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
