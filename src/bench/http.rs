//! A small HTTP/1.1 client over `std::net::TcpStream`: one request per connection
//! (`Connection: close`), bodies framed by `Content-Length`, chunked encoding or the end of the
//! connection, read line by line for streamed answers (SSE and NDJSON). Every read is bounded by
//! a deadline and checks a cancel flag ten times a second, so a stalled server or Ctrl-C never
//! leaves `bench` hanging. This module (with the rest of `bench`) is the only code in the program
//! that opens a network connection.

use super::url::ServerUrl;
use super::BenchError;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often a blocked read wakes up to look at the cancel flag and the deadline.
const POLL: Duration = Duration::from_millis(100);
/// Longest connection attempt.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Longest response head (status line and headers).
const MAX_HEAD: usize = 64 * 1024;
/// Longest line in a streamed body (one SSE event or NDJSON object).
const MAX_LINE: usize = 1024 * 1024;
/// Largest whole body read at once (model lists, server properties).
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// Talks to one server; cheap to clone for each concurrent user.
#[derive(Debug, Clone)]
pub struct Client {
    pub url: ServerUrl,
    api_key: Option<String>,
    cancel: Arc<AtomicBool>,
    /// Set when another user's request failed: this one stops too.
    stop: Option<Arc<AtomicBool>>,
}

/// A response whose body is still on the wire.
pub struct Response {
    pub status: u16,
    pub content_type: String,
    body: Body,
}

enum Framing {
    Length(usize),
    Chunked { left_in_chunk: usize, done: bool },
    UntilClose,
}

struct Body {
    conn: Conn,
    framing: Framing,
    /// Decoded body bytes not yet returned as a line.
    pending: Vec<u8>,
    finished: bool,
}

struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    pos: usize,
    deadline: Instant,
    cancel: Arc<AtomicBool>,
    stop: Option<Arc<AtomicBool>>,
}

impl Conn {
    /// Reads more bytes into the buffer; `false` at the end of the connection.
    fn fill(&mut self) -> Result<bool, BenchError> {
        if self.pos > 0 && self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        }
        let mut chunk = [0u8; 16 * 1024];
        loop {
            if self.cancel.load(Ordering::Relaxed) {
                return Err(BenchError::Cancelled);
            }
            if self
                .stop
                .as_ref()
                .is_some_and(|s| s.load(Ordering::Relaxed))
            {
                return Err(BenchError::Stopped);
            }
            if Instant::now() >= self.deadline {
                return Err(BenchError::DeadlinePassed);
            }
            match self.stream.read(&mut chunk) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(true);
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                    ) => {}
                Err(e) => return Err(BenchError::StreamCut(e.to_string())),
            }
        }
    }

    fn available(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// One CRLF- or LF-terminated line of the head or a chunk header, without the terminator.
    fn line(&mut self, limit: usize) -> Result<Vec<u8>, BenchError> {
        loop {
            if let Some(i) = self.available().iter().position(|b| *b == b'\n') {
                let mut line = self.available()[..i].to_vec();
                self.pos += i + 1;
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.available().len() > limit {
                return Err(BenchError::Protocol("a header line is too long".into()));
            }
            if !self.fill()? {
                return Err(BenchError::StreamCut(
                    "the connection closed in the middle of a response".into(),
                ));
            }
        }
    }

    /// Up to `max` body bytes (at least one unless the connection ended).
    fn take(&mut self, max: usize) -> Result<Vec<u8>, BenchError> {
        if self.available().is_empty() && !self.fill()? {
            return Ok(Vec::new());
        }
        let n = self.available().len().min(max);
        let out = self.available()[..n].to_vec();
        self.pos += n;
        Ok(out)
    }
}

impl Body {
    /// The next decoded bytes; empty at the end of the body.
    fn next_bytes(&mut self) -> Result<Vec<u8>, BenchError> {
        if self.finished {
            return Ok(Vec::new());
        }
        let cut =
            || BenchError::StreamCut("the connection closed before the answer was complete".into());
        match &mut self.framing {
            Framing::Length(left) => {
                if *left == 0 {
                    self.finished = true;
                    return Ok(Vec::new());
                }
                let b = self.conn.take(*left)?;
                if b.is_empty() {
                    return Err(cut());
                }
                *left -= b.len();
                Ok(b)
            }
            Framing::UntilClose => {
                let b = self.conn.take(usize::MAX)?;
                if b.is_empty() {
                    self.finished = true;
                }
                Ok(b)
            }
            Framing::Chunked {
                left_in_chunk,
                done,
            } => {
                if *done {
                    self.finished = true;
                    return Ok(Vec::new());
                }
                if *left_in_chunk == 0 {
                    let line = self.conn.line(1024)?;
                    let text = String::from_utf8_lossy(&line);
                    let size_text = text.split(';').next().unwrap_or("").trim();
                    let size = usize::from_str_radix(size_text, 16).map_err(|_| {
                        BenchError::Protocol(format!("bad chunk size {size_text:?}"))
                    })?;
                    if size == 0 {
                        // Trailers until the empty line; a server that closes instead is done too.
                        while let Ok(l) = self.conn.line(MAX_HEAD) {
                            if l.is_empty() {
                                break;
                            }
                        }
                        *done = true;
                        self.finished = true;
                        return Ok(Vec::new());
                    }
                    *left_in_chunk = size;
                }
                let b = self.conn.take(*left_in_chunk)?;
                if b.is_empty() {
                    return Err(cut());
                }
                *left_in_chunk -= b.len();
                if *left_in_chunk == 0 {
                    // The CRLF after the chunk's data.
                    let rest = self.conn.line(2)?;
                    if !rest.is_empty() {
                        return Err(BenchError::Protocol("chunk longer than its size".into()));
                    }
                }
                Ok(b)
            }
        }
    }
}

impl Response {
    /// The next line of the body (without its line end), `None` at the end. Blank lines are
    /// returned too (SSE separates events with them).
    pub fn next_line(&mut self) -> Result<Option<String>, BenchError> {
        loop {
            let b = &mut self.body;
            if let Some(i) = b.pending.iter().position(|c| *c == b'\n') {
                let mut line: Vec<u8> = b.pending.drain(..=i).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(Some(String::from_utf8_lossy(&line).into_owned()));
            }
            if b.pending.len() > MAX_LINE {
                return Err(BenchError::Protocol(
                    "a line of the streamed answer is longer than 1 MiB".into(),
                ));
            }
            let more = b.next_bytes()?;
            if more.is_empty() {
                if b.pending.is_empty() {
                    return Ok(None);
                }
                let line = std::mem::take(&mut b.pending);
                return Ok(Some(String::from_utf8_lossy(&line).into_owned()));
            }
            b.pending.extend_from_slice(&more);
        }
    }

    /// The whole body as text (at most `MAX_BODY` bytes).
    pub fn text(mut self) -> Result<String, BenchError> {
        let mut all = std::mem::take(&mut self.body.pending);
        loop {
            let more = self.body.next_bytes()?;
            if more.is_empty() {
                break;
            }
            all.extend_from_slice(&more);
            if all.len() > MAX_BODY {
                return Err(BenchError::Protocol(
                    "the answer is larger than 8 MiB".into(),
                ));
            }
        }
        Ok(String::from_utf8_lossy(&all).into_owned())
    }
}

fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

impl Client {
    pub fn new(url: ServerUrl, api_key: Option<String>, cancel: Arc<AtomicBool>) -> Client {
        Client {
            url,
            api_key,
            cancel,
            stop: None,
        }
    }

    /// This client, also stopping when `stop` is set (another user's request failed).
    pub fn with_stop(&self, stop: Arc<AtomicBool>) -> Client {
        Client {
            stop: Some(stop),
            ..self.clone()
        }
    }

    /// Opens a connection, or says nothing listens there.
    fn connect(&self, deadline: Instant) -> Result<TcpStream, BenchError> {
        let not_listening = |why: String| BenchError::NotListening {
            url: self.url.to_string(),
            why,
        };
        let addrs: Vec<_> = self
            .url
            .authority()
            .to_socket_addrs()
            .map_err(|e| not_listening(format!("cannot resolve the host ({e})")))?
            .collect();
        let mut last = String::from("no address");
        for addr in addrs {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(BenchError::DeadlinePassed);
            }
            match TcpStream::connect_timeout(&addr, left.min(CONNECT_TIMEOUT)) {
                Ok(s) => {
                    s.set_read_timeout(Some(POLL))
                        .and_then(|()| s.set_write_timeout(Some(CONNECT_TIMEOUT)))
                        .map_err(|e| not_listening(e.to_string()))?;
                    let _ = s.set_nodelay(true);
                    return Ok(s);
                }
                Err(e) => last = e.to_string(),
            }
        }
        Err(not_listening(last))
    }

    /// Sends one request and reads the response head; the body is read by the caller.
    pub fn send(
        &self,
        method: &str,
        api_path: &str,
        body: Option<&[u8]>,
        deadline: Instant,
    ) -> Result<Response, BenchError> {
        let mut stream = self.connect(deadline)?;
        let mut head = format!(
            "{method} {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: deepseek-advisor-bench/{}\r\nAccept: */*\r\nConnection: close\r\n",
            self.url.path(api_path),
            self.url.authority(),
            env!("CARGO_PKG_VERSION")
        );
        if let Some(key) = &self.api_key {
            head.push_str(&format!("Authorization: Bearer {key}\r\n"));
        }
        if let Some(b) = body {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                b.len()
            ));
        }
        head.push_str("\r\n");
        let cut =
            |e: std::io::Error| BenchError::StreamCut(format!("cannot send the request: {e}"));
        stream.write_all(head.as_bytes()).map_err(cut)?;
        if let Some(b) = body {
            stream.write_all(b).map_err(cut)?;
        }
        stream.flush().map_err(cut)?;
        let mut conn = Conn {
            stream,
            buf: Vec::new(),
            pos: 0,
            deadline,
            cancel: self.cancel.clone(),
            stop: self.stop.clone(),
        };
        let status_line = String::from_utf8_lossy(&conn.line(MAX_HEAD)?).into_owned();
        let status = parse_status(&status_line).ok_or_else(|| BenchError::NotLlmServer {
            url: self.url.to_string(),
            why: format!(
                "it does not answer HTTP (first line: {:?})",
                status_line.chars().take(60).collect::<String>()
            ),
        })?;
        let mut headers = Vec::new();
        let mut size = 0usize;
        loop {
            let line = conn.line(MAX_HEAD)?;
            if line.is_empty() {
                break;
            }
            size += line.len();
            if size > MAX_HEAD {
                return Err(BenchError::Protocol(
                    "the response headers are too long".into(),
                ));
            }
            let text = String::from_utf8_lossy(&line);
            if let Some((k, v)) = text.split_once(':') {
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        let chunked = header_value(&headers, "transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        let framing = if chunked {
            Framing::Chunked {
                left_in_chunk: 0,
                done: false,
            }
        } else if let Some(len) = header_value(&headers, "content-length") {
            Framing::Length(
                len.parse()
                    .map_err(|_| BenchError::Protocol(format!("bad Content-Length {len:?}")))?,
            )
        } else if method == "HEAD" || status == 204 || status == 304 {
            Framing::Length(0)
        } else {
            Framing::UntilClose
        };
        Ok(Response {
            status,
            content_type: header_value(&headers, "content-type")
                .unwrap_or("")
                .to_ascii_lowercase(),
            body: Body {
                conn,
                framing,
                pending: Vec::new(),
                finished: false,
            },
        })
    }

    /// GET a JSON document: `Ok(None)` for a 404/405 or a body that is not JSON (the server
    /// does not offer that API), an error for anything worse.
    pub fn get_json(
        &self,
        api_path: &str,
        deadline: Instant,
    ) -> Result<Option<serde_json::Value>, BenchError> {
        let r = self.send("GET", api_path, None, deadline)?;
        let status = r.status;
        if status == 401 || status == 403 {
            return Err(BenchError::Unauthorized {
                url: self.url.to_string(),
            });
        }
        let text = r.text()?;
        if !(200..300).contains(&status) {
            return Ok(None);
        }
        Ok(serde_json::from_str(&text).ok())
    }

    /// POST a JSON body and return the response with its body unread.
    pub fn post_json(
        &self,
        api_path: &str,
        body: &serde_json::Value,
        deadline: Instant,
    ) -> Result<Response, BenchError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| BenchError::Protocol(format!("cannot write the request: {e}")))?;
        self.send("POST", api_path, Some(&bytes), deadline)
    }
}

fn parse_status(line: &str) -> Option<u16> {
    let mut parts = line.split_whitespace();
    let version = parts.next()?;
    if !version.starts_with("HTTP/1.") {
        return None;
    }
    parts.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// Serves one connection with `reply` written in pieces, then closes.
    fn one_shot(pieces: Vec<&'static [u8]>) -> ServerUrl {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (mut s, _) = l.accept().unwrap();
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            for p in pieces {
                s.write_all(p).unwrap();
                s.flush().unwrap();
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        ServerUrl::local(port)
    }

    fn client(url: ServerUrl) -> Client {
        Client::new(url, None, Arc::new(AtomicBool::new(false)))
    }

    fn soon() -> Instant {
        Instant::now() + Duration::from_secs(5)
    }

    #[test]
    fn reads_chunked_lines_split_across_chunks_and_packets() {
        let url = one_shot(vec![
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\n",
            b"5\r\ndata:\r\n",
            b"7\r\n one\n\nd\r\n",
            b"9\r\nata: two\n\r\n0\r\n\r\n",
        ]);
        let mut r = client(url).send("GET", "/", None, soon()).unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type, "text/event-stream");
        let mut lines = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            lines.push(l);
        }
        assert_eq!(lines, ["data: one", "", "data: two"]);
    }

    #[test]
    fn content_length_and_read_until_close() {
        let url = one_shot(vec![
            b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n{\"a\":",
            b"12}",
        ]);
        let v = client(url).get_json("/x", soon()).unwrap().unwrap();
        assert_eq!(v["a"], 12);
        let url = one_shot(vec![b"HTTP/1.0 200 OK\r\n\r\nline1\nline2"]);
        let mut r = client(url).send("GET", "/", None, soon()).unwrap();
        assert_eq!(r.next_line().unwrap().as_deref(), Some("line1"));
        assert_eq!(r.next_line().unwrap().as_deref(), Some("line2"));
        assert_eq!(r.next_line().unwrap(), None);
    }

    #[test]
    fn a_cut_body_is_a_cut_stream() {
        let url = one_shot(vec![b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"]);
        let mut r = client(url).send("GET", "/", None, soon()).unwrap();
        let e = loop {
            match r.next_line() {
                Ok(Some(_)) => continue,
                Ok(None) => panic!("a short body must not end cleanly"),
                Err(e) => break e,
            }
        };
        assert!(matches!(e, BenchError::StreamCut(_)), "{e}");
    }

    #[test]
    fn not_http_and_not_listening() {
        let url = one_shot(vec![b"SSH-2.0-OpenSSH_9.2\r\n"]);
        let e = client(url).send("GET", "/", None, soon()).err().unwrap();
        assert!(matches!(e, BenchError::NotLlmServer { .. }), "{e}");
        // A port that was just free: nothing listens.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let e = client(ServerUrl::local(port))
            .send("GET", "/", None, soon())
            .err()
            .unwrap();
        assert!(matches!(e, BenchError::NotListening { .. }), "{e}");
    }

    #[test]
    fn a_silent_server_hits_the_deadline_and_cancel_stops_a_read() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = ServerUrl::local(l.local_addr().unwrap().port());
        let keep = std::thread::spawn(move || {
            let (s, _) = l.accept().unwrap();
            let (s2, _) = l.accept().unwrap();
            std::thread::sleep(Duration::from_millis(800));
            drop((s, s2));
        });
        let c = client(url.clone());
        let e = c
            .send(
                "GET",
                "/",
                None,
                Instant::now() + Duration::from_millis(300),
            )
            .err()
            .unwrap();
        assert!(matches!(e, BenchError::DeadlinePassed), "{e}");
        let cancel = Arc::new(AtomicBool::new(false));
        let c = Client::new(url, None, cancel.clone());
        let flag = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            flag.store(true, Ordering::Relaxed);
        });
        let e = c.send("GET", "/", None, soon()).err().unwrap();
        assert!(matches!(e, BenchError::Cancelled), "{e}");
        keep.join().unwrap();
    }
}
