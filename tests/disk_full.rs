//! Writing on a full disk: `otpic new` fails with a clear error and leaves no file.
//!
//! A full disk is made with a tiny tmpfs, which needs root (as on this project's CI
//! machines); where it cannot be mounted the test says so on stderr and passes.

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

fn tiny_tmpfs(dir: &Path) -> Option<Tmpfs> {
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4k", "tmpfs"])
        .arg(dir)
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| Tmpfs(dir.to_owned()))
}

#[test]
fn new_on_a_full_disk_fails_clearly_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let Some(_mounted) = tiny_tmpfs(dir.path()) else {
        eprintln!("cannot mount a tmpfs here (not root?); the full-disk test did not run");
        return;
    };
    // Fill the file system so that not even a small entry fits.
    let filler = dir.path().join("filler");
    let _ = std::fs::write(&filler, vec![b'x'; 64 * 1024]);
    let before: Vec<_> = std::fs::read_dir(dir.path())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    let (code, stdout, stderr) = run(otpic()
        .args(["new", "Full Disk Entry", "--dir"])
        .arg(dir.path()));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("no space left on device"), "{stderr}");
    assert!(stderr.contains("full-disk-entry.toml"), "{stderr}");
    let after: Vec<_> = std::fs::read_dir(dir.path())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(after, before, "a partial or temporary file was left behind");
}
