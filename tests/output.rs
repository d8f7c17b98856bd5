//! Output formats and terminal behaviour: JSON shapes, color, width, pipes.

mod common;
use common::{json, kb, otpic, run};
use serde_json::json;

#[test]
fn show_json_has_the_entry_fields_resolved_links_and_backlinks() {
    let v = json(kb("basic").args(["show", "alpha", "--format", "json"]));
    assert_eq!(v["id"], "alpha");
    assert_eq!(v["title"], "Alpha Approach");
    assert_eq!(v["kind"], "approach");
    assert_eq!(v["aliases"], json!(["first way"]));
    assert_eq!(
        v["related_approaches"],
        json!([{"link": "gamma", "id": "gamma", "title": "Gamma Concept"}, {"link": "Delta Case", "id": "delta", "title": "Delta Case"}])
    );
    assert_eq!(
        v["related_problems"],
        json!([{"link": "the beta trouble", "id": "beta", "title": "Beta Problem"}, {"link": "Missing Problem", "id": null, "title": null}])
    );
    assert_eq!(
        v["referenced_by"],
        json!([{"id": "beta", "title": "Beta Problem", "relation": "related_approaches"}, {"id": "delta", "title": "Delta Case", "relation": "related_approaches"}])
    );
    assert_eq!(v["examples"][0]["year"], 1998);
    assert_eq!(v["sources"][0]["year"], "1991?");
    assert_eq!(v["provenance"]["publisher"], "otpic");
}

#[test]
fn format_is_accepted_before_or_after_the_subcommand() {
    let before = json(kb("basic").args(["--format", "json", "show", "beta"]));
    let after = json(kb("basic").args(["show", "beta", "--format=json"]));
    assert_eq!(before, after);
}

#[test]
fn related_json_is_a_flat_array_with_relation_and_depth() {
    let v = json(kb("basic").args(["related", "alpha", "--format", "json"]));
    let rows = v.as_array().map(Vec::as_slice).unwrap_or_default();
    let summary: Vec<(serde_json::Value, &str, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["id"].clone(),
                r["relation"].as_str().unwrap_or(""),
                r["depth"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (json!("gamma"), "related_approaches", 1),
            (json!("delta"), "related_approaches", 1),
            (json!("beta"), "related_problems", 1),
            (json!(null), "related_problems", 1),
        ]
    );
    assert_eq!(rows[3]["link"], "Missing Problem");
    assert_eq!(rows[0]["summary"], "A concept with no links of its own.");
    assert_eq!(rows[0]["kind"], "concept");
}

#[test]
fn list_and_glossary_json_are_arrays_of_id_title_kind_summary() {
    for cmd in ["list", "glossary"] {
        let v = json(kb("basic").args([cmd, "--format", "json"]));
        let first = &v[0];
        let mut keys: Vec<&str> = first
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys.sort_unstable();
        assert_eq!(keys, ["id", "kind", "summary", "title"], "{cmd}");
        assert_eq!(v.as_array().map(Vec::len), Some(4), "{cmd}");
    }
}

#[test]
fn search_json_has_id_title_score_and_snippet() {
    let v = json(kb("basic").args(["search", "concept", "sharing", "--format", "json"]));
    assert_eq!(v[0]["id"], "gamma");
    assert!(v[0]["score"].as_f64().is_some_and(|s| s > 0.0));
    assert!(
        v[0]["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("sharing"))
    );
}

#[test]
fn check_json_splits_errors_and_warnings() {
    let (code, stdout, _) = run(kb("basic").args(["check", "--format", "json"]));
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_default();
    let error = &v["errors"][0];
    assert!(
        error["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("alpha.toml"))
    );
    assert_eq!(error["line"], 8);
    assert_eq!(error["column"], 41);
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("Missing Problem"))
    );
    assert!(v["warnings"].is_array());
}

#[test]
fn piped_output_has_no_escape_sequences_and_color_always_has_them() {
    for args in [
        &["show", "alpha"][..],
        &["list"],
        &["glossary"],
        &["related", "alpha"],
        &["search", "alpha"],
        &["check"],
    ] {
        let (_, plain, _) = run(kb("basic").args(args));
        assert!(!plain.contains('\x1b'), "{args:?}: {plain:?}");
        let (_, styled, _) = run(kb("basic").args(args).arg("--color=always"));
        if args[0] != "list" && args[0] != "check" {
            assert!(styled.contains('\x1b'), "{args:?}: {styled:?}");
        }
    }
}

#[test]
fn no_color_and_color_never_turn_styles_off() {
    let (_, stdout, _) = run(kb("basic").args(["show", "alpha", "--color", "never"]));
    assert!(!stdout.contains('\x1b'));
    let (_, stdout, _) = run(kb("basic").args(["show", "alpha"]).env("NO_COLOR", "1"));
    assert!(!stdout.contains('\x1b'));
}

#[test]
fn text_wraps_to_the_width_counting_wide_characters_as_two() {
    use unicode_width::UnicodeWidthStr;
    for width in [30usize, 50] {
        let (_, stdout, _) = run(kb("wide").args(["show", "cjk", "--width", &width.to_string()]));
        for line in stdout.lines() {
            assert!(
                line.width() <= width,
                "{width}: {line:?} is {}",
                line.width()
            );
        }
        assert!(stdout.lines().count() > 5);
    }
    let (_, stdout, _) = run(kb("basic").args(["show", "alpha"]).env("COLUMNS", "40"));
    assert!(
        stdout.lines().all(|l| l.width() <= 40 || l.contains("://")),
        "{stdout}"
    );
    let (_, stdout, _) = run(kb("basic").args(["show", "alpha"]));
    assert!(stdout.lines().all(|l| l.width() <= 80), "{stdout}");
}

#[test]
fn a_bad_width_is_a_usage_error() {
    let (code, stdout, stderr) = run(otpic().args(["show", "peace-zones", "--width", "0"]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("--width"), "{stderr}");
}

#[test]
fn help_lists_exit_codes_and_every_command() {
    let (code, stdout, _) = run(otpic().arg("--help"));
    assert_eq!(code, 0);
    for word in [
        "show",
        "related",
        "list",
        "search",
        "glossary",
        "check",
        "Exit status",
        "OTPIC_ENTRIES",
    ] {
        assert!(stdout.contains(word), "{word}");
    }
}

#[test]
fn an_unknown_subcommand_is_a_usage_error() {
    let (code, stdout, stderr) = run(otpic().arg("shwo"));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("show"), "{stderr}");
}
