//! Search through the real binary: stems, folding, phrases, exclusions, fields,
//! stop words, the limit, snippets, highlighting and empty results.

mod common;
use common::{fixture, kb, on_terminal, otpic, run};

/// The ids of the hits, in order, and stderr.
fn ids(args: &[&str]) -> (Vec<String>, String) {
    let (code, stdout, stderr) = run(kb("search").arg("search").args(args));
    assert!(code == 0 || code == 1, "{args:?}: {stderr}");
    let ids = stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_owned())
        .collect();
    (ids, stderr)
}

#[test]
fn word_forms_share_a_stem() {
    let (_, stdout, _) = run(otpic().args(["search", "city", "networks"]));
    assert!(stdout.starts_with("strong-cities-network\t"), "{stdout}");
    assert_eq!(ids(&["negotiation"]).0, ["offices-apart"]);
    assert_eq!(ids(&["meeting"]).0, ["good-offices"]);
}

#[test]
fn accents_and_case_do_not_matter() {
    assert_eq!(ids(&["perez", "CUELLAR"]).0, ["perez"]);
    assert_eq!(ids(&["moller"]).0, ["good-offices"]);
    assert_eq!(ids(&["bjorn"]).0, ["good-offices"]);
}

#[test]
fn a_phrase_matches_its_words_in_order() {
    assert_eq!(ids(&["good", "offices"]).0.len(), 2);
    assert_eq!(ids(&["\"good offices\""]).0, ["good-offices"]);
    assert_eq!(ids(&["\"offices good\""]).0, Vec::<String>::new());
}

#[test]
fn a_leading_minus_leaves_entries_out() {
    assert_eq!(ids(&["offices", "-nothing"]).0, ["good-offices"]);
    // After the other flags too, and in one quoted argument.
    assert_eq!(
        ids(&["offices", "-nothing", "--limit", "5"]).0,
        ["good-offices"]
    );
    assert_eq!(ids(&["offices -nothing"]).0, ["good-offices"]);
}

#[test]
fn fields_restrict_a_word() {
    assert_eq!(ids(&["title:mediation"]).0, ["perez"]);
    assert_eq!(ids(&["tag:mediation"]).0, ["perez"]);
    assert_eq!(
        ids(&["title:offices", "-title:good"]).0,
        Vec::<String>::new()
    );
    assert_eq!(ids(&["kind:problem", "offices"]).0, ["offices-apart"]);
    assert_eq!(ids(&["kind:problems", "offices"]).0, ["offices-apart"]);
    assert_eq!(ids(&["author:moller"]).0, ["good-offices"]);
    // "Møller" is a source's author, not its title.
    assert_eq!(ids(&["title:moller"]).0, Vec::<String>::new());
    let (code, _, stderr) = run(kb("search").args(["search", "kind:zebra", "offices"]));
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "otpic: no kind \"zebra\"; the kinds here are: approach, case, problem\n"
    );
}

#[test]
fn stop_words_find_nothing_by_themselves() {
    let (code, stdout, stderr) = run(kb("search").args(["search", "the", "of"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("only common words"), "{stderr}");
    // With other words they are left out of the ranking.
    assert_eq!(ids(&["the", "mediation"]).0, ["perez"]);
}

#[test]
fn the_limit_says_how_many_more_hits_there_are() {
    let (hits, stderr) = ids(&["conflict", "--limit", "1"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(stderr, "otpic: 2 more hits (--limit 0 shows all)\n");
    let (hits, stderr) = ids(&["conflict", "--limit", "0"]);
    assert_eq!((hits.len(), stderr.as_str()), (3, ""));
}

#[test]
fn on_a_terminal_the_count_is_the_last_line_and_matches_are_highlighted() {
    let dir = fixture("search");
    let shown = on_terminal(
        &[
            "--entries",
            &dir.to_string_lossy(),
            "--no-pager",
            "search",
            "negotiation",
            "conflict",
            "--limit",
            "1",
        ],
        &[],
    );
    assert!(shown.contains("\x1b[1;33mNegotiating\x1b[0m"), "{shown:?}");
    assert!(
        shown
            .trim_end()
            .ends_with("\x1b[2m… 2 more hits (--limit 0 shows all)\x1b[0m"),
        "{shown:?}"
    );
}

#[test]
fn snippets_hold_no_markdown() {
    let (_, stdout, _) = run(kb("search").args(["search", "listens"]));
    assert_eq!(
        stdout,
        "good-offices\tGood Offices\t… offices in a conflict. first, it listens then it meets them\n"
    );
}

#[test]
fn an_overlong_query_is_refused_at_once() {
    let words = vec!["word"; 10_000];
    let started = std::time::Instant::now();
    let (code, stdout, stderr) = run(kb("search").arg("search").args(&words));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "otpic: query is too long (49999 characters; the limit is 200)\n"
    );
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn no_hits_in_json_is_an_empty_array() {
    let (code, stdout, stderr) = run(kb("search").args(["--format", "json", "search", "zzzz"]));
    assert_eq!((code, stdout.as_str()), (1, "[]\n"));
    assert_eq!(stderr, "otpic: nothing matches \"zzzz\"\n");
}

#[test]
fn on_a_terminal_long_results_go_through_the_pager() {
    let dir = fixture("search");
    let line = format!(
        "stty rows 5 cols 80; exec '{}' --entries '{}' search conflict",
        env!("CARGO_BIN_EXE_otpic"),
        dir.display()
    );
    let scratch = std::env::temp_dir().join("otpic-tests-home");
    let out = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TERM", "xterm-256color")
        .env("HOME", &scratch)
        .env("XDG_CACHE_HOME", scratch.join("cache"))
        .env("OTPIC_PAGER", "sed s/^/PAGED:/")
        .output()
        .unwrap_or_else(|e| panic!("util-linux `script` is needed for this test: {e}"));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.lines().count() > 5 && shown.lines().all(|l| l.starts_with("PAGED:")),
        "{shown}"
    );
}
