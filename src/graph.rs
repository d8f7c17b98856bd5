//! The concept graph over an index: an entry's neighbours, breadth-first walks,
//! shortest paths and neighbourhoods, for `related`, `path`, `graph` and `compare`.
//!
//! Every result is deterministic: neighbours come in a fixed order (links in
//! relation order, then backlinks), and where two answers are equally short the
//! one through smaller ids wins.

use crate::index::Index;
use crate::links::Direction;
use crate::relation::Relations;
use std::collections::VecDeque;

/// Which links to follow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Relation names to follow; empty: all.
    pub relations: Vec<String>,
    /// Follow backlinks only.
    pub reverse: bool,
    /// Follow links forwards only.
    pub directed: bool,
}

impl Filter {
    fn follows(&self, relation: &str) -> bool {
        self.relations.is_empty() || self.relations.iter().any(|r| r == relation)
    }
}

/// A link from one entry, followed in some direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge<'a> {
    /// The entry at the other end; `None` for an unresolved link.
    pub target: Option<usize>,
    /// The link as written (forward links only).
    pub link: Option<&'a str>,
    pub relation: &'a str,
    pub direction: Direction,
}

/// Entry `from`'s links (in relation order, then as written) and backlinks (in
/// relation order, then by id) that `filter` follows, unresolved links included.
pub fn neighbours<'a>(
    kb: &'a Index,
    relations: &Relations,
    from: usize,
    filter: &Filter,
) -> Vec<Edge<'a>> {
    let mut out: Vec<Edge<'a>> = Vec::new();
    if !filter.reverse {
        out.extend(
            kb.typed_links(from)
                .filter(|l| filter.follows(l.relation))
                .map(|l| Edge {
                    target: l.target,
                    link: Some(l.text),
                    relation: l.relation,
                    direction: Direction::Forward,
                }),
        );
        out.sort_by_key(|e| relations.rank(e.relation).0);
    }
    if !filter.directed {
        let mut back: Vec<Edge<'a>> = kb
            .typed_backlinks(from)
            .filter(|(_, r)| filter.follows(r))
            .map(|(b, relation)| Edge {
                target: Some(b),
                link: None,
                relation,
                direction: Direction::Backward,
            })
            .collect();
        back.sort_by_key(|e| relations.rank(e.relation).0);
        out.extend(back);
    }
    out
}

/// One step of a walk: an entry (or an unresolved link) reached from `via`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop<'a> {
    pub edge: Edge<'a>,
    pub depth: u32,
    pub via: usize,
}

/// Walks from `start` breadth-first, up to `max_depth` steps. Each entry appears
/// once, at the depth where it is first reached; cycles end there.
pub fn walk<'a>(
    kb: &'a Index,
    relations: &Relations,
    start: usize,
    max_depth: u32,
    filter: &Filter,
) -> Vec<Hop<'a>> {
    let mut hops = Vec::new();
    let mut seen = std::collections::HashSet::from([start]);
    let mut queue = VecDeque::from([(start, 0u32)]);
    while let Some((from, depth)) = queue.pop_front() {
        if depth >= max_depth {
            continue;
        }
        for edge in neighbours(kb, relations, from, filter) {
            match edge.target {
                Some(t) if seen.insert(t) => {
                    hops.push(Hop {
                        edge,
                        depth: depth + 1,
                        via: from,
                    });
                    queue.push_back((t, depth + 1));
                }
                Some(_) => {}
                None => hops.push(Hop {
                    edge,
                    depth: depth + 1,
                    via: from,
                }),
            }
        }
    }
    hops
}

/// A step of a path: the entry, and the link that leads to it from the step
/// before (`None` for the first step).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step<'a> {
    pub entry: usize,
    pub by: Option<(&'a str, Direction)>,
}

/// The resolved neighbours of `from` to walk a path through: one edge per
/// neighbour (the first in relation order), sorted by the neighbour's id.
pub fn path_neighbours<'a>(
    kb: &'a Index,
    relations: &Relations,
    from: usize,
    filter: &Filter,
) -> Vec<(usize, &'a str, Direction)> {
    let mut out: Vec<(usize, &'a str, Direction)> = Vec::new();
    for e in neighbours(kb, relations, from, filter) {
        if let Some(t) = e.target
            && t != from
            && !out.iter().any(|o| o.0 == t)
        {
            out.push((t, e.relation, e.direction));
        }
    }
    // Entries are numbered in id order.
    out.sort_by_key(|o| o.0);
    out
}

/// Up to `count` shortest simple paths from `a` to `b`, shortest first, and
/// among paths of one length in the order of their ids (compared step by
/// step). Empty when there is none.
pub fn paths<'a>(
    kb: &'a Index,
    relations: &Relations,
    a: usize,
    b: usize,
    filter: &Filter,
    count: usize,
) -> Vec<Vec<Step<'a>>> {
    if a == b {
        return vec![vec![Step { entry: a, by: None }]];
    }
    // Distances to `b`, over the reversed links: a lower bound on what is left
    // of any simple path, which prunes the enumeration below. Grown level by
    // level, only as far as the paths asked for need.
    let back = Filter {
        reverse: filter.directed,
        directed: false,
        relations: filter.relations.clone(),
    };
    let mut to_b = Distances::from(kb, b);
    let next = |n: usize, out: &mut Vec<usize>| {
        let f = if filter.directed { &back } else { filter };
        reachable(kb, n, f, out)
    };
    let shortest = loop {
        if let Some(d) = to_b.get(a) {
            break d;
        }
        let Some(level) = to_b.queue.front().and_then(|&n| to_b.get(n)) else {
            return Vec::new();
        };
        to_b.grow(level + 1, &next);
    };
    let mut found = Vec::new();
    let limit = shortest + 8;
    let mut length = shortest;
    while found.len() < count && length <= limit {
        to_b.grow(length, &next);
        if length >= to_b.known {
            break;
        }
        let mut path = vec![Step { entry: a, by: None }];
        let mut on_path = std::collections::HashSet::from([a]);
        extend(
            kb,
            relations,
            filter,
            &to_b,
            b,
            length,
            count,
            &mut path,
            &mut on_path,
            &mut found,
        );
        length += 1;
    }
    found
}

/// Distances to one entry, found breadth-first.
struct Distances {
    /// Each entry's distance plus one; 0 where it is not known yet.
    plus_one: Vec<u32>,
    /// How many entries have a distance.
    known: usize,
    /// Entries whose neighbours are still to visit, nearest first.
    queue: VecDeque<usize>,
}

impl Distances {
    /// Entry `to` at distance 0, the rest unknown.
    fn from(kb: &Index, to: usize) -> Distances {
        let mut plus_one = vec![0; kb.len().max(to + 1)];
        plus_one[to] = 1;
        Distances {
            plus_one,
            known: 1,
            queue: VecDeque::from([to]),
        }
    }

    fn get(&self, n: usize) -> Option<usize> {
        match self.plus_one.get(n) {
            Some(&d) if d > 0 => Some(d as usize - 1),
            _ => None,
        }
    }

    /// Visits until every entry within `level` links is known; `next` lists the
    /// entries one link away from an entry.
    fn grow(&mut self, level: usize, next: &impl Fn(usize, &mut Vec<usize>)) {
        let mut around = Vec::new();
        while let Some(&n) = self.queue.front() {
            let Some(d) = self.get(n) else {
                break;
            };
            if d >= level {
                break;
            }
            self.queue.pop_front();
            around.clear();
            next(n, &mut around);
            for &t in &around {
                if let Some(slot) = self.plus_one.get_mut(t)
                    && *slot == 0
                {
                    *slot = d as u32 + 2;
                    self.known += 1;
                    self.queue.push_back(t);
                }
            }
        }
    }
}

/// The entries one link away from `from` that `filter` follows (resolved, in
/// no particular order, possibly repeated): the ends of [`path_neighbours`],
/// without sorting them or reading the links' texts.
fn reachable(kb: &Index, from: usize, filter: &Filter, out: &mut Vec<usize>) {
    let follows = |l: usize| filter.relations.is_empty() || filter.follows(kb.link_relation(l));
    if !filter.reverse {
        out.extend(
            kb.link_targets(from)
                .filter(|&(t, l)| t != from && follows(l))
                .map(|(t, _)| t),
        );
    }
    if !filter.directed {
        out.extend(
            kb.backlink_sources(from)
                .filter(|&(b, l)| b != from && follows(l))
                .map(|(b, _)| b),
        );
    }
}

/// Depth-first: every simple path of exactly `length` links from the end of
/// `path` to `b`, in id order, until `found` holds `count`.
#[allow(clippy::too_many_arguments)]
fn extend<'a>(
    kb: &'a Index,
    relations: &Relations,
    filter: &Filter,
    to_b: &Distances,
    b: usize,
    length: usize,
    count: usize,
    path: &mut Vec<Step<'a>>,
    on_path: &mut std::collections::HashSet<usize>,
    found: &mut Vec<Vec<Step<'a>>>,
) {
    let Some(last) = path.last().map(|s| s.entry) else {
        return;
    };
    let left = length + 1 - path.len();
    if last == b {
        if left == 0 {
            found.push(path.clone());
        }
        return;
    }
    for (t, relation, direction) in path_neighbours(kb, relations, last, filter) {
        if found.len() >= count {
            return;
        }
        if on_path.contains(&t) || to_b.get(t).is_none_or(|d| d + 1 > left) {
            continue;
        }
        path.push(Step {
            entry: t,
            by: Some((relation, direction)),
        });
        on_path.insert(t);
        extend(
            kb, relations, filter, to_b, b, length, count, path, on_path, found,
        );
        on_path.remove(&t);
        path.pop();
    }
}

/// The entries linked to or from entry `index` by any relation (resolved links
/// only, itself excluded), sorted and each once: its neighbours on the map.
pub fn linked(kb: &Index, index: usize) -> Vec<usize> {
    let mut out: Vec<usize> = kb
        .typed_links(index)
        .filter_map(|l| l.target)
        .chain(kb.backlinks(index))
        .filter(|&t| t != index)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The entries within `depth` steps of `start`, links followed both ways
/// (sorted by id, `start` included).
pub fn neighbourhood(
    kb: &Index,
    relations: &Relations,
    start: usize,
    depth: u32,
    filter: &Filter,
) -> Vec<usize> {
    let mut out: Vec<usize> = walk(kb, relations, start, depth, filter)
        .iter()
        .filter_map(|h| h.edge.target)
        .chain([start])
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> Index {
        // a - b - d and a - c - d: two paths of two links; e apart.
        Index::from_texts(&[
            (
                "a",
                "title = \"A\"\ndefinition = \"d\"\n[links]\nx = [\"c\", \"b\"]\n",
            ),
            (
                "b",
                "title = \"B\"\ndefinition = \"d\"\n[links]\nx = [\"d\"]\n",
            ),
            (
                "c",
                "title = \"C\"\ndefinition = \"d\"\n[links]\ny = [\"d\"]\n",
            ),
            ("d", "title = \"D\"\ndefinition = \"d\"\n"),
            ("e", "title = \"E\"\ndefinition = \"d\"\n"),
        ])
    }

    /// The distances to an entry are grown with [`reachable`], which must reach
    /// exactly the entries [`path_neighbours`] lists, under every filter.
    #[test]
    fn reachable_reaches_what_path_neighbours_lists() {
        use crate::index::Part;
        use crate::source::Source;
        let kb = Index::open(
            &[Source::Embedded],
            None,
            &[Part::Names, Part::Links, Part::Backlinks],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let r = Relations::default();
        let mut relations: Vec<String> = (0..kb.len())
            .flat_map(|i| kb.typed_links(i).map(|l| l.relation.to_string()))
            .collect();
        relations.sort();
        relations.dedup();
        assert!(relations.len() >= 2, "{relations:?}");
        let mut filters = vec![
            Filter::default(),
            Filter {
                directed: true,
                ..Filter::default()
            },
            Filter {
                reverse: true,
                ..Filter::default()
            },
        ];
        for relation in &relations {
            filters.push(Filter {
                relations: vec![relation.clone()],
                ..Filter::default()
            });
        }
        let mut reached = 0;
        for filter in &filters {
            for from in 0..kb.len() {
                let mut listed: Vec<usize> = path_neighbours(&kb, &r, from, filter)
                    .iter()
                    .map(|n| n.0)
                    .collect();
                listed.sort_unstable();
                let mut found = Vec::new();
                reachable(&kb, from, filter, &mut found);
                found.sort_unstable();
                found.dedup();
                assert_eq!(found, listed, "from {} with {filter:?}", kb.id(from));
                reached += found.len();
            }
        }
        assert!(reached > kb.len(), "{reached}");
    }

    fn ids(kb: &Index, path: &[Step<'_>]) -> String {
        path.iter()
            .map(|s| kb.id(s.entry))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_walk_reaches_each_entry_once_at_its_first_depth_through_its_first_link() {
        let kb = kb();
        let r = Relations::default();
        let hops = walk(&kb, &r, 0, 5, &Filter::default());
        let seen: Vec<(String, u32, String)> = hops
            .iter()
            .map(|h| {
                let to = h.edge.target.map_or("?", |t| kb.id(t));
                (to.to_owned(), h.depth, kb.id(h.via).to_owned())
            })
            .collect();
        // d is reached twice (through b and through c) but listed once, at depth 2,
        // through the first of them; e is never reached; a is not revisited.
        let want = [("c", 1, "a"), ("b", 1, "a"), ("d", 2, "c")];
        let want: Vec<(String, u32, String)> = want
            .iter()
            .map(|(t, d, v)| ((*t).to_owned(), *d, (*v).to_owned()))
            .collect();
        assert_eq!(seen, want);
        let shallow = walk(&kb, &r, 0, 1, &Filter::default());
        assert!(shallow.iter().all(|h| h.depth == 1) && shallow.len() == 2);
    }

    #[test]
    fn the_shortest_path_breaks_ties_by_id() {
        let kb = kb();
        let r = Relations::default();
        let (a, d) = (0, 3);
        let found = paths(&kb, &r, a, d, &Filter::default(), 5);
        let found: Vec<_> = found.iter().map(|p| ids(&kb, p)).collect();
        assert_eq!(found, ["a b d", "a c d"]);
    }

    #[test]
    fn backwards_paths_need_undirected_search_and_filters_restrict_relations() {
        let kb = kb();
        let r = Relations::default();
        let back = paths(&kb, &r, 3, 0, &Filter::default(), 1);
        assert_eq!(back[0][1].by, Some(("x", Direction::Backward)));
        let directed = Filter {
            directed: true,
            ..Filter::default()
        };
        assert!(paths(&kb, &r, 3, 0, &directed, 1).is_empty());
        assert_eq!(paths(&kb, &r, 0, 3, &directed, 1).len(), 1);
        let only_y = Filter {
            relations: vec!["y".into()],
            ..Filter::default()
        };
        assert!(paths(&kb, &r, 0, 3, &only_y, 1).is_empty());
        assert!(paths(&kb, &r, 0, 4, &Filter::default(), 1).is_empty());
    }

    #[test]
    fn the_neighbourhood_follows_links_both_ways() {
        let kb = kb();
        let r = Relations::default();
        assert_eq!(neighbourhood(&kb, &r, 3, 1, &Filter::default()), [1, 2, 3]);
        assert_eq!(
            neighbourhood(&kb, &r, 3, 2, &Filter::default()),
            [0, 1, 2, 3]
        );
    }

    #[test]
    fn a_link_to_no_entry_is_a_hop_one_deeper_than_its_entry() {
        // a - b, and b links to an id no entry has.
        let kb = Index::from_texts(&[
            (
                "a",
                "title = \"A\"\ndefinition = \"d\"\n[links]\nx = [\"b\"]\n",
            ),
            (
                "b",
                "title = \"B\"\ndefinition = \"d\"\n[links]\nx = [\"nowhere\"]\n",
            ),
        ]);
        let hops = walk(&kb, &Relations::default(), 0, 2, &Filter::default());
        let dangling: Vec<(u32, &str)> = hops
            .iter()
            .filter(|h| h.edge.target.is_none())
            .map(|h| (h.depth, kb.id(h.via)))
            .collect();
        assert_eq!(dangling, [(2, "b")]);
    }

    #[test]
    fn paths_up_to_eight_links_longer_than_the_shortest_are_found() {
        // a - b directly, a chain of nine links a - c1 - ... - c8 - b, and one of
        // ten, a - d1 - ... - d9 - b, past the bound.
        let mut texts: Vec<(String, String)> = vec![(
            "a".into(),
            "title = \"A\"\ndefinition = \"d\"\n[links]\nx = [\"b\", \"c1\", \"d1\"]\n".into(),
        )];
        for i in 1..=9 {
            let next = if i == 9 {
                "b".to_owned()
            } else {
                format!("d{}", i + 1)
            };
            texts.push((
                format!("d{i}"),
                format!("title = \"D{i}\"\ndefinition = \"d\"\n[links]\nx = [\"{next}\"]\n"),
            ));
        }
        texts.push(("b".into(), "title = \"B\"\ndefinition = \"d\"\n".into()));
        for i in 1..=8 {
            let next = if i == 8 {
                "b".to_owned()
            } else {
                format!("c{}", i + 1)
            };
            texts.push((
                format!("c{i}"),
                format!("title = \"C{i}\"\ndefinition = \"d\"\n[links]\nx = [\"{next}\"]\n"),
            ));
        }
        let kb = Index::from_owned_texts(&texts);
        let r = Relations::default();
        let (a, b) = (0, 1);
        let found = paths(&kb, &r, a, b, &Filter::default(), 5);
        let lengths: Vec<usize> = found.iter().map(|p| p.len() - 1).collect();
        assert_eq!(
            lengths,
            [1, 9],
            "the shortest and the one 8 links longer only"
        );
    }
}
