//! Finding the entry a query names: exact name, then unique prefix, then fuzzy.
//!
//! Used by every command that takes an entry. A query is only ever compared with
//! entry names; it is never read as a path.

use crate::error::{Error, Result};
use crate::kb::KnowledgeBase;
use crate::name;
use crate::suggestion::NotFound;

/// The longest query accepted, in characters; longer ones are refused.
pub const MAX_QUERY_CHARS: usize = 200;
/// Fuzzy scores (0–1) at or above this may be shown as the match.
const FUZZY_ACCEPT: f64 = 0.86;
/// …provided they beat the runner-up by at least this much.
const FUZZY_MARGIN: f64 = 0.04;
/// Candidates scoring at least this are suggested.
const FUZZY_SUGGEST: f64 = 0.72;
/// …and are within this much of the best candidate.
const SUGGEST_SPREAD: f64 = 0.05;
const MAX_SUGGESTIONS: usize = 5;

/// How a query reached its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Exact,
    Prefix,
    Fuzzy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub index: usize,
    pub how: How,
}

/// Finds the entry named by `query` (the words of the command line joined by spaces).
pub fn find(kb: &KnowledgeBase, query: &str, exact_only: bool) -> Result<Found> {
    let key = checked_key(query)?;
    let not_found = |ambiguous: bool, candidates: Vec<usize>| {
        Error::NotFound(NotFound {
            query: query.trim().to_owned(),
            ambiguous,
            candidates: candidates
                .into_iter()
                .map(|i| (kb.entries[i].id.clone(), kb.entries[i].title.clone()))
                .collect(),
        })
    };

    let named = kb.named(&key);
    if let Some(first) = named.first() {
        let tied: Vec<usize> = named
            .iter()
            .filter(|r| r.kind == first.kind)
            .map(|r| r.index)
            .collect();
        if tied.len() == 1 {
            return Ok(Found {
                index: first.index,
                how: How::Exact,
            });
        }
        return Err(not_found(true, tied));
    }
    if exact_only {
        return Err(not_found(false, Vec::new()));
    }

    let mut hits: Vec<(&str, usize)> = kb
        .names()
        .filter(|(name, _)| name.starts_with(&key))
        .flat_map(|(name, refs)| refs.iter().map(move |r| (name, r.index)))
        .collect();
    hits.sort_by_key(|&(name, index)| (name.len(), name, index));
    let mut prefixed: Vec<usize> = hits.iter().map(|&(_, i)| i).collect();
    prefixed.sort_unstable();
    prefixed.dedup();
    // One entry, or one name that every other match extends ("coercive" →
    // "coercive-diplomacy" rather than "coercive-diplomacy-success-conditions").
    if let Some(&(shortest, index)) = hits.first()
        && hits.iter().all(|&(name, i)| {
            i == index || name.starts_with(shortest) && name.len() > shortest.len()
        })
    {
        return Ok(Found {
            index,
            how: How::Prefix,
        });
    }
    if !prefixed.is_empty() {
        prefixed.sort_by(|&a, &b| {
            kb.entries[a]
                .id
                .len()
                .cmp(&kb.entries[b].id.len())
                .then(a.cmp(&b))
        });
        prefixed.truncate(MAX_SUGGESTIONS * 2);
        return Err(not_found(true, prefixed));
    }

    let ranked = fuzzy(kb, &key);
    if let Some(&(best, score)) = ranked.first() {
        let runner_up = ranked.get(1).map_or(0.0, |&(_, s)| s);
        if score >= FUZZY_ACCEPT && score - runner_up >= FUZZY_MARGIN {
            return Ok(Found {
                index: best,
                how: How::Fuzzy,
            });
        }
    }
    // Suggest what scores well, and not far below the best.
    let floor = ranked
        .first()
        .map_or(1.0, |&(_, best)| FUZZY_SUGGEST.max(best - SUGGEST_SPREAD));
    let candidates = ranked
        .into_iter()
        .filter(|&(_, s)| s >= floor)
        .map(|(i, _)| i)
        .take(MAX_SUGGESTIONS)
        .collect();
    Err(not_found(false, candidates))
}

/// The normalized query, or a usage error for a query that cannot name an entry.
fn checked_key(query: &str) -> Result<String> {
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(Error::Usage(format!(
            "query is too long ({chars} characters; the limit is {MAX_QUERY_CHARS})"
        )));
    }
    let key = name::normalize(query);
    if key.is_empty() {
        return Err(Error::Usage(
            "empty query: name an entry by its id, title or alias (see `otpic list`)".into(),
        ));
    }
    Ok(key)
}

/// Every entry scored against the normalized query, best first, one score per entry.
pub fn fuzzy(kb: &KnowledgeBase, key: &str) -> Vec<(usize, f64)> {
    let query_words: Vec<&str> = key.split('-').collect();
    let mut best = vec![0.0f64; kb.entries.len()];
    for (name, refs) in kb.names() {
        let score = similarity(key, &query_words, name);
        for r in refs {
            if score > best[r.index] {
                best[r.index] = score;
            }
        }
    }
    let mut ranked: Vec<(usize, f64)> = best
        .into_iter()
        .enumerate()
        .filter(|&(_, s)| s > 0.0)
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
}

/// How alike a query and a name are (0–1): Jaro-Winkler on the whole name, or,
/// when every query word starts a word of the name ("dilemma" in "security-dilemma"),
/// a fixed good score scaled by how much of the name the query covers.
fn similarity(key: &str, query_words: &[&str], name: &str) -> f64 {
    let whole = strsim::jaro_winkler(key, name);
    let name_words: Vec<&str> = name.split('-').collect();
    let covered = query_words
        .iter()
        .all(|q| name_words.iter().any(|w| w.starts_with(q)));
    if covered {
        let share = query_words.len() as f64 / name_words.len() as f64;
        whole.max(0.88 + 0.1 * share.min(1.0))
    } else {
        whole
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb(specs: &[(&str, &str, &str)]) -> KnowledgeBase {
        let files: Vec<(&str, String)> = specs
            .iter()
            .map(|(id, title, aliases)| {
                (
                    *id,
                    format!("title = \"{title}\"\ndefinition = \"d\"\naliases = [{aliases}]\n"),
                )
            })
            .collect();
        KnowledgeBase::from_toml(&files)
    }

    fn sample() -> KnowledgeBase {
        kb(&[
            ("collective-security", "Collective Security", ""),
            ("collective-defense", "Collective Defense", ""),
            (
                "un-good-offices",
                "UN Good Offices",
                "\"Secretary-General's good offices\"",
            ),
            ("security-dilemma", "Security Dilemma", ""),
            ("peace-zones", "Peace Zones", "\"zones of peace\""),
        ])
    }

    fn found(kb: &KnowledgeBase, query: &str) -> Option<(String, How)> {
        find(kb, query, false)
            .ok()
            .map(|f| (kb.entries[f.index].id.clone(), f.how))
    }

    #[test]
    fn exact_names_match_by_id_title_and_alias() {
        let kb = sample();
        assert_eq!(
            found(&kb, "un good offices"),
            Some(("un-good-offices".into(), How::Exact))
        );
        assert_eq!(
            found(&kb, "COLLECTIVE_SECURITY"),
            Some(("collective-security".into(), How::Exact))
        );
        assert_eq!(
            found(&kb, "zones of peace"),
            Some(("peace-zones".into(), How::Exact))
        );
    }

    #[test]
    fn a_unique_prefix_matches() {
        assert_eq!(
            found(&sample(), "peace"),
            Some(("peace-zones".into(), How::Prefix))
        );
    }

    #[test]
    fn an_ambiguous_prefix_lists_the_candidates() {
        let kb = sample();
        let Err(Error::NotFound(nf)) = find(&kb, "collective", false) else {
            panic!("expected ambiguity")
        };
        assert!(nf.ambiguous);
        assert_eq!(nf.candidates.len(), 2);
    }

    #[test]
    fn a_prefix_goes_to_the_name_that_the_other_matches_extend() {
        let kb = kb(&[
            ("coercive-diplomacy", "Coercive Diplomacy", ""),
            (
                "coercive-diplomacy-success",
                "Coercive Diplomacy: Success",
                "",
            ),
        ]);
        assert_eq!(
            found(&kb, "coercive"),
            Some(("coercive-diplomacy".into(), How::Prefix))
        );
    }

    #[test]
    fn prefix_match_wins_over_fuzzy() {
        assert_eq!(
            found(&sample(), "security-d").map(|f| f.1),
            Some(How::Prefix)
        );
    }

    #[test]
    fn a_typo_is_matched_fuzzily_when_one_entry_is_clearly_best() {
        assert_eq!(
            found(&sample(), "colective securty"),
            Some(("collective-security".into(), How::Fuzzy))
        );
        assert_eq!(
            found(&sample(), "dilemma"),
            Some(("security-dilemma".into(), How::Fuzzy))
        );
    }

    #[test]
    fn exact_mode_turns_prefix_and_fuzzy_off() {
        let kb = sample();
        assert!(find(&kb, "peace", true).is_err());
        assert!(find(&kb, "peace zones", true).is_ok());
    }

    #[test]
    fn paths_are_just_unknown_names() {
        let kb = sample();
        assert!(matches!(
            find(&kb, "../../etc/passwd", false),
            Err(Error::NotFound(_))
        ));
    }

    #[test]
    fn empty_and_overlong_queries_are_usage_errors() {
        let kb = sample();
        assert!(matches!(find(&kb, "  ", false), Err(Error::Usage(_))));
        assert!(matches!(
            find(&kb, &"x".repeat(1_000_000), false),
            Err(Error::Usage(_))
        ));
    }
}
