//! `otpic search`: ranked full-text hits with highlighted snippets.

use crate::cli::Format;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::sanitize;
use crate::search::{self, Hit};
use crate::settings::Settings;
use crate::style::{self, Style};
use serde::Serialize;
use std::io::Write;

pub fn run<O: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    query: &[String],
    limit: usize,
    out: &mut O,
) -> Result<u8> {
    let terms = search::terms(query);
    if terms.is_empty() {
        return Err(Error::Usage(
            "nothing to search for: give at least one word of letters or digits".into(),
        ));
    }
    let hits = search::search(kb, &terms, limit);
    if hits.is_empty() {
        return Err(Error::NothingFound(format!(
            "nothing matches \"{}\"",
            query.join(" ")
        )));
    }
    match settings.format {
        Format::Markdown => return Err(super::no_markdown("search")),
        Format::Json => {
            let rows: Vec<Row> = hits
                .iter()
                .map(|h| Row {
                    id: kb.id(h.index),
                    title: kb.title(h.index),
                    score: h.score,
                    snippet: &h.snippet,
                })
                .collect();
            crate::json::write(out, &rows)?;
        }
        Format::Text if settings.terminal => {
            for (n, hit) in hits.iter().enumerate() {
                if n > 0 {
                    writeln!(out)?;
                }
                pretty(kb, hit, &terms, &settings.style, out)?;
            }
        }
        Format::Text => {
            for hit in &hits {
                let style = &settings.style;
                let title = highlight(&sanitize::line(kb.title(hit.index)), &terms, style);
                let snippet = highlight(&hit.snippet, &terms, style);
                writeln!(
                    out,
                    "{}	{title}	{snippet}",
                    sanitize::line(kb.id(hit.index))
                )?;
            }
        }
    }
    Ok(0)
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    title: &'a str,
    score: f64,
    snippet: &'a str,
}

fn pretty<O: Write + ?Sized>(
    kb: &Index,
    hit: &Hit,
    terms: &[String],
    style: &Style,
    out: &mut O,
) -> Result<()> {
    writeln!(
        out,
        "{}  {}",
        style.strong(&highlight(
            &sanitize::line(kb.title(hit.index)),
            terms,
            style
        )),
        style.id(&sanitize::line(kb.id(hit.index)))
    )?;
    for line in style::wrap(&hit.snippet, style.width, "  ", "  ") {
        writeln!(out, "{}", highlight(&line, terms, style))?;
    }
    Ok(())
}

/// Marks the words of `line` that match a query term.
fn highlight(line: &str, terms: &[String], style: &Style) -> String {
    if !style.color {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() * 2);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        if terms.iter().any(|t| search::word_match(&lower, t) > 0.0) {
            out.push_str(&style.mark(word));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in line.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}
