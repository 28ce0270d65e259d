//! Saves survive a kill, a full disk and a read-only folder.
//!
//! The kill test re-runs this test binary as a child (`DSA_SAVE_CHILD` set, test `child`) that
//! saves two versions of a file in a loop through the program's own save path; the parent kills it
//! with SIGKILL at a random moment, then reads the file with the program's own loader: it must
//! always be one of the two complete versions. `KILL_ROUNDS` (default 70) sets the kills per file
//! kind; `scripts/kill-test.sh` runs 200 of each.

#![cfg(unix)]

use deepseek_advisor::app::autosave::AutosaveFile;
use deepseek_advisor::app::state::Autosave;
use deepseek_advisor::hardware::HardwareProfile;
use deepseek_advisor::scenario::Scenario;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD_ENV: &str = "DSA_SAVE_CHILD";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dsa-kill-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Two versions of a scenario, large enough (≈ 100 KB) that a kill often lands mid-write.
fn scenarios() -> [Scenario; 2] {
    let base = Scenario::load(&root().join("scenarios/personal-rtx4090.ron")).unwrap();
    let mut a = base.clone();
    a.name = "version A".into();
    a.notes = "A: keep this line.\n".repeat(5_000);
    let mut b = base;
    b.name = "version B".into();
    b.notes = "B: a different, longer line of notes.\n".repeat(3_000);
    b.costs.workload.requests_per_day = 123_456.0;
    [a, b]
}

fn profiles() -> [HardwareProfile; 2] {
    let base = HardwareProfile::load(&root().join("tests/fuzz/seeds/profile/8xh200.ron")).unwrap();
    let mut a = base.clone();
    a.notes = vec!["A".repeat(60_000)];
    let mut b = base;
    b.ram_total_gb = 512.0;
    b.notes = vec!["B".repeat(130_000)];
    [a, b]
}

fn autosaves() -> [Autosave; 2] {
    scenarios().map(|scenario| Autosave {
        scenario,
        path: Some(PathBuf::from("/home/user/plan.ron")),
    })
}

/// Saves `kind` versions A and B to `path` alternately, forever (killed by the parent); says
/// `saved` on stderr after each save.
fn save_forever(kind: &str, path: &Path) -> ! {
    let saved = || eprintln!("saved");
    match kind {
        "scenario" => {
            let v = scenarios();
            loop {
                for s in &v {
                    s.save(path).unwrap();
                    saved();
                }
            }
        }
        "profile" => {
            let v = profiles();
            loop {
                for p in &v {
                    p.save(path).unwrap();
                    saved();
                }
            }
        }
        "autosave" => {
            let v = autosaves();
            let mut file = AutosaveFile::at(path.to_path_buf());
            loop {
                for a in &v {
                    file.store(a).unwrap();
                    saved();
                }
            }
        }
        _ => panic!("unknown kind {kind}"),
    }
}

/// The child: does nothing unless started by a test below.
#[test]
fn child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (mode, path) = spec.split_once(':').unwrap();
    if let Some(kind) = mode.strip_prefix("loop-") {
        save_forever(kind, Path::new(path));
    }
    if mode == "save-once" {
        // Under a file-size limit: report the error as the app would show it.
        match scenarios()[0].save(Path::new(path)) {
            Ok(()) => println!("RESULT saved"),
            Err(e) => println!("RESULT {e}"),
        }
    }
}

fn child_command(mode: &str, path: &Path) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([
        "--exact",
        "child",
        "--nocapture",
        "--quiet",
        "--test-threads=1",
    ])
    .env(CHILD_ENV, format!("{mode}:{}", path.display()));
    c
}

fn rounds() -> usize {
    std::env::var("KILL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(70)
}

/// A fixed pseudo-random sequence (xorshift), so a failure reproduces.
struct Dice(u32);

impl Dice {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}

/// Kills a child saving `kind` at `rounds` random moments; after each kill the file must read
/// back as version A or B. Returns how often each was found.
fn kill_while_saving(kind: &str, read: impl Fn(&Path) -> Option<usize>) -> [usize; 2] {
    let dir = temp_dir(kind);
    let path = dir.join(format!("{kind}.ron"));
    let mut seen = [0usize; 2];
    let mut mid_write = 0;
    let mut dice = Dice(0x9e37_79b9);
    let start = std::time::Instant::now();
    for round in 0..rounds() {
        let mut child = child_command(&format!("loop-{kind}"), &path)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut said = BufReader::new(child.stderr.take().unwrap()).lines();
        // Let it complete 1–3 saves, timing the last, then kill it somewhere in the next one.
        let mut last = std::time::Instant::now();
        let mut cycle = Duration::ZERO;
        for _ in 0..1 + dice.next() % 3 {
            let line = said.next().and_then(|l| l.ok()).unwrap_or_default();
            assert_eq!(line, "saved", "the child stopped saving");
            cycle = last.elapsed();
            last = std::time::Instant::now();
        }
        let fraction = f64::from(dice.next() % 1000) / 1000.0;
        std::thread::sleep(cycle.mul_f64(fraction));
        child.kill().unwrap();
        child.wait().unwrap();
        match read(&path) {
            Some(v) => seen[v] += 1,
            None => panic!(
                "round {round}: {} is neither complete version after a kill",
                path.display()
            ),
        }
        // A save killed after creating its temporary file leaves it behind (hidden, named
        // after the dead process); the target file is what matters.
        for e in std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()) {
            if e.path() != path {
                mid_write += 1;
                std::fs::remove_file(e.path()).unwrap();
            }
        }
    }
    eprintln!(
        "{kind}: {} kills in {:.1} s, file complete every time (A {}×, B {}×); {mid_write} kills landed mid-write",
        rounds(),
        start.elapsed().as_secs_f64(),
        seen[0],
        seen[1]
    );
    let _ = std::fs::remove_dir_all(&dir);
    seen
}

fn which<T: PartialEq>(versions: &[T; 2], loaded: Option<T>) -> Option<usize> {
    let loaded = loaded?;
    versions.iter().position(|v| *v == loaded)
}

#[test]
fn a_killed_scenario_save_leaves_a_complete_file() {
    let v = scenarios();
    let seen = kill_while_saving("scenario", |p| which(&v, Scenario::load(p).ok()));
    assert!(seen[0] + seen[1] == rounds());
}

#[test]
fn a_killed_profile_save_leaves_a_complete_file() {
    let v = profiles();
    let seen = kill_while_saving("profile", |p| which(&v, HardwareProfile::load(p).ok()));
    assert!(seen[0] + seen[1] == rounds());
}

#[test]
fn a_killed_autosave_leaves_a_complete_file() {
    let v = autosaves();
    let seen = kill_while_saving("autosave", |p| {
        which(&v, AutosaveFile::at(p.to_path_buf()).load().ok().flatten())
    });
    assert!(seen[0] + seen[1] == rounds());
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort();
    v
}

/// A write that fails part-way (here: a 32 KB file-size limit, as a full disk would) names the
/// file, keeps the previous version and leaves no temporary file.
#[test]
fn a_full_disk_keeps_the_previous_file() {
    let dir = temp_dir("full");
    let path = dir.join("plan.ron");
    let old = "(version: 1, name: \"old\")\n";
    std::fs::write(&path, old).unwrap();
    // The limit is inherited by the test binary; ignoring SIGXFSZ turns it into a write error.
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 64; exec \"$0\" --exact child --nocapture --quiet --test-threads=1")
        .arg(exe)
        .env(CHILD_ENV, format!("save-once:{}", path.display()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let result = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| panic!("child said nothing: {stdout}"));
    assert!(
        result.starts_with(&format!("{}: cannot write:", path.display())),
        "{result}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), old);
    assert_eq!(entries(&dir), vec![path]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Saving into a folder that cannot be written names the file and keeps the previous version.
#[test]
fn a_read_only_folder_keeps_the_previous_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("readonly");
    let path = dir.join("plan.ron");
    let old = "(version: 1, name: \"old\")\n";
    std::fs::write(&path, old).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let root_can_write = std::fs::write(dir.join("probe"), "").is_ok();
    // Root ignores folder permissions: use sysfs, where nobody may create files.
    let target = if root_can_write {
        PathBuf::from("/sys/deepseek-advisor-test.ron")
    } else {
        path.clone()
    };
    let err = scenarios()[0].save(&target).unwrap_err();
    assert_eq!(err.file, target.display().to_string());
    assert!(err.message.starts_with("cannot write:"), "{err}");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let _ = std::fs::remove_file(dir.join("probe"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), old);
    assert_eq!(entries(&dir), vec![path]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Saving over a private file keeps it private.
#[test]
fn a_save_keeps_the_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("permissions");
    let path = dir.join("private.ron");
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    scenarios()[0].save(&path).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(Scenario::load(&path).unwrap(), scenarios()[0]);
    let _ = std::fs::remove_dir_all(&dir);
}
