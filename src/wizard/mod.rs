//! The wizard (DESIGN.md §4), egui-free: its steps and where each default comes from (the seeds'
//! rule of thumb, `cost::rule_of_thumb`, asks two of them), presets, the volumes where the answer flips, and the decision — the
//! computed recommendation set against the rule, with its reasons and what would change it.
//! `app::views::wizard` draws it.

pub mod decision;
pub mod flips;
pub mod presets;
pub mod steps;
pub mod tiers;

pub use decision::Decision;
pub use steps::Step;
