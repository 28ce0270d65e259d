//! Detection problems read as one plain sentence in English and Chinese, with the technical note
//! kept as the detail; other notes pass through unchanged.

use deepseek_advisor::hardware::problem::{plain_note, Problem};
use deepseek_advisor::lang::Lang;

/// Notes as detection writes them (hardware/detect.rs), with the error texts NVML (nvml-wrapper)
/// and nvidia-smi really print.
const CASES: [(&str, Problem); 10] = [
    (
        "NVIDIA: NVML not available: a libloading error occurred: libnvidia-ml.so.1: cannot open shared object file: No such file or directory; nvidia-smi could not be started: No such file or directory (os error 2)",
        Problem::NoNvidiaDriver,
    ),
    (
        "NVIDIA: NVML not available: a libloading error occurred: LoadLibraryExW { source: Os { code: 126 } }; nvidia-smi could not be started: program not found",
        Problem::NoNvidiaDriver,
    ),
    (
        "NVIDIA: NVML not available: NVIDIA driver is not loaded; NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
        Problem::NoNvidiaDriver,
    ),
    (
        "NVIDIA: NVML not available: RM detects a driver/library version mismatch; Failed to initialize NVML: Driver/library version mismatch",
        Problem::DriverMismatch,
    ),
    (
        "NVIDIA: NVML not available: the current user does not have permission to perform this operation; nvidia-smi could not be started: Permission denied (os error 13)",
        Problem::PermissionDenied,
    ),
    (
        "NVIDIA: NVML not available: an internal driver error occurred; nvidia-smi did not answer within 2.0 s and was stopped",
        Problem::NvidiaSmiTimeout,
    ),
    (
        "NVIDIA: NVML not available: an internal driver error occurred; nvidia-smi could not be started: No such file or directory (os error 2)",
        Problem::NvidiaSmiMissing,
    ),
    (
        "NVIDIA: NVML not available: a libloading error occurred: x; No devices were found",
        Problem::NoNvidiaGpu,
    ),
    (
        "NVML not available: a libloading error occurred: libnvidia-ml.so.1: cannot open shared object file; used nvidia-smi instead",
        Problem::ReadWithNvidiaSmi,
    ),
    (
        "system did not answer within 1.5 s; its values are missing",
        Problem::SourceTimedOut,
    ),
];

#[test]
fn known_failures_become_one_plain_sentence_in_both_languages() {
    for (note, want) in CASES {
        assert_eq!(Problem::classify(note), Some(want), "{note}");
        for lang in [Lang::En, Lang::Zh] {
            let s = plain_note(note, lang);
            assert!(!s.contains("libloading") && !s.contains("os error"), "{s}");
            assert!(!s.contains(';') && !s.contains('\n'), "one sentence: {s}");
            assert!(s.chars().count() < 100, "short: {s}");
        }
    }
    let zh = plain_note(CASES[0].0, Lang::Zh);
    assert_eq!(zh, "未找到 NVIDIA 驱动");
    assert_eq!(plain_note(CASES[0].0, Lang::En), "No NVIDIA driver found");
    assert!(plain_note(CASES[3].0, Lang::En).contains("restart"));
    assert!(plain_note(CASES[3].0, Lang::Zh).contains("重启"));
}

#[test]
fn every_problem_has_distinct_sentences_in_english_and_chinese() {
    let mut seen = std::collections::HashSet::new();
    for (_, p) in CASES {
        let (en, zh) = (p.sentence(Lang::En), p.sentence(Lang::Zh));
        assert_ne!(en, zh);
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{zh}"
        );
        seen.insert(en);
    }
    assert_eq!(
        seen.len(),
        CASES.len() - 2,
        "two pairs of cases share a problem"
    );
}

#[test]
fn other_notes_are_shown_as_they_are() {
    for note in [
        "NVIDIA GeForce RTX 5090 is not in the catalog",
        "a 4 GiB report for NVIDIA GeForce RTX 3090 is a 32-bit ceiling; corrected to the catalog's 24 GB",
        "sysfs card0: mem_info_vram_total `x` is unreadable; ignored",
    ] {
        assert_eq!(Problem::classify(note), None, "{note}");
        assert_eq!(plain_note(note, Lang::Zh), note);
    }
}

#[test]
fn this_machines_notes_never_show_a_raw_loader_error() {
    // Whatever this machine has, what a user reads is either a plain sentence or a note that
    // carries no loader internals.
    let p = deepseek_advisor::hardware::detect::detect();
    for n in &p.notes {
        let shown = plain_note(n, Lang::En);
        assert!(!shown.contains("libloading"), "{shown}");
    }
}
