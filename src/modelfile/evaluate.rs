//! From a read model file to the estimator's inputs: the model (a catalog entry when the file is
//! one, else the file's own architecture), a quant entry measured from the file, and the exact
//! weight bytes by group. `Evaluation::fit` then runs the usual estimate.

use super::catalog_match::MatchedBy;
use super::catalog_match::{self, MatchNote, MatchOutcome};
use super::groups::{Breakdown, Group};
use super::{arch, quant, Format, ModelFile};
use crate::catalog::schema::{Architecture, Confidence, ModelEntry, QuantEntry, Runtime};
use crate::catalog::{hf_config, Catalog};
use crate::estimate::weights::{published_bytes, Weights, WeightsBasis};
use crate::estimate::{
    fit_with_weights, machine_problem, params, validate, Fit, FitError, FitOptions,
};
use crate::fsutil::FileError;
use crate::hardware::Machine;
use crate::lang::Lang;
use std::path::Path;

/// A model file made ready for the estimator.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub file: ModelFile,
    pub breakdown: Breakdown,
    /// `general.architecture` (GGUF) or `model_type` (config.json); empty when unknown.
    pub kind: String,
    /// The name the file gives itself (`general.name`, `_name_or_path`), else its file name.
    pub display_name: String,
    pub matched: MatchOutcome,
    /// The model estimated, or why there is no estimate.
    pub model: Result<ModelEntry, String>,
    pub quant: QuantEntry,
    pub weights: Weights,
}

/// Reads and evaluates the model at `path`.
pub fn evaluate_path(path: &Path) -> Result<Evaluation, FileError> {
    super::open(path).map(|f| evaluate(f, Catalog::get()))
}

fn file_stem(file: &ModelFile) -> String {
    let first = file.parts.first().unwrap_or(&file.path);
    let name = if file.format == Format::Safetensors {
        first.parent().and_then(|p| p.file_name())
    } else {
        first.file_stem()
    };
    name.map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Names in the file that may say which model it is.
fn names(file: &ModelFile, config: Option<&serde_json::Value>) -> Vec<String> {
    let m = &file.metadata;
    let mut out: Vec<String> = [
        "general.name",
        "general.basename",
        "general.base_model.0.name",
        "general.base_model.0.repo_url",
        "general.source.repo_url",
    ]
    .iter()
    .filter_map(|k| m.str(k).map(str::to_string))
    .collect();
    if let (Some(base), Some(ft)) = (m.str("general.basename"), m.str("general.finetune")) {
        out.push(format!("{base}-{ft}"));
    }
    if let Some(n) = config
        .and_then(|c| c.get("_name_or_path"))
        .and_then(|v| v.as_str())
    {
        out.push(n.to_string());
    }
    out.push(file_stem(file));
    out
}

/// A model entry for a file that is not in the catalog.
fn custom_entry(name: &str, arch: Architecture, source: String) -> ModelEntry {
    ModelEntry::custom(
        crate::catalog::lookup::normalize(name),
        name.to_string(),
        arch,
        "the model file",
        source,
        Confidence::Verified,
    )
}

/// Evaluates a read model file against `catalog`.
pub fn evaluate(file: ModelFile, catalog: &'static Catalog) -> Evaluation {
    let config: Option<serde_json::Value> = file
        .config
        .as_ref()
        .and_then(|(_, text)| serde_json::from_str(text).ok());
    let cfg = config
        .as_ref()
        .map(|c| c.get("text_config").filter(|t| t.is_object()).unwrap_or(c));
    let (kind, mtp_from) = match file.format {
        Format::Gguf => (
            file.metadata.architecture().unwrap_or_default().to_string(),
            arch::gguf_mtp_from(&file.metadata),
        ),
        Format::Safetensors => (
            cfg.and_then(|c| c.get("model_type"))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string(),
            cfg.and_then(|c| c.get("num_hidden_layers"))
                .and_then(|v| v.as_u64()),
        ),
    };
    let breakdown = Breakdown::of(&file.tensors, mtp_from);
    // The file's own model, or why it has none.
    let own: Result<ModelEntry, String> = match (file.format, &file.config) {
        (Format::Gguf, _) => arch::from_gguf(&file.metadata, &file.tensors).map(|a| {
            let name = file
                .metadata
                .str("general.name")
                .map(str::to_string)
                .unwrap_or_else(|| file_stem(&file));
            custom_entry(&name, a, format!("GGUF header of {}", file.path.display()))
        }),
        (Format::Safetensors, None) => Err(format!(
            "no {} beside the checkpoint, so its architecture is unknown; sizes are exact, placement and speed are not estimated",
            super::folder::CONFIG
        )),
        (Format::Safetensors, Some((path, text))) => {
            if arch::HF_SUPPORTED.contains(&kind.as_str()) {
                hf_config::from_json(text, &path.display().to_string()).map_err(|e| e.to_string())
            } else {
                Err(arch::unsupported(if kind.is_empty() { "unknown" } else { &kind }))
            }
        }
    };
    let matched = catalog_match::find(
        catalog,
        &names(&file, cfg),
        own.as_ref().ok().map(|m| &m.arch),
    );
    let display_name = file
        .metadata
        .str("general.name")
        .map(str::to_string)
        .or_else(|| {
            cfg.and_then(|c| c.get("_name_or_path"))
                .and_then(|v| v.as_str())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        })
        .unwrap_or_else(|| file_stem(&file));
    let mut matched = matched;
    // A file is its own release: the catalog's list of published files does not restrict it.
    let as_file = |m: &ModelEntry| ModelEntry {
        quants: Vec::new(),
        ..m.clone()
    };
    let model = match (&matched.matched, own) {
        (Some(m), Err(_)) => {
            matched.note = Some(MatchNote::RecognisedAs {
                kind: kind.clone(),
                name: m.model.name.clone(),
            });
            Ok(as_file(m.model))
        }
        (Some(m), Ok(_)) => Ok(as_file(m.model)),
        (None, own) => own,
    };
    let params = model.as_ref().ok().map(|m| params::count(&m.arch));
    let quant = quant::quant_entry(&file, &breakdown, params.as_ref(), catalog);
    let output_bytes = breakdown.group(Group::Output).bytes as f64;
    let weights = Weights {
        bytes: breakdown.total() as f64,
        routed_expert_bytes: breakdown.group(Group::RoutedExperts).bytes as f64,
        embed_bytes: breakdown.group(Group::Embedding).bytes as f64,
        output_bytes,
        mtp_bytes: breakdown.group(Group::Mtp).bytes as f64,
        engram_bytes: breakdown.group(Group::Engram).bytes as f64,
        vision_bytes: breakdown.group(Group::Vision).bytes as f64,
        basis: WeightsBasis::File,
        published_bytes: model.as_ref().ok().and_then(|m| published_bytes(m, &quant)),
    };
    Evaluation {
        file,
        breakdown,
        kind,
        display_name,
        matched,
        model,
        quant,
        weights,
    }
}

impl Evaluation {
    /// The runtime used when none is chosen: the first that loads the file.
    pub fn default_runtime(&self) -> Runtime {
        self.quant
            .runtimes
            .first()
            .copied()
            .unwrap_or(Runtime::LlamaCpp)
    }

    /// A one-line statement of which model this is.
    pub fn identity(&self, lang: Lang) -> String {
        match (&self.matched.matched, &self.model, lang) {
            (Some(m), _, Lang::En) => format!(
                "{} (catalog model {}, matched by {})",
                m.model.name,
                m.model.id,
                m.by.json_name()
            ),
            (Some(m), _, Lang::Zh) => format!(
                "{}（目录模型 {}，按{}匹配）",
                m.model.name,
                m.model.id,
                match m.by {
                    MatchedBy::Name => "名称",
                    MatchedBy::Shape => "张量形状",
                }
            ),
            (None, Ok(_), Lang::En) => format!("{} (not in the catalog)", self.display_name),
            (None, Ok(_), Lang::Zh) => format!("{}（不在目录中）", self.display_name),
            (None, Err(_), _) => self.display_name.clone(),
        }
    }

    /// Why there is no estimate, in the UI language.
    pub fn no_estimate_reason(&self, lang: Lang) -> Option<String> {
        let why = self.model.as_ref().err()?;
        Some(match lang {
            Lang::En => why.clone(),
            Lang::Zh if why.starts_with("architecture `") => format!(
                "架构 `{}` 暂不支持估算（注意力或层结构与估算器描述的 GQA/MLA 模型不同）；大小准确，不估算放置方式和速度",
                self.kind
            ),
            Lang::Zh if why.starts_with("no config.json") => {
                "检查点旁没有 config.json，架构未知；大小准确，不估算放置方式和速度".to_string()
            }
            Lang::Zh => format!("无法估算：{why}"),
        })
    }

    /// The estimate for this file on `machine`; an error when the architecture is not supported
    /// or the options do not suit the file.
    pub fn fit(&self, machine: &Machine, options: FitOptions) -> Result<Fit<'_>, FitError> {
        let model = self.model.as_ref().map_err(|e| FitError {
            argument: "--file",
            message: e.clone(),
        })?;
        validate(model, &self.quant, &options)?;
        if let Some(e) = machine_problem(options.runtime, machine) {
            return Err(e);
        }
        let p = params::count(&model.arch);
        Ok(fit_with_weights(
            model,
            &self.quant,
            machine,
            options,
            p,
            self.weights,
        ))
    }
}
