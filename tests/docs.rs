//! The README and docs/ stay true: every relative link resolves (file and heading), and the README's
//! example commands run and print what the README shows.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[path = "support/cli.rs"]
mod cli_support;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every Markdown page under docs/.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// The text outside fenced code blocks (links inside code are examples, not links).
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Targets of `[text](target)` and `![alt](target)` links, with inline code spans removed.
fn link_targets(text: &str) -> Vec<String> {
    let mut without_code = String::new();
    let mut in_code = false;
    for c in prose(text).chars() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code {
            without_code.push(c);
        }
    }
    let mut targets = Vec::new();
    let mut rest = without_code.as_str();
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        if let Some(end) = rest.find(')') {
            targets.push(rest[..end].trim().to_string());
            rest = &rest[end..];
        }
    }
    targets
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == ' ' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(page: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(page).unwrap();
    prose(&text)
        .lines()
        .filter_map(|l| l.strip_prefix('#'))
        .map(|l| anchor(l.trim_start_matches('#')))
        .collect()
}

#[test]
fn every_relative_link_in_readme_and_docs_resolves() {
    let mut dead = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for target in link_targets(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (file, fragment) = match target.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (target.as_str(), None),
            };
            let resolved = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(file)
            };
            let name = page.strip_prefix(root()).unwrap().display().to_string();
            if !resolved.exists() {
                dead.push(format!("{name}: {target} (no such file)"));
            } else if let Some(a) = fragment {
                if resolved.extension().is_some_and(|e| e == "md")
                    && !anchors(&resolved).contains(a)
                {
                    dead.push(format!("{name}: {target} (no such heading)"));
                }
            }
        }
    }
    assert!(
        checked >= 10,
        "only {checked} links found: is the parser broken?"
    );
    assert!(dead.is_empty(), "dead links:\n{}", dead.join("\n"));
}

#[test]
fn readme_starts_with_the_two_commands_and_fits_two_screens() {
    let text = std::fs::read_to_string(root().join("README.md")).unwrap();
    let first_block: String = text.split("```").nth(1).expect("a code block").to_string();
    assert!(first_block.contains("cargo run --release"), "{first_block}");
    assert!(first_block.contains("cargo test"), "{first_block}");
    let lines = text.lines().count();
    assert!(
        lines <= 150,
        "README.md has {lines} lines; move detail to docs/"
    );
}

/// Splits a shell command line on spaces, keeping double-quoted words together.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            _ => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}

/// A line with its numbers replaced by `#` and runs of spaces by one: the README shows what the
/// output says and in which order; numbers move with every recalibration and price update and are
/// checked by the estimator's and cost model's own tests.
fn shape(line: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    let mut space = false;
    for c in line.trim().chars() {
        let numeric = c.is_ascii_digit() || (in_number && (c == '.' || c == ','));
        if numeric {
            if !in_number {
                out.push('#');
            }
            in_number = true;
            space = false;
            continue;
        }
        in_number = false;
        if c == ' ' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

struct Example {
    command: Vec<String>,
    shown: Vec<String>,
}

/// The `$ deepseek-advisor …` lines of the README's console blocks and the output they show.
fn examples(readme: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut in_console = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_console = line == "```console";
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            let words = shell_words(cmd);
            assert_eq!(words[0], "deepseek-advisor", "{line}");
            examples.push(Example {
                command: words[1..].to_vec(),
                shown: Vec::new(),
            });
        } else if line.trim() != "…" {
            examples
                .last_mut()
                .expect("output after a command")
                .shown
                .push(line.to_string());
        }
    }
    examples
}

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(examples.len() >= 5, "{} examples", examples.len());
    let scratch = std::env::temp_dir().join(format!("readme-examples-{}", std::process::id()));
    for ex in examples {
        let mut args: Vec<String> = ex
            .command
            .iter()
            .map(|a| match a.as_str() {
                // Written files go to a scratch folder; the output names them as the README does.
                "deploy/" => scratch.join(a).display().to_string(),
                _ => a.clone(),
            })
            .collect();
        if args[0] != "deploy" {
            args.extend(["--lang".into(), "en".into()]);
        }
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = cli_support::run(&argv);
        assert_eq!(code, 0, "{}: {err}", ex.command.join(" "));
        let out = out.replace(&format!("{}/", scratch.display()), "");
        let printed: Vec<String> = out.lines().map(shape).collect();
        let mut from = 0;
        for line in &ex.shown {
            let want = shape(line);
            match printed[from..].iter().position(|p| *p == want) {
                Some(i) => from += i + 1,
                None => panic!(
                    "README shows for `deepseek-advisor {}`:\n{line}\nbut the program printed:\n{out}",
                    ex.command.join(" ")
                ),
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
