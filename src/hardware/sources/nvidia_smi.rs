//! `nvidia-smi --query-gpu=name,memory.total,memory.free,driver_version --format=csv,noheader,nounits`,
//! the fallback when NVML cannot be loaded. Runs under a timeout: a hung nvidia-smi must not hang us.

use crate::hardware::profile::{GpuInfo, GpuVendor};
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const ARGS: [&str; 2] = [
    "--query-gpu=name,memory.total,memory.free,driver_version",
    "--format=csv,noheader,nounits",
];

/// How long nvidia-smi may take.
pub const TIMEOUT: Duration = Duration::from_secs(2);

const MIB: f64 = 1_048_576.0;

fn mib_field(s: &str) -> Option<f64> {
    let t = s.trim();
    t.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0)
}

/// Parses nvidia-smi's CSV. Error text nvidia-smi prints instead of rows (driver/library version
/// mismatch, no driver) becomes the error.
pub fn parse(stdout: &str) -> Result<Vec<GpuInfo>, String> {
    let mut gpus = Vec::new();
    for line in stdout.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let lower = line.to_ascii_lowercase();
        if lower.contains("failed")
            || lower.contains("mismatch")
            || lower.contains("couldn't communicate")
            || lower.contains("no devices were found")
        {
            return Err(line.to_string());
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() < 4 {
            return Err(format!("unexpected nvidia-smi line `{line}`"));
        }
        let total = mib_field(fields[1]);
        let mut notes = Vec::new();
        if total.is_none() {
            notes.push(format!("nvidia-smi reported memory.total `{}`", fields[1]));
        }
        gpus.push(GpuInfo {
            vendor: GpuVendor::Nvidia,
            name: fields[0].to_string(),
            vram_total_gb: total.map_or(0.0, |m| m * MIB / 1e9),
            vram_free_gb: mib_field(fields[2]).map(|m| m * MIB / 1e9),
            driver: Some(fields[3].to_string()).filter(|d| !d.starts_with('[')),
            unified_memory: false,
            pci: None,
            catalog_id: None,
            source: "nvidia-smi".into(),
            notes,
        });
    }
    Ok(gpus)
}

/// Runs a program and returns its standard output, killing it after `timeout`.
pub fn run_with_timeout(program: &str, args: &[&str], timeout: Duration) -> Result<String, String> {
    let mut command = Command::new(program);
    #[cfg(windows)]
    {
        // CREATE_NO_WINDOW: a console program started by the (GUI) app must not flash a window.
        use std::os::windows::process::CommandExt;
        command.creation_flags(0x0800_0000);
    }
    let mut child = command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{program} could not be started: {e}"))?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{program} did not answer within {:.1} s and was stopped",
                    timeout.as_secs_f64()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("{program}: {e}")),
        }
    }
    let mut out = String::new();
    let mut err = String::new();
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_string(&mut out);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_string(&mut err);
    }
    if out.trim().is_empty() && !err.trim().is_empty() {
        return Ok(err);
    }
    Ok(out)
}

/// Asks nvidia-smi for the GPUs.
pub fn query() -> Result<Vec<GpuInfo>, String> {
    parse(&run_with_timeout("nvidia-smi", &ARGS, TIMEOUT)?)
}
