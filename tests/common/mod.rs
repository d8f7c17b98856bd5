//! Shared helpers for the integration tests: run the real binary in a clean environment.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::PathBuf;

pub mod loose;

/// Environment variables otpic reads; cleared so the tests see only what they set.
const OTPIC_ENV: &[&str] = &[
    "NO_COLOR",
    "OTPIC_ENTRIES",
    "OTPIC_PAGER",
    "OTPIC_CONFIG",
    "OTPIC_CACHE_DIR",
    "OTPIC_DATA_DIR",
    "OTPIC_WATCH",
    "OTPIC_WATCH_IDLE_SECS",
    "OTPIC_WATCH_TIMEOUT_MS",
    "OTPIC_WATCH_DEBUG",
    "OTPIC_WATCH_TEST_OVERFLOW",
    "PAGER",
    "COLUMNS",
    "TERM",
    "VISUAL",
    "EDITOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "LESS",
    "COMPLETE",
    "_CLAP_COMPLETE_INDEX",
    "_CLAP_IFS",
];

/// `otpic` with a clean environment, on the embedded knowledge base.
pub fn otpic() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_otpic"));
    for var in OTPIC_ENV {
        cmd.env_remove(var);
    }
    // Keep any cache or config a test makes out of the user's home, and out of
    // every other test's: no result may depend on an earlier test or run.
    let scratch = scratch_home();
    cmd.env("HOME", &scratch)
        .env("XDG_CONFIG_HOME", scratch.join("config"))
        .env("XDG_CACHE_HOME", scratch.join("cache"))
        .env("XDG_DATA_HOME", scratch.join("data"));
    cmd
}

/// A home directory (with config and cache) for the calling test alone: one per
/// test process and test thread (libtest names each test's thread after the test;
/// nextest runs each test in a process of its own), under Cargo's scratch folder
/// for integration tests. Homes older than a day, from earlier runs, are removed
/// the first time a test binary asks for one.
pub fn scratch_home() -> PathBuf {
    static SWEPT: std::sync::Once = std::sync::Once::new();
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("otpic-homes");
    SWEPT.call_once(|| {
        let day = std::time::Duration::from_secs(24 * 3600);
        for item in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            let old = item
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > day);
            if old {
                let _ = std::fs::remove_dir_all(item.path());
            }
        }
    });
    let thread = std::thread::current();
    let test: String = thread
        .name()
        .unwrap_or("main")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let home = root.join(format!("{}-{test}", std::process::id()));
    let _ = std::fs::create_dir_all(&home);
    home
}

/// A fixture knowledge base under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// `otpic --entries tests/fixtures/NAME`.
pub fn kb(name: &str) -> Command {
    let mut cmd = otpic();
    cmd.arg("--entries").arg(fixture(name));
    cmd
}

/// Runs `cmd` and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run otpic: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Parses stdout as JSON.
pub fn json(cmd: &mut Command) -> serde_json::Value {
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, 0, "stderr: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// Replaces the absolute fixture path in output, so snapshots do not depend on the checkout.
pub fn portable(text: &str) -> String {
    text.replace(&fixture("").display().to_string(), "tests/fixtures/")
}

/// `program` (a shell, `script`, or otpic itself when a test must hold its pipes)
/// with an empty environment but for PATH and this test's scratch home: nothing
/// of the developer's environment (OTPIC_*, NO_COLOR, config, cache) leaks in.
pub fn hermetic(program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
    let mut cmd = std::process::Command::new(program);
    let scratch = scratch_home();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &scratch)
        .env("XDG_CONFIG_HOME", scratch.join("config"))
        .env("XDG_CACHE_HOME", scratch.join("cache"))
        .env("XDG_DATA_HOME", scratch.join("data"));
    cmd
}

/// Runs otpic with ARGS on a pseudo-terminal (through util-linux `script`, which
/// .ci/run installs) and returns what the terminal showed, with `\r\n` made `\n`.
/// TERM is xterm-256color unless `env` sets it. Fails the test if `script` is missing.
pub fn on_terminal(args: &[&str], env: &[(&str, &str)]) -> String {
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_otpic"))
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let mut cmd = hermetic("script");
    cmd.args(["-qec", &quoted.join(" "), "/dev/null"])
        .env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("util-linux `script` is needed for the terminal tests (.ci/run installs it): {e}")
    });
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

/// Whether the tests run as root (as CI does), for whom file permissions stop nothing.
#[cfg(unix)]
pub fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    // /proc/self belongs to the process's effective user.
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// otpic with ARGS in a clean environment (see [`hermetic`]), run as the
/// unprivileged user `nobody` (65534) when the tests run as root, so that a
/// test of permissions tests them there too. Whatever otpic must reach (its
/// knowledge base, `--dir`) has to be open to others.
#[cfg(unix)]
pub struct Unprivileged {
    pub cmd: Command,
    /// As root: a home that `nobody` can read but not write (so the index is not
    /// written, which is not an error), and a copy of the binary when the
    /// checkout is in a folder closed to others. Removed with this value.
    _home: Option<tempfile::TempDir>,
}

#[cfg(unix)]
pub fn unprivileged(args: &[&std::ffi::OsStr]) -> Unprivileged {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let built = std::path::Path::new(env!("CARGO_BIN_EXE_otpic"));
    if !is_root() {
        let mut cmd = hermetic(built);
        cmd.args(args);
        return Unprivileged {
            cmd: Command::from_std(cmd),
            _home: None,
        };
    }
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    open_to_others(home.path());
    let closed = built
        .ancestors()
        .skip(1)
        .any(|dir| std::fs::metadata(dir).map_or(true, |m| m.permissions().mode() & 0o001 == 0));
    let program = if closed {
        let copy = home.path().join("otpic");
        std::fs::copy(built, &copy)
            .unwrap_or_else(|e| panic!("copying otpic where nobody can run it: {e}"));
        copy
    } else {
        built.to_owned()
    };
    let mut cmd = hermetic(&program);
    cmd.env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .args(args)
        .uid(65534)
        .gid(65534);
    Unprivileged {
        cmd: Command::from_std(cmd),
        _home: Some(home),
    }
}

/// Opens `dir` to other users (read and search), as [`unprivileged`] needs.
#[cfg(unix)]
pub fn open_to_others(dir: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
}

/// The toml crate's own messages about tests/fixtures/broken (see [`loose`]).
pub const BROKEN_TOML: [loose::CrateMessage; 2] = [
    loose::CrateMessage {
        file: "bad-syntax.toml",
        line: 2,
        column: 27,
        severity: "error",
        any_of: &["string", "quote", "\""],
    },
    loose::CrateMessage {
        file: "wrong-type.toml",
        line: 3,
        column: 8,
        severity: "error",
        any_of: &["type", "sequence", "array"],
    },
];

/// The toml crate's own messages about tests/fixtures/lint (see [`loose`]).
pub const LINT_TOML: [loose::CrateMessage; 2] = [
    loose::CrateMessage {
        file: "syntax.toml",
        line: 3,
        column: 13,
        severity: "error",
        any_of: &["comma", ","],
    },
    loose::CrateMessage {
        file: "types.toml",
        line: 1,
        column: 9,
        severity: "error",
        any_of: &["type", "string", "integer"],
    },
];

/// Installs the node project `tests/NAME` (its `files`, then `npm ci` from its lock
/// file when the lock changed or `node_modules/PACKAGE` is missing) into the
/// build's scratch folder, never into the source tree, and returns that folder.
/// One install at a time within a test binary, whose tests run in parallel.
pub fn npm_project(name: &str, files: &[&str], package: &str) -> PathBuf {
    static NPM: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = NPM.lock().unwrap_or_else(|p| p.into_inner());
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let lock = std::fs::read(src.join("package-lock.json")).unwrap_or_else(|e| panic!("{e}"));
    let installed = std::fs::read(dir.join("package-lock.json")).ok();
    for file in ["package.json", "package-lock.json"].iter().chain(files) {
        std::fs::copy(src.join(file), dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    if installed.as_deref() != Some(&lock[..]) || !dir.join("node_modules").join(package).is_dir() {
        let out = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run npm ({e}): install nodejs and npm (.ci/run does, with apt-get)")
            });
        assert!(
            out.status.success(),
            "npm ci failed in {}: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    dir
}
