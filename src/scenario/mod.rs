//! Scenario files (DESIGN.md §6): everything a user chose, as human-editable RON with `version: 1`
//! first. Unknown fields are ignored and missing ones take defaults; a newer version is refused;
//! errors name the file, line:column and field; saving is atomic.

use crate::catalog::schema::Runtime;
use crate::catalog::Catalog;
use crate::hardware::machine::MAX_GPUS;
use crate::hardware::profile::HardwareProfile;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const SCENARIO_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    pub version: u32,
    pub name: String,
    pub notes: String,
    pub hardware: ScenarioHardware,
    pub selection: Selection,
    /// Workload, constraints, deployment and prices for the cost model.
    pub costs: crate::cost::CostInputs,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            version: SCENARIO_VERSION,
            name: "Untitled".into(),
            notes: String::new(),
            hardware: ScenarioHardware::default(),
            selection: Selection::default(),
            costs: crate::cost::CostInputs::default(),
        }
    }
}

/// The machine: a saved snapshot (so a colleague sees the same hardware) and what-if edits.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ScenarioHardware {
    /// The hardware the scenario was made on; `None` means "this machine, as detected".
    pub profile: Option<HardwareProfile>,
    pub what_if: WhatIf,
}

/// Hypothetical hardware replacing the detected one while `enabled`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WhatIf {
    pub enabled: bool,
    pub gpus: Vec<WhatIfGpu>,
    pub ram_gb: f64,
    pub cpu_mem_bw_gbs: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhatIfGpu {
    /// Catalog GPU id.
    pub id: String,
    pub count: u32,
}

/// The model the detail view shows and the grid's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Selection {
    pub model: Option<String>,
    pub quant: Option<String>,
    pub runtime: Runtime,
    pub context: u32,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            model: None,
            quant: None,
            runtime: Runtime::LlamaCpp,
            context: 8192,
        }
    }
}

/// A scenario that could not be read or written.
pub type ScenarioError = crate::fsutil::FileError;

impl Scenario {
    pub fn from_ron(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
        let err = |message: String| ScenarioError {
            file: file.into(),
            message,
        };
        let s: Scenario =
            ron::from_str(text).map_err(|e| err(crate::fsutil::ron_error(text, &e)))?;
        if s.version > SCENARIO_VERSION {
            return Err(err(format!(
                "field `version`: {} is newer than this program understands ({SCENARIO_VERSION}); update deepseek-advisor",
                s.version
            )));
        }
        s.validate(Catalog::get()).map_err(err)?;
        Ok(s)
    }

    /// Checks values serde cannot: ids that exist, numbers in range. Names the field.
    pub fn validate(&self, catalog: &Catalog) -> Result<(), String> {
        let sel = &self.selection;
        if sel.context == 0 {
            return Err("field `selection.context` must be at least 1".into());
        }
        if let Some(m) = &sel.model {
            catalog
                .model(m)
                .map_err(|e| format!("field `selection.model`: {e}"))?;
        }
        if let Some(q) = &sel.quant {
            catalog
                .quant(q)
                .map_err(|e| format!("field `selection.quant`: {e}"))?;
        }
        self.costs
            .validate()
            .map_err(|e| e.replacen("field `", "field `costs.", 1))?;
        if let Some(p) = &self.hardware.profile {
            p.check_numbers()
                .map_err(|e| e.replacen("field `", "field `hardware.profile.", 1))?;
        }
        let w = &self.hardware.what_if;
        for (field, v) in [("ram_gb", w.ram_gb), ("cpu_mem_bw_gbs", w.cpu_mem_bw_gbs)] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!(
                    "field `hardware.what_if.{field}` must be a number ≥ 0, got {v}"
                ));
            }
        }
        let total: u64 = w.gpus.iter().map(|g| u64::from(g.count)).sum();
        if total > u64::from(MAX_GPUS) {
            return Err(format!(
                "field `hardware.what_if.gpus`: {total} GPUs in all is beyond one machine (at most {MAX_GPUS})"
            ));
        }
        for (i, g) in w.gpus.iter().enumerate() {
            catalog
                .gpu(&g.id)
                .map_err(|e| format!("field `hardware.what_if.gpus[{i}].id`: {e}"))?;
            if g.count == 0 || g.count > MAX_GPUS {
                return Err(format!(
                    "field `hardware.what_if.gpus[{i}].count` must be 1–{MAX_GPUS}"
                ));
            }
        }
        Ok(())
    }

    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let (text, file) = crate::fsutil::read_text(path)?;
        Scenario::from_ron(&text, &file)
    }

    pub fn to_ron(&self) -> String {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .unwrap_or_else(|e| format!("// could not serialize the scenario: {e}\n"))
    }

    /// Atomic save: temp file in the same folder, fsync, rename.
    pub fn save(&self, path: &Path) -> Result<(), ScenarioError> {
        // Serialized here rather than with `to_ron`, whose fallback text must never replace a file.
        let text =
            ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default()).map_err(|e| {
                crate::fsutil::FileError {
                    file: path.display().to_string(),
                    message: format!("cannot write: the scenario could not be serialized: {e}"),
                }
            })?;
        crate::fsutil::save(path, text.as_bytes())
    }
}
