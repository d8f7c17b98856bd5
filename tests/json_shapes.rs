//! Every JSON shape, pinned on the fixtures so that it changes only on purpose.
//! docs/json.md documents them field by field. Snapshots live in tests/snapshots/.

mod common;
use common::{fixture, kb, otpic, portable, run};

fn json_of(cmd: &mut assert_cmd::Command) -> String {
    let (code, stdout, stderr) = run(cmd);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(
        serde_json::from_str::<serde_json::Value>(&stdout).is_ok(),
        "not JSON: {stdout}{stderr}"
    );
    portable(&stdout)
}

#[test]
fn show_json() {
    insta::assert_snapshot!(json_of(
        kb("basic").args(["show", "alpha", "--format", "json"])
    ));
}

#[test]
fn related_json() {
    insta::assert_snapshot!(json_of(
        kb("basic").args(["related", "beta", "--depth", "2", "--format", "json"])
    ));
}

#[test]
fn list_json() {
    insta::assert_snapshot!(json_of(kb("basic").args(["list", "--format", "json"])));
}

#[test]
fn glossary_json() {
    insta::assert_snapshot!(json_of(kb("basic").args(["glossary", "--format", "json"])));
}

#[test]
fn search_json() {
    insta::assert_snapshot!(json_of(
        kb("basic").args(["search", "alpha", "sharing", "--format", "json"])
    ));
}

#[test]
fn check_json() {
    let (code, stdout, stderr) = run(kb("broken").args(["check", "--format", "json"]));
    assert_eq!(
        (code, stderr.as_str()),
        (1, "otpic: check found 4 errors\n")
    );
    insta::assert_snapshot!(common::loose::json(
        &portable(&stdout),
        &common::BROKEN_TOML
    ));
}

#[test]
fn show_field_json() {
    insta::assert_snapshot!(json_of(
        kb("basic").args(["show", "alpha", "--field", "examples", "--format", "json"])
    ));
}

#[test]
fn paths_json() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = json_of(
        otpic()
            .env("XDG_CONFIG_HOME", home.path())
            .env("OTPIC_ENTRIES", fixture("basic"))
            .args(["--with-embedded", "paths", "--format", "json"]),
    );
    let text = text.replace(&home.path().display().to_string(), "$XDG_CONFIG_HOME");
    insta::assert_snapshot!(text);
}
