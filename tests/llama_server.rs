//! `bench` end to end against a real llama.cpp server: a random-weight Llama GGUF written here
//! (tests/support/gguf_writer.rs), served by `llama-server` on 127.0.0.1, measured at 1 and 2
//! users and saved; the estimate for that file on this CPU is printed beside the measurement.
//!
//! The server is found at $LLAMA_SERVER, then `target/llama.cpp/bin/llama-server` (what
//! `.ci/run` builds), then `llama-server` on PATH. Without one the test says how to get it and
//! passes, unless DEEPSEEK_ADVISOR_REQUIRE_TOOLS=1 (set by `.ci/run`).

mod support;

use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::gguf_writer as w;

const BIN: &str = env!("CARGO_BIN_EXE_deepseek-advisor");

fn find_server() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LLAMA_SERVER").map(PathBuf::from) {
        return p.is_file().then_some(p);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/llama.cpp/bin/llama-server");
    if built.is_file() {
        return Some(built);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("llama-server"))
            .find(|p| p.is_file())
    })
}

/// Ends the server (the child this test started) when the test ends, pass or fail.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn healthy(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let req =
        format!("GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

fn advisor(args: &[&str], data: &Path) -> (i32, String, String) {
    let o = Command::new(BIN)
        .args(args)
        .env("XDG_DATA_HOME", data)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn bench_measures_a_real_llama_cpp_server_end_to_end() {
    let Some(server_bin) = find_server() else {
        let msg = "llama-server not found: set LLAMA_SERVER=/path/to/llama-server, put it on PATH, \
                   or build it as .ci/run does (scripts/build-llama-server.sh → target/llama.cpp/bin/)";
        if std::env::var("DEEPSEEK_ADVISOR_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("{msg}");
        }
        eprintln!("skipped: {msg}");
        return;
    };
    let dir = w::temp_dir("llama-server");
    let data = dir.join("data");
    let model = dir.join("tiny-random-llama-Q8_0.gguf");
    let (meta, tensors) = w::tiny_llama(8192, 768, 8, 2048, 12);
    let bytes = w::write_with_data(&model, &meta, &tensors, 2026);
    eprintln!("model: {} ({:.1} MB)", model.display(), bytes as f64 / 1e6);

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = std::fs::File::create(dir.join("llama-server.log")).unwrap();
    let child = Command::new(&server_bin)
        .args([
            "-m",
            model.to_str().unwrap(),
            "--host",
            "127.0.0.1",
            "--port",
        ])
        .arg(port.to_string())
        .args(["-c", "4096", "-np", "2", "-t", "2", "--no-webui"])
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let until = Instant::now() + Duration::from_secs(120);
    while !healthy(port) {
        if let Ok(Some(status)) = server.0.try_wait() {
            let log = std::fs::read_to_string(dir.join("llama-server.log")).unwrap_or_default();
            panic!("llama-server exited ({status}):\n{log}");
        }
        assert!(
            Instant::now() < until,
            "llama-server did not become healthy in 120 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    let url = format!("http://127.0.0.1:{port}");
    let (code, out, err) = advisor(
        &[
            "bench",
            "--url",
            &url,
            "--concurrency",
            "1,2",
            "--prompt-tokens",
            "128",
            "--max-tokens",
            "32",
            "--requests",
            "3",
            "--time-limit",
            "600",
            "--save",
            "--json",
        ],
        &data,
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    eprintln!(
        "bench --json:\n{}",
        serde_json::to_string_pretty(&v).unwrap()
    );
    assert_eq!(v["server"]["kind"], "llama.cpp");
    assert_eq!(v["server"]["model_path"], model.to_str().unwrap());
    assert!(
        v["server"]["catalog_model"].is_null(),
        "a random model is not in the catalog"
    );
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        for k in ["ttft_s", "prefill_tok_s", "decode_tok_s", "aggregate_tok_s"] {
            let x = r[k].as_f64().unwrap();
            assert!(x > 0.0 && x.is_finite(), "{k} = {x}");
        }
        // llama.cpp counted the answer: ignore_eos made it the full length.
        assert_eq!(r["output_tokens"], 32);
        assert!(r["prompt_tokens"].as_u64().unwrap() > 100);
    }
    // The estimate for the file itself on this CPU, beside the measurement.
    let e = &v["estimate"];
    assert_eq!(e["placement"], "cpu");
    let (measured, estimated) = (
        results[0]["decode_tok_s"].as_f64().unwrap(),
        e["decode_tok_s"].as_f64().unwrap(),
    );
    eprintln!(
        "one user: measured {measured:.1} tok/s, estimated {estimated:.1} tok/s ({:.1}–{:.1}); prefill measured {:.0}, estimated {:.0} tok/s",
        e["decode_tok_s_low"].as_f64().unwrap(),
        e["decode_tok_s_high"].as_f64().unwrap(),
        results[0]["prefill_tok_s"].as_f64().unwrap(),
        e["prefill_tok_s"].as_f64().unwrap(),
    );
    assert!(estimated > 0.0);

    // Saved with this machine. A 74 MB model is bound by per-token overheads, not memory
    // bandwidth, so it does not adjust other models' estimates (it would wrongly scale them).
    let (code, out, err) = advisor(
        &[
            "estimate",
            "--model",
            "deepseek-r1-distill-qwen-1.5b",
            "--quant",
            "Q8_0",
            "--runtime",
            "llama.cpp",
            "--json",
        ],
        &data,
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["speed"]["adjusted"].is_null(), "{out}");
    assert!(dir
        .join("data/deepseek-advisor/measurements.json")
        .is_file());
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
