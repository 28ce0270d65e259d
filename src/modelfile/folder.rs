//! Hugging Face checkpoint folders: `model.safetensors.index.json` names the shards (else every
//! `*.safetensors` file), each shard's JSON header gives its tensors, and `config.json` the
//! architecture. A folder holding GGUF files instead is read as its GGUF set.

use super::reading::{read_header, read_small_text};
use super::{safetensors, tensor::Tensor, HEADER_CAP};
use crate::fsutil::FileError;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

pub const INDEX: &str = "model.safetensors.index.json";
pub const CONFIG: &str = "config.json";
/// config.json files are a few KiB.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The shards and tensors of a safetensors checkpoint.
pub struct Checkpoint {
    pub shards: Vec<PathBuf>,
    pub tensors: Vec<Tensor>,
    pub file_bytes: u64,
    pub bytes_read: u64,
    /// `config.json` text and path, when the folder has one.
    pub config: Option<(PathBuf, String)>,
}

fn error(path: &Path, message: String) -> FileError {
    FileError {
        file: path.display().to_string(),
        message,
    }
}

fn files_with_suffix(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>, FileError> {
    let entries = std::fs::read_dir(dir).map_err(|e| error(dir, format!("cannot list: {e}")))?;
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.to_ascii_lowercase().ends_with(suffix))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// The GGUF file a folder holds: its only file, or the first part of its only split set.
pub fn gguf_in(dir: &Path) -> Result<Option<PathBuf>, FileError> {
    let files = files_with_suffix(dir, ".gguf")?;
    let firsts: Vec<&PathBuf> = files
        .iter()
        .filter(|p| super::split::parts(p).first() == Some(*p))
        .filter(|p| {
            // Projector files of multimodal models sit beside the model.
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.to_ascii_lowercase().starts_with("mmproj"))
        })
        .collect();
    match firsts.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some((*one).clone())),
        many => Err(error(
            dir,
            format!(
                "holds {} GGUF models ({}); choose one file",
                many.len(),
                many.iter()
                    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// Shards listed in an index, with the tensors each should hold.
fn read_index(path: &Path) -> Result<Vec<(PathBuf, Vec<String>)>, FileError> {
    let text = read_small_text(path, HEADER_CAP)?;
    let v: Value = serde_json::from_str(&text).map_err(|e| {
        error(
            path,
            format!(
                "line {}, column {}: invalid JSON: {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    let map = v
        .get("weight_map")
        .and_then(Value::as_object)
        .ok_or_else(|| error(path, "has no `weight_map` object".into()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut shards: HashMap<String, Vec<String>> = HashMap::new();
    for (tensor, file) in map {
        let file = file.as_str().ok_or_else(|| {
            error(
                path,
                format!("weight_map entry `{tensor}` is not a file name"),
            )
        })?;
        if file.contains('/') || file.contains('\\') || file == ".." {
            return Err(error(
                path,
                format!("weight_map entry `{tensor}` points outside the folder: `{file}`"),
            ));
        }
        shards
            .entry(file.to_string())
            .or_default()
            .push(tensor.clone());
    }
    let mut out: Vec<(PathBuf, Vec<String>)> =
        shards.into_iter().map(|(f, t)| (dir.join(f), t)).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Reads a checkpoint from a folder, its index, or one of its `.safetensors` files.
pub fn open_checkpoint(path: &Path) -> Result<Checkpoint, FileError> {
    let dir = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().unwrap_or(Path::new(".")).to_path_buf()
    };
    let index = dir.join(INDEX);
    let given_file = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("safetensors"))
        .then(|| path.to_path_buf());
    let listed: Vec<(PathBuf, Option<Vec<String>>)> = if index.is_file() {
        let shards = read_index(&index)?;
        let lists_given = given_file
            .as_ref()
            .is_none_or(|g| shards.iter().any(|(s, _)| s == g));
        if lists_given {
            shards.into_iter().map(|(s, t)| (s, Some(t))).collect()
        } else {
            vec![(path.to_path_buf(), None)]
        }
    } else if let Some(g) = given_file {
        vec![(g, None)]
    } else {
        files_with_suffix(&dir, ".safetensors")?
            .into_iter()
            .map(|s| (s, None))
            .collect()
    };
    if listed.is_empty() {
        return Err(error(
            &dir,
            format!("has no .safetensors files, no {INDEX} and no .gguf file"),
        ));
    }
    let mut tensors = Vec::new();
    let (mut file_bytes, mut bytes_read) = (0, 0);
    let mut names = BTreeSet::new();
    for (shard, expected) in &listed {
        if !shard.is_file() {
            return Err(error(
                shard,
                format!(
                    "is missing: {} lists it as a shard (incomplete download?)",
                    INDEX
                ),
            ));
        }
        let (h, n) = read_header(shard, |r, len| safetensors::parse(r, len, HEADER_CAP))?;
        bytes_read += n;
        file_bytes += h.file_len;
        if let Some(expected) = expected {
            let have: BTreeSet<&str> = h.tensors.iter().map(|t| t.name.as_str()).collect();
            if let Some(missing) = expected.iter().find(|t| !have.contains(t.as_str())) {
                return Err(error(
                    shard,
                    format!("has no tensor `{missing}`, which {INDEX} places in it"),
                ));
            }
        }
        for t in h.tensors {
            if !names.insert(t.name.clone()) {
                return Err(error(
                    shard,
                    format!("tensor `{}` appears in two shards", t.name),
                ));
            }
            tensors.push(t);
        }
    }
    let config_path = dir.join(CONFIG);
    let config = if config_path.is_file() {
        Some((
            config_path.clone(),
            read_small_text(&config_path, MAX_CONFIG_BYTES)?,
        ))
    } else {
        None
    };
    Ok(Checkpoint {
        shards: listed.into_iter().map(|(s, _)| s).collect(),
        tensors,
        file_bytes,
        bytes_read,
        config,
    })
}
