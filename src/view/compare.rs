//! What tells two entries apart (`compare`): the two side by side, the links
//! between them (or the shortest path when there is none), the neighbours they
//! share and those of each alone, and their tags.

use super::path::{Followed, StepView};
use super::{EntryLine, Text};
use crate::graph::{self, Filter};
use crate::index::Index;
use crate::links::{self, Direction};
use crate::relation::Relations;

/// The comparison of entries `a` and `b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareView<'a> {
    pub a: EntryLine<'a>,
    pub b: EntryLine<'a>,
    pub between: Between<'a>,
    /// The entries both link to or are linked from, by id.
    pub shared: Vec<Shared<'a>>,
    pub only_a: Vec<Neighbour<'a>>,
    pub only_b: Vec<Neighbour<'a>>,
    pub tags: Tags<'a>,
}

/// What joins the two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Between<'a> {
    /// The links from one to the other, a to b first, then b to a; none when no
    /// path joins them either, or when both are one entry.
    Links(Vec<DirectLink<'a>>),
    /// The shortest path, when no link joins them.
    Path(Vec<StepView<'a>>),
}

/// A link from one of the two to the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectLink<'a> {
    pub from: EntryLine<'a>,
    pub to: EntryLine<'a>,
    /// Always forward: the link as written.
    pub link: Followed<'a>,
}

/// How a neighbour is reached: the relation, which way, and the name it goes by
/// ("Related approaches", or "Referenced by (broader)" for a plain backlink).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach<'a> {
    pub relation: &'a str,
    pub direction: Direction,
    pub name: Text<'a>,
}

/// A neighbour of both, and how each reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared<'a> {
    pub entry: EntryLine<'a>,
    pub a: Reach<'a>,
    pub b: Reach<'a>,
}

/// A neighbour of one of the two only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour<'a> {
    pub entry: EntryLine<'a>,
    pub reach: Reach<'a>,
}

/// The tags of both, of a only and of b only, each sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tags<'a> {
    pub shared: Vec<Text<'a>>,
    pub only_a: Vec<Text<'a>>,
    pub only_b: Vec<Text<'a>>,
}

impl<'a> CompareView<'a> {
    pub fn new(kb: &'a Index, relations: &Relations, a: usize, b: usize) -> CompareView<'a> {
        let mut direct = Vec::new();
        for (from, to) in [(a, b), (b, a)] {
            for l in kb.typed_links(from).filter(|l| l.target == Some(to)) {
                direct.push(DirectLink {
                    from: EntryLine::of(kb, from),
                    to: EntryLine::of(kb, to),
                    link: Followed::new(relations, l.relation, Direction::Forward),
                });
            }
        }
        let path = if direct.is_empty() && a != b {
            graph::paths(kb, relations, a, b, &Filter::default(), 1)
                .into_iter()
                .next()
        } else {
            None
        };
        let between = match path {
            Some(steps) => Between::Path(StepView::path(kb, relations, &steps)),
            None => Between::Links(direct),
        };
        let reach = |relation: &'a str, direction: Direction| Reach {
            relation,
            direction,
            name: Text::new(links::edge_name(relations, relation, direction)),
        };
        let neighbour = |&(t, relation, direction): &(usize, &'a str, Direction)| Neighbour {
            entry: EntryLine::of(kb, t),
            reach: reach(relation, direction),
        };
        // Each neighbour once, with the first relation that reaches it, by index.
        let neighbours = |i| graph::path_neighbours(kb, relations, i, &Filter::default());
        let (na, nb) = (neighbours(a), neighbours(b));
        let mut shared = Vec::new();
        let mut only_a = Vec::new();
        for n in na.iter().filter(|n| n.0 != b) {
            match nb.iter().find(|m| m.0 == n.0) {
                Some(&(_, relation_b, direction_b)) => shared.push(Shared {
                    entry: EntryLine::of(kb, n.0),
                    a: reach(n.1, n.2),
                    b: reach(relation_b, direction_b),
                }),
                None => only_a.push(neighbour(n)),
            }
        }
        let only_b = nb
            .iter()
            .filter(|n| n.0 != a && !na.iter().any(|m| m.0 == n.0))
            .map(neighbour)
            .collect();
        let (ta, tb): (Vec<&str>, Vec<&str>) = (kb.tags(a).collect(), kb.tags(b).collect());
        let sorted = |mut list: Vec<&'a str>| -> Vec<Text<'a>> {
            list.sort_unstable();
            list.dedup();
            list.into_iter().map(Text::new).collect()
        };
        CompareView {
            a: EntryLine::of(kb, a),
            b: EntryLine::of(kb, b),
            between,
            shared,
            only_a,
            only_b,
            tags: Tags {
                shared: sorted(ta.iter().filter(|t| tb.contains(t)).copied().collect()),
                only_a: sorted(ta.iter().filter(|t| !tb.contains(t)).copied().collect()),
                only_b: sorted(tb.iter().filter(|t| !ta.contains(t)).copied().collect()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids<'a>(list: &'a [Neighbour]) -> Vec<&'a str> {
        list.iter().map(|n| n.entry.id.exact()).collect()
    }

    #[test]
    fn neighbours_split_into_shared_and_each_alone_and_a_path_stands_in_for_no_link() {
        let kb = Index::from_texts(&[
            (
                "a",
                "title = \"A\"\ndefinition = \"d\"\ntags = [\"x\", \"y\"]\nrelated_problems = [\"c\", \"d\"]\n",
            ),
            (
                "b",
                "title = \"B\"\ndefinition = \"d\"\ntags = [\"y\"]\nrelated_problems = [\"c\", \"e\"]\n",
            ),
            ("c", "title = \"C\"\ndefinition = \"d\"\n"),
            ("d", "title = \"D\"\ndefinition = \"d\"\n"),
            ("e", "title = \"E\"\ndefinition = \"d\"\n"),
        ]);
        let v = CompareView::new(&kb, kb.relations(), 0, 1);
        let shared: Vec<&str> = v.shared.iter().map(|s| s.entry.id.exact()).collect();
        assert_eq!(shared, ["c"]);
        assert_eq!((ids(&v.only_a), ids(&v.only_b)), (vec!["d"], vec!["e"]));
        let tags = |t: &[Text]| t.iter().map(|t| t.exact().to_owned()).collect::<Vec<_>>();
        assert_eq!(tags(&v.tags.shared), ["y"]);
        assert_eq!(tags(&v.tags.only_a), ["x"]);
        assert!(v.tags.only_b.is_empty());
        // No link between a and b: the path a → c ← b.
        let Between::Path(path) = &v.between else {
            panic!("{:?}", v.between)
        };
        let arrows: Vec<String> = path
            .iter()
            .filter_map(|s| s.by.as_ref())
            .map(|b| b.arrow())
            .collect();
        assert_eq!(arrows, ["—related problems→", "←related problems—"]);
        // a links to c directly.
        let v = CompareView::new(&kb, kb.relations(), 0, 2);
        assert!(matches!(&v.between, Between::Links(l) if l.len() == 1));
    }
}
