//! The cost model's item and assumption names (English, as `plan --json` prints them) in the
//! user's language, one table for the app, the wizard and reports. A name added to the model
//! later shows in English until it is added here.

use crate::lang::Lang;

/// The Chinese for a cost item (`options::option_costs` breakdown) or a sensitivity knob
/// (`analysis::sensitivity`).
fn chinese(name: &str) -> Option<&'static str> {
    Some(match name {
        "input tokens, off-peak" => "输入 token（闲时）",
        "input tokens, peak" => "输入 token（高峰）",
        "output tokens, off-peak" => "输出 token（闲时）",
        "output tokens, peak" => "输出 token（高峰）",
        "web searches" => "联网搜索",
        "page fetches" => "网页抓取",
        "OCR pages" => "文件解析（OCR）",
        "TTS characters" => "语音合成（TTS）",
        "GPU rental" => "GPU 租金",
        "hardware" => "硬件（摊销）",
        "network" => "集群网络（摊销）",
        "power" => "电费",
        "cooling" => "制冷",
        "staff" => "人员",
        "maintenance" => "维护",
        "optimization" => "模型优化",
        "requests per day" => "日请求量",
        "output tokens per request" => "每次请求输出 token",
        "share of API traffic in peak hours" => "高峰时段 API 流量占比",
        "API prices" => "API 价格",
        "GPU purchase price" => "GPU 采购价",
        "cloud GPU price" => "云 GPU 价格",
        "electricity price" => "电价",
        "staff cost" => "人力成本",
        "horizon" => "周期",
        _ => return None,
    })
}

/// `name` in `lang`.
pub fn label(name: &str, lang: Lang) -> &str {
    match lang {
        Lang::En => name,
        Lang::Zh => chinese(name).unwrap_or(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::schema::Currency;
    use crate::cost::{capacity::Capacity, options::option_costs, CostInputs, Rates};
    use crate::prices::{Day, PriceContext};

    #[test]
    fn every_item_and_knob_of_the_model_has_chinese() {
        let inputs = CostInputs::defaults(Currency::Cny);
        let rates = Rates::resolve(
            &inputs,
            &PriceContext::catalog_only(Day::new(2026, 12, 1).unwrap()),
        );
        let cap = Capacity {
            requests_per_s: 1.0,
            ..Capacity::default()
        };
        let mut names: Vec<&str> = option_costs(&inputs, &cap, &rates)
            .iter()
            .flat_map(|o| o.breakdown.iter().map(|(k, _)| *k))
            .collect();
        names.extend(
            crate::cost::analysis::sensitivity(&inputs, &rates, 0.3)
                .iter()
                .map(|s| s.assumption),
        );
        for n in names {
            assert!(chinese(n).is_some(), "no Chinese for `{n}`");
        }
        assert_eq!(label("power", Lang::En), "power");
    }
}
