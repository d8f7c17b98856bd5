//! Which file an entry comes from, through the binary: the index (`show`,
//! `list`) and loading (`check`) follow the one rule in `src/precedence.rs` and
//! the one walk in `src/walk.rs` (fixture: tests/fixtures/precedence/README.md).

mod common;
use common::{fixture, json, otpic, run};

fn both() -> std::ffi::OsString {
    std::env::join_paths([fixture("precedence/low"), fixture("precedence/high")])
        .unwrap_or_default()
}

#[test]
fn the_first_file_that_parses_wins_later_ones_are_duplicates_and_hidden_ones_are_not_read() {
    let low = fixture("precedence/low");
    let shown = |text: &str| text.replace(&low.display().to_string(), "low");
    // Through the index.
    let v = json(
        otpic()
            .arg("--entries")
            .arg(&low)
            .args(["show", "twin", "--format", "json"]),
    );
    assert_eq!(v["title"], "Twin From B");
    let (code, stdout, stderr) = run(otpic().arg("--entries").arg(&low).arg("list"));
    assert_eq!(code, 0);
    assert_eq!(stdout, "solo\tSolo From Low\ntwin\tTwin From B\n");
    let stderr = shown(&stderr);
    let problems: Vec<&str> = stderr.lines().collect();
    assert_eq!(problems.len(), 2, "{stderr}");
    assert!(
        problems[0].starts_with("otpic: low/a/twin.toml:"),
        "{stderr}"
    );
    assert_eq!(
        problems[1],
        "otpic: low/c/twin.toml: error: duplicate id \"twin\": low/b/twin.toml has it too; this file is ignored"
    );
    // Through loading: the same problems, and only the winner's link is checked.
    let (code, stdout, _) = run(otpic().arg("--entries").arg(&low).arg("check"));
    assert_eq!(code, 1);
    let stdout = shown(&stdout);
    assert!(stdout.contains("low/a/twin.toml:"), "{stdout}");
    assert!(
        stdout.contains(problems[1].trim_start_matches("otpic: ")),
        "{stdout}"
    );
    assert!(stdout.contains("unresolved link \"nowhere-b\""), "{stdout}");
    assert!(!stdout.contains("nowhere-c"), "{stdout}");
    assert!(
        !stdout.contains(".twin.toml") && !stdout.contains("twin.toml~"),
        "{stdout}"
    );
    assert!(
        stdout.contains("low/solo.toml:3:23: warning: one-way link"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("2 entries checked: 3 errors, 1 warning\n"),
        "{stdout}"
    );
}

#[test]
fn a_later_knowledge_base_overrides_an_earlier_one_without_a_duplicate() {
    let v = json(
        otpic()
            .env("OTPIC_ENTRIES", both())
            .args(["show", "solo", "--format", "json"]),
    );
    assert_eq!(v["title"], "Solo From High");
    let (_, stdout, _) = run(otpic().env("OTPIC_ENTRIES", both()).arg("check"));
    assert!(!stdout.contains("duplicate id \"solo\""), "{stdout}");
    // The one-way link is reported on the file that won: high's.
    assert!(!stdout.contains("low/solo.toml"), "{stdout}");
    assert!(
        stdout.contains("high/solo.toml:3:23: warning: one-way link"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("2 entries checked: 3 errors, 1 warning\n"),
        "{stdout}"
    );
}
