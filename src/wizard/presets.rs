//! Common cases that fill every wizard step at once (all values stay editable). Each number comes
//! from a scenario in `scenarios/` (and through it a seed article) or is marked as an assumption.

use super::tiers::choose;
use crate::catalog::schema::Currency;
use crate::catalog::Catalog;
use crate::cost::inputs::Workload;
use crate::cost::tier::TIERS;
use crate::cost::traffic::PeakPreset;
use crate::cost::CostInputs;
use crate::lang::Lang;
use crate::prices::convert;

pub struct Preset {
    pub name: [&'static str; 2],
    /// Where the numbers come from.
    pub source: [&'static str; 2],
    pub requests_per_day: f64,
    pub input_tokens: f64,
    pub output_tokens: f64,
    pub regulated: bool,
    /// When the traffic comes; `None` = the catalog's default peak share.
    pub traffic: Option<PeakPreset>,
    /// Index into `cost::tier::TIERS`.
    pub tier: usize,
    /// Budget over the horizon in CNY; 0 = none.
    pub budget_cny: f64,
    pub has_ops_staff: bool,
    /// Engineers for one local server and for rented GPUs; `None` = the catalog default.
    pub fte_local_server: Option<f64>,
    pub fte_cloud: Option<f64>,
}

pub const PRESETS: [Preset; 4] = [
    Preset {
        name: ["Personal developer", "个人开发者"],
        source: [
            "scenarios/personal-rtx4090.ron: 200 requests/day of 500 + 1,500 tokens, a 14B distill on one RTX 4090 (seed 004's single-4090 tier, 1.85万 CNY, taken as the budget) against the stronger deepseek-flash API, run by yourself: no paid engineers. Traffic: your working day, weekdays 09–18 Beijing, 76% of API tokens in peak hours (an assumption; the scenario keeps the catalog's 50%).",
            "scenarios/personal-rtx4090.ron：每天 200 次、每次 500 + 1,500 token，单张 RTX 4090 跑 14B 蒸馏模型（种子文章 004 的单卡 4090 方案 1.85 万元，作为预算），对比更强的 deepseek-flash API，自己维护：不计工程师薪资。流量：你的工作时间，工作日北京时间 9–18 点，76% 的 API token 落在高峰时段（假设；方案文件沿用目录默认的 50%）。",
        ],
        requests_per_day: 200.0,
        input_tokens: 500.0,
        output_tokens: 1500.0,
        regulated: false,
        traffic: Some(PeakPreset::OfficeHoursChina),
        tier: 3,
        budget_cny: 18_500.0,
        has_ops_staff: true,
        fte_local_server: Some(0.0),
        fte_cloud: Some(0.0),
    },
    Preset {
        name: ["Startup product", "初创产品"],
        source: [
            "scenarios/startup-100k-cny-2xa100.ron: seed 002's start-up case — 10万 CNY budget, A100s for a 32B-class model; 5,000 requests/day of 800 + 1,500 tokens; one engineer (catalog default). Traffic: users through the day and evening, the catalog's 50% of API tokens in peak hours, as the scenario.",
            "scenarios/startup-100k-cny-2xa100.ron：种子文章 002 的初创公司案例——预算 10 万元，用 A100 跑 32B 级模型；每天 5,000 次、每次 800 + 1,500 token；一名工程师（目录默认值）。流量：用户分布在白天和晚上，按目录默认 50% 的 API token 落在高峰时段，与方案文件一致。",
        ],
        requests_per_day: 5_000.0,
        input_tokens: 800.0,
        output_tokens: 1500.0,
        regulated: false,
        traffic: None,
        tier: 2,
        budget_cny: 100_000.0,
        has_ops_staff: true,
        fte_local_server: None,
        fte_cloud: None,
    },
    Preset {
        name: ["Enterprise internal assistant", "企业内部助手"],
        source: [
            "scenarios/sme-under-10k-dgx-a100.ron: seed 001's SME tier — under 10,000 requests/day (8,000 of 800 + 1,500 tokens), an A100 server, a 3-person team, 145万 CNY in the first year (taken as the budget). The 32B-on-A100 tier stands in for its 70B distill (an assumption). Traffic: employees in Chinese office hours, weekdays 09–18 Beijing, 76% of API tokens in peak hours (the scenario keeps the catalog's 50%).",
            "scenarios/sme-under-10k-dgx-a100.ron：种子文章 001 的中小企业方案——每天少于 1 万次（8,000 次、每次 800 + 1,500 token），A100 服务器，3 人团队，首年 145 万元（作为预算）。以 A100 上的 32B 档位代替其 70B 蒸馏模型（假设）。流量：员工在中国工作时间使用，工作日北京时间 9–18 点，76% 的 API token 落在高峰时段（方案文件沿用目录默认的 50%）。",
        ],
        requests_per_day: 8_000.0,
        input_tokens: 800.0,
        output_tokens: 1500.0,
        regulated: false,
        traffic: Some(PeakPreset::OfficeHoursChina),
        tier: 2,
        budget_cny: 1_450_000.0,
        has_ops_staff: true,
        fte_local_server: Some(3.0),
        fte_cloud: None,
    },
    Preset {
        name: ["Regulated finance / medical", "受监管的金融 / 医疗"],
        source: [
            "scenarios/finance-2m-cny-8xh100-regulated.ron: seed 002's finance case — 200万 CNY, data kept on-premises (seed 000, seed 001); 20,000 requests/day of 1,500 + 2,000 tokens from a Chinese office-hours app (76% of API tokens in peak hours). The Flash tier (DeepSeek-V4-Flash-0731 FP4+FP8 on 4× H200) stands in for the scenario's same model on 8× H100.",
            "scenarios/finance-2m-cny-8xh100-regulated.ron：种子文章 002 的金融机构案例——200 万元，数据留在本地（种子文章 000、001）；每天 20,000 次、每次 1,500 + 2,000 token，来自中国工作时间使用的应用（76% 的 API token 落在高峰时段）。以 Flash 档位（DeepSeek-V4-Flash-0731 FP4+FP8，4× H200）代替方案文件中 8× H100 上的同一模型。",
        ],
        requests_per_day: 20_000.0,
        input_tokens: 1500.0,
        output_tokens: 2000.0,
        regulated: true,
        traffic: Some(PeakPreset::OfficeHoursChina),
        tier: 1,
        budget_cny: 2_000_000.0,
        has_ops_staff: true,
        fte_local_server: None,
        fte_cloud: None,
    },
];

impl Preset {
    pub fn name(&self, lang: Lang) -> &'static str {
        lang.pick(self.name[0], self.name[1])
    }

    pub fn source(&self, lang: Lang) -> &'static str {
        lang.pick(self.source[0], self.source[1])
    }

    /// Share of API tokens in DeepSeek's peak hours.
    pub fn peak_share(&self) -> f64 {
        self.traffic.map_or_else(
            || Catalog::get().cloud.cost_defaults.peak_share.value,
            PeakPreset::peak_share,
        )
    }

    /// Sets every field the wizard's steps edit; prices and other assumptions stay.
    pub fn apply(&self, inputs: &mut CostInputs) {
        let d = &Catalog::get().cloud.cost_defaults;
        let w = &mut inputs.workload;
        w.requests_per_day = self.requests_per_day;
        w.input_tokens = self.input_tokens;
        w.output_tokens = self.output_tokens;
        w.horizon_years = Workload::default().horizon_years;
        w.peak_share = self.peak_share();
        w.min_user_tok_s = d.min_user_tok_s.value;
        w.max_ttft_s = d.max_ttft_s.value;
        let c = &mut inputs.constraints;
        c.regulated = self.regulated;
        c.has_ops_staff = self.has_ops_staff;
        c.budget = convert(
            self.budget_cny,
            Currency::Cny,
            inputs.currency,
            inputs.usd_to_cny,
        );
        choose(&TIERS[self.tier], inputs);
        let p = &mut inputs.prices;
        p.fte_local_server = self.fte_local_server.unwrap_or(d.fte_local_server.value);
        p.fte_local_cluster = d.fte_local_cluster.value;
        p.fte_cloud = self.fte_cloud.unwrap_or(d.fte_cloud.value);
    }

    /// True when `inputs` hold exactly what `apply` sets.
    pub fn is_applied(&self, inputs: &CostInputs) -> bool {
        let mut applied = inputs.clone();
        self.apply(&mut applied);
        applied == *inputs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::wizard::steps::{percent, Step};

    fn scenario(file: &str) -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(file);
        Scenario::load(&path).unwrap()
    }

    /// The preset's numbers are the scenario's it cites.
    #[test]
    fn presets_match_the_scenarios_they_cite() {
        for p in &PRESETS {
            let file = p.source[0].split(':').next().unwrap();
            let s = scenario(file.trim_start_matches("scenarios/"));
            let w = &s.costs.workload;
            assert_eq!(p.requests_per_day, w.requests_per_day, "{file}");
            assert_eq!(p.input_tokens, w.input_tokens, "{file}");
            assert_eq!(p.output_tokens, w.output_tokens, "{file}");
            assert_eq!(p.regulated, s.costs.constraints.regulated, "{file}");
            if s.costs.constraints.budget > 0.0 {
                assert_eq!(p.budget_cny, s.costs.constraints.budget, "{file}");
            }
            if let Some(fte) = p.fte_local_server {
                assert_eq!(fte, s.costs.prices.fte_local_server, "{file}");
            }
            // A scenario that says when its traffic comes is followed; one that keeps the
            // catalog's share lets the preset decide, and the preset says so in both languages.
            let default = Catalog::get().cloud.cost_defaults.peak_share.value;
            if w.peak_share != default || p.peak_share() != default {
                // The finance scenario keeps the office-hours share it was saved with before
                // holidays were counted (7/9, weekdays only), so its plan stays to the cent.
                let saved_before_holidays = (w.peak_share - 7.0 / 9.0).abs() < 1e-12
                    && p.traffic == Some(PeakPreset::OfficeHoursChina);
                assert!(
                    (p.peak_share() - w.peak_share).abs() < 1e-12
                        || saved_before_holidays
                        || (w.peak_share == default
                            && p.source.iter().all(|t| t.contains(&percent(default)))),
                    "{file}: peak share {} against the scenario's {}",
                    p.peak_share(),
                    w.peak_share
                );
                let pct = percent(p.peak_share());
                assert!(p.source.iter().all(|t| t.contains(&pct)), "{file}");
            }
            // The tier runs the scenario's model, or the preset says what it stands in for.
            let model = (TIERS[p.tier].deployment)().model;
            assert!(
                model == s.costs.deployment.model
                    || p.source
                        .iter()
                        .all(|t| t.contains("stands in") || t.contains("代替")),
                "{file}: {model} against {}",
                s.costs.deployment.model
            );
        }
    }

    #[test]
    fn a_preset_fills_every_step_and_is_recognised() {
        for (i, p) in PRESETS.iter().enumerate() {
            let mut inputs = CostInputs::defaults(Currency::Usd);
            p.apply(&mut inputs);
            assert!(p.is_applied(&inputs));
            for (j, other) in PRESETS.iter().enumerate() {
                assert_eq!(
                    other.is_applied(&inputs),
                    i == j,
                    "{} vs {}",
                    p.name[0],
                    other.name[0]
                );
            }
            assert!(crate::wizard::tiers::is_chosen(&TIERS[p.tier], &inputs));
            assert_eq!(inputs.workload.peak_share, p.peak_share());
            // Budgets are converted into the scenario's currency.
            assert!((inputs.constraints.budget * inputs.usd_to_cny - p.budget_cny).abs() < 1e-6);
            inputs.validate().unwrap();
            for s in Step::ALL {
                assert!(!s.answer(&inputs, Lang::Zh).is_empty());
            }
        }
    }
}
