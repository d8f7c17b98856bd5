//! `otpic glossary`: every title alphabetically with its one-line summary.

use crate::env::Format;
use crate::error::Result;
use crate::index::Index;
use crate::render;
use crate::settings::Settings;
use crate::view::GlossaryView;
use std::io::Write;

pub fn run<O: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    kind: Option<&str>,
    tag: Option<&str>,
    out: &mut O,
) -> Result<u8> {
    let selected = super::list::select(kb, kind, tag)?;
    if selected.is_empty() && (kind.is_some() || tag.is_some()) {
        if settings.format == Format::Json {
            writeln!(out, "[]")?;
        }
        return Err(super::list::nothing_selected(kind, tag));
    }
    let view = GlossaryView::new(kb, &selected);
    match settings.format {
        Format::Json => render::json::glossary(out, &view)?,
        Format::Markdown => render::markdown::glossary(out, &view)?,
        Format::Text => render::text::glossary(out, &view, &settings.style)?,
    }
    Ok(0)
}
