//! The cost model (DESIGN.md §4): four deployment options, their TCO over a horizon, curves,
//! break-even volumes, sensitivity and the recommendation — with peak-hour API billing, the API
//! tier chosen like for like, and every price resolved with its source. Pure and egui-free.

pub mod analysis;
pub mod capacity;
pub mod cluster;
pub mod inputs;
pub mod labels;
pub mod options;
pub mod rates;
pub mod rule_of_thumb;
pub mod summary;
pub mod tier;
pub mod tools;
pub mod traffic;

pub use analysis::{plan, Plan};
pub use inputs::CostInputs;
pub use options::{OptionCost, OptionKind};
pub use rates::Rates;
