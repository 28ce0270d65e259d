//! `deepseek-advisor estimate --file PATH`: the usual estimate for a downloaded model file, plus
//! what its header says: architecture, catalog match, exact bytes by tensor group and type.

use super::estimate_cmd::{options_from_args, render};
use super::table::key_values;
use super::{json, lang_arg, CliError, EstimateArgs};
use crate::catalog::schema::Runtime;
use crate::catalog::Catalog;
use crate::estimate::grid::RuntimeChoice;
use crate::estimate::suggest::smallest_changes;
use crate::lang::Lang;
use crate::modelfile::evaluate::{evaluate_path, Evaluation};
use serde_json::{json, Map, Value};
use std::io::Write;
use std::path::Path;

/// The `file` object of `estimate --file --json`. Byte counts are exact integers.
pub fn file_object(e: &Evaluation) -> Value {
    let f = &e.file;
    let by_group: Map<String, Value> = e
        .breakdown
        .by_group()
        .into_iter()
        .map(|(g, b)| (g.json_name().to_string(), json!(b)))
        .collect();
    let by_type: Map<String, Value> = e
        .breakdown
        .by_type()
        .into_iter()
        .map(|(t, b)| (t.to_string(), json!(b)))
        .collect();
    let metadata: Map<String, Value> = f
        .metadata
        .arch_keys()
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    json!({
        "path": f.path.display().to_string(),
        "format": f.format.json_name(),
        "name": e.display_name,
        "architecture": e.kind,
        "catalog_match": e.matched.matched.as_ref().map(|m| json!({
            "id": m.model.id,
            "name": m.model.name,
            "by": m.by.json_name(),
        })),
        "note": e.matched.note.as_ref().map(|n| n.describe(Lang::En)),
        "estimate_unavailable": e.model.as_ref().err(),
        "quant": e.quant.id,
        "tensor_count": f.tensors.len(),
        "split_count": f.parts.len(),
        "parts": f.parts.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "file_bytes": f.file_bytes,
        "tensor_bytes": e.breakdown.total(),
        "header_bytes_read": f.bytes_read,
        "bytes_by_group": by_group,
        "bytes_by_type": by_type,
        "metadata": metadata,
    })
}

fn gb(bytes: u64) -> String {
    format!("{:.2} GB", bytes as f64 / 1e9)
}

/// What the header says, as table rows.
fn summary(e: &Evaluation, lang: Lang) -> Vec<(String, String)> {
    let l = |en: &str, zh: &str| lang.pick(en, zh).to_string();
    let f = &e.file;
    let mut rows = vec![
        (l("File", "文件"), f.path.display().to_string()),
        (
            l("Read", "读取"),
            format!(
                "{} {} ({} {}), {} {}, {} {}",
                f.parts.len(),
                lang.pick("file(s)", "个文件"),
                gb(f.file_bytes),
                lang.pick("on disk", "磁盘占用"),
                f.tensors.len(),
                lang.pick("tensors", "个张量"),
                f.bytes_read,
                lang.pick("header bytes read", "字节头部已读")
            ),
        ),
        (
            l("Architecture", "架构"),
            format!("{} · {}", e.kind, e.identity(lang)),
        ),
    ];
    if let Some(n) = &e.matched.note {
        rows.push((l("Note", "说明"), n.describe(lang)));
    }
    for (g, bytes) in e.breakdown.by_group() {
        let types: Vec<String> = e
            .breakdown
            .types_of(g)
            .iter()
            .map(|(t, b)| format!("{t} {}", gb(*b)))
            .collect();
        rows.push((
            format!("  {}", g.json_name()),
            format!("{} ({})", gb(bytes), types.join(", ")),
        ));
    }
    rows
}

pub(super) fn run(a: &EstimateArgs, path: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    let catalog = Catalog::get();
    let lang = lang_arg(&a.lang)?;
    let e = evaluate_path(path).map_err(|e| CliError::bad_input(format!("--file: {e}")))?;
    // Flags are checked before anything is printed, even where the file alone answers.
    options_from_args(a, Runtime::LlamaCpp, u32::MAX)?;
    let write = |text: String, out: &mut dyn Write| {
        out.write_all(text.as_bytes()).map_err(|e| CliError {
            code: super::EXIT_INTERNAL,
            message: format!("cannot write output: {e}"),
        })
    };
    let to_json = |v: &Value| {
        serde_json::to_string_pretty(v).map_err(|e| CliError {
            code: super::EXIT_INTERNAL,
            message: format!("cannot write JSON: {e}"),
        })
    };
    let Ok(model) = &e.model else {
        // Sizes are exact even when the architecture cannot be estimated.
        let text = if a.json {
            to_json(&json!({ "file": file_object(&e) }))? + "\n"
        } else {
            let mut rows = summary(&e, lang);
            rows.push((
                lang.pick("Estimate", "估算").to_string(),
                e.no_estimate_reason(lang).unwrap_or_default(),
            ));
            key_values(&rows)
        };
        return write(text, out);
    };
    let (_, machine) = a.hw.resolve(catalog)?;
    let runtime = match RuntimeChoice::from(a.runtime) {
        RuntimeChoice::One(r) => r,
        RuntimeChoice::Auto => e.default_runtime(),
    };
    let options = options_from_args(a, runtime, model.arch.max_context)?;
    let f = e
        .fit(&machine, options)
        .map_err(|err| CliError::bad_input(err.to_string()))?;
    let changes = smallest_changes(catalog, &f, &machine);
    let text = if a.json {
        let mut v = json::estimate_object(&f, &machine, &changes, lang);
        v["file"] = file_object(&e);
        to_json(&v)? + "\n"
    } else {
        key_values(&summary(&e, lang)) + "\n" + &render(&f, &machine, &changes, None, lang)
    };
    write(text, out)
}
