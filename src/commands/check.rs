//! `otpic check`: report every problem in the knowledge base; exit 1 on errors.
//!
//! It reads the knowledge base through the index (names, links, backlinks) and
//! parses the entries one at a time, so that its memory does not grow with them;
//! the text report is printed file by file as [`crate::check::check_index_each`]
//! hands it over (the JSON report, two lists, is still gathered first).

use crate::diagnostic::Diagnostic;
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
            let style = &settings.style;
            let (mut errors, mut warnings) = (0usize, 0usize);
            crate::check::check_index_each(kb, |d| -> Result<()> {
                let line = d.to_string();
                if d.is_error() {
                    errors += 1;
                    let line = line.replacen(": error:", &format!(": {}:", style.warn("error")), 1);
                    writeln!(out, "{line}")?;
                } else {
                    warnings += 1;
                    writeln!(out, "{line}")?;
                }
                Ok(())
            })?;
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

#[derive(Serialize)]
struct Report<'a> {
    errors: &'a [Diagnostic],
    warnings: &'a [Diagnostic],
}
