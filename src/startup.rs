//! When the process started, for the first-frame measurement (`DEEPSEEK_ADVISOR_STARTUP_PROBE`).

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
