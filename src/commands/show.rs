//! `otpic show`: one entry in full, as formatted text or JSON.

use crate::cli::Field;
use crate::entry::{Entry, Located, Provenance, Work};
use crate::env::Format;
use crate::error::Result;
use crate::index::Index;
use crate::markdown;
use crate::sanitize;
use crate::settings::Settings;
use crate::style::{Paint, Style};
use serde::Serialize;
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
    if let Some(field) = field {
        super::field::write(kb, &entry, index, field, settings.format, out)?;
        return Ok(0);
    }
    match settings.format {
        Format::Json => crate::json::write(out, &Shown::new(kb, &entry, index))?,
        Format::Text => out.write_all(to_text(kb, &entry, index, &settings.style).as_bytes())?,
        Format::Markdown => out.write_all(crate::export::entry(kb, &entry, index).as_bytes())?,
    }
    Ok(0)
}

/// An entry's links with the entry each resolves to.
pub fn resolved<'a>(kb: &Index, links: &'a [Located]) -> Vec<(&'a Located, Option<usize>)> {
    links.iter().map(|l| (l, kb.resolve(&l.text))).collect()
}

/// The entry as text: the definition is Markdown rendered by termimad; the rest
/// is laid out here, so that titles, ids and URLs wrap sensibly (a URL is never
/// broken). All entry text is sanitized.
pub fn to_text(kb: &Index, e: &Entry, index: usize, style: &Style) -> String {
    let clean = |s: &str| sanitize::line(s).into_owned();
    let mut lines: Vec<String> = Vec::new();
    let title = clean(&e.title);
    lines.extend(style.wrap(&[(&title, Paint::Heading)], "", ""));
    let (kind, id, tags) = (clean(&e.kind), clean(&e.id), clean(&e.tags.join(", ")));
    let mut meta = vec![
        (kind.as_str(), Paint::Dim),
        ("·", Paint::Dim),
        (id.as_str(), Paint::Id),
    ];
    if !e.tags.is_empty() {
        meta.extend([("· tags:", Paint::Dim), (tags.as_str(), Paint::Dim)]);
    }
    lines.extend(style.wrap(&meta, "", ""));
    if !e.aliases.is_empty() {
        let aliases = clean(
            &e.aliases
                .iter()
                .map(|a| a.text.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        );
        lines.extend(style.wrap(
            &[("Also called:", Paint::Dim), (&aliases, Paint::Plain)],
            "",
            "",
        ));
    }
    if let Some(summary) = &e.summary {
        lines.push(String::new());
        lines.extend(style.wrap(&[(&clean(summary), Paint::Strong)], "", ""));
    }
    let mut out = lines.join("\n");
    out.push_str("\n\n");
    out.push_str(&markdown::render(&sanitize::block(&e.definition), style));

    let mut section = |heading: &str, items: Vec<Vec<(String, Paint)>>| {
        if items.is_empty() {
            return;
        }
        out.push('\n');
        out.push_str(&style.heading(heading));
        out.push_str("\n\n");
        for item in items {
            let spans: Vec<(&str, Paint)> = item.iter().map(|(t, p)| (t.as_str(), *p)).collect();
            for line in style.wrap(&spans, "- ", "  ") {
                out.push_str(&line);
                out.push('\n');
            }
        }
    };
    section("Examples", e.examples.iter().map(work).collect());
    section("Sources", e.sources.iter().map(work).collect());
    // One section per relation, then the backlinks (see `crate::links`).
    for group in crate::links::grouped(kb, kb.relations(), index) {
        let items = group
            .items
            .iter()
            .map(|item| match item.target {
                Some(t) => entry_ref(kb, t),
                None => vec![
                    (clean(item.link.unwrap_or_default()), Paint::Plain),
                    (
                        "(unresolved: no entry by that name)".to_owned(),
                        Paint::Warn,
                    ),
                ],
            })
            .collect();
        section(&clean(&group.label), items);
    }
    if let Some(p) = &e.provenance {
        let text: Vec<String> = [p.from.as_deref(), p.publisher.as_deref()]
            .into_iter()
            .flatten()
            .map(clean)
            .chain(p.year.as_ref().map(|y| clean(&y.to_string())))
            .collect();
        let mut item = Vec::new();
        if !text.is_empty() {
            item.push((text.join(", "), Paint::Plain));
        }
        if let Some(u) = &p.url {
            item.push((clean(u), Paint::Plain));
        }
        if !item.is_empty() {
            section("Provenance", vec![item]);
        }
    }
    out
}

/// "Title — id", for links and backlinks.
fn entry_ref(kb: &Index, index: usize) -> Vec<(String, Paint)> {
    vec![
        (sanitize::line(kb.title(index)).into_owned(), Paint::Strong),
        ("—".to_owned(), Paint::Dim),
        (sanitize::line(kb.id(index)).into_owned(), Paint::Id),
    ]
}

/// "Title — Author (year). Description. URL"
fn work(w: &Work) -> Vec<(String, Paint)> {
    let clean = |s: &str| sanitize::line(s).into_owned();
    let mut spans = vec![(clean(&w.title), Paint::Strong)];
    let year = w
        .year
        .as_ref()
        .map(|y| format!("({})", clean(&y.to_string())));
    let byline: Vec<String> = w
        .author
        .as_deref()
        .map(clean)
        .into_iter()
        .chain(year)
        .collect();
    if !byline.is_empty() {
        let stop = if w.description.is_some() { "." } else { "" };
        spans.push((format!("— {}{stop}", byline.join(" ")), Paint::Plain));
    } else if w.description.is_some() && !w.title.ends_with(['.', '?', '!']) {
        // No byline: a full stop keeps the title from running into the description.
        if let Some((title, _)) = spans.last_mut() {
            title.push('.');
        }
    }
    if let Some(d) = &w.description {
        spans.push((clean(d), Paint::Plain));
    }
    if let Some(u) = &w.url {
        spans.push((clean(u), Paint::Dim));
    }
    if w.original {
        spans.push((crate::entry::ORIGINAL_MARK.to_owned(), Paint::Dim));
    }
    spans
}

/// The JSON shape of `show`: the entry's fields, its id, resolved links and backlinks.
#[derive(Serialize)]
pub struct Shown<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    summary: Option<&'a str>,
    aliases: Vec<&'a str>,
    tags: &'a [String],
    definition: &'a str,
    examples: &'a [Work],
    sources: &'a [Work],
    related_approaches: Vec<LinkJson<'a>>,
    related_problems: Vec<LinkJson<'a>>,
    /// Every link by relation name, built-ins included, in declaration order.
    links: ByRelation<'a>,
    original_links: Vec<LinkJson<'a>>,
    referenced_by: Vec<Ref<'a>>,
    provenance: Option<&'a Provenance>,
    file: &'a str,
}

#[derive(Serialize)]
pub struct LinkJson<'a> {
    link: &'a str,
    id: Option<&'a str>,
    title: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Ref<'a> {
    id: &'a str,
    title: &'a str,
    /// The relation of the link that points here.
    relation: &'a str,
}

/// Links keyed by relation name, as a JSON object in declaration order.
pub struct ByRelation<'a>(Vec<(&'a str, Vec<LinkJson<'a>>)>);

impl Serialize for ByRelation<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, links) in &self.0 {
            map.serialize_entry(name, links)?;
        }
        map.end()
    }
}

impl Shown<'_> {
    /// Writes one field as JSON, exactly as it appears in the whole entry's JSON.
    pub fn write_field<W: Write + ?Sized>(&self, field: Field, out: &mut W) -> std::io::Result<()> {
        use crate::json::write;
        match field {
            Field::Id => write(out, self.id),
            Field::Title => write(out, self.title),
            Field::Kind => write(out, self.kind),
            Field::Summary => write(out, &self.summary),
            Field::Definition => write(out, self.definition),
            Field::Aliases => write(out, &self.aliases),
            Field::Tags => write(out, self.tags),
            Field::RelatedApproaches => write(out, &self.related_approaches),
            Field::RelatedProblems => write(out, &self.related_problems),
            Field::ReferencedBy => write(out, &self.referenced_by),
            Field::Examples => write(out, self.examples),
            Field::Sources => write(out, self.sources),
            Field::Provenance => write(out, &self.provenance),
            Field::File => write(out, self.file),
        }
    }
}

impl<'a> Shown<'a> {
    pub fn new(kb: &'a Index, e: &'a Entry, index: usize) -> Self {
        let links = |links: &'a [Located]| {
            resolved(kb, links)
                .into_iter()
                .map(|(link, target)| LinkJson {
                    link: &link.text,
                    id: target.map(|t| kb.id(t)),
                    title: target.map(|t| kb.title(t)),
                })
                .collect()
        };
        let mut by_relation: Vec<(&'a str, Vec<LinkJson<'a>>)> = Vec::new();
        for (relation, link) in e.typed_links() {
            let target = kb.resolve(&link.text);
            let item = LinkJson {
                link: &link.text,
                id: target.map(|t| kb.id(t)),
                title: target.map(|t| kb.title(t)),
            };
            match by_relation.iter_mut().find(|(r, _)| *r == relation) {
                Some((_, items)) => items.push(item),
                None => by_relation.push((relation, vec![item])),
            }
        }
        by_relation.sort_by_key(|(r, _)| kb.relations().rank(r));
        Shown {
            id: &e.id,
            title: &e.title,
            kind: &e.kind,
            summary: e.summary.as_deref(),
            aliases: e.aliases.iter().map(|a| a.text.as_str()).collect(),
            tags: &e.tags,
            definition: &e.definition,
            examples: &e.examples,
            sources: &e.sources,
            related_approaches: links(&e.related_approaches),
            related_problems: links(&e.related_problems),
            links: ByRelation(by_relation),
            original_links: links(&e.original_links),
            referenced_by: kb
                .typed_backlinks(index)
                .map(|(b, relation)| Ref {
                    id: kb.id(b),
                    title: kb.title(b),
                    relation,
                })
                .collect(),
            provenance: e.provenance.as_ref(),
            file: &e.file,
        }
    }
}
