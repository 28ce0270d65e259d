//! Every parser the program owns, as one table of fuzz targets. Shared by the fixed-seed pass in
//! `cargo test` (`tests/fuzz_parsers.rs`, via `#[path]`) and the coverage-guided campaign
//! (`fuzz/src/main.rs`, run by `scripts/fuzz.sh`), so both always cover the same parsers.
//!
//! A target takes raw bytes, feeds them to the parser the way the program would, and on success
//! also runs the first consumer of the result, asserting what must hold for any input: no panic,
//! no NaN or infinity, saved files read back unchanged. Invalid input must come back as an error,
//! never as a panic, hang or huge allocation.
//!
//! To add a parser: write `fn my_parser(data: &[u8])` below and add one `Target` row to
//! `TARGETS` with its seed files (and the number of mutations per seed `cargo test` tries). Both the
//! test pass and `scripts/fuzz.sh` pick it up.

use deepseek_advisor::catalog::{hf_config, Catalog};
use deepseek_advisor::cli::{Cli, Command};
use deepseek_advisor::hardware::profile::{GpuInfo, HardwareProfile};
use deepseek_advisor::hardware::sources::{apple, nvidia_smi, sysfs_drm};
use deepseek_advisor::hardware::Machine;
use deepseek_advisor::prices::{Day, PriceContext, UserPrices};
use deepseek_advisor::scenario::Scenario;
use std::path::{Path, PathBuf};

/// One parser under fuzzing.
pub struct Target {
    /// Name used by `scripts/fuzz.sh NAME` and for `tests/fuzz/regressions/NAME/`.
    pub name: &'static str,
    /// Files (or folders: every file in them) the mutations start from, relative to the
    /// repository root. The target's regression folder is always added.
    pub seeds: &'static [&'static str],
    pub run: fn(&[u8]),
    /// Mutated inputs per seed file in `cargo test`'s pass (debug build): lower for slow targets.
    pub test_cases: u32,
}

pub const TARGETS: &[Target] = &[
    Target {
        name: "scenario",
        seeds: &["scenarios"],
        run: scenario,
        test_cases: 24,
    },
    Target {
        name: "profile",
        seeds: &["tests/fuzz/seeds/profile"],
        run: profile,
        test_cases: 24,
    },
    Target {
        name: "hf_config",
        seeds: &[
            "tests/fixtures/deepseek_v3_config.json",
            "tests/fixtures/qwen2_7b_config.json",
        ],
        run: hf_config,
        test_cases: 24,
    },
    Target {
        name: "nvidia_smi",
        seeds: &["tests/fixtures/nvidia-smi"],
        run: nvidia_smi_csv,
        test_cases: 24,
    },
    Target {
        name: "sysfs",
        seeds: &["tests/fuzz/seeds/sysfs"],
        run: sysfs,
        test_cases: 24,
    },
    Target {
        name: "sysctl",
        seeds: &["tests/fuzz/seeds/sysctl"],
        run: sysctl,
        test_cases: 24,
    },
    Target {
        name: "gguf",
        seeds: &["tests/fuzz/seeds/gguf"],
        run: gguf,
        test_cases: 48,
    },
    Target {
        name: "safetensors",
        seeds: &["tests/fuzz/seeds/safetensors"],
        run: safetensors,
        test_cases: 48,
    },
    Target {
        name: "prices",
        seeds: &["assets/prices-example.ron"],
        run: prices,
        test_cases: 24,
    },
    Target {
        name: "cli",
        seeds: &["tests/fuzz/seeds/cli"],
        run: cli,
        test_cases: 3,
    },
];

/// The target called `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// Seed files of a target (sorted), read from the repository at `root`.
pub fn seed_files(root: &Path, t: &Target) -> Vec<PathBuf> {
    let regressions = format!("tests/fuzz/regressions/{}", t.name);
    let mut out = Vec::new();
    for s in t.seeds.iter().copied().chain([regressions.as_str()]) {
        let p = root.join(s);
        match std::fs::read_dir(&p) {
            Ok(entries) => out.extend(entries.filter_map(|e| e.ok()).map(|e| e.path())),
            Err(_) if p.is_file() => out.push(p),
            Err(_) => {}
        }
    }
    out.retain(|p| p.is_file() && !p.ends_with("README.md"));
    out.sort();
    out
}

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

fn finite(what: &str, v: f64) {
    assert!(v.is_finite(), "{what} is {v}");
}

/// A scratch file for this process and thread, for input the command line reads from a file.
fn scratch(name: &str) -> PathBuf {
    let id = format!("{:?}", std::thread::current().id());
    std::env::temp_dir().join(format!(
        "dsa-fuzz-{}-{}-{name}",
        std::process::id(),
        id.trim_start_matches("ThreadId(").trim_end_matches(')')
    ))
}

/// Runs the command line (the stable contract, DESIGN.md §5): it must exit 0 or 2 (never 1 or a
/// panic), print valid JSON for `--json`, and no NaN or infinity in tables (words the arguments
/// themselves contain aside: names are echoed).
fn run_cli(args: &[&str]) {
    let args: Vec<&str> = std::iter::once("deepseek-advisor")
        .chain(args.iter().copied())
        .collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = deepseek_advisor::cli::run_with(&args, &mut out, &mut err);
    assert!(
        code == 0 || code == 2,
        "exit code {code}: {}",
        String::from_utf8_lossy(&err)
    );
    let out = String::from_utf8_lossy(&out);
    if code == 0 && args.contains(&"--json") {
        let parsed = serde_json::from_str::<serde_json::Value>(&out);
        assert!(parsed.is_ok(), "invalid JSON: {parsed:?}\n{out}");
        return;
    }
    let bad = out
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| ["NaN", "inf"].contains(w) && !args.iter().any(|a| a.contains(w)));
    assert!(
        bad.is_none(),
        "`{}` in the output:\n{out}",
        bad.unwrap_or("")
    );
}

/// One small model estimated on the profile's machine, as `estimate --hardware` does.
fn estimate_on(p: &HardwareProfile) {
    if Machine::from_profile(p, Catalog::get()).is_err() {
        return;
    }
    let file = scratch("profile.ron");
    if std::fs::write(&file, p.to_ron()).is_err() {
        return;
    }
    let path = file.display().to_string();
    run_cli(&[
        "estimate",
        "--hardware",
        &path,
        "--model",
        "deepseek-r1-distill-qwen-7b",
        "--quant",
        "Q4_K_M",
        "--json",
        "--lang",
        "en",
    ]);
    let _ = std::fs::remove_file(&file);
}

/// A GGUF header: when it parses, the architecture and the size by tensor group are computed.
fn gguf(data: &[u8]) {
    use deepseek_advisor::modelfile::{arch, groups::Breakdown, HEADER_CAP};
    if let Ok(h) = deepseek_advisor::modelfile::gguf::parse(data, data.len() as u64, HEADER_CAP) {
        let _ = arch::from_gguf(&h.metadata, &h.tensors);
        for (_, bytes) in Breakdown::of(&h.tensors, arch::gguf_mtp_from(&h.metadata)).by_group() {
            finite("GGUF group bytes", bytes as f64);
        }
    }
}

/// A safetensors header: when it parses, the size by tensor group is computed.
fn safetensors(data: &[u8]) {
    use deepseek_advisor::modelfile::{groups::Breakdown, HEADER_CAP};
    let parsed =
        deepseek_advisor::modelfile::safetensors::parse(data, data.len() as u64, HEADER_CAP);
    if let Ok(h) = parsed {
        finite(
            "safetensors bytes",
            Breakdown::of(&h.tensors, Some(1)).total() as f64,
        );
    }
}

/// A price context on a fixed day, so a failing input replays the same way.
fn on_the_day(make: impl FnOnce(Day) -> PriceContext) -> PriceContext {
    make(Day::new(2026, 12, 1).expect("a real day"))
}

/// A price file: when it parses, plans with it stay finite in both currencies.
fn prices(data: &[u8]) {
    use deepseek_advisor::catalog::schema::Currency;
    let Ok(user) = UserPrices::from_ron(&text(data), "fuzz-prices.ron") else {
        return;
    };
    let ctx = on_the_day(|day| PriceContext::with_user(user, "fuzz-prices.ron".into(), day));
    for currency in [Currency::Cny, Currency::Usd] {
        let inputs = deepseek_advisor::cost::CostInputs::defaults(currency);
        let plan = deepseek_advisor::cost::plan(&inputs, &ctx);
        for o in &plan.options {
            finite("monthly cost with a price file", o.monthly);
            finite("horizon cost with a price file", o.horizon);
        }
        for p in &plan.rates.sources {
            finite(&p.item, p.value);
        }
    }
}

fn scenario(data: &[u8]) {
    let Ok(s) = Scenario::from_ron(&text(data), "fuzz.ron") else {
        return;
    };
    let again = Scenario::from_ron(&s.to_ron(), "saved.ron").expect("a saved scenario reads back");
    assert_eq!(again, s, "a saved scenario reads back unchanged");
    let plan = deepseek_advisor::cost::plan(&s.costs, &on_the_day(PriceContext::catalog_only));
    for o in &plan.options {
        finite("monthly cost", o.monthly);
        finite("horizon cost", o.horizon);
        for (item, v) in &o.breakdown {
            finite(item, *v);
        }
    }
    finite("requests/s", plan.capacity.requests_per_s);
    for b in &plan.break_evens {
        finite("break-even volume", b.requests_per_day);
        finite("break-even cost", b.monthly);
    }
    if let Some(p) = &s.hardware.profile {
        for (field, v) in p.numbers() {
            finite(&field, v);
        }
        estimate_on(p);
    }
}

fn profile(data: &[u8]) {
    let Ok(p) = HardwareProfile::from_ron(&text(data), "fuzz.ron") else {
        return;
    };
    for (field, v) in p.numbers() {
        finite(&field, v);
    }
    let again =
        HardwareProfile::from_ron(&p.to_ron(), "saved.ron").expect("a saved profile reads back");
    assert_eq!(again, p, "a saved profile reads back unchanged");
    estimate_on(&p);
}

fn hf_config(data: &[u8]) {
    let text = text(data);
    let Ok(model) = hf_config::from_json(&text, "fuzz/config.json") else {
        return;
    };
    assert!(model.arch.layers > 0 && model.arch.hidden > 0);
    let file = scratch("config.json");
    if std::fs::write(&file, text.as_bytes()).is_err() {
        return;
    }
    let path = file.display().to_string();
    run_cli(&[
        "estimate",
        "--model-config",
        &path,
        "--quant",
        "Q4_K_M",
        "--gpu",
        "rtx-4090",
        "--ram",
        "64",
        "--json",
    ]);
    let _ = std::fs::remove_file(&file);
}

/// A profile holding `gpus`, as detection would build it.
fn machine_with(gpus: Vec<GpuInfo>) {
    let p = HardwareProfile {
        ram_total_gb: 64.0,
        ram_available_gb: 60.0,
        gpus,
        ..HardwareProfile::default()
    };
    estimate_on(&p);
}

fn nvidia_smi_csv(data: &[u8]) {
    if let Ok(gpus) = nvidia_smi::parse(&text(data)) {
        for g in &gpus {
            finite("vram", g.vram_total_gb);
        }
        machine_with(gpus);
    }
}

/// The files of one `/sys/class/drm/cardN/device/` folder, separated by `\n---\n` in the input in
/// this order; a missing part is a missing file. A seventh part is the pci.ids text.
const SYSFS_FILES: [&str; 6] = [
    "class",
    "vendor",
    "device",
    "mem_info_vram_total",
    "mem_info_vram_used",
    "mem_info_gtt_total",
];

fn sysfs(data: &[u8]) {
    let text = text(data);
    let mut parts = text.split("\n---\n");
    // A fake `/sys/class/drm` for this call, removed after the scan.
    let id = format!("{:?}", std::thread::current().id());
    let root = std::env::temp_dir().join(format!(
        "dsa-fuzz-sysfs-{}-{}",
        std::process::id(),
        id.trim_start_matches("ThreadId(").trim_end_matches(')')
    ));
    let dev = root.join("card0").join("device");
    // A full disk is the machine's problem, not the parser's: skip the input.
    if std::fs::create_dir_all(&dev).is_err() {
        return;
    }
    for name in SYSFS_FILES {
        if let Some(content) = parts.next() {
            if std::fs::write(dev.join(name), content).is_err() {
                let _ = std::fs::remove_dir_all(&root);
                return;
            }
        }
    }
    let pci_ids = parts.next();
    let (gpus, _notes) = sysfs_drm::scan(&root, pci_ids);
    let _ = std::fs::remove_dir_all(&root);
    for g in &gpus {
        finite("vram", g.vram_total_gb);
        if let Some(f) = g.vram_free_gb {
            finite("free vram", f);
        }
    }
    machine_with(gpus);
}

/// `sysctl -n machdep.cpu.brand_string hw.memsize` output: two lines.
fn sysctl(data: &[u8]) {
    let text = text(data);
    let (brand, mem) = text.split_once('\n').unwrap_or((&text, ""));
    if let Ok((gpu, bytes)) = apple::from_sysctl(brand, mem) {
        finite("unified memory", gpu.vram_total_gb);
        assert!(bytes as f64 >= 0.0);
    }
}

/// Command-line arguments, one per line. Commands that would detect this machine or write a file
/// are only parsed: the fuzzer must not probe the hardware thousands of times or write where a
/// mutated argument points.
fn cli(data: &[u8]) {
    let text = text(data);
    let args: Vec<&str> = std::iter::once("deepseek-advisor")
        .chain(text.lines())
        .collect();
    let Ok(parsed) = <Cli as clap::Parser>::try_parse_from(&args) else {
        return;
    };
    let runs_safely = match &parsed.command {
        Some(Command::Check(a)) => {
            a.save_hardware.is_none() && (a.hw.hardware.is_some() || !a.hw.gpu.is_empty())
        }
        Some(Command::Estimate(a)) => a.hw.hardware.is_some() || !a.hw.gpu.is_empty(),
        Some(Command::Plan(_)) | Some(Command::Catalog(_)) => true,
        _ => false,
    };
    if !runs_safely {
        return;
    }
    run_cli(&args[1..]);
}
