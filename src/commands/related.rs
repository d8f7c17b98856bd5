//! `otpic related`: what an entry links to and what links to it, breadth-first to a
//! depth; one list per heading at depth 1, a tree of how each entry was reached beyond.

use crate::env::Format;
use crate::error::{Error, Result};
use crate::graph::{self, Filter, Hop};
use crate::index::Index;
use crate::links::{self, Direction};
use crate::relation::Relations;
use crate::sanitize;
use crate::settings::Settings;
use crate::style::{Paint, Style};
use serde::Serialize;
use std::io::Write;

/// What `related` was asked: the entry, how far, which links.
pub struct Request<'q> {
    pub query: &'q str,
    pub exact: bool,
    pub depth: u32,
    pub filter: Filter,
}

pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    request: &Request<'_>,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    let relations = kb.relations();
    check_relations(kb, relations, &request.filter.relations)?;
    let start = super::find_for_view(kb, settings, request.query, request.exact, out, err)?;
    let hops = graph::walk(kb, relations, start, request.depth, &request.filter);
    let tree = request.depth > 1;
    match settings.format {
        Format::Json => {
            let rows: Vec<Row> = hops.iter().map(|h| Row::new(kb, relations, h)).collect();
            crate::json::write(out, &rows)?;
        }
        Format::Text => text(kb, relations, start, &hops, tree, &settings.style, out)?,
        Format::Markdown => {
            out.write_all(markdown(kb, relations, start, &hops, tree).as_bytes())?
        }
    }
    Ok(0)
}

/// A usage error for a `--relation` that no link and no declaration uses.
pub fn check_relations(kb: &Index, relations: &Relations, wanted: &[String]) -> Result<()> {
    for name in wanted {
        if relations.get(name).is_some() {
            continue;
        }
        let used = (0..kb.len()).any(|i| kb.typed_links(i).any(|l| l.relation == name));
        if !used {
            let known: Vec<&str> = relations
                .declared()
                .iter()
                .map(|r| r.name.as_str())
                .collect();
            return Err(Error::Usage(format!(
                "--relation {}: no such relation (known: {})",
                sanitize::line(name),
                known.join(", ")
            )));
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct Row<'a> {
    id: Option<&'a str>,
    title: Option<&'a str>,
    kind: Option<&'a str>,
    summary: Option<&'a str>,
    /// The relation's name, as declared.
    relation: &'a str,
    direction: Direction,
    /// The heading it is listed under.
    label: String,
    depth: u32,
    via: &'a str,
    link: Option<&'a str>,
}

impl<'a> Row<'a> {
    fn new(kb: &'a Index, relations: &Relations, hop: &Hop<'a>) -> Self {
        let t = hop.edge.target;
        Row {
            id: t.map(|t| kb.id(t)),
            title: t.map(|t| kb.title(t)),
            kind: t.map(|t| kb.kind(t)),
            summary: t.and_then(|t| kb.summary(t)),
            relation: hop.edge.relation,
            direction: hop.edge.direction,
            label: links::heading(relations, hop.edge.relation, hop.edge.direction),
            depth: hop.depth,
            via: kb.id(hop.via),
            link: hop.edge.link,
        }
    }
}

/// The hops in groups under their headings, in the order the headings first occur.
fn by_heading<'h, 'a>(
    relations: &Relations,
    hops: &'h [Hop<'a>],
) -> Vec<(String, Vec<&'h Hop<'a>>)> {
    let mut groups: Vec<(String, Vec<&Hop<'a>>)> = Vec::new();
    for hop in hops {
        let heading = links::heading(relations, hop.edge.relation, hop.edge.direction);
        match groups.iter_mut().find(|(h, _)| *h == heading) {
            Some((_, list)) => list.push(hop),
            None => groups.push((heading, vec![hop])),
        }
    }
    // Backlinks without an inverse ("Referenced by") come last, as in `show`.
    groups.sort_by_key(|(h, _)| h == links::REFERENCED_BY);
    groups
}

/// The hops in tree order: each entry followed by the entries reached through it.
fn tree_order<'h, 'a>(start: usize, hops: &'h [Hop<'a>]) -> Vec<&'h Hop<'a>> {
    // The hops reached through each entry, in walk order.
    let mut children: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for (i, h) in hops.iter().enumerate() {
        children.entry(h.via).or_default().push(i);
    }
    let mut out = Vec::with_capacity(hops.len());
    let mut stack: Vec<usize> = children.get(&start).cloned().unwrap_or_default();
    stack.reverse();
    while let Some(i) = stack.pop() {
        out.push(&hops[i]);
        if let Some(t) = hops[i].edge.target
            && let Some(next) = children.get(&t)
        {
            stack.extend(next.iter().rev());
        }
    }
    out
}

/// What an entry links to and what links to it (`related`), one list per heading,
/// or a nested list with `--depth` above 1.
fn markdown(
    kb: &Index,
    relations: &Relations,
    start: usize,
    hops: &[Hop<'_>],
    tree: bool,
) -> String {
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
    let item = |hop: &Hop<'_>| match hop.edge.target {
        Some(t) => {
            let mut item = entry_ref(kb.title(t), kb.id(t));
            if let Some(summary) = kb.summary(t) {
                item.push_str(&format!(": {}", text(summary)));
            }
            item
        }
        None => format!("{} (unresolved)", text(hop.edge.link.unwrap_or_default())),
    };
    if tree {
        out.push('\n');
        for hop in tree_order(start, hops) {
            let name = links::edge_name(relations, hop.edge.relation, hop.edge.direction);
            let kind = hop
                .edge
                .target
                .map(|t| format!(" *{}*", text(kb.kind(t))))
                .unwrap_or_default();
            out.push_str(&format!(
                "{}- {}: {}{kind}\n",
                "  ".repeat(hop.depth as usize - 1),
                text(&name),
                item(hop)
            ));
        }
        return out;
    }
    for (heading, group) in by_heading(relations, hops) {
        out.push_str(&format!("\n## {}\n\n", text(&heading)));
        for hop in group {
            out.push_str(&format!("- {}\n", item(hop)));
        }
    }
    out
}

fn text<O: Write + ?Sized>(
    kb: &Index,
    relations: &Relations,
    start: usize,
    hops: &[Hop<'_>],
    tree: bool,
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
    if tree {
        writeln!(out)?;
        for hop in tree_order(start, hops) {
            let indent = "  ".repeat(hop.depth as usize - 1);
            let name = format!(
                "{}:",
                links::edge_name(relations, hop.edge.relation, hop.edge.direction)
            );
            line(kb, hop, Some(&name), &indent, style, out)?;
        }
        return Ok(());
    }
    for (heading, group) in by_heading(relations, hops) {
        writeln!(out, "\n{}", style.heading(&sanitize::line(&heading)))?;
        for hop in group {
            line(kb, hop, None, "  ", style, out)?;
        }
    }
    Ok(())
}

/// One entry reached: "Title — id", or in a tree "relation: Title — id · kind";
/// its summary below.
fn line<O: Write + ?Sized>(
    kb: &Index,
    hop: &Hop<'_>,
    name: Option<&str>,
    indent: &str,
    style: &Style,
    out: &mut O,
) -> Result<()> {
    let name = name.map(sanitize::line);
    let mut spans: Vec<(&str, Paint)> = Vec::new();
    if let Some(name) = &name {
        spans.push((name, Paint::Dim));
    }
    let deeper = format!("{indent}  ");
    match hop.edge.target {
        Some(t) => {
            let (title, id, kind) = (
                sanitize::line(kb.title(t)),
                sanitize::line(kb.id(t)),
                sanitize::line(kb.kind(t)),
            );
            let kind = format!("· {kind}");
            spans.extend([
                (title.as_ref(), Paint::Strong),
                ("—", Paint::Dim),
                (id.as_ref(), Paint::Id),
            ]);
            // In a tree, where headings do not group the lines, each names its kind.
            if name.is_some() {
                spans.push((kind.as_str(), Paint::Dim));
            }
            for line in style.wrap(&spans, indent, &deeper) {
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
            let link = sanitize::line(hop.edge.link.unwrap_or_default());
            spans.extend([
                (link.as_ref(), Paint::Plain),
                ("(unresolved link)", Paint::Warn),
            ]);
            for line in style.wrap(&spans, indent, &deeper) {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}
