//! Automatic colour on a real terminal (a pseudo-terminal through util-linux
//! `script`): on by default, off with `NO_COLOR` or `TERM=dumb`, which a pipe
//! could never show, since a pipe is never coloured anyway.
#![cfg(unix)]

mod common;
use common::{fixture, on_terminal};

/// What `otpic --entries tests/fixtures/basic ARGS --no-pager` shows on a terminal
/// with `env` set (TERM is xterm-256color unless `env` sets it).
fn shown(args: &[&str], env: &[(&str, &str)]) -> String {
    let dir = fixture("basic").display().to_string();
    let all: Vec<&str> = ["--entries", &dir]
        .into_iter()
        .chain(args.iter().copied())
        .chain(["--no-pager", "--width", "60"])
        .collect();
    on_terminal(&all, env)
}

const COMMANDS: &[&[&str]] = &[
    &["show", "alpha"],
    &["list"],
    &["search", "sharing"],
    &["related", "beta"],
    &["glossary"],
];

#[test]
fn a_terminal_gets_colour_by_default() {
    for args in COMMANDS {
        let out = shown(args, &[]);
        assert!(out.contains("\x1b["), "{args:?}: {out:?}");
        // An empty NO_COLOR counts as unset (no-color.org).
        let out = shown(args, &[("NO_COLOR", "")]);
        assert!(out.contains("\x1b["), "{args:?} NO_COLOR='': {out:?}");
    }
}

#[test]
fn no_color_on_a_terminal_turns_colour_off_and_color_always_wins() {
    for args in COMMANDS {
        let out = shown(args, &[("NO_COLOR", "1")]);
        assert!(!out.contains('\x1b'), "{args:?}: {out:?}");
        assert!(
            out.contains("Alpha") || out.contains("Beta"),
            "{args:?}: {out:?}"
        );
    }
    let out = shown(
        &["show", "alpha", "--color", "always"],
        &[("NO_COLOR", "1")],
    );
    assert!(out.contains("\x1b["), "{out:?}");
}

#[test]
fn term_dumb_on_a_terminal_turns_colour_off_and_color_always_wins() {
    for args in COMMANDS {
        let out = shown(args, &[("TERM", "dumb")]);
        assert!(!out.contains('\x1b'), "{args:?}: {out:?}");
        assert!(
            out.contains("Alpha") || out.contains("Beta"),
            "{args:?}: {out:?}"
        );
    }
    let out = shown(&["show", "alpha", "--color", "always"], &[("TERM", "dumb")]);
    assert!(out.contains("\x1b["), "{out:?}");
    // The same text as NO_COLOR gives: only the styling differs.
    assert_eq!(
        shown(&["show", "alpha"], &[("TERM", "dumb")]),
        shown(&["show", "alpha"], &[("NO_COLOR", "1")])
    );
}

/// Markdown is one document, on a terminal as in a pipe: `list` once left its
/// summaries out on a terminal.
#[test]
fn markdown_is_the_same_on_a_terminal_as_in_a_pipe() {
    let dir = fixture("basic").display().to_string();
    for args in [
        ["list", "--format", "markdown"],
        ["glossary", "--format", "markdown"],
    ] {
        let on_terminal = shown(&args, &[]);
        let piped = common::otpic()
            .args(["--entries", &dir])
            .args(args)
            .args(["--no-pager", "--width", "60"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let piped = String::from_utf8_lossy(&piped.stdout);
        assert!(
            piped.contains("The first approach of the fixture"),
            "{piped}"
        );
        assert_eq!(on_terminal, piped, "{args:?}");
    }
}
