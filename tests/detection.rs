//! Detection from recorded fixtures: nvidia-smi output, NVML devices (with MIG), sysfs trees,
//! sysctl values; merging, catalog matching and corrections; the profile file; this machine.

use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::hardware::detect::detect_within;
use deepseek_advisor::hardware::merge::merge;
use deepseek_advisor::hardware::profile::{GpuInfo, GpuVendor, HardwareProfile};
use deepseek_advisor::hardware::sources::{apple, nvidia_smi, nvml, sysfs_drm, system};
use deepseek_advisor::hardware::Machine;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn profile_with(gpus: Vec<GpuInfo>) -> HardwareProfile {
    let (gpus, notes) = merge(Catalog::get(), gpus);
    HardwareProfile {
        os: "test".into(),
        ram_total_gb: 64.0,
        ram_available_gb: 60.0,
        gpus,
        notes,
        cpu: deepseek_advisor::hardware::profile::CpuInfo {
            physical_cores: 16,
            logical_cores: 32,
            mem_bw_gbs: 89.6,
            ..Default::default()
        },
        ..HardwareProfile::default()
    }
}

fn machine(p: &HardwareProfile) -> Machine {
    Machine::from_profile(p, Catalog::get()).unwrap()
}

#[test]
fn no_gpu_gives_a_cpu_only_machine() {
    let p = profile_with(Vec::new());
    let m = machine(&p);
    assert!(m.gpus.is_empty());
    assert_eq!(m.ram_gb, 64.0);
}

#[test]
fn nvidia_smi_one_and_eight_gpus() {
    let one = nvidia_smi::parse(&fixture("nvidia-smi/one_4090.csv")).unwrap();
    assert_eq!(one.len(), 1);
    assert!((one[0].vram_total_gb - 24564.0 * 1_048_576.0 / 1e9).abs() < 1e-9);
    assert_eq!(one[0].driver.as_deref(), Some("550.54.14"));
    let p = profile_with(one);
    assert_eq!(p.gpus[0].catalog_id.as_deref(), Some("rtx-4090"));

    let eight = nvidia_smi::parse(&fixture("nvidia-smi/eight_h100.csv")).unwrap();
    assert_eq!(eight.len(), 8);
    let p = profile_with(eight);
    assert_eq!(
        p.gpus.len(),
        8,
        "identical cards from one source are not merged away"
    );
    let m = machine(&p);
    assert_eq!(m.gpus.len(), 1);
    assert_eq!(m.gpus[0].count, 8);
    assert_eq!(m.gpus[0].spec.id, "h100-sxm");
    assert!(
        (m.gpus[0].spec.vram_gb - 85.52).abs() < 0.01,
        "detected size is used: {}",
        m.gpus[0].spec.vram_gb
    );
}

#[test]
fn nvidia_smi_error_text_and_missing_values() {
    let e = nvidia_smi::parse(&fixture("nvidia-smi/version_mismatch.txt")).unwrap_err();
    assert!(e.contains("Driver/library version mismatch"), "{e}");
    let e = nvidia_smi::parse(
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
    )
    .unwrap_err();
    assert!(e.contains("couldn't communicate"));
    let g = nvidia_smi::parse(&fixture("nvidia-smi/mig_na.csv")).unwrap();
    assert_eq!(g[0].vram_free_gb, None);
    assert!(nvidia_smi::parse("garbage").is_err());
}

#[cfg(unix)]
#[test]
fn a_hung_nvidia_smi_is_stopped_at_the_timeout() {
    let start = Instant::now();
    let e = nvidia_smi::run_with_timeout("sleep", &["5"], Duration::from_millis(300)).unwrap_err();
    assert!(e.contains("did not answer"), "{e}");
    assert!(start.elapsed() < Duration::from_secs(3));
    let e =
        nvidia_smi::run_with_timeout("/nonexistent/nvidia-smi", &[], Duration::from_millis(300))
            .unwrap_err();
    assert!(e.contains("could not be started"));
}

#[test]
fn mig_instances_are_separate_devices_with_their_slice() {
    let devices = [nvml::NvidiaDevice {
        name: "NVIDIA A100-SXM4-80GB".into(),
        total_bytes: 85_899_345_920,
        free_bytes: 85_000_000_000,
        driver: Some("535.104.05".into()),
        pci: Some("00000000:07:00.0".into()),
        mig_instances: vec![
            (42_949_672_960, 42_000_000_000),
            (42_949_672_960, 42_000_000_000),
        ],
    }];
    let p = profile_with(nvml::to_gpu_infos(&devices));
    assert_eq!(p.gpus.len(), 2);
    assert!(p
        .gpus
        .iter()
        .all(|g| g.catalog_id.as_deref() == Some("a100-80gb-sxm")));
    assert!(p.gpus[0].notes[0].contains("MIG instance 1 of 2"));
    let m = machine(&p);
    assert_eq!(m.gpus[0].count, 2);
    assert!((m.gpus[0].spec.vram_gb - 42.95).abs() < 0.01);
}

fn record(source: &str, vendor: GpuVendor, name: &str, gb: f64, pci: Option<&str>) -> GpuInfo {
    GpuInfo {
        vendor,
        name: name.into(),
        vram_total_gb: gb,
        vram_free_gb: None,
        driver: None,
        unified_memory: false,
        pci: pci.map(String::from),
        catalog_id: None,
        source: source.into(),
        notes: Vec::new(),
    }
}

#[test]
fn a_24_gb_card_reported_as_4_gb_by_a_32_bit_field_is_corrected() {
    let capped = record(
        "sysinfo",
        GpuVendor::Nvidia,
        "NVIDIA GeForce RTX 4090",
        4_294_967_296.0 / 1e9,
        None,
    );
    let p = profile_with(vec![capped]);
    assert_eq!(p.gpus[0].vram_total_gb, 24.0);
    assert!(
        p.gpus[0].notes[0].contains("32-bit"),
        "{:?}",
        p.gpus[0].notes
    );
}

#[test]
fn the_same_card_from_two_sources_is_one_card() {
    let a = record(
        "NVML",
        GpuVendor::Nvidia,
        "NVIDIA GeForce RTX 4090",
        25.76,
        Some("00000000:01:00.0"),
    );
    let b = record(
        "sysinfo",
        GpuVendor::Nvidia,
        "NVIDIA GeForce RTX 4090",
        25.76,
        Some("0000:01:00.0"),
    );
    let c = record(
        "nvidia-smi",
        GpuVendor::Nvidia,
        "NVIDIA GeForce RTX 4090",
        25.76,
        None,
    );
    let p = profile_with(vec![b, c, a]);
    assert_eq!(p.gpus.len(), 1);
    assert_eq!(p.gpus[0].source, "NVML");
}

#[test]
fn a_gpu_not_in_the_catalog_is_shown_flagged_and_assumed() {
    let p = profile_with(vec![record(
        "sysinfo",
        GpuVendor::Other,
        "Moore Threads MTT S80",
        16.0,
        None,
    )]);
    assert_eq!(p.gpus[0].catalog_id, None);
    assert!(p.gpus[0].notes[0].contains("not in the catalog"));
    let m = machine(&p);
    assert_eq!(
        m.gpus[0].spec.mem_bw_gbs,
        deepseek_advisor::hardware::machine::UNKNOWN_GPU_BW_GBS
    );
    assert!(m
        .assumptions
        .iter()
        .any(|a| a.contains("not in the catalog")));
}

/// A sysfs card: `files` are (name, contents) under `device/`; the device folder is named by PCI
/// address and linked from `cardN/device` as the kernel does.
fn card(root: &Path, n: u32, pci: &str, files: &[(&str, &str)]) {
    let dev = root.join("devices").join(pci);
    std::fs::create_dir_all(&dev).unwrap();
    for (f, v) in files {
        std::fs::write(dev.join(f), v).unwrap();
    }
    let c = root.join(format!("card{n}"));
    std::fs::create_dir_all(&c).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&dev, c.join("device")).unwrap();
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(c.join("device")).unwrap();
        for (f, v) in files {
            std::fs::write(c.join("device").join(f), v).unwrap();
        }
    }
}

fn temp_root(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dsa-sysfs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const PCI_IDS: &str = "1002  Advanced Micro Devices, Inc. [AMD/ATI]\n\t744c  Navi 31 [Radeon RX 7900 XT/7900 XTX/7900M]\n\t15bf  Phoenix1\n8086  Intel Corporation\n\ta780  Raptor Lake-S GT1 [UHD Graphics 770]\n";

#[test]
fn amd_discrete_card_from_sysfs() {
    let root = temp_root("amd");
    card(
        &root,
        0,
        "0000:03:00.0",
        &[
            ("class", "0x030000\n"),
            ("vendor", "0x1002\n"),
            ("device", "0x744c\n"),
            ("mem_info_vram_total", "25753026560\n"),
            ("mem_info_vram_used", "1073741824\n"),
            ("mem_info_gtt_total", "33554432000\n"),
        ],
    );
    let (gpus, notes) = sysfs_drm::scan(&root, Some(PCI_IDS));
    assert!(notes.is_empty(), "{notes:?}");
    let p = profile_with(gpus);
    let g = &p.gpus[0];
    assert_eq!(g.vendor, GpuVendor::Amd);
    assert!(!g.unified_memory);
    assert_eq!(g.catalog_id.as_deref(), Some("rx-7900-xtx"), "{g:?}");
    assert_eq!(g.pci.as_deref(), Some("0000:03:00.0"));
    assert!((g.vram_free_gb.unwrap() - 24.68).abs() < 0.01);
    std::fs::remove_dir_all(&root).ok();
}

#[test]
fn amd_apu_carve_out_is_shared_memory_not_vram() {
    let root = temp_root("apu");
    card(
        &root,
        0,
        "0000:c4:00.0",
        &[
            ("class", "0x030000"),
            ("vendor", "0x1002"),
            ("device", "0x15bf"),
            ("mem_info_vram_total", "536870912"),
            ("mem_info_gtt_total", "16777216000"),
        ],
    );
    let (gpus, _) = sysfs_drm::scan(&root, Some(PCI_IDS));
    assert!(gpus[0].unified_memory);
    assert!(
        gpus[0].notes[0].contains("carve-out"),
        "{:?}",
        gpus[0].notes
    );
    let p = profile_with(gpus);
    let m = machine(&p);
    assert!(m.gpus.is_empty(), "an APU is not discrete VRAM");
    assert!(m
        .assumptions
        .iter()
        .any(|a| a.contains("shares system RAM")));
    std::fs::remove_dir_all(&root).ok();
}

#[test]
fn intel_igpu_next_to_an_nvidia_card() {
    let root = temp_root("igpu");
    card(
        &root,
        0,
        "0000:00:02.0",
        &[
            ("class", "0x030000"),
            ("vendor", "0x8086"),
            ("device", "0xa780"),
        ],
    );
    card(
        &root,
        1,
        "0000:01:00.0",
        &[
            ("class", "0x030000"),
            ("vendor", "0x10de"),
            ("device", "0x2684"),
        ],
    );
    let (mut gpus, _) = sysfs_drm::scan(&root, Some(PCI_IDS));
    assert_eq!(gpus.len(), 2);
    gpus.push(record(
        "NVML",
        GpuVendor::Nvidia,
        "NVIDIA GeForce RTX 4090",
        25.76,
        Some("00000000:01:00.0"),
    ));
    let p = profile_with(gpus);
    assert_eq!(p.gpus.len(), 2, "{:?}", p.gpus);
    let intel = p
        .gpus
        .iter()
        .find(|g| g.vendor == GpuVendor::Intel)
        .unwrap();
    assert!(intel.unified_memory);
    let m = machine(&p);
    assert_eq!(m.gpus.len(), 1);
    assert_eq!(m.gpus[0].spec.id, "rtx-4090");
    std::fs::remove_dir_all(&root).ok();
}

#[test]
fn missing_empty_and_garbage_sysfs_files_never_panic() {
    let root = temp_root("garbage");
    card(
        &root,
        0,
        "0000:03:00.0",
        &[("class", "0x030000"), ("vendor", ""), ("device", "0x744c")],
    );
    card(
        &root,
        1,
        "0000:04:00.0",
        &[
            ("class", "0x030000"),
            ("vendor", "0x1002"),
            ("device", "zz"),
            ("mem_info_vram_total", "lots"),
        ],
    );
    card(
        &root,
        2,
        "0000:05:00.0",
        &[("class", "0x020000"), ("vendor", "0x8086")],
    );
    card(&root, 3, "0000:06:00.0", &[]);
    std::fs::create_dir_all(root.join("card0-HDMI-A-1")).unwrap();
    let (gpus, notes) = sysfs_drm::scan(&root, None);
    assert_eq!(gpus.len(), 1, "{gpus:?}");
    assert_eq!(gpus[0].vram_total_gb, 0.0);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("card0") && n.contains("vendor")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("mem_info_vram_total `lots`")),
        "{notes:?}"
    );
    let m = machine(&profile_with(gpus));
    assert!(m.gpus.is_empty());
    let (none, _) = sysfs_drm::scan(Path::new("/nonexistent/drm"), None);
    assert!(none.is_empty());
    std::fs::remove_dir_all(&root).ok();
}

#[test]
fn apple_m2_ultra_192_gb() {
    let (gpu, bytes) = apple::from_sysctl("Apple M2 Ultra\n", "206158430208\n").unwrap();
    assert_eq!(bytes, 206_158_430_208);
    let mut p = profile_with(vec![gpu]);
    p.ram_total_gb = bytes as f64 / 1e9;
    assert_eq!(p.gpus[0].catalog_id.as_deref(), Some("apple-m2-ultra"));
    let m = machine(&p);
    assert!(m.is_unified());
    assert!((m.ram_gb - 206.16).abs() < 0.01);
    assert_eq!(
        m.cpu_mem_bw_gbs, 89.6,
        "CPU bandwidth comes from the profile"
    );
    // R1 UD-IQ1_S (140 GB) fits in the default GPU working set (75% of 206 GB).
    let c = Catalog::get();
    let f = deepseek_advisor::estimate::fit(
        c.model("deepseek-r1").unwrap(),
        c.quant("UD-IQ1_S").unwrap(),
        &m,
        deepseek_advisor::estimate::FitOptions {
            runtime: deepseek_advisor::catalog::schema::Runtime::LlamaCpp,
            context: 8192,
            concurrency: 1,
            kv_type: Default::default(),
            speculative: None,
            experts_on_cpu: false,
        },
    )
    .unwrap();
    assert_eq!(f.placement.kind.json_name(), "gpu");
    assert!(apple::from_sysctl("Intel(R) Core(TM) i9", "1").is_err());
    assert!(apple::from_sysctl("Apple M1", "many").is_err());
}

#[test]
fn amx_flag_from_cpuinfo() {
    let t = "processor\t: 0\nflags\t\t: fpu avx2 amx_tile amx_bf16\n";
    assert!(system::cpuinfo_has_flag(t, "amx_tile"));
    assert!(!system::cpuinfo_has_flag(t, "amx_int"));
    assert!(!system::cpuinfo_has_flag("", "amx_tile"));
}

#[test]
fn profile_round_trips_and_bad_files_name_the_place() {
    let p = profile_with(nvidia_smi::parse(&fixture("nvidia-smi/one_4090.csv")).unwrap());
    let back = HardwareProfile::from_ron(&p.to_ron(), "x.ron").unwrap();
    assert_eq!(back, p);
    let e = HardwareProfile::from_ron("(\n  version: 1,\n  ram_total_gb: \"lots\",\n)", "bad.ron")
        .unwrap_err();
    assert_eq!(e.file, "bad.ron");
    assert!(e.message.starts_with("3:"), "{e}");
    let e =
        HardwareProfile::from_ron("(version: 1, gpus: [(vendor: Nvidia)])", "g.ron").unwrap_err();
    assert!(e.message.contains("name"), "{e}");
    let e = HardwareProfile::from_ron("(version: 99)", "new.ron").unwrap_err();
    assert!(e.message.contains("newer"), "{e}");
    let e = HardwareProfile::from_ron("(ram_total_gb: -3.0)", "neg.ron").unwrap_err();
    assert!(e.message.contains("ram_total_gb"), "{e}");
}

#[test]
fn detection_returns_within_its_budget_and_flags_what_is_missing() {
    let p = detect_within(Catalog::get(), Duration::ZERO);
    // With no time at all, whatever did not answer is named and the profile is partial.
    if p.partial {
        assert!(p.notes.iter().any(|n| n.contains("did not answer")));
    }
    let start = Instant::now();
    let _ = detect_within(Catalog::get(), Duration::from_millis(1500));
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[cfg(target_os = "linux")]
#[test]
fn this_machine_cores_and_ram_are_real() {
    let p = detect_within(Catalog::get(), Duration::from_secs(5));
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap();
    let kb: f64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap();
    let gb = kb * 1024.0 / 1e9;
    assert!(
        (p.ram_total_gb - gb).abs() / gb < 0.01,
        "{} vs {gb}",
        p.ram_total_gb
    );
    let logical = std::thread::available_parallelism().unwrap().get() as u32;
    assert_eq!(p.cpu.logical_cores, logical);
    assert!(p.cpu.physical_cores >= 1 && p.cpu.physical_cores <= logical);
    assert!(p.cpu.mem_bw_gbs > 0.0 && p.cpu.mem_bw_gbs.is_finite());
    // Every GPU reported must be backed by a device node or a driver: none are invented.
    let drm = Path::new("/sys/class/drm").exists();
    let nvidia = Path::new("/proc/driver/nvidia").exists();
    if !drm && !nvidia {
        assert!(p.gpus.is_empty(), "phantom GPU: {:?}", p.gpus);
    }
}
