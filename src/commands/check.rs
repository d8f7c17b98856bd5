//! `otpic check`: report every problem in the knowledge base; exit 1 on errors.
//!
//! It reads the knowledge base through the index (names, links, backlinks) and
//! parses the entries one at a time, so that its memory does not grow with them.

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
    let found = crate::check::check_index(kb);
    let (errors, warnings): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        found.iter().partition(|d| d.is_error());
    match settings.format {
        Format::Markdown => return Err(super::no_markdown("check")),
        Format::Json => crate::json::write(
            out,
            &Report {
                errors: &errors,
                warnings: &warnings,
            },
        )?,
        Format::Text => {
            let style = &settings.style;
            for d in &found {
                let line = d.to_string();
                let line = if d.is_error() {
                    line.replacen(": error:", &format!(": {}:", style.warn("error")), 1)
                } else {
                    line
                };
                writeln!(out, "{line}")?;
            }
            writeln!(
                out,
                "{} entr{} checked: {} error{}, {} warning{}",
                kb.len(),
                if kb.len() == 1 { "y" } else { "ies" },
                errors.len(),
                if errors.len() == 1 { "" } else { "s" },
                warnings.len(),
                if warnings.len() == 1 { "" } else { "s" }
            )?;
        }
    }
    if errors.is_empty() && (!strict || warnings.is_empty()) {
        Ok(0)
    } else {
        Err(Error::CheckFailed {
            errors: errors.len(),
            warnings: if strict { warnings.len() } else { 0 },
        })
    }
}

#[derive(Serialize)]
struct Report<'a> {
    errors: &'a [&'a Diagnostic],
    warnings: &'a [&'a Diagnostic],
}
