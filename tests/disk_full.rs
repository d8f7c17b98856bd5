//! Writes that fail: `otpic new` on a full disk or past the file size limit fails
//! with a clear error and leaves no file; an index that cannot be written is not an
//! error and leaves no temporary file.
//!
//! Two ways to make a write fail, both of which work as root (as on this project's
//! CI machines), where permissions do not stop a write:
//! - a tiny tmpfs (a real "no space left on device"): mounting needs root and
//!   `mount`, so where it cannot be mounted the test fails and says why;
//! - `RLIMIT_FSIZE` (`ulimit -f 0` in `sh`, with SIGXFSZ ignored so that the write
//!   returns EFBIG instead of killing the process): works for any user.
#![cfg(unix)]

mod common;
use common::{otpic, run};
use std::path::Path;
use std::process::Command;

struct Tmpfs(std::path::PathBuf);

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Mounts a 4 KiB tmpfs on `dir`, or fails the test with the reason.
fn tiny_tmpfs(dir: &Path) -> Tmpfs {
    let out = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4k", "tmpfs"])
        .arg(dir)
        .output()
        .unwrap_or_else(|e| panic!("the full-disk test needs `mount` (util-linux): {e}"));
    assert!(
        out.status.success(),
        "the full-disk test needs root to mount a tmpfs (CI runs as root): mount said: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Tmpfs(dir.to_owned())
}

fn names(dir: &Path) -> Vec<std::ffi::OsString> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    names.sort();
    names
}

#[test]
fn new_on_a_full_disk_fails_clearly_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let _mounted = tiny_tmpfs(dir.path());
    // Fill the file system so that not even a small entry fits.
    let filler = dir.path().join("filler");
    let _ = std::fs::write(&filler, vec![b'x'; 64 * 1024]);
    let before = names(dir.path());
    assert_eq!(before, ["filler"]);
    let (code, stdout, stderr) = run(otpic()
        .args(["new", "Full Disk Entry", "--dir"])
        .arg(dir.path()));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert_eq!(
        stderr,
        format!(
            "otpic: {}: cannot create: no space left on device\n",
            dir.path().join("full-disk-entry.toml").display()
        )
    );
    assert_eq!(
        names(dir.path()),
        before,
        "a partial or temporary file was left behind"
    );
}

/// `otpic ARGS` run by `sh` with a file size limit of 0 and SIGXFSZ ignored:
/// every write to a regular file fails with EFBIG ("file too large"), with
/// `envs` in an otherwise empty environment (see `common::hermetic`).
fn otpic_with_no_room(args: &[&str], envs: &[(&str, &Path)]) -> (i32, String, String) {
    let mut sh = assert_cmd::Command::from_std(common::hermetic("sh"));
    sh.args(["-c", "trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_otpic"))
        .args(args);
    for (k, v) in envs {
        sh.env(k, v);
    }
    run(&mut sh)
}

#[test]
fn new_past_the_file_size_limit_fails_clearly_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = dir.path().display().to_string();
    let (code, stdout, stderr) = otpic_with_no_room(&["new", "Too Big", "--dir", &target], &[]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "otpic: {}: cannot create: file too large\n",
            dir.path().join("too-big.toml").display()
        )
    );
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

#[test]
fn an_index_that_cannot_be_written_is_not_an_error_and_leaves_no_temporary_file() {
    let kb = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        kb.path().join("alpha.toml"),
        "title = \"Alpha\"\ndefinition = \"The first.\"\nrelated_approaches = [\"beta\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        kb.path().join("beta.toml"),
        "title = \"Beta\"\ndefinition = \"The second.\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let entries = kb.path().display().to_string();
    for _ in 0..2 {
        let (code, stdout, stderr) = otpic_with_no_room(
            &["--entries", &entries, "show", "beta"],
            &[("OTPIC_CACHE_DIR", cache.path())],
        );
        assert_eq!((code, stderr.as_str()), (0, ""));
        assert!(
            stdout.starts_with("Beta\n") && stdout.contains("- Alpha — alpha\n"),
            "{stdout}"
        );
        assert!(names(cache.path()).is_empty(), "{:?}", names(cache.path()));
    }
}
