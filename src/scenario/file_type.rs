//! How scenario files are recognised on the desktop: the `.dsa.ron` extension (matched by the
//! shared-mime-info glob `*.dsa.ron` for the MIME type below), file names made from scenario
//! names, and display names without the extension. Any `.ron` file still opens.

use std::path::{Path, PathBuf};

/// The full extension new scenario files get: `my-plan.dsa.ron` ("DeepSeek advisor").
pub const EXTENSION: &str = "dsa.ron";
/// The MIME type the desktop associates with `*.dsa.ron` (assets/deepseek-advisor-scenario.xml).
pub const MIME_TYPE: &str = "application/x-deepseek-advisor-scenario";

/// Whether the file name ends in `.dsa.ron` (any case).
pub fn has_scenario_extension(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".dsa.ron"))
}

/// The name shown for a scenario file: its file name without `.dsa.ron` or `.ron`.
pub fn display_stem(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let lower = name.to_ascii_lowercase();
    let cut = [".dsa.ron", ".ron"]
        .iter()
        .find(|ext| lower.ends_with(*ext) && lower.len() > ext.len())
        .map_or(name.len(), |ext| name.len() - ext.len());
    Some(name[..cut].to_string())
}

/// A file name for a scenario called `name`: characters file systems refuse become `-`.
pub fn default_file_name(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => '-',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let stem = if cleaned.is_empty() {
        "scenario"
    } else {
        cleaned
    };
    format!("{stem}.{EXTENSION}")
}

/// The path to save to when a user typed a name without any extension: `.dsa.ron` added, unless
/// a file by that name already exists (the dialog confirmed overwriting only the name typed).
pub fn with_scenario_extension(path: PathBuf) -> PathBuf {
    if path.extension().is_some() {
        return path;
    }
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".{EXTENSION}"));
    let with = path.with_file_name(name);
    if with.exists() {
        path
    } else {
        with
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_and_strips_the_extension() {
        assert!(has_scenario_extension(Path::new("/a/Plan.DSA.RON")));
        assert!(!has_scenario_extension(Path::new("/a/plan.ron")));
        assert_eq!(
            display_stem(Path::new("/a/my box.dsa.ron")).unwrap(),
            "my box"
        );
        assert_eq!(display_stem(Path::new("old.ron")).unwrap(), "old");
        assert_eq!(display_stem(Path::new("notes.txt")).unwrap(), "notes.txt");
        assert_eq!(display_stem(Path::new(".ron")).unwrap(), ".ron");
    }

    #[test]
    fn file_names_from_scenario_names() {
        assert_eq!(
            default_file_name("Private R1 671B: 8×H200 vs 16/H100"),
            "Private R1 671B- 8×H200 vs 16-H100.dsa.ron"
        );
        assert_eq!(default_file_name("  "), "scenario.dsa.ron");
        assert_eq!(default_file_name("..."), "scenario.dsa.ron");
        assert_eq!(default_file_name("方案"), "方案.dsa.ron");
    }

    #[test]
    fn a_bare_name_gets_the_extension_unless_that_file_exists() {
        let dir = std::env::temp_dir().join(format!("dsa-ext-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(
            with_scenario_extension(dir.join("plan")),
            dir.join("plan.dsa.ron")
        );
        assert_eq!(
            with_scenario_extension(dir.join("plan.ron")),
            dir.join("plan.ron")
        );
        std::fs::write(dir.join("taken.dsa.ron"), "x").unwrap();
        assert_eq!(
            with_scenario_extension(dir.join("taken")),
            dir.join("taken")
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
