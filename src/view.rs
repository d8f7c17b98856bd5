//! Views as plain data: what an entry page shows, built once from the index and
//! handed to a renderer. A view knows no output format and writes nothing.
//!
//! Entry text is sanitized here, where it enters the view ([`crate::sanitize`]),
//! so renderers only escape for their own format. Formats that carry an entry's
//! exact text (JSON) read it from [`Text::exact`] or from an [`EntryRecord`].
//!
//! One view per file below: [`record`] (an entry's fields as written, for JSON and
//! `--field`), [`related`] (what `related` reached), [`list`] (`list` and
//! `glossary`), [`search`] (ranked hits), [`path`] (chains of links between two
//! entries), [`compare`] (what tells two entries apart) and [`graph`] (nodes and
//! links, for `graph`).

pub mod compare;
pub mod graph;
pub mod list;
pub mod path;
pub mod record;
pub mod related;
pub mod search;

pub use compare::CompareView;
pub use graph::GraphView;
pub use list::{GlossaryView, ListView};
pub use path::PathView;
pub use record::EntryRecord;
pub use related::RelatedView;
pub use search::SearchView;

use crate::entry::{Entry, Work};
use crate::index::Index;
use crate::sanitize;
use std::borrow::Cow;
use std::cell::OnceCell;

/// A piece of entry text both as written ([`Text::exact`], for JSON) and as shown
/// ([`Text::shown`]: sanitized by the view, for text, Markdown and HTML). The
/// exact text is borrowed from the index where it can be; the sanitized one is
/// made the first time it is asked for, so JSON never pays for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<'a> {
    exact: Cow<'a, str>,
    /// The sanitized text, once made: `None` inside when it is the exact one.
    cleaned: OnceCell<Option<String>>,
}

impl<'a> Text<'a> {
    pub fn new(s: impl Into<Cow<'a, str>>) -> Text<'a> {
        Text {
            exact: s.into(),
            cleaned: OnceCell::new(),
        }
    }

    /// The text as written.
    pub fn exact(&self) -> &str {
        &self.exact
    }

    /// The text sanitized for showing: controls escaped visibly, newlines spaces.
    pub fn shown(&self) -> &str {
        let cleaned = self
            .cleaned
            .get_or_init(|| match sanitize::line(&self.exact) {
                Cow::Borrowed(_) => None,
                Cow::Owned(c) => Some(c),
            });
        cleaned.as_deref().unwrap_or(&self.exact)
    }
}

/// An entry named in a list, a walk or a graph: its names and one-line summary,
/// each exact and shown ([`Text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryLine<'a> {
    pub id: Text<'a>,
    pub title: Text<'a>,
    pub kind: Text<'a>,
    pub summary: Option<Text<'a>>,
}

impl<'a> EntryLine<'a> {
    pub fn of(kb: &'a Index, index: usize) -> EntryLine<'a> {
        EntryLine {
            id: Text::new(kb.id(index)),
            title: Text::new(kb.title(index)),
            kind: Text::new(kb.kind(index)),
            summary: kb.summary(index).map(Text::new),
        }
    }
}

/// One entry in full, as every renderer lays it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryView {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub tags: Vec<String>,
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    /// Markdown, sanitized as a block (newlines kept).
    pub definition: String,
    pub examples: Vec<WorkView>,
    pub sources: Vec<WorkView>,
    /// Link sections in the order they are shown: forward links by relation,
    /// then backlinks.
    pub sections: Vec<LinkSection>,
    pub provenance: Option<ProvenanceView>,
}

/// A work cited as an example or source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkView {
    pub title: String,
    pub author: Option<String>,
    pub year: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    /// Listed on the original OTPIC page.
    pub original: bool,
}

/// Where the entry's material comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenanceView {
    pub from: Option<String>,
    pub publisher: Option<String>,
    pub year: Option<String>,
    pub url: Option<String>,
}

/// A heading and the entries under it ("Related approaches", "Referenced by").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSection {
    pub label: String,
    /// True for backlinks (links from other entries to this one).
    pub backward: bool,
    pub items: Vec<LinkItem>,
}

impl LinkSection {
    /// The items, backlinks sorted by title then id (as the site lists them);
    /// forward links as written.
    pub fn by_title(&self) -> Vec<&LinkItem> {
        let mut items: Vec<&LinkItem> = self.items.iter().collect();
        if self.backward {
            items.sort_by(|a, b| match (a, b) {
                (LinkItem::Entry(a), LinkItem::Entry(b)) => {
                    a.title.cmp(&b.title).then_with(|| a.id.cmp(&b.id))
                }
                _ => std::cmp::Ordering::Equal,
            });
        }
        items
    }
}

/// One link: the entry it resolves to, or the text that resolves to nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkItem {
    Entry(EntryRef),
    Unresolved(String),
}

/// An entry named from another view: enough to show and link to it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntryRef {
    pub id: String,
    pub title: String,
    pub kind: String,
}

impl EntryRef {
    pub fn of(kb: &Index, index: usize) -> EntryRef {
        EntryRef {
            id: line(kb.id(index)),
            title: line(kb.title(index)),
            kind: line(kb.kind(index)),
        }
    }
}

/// A short line about an entry, for lists: the reference and its summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BriefView {
    pub entry: EntryRef,
    pub summary: Option<String>,
    pub tags: Vec<String>,
}

impl BriefView {
    pub fn of(kb: &Index, index: usize) -> BriefView {
        BriefView {
            entry: EntryRef::of(kb, index),
            summary: kb.summary(index).map(line),
            tags: kb.tags(index).map(line).collect(),
        }
    }
}

fn line(s: &str) -> String {
    sanitize::line(s).into_owned()
}

fn work(w: &Work) -> WorkView {
    WorkView {
        title: line(&w.title),
        author: w.author.as_deref().map(line),
        year: w.year.as_ref().map(|y| line(&y.to_string())),
        description: w.description.as_deref().map(line),
        url: w.url.as_deref().map(line),
        original: w.original,
    }
}

impl EntryView {
    /// The view of entry `index`, whose parsed file is `e`.
    pub fn new(kb: &Index, e: &Entry, index: usize) -> EntryView {
        EntryView {
            id: line(&e.id),
            title: line(&e.title),
            kind: line(&e.kind),
            tags: e.tags.iter().map(|t| line(t)).collect(),
            aliases: e.aliases.iter().map(|a| line(&a.text)).collect(),
            summary: e.summary.as_deref().map(line),
            definition: sanitize::block(&e.definition).into_owned(),
            examples: e.examples.iter().map(work).collect(),
            sources: e.sources.iter().map(work).collect(),
            sections: sections(kb, e, index),
            provenance: e.provenance.as_ref().map(|p| ProvenanceView {
                from: p.from.as_deref().map(line),
                publisher: p.publisher.as_deref().map(line),
                year: p.year.as_ref().map(|y| line(&y.to_string())),
                url: p.url.as_deref().map(line),
            }),
        }
    }

    /// Every entry this one links to or is linked from, once each, sorted by id.
    pub fn neighbours(&self) -> Vec<&EntryRef> {
        let mut out: Vec<&EntryRef> = self
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .filter_map(|item| match item {
                LinkItem::Entry(r) if r.id != self.id => Some(r),
                _ => None,
            })
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out.dedup_by(|a, b| a.id == b.id);
        out
    }
}

/// The link sections of entry `index`, as `show` lists them (see
/// [`crate::links::grouped`]): its links by relation, then backlinks under their
/// inverse labels, then the entries that link to it and are not listed above;
/// backlinks by the linking entry's id ([`LinkSection::by_title`] sorts them).
pub fn sections(kb: &Index, _e: &Entry, index: usize) -> Vec<LinkSection> {
    crate::links::grouped(kb, kb.relations(), index)
        .into_iter()
        .map(|group| {
            let items: Vec<LinkItem> = group
                .items
                .iter()
                .map(|item| match item.target {
                    Some(t) => LinkItem::Entry(EntryRef::of(kb, t)),
                    None => LinkItem::Unresolved(line(item.link.unwrap_or_default())),
                })
                .collect();
            LinkSection {
                label: line(&group.label),
                backward: group.backlinks,
                items,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(kb: &Index, id: &str) -> EntryView {
        let Some(i) = kb.by_id(id) else {
            panic!("no {id}")
        };
        let e = kb.entry(i).unwrap_or_else(|e| panic!("{e}"));
        EntryView::new(kb, &e, i)
    }

    #[test]
    fn links_resolve_and_backlinks_leave_out_entries_already_listed() {
        let kb = Index::from_texts(&[
            (
                "a",
                "title = \"A\"\ndefinition = \"d\"\nrelated_approaches = [\"b\", \"Nowhere\"]\n",
            ),
            (
                "b",
                "title = \"B\"\ndefinition = \"d\"\nrelated_approaches = [\"a\"]\n",
            ),
            (
                "c",
                "title = \"C\"\ndefinition = \"d\"\nrelated_problems = [\"a\"]\n",
            ),
        ]);
        let a = view(&kb, "a");
        assert_eq!(a.sections.len(), 2, "{a:?}");
        assert_eq!(a.sections[0].label, "Related approaches");
        assert!(matches!(&a.sections[0].items[1], LinkItem::Unresolved(t) if t == "Nowhere"));
        // B links back but is listed above; only C remains.
        assert_eq!(a.sections[1].label, "Referenced by");
        assert_eq!(a.sections[1].items.len(), 1);
        assert!(matches!(&a.sections[1].items[0], LinkItem::Entry(r) if r.id == "c"));
        let ids: Vec<&str> = a.neighbours().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["b", "c"]);
    }

    #[test]
    fn text_is_sanitized_where_it_enters_the_view() {
        let kb = Index::from_texts(&[(
            "a",
            "title = \"A\\u001b[31m\"\ndefinition = \"x\\u202ey\\n\\nz\"\n",
        )]);
        let a = view(&kb, "a");
        assert_eq!(a.title, "A\\u{1b}[31m");
        assert_eq!(a.definition, "x\\u{202e}y\n\nz");
    }

    #[test]
    fn text_is_kept_exact_for_json_and_sanitized_for_showing() {
        let plain = Text::new("Plain title");
        assert_eq!(
            (plain.exact(), plain.shown()),
            ("Plain title", "Plain title")
        );
        let evil = Text::new(String::from("a\u{1b}[2J\nb\u{200b}c"));
        assert_eq!(evil.exact(), "a\u{1b}[2J\nb\u{200b}c");
        assert_eq!(evil.shown(), "a\\u{1b}[2J bc");
    }

    #[test]
    fn backlinks_keep_shows_id_order_and_the_site_sorts_them_by_title() {
        let kb = Index::from_texts(&[
            ("a", "title = \"A\"\ndefinition = \"d\"\n"),
            (
                "b",
                "title = \"Zed\"\ndefinition = \"d\"\nrelated_problems = [\"a\"]\n",
            ),
            (
                "c",
                "title = \"Ada\"\ndefinition = \"d\"\nrelated_problems = [\"a\"]\n",
            ),
        ]);
        let a = view(&kb, "a");
        let ids = |items: Vec<&LinkItem>| -> Vec<String> {
            items
                .into_iter()
                .filter_map(|i| match i {
                    LinkItem::Entry(r) => Some(r.id.clone()),
                    LinkItem::Unresolved(_) => None,
                })
                .collect()
        };
        let back = &a.sections[0];
        assert!(back.backward);
        assert_eq!(ids(back.items.iter().collect()), ["b", "c"]);
        assert_eq!(ids(back.by_title()), ["c", "b"]);
    }
}
