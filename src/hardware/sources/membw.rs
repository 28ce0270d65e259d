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

/// The probe result for this CPU, from the cache when it was measured before.
pub fn probed_peak_gbs(brand: &str, logical: u32) -> (f64, String) {
    let key = format!("{brand}|{logical}");
    let cache = cache_file();
    if let Some(text) = cache.as_ref().and_then(|f| std::fs::read_to_string(f).ok()) {
        if let Some((k, v)) = text.trim().rsplit_once('=') {
            if k == key {
                if let Ok(gbs) = v.parse::<f64>() {
                    if gbs.is_finite() && gbs > 0.0 {
                        return (gbs, "copy probe (cached)".into());
                    }
                }
            }
        }
    }
    let measured = probe(logical as usize, Duration::from_millis(100));
    let peak = measured / PROBE_SHARE_OF_PEAK;
    if let Some(f) = cache {
        if let Some(dir) = f.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = crate::fsutil::write_atomically(&f, format!("{key}={peak}\n").as_bytes());
    }
    (
        peak,
        format!("copy probe: {measured:.1} GB/s measured ÷ {PROBE_SHARE_OF_PEAK}"),
    )
}
