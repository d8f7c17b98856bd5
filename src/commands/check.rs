//! `otpic check`: report every problem in the knowledge base; exit 1 on errors.

use crate::diagnostic::Diagnostic;
use crate::env::Format;
use crate::error::{Error, Result};
use crate::kb::KnowledgeBase;
use crate::settings::Settings;
use serde::Serialize;
use std::io::Write;

pub fn run<O: Write + ?Sized>(
    kb: &KnowledgeBase,
    settings: &Settings,
    strict: bool,
    out: &mut O,
) -> Result<u8> {
    let found = crate::check::check(kb);
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
                kb.entries.len(),
                if kb.entries.len() == 1 { "y" } else { "ies" },
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
