//! When the process started and how much anonymous memory it holds, for the first-frame probe
//! (`DEEPSEEK_ADVISOR_STARTUP_PROBE=1` prints both at the first frame and exits).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

static START: OnceLock<Instant> = OnceLock::new();

/// Call first thing in `main`.
pub fn mark() {
    START.get_or_init(Instant::now);
}

pub fn since_process_start() -> Duration {
    START.get_or_init(Instant::now).elapsed()
}

/// The process's anonymous memory (heap, stacks, private mappings) in bytes, from
/// `/proc/self/smaps_rollup`; `None` where that file does not exist (not Linux). Printed by the
/// first-frame probe.
pub fn anonymous_memory_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/smaps_rollup").ok()?;
    parse_anonymous_kb(&text).map(|kb| kb * 1024)
}

fn parse_anonymous_kb(smaps_rollup: &str) -> Option<u64> {
    smaps_rollup
        .lines()
        .find_map(|l| l.strip_prefix("Anonymous:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_anonymous_line() {
        let text = "Rss:  120 kB\nAnonymous:       38912 kB\nKSM: 0 kB\n";
        assert_eq!(super::parse_anonymous_kb(text), Some(38_912));
        assert_eq!(super::parse_anonymous_kb("Rss: 1 kB\n"), None);
    }
}
