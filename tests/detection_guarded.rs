//! Detection that cannot take the program down, and Windows' GPU list: DXGI adapters from recorded
//! reports (tests/fixtures/dxgi/, sources in each file) turned into devices, merged with NVML and
//! matched to the catalog; sources that fail, panic or run late become notes while the others'
//! answers are kept.

use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::hardware::guarded::{collect, panic_text, Job};
use deepseek_advisor::hardware::merge::merge;
use deepseek_advisor::hardware::profile::GpuVendor;
use deepseek_advisor::hardware::sources::dxgi::{to_gpu_infos, AdapterDesc, FLAG_SOFTWARE};
use deepseek_advisor::hardware::sources::nvml::{self, NvidiaDevice};
use std::time::Duration;

fn adapters(name: &str) -> Vec<AdapterDesc> {
    let path = format!("{}/tests/fixtures/dxgi/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    ron::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const MIB: f64 = 1_048_576.0;

#[test]
fn an_nvidia_laptop_gpu_without_the_software_renderer() {
    let a = adapters("rtx4080_laptop.ron");
    assert_eq!(a.len(), 2);
    let gpus = to_gpu_infos(&a);
    // The Basic Render Driver (vendor 0x1414, software flag) is not a GPU.
    assert_eq!(gpus.len(), 1, "{gpus:?}");
    let g = &gpus[0];
    assert_eq!(g.vendor, GpuVendor::Nvidia);
    assert_eq!(g.name, "NVIDIA GeForce RTX 4080 Laptop GPU");
    assert_eq!(g.source, "DXGI");
    assert!(!g.unified_memory);
    // 12,282 MiB dedicated, as reported (not the shared 47,937 MiB).
    assert!((g.vram_total_gb - 12_282.0 * MIB / 1e9).abs() < 1e-9);
    assert_eq!(g.vram_free_gb, None);
    // Not a catalog card (the catalog has the 16 GB desktop RTX 4080): flagged, not mistaken.
    let (merged, notes) = merge(Catalog::get(), gpus);
    assert_eq!(merged[0].catalog_id, None);
    assert!(
        notes.iter().any(|n| n.contains("not in the catalog")),
        "{notes:?}"
    );
}

#[test]
fn a_discrete_amd_card_with_more_shared_than_dedicated_memory_is_not_an_apu() {
    let gpus = to_gpu_infos(&adapters("radeon_r9_200.ron"));
    assert_eq!(gpus.len(), 1);
    let g = &gpus[0];
    assert_eq!(g.vendor, GpuVendor::Amd);
    assert!(!g.unified_memory);
    assert!((g.vram_total_gb - 4_070.0 * MIB / 1e9).abs() < 1e-9);
    assert!(g.notes.is_empty(), "{:?}", g.notes);
}

fn adapter(description: &str, vendor_id: u32, dedicated: u64, shared: u64) -> AdapterDesc {
    AdapterDesc {
        description: description.into(),
        vendor_id,
        device_id: 0,
        dedicated_video_memory: dedicated,
        dedicated_system_memory: 0,
        shared_system_memory: shared,
        flags: 0,
        local_budget_free: None,
    }
}

#[test]
fn integrated_gpus_share_system_memory() {
    const GIB: u64 = 1 << 30;
    let intel = adapter("Intel(R) UHD Graphics 770", 0x8086, 128 << 20, 16 * GIB);
    let apu = adapter("AMD Radeon(TM) Graphics", 0x1002, 512 << 20, 16 * GIB);
    let arc = adapter("Intel(R) Arc(TM) A770 Graphics", 0x8086, 16 * GIB, 16 * GIB);
    let gpus = to_gpu_infos(&[intel, apu, arc]);
    assert!(gpus[0].unified_memory && gpus[0].notes[0].contains("Intel integrated"));
    assert!((gpus[0].vram_total_gb - 16.0 * GIB as f64 / 1e9).abs() < 1e-9);
    assert!(gpus[1].unified_memory && gpus[1].notes[0].contains("AMD APU"));
    assert!(!gpus[2].unified_memory, "a 16 GB Arc card is discrete");
    assert!((gpus[2].vram_total_gb - 16.0 * GIB as f64 / 1e9).abs() < 1e-9);
}

#[test]
fn the_budget_left_is_the_free_memory_and_never_above_the_card() {
    let mut a = adapter("NVIDIA GeForce RTX 4090", 0x10de, 24_564 << 20, 0);
    a.local_budget_free = Some(20_000 << 20);
    let mut b = a.clone();
    b.local_budget_free = Some(u64::MAX);
    let mut soft = a.clone();
    soft.flags = FLAG_SOFTWARE;
    let gpus = to_gpu_infos(&[a, b, soft]);
    assert_eq!(gpus.len(), 2);
    assert!((gpus[0].vram_free_gb.unwrap() - 20_000.0 * MIB / 1e9).abs() < 1e-9);
    assert!((gpus[1].vram_free_gb.unwrap() - gpus[1].vram_total_gb).abs() < 1e-9);
}

#[test]
fn dxgi_and_nvml_see_one_card_and_nvml_wins() {
    // The same RTX 4090 as NVML (recorded in tests/fixtures/nvidia-smi/one_4090.csv: 24,564 MiB)
    // and as DXGI: one device, NVML's record (with its driver and free memory) kept.
    let nv = nvml::to_gpu_infos(&[NvidiaDevice {
        name: "NVIDIA GeForce RTX 4090".into(),
        total_bytes: 24_564 << 20,
        free_bytes: 23_012 << 20,
        driver: Some("550.54.14".into()),
        pci: Some("00000000:01:00.0".into()),
        mig_instances: Vec::new(),
    }]);
    let dx = to_gpu_infos(&[adapter(
        "NVIDIA GeForce RTX 4090",
        0x10de,
        24_564 << 20,
        32 << 30,
    )]);
    let mut records = dx;
    records.extend(nv);
    let (gpus, _) = merge(Catalog::get(), records);
    assert_eq!(gpus.len(), 1, "{gpus:?}");
    assert_eq!(gpus[0].source, "NVML");
    assert_eq!(gpus[0].catalog_id.as_deref(), Some("rtx-4090"));
    assert_eq!(gpus[0].driver.as_deref(), Some("550.54.14"));
}

#[test]
fn a_recorded_adapter_list_with_an_unknown_field_is_refused() {
    let text = "[(description: \"x\", vendor_id: 1, device_id: 2, dedicated_video_memory: 0, \
                dedicated_system_memory: 0, shared_system_memory: 0, flags: 0, vram: 3)]";
    let e = ron::from_str::<Vec<AdapterDesc>>(text).unwrap_err();
    assert!(e.to_string().contains("vram"), "{e}");
}

#[test]
fn a_panicking_source_becomes_a_note_and_the_others_still_answer() {
    // The panic message would otherwise go to stderr through the default hook; it is expected.
    let jobs: Vec<Job<u32>> = vec![
        ("good", Box::new(|| 7)),
        (
            "broken",
            Box::new(|| panic!("GPU library returned garbage")),
        ),
        (
            "slow",
            Box::new(|| {
                std::thread::sleep(Duration::from_secs(3));
                1
            }),
        ),
        ("also good", Box::new(|| 9)),
    ];
    let c = collect(jobs, Duration::from_millis(800));
    let mut answers = c.answers.clone();
    answers.sort();
    assert_eq!(answers, vec![("also good", 9), ("good", 7)]);
    assert_eq!(c.failed.len(), 1);
    assert_eq!(c.failed[0].0, "broken");
    assert!(
        c.failed[0].1.contains("GPU library returned garbage"),
        "{:?}",
        c.failed
    );
    // Waiting stopped at the budget: had it waited for the slow source, that one would have
    // answered.
    assert_eq!(c.late, vec!["slow"]);
}

#[test]
fn panic_payloads_of_both_kinds_are_read() {
    let s: Box<dyn std::any::Any + Send> = Box::new("static text");
    assert_eq!(panic_text(&*s), "static text");
    let owned: Box<dyn std::any::Any + Send> = Box::new(format!("index {} out of range", 4));
    assert_eq!(panic_text(&*owned), "index 4 out of range");
    let other: Box<dyn std::any::Any + Send> = Box::new(42u8);
    assert_eq!(panic_text(&*other), "a panic without a message");
}
