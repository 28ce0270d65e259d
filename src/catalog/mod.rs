//! Catalogs embedded in the binary (validated at build time by `build.rs`) and lookups by id,
//! alias or detected name.

pub mod hf_config;
pub mod lookup;
pub mod schema;
pub mod validate;

use schema::{CloudCatalog, CpuCatalog, GpuCatalog, HolidayCatalog, ModelCatalog, QuantCatalog};
use std::sync::OnceLock;

const MODELS_RON: &str = include_str!("../../assets/catalog/models.ron");
const QUANTS_RON: &str = include_str!("../../assets/catalog/quants.ron");
const GPUS_RON: &str = include_str!("../../assets/catalog/gpus.ron");
const CPUS_RON: &str = include_str!("../../assets/catalog/cpus.ron");
const CLOUD_RON: &str = include_str!("../../assets/catalog/cloud.ron");
const HOLIDAYS_RON: &str = include_str!("../../assets/catalog/holidays.ron");
/// Measured speeds as written (validated by build.rs like the others).
pub const MEASUREMENTS_RON: &str = include_str!("../../assets/catalog/measurements.ron");
/// The same measurements as JSON, written by build.rs: what `evidence` parses on first use (not
/// with the other catalogs, so commands that show no evidence do not pay for it).
pub const MEASUREMENTS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/measurements.json"));

/// The embedded catalog texts with their paths, in `validate::Sources` order.
pub const SOURCES: validate::Sources<'static> = [
    ("assets/catalog/models.ron", MODELS_RON),
    ("assets/catalog/quants.ron", QUANTS_RON),
    ("assets/catalog/gpus.ron", GPUS_RON),
    ("assets/catalog/cpus.ron", CPUS_RON),
    ("assets/catalog/cloud.ron", CLOUD_RON),
    ("assets/catalog/holidays.ron", HOLIDAYS_RON),
    ("assets/catalog/measurements.ron", MEASUREMENTS_RON),
];

/// All catalogs, parsed once.
#[derive(Debug)]
pub struct Catalog {
    pub models: ModelCatalog,
    pub quants: QuantCatalog,
    pub gpus: GpuCatalog,
    pub cpus: CpuCatalog,
    pub cloud: CloudCatalog,
    /// The PRC public-holiday calendar (DeepSeek's peak billing).
    pub holidays: HolidayCatalog,
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> T {
    // build.rs has already parsed these exact bytes into the same types, so failure here means the
    // build script was bypassed; there is no user input involved.
    ron::from_str(text).unwrap_or_else(|e| panic!("embedded catalog {name} is invalid: {e}"))
}

impl Catalog {
    /// The embedded catalogs (parsed on first use, then shared).
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog {
            models: parse("models.ron", MODELS_RON),
            quants: parse("quants.ron", QUANTS_RON),
            gpus: parse("gpus.ron", GPUS_RON),
            cpus: parse("cpus.ron", CPUS_RON),
            cloud: parse("cloud.ron", CLOUD_RON),
            holidays: parse("holidays.ron", HOLIDAYS_RON),
        })
    }
}
