//! Turning Markdown (an entry's definition) into terminal text with termimad,
//! plain or styled.
//!
//! termimad never checks for a pipe and its `print_*` functions panic on a closed
//! one, so otpic only asks it for text and writes that itself. Plain output uses a
//! skin with no styles at all, and any escape sequence left over is stripped, so a
//! pipe never receives one.

use crate::inline_links::links;
use crate::style::Style;
use termimad::crossterm::style::{Attribute, Color};
use termimad::{Alignment, CompoundStyle, MadSkin};

/// Renders Markdown to lines of text at the style's width, with no trailing spaces.
pub fn render(markdown: &str, style: &Style) -> String {
    let skin = skin(style);
    let markdown = reflow(&links(markdown, |text, url| {
        if text == url {
            url.to_owned()
        } else {
            format!("{text} ({url})")
        }
    }));
    let text = skin.text(&markdown, Some(style.width)).to_string();
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = if style.color {
            trim_styled_end(line)
        } else {
            strip_escapes(line).trim_end().to_owned()
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Joins the lines of each paragraph, as Markdown does: termimad would otherwise
/// keep an entry file's line breaks. Lines that start a list item, heading, quote,
/// table row or code block keep their own line; fenced code is left alone.
pub fn reflow(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_fence = false;
    let mut joinable = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_fence = !in_fence;
            out.push_str(line);
            out.push('\n');
            joinable = false;
            continue;
        }
        if in_fence || trimmed.is_empty() {
            out.push_str(line);
            out.push('\n');
            joinable = false;
            continue;
        }
        let starts_block = line.starts_with("    ")
            || trimmed.starts_with(['#', '>', '|', '-', '*', '+'])
            || trimmed
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if joinable && !starts_block {
            out.pop();
            out.push(' ');
            out.push_str(trimmed);
        } else {
            out.push_str(line);
        }
        out.push('\n');
        joinable = !line.starts_with("    ") && !trimmed.starts_with(['#', '|']);
    }
    out
}

fn skin(style: &Style) -> MadSkin {
    let mut skin = if style.color {
        let mut skin = MadSkin::default();
        skin.set_headers_fg(Color::Cyan);
        // Bold and italic as attributes in the terminal's own foreground,
        // readable on light and dark backgrounds alike.
        skin.bold = CompoundStyle::with_attr(Attribute::Bold);
        skin.italic = CompoundStyle::with_attr(Attribute::Italic);
        skin.inline_code.set_fg(Color::Green);
        skin.inline_code.set_bg(Color::Reset);
        skin
    } else {
        let mut skin = MadSkin::no_style();
        skin.bullet = termimad::StyledChar::nude('-');
        skin.quote_mark = termimad::StyledChar::nude('|');
        skin
    };
    for header in &mut skin.headers {
        header.align = Alignment::Left;
    }
    skin
}

/// Escapes text so that termimad shows it as written, not as Markdown.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '~' | '|' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Removes trailing spaces that termimad leaves before a final reset sequence.
fn trim_styled_end(line: &str) -> String {
    let mut line = line.trim_end().to_owned();
    while line.ends_with("\u{1b}[0m") {
        let body = line[..line.len() - 4].trim_end_matches(' ');
        if body.len() == line.len() - 4 {
            break;
        }
        line = format!("{body}\u{1b}[0m");
    }
    line
}

/// Removes ANSI escape sequences (CSI `ESC [ … letter` and two-byte ones).
pub fn strip_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            chars.next();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_rendering_has_no_escape_sequences() {
        let md = "# Title\n\nSome **bold** and *italic* and `code`.\n\n* a bullet\n";
        let text = render(
            md,
            &Style {
                color: false,
                width: 40,
            },
        );
        assert!(!text.contains('\u{1b}'), "{text:?}");
        assert!(text.starts_with("Title\n"), "{text:?}");
        assert!(text.contains("- a bullet"), "{text:?}");
    }

    #[test]
    fn styled_rendering_has_escape_sequences() {
        let text = render(
            "Some **bold**.",
            &Style {
                color: true,
                width: 40,
            },
        );
        assert!(text.contains('\u{1b}'));
    }

    #[test]
    fn paragraph_lines_are_joined_but_list_items_and_headings_are_not() {
        let md = "one\ntwo\n\n- a\n  more a\n- b\n# H\ntext\n```\nx\ny\n```\n";
        assert_eq!(
            reflow(md),
            "one two\n\n- a more a\n- b\n# H\ntext\n```\nx\ny\n```\n"
        );
    }

    #[test]
    fn inline_links_render_as_text_and_address() {
        let text = render(
            "See [the UN site](https://un.org/x) or <https://example.org>; [not] (a link).",
            &Style {
                color: false,
                width: 100,
            },
        );
        assert_eq!(
            text,
            "See the UN site (https://un.org/x) or https://example.org; [not] (a link).\n"
        );
    }

    #[test]
    fn bold_and_italic_keep_the_terminals_own_color() {
        let text = render(
            "**bold** *it*",
            &Style {
                color: true,
                width: 40,
            },
        );
        // Attributes only: no foreground color (30–37, 38;…, 90–97) is forced.
        let codes: Vec<&str> = text
            .split("\u{1b}[")
            .skip(1)
            .filter_map(|s| s.split('m').next())
            .collect();
        assert!(
            codes.iter().all(|c| c
                .split(';')
                .filter_map(|n| n.parse::<u32>().ok())
                .all(|n| !(30..=38).contains(&n) && !(90..=97).contains(&n))),
            "{codes:?} in {text:?}"
        );
    }

    #[test]
    fn escaped_text_renders_literally() {
        let text = render(
            &escape("a *b* `c` | d \\ e"),
            &Style {
                color: false,
                width: 40,
            },
        );
        assert_eq!(text, "a *b* `c` | d \\ e\n");
    }

    #[test]
    fn lines_fit_the_width_and_have_no_trailing_spaces() {
        let md = "word ".repeat(50);
        let text = render(
            &md,
            &Style {
                color: false,
                width: 30,
            },
        );
        for line in text.lines() {
            assert!(
                crate::style::columns(line) <= 30 && !line.ends_with(' '),
                "{line:?}"
            );
        }
    }
}
