//! The quantization a file is in, as the estimator needs it: its name (`general.file_type`, an
//! Unsloth dynamic recipe named in the file name, or the dominant storage type), the runtimes that
//! load it, and its measured bits per weight.

use super::groups::{Breakdown, Group};
use super::{Format, ModelFile};
use crate::catalog::lookup::normalize;
use crate::catalog::schema::{ComputePrecision, Confidence, QuantEntry, QuantFormat, Runtime};
use crate::catalog::Catalog;
use crate::estimate::params::ParamCounts;

/// llama.cpp's `llama_ftype` names (`general.file_type`), from `gguf-py` `LlamaFileType`.
const FILE_TYPES: [(u64, &str); 36] = [
    (0, "F32"),
    (1, "F16"),
    (2, "Q4_0"),
    (3, "Q4_1"),
    (7, "Q8_0"),
    (8, "Q5_0"),
    (9, "Q5_1"),
    (10, "Q2_K"),
    (11, "Q3_K_S"),
    (12, "Q3_K_M"),
    (13, "Q3_K_L"),
    (14, "Q4_K_S"),
    (15, "Q4_K_M"),
    (16, "Q5_K_S"),
    (17, "Q5_K_M"),
    (18, "Q6_K"),
    (19, "IQ2_XXS"),
    (20, "IQ2_XS"),
    (21, "Q2_K_S"),
    (22, "IQ3_XS"),
    (23, "IQ3_XXS"),
    (24, "IQ1_S"),
    (25, "IQ4_NL"),
    (26, "IQ3_S"),
    (27, "IQ3_M"),
    (28, "IQ2_S"),
    (29, "IQ2_M"),
    (30, "IQ4_XS"),
    (31, "IQ1_M"),
    (32, "BF16"),
    (36, "TQ1_0"),
    (37, "TQ2_0"),
    (38, "MXFP4_MOE"),
    (39, "NVFP4"),
    (40, "Q1_0"),
    (1024, "GUESSED"),
];

/// The name of a `general.file_type` value.
pub fn file_type_name(ft: u64) -> Option<&'static str> {
    FILE_TYPES.iter().find(|(id, _)| *id == ft).map(|(_, n)| *n)
}

/// The storage type holding most of the transformer body.
pub fn dominant_type(b: &Breakdown) -> &'static str {
    let body = [
        Group::Attention,
        Group::DenseFfn,
        Group::SharedExperts,
        Group::RoutedExperts,
    ];
    let mut totals: Vec<(&'static str, u64)> = Vec::new();
    for ((g, ty), a) in &b.cells {
        if body.contains(g) {
            match totals.iter_mut().find(|(t, _)| t == ty) {
                Some((_, n)) => *n += a.bytes,
                None => totals.push((ty, a.bytes)),
            }
        }
    }
    totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    totals
        .first()
        .map(|(t, _)| *t)
        .or_else(|| b.by_type().first().map(|(t, _)| *t))
        .unwrap_or("unknown")
}

/// The quant's name: an Unsloth dynamic recipe the file name spells (`UD-IQ1_S`), else
/// `general.file_type`, else the config's `quantization_config.quant_method`, else the dominant type.
pub fn quant_name(file: &ModelFile, b: &Breakdown, catalog: &Catalog) -> String {
    let file_name = normalize(&file.path.to_string_lossy());
    if let Some(q) = catalog
        .quants
        .quants
        .iter()
        .filter(|q| q.sized_by_publication)
        .find(|q| file_name.contains(&normalize(&q.id)))
    {
        return q.id.clone();
    }
    if let Some(name) = file
        .metadata
        .u64("general.file_type")
        .and_then(file_type_name)
    {
        if name != "GUESSED" {
            return name.to_string();
        }
    }
    if let Some((_, text)) = &file.config {
        let method = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| {
                v.get("quantization_config")
                    .and_then(|q| q.get("quant_method"))
                    .and_then(|m| m.as_str())
                    .map(str::to_ascii_uppercase)
            });
        if let Some(m) = method {
            return m;
        }
    }
    match dominant_type(b) {
        "F8_E4M3" | "F8_E5M2" => "FP8".to_string(),
        other => other.to_string(),
    }
}

fn bpw(bytes: u64, params: f64) -> f64 {
    if params > 0.0 {
        bytes as f64 * 8.0 / params
    } else {
        0.0
    }
}

/// The quant entry the estimator uses for this file: the catalog's runtimes and compute precision
/// where it knows the name, the file's measured bits per weight always.
pub fn quant_entry(
    file: &ModelFile,
    b: &Breakdown,
    params: Option<&ParamCounts>,
    catalog: &Catalog,
) -> QuantEntry {
    let id = quant_name(file, b, catalog);
    let known = catalog.quant(&id).ok();
    let embed = b.group(Group::Embedding);
    let output = b.group(Group::Output);
    let mtp = b.group(Group::Mtp);
    let body_bytes = b.total() - embed.bytes - output.bytes - mtp.bytes;
    let (body_bpw, embed_bpw, output_bpw) = match params {
        Some(p) => (
            bpw(body_bytes, p.body()),
            bpw(embed.bytes, p.embed),
            bpw(output.bytes, p.output),
        ),
        None => {
            let body_elements = b.cells.values().map(|a| a.elements).sum::<u64>()
                - embed.elements
                - output.elements
                - mtp.elements;
            (
                bpw(body_bytes, body_elements as f64),
                bpw(embed.bytes, embed.elements as f64),
                bpw(output.bytes, output.elements as f64),
            )
        }
    };
    let (format, loaders, default_runtimes) = match file.format {
        Format::Gguf => (
            QuantFormat::Gguf,
            [Runtime::LlamaCpp, Runtime::Ollama, Runtime::Ktransformers],
            vec![Runtime::LlamaCpp, Runtime::Ollama],
        ),
        Format::Safetensors => (
            QuantFormat::Safetensors,
            [Runtime::Vllm, Runtime::Sglang, Runtime::Ktransformers],
            vec![Runtime::Vllm, Runtime::Sglang],
        ),
    };
    // The catalog's runtimes for this quant, limited to those that load this file format.
    let runtimes = known
        .map(|q| {
            q.runtimes
                .iter()
                .copied()
                .filter(|r| loaders.contains(r))
                .collect::<Vec<_>>()
        })
        .filter(|r| !r.is_empty())
        .unwrap_or(default_runtimes);
    let compute = match known {
        Some(q) => q.compute,
        None if b.by_type().iter().any(|(t, _)| t.starts_with("F8_")) => ComputePrecision::Fp8,
        None => ComputePrecision::Fp16,
    };
    QuantEntry {
        id,
        aliases: Vec::new(),
        format,
        body_bpw,
        embed_bpw,
        output_bpw,
        routed_bpw: None,
        engram_bpw: None,
        named_bits: known.and_then(|q| q.named_bits),
        includes_mtp: mtp.bytes > 0,
        sized_by_publication: false,
        moe_only: false,
        on_request: false,
        compute,
        runtimes,
        only_for: Vec::new(),
        quality: known.map(|q| q.quality.clone()).unwrap_or_default(),
        source: format!("tensor table of {}", file.path.display()),
        confidence: Confidence::Verified,
    }
}
