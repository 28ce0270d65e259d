//! "Will this file run?": reads the header of a downloaded model — a GGUF file or split set, or a
//! safetensors checkpoint folder — and sizes it exactly by tensor group and storage type, without
//! reading any tensor data. Everything here is egui-free; `evaluate` turns a file into the
//! estimator's inputs.
//!
//! Reads are bounded: at most `HEADER_CAP` bytes of each file, counts and lengths are checked
//! against what the file can hold before anything is allocated, and every error names the file.

pub mod arch;
pub mod bounded;
pub mod catalog_match;
pub mod evaluate;
pub mod folder;
pub mod ggml_type;
pub mod gguf;
pub mod groups;
pub mod metadata;
pub mod quant;
mod reading;
pub mod safetensors;
pub mod split;
pub mod tensor;

use crate::fsutil::FileError;
use metadata::Metadata;
use std::path::{Path, PathBuf};
use tensor::Tensor;

/// Most bytes read from one file's header. Real headers are 1–10 MB (the tokenizer's vocabulary
/// and merges dominate); 64 MiB leaves room for huge vocabularies and refuses garbage early.
pub const HEADER_CAP: u64 = 64 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Gguf,
    Safetensors,
}

impl Format {
    pub fn json_name(self) -> &'static str {
        match self {
            Format::Gguf => "gguf",
            Format::Safetensors => "safetensors",
        }
    }
}

/// A model file's header as read.
#[derive(Debug, Clone)]
pub struct ModelFile {
    /// What the user named: a file, a split part, a folder.
    pub path: PathBuf,
    pub format: Format,
    /// Every file whose header was read (split parts, shards).
    pub parts: Vec<PathBuf>,
    pub tensors: Vec<Tensor>,
    /// GGUF key/values of the first part (empty for safetensors).
    pub metadata: Metadata,
    /// safetensors: the folder's `config.json` path and text.
    pub config: Option<(PathBuf, String)>,
    /// Size of all parts on disk.
    pub file_bytes: u64,
    /// Bytes read from disk to get here.
    pub bytes_read: u64,
}

fn error(path: &Path, message: String) -> FileError {
    FileError {
        file: path.display().to_string(),
        message,
    }
}

/// Reads a GGUF file or the whole split set it belongs to.
pub fn open_gguf(path: &Path) -> Result<ModelFile, FileError> {
    let parts = split::parts(path);
    let count = parts.len();
    if let Some((i, missing)) = parts.iter().enumerate().find(|(_, p)| !p.is_file()) {
        return Err(error(
            missing,
            format!(
                "is missing: part {} of the {count}-part set {} (incomplete download?)",
                i + 1,
                path.display()
            ),
        ));
    }
    let mut tensors: Vec<Tensor> = Vec::new();
    let mut metadata = Metadata::default();
    let (mut file_bytes, mut bytes_read) = (0, 0);
    for (i, part) in parts.iter().enumerate() {
        let (h, n) = reading::read_header(part, |r, len| gguf::parse(r, len, HEADER_CAP))?;
        bytes_read += n;
        file_bytes += h.file_len;
        match h.metadata.u64("split.count") {
            Some(c) if c as usize != count && count == 1 => {
                return Err(error(
                    part,
                    format!(
                        "is one part of a {c}-part split set, but its name does not follow NAME-00001-of-{c:05}.gguf, so the other parts cannot be found"
                    ),
                ))
            }
            Some(c) if c as usize != count => {
                return Err(error(
                    part,
                    format!("says its set has {c} parts, but its name says {count}"),
                ))
            }
            _ => {}
        }
        if let Some(no) = h.metadata.u64("split.no") {
            if no as usize != i {
                return Err(error(
                    part,
                    format!(
                        "says it is part {} of its set, but its name says part {}",
                        no + 1,
                        i + 1
                    ),
                ));
            }
        }
        if i == 0 {
            metadata = h.metadata;
        }
        tensors.extend(h.tensors);
    }
    if let Some(expected) = metadata.u64("split.tensors.count") {
        if expected != tensors.len() as u64 {
            return Err(error(
                path,
                format!(
                    "the set should hold {expected} tensors but its parts hold {}",
                    tensors.len()
                ),
            ));
        }
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = tensors.iter().find(|t| !seen.insert(t.name.as_str())) {
        return Err(error(
            path,
            format!("tensor `{}` appears in two parts", dup.name),
        ));
    }
    Ok(ModelFile {
        path: path.to_path_buf(),
        format: Format::Gguf,
        parts,
        tensors,
        metadata,
        config: None,
        file_bytes,
        bytes_read,
    })
}

/// Reads the model at `path`: a `.gguf` file (any part of a split set), a `.safetensors` file,
/// a `model.safetensors.index.json`, or a folder holding either.
pub fn open(path: &Path) -> Result<ModelFile, FileError> {
    if !path.exists() {
        return Err(error(path, "does not exist".into()));
    }
    let lower = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if path.is_dir() {
        if let Some(g) = folder::gguf_in(path)? {
            let has_safetensors = path.join(folder::INDEX).is_file();
            if !has_safetensors {
                return open_gguf(&g).map(|m| ModelFile {
                    path: path.to_path_buf(),
                    ..m
                });
            }
        }
    } else if lower.ends_with(".gguf") {
        return open_gguf(path);
    } else if !(lower.ends_with(".safetensors") || lower.ends_with(".json")) {
        return Err(error(
            path,
            "is not a model file: expected a .gguf file, a .safetensors file or a model folder"
                .into(),
        ));
    }
    let c = folder::open_checkpoint(path)?;
    Ok(ModelFile {
        path: path.to_path_buf(),
        format: Format::Safetensors,
        parts: c.shards,
        tensors: c.tensors,
        metadata: Metadata::default(),
        config: c.config,
        file_bytes: c.file_bytes,
        bytes_read: c.bytes_read,
    })
}
