//! The pinned engines' command lines as data (`assets/engines/<engine>-<version>.json`,
//! regenerated from each engine's own package or source by `scripts/engine-schemas/regen.sh`):
//! which flags exist, what values they take, which model architectures the release loads.
//! Every command the export writes is checked against the schema of its pinned version before a
//! file is written, and again in the tests on the argv the scripts actually run.

use serde::Deserialize;
use std::sync::OnceLock;

/// An engine with a pinned schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    Vllm,
    Sglang,
    /// KTransformers serves through its SGLang fork (`sglang-kt`).
    Ktransformers,
    SglangRouter,
    LlamaCpp,
    MlxLm,
    Ds4,
    Ollama,
    TensorrtLlm,
}

impl Engine {
    pub const ALL: [Engine; 9] = [
        Engine::Vllm,
        Engine::Sglang,
        Engine::Ktransformers,
        Engine::SglangRouter,
        Engine::LlamaCpp,
        Engine::MlxLm,
        Engine::Ds4,
        Engine::Ollama,
        Engine::TensorrtLlm,
    ];

    fn text(self) -> &'static str {
        match self {
            Engine::Vllm => include_str!("../../assets/engines/vllm-0.34.0.json"),
            Engine::Sglang => include_str!("../../assets/engines/sglang-0.5.23.json"),
            Engine::Ktransformers => include_str!("../../assets/engines/ktransformers-0.7.2.json"),
            Engine::SglangRouter => include_str!("../../assets/engines/sglang-router-0.3.2.json"),
            Engine::LlamaCpp => include_str!("../../assets/engines/llama.cpp-b11312.json"),
            Engine::MlxLm => include_str!("../../assets/engines/mlx-lm-0.32.2.json"),
            Engine::Ds4 => include_str!("../../assets/engines/ds4-8d57664.json"),
            Engine::Ollama => include_str!("../../assets/engines/ollama-0.32.15.json"),
            Engine::TensorrtLlm => include_str!("../../assets/engines/tensorrt-llm-00209af.json"),
        }
    }

    /// The parsed schema (parsed once).
    pub fn schema(self) -> &'static EngineSchema {
        static CELLS: [OnceLock<EngineSchema>; 9] = [const { OnceLock::new() }; 9];
        let i = Engine::ALL.iter().position(|e| *e == self).unwrap_or(0);
        CELLS[i].get_or_init(|| {
            serde_json::from_str(self.text()).unwrap_or_else(|e| {
                // The files are committed and tested; a parse failure is a build defect.
                panic!("assets/engines schema for {self:?} is not valid: {e}")
            })
        })
    }
}

/// What an option's value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A switch: takes no value.
    None,
    Int,
    Float,
    Str,
    Json,
    /// An integer with an optional k/K/m/M/g/G/t/T suffix.
    HumanInt,
    HumanIntOrAuto,
    /// on/off, true/false, 1/0, enabled/disabled, yes/no.
    BoolWord,
    /// An integer or one of the choices.
    IntOrWord,
    /// A comma-separated list of the choices.
    Csv,
    /// `host` or `host:port`.
    HostPort,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OptionSpec {
    pub flags: Vec<String>,
    pub value: ValueKind,
    /// `null`, "?", "+", "*" or a count.
    pub nargs: Option<serde_json::Value>,
    pub choices: Option<Vec<String>>,
    pub deprecated: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Positional {
    pub name: String,
    pub nargs: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EnvSpec {
    pub name: String,
    pub value: ValueKind,
}

/// One engine at one version.
#[derive(Debug, Clone, Deserialize)]
pub struct EngineSchema {
    pub engine: String,
    pub version: String,
    pub source: String,
    pub program: Vec<String>,
    pub positionals: Vec<Positional>,
    pub options: Vec<OptionSpec>,
    pub env: Vec<EnvSpec>,
    pub architectures: Vec<String>,
    #[serde(default)]
    pub extra: serde_json::Value,
}

/// How many values an option or positional takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Count {
    One,
    Optional,
    AtLeastOne,
    Any,
    Exactly(usize),
}

fn count(n: &Option<serde_json::Value>) -> Count {
    match n {
        None => Count::One,
        Some(serde_json::Value::String(s)) if s == "?" => Count::Optional,
        Some(serde_json::Value::String(s)) if s == "+" => Count::AtLeastOne,
        Some(serde_json::Value::String(s)) if s == "*" => Count::Any,
        Some(serde_json::Value::Number(k)) => Count::Exactly(k.as_u64().unwrap_or(1) as usize),
        Some(_) => Count::One,
    }
}

fn is_flag(token: &str) -> bool {
    token.starts_with('-') && token.len() > 1 && token.parse::<f64>().is_err()
}

const BOOL_WORDS: [&str; 12] = [
    "on", "off", "true", "false", "1", "0", "enabled", "disabled", "yes", "no", "True", "False",
];

fn human_int(v: &str) -> bool {
    let digits = v.trim_end_matches(['k', 'K', 'm', 'M', 'g', 'G', 't', 'T']);
    !digits.is_empty() && v.len() - digits.len() <= 1 && digits.parse::<f64>().is_ok()
}

/// Whether `v` is a valid value of `kind` (within `choices` where there are some).
pub fn value_ok(kind: ValueKind, choices: Option<&[String]>, v: &str) -> Result<(), String> {
    let in_choices = |x: &str| choices.is_none_or(|c| c.iter().any(|k| k == x));
    let ok = match kind {
        ValueKind::None => false,
        ValueKind::Int => v.parse::<i64>().is_ok() && in_choices(v),
        ValueKind::Float => v.parse::<f64>().is_ok_and(f64::is_finite),
        ValueKind::Str => !v.is_empty() && in_choices(v),
        ValueKind::Json => serde_json::from_str::<serde_json::Value>(v).is_ok(),
        ValueKind::HumanInt => human_int(v),
        ValueKind::HumanIntOrAuto => human_int(v) || v == "auto" || v == "-1",
        ValueKind::BoolWord => BOOL_WORDS.contains(&v),
        ValueKind::IntOrWord => v.parse::<i64>().is_ok() || in_choices(v) && choices.is_some(),
        ValueKind::Csv => !v.is_empty() && v.split(',').all(in_choices),
        ValueKind::HostPort => {
            let (host, port) = v.rsplit_once(':').unwrap_or((v, "0"));
            !host.is_empty() && port.parse::<u16>().is_ok()
        }
    };
    if ok {
        Ok(())
    } else {
        Err(match choices {
            Some(c) => format!("{v:?} is not one of {}", c.join(", ")),
            None => format!("{v:?} is not a valid {kind:?} value"),
        })
    }
}

impl EngineSchema {
    /// `engine version`, as users read it.
    pub fn label(&self) -> String {
        format!("{} {}", self.engine, self.version)
    }

    pub fn option(&self, flag: &str) -> Option<&OptionSpec> {
        self.options
            .iter()
            .find(|o| o.flags.iter().any(|f| f == flag))
    }

    pub fn knows_architecture(&self, arch: &str) -> bool {
        self.architectures.iter().any(|a| a == arch)
    }

    /// Checks one command line (program words first) against the schema; every problem is
    /// listed, naming the flag.
    pub fn check_argv(&self, argv: &[String]) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        let n = self.program.len();
        let program_ok = argv.len() >= n
            && argv[..n]
                .iter()
                .zip(&self.program)
                .enumerate()
                .all(|(i, (a, p))| {
                    // The first word may carry a path (`/app/llama-server`, `./ds4-server`).
                    a == p || (i == 0 && a.rsplit('/').next() == p.rsplit('/').next())
                });
        if !program_ok {
            errors.push(format!(
                "starts with {:?}, not the {} program {:?}",
                argv.iter().take(n).collect::<Vec<_>>(),
                self.label(),
                self.program
            ));
            return Err(errors);
        }
        let mut positionals = Vec::new();
        let mut i = n;
        while i < argv.len() {
            let token = &argv[i];
            i += 1;
            if !is_flag(token) {
                positionals.push(token.clone());
                continue;
            }
            let (flag, inline) = match token.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
                _ => (token.as_str(), None),
            };
            let Some(spec) = self.option(flag) else {
                errors.push(format!("{flag}: no such option in {}", self.label()));
                continue;
            };
            if spec.deprecated {
                errors.push(format!("{flag}: deprecated in {}", self.label()));
            }
            let mut values: Vec<String> = inline.into_iter().collect();
            if spec.value == ValueKind::None {
                if !values.is_empty() {
                    errors.push(format!("{flag} takes no value"));
                }
                continue;
            }
            let want = count(&spec.nargs);
            let take_more = |values: &Vec<String>| match want {
                Count::One | Count::Optional => values.is_empty(),
                Count::Exactly(k) => values.len() < k,
                Count::AtLeastOne | Count::Any => true,
            };
            while take_more(&values) && i < argv.len() && !is_flag(&argv[i]) {
                values.push(argv[i].clone());
                i += 1;
            }
            let count_ok = match want {
                Count::One => values.len() == 1,
                Count::Optional => values.len() <= 1,
                Count::AtLeastOne => !values.is_empty(),
                Count::Any => true,
                Count::Exactly(k) => values.len() == k,
            };
            if !count_ok {
                errors.push(format!("{flag}: expects {want:?} value(s), got {values:?}"));
                continue;
            }
            // Only the first value of a multi-value option is typed (`--prefill URL PORT`).
            for v in values.iter().take(match want {
                Count::AtLeastOne | Count::Any => 1,
                _ => values.len(),
            }) {
                if let Err(e) = value_ok(spec.value, spec.choices.as_deref(), v) {
                    errors.push(format!("{flag}: {e}"));
                }
            }
        }
        let mut left = positionals.as_slice();
        for p in &self.positionals {
            match count(&p.nargs) {
                Count::One if left.is_empty() => errors.push(format!("missing <{}>", p.name)),
                Count::One | Count::Optional if !left.is_empty() => left = &left[1..],
                Count::AtLeastOne | Count::Any => left = &[],
                _ => {}
            }
        }
        if !left.is_empty() {
            errors.push(format!(
                "unexpected argument(s) {left:?} for {}",
                self.label()
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Checks environment variables the command sets for the engine (Ollama's settings).
    pub fn check_env(&self, env: &[(String, String)]) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        for (k, v) in env {
            match self.env.iter().find(|e| e.name == *k) {
                None => errors.push(format!("{k}: {} reads no such variable", self.label())),
                Some(e) => {
                    if let Err(msg) = value_ok(e.value, None, v) {
                        errors.push(format!("{k}: {msg}"));
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Download targets of the engine's own download script (ds4).
    pub fn download_targets(&self) -> Vec<&str> {
        self.extra["download_targets"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn every_schema_parses_and_names_its_version() {
        for e in Engine::ALL {
            let s = e.schema();
            assert!(!s.version.is_empty() && !s.program.is_empty(), "{e:?}");
            assert!(!s.options.is_empty() || !s.env.is_empty(), "{e:?}");
        }
        assert_eq!(Engine::Vllm.schema().version, "0.34.0");
        assert!(Engine::Vllm
            .schema()
            .knows_architecture("DeepseekV41ForCausalLM"));
        assert!(!Engine::MlxLm.schema().knows_architecture("deepseek_v4"));
    }

    #[test]
    fn the_checker_catches_unknown_flags_bad_values_and_missing_values() {
        let v = Engine::Vllm.schema();
        assert!(v
            .check_argv(&argv("vllm serve /m --tensor-parallel-size 8 --enable-expert-parallel --max-model-len 8k --trust-remote-code"))
            .is_ok());
        let e = v
            .check_argv(&argv(
                "vllm serve /m --tensor-parallel-size eight --tp-size 2",
            ))
            .unwrap_err();
        // A bad value, an unknown flag, and its value left over as a stray argument.
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(v.check_argv(&argv("vllm serve /m --max-num-seqs")).is_err());
        assert!(v.check_argv(&argv("vllm serve /m /n")).is_err());
        let s = Engine::Sglang.schema();
        let e = s
            .check_argv(&argv("python3 -m sglang.launch_server --model-path /m --enable-dp-attention --kv-cache-dtype fp8"))
            .unwrap_err();
        assert!(e.iter().any(|m| m.contains("deprecated")), "{e:?}");
        assert!(e.iter().any(|m| m.contains("fp8_e4m3")), "{e:?}");
        let r = Engine::SglangRouter.schema();
        assert!(r
            .check_argv(&argv("python3 -m sglang_router.launch_router --pd-disaggregation --prefill http://p:8000 8998 --decode http://d:8000 --port 30000"))
            .is_ok());
        let l = Engine::LlamaCpp.schema();
        assert!(l
            .check_argv(&argv("/app/llama-server -m /m/x-00001-of-00003.gguf -ngl all --n-cpu-moe 10 -ot exps=CPU -ctk q8_0 --spec-type draft-mtp"))
            .is_ok());
        assert!(l.check_argv(&argv("llama-server -ctk fp8")).is_err());
        let o = Engine::Ollama.schema();
        assert!(o
            .check_env(&[("OLLAMA_HOST".into(), "0.0.0.0:8000".into())])
            .is_ok());
        assert!(o
            .check_env(&[("OLLAMA_PORT".into(), "8000".into())])
            .is_err());
    }
}
