//! Scenario files (DESIGN.md §6): everything a user chose, as human-editable RON with `version: 1`
//! first. Unknown fields are ignored and missing ones take defaults; a newer version is refused;
//! errors name the file, line:column and field; saving is atomic.

use crate::catalog::schema::Runtime;
use crate::catalog::Catalog;
use crate::hardware::machine::MAX_GPUS;
use crate::hardware::profile::HardwareProfile;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub mod file_type;
mod machine;

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
    /// The runtime the grid uses unless `auto_runtime`.
    pub runtime: Runtime,
    /// Each cell on the best runtime that can run it here. Files saved before this field existed
    /// keep the runtime they were saved with.
    #[serde(default)]
    pub auto_runtime: bool,
    pub context: u32,
    /// Speculative decoding in the cell detail, where the runtime offers it for the model.
    pub speculative: Option<crate::catalog::schema::SpeculativeKind>,
    /// Users served at once in the cell detail (1 = one person).
    #[serde(default = "one_user")]
    pub concurrency: u32,
}

fn one_user() -> u32 {
    1
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            model: None,
            quant: None,
            runtime: Runtime::LlamaCpp,
            auto_runtime: true,
            context: 8192,
            speculative: None,
            concurrency: 1,
        }
    }
}

impl Selection {
    /// The options the selected cell is estimated with: the chosen runtime (on auto, the best
    /// that can run it here for that many users, else the quant's first, whose refusal then says
    /// why), the context clamped to the model, the users at once, and speculative decoding where
    /// that runtime offers it.
    pub fn fit_options(
        &self,
        model: &crate::catalog::schema::ModelEntry,
        quant: &crate::catalog::schema::QuantEntry,
        machine: &crate::hardware::Machine,
    ) -> crate::estimate::FitOptions {
        use crate::estimate::grid::chosen_options;
        use crate::estimate::{speculative_offered, FitOptions};
        let template = FitOptions {
            concurrency: self.concurrency.clamp(1, crate::estimate::MAX_CONCURRENCY),
            ..FitOptions::new(
                *quant.runtimes.first().unwrap_or(&self.runtime),
                self.context.clamp(1, model.arch.max_context),
            )
        };
        let options = chosen_options(model, quant, machine, self.runtime_choice(), template);
        let offered = speculative_offered(model, options.runtime);
        FitOptions {
            speculative: self.speculative.filter(|k| offered.contains(k)),
            ..options
        }
    }

    /// The runtime choice the grid and the detail view use.
    pub fn runtime_choice(&self) -> crate::estimate::grid::RuntimeChoice {
        use crate::estimate::grid::RuntimeChoice;
        if self.auto_runtime {
            RuntimeChoice::Auto
        } else {
            RuntimeChoice::One(self.runtime)
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
