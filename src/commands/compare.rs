//! `otpic compare A B`: what tells two entries apart: their summaries side by side,
//! the links between them (or the shortest path), shared and distinct neighbours
//! and tags.

use crate::env::Format;
use crate::error::Result;
use crate::graph::{self, Filter};
use crate::index::Index;
use crate::links::{self, Direction};
use crate::relation::Relations;
use crate::sanitize;
use crate::settings::Settings;
use crate::style::{self, Paint, Style};
use serde::Serialize;
use std::io::Write;

/// The narrowest width at which the two entries go side by side.
const TWO_COLUMNS: usize = 100;

#[derive(Serialize)]
struct Side<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    summary: Option<&'a str>,
}

#[derive(Serialize)]
struct Direct<'a> {
    from: &'a str,
    to: &'a str,
    relation: &'a str,
}

#[derive(Serialize)]
struct Shared<'a> {
    id: &'a str,
    title: &'a str,
    relation_a: &'a str,
    direction_a: Direction,
    relation_b: &'a str,
    direction_b: Direction,
}

#[derive(Serialize)]
struct Only<'a> {
    id: &'a str,
    title: &'a str,
    relation: &'a str,
    direction: Direction,
}

#[derive(Serialize)]
struct Tags<'a> {
    shared: Vec<&'a str>,
    only_a: Vec<&'a str>,
    only_b: Vec<&'a str>,
}

/// The comparison, built once and rendered per format.
#[derive(Serialize)]
struct Comparison<'a> {
    a: Side<'a>,
    b: Side<'a>,
    direct: Vec<Direct<'a>>,
    path: Vec<super::path::StepJson<'a>>,
    shared: Vec<Shared<'a>>,
    only_a: Vec<Only<'a>>,
    only_b: Vec<Only<'a>>,
    tags: Tags<'a>,
    #[serde(skip)]
    path_steps: Vec<graph::Step<'a>>,
}

pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    (a, b, exact): (&str, &str, bool),
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    let relations = kb.relations();
    let a = super::find(kb, a, exact, err)?;
    let b = super::find(kb, b, exact, err)?;
    let c = compare(kb, relations, a, b);
    match settings.format {
        Format::Json => crate::json::write(out, &c)?,
        Format::Text => out.write_all(text(kb, relations, &c, &settings.style).as_bytes())?,
        Format::Markdown => out.write_all(markdown(relations, &c).as_bytes())?,
    }
    Ok(0)
}

/// Each neighbour of `entry` once, with the first relation that reaches it, by id.
fn neighbours<'a>(
    kb: &'a Index,
    relations: &Relations,
    entry: usize,
) -> Vec<(usize, &'a str, Direction)> {
    let mut out: Vec<(usize, &'a str, Direction)> = Vec::new();
    for e in graph::neighbours(kb, relations, entry, &Filter::default()) {
        if let Some(t) = e.target
            && t != entry
            && !out.iter().any(|o| o.0 == t)
        {
            out.push((t, e.relation, e.direction));
        }
    }
    out.sort_by_key(|o| o.0);
    out
}

fn compare<'a>(kb: &'a Index, relations: &Relations, a: usize, b: usize) -> Comparison<'a> {
    let side = |i: usize| Side {
        id: kb.id(i),
        title: kb.title(i),
        kind: kb.kind(i),
        summary: kb.summary(i),
    };
    let mut direct = Vec::new();
    for (from, to) in [(a, b), (b, a)] {
        for l in kb.typed_links(from).filter(|l| l.target == Some(to)) {
            direct.push(Direct {
                from: kb.id(from),
                to: kb.id(to),
                relation: l.relation,
            });
        }
    }
    let path_steps = if direct.is_empty() && a != b {
        graph::paths(kb, relations, a, b, &Filter::default(), 1)
            .into_iter()
            .next()
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let (na, nb) = (neighbours(kb, relations, a), neighbours(kb, relations, b));
    let mut shared = Vec::new();
    let mut only_a = Vec::new();
    for &(t, relation, direction) in na.iter().filter(|n| n.0 != b) {
        match nb.iter().find(|n| n.0 == t) {
            Some(&(_, relation_b, direction_b)) => shared.push(Shared {
                id: kb.id(t),
                title: kb.title(t),
                relation_a: relation,
                direction_a: direction,
                relation_b,
                direction_b,
            }),
            None => only_a.push(Only {
                id: kb.id(t),
                title: kb.title(t),
                relation,
                direction,
            }),
        }
    }
    let only_b = nb
        .iter()
        .filter(|n| n.0 != a && !na.iter().any(|m| m.0 == n.0))
        .map(|&(t, relation, direction)| Only {
            id: kb.id(t),
            title: kb.title(t),
            relation,
            direction,
        })
        .collect();
    let (ta, tb): (Vec<&str>, Vec<&str>) = (kb.tags(a).collect(), kb.tags(b).collect());
    let mut tags = Tags {
        shared: ta.iter().filter(|t| tb.contains(t)).copied().collect(),
        only_a: ta.iter().filter(|t| !tb.contains(t)).copied().collect(),
        only_b: tb.iter().filter(|t| !ta.contains(t)).copied().collect(),
    };
    for list in [&mut tags.shared, &mut tags.only_a, &mut tags.only_b] {
        list.sort_unstable();
        list.dedup();
    }
    Comparison {
        a: side(a),
        b: side(b),
        direct,
        path: super::path::steps_json(kb, &path_steps),
        shared,
        only_a,
        only_b,
        tags,
        path_steps,
    }
}

/// An entry's title, kind and id, and summary, as lines of at most `width`.
fn column(s: &Side<'_>, width: usize) -> Vec<(String, Paint)> {
    let mut lines: Vec<(String, Paint)> = style::wrap(&sanitize::line(s.title), width, "", "")
        .into_iter()
        .map(|l| (l, Paint::Heading))
        .collect();
    let meta = format!("{} · {}", sanitize::line(s.kind), sanitize::line(s.id));
    lines.extend(
        style::wrap(&meta, width, "", "")
            .into_iter()
            .map(|l| (l, Paint::Dim)),
    );
    if let Some(summary) = s.summary {
        lines.push((String::new(), Paint::Plain));
        lines.extend(
            style::wrap(&sanitize::line(summary), width, "", "")
                .into_iter()
                .map(|l| (l, Paint::Plain)),
        );
    }
    lines
}

fn text(kb: &Index, relations: &Relations, c: &Comparison<'_>, st: &Style) -> String {
    let mut out = String::new();
    if st.width >= TWO_COLUMNS {
        let col = (st.width - 3) / 2;
        let (left, right) = (column(&c.a, col), column(&c.b, col));
        for i in 0..left.len().max(right.len()) {
            let cell = |lines: &[(String, Paint)]| {
                lines
                    .get(i)
                    .cloned()
                    .unwrap_or((String::new(), Paint::Plain))
            };
            let (l, lp) = cell(&left);
            let (r, rp) = cell(&right);
            let padding = " ".repeat(col.saturating_sub(style::columns(&l)));
            let line = format!("{}{padding} │ {}", st.painted(lp, &l), st.painted(rp, &r));
            out.push_str(line.trim_end());
            out.push('\n');
        }
    } else {
        for (n, side) in [&c.a, &c.b].into_iter().enumerate() {
            if n > 0 {
                out.push('\n');
            }
            for (l, p) in column(side, st.width) {
                out.push_str(&st.painted(p, &l));
                out.push('\n');
            }
        }
    }
    let mut section = |heading: &str, lines: Vec<String>| {
        out.push('\n');
        out.push_str(&st.heading(heading));
        out.push('\n');
        if lines.is_empty() {
            out.push_str(&format!("  {}\n", st.dim("none")));
        }
        for line in lines {
            out.push_str(&format!("  {line}\n"));
        }
    };
    let title = |id: &str| sanitize::line(kb.by_id(id).map_or(id, |i| kb.title(i))).into_owned();
    if !c.direct.is_empty() || c.path_steps.is_empty() {
        section(
            "Links between them",
            c.direct
                .iter()
                .map(|d| {
                    format!(
                        "{}  {}  {}",
                        st.strong(&title(d.from)),
                        st.dim(&format!("—{}→", relations.label(d.relation).to_lowercase())),
                        st.strong(&title(d.to))
                    )
                })
                .collect(),
        );
    } else {
        section(
            "Shortest path (no direct link)",
            super::path::text_lines(kb, relations, &c.path_steps, st),
        );
    }
    let name = |relation: &str, direction: Direction| {
        sanitize::line(&links::edge_name(relations, relation, direction)).into_owned()
    };
    section(
        "Shared neighbours",
        c.shared
            .iter()
            .map(|s| {
                format!(
                    "{} {}  {}",
                    st.strong(&sanitize::line(s.title)),
                    st.dim(&format!("({})", sanitize::line(s.id))),
                    st.dim(&format!(
                        "A: {} · B: {}",
                        name(s.relation_a, s.direction_a),
                        name(s.relation_b, s.direction_b)
                    ))
                )
            })
            .collect(),
    );
    let only = |list: &[Only<'_>]| -> Vec<String> {
        list.iter()
            .map(|o| {
                format!(
                    "{} {}  {}",
                    st.strong(&sanitize::line(o.title)),
                    st.dim(&format!("({})", sanitize::line(o.id))),
                    st.dim(&name(o.relation, o.direction))
                )
            })
            .collect()
    };
    section(
        &format!("Only {}", sanitize::line(c.a.title)),
        only(&c.only_a),
    );
    section(
        &format!("Only {}", sanitize::line(c.b.title)),
        only(&c.only_b),
    );
    let tags = |t: &[&str]| {
        if t.is_empty() {
            st.dim("none")
        } else {
            sanitize::line(&t.join(", ")).into_owned()
        }
    };
    section(
        "Tags",
        vec![
            format!("shared: {}", tags(&c.tags.shared)),
            format!("only {}: {}", sanitize::line(c.a.id), tags(&c.tags.only_a)),
            format!("only {}: {}", sanitize::line(c.b.id), tags(&c.tags.only_b)),
        ],
    );
    out
}

fn markdown(relations: &Relations, c: &Comparison<'_>) -> String {
    use crate::render::markdown::{code, text};
    let mut out = format!("# {} and {}\n", text(c.a.title), text(c.b.title));
    for s in [&c.a, &c.b] {
        out.push_str(&format!(
            "\n## {} ({})\n\n*{}*\n",
            text(s.title),
            code(s.id),
            text(s.kind)
        ));
        if let Some(summary) = s.summary {
            out.push_str(&format!("\n{}\n", text(summary)));
        }
    }
    let mut section = |heading: &str, items: Vec<String>| {
        out.push_str(&format!("\n## {heading}\n\n"));
        if items.is_empty() {
            out.push_str("None.\n");
        }
        for item in items {
            out.push_str(&format!("- {item}\n"));
        }
    };
    if !c.direct.is_empty() || c.path_steps.is_empty() {
        section(
            "Links between them",
            c.direct
                .iter()
                .map(|d| {
                    format!(
                        "{} —{}→ {}",
                        code(d.from),
                        text(&relations.label(d.relation).to_lowercase()),
                        code(d.to)
                    )
                })
                .collect(),
        );
    } else {
        section(
            "Shortest path (no direct link)",
            c.path_steps
                .iter()
                .zip(&c.path)
                .map(|(s, j)| {
                    let arrow = super::path::arrow(relations, s);
                    let arrow = if arrow.is_empty() {
                        String::new()
                    } else {
                        format!("{} ", text(&arrow))
                    };
                    format!("{arrow}**{}** ({})", text(j.title), code(j.id))
                })
                .collect(),
        );
    }
    let name = |relation: &str, direction: Direction| {
        text(&links::edge_name(relations, relation, direction))
    };
    section(
        "Shared neighbours",
        c.shared
            .iter()
            .map(|s| {
                format!(
                    "**{}** ({}): A {} · B {}",
                    text(s.title),
                    code(s.id),
                    name(s.relation_a, s.direction_a),
                    name(s.relation_b, s.direction_b)
                )
            })
            .collect(),
    );
    let only = |list: &[Only<'_>]| -> Vec<String> {
        list.iter()
            .map(|o| {
                format!(
                    "**{}** ({}): {}",
                    text(o.title),
                    code(o.id),
                    name(o.relation, o.direction)
                )
            })
            .collect()
    };
    section(&format!("Only {}", text(c.a.title)), only(&c.only_a));
    section(&format!("Only {}", text(c.b.title)), only(&c.only_b));
    let tags = |t: &[&str]| {
        if t.is_empty() {
            "none".to_owned()
        } else {
            t.iter().map(|t| text(t)).collect::<Vec<_>>().join(", ")
        }
    };
    section(
        "Tags",
        vec![
            format!("shared: {}", tags(&c.tags.shared)),
            format!("only {}: {}", code(c.a.id), tags(&c.tags.only_a)),
            format!("only {}: {}", code(c.b.id), tags(&c.tags.only_b)),
        ],
    );
    out
}
