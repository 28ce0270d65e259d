//! Text output says something in every field: no "-" standing in for a missing value ("prices as
//! of -", a tok/s of "-", a monthly cost of "-") and no empty cell in a report's tables, in English
//! and Chinese, for every command that prints tables.

#[path = "support/cli.rs"]
mod cli_support;
use cli_support::run;

/// True when `line` has a lone `-` as a value: after "of " or a colon, or as a table cell (set off
/// by two spaces or a line end on both sides).
fn lone_dash(line: &str) -> bool {
    let t = line.trim_end();
    if t.ends_with(" of -") || t.contains(" of - ") || t.ends_with(": -") || t.ends_with("：-") {
        return true;
    }
    let chars: Vec<char> = t.chars().collect();
    (0..chars.len()).any(|i| {
        let gap = |r: &[char]| r.len() >= 2 && r.iter().all(|c| *c == ' ');
        chars[i] == '-'
            && (i == 0 || gap(&chars[i.saturating_sub(2)..i]))
            && (i + 1 == chars.len() || gap(&chars[i + 1..(i + 3).min(chars.len())]))
    })
}

/// Markdown table rows with an empty or `-` cell (the `|---|` separator rows excepted).
fn empty_cell(line: &str) -> bool {
    let t = line.trim();
    if !(t.starts_with('|') && t.ends_with('|')) || t.chars().all(|c| "|-: ".contains(c)) {
        return false;
    }
    t[1..t.len() - 1]
        .split('|')
        .any(|c| c.trim().is_empty() || c.trim() == "-")
}

fn assert_says_something(args: &[&str]) {
    for lang in ["en", "zh"] {
        let mut full = args.to_vec();
        full.extend(["--lang", lang]);
        let (code, out, err) = run(&full);
        assert_eq!(code, 0, "{full:?}: {err}");
        let bad: Vec<&str> = out
            .lines()
            .filter(|l| lone_dash(l) || empty_cell(l))
            .collect();
        assert!(
            bad.is_empty(),
            "{full:?} prints a placeholder:\n{}",
            bad.join("\n")
        );
    }
}

const CPU_BOX: &[&str] = &["--ram", "16", "--cpu-mem-bw", "76.8", "--cpu-cores", "8"];
const RTX_4090: &[&str] = &["--gpu", "rtx-4090", "--ram", "64"];
const H200_NODE: &[&str] = &["--gpu", "h200-sxm:8", "--ram", "2048"];

fn scenarios() -> Vec<String> {
    let dir = format!("{}/scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".ron"))
        .collect();
    v.sort();
    v
}

#[test]
fn the_checker_sees_placeholders() {
    assert!(lone_dash("Model X · budget 10,000 CNY · prices as of -"));
    assert!(lone_dash(
        "deepseek-v3   IQ1_S   llama.cpp  does not fit  does_not_fit   -   143.5"
    ));
    assert!(lone_dash(
        "One local server     -  cannot serve this volume        1     8"
    ));
    assert!(!lone_dash(
        "deepseek-r1-distill-qwen-32b  IQ4_XS  34–47  20.9"
    ));
    assert!(!lone_dash("- like for like: a bullet"));
    assert!(empty_cell(
        "| One local server | - | cannot serve | 1 | 8 |"
    ));
    assert!(empty_cell("| a |  | c |"));
    assert!(!empty_cell("|---|---:|"));
}

#[test]
fn check_and_estimate_fill_every_field() {
    for hw in [CPU_BOX, RTX_4090, H200_NODE] {
        let mut check = vec!["check"];
        check.extend_from_slice(hw);
        assert_says_something(&check);
        let mut estimate = vec!["estimate", "--model", "deepseek-v4-flash-0731"];
        estimate.extend_from_slice(hw);
        assert_says_something(&estimate);
    }
}

#[test]
fn plan_and_report_fill_every_field() {
    for s in scenarios() {
        assert_says_something(&["plan", &s]);
        assert_says_something(&["report", &s, "--format", "md"]);
    }
}

#[test]
fn buy_states_the_prices_date_even_when_nothing_is_affordable() {
    for budget in ["10000", "50000", "100"] {
        assert_says_something(&[
            "buy",
            "--model",
            "deepseek-v4-flash-0731",
            "--budget",
            budget,
        ]);
    }
    let (_, out, _) = run(&[
        "buy",
        "--model",
        "deepseek-v4-flash-0731",
        "--budget",
        "10000",
        "--lang",
        "en",
    ]);
    assert!(out.contains("Nothing the catalog prices runs it"), "{out}");
    let header = out.lines().next().unwrap();
    let date = header.rsplit("prices as of ").next().unwrap();
    assert!(
        date.starts_with("20") && date.len() >= 7,
        "a date, not a placeholder: {header}"
    );
}

#[test]
fn catalogs_fill_every_field() {
    for kind in ["models", "quants", "gpus", "cloud"] {
        assert_says_something(&["catalog", kind]);
    }
}
