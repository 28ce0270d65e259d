//! The hardware an estimate runs against.

pub mod machine;

pub use machine::{GpuGroup, Machine, MachineError};
