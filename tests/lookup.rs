//! Catalog lookups by the names users and detection use.

use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::hardware::machine::parse_gpu_arg;
use deepseek_advisor::hardware::Machine;

#[test]
fn models_by_id_repo_and_ollama_tag() {
    let c = Catalog::get();
    assert_eq!(c.model("deepseek-r1").unwrap().id, "deepseek-r1");
    assert_eq!(
        c.model("deepseek-ai/DeepSeek-R1").unwrap().id,
        "deepseek-r1"
    );
    assert_eq!(
        c.model("DEEPSEEK-R1-DISTILL-QWEN-32B").unwrap().id,
        "deepseek-r1-distill-qwen-32b"
    );
    assert_eq!(
        c.model("deepseek-r1:32b").unwrap().id,
        "deepseek-r1-distill-qwen-32b"
    );
    assert_eq!(
        c.model("deepseek-r1:8b").unwrap().id,
        "deepseek-r1-0528-qwen3-8b"
    );
    let e = c.model("deepseek-r1-32b").unwrap_err();
    assert!(e.nearest.iter().any(|n| n.contains("32b")), "{e}");
}

#[test]
fn quants_case_insensitive_with_aliases() {
    let c = Catalog::get();
    assert_eq!(c.quant("q4_k_m").unwrap().id, "Q4_K_M");
    assert_eq!(c.quant("f16").unwrap().id, "BF16");
    assert_eq!(c.quant("w8a8").unwrap().id, "INT8");
    assert_eq!(c.quant("gptq").unwrap().id, "AWQ");
    assert!(c
        .quant("Q4_K_Q")
        .unwrap_err()
        .nearest
        .contains(&"Q4_K_M".to_string()));
}

#[test]
fn gpus_by_detected_names() {
    let c = Catalog::get();
    for (name, id) in [
        ("NVIDIA GeForce RTX 4090", "rtx-4090"),
        ("rtx 4090", "rtx-4090"),
        ("RTX-4090", "rtx-4090"),
        ("NVIDIA H100 80GB HBM3", "h100-sxm"),
        ("NVIDIA A100-SXM4-80GB", "a100-80gb-sxm"),
        ("Tesla T4", "t4"),
        ("AMD Instinct MI300X", "mi300x"),
        ("Apple M2 Ultra", "apple-m2-ultra"),
        ("Apple M3 Max 30-core GPU", "apple-m3-max-30c"),
    ] {
        assert_eq!(c.gpu(name).map(|g| g.id.as_str()), Ok(id), "{name}");
    }
    // A name without the GPU-core count picks the larger configuration (DESIGN.md §5).
    let m3 = c.gpu("Apple M3 Max").unwrap();
    assert_eq!(m3.mem_bw_gbs, 400.0);
    let e = c.gpu("GeForce RTX 9090").unwrap_err();
    assert_eq!(e.kind, "GPU");
    assert!(!e.nearest.is_empty());
}

#[test]
fn apple_chip_is_unified_memory_with_its_largest_configuration() {
    let c = Catalog::get();
    let m = Machine::from_parts(
        vec![parse_gpu_arg(c, "Apple M2 Ultra").unwrap()],
        None,
        None,
        None,
    )
    .unwrap();
    // Apple's "192 GB" is 192 GiB = 206.16 GB.
    assert!((m.ram_gb - 206.158).abs() < 0.01, "{}", m.ram_gb);
    assert!(m.is_unified());
    assert!(m.assumptions.iter().any(|a| a.contains("192")));
    assert!(Machine::from_parts(
        vec![parse_gpu_arg(c, "Apple M2 Ultra").unwrap()],
        Some(512.0),
        None,
        None
    )
    .is_err());
    // Two Mac Studios are a small-box cluster; more than eight boxes are `plan`'s job.
    let pair = parse_gpu_arg(c, "apple-m2-ultra:2").unwrap();
    let two = Machine::from_parts(vec![pair], None, None, None).unwrap();
    assert_eq!(two.nodes(), 2);
    assert!(two.node_link().is_some());
    assert!(parse_gpu_arg(c, "apple-m2-ultra:9").is_err());
    assert!(parse_gpu_arg(c, "DGX Spark:9").is_err());
}

#[test]
fn gpus_by_what_people_type() {
    let c = Catalog::get();
    for (name, id) in [
        ("M3 Max 40-core", "apple-m3-max-40c"),
        ("Apple M3 Ultra", "apple-m3-ultra"),
        ("apple m3 ultra", "apple-m3-ultra"),
        ("DGX Spark", "dgx-spark"),
        ("nvidia dgx spark", "dgx-spark"),
        ("Ryzen AI Max+ 395", "ryzen-ai-max-395"),
        ("AMD Ryzen AI Max+ 395", "ryzen-ai-max-395"),
        ("4090 48GB", "rtx-4090-48gb"),
        ("NVIDIA GeForce RTX 4090 48GB", "rtx-4090-48gb"),
        ("RTX 4090", "rtx-4090"),
        ("M4 Max 40-core GPU", "apple-m4-max-40c"),
        ("RTX PRO 6000 Max-Q", "rtx-pro-6000"),
        ("M5 Max", "apple-m5-max-40c"),
        ("B300", "b300"),
        ("H20 141GB", "h20-3e"),
    ] {
        assert_eq!(c.gpu(name).map(|g| g.id.as_str()), Ok(id), "{name}");
    }
}

#[test]
fn an_ambiguous_gpu_name_lists_the_candidates() {
    let e = Catalog::get().gpu("PRO 5000").unwrap_err();
    assert!(e.ambiguous, "{e}");
    let text = e.to_string();
    assert!(
        text.contains("rtx-pro-5000 ") && text.contains("rtx-pro-5000-72gb"),
        "{text}"
    );
    let e = Catalog::get().gpu("RTX 9999").unwrap_err();
    assert!(!e.ambiguous, "{e}");
    assert!(e.to_string().starts_with("unknown GPU `RTX 9999`"), "{e}");
}

#[test]
fn cloud_only_ollama_tags_name_the_model() {
    let c = Catalog::get();
    assert_eq!(
        c.model("deepseek-v4-flash").unwrap().id,
        "deepseek-v4-flash"
    );
    let m = c.model("deepseek-v4.1-flash").unwrap();
    assert_eq!(m.ollama_cloud_tags, vec!["deepseek-v4.1-flash".to_string()]);
    assert!(m.ollama_tags.is_empty(), "no local Ollama tag for V4.1");
}

#[test]
fn the_models_added_in_2026_12_resolve_by_id_repo_tag_and_file_repo() {
    use deepseek_advisor::catalog::schema::Tuning;
    let c = Catalog::get();
    for (name, id) in [
        ("deepseek-v3.1-terminus", "deepseek-v3.1-terminus"),
        (
            "deepseek-ai/DeepSeek-V3.1-Terminus",
            "deepseek-v3.1-terminus",
        ),
        ("deepseek-prover-v2-671b", "deepseek-prover-v2-671b"),
        (
            "deepseek-ai/DeepSeek-Prover-V2-671B",
            "deepseek-prover-v2-671b",
        ),
        ("deepseek-prover-v2-7b", "deepseek-prover-v2-7b"),
        ("deepseek-ai/DeepSeek-Prover-V2-7B", "deepseek-prover-v2-7b"),
        ("deepseek-v2.5", "deepseek-v2.5"),
        ("deepseek-ai/DeepSeek-V2.5", "deepseek-v2.5"),
        ("deepseek-v2.5:236b", "deepseek-v2.5"),
        ("deepseek-v2.5-1210", "deepseek-v2.5-1210"),
        ("deepseek-ai/DeepSeek-V2.5-1210", "deepseek-v2.5-1210"),
        ("deepseek-v4-flash-base", "deepseek-v4-flash-base"),
        (
            "deepseek-ai/DeepSeek-V4-Flash-Base",
            "deepseek-v4-flash-base",
        ),
        ("deepseek-r1-zero", "deepseek-r1-zero"),
        ("deepseek-ai/DeepSeek-R1-Zero", "deepseek-r1-zero"),
        (
            "nvidia/DeepSeek-V4.1-Flash-1017-NVFP4",
            "deepseek-v4.1-flash-1017",
        ),
    ] {
        assert_eq!(c.model(name).unwrap().id, id, "{name}");
    }
    // Base and Zero models say so; the chat models they come from do not.
    assert_eq!(
        c.model("deepseek-v4-flash-base").unwrap().tuning,
        Tuning::Base
    );
    assert_eq!(c.model("deepseek-r1-zero").unwrap().tuning, Tuning::Zero);
    assert_eq!(
        c.model("deepseek-prover-v2-7b").unwrap().tuning,
        Tuning::Prover
    );
    assert_eq!(c.model("deepseek-r1").unwrap().tuning, Tuning::Chat);
    // Every new row names its source and confidence; the NVFP4 file is an estimate.
    let nvfp4 = &c.model("deepseek-v4.1-flash-1017").unwrap().file_repos[0];
    assert_eq!(nvfp4.quant, "NVFP4");
    assert!(nvfp4.confidence.is_estimate());
    // The chat model ranks before its base or Zero twin.
    let pos = |id: &str| c.models.models.iter().position(|m| m.id == id).unwrap();
    assert!(pos("deepseek-r1") < pos("deepseek-r1-zero"));
    assert!(pos("deepseek-v4-flash") < pos("deepseek-v4-flash-base"));
    assert!(pos("deepseek-v3.1-terminus") < pos("deepseek-v3.1"));
}
