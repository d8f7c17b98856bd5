//! `--format markdown`: entries and lists as plain, portable Markdown for export.
//!
//! Text from entry files is escaped so that it reads as written (a `*` in a title
//! stays a `*`), except the definition, which is Markdown already and is copied as it
//! is. Works with a URL become `[title](url)` links. Control characters are escaped
//! visibly, as everywhere else ([`crate::sanitize`]).

use crate::entry::{Entry, Work};
use crate::index::Index;
use crate::json::Brief;
use crate::sanitize;

/// One entry in full: title, kind, id, tags, aliases, summary, definition, examples,
/// sources, links, backlinks and provenance.
pub fn entry(kb: &Index, e: &Entry, index: usize) -> String {
    let mut out = format!("# {}\n\n", text(&e.title));
    let mut meta = vec![format!("*{}*", text(&e.kind)), code(&e.id)];
    if !e.tags.is_empty() {
        let tags: Vec<String> = e.tags.iter().map(|t| text(t)).collect();
        meta.push(format!("tags: {}", tags.join(", ")));
    }
    out.push_str(&meta.join(" · "));
    out.push_str("\n\n");
    if !e.aliases.is_empty() {
        let aliases: Vec<String> = e.aliases.iter().map(|a| text(&a.text)).collect();
        out.push_str(&format!("Also called: {}\n\n", aliases.join("; ")));
    }
    if let Some(summary) = &e.summary {
        out.push_str(&format!("**{}**\n\n", text(summary)));
    }
    out.push_str(sanitize::block(&e.definition).trim_end());
    out.push('\n');

    let mut section = |heading: &str, items: Vec<String>| {
        if !items.is_empty() {
            out.push_str(&format!("\n## {heading}\n\n"));
            for item in items {
                out.push_str(&format!("- {item}\n"));
            }
        }
    };
    section("Examples", e.examples.iter().map(work).collect());
    section("Sources", e.sources.iter().map(work).collect());
    for group in crate::links::grouped(kb, kb.relations(), index) {
        let items = group
            .items
            .iter()
            .map(|item| match item.target {
                Some(t) => entry_ref(kb.title(t), kb.id(t)),
                None => format!("{} (unresolved)", text(item.link.unwrap_or_default())),
            })
            .collect();
        section(&text(&group.label), items);
    }
    if let Some(p) = &e.provenance {
        let mut parts: Vec<String> = Vec::new();
        match (&p.from, &p.url) {
            (Some(from), Some(url)) => parts.push(link(&text(from), url)),
            (Some(from), None) => parts.push(text(from)),
            (None, Some(url)) => parts.push(format!("<{}>", destination(url))),
            (None, None) => {}
        }
        parts.extend(p.publisher.as_deref().map(text));
        parts.extend(p.year.as_ref().map(|y| text(&y.to_string())));
        if !parts.is_empty() {
            out.push_str(&format!("\n## Provenance\n\n{}\n", parts.join(", ")));
        }
    }
    out
}

/// Entries grouped under a heading each (`list`): `- **Title** (`id`): summary`.
pub fn grouped(groups: &[(String, Vec<Brief>)]) -> String {
    let mut out = String::new();
    for (n, (heading, entries)) in groups.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(&format!("## {}\n\n", text(heading)));
        for e in entries {
            out.push_str(&brief(e));
        }
    }
    out
}

/// Entries in one list (`glossary`): `- **Title** (`id`): summary`.
pub fn glossary(entries: &[Brief]) -> String {
    entries.iter().map(brief).collect()
}

/// `- **Title** (`id`): summary`, one line.
pub fn brief(e: &Brief) -> String {
    let mut line = format!("- **{}** ({})", text(e.title), code(e.id));
    if let Some(summary) = e.summary {
        line.push_str(&format!(": {}", text(summary)));
    }
    line.push('\n');
    line
}

/// "Title (`id`)", for links and backlinks.
pub fn entry_ref(title: &str, id: &str) -> String {
    format!("{} ({})", text(title), code(id))
}

/// "[Title](url) — Author (year). Description."
fn work(w: &Work) -> String {
    let title = text(&w.title);
    let mut item = match &w.url {
        Some(url) => link(&title, url),
        None => title,
    };
    let year = w
        .year
        .as_ref()
        .map(|y| format!("({})", text(&y.to_string())));
    let byline: Vec<String> = w
        .author
        .as_deref()
        .map(text)
        .into_iter()
        .chain(year)
        .collect();
    if !byline.is_empty() {
        item.push_str(&format!(" — {}", byline.join(" ")));
    }
    if let Some(d) = &w.description {
        item.push_str(&format!(". {}", text(d)));
    }
    if w.original {
        item.push_str(&format!(" {}", crate::entry::ORIGINAL_MARK));
    }
    item
}

/// `[text](url)`, with the characters that would end the URL early percent-encoded.
fn link(text: &str, url: &str) -> String {
    format!("[{text}]({})", destination(url))
}

fn destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in sanitize::line(url).chars() {
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

/// One line of entry text, safe to print and read literally as Markdown.
pub fn text(s: &str) -> String {
    let line = sanitize::line(s);
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An id as inline code (escaped text instead if it holds a backtick).
pub fn code(s: &str) -> String {
    if s.contains('`') {
        text(s)
    } else {
        format!("`{}`", sanitize::line(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb(entries: &[(&str, &str)]) -> Index {
        Index::from_texts(entries)
    }

    /// Entry 0 as Markdown.
    fn first(kb: &Index) -> String {
        let e = kb.entry(0).unwrap_or_else(|e| panic!("{e}"));
        entry(kb, &e, 0)
    }

    #[test]
    fn entry_text_is_escaped_but_the_definition_is_kept_as_markdown() {
        let kb = kb(&[(
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
        let w = Work {
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
    fn unresolved_links_say_so() {
        let kb = kb(&[(
            "a",
            "title = \"A\"\ndefinition = \"d\"\nrelated_problems = [\"Nowhere\"]\n",
        )]);
        assert!(first(&kb).ends_with("## Related problems\n\n- Nowhere (unresolved)\n"));
    }
}
