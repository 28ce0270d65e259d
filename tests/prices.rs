//! Prices end to end: the API timeline in `catalog cloud --json`, the user's price file replacing
//! catalog rows (and named as theirs), bad price files, and `buy` — whose every answer `estimate`
//! confirms.

use serde_json::Value;

#[path = "support/cli.rs"]
mod cli_support;
use cli_support::run;

fn json(args: &[&str]) -> Value {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

fn path(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn catalog_cloud_api_rows_follow_the_contract() {
    let v = json(&["catalog", "cloud", "--json"]);
    let rows = v["api_prices"].as_array().unwrap();
    let is_day = |s: &str| s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    for r in rows {
        for k in [
            "endpoint",
            "serves",
            "effective_from",
            "effective_until",
            "currency",
            "cache_hit_per_mtok",
            "cache_miss_per_mtok",
            "output_per_mtok",
            "peak",
        ] {
            assert!(r.get(k).is_some(), "{k} missing in {r}");
        }
        assert!(is_day(r["effective_from"].as_str().unwrap()), "{r}");
        assert!(r["effective_until"].is_null() || is_day(r["effective_until"].as_str().unwrap()));
        if !r["peak"].is_null() {
            for k in [
                "cache_hit_per_mtok",
                "cache_miss_per_mtok",
                "output_per_mtok",
            ] {
                assert!(
                    r["peak"][k].as_f64().unwrap() > r[k].as_f64().unwrap(),
                    "{r}"
                );
            }
        }
    }
    // Current rows: deepseek-flash (V4.1-Flash-1017) and deepseek-v4-pro (V4-Pro-0813), with peak
    // tiers, in USD and DeepSeek's own CNY; the retired aliases are end-dated.
    let current = |e: &str, cur: &str| {
        rows.iter()
            .find(|r| r["endpoint"] == e && r["currency"] == cur && r["effective_until"].is_null())
            .unwrap_or_else(|| panic!("no current {e} {cur} row"))
    };
    let flash = current("deepseek-flash", "Cny");
    assert_eq!(flash["serves_model"], "deepseek-v4.1-flash-1017");
    assert_eq!(flash["cache_miss_per_mtok"], 1.0);
    assert_eq!(flash["peak"]["output_per_mtok"], 8.0);
    assert_eq!(current("deepseek-flash", "Usd")["output_per_mtok"], 0.6);
    assert_eq!(
        current("deepseek-v4-pro", "Usd")["peak"]["output_per_mtok"],
        3.96
    );
    assert_eq!(
        current("deepseek-v4-pro", "Cny")["serves_model"],
        "deepseek-v4-pro-0813"
    );
    for alias in ["deepseek-chat", "deepseek-reasoner"] {
        assert!(rows
            .iter()
            .filter(|r| r["endpoint"] == alias)
            .all(|r| !r["effective_until"].is_null()));
    }
    // V3.2 replaced V3.2-Exp on 2025-12-01.
    assert!(rows
        .iter()
        .any(|r| r["serves_model"] == "deepseek-v3.2" && r["effective_from"] == "2025-12-01"));
    // No capacity block or ghost row prices the rented-GPU option.
    assert!(v["instances"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| !(i["instance"] == "p5e.48xlarge")));
    assert_eq!(v["cost_defaults"]["usd_to_cny"]["value"], 6.8);
}

#[test]
fn the_example_price_file_replaces_catalog_rows_and_says_whose_they_are() {
    let example = path("assets/prices-example.ron");
    let scenario = path("scenarios/personal-rtx4090.ron");
    let v = json(&[
        "plan",
        &scenario,
        "--json",
        "--prices",
        &example,
        "--today",
        "2026-12-01",
    ]);
    let sources = v["price_sources"].as_array().unwrap();
    let find = |item: &str| {
        sources
            .iter()
            .find(|s| s["item"].as_str().unwrap().starts_with(item))
            .unwrap_or_else(|| panic!("{item} not in {sources:?}"))
    };
    let gpu = find("GPU purchase (rtx-4090)");
    assert_eq!(gpu["value"], 16999.0);
    assert_eq!(gpu["user"], true);
    assert_eq!(gpu["date"], "2026-11-30");
    assert!(gpu["source"]
        .as_str()
        .unwrap()
        .starts_with("your quote, 2026-11-30"));
    let power = find("electricity per kWh");
    assert_eq!(power["value"], 0.65);
    assert_eq!(power["user"], true);
    let rental = find("rented GPU-hour");
    assert_eq!(rental["value"], 1.98);
    // 10% off the catalog's ¥4/M off-peak output.
    let out = find("API output, off-peak");
    assert!((out["value"].as_f64().unwrap() - 3.6).abs() < 1e-9);
    assert_eq!(out["user"], true);
    // Without the file, the same rows are the catalog's.
    let plain = json(&["plan", &scenario, "--json", "--today", "2026-12-01"]);
    let gpu = plain["price_sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["item"] == "GPU purchase (rtx-4090)")
        .unwrap()
        .clone();
    assert_eq!(gpu["user"], false);
    assert_eq!(gpu["value"], 2400.0 * 6.8);
    assert!(gpu["source"].as_str().unwrap().starts_with("catalog: "));
    let text = run(&["plan", &scenario, "--prices", &example, "--lang", "en"]).1;
    assert!(
        text.contains("your quote, 2026-11-30 (example: JD.com listing)"),
        "{text}"
    );
    assert!(text.contains("Prices as of"), "{text}");
}

#[test]
fn bad_price_files_exit_2_naming_file_line_column_and_field() {
    let dir = std::env::temp_dir().join(format!("dsa-prices-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = path("scenarios/personal-rtx4090.ron");
    for (body, line, field) in [
        (
            "(\n version: 1,\n gpus: [(gpu: \"rtx-4099\", price: 1.0, currency: Cny, date: \"2026-11-30\")],\n)",
            3,
            "gpu",
        ),
        (
            "(\n version: 1,\n electricity: (per_kwh: -0.5, currency: Cny, date: \"2026-11-30\"),\n)",
            3,
            "per_kwh",
        ),
        (
            "(\n version: 1,\n rentals: [(gpu: \"rtx-4090\", per_gpu_hour: 2.0, currency: Cny, date: \"2026-11\")],\n)",
            3,
            "date",
        ),
        (
            "(\n version: 1,\n gpus: [(gpu: \"rtx-4090\", price: 1.0, currency: Yen, date: \"2026-11-30\")],\n)",
            3,
            "currency",
        ),
        (
            "(\n version: 1,\n api: [(endpoint: \"deepseek-flash\", discount_percent: 120.0, date: \"2026-11-30\")],\n)",
            3,
            "discount_percent",
        ),
    ] {
        let f = dir.join("bad-prices.ron");
        std::fs::write(&f, body).unwrap();
        let file = f.to_string_lossy().to_string();
        for cmd in [
            vec!["plan", scenario.as_str(), "--prices", file.as_str()],
            vec!["buy", "--model", "deepseek-r1-distill-qwen-7b", "--budget", "20000", "--prices", file.as_str()],
        ] {
            let (code, out, err) = run(&cmd);
            assert_eq!(code, 2, "{body}: {err}");
            assert!(out.is_empty());
            assert!(err.contains(&format!("{file}: {line}:")), "{err}");
            assert!(err.contains(&format!("`{field}`")), "{field} not named in {err}");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    let (code, _, err) = run(&["plan", &scenario, "--today", "1.12.2026"]);
    assert_eq!(code, 2);
    assert!(err.contains("--today"), "{err}");
}

#[test]
fn buy_json_follows_the_contract_cheapest_first() {
    let v = json(&[
        "buy",
        "--model",
        "deepseek-v4-flash-0731",
        "--budget",
        "60000",
        "--currency",
        "CNY",
        "--json",
        "--today",
        "2026-12-01",
    ]);
    assert_eq!(v["model"], "deepseek-v4-flash-0731");
    assert_eq!(v["budget"], 60000.0);
    assert_eq!(v["currency"], "CNY");
    let options = v["options"].as_array().unwrap();
    assert!(!options.is_empty());
    let mut last = (0.0, f64::INFINITY);
    for o in options {
        for k in [
            "hardware",
            "ram_gb",
            "price",
            "price_source",
            "quant",
            "runtime",
            "placement",
            "decode_tok_s",
            "decode_tok_s_low",
            "decode_tok_s_high",
            "verdict",
        ] {
            assert!(o.get(k).is_some(), "{k} missing in {o}");
        }
        for h in o["hardware"].as_array().unwrap() {
            assert!(h["name"].is_string() && h["count"].as_u64().unwrap() >= 1);
        }
        let price = o["price"].as_f64().unwrap();
        let speed = o["decode_tok_s"].as_f64().unwrap();
        assert!(price <= 60000.0);
        assert!(speed >= 10.0, "{o}");
        assert!(
            price > last.0 || (price == last.0 && speed <= last.1),
            "not cheapest first, then fastest: {o}"
        );
        last = (price, speed);
        assert_ne!(o["verdict"], "does_not_fit");
    }
    assert!(v["cheapest_that_works"].is_null());
}

#[test]
fn an_impossible_budget_gives_no_options_and_the_cheapest_that_would_work() {
    let v = json(&[
        "buy",
        "--model",
        "deepseek-v4-flash-0731",
        "--budget",
        "500",
        "--currency",
        "USD",
        "--json",
        "--today",
        "2026-12-01",
    ]);
    assert_eq!(v["options"].as_array().unwrap().len(), 0);
    let c = &v["cheapest_that_works"];
    assert!(c["price"].as_f64().unwrap() > 500.0, "{c}");
    assert!(c["decode_tok_s"].as_f64().unwrap() >= 10.0);
    let text = run(&[
        "buy",
        "--model",
        "deepseek-v4-flash-0731",
        "--budget",
        "500",
        "--currency",
        "USD",
        "--lang",
        "en",
    ])
    .1;
    assert!(text.contains("The cheapest machine that would"), "{text}");
    let (code, _, err) = run(&["buy", "--model", "deepseek-v4-flash-0731", "--budget", "-3"]);
    assert_eq!(code, 2);
    assert!(err.contains("--budget"), "{err}");
}

/// Every machine `buy` offers is one `estimate` confirms: the same quant, runtime, placement and
/// speed on the same hardware.
#[test]
fn buy_returns_only_what_estimate_confirms() {
    for (model, budget, currency) in [
        ("deepseek-r1-distill-qwen-14b", "30000", "CNY"),
        ("deepseek-v4-flash-0731", "45000", "CNY"),
        ("deepseek-r1-distill-llama-70b", "9000", "USD"),
    ] {
        let v = json(&[
            "buy",
            "--model",
            model,
            "--budget",
            budget,
            "--currency",
            currency,
            "--json",
            "--today",
            "2026-12-01",
        ]);
        let options = v["options"].as_array().unwrap();
        assert!(!options.is_empty(), "{model}");
        for o in options.iter().take(12) {
            let ram = o["ram_gb"].as_f64().unwrap().to_string();
            let bw = o["cpu_mem_bw_gbs"].as_f64().unwrap().to_string();
            let cores = o["cpu_cores"].as_u64().unwrap().to_string();
            let mut args = vec![
                "estimate".to_string(),
                "--model".into(),
                model.into(),
                "--quant".into(),
                o["quant"].as_str().unwrap().into(),
                "--runtime".into(),
                o["runtime"].as_str().unwrap().into(),
                "--ram".into(),
                ram,
                "--cpu-mem-bw".into(),
                bw,
                "--cpu-cores".into(),
                cores,
                "--json".into(),
            ];
            for h in o["hardware"].as_array().unwrap() {
                let id = h["id"].as_str().unwrap();
                // A CPU-only server is described by its RAM, bandwidth and cores alone.
                if deepseek_advisor::catalog::Catalog::get().gpu(id).is_ok() {
                    args.push("--gpu".into());
                    args.push(format!("{id}:{}", h["count"]));
                }
            }
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let e = json(&refs);
            assert_ne!(e["verdict"]["level"], "does_not_fit", "{o}");
            assert_eq!(e["verdict"]["level"], o["verdict"], "{o}");
            assert_eq!(e["placement"]["kind"], o["placement"], "{o}");
            let d = e["speed"]["decode_tok_s"].as_f64().unwrap();
            assert!(
                (d - o["decode_tok_s"].as_f64().unwrap()).abs() < 1e-2,
                "{o} vs {e}"
            );
        }
    }
}
