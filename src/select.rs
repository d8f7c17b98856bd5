//! Which entries the study commands (`sources`, `quiz`) work on, and the links they follow.
//!
//! What is near an entry is the concept map's answer ([`crate::graph`]): every
//! relation, followed both ways.

use crate::entry::Relation;
use crate::error::{Error, Result};
use crate::graph::Filter;
use crate::index::{Index, Part};

/// The index parts [`select`] and the neighbourhood functions read.
pub const PARTS: &[Part] = &[Part::Names, Part::Links, Part::Backlinks, Part::Summaries];

/// A selection: all entries, or one entry and its neighbourhood, narrowed by kind and tag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The entry to start from (the command has looked the query up); `None`: every entry.
    pub start: Option<usize>,
    /// With a start: how many links away to go.
    pub depth: u32,
    pub kind: Option<String>,
    pub tag: Option<String>,
}

/// The selected entries, sorted by id; an error when the kind and tag leave nothing.
pub fn select(kb: &Index, selection: &Selection) -> Result<Vec<usize>> {
    let mut chosen: Vec<usize> = match selection.start {
        Some(start) => within(kb, start, selection.depth),
        None => (0..kb.len()).collect(),
    };
    let kind = selection.kind.as_ref().map(|k| k.trim().to_lowercase());
    let tag = selection.tag.as_ref().map(|t| t.trim().to_lowercase());
    chosen.retain(|&i| {
        kind.as_ref().is_none_or(|k| is_kind(kb.kind(i), k))
            && tag.as_ref().is_none_or(|t| kb.tags(i).any(|own| own == t))
    });
    chosen.sort_unstable();
    if chosen.is_empty() {
        let mut what = Vec::new();
        if let Some(k) = &kind {
            what.push(format!("of kind \"{k}\""));
        }
        if let Some(t) = &tag {
            what.push(format!("tagged \"{t}\""));
        }
        return Err(Error::NothingFound(if what.is_empty() {
            "the knowledge base has no entries".to_owned()
        } else {
            format!("no selected entries {}", what.join(" and "))
        }));
    }
    Ok(chosen)
}

/// Whether `asked` names the kind `own`, in the singular or the plural
/// ("problem", "problems", "approaches", "strategies").
fn is_kind(own: &str, asked: &str) -> bool {
    asked == own
        || asked.strip_suffix('s') == Some(own)
        || asked.strip_suffix("es") == Some(own)
        || (own.ends_with('y') && asked.strip_suffix("ies") == own.strip_suffix('y'))
}

/// `start` and every entry up to `depth` links away from it, by any relation and
/// in either direction (sorted by id).
pub fn within(kb: &Index, start: usize, depth: u32) -> Vec<usize> {
    crate::graph::neighbourhood(kb, kb.relations(), start, depth, &Filter::default())
}

/// The entries that entry `index` names as related problems (resolved, itself excluded).
pub fn related_problems(kb: &Index, index: usize) -> Vec<usize> {
    let mut out: Vec<usize> = kb
        .links(index, Relation::Problem)
        .into_iter()
        .filter_map(|(_, t)| t)
        .filter(|&t| t != index)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> Index {
        Index::from_texts(&[
            (
                "a",
                "title = \"A\"\ndefinition = \"d\"\nkind = \"approach\"\nrelated_problems = [\"b\"]\n",
            ),
            (
                "b",
                "title = \"B\"\ndefinition = \"d\"\nkind = \"problem\"\nrelated_approaches = [\"c\"]\n",
            ),
            (
                "c",
                "title = \"C\"\ndefinition = \"d\"\nkind = \"approach\"\ntags = [\"x\"]\n",
            ),
            ("d", "title = \"D\"\ndefinition = \"d\"\n"),
        ])
    }

    fn ids(kb: &Index, list: &[usize]) -> Vec<String> {
        list.iter().map(|&i| kb.id(i).to_owned()).collect()
    }

    #[test]
    fn depth_follows_typed_links_forwards_as_well_as_backwards() {
        let kb = Index::from_texts(&[
            (
                "p",
                "title = \"P\"\ndefinition = \"d\"\n[links]\nbroader = [\"q\"]\n",
            ),
            (
                "q",
                "title = \"Q\"\ndefinition = \"d\"\n[links]\npart_of = [\"r\"]\n",
            ),
            ("r", "title = \"R\"\ndefinition = \"d\"\n"),
        ]);
        let q = kb.by_id("q").unwrap_or(0);
        assert_eq!(ids(&kb, &within(&kb, q, 1)), ["p", "q", "r"]);
        let p = kb.by_id("p").unwrap_or(0);
        assert_eq!(ids(&kb, &within(&kb, p, 2)), ["p", "q", "r"]);
    }

    #[test]
    fn depth_widens_the_selection_one_link_at_a_time() {
        let kb = kb();
        let a = kb.by_id("a").unwrap_or(0);
        assert_eq!(ids(&kb, &within(&kb, a, 0)), ["a"]);
        assert_eq!(ids(&kb, &within(&kb, a, 1)), ["a", "b"]);
        assert_eq!(ids(&kb, &within(&kb, a, 2)), ["a", "b", "c"]);
    }

    #[test]
    fn kind_and_tag_narrow_and_an_empty_result_is_an_error() {
        let kb = kb();
        let approaches = Selection {
            kind: Some("approaches".into()),
            ..Selection::default()
        };
        let got = select(&kb, &approaches).unwrap_or_default();
        assert_eq!(ids(&kb, &got), ["a", "c"]);
        let none = Selection {
            kind: Some("problem".into()),
            tag: Some("x".into()),
            ..Selection::default()
        };
        let err = select(&kb, &none).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("no selected entries of kind \"problem\" and tagged \"x\"")
        );
    }
}
