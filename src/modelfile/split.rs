//! Split GGUF sets: llama.cpp's `gguf-split` writes `NAME-00001-of-00005.gguf` … and records
//! `split.no` / `split.count` in each part. Given any part, these are all the parts' paths.

use std::path::{Path, PathBuf};

/// Largest part count accepted (llama.cpp writes five digits).
const MAX_PARTS: u32 = 99_999;

/// The paths of every part of the set `path` belongs to, in order; a file that is not part of a
/// split set is its own only part.
pub fn parts(path: &Path) -> Vec<PathBuf> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return vec![path.to_path_buf()];
    };
    match parse_name(name) {
        Some((stem, count, width)) => (1..=count)
            .map(|i| path.with_file_name(format!("{stem}-{i:0width$}-of-{count:0width$}.gguf")))
            .collect(),
        None => vec![path.to_path_buf()],
    }
}

/// `(stem, part count, digits)` of a name like `DeepSeek-R1-Q4_K_M-00002-of-00009.gguf`.
fn parse_name(name: &str) -> Option<(&str, u32, usize)> {
    let base = name.strip_suffix(".gguf")?;
    let (rest, count) = base.rsplit_once("-of-")?;
    let (stem, index) = rest.rsplit_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(index) || !digits(count) || index.len() != count.len() {
        return None;
    }
    let n: u32 = count.parse().ok()?;
    let i: u32 = index.parse().ok()?;
    ((1..=MAX_PARTS).contains(&n) && (1..=n).contains(&i)).then_some((stem, n, count.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_part_names_the_whole_set() {
        let p = parts(Path::new("/m/R1-UD-IQ1_S-00002-of-00003.gguf"));
        assert_eq!(
            p,
            vec![
                PathBuf::from("/m/R1-UD-IQ1_S-00001-of-00003.gguf"),
                PathBuf::from("/m/R1-UD-IQ1_S-00002-of-00003.gguf"),
                PathBuf::from("/m/R1-UD-IQ1_S-00003-of-00003.gguf"),
            ]
        );
        assert_eq!(parts(Path::new("a.gguf")), vec![PathBuf::from("a.gguf")]);
        assert_eq!(parts(Path::new("x-4-of-3.gguf")).len(), 1);
        assert_eq!(parts(Path::new("x-00001-of-00000.gguf")).len(), 1);
        assert_eq!(parts(Path::new("x-1-of-00003.gguf")).len(), 1);
    }
}
