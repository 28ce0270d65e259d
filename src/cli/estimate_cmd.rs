//! `deepseek-advisor estimate`.

use super::measured::{self, ThisMachine};
use super::table::key_values;
use super::{json, lang_arg, CliError, EstimateArgs};
use crate::catalog::schema::{ModelEntry, QuantEntry, Runtime};
use crate::catalog::{hf_config, Catalog};
use crate::estimate::best::{best_fit, QuantChoice};
use crate::estimate::grid::{chosen_options, model_fits_with};
use crate::estimate::kv::KvCacheType;
use crate::estimate::suggest::smallest_changes;
use crate::estimate::verdict::speed_range;
use crate::estimate::{fit, Fit, FitOptions};
use crate::hardware::Machine;
use crate::lang::Lang;
use std::io::Write;

/// Context allocated when `--context` is not given (or the model's maximum if smaller).
pub const DEFAULT_CONTEXT: u32 = 8192;

pub(super) fn run(a: &EstimateArgs, out: &mut dyn Write) -> Result<(), CliError> {
    if let Some(path) = &a.file {
        return super::estimate_file::run(a, path, out);
    }
    let catalog = Catalog::get();
    let lang = lang_arg(&a.lang)?;
    let custom: ModelEntry;
    let model: &ModelEntry = match (&a.model, &a.model_config) {
        (Some(m), _) => catalog
            .model(m)
            .map_err(|e| CliError::bad_input(format!("--model: {e}")))?,
        (None, Some(path)) => {
            custom = hf_config::load(path)
                .map_err(|e| CliError::bad_input(format!("--model-config: {e}")))?;
            &custom
        }
        (None, None) => return Err(CliError::bad_input("--model or --model-config is required")),
    };
    let given = match a.quant.as_deref() {
        Some(q) => Some(
            catalog
                .quant(q)
                .map_err(|e| CliError::bad_input(format!("--quant: {e}")))?,
        ),
        None => None,
    };
    let (profile, machine) = a.hw.resolve(catalog)?;
    let (quant, choice) = match given {
        Some(q) => (q, None),
        None => {
            let (q, why) = choose_quant(a, catalog, model, &machine)?;
            (q, Some(why))
        }
    };
    let template = options_from_args(
        a,
        *quant.runtimes.first().unwrap_or(&Runtime::LlamaCpp),
        model.arch.max_context,
    )?;
    let chosen = chosen_options(model, quant, &machine, a.runtime.into(), template);
    let f = fit(model, quant, &machine, chosen).map_err(|e| CliError::bad_input(e.to_string()))?;
    // A measurement saved by `bench --save` on this machine corrects the estimate (a separate
    // step after the estimator).
    let this = ThisMachine::load(&profile);
    let (f, correction) = this.correct(&f, &machine);
    let changes = smallest_changes(catalog, &f, &machine);
    let text = if a.json {
        let mut v = json::estimate_object(&f, &machine, &changes, lang);
        v["quant_chosen"] = match choice {
            Some(c) => serde_json::json!({ "why": c.json_name(), "reason": c.reason(lang) }),
            None => serde_json::Value::Null,
        };
        measured::add_to_estimate(&mut v, this.entries(&f), correction.as_ref(), lang);
        serde_json::to_string_pretty(&v).map_err(|e| CliError {
            code: super::EXIT_INTERNAL,
            message: format!("cannot write JSON: {e}"),
        })? + "\n"
    } else {
        let mut text = render(&f, &machine, &changes, choice, lang);
        text.push_str(&measured::render(&this, &f, correction.as_ref(), lang));
        text
    };
    out.write_all(text.as_bytes()).map_err(|e| CliError {
        code: super::EXIT_INTERNAL,
        message: format!("cannot write output: {e}"),
    })
}

fn gb(bytes: f64) -> String {
    format!("{:.2} GB", bytes / 1e9)
}

/// The quant `check` would show for `model` on `machine` with the other estimate flags, and why.
fn choose_quant<'a>(
    a: &EstimateArgs,
    catalog: &'a Catalog,
    model: &ModelEntry,
    machine: &Machine,
) -> Result<(&'a QuantEntry, QuantChoice), CliError> {
    let template = options_from_args(a, Runtime::LlamaCpp, model.arch.max_context)?;
    let best = best_fit(model_fits_with(
        catalog,
        model,
        machine,
        a.runtime.into(),
        template,
    ))
    .ok_or_else(|| {
        CliError::bad_input(format!(
            "--quant: no quant of {} loads on {} with this machine; pass --quant to see why one is refused",
            model.id,
            crate::estimate::grid::RuntimeChoice::from(a.runtime).cli_name()
        ))
    })?;
    let why = QuantChoice::of(&best);
    let id = best.quant.id.clone();
    let quant = catalog
        .quant(&id)
        .map_err(|e| CliError::bad_input(format!("--quant: {e}")))?;
    Ok((quant, why))
}

pub(super) fn render(
    f: &Fit,
    machine: &Machine,
    changes: &[crate::estimate::suggest::Change],
    choice: Option<QuantChoice>,
    lang: Lang,
) -> String {
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh).to_string();
    let p = &f.placement;
    let s = &f.speed;
    let mut pairs: Vec<(String, String)> = vec![
        (
            l("Model", "模型"),
            format!("{} ({})", f.model.name, f.model.id),
        ),
        (
            l("Parameters", "参数量"),
            match lang {
                Lang::En => format!(
                    "{:.1}B total, {:.1}B active",
                    f.params.total() / 1e9,
                    f.params.active() / 1e9
                ),
                Lang::Zh => format!(
                    "共 {:.1}B，每 token 激活 {:.1}B",
                    f.params.total() / 1e9,
                    f.params.active() / 1e9
                ),
            },
        ),
        (l("Quant", "量化"), f.quant.id.clone()),
        (
            l("Runtime", "推理框架"),
            f.options.runtime.cli_name().to_string(),
        ),
        (
            l("Context", "上下文"),
            format!(
                "{} × {} {}",
                f.options.context,
                f.options.concurrency,
                lang.pick("sequence(s)", "个并发序列")
            ),
        ),
        (l("Hardware", "硬件"), machine.describe()),
    ];
    if let Some(c) = choice {
        pairs.insert(
            3,
            (l("Why this quant", "为何选它"), c.reason(lang).to_string()),
        );
    }
    let mut weights = gb(f.weights.bytes);
    if let Some(pb) = f.weights.published_bytes {
        weights.push_str(&format!(
            " ({} {})",
            lang.pick("published file:", "已发布文件："),
            gb(pb)
        ));
    }
    pairs.push((l("Weights", "权重"), weights));
    if let Some(note) = crate::estimate::explain::file_note(f, lang) {
        pairs.push((l("File", "文件"), note));
    }
    pairs.push((
        l("KV cache", "KV 缓存"),
        format!(
            "{} ({} {}, {:.1} KiB/token)",
            gb(f.kv_bytes),
            f.kv_type,
            lang.pick("elements", "元素"),
            f.kv_slope / 1024.0
        ),
    ));
    let o = &p.overhead;
    pairs.push((
        l("Overhead", "额外开销"),
        format!(
            "{} ({} {}, {} {}, {} {})",
            gb(o.total()),
            lang.pick("GPU runtime", "GPU 运行时"),
            gb(o.gpu_runtime),
            lang.pick("compute buffers", "计算缓冲"),
            gb(o.compute_buffers),
            lang.pick("serving reserve", "服务预留"),
            gb(o.serving_reserve)
        ),
    ));
    pairs.push((l("Total", "合计"), gb(f.total_bytes())));
    let placement = match p.kind {
        crate::estimate::placement::PlacementKind::PartialOffload => {
            format!(
                "{} ({}/{} {})",
                p.kind.json_name(),
                p.gpu_layers,
                p.total_layers,
                lang.pick("layers on GPU", "层在 GPU")
            )
        }
        crate::estimate::placement::PlacementKind::DoesNotFit => {
            format!(
                "{} ({} {})",
                p.kind.json_name(),
                lang.pick("short by", "还差"),
                gb(p.short_by)
            )
        }
        crate::estimate::placement::PlacementKind::ExpertOffload
        | crate::estimate::placement::PlacementKind::SsdStream => format!(
            "{} ({})",
            p.kind.json_name(),
            crate::estimate::explain::tier_split(f, lang)
        ),
        k if p.nodes > 1 => format!(
            "{} ({} {})",
            k.json_name(),
            p.nodes,
            lang.pick("boxes", "台机器")
        ),
        k => k.json_name().to_string(),
    };
    pairs.push((l("Placement", "放置方式"), placement));
    if p.kind != crate::estimate::placement::PlacementKind::DoesNotFit {
        pairs.push((
            l("Decode", "生成速度"),
            format!(
                "{:.1} tok/s ({} {})",
                s.decode,
                lang.pick("band", "区间"),
                speed_range(s.decode_low, s.decode_high)
            ),
        ));
        let q = crate::estimate::correction::Quantity::Decode;
        pairs.push((l("Band", "区间"), f.correction.get(q).band_note(q, lang)));
        pairs.push((
            l("Prefill", "预填充"),
            format!(
                "{:.0} tok/s ({})",
                s.prefill,
                lang.pick("512-token prompt", "512 token 提示词")
            ),
        ));
        if f.options.concurrency > 1 {
            pairs.push((
                l("Aggregate", "总吞吐"),
                format!("{:.0} tok/s", s.aggregate),
            ));
        }
    }
    pairs.push((
        l("Verdict", "结论"),
        format!(
            "{}: {}",
            f.verdict.level.label(lang),
            f.verdict.reason(lang)
        ),
    ));
    pairs.push((
        l("Attention", "注意力"),
        crate::estimate::explain::attention_layout(f, lang),
    ));
    for (i, note) in crate::estimate::explain::confusions(f, lang)
        .into_iter()
        .enumerate()
    {
        let key = if i == 0 {
            l("Good to know", "须知")
        } else {
            String::new()
        };
        pairs.push((key, note));
    }
    if let Some(free) = f.disk.free_bytes {
        pairs.push((
            l("Disk", "磁盘"),
            format!(
                "{} {} {}, {} {}",
                gb(f.disk.files_bytes),
                lang.pick("of files;", "文件；"),
                gb(free),
                lang.pick("free on", "可用于"),
                machine.disk_path.as_deref().unwrap_or("?")
            ),
        ));
    }
    for (i, c) in changes.iter().enumerate() {
        let key = if i == 0 {
            l("Would fit if", "可行的改动")
        } else {
            String::new()
        };
        pairs.push((key, c.describe(lang)));
    }
    let near = crate::evidence::nearest::for_estimate(f, machine);
    let lines: Vec<String> = near.iter().map(|n| n.describe(lang)).collect();
    if lines.is_empty() {
        pairs.push((
            l("Measured", "实测"),
            l(
                "no measurement of this model family on this or similar hardware yet",
                "尚无该模型系列在此或相近硬件上的实测",
            ),
        ));
    }
    for (i, line) in lines.into_iter().enumerate() {
        let key = if i == 0 {
            l("Measured", "实测")
        } else {
            String::new()
        };
        pairs.push((key, line));
    }
    for a in &machine.assumptions {
        pairs.push((l("Assumed", "假设"), a.clone()));
    }
    if f.placement.disk_bytes > 0.0 && machine.ssd_assumed {
        pairs.push((l("Assumed", "假设"), machine.ssd_read_note()));
    }
    key_values(&pairs)
}

/// The fit options the estimate flags ask for, on `runtime`; the context defaults to
/// [`DEFAULT_CONTEXT`] or the model's maximum, whichever is smaller.
pub(super) fn options_from_args(
    a: &EstimateArgs,
    runtime: Runtime,
    max_context: u32,
) -> Result<FitOptions, CliError> {
    let kv_type: KvCacheType = a
        .kv_cache
        .parse()
        .map_err(|e: String| CliError::bad_input(format!("--kv-cache: {e}")))?;
    Ok(FitOptions {
        runtime,
        context: a.context.unwrap_or(DEFAULT_CONTEXT.min(max_context)),
        concurrency: a.concurrency,
        kv_type,
        speculative: a.speculative.into(),
        experts_on_cpu: a.cpu_moe,
    })
}
