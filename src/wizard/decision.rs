//! The wizard's decision: the computed recommendation (cheapest allowed option over the horizon)
//! set against the seeds' rule of thumb, each option's state as a leaf of the tree, the volumes
//! where the answer flips, and what would change it — computed once per set of answers, then
//! said in either language.

use super::flips::{flips, Flip, Side};
use super::steps::percent;
use super::tiers::deployment_name;
use crate::cost::analysis::{allowed, curves, priced, sensitivity, Sensitivity};
use crate::cost::options::{servers_needed, OptionCost, OptionKind};
use crate::cost::rule_of_thumb::{walk, RulePath};
use crate::cost::{plan, CostInputs, Plan};
use crate::lang::{format_amount, format_with_symbol, Lang};
use crate::prices::PriceContext;

/// How far each assumption is moved to see whether it flips the answer.
pub const SENSITIVITY_SHARE: f64 = 0.3;

/// The sensitivity knob that moves `workload.peak_share` (as `cost::analysis::sensitivity` names
/// it).
const PEAK_SHARE_KNOB: &str = "share of API traffic in peak hours";

/// Everything the wizard and the Costs tab show for one set of answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The answers this was computed from.
    pub inputs: CostInputs,
    pub plan: Plan,
    /// Monthly cost against requests/day per feasible option.
    pub curves: Vec<(OptionKind, Vec<[f64; 2]>)>,
    pub sensitivity: Vec<Sensitivity>,
    pub flips: Vec<Flip>,
    pub rule: RulePath,
    /// The prices the answers were computed with (price file and day).
    pub prices: PriceContext,
}

/// Why an option is ruled out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Exclusion {
    /// Regulated data: only local options qualify.
    OnPremisesOnly,
    /// The self-hosted model does not fit the server.
    DoesNotFit,
    /// It fits, but not even one user gets the speed or first-token wait asked for.
    MissesServiceLevel,
    /// The load needs more than one server.
    OneServerTooSmall { servers: u32 },
    /// Neither the scenario nor the catalog prices it (it would look free).
    Unpriced,
}

/// What counts against an allowed option.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Warning {
    OverBudget,
    NeedsStaff,
}

impl Exclusion {
    /// Why an option of `plan` (computed from `inputs`) is ruled out, or `None` when it is not.
    pub fn of(inputs: &CostInputs, plan: &Plan, cost: &OptionCost) -> Option<Exclusion> {
        // An unpriced option is also marked infeasible: say the price is what is missing.
        if inputs.constraints.regulated && !cost.kind.is_local() {
            Some(Exclusion::OnPremisesOnly)
        } else if !priced(&plan.rates, cost.kind) {
            Some(Exclusion::Unpriced)
        } else if !cost.feasible && !plan.capacity.serves() {
            use crate::estimate::serving::Miss;
            match plan.capacity.miss {
                Some(Miss::TooSlow { .. } | Miss::FirstTokenTooSlow { .. }) => {
                    Some(Exclusion::MissesServiceLevel)
                }
                _ => Some(Exclusion::DoesNotFit),
            }
        } else if !cost.feasible {
            Some(Exclusion::OneServerTooSmall {
                servers: servers_needed(inputs, &plan.capacity).unwrap_or(0),
            })
        } else {
            None
        }
    }

    /// `ruled out: data must stay on-premises`.
    pub fn describe(self, inputs: &CostInputs, lang: Lang) -> String {
        format!(
            "{}{}",
            lang.pick("ruled out: ", "已排除："),
            self.reason(inputs, lang)
        )
    }

    /// `data must stay on-premises`.
    pub fn reason(self, inputs: &CostInputs, lang: Lang) -> String {
        match (self, lang) {
            (Exclusion::OnPremisesOnly, _) => lang
                .pick("data must stay on-premises", "数据必须留在本地")
                .into(),
            (Exclusion::DoesNotFit, Lang::En) => {
                format!("{} does not fit", deployment_name(&inputs.deployment))
            }
            (Exclusion::MissesServiceLevel, _) => lang
                .pick(
                    "too slow for the speed or first-token wait you asked",
                    "达不到您要求的速度或首 token 等待时间",
                )
                .into(),
            (Exclusion::DoesNotFit, Lang::Zh) => {
                format!("{} 装不下", deployment_name(&inputs.deployment))
            }
            (Exclusion::OneServerTooSmall { servers }, Lang::En) => {
                format!("the load needs {servers} servers")
            }
            (Exclusion::OneServerTooSmall { servers }, Lang::Zh) => {
                format!("负载需要 {servers} 台服务器")
            }
            (Exclusion::Unpriced, _) => lang
                .pick(
                    "no price in the catalog or your price file (enter one on the Costs tab)",
                    "目录和您的价格文件中都没有价格（可在“成本”页填写）",
                )
                .into(),
        }
    }
}

impl Warning {
    pub fn describe(self, lang: Lang) -> &'static str {
        match self {
            Warning::OverBudget => lang.pick("over budget", "超出预算"),
            Warning::NeedsStaff => lang.pick("needs ops staff", "需要运维人员"),
        }
    }
}

/// One option as a leaf of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf<'a> {
    pub cost: &'a OptionCost,
    pub excluded: Option<Exclusion>,
    pub warnings: Vec<Warning>,
    /// The computed recommendation.
    pub recommended: bool,
    /// Where the rule of thumb leads.
    pub rule: bool,
}

impl Decision {
    pub fn compute(inputs: &CostInputs, prices: &PriceContext) -> Decision {
        let plan = plan(inputs, prices);
        let rates = &plan.rates;
        Decision {
            curves: curves(inputs, rates, &plan.capacity),
            sensitivity: sensitivity(inputs, rates, SENSITIVITY_SHARE),
            flips: flips(inputs, rates, &plan.capacity),
            rule: walk(inputs),
            inputs: inputs.clone(),
            prices: prices.clone(),
            plan,
        }
    }

    pub fn option(&self, kind: OptionKind) -> Option<&OptionCost> {
        self.plan.options.iter().find(|o| o.kind == kind)
    }

    pub fn recommended(&self) -> Option<&OptionCost> {
        self.plan.recommended.and_then(|k| self.option(k))
    }

    /// The cheapest allowed option after the recommended one.
    pub fn runner_up(&self) -> Option<&OptionCost> {
        self.plan
            .options
            .iter()
            .filter(|o| {
                allowed(&self.inputs, &self.plan.rates, o) && Some(o.kind) != self.plan.recommended
            })
            .min_by(|a, b| a.horizon.total_cmp(&b.horizon))
    }

    /// True when the rule of thumb and the computed costs pick different options.
    pub fn disagrees(&self) -> bool {
        self.plan.recommended.is_some_and(|k| k != self.rule.option)
    }

    pub fn leaf<'a>(&self, cost: &'a OptionCost) -> Leaf<'a> {
        let i = &self.inputs;
        let excluded = Exclusion::of(i, &self.plan, cost);
        let mut warnings = Vec::new();
        if excluded.is_none() {
            if i.constraints.budget > 0.0 && cost.horizon > i.constraints.budget {
                warnings.push(Warning::OverBudget);
            }
            if cost.kind.is_local() && !i.constraints.has_ops_staff {
                warnings.push(Warning::NeedsStaff);
            }
        }
        Leaf {
            cost,
            excluded,
            warnings,
            recommended: self.plan.recommended == Some(cost.kind),
            rule: self.rule.option == cost.kind,
        }
    }

    /// Every option as a leaf, in `OptionKind::ALL` order.
    pub fn leaves(&self) -> Vec<Leaf<'_>> {
        self.plan.options.iter().map(|o| self.leaf(o)).collect()
    }

    fn volume(&self) -> f64 {
        self.inputs.workload.requests_per_day
    }

    /// The nearest flip below the current volume.
    pub fn flip_below(&self) -> Option<&Flip> {
        let v = self.volume();
        self.flips.iter().rev().find(|f| f.requests_per_day <= v)
    }

    /// The nearest flip above the current volume.
    pub fn flip_above(&self) -> Option<&Flip> {
        let v = self.volume();
        self.flips.iter().find(|f| f.requests_per_day > v)
    }

    /// The flip nearest the current volume (by ratio).
    pub fn nearest_flip(&self) -> Option<&Flip> {
        let v = self.volume().max(1.0);
        let ratio = |f: &Flip| (f.requests_per_day / v).ln().abs();
        match (self.flip_below(), self.flip_above()) {
            (Some(a), Some(b)) => Some(if ratio(a) <= ratio(b) { a } else { b }),
            (a, b) => a.or(b),
        }
    }

    /// One sentence on where the answer changes nearest the current volume.
    pub fn sentence(&self, lang: Lang) -> String {
        match self.nearest_flip() {
            Some(f) => self.flip_sentence(f, lang),
            None => match self.plan.recommended {
                Some(k) => match lang {
                    Lang::En => format!(
                        "{} stays the cheapest allowed option from {} to {} requests/day.",
                        capitalized(noun(k, lang).0),
                        format_amount(lang, crate::cost::analysis::CURVE_MIN),
                        format_amount(lang, crate::cost::analysis::CURVE_MAX)
                    ),
                    Lang::Zh => format!(
                        "每天 {} 到 {} 次请求之间，{}始终是最便宜的可选方案。",
                        format_amount(lang, crate::cost::analysis::CURVE_MIN),
                        format_amount(lang, crate::cost::analysis::CURVE_MAX),
                        noun(k, lang).0
                    ),
                },
                None => lang
                    .pick(
                        "No option satisfies the constraints at any volume.",
                        "在任何请求量下都没有满足条件的方案。",
                    )
                    .into(),
            },
        }
    }

    /// "Above 23,000 requests/day one local server becomes cheaper than the DeepSeek API …".
    pub fn flip_sentence(&self, f: &Flip, lang: Lang) -> String {
        let v = self.volume();
        let up = f.requests_per_day > v;
        let (new, old) = if up {
            (f.above, f.below)
        } else {
            (f.below, f.above)
        };
        let at = format_amount(lang, round_keeping_side(f.requests_per_day, v));
        // Costs at a flip are approximate: three significant digits.
        let money = |s: &Side| {
            format_with_symbol(
                lang,
                self.inputs.currency,
                round_keeping_side(s.monthly, f64::INFINITY),
            )
        };
        let (Some(new), Some(old)) = (new, old) else {
            return match (new, lang) {
                (Some(n), Lang::En) => format!(
                    "{} {at} requests/day {} becomes possible ({} a month).",
                    if up { "Above" } else { "Below" },
                    noun(n.option, lang).0,
                    money(&n)
                ),
                (Some(n), Lang::Zh) => format!(
                    "日请求量{} {at} 次时，{}成为可选方案（每月 {}）。",
                    if up { "超过" } else { "低于" },
                    noun(n.option, lang).0,
                    money(&n)
                ),
                (None, Lang::En) => format!(
                    "{} {at} requests/day no option satisfies the constraints.",
                    if up { "Above" } else { "Below" }
                ),
                (None, Lang::Zh) => format!(
                    "日请求量{} {at} 次时，没有满足条件的方案。",
                    if up { "超过" } else { "低于" }
                ),
            };
        };
        let crossing = (new.monthly - old.monthly).abs() <= 0.01 * new.monthly.max(old.monthly);
        let (new_noun, plural) = noun(new.option, lang);
        let old_noun = noun(old.option, lang).0;
        match lang {
            Lang::En => {
                let side = if up { "Above" } else { "Below" };
                if crossing {
                    format!(
                        "{side} {at} requests/day {new_noun} {} cheaper than {old_noun} (both about {} a month there).",
                        if plural { "become" } else { "becomes" },
                        money(&new)
                    )
                } else {
                    format!(
                        "{side} {at} requests/day the cheapest option becomes {new_noun} ({} a month; {old_noun} costs {} on the other side).",
                        money(&new),
                        money(&old)
                    )
                }
            }
            Lang::Zh => {
                let side = if up { "超过" } else { "低于" };
                if crossing {
                    format!(
                        "日请求量{side} {at} 次时，{new_noun}比{old_noun}更便宜（该处两者每月均约 {}）。",
                        money(&new)
                    )
                } else {
                    format!(
                        "日请求量{side} {at} 次时，最便宜的方案变为{new_noun}（每月 {}；另一侧{old_noun}每月 {}）。",
                        money(&new),
                        money(&old)
                    )
                }
            }
        }
    }

    /// Why the recommendation is what it is, in the UI language.
    pub fn reasons(&self, lang: Lang) -> Vec<String> {
        let i = &self.inputs;
        let cap = &self.plan.capacity;
        let mut out = Vec::new();
        if i.constraints.regulated {
            out.push(
                lang.pick(
                    "Data must stay on-premises: only the local options qualify.",
                    "数据必须留在本地：只有本地方案符合要求。",
                )
                .into(),
            );
        }
        for &m in &self.plan.rates.missing {
            out.push(match lang {
                Lang::En => format!(
                    "Neither the catalog nor your price file has a {m} for {}: enter one on the Costs tab.",
                    i.deployment.gpu
                ),
                Lang::Zh => format!(
                    "目录和您的价格文件中都没有 {} 的{}：请在“成本”页填写。",
                    i.deployment.gpu,
                    crate::cost::rates::missing_price_name(m, lang)
                ),
            });
        }
        out.push(capitalized(&crate::cost::summary::capacity_sentence(i, cap, lang)) + end(lang));
        match self.recommended() {
            Some(r) => {
                let years = format_amount(lang, i.workload.horizon_years);
                out.push(match lang {
                    Lang::En => format!(
                        "{} costs least over {years} years among the allowed options ({} a month).",
                        capitalized(noun(r.kind, lang).0),
                        self.money(r.monthly, lang)
                    ),
                    Lang::Zh => format!(
                        "在可选方案中，{}在 {years} 年内总成本最低（每月 {}）。",
                        noun(r.kind, lang).0,
                        self.money(r.monthly, lang)
                    ),
                });
                if let Some(c) = &r.cluster {
                    out.push(
                        capitalized(&crate::cost::summary::cluster_sentence(c, lang)) + end(lang),
                    );
                }
                let leaf = self.leaf(r);
                if leaf.warnings.contains(&Warning::OverBudget) {
                    out.push(match lang {
                        Lang::En => format!(
                            "It exceeds the budget ({} > {}).",
                            self.money(r.horizon, lang),
                            self.money(i.constraints.budget, lang)
                        ),
                        Lang::Zh => format!(
                            "它超出了预算（{} > {}）。",
                            self.money(r.horizon, lang),
                            self.money(i.constraints.budget, lang)
                        ),
                    });
                }
                if leaf.warnings.contains(&Warning::NeedsStaff) {
                    out.push(
                        lang.pick(
                            "It needs staff to run servers, which you said you do not have.",
                            "它需要运维服务器的人员，而你选择了没有。",
                        )
                        .into(),
                    );
                }
            }
            None => out.push(
                lang.pick(
                    "No option satisfies the constraints.",
                    "没有满足条件的方案。",
                )
                .into(),
            ),
        }
        let rule = self.rule.rule(lang);
        out.push(if self.disagrees() {
            match lang {
                Lang::En => format!(
                    "The seeds' rule of thumb ({rule}) would pick {}; the computed costs disagree.",
                    noun(self.rule.option, lang).0
                ),
                Lang::Zh => format!(
                    "种子文章的经验法则（{rule}）会选择{}；计算出的成本与之不同。",
                    noun(self.rule.option, lang).0
                ),
            }
        } else {
            match lang {
                Lang::En => format!("The seeds' rule of thumb agrees ({rule})."),
                Lang::Zh => format!("种子文章的经验法则与此一致（{rule}）。"),
            }
        });
        out
    }

    /// What would change the answer: the nearest flips in volume and the assumptions that, moved
    /// by ±30%, change the recommendation.
    pub fn what_would_change(&self, lang: Lang) -> Vec<String> {
        let mut out: Vec<String> = [self.flip_below(), self.flip_above()]
            .into_iter()
            .flatten()
            .map(|f| self.flip_sentence(f, lang))
            .collect();
        let pct = format!("{:.0}%", SENSITIVITY_SHARE * 100.0);
        for s in &self.sensitivity {
            for (changed, lower) in [(s.low, true), (s.high, false)] {
                if changed == self.plan.recommended {
                    continue;
                }
                let name = crate::cost::labels::label(s.assumption, lang);
                let to = changed.map_or(
                    lang.pick("no option would qualify", "将没有符合条件的方案"),
                    |k| noun(k, lang).0,
                );
                if s.assumption == PEAK_SHARE_KNOB {
                    out.push(self.peak_share_change(lower, to, lang));
                    continue;
                }
                out.push(match lang {
                    Lang::En => format!(
                        "If {name} were {pct} {}, the answer would be {to}.",
                        if lower { "lower" } else { "higher" }
                    ),
                    Lang::Zh => format!(
                        "若{name}{} {pct}，结论将变为{to}。",
                        if lower { "降低" } else { "提高" }
                    ),
                });
            }
        }
        if !self.sensitivity.iter().any(|s| s.flips) {
            out.push(match lang {
                Lang::En => format!("No single assumption moved by ±{pct} changes the answer."),
                Lang::Zh => format!("任一假设单独变化 ±{pct} 都不会改变结论。"),
            });
        }
        out
    }

    /// The peak-share knob said with the shares themselves: "If 65% of the API's tokens fell in
    /// DeepSeek's peak hours instead of 50%, …" (the knob moves the share as
    /// `cost::analysis::sensitivity` does: by ±30% of itself, at most all of it).
    fn peak_share_change(&self, lower: bool, to: &str, lang: Lang) -> String {
        let now = self.inputs.workload.peak_share;
        let f = if lower {
            1.0 - SENSITIVITY_SHARE
        } else {
            1.0 + SENSITIVITY_SHARE
        };
        let (then, now) = (percent((now * f).min(1.0)), percent(now));
        match lang {
            Lang::En => format!(
                "If {then} of the API's tokens fell in DeepSeek's peak hours instead of {now}, the answer would be {to}."
            ),
            Lang::Zh => format!(
                "若落在 DeepSeek 高峰时段的 API token 占 {then}（而非 {now}），结论将变为{to}。"
            ),
        }
    }

    fn money(&self, v: f64, lang: Lang) -> String {
        format_with_symbol(lang, self.inputs.currency, v)
    }
}

/// An option as said mid-sentence, and whether it takes a plural verb.
pub fn noun(kind: OptionKind, lang: Lang) -> (&'static str, bool) {
    match (kind, lang) {
        (OptionKind::Api, Lang::En) => ("the DeepSeek API", false),
        (OptionKind::CloudGpu, Lang::En) => ("rented cloud GPUs", true),
        (OptionKind::LocalServer, Lang::En) => ("one local server", false),
        (OptionKind::LocalCluster, Lang::En) => ("a local cluster", false),
        (k, Lang::Zh) => (k.label(lang), false),
    }
}

/// A sentence's full stop in `lang`.
fn end(lang: Lang) -> &'static str {
    lang.pick(".", "。")
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `v` rounded to as few significant digits (at least 3) as keep it on the same side of `from`.
fn round_keeping_side(v: f64, from: f64) -> f64 {
    for digits in 3..=6 {
        let scale = 10f64.powi(v.abs().max(1.0).log10().floor() as i32 + 1 - digits);
        let r = (v / scale).round() * scale;
        if (r > from) == (v > from) {
            return r;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::schema::Currency;

    fn on_the_day() -> PriceContext {
        PriceContext::catalog_only(crate::prices::Day::new(2026, 12, 1).unwrap())
    }

    fn personal() -> CostInputs {
        let mut i = CostInputs::defaults(Currency::Cny);
        super::super::presets::PRESETS[0].apply(&mut i);
        i
    }

    #[test]
    fn rounding_keeps_the_flip_on_its_side_of_the_volume() {
        assert_eq!(round_keeping_side(22_874.0, 10_000.0), 22_900.0);
        assert_eq!(round_keeping_side(22_874.0, 22_880.0), 22_870.0);
        assert_eq!(round_keeping_side(472_921.6, f64::INFINITY), 473_000.0);
    }

    #[test]
    fn a_sentence_in_each_language_with_the_currency() {
        let d = Decision::compute(&personal(), &on_the_day());
        let f = d
            .nearest_flip()
            .expect("the personal case has a break-even");
        for lang in [Lang::En, Lang::Zh] {
            let s = d.flip_sentence(f, lang);
            assert!(s.contains('¥'), "{s}");
        }
        assert!(
            d.sentence(Lang::En).starts_with("Above"),
            "{}",
            d.sentence(Lang::En)
        );
    }

    #[test]
    fn leaves_say_why_they_are_ruled_out() {
        let mut i = personal();
        i.constraints.regulated = true;
        let d = Decision::compute(&i, &on_the_day());
        for leaf in d.leaves() {
            let local = leaf.cost.kind.is_local();
            assert_eq!(
                leaf.excluded == Some(Exclusion::OnPremisesOnly),
                !local,
                "{leaf:?}"
            );
        }
        assert!(d.recommended().is_some_and(|r| r.kind.is_local()));
    }

    #[test]
    fn just_below_the_api_break_even_the_peak_share_is_named_as_what_would_change_it() {
        let mut i = personal();
        i.workload.peak_share = 0.5;
        let d = Decision::compute(&i, &on_the_day());
        assert!(
            d.sensitivity
                .iter()
                .any(|s| s.assumption == PEAK_SHARE_KNOB),
            "cost::analysis::sensitivity moves the peak share under this name"
        );
        let f = d
            .flips
            .iter()
            .find(|f| f.below.is_some_and(|s| s.option == OptionKind::Api) && f.above.is_some())
            .expect("the API stops being cheapest at some volume");
        let mut i = d.inputs.clone();
        // 2% below the break-even: 30% more peak traffic makes the API ≈10% dearer.
        i.workload.requests_per_day = f.requests_per_day * 0.98;
        let d = Decision::compute(&i, &on_the_day());
        assert_eq!(d.plan.recommended, Some(OptionKind::Api));
        let en = d.what_would_change(Lang::En);
        assert!(
            en.iter().any(|l| l.starts_with(
                "If 65% of the API's tokens fell in DeepSeek's peak hours instead of 50%, the answer would be"
            )),
            "{en:#?}"
        );
        let zh = d.what_would_change(Lang::Zh);
        assert!(
            zh.iter()
                .any(|l| l.contains("高峰时段的 API token 占 65%（而非 50%）")),
            "{zh:#?}"
        );
    }

    #[test]
    fn a_server_too_slow_for_the_service_level_says_so_and_the_reasons_give_the_operating_point() {
        let mut i = personal();
        let d = Decision::compute(&i, &on_the_day());
        assert!(d
            .reasons(Lang::En)
            .iter()
            .any(|r| r.contains("users at once")));
        assert!(d.reasons(Lang::Zh).iter().any(|r| r.contains("上限原因")));
        i.workload.min_user_tok_s = 5_000.0;
        let d = Decision::compute(&i, &on_the_day());
        let local = d.option(OptionKind::LocalServer).unwrap();
        assert_eq!(d.leaf(local).excluded, Some(Exclusion::MissesServiceLevel));
        assert!(d
            .reasons(Lang::En)
            .iter()
            .any(|r| r.contains("below the 5000 tok/s asked")));
    }

    #[test]
    fn reasons_and_changes_exist_in_both_languages() {
        let d = Decision::compute(&personal(), &on_the_day());
        for lang in [Lang::En, Lang::Zh] {
            assert!(d.reasons(lang).len() >= 3);
            assert!(!d.what_would_change(lang).is_empty());
        }
        let runner = d.runner_up().expect("several options are allowed");
        assert_ne!(Some(runner.kind), d.plan.recommended);
    }
}
