//! "What should I buy for ¥X?": every machine the catalog prices (see `candidates`), estimated
//! with the estimator for one model, kept when it fits the budget and meets the speed, cheapest
//! first, then fastest. Egui-free; `buy` and the app's Buy tab show it.

pub mod candidates;

use crate::catalog::schema::{Currency, ModelEntry, QuantEntry, Runtime};
use crate::catalog::Catalog;
use crate::estimate::grid::{fit_on, RuntimeChoice};
use crate::estimate::placement::PlacementKind;
use crate::estimate::verdict::VerdictLevel;
use crate::estimate::weights::quality_bits;
use crate::estimate::{params, Fit, FitOptions};
use crate::prices::{newest, Day, PriceContext, Source};
use candidates::{candidates, Candidate, Part};

/// Below about 3.5 bits per weight small models lose too much quality to recommend; only models
/// of 100B parameters and more go lower (the same rule as `check`, estimate/best.rs).
const MIN_SENSIBLE_BPW: f64 = 3.5;
const LOW_BIT_FROM_PARAMS: f64 = 100e9;

/// What the user asks for.
#[derive(Debug, Clone, Copy)]
pub struct BuyRequest<'a> {
    pub model: &'a ModelEntry,
    /// `None`: every published quant; each machine keeps the best one that fits.
    pub quant: Option<&'a QuantEntry>,
    pub runtime: RuntimeChoice,
    /// In `currency`.
    pub budget: f64,
    pub currency: Currency,
    /// Slowest acceptable single-user decode speed (the estimate's middle value).
    pub min_tok_s: f64,
    /// Context window; clamped to the model's maximum.
    pub context: u32,
}

/// A machine that runs the model within budget, with the estimate that says so.
#[derive(Debug, Clone, PartialEq)]
pub struct BuyOption {
    pub product: String,
    pub parts: Vec<Part>,
    pub ram_gb: f64,
    pub cpu_mem_bw_gbs: f64,
    pub cpu_cores: u32,
    pub price: f64,
    pub price_low: f64,
    pub price_high: f64,
    /// What each part of the price rests on.
    pub sources: Vec<(String, Source)>,
    pub quant: String,
    pub runtime: Runtime,
    pub placement: PlacementKind,
    pub decode_tok_s: f64,
    pub decode_tok_s_low: f64,
    pub decode_tok_s_high: f64,
    pub verdict: VerdictLevel,
    pub verdict_reason: String,
}

impl BuyOption {
    /// `2× rtx-4090: catalog: …, 2026-06; host `desktop-2gpu`: catalog estimate: …`.
    pub fn price_source(&self, lang: crate::lang::Lang) -> String {
        self.sources
            .iter()
            .map(|(what, s)| format!("{what}: {}", s.describe(lang)))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BuyAnswer {
    /// Within budget and fast enough, cheapest first, then fastest.
    pub options: Vec<BuyOption>,
    /// When nothing fits the budget: the cheapest machine that would work.
    pub cheapest_that_works: Option<BuyOption>,
    /// The newest date among the sourced (not estimated) prices of the machines shown, else among
    /// every machine priced (`None` only when no price has a date).
    pub prices_as_of: Option<Day>,
    /// Machines priced and considered.
    pub considered: usize,
}

/// The quants tried: the one asked for, else the model's published ones that make sense.
fn quants<'a>(req: &BuyRequest<'a>, total_params: f64) -> Vec<&'a QuantEntry> {
    if let Some(q) = req.quant {
        return vec![q];
    }
    let c = Catalog::get();
    c.quants
        .quants
        .iter()
        .filter(|q| crate::estimate::offered_by_default(req.model, q))
        .filter(|q| q.body_bpw <= 16.0)
        .filter(|q| q.body_bpw >= MIN_SENSIBLE_BPW || total_params >= LOW_BIT_FROM_PARAMS)
        .collect()
}

/// The best fit of the model on `c` that meets the speed: highest quality, then fastest.
fn best_fit<'a>(req: &BuyRequest<'a>, quants: &[&'a QuantEntry], c: &Candidate) -> Option<Fit<'a>> {
    let p = params::count(&req.model.arch);
    let template = FitOptions::new(
        Runtime::LlamaCpp,
        req.context.clamp(1, req.model.arch.max_context),
    );
    quants
        .iter()
        .filter_map(|q| fit_on(req.model, q, &c.machine, req.runtime, template, p))
        .filter(|f| {
            f.verdict.level != VerdictLevel::DoesNotFit
                && f.speed.decode.is_finite()
                && f.speed.decode >= req.min_tok_s
        })
        .max_by(|a, b| {
            quality_bits(a.model, &a.params, a.quant)
                .total_cmp(&quality_bits(b.model, &b.params, b.quant))
                .then_with(|| a.speed.decode.total_cmp(&b.speed.decode))
        })
}

fn option(c: &Candidate, f: &Fit) -> BuyOption {
    BuyOption {
        product: c.product.clone(),
        parts: c.parts.clone(),
        ram_gb: c.machine.ram_gb,
        cpu_mem_bw_gbs: c.machine.cpu_mem_bw_gbs,
        cpu_cores: c.machine.cpu_cores,
        price: c.price,
        price_low: c.price_low,
        price_high: c.price_high,
        sources: c.sources.clone(),
        quant: f.quant.id.clone(),
        runtime: f.options.runtime,
        placement: f.placement.kind,
        decode_tok_s: f.speed.decode,
        decode_tok_s_low: f.speed.decode_low,
        decode_tok_s_high: f.speed.decode_high,
        verdict: f.verdict.level,
        verdict_reason: f.verdict.reason(crate::lang::Lang::En),
    }
}

/// Machines that run `req.model` within `req.budget` at `req.min_tok_s` or faster.
pub fn search(req: &BuyRequest, ctx: &PriceContext) -> BuyAnswer {
    let rate = Catalog::get().cloud.cost_defaults.usd_to_cny.value;
    let all = candidates(ctx, req.currency, rate);
    let total = params::count(&req.model.arch).total();
    let qs = quants(req, total);
    let mut options: Vec<BuyOption> = all
        .iter()
        .filter(|c| c.price <= req.budget)
        .filter_map(|c| best_fit(req, &qs, c).map(|f| option(c, &f)))
        .collect();
    // Prices equal to the cent (two Macs and a two-GPU desktop can cost the same) go fastest first.
    let cents = |p: f64| (p * 100.0).round();
    options.sort_by(|a, b| {
        cents(a.price)
            .total_cmp(&cents(b.price))
            .then_with(|| b.decode_tok_s.total_cmp(&a.decode_tok_s))
    });
    // Candidates come cheapest first: the first over budget that works is the cheapest one.
    let cheapest_that_works = if options.is_empty() {
        all.iter()
            .filter(|c| c.price > req.budget)
            .find_map(|c| best_fit(req, &qs, c).map(|f| option(c, &f)))
    } else {
        None
    };
    // "As of" the newest sourced (not estimated) price among the machines shown; when none is
    // sourced (nothing fits the budget, or only estimates are shown), among every machine priced,
    // which is what "nothing within the budget" was judged on.
    let shown: Vec<&BuyOption> = options.iter().chain(&cheapest_that_works).collect();
    let prices_as_of = newest(
        shown
            .iter()
            .flat_map(|o| o.sources.iter().map(|s| &s.1))
            .filter(|s| !s.estimate),
    )
    .or_else(|| {
        newest(
            all.iter()
                .flat_map(|c| c.sources.iter().map(|s| &s.1))
                .filter(|s| !s.estimate),
        )
    });
    BuyAnswer {
        options,
        cheapest_that_works,
        prices_as_of,
        considered: all.len(),
    }
}
