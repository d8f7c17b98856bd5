//! Lists of entries: `list` (in id order, or grouped by kind) and `glossary`
//! (alphabetical by title).

use super::{EntryLine, Text};
use crate::index::Index;

/// The old site's menu order; other kinds follow alphabetically.
const KIND_ORDER: &[&str] = &["approach", "problem", "concept", "organization", "case"];

/// The entries `list` selected, in id order (for a pipe and JSON). Each line is
/// made as a renderer reaches it, so a long list is never held whole in memory.
#[derive(Clone, Copy)]
pub struct ListView<'a> {
    kb: &'a Index,
    selected: &'a [usize],
}

impl<'a> ListView<'a> {
    pub fn new(kb: &'a Index, selected: &'a [usize]) -> ListView<'a> {
        ListView { kb, selected }
    }

    /// The entries, in id order.
    pub fn entries(&self) -> impl Iterator<Item = EntryLine<'a>> + 'a {
        let kb = self.kb;
        self.selected.iter().map(move |&i| EntryLine::of(kb, i))
    }

    /// Each entry's id and title, in id order: all a line in a pipe shows.
    pub fn names(&self) -> impl Iterator<Item = (Text<'a>, Text<'a>)> + 'a {
        let kb = self.kb;
        self.selected.iter().map(move |&i| {
            let (id, title) = kb.id_and_title(i);
            (Text::new(id), Text::new(title))
        })
    }
}

/// The entries `list` selected, by kind in the old site's menu order, each kind
/// sorted by title (for a terminal and Markdown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupedView<'a> {
    pub groups: Vec<ListGroup<'a>>,
}

/// The entries of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListGroup<'a> {
    /// The kind in the plural, as a heading ("Approaches").
    pub heading: Text<'a>,
    pub entries: Vec<EntryLine<'a>>,
}

impl<'a> GroupedView<'a> {
    pub fn new(kb: &'a Index, selected: &[usize]) -> GroupedView<'a> {
        GroupedView {
            groups: groups(kb, selected)
                .into_iter()
                .map(|(kind, members)| ListGroup {
                    heading: Text::new(crate::kinds::plural(kind)),
                    entries: members.into_iter().map(|i| EntryLine::of(kb, i)).collect(),
                })
                .collect(),
        }
    }

    /// Every entry, group after group.
    pub fn entries(&self) -> impl Iterator<Item = &EntryLine<'a>> {
        self.groups.iter().flat_map(|g| &g.entries)
    }
}

/// Every entry selected for `glossary`, alphabetically by title (then id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryView<'a> {
    pub entries: Vec<EntryLine<'a>>,
}

impl<'a> GlossaryView<'a> {
    /// The view of `selected` (entry indexes in id order).
    pub fn new(kb: &'a Index, selected: &[usize]) -> GlossaryView<'a> {
        let mut order: Vec<(String, usize)> = selected
            .iter()
            .map(|&i| (kb.title(i).to_lowercase(), i))
            .collect();
        // Entries are in id order, so the index breaks ties by id.
        order.sort();
        GlossaryView {
            entries: order.iter().map(|&(_, i)| EntryLine::of(kb, i)).collect(),
        }
    }
}

/// The entries by kind, in the old site's menu order, each group sorted by title.
pub fn groups<'a>(kb: &'a Index, entries: &[usize]) -> Vec<(&'a str, Vec<usize>)> {
    let mut kinds: Vec<&str> = entries.iter().map(|&i| kb.kind(i)).collect();
    kinds.sort_by_key(|k| {
        (
            KIND_ORDER
                .iter()
                .position(|o| o == k)
                .unwrap_or(KIND_ORDER.len()),
            *k,
        )
    });
    kinds.dedup();
    kinds
        .into_iter()
        .map(|kind| {
            let mut group: Vec<usize> = entries
                .iter()
                .copied()
                .filter(|&i| kb.kind(i) == kind)
                .collect();
            group.sort_by_cached_key(|&i| kb.title(i).to_lowercase());
            (kind, group)
        })
        .collect()
}
