//! Making text from entries and queries safe to print on a terminal.
//!
//! Entry files and queries are user input. Control characters (including the ESC
//! that starts ANSI and OSC sequences) and Unicode bidirectional overrides must
//! never reach the terminal raw: they are replaced by a visible escape such as
//! `\u{1b}`. Newlines are kept where the text is multi-line, and tabs become spaces.

use std::borrow::Cow;

/// Whether `c` must not be printed raw: C0 and C1 controls (except `\n` and
/// `\t`, handled by the callers), DEL, bidi embeddings, overrides and isolates,
/// and the zero-width marks that can reorder or hide text.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

/// Text for one line: unsafe characters escaped, newlines and tabs turned into spaces.
pub fn line(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| is_unsafe(c) || c == '\n' || c == '\t' || c == '\r')
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' | '\r' => out.push(' '),
            c if is_unsafe(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Multi-line text: unsafe characters escaped, newlines kept, tabs made spaces.
pub fn block(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) || c == '\t' || c == '\r') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("    "),
            '\r' => {}
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
    fn plain_text_is_borrowed() {
        assert!(matches!(
            line("Collective Security — 集体安全"),
            Cow::Borrowed(_)
        ));
    }
}
