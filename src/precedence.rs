//! Which file an entry comes from when several files give the same id (their
//! stem): the one rule that loading, the index and `check` all follow.
//!
//! - A file that cannot be read or parsed claims nothing: it is a problem of
//!   its own, and the id goes to the other files as if it were not there.
//! - Within one knowledge base, files are taken in read order (sorted by path):
//!   the first that parses has the id; every later one is a duplicate, reported
//!   as an error and ignored.
//! - Across knowledge bases, the last one (the one of highest precedence, as
//!   `otpic paths` lists them first) that has the id wins: a directory overrides
//!   the built-in entry of the same id, silently.
//!
//! Which names are entry files at all (hidden files, backups, symlinks) is the
//! walk's rule, in [`crate::walk`].

use crate::diagnostic::Diagnostic;

/// One file giving an id: its knowledge base (in order of precedence, lowest
/// first) and whether it parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub source: u32,
    pub parsed: bool,
}

/// What the rule decides for the files giving one id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    /// The file the entry comes from, if any parsed.
    pub winner: Option<usize>,
    /// The files ignored as duplicates, each with the file of the same
    /// knowledge base that has the id.
    pub duplicates: Vec<(usize, usize)>,
}

/// Decides between `claims`, the files giving one id, ordered by knowledge
/// base and, within one, in read order.
pub fn decide(claims: &[Claim]) -> Decision {
    let mut out = Decision::default();
    let mut first: Option<(u32, usize)> = None;
    for (i, c) in claims.iter().enumerate() {
        if !c.parsed {
            continue;
        }
        match first {
            Some((source, f)) if source == c.source => out.duplicates.push((i, f)),
            _ => {
                first = Some((c.source, i));
                out.winner = Some(i);
            }
        }
    }
    out
}

/// The error for a duplicate: `file` gives the id `id` that `first` has.
pub fn duplicate(file: impl Into<String>, id: &str, first: &str) -> Diagnostic {
    Diagnostic::error(
        file,
        None,
        format!("duplicate id \"{id}\": {first} has it too; this file is ignored"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(list: &[(u32, bool)]) -> Vec<Claim> {
        list.iter()
            .map(|&(source, parsed)| Claim { source, parsed })
            .collect()
    }

    #[test]
    fn the_first_parsed_file_of_the_last_knowledge_base_wins_and_later_ones_are_duplicates() {
        let d = decide(&claims(&[
            (0, true),  // the built-in entry, overridden
            (1, false), // does not parse: claims nothing
            (1, true),  // the first that parses: wins
            (1, true),  // a duplicate of 2
            (1, false),
            (1, true), // a duplicate of 2
        ]));
        assert_eq!(d.winner, Some(2));
        assert_eq!(d.duplicates, [(3, 2), (5, 2)]);
    }

    #[test]
    fn an_override_is_not_a_duplicate_and_a_lone_broken_file_gives_nothing() {
        let d = decide(&claims(&[(0, true), (1, true), (2, false)]));
        assert_eq!(d.winner, Some(1));
        assert!(d.duplicates.is_empty());
        assert_eq!(decide(&claims(&[(0, false)])), Decision::default());
        assert_eq!(
            duplicate("b/x.toml", "x", "a/x.toml").to_string(),
            "b/x.toml: error: duplicate id \"x\": a/x.toml has it too; this file is ignored"
        );
    }
}
