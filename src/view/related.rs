//! What `related` reached from an entry, breadth-first: each hop with the link it
//! followed, grouped under headings at depth 1 or laid out as a tree beyond.

use super::{EntryLine, EntryRef, Text};
use crate::graph::Hop;
use crate::index::Index;
use crate::links::{self, Direction};
use crate::relation::Relations;
use std::collections::HashMap;

/// The entry asked about and every hop from it, in walk order.
#[derive(Debug, Clone, PartialEq)]
pub struct RelatedView<'a> {
    pub start: EntryRef,
    pub hops: Vec<HopView<'a>>,
    /// Shown as a tree of how each entry was reached (`--depth` above 1).
    pub tree: bool,
    /// The index of the start entry, to find the hops reached through it.
    start_index: usize,
}

/// One entry reached, or one unresolved link, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct HopView<'a> {
    /// The entry at the other end; `None` for an unresolved link.
    pub target: Option<EntryLine<'a>>,
    /// The link as written (forward links only).
    pub link: Option<Text<'a>>,
    /// The relation's name, as declared.
    pub relation: &'a str,
    pub direction: Direction,
    /// The heading it is listed under ("Related approaches", "Referenced by").
    pub heading: Text<'a>,
    /// The heading, naming the relation of a plain backlink too, for tree lines.
    pub edge_name: Text<'a>,
    pub depth: u32,
    /// The id of the entry it was reached through.
    pub via: Text<'a>,
    via_index: usize,
    target_index: Option<usize>,
}

impl<'a> RelatedView<'a> {
    pub fn new(
        kb: &'a Index,
        relations: &Relations,
        start: usize,
        hops: &[Hop<'a>],
        tree: bool,
    ) -> Self {
        RelatedView {
            start: EntryRef::of(kb, start),
            hops: hops
                .iter()
                .map(|h| HopView::new(kb, relations, h))
                .collect(),
            tree,
            start_index: start,
        }
    }

    /// The hops in groups under their headings, in the order the headings first
    /// occur; backlinks without an inverse ("Referenced by") last, as in `show`.
    pub fn by_heading(&self) -> Vec<(&Text<'a>, Vec<&HopView<'a>>)> {
        let mut groups: Vec<(&Text<'a>, Vec<&HopView<'a>>)> = Vec::new();
        for hop in &self.hops {
            match groups
                .iter_mut()
                .find(|(h, _)| h.exact() == hop.heading.exact())
            {
                Some((_, list)) => list.push(hop),
                None => groups.push((&hop.heading, vec![hop])),
            }
        }
        groups.sort_by_key(|(h, _)| h.exact() == links::REFERENCED_BY);
        groups
    }

    /// The hops in tree order: each entry followed by the entries reached through it.
    pub fn tree_order(&self) -> Vec<&HopView<'a>> {
        // The hops reached through each entry, in walk order.
        let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, h) in self.hops.iter().enumerate() {
            children.entry(h.via_index).or_default().push(i);
        }
        let mut out = Vec::with_capacity(self.hops.len());
        let mut stack: Vec<usize> = children.get(&self.start_index).cloned().unwrap_or_default();
        stack.reverse();
        while let Some(i) = stack.pop() {
            out.push(&self.hops[i]);
            if let Some(t) = self.hops[i].target_index
                && let Some(next) = children.get(&t)
            {
                stack.extend(next.iter().rev());
            }
        }
        out
    }
}

impl<'a> HopView<'a> {
    fn new(kb: &'a Index, relations: &Relations, hop: &Hop<'a>) -> Self {
        let edge = &hop.edge;
        HopView {
            target: edge.target.map(|t| EntryLine::of(kb, t)),
            link: edge.link.map(Text::new),
            relation: edge.relation,
            direction: edge.direction,
            heading: Text::new(links::heading(relations, edge.relation, edge.direction)),
            edge_name: Text::new(links::edge_name(relations, edge.relation, edge.direction)),
            depth: hop.depth,
            via: Text::new(kb.id(hop.via)),
            via_index: hop.via,
            target_index: edge.target,
        }
    }
}
