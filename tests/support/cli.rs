//! Runs the command line in-process and captures what it prints. Commands that look prices up
//! get the day the tests' expectations were written (unless the test gives its own `--today`), so
//! they do not change with the date.

use deepseek_advisor::cli::run_with;

/// Exit code, standard output and standard error of `deepseek-advisor ARGS…`.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let mut full = vec!["deepseek-advisor"];
    full.extend_from_slice(args);
    let priced = matches!(args.first(), Some(&("plan" | "report" | "deploy" | "buy")));
    if priced && !args.contains(&"--today") {
        full.extend_from_slice(&["--today", "2026-12-01"]);
    }
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_with(full, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}
