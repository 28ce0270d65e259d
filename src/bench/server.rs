//! Which server answers at a URL (Ollama, llama.cpp, vLLM, SGLang, LM Studio or another
//! OpenAI-compatible one), which model it serves and in which quant, from what the server says
//! about itself. Only GET requests for the server's own descriptions, plus Ollama's
//! `/api/show` for the model's details.

use super::catalog_map;
use super::http::Client;
use super::stream::Protocol;
use super::url::{ServerUrl, LOCAL_PORTS};
use super::BenchError;
use crate::catalog::schema::Runtime;
use crate::catalog::Catalog;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The kind of server, as `bench --json` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServerKind {
    #[serde(rename = "ollama")]
    Ollama,
    #[serde(rename = "llama.cpp")]
    LlamaCpp,
    #[serde(rename = "vllm")]
    Vllm,
    #[serde(rename = "sglang")]
    Sglang,
    #[serde(rename = "lmstudio")]
    LmStudio,
    #[serde(rename = "openai-compatible")]
    OpenAiCompatible,
}

impl ServerKind {
    pub fn json_name(self) -> &'static str {
        match self {
            ServerKind::Ollama => "ollama",
            ServerKind::LlamaCpp => "llama.cpp",
            ServerKind::Vllm => "vllm",
            ServerKind::Sglang => "sglang",
            ServerKind::LmStudio => "lmstudio",
            ServerKind::OpenAiCompatible => "openai-compatible",
        }
    }

    /// The name people know it by.
    pub fn display(self) -> &'static str {
        match self {
            ServerKind::Ollama => "Ollama",
            ServerKind::LlamaCpp => "llama.cpp server",
            ServerKind::Vllm => "vLLM",
            ServerKind::Sglang => "SGLang",
            ServerKind::LmStudio => "LM Studio",
            ServerKind::OpenAiCompatible => "OpenAI-compatible server",
        }
    }

    /// The estimator's runtime for this server (LM Studio runs llama.cpp for GGUF files).
    pub fn runtime(self) -> Option<Runtime> {
        match self {
            ServerKind::Ollama => Some(Runtime::Ollama),
            ServerKind::LlamaCpp | ServerKind::LmStudio => Some(Runtime::LlamaCpp),
            ServerKind::Vllm => Some(Runtime::Vllm),
            ServerKind::Sglang => Some(Runtime::Sglang),
            ServerKind::OpenAiCompatible => None,
        }
    }

    /// How answers are streamed: Ollama's own API, else the OpenAI one.
    pub fn protocol(self) -> Protocol {
        match self {
            ServerKind::Ollama => Protocol::Ollama,
            _ => Protocol::OpenAi,
        }
    }

    /// Servers that accept `ignore_eos` (so every answer is `--max-tokens` long).
    pub fn takes_ignore_eos(self) -> bool {
        matches!(
            self,
            ServerKind::LlamaCpp | ServerKind::Vllm | ServerKind::Sglang
        )
    }
}

/// What the server said about itself and the model it serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerInfo {
    pub kind: ServerKind,
    pub url: String,
    /// The model as the server names it (what requests ask for).
    pub model: String,
    /// The catalog model it maps to, if any.
    pub catalog_model: Option<String>,
    /// The catalog quant, if the server says or the file name shows it.
    pub quant: Option<String>,
    /// The server's version (`0.5.7`, llama.cpp `b4521`), when it reports one.
    #[serde(default)]
    pub version: Option<String>,
    /// The weights file or folder the server loaded, when it says.
    #[serde(default)]
    pub model_path: Option<String>,
}

impl ServerInfo {
    /// `Ollama 0.12.0`, `llama.cpp server b4521`: the kind and, when reported, the version.
    pub fn label(&self) -> String {
        match &self.version {
            Some(v) => format!("{} {v}", self.kind.display()),
            None => self.kind.display().to_string(),
        }
    }
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().filter(|s| !s.is_empty())
}

/// The ids of an OpenAI `/v1/models` list with their `owned_by` and `root`.
fn openai_models(v: &Value) -> Vec<(String, String, Option<String>)> {
    v.get("data")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|m| {
                    Some((
                        m.get("id")?.as_str()?.to_string(),
                        str_at(m, &["owned_by"]).unwrap_or("").to_ascii_lowercase(),
                        str_at(m, &["root"]).map(str::to_string),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Picks the model to measure: the one asked for (it must be served), else the only one,
/// else the first of `preferred` (loaded models), else an error listing them.
fn pick(
    url: &ServerUrl,
    served: &[String],
    preferred: &[String],
    asked: Option<&str>,
) -> Result<String, BenchError> {
    if let Some(a) = asked {
        return served
            .iter()
            .find(|s| s.eq_ignore_ascii_case(a))
            .cloned()
            .ok_or_else(|| BenchError::UnknownModel {
                url: url.to_string(),
                asked: a.to_string(),
                served: served.to_vec(),
            });
    }
    match (served, preferred.first()) {
        ([], _) => Err(BenchError::NoModel {
            url: url.to_string(),
        }),
        ([one], _) => Ok(one.clone()),
        (_, Some(p)) => Ok(p.clone()),
        (many, None) => Err(BenchError::SeveralModels {
            url: url.to_string(),
            served: many.to_vec(),
        }),
    }
}

/// The catalog model and quant of a weights file the server loaded, read from the file's header
/// when the server runs on this machine and the file is there.
fn from_local_file(url: &ServerUrl, path: &str) -> Option<(Option<String>, Option<String>)> {
    let local = matches!(url.host.as_str(), "127.0.0.1" | "localhost" | "::1");
    let path = std::path::Path::new(path);
    if !local || !path.is_file() {
        return None;
    }
    let e = crate::modelfile::evaluate::evaluate_path(path).ok()?;
    let model = e.matched.matched.map(|m| m.model.id.clone());
    let quant = Catalog::get().quant(&e.quant.id).ok().map(|q| q.id.clone());
    Some((model, quant))
}

/// Asks the server at `client.url` what it is and what it serves; `asked` picks a model when
/// it serves several.
pub fn identify(
    client: &Client,
    asked: Option<&str>,
    deadline: Instant,
) -> Result<ServerInfo, BenchError> {
    let url = client.url.to_string();
    let catalog = Catalog::get();
    let info = |kind, model: String, version, path: Option<String>, stated: Option<String>| {
        let names: Vec<&str> = std::iter::once(model.as_str())
            .chain(path.as_deref())
            .collect();
        let mut catalog_model = catalog_map::catalog_model(catalog, &names).map(|m| m.id.clone());
        let mut quant =
            catalog_map::quant(catalog, stated.as_deref(), &names).map(|q| q.id.clone());
        // A server on this machine names the file it loaded: its header says what it is.
        if let Some((m, q)) = path
            .as_deref()
            .and_then(|p| from_local_file(&client.url, p))
        {
            catalog_model = catalog_model.or(m);
            quant = quant.or(q);
        }
        ServerInfo {
            kind,
            url: url.clone(),
            model,
            catalog_model,
            quant,
            version,
            model_path: path,
        }
    };

    // Ollama: its own API.
    if let Some(v) = client.get_json("/api/version", deadline)? {
        if let Some(version) = str_at(&v, &["version"]) {
            let names = |v: Option<Value>| -> Vec<String> {
                v.and_then(|v| v.get("models").and_then(Value::as_array).cloned())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|m| str_at(m, &["name"]).map(str::to_string))
                    .collect()
            };
            let served = names(client.get_json("/api/tags", deadline)?);
            let loaded = names(client.get_json("/api/ps", deadline)?);
            let model = pick(&client.url, &served, &loaded, asked)?;
            let show = client.post_json("/api/show", &json!({ "model": model }), deadline)?;
            let details: Value = if show.status == 200 {
                serde_json::from_str(&show.text()?).unwrap_or(Value::Null)
            } else {
                Value::Null
            };
            let stated = str_at(&details, &["details", "quantization_level"]).map(str::to_string);
            return Ok(info(
                ServerKind::Ollama,
                model,
                Some(version.to_string()),
                None,
                stated,
            ));
        }
    }

    // llama.cpp's server: `/props` describes the loaded file.
    if let Some(props) = client.get_json("/props", deadline)? {
        let path = str_at(&props, &["model_path"]).map(str::to_string);
        if path.is_some() || props.get("default_generation_settings").is_some() {
            let listed = client
                .get_json("/v1/models", deadline)?
                .map(|v| openai_models(&v))
                .unwrap_or_default();
            let served: Vec<String> = listed.into_iter().map(|m| m.0).collect();
            let model = match served.first() {
                Some(first) => pick(&client.url, &served, std::slice::from_ref(first), asked)?,
                None => path.clone().unwrap_or_else(|| "model".into()),
            };
            let version = str_at(&props, &["build_info"]).map(str::to_string);
            return Ok(info(ServerKind::LlamaCpp, model, version, path, None));
        }
    }

    // LM Studio's REST API lists the quant and which model is loaded.
    if let Some(v) = client.get_json("/api/v0/models", deadline)? {
        let llms: Vec<&Value> = v
            .get("data")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter(|m| str_at(m, &["type"]).is_none_or(|t| t == "llm" || t == "vlm"))
                    .collect()
            })
            .unwrap_or_default();
        if !llms.is_empty() {
            let served: Vec<String> = llms
                .iter()
                .filter_map(|m| str_at(m, &["id"]).map(str::to_string))
                .collect();
            let loaded: Vec<String> = llms
                .iter()
                .filter(|m| str_at(m, &["state"]) == Some("loaded"))
                .filter_map(|m| str_at(m, &["id"]).map(str::to_string))
                .collect();
            let model = pick(&client.url, &served, &loaded, asked)?;
            let stated = llms
                .iter()
                .find(|m| str_at(m, &["id"]) == Some(model.as_str()))
                .and_then(|m| str_at(m, &["quantization"]))
                .map(str::to_string);
            return Ok(info(ServerKind::LmStudio, model, None, None, stated));
        }
    }

    // Any OpenAI-compatible server; vLLM and SGLang say who they are in `owned_by`.
    let Some(list) = client.get_json("/v1/models", deadline)? else {
        return Err(BenchError::NotLlmServer {
            url,
            why: "it answers HTTP but none of /api/version (Ollama), /props (llama.cpp), /api/v0/models (LM Studio) or /v1/models (OpenAI-compatible) describes a model".into(),
        });
    };
    let listed = openai_models(&list);
    let served: Vec<String> = listed.iter().map(|m| m.0.clone()).collect();
    let model = pick(&client.url, &served, &[], asked)?;
    let (owner, root) = listed
        .iter()
        .find(|m| m.0 == model)
        .map(|m| (m.1.clone(), m.2.clone()))
        .unwrap_or_default();
    let (kind, version) = if owner.contains("vllm") {
        let v = client.get_json("/version", deadline)?;
        let version = v.and_then(|v| str_at(&v, &["version"]).map(str::to_string));
        (ServerKind::Vllm, version)
    } else if owner.contains("sglang") {
        let v = client.get_json("/get_server_info", deadline)?;
        let version = v.and_then(|v| str_at(&v, &["version"]).map(str::to_string));
        (ServerKind::Sglang, version)
    } else {
        (ServerKind::OpenAiCompatible, None)
    };
    let path = root.filter(|r| r != &model);
    Ok(info(kind, model, version, path, None))
}

/// A server found on one of the usual local ports.
#[derive(Debug, Clone)]
pub struct Found {
    pub url: ServerUrl,
    /// What usually listens on that port (`Ollama`), for the message.
    pub usual: &'static str,
}

/// Which of the usual local ports on 127.0.0.1 accept a connection (nothing is sent).
pub fn find_local() -> Vec<Found> {
    LOCAL_PORTS
        .iter()
        .filter(|(port, _)| {
            let addr = std::net::SocketAddr::from(([127, 0, 0, 1], *port));
            std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(300)).is_ok()
        })
        .map(|(port, usual)| Found {
            url: ServerUrl::local(*port),
            usual,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picking_a_model_is_explicit_when_it_must_be() {
        let url = ServerUrl::local(1);
        let served = vec!["a:1b".to_string(), "b:7b".to_string()];
        assert_eq!(pick(&url, &served, &[], Some("B:7B")).unwrap(), "b:7b");
        assert_eq!(pick(&url, &served[..1], &[], None).unwrap(), "a:1b");
        assert_eq!(pick(&url, &served, &served[1..], None).unwrap(), "b:7b");
        let e = pick(&url, &served, &[], None).unwrap_err().to_string();
        assert!(e.contains("a:1b, b:7b") && e.contains("--model"), "{e}");
        let e = pick(&url, &served, &[], Some("c")).unwrap_err().to_string();
        assert!(e.contains("does not serve c"), "{e}");
        let e = pick(&url, &[], &[], None).unwrap_err().to_string();
        assert!(e.contains("no model"), "{e}");
    }

    #[test]
    fn kinds_have_the_documented_json_names() {
        for k in [
            ServerKind::Ollama,
            ServerKind::LlamaCpp,
            ServerKind::Vllm,
            ServerKind::Sglang,
            ServerKind::LmStudio,
            ServerKind::OpenAiCompatible,
        ] {
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                Value::String(k.json_name().into())
            );
        }
    }
}
