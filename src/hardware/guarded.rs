//! Running detection sources so that none can take the program down: each runs on its own thread
//! under one time budget, and a source that fails, panics or runs late becomes a note naming it
//! while the others' answers are kept. (A missing OS function that aborts the process cannot be
//! caught here: such functions are loaded at run time or not called, see `sources::dxgi`.)

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A named piece of detection work.
pub type Job<T> = (&'static str, Box<dyn FnOnce() -> T + Send>);

/// What the jobs gave within the budget.
#[derive(Debug)]
pub struct Collected<T> {
    /// Answers in the order they arrived.
    pub answers: Vec<(&'static str, T)>,
    /// Jobs that panicked or could not be started, with what happened.
    pub failed: Vec<(&'static str, String)>,
    /// Jobs still running when the budget ran out (their threads are left to finish alone).
    pub late: Vec<&'static str>,
}

/// The text a panic carried (`panic!("…")` gives a `&str` or a `String`).
pub fn panic_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Runs every job on its own thread and waits at most `budget` for all of them.
pub fn collect<T: Send + 'static>(jobs: Vec<Job<T>>, budget: Duration) -> Collected<T> {
    let start = Instant::now();
    let (tx, rx) = mpsc::channel::<(&'static str, Result<T, String>)>();
    let mut pending: Vec<&'static str> = Vec::new();
    let mut failed = Vec::new();
    for (name, job) in jobs {
        let tx = tx.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("detect-{name}"))
            .spawn(move || {
                let result = catch_unwind(AssertUnwindSafe(job)).map_err(|p| panic_text(&*p));
                let _ = tx.send((name, result));
            });
        match spawned {
            Ok(_) => pending.push(name),
            Err(e) => failed.push((name, format!("could not be started: {e}"))),
        }
    }
    drop(tx);
    let mut answers = Vec::new();
    while !pending.is_empty() {
        let left = budget.saturating_sub(start.elapsed());
        let Ok((name, result)) = rx.recv_timeout(left) else {
            break;
        };
        pending.retain(|p| *p != name);
        match result {
            Ok(answer) => answers.push((name, answer)),
            Err(text) => failed.push((name, format!("failed ({text})"))),
        }
    }
    Collected {
        answers,
        failed,
        late: pending,
    }
}
