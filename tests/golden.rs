//! Golden files for every rendered view, plain and styled, at a fixed width.
//! Snapshots live in tests/snapshots/; review changes with `cargo insta review`
//! or by reading the `.snap.new` files.

mod common;
use common::{fixture, kb, on_terminal, portable, run};

fn golden(args: &[&str]) -> String {
    let (code, stdout, stderr) = run(kb("basic").args(args).args(["--width", "60"]));
    assert_eq!((code, stderr.as_str()), (0, ""), "{args:?}");
    portable(&stdout)
}

#[test]
fn show_plain() {
    insta::assert_snapshot!(golden(&["show", "alpha"]));
}

#[test]
fn show_styled() {
    insta::assert_snapshot!(golden(&["show", "alpha", "--color", "always"]));
}

#[test]
fn related_plain_and_styled() {
    insta::assert_snapshot!(
        "related_plain",
        golden(&["related", "beta", "--depth", "2"])
    );
    insta::assert_snapshot!(
        "related_styled",
        golden(&["related", "beta", "--depth", "2", "--color", "always"])
    );
}

#[test]
fn glossary_plain_and_styled() {
    insta::assert_snapshot!("glossary_plain", golden(&["glossary"]));
    insta::assert_snapshot!(
        "glossary_styled",
        golden(&["glossary", "--color", "always"])
    );
}

#[test]
fn search_piped_and_styled() {
    insta::assert_snapshot!("search_plain", golden(&["search", "alpha", "sharing"]));
    insta::assert_snapshot!(
        "search_styled",
        golden(&["search", "alpha", "sharing", "--color", "always"])
    );
}

#[test]
fn list_piped() {
    insta::assert_snapshot!(golden(&["list"]));
}

#[test]
fn check_plain() {
    let (code, stdout, stderr) = run(kb("broken").arg("check"));
    assert_eq!(
        (code, stderr.as_str()),
        (1, "otpic: check found 4 errors\n")
    );
    insta::assert_snapshot!(common::loose::text(
        &portable(&stdout),
        &common::BROKEN_TOML
    ));
}

#[test]
fn show_of_the_shipped_collective_security_entry() {
    let (code, stdout, _) =
        run(common::otpic().args(["show", "collective-security", "--width", "80"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!(stdout);
}

#[test]
fn on_a_terminal_list_groups_by_kind_and_search_is_styled() {
    let dir = fixture("basic").display().to_string();
    let list = on_terminal(&["--entries", &dir, "list", "--width", "60"], &[]);
    insta::assert_snapshot!("list_terminal", list);
    let plain = on_terminal(
        &["--entries", &dir, "list", "--width", "60"],
        &[("NO_COLOR", "1")],
    );
    assert!(!plain.contains('\x1b'), "{plain:?}");
    assert!(
        plain.starts_with("Approaches (1)\n  Alpha Approach  alpha\n"),
        "{plain:?}"
    );
    let search = on_terminal(
        &["--entries", &dir, "search", "sharing", "--width", "60"],
        &[],
    );
    assert!(search.contains("\x1b[1;33msharing\x1b[0m"), "{search:?}");
}
