//! Measurements kept with this machine's profile: `bench --save` adds a dated report to
//! `measurements.json` in the app's data folder, tagged with the machine it was measured on
//! (CPU, threads, RAM, GPUs as detected), so a home folder shared by several machines never
//! applies one machine's measurement to another. JSON because the file is written and read by
//! the program only (server kinds such as `llama.cpp` are not RON identifiers).

use super::run::BenchReport;
use crate::fsutil::FileError;
use crate::hardware::HardwareProfile;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Version written into the file; newer files are refused.
pub const STORE_VERSION: u32 = 1;
/// The file's name in the data folder.
pub const FILE_NAME: &str = "measurements.json";
/// Most measurements kept (oldest dropped first).
pub const MAX_KEPT: usize = 200;

/// Which machine a measurement belongs to: what detection reports and does not change between
/// runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MachineKey {
    pub cpu: String,
    pub logical_cores: u32,
    /// Installed RAM rounded to whole GB.
    pub ram_gb: u32,
    /// Each GPU as `name (N GB)`.
    pub gpus: Vec<String>,
}

impl MachineKey {
    /// The key of a profile; `None` for a profile without a CPU name (a machine described by
    /// flags rather than detected or saved), which no measurement belongs to.
    pub fn of(profile: &HardwareProfile) -> Option<MachineKey> {
        if profile.cpu.brand.trim().is_empty() {
            return None;
        }
        Some(MachineKey {
            cpu: profile.cpu.brand.trim().to_string(),
            logical_cores: profile.cpu.logical_cores,
            ram_gb: profile.ram_total_gb.round().clamp(0.0, u32::MAX as f64) as u32,
            gpus: profile
                .gpus
                .iter()
                .map(|g| format!("{} ({:.0} GB)", g.name, g.vram_total_gb))
                .collect(),
        })
    }

    /// `AMD EPYC 7B13, 2 threads, 24 GB RAM, NVIDIA GeForce RTX 4090 (24 GB)`.
    pub fn describe(&self) -> String {
        let mut parts = vec![
            self.cpu.clone(),
            format!("{} threads", self.logical_cores),
            format!("{} GB RAM", self.ram_gb),
        ];
        parts.extend(self.gpus.iter().cloned());
        parts.join(", ")
    }
}

/// One saved measurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedMeasurement {
    pub machine: MachineKey,
    pub report: BenchReport,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Store {
    pub version: u32,
    pub measurements: Vec<SavedMeasurement>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            version: STORE_VERSION,
            measurements: Vec::new(),
        }
    }
}

/// The app's data folder: `$XDG_DATA_HOME/deepseek-advisor` (else `~/.local/share/…`) on
/// Linux, `~/Library/Application Support/deepseek-advisor` on macOS, `%APPDATA%\deepseek-advisor`
/// on Windows — where the app keeps its settings.
pub fn data_dir() -> Option<PathBuf> {
    let env_dir = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let base = if cfg!(target_os = "windows") {
        env_dir("APPDATA")
    } else if cfg!(target_os = "macos") {
        env_dir("HOME").map(|h| h.join("Library").join("Application Support"))
    } else {
        env_dir("XDG_DATA_HOME").or_else(|| env_dir("HOME").map(|h| h.join(".local").join("share")))
    }?;
    Some(base.join("deepseek-advisor"))
}

/// Where measurements are kept, if there is a data folder.
pub fn default_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join(FILE_NAME))
}

fn plausible(r: &BenchReport) -> bool {
    r.results.iter().all(|l| {
        [
            l.ttft_s,
            l.prefill_tok_s,
            l.decode_tok_s,
            l.aggregate_tok_s,
            l.ttft_s_range.0,
            l.ttft_s_range.1,
            l.decode_tok_s_range.0,
            l.decode_tok_s_range.1,
        ]
        .iter()
        .all(|x| x.is_finite() && *x >= 0.0 && *x < 1e9)
            && l.concurrency > 0
    })
}

impl Store {
    /// Reads the file; a missing file is an empty store. Values that are not finite and
    /// positive make the file an error (it was edited or damaged), naming the file.
    pub fn load(path: &Path) -> Result<Store, FileError> {
        if !path.exists() {
            return Ok(Store::default());
        }
        let (text, file) = crate::fsutil::read_text(path)?;
        let store: Store = serde_json::from_str(&text).map_err(|e| FileError {
            file: file.clone(),
            message: format!("{}:{}: {e}", e.line(), e.column()),
        })?;
        if store.version > STORE_VERSION {
            return Err(FileError {
                file,
                message: format!(
                    "version {} is newer than this program understands ({STORE_VERSION}); update deepseek-advisor",
                    store.version
                ),
            });
        }
        if let Some(i) = store
            .measurements
            .iter()
            .position(|m| !plausible(&m.report))
        {
            return Err(FileError {
                file,
                message: format!(
                    "measurement {}: a figure is not a finite, positive number",
                    i + 1
                ),
            });
        }
        Ok(store)
    }

    /// Adds a measurement of `machine`, replacing an older one of the same server kind, model
    /// and quant on that machine, keeping at most `MAX_KEPT`.
    pub fn add(&mut self, machine: MachineKey, report: BenchReport) {
        let same = |m: &SavedMeasurement| {
            m.machine == machine
                && m.report.server.kind == report.server.kind
                && m.report.server.model == report.server.model
                && m.report.server.quant == report.server.quant
        };
        self.measurements.retain(|m| !same(m));
        self.measurements.push(SavedMeasurement { machine, report });
        let extra = self.measurements.len().saturating_sub(MAX_KEPT);
        self.measurements.drain(..extra);
    }

    /// Writes the file atomically (creating the folder).
    pub fn save(&self, path: &Path) -> Result<(), FileError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| FileError {
                file: dir.display().to_string(),
                message: format!("cannot create the folder: {e}"),
            })?;
        }
        let text = serde_json::to_string_pretty(self).map_err(|e| FileError {
            file: path.display().to_string(),
            message: e.to_string(),
        })?;
        crate::fsutil::save(path, text.as_bytes())
    }

    /// The measurements of `machine`, newest first.
    pub fn for_machine<'a>(
        &'a self,
        machine: &'a MachineKey,
    ) -> impl Iterator<Item = &'a BenchReport> {
        self.measurements
            .iter()
            .rev()
            .filter(move |m| &m.machine == machine)
            .map(|m| &m.report)
    }
}

/// The measurements saved for the machine `profile` describes (none for a described machine,
/// an unreadable file or no data folder; the error, if any, for the caller to mention).
pub fn saved_for(profile: &HardwareProfile) -> (Vec<BenchReport>, Option<FileError>) {
    let (Some(key), Some(path)) = (MachineKey::of(profile), default_path()) else {
        return (Vec::new(), None);
    };
    match Store::load(&path) {
        Ok(s) => (s.for_machine(&key).cloned().collect(), None),
        Err(e) => (Vec::new(), Some(e)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::bench::run::LevelResult;
    use crate::bench::server::{ServerInfo, ServerKind};

    pub fn report(model: &str, quant: &str, decode: f64) -> BenchReport {
        BenchReport {
            server: ServerInfo {
                kind: ServerKind::Ollama,
                url: "http://127.0.0.1:11434".into(),
                model: model.into(),
                catalog_model: crate::bench::catalog_map::catalog_model(
                    crate::catalog::Catalog::get(),
                    &[model],
                )
                .map(|m| m.id.clone()),
                quant: Some(quant.into()),
                version: Some("0.12.0".into()),
                model_path: None,
            },
            date: "2026-12-06".into(),
            prompt_tokens: 512,
            max_tokens: 128,
            results: vec![LevelResult {
                concurrency: 1,
                ttft_s: 0.5,
                prefill_tok_s: 1000.0,
                decode_tok_s: decode,
                aggregate_tok_s: decode * 0.9,
                requests: 3,
                ttft_s_range: (0.4, 0.6),
                decode_tok_s_range: (decode * 0.95, decode * 1.05),
                prompt_tokens: 530,
                output_tokens: 128,
            }],
        }
    }

    pub fn profile() -> HardwareProfile {
        let mut p = HardwareProfile::default();
        p.cpu.brand = "Test CPU 9000".into();
        p.cpu.logical_cores = 16;
        p.cpu.physical_cores = 8;
        p.cpu.mem_bw_gbs = 80.0;
        p.ram_total_gb = 63.8;
        p
    }

    #[test]
    fn saved_measurements_belong_to_their_machine_and_replace_older_ones() {
        let dir = std::env::temp_dir().join(format!("dsa-store-{}", std::process::id()));
        let path = dir.join(FILE_NAME);
        let _ = std::fs::remove_dir_all(&dir);
        let me = MachineKey::of(&profile()).unwrap();
        assert_eq!(me.ram_gb, 64);
        assert_eq!(me.describe(), "Test CPU 9000, 16 threads, 64 GB RAM");
        let mut other = me.clone();
        other.cpu = "Other CPU".into();
        let mut s = Store::load(&path).unwrap();
        s.add(me.clone(), report("deepseek-r1:7b", "Q4_K_M", 10.0));
        s.add(other.clone(), report("deepseek-r1:7b", "Q4_K_M", 99.0));
        s.add(me.clone(), report("deepseek-r1:7b", "Q4_K_M", 12.0));
        s.add(me.clone(), report("deepseek-r1:1.5b", "Q4_K_M", 40.0));
        s.save(&path).unwrap();
        let back = Store::load(&path).unwrap();
        assert_eq!(back.measurements.len(), 3);
        let mine: Vec<f64> = back
            .for_machine(&me)
            .map(|r| r.results[0].decode_tok_s)
            .collect();
        assert_eq!(mine, [40.0, 12.0]);
        // A described machine has no key; a damaged file is an error naming the file.
        assert!(MachineKey::of(&HardwareProfile::default()).is_none());
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replacen("40.0", "-1.0", 1);
        std::fs::write(&path, text).unwrap();
        let e = Store::load(&path).unwrap_err().to_string();
        assert!(e.contains(FILE_NAME) && e.contains("finite"), "{e}");
        std::fs::write(&path, "{").unwrap();
        assert!(Store::load(&path).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
