//! Making text from entries and queries safe to print on a terminal.
//!
//! Entry files and queries are user input. Control characters (including the ESC
//! that starts ANSI and OSC sequences) and Unicode bidirectional overrides must
//! never reach the terminal raw: they are replaced by a visible escape such as
//! `\u{1b}`. Invisible format characters that can hide or smuggle text (zero-width
//! spaces and joiners, word joiners and invisible operators, the byte-order mark,
//! Unicode tag characters) are removed, as fd does. Newlines are kept where the
//! text is multi-line, and tabs become spaces.

use std::borrow::Cow;

/// Whether `c` must not be printed raw: C0 and C1 controls (except `\n` and
/// `\t`, handled by the callers), DEL, bidi embeddings, overrides and isolates,
/// and the zero-width marks that can reorder or hide text.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

/// Whether `c` is an invisible format character that is dropped: U+200B–U+200D
/// (zero-width space, non-joiner, joiner), U+2060–U+2065 and U+206A–U+206F (word
/// joiner, invisible operators, deprecated format controls), the byte-order mark
/// U+FEFF and the tag characters U+E0000–U+E007F. The bidi marks in the same
/// blocks (U+200E, U+200F, U+2066–U+2069) are escaped by [`is_unsafe`] instead, so
/// that a reader sees where they were.
pub fn is_dropped(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2065}' | '\u{206a}'..='\u{206f}' | '\u{feff}' | '\u{e0000}'..='\u{e007f}')
}

/// Whether every byte of `text` is printable ASCII (space to `~`): such text is
/// safe as it is, and checking bytes is several times faster than decoding
/// characters (ids and titles, printed by the hundred thousand by `list`).
fn is_plain(text: &str, newlines: bool) -> bool {
    text.bytes()
        .all(|b| (b' '..=b'~').contains(&b) || (newlines && b == b'\n'))
}

/// Text for one line: unsafe characters escaped, newlines and tabs turned into spaces.
pub fn line(text: &str) -> Cow<'_, str> {
    if is_plain(text, false)
        || !text
            .chars()
            .any(|c| is_unsafe(c) || is_dropped(c) || c == '\n' || c == '\t' || c == '\r')
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' | '\r' => out.push(' '),
            c if is_dropped(c) => {}
            c if is_unsafe(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Multi-line text: unsafe characters escaped, newlines kept, tabs made spaces.
pub fn block(text: &str) -> Cow<'_, str> {
    if is_plain(text, true)
        || !text
            .chars()
            .any(|c| is_unsafe(c) || is_dropped(c) || c == '\t' || c == '\r')
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("    "),
            '\r' => {}
            c if is_dropped(c) => {}
            c if is_unsafe(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    out.push_str(&format!("\\u{{{:x}}}", c as u32));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The printable-ASCII shortcut takes exactly the text the character check
    /// would leave as it is: every ASCII byte, alone and inside plain text.
    #[test]
    fn the_ascii_shortcut_agrees_with_the_character_check() {
        for b in 0u8..=127 {
            let c = char::from(b);
            for text in [c.to_string(), format!("ab{c}cd")] {
                let line_kept = !text
                    .chars()
                    .any(|c| is_unsafe(c) || is_dropped(c) || matches!(c, '\n' | '\t' | '\r'));
                let block_kept = !text
                    .chars()
                    .any(|c| is_unsafe(c) || is_dropped(c) || matches!(c, '\t' | '\r'));
                assert_eq!(matches!(line(&text), Cow::Borrowed(_)), line_kept, "{b}");
                assert_eq!(matches!(block(&text), Cow::Borrowed(_)), block_kept, "{b}");
                if is_plain(&text, false) {
                    assert!(line_kept, "{b}");
                }
                if is_plain(&text, true) {
                    assert!(block_kept, "{b}");
                }
            }
        }
        // The shortcut is taken where it can be (it only saves time, so only
        // this says that it is).
        assert!(is_plain("Collective security (UN, 1945) ~", false));
        assert!(is_plain("two\nlines", true) && !is_plain("two\nlines", false));
        assert!(!is_plain("caf\u{e9}", true) && !is_plain("a\tb", true));
        assert_eq!(line("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(block("a\nb\u{7f}"), "a\nb\\u{7f}");
    }

    #[test]
    fn ansi_and_osc_sequences_are_escaped() {
        assert_eq!(line("a\x1b[31mred"), "a\\u{1b}[31mred");
        assert_eq!(
            line("\x1b]8;;http://x\x07link"),
            "\\u{1b}]8;;http://x\\u{7}link"
        );
    }

    #[test]
    fn bidi_overrides_are_escaped() {
        assert_eq!(line("abc\u{202e}def"), "abc\\u{202e}def");
        assert_eq!(block("x\u{2067}y"), "x\\u{2067}y");
    }

    #[test]
    fn newlines_are_kept_in_blocks_and_flattened_in_lines() {
        assert_eq!(block("a\nb\tc\r"), "a\nb    c");
        assert_eq!(line("a\nb\tc"), "a b c");
    }

    #[test]
    fn zero_width_characters_the_bom_and_tag_characters_are_removed() {
        for c in [
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{2060}',
            '\u{2064}',
            '\u{206a}',
            '\u{206f}',
            '\u{feff}',
            '\u{e0000}',
            '\u{e0041}',
            '\u{e007f}',
        ] {
            let text = format!("se{c}cur{c}ity");
            assert_eq!(line(&text), "security", "U+{:04X}", c as u32);
            assert_eq!(
                block(&format!("{text}\n{c}")),
                "security\n",
                "U+{:04X}",
                c as u32
            );
        }
        // The bidi marks inside those blocks stay visible, escaped.
        assert_eq!(line("a\u{200e}b\u{2066}c"), "a\\u{200e}b\\u{2066}c");
        // Neighbours of the ranges are ordinary text.
        assert_eq!(
            line("\u{200a}\u{2010}\u{e0080}"),
            "\u{200a}\u{2010}\u{e0080}"
        );
    }

    #[test]
    fn a_tab_alone_is_replaced_too() {
        // No other character here sends the text down the slow path.
        assert_eq!(line("a\tb"), "a b");
        assert_eq!(block("a\tb"), "a    b");
        assert_eq!(line("a\nb"), "a b");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            line("Collective Security — 集体安全"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            block("Collective Security\n— 集体安全"),
            Cow::Borrowed(_)
        ));
    }
}
