//! Writing the generated files into the output folder: names are ours and checked, nothing lands
//! outside the folder, an existing non-empty folder is kept unless forced, and each file is
//! written atomically (a symlink in the folder is replaced, never followed).

use super::GeneratedFile;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum WriteError {
    /// The folder exists and holds files; `--force` overwrites ours.
    NotEmpty(PathBuf),
    /// The path exists and is not a folder.
    NotAFolder(PathBuf),
    /// A generated name that is not a plain file name (a bug).
    BadName(String),
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::NotEmpty(p) => write!(
                f,
                "--out {}: the folder is not empty; choose an empty or new folder, or pass --force to overwrite",
                p.display()
            ),
            WriteError::NotAFolder(p) => write!(f, "--out {}: exists and is not a folder", p.display()),
            WriteError::BadName(n) => write!(f, "internal: generated file name {n:?} is not a plain name"),
            WriteError::Io(p, e) => write!(f, "{}: cannot write: {e}", p.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// A plain file name: letters, digits, '.', '-', '_'; not starting with '.'.
pub fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// Writes `files` into `dir` and returns their paths.
pub fn write_into(
    dir: &Path,
    files: &[GeneratedFile],
    force: bool,
) -> Result<Vec<PathBuf>, WriteError> {
    if let Some(bad) = files.iter().find(|f| !plain_name(&f.name)) {
        return Err(WriteError::BadName(bad.name.clone()));
    }
    match std::fs::symlink_metadata(dir) {
        Ok(m) if !m.is_dir() => return Err(WriteError::NotAFolder(dir.to_path_buf())),
        Ok(_) => {
            let mut entries =
                std::fs::read_dir(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
            if entries.next().is_some() && !force {
                return Err(WriteError::NotEmpty(dir.to_path_buf()));
            }
        }
        Err(_) => std::fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?,
    }
    let mut written = Vec::new();
    for f in files {
        let path = dir.join(&f.name);
        crate::fsutil::write_atomically(&path, f.contents.as_bytes())
            .map_err(|e| WriteError::Io(path.clone(), e))?;
        #[cfg(unix)]
        if f.executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| WriteError::Io(path.clone(), e))?;
        }
        written.push(path);
    }
    Ok(written)
}
