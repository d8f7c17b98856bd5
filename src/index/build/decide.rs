//! Deciding one group, the files that give one id: which file wins and which
//! are duplicates, reading and parsing only what the last index cannot answer.

use super::super::{Index, outcome};
use super::candidates::{Cand, Files};
use super::fresh::Record;
use crate::diagnostic::Diagnostic;
use crate::precedence::{self, Claim};

enum Status {
    Old(u32),
    Unloaded,
    Fresh(Box<Record>),
    Failed(Diagnostic),
}

impl Status {
    fn ok(&self) -> bool {
        matches!(self, Status::Old(_) | Status::Unloaded | Status::Fresh(_))
    }
}

/// The data of a group's winning entry.
pub(super) enum Winner {
    Old(u32),
    Fresh(Box<Record>),
}

/// What deciding one group (one id) gave.
pub(super) struct GroupOut {
    pub winner: Option<(u32, Winner)>,
    /// For each file: its manifest index, whether it parsed, and its own problem.
    pub files: Vec<(u32, bool, Option<Diagnostic>)>,
    /// Problems to print: (source, order, diagnostic, manifest file if the file's own).
    pub problems: Vec<(u32, u32, Diagnostic, Option<u32>)>,
}

pub(super) fn decide(group: &[&Cand<'_>], files: &Files<'_, '_>, old: Option<&Index>) -> GroupOut {
    let mut status: Vec<Status> = group
        .iter()
        .map(|c| {
            let reused = c.reuse.and_then(|o| {
                let value = o & !outcome::KIND;
                match (o & outcome::KIND, old) {
                    (outcome::ENTRY, Some(_)) => Some(Status::Old(value)),
                    (outcome::PARSED, _) => Some(Status::Unloaded),
                    (outcome::PROBLEM, Some(old)) => old
                        .stored_problems()
                        .get(value as usize)
                        .filter(|p| !p.walk)
                        .map(|p| Status::Failed(p.diagnostic.clone())),
                    _ => None,
                }
            });
            reused.unwrap_or_else(|| match files.parse(c) {
                Ok(r) => Status::Fresh(Box::new(r)),
                Err(d) => Status::Failed(d),
            })
        })
        .collect();
    // Which file wins (crate::precedence); a winner known only to have parsed
    // last time is parsed now, and the rule asked again if it no longer does.
    let decision = loop {
        let claims: Vec<Claim> = group
            .iter()
            .zip(&status)
            .map(|(c, s)| Claim {
                source: c.source,
                parsed: s.ok(),
            })
            .collect();
        let decision = precedence::decide(&claims);
        match decision.winner {
            Some(w) if matches!(status[w], Status::Unloaded) => {
                status[w] = match files.parse(group[w]) {
                    Ok(r) => Status::Fresh(Box::new(r)),
                    Err(d) => Status::Failed(d),
                };
            }
            _ => break decision,
        }
    };
    let winner = decision.winner;
    let mut out = GroupOut {
        winner: None,
        files: Vec::with_capacity(group.len()),
        problems: Vec::new(),
    };
    for (c, s) in group.iter().zip(&status) {
        let own = match s {
            Status::Failed(d) => {
                out.problems
                    .push((c.source, c.order, d.clone(), Some(c.file)));
                Some(d.clone())
            }
            _ => None,
        };
        out.files.push((c.file, s.ok(), own));
    }
    for (i, first) in decision.duplicates {
        let c = group[i];
        let d = precedence::duplicate(
            files.display(c.file),
            &c.id,
            &files.display(group[first].file),
        );
        out.problems.push((c.source, c.order, d, None));
    }
    if let Some(w) = winner {
        let data = match std::mem::replace(&mut status[w], Status::Unloaded) {
            Status::Old(o) => Some(Winner::Old(o)),
            Status::Fresh(r) => Some(Winner::Fresh(r)),
            _ => None,
        };
        out.winner = data.map(|d| (group[w].file, d));
    }
    out
}
