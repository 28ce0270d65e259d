//! The Verdict tab's headline and models × quants grid as plain text and levels, estimated once
//! per machine, runtime, context and language. The estimates behind them (every model × quant, on
//! every runtime when the runtime is on auto) take a few milliseconds; the grid is drawn every
//! frame the pointer moves over it, so it draws from this copy.

use crate::app::i18n;
use crate::catalog::Catalog;
use crate::estimate::best::{best_index, best_per_model};
use crate::estimate::grid::{deepseek_models, model_fits, RuntimeChoice};
use crate::estimate::verdict::{speed_range, VerdictLevel};
use crate::estimate::Fit;
use crate::hardware::profile::HardwareProfile;
use crate::hardware::Machine;
use crate::lang::Lang;
use crate::scenario::ScenarioHardware;

/// What the grid was computed for: the scenario's hardware (snapshot and what-if), the detected
/// profile, the runtime choice, the context and the language of its texts.
#[derive(Debug, Clone, PartialEq)]
pub struct GridKey {
    pub hardware: ScenarioHardware,
    pub detected: Option<HardwareProfile>,
    pub runtime: RuntimeChoice,
    pub context: u32,
    pub lang: Lang,
}

/// One cell: the verdict, the text on the button and the memory breakdown in its tooltip.
#[derive(Debug, Clone)]
pub struct GridCell {
    pub level: VerdictLevel,
    pub text: String,
    pub tooltip: String,
}

/// One model's row; `cells` is aligned with `VerdictGrid::quants` (None: no such file).
#[derive(Debug, Clone)]
pub struct GridRow {
    pub model_id: String,
    pub model_name: String,
    pub cells: Vec<Option<GridCell>>,
}

#[derive(Debug, Clone)]
pub struct VerdictGrid {
    pub key: GridKey,
    pub headline: String,
    /// Column heads: the quants that have a cell in some row, in catalog order.
    pub quants: Vec<String>,
    pub rows: Vec<GridRow>,
}

impl VerdictGrid {
    /// Estimates every DeepSeek model × quant on `machine` (the machine `key` describes).
    pub fn compute(key: GridKey, machine: &Machine) -> Self {
        let catalog = Catalog::get();
        let fits: Vec<(&crate::catalog::schema::ModelEntry, Vec<Fit>)> = deepseek_models(catalog)
            .map(|m| {
                let fits = model_fits(catalog, m, machine, key.runtime, key.context)
                    .filter(|f| f.quant.body_bpw <= 16.0)
                    .collect();
                (m, fits)
            })
            .collect();
        let quants: Vec<String> = catalog
            .quants
            .quants
            .iter()
            .filter(|q| {
                fits.iter()
                    .any(|(_, fs)| fs.iter().any(|f| f.quant.id == q.id))
            })
            .map(|q| q.id.clone())
            .collect();
        let rows = fits
            .iter()
            .map(|(model, fs)| GridRow {
                model_id: model.id.clone(),
                model_name: model.name.clone(),
                cells: quants
                    .iter()
                    .map(|q| {
                        fs.iter()
                            .find(|f| f.quant.id == *q)
                            .map(|f| cell(f, key.lang))
                    })
                    .collect(),
            })
            .collect();
        let headline = headline(machine, key.runtime, key.context, key.lang);
        VerdictGrid {
            key,
            headline,
            quants,
            rows,
        }
    }
}

/// The headline sentence: the best model × quant on the machine, or that nothing fits.
fn headline(machine: &Machine, runtime: RuntimeChoice, context: u32, lang: Lang) -> String {
    let results = best_per_model(Catalog::get(), machine, runtime, context);
    match best_index(&results) {
        Some(i) => {
            let f = &results[i].fit;
            i18n::headline(
                lang,
                &f.model.name,
                &f.quant.id,
                f.verdict.level,
                &speed_range(f.speed.decode_low, f.speed.decode_high),
            )
        }
        None => i18n::texts(lang).none_fits.to_string(),
    }
}

fn cell(f: &Fit, lang: Lang) -> GridCell {
    let text = if f.verdict.level == VerdictLevel::DoesNotFit {
        "×".to_string()
    } else if f.speed.decode < 10.0 {
        format!("{:.1}", f.speed.decode)
    } else {
        format!("{:.0}", f.speed.decode)
    };
    GridCell {
        level: f.verdict.level,
        text,
        tooltip: memory_tooltip(f, lang),
    }
}

fn memory_tooltip(f: &Fit, lang: Lang) -> String {
    let t = i18n::texts(lang);
    let split = crate::estimate::explain::tier_split(f, lang);
    let placement = if split.is_empty() {
        f.placement.kind.json_name().to_string()
    } else {
        format!("{} ({split})", f.placement.kind.json_name())
    };
    format!(
        "{}: {:.1} GB\n{}: {:.1} GB\n{}: {:.1} GB\n{}: {:.1} GB\n{}: {}\n{}",
        t.weights,
        f.weights.bytes / 1e9,
        t.kv_cache,
        f.kv_bytes / 1e9,
        t.overhead,
        f.overhead_bytes() / 1e9,
        t.total,
        f.total_bytes() / 1e9,
        t.placement,
        placement,
        f.verdict.reason(lang)
    )
}
