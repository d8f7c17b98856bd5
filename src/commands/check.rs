//! `otpic check`: report every problem in the knowledge base; exit 1 on errors.
//!
//! It reads the knowledge base through the index (names, links, backlinks) and
//! parses the entries one at a time, so that its memory does not grow with them;
//! the text report is printed file by file as [`crate::check::check_index_each`]
//! hands it over (the JSON report, two lists, is still gathered first).

use crate::diagnostic::{Diagnostic, Position};
use crate::env::Format;
use crate::error::{Error, Result};
use crate::index::{Index, Part};
use crate::settings::Settings;
use serde::Serialize;
use std::io::Write;

/// The parts of the index `check` reads.
pub const PARTS: &[Part] = &[Part::Names, Part::Links, Part::Backlinks];

pub fn run<O: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    strict: bool,
    out: &mut O,
) -> Result<u8> {
    let (errors, warnings) = match settings.format {
        Format::Markdown => return Err(super::no_markdown("check")),
        Format::Json => {
            let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
                crate::check::check_index(kb)
                    .into_iter()
                    .partition(Diagnostic::is_error);
            crate::json::write(
                out,
                &Report {
                    errors: &errors,
                    warnings: &warnings,
                },
            )?;
            (errors.len(), warnings.len())
        }
        Format::Text => {
            // Each problem is printed as soon as its file's turn comes: the
            // problems are never all held at once.
            let mut text = Text {
                out: &mut *out,
                style: &settings.style,
                errors: 0,
                warnings: 0,
            };
            crate::check::check_index_each(kb, &mut text)?;
            let (errors, warnings) = (text.errors, text.warnings);
            writeln!(
                out,
                "{} entr{} checked: {} error{}, {} warning{}",
                kb.len(),
                if kb.len() == 1 { "y" } else { "ies" },
                errors,
                if errors == 1 { "" } else { "s" },
                warnings,
                if warnings == 1 { "" } else { "s" }
            )?;
            (errors, warnings)
        }
    };
    if errors == 0 && (!strict || warnings == 0) {
        Ok(0)
    } else {
        Err(Error::CheckFailed {
            errors,
            warnings: if strict { warnings } else { 0 },
        })
    }
}

/// The text report: a line per problem, written as it comes, and the counts.
struct Text<'a, O: Write + ?Sized> {
    out: &'a mut O,
    style: &'a crate::style::Style,
    errors: usize,
    warnings: usize,
}

impl<O: Write + ?Sized> crate::check::Report for Text<'_, O> {
    type Error = Error;

    fn problem(&mut self, d: Diagnostic) -> Result<()> {
        if d.is_error() {
            self.errors += 1;
            let line = d.to_string();
            let line = line.replacen(": error:", &format!(": {}:", self.style.warn("error")), 1);
            writeln!(self.out, "{line}")?;
        } else {
            self.warnings += 1;
            writeln!(self.out, "{d}")?;
        }
        Ok(())
    }

    /// As [`Diagnostic`]'s `Display` writes the warning, without making it first.
    fn one_way(&mut self, file: &str, at: Option<Position>, from: &str, to: &str) -> Result<()> {
        use crate::sanitize::line;
        self.warnings += 1;
        let file = line(file);
        match at {
            Some(Position { line, column }) => write!(self.out, "{file}:{line}:{column}: ")?,
            None => write!(self.out, "{file}: ")?,
        }
        writeln!(
            self.out,
            "warning: one-way link: \"{}\" links to \"{}\", which does not link back",
            line(from),
            line(to)
        )?;
        Ok(())
    }
}

#[derive(Serialize)]
struct Report<'a> {
    errors: &'a [Diagnostic],
    warnings: &'a [Diagnostic],
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly
mod tests {
    use super::*;
    use crate::check::Report as _;

    /// The text report writes a one-way link exactly as the warning's `Display`
    /// does, control characters in names and unknown positions included.
    #[test]
    fn one_way_lines_are_the_warnings_display() {
        let style = crate::style::Style {
            color: false,
            width: 80,
        };
        let cases = [
            ("kb/a.toml", Some((3, 7)), "a", "b"),
            ("kb/a.toml", None, "a", "b-c"),
            (
                "kb/tab\there\u{1b}[31m.toml",
                Some((1, 1)),
                "x\ny",
                "z\u{7}",
            ),
        ];
        for (file, at, from, to) in cases {
            let at = at.map(|(line, column)| Position { line, column });
            let mut out = Vec::new();
            let mut text = Text {
                out: &mut out,
                style: &style,
                errors: 0,
                warnings: 0,
            };
            text.one_way(file, at, from, to).unwrap();
            assert_eq!(text.warnings, 1);
            let expected = format!("{}\n", crate::check::one_way(file, at, from, to));
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }
}
