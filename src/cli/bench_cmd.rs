//! `deepseek-advisor bench`: measures a model server that already runs, compares it with the
//! estimate for this machine, and with `--save` keeps it with this machine's profile.

use super::table::{key_values, Table};
use super::{lang_arg, BenchArgs, CliError};
use crate::bench::adjust::Estimated;
use crate::bench::store::{self, MachineKey, Store};
use crate::bench::{self, BenchConfig, BenchError, BenchReport, ServerUrl};
use crate::catalog::Catalog;
use crate::estimate::verdict::speed_range;
use crate::hardware::{HardwareProfile, Machine};
use crate::lang::Lang;
use crate::number::finite;
use serde_json::{json, Value};
use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

/// The environment variable an API key may come from (never sent unless set or `--api-key`).
pub const API_KEY_ENV: &str = "DEEPSEEK_ADVISOR_API_KEY";

fn config(a: &BenchArgs) -> Result<BenchConfig, CliError> {
    let url = a
        .url
        .as_deref()
        .map(ServerUrl::parse)
        .transpose()
        .map_err(|e| CliError::bad_input(e.to_string()))?;
    let concurrency = a
        .concurrency
        .split(',')
        .map(|c| c.trim().parse::<u32>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| {
            CliError::bad_input(format!(
                "--concurrency: {:?} is not a list of user counts such as 1,4,16",
                a.concurrency
            ))
        })?;
    let api_key = a
        .api_key
        .clone()
        .or_else(|| std::env::var(API_KEY_ENV).ok())
        .filter(|k| !k.is_empty());
    let cfg = BenchConfig {
        url,
        model: a.model.clone(),
        concurrency,
        prompt_tokens: a.prompt_tokens,
        max_tokens: a.max_tokens,
        requests: a.requests,
        time_limit: Duration::from_secs(a.time_limit),
        api_key,
    };
    cfg.validate()
        .map_err(|e| CliError::bad_input(e.to_string()))?;
    Ok(cfg)
}

/// Ctrl-C sets the cancel flag (the measurement stops at its next read); a second Ctrl-C
/// ends the process at once.
struct CtrlC {
    ids: Vec<signal_hook::SigId>,
}

impl CtrlC {
    fn register(flag: &Arc<AtomicBool>) -> CtrlC {
        let sig = signal_hook::consts::SIGINT;
        let ids = [
            signal_hook::flag::register_conditional_shutdown(sig, 130, flag.clone()),
            signal_hook::flag::register(sig, flag.clone()),
        ]
        .into_iter()
        .filter_map(Result::ok)
        .collect();
        CtrlC { ids }
    }
}

impl Drop for CtrlC {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

fn report_json(r: &BenchReport, estimate: Option<&Estimated>, saved_to: Option<&str>) -> Value {
    let f = finite;
    let s = &r.server;
    json!({
        "server": {
            "kind": s.kind.json_name(),
            "url": s.url,
            "model": s.model,
            "catalog_model": s.catalog_model,
            "quant": s.quant,
            "version": s.version,
            "model_path": s.model_path,
        },
        "date": r.date,
        "prompt_tokens": r.prompt_tokens,
        "max_tokens": r.max_tokens,
        "results": r.results.iter().map(|l| json!({
            "concurrency": l.concurrency,
            "ttft_s": f(l.ttft_s),
            "prefill_tok_s": f(l.prefill_tok_s),
            "decode_tok_s": f(l.decode_tok_s),
            "aggregate_tok_s": f(l.aggregate_tok_s),
            "requests": l.requests,
            "ttft_s_range": [f(l.ttft_s_range.0), f(l.ttft_s_range.1)],
            "decode_tok_s_range": [f(l.decode_tok_s_range.0), f(l.decode_tok_s_range.1)],
            "prompt_tokens": l.prompt_tokens,
            "output_tokens": l.output_tokens,
        })).collect::<Vec<_>>(),
        "estimate": estimate.map(|e| json!({
            "model": e.model,
            "quant": e.quant,
            "runtime": e.runtime.cli_name(),
            "placement": e.placement.json_name(),
            "concurrency": e.level.concurrency,
            "decode_tok_s": f(e.decode_tok_s),
            "decode_tok_s_low": f(e.decode_tok_s_low),
            "decode_tok_s_high": f(e.decode_tok_s_high),
            "prefill_tok_s": f(e.prefill_tok_s),
        })),
        "saved_to": saved_to,
    })
}

fn render(
    r: &BenchReport,
    estimate: Option<&Estimated>,
    saved: Option<(&str, &str)>,
    lang: Lang,
) -> String {
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh).to_string();
    let s = &r.server;
    let mapped = match (&s.catalog_model, &s.quant) {
        (Some(m), Some(q)) => format!("{} → {m} {q}", s.model),
        (Some(m), None) => format!(
            "{} → {m} ({})",
            s.model,
            lang.pick("quant unknown", "量化未知")
        ),
        (None, q) => format!(
            "{}{} ({})",
            s.model,
            q.as_ref().map(|q| format!(" {q}")).unwrap_or_default(),
            lang.pick("not in the catalog", "不在目录中")
        ),
    };
    let mut pairs = vec![
        (
            l("Server", "服务"),
            format!("{} {} {}", s.label(), lang.pick("at", "位于"), s.url),
        ),
        (l("Model", "模型"), mapped),
        (
            l("Requests", "请求"),
            format!(
                "{} {}, {} {} ({})",
                r.prompt_tokens,
                lang.pick("prompt tokens asked", "个提示 token"),
                r.max_tokens,
                lang.pick("output tokens each", "个输出 token/请求"),
                r.date
            ),
        ),
    ];
    if let Some(p) = &s.model_path {
        pairs.push((l("File", "文件"), p.clone()));
    }
    let mut text = key_values(&pairs);
    text.push('\n');
    let mut t = Table::new(&[
        lang.pick("users", "并发"),
        lang.pick("first token s", "首 token 秒"),
        lang.pick("prefill tok/s", "预填充 tok/s"),
        lang.pick("decode tok/s per user", "每用户生成 tok/s"),
        lang.pick("all users tok/s", "总输出 tok/s"),
        lang.pick("requests", "请求数"),
    ])
    .right_align(&[0, 1, 2, 3, 4, 5]);
    for lv in &r.results {
        t.row(vec![
            lv.concurrency.to_string(),
            format!(
                "{:.2} ({:.2}–{:.2})",
                lv.ttft_s, lv.ttft_s_range.0, lv.ttft_s_range.1
            ),
            format!("{:.0}", lv.prefill_tok_s),
            format!(
                "{:.1} ({})",
                lv.decode_tok_s,
                speed_range(lv.decode_tok_s_range.0, lv.decode_tok_s_range.1)
            ),
            format!("{:.1}", lv.aggregate_tok_s),
            lv.requests.to_string(),
        ]);
    }
    text.push_str(&t.render());
    let mut tail = Vec::new();
    if let Some(e) = estimate {
        let mid = e.decode_tok_s;
        let share = e.level.decode_tok_s / mid * 100.0;
        let range = speed_range(e.decode_tok_s_low, e.decode_tok_s_high);
        let (users, placement) = (e.level.concurrency, e.placement.json_name());
        tail.push((
            l("Estimate", "估算"),
            match lang {
                Lang::En => format!(
                    "{range} tok/s per user at {users} user(s) for {} {} on this machine ({placement}, middle {mid:.1}); measured {share:.0}% of the middle",
                    e.model, e.quant
                ),
                Lang::Zh => format!(
                    "本机 {} {} 在 {users} 个用户时估算每用户 {range} tok/s（{placement}，中值 {mid:.1}）；实测为中值的 {share:.0}%",
                    e.model, e.quant
                ),
            },
        ));
    } else {
        tail.push((
            l("Estimate", "估算"),
            l(
                "none to compare: the model, quant or runtime is not one the catalog knows",
                "无可比较的估算：模型、量化或推理框架不在目录中",
            ),
        ));
    }
    match saved {
        Some((path, machine)) => tail.push((l("Saved", "已保存"), format!("{path} ({machine})"))),
        None => tail.push((
            l("Saved", "已保存"),
            l(
                "no (add --save to keep it for this machine's estimates)",
                "否（加 --save 以用于本机的估算）",
            ),
        )),
    }
    text.push('\n');
    text.push_str(&key_values(&tail));
    text
}

/// Keeps `report` with this machine's profile; returns the file and the machine's name.
fn save(report: &BenchReport, profile: &HardwareProfile) -> Result<(String, String), CliError> {
    let key = MachineKey::of(profile).ok_or_else(|| CliError {
        code: super::EXIT_INTERNAL,
        message: "--save: this machine's CPU could not be detected, so the measurement cannot be tied to it; nothing was saved".into(),
    })?;
    let path = store::default_path().ok_or_else(|| CliError {
        code: super::EXIT_INTERNAL,
        message:
            "--save: no data folder (HOME, XDG_DATA_HOME or APPDATA is not set); nothing was saved"
                .into(),
    })?;
    let fail = |e: crate::fsutil::FileError| CliError {
        code: super::EXIT_INTERNAL,
        message: format!("--save: {e}; nothing was saved"),
    };
    let mut s = Store::load(&path).map_err(fail)?;
    let machine = key.describe();
    s.add(key, report.clone());
    s.save(&path).map_err(fail)?;
    Ok((path.display().to_string(), machine))
}

pub(super) fn run(a: &BenchArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), CliError> {
    let lang = lang_arg(&a.lang)?;
    let cfg = config(a)?;
    let cancel = Arc::new(AtomicBool::new(false));
    let _ctrl_c = CtrlC::register(&cancel);
    let report = bench::run(&cfg, cancel, &mut |p| {
        let _ = writeln!(err, "{}", p.describe(lang));
    })
    .map_err(|e: BenchError| CliError {
        code: e.exit_code(),
        message: e.to_string(),
    })?;
    // This machine: for the estimate beside the measurement and the profile it is saved with.
    let profile = crate::hardware::detect::detect();
    let machine = Machine::from_profile(&profile, Catalog::get()).ok();
    let estimate = machine
        .as_ref()
        .and_then(|m| crate::bench::adjust::estimate_of(&report, m));
    let saved = if a.save {
        Some(save(&report, &profile)?)
    } else {
        None
    };
    let text = if a.json {
        let v = report_json(
            &report,
            estimate.as_ref(),
            saved.as_ref().map(|s| s.0.as_str()),
        );
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    } else {
        render(
            &report,
            estimate.as_ref(),
            saved.as_ref().map(|(p, m)| (p.as_str(), m.as_str())),
            lang,
        )
    };
    out.write_all(text.as_bytes()).map_err(|e| CliError {
        code: super::EXIT_INTERNAL,
        message: format!("cannot write output: {e}"),
    })
}
