//! One file per view. Each reads the app and pushes commands; in-place edits of the scenario push
//! `Command::Edited`.

pub mod buy;
pub mod costs;
pub mod decision_tree;
pub mod detail;
pub mod machine;
pub mod measure;
pub mod menu;
pub mod modals;
pub mod model_file;
pub mod tabs;
pub mod verdict;
pub mod wizard;
