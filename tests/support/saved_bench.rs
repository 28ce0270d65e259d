//! Saved `bench` results built by hand, for tests of what rests on a measurement (the plan's
//! capacity, the headline, the cell detail) without running a server.

use deepseek_advisor::bench::{BenchReport, LevelResult, ServerInfo, ServerKind};

/// One measured level: `users` at once, each decoding `per_user` tok/s, first token after `ttft` s.
pub fn level(users: u32, per_user: f64, ttft: f64) -> LevelResult {
    LevelResult {
        concurrency: users,
        ttft_s: ttft,
        prefill_tok_s: 2000.0,
        decode_tok_s: per_user,
        aggregate_tok_s: per_user * f64::from(users),
        requests: users.max(3),
        ttft_s_range: (ttft, ttft),
        decode_tok_s_range: (per_user, per_user),
        prompt_tokens: 530,
        output_tokens: 128,
    }
}

/// A llama.cpp server's measurement of catalog `model` in `quant`, dated 2026-12-06.
pub fn llama_cpp_report(model: &str, quant: &str, levels: Vec<LevelResult>) -> BenchReport {
    BenchReport {
        server: ServerInfo {
            kind: ServerKind::LlamaCpp,
            url: "http://127.0.0.1:8080".into(),
            model: format!("{model}-{quant}.gguf"),
            catalog_model: Some(model.into()),
            quant: Some(quant.into()),
            version: Some("b7000".into()),
            model_path: None,
        },
        date: "2026-12-06".into(),
        prompt_tokens: 512,
        max_tokens: 128,
        results: levels,
    }
}
