//! `otpic check` as a linter: every problem in one run, pinned on fixtures that hold each kind.

mod common;
use common::{fixture, kb, otpic, portable, run};

#[test]
fn the_lint_fixture_reports_every_error_and_warning_sorted_by_file_and_line() {
    let (code, stdout, stderr) = run(kb("lint").arg("check"));
    assert_eq!(code, 1);
    assert_eq!(stderr, "otpic: check found 9 errors\n");
    insta::assert_snapshot!(
        "lint_text",
        common::loose::text(&portable(&stdout), &common::LINT_TOML)
    );
}

#[test]
fn the_lint_fixture_in_json() {
    let (code, stdout, stderr) = run(kb("lint").args(["check", "--format", "json"]));
    assert_eq!(
        (code, stderr.as_str()),
        (1, "otpic: check found 9 errors\n")
    );
    insta::assert_snapshot!(
        "lint_json",
        common::loose::json(&portable(&stdout), &common::LINT_TOML)
    );
}

#[test]
fn an_oversized_file_is_an_error_too() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("big.toml"), vec![b'#'; 2 * 1024 * 1024])
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("ok.toml"),
        "title = \"Ok\"\ndefinition = \"d\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, _) = run(otpic().arg("--entries").arg(dir.path()).arg("check"));
    assert_eq!(code, 1);
    let stdout = stdout.replace(&dir.path().display().to_string(), "kb");
    assert_eq!(
        stdout,
        "kb/big.toml: error: file is 2097152 bytes, over the 1 MiB limit for an entry; skipped\n1 entry checked: 1 error, 0 warnings\n"
    );
}

#[test]
fn warnings_alone_pass_unless_strict() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("a.toml"),
        "title = \"A\"\ndefinition = \"d\"\nextra = 1\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = run(otpic().arg("--entries").arg(dir.path()).arg("check"));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(
        stdout.contains("a.toml:3:1: warning: unknown field \"extra\" is ignored"),
        "{stdout}"
    );
    let (code, _, stderr) = run(otpic()
        .arg("--entries")
        .arg(dir.path())
        .args(["check", "--strict"]));
    assert_eq!(
        (code, stderr.as_str()),
        (1, "otpic: check found 0 errors and 1 warning (--strict)\n")
    );
}

#[test]
fn unknown_fields_never_fail_other_commands() {
    let (code, stdout, stderr) = run(kb("lint").args(["show", "hub"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("Hub\n"));
    assert!(!stderr.contains("unknown field"), "{stderr}");
}

#[test]
fn check_never_changes_a_file() {
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = walk(&fixture("lint"));
    let _ = run(kb("lint").arg("check"));
    assert_eq!(walk(&fixture("lint")), before);
}

fn walk(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for item in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = item.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap_or_default()));
        }
    }
    out.sort();
    out
}
