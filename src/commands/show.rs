//! `otpic show`: one entry in full, as text, Markdown or JSON, or one field of it.

use crate::cli::{Field, Format};
use crate::error::{Error, Result};
use crate::index::Index;
use crate::render;
use crate::settings::Settings;
use crate::view::{EntryRecord, EntryView};
use std::io::Write;

pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    query: &str,
    exact: bool,
    field: Option<Field>,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    let index = match field {
        // A field is for scripts: the note stays on stderr.
        Some(_) => super::find(kb, query, exact, err)?,
        None => super::find_for_view(kb, settings, query, exact, out, err)?,
    };
    // The entry itself is read fresh from its file; the index gives the rest.
    let entry = kb.entry(index)?;
    match (field, settings.format) {
        (Some(_), Format::Markdown) => {
            return Err(Error::Usage(
                "--field prints a field raw or as JSON: use --format text or json, not markdown"
                    .into(),
            ));
        }
        (Some(field), Format::Text) => {
            render::field::text(out, &EntryRecord::new(kb, &entry, index), field)?
        }
        (Some(field), Format::Json) => {
            render::json::field(out, &EntryRecord::new(kb, &entry, index), field)?
        }
        (None, Format::Json) => render::json::entry(out, &EntryRecord::new(kb, &entry, index))?,
        (None, Format::Text) => {
            render::text::entry(out, &EntryView::new(kb, &entry, index), &settings.style)?
        }
        (None, Format::Markdown) => {
            render::markdown::entry(out, &EntryView::new(kb, &entry, index))?
        }
    }
    Ok(0)
}
