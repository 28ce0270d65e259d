//! The cost model (DESIGN.md §4): four deployment options, their TCO over a horizon, curves,
//! break-even volumes, sensitivity and the recommendation. Pure and egui-free.

pub mod analysis;
pub mod capacity;
pub mod cluster;
pub mod inputs;
pub mod options;

pub use analysis::{plan, Plan};
pub use inputs::CostInputs;
pub use options::{OptionCost, OptionKind};
