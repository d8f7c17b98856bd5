//! Lists of entries: `list` (in id order, and grouped by kind) and `glossary`
//! (alphabetical by title).

use super::Text;
use crate::index::Index;

/// The old site's menu order; other kinds follow alphabetically.
const KIND_ORDER: &[&str] = &["approach", "problem", "concept", "organization", "case"];

/// One entry in a list: its names and one-line summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub id: Text,
    pub title: Text,
    pub kind: Text,
    pub summary: Option<Text>,
}

impl ListItem {
    pub fn of(kb: &Index, index: usize) -> ListItem {
        ListItem {
            id: Text::new(kb.id(index)),
            title: Text::new(kb.title(index)),
            kind: Text::new(kb.kind(index)),
            summary: kb.summary(index).map(Text::new),
        }
    }
}

/// The entries `list` selected, in id order, and the same entries by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListView {
    pub entries: Vec<ListItem>,
    pub groups: Vec<ListGroup>,
}

/// The entries of one kind, sorted by title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListGroup {
    /// The kind in the plural, as a heading ("Approaches").
    pub heading: Text,
    /// Positions in [`ListView::entries`].
    pub members: Vec<usize>,
}

impl ListView {
    /// The view of `selected` (entry indexes, ascending: in id order).
    pub fn new(kb: &Index, selected: &[usize]) -> ListView {
        let position = |i: usize| selected.binary_search(&i).unwrap_or(0);
        ListView {
            entries: selected.iter().map(|&i| ListItem::of(kb, i)).collect(),
            groups: groups(kb, selected)
                .into_iter()
                .map(|(kind, members)| ListGroup {
                    heading: Text::new(&crate::kinds::plural(kind)),
                    members: members.into_iter().map(position).collect(),
                })
                .collect(),
        }
    }

    /// The entries of each group, in order.
    pub fn group(&self, group: &ListGroup) -> impl Iterator<Item = &ListItem> {
        group.members.iter().map(|&m| &self.entries[m])
    }
}

/// Every entry selected for `glossary`, alphabetically by title (then id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryView {
    pub entries: Vec<ListItem>,
}

impl GlossaryView {
    /// The view of `selected` (entry indexes in id order).
    pub fn new(kb: &Index, selected: &[usize]) -> GlossaryView {
        let mut order: Vec<(String, usize)> = selected
            .iter()
            .map(|&i| (kb.title(i).to_lowercase(), i))
            .collect();
        // Entries are in id order, so the index breaks ties by id.
        order.sort();
        GlossaryView {
            entries: order.iter().map(|&(_, i)| ListItem::of(kb, i)).collect(),
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
