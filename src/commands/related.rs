//! `otpic related`: what an entry links to and what links to it, breadth-first to a
//! depth; one list per heading at depth 1, a tree of how each entry was reached beyond.

use crate::env::Format;
use crate::error::{Error, Result};
use crate::graph::{self, Filter};
use crate::index::Index;
use crate::relation::Relations;
use crate::render;
use crate::sanitize;
use crate::settings::Settings;
use crate::view::RelatedView;
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
    let view = RelatedView::new(kb, relations, start, &hops, request.depth > 1);
    match settings.format {
        Format::Json => render::json::related(out, &view)?,
        Format::Text => render::text::related(out, &view, &settings.style)?,
        Format::Markdown => render::markdown::related(out, &view)?,
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
