// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use deepseek_advisor::cli::{dispatch, Outcome};

fn main() {
    deepseek_advisor::startup::mark();
    #[cfg(windows)]
    deepseek_advisor::console::attach_to_parent();
    match dispatch() {
        Outcome::Exit(code) => std::process::exit(code),
        Outcome::App(launch) => {
            if let Err(e) = deepseek_advisor::app::run(launch) {
                eprintln!("error: cannot open the window: {e}");
                std::process::exit(1);
            }
        }
    }
}
