//! Formats for scripts: `--format markdown` and `show --field`, on the fixtures.
//! The Markdown exports are pinned by golden files in tests/snapshots/.

mod common;
use common::{kb, portable, run};

fn stdout(args: &[&str]) -> String {
    let (code, stdout, stderr) = run(kb("basic").args(args));
    assert_eq!(code, 0, "{args:?}: {stderr}");
    portable(&stdout)
}

#[test]
fn show_as_markdown() {
    insta::assert_snapshot!(stdout(&["show", "alpha", "--format", "markdown"]));
}

#[test]
fn list_glossary_and_related_as_markdown() {
    insta::assert_snapshot!("list_markdown", stdout(&["list", "--format", "markdown"]));
    insta::assert_snapshot!(
        "glossary_markdown",
        stdout(&["glossary", "--format", "markdown"])
    );
    insta::assert_snapshot!(
        "related_markdown",
        stdout(&["related", "beta", "--depth", "2", "--format", "markdown"])
    );
}

#[test]
fn markdown_is_the_same_on_a_terminal_and_never_styled_or_wrapped() {
    let piped = stdout(&["show", "alpha", "--format", "markdown", "--width", "30"]);
    assert!(!piped.contains('\x1b'));
    assert!(piped.lines().any(|l| l.chars().count() > 30));
    let styled = stdout(&["show", "alpha", "--format", "markdown", "--color", "always"]);
    assert_eq!(styled, stdout(&["show", "alpha", "--format", "markdown"]));
}

#[test]
fn markdown_escapes_entry_text_but_keeps_the_definition() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("x.toml"),
        "title = \"Stars *and* [brackets]\"\ndefinition = \"Keep **this**.\"\n[[sources]]\ntitle = \"A (b)\"\nurl = \"http://x.org/a b\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (_, md, _) = run(common::otpic()
        .arg("--entries")
        .arg(dir.path())
        .args(["show", "x", "--format", "markdown"]));
    assert!(md.starts_with("# Stars \\*and\\* \\[brackets\\]\n"), "{md}");
    assert!(md.contains("\nKeep **this**.\n"), "{md}");
    assert!(md.contains("- [A (b)](http://x.org/a%20b)\n"), "{md}");
}

#[test]
fn show_field_prints_one_field_raw() {
    for (field, expected) in [
        ("id", "alpha\n"),
        ("title", "Alpha Approach\n"),
        ("kind", "approach\n"),
        (
            "summary",
            "The first approach of the fixture knowledge base.\n",
        ),
        ("aliases", "first way\n"),
        ("tags", "fixture\ngreek\n"),
        ("related_approaches", "gamma\ndelta\n"),
        ("related-approaches", "gamma\ndelta\n"),
        ("related_problems", "beta\n?Missing Problem\n"),
        ("referenced_by", "beta\ndelta\n"),
        (
            "examples",
            "An Example Work\tA. Author\t1998\tShows alpha in action.\thttp://example.org/alpha\n",
        ),
        ("sources", "A Source\t\t1991?\t\t\n"),
        (
            "provenance",
            "the otpic test suite\totpic\t2026\thttp://example.org/provenance\n",
        ),
        ("file", "tests/fixtures/basic/alpha.toml\n"),
    ] {
        assert_eq!(
            stdout(&["show", "alpha", "--field", field]),
            expected,
            "{field}"
        );
    }
    let definition = stdout(&["show", "alpha", "--field", "definition"]);
    assert!(definition.starts_with("Alpha is an **approach** used to test otpic."));
    assert!(
        definition.ends_with("between the parties.\n"),
        "{definition:?}"
    );
    assert_eq!(
        stdout(&["show", "gamma", "--field", "related_problems"]),
        ""
    );
    assert_eq!(stdout(&["show", "gamma", "--field", "provenance"]), "");
}

#[test]
fn show_field_with_json_prints_that_field_of_the_show_json() {
    let v = common::json(kb("basic").args([
        "show",
        "alpha",
        "--field",
        "related_problems",
        "--format",
        "json",
    ]));
    assert_eq!(
        v,
        serde_json::json!([
            {"link": "the beta trouble", "id": "beta", "title": "Beta Problem"},
            {"link": "Missing Problem", "id": null, "title": null}
        ])
    );
    let v =
        common::json(kb("basic").args(["show", "gamma", "--field", "summary", "--format", "json"]));
    assert_eq!(v, "A concept with no links of its own.");
}

#[test]
fn an_unknown_field_is_a_usage_error_listing_the_valid_names() {
    let (code, stdout, stderr) = run(kb("basic").args(["show", "alpha", "--field", "colour"]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("[possible values: id, title, kind, summary, definition, aliases, tags, related_approaches, related_problems, referenced_by, examples, sources, provenance, file]"),
        "{stderr}"
    );
}

#[test]
fn commands_without_a_markdown_form_say_so() {
    for args in [
        &["search", "alpha"][..],
        &["check"],
        &["paths"],
        &["show", "alpha", "--field", "title"],
    ] {
        let (code, stdout, stderr) = run(kb("basic").args(args).args(["--format", "markdown"]));
        assert_eq!((code, stdout.as_str()), (2, ""), "{args:?}");
        assert!(stderr.starts_with("otpic: --f"), "{args:?}: {stderr}");
    }
}
