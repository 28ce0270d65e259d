//! One server under load: the operating point at a concurrency (each user's decode speed, the
//! server's output tok/s, time to first token, requests per second), the largest concurrency its
//! KV pool holds, and the largest concurrency that meets a service level — "how many users at
//! once". Prompts are prefilled between decode steps, so prefill work takes time from decoding.

use super::{calibration, fit_with_params, params, Fit, FitOptions, MAX_CONCURRENCY};
use crate::catalog::schema::{ModelEntry, QuantEntry};
use crate::hardware::Machine;

/// Tokens per request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RequestShape {
    pub input_tokens: f64,
    pub output_tokens: f64,
}

impl RequestShape {
    /// A prompt and an answer of half the context window each: what `estimate` reports when no
    /// workload says otherwise.
    pub fn half_window(context: u32) -> RequestShape {
        let half = f64::from(context) / 2.0;
        RequestShape {
            input_tokens: half,
            output_tokens: half,
        }
    }

    /// The context window a request needs (at least one token).
    pub fn context(&self) -> u32 {
        (self.input_tokens + self.output_tokens)
            .ceil()
            .clamp(1.0, f64::from(u32::MAX)) as u32
    }
}

/// What users must get.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceLevel {
    /// Slowest acceptable decode speed per user, tokens/s.
    pub min_user_tok_s: f64,
    /// Longest acceptable wait for the first token, seconds.
    pub max_ttft_s: f64,
}

/// A server at one concurrency.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct OperatingPoint {
    /// Sequences decoded together.
    pub concurrency: u32,
    /// Decode speed each user sees, tokens/s.
    pub per_user_tok_s: f64,
    /// Output tokens/s of the whole server, prefill interference included.
    pub aggregate_tok_s: f64,
    /// Time to first token, seconds: overhead + the prompt's prefill + waiting for the prefill queue.
    pub ttft_s: f64,
    /// Requests finished per second.
    pub requests_per_s: f64,
    /// Share of the server's time spent prefilling prompts.
    pub prefill_share: f64,
}

/// Prefill load beyond which the queue is treated as saturated.
const SATURATED: f64 = 0.95;

/// The operating point of `fit` (at its concurrency) for requests of `shape`.
pub fn operating_point(fit: &Fit, shape: RequestShape) -> OperatingPoint {
    let c = f64::from(fit.options.concurrency.max(1));
    let decode = fit.speed.aggregate.max(0.0);
    let prefill = fit.speed.prefill;
    if decode <= 0.0 || prefill <= 0.0 {
        return OperatingPoint {
            concurrency: fit.options.concurrency,
            ..OperatingPoint::default()
        };
    }
    let service = shape.input_tokens.max(0.0) / prefill;
    let overhead = calibration::ttft_overhead_s(fit.options.runtime);

    // Each user cycles through a first token and `output` decoded tokens; the prompts of the
    // requests per second take `rho` of the server's time from decoding. Solved by iteration.
    let mut rho = 0.0_f64;
    let mut point = OperatingPoint::default();
    for _ in 0..8 {
        let aggregate = decode * (1.0 - rho);
        let per_user = aggregate / c;
        let wait = if rho < SATURATED {
            service * rho / (2.0 * (1.0 - rho))
        } else {
            service * SATURATED / (2.0 * (1.0 - SATURATED))
        };
        let ttft = overhead + service + wait;
        let cycle = ttft + shape.output_tokens.max(1.0) / per_user.max(1e-9);
        let requests_per_s = c / cycle;
        point = OperatingPoint {
            concurrency: fit.options.concurrency,
            per_user_tok_s: per_user,
            aggregate_tok_s: aggregate,
            ttft_s: ttft,
            requests_per_s,
            prefill_share: rho,
        };
        rho = (requests_per_s * service).clamp(0.0, SATURATED);
    }
    point
}

/// How many sequences of this fit's context the KV pool holds beside the weights.
pub fn max_concurrency_by_memory(fit: &Fit) -> u32 {
    let p = &fit.placement;
    let per_sequence = fit.kv_bytes_per_sequence;
    if per_sequence <= 0.0 {
        return MAX_CONCURRENCY;
    }
    // Bytes already used without the KV cache, on the memory that holds the cache.
    let room = if p.gpu_capacity > 0.0 && p.gpus_used > 0 {
        let used = p.gpu_bytes - p.overhead.total() - fit.kv_bytes;
        p.gpu_capacity - used.max(0.0)
    } else {
        p.ram_capacity - (p.ram_bytes - fit.kv_bytes).max(0.0)
    };
    let n = (room / per_sequence).floor();
    if n.is_finite() && n >= 0.0 {
        (n as u32).min(MAX_CONCURRENCY)
    } else {
        0
    }
}

/// What stops a server from taking more users at the service level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The KV cache pool is full at the workload's context.
    Memory,
    /// One more user would get less than the per-user speed target.
    Speed,
    /// One more user would wait longer than the first-token target.
    FirstToken,
    /// The largest concurrency the estimator considers (`MAX_CONCURRENCY`).
    Ceiling,
}

impl Limit {
    pub fn json_name(self) -> &'static str {
        match self {
            Limit::Memory => "memory",
            Limit::Speed => "speed",
            Limit::FirstToken => "first_token",
            Limit::Ceiling => "ceiling",
        }
    }
}

/// Why not even one user gets the service level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Miss {
    /// The model does not fit the machine at the workload's context.
    DoesNotFit,
    /// One user alone decodes at this speed, below the target.
    TooSlow { per_user_tok_s: f64 },
    /// One user alone waits this long for the first token, above the target.
    FirstTokenTooSlow { ttft_s: f64 },
}

/// The largest concurrency that meets a service level, and why it stops there.
#[derive(Debug, Clone)]
pub struct ServingCapacity<'a> {
    pub point: OperatingPoint,
    pub fit: Fit<'a>,
    /// Sequences of the workload's context the KV pool holds.
    pub max_by_memory: u32,
    pub limit: Limit,
}

/// The largest concurrency that meets `level` and fits the KV pool, at `options.context`, with
/// its operating point and what stops it; or why not even one user gets the service level.
pub fn capacity<'a>(
    model: &'a ModelEntry,
    quant: &'a QuantEntry,
    machine: &Machine,
    options: FitOptions,
    shape: RequestShape,
    level: ServiceLevel,
) -> Result<ServingCapacity<'a>, Miss> {
    let p = params::count(&model.arch);
    let at = |c: u32| {
        let f = fit_with_params(
            model,
            quant,
            machine,
            FitOptions {
                concurrency: c,
                ..options
            },
            p,
        );
        (operating_point(&f, shape), f)
    };
    let fits = |f: &Fit| f.placement.kind != super::placement::PlacementKind::DoesNotFit;
    // The first target a point misses, if any.
    let misses = |point: &OperatingPoint, f: &Fit| {
        if !fits(f) {
            Some(Limit::Memory)
        } else if point.per_user_tok_s < level.min_user_tok_s {
            Some(Limit::Speed)
        } else if point.ttft_s > level.max_ttft_s {
            Some(Limit::FirstToken)
        } else {
            None
        }
    };
    let (first, first_fit) = at(1);
    match misses(&first, &first_fit) {
        Some(Limit::Memory) => return Err(Miss::DoesNotFit),
        Some(Limit::Speed) => {
            return Err(Miss::TooSlow {
                per_user_tok_s: first.per_user_tok_s,
            })
        }
        Some(_) => {
            return Err(Miss::FirstTokenTooSlow {
                ttft_s: first.ttft_s,
            })
        }
        None => {}
    }
    let max_by_memory = max_concurrency_by_memory(&first_fit).max(1);
    // Per-user speed falls and TTFT grows with concurrency: bisect for the last c that meets both.
    let (mut lo, mut hi) = (1u32, max_by_memory);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        let (point, f) = at(mid);
        if misses(&point, &f).is_none() {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let limit = if lo >= MAX_CONCURRENCY {
        Limit::Ceiling
    } else if lo >= max_by_memory {
        Limit::Memory
    } else {
        let (next, next_fit) = at(lo + 1);
        misses(&next, &next_fit).unwrap_or(Limit::Memory)
    };
    let (point, fit) = at(lo);
    Ok(ServingCapacity {
        point,
        fit,
        max_by_memory,
        limit,
    })
}
