//! The concept graph (`graph`): entries as nodes and the links between them as
//! edges, with the links that resolve to no entry, all sorted (nodes by id, links
//! by the linking entry's id, then target, then relation), so that the same graph
//! always gives the same bytes in every format.

use super::{EntryLine, Text};
use crate::index::Index;
use crate::relation::Relations;
use std::collections::HashMap;
use std::rc::Rc;

/// The nodes, the links between them, and the unresolved links of the nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphView<'a> {
    /// By id.
    pub nodes: Vec<EntryLine<'a>>,
    /// By `from`, then `to`, then relation (declared ones in declaration order).
    pub edges: Vec<Edge<'a>>,
    /// By `from`, then the link's text, then relation.
    pub unresolved: Vec<Unresolved<'a>>,
}

/// A link between two nodes, by their ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge<'a> {
    pub from: Text<'a>,
    pub to: Text<'a>,
    pub relation: Rc<Label<'a>>,
}

/// A link of a node that resolves to no entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved<'a> {
    pub from: Text<'a>,
    /// The link as written.
    pub link: Text<'a>,
    pub relation: Rc<Label<'a>>,
}

/// A relation by name, with its label and whether it runs both ways; made once
/// per relation and shared by its links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label<'a> {
    pub name: &'a str,
    /// As a heading: "Broader".
    pub label: Text<'a>,
    /// In lower case, as it reads between two titles: "broader".
    pub lower: Text<'a>,
    pub symmetric: bool,
}

impl<'a> Label<'a> {
    fn new(relations: &Relations, name: &'a str) -> Label<'a> {
        let label = relations.label(name);
        Label {
            name,
            lower: Text::new(label.to_lowercase()),
            label: Text::new(label),
            symmetric: relations.is_symmetric(name),
        }
    }
}

impl<'a> GraphView<'a> {
    /// The graph of `nodes` (entry indexes in id order) and the links among them
    /// of the relations in `follow` (every relation when it is empty).
    pub fn new(
        kb: &'a Index,
        relations: &Relations,
        nodes: &[usize],
        follow: &[String],
    ) -> GraphView<'a> {
        let mut member = vec![false; kb.len()];
        for &i in nodes {
            member[i] = true;
        }
        let follows = |r: &str| follow.is_empty() || follow.iter().any(|w| w == r);
        let mut edges: Vec<(&str, &str, &str)> = Vec::new();
        let mut unresolved: Vec<(&str, &str, &str)> = Vec::new();
        for &n in nodes {
            for link in kb.typed_links(n).filter(|l| follows(l.relation)) {
                match link.target {
                    Some(t) if member[t] => edges.push((kb.id(n), kb.id(t), link.relation)),
                    Some(_) => {}
                    None => unresolved.push((kb.id(n), link.text, link.relation)),
                }
            }
        }
        let rank = |r: &str| relations.rank(r).0;
        edges.sort_by_key(|&(from, to, relation)| (from, to, rank(relation), relation));
        edges.dedup();
        unresolved.sort();
        unresolved.dedup();
        let mut labels: HashMap<&'a str, Rc<Label<'a>>> = HashMap::new();
        let mut label = |name: &'a str| {
            Rc::clone(
                labels
                    .entry(name)
                    .or_insert_with(|| Rc::new(Label::new(relations, name))),
            )
        };
        GraphView {
            nodes: nodes.iter().map(|&i| EntryLine::of(kb, i)).collect(),
            edges: edges
                .into_iter()
                .map(|(from, to, relation)| Edge {
                    from: Text::new(from),
                    to: Text::new(to),
                    relation: label(relation),
                })
                .collect(),
            unresolved: unresolved
                .into_iter()
                .map(|(from, link, relation)| Unresolved {
                    from: Text::new(from),
                    link: Text::new(link),
                    relation: label(relation),
                })
                .collect(),
        }
    }

    /// The node with id `id` (as written), and its place among the nodes.
    pub fn node(&self, id: &str) -> Option<(usize, &EntryLine<'a>)> {
        let at = self.nodes.binary_search_by(|n| n.id.exact().cmp(id)).ok()?;
        Some((at, &self.nodes[at]))
    }

    /// The links from node `id`.
    pub fn edges_from(&self, id: &str) -> &[Edge<'a>] {
        from(&self.edges, id, |e| e.from.exact())
    }

    /// The unresolved links of node `id`.
    pub fn unresolved_from(&self, id: &str) -> &[Unresolved<'a>] {
        from(&self.unresolved, id, |u| u.from.exact())
    }
}

/// The items of `sorted` (sorted by `key`) whose key is `id`.
fn from<'s, T>(sorted: &'s [T], id: &str, key: impl Fn(&T) -> &str) -> &'s [T] {
    let start = sorted.partition_point(|x| key(x) < id);
    let end = start + sorted[start..].partition_point(|x| key(x) == id);
    &sorted[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> Index {
        Index::from_texts(&[
            (
                "a",
                "title = \"A\"\ndefinition = \"d\"\nrelated_problems = [\"c\", \"b\", \"Nowhere\"]\n[links]\nbroader = [\"b\"]\n",
            ),
            (
                "b",
                "title = \"B\"\ndefinition = \"d\"\n[links]\nbroader = [\"a\"]\n",
            ),
            ("c", "title = \"C\"\ndefinition = \"d\"\n"),
        ])
    }

    fn edges<'a>(v: &'a GraphView, id: &str) -> Vec<(&'a str, &'a str)> {
        v.edges_from(id)
            .iter()
            .map(|e| (e.to.exact(), e.relation.name))
            .collect()
    }

    #[test]
    fn links_are_sorted_by_target_then_relation_and_found_by_their_source() {
        let kb = kb();
        let v = GraphView::new(&kb, kb.relations(), &[0, 1, 2], &[]);
        assert_eq!(
            edges(&v, "a"),
            [
                ("b", "related_problems"),
                ("b", "broader"),
                ("c", "related_problems")
            ]
        );
        assert_eq!(edges(&v, "b"), [("a", "broader")]);
        assert!(edges(&v, "c").is_empty());
        let unresolved: Vec<&str> = v
            .unresolved_from("a")
            .iter()
            .map(|u| u.link.exact())
            .collect();
        assert_eq!(unresolved, ["Nowhere"]);
        assert_eq!(
            v.node("c").map(|(at, n)| (at, n.title.exact())),
            Some((2, "C"))
        );
        assert!(v.node("zed").is_none());
    }

    #[test]
    fn only_links_between_nodes_of_the_relations_followed_are_edges() {
        let kb = kb();
        let v = GraphView::new(&kb, kb.relations(), &[0, 1], &["broader".to_owned()]);
        assert_eq!(edges(&v, "a"), [("b", "broader")]);
        assert!(v.unresolved.is_empty());
    }
}
