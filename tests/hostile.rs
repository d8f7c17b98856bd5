//! Hostile text in entries never reaches the terminal raw, in any command or format.

mod common;
use common::{kb, run};

/// Sequences planted in tests/fixtures/hostile/evil.toml.
const PLANTED: &[&str] = &[
    "\x1b[31m",
    "\x1b[2J",
    "\x1b[H",
    "\x1b]8",
    "\x1b[5m",
    "\x1b[1m bold",
    "\u{202e}",
    "\u{202c}",
    "\x07",
    "\u{9b}",
    "\u{200b}",
    "\u{2060}",
    "\u{feff}",
    "\u{e0041}",
];

#[test]
fn no_planted_sequence_survives_in_any_command_format_or_color() {
    let commands: &[&[&str]] = &[
        &["show", "evil"],
        &["related", "evil"],
        &["list"],
        &["glossary"],
        &["search", "screen"],
        &["search", "evil"],
        &["check"],
        &["show", "Evil \x1b[31mRed\x1b[0m Title"],
    ];
    for args in commands {
        for format in ["text", "json"] {
            for color in ["never", "always"] {
                let (_, stdout, stderr) = run(kb("hostile")
                    .args(*args)
                    .args(["--format", format, "--color", color]));
                for seq in PLANTED {
                    assert!(
                        !stdout.contains(seq),
                        "{args:?} {format} {color}: stdout has {seq:?}: {stdout:?}"
                    );
                    assert!(
                        !stderr.contains(seq),
                        "{args:?} {format} {color}: stderr has {seq:?}: {stderr:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn text_shows_the_sequences_escaped_and_json_keeps_them_exactly() {
    let (_, stdout, _) = run(kb("hostile").args(["show", "evil"]));
    assert!(
        stdout.starts_with("Evil \\u{1b}[31mRed\\u{1b}[0m Title\n"),
        "{stdout:?}"
    );
    assert!(stdout.contains("bidi \\u{202e} reversed"), "{stdout:?}");
    let (_, stdout, _) = run(kb("hostile").args(["show", "evil", "--format", "json"]));
    assert!(
        stdout.contains(r#""title": "Evil \u001b[31mRed\u001b[0m Title""#),
        "{stdout}"
    );
    assert!(stdout.contains(r"bidi \u202e reversed"), "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_default();
    assert_eq!(v["title"], "Evil \x1b[31mRed\x1b[0m Title");
}

#[test]
fn a_hostile_entries_path_is_escaped_in_the_error() {
    let (code, _, stderr) = run(common::otpic().args(["--entries", "/no/\x1b[2Jdir", "list"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("/no/\\u{1b}[2Jdir"), "{stderr:?}");
}
