//! `report`: for every shipped scenario the options' monthly and horizon costs and the
//! recommendation equal `plan --json`'s, in Markdown and HTML, English and Chinese; the HTML is
//! self-contained; Markdown charts are PNG files beside it; bad input exits 2.

use deepseek_advisor::catalog::schema::Currency;
use deepseek_advisor::lang::{format_money, Lang};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[path = "support/cli.rs"]
mod cli_support;
use cli_support::run;

fn shipped() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    assert!(v.len() >= 6);
    v
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dsa-report-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn plan_json(scenario: &str) -> Value {
    let (code, out, err) = run(&["plan", scenario, "--json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// The `<tr data-key="KEY">…</tr>` row of an HTML report.
fn html_row<'a>(html: &'a str, key: &str) -> &'a str {
    let start = html
        .find(&format!("<tr data-key=\"{key}\">"))
        .unwrap_or_else(|| panic!("no row {key}"));
    let end = html[start..].find("</tr>").unwrap() + start;
    &html[start..end]
}

/// The `data-value` of the cell showing `field` in a row.
fn data_value(row: &str, field: &str) -> Option<f64> {
    let at = row.find(&format!("data-field=\"{field}\" data-value=\""))?;
    let rest = &row[at..];
    let v = rest.split("data-value=\"").nth(1)?.split('"').next()?;
    Some(v.parse().unwrap())
}

#[test]
fn html_numbers_equal_plan_json_for_every_shipped_scenario() {
    for path in shipped() {
        let s = path.to_str().unwrap();
        let plan = plan_json(s);
        for lang in ["en", "zh"] {
            let (code, html, err) = run(&["report", s, "--format", "html", "--lang", lang]);
            assert_eq!(code, 0, "{s}: {err}");
            for o in plan["options"].as_array().unwrap() {
                let key = o["option"].as_str().unwrap();
                let row = html_row(&html, key);
                if o["feasible"].as_bool().unwrap() {
                    for field in ["monthly_cost", "horizon_cost"] {
                        assert_eq!(
                            data_value(row, field),
                            o[field].as_f64(),
                            "{s} {lang} {key} {field}"
                        );
                    }
                } else {
                    assert_eq!(data_value(row, "monthly_cost"), None, "{s} {key}");
                }
                for field in ["servers", "gpus"] {
                    assert_eq!(data_value(row, field), o[field].as_f64(), "{s} {key}");
                }
                // The breakdown rows carry the same monthly items.
                if o["feasible"].as_bool().unwrap() {
                    for item in o["breakdown"].as_array().unwrap() {
                        let name = item["item"].as_str().unwrap();
                        let r = html_row(&html, &format!("{key}:{name}"));
                        assert_eq!(data_value(r, "monthly"), item["monthly"].as_f64());
                    }
                }
            }
            let rec = plan["recommendation"]["option"].as_str().unwrap();
            assert!(
                html_row(&html, rec).contains('✓'),
                "{s}: the recommended row is marked"
            );
            for o in plan["options"].as_array().unwrap() {
                let key = o["option"].as_str().unwrap();
                assert_eq!(html_row(&html, key).contains('✓'), key == rec, "{s} {key}");
            }
        }
    }
}

fn label(option: &str, lang: Lang) -> &'static str {
    use deepseek_advisor::cost::OptionKind;
    let kind = OptionKind::ALL
        .into_iter()
        .find(|k| k.json_name() == option)
        .unwrap();
    kind.label(lang)
}

#[test]
fn markdown_numbers_equal_plan_json_for_every_shipped_scenario() {
    for path in shipped() {
        let s = path.to_str().unwrap();
        let plan = plan_json(s);
        let currency = match plan["currency"].as_str().unwrap() {
            "CNY" => Currency::Cny,
            _ => Currency::Usd,
        };
        for (flag, lang) in [("en", Lang::En), ("zh", Lang::Zh)] {
            let (code, md, err) = run(&["report", s, "--format", "md", "--lang", flag]);
            assert_eq!(code, 0, "{s}: {err}");
            assert!(err.contains("charts were not written"), "{err}");
            let rec = plan["recommendation"]["option"].as_str().unwrap();
            for o in plan["options"].as_array().unwrap() {
                let key = o["option"].as_str().unwrap();
                let mark = if key == rec { " ✓" } else { "" };
                let row = md
                    .lines()
                    .find(|l| l.starts_with(&format!("| {}{mark} |", label(key, lang))))
                    .unwrap_or_else(|| panic!("{s} {flag}: no row for {key}"));
                let cells: Vec<&str> = row.split(" | ").collect();
                if o["feasible"].as_bool().unwrap() {
                    let money = |f: &str| format_money(lang, o[f].as_f64().unwrap(), currency);
                    assert_eq!(cells[1], money("monthly_cost"), "{s} {flag} {key}");
                    assert_eq!(cells[2], money("horizon_cost"), "{s} {flag} {key}");
                } else {
                    assert_eq!(cells[1], lang.pick("ruled out", "已排除"), "{s} {key}");
                }
            }
            let callout = lang.pick("> **Recommended: ", "> **推荐部署：");
            let recommended = md
                .lines()
                .find(|l| l.starts_with(callout))
                .expect("a recommendation callout");
            assert!(recommended.contains(label(rec, lang)), "{recommended}");
        }
    }
}

#[test]
fn html_is_self_contained_with_charts_verdict_and_launch_commands() {
    let s = format!(
        "{}/scenarios/personal-rtx4090.ron",
        env!("CARGO_MANIFEST_DIR")
    );
    let (code, html, err) = run(&["report", &s, "--format", "html", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    for forbidden in [
        "<script", "src=", "href=", "url(", "@import", "<link", "<iframe",
    ] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    assert_eq!(
        html.matches("<svg").count(),
        2,
        "cost curves and cumulative cost"
    );
    assert!(html.matches("<polyline").count() >= 6);
    assert!(html.contains("Best choice: DeepSeek-R1-Distill-Qwen-32B IQ4_XS"));
    assert!(html.contains("Recommended: DeepSeek API"));
    assert!(html.contains("ollama run deepseek-r1:14b"));
    // The first file of the (possibly split) GGUF set, by its own name, not a link.
    assert!(html.contains("llama-server -m "));
    assert!(html.contains("find ./models/deepseek-r1-distill-qwen-14b-q4-k-m -name"));
    assert!(!html.contains("model.gguf"));
    assert!(html.contains("Assumptions and their sources"));
    assert!(
        html.contains("api-docs.deepseek.com/zh-cn/quick_start/pricing"),
        "the API price's source is cited"
    );
    assert!(!html.contains("NaN") && !html.contains("inf<"));

    let (code, zh, _) = run(&["report", &s, "--format", "html", "--lang", "zh"]);
    assert_eq!(code, 0);
    assert!(zh.contains("<html lang=\"zh-CN\">"));
    assert!(zh.contains("为何推荐此部署方式") && zh.contains("推荐部署：DeepSeek API"));
    assert!(zh.contains("万"), "Chinese amounts use 万");
}

#[test]
fn the_reasons_are_in_the_report_language() {
    for s in shipped() {
        let s = s.to_str().unwrap();
        let (code, zh, err) = run(&["report", s, "--format", "html", "--lang", "zh"]);
        assert_eq!(code, 0, "{err}");
        let why = &zh[zh.find("为何推荐此部署方式").expect("the reasons' heading")..];
        let why = &why[..why.find("</ul>").expect("the reasons' list")];
        assert!(why.contains("经验法则"), "{s}: {why}");
        for english in [
            "rule of thumb",
            "costs least",
            "break even",
            "like for like",
            "one server",
        ] {
            assert!(!why.contains(english), "{s}: '{english}' in {why}");
        }
        // English reports list the sentences plan --json gives.
        let (_, en, _) = run(&["report", s, "--format", "html", "--lang", "en"]);
        let reasons = plan_json(s)["recommendation"]["reasons"]
            .as_array()
            .unwrap()
            .clone();
        let rule = reasons
            .iter()
            .filter_map(|r| r.as_str())
            .find(|r| r.starts_with("the rule of thumb"))
            .expect("a rule-of-thumb reason");
        assert!(en.contains(rule), "{s}: {rule}");
    }
}

#[test]
fn markdown_out_writes_the_report_and_its_charts_beside_it() {
    let dir = temp_dir("md");
    let s = format!(
        "{}/scenarios/r1-671b-private-h200.ron",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = dir.join("h200.md");
    let (code, stdout, err) = run(&["report", &s, "--out", out.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    let listed: Vec<&str> = stdout.lines().collect();
    let path = |name: &str| dir.join(name).display().to_string();
    assert_eq!(
        listed,
        [
            path("h200.md"),
            path("h200-cost-curves.png"),
            path("h200-cumulative-cost.png")
        ],
        "the files written, report first"
    );
    let md = std::fs::read_to_string(&out).unwrap();
    for chart in ["h200-cost-curves.png", "h200-cumulative-cost.png"] {
        assert!(md.contains(&format!("]({chart})")), "{chart} linked");
        let bytes = std::fs::read(dir.join(chart)).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{chart} is a PNG");
    }
    assert!(
        md.contains("Recommended: One local server") || md.contains("Recommended: Local cluster")
    );
    // HTML by the file name.
    let html = dir.join("h200.html");
    let (code, _, err) = run(&["report", &s, "--out", html.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&html)
        .unwrap()
        .starts_with("<!DOCTYPE html>"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_format_and_unreadable_scenarios_exit_2() {
    let dir = temp_dir("bad");
    let s = format!(
        "{}/scenarios/personal-rtx4090.ron",
        env!("CARGO_MANIFEST_DIR")
    );
    let bad = dir.join("bad.ron");
    std::fs::write(&bad, "(version: 1, selection: (context: \"long\"))").unwrap();
    let missing = dir.join("missing.ron");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec![s.clone(), "--format".into(), "pdf".into()], "--format"),
        (vec![s.clone()], "--format"),
        (
            vec![
                s.clone(),
                "--out".into(),
                dir.join("r.txt").display().to_string(),
            ],
            "--format",
        ),
        (
            vec![
                missing.display().to_string(),
                "--format".into(),
                "md".into(),
            ],
            "missing.ron",
        ),
        (
            vec![bad.display().to_string(), "--format".into(), "html".into()],
            "bad.ron: 1:",
        ),
        (
            vec![
                s.clone(),
                "--format".into(),
                "html".into(),
                "--out".into(),
                dir.join("no/such/dir/r.html").display().to_string(),
            ],
            "--out",
        ),
        (
            vec![
                s.clone(),
                "--format".into(),
                "md".into(),
                "--lang".into(),
                "fr".into(),
            ],
            "--lang",
        ),
    ];
    for (args, names) in cases {
        let mut full = vec!["report"];
        full.extend(args.iter().map(String::as_str));
        let (code, out, err) = run(&full);
        assert_eq!(code, 2, "{full:?}: {err}");
        assert!(out.is_empty(), "{full:?}");
        assert!(err.contains(names), "{full:?}: {err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Pixels darker than the light grid lines in a region of a decoded RGBA chart: text and dots.
fn dark_pixels(
    px: &[u8],
    width: usize,
    xs: std::ops::Range<usize>,
    ys: std::ops::Range<usize>,
) -> usize {
    ys.flat_map(|y| xs.clone().map(move |x| (y * width + x) * 4))
        .filter(|&i| px[i..i + 3].iter().all(|&c| c < 120))
        .count()
}

#[test]
fn markdown_charts_carry_axis_titles_and_series_names_in_both_languages() {
    use deepseek_advisor::report::chart::{HEIGHT, MARGIN_LEFT, MARGIN_TOP, WIDTH};
    use deepseek_advisor::report::raster::SCALE;
    let dir = temp_dir("chart-text");
    let s = format!(
        "{}/scenarios/personal-rtx4090.ron",
        env!("CARGO_MANIFEST_DIR")
    );
    let k = f64::from(SCALE);
    let (w, h) = ((WIDTH * k) as usize, (HEIGHT * k) as usize);
    let px = |v: f64| (v * k) as usize;
    for lang in ["en", "zh"] {
        let out = dir.join(format!("{lang}.md"));
        let (code, _, err) = run(&["report", &s, "--out", out.to_str().unwrap(), "--lang", lang]);
        assert_eq!(code, 0, "{err}");
        let md = std::fs::read_to_string(&out).unwrap();
        for (chart, series) in [
            (
                "cost-curves",
                lang_pick(lang, "DeepSeek API (blue)", "DeepSeek API (蓝)"),
            ),
            (
                "cumulative-cost",
                lang_pick(lang, "One local server", "单台本地服务器"),
            ),
        ] {
            assert!(
                md.contains(series),
                "{lang} {chart}: `{series}` named in the text"
            );
            let bytes = std::fs::read(dir.join(format!("{lang}-{chart}.png"))).unwrap();
            let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
                .read_info()
                .unwrap();
            let mut buf = vec![0; reader.output_buffer_size().unwrap()];
            let info = reader.next_frame(&mut buf).unwrap();
            assert_eq!((info.width as usize, info.height as usize), (w, h));
            let rgba = info.color_type == png::ColorType::Rgba;
            assert!(rgba, "{lang} {chart}: {:?}", info.color_type);
            // The x-axis title sits below the tick labels, the y-axis title left of them, the
            // legend above the plot: regions where nothing else is drawn.
            let x_title = dark_pixels(
                &buf,
                w,
                px(WIDTH * 0.3)..px(WIDTH * 0.7),
                px(HEIGHT - 18.0)..h,
            );
            let y_title = dark_pixels(&buf, w, 0..px(20.0), px(HEIGHT * 0.3)..px(HEIGHT * 0.7));
            let legend = dark_pixels(
                &buf,
                w,
                px(MARGIN_LEFT)..px(WIDTH - 44.0),
                px(10.0)..px(MARGIN_TOP - 8.0),
            );
            assert!(
                x_title > 100,
                "{lang} {chart}: x-axis title ({x_title} dark pixels)"
            );
            assert!(
                y_title > 100,
                "{lang} {chart}: y-axis title ({y_title} dark pixels)"
            );
            assert!(
                legend > 400,
                "{lang} {chart}: legend names ({legend} dark pixels)"
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

fn lang_pick<'a>(lang: &str, en: &'a str, zh: &'a str) -> &'a str {
    if lang == "zh" {
        zh
    } else {
        en
    }
}
