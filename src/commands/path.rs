//! `otpic path A B`: the shortest chains of links from one entry to another.

use crate::env::Format;
use crate::error::{Error, Result};
use crate::graph::{self, Filter, Step};
use crate::index::Index;
use crate::links::Direction;
use crate::relation::Relations;
use crate::sanitize;
use crate::settings::Settings;
use crate::style::Style;
use serde::Serialize;
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
    match settings.format {
        Format::Json => {
            let json: Vec<Vec<StepJson>> = found.iter().map(|p| steps_json(kb, p)).collect();
            crate::json::write(out, &json)?;
        }
        Format::Text => {
            for (n, path) in found.iter().enumerate() {
                if found.len() > 1 {
                    if n > 0 {
                        writeln!(out)?;
                    }
                    let links = path.len() - 1;
                    let heading = format!(
                        "Path {} ({links} link{})",
                        n + 1,
                        if links == 1 { "" } else { "s" }
                    );
                    writeln!(out, "{}", settings.style.heading(&heading))?;
                }
                for line in text_lines(kb, relations, path, &settings.style) {
                    writeln!(out, "{line}")?;
                }
            }
        }
        Format::Markdown => {
            use crate::render::markdown::{code, text};
            let mut md = format!(
                "# Path from {} to {}\n",
                text(kb.title(a)),
                text(kb.title(b))
            );
            for (n, path) in found.iter().enumerate() {
                if found.len() > 1 {
                    md.push_str(&format!("\n## Path {}\n", n + 1));
                }
                md.push('\n');
                md.push_str(&format!(
                    "1. **{}** ({})\n",
                    text(kb.title(path[0].entry)),
                    code(kb.id(path[0].entry))
                ));
                for step in &path[1..] {
                    md.push_str(&format!(
                        "1. {} **{}** ({})\n",
                        text(&arrow(relations, step)),
                        text(kb.title(step.entry)),
                        code(kb.id(step.entry))
                    ));
                }
            }
            out.write_all(md.as_bytes())?;
        }
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

/// How a step was reached: "—broader→" for a link followed as written,
/// "←broader—" for one followed from the entry it points to.
pub fn arrow(relations: &Relations, step: &Step<'_>) -> String {
    let Some((relation, direction)) = step.by else {
        return String::new();
    };
    let label = relations.label(relation).to_lowercase();
    match direction {
        Direction::Forward => format!("—{label}→"),
        Direction::Backward => format!("←{label}—"),
    }
}

/// One line per link: "From  —relation→  To".
pub fn text_lines(
    kb: &Index,
    relations: &Relations,
    path: &[Step<'_>],
    style: &Style,
) -> Vec<String> {
    let title = |i: usize| style.strong(&sanitize::line(kb.title(i)));
    if path.len() == 1 {
        return vec![title(path[0].entry)];
    }
    path.windows(2)
        .map(|pair| {
            format!(
                "{}  {}  {}",
                title(pair[0].entry),
                style.dim(&sanitize::line(&arrow(relations, &pair[1]))),
                title(pair[1].entry)
            )
        })
        .collect()
}

/// A step as JSON: the first has no relation and no direction.
#[derive(Serialize)]
pub struct StepJson<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub relation: Option<&'a str>,
    pub direction: Option<Direction>,
}

pub fn steps_json<'a>(kb: &'a Index, path: &[Step<'a>]) -> Vec<StepJson<'a>> {
    path.iter()
        .map(|s| StepJson {
            id: kb.id(s.entry),
            title: kb.title(s.entry),
            relation: s.by.map(|b| b.0),
            direction: s.by.map(|b| b.1),
        })
        .collect()
}
