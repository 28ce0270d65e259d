//! From what a server calls its model (`deepseek-r1:7b`, `deepseek-ai/DeepSeek-R1-Distill-Qwen-7B`,
//! `/models/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf`) to a catalog model and quant. Pure; an
//! unknown name maps to nothing and is measured under its own name.

use crate::catalog::lookup::normalize;
use crate::catalog::schema::{ModelEntry, QuantEntry};
use crate::catalog::Catalog;

/// The file or folder name at the end of a path or repo id, without a `.gguf` extension.
fn stem(name: &str) -> &str {
    let last = name
        .trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name);
    last.strip_suffix(".gguf")
        .or_else(|| last.strip_suffix(".GGUF"))
        .unwrap_or(last)
}

/// The catalog model a served name refers to: an exact id, repo id or Ollama tag first (with
/// Ollama's `:latest` and tag suffixes such as `:7b-qwen-distill-q4_K_M` understood), then the
/// longest catalog id contained in the file or repo name.
pub fn catalog_model<'a>(catalog: &'a Catalog, names: &[&str]) -> Option<&'a ModelEntry> {
    for name in names {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        if let Ok(m) = catalog.model(name) {
            return Some(m);
        }
        if let Some((repo, tag)) = name.split_once(':') {
            // `deepseek-r1:7b-qwen-distill-q4_K_M` is `deepseek-r1:7b`; `deepseek-r1:latest` is
            // whatever size Ollama points it at today (not the 671B `deepseek-r1`), so it is
            // left unmapped: measured under its own name.
            let first = tag.split('-').next().unwrap_or(tag);
            if tag == "latest" {
                continue;
            }
            if let Ok(m) = catalog.model(&format!("{repo}:{first}")) {
                return Some(m);
            }
        }
        if let Ok(m) = catalog.model(stem(name)) {
            return Some(m);
        }
    }
    // No exact name: the longest model id inside a file or repo name.
    // Ollama library tags were resolved above: `deepseek-r1:latest` must not become the 671B
    // `deepseek-r1`. A Hugging Face pull (`hf.co/unsloth/…-GGUF:Q4_K_M`) is a repo name.
    names
        .iter()
        .filter_map(|name| match name.rsplit_once(':') {
            Some((base, tag)) if !tag.contains(['/', '\\']) => base.contains('/').then_some(base),
            _ => Some(name),
        })
        .filter_map(|name| {
            let n = normalize(stem(name));
            catalog
                .models
                .models
                .iter()
                .filter(|m| {
                    let id = normalize(&m.id);
                    id.len() >= 6 && n.contains(&id)
                })
                .max_by_key(|m| m.id.len())
        })
        .max_by_key(|m| m.id.len())
}

/// Whether `needle` occurs in `hay` as a whole word (bounded by non-alphanumerics).
fn contains_word(hay: &str, needle: &str) -> bool {
    let bytes = hay.as_bytes();
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let start = from + i;
        let end = start + needle.len();
        let before = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        let after = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
        if before && after {
            return true;
        }
        from = start + 1;
    }
    false
}

/// The quant a server states (`Q4_K_M` from Ollama's details or LM Studio), else the longest
/// quant name written as a word in a file or repo name (`…-Q4_K_M.gguf`, `…-AWQ`).
pub fn quant<'a>(
    catalog: &'a Catalog,
    stated: Option<&str>,
    names: &[&str],
) -> Option<&'a QuantEntry> {
    if let Some(q) = stated.and_then(|s| catalog.quant(s).ok()) {
        return Some(q);
    }
    names
        .iter()
        .filter_map(|name| {
            let hay = stem(name).to_ascii_lowercase();
            catalog
                .quants
                .quants
                .iter()
                .flat_map(|q| {
                    std::iter::once(&q.id)
                        .chain(&q.aliases)
                        .map(move |n| (q, n))
                })
                .filter(|(_, n)| contains_word(&hay, &n.to_ascii_lowercase()))
                .max_by_key(|(_, n)| n.len())
                .map(|(q, _)| q)
        })
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(names: &[&str]) -> Option<String> {
        catalog_model(Catalog::get(), names).map(|m| m.id.clone())
    }

    fn q(stated: Option<&str>, names: &[&str]) -> Option<String> {
        quant(Catalog::get(), stated, names).map(|q| q.id.clone())
    }

    #[test]
    fn ollama_tags_repo_ids_and_file_names_map_to_the_catalog() {
        let qwen7 = Some("deepseek-r1-distill-qwen-7b".to_string());
        assert_eq!(model(&["deepseek-r1:7b"]), qwen7);
        assert_eq!(model(&["deepseek-r1:7b-qwen-distill-q4_K_M"]), qwen7);
        assert_eq!(model(&["deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"]), qwen7);
        assert_eq!(
            model(&["/models/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"]),
            qwen7
        );
        assert_eq!(
            model(&["unsloth/DeepSeek-R1-Distill-Qwen-1.5B-GGUF"]),
            Some("deepseek-r1-distill-qwen-1.5b".into())
        );
        assert_eq!(
            model(&["deepseek-r1:671b"]),
            Some("deepseek-r1-0528".into())
        );
        // `latest` does not silently become the 671B model; an unknown name maps to nothing.
        assert_eq!(model(&["deepseek-r1:latest"]), None);
        assert_eq!(model(&["tiny-random", "/tmp/x/tiny.gguf"]), None);
        assert_eq!(
            model(&["hf.co/unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF:Q4_K_M"]),
            qwen7
        );
    }

    #[test]
    fn quants_from_what_the_server_states_or_the_file_name() {
        assert_eq!(q(Some("Q4_K_M"), &[]), Some("Q4_K_M".into()));
        assert_eq!(q(Some("F16"), &[]), Some("BF16".into()));
        assert_eq!(
            q(None, &["/m/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"]),
            Some("Q4_K_M".into())
        );
        assert_eq!(
            q(None, &["DeepSeek-R1-UD-IQ1_S-00001-of-00003.gguf"]),
            Some("UD-IQ1_S".into())
        );
        assert_eq!(
            q(None, &["casperhansen/deepseek-r1-distill-qwen-7b-awq"]),
            Some("AWQ".into())
        );
        assert_eq!(q(None, &["deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"]), None);
    }
}
