//! `show --field NAME` as text: one field of an entry, raw, for `$(...)` in scripts.
//!
//! A single value on one line (the definition as the Markdown it is written in); a
//! list one item per line; links as the id of the entry they resolve to, else `?`
//! and their text (no id starts with `?`, so a script tells them apart); examples,
//! sources and provenance one work per line, tab-separated (examples and sources:
//! title, author, year, description, url; provenance: from, publisher, year, url),
//! empty where missing. A missing optional field prints nothing. Text is sanitized
//! for the terminal here; `--format json` is [`super::json::field`].

use crate::entry::Work;
use crate::sanitize;
use crate::view::EntryRecord;
use crate::view::record::{Field, Resolved};
use std::io::{self, Write};

/// Writes the field, each line ending in a newline; nothing if the entry lacks it.
pub fn text<W: Write + ?Sized>(out: &mut W, r: &EntryRecord<'_>, field: Field) -> io::Result<()> {
    let links = |links: &[Resolved<'_>]| -> Vec<String> {
        links
            .iter()
            .map(|l| match l.id {
                Some(id) => line(id),
                None => format!("?{}", line(l.link)),
            })
            .collect()
    };
    let lines: Vec<String> = match field {
        Field::Id => vec![line(r.id)],
        Field::Title => vec![line(r.title)],
        Field::Kind => vec![line(r.kind)],
        Field::File => vec![line(r.file)],
        Field::Summary => r.summary.iter().map(|s| line(s)).collect(),
        Field::Definition => vec![sanitize::block(r.definition).trim_end().to_owned()],
        Field::Aliases => r.aliases.iter().map(|a| line(a)).collect(),
        Field::Tags => r.tags.iter().map(|t| line(t)).collect(),
        Field::RelatedApproaches => links(&r.related_approaches),
        Field::RelatedProblems => links(&r.related_problems),
        Field::ReferencedBy => r.backlink_ids().into_iter().map(line).collect(),
        Field::Examples => r.examples.iter().map(work).collect(),
        Field::Sources => r.sources.iter().map(work).collect(),
        Field::Provenance => r
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
    for l in lines {
        writeln!(out, "{l}")?;
    }
    Ok(())
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
    use crate::index::Index;

    fn field_text(kb: &Index, index: usize, field: Field) -> String {
        let e = kb.entry(index).unwrap_or_else(|e| panic!("{e}"));
        let mut out = Vec::new();
        assert!(text(&mut out, &EntryRecord::new(kb, &e, index), field).is_ok());
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn links_print_as_resolved_ids_else_their_text() {
        let kb = Index::from_texts(&[
            (
                "a",
                "title = \"A\"\ndefinition = \"d\"\nrelated_approaches = [\"The B\", \"Nowhere\"]\n",
            ),
            ("b", "title = \"The B\"\ndefinition = \"d\"\n"),
        ]);
        assert_eq!(
            field_text(&kb, 0, Field::RelatedApproaches),
            "b\n?Nowhere\n"
        );
        assert_eq!(field_text(&kb, 0, Field::Summary), "");
        assert_eq!(field_text(&kb, 1, Field::ReferencedBy), "a\n");
    }
}
