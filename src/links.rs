//! An entry's links and backlinks grouped under their headings, as `show` lists them.
//!
//! The groups come in this order: one per relation the entry links through
//! (declared relations in declaration order, built-ins first, then undeclared
//! ones by name), a symmetric relation's backlinks joining its own group; then
//! one per inverse label for the backlinks of relations that have one
//! ("Narrower"); then "Referenced by" for the remaining backlinks, leaving out
//! entries already listed above. Within a group, links keep their file order and
//! backlinks are sorted by id.

use crate::index::Index;
use crate::relation::Relations;
use serde::Serialize;

/// Which way a link is followed: as written, or from the entry it points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Forward,
    Backward,
}

impl Direction {
    pub fn name(self) -> &'static str {
        match self {
            Direction::Forward => "forward",
            Direction::Backward => "backward",
        }
    }
}

/// One link in a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<'a> {
    /// The relation's name (`broader`).
    pub relation: &'a str,
    pub direction: Direction,
    /// The link as written, for a link of this entry (`None` for a backlink).
    pub link: Option<&'a str>,
    /// The entry at the other end; `None` for an unresolved link.
    pub target: Option<usize>,
    pub id: Option<&'a str>,
    pub title: Option<&'a str>,
    pub kind: Option<&'a str>,
}

/// Links shown under one heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group<'a> {
    /// The heading: a relation's label or inverse label, or "Referenced by".
    pub label: String,
    /// The relation, or `None` for "Referenced by" (which mixes relations).
    pub relation: Option<&'a str>,
    /// Whether the group holds backlinks only.
    pub backlinks: bool,
    pub items: Vec<Item<'a>>,
}

/// The heading of backlinks that no other group shows.
pub const REFERENCED_BY: &str = "Referenced by";

/// The heading a link of `relation` followed in `direction` goes under: the
/// relation's label, its inverse label for a backlink, or "Referenced by".
pub fn heading(relations: &Relations, relation: &str, direction: Direction) -> String {
    match direction {
        Direction::Forward => relations.label(relation),
        Direction::Backward => relations
            .inverse_label(relation)
            .map_or_else(|| REFERENCED_BY.to_owned(), str::to_owned),
    }
}

/// Like [`heading`], but naming the relation of a plain backlink too:
/// "Referenced by (related approaches)", for lines that stand alone.
pub fn edge_name(relations: &Relations, relation: &str, direction: Direction) -> String {
    let heading = heading(relations, relation, direction);
    if direction == Direction::Backward && relations.inverse_label(relation).is_none() {
        format!("{heading} ({})", relations.label(relation).to_lowercase())
    } else {
        heading
    }
}

/// Entry `entry`'s links grouped by heading (the index needs [`crate::index::Part::Links`]
/// and [`crate::index::Part::Backlinks`]). Browse and `show` use this.
pub fn grouped<'a>(kb: &'a Index, relations: &Relations, entry: usize) -> Vec<Group<'a>> {
    let item = |relation: &'a str, direction, link, target: Option<usize>| Item {
        relation,
        direction,
        link,
        target,
        id: target.map(|t| kb.id(t)),
        title: target.map(|t| kb.title(t)),
        kind: target.map(|t| kb.kind(t)),
    };
    let forward: Vec<_> = kb.typed_links(entry).collect();
    let backward: Vec<(usize, &'a str)> = kb.typed_backlinks(entry).collect();
    let mut names: Vec<&'a str> = forward.iter().map(|l| l.relation).collect();
    names.extend(
        backward
            .iter()
            .filter(|(_, r)| relations.is_symmetric(r))
            .map(|(_, r)| *r),
    );
    names.sort_by_key(|n| relations.rank(n));
    names.dedup();
    let mut groups = Vec::new();
    for name in names {
        let mut items: Vec<Item<'a>> = forward
            .iter()
            .filter(|l| l.relation == name)
            .map(|l| item(name, Direction::Forward, Some(l.text), l.target))
            .collect();
        if relations.is_symmetric(name) {
            for &(from, _) in backward.iter().filter(|(_, r)| *r == name) {
                if !items.iter().any(|i| i.target == Some(from)) {
                    items.push(item(name, Direction::Backward, None, Some(from)));
                }
            }
        }
        groups.push(Group {
            label: relations.label(name),
            relation: Some(name),
            backlinks: false,
            items,
        });
    }
    let mut inverse: Vec<&'a str> = backward
        .iter()
        .filter(|(_, r)| !relations.is_symmetric(r) && relations.inverse_label(r).is_some())
        .map(|(_, r)| *r)
        .collect();
    inverse.sort_by_key(|n| relations.rank(n));
    inverse.dedup();
    for name in inverse {
        let items = backward
            .iter()
            .filter(|(_, r)| *r == name)
            .map(|&(from, _)| item(name, Direction::Backward, None, Some(from)))
            .collect();
        groups.push(Group {
            label: relations.inverse_label(name).unwrap_or_default().to_owned(),
            relation: Some(name),
            backlinks: true,
            items,
        });
    }
    let listed = |groups: &[Group<'_>], from: usize| {
        groups
            .iter()
            .any(|g| g.items.iter().any(|i| i.target == Some(from)))
    };
    let mut rest: Vec<Item<'a>> = Vec::new();
    for &(from, relation) in &backward {
        if !listed(&groups, from) && !rest.iter().any(|i| i.target == Some(from)) {
            rest.push(item(relation, Direction::Backward, None, Some(from)));
        }
    }
    if !rest.is_empty() {
        groups.push(Group {
            label: REFERENCED_BY.to_owned(),
            relation: None,
            backlinks: true,
            items: rest,
        });
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relations() -> Relations {
        let mut r = Relations::default();
        r.add_file(
            "t",
            "[relations.broader]\nlabel = \"Broader\"\ninverse = \"Narrower\"\n[relations.see_also]\nlabel = \"See also\"\nsymmetric = true\n",
        );
        r
    }

    fn labels(kb: &Index, id: &str) -> Vec<(String, Vec<String>)> {
        let Some(i) = kb.by_id(id) else {
            panic!("no {id}")
        };
        grouped(kb, &relations(), i)
            .into_iter()
            .map(|g| {
                let items = g
                    .items
                    .iter()
                    .map(|i| i.id.or(i.link).unwrap_or("").to_owned())
                    .collect();
                (g.label, items)
            })
            .collect()
    }

    #[test]
    fn backlinks_go_under_the_inverse_label_and_symmetric_links_show_on_both_ends() {
        let kb = Index::from_texts(&[
            (
                "a",
                "title = \"A\"\ndefinition = \"d\"\n[links]\nbroader = [\"b\"]\nsee_also = [\"c\"]\n",
            ),
            (
                "b",
                "title = \"B\"\ndefinition = \"d\"\nrelated_approaches = [\"nowhere\"]\n",
            ),
            (
                "c",
                "title = \"C\"\ndefinition = \"d\"\n[links]\npart_of = [\"b\"]\n",
            ),
            (
                "d",
                "title = \"D\"\ndefinition = \"d\"\nrelated_problems = [\"b\", \"c\"]\n",
            ),
        ]);
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            labels(&kb, "b"),
            [
                ("Related approaches".to_owned(), s(&["nowhere"])),
                ("Narrower".to_owned(), s(&["a"])),
                ("Referenced by".to_owned(), s(&["c", "d"])),
            ]
        );
        assert_eq!(
            labels(&kb, "c"),
            [
                ("See also".to_owned(), s(&["a"])),
                ("Part of".to_owned(), s(&["b"])),
                ("Referenced by".to_owned(), s(&["d"])),
            ]
        );
    }

    #[test]
    fn an_entry_already_listed_is_left_out_of_referenced_by() {
        let kb = Index::from_texts(&[
            (
                "a",
                "title = \"A\"\ndefinition = \"d\"\nrelated_approaches = [\"b\"]\n",
            ),
            (
                "b",
                "title = \"B\"\ndefinition = \"d\"\nrelated_approaches = [\"a\"]\n",
            ),
        ]);
        assert_eq!(
            labels(&kb, "a"),
            [("Related approaches".to_owned(), vec!["b".to_owned()])]
        );
    }
}
