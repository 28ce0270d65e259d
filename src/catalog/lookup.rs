//! Finding catalog entries by id, alias, repo id, Ollama tag or detected name, and suggesting the
//! nearest names when nothing matches.

use super::schema::{GpuEntry, ModelEntry, QuantEntry};
use super::Catalog;
use std::fmt;

/// A name that matched nothing, with the closest catalog names.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownName {
    /// `model`, `quant` or `GPU`.
    pub kind: &'static str,
    pub given: String,
    pub nearest: Vec<String>,
    /// The name matched several entries (listed in `nearest`) rather than none.
    pub ambiguous: bool,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ambiguous {
            return write!(
                f,
                "ambiguous {} `{}`: it matches {}; name one of them",
                self.kind,
                self.given,
                self.nearest.join(", ")
            );
        }
        write!(f, "unknown {} `{}`", self.kind, self.given)?;
        if !self.nearest.is_empty() {
            write!(f, "; nearest: {}", self.nearest.join(", "))?;
        }
        Ok(())
    }
}

/// The words of a name, lower case: letters and digits split at every other character, so
/// `Ryzen AI Max+ 395` gives `ryzen ai max 395` and `40-core` gives `40 core`.
fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Vendor and marketing words a user may add or leave out.
const OPTIONAL_WORDS: [&str; 8] = [
    "nvidia", "geforce", "amd", "radeon", "apple", "intel", "tesla", "gpu",
];

impl std::error::Error for UnknownName {}

/// Lower case with everything but letters and digits removed, so `RTX-4090`, `rtx 4090` and
/// `RTX4090` compare equal.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn nearest<'a>(
    given: &str,
    candidates: impl Iterator<Item = &'a str>,
    shown: usize,
) -> Vec<String> {
    let g = normalize(given);
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| {
            let n = normalize(c);
            let mut score = strsim::jaro_winkler(&g, &n);
            if !g.is_empty() && (n.contains(&g) || g.contains(&n)) {
                score += 0.5;
            }
            (score, c)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, c) in scored {
        if !out.iter().any(|o| o == c) {
            out.push(c.to_string());
        }
        if out.len() == shown {
            break;
        }
    }
    out
}

impl Catalog {
    /// A model by id (`deepseek-r1`), repo id (`deepseek-ai/DeepSeek-R1`), Ollama tag
    /// (`deepseek-r1:32b`), display name or the repo of one of its published files
    /// (`nvidia/DeepSeek-V4.1-Flash-1017-NVFP4`), case-insensitively.
    pub fn model(&self, name: &str) -> Result<&ModelEntry, UnknownName> {
        let want = name.trim().to_ascii_lowercase();
        let models = &self.models.models;
        // Ids first, so a tag that spells another model's id never shadows it.
        let found = models
            .iter()
            .find(|m| m.id == want)
            .or_else(|| {
                models.iter().find(|m| {
                    m.hf_repo.eq_ignore_ascii_case(&want) || m.name.eq_ignore_ascii_case(&want)
                })
            })
            .or_else(|| {
                models.iter().find(|m| {
                    m.ollama_tags
                        .iter()
                        .chain(&m.ollama_cloud_tags)
                        .any(|t| t.eq_ignore_ascii_case(&want))
                })
            })
            .or_else(|| {
                models.iter().find(|m| {
                    m.file_repos
                        .iter()
                        .any(|f| f.repo.eq_ignore_ascii_case(&want))
                })
            });
        found.ok_or_else(|| UnknownName {
            ambiguous: false,
            kind: "model",
            given: name.to_string(),
            nearest: nearest(
                name,
                self.models.models.iter().map(|m| m.id.as_str()).chain(
                    self.models
                        .models
                        .iter()
                        .flat_map(|m| m.ollama_tags.iter().map(String::as_str)),
                ),
                3,
            ),
        })
    }

    /// A quantization by id or alias (`Q4_K_M`, `q4_k_m`, `W8A8`).
    pub fn quant(&self, name: &str) -> Result<&QuantEntry, UnknownName> {
        let want = normalize(name);
        let found =
            self.quants.quants.iter().find(|q| {
                normalize(&q.id) == want || q.aliases.iter().any(|a| normalize(a) == want)
            });
        found.ok_or_else(|| UnknownName {
            ambiguous: false,
            kind: "quant",
            given: name.to_string(),
            nearest: nearest(name, self.quants.quants.iter().map(|q| q.id.as_str()), 3),
        })
    }

    /// A GPU by catalog id, full name or alias, comparing letters and digits only; a detected
    /// name with a vendor prefix (`NVIDIA GeForce RTX 4090`) also matches.
    pub fn gpu(&self, name: &str) -> Result<&GpuEntry, UnknownName> {
        let want = normalize(name);
        let exact = self
            .gpus
            .gpus
            .iter()
            .find(|g| g.names().any(|n| normalize(n) == want));
        if let Some(g) = exact {
            return Ok(g);
        }
        // Detected names carry vendor words the aliases may lack.
        let stripped = strip_vendor_words(&want);
        let fallback = self.gpus.gpus.iter().find(|g| {
            g.names()
                .any(|n| strip_vendor_words(&normalize(n)) == stripped)
        });
        if let Some(g) = fallback {
            return Ok(g);
        }
        // What people type: every word of the name (vendor words optional) appears in one of
        // an entry's names — "M3 Max 40-core", "4090 48GB", "Ryzen AI Max+ 395". One entry
        // matching is an answer; several are listed.
        let wanted: Vec<String> = words(name)
            .into_iter()
            .filter(|w| !OPTIONAL_WORDS.contains(&w.as_str()))
            .collect();
        let matches: Vec<&GpuEntry> = if wanted.is_empty() {
            Vec::new()
        } else {
            self.gpus
                .gpus
                .iter()
                .filter(|g| {
                    g.names().any(|n| {
                        let have = words(n);
                        wanted.iter().all(|w| have.contains(w))
                    })
                })
                .collect()
        };
        match matches.as_slice() {
            [one] => Ok(one),
            [] => Err(UnknownName {
                ambiguous: false,
                kind: "GPU",
                given: name.to_string(),
                nearest: nearest(
                    name,
                    self.gpus
                        .gpus
                        .iter()
                        .flat_map(|g| [g.id.as_str(), g.name.as_str()]),
                    4,
                ),
            }),
            many => Err(UnknownName {
                ambiguous: true,
                kind: "GPU",
                given: name.to_string(),
                nearest: many
                    .iter()
                    .map(|g| format!("{} ({})", g.id, g.name))
                    .collect(),
            }),
        }
    }
}

fn strip_vendor_words(normalized: &str) -> String {
    let mut s = normalized.to_string();
    for w in [
        "nvidia", "geforce", "tesla", "amd", "radeon", "intelr", "intel", "tm", "graphics", "apple",
    ] {
        if let Some(rest) = s.strip_prefix(w) {
            s = rest.to_string();
        }
    }
    s
}
