//! The hardware an estimate runs against: detection (`detect`), the saved/loaded profile
//! (`profile`), and the `Machine` the estimator places models on.

pub mod detect;
pub mod guarded;
pub mod link;
pub mod machine;
pub mod merge;
pub mod problem;
pub mod profile;
pub mod sources;

pub use machine::{GpuGroup, Machine, MachineError};
pub use profile::HardwareProfile;
