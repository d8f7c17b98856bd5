//! `--format json`: the JSON shape of each view, written by [`crate::json::write`]
//! (pretty, with unsafe characters escaped). Field names and their order are the
//! interface scripts rely on: docs/json.md documents them and tests/json_shapes.rs
//! pins them. JSON carries each entry's exact text.

use crate::entry::{Provenance, Work};
use crate::json::write;
use crate::links::Direction;
use crate::view::list::ListItem;
use crate::view::record::{Backlink, Field, Resolved};
use crate::view::{EntryRecord, GlossaryView, ListView, RelatedView, SearchView};
use serde::Serialize;
use std::io::{self, Write};

/// `show`: the entry's fields, its id, resolved links and backlinks.
pub fn entry<W: Write + ?Sized>(out: &mut W, r: &EntryRecord<'_>) -> io::Result<()> {
    write(out, &Shown::of(r))
}

/// `show --field NAME --format json`: one field, exactly as in the whole entry's JSON.
pub fn field<W: Write + ?Sized>(out: &mut W, r: &EntryRecord<'_>, field: Field) -> io::Result<()> {
    let s = Shown::of(r);
    match field {
        Field::Id => write(out, s.id),
        Field::Title => write(out, s.title),
        Field::Kind => write(out, s.kind),
        Field::Summary => write(out, &s.summary),
        Field::Definition => write(out, s.definition),
        Field::Aliases => write(out, &s.aliases),
        Field::Tags => write(out, s.tags),
        Field::RelatedApproaches => write(out, &s.related_approaches),
        Field::RelatedProblems => write(out, &s.related_problems),
        Field::ReferencedBy => write(out, &s.referenced_by),
        Field::Examples => write(out, s.examples),
        Field::Sources => write(out, s.sources),
        Field::Provenance => write(out, &s.provenance),
        Field::File => write(out, s.file),
    }
}

/// `related`: one object per hop, in walk order.
pub fn related<W: Write + ?Sized>(out: &mut W, v: &RelatedView) -> io::Result<()> {
    let rows: Vec<Hop> = v
        .hops
        .iter()
        .map(|h| {
            let t = h.target.as_ref();
            Hop {
                id: t.map(|t| t.id.exact()),
                title: t.map(|t| t.title.exact()),
                kind: t.map(|t| t.kind.exact()),
                summary: t.and_then(|t| t.summary.as_ref()).map(|s| s.exact()),
                relation: h.relation,
                direction: h.direction,
                label: h.heading.exact(),
                depth: h.depth,
                via: h.via.exact(),
                link: h.link.as_ref().map(|l| l.exact()),
            }
        })
        .collect();
    write(out, &rows)
}

/// `list`: the entries in id order.
pub fn list<W: Write + ?Sized>(out: &mut W, v: &ListView) -> io::Result<()> {
    write(out, &v.entries.iter().map(Brief::of).collect::<Vec<_>>())
}

/// `glossary`: the entries alphabetically.
pub fn glossary<W: Write + ?Sized>(out: &mut W, v: &GlossaryView) -> io::Result<()> {
    write(out, &v.entries.iter().map(Brief::of).collect::<Vec<_>>())
}

/// `search`: the hits, best first.
pub fn search<W: Write + ?Sized>(out: &mut W, v: &SearchView) -> io::Result<()> {
    let rows: Vec<Hit> = v
        .hits
        .iter()
        .map(|h| Hit {
            id: h.id.exact(),
            title: h.title.exact(),
            score: h.score,
            snippet: &h.snippet,
        })
        .collect();
    write(out, &rows)
}

/// The JSON shape of `show`.
#[derive(Serialize)]
struct Shown<'r, 'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    summary: Option<&'a str>,
    aliases: &'r [&'a str],
    tags: &'a [String],
    definition: &'a str,
    examples: &'a [Work],
    sources: &'a [Work],
    related_approaches: &'r [Resolved<'a>],
    related_problems: &'r [Resolved<'a>],
    /// Every link by relation name, built-ins included, in declaration order.
    links: ByRelation<'r, 'a>,
    original_links: &'r [Resolved<'a>],
    referenced_by: &'r [Backlink<'a>],
    provenance: Option<&'a Provenance>,
    file: &'a str,
}

impl<'r, 'a> Shown<'r, 'a> {
    fn of(r: &'r EntryRecord<'a>) -> Self {
        Shown {
            id: r.id,
            title: r.title,
            kind: r.kind,
            summary: r.summary,
            aliases: &r.aliases,
            tags: r.tags,
            definition: r.definition,
            examples: r.examples,
            sources: r.sources,
            related_approaches: &r.related_approaches,
            related_problems: &r.related_problems,
            links: ByRelation(&r.links),
            original_links: &r.original_links,
            referenced_by: &r.referenced_by,
            provenance: r.provenance,
            file: r.file,
        }
    }
}

/// Links keyed by relation name, as a JSON object in declaration order.
struct ByRelation<'r, 'a>(&'r [(&'a str, Vec<Resolved<'a>>)]);

impl Serialize for ByRelation<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, links) in self.0 {
            map.serialize_entry(name, links)?;
        }
        map.end()
    }
}

impl Serialize for Resolved<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut link = s.serialize_struct("Link", 3)?;
        link.serialize_field("link", self.link)?;
        link.serialize_field("id", &self.id)?;
        link.serialize_field("title", &self.title)?;
        link.end()
    }
}

impl Serialize for Backlink<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut backlink = s.serialize_struct("Backlink", 3)?;
        backlink.serialize_field("id", self.id)?;
        backlink.serialize_field("title", self.title)?;
        // The relation of the link that points here.
        backlink.serialize_field("relation", self.relation)?;
        backlink.end()
    }
}

/// One hop of `related`.
#[derive(Serialize)]
struct Hop<'a> {
    id: Option<&'a str>,
    title: Option<&'a str>,
    kind: Option<&'a str>,
    summary: Option<&'a str>,
    /// The relation's name, as declared.
    relation: &'a str,
    direction: Direction,
    /// The heading it is listed under.
    label: &'a str,
    depth: u32,
    via: &'a str,
    link: Option<&'a str>,
}

/// An entry in lists: `list`, `glossary`.
#[derive(Serialize)]
struct Brief<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    summary: Option<&'a str>,
}

impl<'a> Brief<'a> {
    fn of(e: &'a ListItem<'_>) -> Self {
        Brief {
            id: e.id.exact(),
            title: e.title.exact(),
            kind: e.kind.exact(),
            summary: e.summary.as_ref().map(|s| s.exact()),
        }
    }
}

/// One search hit.
#[derive(Serialize)]
struct Hit<'a> {
    id: &'a str,
    title: &'a str,
    score: f64,
    snippet: &'a str,
}
