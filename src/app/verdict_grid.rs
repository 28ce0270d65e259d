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
use crate::catalog::schema::{ModelEntry, Tuning};
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
    /// The model runs (comfortably, tightly or slowly), and is one of the first screen's rows.
    Runs,
    /// The model runs too, but is folded into the one line until opened: a checkpoint that is not
    /// chat-tuned (base, R1-Zero, prover), or a runner ranked below the first
    /// `FIRST_SCREEN_RUNS`, so the strongest models that don't fit stay on the first screen as the
    /// catalog grows.
    MoreRuns,
    /// One of the strongest models that don't fit, shown with what it would take.
    WouldTake,
    /// Another model that doesn't fit: folded into one line until opened.
    DoesNotFit,
}

impl RowGroup {
    /// Where the group's rows stand in the grid.
    fn rank(self) -> u8 {
        match self {
            RowGroup::Runs => 0,
            RowGroup::MoreRuns => 1,
            RowGroup::WouldTake => 2,
            RowGroup::DoesNotFit => 3,
        }
    }
}

/// How many of the models that run the first screen shows: with the headline, the selectors, the
/// three strongest models that don't fit and the folded line, this is what 1280×800 holds above
/// the detail (`tests/app_first_look.rs` checks it on two machines in both languages).
pub const FIRST_SCREEN_RUNS: usize = 14;

/// One model's row; `cells` is aligned with `VerdictGrid::quants` (None: no such file) and
/// `class_cells` with `VerdictGrid::classes` (the index in `quants` of the class's best file).
#[derive(Debug, Clone)]
pub struct GridRow {
    pub model_id: String,
    pub model_name: String,
    pub group: RowGroup,
    /// Not chat-tuned (a base, R1-Zero or prover checkpoint): never among the first screen's rows.
    pub specialist: bool,
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
        // Runs first (chat-tuned before specialist checkpoints, best verdict first, then catalog
        // order: strongest first), then the models with what it would take, then the rest;
        // `sort_by_key` keeps catalog order within each.
        rows.sort_by_key(|r| {
            (
                r.group != RowGroup::Runs,
                r.group == RowGroup::DoesNotFit,
                r.specialist,
                std::cmp::Reverse(r.best.as_ref().map(|b| b.1)),
            )
        });
        // The runners past the first screen's share, and every specialist, fold into the line;
        // when it opens they follow the runners shown (the sort above is stable).
        for (i, r) in rows
            .iter_mut()
            .filter(|r| r.group == RowGroup::Runs)
            .enumerate()
        {
            if r.specialist || i >= FIRST_SCREEN_RUNS {
                r.group = RowGroup::MoreRuns;
            }
        }
        rows.sort_by_key(|r| r.group.rank());
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
        // Nothing runs: the detail shows the model closest to fitting, with what it would take.
        let headline_cell = best
            .map(|i| &results[i].fit)
            .or_else(|| {
                results
                    .iter()
                    .map(|r| &r.fit)
                    .min_by(|a, b| a.placement.short_by.total_cmp(&b.placement.short_by))
            })
            .map(|f| (f.model.id.clone(), f.quant.id.clone()));
        VerdictGrid {
            key,
            headline,
            headline_cell,
            quants,
            classes,
            rows,
        }
    }

    /// How many rows the first screen folds into one line: (models that run, models that don't
    /// fit).
    pub fn folded(&self) -> (usize, usize) {
        let count = |g: RowGroup| self.rows.iter().filter(|r| r.group == g).count();
        (count(RowGroup::MoreRuns), count(RowGroup::DoesNotFit))
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
        Some(r) if !r.changes.is_empty() && model.tuning == Tuning::Chat => RowGroup::WouldTake,
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
        specialist: model.tuning != Tuning::Chat,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hardware::machine::parse_gpu_arg;

    fn grid(gpus: &[&str], ram: f64, lang: Lang) -> VerdictGrid {
        let c = Catalog::get();
        let gpus = gpus.iter().map(|g| parse_gpu_arg(c, g).unwrap()).collect();
        let machine = Machine::from_parts(gpus, Some(ram), Some(89.6), Some(16)).unwrap();
        let key = GridKey {
            hardware: ScenarioHardware::default(),
            detected: None,
            runtime: RuntimeChoice::Auto,
            context: 8192,
            lang,
        };
        VerdictGrid::compute(key, &machine)
    }

    fn row<'a>(g: &'a VerdictGrid, id: &str) -> &'a GridRow {
        g.rows.iter().find(|r| r.model_id == id).unwrap()
    }

    #[test]
    fn rows_run_first_then_what_it_would_take_then_the_folded_ones() {
        let g = grid(&["rtx-4090"], 64.0, Lang::En);
        let groups: Vec<RowGroup> = g.rows.iter().map(|r| r.group).collect();
        let mut sorted = groups.clone();
        sorted.sort_by_key(|g| g.rank());
        assert_eq!(groups, sorted);
        // Within the rows that run, the best verdict first.
        let levels: Vec<VerdictLevel> = g
            .rows
            .iter()
            .filter(|r| r.group == RowGroup::Runs)
            .map(|r| r.best.as_ref().unwrap().1)
            .collect();
        assert!(levels.windows(2).all(|w| w[0] >= w[1]), "{levels:?}");
        // More run here than the first screen shows: the 14 strongest chat models are drawn, the
        // rest (Prover-V2-7B, a prover, among them) fold into the line.
        let runs = g
            .rows
            .iter()
            .filter(|r| {
                r.best
                    .as_ref()
                    .is_some_and(|b| b.1 != VerdictLevel::DoesNotFit)
            })
            .count();
        assert!(runs > FIRST_SCREEN_RUNS, "{runs}");
        assert_eq!(levels.len(), FIRST_SCREEN_RUNS);
        let more = g.rows.iter().filter(|r| r.group == RowGroup::MoreRuns);
        assert_eq!(more.clone().count(), runs - FIRST_SCREEN_RUNS);
        assert!(more.clone().any(|r| r.model_id == "deepseek-prover-v2-7b"));
        // With the experts streamed from disk, V4-Flash-0731 runs (on the first screen); the
        // strongest that doesn't fit is shown with what it would take; a base checkpoint that
        // doesn't fit is folded, not offered.
        assert_eq!(row(&g, "deepseek-v4-flash-0731").group, RowGroup::Runs);
        let would_take: Vec<&str> = g
            .rows
            .iter()
            .filter(|r| r.group == RowGroup::WouldTake)
            .map(|r| r.model_id.as_str())
            .collect();
        assert_eq!(would_take, ["deepseek-v4-pro-0813"]);
        assert_eq!(
            row(&g, "deepseek-v4-flash-base").group,
            RowGroup::DoesNotFit
        );
        assert_eq!(
            g.folded(),
            (
                runs - FIRST_SCREEN_RUNS,
                g.rows.len() - runs - would_take.len()
            )
        );
        // The headline's cell is the detail shown on open.
        assert_eq!(
            g.headline_cell,
            Some(("deepseek-r1-distill-qwen-32b".into(), "IQ4_XS".into()))
        );
    }

    #[test]
    fn precision_cells_stand_for_the_best_file_of_their_class() {
        let g = grid(&["rtx-4090"], 64.0, Lang::En);
        assert_eq!(g.classes, PrecisionClass::ALL);
        let file = |id: &str, class: PrecisionClass| {
            let r = row(&g, id);
            let col = g.classes.iter().position(|c| *c == class).unwrap();
            r.class_cells[col].map(|i| g.quants[i].as_str())
        };
        assert_eq!(
            file("deepseek-v4-flash-0731", PrecisionClass::Bits2),
            Some("ds4-q2")
        );
        assert_eq!(
            file("deepseek-r1-distill-qwen-32b", PrecisionClass::Bits4),
            Some("IQ4_XS")
        );
        // Dense models have no 2-bit-expert file of V4; a V4 model no BF16 file.
        assert_eq!(file("deepseek-v4-flash-0731", PrecisionClass::Bits16), None);
        // Every class cell is a cell of the per-file view of the same row.
        for r in &g.rows {
            for i in r.class_cells.iter().flatten() {
                assert!(r.cells[*i].is_some(), "{} {}", r.model_id, g.quants[*i]);
            }
        }
    }

    #[test]
    fn nothing_fits_a_tiny_machine_and_the_detail_shows_the_closest() {
        let g = grid(&[], 2.0, Lang::Zh);
        assert_eq!(g.headline, i18n::texts(Lang::Zh).none_fits);
        assert!(g.rows.iter().all(|r| r.group != RowGroup::Runs));
        let (model, _) = g.headline_cell.clone().expect("a cell to explain");
        // One of the two smallest models.
        assert!(
            [
                "deepseek-r1-distill-qwen-1.5b",
                "deepseek-coder-1.3b-instruct",
                // A 16B MoE at 1.6 bits (3.7 GB) is now sized for any MoE: the closest of all.
                "deepseek-coder-v2-lite-instruct"
            ]
            .contains(&model.as_str()),
            "{model}"
        );
    }
}
