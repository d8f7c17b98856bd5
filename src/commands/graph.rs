//! `otpic graph`: the concept graph, whole or around one entry, as text, JSON,
//! Markdown, Graphviz (`dot`) or Mermaid.
//!
//! The graph is built once as data ([`View`]: nodes, edges, unresolved links,
//! all sorted by id, then relation) and each format renders it, so the same
//! graph always gives the same bytes.

use crate::env::{Diagram, Format};
use crate::error::{Error, Result};
use crate::graph::{self, Filter};
use crate::index::Index;
use crate::relation::Relations;
use crate::sanitize;
use crate::settings::Settings;
use serde::Serialize;
use std::io::Write;

/// What `graph` was asked.
pub struct Request<'q> {
    pub query: Option<&'q str>,
    pub exact: bool,
    pub depth: u32,
    pub relations: Vec<String>,
    pub kinds: Vec<String>,
    pub tags: Vec<String>,
}

/// The graph to draw.
#[derive(Debug, Serialize)]
pub struct View<'a> {
    pub nodes: Vec<Node<'a>>,
    pub edges: Vec<EdgeJson<'a>>,
    pub unresolved: Vec<Unresolved<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Node<'a> {
    #[serde(skip)]
    pub index: usize,
    pub id: &'a str,
    pub title: &'a str,
    pub kind: &'a str,
}

#[derive(Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct EdgeJson<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub relation: &'a str,
}

#[derive(Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unresolved<'a> {
    pub from: &'a str,
    pub link: &'a str,
    pub relation: &'a str,
}

pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    request: &Request<'_>,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    let relations = kb.relations();
    super::related::check_relations(kb, relations, &request.relations)?;
    let start = match request.query {
        Some(q) => Some(super::find(kb, q, request.exact, err)?),
        None => None,
    };
    let view = build(kb, relations, start, request);
    if view.nodes.is_empty() {
        return Err(Error::NothingFound(
            "no entry matches --kind and --tag".into(),
        ));
    }
    let rendered = match (settings.diagram, settings.format) {
        (Some(Diagram::Dot), _) => dot(&view, relations),
        (Some(Diagram::Mermaid), _) => {
            if view.edges.len() > MERMAID_MAX_EDGES {
                let _ = writeln!(
                    err,
                    "otpic: warning: {} links; Mermaid draws at most {MERMAID_MAX_EDGES} unless its \
                     maxEdges setting is raised, which GitHub's renderer does not do: narrow the \
                     graph with an entry and --depth, --relation, --kind or --tag",
                    view.edges.len()
                );
            }
            mermaid(&view, relations)
        }
        (None, Format::Json) => {
            crate::json::write(out, &view)?;
            return Ok(0);
        }
        (None, Format::Markdown) => markdown(kb, &view, relations),
        (None, Format::Text) => text(&view, relations, &settings.style),
    };
    out.write_all(rendered.as_bytes())?;
    Ok(0)
}

/// The nodes (the whole knowledge base, or the neighbourhood of `start`), kept
/// by kind and tag, and the links between them.
fn build<'a>(
    kb: &'a Index,
    relations: &Relations,
    start: Option<usize>,
    request: &Request<'_>,
) -> View<'a> {
    let filter = Filter {
        relations: request.relations.clone(),
        ..Filter::default()
    };
    let candidates: Vec<usize> = match start {
        Some(s) => graph::neighbourhood(kb, relations, s, request.depth, &filter),
        None => (0..kb.len()).collect(),
    };
    let kinds: Vec<String> = request.kinds.iter().map(|k| k.to_lowercase()).collect();
    let tags: Vec<String> = request.tags.iter().map(|t| t.to_lowercase()).collect();
    let keep = |i: usize| {
        Some(i) == start
            || ((kinds.is_empty() || kinds.iter().any(|k| k == kb.kind(i)))
                && (tags.is_empty() || kb.tags(i).any(|t| tags.iter().any(|w| w == t))))
    };
    let mut member = vec![false; kb.len()];
    let mut nodes = Vec::new();
    for i in candidates.into_iter().filter(|&i| keep(i)) {
        member[i] = true;
        nodes.push(Node {
            index: i,
            id: kb.id(i),
            title: kb.title(i),
            kind: kb.kind(i),
        });
    }
    let mut edges = Vec::new();
    let mut unresolved = Vec::new();
    let follows =
        |r: &str| request.relations.is_empty() || request.relations.iter().any(|w| w == r);
    for n in &nodes {
        for link in kb.typed_links(n.index).filter(|l| follows(l.relation)) {
            match link.target {
                Some(t) if member[t] => edges.push(EdgeJson {
                    from: n.id,
                    to: kb.id(t),
                    relation: link.relation,
                }),
                Some(_) => {}
                None => unresolved.push(Unresolved {
                    from: n.id,
                    link: link.text,
                    relation: link.relation,
                }),
            }
        }
    }
    let rank = |r: &str| relations.rank(r).0;
    edges.sort_by(|x, y| {
        (x.from, x.to, rank(x.relation), x.relation).cmp(&(
            y.from,
            y.to,
            rank(y.relation),
            y.relation,
        ))
    });
    edges.dedup();
    unresolved.sort();
    unresolved.dedup();
    View {
        nodes,
        edges,
        unresolved,
    }
}

/// The items of `sorted` (sorted by `from`) that start at `id`.
fn outgoing<'s, T>(sorted: &'s [T], id: &str, from: impl Fn(&T) -> &str) -> &'s [T] {
    let start = sorted.partition_point(|x| from(x) < id);
    let end = start + sorted[start..].partition_point(|x| from(x) == id);
    &sorted[start..end]
}

/// Each node with its outgoing links, readable in a terminal.
fn text<'a>(view: &View<'a>, relations: &Relations, style: &crate::style::Style) -> String {
    let mut out = String::new();
    let title_of = |id: &'a str| -> &'a str {
        view.nodes
            .binary_search_by(|n| n.id.cmp(id))
            .map_or(id, |i| view.nodes[i].title)
    };
    for node in &view.nodes {
        out.push_str(&format!(
            "{} {}\n",
            style.strong(&sanitize::line(node.title)),
            style.dim(&format!(
                "({} · {})",
                sanitize::line(node.id),
                sanitize::line(node.kind)
            ))
        ));
        for e in outgoing(&view.edges, node.id, |e| e.from) {
            out.push_str(&format!(
                "  {} {} {}\n",
                style.dim(&format!(
                    "—{}→",
                    sanitize::line(&relations.label(e.relation).to_lowercase())
                )),
                sanitize::line(title_of(e.to)),
                style.dim(&format!("({})", sanitize::line(e.to)))
            ));
        }
        for u in outgoing(&view.unresolved, node.id, |u| u.from) {
            out.push_str(&format!(
                "  {} {} {}\n",
                style.dim(&format!(
                    "—{}→",
                    sanitize::line(&relations.label(u.relation).to_lowercase())
                )),
                sanitize::line(u.link),
                style.warn("(unresolved link)")
            ));
        }
    }
    out
}

/// The same as a Markdown list: each node, its links nested below.
fn markdown(kb: &Index, view: &View<'_>, relations: &Relations) -> String {
    use crate::render::markdown::{code, text};
    let mut out = String::from("# Graph\n\n");
    for node in &view.nodes {
        out.push_str(&format!(
            "- **{}** ({}) · *{}*\n",
            text(node.title),
            code(node.id),
            text(node.kind)
        ));
        for e in outgoing(&view.edges, node.id, |e| e.from) {
            let title = kb.by_id(e.to).map_or(e.to, |t| kb.title(t));
            out.push_str(&format!(
                "  - {}: **{}** ({})\n",
                text(&relations.label(e.relation)),
                text(title),
                code(e.to)
            ));
        }
        for u in outgoing(&view.unresolved, node.id, |u| u.from) {
            out.push_str(&format!(
                "  - {}: {} (unresolved)\n",
                text(&relations.label(u.relation)),
                text(u.link)
            ));
        }
    }
    out
}

/// The Graphviz shape and fill colour of a kind.
fn dot_style(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "approach" => ("box", "#cfe2f3"),
        "problem" => ("octagon", "#f4cccc"),
        "concept" => ("ellipse", "#fff2cc"),
        "organization" => ("component", "#d9ead3"),
        "case" => ("note", "#ead1dc"),
        "document" => ("tab", "#d9d2e9"),
        "programme" => ("folder", "#fce5cd"),
        _ => ("ellipse", "#eeeeee"),
    }
}

/// A DOT string literal.
fn dot_string(s: &str) -> String {
    let clean = sanitize::line(s);
    let mut out = String::with_capacity(clean.len() + 2);
    out.push('"');
    for c in clean.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Graphviz input: nodes labelled by title, shaped and coloured by kind, edges
/// labelled by relation; symmetric relations drawn without arrowheads.
pub fn dot(view: &View<'_>, relations: &Relations) -> String {
    let mut out = String::from(
        "digraph otpic {\n  graph [rankdir=LR];\n  node [style=filled, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    for n in &view.nodes {
        let (shape, fill) = dot_style(n.kind);
        out.push_str(&format!(
            "  {} [label={}, shape={shape}, fillcolor=\"{fill}\", tooltip={}];\n",
            dot_string(n.id),
            dot_string(n.title),
            dot_string(n.kind)
        ));
    }
    for e in &view.edges {
        let dir = if relations.is_symmetric(e.relation) {
            ", dir=none"
        } else {
            ""
        };
        out.push_str(&format!(
            "  {} -> {} [label={}{dir}];\n",
            dot_string(e.from),
            dot_string(e.to),
            dot_string(&relations.label(e.relation))
        ));
    }
    out.push_str("}\n");
    out
}

/// Text inside a Mermaid quoted label: quotes, `#`, `<` and `>` as entity codes.
fn mermaid_text(s: &str) -> String {
    let clean = sanitize::line(s);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            _ => out.push(c),
        }
    }
    out
}

/// The Mermaid class of a kind: letters and digits only, never a keyword.
fn mermaid_class(kind: &str) -> String {
    let word: String = kind
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("kind_{word}")
}

/// Mermaid's default `maxEdges`: a flowchart with more links is refused ("Edge
/// limit exceeded"), and a diagram cannot raise it for itself.
const MERMAID_MAX_EDGES: usize = 500;

/// A Mermaid `flowchart LR`. Node ids are `n0`, `n1`… in id order, safe whatever
/// the entry id; titles and relation labels are quoted.
pub fn mermaid(view: &View<'_>, relations: &Relations) -> String {
    let mut out = String::from("flowchart LR\n");
    let number = |id: &str| view.nodes.binary_search_by(|n| n.id.cmp(id)).unwrap_or(0);
    for (i, n) in view.nodes.iter().enumerate() {
        out.push_str(&format!("  n{i}[\"{}\"]\n", mermaid_text(n.title)));
    }
    for e in &view.edges {
        let arrow = if relations.is_symmetric(e.relation) {
            "---"
        } else {
            "-->"
        };
        out.push_str(&format!(
            "  n{} {arrow}|\"{}\"| n{}\n",
            number(e.from),
            mermaid_text(&relations.label(e.relation)),
            number(e.to)
        ));
    }
    let mut kinds: Vec<&str> = view.nodes.iter().map(|n| n.kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let (_, fill) = dot_style(kind);
        let class = mermaid_class(kind);
        out.push_str(&format!("  classDef {class} fill:{fill},stroke:#555\n"));
        let members: Vec<String> = view
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == kind)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        out.push_str(&format!("  class {} {class}\n", members.join(",")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_strings_escape_quotes_and_backslashes() {
        assert_eq!(dot_string("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
    }

    #[test]
    fn mermaid_text_escapes_what_would_end_or_change_a_label() {
        assert_eq!(
            mermaid_text("a \"b\" #1 <i>"),
            "a #quot;b#quot; #35;1 #lt;i#gt;"
        );
        assert_eq!(mermaid_class("case study"), "kind_case_study");
    }
}
