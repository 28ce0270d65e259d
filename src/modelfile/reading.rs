//! Opening one file and reading its header through a counter, so callers know how many bytes
//! came from disk.

use crate::fsutil::FileError;
use std::io::{BufReader, Read};
use std::path::Path;

/// Counts the bytes read from the file underneath a buffer.
struct Counting<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// Buffer between the file and the parser: big enough for few system calls, small next to the cap.
const BUFFER: usize = 64 * 1024;

/// Opens `path` and runs `parse(reader, file_len)` on it. Returns the parsed header and the
/// bytes read from disk; errors name the file.
pub fn read_header<T>(
    path: &Path,
    parse: impl FnOnce(&mut dyn Read, u64) -> Result<T, String>,
) -> Result<(T, u64), FileError> {
    let err = |message: String| FileError {
        file: path.display().to_string(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| err(format!("cannot open: {e}")))?;
    let meta = file
        .metadata()
        .map_err(|e| err(format!("cannot read its size: {e}")))?;
    if meta.is_dir() {
        return Err(err("is a folder, not a file".into()));
    }
    let mut reader = BufReader::with_capacity(
        BUFFER,
        Counting {
            inner: file,
            count: 0,
        },
    );
    let parsed = parse(&mut reader, meta.len()).map_err(err)?;
    Ok((parsed, reader.get_ref().count))
}

/// Reads a small text file (config.json, an index) of at most `max` bytes.
pub fn read_small_text(path: &Path, max: u64) -> Result<String, FileError> {
    let err = |message: String| FileError {
        file: path.display().to_string(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| err(format!("cannot open: {e}")))?;
    let mut text = String::new();
    file.take(max + 1)
        .read_to_string(&mut text)
        .map_err(|e| err(format!("cannot read: {e}")))?;
    if text.len() as u64 > max {
        return Err(err(format!("is larger than {} MiB", max >> 20)));
    }
    Ok(text)
}
