//! The change watcher (`OTPIC_WATCH=1`): after every change, made in every way and
//! at every moment (while it starts, after it was killed, after its queue
//! overflowed), output equals that of a run without it; it starts once, answers,
//! skips the walk only when certain, and goes away when stopped, idle, or orphaned.
//!
//! Every test stops its watchers when it ends (panicking or not), and gives them
//! a short idle time besides; their knowledge bases vanish with the test too.

mod common;
use common::run;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

struct Kb {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
    /// The cache of the runs without a watcher that outputs are compared with.
    plain_cache: tempfile::TempDir,
    /// The otpic binary to run (a copy, for the test that replaces it).
    exe: PathBuf,
    extra_env: Vec<(String, String)>,
}

fn entry(title: &str, links: &[&str]) -> String {
    let links: Vec<String> = links.iter().map(|l| format!("\"{l}\"")).collect();
    format!(
        "title = \"{title}\"\nsummary = \"About {title}.\"\nrelated_approaches = [{}]\ndefinition = \"The {title} definition.\"\n",
        links.join(", ")
    )
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

impl Kb {
    fn new() -> Kb {
        let kb = Kb {
            dir: tempdir(),
            cache: tempdir(),
            plain_cache: tempdir(),
            exe: PathBuf::from(env!("CARGO_BIN_EXE_otpic")),
            extra_env: Vec::new(),
        };
        kb.write("alpha.toml", &entry("Alpha", &["beta"]));
        kb.write("sub/beta.toml", &entry("Beta", &[]));
        kb.write("gamma.toml", &entry("Gamma", &["Alpha"]));
        kb
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn root(&self) -> PathBuf {
        fs::canonicalize(self.dir.path()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// otpic with the watcher on, this cache, a generous timeout (so that the fast
    /// path is taken whenever it may be) and the decisions told on stderr.
    fn cmd(&self, cache: &Path) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.std_cmd(cache))
    }

    /// The same as [`Kb::cmd`], as a plain `std::process::Command`.
    fn std_cmd(&self, cache: &Path) -> std::process::Command {
        let mut cmd = std::process::Command::new(&self.exe);
        let home = common::scratch_home();
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("OTPIC_CACHE_DIR", cache)
            .env("OTPIC_WATCH", "1")
            .env("OTPIC_WATCH_IDLE_SECS", "20")
            .env("OTPIC_WATCH_TIMEOUT_MS", "3000")
            .env("OTPIC_WATCH_DEBUG", "1");
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs otpic on this knowledge base with the watcher: (status, stdout, stderr).
    fn watched(&self, args: &[&str]) -> (i32, String, String) {
        run(self
            .cmd(self.cache.path())
            .arg("--entries")
            .arg(self.dir.path())
            .args(args))
    }

    /// Runs otpic without a watcher, in a cache of its own.
    fn plain(&self, args: &[&str]) -> (i32, String, String) {
        run(self
            .cmd(self.plain_cache.path())
            .env("OTPIC_WATCH", "0")
            .arg("--entries")
            .arg(self.dir.path())
            .args(args))
    }

    /// Checks that the commands print with the watcher what they print without.
    /// Returns the watched runs' stderr, with the watcher's notes.
    fn same(&self) -> String {
        let mut notes = String::new();
        for args in [
            &["list"][..],
            &["show", "alpha"],
            &["related", "alpha"],
            &["search", "definition"],
            &["glossary"],
        ] {
            let (code, out, err) = self.watched(args);
            let (plain_code, plain_out, plain_err) = self.plain(args);
            assert_eq!(
                (code, &out, strip_notes(&err)),
                (plain_code, &plain_out, strip_notes(&plain_err)),
                "otpic {args:?} with and without the watcher"
            );
            notes.push_str(&err);
        }
        notes
    }

    fn status(&self) -> serde_json::Value {
        let (code, out, err) = run(self
            .cmd(self.cache.path())
            .args(["--format", "json", "watch", "status"]));
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    }

    /// Waits until a watcher answers for this knowledge base, and returns its status.
    fn wait_for_watcher(&self) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let status = self.status();
            if let Some(w) = status.as_array().and_then(|a| a.first())
                && w["pid"].as_u64().is_some()
                && w["root"].is_string()
            {
                return w.clone();
            }
            assert!(Instant::now() < deadline, "no watcher started: {status}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops this test's watchers; never panics (it runs in `drop`).
    fn stop_all(&self) {
        let mut cmd = self.std_cmd(self.cache.path());
        if !self.exe.exists() {
            cmd = std::process::Command::new(env!("CARGO_BIN_EXE_otpic"));
            cmd.env("OTPIC_CACHE_DIR", self.cache.path());
        }
        let _ = cmd.args(["watch", "stop", "--all"]).output();
    }
}

impl Drop for Kb {
    fn drop(&mut self) {
        self.stop_all();
    }
}

/// Stderr without the watcher's notes (`OTPIC_WATCH_DEBUG`).
fn strip_notes(err: &str) -> String {
    err.lines()
        .filter(|l| !l.starts_with("otpic: watch: "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The pids of the watchers whose command line names `cache`.
fn watcher_pids(cache: &Path) -> Vec<u32> {
    let needle = cache.as_os_str().as_encoded_bytes().to_vec();
    let mut pids = Vec::new();
    for item in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = item
            .file_name()
            .to_str()
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(cmdline) = fs::read(item.path().join("cmdline")) else {
            continue;
        };
        let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
        let is_watcher = args.windows(2).any(|w| w == [&b"watch"[..], b"run"]);
        // A zombie has an empty command line, and is not running anyway.
        if is_watcher && args.contains(&needle.as_slice()) {
            pids.push(pid);
        }
    }
    pids
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_settled_knowledge_base_is_answered_by_the_watcher_without_a_walk() {
    let kb = Kb::new();
    let (_, _, first) = kb.watched(&["list"]);
    assert!(first.contains("started one; full check"), "{first}");
    let status = kb.wait_for_watcher();
    assert_eq!(status["root"].as_str(), kb.root().to_str());
    kb.same();
    // Asked twice now: the second time about the token the first one kept.
    let (_, _, err) = kb.watched(&["list"]);
    assert!(err.contains(": unchanged since token "), "{err}");
    assert!(err.contains("nothing changed; no walk"), "{err}");
    let status = kb.wait_for_watcher();
    assert!(status["unchanged"].as_u64() >= Some(1), "{status}");
    // Its files are the user's alone.
    use std::os::unix::fs::PermissionsExt;
    let watch = kb.cache.path().join("watch");
    let mode = |p: &Path| fs::metadata(p).map(|m| m.permissions().mode() & 0o777).ok();
    assert_eq!(mode(&watch), Some(0o700));
    let sockets: Vec<PathBuf> = fs::read_dir(&watch)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sock"))
        .collect();
    assert_eq!(sockets.len(), 1);
    assert_eq!(mode(&sockets[0]), Some(0o600));
    // Stopped, it is gone with its socket and pid file.
    let (code, out, _) = run(kb.cmd(kb.cache.path()).args(["watch", "stop", "--all"]));
    assert_eq!(code, 0);
    assert!(out.starts_with("stopped the watcher of "), "{out}");
    assert!(!sockets[0].exists());
    assert_eq!(kb.status(), serde_json::json!([]));
    assert!(watcher_pids(kb.cache.path()).is_empty());
}

#[test]
fn edits_in_place_by_rename_and_by_delete_are_seen_by_the_next_command() {
    let kb = Kb::new();
    kb.watched(&["list"]);
    kb.wait_for_watcher();
    kb.same();
    // In place, same size, right away.
    kb.write("alpha.toml", &entry("Alpho", &["beta"]));
    let notes = kb.same();
    assert!(notes.contains(": changed since token "), "{notes}");
    // As editors save: a new file renamed over the old one.
    kb.write(".gamma.toml.tmp", &entry("Gamma Two", &["Alpho"]));
    fs::rename(kb.path(".gamma.toml.tmp"), kb.path("gamma.toml")).unwrap_or_else(|e| panic!("{e}"));
    kb.same();
    // Deleted, then a new folder with an entry, then that folder moved.
    fs::remove_file(kb.path("sub/beta.toml")).unwrap_or_else(|e| panic!("{e}"));
    kb.same();
    kb.write("new/deeper/delta.toml", &entry("Delta", &["alpha"]));
    kb.same();
    kb.write("new/deeper/epsilon.toml", &entry("Epsilon", &["delta"]));
    kb.same();
    fs::rename(kb.path("new"), kb.path("sub/moved")).unwrap_or_else(|e| panic!("{e}"));
    kb.same();
    kb.write(
        "sub/moved/deeper/delta.toml",
        &entry("Delta Two", &["alpha"]),
    );
    kb.same();
    // And once settled (a new folder keeps answers unsettled for a moment, which
    // a fast machine may not have spent yet), the answers are certain again.
    let mut notes = String::new();
    wait_until("a certain answer after the moves", || {
        notes = kb.same();
        notes.contains("nothing changed; no walk")
    });
}

#[test]
fn edits_while_the_watcher_starts_are_seen() {
    let kb = Kb::new();
    for round in 0..6 {
        // No waiting: the watcher may be starting, watching half the tree, or ready.
        kb.write("alpha.toml", &entry(&format!("Alpha {round}"), &["beta"]));
        kb.same();
        kb.write(
            &format!("sub/r{round}/x.toml"),
            &entry(&format!("X{round}"), &[]),
        );
        kb.same();
        let _ = fs::remove_file(kb.path("gamma.toml"));
        kb.same();
        kb.write("gamma.toml", &entry(&format!("Gamma {round}"), &["Alpha"]));
        kb.same();
        if round == 2 {
            kb.stop_all();
        }
    }
}

#[test]
fn a_watcher_killed_mid_stream_means_the_full_check_and_a_new_watcher() {
    let kb = Kb::new();
    kb.watched(&["list"]);
    let first = kb.wait_for_watcher();
    kb.same();
    let pid = first["pid"].as_u64().unwrap_or(0) as i32;
    kb.write("alpha.toml", &entry("Alpha Killed", &["beta"]));
    let pid = rustix::process::Pid::from_raw(pid).unwrap_or_else(|| panic!("no pid: {first}"));
    rustix::process::kill_process(pid, rustix::process::Signal::KILL)
        .unwrap_or_else(|e| panic!("{e}"));
    wait_until("the killed watcher is gone", || {
        !watcher_pids(kb.cache.path()).contains(&(pid.as_raw_nonzero().get() as u32))
    });
    // Its socket is still there, dead; the next command must not trust anything.
    kb.same();
    kb.write("gamma.toml", &entry("Gamma After", &["Alpha"]));
    kb.same();
    let second = kb.wait_for_watcher();
    assert_ne!(second["pid"], first["pid"]);
    kb.write("sub/beta.toml", &entry("Beta After", &[]));
    let notes = kb.same();
    assert!(notes.contains(": changed since token "), "{notes}");
}

#[test]
fn an_overflowing_event_queue_means_the_full_check() {
    let mut kb = Kb::new();
    // Test hook: an event on a file of this name is taken for a queue overflow.
    kb.extra_env
        .push(("OTPIC_WATCH_TEST_OVERFLOW".into(), "overflow.toml".into()));
    kb.watched(&["list"]);
    kb.wait_for_watcher();
    kb.same();
    kb.same();
    kb.write("overflow.toml", &entry("Overflow", &["alpha"]));
    let notes = kb.same();
    assert!(notes.contains(": unknown since token "), "{notes}");
    let status = kb.wait_for_watcher();
    assert!(status["overflows"].as_u64() >= Some(1), "{status}");
    // The overflow's own changes are in the output, and later ones too.
    kb.write("alpha.toml", &entry("Alpha Later", &["beta"]));
    kb.same();
}

#[test]
fn commands_started_at_once_start_one_watcher() {
    let kb = Kb::new();
    let mut children: Vec<std::process::Child> = (0..6)
        .map(|_| {
            kb.std_cmd(kb.cache.path())
                .arg("--entries")
                .arg(kb.dir.path())
                .arg("list")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    for child in &mut children {
        assert!(child.wait().map(|s| s.success()).unwrap_or(false));
    }
    kb.wait_for_watcher();
    // The ones that lost the race for the lock exit at once.
    wait_until("one watcher left", || {
        watcher_pids(kb.cache.path()).len() == 1
    });
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(watcher_pids(kb.cache.path()).len(), 1);
    kb.same();
}

#[test]
fn a_cache_that_cannot_be_written_never_breaks_a_command() {
    let kb = Kb::new();
    let blocker = kb.cache.path().join("blocked");
    fs::write(&blocker, "").unwrap_or_else(|e| panic!("{e}"));
    for args in [&["list"][..], &["show", "beta"], &["watch", "status"]] {
        let (code, out, err) = run(kb
            .cmd(&blocker)
            .arg("--entries")
            .arg(kb.dir.path())
            .args(args));
        assert_eq!(code, 0, "{err}");
        let (_, plain, _) = kb.plain(args);
        if args[0] != "watch" {
            assert_eq!(out, plain);
        }
    }
    assert!(watcher_pids(&blocker).is_empty());
}

#[test]
fn a_symlinked_entry_is_always_walked() {
    let kb = Kb::new();
    let outside = tempdir();
    let target = outside.path().join("zeta.toml");
    fs::write(&target, entry("Zeta", &[])).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&target, kb.path("zeta.toml")).unwrap_or_else(|e| panic!("{e}"));
    kb.watched(&["list"]);
    kb.wait_for_watcher();
    kb.same();
    // The watcher sees nothing of this: the walk must.
    fs::write(&target, entry("Zeta Two", &[])).unwrap_or_else(|e| panic!("{e}"));
    let notes = kb.same();
    assert!(!notes.contains("no walk"), "{notes}");
}

#[test]
fn a_watcher_exits_when_idle_and_when_its_directory_disappears() {
    let mut kb = Kb::new();
    kb.extra_env
        .push(("OTPIC_WATCH_IDLE_SECS".into(), "1".into()));
    kb.watched(&["list"]);
    kb.wait_for_watcher();
    wait_until("the idle watcher exits", || {
        watcher_pids(kb.cache.path()).is_empty()
    });
    assert_eq!(kb.status(), serde_json::json!([]));
    kb.extra_env.clear();
    kb.watched(&["list"]);
    kb.wait_for_watcher();
    fs::remove_dir_all(kb.dir.path()).unwrap_or_else(|e| panic!("{e}"));
    wait_until("the orphaned watcher exits", || {
        watcher_pids(kb.cache.path()).is_empty()
    });
    let leftovers: Vec<String> = fs::read_dir(kb.cache.path().join("watch"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sock") || n.ends_with(".pid"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_watcher_exits_when_its_binary_is_replaced() {
    let bin = tempdir();
    let mut kb = Kb::new();
    let exe = bin.path().join("otpic");
    fs::copy(env!("CARGO_BIN_EXE_otpic"), &exe).unwrap_or_else(|e| panic!("{e}"));
    wait_until_runnable(&exe);
    kb.exe = exe.clone();
    kb.watched(&["list"]);
    kb.wait_for_watcher();
    // An upgrade: a new file renamed over the old one.
    let new = bin.path().join("otpic.new");
    fs::copy(env!("CARGO_BIN_EXE_otpic"), &new).unwrap_or_else(|e| panic!("{e}"));
    fs::rename(&new, &exe).unwrap_or_else(|e| panic!("{e}"));
    wait_until("the watcher of the old binary exits", || {
        watcher_pids(kb.cache.path()).is_empty()
    });
}

/// Waits until a freshly copied binary can be run. Another test thread that
/// forks while the copy's file is still open for writing keeps that descriptor
/// until its child calls exec, and running the copy meanwhile fails with
/// "Text file busy" (ETXTBSY): a race of the test process, not of otpic.
fn wait_until_runnable(exe: &Path) {
    const ETXTBSY: i32 = 26;
    for _ in 0..200 {
        match std::process::Command::new(exe)
            .env_clear()
            .arg("--version")
            .output()
        {
            Err(e) if e.raw_os_error() == Some(ETXTBSY) => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => panic!("cannot run {}: {e}", exe.display()),
            Ok(_) => return,
        }
    }
    panic!("{} stayed busy for 2 s", exe.display());
}

#[test]
fn stop_without_all_stops_only_this_knowledge_base_and_says_so_when_none_runs() {
    let a = Kb::new();
    let (code, out, _) = run(a
        .cmd(a.cache.path())
        .arg("--entries")
        .arg(a.dir.path())
        .args(["watch", "stop"]));
    assert_eq!((code, out.as_str()), (0, "no watcher to stop\n"));
    a.watched(&["list"]);
    a.wait_for_watcher();
    let (code, out, _) = run(a
        .cmd(a.cache.path())
        .arg("--entries")
        .arg(a.dir.path())
        .args(["watch", "stop"]));
    assert_eq!(code, 0);
    assert_eq!(
        out,
        format!("stopped the watcher of {}\n", a.root().display())
    );
    assert!(watcher_pids(a.cache.path()).is_empty());
}

#[test]
fn a_watcher_that_cannot_start_is_not_retried_by_every_command() {
    let kb = Kb::new();
    // Its cookie folder's place taken by a file: the watcher cannot start.
    let place = otpic::watch::Place::new(kb.cache.path(), &kb.root());
    fs::create_dir_all(&place.dir).unwrap_or_else(|e| panic!("{e}"));
    fs::write(place.cookies(), "in the way").unwrap_or_else(|e| panic!("{e}"));
    kb.same();
    wait_until("the watcher gives up", || place.failed_file().exists());
    wait_until("and exits", || watcher_pids(kb.cache.path()).is_empty());
    let (_, _, err) = kb.watched(&["list"]);
    assert!(err.contains("not retrying for a while"), "{err}");
    assert!(watcher_pids(kb.cache.path()).is_empty());
    kb.same();
}

/// With the watcher off (`OTPIC_WATCH=0`, and by default), no watcher is asked
/// or started: nothing is said about one (`OTPIC_WATCH_DEBUG` is on), nothing
/// runs, and the cache holds the index alone.
#[test]
fn with_the_watcher_off_none_is_asked_or_started() {
    let kb = Kb::new();
    let (code, out, err) = kb.plain(&["list"]);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (0, "alpha\tAlpha\nbeta\tBeta\ngamma\tGamma\n", "")
    );
    let (code, out, err) = run(kb
        .cmd(kb.plain_cache.path())
        .env_remove("OTPIC_WATCH")
        .arg("--entries")
        .arg(kb.dir.path())
        .arg("list"));
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (0, "alpha\tAlpha\nbeta\tBeta\ngamma\tGamma\n", "")
    );
    let cached: Vec<PathBuf> = fs::read_dir(kb.plain_cache.path())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(
        cached.len() == 1 && cached[0].extension().is_some_and(|x| x == "idx"),
        "{cached:?}"
    );
    assert!(watcher_pids(kb.plain_cache.path()).is_empty());
}

/// A broken entry file is a problem of the file, not of the walk: the watcher's
/// answer is used all the same (the walk skipped), and the problem still reported.
#[test]
fn a_knowledge_base_with_a_broken_file_is_answered_without_a_walk() {
    let kb = Kb::new();
    kb.write("broken.toml", "title = \"Broken\"\ndefinition = \n");
    kb.watched(&["list"]);
    kb.wait_for_watcher();
    kb.same();
    let mut err = String::new();
    wait_until("an answer without a walk", || {
        err = kb.watched(&["list"]).2;
        err.contains("nothing changed; no walk")
    });
    assert!(err.contains("broken.toml:2:14: error:"), "{err}");
}

/// With the watcher, an index file whose sections were checked once is not
/// hashed again while it is the same file; damaged in place, even with its
/// modification time put back, it is checked again, found wrong and rebuilt.
#[test]
fn an_index_file_checked_once_is_hashed_again_once_written_to() {
    const NOTE: &str = "index file unchanged since checked; not hashed again";
    let kb = Kb::new();
    kb.watched(&["list"]);
    kb.wait_for_watcher();
    kb.same();
    let mut err = String::new();
    wait_until("a command trusting the checked index", || {
        err = kb.watched(&["show", "alpha"]).2;
        err.contains(NOTE)
    });
    assert!(err.contains("nothing changed; no walk"), "{err}");
    let index = fs::read_dir(kb.cache.path())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .unwrap_or_else(|| panic!("no index in the cache"));
    for sixteenth in 1..16 {
        let mut bytes = fs::read(&index).unwrap_or_default();
        let at = bytes.len() * sixteenth / 16;
        bytes[at] ^= 0x55;
        let mtime = fs::metadata(&index).and_then(|m| m.modified());
        let mtime = mtime.unwrap_or_else(|e| panic!("{e}"));
        fs::write(&index, &bytes).unwrap_or_else(|e| panic!("{e}"));
        fs::File::options()
            .write(true)
            .open(&index)
            .and_then(|f| f.set_modified(mtime))
            .unwrap_or_else(|e| panic!("{e}"));
        let (_, _, err) = kb.watched(&["show", "alpha"]);
        assert!(!err.contains(NOTE), "byte {at}: {err}");
        // Between them, these commands read every section: the damage is found.
        kb.same();
        assert_ne!(fs::read(&index).unwrap_or_default(), bytes, "byte {at}");
    }
}
