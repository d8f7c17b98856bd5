//! `otpic path A B`: the shortest chains of links from one entry to another,
//! built as a [`PathView`] and rendered in the format asked.

use crate::env::Format;
use crate::error::{Error, Result};
use crate::graph::{self, Filter};
use crate::index::Index;
use crate::render;
use crate::sanitize;
use crate::settings::Settings;
use crate::view::PathView;
use std::io::Write;

/// What `path` was asked.
pub struct Request<'q> {
    pub from: &'q str,
    pub to: &'q str,
    pub exact: bool,
    pub filter: Filter,
    pub count: usize,
}

pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    request: &Request<'_>,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    let relations = kb.relations();
    super::related::check_relations(kb, relations, &request.filter.relations)?;
    let a = super::find(kb, request.from, request.exact, err)?;
    let b = super::find(kb, request.to, request.exact, err)?;
    let found = graph::paths(kb, relations, a, b, &request.filter, request.count);
    if found.is_empty() {
        return Err(Error::NothingFound(no_path(kb, a, b, &request.filter)));
    }
    let view = PathView::new(kb, relations, (a, b), &found);
    match settings.format {
        Format::Json => render::json::path(out, &view)?,
        Format::Text => render::text::path(out, &view, &settings.style)?,
        Format::Markdown => render::markdown::path(out, &view)?,
    }
    Ok(0)
}

/// The message when there is no path, naming the filters that narrowed the search.
fn no_path(kb: &Index, a: usize, b: usize, filter: &Filter) -> String {
    let mut message = format!(
        "no path from {} to {}",
        sanitize::line(kb.id(a)),
        sanitize::line(kb.id(b))
    );
    if !filter.relations.is_empty() {
        message.push_str(&format!(
            " through --relation {}",
            sanitize::line(&filter.relations.join(", "))
        ));
    }
    if filter.directed {
        message.push_str(" following links forwards only (--directed)");
    }
    message
}
