//! A model server of our own for `bench` tests, on 127.0.0.1 with an ephemeral port: it speaks
//! Ollama's API (NDJSON) or the OpenAI one (server-sent events, as llama.cpp or vLLM), waits a
//! set time before the first token and then streams at a set rate, so the true figures are
//! known. It can also misbehave in the ways `bench` must report: an error, an early stop, a cut
//! stream, a page that is not a model server. It stops when dropped.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Which server it pretends to be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// Ollama's native API, with its `eval_count` / `eval_duration` counters.
    Ollama,
    /// llama.cpp's server: `/props`, OpenAI streaming with `timings`.
    LlamaCpp,
    /// vLLM: `/v1/models` owned by vllm, OpenAI streaming, no timings (the client times it).
    Vllm,
    /// A web server that is not a model server (404 everywhere).
    NotLlm,
}

/// How generation goes wrong, if it does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fault {
    None,
    /// Generation answers HTTP 500 with an error message.
    Error,
    /// The answer ends after this many tokens with finish reason "stop".
    StopAfter(u32),
    /// The connection closes after this many tokens, without the end marker.
    CutAfter(u32),
}

#[derive(Clone, Debug)]
pub struct Behaviour {
    pub kind: Kind,
    /// The model as the server names it.
    pub model: String,
    /// Ollama's `quantization_level`.
    pub quant: String,
    /// llama.cpp's `model_path`.
    pub model_path: String,
    pub first_token_delay: Duration,
    /// Tokens per second each user gets.
    pub tok_per_s: f64,
    /// Prompt tokens the server says it read.
    pub prompt_tokens: u32,
    pub fault: Fault,
}

impl Behaviour {
    pub fn new(kind: Kind) -> Behaviour {
        Behaviour {
            kind,
            model: "deepseek-r1:1.5b".into(),
            quant: "Q4_K_M".into(),
            model_path: "/models/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf".into(),
            first_token_delay: Duration::from_millis(150),
            tok_per_s: 100.0,
            prompt_tokens: 120,
            fault: Fault::None,
        }
    }
}

pub struct ModelServer {
    pub url: String,
    pub port: u16,
    stop: Arc<AtomicBool>,
    /// Generation requests received (the warm-up included).
    pub generations: Arc<AtomicU32>,
    /// Requests that carried an `Authorization` header.
    pub authorized: Arc<AtomicU32>,
    accept: Option<std::thread::JoinHandle<()>>,
}

impl Drop for ModelServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

struct Request {
    method: String,
    path: String,
    body: Value,
    authorized: bool,
}

fn read_request(s: &mut TcpStream) -> Option<Request> {
    let mut r = BufReader::new(s.try_clone().ok()?);
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut len = 0usize;
    let mut authorized = false;
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let lower = h.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            len = v.trim().parse().ok()?;
        }
        if lower.starts_with("authorization:") {
            authorized = true;
        }
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        authorized,
    })
}

fn reply(s: &mut TcpStream, status: &str, content_type: &str, body: &str) {
    let whole = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = s.write_all(whole.as_bytes());
}

fn json_reply(s: &mut TcpStream, v: Value) {
    reply(s, "200 OK", "application/json", &v.to_string());
}

/// One chunk in one write (several small writes would wait on Nagle and delayed ACKs).
fn chunk(s: &mut TcpStream, text: &str) -> bool {
    let framed = format!("{:x}\r\n{text}\r\n", text.len());
    s.write_all(framed.as_bytes()).is_ok() && s.flush().is_ok()
}

/// Streams an answer of `n` tokens at the behaviour's pace; the events come from `event(i)`
/// and `last(elapsed_decode)`.
fn stream(
    s: &mut TcpStream,
    b: &Behaviour,
    content_type: &str,
    n: u32,
    event: impl Fn(u32) -> String,
    last: impl Fn(u32, Duration, &str) -> String,
) {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let _ = s.write_all(head.as_bytes());
    let _ = s.flush();
    std::thread::sleep(b.first_token_delay);
    let (count, reason) = match b.fault {
        Fault::StopAfter(k) => (k.min(n), "stop"),
        Fault::CutAfter(k) => (k.min(n), ""),
        _ => (n, "length"),
    };
    let gap = Duration::from_secs_f64(1.0 / b.tok_per_s);
    let start = Instant::now();
    for i in 0..count {
        if !chunk(s, &event(i)) {
            return;
        }
        // Paced from the start, so sleeping late does not drift the rate.
        let next = start + gap * (i + 1);
        if let Some(wait) = next.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
    }
    if let Fault::CutAfter(_) = b.fault {
        let _ = s.shutdown(std::net::Shutdown::Both);
        return;
    }
    let _ = chunk(s, &last(count, start.elapsed(), reason));
    let _ = s.write_all(b"0\r\n\r\n");
}

fn generate(s: &mut TcpStream, b: &Behaviour, req: &Request) {
    if b.fault == Fault::Error {
        reply(
            s,
            "500 Internal Server Error",
            "application/json",
            r#"{"error":{"message":"model failed to load: out of memory","code":500}}"#,
        );
        return;
    }
    let ollama = b.kind == Kind::Ollama;
    let n = if ollama {
        req.body["options"]["num_predict"].as_u64()
    } else {
        req.body["max_tokens"].as_u64()
    }
    .unwrap_or(16) as u32;
    let delay_ns = b.first_token_delay.as_nanos() as u64;
    let prompt = b.prompt_tokens;
    if ollama {
        let model = b.model.clone();
        stream(
            s,
            b,
            "application/x-ndjson",
            n,
            |_| json!({"model": model, "response": "red ", "done": false}).to_string() + "\n",
            |count, took, reason| {
                json!({
                    "model": b.model, "response": "", "done": true, "done_reason": reason,
                    "prompt_eval_count": prompt, "prompt_eval_duration": delay_ns,
                    "eval_count": count, "eval_duration": took.as_nanos() as u64,
                })
                .to_string()
                    + "\n"
            },
        );
    } else {
        let llama = b.kind == Kind::LlamaCpp;
        stream(
            s,
            b,
            "text/event-stream",
            n,
            |_| {
                format!(
                    "data: {}\n\n",
                    json!({"choices": [{"index": 0, "delta": {"content": "red "}}]})
                )
            },
            |count, took, reason| {
                let mut last = json!({
                    "choices": [{"index": 0, "delta": {}, "finish_reason": reason}],
                    "usage": {"prompt_tokens": prompt, "completion_tokens": count},
                });
                if llama {
                    last["timings"] = json!({
                        "prompt_n": prompt,
                        "prompt_per_second": f64::from(prompt) / (delay_ns as f64 / 1e9),
                        "predicted_n": count,
                        "predicted_per_second": f64::from(count) / took.as_secs_f64(),
                    });
                }
                format!("data: {last}\n\ndata: [DONE]\n\n")
            },
        );
    }
}

fn serve(mut s: TcpStream, b: &Behaviour, generations: &AtomicU32, authorized: &AtomicU32) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = s.set_nodelay(true);
    let Some(req) = read_request(&mut s) else {
        return;
    };
    if req.authorized {
        authorized.fetch_add(1, Ordering::Relaxed);
    }
    let not_found = |s: &mut TcpStream| {
        reply(
            s,
            "404 Not Found",
            "text/html",
            "<html><body>Not Found</body></html>",
        )
    };
    match (b.kind, req.method.as_str(), req.path.as_str()) {
        (Kind::NotLlm, _, _) => not_found(&mut s),
        (Kind::Ollama, "GET", "/api/version") => json_reply(&mut s, json!({"version": "0.12.0"})),
        (Kind::Ollama, "GET", "/api/tags" | "/api/ps") => json_reply(
            &mut s,
            json!({"models": [{"name": b.model, "model": b.model}]}),
        ),
        (Kind::Ollama, "POST", "/api/show") => json_reply(
            &mut s,
            json!({"details": {"quantization_level": b.quant, "parameter_size": "1.8B"}}),
        ),
        (Kind::Ollama, "POST", "/api/generate")
        | (Kind::LlamaCpp | Kind::Vllm, "POST", "/v1/chat/completions") => {
            generations.fetch_add(1, Ordering::Relaxed);
            generate(&mut s, b, &req);
        }
        (Kind::LlamaCpp, "GET", "/props") => json_reply(
            &mut s,
            json!({"model_path": b.model_path, "build_info": "b9999-test", "total_slots": 4,
                   "default_generation_settings": {"n_ctx": 4096}}),
        ),
        (Kind::LlamaCpp, "GET", "/v1/models") => json_reply(
            &mut s,
            json!({"object": "list", "data": [{"id": b.model, "owned_by": "llamacpp"}]}),
        ),
        (Kind::Vllm, "GET", "/v1/models") => json_reply(
            &mut s,
            json!({"object": "list", "data": [{"id": b.model, "owned_by": "vllm", "root": b.model_path}]}),
        ),
        (Kind::Vllm, "GET", "/version") => json_reply(&mut s, json!({"version": "0.11.0"})),
        _ => not_found(&mut s),
    }
}

impl ModelServer {
    pub fn start(b: Behaviour) -> ModelServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let generations = Arc::new(AtomicU32::new(0));
        let authorized = Arc::new(AtomicU32::new(0));
        let (stop2, gens, auth) = (stop.clone(), generations.clone(), authorized.clone());
        let accept = std::thread::spawn(move || {
            // Bounded: a test server never outlives two minutes.
            let until = Instant::now() + Duration::from_secs(120);
            while !stop2.load(Ordering::Relaxed) && Instant::now() < until {
                match listener.accept() {
                    Ok((s, _)) => {
                        let _ = s.set_nonblocking(false);
                        let (b, g, a) = (b.clone(), gens.clone(), auth.clone());
                        std::thread::spawn(move || serve(s, &b, &g, &a));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        ModelServer {
            url: format!("http://127.0.0.1:{port}"),
            port,
            stop,
            generations,
            authorized,
            accept: Some(accept),
        }
    }
}

/// A loopback port with nothing listening (bound, then released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
