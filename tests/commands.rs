//! The six commands on small fixture knowledge bases: behaviour beyond the golden files.

mod common;
use common::{json, kb, otpic, run};

#[test]
fn show_marks_unresolved_links_and_lists_backlinks() {
    let (_, stdout, _) = run(kb("basic").args(["show", "alpha"]));
    assert!(
        stdout.contains("- Missing Problem (unresolved: no entry by that name)"),
        "{stdout}"
    );
    // beta and delta link back to alpha, but alpha lists them above already.
    assert!(!stdout.contains("Referenced by"), "{stdout}");
    let (_, stdout, _) = run(kb("basic").args(["show", "gamma"]));
    assert!(
        stdout.contains("Referenced by\n\n- Alpha Approach — alpha\n"),
        "{stdout}"
    );
}

#[test]
fn related_walks_both_directions_and_cycles_end() {
    let v = json(kb("basic").args(["related", "beta", "--depth", "50", "--format", "json"]));
    let seen: Vec<(String, u64)> = v
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r["id"].as_str().unwrap_or("null").to_owned(),
                        r["depth"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        seen,
        [
            ("alpha".into(), 1),
            ("gamma".into(), 2),
            ("delta".into(), 2),
            ("null".into(), 2)
        ]
    );
}

#[test]
fn related_text_groups_by_relation() {
    let (code, stdout, _) = run(kb("basic").args(["related", "gamma"]));
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "Gamma Concept (gamma)\n\nReferenced by\n  Alpha Approach — alpha\n    The first approach of the fixture knowledge base.\n"
    );
}

#[test]
fn list_filters_by_kind_and_tag_and_exits_1_when_nothing_is_left() {
    let (_, stdout, _) = run(kb("basic").args(["list", "--kind", "approach"]));
    assert_eq!(stdout, "alpha\tAlpha Approach\n");
    let (_, stdout, _) = run(kb("basic").args(["list", "--tag", "GREEK"]));
    assert_eq!(stdout, "alpha\tAlpha Approach\ngamma\tGamma Concept\n");
    let (code, stdout, stderr) =
        run(kb("basic").args(["list", "--kind", "case", "--tag", "greek"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "otpic: no entries of kind \"case\" and tagged \"greek\"\n"
    );
}

#[test]
fn list_in_a_pipe_is_one_sorted_line_per_entry() {
    let (_, stdout, _) = run(otpic().arg("list"));
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.len() >= 35);
    assert!(lines.iter().all(|l| l.split('\t').count() == 2));
    assert!(lines.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn search_ranks_title_matches_first_and_exits_1_on_no_match() {
    let (_, stdout, _) = run(kb("basic").args(["search", "alpha"]));
    assert!(stdout.starts_with("alpha\tAlpha Approach\t"), "{stdout}");
    let (code, stdout, stderr) = run(kb("basic").args(["search", "zebra"]));
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (1, "", "otpic: nothing matches \"zebra\"\n")
    );
    let (code, _, stderr) = run(kb("basic").args(["search", "--", "--"]));
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn search_puts_entries_with_every_word_first() {
    let v = json(otpic().args(["search", "information", "sharing", "--format", "json"]));
    assert_eq!(v[0]["id"], "collaborative-security-initiatives");
}

/// `--limit N` prints exactly the first N hits of an unlimited search, in both
/// formats: one word (ranked by score alone) and several (the phrase bonus, which
/// parses entries in rank order only as far as it must).
#[test]
fn search_limit_prints_exactly_the_first_n_hits_of_an_unlimited_search() {
    for query in [
        &["conflict"][..],
        &["conflict", "resolution"],
        &["peace", "building"],
    ] {
        let (code, all, stderr) = run(otpic().args(["search", "--limit", "100000"]).args(query));
        assert_eq!(code, 0, "{stderr}");
        let all: Vec<&str> = all.lines().collect();
        assert!(
            all.len() > 12,
            "{query:?}: too few hits to test limits: {all:?}"
        );
        let every = json(
            otpic()
                .args(["search", "--format", "json", "--limit", "100000"])
                .args(query),
        );
        let every = every.as_array().cloned().unwrap_or_default();
        assert_eq!(every.len(), all.len(), "{query:?}");
        for n in (1..=12).chain([all.len() - 1, all.len(), all.len() + 1]) {
            let limit = n.to_string();
            let (code, some, stderr) = run(otpic().args(["search", "--limit", &limit]).args(query));
            assert_eq!(code, 0, "{stderr}");
            let some: Vec<&str> = some.lines().collect();
            assert_eq!(some, all[..n.min(all.len())], "{query:?} --limit {n}");
            let rows = json(
                otpic()
                    .args(["search", "--format", "json", "--limit", &limit])
                    .args(query),
            );
            assert_eq!(
                rows.as_array().map(Vec::as_slice),
                Some(&every[..n.min(every.len())]),
                "{query:?} --limit {n} --format json"
            );
        }
    }
}

#[test]
fn glossary_is_alphabetical_by_title() {
    let v = json(kb("basic").args(["glossary", "--format", "json"]));
    let titles: Vec<&str> = v
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["title"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        titles,
        [
            "Alpha Approach",
            "Beta Problem",
            "Delta Case",
            "Gamma Concept"
        ]
    );
}

#[test]
fn check_reports_file_line_and_column_and_exits_1_on_errors() {
    let (code, stdout, stderr) = run(kb("basic").arg("check"));
    assert_eq!(code, 1);
    let dir = common::fixture("basic").display().to_string();
    assert!(
        stdout
            .replace(&dir, "basic")
            .contains("basic/alpha.toml:8:41: error: unresolved link \"Missing Problem\""),
        "{stdout}"
    );
    assert_eq!(stderr, "otpic: check found 1 error\n");
}

#[test]
fn check_passes_on_the_shipped_knowledge_base() {
    let (code, stdout, stderr) = run(otpic().arg("check"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.ends_with("entries checked: 0 errors, 0 warnings\n"),
        "{stdout}"
    );
}

#[test]
fn check_reports_broken_files_with_their_lines() {
    let (code, stdout, _) = run(kb("broken").args(["check", "--format", "json"]));
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_default();
    let errors: Vec<(String, serde_json::Value)> = v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["file"]
                            .as_str()
                            .unwrap_or("")
                            .rsplit('/')
                            .next()
                            .unwrap_or("")
                            .to_owned(),
                        e["line"].clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        errors,
        [
            ("bad-syntax.toml".into(), serde_json::json!(2)),
            ("no-definition.toml".into(), serde_json::Value::Null),
            ("no-title.toml".into(), serde_json::Value::Null),
            ("wrong-type.toml".into(), serde_json::json!(3)),
        ]
    );
}
