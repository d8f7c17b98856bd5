//! Lookup never opens the wrong entry: tables of queries and what they must lead
//! to, on a fixture made for it and on the shipped knowledge base.

mod common;
use common::{kb, otpic, run};

/// What a query leads to.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// Opens the entry silently: an exact id, title or alias.
    Exact(String),
    /// Opens the entry with a note: a unique prefix.
    Prefix(String),
    /// Opens the entry with a note: a clear misspelling.
    Fuzzy(String),
    /// Exit 1 with "did you mean" (or "which one?") and these ids.
    Suggests(Vec<String>),
    /// Exit 1: nothing is close; the message suggests `otpic search WORDS`.
    Nothing,
    /// Exit 1: the words name two entries.
    Two(String, String),
}
use Outcome::*;

fn outcome(cmd: &mut assert_cmd::Command, query: &str) -> Outcome {
    let words: Vec<&str> = query.split(' ').collect();
    let (code, stdout, stderr) = run(cmd.args(["show", "--field", "id"]).args(&words));
    match code {
        0 => {
            let id = stdout.trim().to_owned();
            if stderr.is_empty() {
                Exact(id)
            } else if stderr.contains("matched by prefix") {
                Prefix(id)
            } else {
                assert!(stderr.contains("the closest match for"), "{stderr}");
                Fuzzy(id)
            }
        }
        1 => {
            assert_eq!(stdout, "", "{query}");
            if stderr.contains("names two entries") {
                let ids: Vec<&str> = stderr
                    .split('`')
                    .filter_map(|s| s.strip_prefix("otpic show "))
                    .collect();
                return Two(ids[0].to_owned(), ids[1].to_owned());
            }
            if stderr.contains("did you mean:") || stderr.contains("which one?") {
                return Suggests(
                    stderr
                        .lines()
                        .skip(1)
                        .filter_map(|l| l.split_whitespace().next())
                        .map(str::to_owned)
                        .collect(),
                );
            }
            assert!(
                stderr.contains(&format!("try `otpic search {query}`")),
                "{query}: {stderr}"
            );
            Nothing
        }
        _ => panic!("{query}: exit {code}: {stderr}"),
    }
}

fn s(id: &str) -> String {
    id.to_owned()
}

#[test]
fn fixture_queries_lead_where_they_should() {
    let table = [
        ("security council", Fuzzy(s("un-security-council"))),
        ("security comunity", Fuzzy(s("security-community"))),
        ("unsc", Exact(s("un-security-council"))),
        ("u n", Nothing),
        ("e u", Nothing),
        ("league of nations", Nothing),
        ("security councillors", Nothing),
        ("z", Nothing),
        ("colective securty", Fuzzy(s("collective-security"))),
        (
            "colective",
            Suggests(vec![s("collective-defense"), s("collective-security")]),
        ),
        (
            "collective",
            Suggests(vec![s("collective-defense"), s("collective-security")]),
        ),
        ("peacezones", Fuzzy(s("peace-zones"))),
        ("zones of peace", Exact(s("peace-zones"))),
        ("refusal", Prefix(s("refusal-to-negotiate"))),
        (
            "excesive force",
            Fuzzy(s("illegitimate-or-excessive-use-of-force")),
        ),
        (
            "collective security peace zones",
            Two(s("collective-security"), s("peace-zones")),
        ),
        (
            "unsc refusal to negotiate",
            Two(s("un-security-council"), s("refusal-to-negotiate")),
        ),
    ];
    for (query, expected) in table {
        assert_eq!(outcome(&mut kb("names"), query), expected, "{query}");
    }
}

#[test]
fn shipped_queries_never_open_the_wrong_entry() {
    // The shipped knowledge base grows: these hold whatever entries it gains.
    for query in ["security council", "league of nations"] {
        match outcome(&mut otpic(), query) {
            Nothing => {}
            Exact(id) | Prefix(id) | Fuzzy(id) => {
                let last = query.rsplit(' ').next().unwrap_or(query);
                assert!(id.contains(last), "{query} opened {id}");
            }
            Suggests(ids) => assert!(
                ids.iter()
                    .all(|id| !id.contains("community") && !id.contains("negotiate")),
                "{query}: {ids:?}"
            ),
            other => panic!("{query}: {other:?}"),
        }
    }
    let table = [
        ("u n", Nothing),
        ("e u", Nothing),
        ("colective securty", Fuzzy(s("collective-security"))),
        ("coercive", Prefix(s("coercive-diplomacy"))),
        ("peace zones", Exact(s("peace-zones"))),
        (
            "security dilemma peace zones",
            Two(s("security-dilemma"), s("peace-zones")),
        ),
    ];
    for (query, expected) in table {
        assert_eq!(outcome(&mut otpic(), query), expected, "{query}");
    }
}

#[test]
fn two_entries_are_named_with_the_commands_for_each() {
    let (code, stdout, stderr) =
        run(kb("names").args(["show", "collective-security", "peace-zones"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "otpic: \"collective-security peace-zones\" names two entries, Collective Security and Peace Zones; \
show each with `otpic show collective-security` and `otpic show peace-zones`, \
or set them side by side with `otpic compare collective-security peace-zones`\n"
    );
}

/// Runs otpic on a pseudo-terminal of 5 rows and 80 columns, its pager marking
/// every line it was given with `PAGED:`; returns what the terminal showed.
fn paged(args: &[&str]) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let command: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_otpic"))
        .chain(args.iter().copied())
        .map(quote)
        .collect();
    let line = format!("stty rows 5 cols 80; exec {}", command.join(" "));
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
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

#[test]
fn on_a_terminal_the_closest_match_note_heads_the_paged_output() {
    let fixture = common::fixture("names");
    let dir = fixture.to_string_lossy();
    let shown = paged(&["--entries", &dir, "show", "colective", "securty"]);
    let first = shown.lines().next().unwrap_or("");
    assert_eq!(
        first,
        "PAGED:\x1b[3mshowing \"collective-security\" (Collective Security), the closest match for\x1b[0m",
        "{shown}"
    );
    assert!(
        shown.contains("PAGED:\x1b[1;36mCollective Security"),
        "{shown}"
    );
    // Only there: not on stderr as well.
    assert_eq!(shown.matches("the closest match").count(), 1, "{shown}");
}

#[test]
fn piped_the_closest_match_note_stays_on_stderr() {
    let (code, stdout, stderr) = run(kb("names").args(["show", "colective", "securty"]));
    assert_eq!(code, 0);
    assert!(stdout.starts_with("Collective Security\n"), "{stdout}");
    assert_eq!(
        stderr,
        "otpic: showing \"collective-security\" (Collective Security), the closest match for \"colective securty\"\n"
    );
}
