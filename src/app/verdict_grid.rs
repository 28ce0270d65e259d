//! The Verdict tab's headline and models × quants grid as plain text and levels, estimated once
//! per machine, runtime, context and language. The estimates behind them (every model × quant, on
//! every runtime when the runtime is on auto) take a few milliseconds; the grid is drawn every
//! frame the pointer moves over it, so it draws from this copy.
//!
//! Rows come in the order of what the machine can do with each model (its best file's verdict:
//! runs well, runs, runs slowly), then the strongest models that don't fit with what it would take
//! (as `check` lists them), then the other models that don't fit, which the tab folds into one
//! line. Columns are either the precision classes (each cell the best file of its class) or one
//! per file.

use crate::app::i18n;
use crate::catalog::schema::ModelEntry;
use crate::catalog::Catalog;
use crate::estimate::best::{add_would_take, best_index, best_per_model, better, ModelResult};
use crate::estimate::grid::{deepseek_models, model_fits, RuntimeChoice};
use crate::estimate::precision::PrecisionClass;
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

/// One cell: the verdict, the text on the button (the speed, or × where it does not fit) and
/// the memory breakdown in its tooltip.
#[derive(Debug, Clone)]
pub struct GridCell {
    pub level: VerdictLevel,
    pub text: String,
    pub tooltip: String,
}

/// Where a row stands on the first screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowGroup {
    /// The model runs (comfortably, tightly or slowly).
    Runs,
    /// One of the strongest models that don't fit, shown with what it would take.
    WouldTake,
    /// Another model that doesn't fit: folded into one line until opened.
    DoesNotFit,
}

/// One model's row; `cells` is aligned with `VerdictGrid::quants` (None: no such file) and
/// `class_cells` with `VerdictGrid::classes` (the index in `quants` of the class's best file).
#[derive(Debug, Clone)]
pub struct GridRow {
    pub model_id: String,
    pub model_name: String,
    pub group: RowGroup,
    /// The file `check` picks for the model on this machine, and its verdict.
    pub best: Option<(String, VerdictLevel)>,
    /// What would make it fit (for `RowGroup::WouldTake`), one sentence each.
    pub would_take: Vec<String>,
    pub cells: Vec<Option<GridCell>>,
    pub class_cells: Vec<Option<usize>>,
}

#[derive(Debug, Clone)]
pub struct VerdictGrid {
    pub key: GridKey,
    pub headline: String,
    /// The model × quant the headline names (else the closest to fitting): the detail shows it
    /// until a cell is clicked.
    pub headline_cell: Option<(String, String)>,
    /// Column heads of the per-file view: the quants that have a cell in some row, in catalog
    /// order.
    pub quants: Vec<String>,
    /// Column heads of the precision view: the classes that have a cell in some row.
    pub classes: Vec<PrecisionClass>,
    pub rows: Vec<GridRow>,
}

impl VerdictGrid {
    /// Estimates every DeepSeek model × quant on `machine` (the machine `key` describes).
    pub fn compute(key: GridKey, machine: &Machine) -> Self {
        let catalog = Catalog::get();
        let mut results = best_per_model(catalog, machine, key.runtime, key.context);
        add_would_take(catalog, machine, &mut results);
        let fits: Vec<(&ModelEntry, Vec<Fit>)> = deepseek_models(catalog)
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
        let classes: Vec<PrecisionClass> = PrecisionClass::ALL
            .into_iter()
            .filter(|c| {
                fits.iter()
                    .any(|(_, fs)| fs.iter().any(|f| PrecisionClass::of(f.quant) == *c))
            })
            .collect();
        let mut rows: Vec<GridRow> = fits
            .iter()
            .map(|(model, fs)| {
                let result = results.iter().find(|r| r.fit.model.id == model.id);
                row(model, fs, result, &quants, &classes, key.lang)
            })
            .collect();
        // Runs first (best verdict first, then catalog order: strongest first), then the models
        // with what it would take, then the rest; `sort_by_key` keeps catalog order within each.
        rows.sort_by_key(|r| {
            (
                r.group != RowGroup::Runs,
                r.group == RowGroup::DoesNotFit,
                std::cmp::Reverse(r.best.as_ref().map(|b| b.1)),
            )
        });
        let best = best_index(&results);
        let headline = match best {
            Some(i) => {
                let f = &results[i].fit;
                i18n::headline(
                    key.lang,
                    &f.model.name,
                    &f.quant.id,
                    f.verdict.level,
                    &speed_range(f.speed.decode_low, f.speed.decode_high),
                )
            }
            None => i18n::texts(key.lang).none_fits.to_string(),
        };
        // Nothing runs: the detail shows the first model with what it would take.
        let headline_cell = best
            .map(|i| &results[i].fit)
            .map(|f| (f.model.id.clone(), f.quant.id.clone()))
            .or_else(|| {
                rows.iter().find_map(|r| {
                    r.best
                        .as_ref()
                        .map(|(q, _)| (r.model_id.clone(), q.clone()))
                })
            });
        VerdictGrid {
            key,
            headline,
            headline_cell,
            quants,
            classes,
            rows,
        }
    }

    /// How many rows the first screen folds into one line.
    pub fn folded(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.group == RowGroup::DoesNotFit)
            .count()
    }
}

fn row(
    model: &ModelEntry,
    fits: &[Fit],
    result: Option<&ModelResult>,
    quants: &[String],
    classes: &[PrecisionClass],
    lang: Lang,
) -> GridRow {
    let best = result.map(|r| (r.fit.quant.id.clone(), r.fit.verdict.level));
    let group = match result {
        Some(r) if r.fit.verdict.level != VerdictLevel::DoesNotFit => RowGroup::Runs,
        Some(r) if !r.changes.is_empty() => RowGroup::WouldTake,
        _ => RowGroup::DoesNotFit,
    };
    let class_cells = classes
        .iter()
        .map(|c| {
            let best_in_class = fits
                .iter()
                .filter(|f| PrecisionClass::of(f.quant) == *c)
                .max_by(|a, b| better(a, b))?;
            quants.iter().position(|q| *q == best_in_class.quant.id)
        })
        .collect();
    GridRow {
        model_id: model.id.clone(),
        model_name: model.name.clone(),
        group,
        best,
        would_take: result.map_or_else(Vec::new, |r| {
            r.changes.iter().map(|c| c.describe(lang)).collect()
        }),
        cells: quants
            .iter()
            .map(|q| {
                fits.iter()
                    .find(|f| f.quant.id == *q)
                    .map(|f| cell(f, lang))
            })
            .collect(),
        class_cells,
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
        f.placement.kind.json_name(),
        f.verdict.reason(lang)
    )
}
