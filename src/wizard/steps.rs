//! The wizard's questions in the order it asks them: what each is called, why it matters, which
//! fields of the scenario it edits, the answer in a few words (written on the tree's nodes) and
//! where every default comes from. Adding a question is a `Step` variant with its texts and
//! fields here; the view draws any step from its fields.

use super::tiers::{deployment_name, endpoint};
use crate::catalog::schema::{ApiTool, Confidence, Currency, Sourced};
use crate::catalog::Catalog;
use crate::cost::inputs::Workload;
use crate::cost::rule_of_thumb::Asks;
use crate::cost::CostInputs;
use crate::lang::{format_amount, format_with_symbol, Lang};
use crate::prices::convert;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Volume,
    Data,
    Traffic,
    Quality,
    Budget,
    Latency,
}

/// Index of the result page, after the last question.
pub const RESULT: usize = Step::ALL.len();

/// One scenario value a step edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    RequestsPerDay,
    InputTokens,
    OutputTokens,
    Regulated,
    PeakShare,
    /// Agent features: tool calls a day (the API bills them apart from tokens).
    SearchesPerDay,
    FetchesPerDay,
    OcrPagesPerDay,
    TtsCharsPerDay,
    Tier,
    Budget,
    HorizonYears,
    HasOpsStaff,
    FteLocalServer,
    FteLocalCluster,
    FteCloud,
    MinUserTokS,
    MaxTtftS,
}

/// A field's value, borrowed for editing.
pub enum FieldValue<'a> {
    /// A number from `min` to `max`.
    Number {
        value: &'a mut f64,
        min: f64,
        max: f64,
    },
    Flag(&'a mut bool),
    /// A share from 0 to 1, shown as a percentage, with `cost::traffic::PeakPreset::ALL` as
    /// ready-made answers.
    PeakShare(&'a mut f64),
    /// One of `cost::tier::TIERS`, chosen with `tiers::choose` (deployment and API endpoint).
    Tier(&'a mut CostInputs),
}

impl Step {
    /// The step that answers a question of the seeds' rule of thumb.
    pub fn asking(asks: Asks) -> Step {
        match asks {
            Asks::Volume => Step::Volume,
            Asks::RegulatedData => Step::Data,
        }
    }

    /// In the order the wizard asks them (declaration order, so `index` is the position).
    pub const ALL: [Step; 6] = [
        Step::Volume,
        Step::Data,
        Step::Traffic,
        Step::Quality,
        Step::Budget,
        Step::Latency,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The step at a page index; `None` for the result page.
    pub fn at(index: usize) -> Option<Step> {
        Step::ALL.get(index).copied()
    }

    /// A few words naming the step (tree nodes).
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Step::Volume => lang.pick("Requests per day", "每日请求量"),
            Step::Data => lang.pick("Regulated data?", "数据受监管？"),
            Step::Traffic => lang.pick("Traffic hours", "流量时段"),
            Step::Quality => lang.pick("Quality tier", "质量档位"),
            Step::Budget => lang.pick("Budget and people", "预算与人员"),
            Step::Latency => lang.pick("Speed per user", "每用户速度"),
        }
    }

    /// The step's heading.
    pub fn question(self, lang: Lang) -> &'static str {
        match self {
            Step::Volume => lang.pick("How much will you use it?", "使用量有多大？"),
            Step::Data => lang.pick("Where may the data go?", "数据可以离开本地吗？"),
            Step::Traffic => lang.pick("When does your traffic come?", "你的流量集中在什么时候？"),
            Step::Quality => lang.pick("What quality do you need?", "需要什么样的质量？"),
            Step::Budget => lang.pick("Budget and people", "预算与人员"),
            Step::Latency => lang.pick(
                "How soon must answers start, and how fast stream?",
                "回答需要多快开始、多快输出？",
            ),
        }
    }

    /// One line on why the answer matters.
    pub fn why(self, lang: Lang) -> &'static str {
        match self {
            Step::Volume => lang.pick(
                "Volume decides what is cheapest: the API is paid per token, a server per month however busy it is.",
                "请求量决定哪种方案最便宜：API 按 token 付费，服务器无论忙闲都按月付费。",
            ),
            Step::Data => lang.pick(
                "Regulated data (finance, medical, government) may not go to an outside API or cloud: only on-premises options qualify.",
                "受监管数据（金融、医疗、政务）不能发往外部 API 或云：只有本地部署方案符合要求。",
            ),
            Step::Traffic => lang.pick(
                "Since 2026-08-16 DeepSeek bills weekday peak hours (09–12 and 14–18 Beijing time) at twice its off-peak price; weekends and Chinese public holidays (and the weekend days worked to make up for them) are off-peak all day. The more of your traffic falls in peak hours, the more the API costs. A server costs the same at any hour.",
                "自 2026-08-16 起，DeepSeek 在工作日高峰时段（北京时间 9–12 点、14–18 点）按闲时价格的两倍计费；周末和中国法定节假日（以及调休上班的周末）全天按闲时计费。流量越多落在高峰时段，API 越贵。服务器在任何时段的成本都一样。",
            ),
            Step::Quality => lang.pick(
                "The model decides the hardware: V4-Pro needs a full 8-GPU server, V4-Flash half of one, a distill a single card. The API is compared at the same tier; a distill is weaker than any DeepSeek API.",
                "模型决定硬件：V4-Pro 需要一整台 8 卡服务器，V4-Flash 需要半台，蒸馏模型一张卡即可。API 按同一质量档比较；蒸馏模型弱于 DeepSeek 的任何 API。",
            ),
            Step::Budget => lang.pick(
                "For one server, people usually cost more than the hardware; a budget marks the options you cannot afford.",
                "对单台服务器而言，人力通常比硬件更贵；预算会标出负担不起的方案。",
            ),
            Step::Latency => lang.pick(
                "The faster each user's answer must stream and the sooner its first token must come, the fewer users share a server, so the same volume needs more servers.",
                "每个用户要求的输出越快、首个 token 要求越早，一台服务器能同时服务的用户越少，同样的请求量就需要更多服务器。",
            ),
        }
    }

    /// The scenario values the step edits, in form order.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Step::Volume => &[
                Field::RequestsPerDay,
                Field::InputTokens,
                Field::OutputTokens,
            ],
            Step::Data => &[Field::Regulated],
            Step::Traffic => &[
                Field::PeakShare,
                Field::SearchesPerDay,
                Field::FetchesPerDay,
                Field::OcrPagesPerDay,
                Field::TtsCharsPerDay,
            ],
            Step::Quality => &[Field::Tier],
            Step::Budget => &[
                Field::Budget,
                Field::HorizonYears,
                Field::HasOpsStaff,
                Field::FteLocalServer,
                Field::FteLocalCluster,
                Field::FteCloud,
            ],
            Step::Latency => &[Field::MinUserTokS, Field::MaxTtftS],
        }
    }

    /// The answer in a few words, as written on the step's tree node.
    pub fn answer(self, inputs: &CostInputs, lang: Lang) -> String {
        let w = &inputs.workload;
        let c = &inputs.constraints;
        match self {
            Step::Volume => format!(
                "{} {}",
                format_amount(lang, w.requests_per_day),
                lang.pick("a day", "次/天")
            ),
            Step::Data => if c.regulated {
                lang.pick("yes: keep on-premises", "是：留在本地")
            } else {
                lang.pick("no: may leave", "否：可以外发")
            }
            .to_string(),
            Step::Traffic => {
                let pct = percent(w.peak_share);
                let mut out = match lang {
                    Lang::En => format!("{pct} of API tokens at peak"),
                    Lang::Zh => format!("高峰时段占 API token 的 {pct}"),
                };
                for t in w.tools.used() {
                    out.push_str(&format!(
                        " · {} {}{}",
                        format_amount(lang, w.tools.volume(t).daily(w.requests_per_day)),
                        crate::cost::tools::units(t, lang),
                        lang.pick("/day", "/天")
                    ));
                }
                out
            }
            Step::Quality => format!(
                "{} · API {}",
                deployment_name(&inputs.deployment),
                endpoint(inputs)
            ),
            Step::Budget => {
                let budget = if c.budget > 0.0 {
                    format_with_symbol(lang, inputs.currency, c.budget)
                } else {
                    lang.pick("no budget limit", "预算不限").to_string()
                };
                let staff = if c.has_ops_staff {
                    lang.pick("ops staff", "有运维")
                } else {
                    lang.pick("no ops staff", "无运维")
                };
                format!(
                    "{budget} · {} {} · {staff}",
                    w.horizon_years,
                    lang.pick("yr", "年")
                )
            }
            Step::Latency => match lang {
                Lang::En => format!(
                    "≥ {} tok/s per user · first token ≤ {} s",
                    format_amount(lang, w.min_user_tok_s),
                    seconds(w.max_ttft_s)
                ),
                Lang::Zh => format!(
                    "每用户 ≥ {} token/s · 首 token ≤ {} 秒",
                    format_amount(lang, w.min_user_tok_s),
                    seconds(w.max_ttft_s)
                ),
            },
        }
    }
}

impl Field {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Field::RequestsPerDay => lang.pick("Requests per day", "每日请求数"),
            Field::InputTokens => lang.pick("Input tokens per request", "每次请求输入 token"),
            Field::OutputTokens => lang.pick(
                "Output tokens per request (reasoning included)",
                "每次请求输出 token（含思考过程）",
            ),
            Field::Regulated => lang.pick(
                "Regulated data: must stay on-premises",
                "受监管数据：必须留在本地",
            ),
            Field::PeakShare => lang.pick(
                "Share of API tokens in DeepSeek's peak hours",
                "API token 落在 DeepSeek 高峰时段的比例",
            ),
            Field::SearchesPerDay => lang.pick(
                "Agent features: web searches a day",
                "智能体功能：每天联网搜索次数",
            ),
            Field::FetchesPerDay => lang.pick(
                "Agent features: page fetches a day",
                "智能体功能：每天网页抓取次数",
            ),
            Field::OcrPagesPerDay => lang.pick(
                "Agent features: OCR pages a day",
                "智能体功能：每天 OCR 页数",
            ),
            Field::TtsCharsPerDay => lang.pick(
                "Agent features: TTS characters a day",
                "智能体功能：每天 TTS 字符数",
            ),
            Field::Tier => lang.pick("Model and hardware", "模型与硬件"),
            Field::Budget => lang.pick(
                "Budget over the horizon (0 = none)",
                "周期内预算（0 表示不限）",
            ),
            Field::HorizonYears => lang.pick("Horizon (years)", "周期（年）"),
            Field::HasOpsStaff => lang.pick("We have staff to run servers", "有人员运维服务器"),
            Field::FteLocalServer => lang.pick(
                "Engineers one local server needs (full-time)",
                "单台本地服务器所需工程师（全职人数）",
            ),
            Field::FteLocalCluster => lang.pick(
                "Engineers a cluster needs (full-time)",
                "集群所需工程师（全职人数）",
            ),
            Field::FteCloud => lang.pick(
                "Engineers rented GPUs need (full-time)",
                "租用云 GPU 所需工程师（全职人数）",
            ),
            Field::MinUserTokS => lang.pick("Minimum tokens/s per user", "每个用户最低 token/s"),
            Field::MaxTtftS => lang.pick(
                "Longest wait for the first token (seconds)",
                "首个 token 最长等待时间（秒）",
            ),
        }
    }

    pub fn value_mut(self, inputs: &mut CostInputs) -> FieldValue<'_> {
        let number = |value, max| FieldValue::Number {
            value,
            min: 0.0,
            max,
        };
        // Each arm borrows only what it edits; the tier takes the whole inputs.
        let i = inputs;
        match self {
            Field::RequestsPerDay => number(&mut i.workload.requests_per_day, 1e9),
            Field::InputTokens => number(&mut i.workload.input_tokens, 1e6),
            Field::OutputTokens => number(&mut i.workload.output_tokens, 1e6),
            Field::Regulated => FieldValue::Flag(&mut i.constraints.regulated),
            Field::PeakShare => FieldValue::PeakShare(&mut i.workload.peak_share),
            Field::SearchesPerDay => number(&mut i.workload.tools.searches.per_day, 1e12),
            Field::FetchesPerDay => number(&mut i.workload.tools.fetches.per_day, 1e12),
            Field::OcrPagesPerDay => number(&mut i.workload.tools.ocr_pages.per_day, 1e12),
            Field::TtsCharsPerDay => number(&mut i.workload.tools.tts_chars.per_day, 1e12),
            Field::Tier => FieldValue::Tier(i),
            Field::Budget => number(&mut i.constraints.budget, 1e12),
            Field::HorizonYears => number(&mut i.workload.horizon_years, 50.0),
            Field::HasOpsStaff => FieldValue::Flag(&mut i.constraints.has_ops_staff),
            Field::FteLocalServer => number(&mut i.prices.fte_local_server, 1000.0),
            Field::FteLocalCluster => number(&mut i.prices.fte_local_cluster, 1000.0),
            Field::FteCloud => number(&mut i.prices.fte_cloud, 1000.0),
            Field::MinUserTokS => number(&mut i.workload.min_user_tok_s, 1000.0),
            // Zero is no wait at all, which no server meets (and the inputs refuse).
            Field::MaxTtftS => FieldValue::Number {
                value: &mut i.workload.max_ttft_s,
                min: 0.1,
                max: 600.0,
            },
        }
    }

    /// Where the field's default comes from, one line in the UI language.
    pub fn default_source(self, inputs: &CostInputs, lang: Lang) -> String {
        let d = &Catalog::get().cloud.cost_defaults;
        let w = Workload::default();
        let assumption = |value: String, why_en: &str, why_zh: &str| match lang {
            Lang::En => format!("Default {value}: an assumption (no source), {why_en}."),
            Lang::Zh => format!("默认 {value}：假设（无来源），{why_zh}。"),
        };
        let number = |v: f64| format_amount(lang, v);
        match self {
            Field::RequestsPerDay => assumption(
                number(w.requests_per_day),
                "inside the seeds' 5,000–50,000 band",
                "处于种子文章 5,000–50,000 区间内",
            ),
            Field::InputTokens => assumption(
                number(w.input_tokens),
                "a question with some context",
                "一个带少量上下文的问题",
            ),
            Field::OutputTokens => assumption(
                number(w.output_tokens),
                "a moderate chain of thought; R1 was evaluated with up to 32,768 generated tokens",
                "中等长度的思考过程；R1 评测时最多生成 32,768 个 token",
            ),
            Field::Regulated => lang
                .pick(
                    "Default no. Seed 000: finance, medical and other regulated industries keep data on-premises.",
                    "默认否。种子文章 000：金融、医疗等强监管行业将数据留在本地。",
                )
                .into(),
            Field::PeakShare => sourced(
                lang,
                lang.pick("Default", "默认"),
                percent(d.peak_share.value),
                &d.peak_share,
            ),
            Field::SearchesPerDay => tool_default(ApiTool::Search, inputs, lang),
            Field::FetchesPerDay => tool_default(ApiTool::Fetch, inputs, lang),
            Field::OcrPagesPerDay => tool_default(ApiTool::Ocr, inputs, lang),
            Field::TtsCharsPerDay => tool_default(ApiTool::Tts, inputs, lang),
            Field::Tier => lang
                .pick(
                    "Default: DeepSeek-V4-Flash-0731 on 4× H200 against the deepseek-flash API, the same quality tier. Scores from the official model cards.",
                    "默认：DeepSeek-V4-Flash-0731 运行于 4× H200，对比同一质量档的 deepseek-flash API。评分来自官方模型卡。",
                )
                .into(),
            Field::Budget => lang
                .pick("Default 0: no limit.", "默认 0：不限。")
                .into(),
            Field::HorizonYears => lang
                .pick(
                    "Default 3 years, as seed 000's total-cost table.",
                    "默认 3 年，与种子文章 000 的总成本表一致。",
                )
                .into(),
            Field::HasOpsStaff => {
                let salary = convert(
                    d.engineer_cny_per_year.value,
                    Currency::Cny,
                    inputs.currency,
                    inputs.usd_to_cny,
                );
                sourced(
                    lang,
                    lang.pick("One engineer a year", "每名工程师年成本"),
                    format_with_symbol(lang, inputs.currency, salary),
                    &d.engineer_cny_per_year,
                )
            }
            Field::FteLocalServer => sourced(
                lang,
                lang.pick("Default", "默认"),
                number(d.fte_local_server.value),
                &d.fte_local_server,
            ),
            Field::FteLocalCluster => sourced(
                lang,
                lang.pick("Default", "默认"),
                number(d.fte_local_cluster.value),
                &d.fte_local_cluster,
            ),
            Field::FteCloud => sourced(
                lang,
                lang.pick("Default", "默认"),
                format!("{}", d.fte_cloud.value),
                &d.fte_cloud,
            ),
            Field::MinUserTokS => sourced(
                lang,
                lang.pick("Default", "默认"),
                format!("{} tok/s", number(d.min_user_tok_s.value)),
                &d.min_user_tok_s,
            ),
            Field::MaxTtftS => sourced(
                lang,
                lang.pick("Default", "默认"),
                format!("{} {}", seconds(d.max_ttft_s.value), lang.pick("s", "秒")),
                &d.max_ttft_s,
            ),
        }
    }
}

/// `Default 0 (no agent tools). The API bills them ¥5 per 1,000 — catalog: …, 2026-11-01`.
fn tool_default(tool: ApiTool, inputs: &CostInputs, lang: Lang) -> String {
    let ctx = crate::prices::PriceContext::catalog_only(crate::prices::Day::today());
    let price = ctx.api_tool(tool, inputs.currency, inputs.usd_to_cny);
    let sym = crate::lang::currency_symbol(inputs.currency);
    match (price, lang) {
        (Some(p), Lang::En) => format!(
            "Default 0 (no agent tools). The API bills them {sym}{} per {}, a self-hosted model has none — {}.",
            p.price,
            format_amount(lang, p.per),
            p.source.describe(lang)
        ),
        (Some(p), Lang::Zh) => format!(
            "默认 0（不用智能体工具）。API 每 {} 收费 {sym}{}，自建模型不含此工具——{}。",
            format_amount(lang, p.per),
            p.price,
            p.source.describe(lang)
        ),
        (None, _) => lang
            .pick(
                "Default 0 (no agent tools); the API has no price for it yet.",
                "默认 0（不用智能体工具）；API 尚未对其定价。",
            )
            .into(),
    }
}

/// A wait in seconds to two decimals at most: `2`, `0.42`.
fn seconds(v: f64) -> String {
    format!("{}", (v * 100.0).round() / 100.0)
}

/// `0.78` → `78%`.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn confidence_label(c: Confidence, lang: Lang) -> &'static str {
    match c {
        Confidence::Verified => lang.pick("verified", "已核实"),
        Confidence::Mirror => lang.pick("verified copy", "转载已核实"),
        Confidence::Derived => lang.pick("derived", "推算"),
        Confidence::Unverified => lang.pick("unverified", "未核实"),
        Confidence::Low => lang.pick("weak source", "来源较弱"),
    }
}

/// `Default 20 tok/s — DS6: … (verified, 2025-02)`.
fn sourced(lang: Lang, what: &str, value: String, s: &Sourced) -> String {
    let conf = confidence_label(s.confidence, lang);
    match lang {
        Lang::En => format!("{what} {value} — {} ({conf}, {}).", s.source, s.date),
        Lang::Zh => format!(
            "{what} {value} —— 来源：{}（{conf}，{}）。",
            s.source, s.date
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_question_of_the_rule_is_its_own_step() {
        use crate::cost::rule_of_thumb::RULE_TREE;
        let steps: Vec<Step> = RULE_TREE.iter().map(|q| Step::asking(q.asks)).collect();
        assert_eq!(steps, [Step::Volume, Step::Data]);
    }

    #[test]
    fn steps_are_listed_in_declaration_order() {
        for (i, s) in Step::ALL.iter().enumerate() {
            assert_eq!(s.index(), i);
            assert_eq!(Step::at(i), Some(*s));
        }
        assert_eq!(Step::at(RESULT), None);
    }

    #[test]
    fn every_field_belongs_to_one_step_and_says_where_its_default_comes_from() {
        let mut inputs = CostInputs::default();
        let mut seen = Vec::new();
        for s in Step::ALL {
            for f in s.fields() {
                assert!(!seen.contains(f), "{f:?} in two steps");
                seen.push(*f);
                for lang in [Lang::En, Lang::Zh] {
                    assert!(!f.label(lang).is_empty());
                    assert!(f.default_source(&inputs, lang).len() > 10, "{f:?}");
                }
                // Every field edits the scenario.
                if let FieldValue::Number { value, min, max } = f.value_mut(&mut inputs) {
                    assert!(
                        (min..=max).contains(value),
                        "{f:?} default out of its range"
                    );
                }
            }
            for lang in [Lang::En, Lang::Zh] {
                assert!(!s.title(lang).is_empty());
                assert!(!s.why(lang).is_empty());
                assert!(!s.answer(&inputs, lang).is_empty());
            }
        }
    }

    #[test]
    fn catalog_defaults_name_their_source() {
        let i = CostInputs::default();
        let line = Field::MinUserTokS.default_source(&i, Lang::En);
        assert!(line.contains("DS6"), "{line}");
        assert!(line.contains("verified"), "{line}");
        // The two defaults without a measured source say so.
        let peak = Field::PeakShare.default_source(&i, Lang::En);
        assert!(peak.starts_with("Default 50% — "), "{peak}");
        assert!(peak.contains("(unverified, 2026-12)"), "{peak}");
        let ttft = Field::MaxTtftS.default_source(&i, Lang::Zh);
        assert!(ttft.starts_with("默认 2 秒"), "{ttft}");
        assert!(ttft.contains("未核实"), "{ttft}");
    }

    #[test]
    fn the_traffic_and_latency_steps_edit_the_peak_share_and_the_first_token_wait() {
        let mut i = CostInputs::default();
        assert_eq!(Step::Traffic.fields()[0], Field::PeakShare);
        let FieldValue::Number { value, .. } = Field::SearchesPerDay.value_mut(&mut i) else {
            panic!("searches are a number");
        };
        *value = 2000.0;
        assert_eq!(i.workload.tools.searches.per_day, 2000.0);
        assert!(Field::SearchesPerDay
            .default_source(&i, Lang::En)
            .contains("per 1,000"));
        let FieldValue::PeakShare(share) = Field::PeakShare.value_mut(&mut i) else {
            panic!("the peak share is a share");
        };
        *share = 0.25;
        assert_eq!(i.workload.peak_share, 0.25);
        assert_eq!(
            Step::Traffic.answer(&i, Lang::En),
            "25% of API tokens at peak · 2,000 web searches/day"
        );
        assert!(Step::Latency.fields().contains(&Field::MaxTtftS));
        let FieldValue::Number { value, min, .. } = Field::MaxTtftS.value_mut(&mut i) else {
            panic!("the wait is a number");
        };
        assert!(min > 0.0, "the inputs refuse a zero wait");
        *value = 0.5;
        assert_eq!(i.workload.max_ttft_s, 0.5);
        assert_eq!(
            Step::Latency.answer(&i, Lang::En),
            "≥ 20 tok/s per user · first token ≤ 0.5 s"
        );
        // The traffic question comes after the data question, before the others' chain.
        assert_eq!(Step::Traffic.index(), Step::Data.index() + 1);
    }
}
