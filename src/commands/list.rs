//! `otpic list`: every entry; grouped by kind on a terminal, one `id<TAB>title` line per entry in a pipe.

use crate::cli::Format;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::json::Brief;
use crate::sanitize;
use crate::settings::Settings;
use crate::style;
use std::io::Write;

/// The old site's menu order; other kinds follow alphabetically.
const KIND_ORDER: &[&str] = &["approach", "problem", "concept", "organization", "case"];

pub fn run<O: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    kind: Option<&str>,
    tag: Option<&str>,
    out: &mut O,
) -> Result<u8> {
    let kind = kind.map(|k| k.trim().to_lowercase());
    let tag = tag.map(|t| t.trim().to_lowercase());
    let selected: Vec<usize> = (0..kb.len())
        .filter(|&i| {
            kind.as_ref().is_none_or(|k| {
                let own = kb.kind(i);
                own == k || k.strip_suffix('s') == Some(own)
            })
        })
        .filter(|&i| tag.as_ref().is_none_or(|t| kb.tags(i).any(|own| own == t)))
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
            &selected
                .iter()
                .map(|&i| Brief::of(kb, i))
                .collect::<Vec<_>>(),
        )?,
        Format::Markdown => {
            let groups: Vec<(String, Vec<Brief>)> = groups(kb, &selected)
                .into_iter()
                .map(|(kind, group)| {
                    (
                        plural(kind),
                        group.into_iter().map(|i| Brief::of(kb, i)).collect(),
                    )
                })
                .collect();
            out.write_all(crate::export::grouped(&groups).as_bytes())?
        }
        Format::Text if settings.terminal => grouped(kb, &selected, settings, out)?,
        Format::Text => {
            for &i in &selected {
                writeln!(
                    out,
                    "{}\t{}",
                    sanitize::line(kb.id(i)),
                    sanitize::line(kb.title(i))
                )?;
            }
        }
    }
    Ok(0)
}

/// The entries by kind, in the old site's menu order, each group sorted by title.
pub fn groups<'a>(kb: &'a Index, entries: &[usize]) -> Vec<(&'a str, Vec<usize>)> {
    let mut kinds: Vec<&str> = entries.iter().map(|&i| kb.kind(i)).collect();
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
            let mut group: Vec<usize> = entries
                .iter()
                .copied()
                .filter(|&i| kb.kind(i) == kind)
                .collect();
            group.sort_by_cached_key(|&i| kb.title(i).to_lowercase());
            (kind, group)
        })
        .collect()
}

fn grouped<O: Write + ?Sized>(
    kb: &Index,
    entries: &[usize],
    settings: &Settings,
    out: &mut O,
) -> Result<()> {
    let style = &settings.style;
    // One column for ids across all groups, like a menu.
    let column = entries
        .iter()
        .map(|&i| style::columns(&sanitize::line(kb.title(i))))
        .max()
        .unwrap_or(0)
        .min(48);
    for (n, (kind, group)) in groups(kb, entries).into_iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{} {}",
            style.heading(&plural(kind)),
            style.dim(&format!("({})", group.len()))
        )?;
        for i in group {
            let title = sanitize::line(kb.title(i));
            let padded = style::pad(&title, column);
            writeln!(
                out,
                "  {}  {}",
                style.strong(&padded),
                style.id(&sanitize::line(kb.id(i)))
            )?;
        }
    }
    Ok(())
}

/// "approach" → "Approaches", "case" → "Cases".
pub fn plural(kind: &str) -> String {
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
