//! A reader that goes away early (`otpic glossary | head -1`, `q` in the pager) ends
//! otpic quietly with status 0. The output is far larger than a pipe's buffer
//! (64 KiB on Linux), so that otpic really writes into a closed pipe: with less, the
//! whole output would fit in the buffer and the test would pass by luck.
#![cfg(unix)]

mod common;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

/// Twice a pipe's buffer: every command's output is at least this long.
const BIG: usize = 2 * 64 * 1024;

/// A knowledge base of 1500 entries with long summaries, and one entry with a very
/// long definition.
fn big_kb() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let words = "conflict mediation trust dialogue negotiation reconciliation";
    for i in 0..1500 {
        let text = format!(
            "title = \"Entry {i:04}\"\nsummary = \"Entry {i} is about {words}, {words}.\"\ndefinition = \"The definition of entry {i}: {words}.\"\n"
        );
        std::fs::write(dir.path().join(format!("entry-{i:04}.toml")), text)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let long = format!("{words} ").repeat(BIG / words.len());
    std::fs::write(
        dir.path().join("big.toml"),
        format!("title = \"Big\"\nsummary = \"Long.\"\ndefinition = \"{long}\"\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// otpic with a clean environment, as a `std::process::Command` so that its
/// stdout can be read a little and closed.
fn otpic(kb: &Path, args: &[&str]) -> Command {
    let mut cmd = common::hermetic(env!("CARGO_BIN_EXE_otpic"));
    cmd.arg("--entries").arg(kb).args(args);
    cmd
}

const COMMANDS: &[&[&str]] = &[
    &["glossary"],
    &["show", "big"],
    &["search", "entry", "--limit", "100000"],
    &["list", "--format", "json"],
    &["glossary", "--format", "json"],
    &["show", "big", "--format", "json"],
    &["glossary", "--color", "always"],
];

#[test]
fn a_pipe_closed_early_ends_quietly_with_status_0_plain_and_json() {
    let kb = big_kb();
    for args in COMMANDS {
        let whole = otpic(kb.path(), args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(whole.status.code(), Some(0), "{args:?}");
        assert!(
            whole.stdout.len() > BIG,
            "{args:?}: only {} bytes, not enough to fill a pipe",
            whole.stdout.len()
        );
        let mut child = otpic(kb.path(), args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        // Read a little, then close our end, as `otpic … | head -c 100` does.
        let mut stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let mut some = [0u8; 100];
        stdout
            .read_exact(&mut some)
            .unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert_eq!(&some[..], &whole.stdout[..100], "{args:?}");
        drop(stdout);
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).as_ref()
            ),
            (Some(0), ""),
            "{args:?}"
        );
    }
}

#[test]
fn a_pager_that_quits_early_ends_otpic_quietly_with_status_0() {
    use std::os::unix::fs::PermissionsExt;
    let kb = big_kb();
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Reads one line and quits, as `q` in less does, leaving a note that it ran.
    let pager = home.path().join("quitter");
    let ran = home.path().join("ran");
    std::fs::write(
        &pager,
        format!("#!/bin/sh\nhead -n 1 > '{}'\n", ran.display()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&pager, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
    for args in [&["glossary"][..], &["show", "big"]] {
        let _ = std::fs::remove_file(&ran);
        let inner = otpic(kb.path(), args);
        let line: Vec<String> = std::iter::once(inner.get_program())
            .chain(inner.get_args())
            .map(|a| format!("'{}'", a.to_string_lossy().replace('\'', "'\\''")))
            .collect();
        let out = common::hermetic("script")
            .env("TERM", "xterm-256color")
            .env("OTPIC_PAGER", &pager)
            .args([
                "-qec",
                &format!("stty rows 10 cols 80; exec {}", line.join(" ")),
                "/dev/null",
            ])
            .output()
            .unwrap_or_else(|e| {
                panic!("util-linux `script` is needed for this test (.ci/run installs it): {e}")
            });
        let shown = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {shown}");
        assert!(
            std::fs::read_to_string(&ran).is_ok_and(|l| !l.is_empty()),
            "{args:?}: the pager ran"
        );
        assert!(!shown.contains("otpic:"), "{args:?}: {shown}");
        assert!(
            shown.len() < 1000,
            "{args:?}: nothing printed after the pager quit: {} bytes",
            shown.len()
        );
    }
}
