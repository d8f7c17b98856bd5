//! `otpic show`: one entry in full, as text, Markdown or JSON, or one field of it.

use crate::env::Format;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::render;
use crate::settings::Settings;
use crate::view::record::Field;
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn field_names_are_the_json_keys_and_each_prints_its_value() {
        let kb = Index::from_texts(&[(
            "a",
            "title = \"A\"\ndefinition = \"d\"\n[[examples]]\ntitle = \"w\"\n[provenance]\nfrom = \"f\"\n",
        )]);
        let e = kb.entry(0).unwrap_or_else(|e| panic!("{e}"));
        let record = EntryRecord::new(&kb, &e, 0);
        let mut whole = Vec::new();
        assert!(crate::render::json::entry(&mut whole, &record).is_ok());
        let whole: serde_json::Value = serde_json::from_slice(&whole).unwrap_or_default();
        for field in Field::value_variants() {
            let name = field.to_possible_value().map(|v| v.get_name().to_owned());
            assert_eq!(name.as_deref(), Some(field.name()));
            let mut out = Vec::new();
            assert!(crate::render::json::field(&mut out, &record, *field).is_ok());
            let value: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
            assert_eq!(value, whole[field.name()], "{}", field.name());
        }
    }
}
