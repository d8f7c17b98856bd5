//! `--format markdown`: views as plain, portable Markdown for export.
//!
//! Entry text is escaped so that it reads as written (a `*` in a title stays a
//! `*`), except the definition, which is Markdown already and is copied as it is.
//! Works with a URL become `[title](url)` links. The views hold text sanitized
//! already ([`crate::view`]), so escaping for Markdown is all that is left here.

use crate::entry::ORIGINAL_MARK;
use crate::view::compare::Between;
use crate::view::list::GroupedView;
use crate::view::path::StepView;
use crate::view::related::HopView;
use crate::view::{
    CompareView, EntryLine, EntryView, GlossaryView, GraphView, LinkItem, PathView, RelatedView,
    Text, WorkView,
};
use std::io::{self, Write};

/// One entry in full: title, kind, id, tags, aliases, summary, definition, examples,
/// sources, links, backlinks and provenance.
pub fn entry<W: Write + ?Sized>(out: &mut W, v: &EntryView) -> io::Result<()> {
    write!(out, "# {}\n\n", escape(&v.title))?;
    let mut meta = vec![format!("*{}*", escape(&v.kind)), code_of(&v.id)];
    if !v.tags.is_empty() {
        let tags: Vec<String> = v.tags.iter().map(|t| escape(t)).collect();
        meta.push(format!("tags: {}", tags.join(", ")));
    }
    write!(out, "{}\n\n", meta.join(" · "))?;
    if !v.aliases.is_empty() {
        let aliases: Vec<String> = v.aliases.iter().map(|a| escape(a)).collect();
        write!(out, "Also called: {}\n\n", aliases.join("; "))?;
    }
    if let Some(summary) = &v.summary {
        write!(out, "**{}**\n\n", escape(summary))?;
    }
    writeln!(out, "{}", v.definition.trim_end())?;

    section(out, "Examples", v.examples.iter().map(work))?;
    section(out, "Sources", v.sources.iter().map(work))?;
    for s in &v.sections {
        let items = s.items.iter().map(|item| match item {
            LinkItem::Entry(r) => entry_ref_of(&r.title, &r.id),
            LinkItem::Unresolved(link) => format!("{} (unresolved)", escape(link)),
        });
        section(out, &escape(&s.label), items)?;
    }
    if let Some(p) = &v.provenance {
        let mut parts: Vec<String> = Vec::new();
        match (&p.from, &p.url) {
            (Some(from), Some(url)) => parts.push(link(&escape(from), url)),
            (Some(from), None) => parts.push(escape(from)),
            (None, Some(url)) => parts.push(format!("<{}>", destination(url))),
            (None, None) => {}
        }
        parts.extend(p.publisher.as_deref().map(escape));
        parts.extend(p.year.as_deref().map(escape));
        if !parts.is_empty() {
            write!(out, "\n## Provenance\n\n{}\n", parts.join(", "))?;
        }
    }
    Ok(())
}

/// "## Heading" and a bulleted list, if there are items.
fn section<W: Write + ?Sized>(
    out: &mut W,
    heading: &str,
    items: impl Iterator<Item = String>,
) -> io::Result<()> {
    let mut items = items.peekable();
    if items.peek().is_some() {
        write!(out, "\n## {heading}\n\n")?;
        for item in items {
            writeln!(out, "- {item}")?;
        }
    }
    Ok(())
}

/// What an entry links to and what links to it (`related`), one list per heading,
/// or a nested list when the view is a tree (`--depth` above 1).
pub fn related<W: Write + ?Sized>(out: &mut W, v: &RelatedView) -> io::Result<()> {
    writeln!(
        out,
        "# Related to {}",
        entry_ref_of(&v.start.title, &v.start.id)
    )?;
    if v.hops.is_empty() {
        return writeln!(out, "\nNothing links to or from this entry.");
    }
    let item = |hop: &HopView<'_>| match &hop.target {
        Some(t) => {
            let mut item = entry_ref_of(t.title.shown(), t.id.shown());
            if let Some(summary) = &t.summary {
                item.push_str(&format!(": {}", escape(summary.shown())));
            }
            item
        }
        None => format!(
            "{} (unresolved)",
            escape(hop.link.as_ref().map_or("", |l| l.shown()))
        ),
    };
    if v.tree {
        writeln!(out)?;
        for hop in v.tree_order() {
            let kind = hop
                .target
                .as_ref()
                .map(|t| format!(" *{}*", escape(t.kind.shown())))
                .unwrap_or_default();
            writeln!(
                out,
                "{}- {}: {}{kind}",
                "  ".repeat(hop.depth as usize - 1),
                escape(hop.edge_name.shown()),
                item(hop)
            )?;
        }
        return Ok(());
    }
    for (heading, group) in v.by_heading() {
        write!(out, "\n## {}\n\n", escape(heading.shown()))?;
        for hop in group {
            writeln!(out, "- {}", item(hop))?;
        }
    }
    Ok(())
}

/// Entries grouped under a heading per kind (`list`): `- **Title** (`id`): summary`.
pub fn list<W: Write + ?Sized>(out: &mut W, v: &GroupedView<'_>) -> io::Result<()> {
    for (n, group) in v.groups.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        write!(out, "## {}\n\n", escape(group.heading.shown()))?;
        for e in &group.entries {
            brief(out, e)?;
        }
    }
    Ok(())
}

/// Entries in one list (`glossary`): `- **Title** (`id`): summary`.
pub fn glossary<W: Write + ?Sized>(out: &mut W, v: &GlossaryView) -> io::Result<()> {
    for e in &v.entries {
        brief(out, e)?;
    }
    Ok(())
}

/// `- **Title** (`id`): summary`, one line.
fn brief<W: Write + ?Sized>(out: &mut W, e: &EntryLine<'_>) -> io::Result<()> {
    write!(
        out,
        "- **{}** ({})",
        escape(e.title.shown()),
        code_of(e.id.shown())
    )?;
    if let Some(summary) = &e.summary {
        write!(out, ": {}", escape(summary.shown()))?;
    }
    writeln!(out)
}

/// `path`: a numbered list per path, each step with the link that reached it.
pub fn path<W: Write + ?Sized>(out: &mut W, v: &PathView) -> io::Result<()> {
    writeln!(
        out,
        "# Path from {} to {}",
        escape(v.from.title.shown()),
        escape(v.to.title.shown())
    )?;
    for (n, path) in v.paths.iter().enumerate() {
        if v.paths.len() > 1 {
            write!(out, "\n## Path {}\n", n + 1)?;
        }
        writeln!(out)?;
        for s in path {
            writeln!(out, "1. {}", step(s))?;
        }
    }
    Ok(())
}

/// "—relation→ **Title** (`id`)"; the first step has no arrow.
fn step(s: &StepView) -> String {
    let arrow = match &s.by {
        Some(by) => format!("{} ", escape(&by.arrow())),
        None => String::new(),
    };
    format!(
        "{arrow}**{}** ({})",
        escape(s.entry.title.shown()),
        code_of(s.entry.id.shown())
    )
}

/// `compare`: a section per entry, then the links between them, shared
/// neighbours, the neighbours of each alone, and tags.
pub fn compare<W: Write + ?Sized>(out: &mut W, v: &CompareView) -> io::Result<()> {
    writeln!(
        out,
        "# {} and {}",
        escape(v.a.title.shown()),
        escape(v.b.title.shown())
    )?;
    for e in [&v.a, &v.b] {
        write!(
            out,
            "\n## {}\n\n*{}*\n",
            entry_ref_of(e.title.shown(), e.id.shown()),
            escape(e.kind.shown())
        )?;
        if let Some(summary) = &e.summary {
            write!(out, "\n{}\n", escape(summary.shown()))?;
        }
    }
    let section = |out: &mut W, heading: &str, items: Vec<String>| -> io::Result<()> {
        write!(out, "\n## {heading}\n\n")?;
        if items.is_empty() {
            writeln!(out, "None.")?;
        }
        for item in items {
            writeln!(out, "- {item}")?;
        }
        Ok(())
    };
    match &v.between {
        Between::Links(links) => {
            let items = links
                .iter()
                .map(|d| {
                    format!(
                        "{} {} {}",
                        code_of(d.from.id.shown()),
                        escape(&d.link.arrow()),
                        code_of(d.to.id.shown())
                    )
                })
                .collect();
            section(out, "Links between them", items)?;
        }
        Between::Path(path) => {
            let items = path.iter().map(step).collect();
            section(out, "Shortest path (no direct link)", items)?;
        }
    }
    let entry = |e: &EntryLine| {
        format!(
            "**{}** ({})",
            escape(e.title.shown()),
            code_of(e.id.shown())
        )
    };
    let shared = v
        .shared
        .iter()
        .map(|s| {
            format!(
                "{}: A {} · B {}",
                entry(&s.entry),
                escape(s.a.name.shown()),
                escape(s.b.name.shown())
            )
        })
        .collect();
    section(out, "Shared neighbours", shared)?;
    for (side, only) in [(&v.a, &v.only_a), (&v.b, &v.only_b)] {
        let items = only
            .iter()
            .map(|o| format!("{}: {}", entry(&o.entry), escape(o.reach.name.shown())))
            .collect();
        section(out, &format!("Only {}", escape(side.title.shown())), items)?;
    }
    let tags = |t: &[Text]| {
        if t.is_empty() {
            "none".to_owned()
        } else {
            let tags: Vec<String> = t.iter().map(|t| escape(t.shown())).collect();
            tags.join(", ")
        }
    };
    section(
        out,
        "Tags",
        vec![
            format!("shared: {}", tags(&v.tags.shared)),
            format!("only {}: {}", code_of(v.a.id.shown()), tags(&v.tags.only_a)),
            format!("only {}: {}", code_of(v.b.id.shown()), tags(&v.tags.only_b)),
        ],
    )
}

/// `graph`: each node, its links nested below.
pub fn graph<W: Write + ?Sized>(out: &mut W, v: &GraphView) -> io::Result<()> {
    write!(out, "# Graph\n\n")?;
    for node in &v.nodes {
        writeln!(
            out,
            "- **{}** ({}) · *{}*",
            escape(node.title.shown()),
            code_of(node.id.shown()),
            escape(node.kind.shown())
        )?;
        for e in v.edges_from(node.id.exact()) {
            let title = v
                .node(e.to.exact())
                .map_or(e.to.shown(), |(_, n)| n.title.shown());
            writeln!(
                out,
                "  - {}: **{}** ({})",
                escape(e.relation.label.shown()),
                escape(title),
                code_of(e.to.shown())
            )?;
        }
        for u in v.unresolved_from(node.id.exact()) {
            writeln!(
                out,
                "  - {}: {} (unresolved)",
                escape(u.relation.label.shown()),
                escape(u.link.shown())
            )?;
        }
    }
    Ok(())
}

/// "Title (`id`)", for links and backlinks; both sanitized already.
fn entry_ref_of(title: &str, id: &str) -> String {
    format!("{} ({})", escape(title), code_of(id))
}

/// "[Title](url) — Author (year). Description."
fn work(w: &WorkView) -> String {
    let title = escape(&w.title);
    let mut item = match &w.url {
        Some(url) => link(&title, url),
        None => title,
    };
    let year = w.year.as_ref().map(|y| format!("({})", escape(y)));
    let byline: Vec<String> = w
        .author
        .as_deref()
        .map(escape)
        .into_iter()
        .chain(year)
        .collect();
    if !byline.is_empty() {
        item.push_str(&format!(" — {}", byline.join(" ")));
    }
    if let Some(d) = &w.description {
        // A title that ends its own sentence ("Already Asked?") takes no full stop.
        let ended = byline.is_empty() && w.title.trim_end().ends_with(['.', '?', '!']);
        item.push_str(if ended { " " } else { ". " });
        item.push_str(&escape(d));
    }
    if w.original {
        item.push_str(&format!(" {ORIGINAL_MARK}"));
    }
    item
}

/// `[text](url)`, with the characters that would end the URL early percent-encoded.
fn link(text: &str, url: &str) -> String {
    format!("[{text}]({})", destination(url))
}

fn destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}

/// Sanitized text escaped to read literally as Markdown.
pub fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A sanitized id as inline code (escaped text instead if it holds a backtick).
fn code_of(id: &str) -> String {
    if id.contains('`') {
        escape(id)
    } else {
        format!("`{id}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Index;

    /// Entry 0 as Markdown.
    fn first(kb: &Index) -> String {
        let e = kb.entry(0).unwrap_or_else(|e| panic!("{e}"));
        let mut out = Vec::new();
        assert!(entry(&mut out, &EntryView::new(kb, &e, 0)).is_ok());
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn entry_text_is_escaped_but_the_definition_is_kept_as_markdown() {
        let kb = Index::from_texts(&[(
            "a",
            "title = \"A *star* [x]\"\ndefinition = \"Some **bold** text.\"\nsummary = \"1_2\"\n",
        )]);
        let md = first(&kb);
        assert!(
            md.starts_with(
                "# A \\*star\\* \\[x\\]\n\n*concept* · `a`\n\n**1\\_2**\n\nSome **bold** text.\n"
            ),
            "{md}"
        );
    }

    #[test]
    fn works_with_a_url_become_links() {
        let w = WorkView {
            title: "T".into(),
            author: Some("A".into()),
            year: None,
            description: Some("D".into()),
            url: Some("http://x/a b(1)".into()),
            original: false,
        };
        assert_eq!(work(&w), "[T](http://x/a%20b%281%29) — A. D");
    }

    #[test]
    fn a_title_that_ends_a_sentence_takes_no_full_stop() {
        let w = |title: &str, author: Option<&str>| WorkView {
            title: title.into(),
            author: author.map(Into::into),
            year: None,
            description: Some("D".into()),
            url: None,
            original: false,
        };
        assert_eq!(work(&w("Asked?", None)), "Asked? D");
        assert_eq!(work(&w("Done.", None)), "Done. D");
        assert_eq!(work(&w("Asked?", Some("A"))), "Asked? — A. D");
        assert_eq!(work(&w("Plain", None)), "Plain. D");
    }

    #[test]
    fn unresolved_links_say_so() {
        let kb = Index::from_texts(&[(
            "a",
            "title = \"A\"\ndefinition = \"d\"\nrelated_problems = [\"Nowhere\"]\n",
        )]);
        assert!(first(&kb).ends_with("## Related problems\n\n- Nowhere (unresolved)\n"));
    }

    #[test]
    fn ids_with_a_backtick_are_escaped_text_not_code() {
        assert_eq!(code_of("a`b"), "a\\`b");
        assert_eq!(code_of("a\\u{1b}b"), "`a\\u{1b}b`");
        assert_eq!(escape("x_\\u{7}"), "x\\_\\\\u{7}");
    }
}
