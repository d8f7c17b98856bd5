//! `--format json`: the JSON shape of each view, written by [`crate::json::write`]
//! (pretty, with unsafe characters escaped). Field names and their order are the
//! interface scripts rely on: docs/json.md documents them and tests/json_shapes.rs
//! pins them. JSON carries each entry's exact text.

use crate::entry::{Provenance, Work};
use crate::json::write;
use crate::links::Direction;
use crate::view::compare::{Between, DirectLink, Reach};
use crate::view::path::StepView;
use crate::view::record::{Backlink, Field, Resolved};
use crate::view::{
    CompareView, EntryLine, EntryRecord, GlossaryView, GraphView, ListView, PathView, RelatedView,
    SearchView,
};
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
    write(out, &Briefs(*v))
}

/// `list`'s entries as a JSON array, written one at a time as the view makes them.
struct Briefs<'a>(ListView<'a>);

impl Serialize for Briefs<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(None)?;
        for e in self.0.entries() {
            seq.serialize_element(&Brief::of(&e))?;
        }
        seq.end()
    }
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

/// `path`: each path as a list of steps.
pub fn path<W: Write + ?Sized>(out: &mut W, v: &PathView) -> io::Result<()> {
    let paths: Vec<Vec<Step>> = v.paths.iter().map(|p| steps(p)).collect();
    write(out, &paths)
}

/// `compare`: both entries, the links between them or the shortest path, the
/// neighbours and the tags.
pub fn compare<W: Write + ?Sized>(out: &mut W, v: &CompareView) -> io::Result<()> {
    write(out, &Comparison::of(v))
}

/// `graph`: its nodes, the links between them, and the unresolved links.
pub fn graph<W: Write + ?Sized>(out: &mut W, v: &GraphView) -> io::Result<()> {
    let graph = Graph {
        nodes: v
            .nodes
            .iter()
            .map(|n| Node {
                id: n.id.exact(),
                title: n.title.exact(),
                kind: n.kind.exact(),
            })
            .collect(),
        edges: v
            .edges
            .iter()
            .map(|e| Edge {
                from: e.from.exact(),
                to: e.to.exact(),
                relation: e.relation.name,
            })
            .collect(),
        unresolved: v
            .unresolved
            .iter()
            .map(|u| Unresolved {
                from: u.from.exact(),
                link: u.link.exact(),
                relation: u.relation.name,
            })
            .collect(),
    };
    write(out, &graph)
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

/// An entry in lists (`list`, `glossary`) and each side of `compare`.
#[derive(Serialize)]
struct Brief<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    summary: Option<&'a str>,
}

impl<'a> Brief<'a> {
    fn of(e: &'a EntryLine<'_>) -> Self {
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

/// A step of a path: the first has no relation and no direction.
#[derive(Serialize)]
struct Step<'a> {
    id: &'a str,
    title: &'a str,
    relation: Option<&'a str>,
    direction: Option<Direction>,
}

fn steps<'a>(path: &'a [StepView<'_>]) -> Vec<Step<'a>> {
    path.iter()
        .map(|s| Step {
            id: s.entry.id.exact(),
            title: s.entry.title.exact(),
            relation: s.by.as_ref().map(|b| b.relation),
            direction: s.by.as_ref().map(|b| b.direction),
        })
        .collect()
}

/// The JSON shape of `compare`.
#[derive(Serialize)]
struct Comparison<'a> {
    a: Brief<'a>,
    b: Brief<'a>,
    direct: Vec<Direct<'a>>,
    path: Vec<Step<'a>>,
    shared: Vec<Shared<'a>>,
    only_a: Vec<Only<'a>>,
    only_b: Vec<Only<'a>>,
    tags: Tags<'a>,
}

#[derive(Serialize)]
struct Direct<'a> {
    from: &'a str,
    to: &'a str,
    relation: &'a str,
}

#[derive(Serialize)]
struct Shared<'a> {
    id: &'a str,
    title: &'a str,
    relation_a: &'a str,
    direction_a: Direction,
    relation_b: &'a str,
    direction_b: Direction,
}

#[derive(Serialize)]
struct Only<'a> {
    id: &'a str,
    title: &'a str,
    relation: &'a str,
    direction: Direction,
}

#[derive(Serialize)]
struct Tags<'a> {
    shared: Vec<&'a str>,
    only_a: Vec<&'a str>,
    only_b: Vec<&'a str>,
}

impl<'a> Comparison<'a> {
    fn of(v: &'a CompareView<'_>) -> Self {
        let only = |reach: &'a Reach<'_>, e: &'a EntryLine<'_>| Only {
            id: e.id.exact(),
            title: e.title.exact(),
            relation: reach.relation,
            direction: reach.direction,
        };
        let tags = |t: &'a [crate::view::Text<'_>]| t.iter().map(|t| t.exact()).collect();
        let (links, path): (&[DirectLink], &[StepView]) = match &v.between {
            Between::Links(links) => (links, &[]),
            Between::Path(path) => (&[], path),
        };
        Comparison {
            a: Brief::of(&v.a),
            b: Brief::of(&v.b),
            direct: links
                .iter()
                .map(|d| Direct {
                    from: d.from.id.exact(),
                    to: d.to.id.exact(),
                    relation: d.link.relation,
                })
                .collect(),
            path: steps(path),
            shared: v
                .shared
                .iter()
                .map(|s| Shared {
                    id: s.entry.id.exact(),
                    title: s.entry.title.exact(),
                    relation_a: s.a.relation,
                    direction_a: s.a.direction,
                    relation_b: s.b.relation,
                    direction_b: s.b.direction,
                })
                .collect(),
            only_a: v.only_a.iter().map(|o| only(&o.reach, &o.entry)).collect(),
            only_b: v.only_b.iter().map(|o| only(&o.reach, &o.entry)).collect(),
            tags: Tags {
                shared: tags(&v.tags.shared),
                only_a: tags(&v.tags.only_a),
                only_b: tags(&v.tags.only_b),
            },
        }
    }
}

/// The JSON shape of `graph`.
#[derive(Serialize)]
struct Graph<'a> {
    nodes: Vec<Node<'a>>,
    edges: Vec<Edge<'a>>,
    unresolved: Vec<Unresolved<'a>>,
}

#[derive(Serialize)]
struct Node<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
}

#[derive(Serialize)]
struct Edge<'a> {
    from: &'a str,
    to: &'a str,
    relation: &'a str,
}

#[derive(Serialize)]
struct Unresolved<'a> {
    from: &'a str,
    link: &'a str,
    relation: &'a str,
}
