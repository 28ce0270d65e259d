//! Imports go down the layers of DESIGN.md §1 (app → cli → report/deploy/wizard → cost →
//! estimate → catalog/hardware), never up: every `crate::X` path in `src/` names a module on its own
//! layer or a lower one. A new top-level module gets a row in `LAYERS` (docs/README.md lists them).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Top-level modules of `src/`, from the top layer down.
const LAYERS: &[&[&str]] = &[
    &["app"],
    &["cli"],
    // What a command or a tab produces: reports, deployment files, the wizard's decision, what to
    // buy, a model file's verdict, the About facts.
    &[
        "report",
        "deploy",
        "wizard",
        "buy",
        "modelfile",
        "bench",
        "about",
    ],
    &["scenario"],
    &["cost"],
    // Measured points, the nearest evidence and the cross-validation of the estimator.
    &["evidence"],
    &["estimate", "prices"],
    &["catalog", "hardware", "lang"],
    // Plain helpers that know nothing of DeepSeek.
    &[
        "date", "number", "font", "fsutil", "instance", "startup", "console",
    ],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file under `src/` belongs to (`None` for lib.rs and main.rs).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// The top-level modules a line of code names through `crate::` (comments left out), including
/// `use crate::{a::X, b::Y}`.
fn crate_paths(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().last();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `deepseek_advisor_crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            found.extend(
                inner
                    .split(',')
                    .map(|p| p.trim().split("::").next().unwrap_or("").to_string())
                    .filter(|n| !n.is_empty()),
            );
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
}

/// Every `(from, to, place)` where a module of `src/` names another top-level module.
fn imports() -> Vec<(String, String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let Some(from) = module_of(&src, &file) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for to in crate_paths(line) {
                if to != from {
                    let place = format!("{}:{}", file.strip_prefix(&src).unwrap().display(), n + 1);
                    out.push((from.clone(), to, place));
                }
            }
        }
    }
    out
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if let Some(m) = module_of(&src, &path) {
            if layer_of(&m).is_none() {
                missing.push(m);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "src/ modules without a layer in tests/layers.rs: {missing:?}"
    );
}

#[test]
fn imports_go_down_the_layers_only() {
    let all = imports();
    assert!(all.len() > 100, "only {} imports found", all.len());
    let upward: Vec<String> = all
        .iter()
        .filter(|(from, to, _)| match (layer_of(from), layer_of(to)) {
            (Some(f), Some(t)) => t < f,
            _ => false,
        })
        .map(|(from, to, place)| format!("{place}: {from} imports {to}, a higher layer"))
        .collect();
    assert!(upward.is_empty(), "upward imports:\n{}", upward.join("\n"));
}

#[test]
fn no_two_modules_import_each_other() {
    let mut edges: BTreeMap<(String, String), String> = BTreeMap::new();
    for (from, to, place) in imports() {
        edges.entry((from, to)).or_insert(place);
    }
    let cycles: Vec<String> = edges
        .iter()
        .filter(|((a, b), _)| a < b && edges.contains_key(&(b.clone(), a.clone())))
        .map(|((a, b), place)| {
            format!("{a} ↔ {b} ({place} and {})", edges[&(b.clone(), a.clone())])
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "modules importing each other:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_checker_sees_an_upward_import() {
    assert_eq!(crate_paths("use crate::cli::json::finite;"), ["cli"]);
    assert_eq!(
        crate_paths("    let p = crate::wizard::tree::walk(i); // crate::app"),
        ["wizard"]
    );
    assert_eq!(
        crate_paths("use crate::{catalog::Catalog, estimate::Fit};"),
        ["catalog", "estimate"]
    );
    assert!(layer_of("cli") < layer_of("report"));
    assert!(layer_of("wizard") < layer_of("cost"));
}
