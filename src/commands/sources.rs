//! `otpic sources`: the works the selected entries cite, as one bibliography (text, JSON, BibTeX, CSL-JSON, RIS).

use crate::bibliography::{self, BibFormat, Work};
use crate::entry::Entry;
use crate::env::Format;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::sanitize;
use crate::select::{self, Selection};
use crate::settings::Settings;
use crate::style::{Paint, Style};
use serde::Serialize;
use std::io::Write;

pub fn run<O: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    selection: &Selection,
    out: &mut O,
) -> Result<u8> {
    if settings.format == Format::Markdown {
        return Err(Error::Usage(
            "--format markdown is not a bibliography format: use text, json, bibtex, csl-json or ris"
                .into(),
        ));
    }
    let chosen = select::select(kb, selection)?;
    let entries: Vec<Entry> = chosen.iter().map(|&i| kb.entry(i)).collect::<Result<_>>()?;
    let refs: Vec<&Entry> = entries.iter().collect();
    let is_organisation = |name: &str| kb.resolve(name).is_some();
    let works = bibliography::gather(&refs, &is_organisation);
    match (settings.bibliography, settings.format) {
        (Some(BibFormat::Bibtex), _) => {
            out.write_all(bibliography::bibtex::render(&works).as_bytes())?
        }
        (Some(BibFormat::Ris), _) => out.write_all(bibliography::ris::render(&works).as_bytes())?,
        (Some(BibFormat::CslJson), _) => {
            crate::json::write(out, &bibliography::csl::items(&works))?
        }
        (None, Format::Json) => {
            let rows: Vec<Row> = works.iter().map(Row::from).collect();
            crate::json::write(out, &rows)?
        }
        (None, _) => text(&works, entries.len(), &settings.style, out)?,
    }
    Ok(0)
}

/// A work in `--format json`.
#[derive(Serialize)]
struct Row<'a> {
    key: &'a str,
    #[serde(rename = "type")]
    kind: bibliography::Kind,
    title: &'a str,
    author: Option<&'a str>,
    names: &'a bibliography::names::Names,
    year: Option<&'a crate::raw::Year>,
    url: Option<&'a str>,
    description: Option<&'a str>,
    venue: &'a bibliography::Venue,
    /// What a citation needs and the work lacks: "author", "year".
    missing: Vec<&'static str>,
    cited_by: &'a [bibliography::CitedBy],
}

impl<'a> From<&'a Work> for Row<'a> {
    fn from(w: &'a Work) -> Self {
        Row {
            key: &w.key,
            kind: w.kind(),
            title: &w.title,
            author: w.author.as_deref(),
            names: &w.names,
            year: w.year.as_ref(),
            url: w.url.as_deref(),
            description: w.description.as_deref(),
            venue: &w.venue,
            missing: w.missing(),
            cited_by: &w.cited_by,
        }
    }
}

fn text<O: Write + ?Sized>(
    works: &[Work],
    entries: usize,
    style: &Style,
    out: &mut O,
) -> Result<()> {
    let indent = "    ";
    for work in works {
        let author = work.author.as_deref().map(sanitize::line);
        let year = work.year.as_ref().map_or_else(
            || "n.d.".to_owned(),
            |y| sanitize::line(&y.to_string()).into_owned(),
        );
        let mut head: Vec<(&str, Paint)> = vec![];
        let byline = match &author {
            Some(a) => format!("{a} ({year})"),
            None => format!("({year})"),
        };
        head.push((&byline, Paint::Plain));
        let missing = work.missing();
        let flag = if missing.is_empty() {
            String::new()
        } else {
            format!("[no {}]", missing.join(", no "))
        };
        head.push((&flag, Paint::Warn));
        let key = format!("[{}]", work.key);
        head.push((&key, Paint::Dim));
        for line in style.wrap(&head, "", indent) {
            writeln!(out, "{line}")?;
        }
        let title = sanitize::line(&work.title);
        for line in style.wrap(&[(&title, Paint::Strong)], indent, indent) {
            writeln!(out, "{line}")?;
        }
        if let Some(venue) = work.venue.describe() {
            let venue = sanitize::line(&venue);
            for line in style.wrap(&[(&venue, Paint::Plain)], indent, indent) {
                writeln!(out, "{line}")?;
            }
        }
        if let Some(url) = &work.url {
            writeln!(out, "{indent}{}", sanitize::line(url))?;
        }
        let cited: Vec<String> = work
            .cited_by
            .iter()
            .map(|c| {
                let role = match c.role {
                    bibliography::Role::Example => "example",
                    bibliography::Role::Source => "source",
                };
                format!("{} ({role})", sanitize::line(&c.id))
            })
            .collect();
        let cited = cited.join(", ");
        let spans = [("cited by", Paint::Dim), (cited.as_str(), Paint::Id)];
        for line in style.wrap(&spans, indent, &format!("{indent}  ")) {
            writeln!(out, "{line}")?;
        }
        writeln!(out)?;
    }
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let no_author = works.iter().filter(|w| w.author.is_none()).count();
    let no_year = works.iter().filter(|w| w.year.is_none()).count();
    writeln!(
        out,
        "{}",
        style.dim(&format!(
            "{} cited by {}; {} without an author, {} without a year",
            count(works.len(), "work", "works"),
            count(entries, "entry", "entries"),
            no_author,
            no_year
        ))
    )?;
    Ok(())
}
