//! Is this file a catalog model? By name first (`general.name`, base model, repo URLs, the file
//! name), checked against the tensor shapes; else by shapes alone when exactly one catalog model
//! has them.

use crate::catalog::lookup::normalize;
use crate::catalog::schema::{Architecture, ModelEntry};
use crate::catalog::Catalog;

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

/// The outcome: a match, and a note when something is worth saying (a name whose shapes differ,
/// several models with the same shapes).
#[derive(Debug, Clone, Default)]
pub struct MatchOutcome {
    pub matched: Option<CatalogMatch>,
    pub note: Option<String>,
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
                    note: Some(format!(
                        "named like {} but its tensor shapes differ (another size or a modified model); the file's own architecture is used",
                        m.name
                    )),
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
            note: Some(format!(
                "same architecture as {}; the file does not say which",
                many.iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        },
    }
}
