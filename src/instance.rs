//! One window per user session: a second start (a second double-click on a scenario file) hands
//! its file to the running window over a Unix domain socket and exits. Local only — the socket
//! lives in the user's runtime folder (`$XDG_RUNTIME_DIR`, else the app's data folder), so two
//! users never see each other's window, and no network is involved. A socket file left by a
//! crashed window is noticed (nobody answers) and replaced. Where sockets are not available
//! (Windows), or the running window does not answer, the new start opens its own window.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};

/// What a later start asks the running window to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Open this scenario file (an absolute path).
    Open(PathBuf),
    /// Come to the front (started without a file).
    Focus,
}

type Waker = Box<dyn Fn() + Send + Sync>;

/// Requests from later starts, for the running window.
pub struct Incoming {
    pub requests: mpsc::Receiver<Request>,
    waker: Arc<OnceLock<Waker>>,
}

impl Incoming {
    /// Called for every request that arrives (the app asks for a repaint, so it sees it at once).
    pub fn set_waker(&self, wake: impl Fn() + Send + Sync + 'static) {
        let _ = self.waker.set(Box::new(wake));
    }
}

/// The outcome of trying to be the one window.
pub enum Claim {
    /// This process is the window; requests from later starts arrive on `Incoming`. Dropping
    /// `Listening` removes the socket.
    Primary(Listening, Incoming),
    /// The running window took the request: this process should exit.
    HandedOff,
    /// No hand-off possible (the reason, for a log line): open a window of its own.
    Unavailable(String),
}

/// The socket this process listens on; removed when dropped.
pub struct Listening {
    path: PathBuf,
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The app's data folder name (eframe storage uses the same, `app::APP_ID`).
const DATA_FOLDER: &str = "deepseek-advisor";

/// Largest socket path the platforms accept (`sun_path`: 108 bytes on Linux, 104 on macOS).
const MAX_SOCKET_PATH: usize = 100;

/// Where this user's running window listens.
pub fn socket_path() -> Option<PathBuf> {
    let env_dir = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let path = match env_dir("XDG_RUNTIME_DIR").filter(|d| d.is_dir()) {
        Some(run) => run.join("deepseek-advisor.sock"),
        None => {
            let data = if cfg!(target_os = "macos") {
                env_dir("HOME").map(|h| h.join("Library").join("Application Support"))
            } else {
                env_dir("XDG_DATA_HOME")
                    .or_else(|| env_dir("HOME").map(|h| h.join(".local").join("share")))
            }?;
            data.join(DATA_FOLDER).join("instance.sock")
        }
    };
    (path.as_os_str().len() <= MAX_SOCKET_PATH).then_some(path)
}

/// Becomes the one window, or hands `open` (a scenario file, made absolute) to the running one.
pub fn claim(open: Option<&Path>) -> Claim {
    if cfg!(not(unix)) {
        // Say why without looking for a socket folder (Windows has no `HOME`-style paths).
        return imp::claim_at(Path::new(""), Request::Focus);
    }
    match socket_path() {
        Some(p) => claim_at(&p, open),
        None => Claim::Unavailable("no short enough folder for the instance socket".into()),
    }
}

/// `claim` with the socket at `path`.
pub fn claim_at(path: &Path, open: Option<&Path>) -> Claim {
    let request = match open {
        Some(p) => match std::path::absolute(p) {
            Ok(abs) => Request::Open(abs),
            Err(e) => return Claim::Unavailable(format!("{}: {e}", p.display())),
        },
        None => Request::Focus,
    };
    imp::claim_at(path, request)
}

#[cfg(unix)]
mod imp {
    use super::*;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::time::Duration;

    /// How long a start waits for the running window to answer.
    const ANSWER_TIMEOUT: Duration = Duration::from_secs(2);
    /// Longest request line accepted.
    const MAX_REQUEST: u64 = 64 * 1024;

    pub(super) fn encode(r: &Request) -> String {
        match r {
            Request::Open(p) => {
                let hex: String = p
                    .as_os_str()
                    .as_bytes()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                format!("open {hex}\n")
            }
            Request::Focus => "focus\n".into(),
        }
    }

    pub(super) fn decode(line: &str) -> Option<Request> {
        let line = line.trim_end_matches('\n');
        if line == "focus" {
            return Some(Request::Focus);
        }
        let hex = line.strip_prefix("open ")?;
        if hex.is_empty() || hex.len() % 2 != 0 {
            return None;
        }
        let bytes: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect();
        let path = PathBuf::from(std::ffi::OsString::from_vec(bytes?));
        path.is_absolute().then_some(Request::Open(path))
    }

    enum HandOff {
        Done,
        /// Nobody listens: the socket file is left over from a crash.
        Stale,
        NoAnswer(String),
    }

    fn hand_off(path: &Path, request: &Request) -> HandOff {
        let mut s = match UnixStream::connect(path) {
            Ok(s) => s,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::NotFound
                ) =>
            {
                return HandOff::Stale
            }
            Err(e) => return HandOff::NoAnswer(e.to_string()),
        };
        let _ = s.set_read_timeout(Some(ANSWER_TIMEOUT));
        let _ = s.set_write_timeout(Some(ANSWER_TIMEOUT));
        if let Err(e) = s.write_all(encode(request).as_bytes()) {
            return HandOff::NoAnswer(e.to_string());
        }
        let mut answer = String::new();
        match BufReader::new(s.take(16)).read_line(&mut answer) {
            Ok(_) if answer == "ok\n" => HandOff::Done,
            Ok(_) => HandOff::NoAnswer(format!("unexpected answer `{}`", answer.trim())),
            Err(e) => HandOff::NoAnswer(e.to_string()),
        }
    }

    fn serve(listener: UnixListener, tx: mpsc::Sender<Request>, waker: Arc<OnceLock<Waker>>) {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(ANSWER_TIMEOUT));
            let _ = stream.set_write_timeout(Some(ANSWER_TIMEOUT));
            let mut line = String::new();
            let read = stream
                .try_clone()
                .map(|s| BufReader::new(s.take(MAX_REQUEST)).read_line(&mut line));
            let Some(request) = read.ok().and_then(|r| r.ok()).and_then(|_| decode(&line)) else {
                let _ = stream.write_all(b"error\n");
                continue;
            };
            if tx.send(request).is_err() {
                // The window has closed.
                return;
            }
            if let Some(wake) = waker.get() {
                wake();
            }
            let _ = stream.write_all(b"ok\n");
        }
    }

    fn listen(listener: UnixListener, path: &Path) -> Claim {
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        let (tx, rx) = mpsc::channel();
        let waker: Arc<OnceLock<Waker>> = Arc::new(OnceLock::new());
        let w = waker.clone();
        let spawned = std::thread::Builder::new()
            .name("instance".into())
            .spawn(move || serve(listener, tx, w));
        if let Err(e) = spawned {
            let _ = std::fs::remove_file(path);
            return Claim::Unavailable(format!("cannot start the listener: {e}"));
        }
        Claim::Primary(
            Listening {
                path: path.to_path_buf(),
            },
            Incoming {
                requests: rx,
                waker,
            },
        )
    }

    pub(super) fn claim_at(path: &Path, request: Request) -> Claim {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        // Twice: once more after removing a stale socket.
        for _ in 0..2 {
            match UnixListener::bind(path) {
                Ok(l) => return listen(l, path),
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                    match hand_off(path, &request) {
                        HandOff::Done => return Claim::HandedOff,
                        HandOff::NoAnswer(why) => {
                            return Claim::Unavailable(format!("the running window: {why}"))
                        }
                        HandOff::Stale => {
                            let is_socket = std::fs::symlink_metadata(path)
                                .is_ok_and(|m| m.file_type().is_socket());
                            if !is_socket {
                                return Claim::Unavailable(format!(
                                    "{} exists and is not a socket",
                                    path.display()
                                ));
                            }
                            let _ = std::fs::remove_file(path);
                        }
                    }
                }
                Err(e) => return Claim::Unavailable(format!("{}: {e}", path.display())),
            }
        }
        Claim::Unavailable(format!("{} keeps being taken", path.display()))
    }
}

#[cfg(not(unix))]
mod imp {
    use super::*;

    pub(super) fn claim_at(_path: &Path, _request: Request) -> Claim {
        Claim::Unavailable("hand-off to a running window needs Unix domain sockets".into())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::net::{UnixListener, UnixStream};

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("dsa-inst-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_second_start_hands_its_file_to_the_first() {
        let dir = temp("handoff");
        let sock = dir.join("s.sock");
        let Claim::Primary(listening, incoming) = claim_at(&sock, None) else {
            panic!("the first start listens");
        };
        let woken = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let w = woken.clone();
        incoming.set_waker(move || {
            w.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        });
        let file = dir.join("plan.dsa.ron");
        assert!(matches!(claim_at(&sock, Some(&file)), Claim::HandedOff));
        assert_eq!(incoming.requests.recv().unwrap(), Request::Open(file));
        assert!(matches!(claim_at(&sock, None), Claim::HandedOff));
        assert_eq!(incoming.requests.recv().unwrap(), Request::Focus);
        assert_eq!(woken.load(std::sync::atomic::Ordering::SeqCst), 2);
        drop(listening);
        assert!(!sock.exists(), "the socket goes with the window");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_relative_path_is_sent_absolute() {
        let dir = temp("relative");
        let sock = dir.join("s.sock");
        let Claim::Primary(_l, incoming) = claim_at(&sock, None) else {
            panic!()
        };
        assert!(matches!(
            claim_at(&sock, Some(Path::new("plans/x.dsa.ron"))),
            Claim::HandedOff
        ));
        let Request::Open(p) = incoming.requests.recv().unwrap() else {
            panic!()
        };
        assert!(p.is_absolute() && p.ends_with("plans/x.dsa.ron"), "{p:?}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_socket_left_by_a_crash_is_replaced() {
        let dir = temp("stale");
        let sock = dir.join("s.sock");
        drop(UnixListener::bind(&sock).unwrap());
        assert!(sock.exists(), "a dead socket file stays behind");
        assert!(matches!(claim_at(&sock, None), Claim::Primary(..)));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_file_that_is_not_a_socket_is_never_removed() {
        let dir = temp("regular");
        let sock = dir.join("s.sock");
        std::fs::write(&sock, "mine").unwrap();
        assert!(matches!(claim_at(&sock, None), Claim::Unavailable(_)));
        assert_eq!(std::fs::read_to_string(&sock).unwrap(), "mine");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn garbage_is_refused_and_the_window_keeps_listening() {
        let dir = temp("garbage");
        let sock = dir.join("s.sock");
        let Claim::Primary(_l, incoming) = claim_at(&sock, None) else {
            panic!()
        };
        for bad in [
            "open zz\n",
            "open 746d70\n",
            "delete everything\n",
            "open \n",
        ] {
            let mut s = UnixStream::connect(&sock).unwrap();
            s.write_all(bad.as_bytes()).unwrap();
            let mut answer = String::new();
            BufReader::new(s).read_line(&mut answer).unwrap();
            assert_eq!(answer, "error\n", "{bad}");
        }
        assert!(incoming.requests.try_recv().is_err());
        assert!(matches!(claim_at(&sock, None), Claim::HandedOff));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn requests_survive_encoding() {
        use std::os::unix::ffi::OsStrExt;
        let odd = PathBuf::from(std::ffi::OsStr::from_bytes(b"/tmp/\xff new\nline.ron"));
        for r in [Request::Open(odd), Request::Focus] {
            assert_eq!(imp::decode(&imp::encode(&r)), Some(r));
        }
    }
}
