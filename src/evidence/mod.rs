//! Measured speeds as data (`assets/catalog/measurements.ron`), the nearest measurements to an
//! estimate, and the cross-validation that says how far the estimator can be trusted
//! (DESIGN.md §3 "Evidence, fit, cross-validation"). Egui-free; reads the estimator, never changes it
//! at run time.
//!
//! One flow: measurements → fit (offline, `fit`, written to `assets/catalog/fitted.ron`) →
//! parameters → estimate → evidence. `setup` turns a measured point into the estimator's inputs,
//! `crossval` leaves whole sources or hardware types out and scores what the estimator, refitted
//! inside each fold, predicts for them, `nearest` finds the points that back an estimate.

pub mod accuracy;
pub mod crossval;
pub mod fit;
pub mod nearest;
pub mod regime;
pub mod setup;
pub mod stats;

use crate::catalog::schema::{
    GpuEntry, MeasuredPoint, MeasurementCatalog, MeasurementSource, ModelEntry, QuantEntry,
};
use crate::catalog::{Catalog, MEASUREMENTS_JSON};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Source id of measurements taken on the user's own machine (`bench --save`, issue 21). Such
/// points use the same `MeasuredPoint` shape and outrank the catalog's for that machine.
pub const THIS_MACHINE: &str = "this machine";

/// What a point's catalog references resolve to, computed once so lookups stay cheap.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub model: Option<&'static ModelEntry>,
    pub quant: Option<&'static QuantEntry>,
    /// The first listed GPU (the device that sets the speed of a single-device run).
    pub primary_gpu: Option<&'static GpuEntry>,
}

/// A set of measured points with their sources.
#[derive(Debug)]
pub struct Evidence {
    pub sources: Vec<MeasurementSource>,
    pub points: Vec<MeasuredPoint>,
    /// Parallel to `points`.
    pub resolved: Vec<Resolved>,
    /// Points measured on the user's machine (rank first in `nearest`).
    pub this_machine: bool,
}

impl Evidence {
    /// The embedded measurement catalog (parsed on first use; validated at build time).
    pub fn get() -> &'static Evidence {
        static EVIDENCE: OnceLock<Evidence> = OnceLock::new();
        EVIDENCE.get_or_init(|| {
            // build.rs wrote this JSON from the validated RON with the same types: failure is a
            // bypassed build.
            let c: MeasurementCatalog = serde_json::from_str(MEASUREMENTS_JSON)
                .unwrap_or_else(|e| panic!("embedded measurements are invalid: {e}"));
            Evidence::new(c.sources, c.points)
        })
    }

    /// Parses a measurement catalog (tests build small ones; issue 21 a machine's own).
    pub fn from_ron(text: &str) -> Result<Evidence, String> {
        let c: MeasurementCatalog = ron::from_str(text).map_err(|e| e.to_string())?;
        Ok(Evidence::new(c.sources, c.points))
    }

    pub fn new(sources: Vec<MeasurementSource>, points: Vec<MeasuredPoint>) -> Evidence {
        let catalog = Catalog::get();
        let resolved = points.iter().map(|p| resolve(catalog, p)).collect();
        Evidence {
            sources,
            points,
            resolved,
            this_machine: false,
        }
    }

    pub fn source(&self, id: &str) -> Option<&MeasurementSource> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The link for a point: its own URL, else its source's.
    pub fn url<'a>(&'a self, p: &'a MeasuredPoint) -> &'a str {
        p.url
            .as_deref()
            .or_else(|| self.source(&p.source).map(|s| s.url.as_str()))
            .unwrap_or_default()
    }

    /// Distinct hardware types measured (see [`hardware_type`]).
    pub fn hardware_types(&self) -> BTreeSet<String> {
        self.points.iter().map(hardware_type).collect()
    }
}

fn resolve(catalog: &'static Catalog, p: &MeasuredPoint) -> Resolved {
    Resolved {
        model: p.model_id.as_deref().and_then(|id| catalog.model(id).ok()),
        quant: p.quant_id.as_deref().and_then(|id| catalog.quant(id).ok()),
        primary_gpu: p
            .gpus
            .first()
            .and_then(|(id, _)| catalog.gpus.gpus.iter().find(|g| &g.id == id)),
    }
}

/// The hardware type a point counts under when whole hardware types are left out: the catalog
/// id of its first GPU (whatever the count), else its CPU, else the machine as published.
pub fn hardware_type(p: &MeasuredPoint) -> String {
    match (p.gpus.first(), &p.cpu) {
        (Some((id, _)), _) => id.clone(),
        (None, Some(cpu)) => format!("cpu: {cpu}"),
        (None, None) => p.hardware.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_copy_holds_what_the_ron_file_says() {
        let ron = Evidence::from_ron(crate::catalog::MEASUREMENTS_RON).unwrap();
        let json = Evidence::get();
        assert_eq!(ron.points.len(), json.points.len());
        assert_eq!(ron.sources.len(), json.sources.len());
        for (a, b) in ron.points.iter().zip(&json.points) {
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
    }

    #[test]
    fn the_catalog_loads_with_every_reference_resolved() {
        let e = Evidence::get();
        assert!(e.points.len() >= 300, "{} points", e.points.len());
        assert!(e.sources.len() >= 40, "{} sources", e.sources.len());
        assert!(
            e.hardware_types().len() >= 60,
            "{}",
            e.hardware_types().len()
        );
        for (p, r) in e.points.iter().zip(&e.resolved) {
            assert_eq!(p.model_id.is_some(), r.model.is_some(), "{}", p.model);
            assert_eq!(p.quant_id.is_some(), r.quant.is_some(), "{}", p.quant);
            assert_eq!(p.gpus.is_empty(), r.primary_gpu.is_none(), "{}", p.hardware);
            assert!(e.url(p).starts_with("https://"), "{}", p.hardware);
        }
    }
}
