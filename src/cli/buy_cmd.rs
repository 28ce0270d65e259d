//! `deepseek-advisor buy --model ID --budget AMOUNT …`: machines that run the model within the
//! budget, cheapest first; with an impossible budget, the cheapest machine that would work.

use super::table::Table;
use super::{lang_arg, prices_arg, BuyArgs, CliError, CurrencyArg};
use crate::buy::{search, BuyOption, BuyRequest};
use crate::catalog::schema::Currency;
use crate::catalog::Catalog;
use crate::lang::currency_code;
use crate::lang::{format_amount, Lang};
use crate::number::finite;
use serde_json::{json, Value};
use std::io::Write;

fn option_json(o: &BuyOption) -> Value {
    json!({
        "product": o.product,
        "hardware": o.parts.iter().map(|p| json!({"name": p.name, "id": p.id, "count": p.count})).collect::<Vec<_>>(),
        "ram_gb": finite(o.ram_gb),
        "cpu_mem_bw_gbs": finite(o.cpu_mem_bw_gbs),
        "cpu_cores": o.cpu_cores,
        "price": finite(o.price),
        "price_low": finite(o.price_low),
        "price_high": finite(o.price_high),
        "price_source": o.price_source(Lang::En),
        "price_user": o.sources.iter().any(|s| s.1.user()),
        "quant": o.quant,
        "runtime": o.runtime.cli_name(),
        "placement": o.placement.json_name(),
        "decode_tok_s": finite(o.decode_tok_s),
        "decode_tok_s_low": finite(o.decode_tok_s_low),
        "decode_tok_s_high": finite(o.decode_tok_s_high),
        "verdict": o.verdict.json_name(),
        "verdict_reason": o.verdict_reason,
    })
}

pub(super) fn run(a: &BuyArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = lang_arg(&a.lang)?;
    let ctx = prices_arg::context(&a.price)?;
    let c = Catalog::get();
    let model = c
        .model(&a.model)
        .map_err(|e| CliError::bad_input(format!("--model: {e}")))?;
    let quant = a
        .quant
        .as_deref()
        .map(|q| c.quant(q))
        .transpose()
        .map_err(|e| CliError::bad_input(format!("--quant: {e}")))?;
    if !(a.budget.is_finite() && a.budget > 0.0) {
        return Err(CliError::bad_input(format!(
            "--budget: must be an amount greater than 0, got {}",
            a.budget
        )));
    }
    if !(a.min_tok_s.is_finite() && a.min_tok_s >= 0.0) {
        return Err(CliError::bad_input(format!(
            "--min-tok-s: must be a number ≥ 0, got {}",
            a.min_tok_s
        )));
    }
    if a.context == 0 {
        return Err(CliError::bad_input("--context: must be at least 1 token"));
    }
    let currency = match a.currency {
        CurrencyArg::Cny => Currency::Cny,
        CurrencyArg::Usd => Currency::Usd,
    };
    let req = BuyRequest {
        model,
        quant,
        runtime: a.runtime.into(),
        budget: a.budget,
        currency,
        min_tok_s: a.min_tok_s,
        context: a.context,
    };
    let answer = search(&req, &ctx);
    let cur = currency_code(currency);
    let text = if a.json {
        let v = json!({
            "model": model.id,
            "budget": finite(a.budget),
            "currency": cur,
            "min_tok_s": finite(a.min_tok_s),
            "context": a.context.min(model.arch.max_context),
            "prices_as_of": answer.prices_as_of.map(|d| d.to_string()),
            "considered": answer.considered,
            "options": answer.options.iter().map(option_json).collect::<Vec<_>>(),
            "cheapest_that_works": answer.cheapest_that_works.as_ref().map(option_json),
        });
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    } else {
        render(&answer, &req, cur, lang)
    };
    out.write_all(text.as_bytes()).map_err(|e| CliError {
        code: super::EXIT_INTERNAL,
        message: format!("cannot write output: {e}"),
    })
}

/// Rows shown in the table (the JSON has them all).
const SHOWN: usize = 25;

fn table(options: &[&BuyOption], cur: &str, lang: Lang) -> String {
    let mut t = Table::new(&[
        lang.pick("hardware", "硬件"),
        lang.pick("price", "价格"),
        lang.pick("quant", "量化"),
        lang.pick("runtime", "运行时"),
        lang.pick("tok/s", "token/s"),
        lang.pick("verdict", "结论"),
    ])
    .right_align(&[1, 4]);
    for o in options {
        t.row(vec![
            o.product.clone(),
            format!("{} {cur}", format_amount(lang, o.price)),
            o.quant.clone(),
            o.runtime.cli_name().into(),
            format!(
                "{:.0} ({:.0}–{:.0})",
                o.decode_tok_s, o.decode_tok_s_low, o.decode_tok_s_high
            ),
            o.verdict.label(lang).into(),
        ]);
    }
    t.render()
}

fn render(a: &crate::buy::BuyAnswer, req: &BuyRequest, cur: &str, lang: Lang) -> String {
    let mut out = format!(
        "{} {} · {} {} {cur} · ≥ {} tok/s · {} {}\n",
        lang.pick("Model", "模型"),
        req.model.name,
        lang.pick("budget", "预算"),
        format_amount(lang, req.budget),
        req.min_tok_s,
        lang.pick("prices as of", "价格截至"),
        a.prices_as_of
            .map_or(lang.pick("undated", "无日期").into(), |d| d.to_string())
    );
    if a.options.is_empty() {
        out.push_str(lang.pick(
            "Nothing the catalog prices runs it within this budget.\n",
            "在此预算内，目录中没有能运行该模型的硬件。\n",
        ));
        if let Some(o) = &a.cheapest_that_works {
            out.push_str(lang.pick(
                "The cheapest machine that would:\n",
                "能运行它的最便宜硬件：\n",
            ));
            out.push_str(&table(&[o], cur, lang));
            out.push_str(&format!("  {}\n", o.price_source(lang)));
        }
        return out;
    }
    let shown: Vec<&BuyOption> = a.options.iter().take(SHOWN).collect();
    out.push_str(&table(&shown, cur, lang));
    if a.options.len() > SHOWN {
        out.push_str(&format!(
            "… {} {}\n",
            a.options.len() - SHOWN,
            lang.pick("more (see --json)", "项未列出（见 --json）")
        ));
    }
    if let Some(o) = a.options.first() {
        out.push_str(&format!(
            "{}: {}\n",
            lang.pick("Cheapest price from", "最低价来源"),
            o.price_source(lang)
        ));
    }
    out
}
