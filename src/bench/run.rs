//! A whole measurement: find or reach the server, identify it, one warm-up request, then at each
//! concurrency level several requests with that many users at once. Bounded by a request count
//! and one time limit; Ctrl-C (the cancel flag) stops it between two reads.

use super::http::Client;
use super::request::{self, Sample};
use super::server::{self, ServerInfo};
use super::url::ServerUrl;
use super::BenchError;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// What to measure and within which bounds.
#[derive(Debug, Clone)]
pub struct BenchConfig {
    /// The server; `None` looks on the usual local ports.
    pub url: Option<ServerUrl>,
    /// The model to ask for when the server serves several.
    pub model: Option<String>,
    /// Users at once, one level each, in order.
    pub concurrency: Vec<u32>,
    /// Prompt length asked for, tokens (the server's count is reported).
    pub prompt_tokens: u32,
    /// Answer length, tokens.
    pub max_tokens: u32,
    /// Requests per level at least (each level sends a whole number of rounds of its users).
    pub requests: u32,
    /// The whole measurement stops with an error past this.
    pub time_limit: Duration,
    pub api_key: Option<String>,
}

impl Default for BenchConfig {
    fn default() -> Self {
        BenchConfig {
            url: None,
            model: None,
            concurrency: vec![1],
            prompt_tokens: 512,
            max_tokens: 128,
            requests: 3,
            time_limit: Duration::from_secs(300),
            api_key: None,
        }
    }
}

/// Limits on the flags, so a typo cannot start an hour of requests.
pub const MAX_CONCURRENCY: u32 = 256;
pub const MAX_LEVELS: usize = 8;
pub const MAX_REQUESTS: u32 = 64;
pub const MAX_PROMPT_TOKENS: u32 = 32_768;
pub const MAX_OUTPUT_TOKENS: u32 = 4_096;
/// Fewer output tokens than this time decoding too coarsely.
pub const MIN_OUTPUT_TOKENS: u32 = 8;
pub const MAX_TIME_LIMIT: Duration = Duration::from_secs(3600);

impl BenchConfig {
    /// Checks the bounds; the message names the flag.
    pub fn validate(&self) -> Result<(), BenchError> {
        let bad = |flag: &str, why: String| Err(BenchError::BadInput(format!("{flag}: {why}")));
        if self.concurrency.is_empty() || self.concurrency.len() > MAX_LEVELS {
            return bad(
                "--concurrency",
                format!("give 1 to {MAX_LEVELS} levels, e.g. 1,4,16"),
            );
        }
        if let Some(c) = self
            .concurrency
            .iter()
            .find(|c| **c == 0 || **c > MAX_CONCURRENCY)
        {
            return bad(
                "--concurrency",
                format!("{c} users: each level must be 1 to {MAX_CONCURRENCY}"),
            );
        }
        if self.prompt_tokens == 0 || self.prompt_tokens > MAX_PROMPT_TOKENS {
            return bad(
                "--prompt-tokens",
                format!("{} must be 1 to {MAX_PROMPT_TOKENS}", self.prompt_tokens),
            );
        }
        if !(MIN_OUTPUT_TOKENS..=MAX_OUTPUT_TOKENS).contains(&self.max_tokens) {
            return bad(
                "--max-tokens",
                format!(
                    "{} must be {MIN_OUTPUT_TOKENS} to {MAX_OUTPUT_TOKENS}",
                    self.max_tokens
                ),
            );
        }
        if self.requests == 0 || self.requests > MAX_REQUESTS {
            return bad(
                "--requests",
                format!("{} must be 1 to {MAX_REQUESTS}", self.requests),
            );
        }
        if self.time_limit < Duration::from_secs(1) || self.time_limit > MAX_TIME_LIMIT {
            return bad(
                "--time-limit",
                format!(
                    "{} s must be 1 to {} s",
                    self.time_limit.as_secs(),
                    MAX_TIME_LIMIT.as_secs()
                ),
            );
        }
        Ok(())
    }

    /// Requests sent at `users` at once: whole rounds of all users, at least `requests`.
    pub fn requests_at(&self, users: u32) -> u32 {
        users * self.requests.div_ceil(users)
    }
}

/// One concurrency level's figures. Rates are medians over its requests, with the spread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelResult {
    pub concurrency: u32,
    /// Time to first token, seconds (median; `ttft_s_range` is min–max).
    pub ttft_s: f64,
    pub prefill_tok_s: f64,
    /// Per-user decode speed, tokens/s.
    pub decode_tok_s: f64,
    /// Output tokens of all users ÷ the level's wall time.
    pub aggregate_tok_s: f64,
    pub requests: u32,
    pub ttft_s_range: (f64, f64),
    pub decode_tok_s_range: (f64, f64),
    /// Prompt and answer lengths as the server counted them (median).
    pub prompt_tokens: u32,
    pub output_tokens: u32,
}

/// A finished measurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    pub server: ServerInfo,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub prompt_tokens: u32,
    pub max_tokens: u32,
    pub results: Vec<LevelResult>,
}

/// What `run` reports while it works.
#[derive(Debug, Clone)]
pub enum Progress {
    /// Local servers found on the usual ports (only without `--url`).
    Found(Vec<server::Found>),
    Identified(ServerInfo),
    WarmUp,
    Level {
        concurrency: u32,
        done: u32,
        of: u32,
        elapsed: Duration,
    },
}

impl Progress {
    /// One line saying where the measurement is (the command line's progress, the app's bar).
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Progress::Found(found) => {
                if found.is_empty() {
                    lang.pick(
                        "No server on the usual local ports.",
                        "常用本地端口上没有发现服务。",
                    )
                    .to_string()
                } else {
                    let list: Vec<String> = found
                        .iter()
                        .map(|f| format!("{} ({}?)", f.url, f.usual))
                        .collect();
                    format!(
                        "{} {}{}",
                        lang.pick("Found:", "发现："),
                        list.join(", "),
                        if found.len() > 1 {
                            lang.pick(
                                " — measuring the first; choose another with --url",
                                " —— 测量第一个；用 --url 选择其他",
                            )
                        } else {
                            ""
                        }
                    )
                }
            }
            Progress::Identified(s) => format!(
                "{} {} {} {}: {}",
                lang.pick("Server:", "服务："),
                s.label(),
                lang.pick("at", "位于"),
                s.url,
                s.model
            ),
            Progress::WarmUp => lang.pick("Warm-up request…", "预热请求…").to_string(),
            Progress::Level {
                concurrency,
                done,
                of,
                elapsed,
            } => format!(
                "{} {concurrency}: {done}/{of} {} ({:.0} s)",
                lang.pick("Users at once", "并发用户"),
                lang.pick("requests", "个请求"),
                elapsed.as_secs_f64()
            ),
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn range(v: &[f64]) -> (f64, f64) {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (0.0, 0.0)
    }
}

/// The level's figures from its requests' samples.
pub fn summarize(concurrency: u32, samples: &[Sample]) -> LevelResult {
    let ttft: Vec<f64> = samples.iter().map(|s| s.ttft_s).collect();
    let decode: Vec<f64> = samples.iter().map(|s| s.decode_tok_s).collect();
    let span = match (
        samples.iter().map(|s| s.started).min(),
        samples.iter().map(|s| s.ended).max(),
    ) {
        (Some(a), Some(b)) => (b - a).as_secs_f64(),
        _ => 0.0,
    };
    let output: u64 = samples.iter().map(|s| u64::from(s.output_tokens)).sum();
    let med_u32 = |f: fn(&Sample) -> u32| {
        median(samples.iter().map(|s| f64::from(f(s))).collect()).round() as u32
    };
    LevelResult {
        concurrency,
        ttft_s: median(ttft.clone()),
        prefill_tok_s: median(samples.iter().map(|s| s.prefill_tok_s).collect()),
        decode_tok_s: median(decode.clone()),
        aggregate_tok_s: if span > 0.0 {
            output as f64 / span
        } else {
            0.0
        },
        requests: samples.len() as u32,
        ttft_s_range: range(&ttft),
        decode_tok_s_range: range(&decode),
        prompt_tokens: med_u32(|s| s.prompt_tokens),
        output_tokens: med_u32(|s| s.output_tokens),
    }
}

/// The server to measure: `--url`, else the first of the usual local ports that answers.
fn reach(cfg: &BenchConfig, progress: &mut dyn FnMut(Progress)) -> Result<ServerUrl, BenchError> {
    if let Some(u) = &cfg.url {
        return Ok(u.clone());
    }
    let found = server::find_local();
    progress(Progress::Found(found.clone()));
    found
        .first()
        .map(|f| f.url.clone())
        .ok_or(BenchError::NothingFound)
}

/// Runs `count` requests with `users` at once; reports each finished request.
#[allow(clippy::too_many_arguments)]
fn level(
    client: &Client,
    server: &ServerInfo,
    cfg: &BenchConfig,
    users: u32,
    first_request_number: u32,
    deadline: Instant,
    started: Instant,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<Sample>, BenchError> {
    let count = cfg.requests_at(users);
    let next = Arc::new(AtomicU32::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel::<Result<Sample, BenchError>>();
    let mut workers = Vec::new();
    for _ in 0..users {
        let (client, server, next, halt, tx) = (
            client.with_stop(stop.clone()),
            server.clone(),
            next.clone(),
            stop.clone(),
            tx.clone(),
        );
        let (prompt_tokens, max_tokens) = (cfg.prompt_tokens, cfg.max_tokens);
        let spawned = std::thread::Builder::new()
            .name("bench-user".into())
            .spawn(move || loop {
                if halt.load(Ordering::Relaxed) {
                    break;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    break;
                }
                let text = request::prompt(first_request_number + i, prompt_tokens);
                let r = request::measure(&client, &server, &text, max_tokens, deadline);
                let failed = r.is_err();
                let _ = tx.send(r);
                if failed {
                    break;
                }
            });
        match spawned {
            Ok(h) => workers.push(h),
            Err(e) => {
                stop.store(true, Ordering::Relaxed);
                return Err(BenchError::Protocol(format!(
                    "cannot start a user thread: {e}"
                )));
            }
        }
    }
    drop(tx);
    let mut samples = Vec::new();
    let mut first_error = None;
    for r in rx {
        match r {
            Ok(s) => {
                samples.push(s);
                progress(Progress::Level {
                    concurrency: users,
                    done: samples.len() as u32,
                    of: count,
                    elapsed: started.elapsed(),
                });
            }
            Err(e) => {
                // The other users stop at their next read; the first error is the one to tell.
                stop.store(true, Ordering::Relaxed);
                if first_error.is_none() && !matches!(e, BenchError::Stopped) {
                    first_error = Some(e);
                }
            }
        }
    }
    for w in workers {
        let _ = w.join();
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(samples),
    }
}

/// Measures a server. Nothing is saved here; the caller saves a finished report.
pub fn run(
    cfg: &BenchConfig,
    cancel: Arc<AtomicBool>,
    progress: &mut dyn FnMut(Progress),
) -> Result<BenchReport, BenchError> {
    cfg.validate()?;
    let started = Instant::now();
    let deadline = started + cfg.time_limit;
    let too_slow = |what: String| BenchError::TooSlow {
        limit_s: cfg.time_limit.as_secs(),
        what,
    };
    let url = reach(cfg, progress)?;
    let client = Client::new(url, cfg.api_key.clone(), cancel);
    let server =
        server::identify(&client, cfg.model.as_deref(), deadline).map_err(|e| match e {
            BenchError::DeadlinePassed => too_slow("describing itself".into()),
            e => e,
        })?;
    progress(Progress::Identified(server.clone()));
    progress(Progress::WarmUp);
    // Warm-up: loads the model (Ollama loads on first use) and fills the server's caches.
    let warm_tokens = cfg.max_tokens.min(16);
    request::measure(
        &client,
        &server,
        &request::prompt(0, cfg.prompt_tokens),
        warm_tokens,
        deadline,
    )
    .map_err(|e| match e {
        BenchError::DeadlinePassed => {
            too_slow(format!("the warm-up request ({warm_tokens} tokens)"))
        }
        e => e,
    })?;
    let mut results = Vec::new();
    let mut number = 1;
    for &users in &cfg.concurrency {
        let samples = level(
            &client, &server, cfg, users, number, deadline, started, progress,
        )
        .map_err(|e| match e {
            BenchError::DeadlinePassed => too_slow(format!(
                "{} requests of {} tokens with {users} user(s) at once",
                cfg.requests_at(users),
                cfg.max_tokens
            )),
            e => e,
        })?;
        number += cfg.requests_at(users);
        results.push(summarize(users, &samples));
    }
    Ok(BenchReport {
        server,
        date: crate::date::today(),
        prompt_tokens: cfg.prompt_tokens,
        max_tokens: cfg.max_tokens,
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(t0: Instant, start_ms: u64, end_ms: u64, ttft: f64, decode: f64, out: u32) -> Sample {
        Sample {
            started: t0 + Duration::from_millis(start_ms),
            ended: t0 + Duration::from_millis(end_ms),
            ttft_s: ttft,
            prompt_tokens: 500,
            output_tokens: out,
            prefill_tok_s: 500.0 / ttft,
            decode_tok_s: decode,
        }
    }

    #[test]
    fn a_level_is_medians_spread_and_all_users_output_over_wall_time() {
        let t0 = Instant::now();
        let s = [
            sample(t0, 0, 1000, 0.2, 30.0, 100),
            sample(t0, 0, 1500, 0.4, 20.0, 100),
            sample(t0, 500, 2000, 0.3, 25.0, 100),
        ];
        let r = summarize(2, &s);
        assert_eq!(r.ttft_s, 0.3);
        assert_eq!(r.decode_tok_s, 25.0);
        assert_eq!(r.ttft_s_range, (0.2, 0.4));
        assert_eq!(r.decode_tok_s_range, (20.0, 30.0));
        assert!((r.aggregate_tok_s - 150.0).abs() < 1e-9);
        assert_eq!(
            (r.requests, r.prompt_tokens, r.output_tokens),
            (3, 500, 100)
        );
        assert_eq!(median(vec![1.0, 4.0, 2.0, 3.0]), 2.5);
        let empty = summarize(1, &[]);
        assert_eq!((empty.ttft_s, empty.aggregate_tok_s), (0.0, 0.0));
    }

    #[test]
    fn whole_rounds_of_users_and_bounded_flags() {
        let c = BenchConfig::default();
        assert_eq!(c.requests_at(1), 3);
        assert_eq!(c.requests_at(2), 4);
        assert_eq!(c.requests_at(16), 16);
        for (cfg, flag) in [
            (
                BenchConfig {
                    concurrency: vec![0],
                    ..c.clone()
                },
                "--concurrency",
            ),
            (
                BenchConfig {
                    concurrency: vec![1; 9],
                    ..c.clone()
                },
                "--concurrency",
            ),
            (
                BenchConfig {
                    max_tokens: 2,
                    ..c.clone()
                },
                "--max-tokens",
            ),
            (
                BenchConfig {
                    prompt_tokens: 0,
                    ..c.clone()
                },
                "--prompt-tokens",
            ),
            (
                BenchConfig {
                    requests: 0,
                    ..c.clone()
                },
                "--requests",
            ),
            (
                BenchConfig {
                    time_limit: Duration::ZERO,
                    ..c.clone()
                },
                "--time-limit",
            ),
        ] {
            let e = cfg.validate().unwrap_err().to_string();
            assert!(e.starts_with(flag), "{e}");
        }
        assert!(c.validate().is_ok());
    }
}
