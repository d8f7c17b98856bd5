//! `otpic search`: ranked full-text hits with highlighted snippets.

use crate::env::Format;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::render;
use crate::search::{self, Query};
use crate::settings::Settings;
use crate::view::SearchView;
use std::io::Write;

pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    words: &[String],
    limit: usize,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    let text = words.join(" ");
    crate::lookup::check_length(&text)?;
    if settings.format == Format::Markdown {
        return Err(super::no_markdown("search"));
    }
    let mut query = Query::parse(words);
    if !query.kinds.is_empty() {
        let mut known: Vec<&str> = (0..kb.len()).map(|i| kb.kind(i)).collect();
        known.sort_unstable();
        known.dedup();
        query.kinds = query
            .kinds
            .iter()
            .map(|k| crate::kinds::resolve(k, &known))
            .collect::<std::result::Result<_, _>>()
            .map_err(Error::Usage)?;
    }
    if query.terms.is_empty() {
        if crate::tokenize::split(&text).next().is_none() {
            return Err(Error::Usage(
                "nothing to search for: give at least one word of letters or digits".into(),
            ));
        }
        if settings.format == Format::Json {
            writeln!(out, "[]")?;
        }
        return Err(Error::NothingFound(format!(
            "nothing matches \"{text}\": it holds only common words (\"the\", \"of\"…), which find nothing by themselves"
        )));
    }
    // 0 means no limit.
    let limit = if limit == 0 { usize::MAX } else { limit };
    let found = search::search(kb, &query, limit);
    let hits = &found.hits;
    if hits.is_empty() {
        if settings.format == Format::Json {
            writeln!(out, "[]")?;
        }
        return Err(Error::NothingFound(format!("nothing matches \"{text}\"")));
    }
    let view = SearchView::new(kb, hits, found.total, query.stems());
    let style = &settings.style;
    match settings.format {
        Format::Markdown => return Err(super::no_markdown("search")),
        Format::Json => render::json::search(out, &view)?,
        Format::Text if settings.terminal => render::text::search(out, &view, style)?,
        Format::Text => render::text::search_lines(out, &view, style)?,
    }
    // Piped (or JSON), the count goes to stderr, so that stdout stays the hits.
    if view.more > 0 && !(settings.terminal && settings.format == Format::Text) {
        let _ = writeln!(err, "otpic: {}", view.more_note());
    }
    Ok(0)
}
