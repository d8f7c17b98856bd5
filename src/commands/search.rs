//! `otpic search`: ranked full-text hits with highlighted snippets.

use crate::env::Format;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::sanitize;
use crate::search::{self, Hit, Query};
use crate::settings::Settings;
use crate::style::{Paint, Style};
use serde::Serialize;
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
    let more = found.total - hits.len();
    let more_note = format!(
        "{more} more hit{} (--limit 0 shows all)",
        if more == 1 { "" } else { "s" }
    );
    let stems = query.stems();
    let style = &settings.style;
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
                pretty(kb, hit, &stems, style, out)?;
            }
            if more > 0 {
                writeln!(out, "\n{}", style.dim(&format!("… {more_note}")))?;
            }
        }
        Format::Text => {
            for hit in hits {
                let title = highlight(&sanitize::line(kb.title(hit.index)), &stems, style);
                let snippet = highlight(&hit.snippet, &stems, style);
                writeln!(
                    out,
                    "{}\t{title}\t{snippet}",
                    sanitize::line(kb.id(hit.index))
                )?;
            }
        }
    }
    // Piped (or JSON), the count goes to stderr, so that stdout stays the hits.
    if more > 0 && !(settings.terminal && settings.format == Format::Text) {
        let _ = writeln!(err, "otpic: {more_note}");
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

/// A hit on a terminal: the title, wrapped, with its id after it (on the next
/// line when it does not fit, never split); then the snippet, indented.
fn pretty<O: Write + ?Sized>(
    kb: &Index,
    hit: &Hit,
    stems: &[String],
    style: &Style,
    out: &mut O,
) -> Result<()> {
    let title = sanitize::line(kb.title(hit.index));
    let id = sanitize::line(kb.id(hit.index));
    let plain = Style {
        color: false,
        ..*style
    };
    for line in plain.wrap(&[(&title, Paint::Strong), (&id, Paint::Id)], "", "  ") {
        // Style the title's words and the id after wrapping, so widths are plain.
        let (head, tail) = match line.rfind(id.as_ref()) {
            Some(at) if line.ends_with(id.as_ref()) => line.split_at(at),
            _ => (line.as_str(), ""),
        };
        let lead = head.len() - head.trim_start().len();
        let words = head.trim();
        let mut styled = head[..lead].to_owned();
        if !words.is_empty() {
            styled.push_str(&style.strong(&highlight(words, stems, style)));
        }
        if !tail.is_empty() {
            if !words.is_empty() {
                styled.push_str("  ");
            }
            styled.push_str(&style.id(tail));
        }
        writeln!(out, "{styled}")?;
    }
    for line in crate::style::wrap(&hit.snippet, style.width, "  ", "  ") {
        writeln!(out, "{}", highlight(&line, stems, style))?;
    }
    Ok(())
}

/// Marks the words of `line` that match a query stem.
fn highlight(line: &str, stems: &[String], style: &Style) -> String {
    if !style.color {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() * 2);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        if search::matches_word(word, stems) {
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
