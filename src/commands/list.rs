//! `otpic list`: every entry; grouped by kind on a terminal, one `id<TAB>title` line per entry in a pipe.

use crate::env::Format;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::render;
use crate::settings::Settings;
use crate::view::ListView;
use crate::view::list::GroupedView;
use std::io::Write;

pub fn run<O: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    kind: Option<&str>,
    tag: Option<&str>,
    out: &mut O,
) -> Result<u8> {
    let selected = select(kb, kind, tag)?;
    if selected.is_empty() && settings.format == Format::Json {
        writeln!(out, "[]")?;
    }
    if selected.is_empty() {
        return Err(nothing_selected(kind, tag));
    }
    match settings.format {
        Format::Json => render::json::list(out, &ListView::new(kb, &selected))?,
        Format::Markdown => render::markdown::list(out, &GroupedView::new(kb, &selected))?,
        Format::Text if settings.terminal => {
            render::text::list(out, &GroupedView::new(kb, &selected), &settings.style)?
        }
        Format::Text => render::text::list_lines(out, &ListView::new(kb, &selected))?,
    }
    Ok(0)
}

/// The entries of `kind` (as typed: `approaches` and `organisation` are
/// understood) with `tag`, in id order; an unknown kind is a usage error that
/// names the kinds there are.
pub fn select(kb: &Index, kind: Option<&str>, tag: Option<&str>) -> Result<Vec<usize>> {
    let kind = match kind {
        Some(k) => {
            let mut known: Vec<&str> = (0..kb.len()).map(|i| kb.kind(i)).collect();
            known.sort_unstable();
            known.dedup();
            Some(crate::kinds::resolve(k, &known).map_err(Error::Usage)?)
        }
        None => None,
    };
    let tag = tag.map(|t| t.trim().to_lowercase());
    Ok((0..kb.len())
        .filter(|&i| kind.as_ref().is_none_or(|k| kb.kind(i) == k))
        .filter(|&i| {
            tag.as_ref()
                .is_none_or(|t| kb.tags(i).any(|own| own.to_lowercase() == *t))
        })
        .collect())
}

/// "no entries of kind … and tagged …", for filters that select nothing.
pub fn nothing_selected(kind: Option<&str>, tag: Option<&str>) -> Error {
    let mut what = Vec::new();
    if let Some(k) = kind {
        what.push(format!("of kind \"{}\"", k.trim().to_lowercase()));
    }
    if let Some(t) = tag {
        what.push(format!("tagged \"{}\"", t.trim().to_lowercase()));
    }
    if what.is_empty() {
        return Error::NothingFound("the knowledge base has no entries".into());
    }
    Error::NothingFound(format!("no entries {}", what.join(" and ")))
}
