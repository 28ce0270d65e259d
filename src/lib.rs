//! deepseek-advisor: can this machine run DeepSeek, how fast, and which deployment costs least.
//!
//! Everything here is egui-free; the estimator is pure (DESIGN.md §1, §3).

pub mod app;
pub mod catalog;
pub mod cli;
pub mod cost;
pub mod estimate;
pub mod fsutil;
pub mod hardware;
pub mod lang;
pub mod scenario;
pub mod startup;
pub mod wizard;
