//! Problems found while loading or checking a knowledge base, with where they are.

use serde::Serialize;
use std::fmt;

/// How bad a problem is: errors fail `otpic check`, warnings only inform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, pointing at a file and, where known, a line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    #[serde(skip)]
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(
        file: impl Into<String>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, file, position, message)
    }

    pub fn warning(
        file: impl Into<String>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, file, position, message)
    }

    fn new(
        severity: Severity,
        file: impl Into<String>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line: position.map(|p| p.line),
            column: position.map(|p| p.column),
            severity,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order `check` reports in: by file, then line and column, errors first.
    pub fn sort_key(&self) -> (&str, usize, usize, Severity, &str) {
        (
            &self.file,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity,
            &self.message,
        )
    }
}

/// `file:line:column: error: message`, or `file: error: message` when the line is unknown.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = crate::sanitize::line(&self.file);
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{file}:{line}:{column}: ")?,
            (Some(line), None) => write!(f, "{file}:{line}: ")?,
            _ => write!(f, "{file}: ")?,
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}: {}", crate::sanitize::line(&self.message))
    }
}

/// A 1-based line and column in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text`; the column counts characters.
    pub fn at(text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let mut start = offset;
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let before = &text[..start];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Position { line, column }
    }
}

/// Positions of many offsets in one text, as [`Position::at`] gives them, with
/// the lines found once (an entry locates every field it keeps: asking
/// [`Position::at`] for each would read the text again each time).
pub struct Lines<'a> {
    text: &'a str,
    /// Where each line starts.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The position of byte `offset`, as [`Position::at`] gives it.
    pub fn at(&self, offset: usize) -> Position {
        let mut start = offset.min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= start);
        let line_start = self.starts[line.saturating_sub(1)];
        let column = self.text[line_start..start].chars().count() + 1;
        Position { line, column }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_give_every_offset_the_position_position_at_gives() {
        for text in [
            "",
            "\n",
            "a = 1\nété = 2\n\n  x",
            "no newline",
            "\n\nab\u{1F600}c\n",
        ] {
            let lines = Lines::new(text);
            for offset in 0..text.len() + 3 {
                assert_eq!(
                    lines.at(offset),
                    Position::at(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "a = 1\nété = 2\n";
        assert_eq!(Position::at(text, 0), Position { line: 1, column: 1 });
        assert_eq!(Position::at(text, 6), Position { line: 2, column: 1 });
        assert_eq!(
            Position::at(text, text.find('=').unwrap_or(0)),
            Position { line: 1, column: 3 }
        );
        let second = text.rfind('=').unwrap_or(0);
        assert_eq!(Position::at(text, second), Position { line: 2, column: 5 });
    }

    #[test]
    fn display_names_file_line_and_column() {
        let d = Diagnostic::error(
            "entries/a.toml",
            Some(Position {
                line: 3,
                column: 12,
            }),
            "expected a string",
        );
        assert_eq!(
            d.to_string(),
            "entries/a.toml:3:12: error: expected a string"
        );
        let d = Diagnostic::warning("entries/a.toml", None, "missing field");
        assert_eq!(d.to_string(), "entries/a.toml: warning: missing field");
    }
}
