//! `otpic compare A B`: what tells two entries apart: their summaries side by side,
//! the links between them (or the shortest path), shared and distinct neighbours
//! and tags, built as a [`CompareView`] and rendered in the format asked.

use crate::env::Format;
use crate::error::Result;
use crate::index::Index;
use crate::render;
use crate::settings::Settings;
use crate::view::CompareView;
use std::io::Write;

pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    (a, b, exact): (&str, &str, bool),
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    let a = super::find(kb, a, exact, err)?;
    let b = super::find(kb, b, exact, err)?;
    let view = CompareView::new(kb, kb.relations(), a, b);
    match settings.format {
        Format::Json => render::json::compare(out, &view)?,
        Format::Text => render::text::compare(out, &view, &settings.style)?,
        Format::Markdown => render::markdown::compare(out, &view)?,
    }
    Ok(0)
}
