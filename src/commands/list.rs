//! `otpic list`: every entry; grouped by kind on a terminal, one `id<TAB>title` line per entry in a pipe.

use crate::cli::Format;
use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::json::Brief;
use crate::kb::KnowledgeBase;
use crate::sanitize;
use crate::settings::Settings;
use crate::style;
use std::io::Write;

/// The old site's menu order; other kinds follow alphabetically.
const KIND_ORDER: &[&str] = &["approach", "problem", "concept", "organization", "case"];

pub fn run<O: Write + ?Sized>(
    kb: &KnowledgeBase,
    settings: &Settings,
    kind: Option<&str>,
    tag: Option<&str>,
    out: &mut O,
) -> Result<u8> {
    let kind = kind.map(|k| k.trim().to_lowercase());
    let tag = tag.map(|t| t.trim().to_lowercase());
    let selected: Vec<&Entry> = kb
        .entries
        .iter()
        .filter(|e| {
            kind.as_ref()
                .is_none_or(|k| e.kind == *k || format!("{}s", e.kind) == *k)
        })
        .filter(|e| tag.as_ref().is_none_or(|t| e.tags.contains(t)))
        .collect();
    if selected.is_empty() && (kind.is_some() || tag.is_some()) {
        let mut what = Vec::new();
        if let Some(k) = &kind {
            what.push(format!("of kind \"{k}\""));
        }
        if let Some(t) = &tag {
            what.push(format!("tagged \"{t}\""));
        }
        return Err(Error::NothingFound(format!(
            "no entries {}",
            what.join(" and ")
        )));
    }
    match settings.format {
        Format::Json => crate::json::write(
            out,
            &selected.iter().map(|e| Brief::from(*e)).collect::<Vec<_>>(),
        )?,
        Format::Markdown => {
            let groups: Vec<(String, Vec<&Entry>)> = groups(&selected)
                .into_iter()
                .map(|(kind, group)| (plural(kind), group))
                .collect();
            out.write_all(crate::export::grouped(&groups).as_bytes())?
        }
        Format::Text if settings.terminal => grouped(&selected, settings, out)?,
        Format::Text => {
            for e in &selected {
                writeln!(
                    out,
                    "{}\t{}",
                    sanitize::line(&e.id),
                    sanitize::line(&e.title)
                )?;
            }
        }
    }
    Ok(0)
}

/// The entries by kind, in the old site's menu order, each group sorted by title.
fn groups<'a>(entries: &[&'a Entry]) -> Vec<(&'a str, Vec<&'a Entry>)> {
    let mut kinds: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
    kinds.sort_by_key(|k| {
        (
            KIND_ORDER
                .iter()
                .position(|o| o == k)
                .unwrap_or(KIND_ORDER.len()),
            *k,
        )
    });
    kinds.dedup();
    kinds
        .into_iter()
        .map(|kind| {
            let mut group: Vec<&Entry> =
                entries.iter().copied().filter(|e| e.kind == kind).collect();
            group.sort_by_key(|e| e.title.to_lowercase());
            (kind, group)
        })
        .collect()
}

fn grouped<O: Write + ?Sized>(entries: &[&Entry], settings: &Settings, out: &mut O) -> Result<()> {
    let style = &settings.style;
    // One column for ids across all groups, like a menu.
    let column = entries
        .iter()
        .map(|e| style::columns(&sanitize::line(&e.title)))
        .max()
        .unwrap_or(0)
        .min(48);
    for (n, (kind, group)) in groups(entries).into_iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{} {}",
            style.heading(&plural(kind)),
            style.dim(&format!("({})", group.len()))
        )?;
        for e in group {
            let title = sanitize::line(&e.title);
            let padded = style::pad(&title, column);
            writeln!(
                out,
                "  {}  {}",
                style.strong(&padded),
                style.id(&sanitize::line(&e.id))
            )?;
        }
    }
    Ok(())
}

/// "approach" → "Approaches", "case" → "Cases".
fn plural(kind: &str) -> String {
    let mut chars = kind.chars();
    let cap: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if cap.ends_with("ch") || cap.ends_with('s') || cap.ends_with('x') {
        format!("{cap}es")
    } else if cap.ends_with('y') && !cap.ends_with("ey") {
        format!("{}ies", &cap[..cap.len() - 1])
    } else {
        format!("{cap}s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn kinds_are_pluralized_for_headings() {
        assert_eq!(super::plural("approach"), "Approaches");
        assert_eq!(super::plural("case"), "Cases");
        assert_eq!(super::plural("strategy"), "Strategies");
    }
}
