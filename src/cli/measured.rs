//! "Measured on this machine" in `estimate` and `check`: the saved `bench` measurements for the
//! machine being estimated, the correction they make (`bench::adjust`), and their JSON — the
//! `measured` list (the evidence entry shape, `"source": "this machine"`, first) and
//! `speed.adjusted`.

use crate::bench::adjust::{apply, correction, Basis, Correction};
use crate::bench::store::{self, MachineKey, Store};
use crate::bench::BenchReport;
use crate::cost::capacity::MeasuredCurve;
use crate::cost::inputs::Deployment;
use crate::estimate::Fit;
use crate::hardware::{HardwareProfile, Machine};
use crate::lang::Lang;
use crate::number::finite;
use serde_json::{json, Value};

/// The measurements saved for the machine an estimate runs on.
#[derive(Debug, Clone, Default)]
pub struct ThisMachine {
    pub saved: Vec<BenchReport>,
    /// The machine as the store names it (`CPU, N threads, N GB RAM, GPUs`).
    pub hardware: String,
    /// A measurements file that could not be read (said once, then ignored).
    pub problem: Option<String>,
}

impl ThisMachine {
    /// What is saved for `profile` (nothing for a machine described by flags).
    pub fn load(profile: &HardwareProfile) -> ThisMachine {
        let (saved, problem) = store::saved_for(profile);
        ThisMachine {
            saved,
            hardware: MachineKey::of(profile)
                .map(|k| k.describe())
                .unwrap_or_default(),
            problem: problem.map(|e| e.to_string()),
        }
    }

    /// `fit` corrected by the measurements, with the correction made.
    pub fn correct<'a>(&self, fit: &Fit<'a>, machine: &Machine) -> (Fit<'a>, Option<Correction>) {
        match correction(fit, machine, &self.saved) {
            Some(c) => (apply(fit, &c), Some(c)),
            None => (*fit, None),
        }
    }

    /// The `measured` entries for `fit`'s model and quant, newest first.
    pub fn entries(&self, fit: &Fit) -> Vec<Value> {
        measured_entries(&self.saved, &fit.model.id, &fit.quant.id, &self.hardware)
    }
}

/// The `speed.adjusted` object: how the speed was corrected and by which measurement.
pub fn adjusted_json(c: &Correction, lang: Lang) -> Value {
    json!({
        "basis": match c.basis { Basis::Measured => "measured", Basis::Adjusted => "adjusted" },
        "factor": finite(c.factor),
        "by": format!("{} {} ({}, {})", c.model, c.quant, c.server, c.date),
        "measured_tok_s": finite(c.measured_tok_s),
        "estimated_tok_s": finite(c.estimated_tok_s),
        "note": c.sentence(lang),
    })
}

/// The evidence entries (metric, value, hardware, runtime, version, model, quant, context,
/// concurrency, date, source) of the saved measurements of `model` × `quant`.
pub fn measured_entries(
    saved: &[BenchReport],
    model: &str,
    quant: &str,
    hardware: &str,
) -> Vec<Value> {
    saved
        .iter()
        .filter(|r| {
            r.server.catalog_model.as_deref() == Some(model)
                && r.server.quant.as_deref() == Some(quant)
        })
        .flat_map(|r| {
            r.results.iter().flat_map(move |l| {
                [
                    ("decode_tok_s", l.decode_tok_s),
                    ("prefill_tok_s", l.prefill_tok_s),
                    ("ttft_s", l.ttft_s),
                    ("aggregate_tok_s", l.aggregate_tok_s),
                ]
                .into_iter()
                .map(move |(metric, value)| {
                    json!({
                        "metric": metric,
                        "value": finite(value),
                        "hardware": hardware,
                        "runtime": r.server.kind.json_name(),
                        "version": r.server.version,
                        "model": model,
                        "quant": quant,
                        "context": r.prompt_tokens + r.max_tokens,
                        "concurrency": l.concurrency,
                        "date": r.date,
                        "source": "this machine",
                    })
                })
            })
        })
        .collect()
}

/// Adds `measured` (this machine's entries first) and `speed.adjusted` to an estimate object.
pub fn add_to_estimate(v: &mut Value, entries: Vec<Value>, c: Option<&Correction>, lang: Lang) {
    // This machine's own measurements first, then the catalog's nearest measured points.
    let catalog = match v["measured"].take() {
        Value::Array(a) => a,
        _ => Vec::new(),
    };
    v["measured"] = Value::Array(entries.into_iter().chain(catalog).collect());
    v["speed"]["adjusted"] = c.map_or(Value::Null, |c| adjusted_json(c, lang));
}

/// Text lines under the estimate table: this machine's measurements of the model, the
/// correction made, and a measurements file that could not be read.
pub fn render(this: &ThisMachine, fit: &Fit, c: Option<&Correction>, lang: Lang) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for r in this.saved.iter().filter(|r| {
        r.server.catalog_model.as_deref() == Some(fit.model.id.as_str())
            && r.server.quant.as_deref() == Some(fit.quant.id.as_str())
    }) {
        for l in &r.results {
            pairs.push((
                lang.pick("Measured here", "本机实测").to_string(),
                match lang {
                    Lang::En => format!(
                        "{} user(s): {:.1} tok/s each, {:.0} tok/s in all, first token {:.2} s, prefill {:.0} tok/s ({}, {})",
                        l.concurrency, l.decode_tok_s, l.aggregate_tok_s, l.ttft_s, l.prefill_tok_s,
                        r.server.label(),
                        r.date
                    ),
                    Lang::Zh => format!(
                        "{} 个用户：每用户 {:.1} tok/s，共 {:.0} tok/s，首 token {:.2} 秒，预填充 {:.0} tok/s（{}，{}）",
                        l.concurrency, l.decode_tok_s, l.aggregate_tok_s, l.ttft_s, l.prefill_tok_s,
                        r.server.label(),
                        r.date
                    ),
                },
            ));
        }
    }
    if let Some(c) = c {
        pairs.push((lang.pick("Speed", "速度").to_string(), c.sentence(lang)));
    }
    if let Some(p) = &this.problem {
        pairs.push((
            lang.pick("Measurements", "实测记录").to_string(),
            format!(
                "{} ({p})",
                lang.pick(
                    "not used: the file could not be read",
                    "未使用：文件无法读取"
                )
            ),
        ));
    }
    if pairs.is_empty() {
        String::new()
    } else {
        super::table::key_values(&pairs)
    }
}

/// Under `check`'s table: which speeds are measured or adjusted, and by what.
pub fn check_note(this: &ThisMachine, corrections: &[Option<Correction>], lang: Lang) -> String {
    let mut lines: Vec<String> = Vec::new();
    for c in corrections.iter().flatten() {
        let line = match c.basis {
            Basis::Measured => format!("{} {}: {}", c.model, c.quant, c.sentence(lang)),
            Basis::Adjusted => c.sentence(lang),
        };
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    if let Some(p) = &this.problem {
        lines.push(format!(
            "{} ({p})",
            lang.pick(
                "Saved measurements not used: the file could not be read",
                "未使用已保存的实测：文件无法读取"
            )
        ));
    }
    if lines.is_empty() {
        return String::new();
    }
    format!("\n{}\n", lines.join("\n"))
}

/// The newest saved measurement of a server like one of `d`'s in the measurements file, as a
/// capacity curve (`bench::curve`); `None` when there is none or the file can't be read.
pub fn curve_for(d: &Deployment) -> Option<MeasuredCurve> {
    crate::bench::curve::measured_curve(&Store::load(&store::default_path()?).ok()?, d)
}
