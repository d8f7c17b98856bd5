//! Property-based fuzzing of the parser, lookup, search, check and every renderer,
//! on arbitrary entries. Beyond "nothing panics", the properties hold the output
//! to what it promises:
//! - JSON output always parses, whatever the entries and the query;
//! - text and Markdown output with colour off never hold ESC, a C1 control or a
//!   bidi control, on stdout, stderr or in the error message; with colour on,
//!   every ESC starts one of otpic's own SGR sequences;
//! - lookup, link resolution, backlinks and the problems found give the same
//!   answers from the entries loaded in memory (what `check` reads) as from the
//!   index on disk (what every other command reads).
//!
//! Runs a bounded number of cases as part of `cargo test`;
//! `PROPTEST_CASES=5000 cargo test --release --test fuzz` runs longer (docs/testing.md).

use otpic::entry::{Entry, Relation};
use otpic::env::Env;
use otpic::index::{Index, Part};
use otpic::kb::KnowledgeBase;
use otpic::source::Source;
use proptest::prelude::*;
use std::ffi::OsString;

/// Text with the characters most likely to break things: quotes, escapes,
/// controls, bidi marks, wide characters, Markdown and TOML syntax.
fn nasty() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r#"([a-z \-_"'\\\[\]=#*`|~\n\t\r\x00-\x1f\x7f\u{80}-\u{9f}\u{200b}-\u{200f}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{61c}\u{feff}集体安全é]|https?://[a-z./]{0,20}){0,80}"#)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A name that other entries may also use or link to: the ids `e0`…`e5`, a few
/// shared words (so titles and aliases collide, and prefixes and misspellings
/// match), or anything at all.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::string::string_regex("e[0-5]").unwrap_or_else(|e| panic!("{e}")),
        3 => proptest::string::string_regex("(alpha|alpah|beta|gamma|peace)( (zone|zones|keeping))?")
            .unwrap_or_else(|e| panic!("{e}")),
        2 => nasty(),
    ]
}

fn entry_text() -> impl Strategy<Value = String> {
    (
        name(),
        nasty(),
        nasty(),
        proptest::collection::vec(name(), 0..4),
        proptest::collection::vec(name(), 0..4),
        proptest::collection::vec(name(), 0..3),
    )
        .prop_map(|(title, summary, definition, approaches, problems, aliases)| {
            let q = |s: &String| toml::Value::String(s.clone()).to_string();
            let list = |v: &Vec<String>| {
                format!("[{}]", v.iter().map(q).collect::<Vec<_>>().join(", "))
            };
            format!(
                "title = {}\nsummary = {}\ndefinition = {}\nrelated_approaches = {}\nrelated_problems = {}\naliases = {}\n[[examples]]\ntitle = {}\nurl = {}\n",
                q(&title),
                q(&summary),
                q(&definition),
                list(&approaches),
                list(&problems),
                list(&aliases),
                q(&summary),
                q(&definition)
            )
        })
}

/// A knowledge base directory with files `e0.toml`… (some perhaps broken) and
/// a cache directory for its index.
struct Kb {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

fn write_kb(texts: &[String]) -> Kb {
    let kb = Kb {
        dir: tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
        cache: tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
    };
    for (i, text) in texts.iter().enumerate() {
        std::fs::write(kb.dir.path().join(format!("e{i}.toml")), text)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    kb
}

/// What one run of otpic gave: stdout, stderr, and the error `main` would print.
struct Run {
    out: Vec<u8>,
    err: Vec<u8>,
    error: Option<String>,
}

/// Runs otpic as the binary does (the library's `run`), on `kb`, with the global
/// options `flags` before the command line `args` (which may end in `-- QUERY`).
fn otpic(kb: &Kb, flags: &[&str], args: &[&str]) -> Run {
    let env = Env {
        cache_dir: Some(kb.cache.path().to_owned()),
        ..Env::default()
    };
    let args: Vec<OsString> = ["otpic", "--entries"]
        .into_iter()
        .map(OsString::from)
        .chain([kb.dir.path().as_os_str().to_owned()])
        .chain(flags.iter().chain(args).map(OsString::from))
        .collect();
    let cli = <otpic::cli::Cli as clap::Parser>::try_parse_from(&args);
    assert!(cli.is_ok(), "{args:?} does not parse: {:?}", cli.err());
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let result = otpic::run(args, &env, &mut out, &mut err);
    Run {
        out,
        err,
        error: result.err().map(|e| e.to_string()),
    }
}

/// The command lines every case runs; the query comes after `--`, so that no
/// query is taken for an option and every line parses.
fn commands(query: &str) -> Vec<Vec<&str>> {
    vec![
        vec!["show", "--", query],
        vec!["show", "--exact", "--", query],
        vec!["show", "e0"],
        vec!["related", "--depth", "3", "--", query],
        vec!["related", "e1", "--depth", "3"],
        vec!["list"],
        vec!["glossary"],
        vec!["search", "--", query],
        vec!["search", "alpha", "peace", "zone"],
        vec!["check"],
        vec!["check", "--strict"],
    ]
}

/// ESC, C1 controls and the bidi controls (embeddings, overrides, isolates, marks).
fn is_forbidden(c: char) -> bool {
    matches!(c, '\x1b' | '\u{80}'..='\u{9f}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{61c}')
}

fn forbidden_in(text: &str) -> Option<char> {
    text.chars().find(|&c| is_forbidden(c))
}

/// `text` without otpic's own SGR sequences (`ESC [ digits and ; m`).
fn without_sgr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let params = after.strip_prefix('[').map(|p| {
            p.len()
                - p.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';')
                    .len()
        });
        match params {
            Some(n) if after[1 + n..].starts_with('m') => rest = &after[n + 2..],
            _ => {
                out.push('\x1b');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn text_of(run: &Run) -> String {
    format!(
        "{}{}{}",
        String::from_utf8_lossy(&run.out),
        String::from_utf8_lossy(&run.err),
        run.error.as_deref().unwrap_or("")
    )
}

/// Every entry's names and link texts, and prefixes of them: queries that reach
/// the exact, prefix and fuzzy paths of lookup.
fn queries(kb: &KnowledgeBase, extra: &str) -> Vec<String> {
    let mut out = vec![extra.to_owned()];
    for e in &kb.entries {
        let mut names = vec![e.id.clone(), e.title.clone()];
        names.extend(e.aliases.iter().map(|a| a.text.clone()));
        names.extend(e.related_approaches.iter().map(|l| l.text.clone()));
        names.extend(e.related_problems.iter().map(|l| l.text.clone()));
        for n in names {
            let prefix: String = n.chars().take(3).collect();
            out.push(prefix);
            out.push(n);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A lookup's answer, by entry id, comparable across the two ways of loading.
fn answer<K: otpic::lookup::Names + ?Sized>(
    kb: &K,
    id: impl Fn(usize) -> String,
    query: &str,
    exact: bool,
) -> Result<(String, otpic::lookup::How), String> {
    let _ = kb;
    otpic::lookup::find(kb, query, exact)
        .map(|f| (id(f.index), f.how))
        .map_err(|e| e.to_string())
}

fn index_agrees_with_loaded_entries(kb: &Kb, query: &str) {
    let sources = [Source::Dir(kb.dir.path().to_owned())];
    let loaded = KnowledgeBase::load(&sources).unwrap_or_else(|e| panic!("{e}"));
    let parts = [
        Part::Names,
        Part::Links,
        Part::Backlinks,
        Part::Summaries,
        Part::Search,
    ];
    // Opened twice: built and written, then read back from the file.
    for _ in 0..2 {
        let index =
            Index::open(&sources, Some(kb.cache.path()), &parts).unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&str> = (0..index.len()).map(|i| index.id(i)).collect();
        let loaded_ids: Vec<&str> = loaded.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, loaded_ids, "the same entries");
        for (i, e) in loaded.entries.iter().enumerate() {
            assert_eq!(index.title(i), e.title, "{}", e.id);
            for relation in [Relation::Approach, Relation::Problem] {
                let from_index: Vec<(String, Option<&str>)> = index
                    .links(i, relation)
                    .into_iter()
                    .map(|(text, t)| (text.to_owned(), t.map(|t| index.id(t))))
                    .collect();
                let from_loaded: Vec<(String, Option<&str>)> = loaded
                    .links(i, relation)
                    .into_iter()
                    .map(|(link, t)| (link.text.clone(), t.map(|t| loaded.entries[t].id.as_str())))
                    .collect();
                assert_eq!(from_index, from_loaded, "{} {relation:?}", e.id);
            }
            let back: Vec<usize> = loaded.backlinks(i).to_vec();
            assert_eq!(index.backlinks(i), back, "backlinks of {}", e.id);
        }
        let problems: Vec<String> = index.problems().map(|p| p.to_string()).collect();
        let loaded_problems: Vec<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(problems, loaded_problems, "the same problems");
        for q in queries(&loaded, query) {
            for exact in [false, true] {
                assert_eq!(
                    answer(&index, |i| index.id(i).to_owned(), &q, exact),
                    answer(&loaded, |i| loaded.entries[i].id.clone(), &q, exact),
                    "lookup {q:?} (exact: {exact})"
                );
                assert_eq!(
                    index.resolve(&q).map(|i| index.id(i).to_owned()),
                    loaded.resolve(&q).map(|i| loaded.entries[i].id.clone()),
                    "resolve {q:?}"
                );
            }
        }
    }
}

fn outputs_keep_their_promises(kb: &Kb, query: &str) {
    for args in commands(query) {
        for color in ["never", "always"] {
            let json = otpic(kb, &["--format", "json", "--color", color], &args);
            let stdout = String::from_utf8_lossy(&json.out);
            if !json.out.is_empty() {
                assert!(
                    serde_json::from_str::<serde_json::Value>(&stdout).is_ok(),
                    "{args:?} --format json: not JSON: {stdout}"
                );
            }
            if matches!(args[0], "list" | "glossary" | "check") {
                assert!(!json.out.is_empty(), "{args:?} --format json wrote nothing");
            }
            assert_eq!(
                forbidden_in(&stdout),
                None,
                "{args:?} --format json: {stdout:?}"
            );
            for format in ["text", "markdown"] {
                let run = otpic(kb, &["--format", format, "--color", color], &args);
                let all = text_of(&run);
                let all = if color == "always" {
                    without_sgr(&all)
                } else {
                    all
                };
                assert_eq!(
                    forbidden_in(&all),
                    None,
                    "{args:?} --format {format} --color {color}: {all:?}"
                );
            }
        }
        let width = otpic(kb, &["--width", "20"], &args);
        assert_eq!(forbidden_in(&text_of(&width)), None, "{args:?} --width 20");
    }
}

#[test]
fn the_sgr_filter_removes_only_sgr_sequences() {
    assert_eq!(without_sgr("a\x1b[1;33mb\x1b[0mc\x1b[md"), "abcd");
    assert_eq!(without_sgr("a\x1b]8;;x\x07"), "a\x1b]8;;x\x07");
    assert_eq!(without_sgr("\x1b[2J\x1b"), "\x1b[2J\x1b");
    assert_eq!(forbidden_in(&without_sgr("\x1b[31;1m")), None);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_parser_takes_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Entry::parse("x", "x.toml", &text);
    }

    #[test]
    fn the_parser_takes_arbitrary_toml_like_text(text in nasty()) {
        let _ = Entry::parse("x", "x.toml", &text);
    }

}

proptest! {
    // Each case runs otpic 77 times; 24 cases take about 10 s of CPU in a debug build.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn outputs_parse_as_json_and_never_carry_raw_controls(
        texts in proptest::collection::vec(entry_text(), 1..6),
        query in prop_oneof![name(), nasty()],
    ) {
        let kb = write_kb(&texts);
        outputs_keep_their_promises(&kb, &query);
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_index_on_disk_answers_as_the_loaded_entries_do(
        texts in proptest::collection::vec(entry_text(), 1..6),
        broken in proptest::collection::vec(nasty(), 0..2),
        query in prop_oneof![name(), nasty()],
    ) {
        let mut texts = texts;
        texts.extend(broken);
        let kb = write_kb(&texts);
        index_agrees_with_loaded_entries(&kb, &query);
    }
}
