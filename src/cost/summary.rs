//! The plan's serving figures in a sentence, in either language: what one server sustains at the
//! service level and what stops it (or why it serves no one), and how the cluster is built. The
//! plan's reasons, the Costs tab, the wizard and reports say it the same way.

use super::capacity::Capacity;
use super::cluster::{Layout, MIN_DISAGGREGATED_NODES};
use super::inputs::CostInputs;
use super::options::ClusterLayout;
use crate::estimate::serving::{Limit, Miss};
use crate::lang::{format_amount, Lang};

/// `deepseek-r1-0528 in FP8 on 8× h200-sxm (sglang)` (catalog ids: the same in both languages).
fn server(inputs: &CostInputs) -> String {
    let d = &inputs.deployment;
    format!(
        "{} in {} on {}× {} ({})",
        d.model,
        d.quant,
        d.gpus_per_server,
        d.gpu,
        d.runtime.cli_name()
    )
}

/// What one server sustains at the service level and what stops it, or why it serves no one.
pub fn capacity_sentence(inputs: &CostInputs, c: &Capacity, lang: Lang) -> String {
    let w = &inputs.workload;
    let server = server(inputs);
    if !c.serves() {
        return match (c.miss, lang) {
            (Some(Miss::TooSlow { per_user_tok_s }), Lang::En) => format!(
                "{server} decodes {per_user_tok_s:.1} tok/s for a single user, below the {:.0} tok/s asked: only the API meets it",
                w.min_user_tok_s
            ),
            (Some(Miss::TooSlow { per_user_tok_s }), Lang::Zh) => format!(
                "{server} 单用户解码仅 {per_user_tok_s:.1} token/s，低于要求的 {:.0} token/s：只有 API 能满足",
                w.min_user_tok_s
            ),
            (Some(Miss::FirstTokenTooSlow { ttft_s }), Lang::En) => format!(
                "{server} takes {ttft_s:.1} s to the first token of a {}-token prompt even for one user, above the {:.1} s asked: only the API meets it",
                format_amount(lang, w.input_tokens),
                w.max_ttft_s
            ),
            (Some(Miss::FirstTokenTooSlow { ttft_s }), Lang::Zh) => format!(
                "{server} 即使只有一个用户，{} token 提示的首 token 也需 {ttft_s:.1} 秒，超过要求的 {:.1} 秒：只有 API 能满足",
                format_amount(lang, w.input_tokens),
                w.max_ttft_s
            ),
            (_, Lang::En) => format!("{server} does not fit: only the API can serve it"),
            (_, Lang::Zh) => format!("{server} 装不下该模型：只有 API 能提供服务"),
        };
    }
    let limit = match (c.limit, lang) {
        (Some(Limit::Memory), Lang::En) => format!(
            "the KV cache holds {} sequences of this length",
            c.max_concurrency_by_memory
        ),
        (Some(Limit::Memory), Lang::Zh) => {
            format!(
                "KV 缓存只能容纳 {} 个此长度的序列",
                c.max_concurrency_by_memory
            )
        }
        (Some(Limit::Speed), Lang::En) => format!(
            "one more user would get less than {:.0} tok/s",
            w.min_user_tok_s
        ),
        (Some(Limit::Speed), Lang::Zh) => {
            format!(
                "再多一个用户，每人速度就会低于 {:.0} token/s",
                w.min_user_tok_s
            )
        }
        (Some(Limit::FirstToken), Lang::En) => format!(
            "one more user would wait more than {:.1} s for the first token",
            w.max_ttft_s
        ),
        (Some(Limit::FirstToken), Lang::Zh) => {
            format!("再多一个用户，首 token 等待就会超过 {:.1} 秒", w.max_ttft_s)
        }
        (_, Lang::En) => "the estimator's largest concurrency".into(),
        (_, Lang::Zh) => "估算器支持的最大并发".into(),
    };
    let speculative = c.speculative.map(|k| k.cli_name());
    let measured = inputs.measured.as_ref().map(|m| match lang {
        Lang::En => format!(
            " (per-server capacity from a measurement, not the estimate: {})",
            m.source
        ),
        Lang::Zh => format!("（单台服务器容量来自实测而非估算：{}）", m.source),
    });
    let sentence = match lang {
        Lang::En => format!(
            "one server ({server}) serves {:.2} requests/s: {} users at once, {:.0} tok/s each, first token in {:.2} s, {:.0} output tok/s{}; limited because {limit}",
            c.requests_per_s,
            c.concurrency,
            c.per_user_tok_s,
            c.ttft_s,
            c.output_tok_s,
            speculative
                .map(|k| format!(", with {k} speculative decoding"))
                .unwrap_or_default()
        ),
        Lang::Zh => format!(
            "单台服务器（{server}）每秒处理 {:.2} 个请求：同时 {} 个用户，每人 {:.0} token/s，首 token {:.2} 秒，整机输出 {:.0} token/s{}；上限原因：{limit}",
            c.requests_per_s,
            c.concurrency,
            c.per_user_tok_s,
            c.ttft_s,
            c.output_tok_s,
            speculative
                .map(|k| format!("，启用 {k} 投机解码"))
                .unwrap_or_default()
        ),
    };
    sentence + &measured.unwrap_or_default()
}

/// How the cluster is built and why.
pub fn cluster_sentence(c: &ClusterLayout, lang: Lang) -> String {
    match (c.layout, c.other, c.not_disaggregated, lang) {
        (Layout::Disaggregated, other, _, Lang::En) => format!(
            "the cluster is disaggregated (wide expert parallelism, as SGLang, vLLM, TensorRT-LLM/Dynamo and DeepSeek run it): {} GPUs prefill and {} decode{}",
            c.prefill_gpus,
            c.decode_gpus,
            other
                .map(|(gpus, monthly)| format!(
                    ", cheaper than {gpus} GPUs of independent replicas ({} a month)",
                    format_amount(lang, monthly)
                ))
                .unwrap_or_default()
        ),
        (Layout::Disaggregated, other, _, Lang::Zh) => format!(
            "集群采用预填充/解码分离（宽专家并行，SGLang、vLLM、TensorRT-LLM/Dynamo 和 DeepSeek 均如此部署）：{} 张 GPU 预填充，{} 张解码{}",
            c.prefill_gpus,
            c.decode_gpus,
            other
                .map(|(gpus, monthly)| format!(
                    "，比 {gpus} 张 GPU 的独立副本（每月 {}）更便宜",
                    format_amount(lang, monthly)
                ))
                .unwrap_or_default()
        ),
        (Layout::Replicas, Some((gpus, monthly)), _, Lang::En) => format!(
            "the cluster is independent replicas: a disaggregated deployment would take {gpus} GPUs ({} a month; its minimum is {MIN_DISAGGREGATED_NODES} nodes)",
            format_amount(lang, monthly)
        ),
        (Layout::Replicas, Some((gpus, monthly)), _, Lang::Zh) => format!(
            "集群采用独立副本：预填充/解码分离部署需要 {gpus} 张 GPU（每月 {}；最少 {MIN_DISAGGREGATED_NODES} 个节点）",
            format_amount(lang, monthly)
        ),
        (Layout::Replicas, None, Some(why), Lang::En) => {
            format!("the cluster is independent replicas: {}", why.describe(lang))
        }
        (Layout::Replicas, None, Some(why), Lang::Zh) => {
            format!("集群采用独立副本：{}", why.describe(lang))
        }
        (Layout::Replicas, None, None, _) => lang
            .pick("the cluster is independent replicas", "集群采用独立副本")
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::schema::Currency;

    #[test]
    fn every_case_has_both_languages() {
        let inputs = CostInputs::defaults(Currency::Usd);
        let misses = [
            Some(Miss::DoesNotFit),
            Some(Miss::TooSlow {
                per_user_tok_s: 3.0,
            }),
            Some(Miss::FirstTokenTooSlow { ttft_s: 9.0 }),
        ];
        for miss in misses {
            let c = Capacity {
                miss,
                ..Capacity::default()
            };
            let (en, zh) = (
                capacity_sentence(&inputs, &c, Lang::En),
                capacity_sentence(&inputs, &c, Lang::Zh),
            );
            assert!(en.contains("API") && zh.contains("API"), "{en} / {zh}");
        }
        for limit in [
            Limit::Memory,
            Limit::Speed,
            Limit::FirstToken,
            Limit::Ceiling,
        ] {
            let c = Capacity {
                requests_per_s: 1.0,
                concurrency: 8,
                limit: Some(limit),
                ..Capacity::default()
            };
            assert!(capacity_sentence(&inputs, &c, Lang::Zh).contains("上限原因"));
        }
        let layout = ClusterLayout {
            layout: Layout::Disaggregated,
            prefill_gpus: 8,
            decode_gpus: 24,
            decode_sequences: 3000,
            other: Some((48, 1e6)),
            not_disaggregated: None,
        };
        assert!(cluster_sentence(&layout, Lang::En).contains("8 GPUs prefill and 24 decode"));
        assert!(cluster_sentence(&layout, Lang::Zh).contains("24 张解码"));
    }
}
