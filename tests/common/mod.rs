//! Shared helpers for the integration tests: run the real binary in a clean environment.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::PathBuf;

/// Environment variables otpic reads; cleared so the tests see only what they set.
const OTPIC_ENV: &[&str] = &[
    "NO_COLOR",
    "OTPIC_ENTRIES",
    "OTPIC_PAGER",
    "OTPIC_CONFIG",
    "OTPIC_CACHE_DIR",
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
        .env("XDG_CACHE_HOME", scratch.join("cache"));
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

/// Runs otpic with ARGS on a pseudo-terminal (through util-linux `script`) and
/// returns what the terminal showed, with `\r\n` made `\n`. None if `script` is missing.
pub fn on_terminal(args: &[&str], env: &[(&str, &str)]) -> Option<String> {
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_otpic"))
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &quoted.join(" "), "/dev/null"]);
    for var in OTPIC_ENV {
        cmd.env_remove(var);
    }
    cmd.env("TERM", "xterm-256color");
    // As in `otpic()`: keep the user's config and cache out of the tests.
    let scratch = scratch_home();
    cmd.env("HOME", &scratch)
        .env("XDG_CONFIG_HOME", scratch.join("config"))
        .env("XDG_CACHE_HOME", scratch.join("cache"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}
