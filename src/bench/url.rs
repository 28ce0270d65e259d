//! The server address `bench` talks to: `http://HOST:PORT[/PATH]`. Plain HTTP only (local model
//! servers speak it; an `https://` pilot server is reached through a local port-forward), so no
//! TLS library is linked into a program that is otherwise offline.

use super::BenchError;
use std::fmt;

/// Where a model server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl {
    pub host: String,
    pub port: u16,
    /// A path prefix the API lives under (`/ollama` behind a proxy), without a trailing slash;
    /// empty for the root.
    pub base_path: String,
}

/// The well-known local ports, in the order `bench` tries them, with what usually listens there.
pub const LOCAL_PORTS: [(u16, &str); 5] = [
    (11434, "Ollama"),
    (8080, "llama-server"),
    (1234, "LM Studio"),
    (8000, "vLLM"),
    (30000, "SGLang"),
];

impl ServerUrl {
    /// `127.0.0.1:PORT`.
    pub fn local(port: u16) -> ServerUrl {
        ServerUrl {
            host: "127.0.0.1".into(),
            port,
            base_path: String::new(),
        }
    }

    /// Parses `http://host:port/path`; a missing scheme means `http://`, a missing port 80.
    /// An OpenAI-style base ending in `/v1` is accepted and the `/v1` dropped (the API paths
    /// are added per request).
    pub fn parse(text: &str) -> Result<ServerUrl, BenchError> {
        let bad = |why: &str| BenchError::BadUrl(format!("{text}: {why}"));
        let t = text.trim();
        let rest = if let Some(r) = t.strip_prefix("http://") {
            r
        } else if t.starts_with("https://") {
            return Err(bad(
                "https is not supported; bench speaks plain HTTP to a local server (forward the port, e.g. `ssh -L 8000:localhost:8000 host`, and use http://127.0.0.1:8000)",
            ));
        } else if t.contains("://") {
            return Err(bad("only http:// URLs are supported"));
        } else {
            t
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err(bad(
                "user:password@ in the URL is not supported; use --api-key",
            ));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) = v6
                .split_once(']')
                .ok_or_else(|| bad("unclosed [ in the host"))?;
            let port = match after.strip_prefix(':') {
                Some(p) => p,
                None if after.is_empty() => "80",
                None => return Err(bad("expected :PORT after the IPv6 address")),
            };
            (h.to_string(), port)
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), p),
                None => (authority.to_string(), "80"),
            }
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let port: u16 = port
            .parse()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| bad("the port must be a number from 1 to 65535"))?;
        let mut base = path.trim_end_matches('/').to_string();
        if base.contains(['?', '#', ' ']) {
            return Err(bad(
                "a query, fragment or space in the path is not supported",
            ));
        }
        if let Some(b) = base.strip_suffix("/v1") {
            base = b.to_string();
        }
        Ok(ServerUrl {
            host,
            port,
            base_path: base,
        })
    }

    /// `host:port` as a socket address string (IPv6 in brackets).
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The request path for `api_path` (`/v1/models`) under the base path.
    pub fn path(&self, api_path: &str) -> String {
        format!("{}{api_path}", self.base_path)
    }
}

impl fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "http://{}{}", self.authority(), self.base_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_spellings() {
        let u = ServerUrl::parse("http://127.0.0.1:11434").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.base_path.as_str()),
            ("127.0.0.1", 11434, "")
        );
        let u = ServerUrl::parse("localhost:8000/v1/").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.base_path.as_str()),
            ("localhost", 8000, "")
        );
        let u = ServerUrl::parse("http://[::1]:8080/proxy/llm").unwrap();
        assert_eq!(u.authority(), "[::1]:8080");
        assert_eq!(u.path("/props"), "/proxy/llm/props");
        assert_eq!(u.to_string(), "http://[::1]:8080/proxy/llm");
        assert_eq!(ServerUrl::parse("http://gpu-box").unwrap().port, 80);
    }

    #[test]
    fn refuses_what_it_cannot_speak_with_a_reason() {
        for (url, why) in [
            ("https://api.example.com", "https is not supported"),
            ("ftp://x", "only http://"),
            ("http://:80", "no host"),
            ("http://host:0", "port"),
            ("http://host:99999", "port"),
            ("http://u:p@host:1", "--api-key"),
            ("http://host:1/a?b=c", "query"),
        ] {
            let e = ServerUrl::parse(url).unwrap_err().to_string();
            assert!(e.contains(why), "{url}: {e}");
        }
    }
}
