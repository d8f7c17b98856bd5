//! Text for a terminal or a pipe, plain or styled, wrapped to the style's width:
//! `show` (the definition through [`super::termimad`]), `related`, `list`,
//! `glossary`, `search`, `path`, `compare` and `graph`. Titles, ids and URLs are laid out here so that they
//! wrap sensibly (an id or a URL is never broken).

use crate::entry::ORIGINAL_MARK;
use crate::style::{self, Paint, Style};
use crate::view::compare::Between;
use crate::view::list::GroupedView;
use crate::view::path::StepView;
use crate::view::related::HopView;
use crate::view::search::HitView;
use crate::view::{
    CompareView, EntryLine, EntryView, GlossaryView, GraphView, LinkItem, ListView, PathView,
    RelatedView, SearchView, WorkView,
};
use std::io::{self, Write};

/// The entry in full: title, kind, id and tags, aliases, summary, the definition,
/// then a bulleted section each for examples, sources, links and provenance.
pub fn entry<W: Write + ?Sized>(out: &mut W, v: &EntryView, style: &Style) -> io::Result<()> {
    let mut lines: Vec<String> = Vec::new();
    lines.extend(style.wrap(&[(&v.title, Paint::Heading)], "", ""));
    let tags = v.tags.join(", ");
    let mut meta = vec![
        (v.kind.as_str(), Paint::Dim),
        ("·", Paint::Dim),
        (v.id.as_str(), Paint::Id),
    ];
    if !v.tags.is_empty() {
        meta.extend([("· tags:", Paint::Dim), (tags.as_str(), Paint::Dim)]);
    }
    lines.extend(style.wrap(&meta, "", ""));
    if !v.aliases.is_empty() {
        let aliases = v.aliases.join("; ");
        lines.extend(style.wrap(
            &[("Also called:", Paint::Dim), (&aliases, Paint::Plain)],
            "",
            "",
        ));
    }
    if let Some(summary) = &v.summary {
        lines.push(String::new());
        lines.extend(style.wrap(&[(summary, Paint::Strong)], "", ""));
    }
    write!(out, "{}\n\n", lines.join("\n"))?;
    out.write_all(super::termimad::render(&v.definition, style).as_bytes())?;

    section(out, style, "Examples", v.examples.iter().map(work))?;
    section(out, style, "Sources", v.sources.iter().map(work))?;
    for s in &v.sections {
        let items = s.items.iter().map(|item| match item {
            LinkItem::Entry(r) => vec![
                (r.title.clone(), Paint::Strong),
                ("—".to_owned(), Paint::Dim),
                (r.id.clone(), Paint::Id),
            ],
            LinkItem::Unresolved(link) => vec![
                (link.clone(), Paint::Plain),
                (
                    "(unresolved: no entry by that name)".to_owned(),
                    Paint::Warn,
                ),
            ],
        });
        section(out, style, &s.label, items)?;
    }
    if let Some(p) = &v.provenance {
        let text: Vec<&str> = [&p.from, &p.publisher, &p.year]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let mut item = Vec::new();
        if !text.is_empty() {
            item.push((text.join(", "), Paint::Plain));
        }
        if let Some(u) = &p.url {
            item.push((u.clone(), Paint::Plain));
        }
        if !item.is_empty() {
            section(out, style, "Provenance", std::iter::once(item))?;
        }
    }
    Ok(())
}

/// A heading and one wrapped bullet per item, if there are items.
fn section<W: Write + ?Sized>(
    out: &mut W,
    style: &Style,
    heading: &str,
    items: impl Iterator<Item = Vec<(String, Paint)>>,
) -> io::Result<()> {
    let mut items = items.peekable();
    if items.peek().is_none() {
        return Ok(());
    }
    write!(out, "\n{}\n\n", style.heading(heading))?;
    for item in items {
        let spans: Vec<(&str, Paint)> = item.iter().map(|(t, p)| (t.as_str(), *p)).collect();
        for line in style.wrap(&spans, "- ", "  ") {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// "Title — Author (year). Description. URL"
fn work(w: &WorkView) -> Vec<(String, Paint)> {
    let mut spans = vec![(w.title.clone(), Paint::Strong)];
    let year = w.year.as_ref().map(|y| format!("({y})"));
    let byline: Vec<String> = w.author.iter().cloned().chain(year).collect();
    if !byline.is_empty() {
        let stop = if w.description.is_some() { "." } else { "" };
        spans.push((format!("— {}{stop}", byline.join(" ")), Paint::Plain));
    } else if w.description.is_some() && !w.title.ends_with(['.', '?', '!']) {
        // No byline: a full stop keeps the title from running into the description.
        if let Some((title, _)) = spans.last_mut() {
            title.push('.');
        }
    }
    if let Some(d) = &w.description {
        spans.push((d.clone(), Paint::Plain));
    }
    if let Some(u) = &w.url {
        spans.push((u.clone(), Paint::Dim));
    }
    if w.original {
        spans.push((ORIGINAL_MARK.to_owned(), Paint::Dim));
    }
    spans
}

/// `related`: the entry, then one list per heading, or a tree of how each entry
/// was reached when the view is one.
pub fn related<W: Write + ?Sized>(out: &mut W, v: &RelatedView, style: &Style) -> io::Result<()> {
    writeln!(
        out,
        "{} {}",
        style.strong(&v.start.title),
        style.dim(&format!("({})", v.start.id))
    )?;
    if v.hops.is_empty() {
        return writeln!(out, "\nNothing links to or from this entry.");
    }
    if v.tree {
        writeln!(out)?;
        for hop in v.tree_order() {
            let indent = "  ".repeat(hop.depth as usize - 1);
            let name = format!("{}:", hop.edge_name.shown());
            reached(out, hop, Some(&name), &indent, style)?;
        }
        return Ok(());
    }
    for (heading, group) in v.by_heading() {
        writeln!(out, "\n{}", style.heading(heading.shown()))?;
        for hop in group {
            reached(out, hop, None, "  ", style)?;
        }
    }
    Ok(())
}

/// One entry reached: "Title — id", or in a tree "relation: Title — id · kind";
/// its summary below.
fn reached<W: Write + ?Sized>(
    out: &mut W,
    hop: &HopView,
    name: Option<&str>,
    indent: &str,
    style: &Style,
) -> io::Result<()> {
    let mut spans: Vec<(&str, Paint)> = Vec::new();
    if let Some(name) = name {
        spans.push((name, Paint::Dim));
    }
    let deeper = format!("{indent}  ");
    match &hop.target {
        Some(t) => {
            let kind = format!("· {}", t.kind.shown());
            spans.extend([
                (t.title.shown(), Paint::Strong),
                ("—", Paint::Dim),
                (t.id.shown(), Paint::Id),
            ]);
            // In a tree, where headings do not group the lines, each names its kind.
            if name.is_some() {
                spans.push((kind.as_str(), Paint::Dim));
            }
            for line in style.wrap(&spans, indent, &deeper) {
                writeln!(out, "{line}")?;
            }
            if let Some(summary) = &t.summary {
                for line in style.wrap(&[(summary.shown(), Paint::Plain)], &deeper, &deeper) {
                    writeln!(out, "{line}")?;
                }
            }
        }
        None => {
            spans.extend([
                (hop.link.as_ref().map_or("", |l| l.shown()), Paint::Plain),
                ("(unresolved link)", Paint::Warn),
            ]);
            for line in style.wrap(&spans, indent, &deeper) {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// `list` in a pipe: one `id<TAB>title` line per entry, in id order.
pub fn list_lines<W: Write + ?Sized>(out: &mut W, v: &ListView<'_>) -> io::Result<()> {
    for (id, title) in v.names() {
        for part in [id.shown(), "\t", title.shown(), "\n"] {
            out.write_all(part.as_bytes())?;
        }
    }
    Ok(())
}

/// `list` on a terminal: a heading per kind with its count, then titles and ids
/// in two columns.
pub fn list<W: Write + ?Sized>(out: &mut W, v: &GroupedView<'_>, style: &Style) -> io::Result<()> {
    let widest = |column: for<'e> fn(&'e EntryLine<'_>) -> &'e str| {
        v.entries()
            .map(|e| style::columns(column(e)))
            .max()
            .unwrap_or(0)
    };
    let layout = Columns::fit(
        widest(|e| e.title.shown()),
        widest(|e| e.id.shown()),
        style.width,
    );
    for (n, group) in v.groups.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{} {}",
            style.heading(group.heading.shown()),
            style.dim(&format!("({})", group.entries.len()))
        )?;
        for e in &group.entries {
            for line in layout.lines(e.title.shown(), &style.id(e.id.shown()), style) {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// A title column and an id column that fit the width: titles wrap within
/// their column, ids are never split and always start in the same column. When
/// even that does not fit, each id goes on its own line under its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// The title column's width, or `None` for one line each.
    title: Option<usize>,
    width: usize,
}

/// Narrower title columns than this stack ids under titles instead.
const MIN_TITLE_COLUMN: usize = 16;

impl Columns {
    /// The layout for titles of up to `title` columns and ids of up to `id`.
    pub fn fit(title: usize, id: usize, width: usize) -> Columns {
        // "  " title "  " id
        let room = width.saturating_sub(2 + 2 + id);
        Columns {
            title: (room >= MIN_TITLE_COLUMN.min(title)).then_some(title.min(room)),
            width,
        }
    }

    /// The lines of one row; `id` is already styled.
    pub fn lines(&self, title: &str, id: &str, style: &Style) -> Vec<String> {
        match self.title {
            Some(column) => {
                let wrapped = style::wrap(title, column, "", "");
                wrapped
                    .iter()
                    .enumerate()
                    .map(|(n, line)| {
                        if n == 0 {
                            format!("  {}  {id}", style.strong(&style::pad(line, column)))
                        } else {
                            format!("  {}", style.strong(line))
                        }
                    })
                    .collect()
            }
            None => {
                let narrow = Style {
                    width: self.width,
                    ..*style
                };
                let mut lines = narrow.wrap(&[(title, Paint::Strong)], "  ", "  ");
                lines.push(format!("    {id}"));
                lines
            }
        }
    }
}

/// `glossary`: "Title (id) — summary", wrapped with a hanging indent.
pub fn glossary<W: Write + ?Sized>(out: &mut W, v: &GlossaryView, style: &Style) -> io::Result<()> {
    for e in &v.entries {
        let id = format!("({})", e.id.shown());
        let mut spans = vec![(e.title.shown(), Paint::Strong), (id.as_str(), Paint::Dim)];
        if let Some(summary) = &e.summary {
            spans.extend([("—", Paint::Plain), (summary.shown(), Paint::Plain)]);
        }
        for line in style.wrap(&spans, "", "    ") {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// `search` in a pipe: one `id<TAB>title<TAB>snippet` line per hit, matches marked
/// when styled.
pub fn search_lines<W: Write + ?Sized>(
    out: &mut W,
    v: &SearchView,
    style: &Style,
) -> io::Result<()> {
    for hit in &v.hits {
        let title = highlight(hit.title.shown(), v, style);
        let snippet = highlight(&hit.snippet, v, style);
        writeln!(out, "{}\t{title}\t{snippet}", hit.id.shown())?;
    }
    Ok(())
}

/// `search` on a terminal: each hit's title and id, its snippet indented below,
/// and how many more hits `--limit` left out.
pub fn search<W: Write + ?Sized>(out: &mut W, v: &SearchView, style: &Style) -> io::Result<()> {
    for (n, hit) in v.hits.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        search_hit(out, hit, v, style)?;
    }
    if v.more > 0 {
        writeln!(out, "\n{}", style.dim(&format!("… {}", v.more_note())))?;
    }
    Ok(())
}

/// A hit on a terminal: the title, wrapped, with its id after it (on the next
/// line when it does not fit, never split); then the snippet, indented.
fn search_hit<W: Write + ?Sized>(
    out: &mut W,
    hit: &HitView,
    v: &SearchView,
    style: &Style,
) -> io::Result<()> {
    let (title, id) = (hit.title.shown(), hit.id.shown());
    let plain = Style {
        color: false,
        ..*style
    };
    for line in plain.wrap(&[(title, Paint::Strong), (id, Paint::Id)], "", "  ") {
        // Style the title's words and the id after wrapping, so widths are plain.
        let (head, tail) = match line.rfind(id) {
            Some(at) if line.ends_with(id) => line.split_at(at),
            _ => (line.as_str(), ""),
        };
        let lead = head.len() - head.trim_start().len();
        let words = head.trim();
        let mut styled = head[..lead].to_owned();
        if !words.is_empty() {
            styled.push_str(&highlight_in(words, v, style, |run| style.strong(run)));
        }
        if !tail.is_empty() {
            if !words.is_empty() {
                styled.push_str("  ");
            }
            styled.push_str(&style.id(tail));
        }
        writeln!(out, "{styled}")?;
    }
    for line in style::wrap(&hit.snippet, style.width, "  ", "  ") {
        writeln!(out, "{}", highlight(&line, v, style))?;
    }
    Ok(())
}

/// Marks the words of `line` that match the query.
fn highlight(line: &str, v: &SearchView, style: &Style) -> String {
    highlight_in(line, v, style, |run| run.to_owned())
}

/// Marks the words of `line` that match the query, painting the runs between
/// them with `rest` (so that a marked word inside a bold title does not end the
/// bold: every run is painted on its own).
fn highlight_in(
    line: &str,
    v: &SearchView,
    style: &Style,
    rest: impl Fn(&str) -> String,
) -> String {
    if !style.color {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() * 2);
    let mut run = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, run: &mut String, out: &mut String| {
        if v.marks(word) {
            out.push_str(&rest(run));
            run.clear();
            out.push_str(&style.mark(word));
        } else {
            run.push_str(word);
        }
        word.clear();
    };
    for c in line.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            if !word.is_empty() {
                flush(&mut word, &mut run, &mut out);
            }
            run.push(c);
        }
    }
    if !word.is_empty() {
        flush(&mut word, &mut run, &mut out);
    }
    out.push_str(&rest(&run));
    out
}

/// `path`: one line per link, "From  —relation→  To"; a heading per path when
/// there are several.
pub fn path<W: Write + ?Sized>(out: &mut W, v: &PathView, style: &Style) -> io::Result<()> {
    for (n, path) in v.paths.iter().enumerate() {
        if v.paths.len() > 1 {
            if n > 0 {
                writeln!(out)?;
            }
            let links = path.len() - 1;
            let heading = format!(
                "Path {} ({links} link{})",
                n + 1,
                if links == 1 { "" } else { "s" }
            );
            writeln!(out, "{}", style.heading(&heading))?;
        }
        for line in path_lines(path, style) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// One line per link of a path: "From  —relation→  To"; the title alone for a
/// path of one entry.
fn path_lines(path: &[StepView], style: &Style) -> Vec<String> {
    let title = |s: &StepView| style.strong(s.entry.title.shown());
    if let [only] = path {
        return vec![title(only)];
    }
    path.windows(2)
        .map(|pair| {
            let arrow = pair[1].by.as_ref().map(|b| b.arrow()).unwrap_or_default();
            format!(
                "{}  {}  {}",
                title(&pair[0]),
                style.dim(&arrow),
                title(&pair[1])
            )
        })
        .collect()
}

/// The narrowest width at which `compare` puts the two entries side by side.
const TWO_COLUMNS: usize = 100;

/// `compare`: the two entries side by side (one above the other when narrow),
/// then a section each for the links between them, shared neighbours, the
/// neighbours of each alone, and tags.
pub fn compare<W: Write + ?Sized>(out: &mut W, v: &CompareView, st: &Style) -> io::Result<()> {
    if st.width >= TWO_COLUMNS {
        let col = (st.width - 3) / 2;
        let (left, right) = (column(&v.a, col), column(&v.b, col));
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
            writeln!(out, "{}", line.trim_end())?;
        }
    } else {
        for (n, side) in [&v.a, &v.b].into_iter().enumerate() {
            if n > 0 {
                writeln!(out)?;
            }
            for (l, p) in column(side, st.width) {
                writeln!(out, "{}", st.painted(p, &l))?;
            }
        }
    }
    let section = |out: &mut W, heading: &str, lines: Vec<String>| -> io::Result<()> {
        write!(out, "\n{}\n", st.heading(heading))?;
        if lines.is_empty() {
            writeln!(out, "  {}", st.dim("none"))?;
        }
        for line in lines {
            writeln!(out, "  {line}")?;
        }
        Ok(())
    };
    match &v.between {
        Between::Links(links) => {
            let lines = links
                .iter()
                .map(|d| {
                    format!(
                        "{}  {}  {}",
                        st.strong(d.from.title.shown()),
                        st.dim(&d.link.arrow()),
                        st.strong(d.to.title.shown())
                    )
                })
                .collect();
            section(out, "Links between them", lines)?;
        }
        Between::Path(path) => {
            section(out, "Shortest path (no direct link)", path_lines(path, st))?;
        }
    }
    let entry = |e: &EntryLine, how: String| {
        format!(
            "{} {}  {}",
            st.strong(e.title.shown()),
            st.dim(&format!("({})", e.id.shown())),
            st.dim(&how)
        )
    };
    let shared = v
        .shared
        .iter()
        .map(|s| {
            let how = format!("A: {} · B: {}", s.a.name.shown(), s.b.name.shown());
            entry(&s.entry, how)
        })
        .collect();
    section(out, "Shared neighbours", shared)?;
    for (side, only) in [(&v.a, &v.only_a), (&v.b, &v.only_b)] {
        let lines = only
            .iter()
            .map(|o| entry(&o.entry, o.reach.name.shown().to_owned()))
            .collect();
        section(out, &format!("Only {}", side.title.shown()), lines)?;
    }
    let tags = |t: &[crate::view::Text]| {
        if t.is_empty() {
            st.dim("none")
        } else {
            t.iter().map(|t| t.shown()).collect::<Vec<_>>().join(", ")
        }
    };
    section(
        out,
        "Tags",
        vec![
            format!("shared: {}", tags(&v.tags.shared)),
            format!("only {}: {}", v.a.id.shown(), tags(&v.tags.only_a)),
            format!("only {}: {}", v.b.id.shown(), tags(&v.tags.only_b)),
        ],
    )
}

/// An entry's title, kind and id, and summary, as lines of at most `width`.
fn column(e: &EntryLine, width: usize) -> Vec<(String, Paint)> {
    let mut lines: Vec<(String, Paint)> = style::wrap(e.title.shown(), width, "", "")
        .into_iter()
        .map(|l| (l, Paint::Heading))
        .collect();
    let meta = format!("{} · {}", e.kind.shown(), e.id.shown());
    lines.extend(
        style::wrap(&meta, width, "", "")
            .into_iter()
            .map(|l| (l, Paint::Dim)),
    );
    if let Some(summary) = &e.summary {
        lines.push((String::new(), Paint::Plain));
        lines.extend(
            style::wrap(summary.shown(), width, "", "")
                .into_iter()
                .map(|l| (l, Paint::Plain)),
        );
    }
    lines
}

/// `graph`: each node, "Title (id · kind)", with its outgoing links indented below.
pub fn graph<W: Write + ?Sized>(out: &mut W, v: &GraphView, style: &Style) -> io::Result<()> {
    let arrow = |name: &str| style.dim(&format!("—{name}→"));
    for node in &v.nodes {
        let id = node.id.shown();
        writeln!(
            out,
            "{} {}",
            style.strong(node.title.shown()),
            style.dim(&format!("({id} · {})", node.kind.shown()))
        )?;
        for e in v.edges_from(node.id.exact()) {
            let title = v
                .node(e.to.exact())
                .map_or(e.to.shown(), |(_, n)| n.title.shown());
            writeln!(
                out,
                "  {} {title} {}",
                arrow(e.relation.lower.shown()),
                style.dim(&format!("({})", e.to.shown()))
            )?;
        }
        for u in v.unresolved_from(node.id.exact()) {
            writeln!(
                out,
                "  {} {} {}",
                arrow(u.relation.lower.shown()),
                u.link.shown(),
                style.warn("(unresolved link)")
            )?;
        }
    }
    Ok(())
}

/// The text as a string, for screens that lay it out further (`browse`).
pub fn entry_string(v: &EntryView, style: &Style) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = entry(&mut out, v, style);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Index;

    fn rows(title: &str, id: &str, layout: Columns) -> Vec<String> {
        let plain = Style {
            color: false,
            width: layout.width,
        };
        layout.lines(title, id, &plain)
    }

    #[test]
    fn long_titles_wrap_in_their_column_and_ids_stay_aligned() {
        let layout = Columns::fit(60, 12, 40);
        assert_eq!(
            rows("A Rather Long Title That Will Not Fit", "short-id", layout),
            ["  A Rather Long Title That  short-id", "  Will Not Fit",]
        );
        assert_eq!(rows("Tiny", "x", layout), ["  Tiny                      x"]);
    }

    #[test]
    fn when_ids_leave_no_room_they_go_under_their_titles_whole() {
        let layout = Columns::fit(30, 28, 40);
        assert_eq!(
            rows(
                "Countering Violent Extremism",
                "countering-violent-extremism",
                layout
            ),
            [
                "  Countering Violent Extremism",
                "    countering-violent-extremism"
            ]
        );
    }

    #[test]
    fn a_kind_heading_is_sanitized_like_every_other_entry_text() {
        let kb = Index::from_texts(&[(
            "a",
            "title = \"A\"\nkind = \"ev\\u001b[2Jil\"\ndefinition = \"d\"\n",
        )]);
        let view = GroupedView::new(&kb, &[0]);
        let mut out = Vec::new();
        let styled = Style {
            color: true,
            width: 60,
        };
        assert!(list(&mut out, &view, &styled).is_ok());
        let text = String::from_utf8_lossy(&out);
        // Kinds are lowercased when read; the escape must not reach the terminal.
        assert!(!text.contains("\u{1b}[2j"), "{text:?}");
        assert!(text.contains("Ev\\u{1b}[2jils"), "{text:?}");
    }

    #[test]
    fn a_work_title_ending_in_a_mark_gets_no_second_full_stop() {
        let w = |title: &str| WorkView {
            title: title.into(),
            author: None,
            year: None,
            description: Some("D".into()),
            url: None,
            original: false,
        };
        assert_eq!(work(&w("Why?"))[0].0, "Why?");
        assert_eq!(work(&w("Because"))[0].0, "Because.");
    }
}
