//! `otpic graph`: the concept graph, whole or around one entry, as text, JSON,
//! Markdown, Graphviz (`dot`) or Mermaid.
//!
//! The command picks the nodes (the whole knowledge base or a neighbourhood,
//! kept by kind and tag); the graph is built once as a [`GraphView`] and each
//! format renders it, so the same graph always gives the same bytes.

use crate::env::{Diagram, Format};
use crate::error::{Error, Result};
use crate::graph::{self, Filter};
use crate::index::Index;
use crate::relation::Relations;
use crate::render;
use crate::settings::Settings;
use crate::view::GraphView;
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
    let nodes = nodes(kb, relations, start, request);
    if nodes.is_empty() {
        return Err(Error::NothingFound(
            "no entry matches --kind and --tag".into(),
        ));
    }
    let view = GraphView::new(kb, relations, &nodes, &request.relations);
    match (settings.diagram, settings.format) {
        (Some(Diagram::Dot), _) => render::dot::graph(out, &view)?,
        (Some(Diagram::Mermaid), _) => {
            let max = render::mermaid::MAX_EDGES;
            if view.edges.len() > max {
                let _ = writeln!(
                    err,
                    "otpic: warning: {} links; Mermaid draws at most {max} unless its \
                     maxEdges setting is raised, which GitHub's renderer does not do: narrow the \
                     graph with an entry and --depth, --relation, --kind or --tag",
                    view.edges.len()
                );
            }
            render::mermaid::graph(out, &view)?
        }
        (None, Format::Json) => render::json::graph(out, &view)?,
        (None, Format::Markdown) => render::markdown::graph(out, &view)?,
        (None, Format::Text) => render::text::graph(out, &view, &settings.style)?,
    }
    Ok(0)
}

/// The nodes, in id order: the whole knowledge base, or the neighbourhood of
/// `start`, kept by kind and tag (`start` itself always).
fn nodes(
    kb: &Index,
    relations: &Relations,
    start: Option<usize>,
    request: &Request<'_>,
) -> Vec<usize> {
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
    candidates.into_iter().filter(|&i| keep(i)).collect()
}
