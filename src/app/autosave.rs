//! Unsaved work kept for recovery after a crash, in its own file `autosave.ron` in the app's
//! storage folder. eframe writes its own storage file in place (truncate, write, no fsync), so a
//! crash during that write can empty it; that only costs preferences, but the autosave is the
//! user's work, so it goes through `fsutil::write_atomically` instead.

use super::state::Autosave;
use crate::fsutil::FileError;
use std::path::{Path, PathBuf};

/// The autosave file and what was last written to it.
pub struct AutosaveFile {
    path: PathBuf,
    written: Option<String>,
}

impl AutosaveFile {
    pub fn at(path: PathBuf) -> AutosaveFile {
        AutosaveFile {
            path,
            written: None,
        }
    }

    /// `autosave.ron` in eframe's storage folder for the app (on Linux
    /// `~/.local/share/deepseek-advisor/`).
    pub fn default_path() -> Option<PathBuf> {
        eframe::storage_dir(super::APP_ID).map(|d| d.join("autosave.ron"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The work left by the last session, if any. An unreadable file (written by a newer version,
    /// or edited) is moved aside to `autosave.ron.unreadable`, not deleted, and the error names it.
    pub fn load(&self) -> Result<Option<Autosave>, FileError> {
        if !self.path.exists() {
            return Ok(None);
        }
        let parsed = crate::fsutil::read_text(&self.path).and_then(|(text, file)| {
            ron::from_str(&text).map_err(|e| FileError {
                file,
                message: crate::fsutil::ron_error(&text, &e),
            })
        });
        parsed.map(Some).map_err(|mut e| {
            let aside = self.path.with_extension("ron.unreadable");
            if std::fs::rename(&self.path, &aside).is_ok() {
                e.message = format!("{} (kept as {})", e.message, aside.display());
            }
            e
        })
    }

    /// Writes the work atomically; does nothing when it is unchanged since the last write.
    pub fn store(&mut self, work: &Autosave) -> Result<(), FileError> {
        let text =
            ron::ser::to_string_pretty(work, ron::ser::PrettyConfig::default()).map_err(|e| {
                FileError {
                    file: self.path.display().to_string(),
                    message: format!("cannot serialize the work: {e}"),
                }
            })?;
        if self.written.as_ref() == Some(&text) {
            return Ok(());
        }
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        crate::fsutil::save(&self.path, text.as_bytes())?;
        self.written = Some(text);
        Ok(())
    }

    /// Removes the file once the work is saved or discarded.
    pub fn clear(&mut self) {
        if self.path.exists() {
            let _ = std::fs::remove_file(&self.path);
        }
        self.written = None;
    }
}
