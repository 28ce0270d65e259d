//! deepseek-advisor: can this machine run DeepSeek, how fast, and which deployment costs least.
//!
//! Everything here is egui-free; the estimator is pure (DESIGN.md §1, §3).

pub mod about;
pub mod app;
pub mod bench;
pub mod buy;
pub mod catalog;
pub mod cli;
#[cfg(windows)]
pub mod console;
pub mod cost;
pub mod date;
pub mod deploy;
pub mod estimate;
pub mod evidence;
pub mod font;
pub mod fsutil;
pub mod hardware;
pub mod instance;
pub mod lang;
pub mod modelfile;
pub mod number;
pub mod prices;
pub mod report;
pub mod scenario;
pub mod startup;
pub mod wizard;
