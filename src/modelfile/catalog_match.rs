//! Is this file a catalog model? By name first (`general.name`, base model, repo URLs, the file
//! name), checked against the tensor shapes; else by shapes alone when exactly one catalog model
//! has them.

use crate::catalog::lookup::normalize;
use crate::catalog::schema::{Architecture, ModelEntry};
use crate::catalog::Catalog;
use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    /// A name in the file names the model and the shapes agree (or could not be read).
    Name,
    /// Only this catalog model has these shapes.
    Shape,
}

impl MatchedBy {
    pub fn json_name(self) -> &'static str {
        match self {
            MatchedBy::Name => "name",
            MatchedBy::Shape => "shape",
        }
    }
}

#[derive(Debug, Clone)]
pub struct CatalogMatch {
    pub model: &'static ModelEntry,
    pub by: MatchedBy,
}

/// Something worth saying about the match.
#[derive(Debug, Clone, PartialEq)]
pub enum MatchNote {
    /// Named like a catalog model whose shapes differ.
    ShapesDiffer { name: String },
    /// Several catalog models share these shapes and the file does not say which it is.
    SameShapeAs { names: Vec<String> },
    /// An architecture the estimator cannot describe, recognised by name as a catalog model.
    RecognisedAs { kind: String, name: String },
}

impl MatchNote {
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (MatchNote::ShapesDiffer { name }, Lang::En) => format!(
                "named like {name} but its tensor shapes differ (another size or a modified model); the file's own architecture is used"
            ),
            (MatchNote::ShapesDiffer { name }, Lang::Zh) => {
                format!("名称像 {name}，但张量形状不同（其他尺寸或改动过的模型）；按文件自身的架构估算")
            }
            (MatchNote::SameShapeAs { names }, Lang::En) => format!(
                "same architecture as {}; the file does not say which",
                names.join(", ")
            ),
            (MatchNote::SameShapeAs { names }, Lang::Zh) => {
                format!("与 {} 架构相同；文件未写明是哪一个", names.join("、"))
            }
            (MatchNote::RecognisedAs { kind, name }, Lang::En) => format!(
                "architecture `{kind}` is recognised as {name}; the catalog's description of it is used"
            ),
            (MatchNote::RecognisedAs { kind, name }, Lang::Zh) => {
                format!("架构 `{kind}` 识别为 {name}；按目录中的描述估算")
            }
        }
    }
}

/// The outcome: a match, and a note when something is worth saying.
#[derive(Debug, Clone, Default)]
pub struct MatchOutcome {
    pub matched: Option<CatalogMatch>,
    pub note: Option<MatchNote>,
}

/// Same layer count, widths, heads, experts and MLA rank; vocabularies within 2% (padding).
pub fn same_shape(a: &Architecture, b: &Architecture) -> bool {
    let vocab_close = (f64::from(a.vocab) - f64::from(b.vocab)).abs() <= 0.02 * f64::from(b.vocab);
    a.layers == b.layers
        && a.hidden == b.hidden
        && a.heads == b.heads
        && a.kv_heads == b.kv_heads
        && vocab_close
        && a.moe
            .as_ref()
            .map(|m| (m.routed_experts, m.experts_per_token))
            == b.moe
                .as_ref()
                .map(|m| (m.routed_experts, m.experts_per_token))
        && a.mla.as_ref().map(|m| m.kv_lora_rank) == b.mla.as_ref().map(|m| m.kv_lora_rank)
}

/// Normalized names a catalog model answers to.
fn keys(m: &ModelEntry) -> Vec<String> {
    let repo = m.hf_repo.rsplit('/').next().unwrap_or(&m.hf_repo);
    [m.id.as_str(), m.name.as_str(), repo]
        .iter()
        .map(|k| normalize(k))
        .filter(|k| k.len() >= 6)
        .collect()
}

/// Finds the catalog model `names` (from the file) and `arch` (its shapes, when readable) describe.
pub fn find(
    catalog: &'static Catalog,
    names: &[String],
    arch: Option<&Architecture>,
) -> MatchOutcome {
    let names: Vec<String> = names.iter().map(|n| normalize(n)).collect();
    let by_name = catalog
        .models
        .models
        .iter()
        .filter_map(|m| {
            keys(m)
                .into_iter()
                .filter(|k| names.iter().any(|n| n.contains(k.as_str())))
                .map(|k| k.len())
                .max()
                .map(|len| (len, m))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, m)| m);
    if let Some(m) = by_name {
        match arch {
            Some(a) if !same_shape(a, &m.arch) => {
                return MatchOutcome {
                    matched: None,
                    note: Some(MatchNote::ShapesDiffer {
                        name: m.name.clone(),
                    }),
                }
            }
            _ => {
                return MatchOutcome {
                    matched: Some(CatalogMatch {
                        model: m,
                        by: MatchedBy::Name,
                    }),
                    note: None,
                }
            }
        }
    }
    let Some(a) = arch else {
        return MatchOutcome::default();
    };
    let same: Vec<&'static ModelEntry> = catalog
        .models
        .models
        .iter()
        .filter(|m| same_shape(a, &m.arch))
        .collect();
    match same.as_slice() {
        [] => MatchOutcome::default(),
        [one] => MatchOutcome {
            matched: Some(CatalogMatch {
                model: one,
                by: MatchedBy::Shape,
            }),
            note: None,
        },
        many => MatchOutcome {
            matched: None,
            note: Some(MatchNote::SameShapeAs {
                names: many.iter().map(|m| m.name.clone()).collect(),
            }),
        },
    }
}
