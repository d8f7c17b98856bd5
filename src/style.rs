//! Color and width, decided once, and the small set of styles and wrapping the views use.
//!
//! When `color` is false nothing here emits an escape sequence.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const RESET: &str = "\x1b[0m";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{code}m{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    /// Section headings and group names.
    pub fn heading(&self, text: &str) -> String {
        self.paint("1;36", text)
    }

    /// Titles.
    pub fn strong(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Secondary text: kinds, counts, unresolved markers.
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    /// Ids, the names a reader types next.
    pub fn id(&self, text: &str) -> String {
        self.paint("32", text)
    }

    /// Matched words in search snippets.
    pub fn mark(&self, text: &str) -> String {
        self.paint("1;33", text)
    }

    /// Notes about the output itself ("showing X, the closest match for Y"):
    /// italic, in the terminal's own color.
    pub fn note(&self, text: &str) -> String {
        text.lines()
            .map(|line| self.paint("3", line))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Errors and warnings.
    pub fn warn(&self, text: &str) -> String {
        self.paint("33", text)
    }
}

/// The number of terminal columns `text` takes (wide characters count as two).
pub fn columns(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Pads `text` with spaces to `width` columns.
pub fn pad(text: &str, width: usize) -> String {
    let used = columns(text);
    let mut out = text.to_owned();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// What a piece of text is, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    Plain,
    Strong,
    Dim,
    Id,
    Heading,
    Warn,
}

impl Style {
    /// `text` styled as `paint`.
    pub fn painted(&self, paint: Paint, text: &str) -> String {
        match paint {
            Paint::Plain => text.to_owned(),
            Paint::Strong => self.strong(text),
            Paint::Dim => self.dim(text),
            Paint::Id => self.id(text),
            Paint::Heading => self.heading(text),
            Paint::Warn => self.warn(text),
        }
    }

    /// Word-wraps styled spans to this style's width (see [`wrap_spans`]).
    pub fn wrap(&self, spans: &[(&str, Paint)], first: &str, rest: &str) -> Vec<String> {
        wrap_spans(spans, self.width, first, rest)
            .into_iter()
            .map(|words| {
                // Consecutive words of one paint are styled as one run.
                let mut line = String::new();
                let mut run: Option<(Paint, String)> = None;
                for (word, paint, indent) in words {
                    if indent {
                        line.push_str(&word);
                        continue;
                    }
                    match &mut run {
                        Some((p, text)) if *p == paint => {
                            text.push(' ');
                            text.push_str(&word);
                        }
                        _ => {
                            if let Some((p, text)) = run.take() {
                                line.push_str(&self.painted(p, &text));
                                line.push(' ');
                            }
                            run = Some((paint, word));
                        }
                    }
                }
                if let Some((p, text)) = run {
                    line.push_str(&self.painted(p, &text));
                }
                line
            })
            .collect()
    }
}

/// Word-wraps `text` to `width` columns: the first line starts with `first`, the
/// others with `rest`. No line ends in a space.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    Style {
        color: false,
        width,
    }
    .wrap(&[(text, Paint::Plain)], first, rest)
}

type Line = Vec<(String, Paint, bool)>;

/// Splits styled spans into lines of words. Each line starts with its indent (marked
/// `true`); words longer than a line are broken, except URLs and ids, which a
/// reader copies whole, so they may overflow.
fn wrap_spans(spans: &[(&str, Paint)], width: usize, first: &str, rest: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut line: Line = vec![(first.to_owned(), Paint::Plain, true)];
    let mut used = columns(first);
    let mut empty = true;
    let limit = |indent: &str| width.max(columns(indent) + 10);
    for &(text, paint) in spans {
        for word in text.split_whitespace() {
            let len = columns(word);
            let max = limit(if lines.is_empty() { first } else { rest });
            if !empty && used + 1 + len > max {
                lines.push(std::mem::replace(
                    &mut line,
                    vec![(rest.to_owned(), Paint::Plain, true)],
                ));
                used = columns(rest);
                empty = true;
            }
            // URLs and ids (also dimmed ones, as "(id)" in the glossary) are
            // copied whole: they may overflow, never break.
            if used + len > max && !word.contains("://") && !matches!(paint, Paint::Id | Paint::Dim)
            {
                let mut piece = String::new();
                for c in word.chars() {
                    let w = UnicodeWidthChar::width(c).unwrap_or(0);
                    if used + w > limit(rest) && !(empty && piece.is_empty()) {
                        line.push((std::mem::take(&mut piece), paint, false));
                        lines.push(std::mem::replace(
                            &mut line,
                            vec![(rest.to_owned(), Paint::Plain, true)],
                        ));
                        used = columns(rest);
                        empty = true;
                    }
                    piece.push(c);
                    used += w;
                }
                line.push((piece, paint, false));
                empty = false;
                continue;
            }
            if !empty {
                used += 1;
            }
            line.push((word.to_owned(), paint, false));
            used += len;
            empty = false;
        }
    }
    if !empty || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_style_emits_no_escapes() {
        let s = Style {
            color: false,
            width: 80,
        };
        assert_eq!(
            s.heading("a") + &s.strong("b") + &s.dim("c") + &s.mark("d"),
            "abcd"
        );
    }

    #[test]
    fn wraps_at_the_width_with_hanging_indent() {
        let lines = wrap("one two three four five six", 12, "- ", "  ");
        assert_eq!(lines, ["- one two", "  three four", "  five six"]);
        assert!(lines.iter().all(|l| columns(l) <= 12));
    }

    #[test]
    fn wide_characters_count_as_two_columns() {
        let lines = wrap("集体安全 集体安全 集体安全", 20, "", "");
        assert_eq!(lines, ["集体安全 集体安全", "集体安全"]);
        assert!(lines.iter().all(|l| columns(l) <= 20));
    }

    #[test]
    fn urls_are_never_broken() {
        let url = "http://www.colorado.edu/conflict/peace/treatment/collsec.htm";
        let lines = wrap(&format!("see {url} now"), 20, "", "");
        assert_eq!(lines, ["see", url, "now"]);
    }

    #[test]
    fn ids_are_never_broken() {
        let style = Style {
            color: false,
            width: 20,
        };
        let lines = style.wrap(
            &[
                ("Countering", Paint::Strong),
                ("countering-violent-extremism", Paint::Id),
            ],
            "",
            "  ",
        );
        assert_eq!(lines, ["Countering", "  countering-violent-extremism"]);
    }

    #[test]
    fn spans_keep_their_style_across_lines() {
        let style = Style {
            color: true,
            width: 14,
        };
        let lines = style.wrap(
            &[("Peace Zones", Paint::Strong), ("peace-zones", Paint::Id)],
            "- ",
            "  ",
        );
        assert_eq!(
            lines,
            [
                "- \x1b[1mPeace Zones\x1b[0m",
                "  \x1b[32mpeace-zones\x1b[0m"
            ]
        );
    }

    #[test]
    fn overlong_words_are_broken() {
        let lines = wrap(&"x".repeat(25), 10, "", "");
        assert_eq!(lines, ["xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"]);
    }
}
