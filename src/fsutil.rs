//! File reading errors that name the file, and writing that never leaves a half-written file.

use std::fmt;
use std::io::{Read, Write};
use std::path::Path;

/// Writes `bytes` to a temporary file in `path`'s folder, flushes it to disk, then renames it over
/// `path`: a crash or a full disk leaves either the old or the new file, never a mix. The new file
/// keeps the old one's permissions (a private scenario stays private).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        if let Ok(old) = std::fs::metadata(path) {
            f.set_permissions(old.permissions())?;
        }
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    #[cfg(unix)]
    if result.is_ok() {
        // Make the rename itself durable; the file is already complete, so a failure here
        // changes nothing the user could act on.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    result
}

/// `write_atomically` for files the user saves: the error names the file.
pub fn save(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    write_atomically(path, bytes).map_err(|e| FileError {
        file: path.display().to_string(),
        message: format!("cannot write: {e}"),
    })
}

/// A file that could not be read, parsed or written: the file and what went wrong (for parse
/// errors `line:column: message`, for invalid values the field).
#[derive(Debug, Clone, PartialEq)]
pub struct FileError {
    pub file: String,
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for FileError {}

/// A RON parse error as `line:column: message`, naming the field whose value is at fault when the
/// line shows one (`3:14: Integer is out of bounds (field `context`)`).
pub fn ron_error(text: &str, e: &ron::error::SpannedError) -> String {
    let (line, col) = (e.span.start.line, e.span.start.col);
    let before: String = text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .chars()
        .take(col.saturating_sub(1))
        .collect();
    let field = before.rsplit_once(':').and_then(|(head, _)| {
        let name = head
            .trim_end()
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()?;
        (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
    });
    match field {
        Some(f) => format!("{line}:{col}: {} (field `{f}`)", e.code),
        None => format!("{line}:{col}: {}", e.code),
    }
}

/// Largest scenario, hardware profile or config.json read: real ones are a few kilobytes, so a
/// bigger file is the wrong file, and reading it whole could exhaust memory.
pub const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a UTF-8 text file of at most `MAX_INPUT_BYTES`; returns its contents and its display name
/// for messages. A larger file is refused before it is read.
pub fn read_text(path: &Path) -> Result<(String, String), FileError> {
    let file = path.display().to_string();
    let fail = |message: String| FileError {
        file: file.clone(),
        message,
    };
    let cannot_read = |e: std::io::Error| fail(format!("cannot read: {e}"));
    let too_big = || {
        fail(format!(
            "is larger than {} MiB, the limit for scenario, hardware profile and config.json files; is it the right file?",
            MAX_INPUT_BYTES / (1024 * 1024)
        ))
    };
    let f = std::fs::File::open(path).map_err(cannot_read)?;
    if f.metadata().is_ok_and(|m| m.len() > MAX_INPUT_BYTES) {
        return Err(too_big());
    }
    // Devices and pipes report no length: read one byte past the limit to notice.
    let mut bytes = Vec::new();
    f.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_big());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, file)),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(fail(format!(
                "{line}:{column}: not UTF-8 text; save the file as UTF-8"
            )))
        }
    }
}
