//! One measured request: a fixed, harmless prompt of about `--prompt-tokens` tokens, streamed
//! back, timed at the first and last token.

use super::http::Client;
use super::server::{ServerInfo, ServerKind};
use super::stream::{Protocol, StreamTrace};
use super::BenchError;
use serde_json::{json, Value};
use std::time::Instant;

/// Words that are one token each in the usual tokenizers (with their leading space).
const WORDS: [&str; 16] = [
    "red", "blue", "green", "yellow", "orange", "purple", "pink", "brown", "black", "white",
    "gray", "gold", "silver", "navy", "olive", "teal",
];

/// The prompt: a request number first (so no server reuses a cached prompt from an earlier
/// request and prefill is measured every time), an instruction that asks for a long answer,
/// then colour words up to about `tokens` tokens. Nothing about the machine or the user.
pub fn prompt(request_number: u32, tokens: u32) -> String {
    let mut p = format!(
        "Request {request_number}. Here is a list of colours. Continue the list with more colour names, one per line, and keep going until you are stopped:\n"
    );
    // The instruction is about 30 tokens; the chat template adds a few more.
    let words = tokens.saturating_sub(30).max(1) as usize;
    for i in 0..words {
        p.push_str(WORDS[(i + request_number as usize) % WORDS.len()]);
        p.push(if i % 12 == 11 { '\n' } else { ' ' });
    }
    p
}

/// The request body for `server`'s API.
pub fn body(server: &ServerInfo, prompt: &str, max_tokens: u32) -> (String, Value) {
    match server.kind.protocol() {
        Protocol::Ollama => (
            "/api/generate".into(),
            json!({
                "model": server.model,
                "prompt": prompt,
                "stream": true,
                "options": { "num_predict": max_tokens, "temperature": 0, "seed": 1 },
            }),
        ),
        Protocol::OpenAi => {
            let mut b = json!({
                "model": server.model,
                "messages": [{ "role": "user", "content": prompt }],
                "max_tokens": max_tokens,
                "temperature": 0,
                "stream": true,
                "stream_options": { "include_usage": true },
            });
            if server.kind.takes_ignore_eos() {
                b["ignore_eos"] = json!(true);
            }
            if server.kind == ServerKind::LlamaCpp {
                b["cache_prompt"] = json!(false);
            }
            ("/v1/chat/completions".into(), b)
        }
    }
}

/// What one request measured.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub started: Instant,
    pub ended: Instant,
    /// From sending the request to the first token, seconds (what a user waits).
    pub ttft_s: f64,
    pub prompt_tokens: u32,
    pub output_tokens: u32,
    /// The server's prefill rate, else prompt tokens ÷ time to first token.
    pub prefill_tok_s: f64,
    /// The server's decode rate, else tokens after the first ÷ the time they took.
    pub decode_tok_s: f64,
}

/// An answer shorter than this share of `max_tokens` is "stopped early": too few tokens to
/// time decoding by.
const MIN_SHARE_OF_MAX_TOKENS: f64 = 0.5;

/// Sends one request and times its answer.
pub fn measure(
    client: &Client,
    server: &ServerInfo,
    prompt_text: &str,
    max_tokens: u32,
    deadline: Instant,
) -> Result<Sample, BenchError> {
    let (path, b) = body(server, prompt_text, max_tokens);
    let started = Instant::now();
    let mut r = client.post_json(&path, &b, deadline)?;
    if r.status == 401 || r.status == 403 {
        return Err(BenchError::Unauthorized {
            url: client.url.to_string(),
        });
    }
    if !(200..300).contains(&r.status) {
        let status = r.status;
        let text = r.text().unwrap_or_default();
        let msg = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| {
                v.get("error").map(|e| match e {
                    Value::String(s) => s.clone(),
                    e => e
                        .get("message")
                        .and_then(Value::as_str)
                        .map_or_else(|| e.to_string(), str::to_string),
                })
            })
            .unwrap_or_else(|| text.chars().take(200).collect());
        return Err(BenchError::ModelFailed(format!(
            "HTTP {status}: {}",
            msg.trim()
        )));
    }
    let protocol = server.kind.protocol();
    let mut trace = StreamTrace::default();
    while let Some(line) = r.next_line()? {
        trace.feed(protocol, &line, Instant::now())?;
        if trace.done && protocol == Protocol::Ollama {
            break;
        }
    }
    let ended = Instant::now();
    let (Some(first), Some(last)) = (trace.first_token, trace.last_token) else {
        return Err(BenchError::ModelFailed(format!(
            "the server answered without any text{}",
            trace
                .finish_reason
                .as_ref()
                .map(|r| format!(" (finish reason: {r})"))
                .unwrap_or_default()
        )));
    };
    let output = trace
        .output_tokens
        .unwrap_or(trace.pieces)
        .max(trace.pieces.min(1));
    if !trace.done {
        return Err(BenchError::StreamCut(format!(
            "the answer stopped after {output} tokens without its end marker"
        )));
    }
    if f64::from(output) < f64::from(max_tokens) * MIN_SHARE_OF_MAX_TOKENS {
        return Err(BenchError::StoppedEarly {
            got: output,
            asked: max_tokens,
            reason: trace.finish_reason.clone(),
        });
    }
    let ttft_s = (first - started).as_secs_f64().max(1e-6);
    let prompt_tokens = trace.prompt_tokens.unwrap_or(0);
    let decode_span = (last - first).as_secs_f64();
    let client_decode = if output > 1 && decode_span > 0.0 {
        f64::from(output - 1) / decode_span
    } else {
        0.0
    };
    Ok(Sample {
        started,
        ended,
        ttft_s,
        prompt_tokens,
        output_tokens: output,
        prefill_tok_s: trace
            .server_prefill_tok_s
            .unwrap_or(f64::from(prompt_tokens) / ttft_s),
        decode_tok_s: trace.server_decode_tok_s.unwrap_or(client_decode),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompt_is_harmless_sized_and_different_per_request() {
        let a = prompt(1, 512);
        let b = prompt(2, 512);
        assert_ne!(a, b);
        assert!(a.starts_with("Request 1."));
        let words = a.split_whitespace().count();
        assert!((490..=530).contains(&words), "{words} words");
    }

    #[test]
    fn bodies_per_api() {
        let server = ServerInfo {
            kind: ServerKind::LlamaCpp,
            url: "http://127.0.0.1:8080".into(),
            model: "m".into(),
            catalog_model: None,
            quant: None,
            version: None,
            model_path: None,
        };
        let (path, b) = body(&server, "hi", 64);
        assert_eq!(path, "/v1/chat/completions");
        assert_eq!(b["max_tokens"], 64);
        assert_eq!(b["ignore_eos"], true);
        assert_eq!(b["stream"], true);
        let ollama = ServerInfo {
            kind: ServerKind::Ollama,
            ..server.clone()
        };
        let (path, b) = body(&ollama, "hi", 64);
        assert_eq!(path, "/api/generate");
        assert_eq!(b["options"]["num_predict"], 64);
        let lm = ServerInfo {
            kind: ServerKind::LmStudio,
            ..server
        };
        assert!(body(&lm, "hi", 8).1.get("ignore_eos").is_none());
    }
}
