//! `otpic show --field NAME`: one field of an entry, raw, for `$(...)` in scripts.
//!
//! Text: a single value on one line (the definition as the Markdown it is written
//! in); a list one item per line; links as the id of the entry they resolve to, else
//! `?` and their text (no id starts with `?`, so a script tells them apart); examples, sources and provenance one work per line, tab-separated
//! (examples and sources: title, author, year, description, url; provenance: from,
//! publisher, year, url), empty where missing. A missing optional field prints nothing.
//! With `--format json`, the field's value as in the JSON of `show`.

use super::show::Shown;
use crate::cli::Field;
use crate::entry::Entry;
use crate::entry::{Relation, Work};
use crate::env::Format;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::sanitize;
use std::io::Write;

pub fn write<O: Write + ?Sized>(
    kb: &Index,
    e: &Entry,
    index: usize,
    field: Field,
    format: Format,
    out: &mut O,
) -> Result<()> {
    match format {
        Format::Text => out.write_all(text(kb, e, index, field).as_bytes())?,
        Format::Json => Shown::new(kb, e, index).write_field(field, out)?,
        Format::Markdown => {
            return Err(Error::Usage(
                "--field prints a field raw or as JSON: use --format text or json, not markdown"
                    .into(),
            ));
        }
    }
    Ok(())
}

/// The field as raw text, each line ending in a newline; empty if the entry lacks it.
pub fn text(kb: &Index, e: &Entry, index: usize, field: Field) -> String {
    let lines: Vec<String> = match field {
        Field::Id => vec![line(&e.id)],
        Field::Title => vec![line(&e.title)],
        Field::Kind => vec![line(&e.kind)],
        Field::File => vec![line(&e.file)],
        Field::Summary => e.summary.iter().map(|s| line(s)).collect(),
        Field::Definition => vec![sanitize::block(&e.definition).trim_end().to_owned()],
        Field::Aliases => e.aliases.iter().map(|a| line(&a.text)).collect(),
        Field::Tags => e.tags.iter().map(|t| line(t)).collect(),
        Field::RelatedApproaches | Field::RelatedProblems => {
            let relation = if field == Field::RelatedApproaches {
                Relation::Approach
            } else {
                Relation::Problem
            };
            super::show::resolved(kb, e.links(relation))
                .into_iter()
                .map(|(link, target)| match target {
                    Some(t) => line(kb.id(t)),
                    None => format!("?{}", line(&link.text)),
                })
                .collect()
        }
        Field::ReferencedBy => kb
            .backlinks(index)
            .iter()
            .map(|&b| line(kb.id(b)))
            .collect(),
        Field::Examples => e.examples.iter().map(work).collect(),
        Field::Sources => e.sources.iter().map(work).collect(),
        Field::Provenance => e
            .provenance
            .iter()
            .map(|p| {
                tabs(&[
                    p.from.as_deref(),
                    p.publisher.as_deref(),
                    p.year.as_ref().map(|y| y.to_string()).as_deref(),
                    p.url.as_deref(),
                ])
            })
            .collect(),
    };
    lines.into_iter().map(|l| l + "\n").collect()
}

fn line(s: &str) -> String {
    sanitize::line(s).into_owned()
}

/// title, author, year, description, url — tab-separated.
fn work(w: &Work) -> String {
    tabs(&[
        Some(w.title.as_str()),
        w.author.as_deref(),
        w.year.as_ref().map(|y| y.to_string()).as_deref(),
        w.description.as_deref(),
        w.url.as_deref(),
    ])
}

fn tabs(values: &[Option<&str>]) -> String {
    values
        .iter()
        .map(|v| v.map(line).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\t")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    fn kb(specs: &[(&str, &str)]) -> Index {
        Index::from_texts(specs)
    }

    fn entry(kb: &Index, index: usize) -> Entry {
        kb.entry(index).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn field_names_are_the_json_keys_and_each_prints_its_value() {
        let kb = kb(&[(
            "a",
            "title = \"A\"\ndefinition = \"d\"\n[[examples]]\ntitle = \"w\"\n[provenance]\nfrom = \"f\"\n",
        )]);
        let e = entry(&kb, 0);
        let whole = serde_json::to_value(Shown::new(&kb, &e, 0)).unwrap_or_default();
        for field in Field::value_variants() {
            let name = field.to_possible_value().map(|v| v.get_name().to_owned());
            assert_eq!(name.as_deref(), Some(field.name()));
            let mut out = Vec::new();
            assert!(write(&kb, &e, 0, *field, Format::Json, &mut out).is_ok());
            let value: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
            assert_eq!(value, whole[field.name()], "{}", field.name());
        }
    }

    #[test]
    fn links_print_as_resolved_ids_else_their_text() {
        let kb = kb(&[
            (
                "a",
                "title = \"A\"\ndefinition = \"d\"\nrelated_approaches = [\"The B\", \"Nowhere\"]\n",
            ),
            ("b", "title = \"The B\"\ndefinition = \"d\"\n"),
        ]);
        assert_eq!(
            text(&kb, &entry(&kb, 0), 0, Field::RelatedApproaches),
            "b\n?Nowhere\n"
        );
        assert_eq!(text(&kb, &entry(&kb, 0), 0, Field::Summary), "");
        assert_eq!(text(&kb, &entry(&kb, 1), 1, Field::ReferencedBy), "a\n");
    }
}
