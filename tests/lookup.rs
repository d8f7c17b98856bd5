//! Lookup through the real binary: each tier, multi-word queries, misses and paths.

mod common;
use common::{kb, otpic, run};

#[test]
fn an_exact_id_title_or_alias_finds_the_entry_silently() {
    for query in [
        &["alpha"][..],
        &["Alpha", "Approach"],
        &["first_way"],
        &["ALPHA-APPROACH"],
    ] {
        let (code, stdout, stderr) = run(kb("basic").arg("show").args(query));
        assert_eq!(code, 0, "{query:?}: {stderr}");
        assert!(
            stdout.starts_with("Alpha Approach\n"),
            "{query:?}: {stdout}"
        );
        assert_eq!(stderr, "", "{query:?}");
    }
}

#[test]
fn a_unique_prefix_is_shown_with_a_note_on_stderr() {
    let (code, stdout, stderr) = run(kb("basic").args(["show", "del"]));
    assert_eq!(code, 0);
    assert!(stdout.starts_with("Delta Case\n"));
    assert_eq!(
        stderr,
        "otpic: showing \"delta\" (Delta Case), matched by prefix \"del\"\n"
    );
}

#[test]
fn a_misspelling_is_shown_with_a_note_on_stderr() {
    let (code, stdout, stderr) = run(kb("basic").args(["show", "gamma", "concpt"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("Gamma Concept\n"));
    assert!(
        stderr.contains("the closest match for \"gamma concpt\""),
        "{stderr}"
    );
}

#[test]
fn a_miss_exits_1_with_suggestions_and_nothing_on_stdout() {
    let (code, stdout, stderr) = run(otpic().args(["show", "colective"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "otpic: no entry matches \"colective\"; did you mean:\n  collective-defense   Collective Defense\n  collective-security  Collective Security\n"
    );
    let (code, stdout, stderr) = run(kb("basic").args(["show", "zzzz", "qqqq"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "otpic: no entry matches \"zzzz qqqq\"; try `otpic search zzzz qqqq` or `otpic list`\n"
    );
}

#[test]
fn an_ambiguous_prefix_lists_the_candidates() {
    let (code, stdout, stderr) = run(otpic().args(["show", "collective"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.starts_with("otpic: \"collective\" matches several entries; which one?\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("collective-security") && stderr.contains("collective-defense"),
        "{stderr}"
    );
}

#[test]
fn exact_turns_prefix_and_fuzzy_matching_off() {
    let (code, stdout, _) = run(kb("basic").args(["show", "--exact", "del"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    let (code, _, _) = run(kb("basic").args(["show", "--exact", "delta", "case"]));
    assert_eq!(code, 0);
}

#[test]
fn a_query_is_never_read_as_a_file() {
    for query in [
        "../../etc/passwd",
        "/etc/passwd",
        "../fixtures/basic/alpha.toml",
    ] {
        let (code, stdout, stderr) = run(kb("basic").args(["show", query]));
        assert_eq!(code, 1, "{query}");
        assert_eq!(stdout, "", "{query}");
        assert!(!stderr.contains("root:"), "{query}");
    }
}

#[test]
fn empty_huge_and_control_character_queries_are_refused_or_unknown() {
    let (code, stdout, stderr) = run(kb("basic").args(["show", ""]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("empty query"), "{stderr}");

    // Linux refuses single arguments over 128 KiB, so 100,000 characters is the most a shell can pass.
    let huge = "a".repeat(100_000);
    let (code, stdout, stderr) = run(kb("basic").args(["show", &huge]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("too long"), "{stderr}");

    let (code, stdout, stderr) = run(kb("basic").args(["show", "\x1b[2Jzz\x07"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        !stderr.contains('\x1b') && !stderr.contains('\x07'),
        "{stderr:?}"
    );
    assert!(stderr.contains("\\u{1b}[2Jzz"), "{stderr:?}");
}

#[test]
fn the_embedded_knowledge_base_answers_multi_word_queries() {
    let (code, stdout, stderr) = run(otpic().args(["show", "un", "good", "offices"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("UN Good Offices\n"));
}
