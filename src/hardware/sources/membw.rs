//! CPU memory bandwidth: from the platform table (cpus.ron) when the CPU is recognized, else from a
//! short multi-threaded copy probe (≤ 150 ms), cached per CPU so it runs once.

use crate::catalog::schema::CpuPlatform;
use crate::catalog::Catalog;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// STREAM-type copies reach 60–85% of the theoretical peak (hardware.md §1e); the probe's figure is
/// divided by the middle of that range to estimate the peak the estimator's efficiencies refer to.
pub const PROBE_SHARE_OF_PEAK: f64 = 0.725;

/// The platform whose CPU-name pattern is the longest substring of `brand`.
pub fn match_platform<'a>(catalog: &'a Catalog, brand: &str) -> Option<&'a CpuPlatform> {
    let b = brand.to_ascii_lowercase();
    catalog
        .cpus
        .platforms
        .iter()
        .flat_map(|p| p.cpu_matches.iter().map(move |m| (p, m)))
        .filter(|(_, m)| !m.is_empty() && b.contains(&m.to_ascii_lowercase()))
        .max_by_key(|(_, m)| m.len())
        .map(|(p, _)| p)
}

/// Copies buffers on up to `threads` threads for about `budget` and returns the achieved
/// bandwidth in GB/s, counting bytes read and written.
pub fn probe(threads: usize, budget: Duration) -> f64 {
    const BUF: usize = 32 * 1024 * 1024;
    let threads = threads.clamp(1, 8);
    let start = Instant::now();
    let bytes: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let src = vec![1u8; BUF];
                    let mut dst = vec![0u8; BUF];
                    let mut copied = 0usize;
                    // First pass faults the pages in; it is not counted.
                    dst.copy_from_slice(&src);
                    let t0 = Instant::now();
                    while t0.elapsed() < budget {
                        dst.copy_from_slice(&src);
                        std::hint::black_box(&mut dst);
                        copied += 2 * BUF;
                    }
                    copied
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let secs = start.elapsed().as_secs_f64().max(1e-6);
    bytes as f64 / secs / 1e9
}

fn cache_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("LOCALAPPDATA").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("deepseek-advisor").join("memory-bandwidth.txt"))
}

/// How the probe's source text begins; `probe_date` reads the date after it.
const PROBE_SOURCE: &str = "copy probe, measured ";

/// The probe result for this CPU, from the cache when it was measured before. The source says
/// when it was measured and that a busy machine reads low (the probe competes with other work).
pub fn probed_peak_gbs(brand: &str, logical: u32) -> (f64, String) {
    let key = format!("{brand}|{logical}");
    let cache = cache_file();
    // Read with the size limit every input file has: a cache file is input too.
    let cached = cache
        .as_ref()
        .and_then(|f| crate::fsutil::read_text(f).ok())
        .map(|(text, _)| text);
    if let Some(text) = cached {
        if let Some((gbs, when)) = parse_cache(&text, &key) {
            return (
                gbs,
                format!(
                    "{PROBE_SOURCE}{}, cached; a busy machine reads low",
                    crate::date::date_of_unix(when)
                ),
            );
        }
    }
    let measured = probe(logical as usize, Duration::from_millis(100));
    let peak = measured / PROBE_SHARE_OF_PEAK;
    let now = crate::date::unix_now();
    if let Some(f) = cache {
        if let Some(dir) = f.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = crate::fsutil::write_atomically(&f, format!("{key}={peak};{now}\n").as_bytes());
    }
    (
        peak,
        format!(
            "{PROBE_SOURCE}{}: {measured:.1} GB/s ÷ {PROBE_SHARE_OF_PEAK}; a busy machine reads low",
            crate::date::date_of_unix(now)
        ),
    )
}

/// The cached peak and when it was measured (Unix seconds), if the cache is for this CPU. Older
/// caches without a date are ignored, so the probe runs again.
fn parse_cache(text: &str, key: &str) -> Option<(f64, u64)> {
    let (k, v) = text.trim().rsplit_once('=')?;
    let (gbs, when) = v.split_once(';')?;
    let gbs: f64 = gbs.parse().ok()?;
    let when: u64 = when.parse().ok()?;
    // A damaged or edited cache must not become a figure the machine check then refuses.
    let plausible = gbs.is_finite() && gbs > 0.0 && gbs <= crate::hardware::machine::MAX_CPU_BW_GBS;
    (k == key && plausible).then_some((gbs, when))
}

/// Forgets the cached probe, so the next detection measures again (a reading taken while the
/// machine was busy is low).
pub fn forget_cached_probe() {
    if let Some(f) = cache_file() {
        let _ = std::fs::remove_file(f);
    }
}

/// The date a probe source text says the bandwidth was measured (`YYYY-MM-DD`), or `None` when
/// the bandwidth came from elsewhere.
pub fn probe_date(source: &str) -> Option<&str> {
    source.strip_prefix(PROBE_SOURCE)?.get(..10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_lines_need_the_key_a_positive_value_and_a_date() {
        assert_eq!(
            parse_cache("cpu|8=52.5;1764547200\n", "cpu|8"),
            Some((52.5, 1_764_547_200))
        );
        assert_eq!(parse_cache("cpu|8=52.5", "cpu|8"), None, "old format");
        assert_eq!(parse_cache("cpu|4=52.5;1", "cpu|8"), None);
        assert_eq!(parse_cache("cpu|8=NaN;1", "cpu|8"), None);
        assert_eq!(parse_cache("cpu|8=-1;1", "cpu|8"), None);
        assert_eq!(
            parse_cache("cpu|8=1e300;1", "cpu|8"),
            None,
            "beyond any machine"
        );
    }

    #[test]
    fn the_source_names_the_date() {
        let s = format!("{PROBE_SOURCE}2026-12-01, cached; a busy machine reads low");
        assert_eq!(probe_date(&s), Some("2026-12-01"));
        assert_eq!(probe_date("platform table: DDR5"), None);
    }
}
