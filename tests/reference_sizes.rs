//! Estimated weights against every published file size in the catalog (models.md §4), and KV bytes
//! per token against models.md §6.

use deepseek_advisor::catalog::schema::{Confidence, Runtime};
use deepseek_advisor::catalog::Catalog;
use deepseek_advisor::estimate::kv::{bytes_per_token, KvCacheType, MlaLayout};
use deepseek_advisor::estimate::params;
use deepseek_advisor::estimate::weights::{formula, weights, WeightsBasis};

#[test]
fn every_published_size_within_3_percent() {
    let c = Catalog::get();
    let mut failures = Vec::new();
    let mut checked = 0;
    println!(
        "{:<34} {:<11} {:>10} {:>10} {:>7}",
        "model", "quant", "published", "estimate", "error"
    );
    for m in &c.models.models {
        let p = params::count(&m.arch);
        for s in &m.published_sizes {
            // "est." cells and unverified sizes are not published numbers.
            if s.confidence.is_estimate() && s.confidence != Confidence::Derived {
                continue;
            }
            let q = c.quant(&s.quant).expect("build.rs checks quant ids");
            let est = weights(m, &p, q);
            let published = s.bytes();
            let err = (est.bytes - published) / published;
            println!(
                "{:<34} {:<11} {:>9.2}G {:>9.2}G {:>+6.1}%{}",
                m.id,
                q.id,
                published / 1e9,
                est.bytes / 1e9,
                err * 100.0,
                if est.basis == WeightsBasis::Published {
                    " (published size used)"
                } else {
                    ""
                }
            );
            checked += 1;
            if err.abs() > 0.03 {
                failures.push(format!("{} {}: {:+.1}%", m.id, q.id, err * 100.0));
            }
        }
    }
    assert!(checked >= 40, "only {checked} published sizes checked");
    assert!(failures.is_empty(), "off by more than 3%: {failures:?}");
}

#[test]
fn formula_reproduces_dynamic_quants_of_r1_used_to_derive_them() {
    // The UD quants' bpw was derived from R1's files; the formula must give them back for R1.
    let c = Catalog::get();
    let r1 = c.model("deepseek-r1").unwrap();
    let p = params::count(&r1.arch);
    for (q, gb) in [
        ("UD-IQ1_S", 140.2),
        ("UD-IQ2_XXS", 196.2),
        ("UD-Q2_K_XL", 226.6),
    ] {
        let bytes = formula(r1, &p, c.quant(q).unwrap()).bytes;
        assert!((bytes / 1e9 - gb).abs() / gb < 0.01, "{q}: {}", bytes / 1e9);
    }
}

#[test]
fn parameter_counts_match_derived_values() {
    // models.md §1 "Derived parameter check" and §2 DERIVED column, ±0.5%.
    let c = Catalog::get();
    let cases = [
        ("deepseek-r1", 671.03, Some(37.55)),
        ("deepseek-v2", 235.7, Some(21.4)),
        ("deepseek-v2-lite", 15.7, Some(2.66)),
        ("deepseek-r1-distill-qwen-1.5b", 1.777, None),
        ("deepseek-r1-distill-qwen-7b", 7.616, None),
        ("deepseek-r1-distill-llama-8b", 8.03, None),
        ("deepseek-r1-distill-qwen-14b", 14.770, None),
        ("deepseek-r1-distill-qwen-32b", 32.764, None),
        ("deepseek-r1-distill-llama-70b", 70.554, None),
        ("deepseek-r1-0528-qwen3-8b", 8.19, None),
        ("deepseek-coder-1.3b-instruct", 1.35, None),
        ("deepseek-coder-6.7b-instruct", 6.74, None),
        ("deepseek-coder-33b-instruct", 33.3, None),
        ("deepseek-llm-7b-chat", 6.9, None),
        ("deepseek-llm-67b-chat", 67.4, None),
    ];
    for (id, total, active) in cases {
        let p = params::count(&c.model(id).unwrap().arch);
        let t = p.total() / 1e9;
        assert!(
            (t - total).abs() / total < 0.005,
            "{id}: total {t:.3}B vs {total}B"
        );
        if let Some(a) = active {
            let got = p.active() / 1e9;
            assert!(
                (got - a).abs() / a < 0.005,
                "{id}: active {got:.3}B vs {a}B"
            );
        }
    }
    // MTP layer of the V3 family ≈ 11.6B (models.md §1).
    let p = params::count(&c.model("deepseek-v3").unwrap().arch);
    assert!(
        (p.mtp_body / 1e9 - 11.6).abs() < 0.1,
        "{}",
        p.mtp_body / 1e9
    );
}

#[test]
fn kv_bytes_per_token_match_models_md_section_6_exactly() {
    let c = Catalog::get();
    let cases = [
        ("deepseek-r1", 70_272.0),
        ("deepseek-r1-0528", 70_272.0),
        ("deepseek-v3", 70_272.0),
        ("deepseek-v3.1", 70_272.0),
        ("deepseek-v3.2-exp", 78_324.0),
        ("deepseek-v2", 69_120.0),
        ("deepseek-coder-v2-instruct", 69_120.0),
        ("deepseek-v2-lite", 31_104.0),
        ("deepseek-coder-v2-lite-instruct", 31_104.0),
        ("deepseek-r1-distill-qwen-1.5b", 28_672.0),
        ("deepseek-r1-distill-qwen-7b", 57_344.0),
        ("deepseek-r1-distill-llama-8b", 131_072.0),
        ("deepseek-r1-0528-qwen3-8b", 147_456.0),
        ("deepseek-r1-distill-qwen-14b", 196_608.0),
        ("deepseek-r1-distill-qwen-32b", 262_144.0),
        ("deepseek-r1-distill-llama-70b", 327_680.0),
        ("deepseek-coder-1.3b-instruct", 196_608.0),
        ("deepseek-coder-6.7b-instruct", 524_288.0),
        ("deepseek-coder-33b-instruct", 253_952.0),
        ("deepseek-llm-7b-chat", 491_520.0),
        ("deepseek-llm-67b-chat", 389_120.0),
    ];
    for (id, want) in cases {
        let m = c.model(id).unwrap();
        let got = bytes_per_token(&m.arch, MlaLayout::Latent, KvCacheType::F16);
        assert_eq!(got, want, "{id}");
    }
}

#[test]
fn naive_mla_cache_is_4_77_mib_per_token() {
    let r1 = Catalog::get().model("deepseek-r1").unwrap();
    let naive = bytes_per_token(&r1.arch, MlaLayout::Naive, KvCacheType::F16);
    assert_eq!(naive, 61.0 * 128.0 * 320.0 * 2.0);
    assert!((naive / 1_048_576.0 - 4.77).abs() < 0.005);
}

#[test]
fn r1_q8_0_cache_at_32k_is_the_llama_cpp_log_value() {
    // ik_llama.cpp PR #259: "KV self size = 1166.62 MiB" at n_ctx 32768, q8_0.
    let r1 = Catalog::get().model("deepseek-r1").unwrap();
    let per = bytes_per_token(
        &r1.arch,
        MlaLayout::for_runtime(Runtime::LlamaCpp),
        KvCacheType::Q8_0,
    );
    let mib = per * 32768.0 / 1_048_576.0;
    assert!((mib - 1166.62).abs() / 1166.62 < 0.001, "{mib}");
}
