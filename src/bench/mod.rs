//! Measuring a model server that already runs (`deepseek-advisor bench`), and what the advice
//! does with the measurement. `http`, `server`, `request` and `run` are the only code in the
//! program that opens a network connection, and only to the URL given or to 127.0.0.1; the
//! rest of this module is pure: reading the stream (`stream`), naming the model
//! (`catalog_map`), the measurements kept per machine (`store`) and how they correct the
//! estimates for that machine (`adjust`).

pub mod adjust;
pub mod catalog_map;
pub mod curve;
pub mod http;
pub mod request;
pub mod run;
pub mod server;
pub mod store;
pub mod stream;
pub mod url;

pub use run::{run, BenchConfig, BenchReport, LevelResult, Progress};
pub use server::{ServerInfo, ServerKind};
pub use url::ServerUrl;

use std::fmt;

/// Why a measurement could not be made. Nothing is saved after any of these.
#[derive(Debug, Clone, PartialEq)]
pub enum BenchError {
    /// A flag out of bounds (the message names it).
    BadInput(String),
    BadUrl(String),
    NotListening {
        url: String,
        why: String,
    },
    /// Without `--url`: none of the usual local ports answers.
    NothingFound,
    NotLlmServer {
        url: String,
        why: String,
    },
    Unauthorized {
        url: String,
    },
    NoModel {
        url: String,
    },
    SeveralModels {
        url: String,
        served: Vec<String>,
    },
    UnknownModel {
        url: String,
        asked: String,
        served: Vec<String>,
    },
    /// The server answered a request with an error.
    ModelFailed(String),
    /// The answer ended long before `--max-tokens`.
    StoppedEarly {
        got: u32,
        asked: u32,
        reason: Option<String>,
    },
    /// The connection closed or failed in the middle of an answer.
    StreamCut(String),
    /// The server's answer is not what its API promises.
    Protocol(String),
    /// A read passed the deadline (turned into `TooSlow` with what was being done).
    DeadlinePassed,
    TooSlow {
        limit_s: u64,
        what: String,
    },
    /// Ctrl-C or the app's Cancel.
    Cancelled,
    /// Another user's request at the same level failed first (never shown).
    Stopped,
}

impl BenchError {
    /// Exit code: 2 when what bench was pointed at cannot be measured (the URL, the model,
    /// the flags), 1 when the measurement failed, 130 after Ctrl-C.
    pub fn exit_code(&self) -> i32 {
        match self {
            BenchError::BadInput(_)
            | BenchError::BadUrl(_)
            | BenchError::NotListening { .. }
            | BenchError::NothingFound
            | BenchError::NotLlmServer { .. }
            | BenchError::Unauthorized { .. }
            | BenchError::NoModel { .. }
            | BenchError::SeveralModels { .. }
            | BenchError::UnknownModel { .. } => 2,
            BenchError::Cancelled => 130,
            _ => 1,
        }
    }
}

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BenchError::BadInput(m) => write!(f, "{m}"),
            BenchError::BadUrl(m) => write!(f, "--url: {m}"),
            BenchError::NotListening { url, why } => write!(
                f,
                "nothing is listening at {url} ({why}); start the model server first, or give its address with --url"
            ),
            BenchError::NothingFound => {
                let ports: Vec<String> = url::LOCAL_PORTS
                    .iter()
                    .map(|(p, name)| format!("{p} ({name})"))
                    .collect();
                write!(
                    f,
                    "no model server found on 127.0.0.1 (tried ports {}); start one, or give its address with --url",
                    ports.join(", ")
                )
            }
            BenchError::NotLlmServer { url, why } => {
                write!(f, "{url} is not a model server: {why}")
            }
            BenchError::Unauthorized { url } => write!(
                f,
                "{url} refused the request (HTTP 401/403): it needs an API key; give it with --api-key or DEEPSEEK_ADVISOR_API_KEY"
            ),
            BenchError::NoModel { url } => write!(
                f,
                "{url} serves no model yet; load or pull one first (e.g. `ollama pull deepseek-r1:7b`)"
            ),
            BenchError::SeveralModels { url, served } => write!(
                f,
                "{url} serves several models: {}; choose one with --model",
                served.join(", ")
            ),
            BenchError::UnknownModel { url, asked, served } => write!(
                f,
                "--model: {url} does not serve {asked}; it serves: {}",
                if served.is_empty() {
                    "nothing".to_string()
                } else {
                    served.join(", ")
                }
            ),
            BenchError::ModelFailed(m) => write!(f, "the model server answered with an error: {m}"),
            BenchError::StoppedEarly { got, asked, reason } => write!(
                f,
                "the model stopped after {got} of {asked} tokens{}: too short to time decoding; ask for fewer with --max-tokens, or use a server that can ignore the end token (llama.cpp, vLLM, SGLang do)",
                reason
                    .as_ref()
                    .map(|r| format!(" (finish reason: {r})"))
                    .unwrap_or_default()
            ),
            BenchError::StreamCut(m) => write!(f, "the answer was cut off: {m}"),
            BenchError::Protocol(m) => write!(f, "the server's answer could not be read: {m}"),
            BenchError::DeadlinePassed => write!(f, "the time limit passed"),
            BenchError::TooSlow { limit_s, what } => write!(
                f,
                "the server did not finish {what} within the {limit_s} s time limit; raise --time-limit, or lower --max-tokens, --prompt-tokens or --concurrency"
            ),
            BenchError::Cancelled => write!(f, "stopped (Ctrl-C or Cancel); nothing was saved"),
            BenchError::Stopped => write!(f, "stopped because another request failed"),
        }
    }
}

impl std::error::Error for BenchError {}
