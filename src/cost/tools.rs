//! Tool calls in the workload: web searches, page fetches, OCR pages and TTS characters. The
//! DeepSeek API bills them apart from tokens (`cloud.ron` `tool_prices`); a self-hosted DeepSeek
//! has none of them, so the self-hosted options either pay for a replacement the user names in
//! the price file (`tool_services`) or say the tool is not included. A workload without tools
//! adds nothing anywhere: old scenarios cost what they did, to the cent.

use super::options::DAYS_PER_MONTH;
use crate::catalog::schema::ApiTool;
use crate::lang::{format_amount, Lang};
use crate::prices::UnitPrice;
use serde::{Deserialize, Serialize};

/// How much of a tool a workload uses: per request and per day (both add up).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ToolVolume {
    pub per_request: f64,
    pub per_day: f64,
}

impl ToolVolume {
    pub fn daily(&self, requests_per_day: f64) -> f64 {
        self.per_request * requests_per_day + self.per_day
    }

    fn is_zero(&self) -> bool {
        self.per_request == 0.0 && self.per_day == 0.0
    }
}

/// The agent tools a workload calls. Every field is optional in a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ToolUse {
    /// Successful web searches.
    pub searches: ToolVolume,
    /// Successful page fetches.
    pub fetches: ToolVolume,
    /// Pages parsed by OCR.
    pub ocr_pages: ToolVolume,
    /// Characters spoken by TTS.
    pub tts_chars: ToolVolume,
}

impl ToolUse {
    pub fn is_empty(&self) -> bool {
        ApiTool::ALL.iter().all(|t| self.volume(*t).is_zero())
    }

    pub fn volume(&self, tool: ApiTool) -> &ToolVolume {
        match tool {
            ApiTool::Search => &self.searches,
            ApiTool::Fetch => &self.fetches,
            ApiTool::Ocr => &self.ocr_pages,
            ApiTool::Tts => &self.tts_chars,
        }
    }

    pub fn volume_mut(&mut self, tool: ApiTool) -> &mut ToolVolume {
        match tool {
            ApiTool::Search => &mut self.searches,
            ApiTool::Fetch => &mut self.fetches,
            ApiTool::Ocr => &mut self.ocr_pages,
            ApiTool::Tts => &mut self.tts_chars,
        }
    }

    /// The tools with a volume, in `ApiTool::ALL` order.
    pub fn used(&self) -> impl Iterator<Item = ApiTool> + '_ {
        ApiTool::ALL
            .into_iter()
            .filter(|t| !self.volume(*t).is_zero())
    }
}

/// The cost item a tool's calls are billed as (the same on every option).
pub fn item(tool: ApiTool) -> &'static str {
    match tool {
        ApiTool::Search => "web searches",
        ApiTool::Fetch => "page fetches",
        ApiTool::Ocr => "OCR pages",
        ApiTool::Tts => "TTS characters",
    }
}

/// The unit counted, plural: `searches`, `pages`.
pub fn units(tool: ApiTool, lang: Lang) -> &'static str {
    match tool {
        ApiTool::Search => lang.pick("web searches", "次联网搜索"),
        ApiTool::Fetch => lang.pick("page fetches", "次网页抓取"),
        ApiTool::Ocr => lang.pick("OCR pages", "页 OCR"),
        ApiTool::Tts => lang.pick("TTS characters", "个 TTS 字符"),
    }
}

/// One tool the workload uses, with what it costs on the API and on self-hosted options.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolRate {
    pub tool: ApiTool,
    /// DeepSeek's price on the answer's day; `None` before the tool was billed.
    pub api: Option<UnitPrice>,
    /// The replacement named in the price file; `None`: the self-hosted options lack the tool.
    pub self_hosted: Option<UnitPrice>,
}

fn monthly(use_: &ToolUse, tool: ApiTool, requests_per_day: f64, price: Option<&UnitPrice>) -> f64 {
    price.map_or(0.0, |p| {
        use_.volume(tool).daily(requests_per_day) * DAYS_PER_MONTH * p.per_unit()
    })
}

/// Who pays for the tools: the API option or a self-hosted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payer {
    Api,
    SelfHosted,
}

/// An option's monthly tool items: every tool on the API (unpriced ones at 0), only the tools
/// with a named replacement on a self-hosted option.
pub fn items(
    use_: &ToolUse,
    rates: &[ToolRate],
    requests_per_day: f64,
    payer: Payer,
) -> Vec<(&'static str, f64)> {
    rates
        .iter()
        .filter_map(|r| {
            let price = match payer {
                Payer::Api => r.api.as_ref(),
                Payer::SelfHosted => Some(r.self_hosted.as_ref()?),
            };
            Some((item(r.tool), monthly(use_, r.tool, requests_per_day, price)))
        })
        .collect()
}

/// One sentence per tool for the plan's reasons: what the API bills and whether self-hosting
/// includes it.
pub fn sentences(
    use_: &ToolUse,
    rates: &[ToolRate],
    requests_per_day: f64,
    money: impl Fn(f64) -> String,
    lang: Lang,
) -> Vec<String> {
    rates
        .iter()
        .map(|r| {
            let daily = format_amount(lang, use_.volume(r.tool).daily(requests_per_day));
            let what = units(r.tool, lang);
            let api = match (&r.api, lang) {
                (Some(p), Lang::En) => format!(
                    "the API bills {daily} {what} a day at {} per {} ({} a month)",
                    money(p.price),
                    format_amount(lang, p.per),
                    money(monthly(use_, r.tool, requests_per_day, Some(p)))
                ),
                (Some(p), Lang::Zh) => format!(
                    "API 对每天 {daily} {what}按每 {} 计 {} 收费（每月 {}）",
                    format_amount(lang, p.per),
                    money(p.price),
                    money(monthly(use_, r.tool, requests_per_day, Some(p)))
                ),
                (None, Lang::En) => {
                    format!("the API had no price for {what} on the day of the answer")
                }
                (None, Lang::Zh) => format!("回答当日 API 尚未对{what}定价"),
            };
            let own = match (&r.self_hosted, lang) {
                (Some(p), Lang::En) => format!(
                    "the self-hosted options pay {} for them ({} per {})",
                    p.service,
                    money(p.price),
                    format_amount(lang, p.per)
                ),
                (Some(p), Lang::Zh) => format!(
                    "自建方案使用 {}（每 {} 计 {}）",
                    p.service,
                    format_amount(lang, p.per),
                    money(p.price)
                ),
                (None, Lang::En) => format!(
                    "the self-hosted options do not include {what}: name a replacement in your price file (tool_services) to compare like with like"
                ),
                (None, Lang::Zh) => format!(
                    "自建方案不含{what}：请在价格文件中填写替代服务（tool_services）以便同等比较"
                ),
            };
            match lang {
                Lang::En => format!("{api}; {own}"),
                Lang::Zh => format!("{api}；{own}"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prices::Source;

    #[test]
    fn volumes_add_per_request_and_per_day() {
        let mut t = ToolUse::default();
        assert!(t.is_empty());
        t.searches = ToolVolume {
            per_request: 0.5,
            per_day: 100.0,
        };
        assert_eq!(t.searches.daily(1000.0), 600.0);
        assert_eq!(t.used().collect::<Vec<_>>(), [ApiTool::Search]);
        let back: ToolUse = ron::from_str("(searches: (per_day: 2000))").unwrap();
        assert_eq!(back.searches.daily(0.0), 2000.0);
        assert!(back.fetches.is_zero());
    }

    #[test]
    fn two_thousand_searches_a_day_at_five_yuan_per_thousand() {
        let t: ToolUse = ron::from_str("(searches: (per_day: 2000))").unwrap();
        let r = ToolRate {
            tool: ApiTool::Search,
            api: Some(UnitPrice {
                price: 5.0,
                per: 1000.0,
                service: "DeepSeek API".into(),
                source: Source::scenario(),
            }),
            self_hosted: None,
        };
        // 2,000 × 365/12 days × ¥0.005 = ¥304.17 a month.
        let api = items(&t, std::slice::from_ref(&r), 0.0, Payer::Api);
        assert_eq!(api[0].0, "web searches");
        assert!((api[0].1 - 2000.0 * 365.0 / 12.0 * 0.005).abs() < 1e-9);
        assert!(items(&t, std::slice::from_ref(&r), 0.0, Payer::SelfHosted).is_empty());
        let s = sentences(&t, &[r], 0.0, |v| format!("¥{v:.2}"), Lang::En);
        assert!(
            s[0].contains("2,000 web searches a day at ¥5.00 per 1,000 (¥304.17 a month)"),
            "{s:?}"
        );
        assert!(s[0].contains("do not include web searches"), "{s:?}");
    }
}
