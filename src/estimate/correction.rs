//! Fitted corrections to the roofline (issue 19): the physical model (`speed`) gives a speed from
//! bytes, FLOPs and prior efficiencies; a multiplicative factor per physically meaningful group —
//! device class × vendor, runtime, placement, software era, batching — corrects it. The factors
//! and the bands are fitted offline over the measurement catalog (`evidence::fit`, the `fit`
//! command) and committed in `assets/catalog/fitted.ron`; the estimator only reads them.
//!
//! A speed's band comes from the cross-validation residuals of its regime, kept apart for setups
//! whose hardware was measured in that regime ("dense") and setups whose hardware was not ("thin").

use super::placement::{Placement, PlacementKind};
use super::FitOptions;
use crate::catalog::schema::{DeviceClass, Runtime, Vendor};
use crate::hardware::Machine;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The committed fit (written by `deepseek-advisor fit`).
pub const FITTED_RON: &str = include_str!("../../assets/catalog/fitted.ron");

/// What a factor multiplies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Quantity {
    /// One user's decode speed.
    Decode,
    /// Output speed of several sequences decoded together (aggregate, and per user through it).
    Batched,
    /// Prompt processing.
    Prefill,
    /// Time to the first token of a served request (banded from residuals; not fitted, see
    /// `evidence::fit::FITTED`).
    FirstToken,
}

impl Quantity {
    pub const ALL: [Quantity; 4] = [
        Quantity::Decode,
        Quantity::Batched,
        Quantity::Prefill,
        Quantity::FirstToken,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Quantity::Decode => "decode",
            Quantity::Batched => "batched",
            Quantity::Prefill => "prefill",
            Quantity::FirstToken => "first_token",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The software era a measurement was taken in (its year); the estimator answers for today's
/// software (`Era::CURRENT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Era(Option<&'static str>);

impl Era {
    /// Today's software: no era factor.
    pub const CURRENT: Era = Era(None);

    /// The era of a measurement dated `date` ("2025-03-18", "2024"): half-years before 2026
    /// (serving engines for DeepSeek changed several-fold within 2025), a year where the month is
    /// not given; later dates count as current.
    pub fn of_date(date: &str) -> Era {
        let first_half = date
            .get(5..7)
            .and_then(|m| m.parse::<u32>().ok())
            .map(|m| m <= 6);
        Era(match (date.get(..4), first_half) {
            (Some("2023"), _) => Some("2023"),
            (Some("2024"), _) => Some("2024"),
            (Some("2025"), Some(true)) => Some("2025-H1"),
            (Some("2025"), Some(false)) => Some("2025-H2"),
            (Some("2025"), None) => Some("2025"),
            _ => None,
        })
    }
}

/// The groups a setup belongs to, as the estimator sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setup {
    /// Device class × vendor of the device that sets the speed ("nvidia-gddr", "apple", "cpu").
    pub device: &'static str,
    /// Runtime family ("llama.cpp" for llama.cpp and Ollama).
    pub runtime: &'static str,
    /// Where the weights live ("one-gpu", "tensor-parallel", "expert-offload", "ssd-stream", …).
    pub placement: &'static str,
    /// The regime of single-user speeds (`evidence::regime::Regime` names).
    pub regime: &'static str,
    pub concurrency: u32,
    pub era: Era,
    /// "moe" or "dense": scattered expert reads stream below a dense model's rate.
    pub architecture: &'static str,
    /// Weight bytes read per token, GB: small models lose a larger share of each step to fixed
    /// per-token costs (kernel launches, sampling).
    pub gb_per_token: f64,
}

/// Regime name of served (batched) speeds.
pub const SERVING_REGIME: &str = "multi_gpu_serving";

impl Setup {
    pub fn of(
        placement: &Placement,
        machine: &Machine,
        options: &FitOptions,
        model: (bool, f64),
        era: Era,
    ) -> Setup {
        let (moe, gb_per_token) = model;
        let gpu = (placement.gpus_used > 0)
            .then(|| machine.gpus.get(placement.group))
            .flatten();
        let device = gpu.map_or("cpu", |g| {
            device_group(g.spec.class, g.spec.vendor, g.spec.mem_bw_gbs)
        });
        let unified = gpu.is_some_and(|g| g.spec.class.is_unified());
        let placement_name = match placement.kind {
            PlacementKind::Gpu if placement.gpus_used <= 1 => "one-gpu",
            PlacementKind::Gpu | PlacementKind::MultiGpu => match placement.split {
                super::placement::Split::Tensor { .. } => "tensor-parallel",
                super::placement::Split::Layers => "layer-split",
            },
            PlacementKind::PartialOffload => "partial-offload",
            PlacementKind::ExpertOffload => "expert-offload",
            PlacementKind::Cpu => "cpu",
            PlacementKind::SsdStream => "ssd-stream",
            PlacementKind::DoesNotFit => "none",
        };
        let regime = match placement.kind {
            PlacementKind::SsdStream => "ssd_streaming",
            PlacementKind::Cpu => "cpu",
            PlacementKind::ExpertOffload | PlacementKind::PartialOffload => "hybrid_offload",
            _ if options.runtime == Runtime::Ktransformers => "hybrid_offload",
            _ if unified => "unified_memory",
            _ => "single_user_gpu",
        };
        Setup {
            device,
            runtime: runtime_family(options.runtime),
            placement: placement_name,
            regime,
            concurrency: options.concurrency.max(1),
            era,
            architecture: if moe { "moe" } else { "dense" },
            gb_per_token,
        }
    }

    /// The regime a quantity's band is taken from.
    pub fn regime_of(&self, q: Quantity) -> &'static str {
        match q {
            Quantity::Batched | Quantity::FirstToken => SERVING_REGIME,
            Quantity::Decode | Quantity::Prefill => self.regime,
        }
    }

    /// ln(GB per token ÷ 10) ÷ ln(10): 0 at 10 GB, −1 at 1 GB (0 when unknown).
    fn size_value(&self) -> f64 {
        if self.gb_per_token > 0.0 {
            (self.gb_per_token / 10.0).log10()
        } else {
            0.0
        }
    }

    /// ln(concurrency) ÷ ln(64): 0 for one sequence, 1 at 64.
    fn batch_value(&self) -> f64 {
        f64::from(self.concurrency).ln() / 64f64.ln()
    }

    /// The features of quantity `q` on hardware type `hardware`: (group, name, value). Indicator
    /// features have value 1; the batch size enters batched speeds as ln(concurrency) ÷ ln(64).
    /// The hardware type's own term lets a device measured often depart from its class; one
    /// never measured keeps its class's factor.
    pub fn features<'h>(
        &self,
        q: Quantity,
        hardware: &'h str,
    ) -> Vec<(&'static str, &'h str, f64)> {
        let mut f = vec![
            ("all", "all", 1.0),
            ("device", self.device, 1.0),
            ("hardware", hardware, 1.0),
            ("runtime", self.runtime, 1.0),
        ];
        if matches!(q, Quantity::Decode | Quantity::Prefill) {
            f.push(("placement", self.placement, 1.0));
        }
        f.push(("architecture", self.architecture, 1.0));
        if q == Quantity::Decode && self.gb_per_token > 0.0 {
            f.push(("size", "log10-gb-per-token", self.size_value()));
        }
        if let (Era(Some(year)), Quantity::Batched) = (self.era, q) {
            f.push(("era", year, 1.0));
        }
        if q == Quantity::Batched {
            f.push(("batch", "ln-concurrency", self.batch_value()));
        }
        f
    }
}

/// Device class × vendor: the groups whose bandwidth efficiency is fitted together.
pub fn device_group(class: DeviceClass, vendor: Vendor, mem_bw_gbs: f64) -> &'static str {
    match (class, vendor) {
        (DeviceClass::AppleUnified, _) if mem_bw_gbs >= 800.0 => "apple-ultra",
        (DeviceClass::AppleUnified, _) => "apple",
        (DeviceClass::SocUnified, _) => "soc-unified",
        (DeviceClass::DatacenterHbm, Vendor::Amd) => "amd-hbm",
        (DeviceClass::DatacenterHbm, Vendor::Huawei) => "huawei-hbm",
        (DeviceClass::DatacenterHbm, _) => "nvidia-hbm",
        (_, Vendor::Amd) => "amd-gddr",
        (_, Vendor::Intel) => "intel-gddr",
        _ => "nvidia-gddr",
    }
}

/// Runtimes fitted together: Ollama runs llama.cpp.
pub fn runtime_family(r: Runtime) -> &'static str {
    match r {
        Runtime::LlamaCpp | Runtime::Ollama => "llama.cpp",
        other => other.cli_name(),
    }
}

/// One fitted factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub quantity: String,
    pub group: String,
    pub name: String,
    /// Natural log of the factor (what the fit solves for).
    pub log_factor: f64,
    /// exp(log_factor), for reading.
    pub factor: f64,
    /// Measured numbers and sources with this feature in the fit.
    pub points: usize,
    pub sources: usize,
}

/// A band: the 10th and 90th percentiles of the cross-validation residuals (measured ÷ estimate)
/// of one quantity in one regime, where the evidence near the setup is dense or thin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandCell {
    pub quantity: String,
    pub regime: String,
    /// "dense" (the hardware was measured in this regime), "thin", or "any" (both pooled).
    pub evidence: String,
    pub low: f64,
    pub high: f64,
    /// Left-out residuals the percentiles come from.
    pub residuals: usize,
}

/// The committed fit: parameters, bands, and the (quantity, regime, hardware) measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fitted {
    /// Date the fit was run, and a hash of the measurement catalog it was run on.
    pub fitted_on: String,
    pub catalog_hash: String,
    pub method: String,
    /// Ridge penalty (pseudo-observations at factor 1 per parameter).
    pub ridge: f64,
    pub parameters: Vec<Parameter>,
    pub bands: Vec<BandCell>,
    /// (quantity, regime, hardware type) with a scored measurement: evidence is dense there.
    pub measured: Vec<(String, String, String)>,
}

impl Fitted {
    /// The committed fit (parsed on first use).
    pub fn get() -> &'static Fitted {
        static FITTED: OnceLock<Fitted> = OnceLock::new();
        FITTED.get_or_init(|| {
            // A file in the source tree, checked by the tests: failure is a broken build.
            ron::from_str::<Fitted>(FITTED_RON)
                .unwrap_or_else(|e| panic!("assets/catalog/fitted.ron is invalid: {e}"))
                .sorted()
        })
    }

    /// The same fit with parameters, band cells and measured cells sorted by their keys, as the
    /// lookups (binary searches: the estimator asks for every fit it makes) expect.
    pub fn sorted(mut self) -> Fitted {
        self.parameters.sort_by(|a, b| {
            (&a.quantity, &a.group, &a.name).cmp(&(&b.quantity, &b.group, &b.name))
        });
        self.bands.sort_by(|a, b| {
            (&a.quantity, &a.regime, &a.evidence).cmp(&(&b.quantity, &b.regime, &b.evidence))
        });
        self.measured.sort();
        self
    }

    /// No correction and no band: the physical model alone.
    pub fn identity() -> Fitted {
        Fitted {
            fitted_on: String::new(),
            catalog_hash: String::new(),
            method: String::new(),
            ridge: 0.0,
            parameters: Vec::new(),
            bands: Vec::new(),
            measured: Vec::new(),
        }
    }

    fn log_factor(&self, q: Quantity, group: &str, name: &str) -> f64 {
        self.parameters
            .binary_search_by(|p| {
                (p.quantity.as_str(), p.group.as_str(), p.name.as_str()).cmp(&(
                    q.name(),
                    group,
                    name,
                ))
            })
            .map_or(0.0, |i| self.parameters[i].log_factor)
    }

    /// Whether `hardware` was measured for quantity `q` in `regime`.
    pub fn is_dense(&self, q: Quantity, regime: &str, hardware: &str) -> bool {
        self.measured
            .binary_search_by(|(mq, r, h)| {
                (mq.as_str(), r.as_str(), h.as_str()).cmp(&(q.name(), regime, hardware))
            })
            .is_ok()
    }

    /// The band of `q` in `regime` for dense or thin evidence: the cell, else the regime's pooled
    /// cell, else the quantity's pooled cell over all regimes.
    pub fn band(&self, q: Quantity, regime: &str, dense: bool) -> Option<&BandCell> {
        let evidence = if dense { "dense" } else { "thin" };
        let find = |r: &str, e: &str| {
            self.bands
                .binary_search_by(|b| {
                    (b.quantity.as_str(), b.regime.as_str(), b.evidence.as_str()).cmp(&(
                        q.name(),
                        r,
                        e,
                    ))
                })
                .ok()
                .map(|i| &self.bands[i])
        };
        find(regime, evidence)
            .or_else(|| find(regime, "any"))
            .or_else(|| find("all", evidence))
            .or_else(|| find("all", "any"))
    }
}

/// How one quantity of a setup is corrected, and its band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Corrected {
    /// Multiplies the physical model's value.
    pub factor: f64,
    /// Band as multiples of the corrected value (low ≤ 1 ≤ high).
    pub low: f64,
    pub high: f64,
    /// Left-out residuals the band comes from (0: no band fitted).
    pub residuals: usize,
    /// The setup's hardware was measured in this regime.
    pub dense: bool,
    pub regime: &'static str,
}

/// The corrections of every quantity for one setup.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Correction {
    pub setup: Setup,
    pub by_quantity: [Corrected; 4],
}

/// What a setup's groups contribute to one quantity before its batch size and bytes per token:
/// the sum of its indicator factors (logs), the coefficients of the two value features, and the
/// band. Cached per group combination for the committed fit: the estimator asks for every fit.
#[derive(Debug, Clone, Copy)]
struct Partial {
    indicators: f64,
    per_size: f64,
    per_batch: f64,
    low: f64,
    high: f64,
    residuals: usize,
    dense: bool,
}

type PartialKey = ([&'static str; 5], Era, String);

thread_local! {
    static PARTIALS: std::cell::RefCell<std::collections::HashMap<PartialKey, [Partial; 4]>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

fn partials(fitted: &Fitted, setup: &Setup, hardware: &str) -> [Partial; 4] {
    Quantity::ALL.map(|q| {
        let mut p = Partial {
            indicators: 0.0,
            per_size: 0.0,
            per_batch: 0.0,
            low: 1.0,
            high: 1.0,
            residuals: 0,
            dense: false,
        };
        for (g, n, _) in setup.features(q, hardware) {
            let beta = fitted.log_factor(q, g, n);
            match g {
                "size" => p.per_size = beta,
                "batch" => p.per_batch = beta,
                _ => p.indicators += beta,
            }
        }
        let regime = setup.regime_of(q);
        p.dense = fitted.is_dense(q, regime, hardware);
        if let Some(b) = fitted.band(q, regime, p.dense) {
            (p.low, p.high, p.residuals) = (b.low.min(1.0), b.high.max(1.0), b.residuals);
        }
        p
    })
}

impl Correction {
    /// The corrections `fitted` gives `setup`; `hardware` is the setup's hardware type (first
    /// GPU's catalog id, "cpu" without GPUs), for the evidence density.
    pub fn of(fitted: &Fitted, setup: Setup, hardware: &str) -> Correction {
        let parts = if std::ptr::eq(fitted, Fitted::get()) {
            let key: PartialKey = (
                [
                    setup.device,
                    setup.runtime,
                    setup.placement,
                    setup.regime,
                    setup.architecture,
                ],
                setup.era,
                hardware.to_string(),
            );
            PARTIALS.with(|cache| {
                *cache
                    .borrow_mut()
                    .entry(key)
                    .or_insert_with(|| partials(fitted, &setup, hardware))
            })
        } else {
            partials(fitted, &setup, hardware)
        };
        let (size, batch) = (setup.size_value(), setup.batch_value());
        let by_quantity = std::array::from_fn(|i| {
            let (p, q) = (parts[i], Quantity::ALL[i]);
            let log = p.indicators + p.per_size * size + p.per_batch * batch;
            Corrected {
                factor: log.exp(),
                low: p.low,
                high: p.high,
                residuals: p.residuals,
                dense: p.dense,
                regime: setup.regime_of(q),
            }
        });
        Correction { setup, by_quantity }
    }

    pub fn get(&self, q: Quantity) -> &Corrected {
        &self.by_quantity[q.index()]
    }
}

impl Corrected {
    /// Where the band comes from: "band from 209 left-out residuals (…) (decode,
    /// single_user_gpu); evidence thin here: this hardware has no measurement in this regime".
    pub fn band_note(&self, q: Quantity, lang: crate::lang::Lang) -> String {
        if self.residuals == 0 {
            return lang
                .pick("no band: too few measurements", "无区间：实测太少")
                .to_string();
        }
        let density = if self.dense {
            lang.pick(
                "evidence dense here: this hardware was measured in this regime",
                "此处证据充分：该硬件在此场景有实测",
            )
        } else {
            lang.pick(
                "evidence thin here: this hardware has no measurement in this regime",
                "此处证据稀少：该硬件在此场景无实测",
            )
        };
        format!(
            "{} {} {} ({}, {}); {density}",
            lang.pick("band from", "区间来自"),
            self.residuals,
            lang.pick(
                "left-out residuals (measurements held out by source and by hardware)",
                "个留出残差（按来源与按硬件留出）"
            ),
            q.name(),
            self.regime
        )
    }
}

/// The hardware type of a machine for evidence density: its first GPU's catalog id, else "cpu".
pub fn hardware_type(machine: &Machine) -> &str {
    machine.gpus.first().map_or("cpu", |g| g.spec.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_fit_parses_and_its_factors_are_finite() {
        let f = Fitted::get();
        assert!(!f.parameters.is_empty());
        for p in &f.parameters {
            assert!(p.log_factor.is_finite(), "{p:?}");
            assert!((p.factor - p.log_factor.exp()).abs() < 1e-9 * p.factor.max(1.0));
        }
        for b in &f.bands {
            assert!(b.low > 0.0 && b.low <= 1.0 && b.high >= 1.0, "{b:?}");
        }
    }

    #[test]
    fn eras_are_years_before_2026() {
        assert_eq!(Era::of_date("2025-03-18"), Era(Some("2025-H1")));
        assert_eq!(Era::of_date("2025-11"), Era(Some("2025-H2")));
        assert_eq!(Era::of_date("2025"), Era(Some("2025")));
        assert_eq!(Era::of_date("2023"), Era(Some("2023")));
        assert_eq!(Era::of_date("2026-05-01"), Era::CURRENT);
        assert_eq!(Era::of_date(""), Era::CURRENT);
    }
}
