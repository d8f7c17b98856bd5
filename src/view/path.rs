//! The shortest chains of links from one entry to another (`path`), each step
//! with the link that reached it.

use super::{EntryLine, Text};
use crate::graph::Step;
use crate::index::Index;
use crate::links::Direction;
use crate::relation::Relations;

/// The two entries asked about and the paths found between them, shortest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathView<'a> {
    pub from: EntryLine<'a>,
    pub to: EntryLine<'a>,
    pub paths: Vec<Vec<StepView<'a>>>,
}

/// One entry on a path, and the link followed to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepView<'a> {
    pub entry: EntryLine<'a>,
    /// `None` for the first step.
    pub by: Option<Followed<'a>>,
}

/// A link followed: its relation, which way, and the relation's name as it reads
/// between two titles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Followed<'a> {
    pub relation: &'a str,
    pub direction: Direction,
    /// The relation's label in lower case ("broader").
    pub name: Text<'a>,
}

impl Followed<'_> {
    pub fn new<'a>(relations: &Relations, relation: &'a str, direction: Direction) -> Followed<'a> {
        Followed {
            relation,
            direction,
            name: Text::new(relations.label(relation).to_lowercase()),
        }
    }

    /// "—broader→" for a link followed as written, "←broader—" for one followed
    /// from the entry it points to; shown (sanitized).
    pub fn arrow(&self) -> String {
        let name = self.name.shown();
        match self.direction {
            Direction::Forward => format!("—{name}→"),
            Direction::Backward => format!("←{name}—"),
        }
    }
}

impl<'a> StepView<'a> {
    /// The steps of one path.
    pub fn path(kb: &'a Index, relations: &Relations, steps: &[Step<'a>]) -> Vec<StepView<'a>> {
        steps
            .iter()
            .map(|s| StepView {
                entry: EntryLine::of(kb, s.entry),
                by: s.by.map(|(r, d)| Followed::new(relations, r, d)),
            })
            .collect()
    }
}

impl<'a> PathView<'a> {
    pub fn new(
        kb: &'a Index,
        relations: &Relations,
        (from, to): (usize, usize),
        paths: &[Vec<Step<'a>>],
    ) -> PathView<'a> {
        PathView {
            from: EntryLine::of(kb, from),
            to: EntryLine::of(kb, to),
            paths: paths
                .iter()
                .map(|p| StepView::path(kb, relations, p))
                .collect(),
        }
    }
}
