//! The hot-expert cache in front of routed experts streamed from disk (ds4 `--ssd-streaming`,
//! llama.cpp's page cache over `mmap`ed experts): what share of the expert reads it serves.
//!
//! Formula. Each MoE layer routes a token to `k` of its `n` experts. Within a decoding session the
//! experts are not picked uniformly: their popularity falls off like a Zipf law, p(i) ∝ i^−s for the
//! i-th most used expert. A cache that holds the `C` most used experts of every layer (an LRU
//! converges to them) then serves
//!
//! ```text
//!     hit(C) = H(C, s) / H(n, s),   H(m, s) = Σ_{i=1..m} i^−s
//! ```
//!
//! of the expert reads, and nothing when it cannot hold one token's `k` experts (every slot is
//! evicted before its reuse; ds4 PR #725 raises its cache to that floor). With s = 0 (no
//! locality) the hit rate is just the cached share C / n.
//!
//! Evidence for s = 1 (`DEFAULT_ROUTING_ZIPF`): DeepSeek-V4-Flash in a llama.cpp fork with a
//! per-layer LRU cache of 24 / 32 / 40 / 64 of 256 experts measured hit rates of 58.8 / 64.0 /
//! 68.0 / 77.3% (nibor1896/Crow issue #30, hit and miss counters over 11,008 lookups); the
//! formula gives 61.3 / 66.0 / 69.7 / 77.4%. A 512-expert, top-10 model's per-layer LRU-64 hit
//! ~67% and LRU-128 ~81% (llama.cpp PR #27861); the formula gives 69.5% and 79.7%. A ds4 CUDA LRU
//! port hit 81% with about 68% of a V4-Flash q4's experts cached (ds4 issue #639), between the
//! uniform 68% and the formula's 93%. So the formula is the middle of the speed band and the
//! cached share (no locality) its low end; where a model's own routing was measured
//! (`ModelEntry::expert_popularity_zipf`) that exponent is used. Everything here is an estimate.

/// Zipf exponent of expert popularity within a session where the model has no measurement of its
/// own (sources in the module documentation).
pub const DEFAULT_ROUTING_ZIPF: f64 = 1.0;

/// Terms summed exactly before the tail is integrated.
const EXACT_TERMS: u32 = 8;

/// Σ_{i=1..m} i^−s for a fractional `m` (the last expert counted in part): the first terms exactly,
/// the tail by the midpoint rule ∫ x^−s dx over [8.5, m + 0.5] (error below 0.1% of the sum for
/// s ≤ 2), so the grid's many streaming cells cost a few operations each.
fn harmonic(m: f64, s: f64) -> f64 {
    let unit = (s - 1.0).abs() < 1e-9;
    // i^−s; the common s = 1 without a `powf`.
    let term = |i: u32| {
        if unit {
            f64::from(i).recip()
        } else {
            f64::from(i).powf(-s)
        }
    };
    let whole = m.floor().max(0.0) as u32;
    if whole <= EXACT_TERMS {
        let mut sum = 0.0;
        for i in 1..=whole {
            sum += term(i);
        }
        let part = m - f64::from(whole);
        if part > 0.0 {
            sum += part * term(whole + 1);
        }
        return sum;
    }
    let head: f64 = (1..=EXACT_TERMS).map(term).sum();
    let (a, b) = (f64::from(EXACT_TERMS) + 0.5, m + 0.5);
    let tail = if unit {
        (b / a).ln()
    } else {
        (b.powf(1.0 - s) - a.powf(1.0 - s)) / (1.0 - s)
    };
    head + tail
}

/// Share of routed-expert reads a cache holding `cached_share` (0–1) of every layer's experts
/// serves, for a layer of `experts` routed experts of which a token uses `per_token`, with
/// popularity exponent `zipf` (0 = no locality).
pub fn hit_rate(cached_share: f64, experts: u32, per_token: u32, zipf: f64) -> f64 {
    if !(cached_share.is_finite() && cached_share > 0.0) || experts == 0 {
        return 0.0;
    }
    if cached_share >= 1.0 {
        return 1.0;
    }
    let n = f64::from(experts);
    let slots = cached_share * n;
    if slots < f64::from(per_token) {
        return 0.0;
    }
    if zipf <= 0.0 {
        return cached_share;
    }
    (harmonic(slots, zipf) / harmonic(n, zipf)).clamp(cached_share, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproduces_the_measured_lru_hit_rates_of_v4_flash_within_three_points() {
        // nibor1896/Crow issue #30: 24/32/40/64 slots of 256 experts, top-6.
        for (slots, measured) in [(24.0, 0.588), (32.0, 0.640), (40.0, 0.680), (64.0, 0.773)] {
            let h = hit_rate(slots / 256.0, 256, 6, DEFAULT_ROUTING_ZIPF);
            assert!((h - measured).abs() < 0.03, "{slots}: {h} vs {measured}");
        }
        // llama.cpp PR #27861: 512 experts, top-10, LRU-64 ≈ 67%, LRU-128 ≈ 81%.
        for (slots, measured) in [(64.0, 0.67), (128.0, 0.81)] {
            let h = hit_rate(slots / 512.0, 512, 10, DEFAULT_ROUTING_ZIPF);
            assert!((h - measured).abs() < 0.03, "{slots}: {h} vs {measured}");
        }
    }

    #[test]
    fn no_locality_is_the_cached_share_and_bounds_hold() {
        assert!((hit_rate(0.3, 256, 6, 0.0) - 0.3).abs() < 1e-12);
        assert_eq!(hit_rate(0.0, 256, 6, 1.0), 0.0);
        assert_eq!(hit_rate(1.5, 256, 6, 1.0), 1.0);
        // A cache smaller than one token's experts thrashes.
        assert_eq!(hit_rate(5.0 / 256.0, 256, 6, 1.0), 0.0);
        assert_eq!(hit_rate(f64::NAN, 256, 6, 1.0), 0.0);
    }

    #[test]
    fn the_integrated_tail_matches_the_exact_sum() {
        for s in [0.5f64, 1.0, 1.8] {
            for m in [9.0f64, 23.0, 100.5, 256.0, 384.0] {
                let exact: f64 = (1..=(m as u32)).map(|i| f64::from(i).powf(-s)).sum::<f64>()
                    + (m - m.floor()) * (m.floor() + 1.0).powf(-s);
                let h = harmonic(m, s);
                assert!((h - exact).abs() / exact < 1e-3, "{s} {m}: {h} vs {exact}");
            }
        }
    }

    #[test]
    fn a_larger_cache_never_hits_less() {
        let mut last = 0.0;
        for i in 0..=256 {
            let h = hit_rate(f64::from(i) / 256.0, 256, 6, 1.0);
            assert!(h >= last - 1e-12, "{i}: {h} < {last}");
            last = h;
        }
    }
}
