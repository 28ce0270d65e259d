//! `deepseek-advisor bench` against a model server of our own with known timing (tests/support/
//! model_server.rs), in Ollama's protocol and the OpenAI one; every error case of the issue;
//! and `bench --save` feeding `estimate` on this machine. The program runs as a child process
//! with its own data folder, so saved measurements never touch the user's.

#[path = "support/saved_bench.rs"]
mod saved_bench;
mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::model_server::{free_port, Behaviour, Fault, Kind, ModelServer};

const BIN: &str = env!("CARGO_BIN_EXE_deepseek-advisor");

fn data_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dsa-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn advisor(args: &[&str], data: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .env("XDG_DATA_HOME", data)
        .env_remove("DEEPSEEK_ADVISOR_API_KEY")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn measurements(data: &Path) -> PathBuf {
    data.join("deepseek-advisor").join("measurements.json")
}

fn bench_json(url: &str, extra: &[&str], data: &Path) -> Value {
    let mut args = vec!["bench", "--url", url, "--json"];
    args.extend_from_slice(extra);
    let o = advisor(&args, data);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn within(measured: f64, truth: f64, what: &str) {
    let err = (measured - truth).abs() / truth;
    assert!(
        err <= 0.10,
        "{what}: measured {measured:.2}, truth {truth:.2} ({:.1}% off)",
        err * 100.0
    );
}

/// Runs 1 and 4 users against a server with a 400 ms first-token delay and 100 tok/s per user
/// and checks every figure against the truth. (The delay is long enough that a busy test
/// machine's scheduling noise, a few tens of milliseconds, stays well inside 10%.)
fn known_timing(kind: Kind) -> Value {
    let b = Behaviour {
        first_token_delay: Duration::from_millis(400),
        ..Behaviour::new(kind)
    };
    let (delay, rate, tokens) = (b.first_token_delay.as_secs_f64(), b.tok_per_s, 40.0);
    let prompt = f64::from(b.prompt_tokens);
    let server = ModelServer::start(b);
    let data = data_dir(&format!("timing-{kind:?}"));
    let v = bench_json(
        &server.url,
        &[
            "--concurrency",
            "1,4",
            "--max-tokens",
            "40",
            "--prompt-tokens",
            "200",
        ],
        &data,
    );
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        let users = r["concurrency"].as_f64().unwrap();
        let what = |m: &str| format!("{kind:?} {m} at {users} users");
        within(r["ttft_s"].as_f64().unwrap(), delay, &what("first token"));
        within(
            r["decode_tok_s"].as_f64().unwrap(),
            rate,
            &what("decode per user"),
        );
        within(
            r["prefill_tok_s"].as_f64().unwrap(),
            prompt / delay,
            &what("prefill"),
        );
        // Each user: a first-token wait, then `tokens` at `rate`, in rounds.
        let aggregate = users * tokens / (delay + tokens / rate);
        within(
            r["aggregate_tok_s"].as_f64().unwrap(),
            aggregate,
            &what("all users"),
        );
        let range = r["decode_tok_s_range"].as_array().unwrap();
        assert!(range[0].as_f64().unwrap() <= r["decode_tok_s"].as_f64().unwrap());
    }
    assert_eq!(results[0]["requests"], 3);
    assert_eq!(results[1]["requests"], 4);
    // Warm-up + 3 + 4 requests; nothing saved without --save.
    assert_eq!(
        server
            .generations
            .load(std::sync::atomic::Ordering::Relaxed),
        8
    );
    assert!(!measurements(&data).exists());
    assert_eq!(
        server.authorized.load(std::sync::atomic::Ordering::Relaxed),
        0
    );
    v
}

#[test]
fn ollama_protocol_is_measured_within_ten_percent_and_the_model_mapped() {
    let v = known_timing(Kind::Ollama);
    let s = &v["server"];
    assert_eq!(s["kind"], "ollama");
    assert_eq!(s["model"], "deepseek-r1:1.5b");
    assert_eq!(s["catalog_model"], "deepseek-r1-distill-qwen-1.5b");
    assert_eq!(s["quant"], "Q4_K_M");
    assert_eq!(s["version"], "0.12.0");
}

#[test]
fn llama_cpp_server_timings_are_read_within_ten_percent() {
    let v = known_timing(Kind::LlamaCpp);
    let s = &v["server"];
    assert_eq!(s["kind"], "llama.cpp");
    assert_eq!(s["catalog_model"], "deepseek-r1-distill-qwen-1.5b");
    assert_eq!(s["quant"], "Q4_K_M");
    assert_eq!(s["version"], "b9999-test");
    // The catalog knows the model: the estimate for this machine is shown beside it.
    assert!(v["estimate"]["decode_tok_s"].as_f64().unwrap() > 0.0);
}

#[test]
fn openai_stream_without_server_timings_is_timed_by_the_client_within_ten_percent() {
    let v = known_timing(Kind::Vllm);
    assert_eq!(v["server"]["kind"], "vllm");
    assert_eq!(v["server"]["version"], "0.11.0");
}

fn fails(b: Behaviour, extra: &[&str], code: i32, says: &[&str]) {
    let server = ModelServer::start(b);
    let data = data_dir(&format!("fail-{}", says[0].len()));
    let mut args = vec![
        "bench",
        "--url",
        server.url.as_str(),
        "--save",
        "--max-tokens",
        "20",
    ];
    args.extend_from_slice(extra);
    let o = advisor(&args, &data);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "{err}");
    for s in says {
        assert!(err.contains(s), "expected {s:?} in: {err}");
    }
    assert!(o.stdout.is_empty(), "{}", text(&o.stdout));
    assert!(
        !measurements(&data).exists(),
        "a failed measurement was saved"
    );
}

#[test]
fn nothing_listening_is_named_and_nothing_saved() {
    let data = data_dir("nothing");
    let url = format!("http://127.0.0.1:{}", free_port());
    let o = advisor(&["bench", "--url", &url, "--save"], &data);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("nothing is listening at") && err.contains(&url),
        "{err}"
    );
    assert!(!measurements(&data).exists());
}

#[test]
fn a_web_server_that_is_not_a_model_server() {
    fails(
        Behaviour::new(Kind::NotLlm),
        &[],
        2,
        &["is not a model server"],
    );
}

#[test]
fn a_model_that_errors() {
    let b = Behaviour {
        fault: Fault::Error,
        ..Behaviour::new(Kind::LlamaCpp)
    };
    fails(
        b,
        &[],
        1,
        &["answered with an error", "HTTP 500", "out of memory"],
    );
}

#[test]
fn a_model_that_stops_early() {
    let b = Behaviour {
        fault: Fault::StopAfter(3),
        ..Behaviour::new(Kind::Ollama)
    };
    fails(
        b,
        &[],
        1,
        &["stopped after 3 of", "finish reason: stop", "--max-tokens"],
    );
}

#[test]
fn a_stream_cut_in_the_middle() {
    let b = Behaviour {
        fault: Fault::CutAfter(5),
        ..Behaviour::new(Kind::Vllm)
    };
    fails(b, &[], 1, &["cut off"]);
}

#[test]
fn a_server_far_slower_than_the_time_bound() {
    let b = Behaviour {
        tok_per_s: 4.0,
        ..Behaviour::new(Kind::Ollama)
    };
    let start = Instant::now();
    fails(
        b,
        &["--time-limit", "2"],
        1,
        &["within the 2 s time limit", "--time-limit"],
    );
    assert!(start.elapsed() < Duration::from_secs(20));
}

#[test]
fn bad_flags_are_bad_input_naming_the_flag() {
    let data = data_dir("flags");
    for (args, says) in [
        (vec!["bench", "--concurrency", "1,x"], "--concurrency"),
        (vec!["bench", "--concurrency", "0"], "--concurrency"),
        (vec!["bench", "--max-tokens", "1"], "--max-tokens"),
        (
            vec!["bench", "--url", "https://example.com"],
            "https is not supported",
        ),
    ] {
        let o = advisor(&args, &data);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(text(&o.stderr).contains(says), "{}", text(&o.stderr));
    }
}

#[test]
fn an_api_key_is_sent_only_when_given() {
    let server = ModelServer::start(Behaviour::new(Kind::LlamaCpp));
    let data = data_dir("key");
    bench_json(
        &server.url,
        &["--max-tokens", "8", "--requests", "1"],
        &data,
    );
    assert_eq!(
        server.authorized.load(std::sync::atomic::Ordering::Relaxed),
        0
    );
    bench_json(
        &server.url,
        &["--max-tokens", "8", "--requests", "1", "--api-key", "k"],
        &data,
    );
    assert!(server.authorized.load(std::sync::atomic::Ordering::Relaxed) > 0);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_and_saves_nothing() {
    let b = Behaviour {
        tok_per_s: 5.0,
        ..Behaviour::new(Kind::Ollama)
    };
    let server = ModelServer::start(b);
    let data = data_dir("ctrlc");
    let child = Command::new(BIN)
        .args([
            "bench",
            "--url",
            &server.url,
            "--save",
            "--max-tokens",
            "200",
        ])
        .env("XDG_DATA_HOME", &data)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it is streaming the warm-up answer, then interrupt.
    let until = Instant::now() + Duration::from_secs(20);
    while server
        .generations
        .load(std::sync::atomic::Ordering::Relaxed)
        == 0
    {
        assert!(Instant::now() < until, "bench never sent a request");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let sent = Instant::now();
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let o = child.wait_with_output().unwrap();
    assert!(
        sent.elapsed() < Duration::from_secs(3),
        "took {:?}",
        sent.elapsed()
    );
    assert_eq!(o.status.code(), Some(130), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("nothing was saved"));
    assert!(!measurements(&data).exists());
}

fn estimate(model: &str, data: &Path) -> Value {
    let o = advisor(
        &[
            "estimate",
            "--model",
            model,
            "--quant",
            "Q4_K_M",
            "--runtime",
            "ollama",
            "--json",
        ],
        data,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn a_saved_measurement_is_shown_for_its_model_and_adjusts_other_estimates_on_this_machine() {
    // A server 40% slower than... whatever the formula says: the factor is what it is; the test
    // checks that it is applied, said, and only to this machine.
    let b = Behaviour {
        tok_per_s: 60.0,
        ..Behaviour::new(Kind::Ollama)
    };
    let server = ModelServer::start(b);
    let data = data_dir("save");
    let empty = data_dir("save-empty");
    let o = advisor(
        &[
            "bench",
            "--url",
            &server.url,
            "--save",
            "--max-tokens",
            "32",
            "--prompt-tokens",
            "100",
        ],
        &data,
    );
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        out.contains("Saved") && out.contains("measurements.json"),
        "{out}"
    );
    assert!(measurements(&data).exists());

    // The measured model: its own measurement, first, from this machine; speed from it.
    let measured = estimate("deepseek-r1-distill-qwen-1.5b", &data);
    let list = measured["measured"].as_array().unwrap();
    assert!(!list.is_empty());
    let first = &list[0];
    assert_eq!(first["source"], "this machine");
    assert_eq!(first["metric"], "decode_tok_s");
    assert_eq!(first["runtime"], "ollama");
    assert_eq!(first["model"], "deepseek-r1-distill-qwen-1.5b");
    assert_eq!(first["quant"], "Q4_K_M");
    assert_eq!(first["concurrency"], 1);
    within(first["value"].as_f64().unwrap(), 60.0, "saved decode");
    let adjusted = &measured["speed"]["adjusted"];
    assert_eq!(adjusted["basis"], "measured");
    assert!(adjusted["note"]
        .as_str()
        .unwrap()
        .starts_with("Measured on this machine"));

    // Another model on this machine: scaled by the same factor, and says so.
    let other = estimate("deepseek-r1-distill-qwen-7b", &data);
    let plain = estimate("deepseek-r1-distill-qwen-7b", &empty);
    assert!(plain["speed"]["adjusted"].is_null());
    assert_eq!(plain["measured"].as_array().unwrap().len(), 0);
    let a = &other["speed"]["adjusted"];
    assert_eq!(a["basis"], "adjusted");
    let factor = a["factor"].as_f64().unwrap();
    let ratio = other["speed"]["decode_tok_s"].as_f64().unwrap()
        / plain["speed"]["decode_tok_s"].as_f64().unwrap();
    assert!(
        (ratio - factor).abs() / factor < 0.01,
        "{ratio} vs {factor}"
    );
    assert!(a["note"]
        .as_str()
        .unwrap()
        .starts_with("Adjusted by your measurement of deepseek-r1-distill-qwen-1.5b Q4_K_M"));
    assert_eq!(other["measured"].as_array().unwrap().len(), 0);

    // The text output says it too; a described machine is not this machine.
    let o = advisor(
        &[
            "estimate",
            "--model",
            "deepseek-r1-distill-qwen-7b",
            "--quant",
            "Q4_K_M",
            "--runtime",
            "ollama",
            "--lang",
            "en",
        ],
        &data,
    );
    assert!(
        text(&o.stdout).contains("Adjusted by your measurement"),
        "{}",
        text(&o.stdout)
    );
    let o = advisor(
        &[
            "estimate",
            "--model",
            "deepseek-r1-distill-qwen-7b",
            "--quant",
            "Q4_K_M",
            "--gpu",
            "rtx-4090",
            "--json",
        ],
        &data,
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["speed"]["adjusted"].is_null());
    // `check` on this machine carries them as well.
    let o = advisor(&["check", "--json"], &data);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let any_adjusted = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| !r["speed"]["adjusted"].is_null());
    assert!(any_adjusted);
}

#[test]
fn a_measured_multi_user_curve_sets_the_plan_s_per_server_capacity_when_the_deployment_matches() {
    use deepseek_advisor::bench::store::{MachineKey, Store};
    use saved_bench::{level, llama_cpp_report};
    let report = |model: &str| {
        llama_cpp_report(
            model,
            "Q4_K_M",
            vec![
                level(1, 40.0, 0.3),
                level(4, 30.0, 0.6),
                level(16, 12.0, 2.0),
            ],
        )
    };
    let machine = MachineKey {
        cpu: "AMD Ryzen 9 7950X".into(),
        logical_cores: 32,
        ram_gb: 64,
        gpus: vec!["NVIDIA GeForce RTX 4090 (24 GB)".into()],
    };
    let data = data_dir("plan");
    let plan = |data: &Path| -> Value {
        let o = advisor(
            &[
                "plan",
                "scenarios/personal-rtx4090.ron",
                "--json",
                "--today",
                "2026-12-01",
            ],
            data,
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let estimated = plan(&data);
    assert!(estimated["capacity"]["measured_here"].is_null());
    // Another model measured on that box does not count; the scenario's model does.
    let mut store = Store::default();
    store.add(machine.clone(), report("deepseek-r1-distill-qwen-14b"));
    store.add(machine, report("deepseek-r1-distill-qwen-7b"));
    store.save(&measurements(&data)).unwrap();
    let measured = plan(&data);
    let c = &measured["capacity"];
    let source = c["measured_here"].as_str().unwrap();
    assert!(
        source.starts_with("bench of deepseek-r1-distill-qwen-14b Q4_K_M with llama.cpp server on AMD Ryzen 9 7950X"),
        "{source}"
    );
    // 20 tok/s per user and 2 s to the first token: 4 users pass, 16 get 12 tok/s.
    assert_eq!(c["concurrency"], 4);
    assert_eq!(c["per_user_tok_s"], 30.0);
    assert_eq!(c["limited_by"], "speed");
    let rps = c["requests_per_s_per_server"].as_f64().unwrap();
    assert!((rps - 4.0 / (0.6 + 1500.0 / 30.0)).abs() < 1e-3, "{rps}");
    let o = advisor(
        &[
            "plan",
            "scenarios/personal-rtx4090.ron",
            "--today",
            "2026-12-01",
            "--lang",
            "en",
        ],
        &data,
    );
    assert!(text(&o.stdout).contains("(per-server capacity from a measurement, not the estimate: bench of deepseek-r1-distill-qwen-14b Q4_K_M"));
    // The report says it too.
    let o = advisor(
        &[
            "report",
            "scenarios/personal-rtx4090.ron",
            "--format",
            "md",
            "--out",
            data.join("r.md").to_str().unwrap(),
            "--today",
            "2026-12-01",
            "--lang",
            "en",
        ],
        &data,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let md = std::fs::read_to_string(data.join("r.md")).unwrap();
    assert!(md.contains("per-server capacity from a measurement, not the estimate: bench of deepseek-r1-distill-qwen-14b"), "{md}");
}
