//! `otpic related`: what an entry links to and what links to it, breadth-first to a depth.

use crate::cli::Format;
use crate::entry::Relation;
use crate::error::Result;
use crate::index::Index;
use crate::sanitize;
use crate::settings::Settings;
use crate::style::{Paint, Style};
use serde::Serialize;
use std::collections::{HashSet, VecDeque};
use std::io::Write;

pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    query: &str,
    exact: bool,
    depth: u32,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    let start = super::find_for_view(kb, settings, query, exact, out, err)?;
    let hops = walk(kb, start, depth);
    match settings.format {
        Format::Json => {
            let rows: Vec<Row> = hops.iter().map(|h| Row::new(kb, h)).collect();
            crate::json::write(out, &rows)?;
        }
        Format::Text => text(kb, start, &hops, &settings.style, out)?,
        Format::Markdown => out.write_all(markdown(kb, start, &hops).as_bytes())?,
    }
    Ok(0)
}

/// One step of the walk: an entry (or an unresolved link) reached from `via`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub target: Option<usize>,
    pub link: Option<String>,
    pub relation: Relation,
    pub depth: u32,
    pub via: usize,
}

/// Walks links in both directions, breadth-first, up to `max_depth` steps. Each
/// entry appears once, at the depth where it is first reached; cycles end there.
pub fn walk(kb: &Index, start: usize, max_depth: u32) -> Vec<Hop> {
    let mut hops = Vec::new();
    let mut seen = HashSet::from([start]);
    let mut queue = VecDeque::from([(start, 0u32)]);
    while let Some((from, depth)) = queue.pop_front() {
        if depth >= max_depth {
            continue;
        }
        let forward = [Relation::Approach, Relation::Problem]
            .into_iter()
            .flat_map(|r| {
                kb.links(from, r)
                    .into_iter()
                    .map(move |(link, target)| (r, Some(link.to_owned()), target))
            });
        let backward = kb
            .backlinks(from)
            .into_iter()
            .map(|b| (Relation::ReferencedBy, None, Some(b)));
        for (relation, link, target) in forward.chain(backward).collect::<Vec<_>>() {
            match target {
                Some(t) if seen.insert(t) => {
                    hops.push(Hop {
                        target: Some(t),
                        link,
                        relation,
                        depth: depth + 1,
                        via: from,
                    });
                    queue.push_back((t, depth + 1));
                }
                Some(_) => {}
                None => hops.push(Hop {
                    target: None,
                    link,
                    relation,
                    depth: depth + 1,
                    via: from,
                }),
            }
        }
    }
    hops
}

#[derive(Serialize)]
struct Row<'a> {
    id: Option<&'a str>,
    title: Option<&'a str>,
    kind: Option<&'a str>,
    summary: Option<&'a str>,
    relation: Relation,
    depth: u32,
    via: &'a str,
    link: Option<&'a str>,
}

impl<'a> Row<'a> {
    fn new(kb: &'a Index, hop: &'a Hop) -> Self {
        let t = hop.target;
        Row {
            id: t.map(|t| kb.id(t)),
            title: t.map(|t| kb.title(t)),
            kind: t.map(|t| kb.kind(t)),
            summary: t.and_then(|t| kb.summary(t)),
            relation: hop.relation,
            depth: hop.depth,
            via: kb.id(hop.via),
            link: hop.link.as_deref(),
        }
    }
}

/// What an entry links to and what links to it (`related`), one list per relation;
/// entries further away say how far and through which entry.
fn markdown(kb: &Index, start: usize, hops: &[Hop]) -> String {
    use crate::export::{code, entry_ref, text};
    let mut out = format!(
        "# Related to {} ({})\n",
        text(kb.title(start)),
        code(kb.id(start))
    );
    if hops.is_empty() {
        out.push_str("\nNothing links to or from this entry.\n");
        return out;
    }
    for (heading, relation) in [
        ("Related approaches", Relation::Approach),
        ("Related problems", Relation::Problem),
        ("Referenced by", Relation::ReferencedBy),
    ] {
        let group: Vec<&Hop> = hops.iter().filter(|h| h.relation == relation).collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {heading}\n\n"));
        for hop in group {
            let mut item = match hop.target {
                Some(t) => {
                    let mut item = entry_ref(kb.title(t), kb.id(t));
                    if let Some(summary) = kb.summary(t) {
                        item.push_str(&format!(": {}", text(summary)));
                    }
                    item
                }
                None => format!(
                    "{} (unresolved)",
                    text(hop.link.as_deref().unwrap_or_default())
                ),
            };
            if hop.depth > 1 {
                item.push_str(&format!(
                    " (depth {}, via {})",
                    hop.depth,
                    code(kb.id(hop.via))
                ));
            }
            out.push_str(&format!("- {item}\n"));
        }
    }
    out
}

fn text<O: Write + ?Sized>(
    kb: &Index,
    start: usize,
    hops: &[Hop],
    style: &Style,
    out: &mut O,
) -> Result<()> {
    writeln!(
        out,
        "{} {}",
        style.strong(&sanitize::line(kb.title(start))),
        style.dim(&format!("({})", sanitize::line(kb.id(start))))
    )?;
    if hops.is_empty() {
        writeln!(out, "\nNothing links to or from this entry.")?;
        return Ok(());
    }
    for (heading, relation) in [
        ("Related approaches", Relation::Approach),
        ("Related problems", Relation::Problem),
        ("Referenced by", Relation::ReferencedBy),
    ] {
        let group: Vec<&Hop> = hops.iter().filter(|h| h.relation == relation).collect();
        if group.is_empty() {
            continue;
        }
        writeln!(out, "\n{}", style.heading(heading))?;
        for hop in group {
            let indent = "  ".repeat(hop.depth as usize);
            let via = hop
                .depth
                .gt(&1)
                .then(|| format!("(via {})", sanitize::line(kb.id(hop.via))));
            let via = via.as_deref().unwrap_or_default();
            match hop.target {
                Some(t) => {
                    let (title, id) = (sanitize::line(kb.title(t)), sanitize::line(kb.id(t)));
                    let spans = [
                        (title.as_ref(), Paint::Strong),
                        ("—", Paint::Dim),
                        (id.as_ref(), Paint::Id),
                        (via, Paint::Dim),
                    ];
                    let deeper = format!("{indent}  ");
                    for line in style.wrap(&spans, &indent, &deeper) {
                        writeln!(out, "{line}")?;
                    }
                    if let Some(summary) = kb.summary(t) {
                        for line in style.wrap(
                            &[(&sanitize::line(summary), Paint::Plain)],
                            &deeper,
                            &deeper,
                        ) {
                            writeln!(out, "{line}")?;
                        }
                    }
                }
                None => {
                    let link = sanitize::line(hop.link.as_deref().unwrap_or_default());
                    let spans = [
                        (link.as_ref(), Paint::Plain),
                        ("(unresolved link)", Paint::Warn),
                        (via, Paint::Dim),
                    ];
                    for line in style.wrap(&spans, &indent, &format!("{indent}  ")) {
                        writeln!(out, "{line}")?;
                    }
                }
            }
        }
    }
    Ok(())
}
