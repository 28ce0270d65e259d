//! Reading a streamed answer: OpenAI-style server-sent events (`data: {…}` lines ending with
//! `data: [DONE]`) or Ollama's newline-delimited JSON. Pure: lines and the moment each arrived
//! go in, the token times and what the server reported about itself come out.

use super::BenchError;
use serde_json::Value;
use std::time::Instant;

/// The wire format of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `POST /v1/chat/completions` with `"stream": true`: server-sent events.
    OpenAi,
    /// `POST /api/generate` with `"stream": true`: one JSON object per line.
    Ollama,
}

/// What one streamed answer showed.
#[derive(Debug, Clone, Default)]
pub struct StreamTrace {
    /// When the first piece of text (answer or reasoning) arrived.
    pub first_token: Option<Instant>,
    /// When the last piece arrived.
    pub last_token: Option<Instant>,
    /// Events that carried text (about one token each).
    pub pieces: u32,
    /// Prompt and output tokens as the server counted them.
    pub prompt_tokens: Option<u32>,
    pub output_tokens: Option<u32>,
    /// The server's own prefill and decode rates (llama.cpp `timings`, Ollama's
    /// `prompt_eval_*` / `eval_*`), tokens/s.
    pub server_prefill_tok_s: Option<f64>,
    pub server_decode_tok_s: Option<f64>,
    /// Why generation ended (`length`, `stop`, …) as the server said.
    pub finish_reason: Option<String>,
    /// The end marker arrived (`[DONE]`, `"done": true`).
    pub done: bool,
}

fn positive(v: &Value) -> Option<f64> {
    v.as_f64().filter(|x| x.is_finite() && *x > 0.0)
}

fn count(v: &Value) -> Option<u32> {
    v.as_u64().and_then(|x| u32::try_from(x).ok())
}

fn error_text(v: &Value) -> Option<String> {
    let e = v.get("error")?;
    if e.is_null() {
        return None;
    }
    Some(match e {
        Value::String(s) => s.clone(),
        other => other
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| other.to_string()),
    })
}

fn text_len(v: Option<&Value>) -> usize {
    v.and_then(Value::as_str).map_or(0, str::len)
}

impl StreamTrace {
    fn piece(&mut self, at: Instant) {
        self.first_token.get_or_insert(at);
        self.last_token = Some(at);
        self.pieces += 1;
    }

    /// Takes one line of the answer, received at `at`. A server's error message becomes
    /// `ModelFailed`; a line that is not the expected format is a protocol error.
    pub fn feed(&mut self, protocol: Protocol, line: &str, at: Instant) -> Result<(), BenchError> {
        match protocol {
            Protocol::OpenAi => self.feed_sse(line, at),
            Protocol::Ollama => self.feed_ndjson(line, at),
        }
    }

    fn feed_sse(&mut self, line: &str, at: Instant) -> Result<(), BenchError> {
        let Some(data) = line.strip_prefix("data:") else {
            // Blank separators, `event:` names, `:` keep-alive comments.
            return Ok(());
        };
        let data = data.trim();
        if data == "[DONE]" {
            self.done = true;
            return Ok(());
        }
        if data.is_empty() {
            return Ok(());
        }
        let v: Value = serde_json::from_str(data).map_err(|_| {
            BenchError::Protocol(format!(
                "an event is not JSON: {}",
                data.chars().take(80).collect::<String>()
            ))
        })?;
        if let Some(e) = error_text(&v) {
            return Err(BenchError::ModelFailed(e));
        }
        if let Some(choice) = v.get("choices").and_then(|c| c.get(0)) {
            let delta = choice.get("delta");
            let chars = text_len(delta.and_then(|d| d.get("content")))
                + text_len(delta.and_then(|d| d.get("reasoning_content")))
                + text_len(delta.and_then(|d| d.get("reasoning")))
                + text_len(choice.get("text"));
            if chars > 0 {
                self.piece(at);
            }
            if let Some(r) = choice.get("finish_reason").and_then(Value::as_str) {
                self.finish_reason = Some(r.to_string());
            }
        }
        if let Some(u) = v.get("usage").filter(|u| !u.is_null()) {
            self.prompt_tokens = count(&u["prompt_tokens"]).or(self.prompt_tokens);
            self.output_tokens = count(&u["completion_tokens"]).or(self.output_tokens);
        }
        if let Some(t) = v.get("timings").filter(|t| !t.is_null()) {
            // llama.cpp's own counters for this request.
            self.server_prefill_tok_s = positive(&t["prompt_per_second"]);
            self.server_decode_tok_s = positive(&t["predicted_per_second"]);
            self.prompt_tokens = count(&t["prompt_n"]).or(self.prompt_tokens);
            self.output_tokens = count(&t["predicted_n"]).or(self.output_tokens);
        }
        Ok(())
    }

    fn feed_ndjson(&mut self, line: &str, at: Instant) -> Result<(), BenchError> {
        let line = line.trim();
        if line.is_empty() {
            return Ok(());
        }
        let v: Value = serde_json::from_str(line).map_err(|_| {
            BenchError::Protocol(format!(
                "a line is not JSON: {}",
                line.chars().take(80).collect::<String>()
            ))
        })?;
        if let Some(e) = error_text(&v) {
            return Err(BenchError::ModelFailed(e));
        }
        if text_len(v.get("response")) + text_len(v.get("thinking")) > 0 {
            self.piece(at);
        }
        if v.get("done").and_then(Value::as_bool) == Some(true) {
            self.done = true;
            self.finish_reason = v
                .get("done_reason")
                .and_then(Value::as_str)
                .map(str::to_string);
            self.prompt_tokens = count(&v["prompt_eval_count"]);
            self.output_tokens = count(&v["eval_count"]);
            let rate = |n: &Value, ns: &Value| Some(positive(n)? / (positive(ns)? / 1e9));
            self.server_prefill_tok_s = rate(&v["prompt_eval_count"], &v["prompt_eval_duration"]);
            self.server_decode_tok_s = rate(&v["eval_count"], &v["eval_duration"]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn feed_all(p: Protocol, lines: &[&str]) -> Result<StreamTrace, BenchError> {
        let t0 = Instant::now();
        let mut t = StreamTrace::default();
        for (i, l) in lines.iter().enumerate() {
            t.feed(p, l, t0 + Duration::from_millis(10 * i as u64))?;
        }
        Ok(t)
    }

    #[test]
    fn openai_events_with_llama_cpp_timings() {
        let t = feed_all(
            Protocol::OpenAi,
            &[
                ": ping",
                r#"data: {"choices":[{"delta":{"role":"assistant"}}]}"#,
                "",
                r#"data: {"choices":[{"delta":{"reasoning_content":"Hm"}}]}"#,
                r#"data: {"choices":[{"delta":{"content":" one"}}]}"#,
                r#"data: {"choices":[{"delta":{},"finish_reason":"length"}],"usage":{"prompt_tokens":512,"completion_tokens":2},"timings":{"prompt_n":511,"prompt_per_second":950.5,"predicted_n":2,"predicted_per_second":31.25}}"#,
                "data: [DONE]",
            ],
        )
        .unwrap();
        assert_eq!(t.pieces, 2);
        assert!(t.done);
        assert_eq!(t.finish_reason.as_deref(), Some("length"));
        assert_eq!((t.prompt_tokens, t.output_tokens), (Some(511), Some(2)));
        assert_eq!(t.server_decode_tok_s, Some(31.25));
        assert_eq!(t.server_prefill_tok_s, Some(950.5));
        assert_eq!(
            t.last_token.unwrap() - t.first_token.unwrap(),
            Duration::from_millis(10)
        );
    }

    #[test]
    fn ollama_lines_and_its_counters() {
        let t = feed_all(
            Protocol::Ollama,
            &[
                r#"{"model":"deepseek-r1:7b","response":"<think>","done":false}"#,
                r#"{"model":"deepseek-r1:7b","response":"","thinking":"x","done":false}"#,
                r#"{"model":"deepseek-r1:7b","response":"","done":true,"done_reason":"length","prompt_eval_count":300,"prompt_eval_duration":500000000,"eval_count":128,"eval_duration":4000000000}"#,
            ],
        )
        .unwrap();
        assert_eq!(t.pieces, 2);
        assert!(t.done);
        assert_eq!(t.server_prefill_tok_s, Some(600.0));
        assert_eq!(t.server_decode_tok_s, Some(32.0));
        assert_eq!(t.output_tokens, Some(128));
    }

    #[test]
    fn errors_from_the_server_name_the_message() {
        let e = feed_all(
            Protocol::OpenAi,
            &[r#"data: {"error":{"message":"model failed to load","code":500}}"#],
        )
        .unwrap_err();
        assert!(e.to_string().contains("model failed to load"), "{e}");
        let e = feed_all(Protocol::Ollama, &[r#"{"error":"out of memory"}"#]).unwrap_err();
        assert!(e.to_string().contains("out of memory"), "{e}");
        let e = feed_all(Protocol::Ollama, &["<html>"]).unwrap_err();
        assert!(matches!(e, BenchError::Protocol(_)), "{e}");
    }
}
