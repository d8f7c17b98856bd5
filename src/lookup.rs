//! Finding the entry a query names: exact name, then unique prefix, then fuzzy.
//!
//! Used by every command that takes an entry. A query is only ever compared with
//! entry names; it is never read as a path.

use crate::error::{Error, Result};
use crate::fuzzy::{Compared, Query, compare};
use crate::kb::{KnowledgeBase, NameRef};
use crate::name;
use crate::suggestion::NotFound;

/// What lookup needs from a knowledge base: its names, and ids and titles for
/// messages. Both the in-memory [`KnowledgeBase`] and the [`crate::index::Index`]
/// provide it.
pub trait Names {
    /// How many entries there are.
    fn entry_count(&self) -> usize;
    fn entry_id(&self, index: usize) -> &str;
    fn entry_title(&self, index: usize) -> &str;
    /// The entries a normalized name belongs to, strongest first.
    fn refs(&self, normalized: &str) -> Vec<NameRef>;
    /// Every (name, entry) whose normalized name starts with `prefix`.
    fn with_prefix(&self, prefix: &str) -> Vec<(&str, NameRef)>;
    /// Every (name, entry) that may be similar to `key`: all of them, or fewer
    /// where some can be ruled out cheaply (see [`crate::fuzzy::Probe`]).
    fn near(&self, key: &str) -> Vec<(&str, NameRef)>;
}

impl Names for KnowledgeBase {
    fn entry_count(&self) -> usize {
        self.entries.len()
    }
    fn entry_id(&self, index: usize) -> &str {
        &self.entries[index].id
    }
    fn entry_title(&self, index: usize) -> &str {
        &self.entries[index].title
    }
    fn refs(&self, normalized: &str) -> Vec<NameRef> {
        self.named(normalized).to_vec()
    }
    fn with_prefix(&self, prefix: &str) -> Vec<(&str, NameRef)> {
        self.names()
            .filter(|(name, _)| name.starts_with(prefix))
            .flat_map(|(name, refs)| refs.iter().map(move |r| (name, *r)))
            .collect()
    }
    fn near(&self, key: &str) -> Vec<(&str, NameRef)> {
        let probe = crate::fuzzy::Probe::new(key);
        self.names()
            .filter(|(name, _)| probe.may_match(name.as_bytes()))
            .flat_map(|(name, refs)| refs.iter().map(move |r| (name, *r)))
            .collect()
    }
}

impl Names for crate::index::Index {
    fn entry_count(&self) -> usize {
        self.len()
    }
    fn entry_id(&self, index: usize) -> &str {
        self.id(index)
    }
    fn entry_title(&self, index: usize) -> &str {
        self.title(index)
    }
    fn refs(&self, normalized: &str) -> Vec<NameRef> {
        self.named(normalized)
    }
    fn with_prefix(&self, prefix: &str) -> Vec<(&str, NameRef)> {
        crate::index::Index::with_prefix(self, prefix)
    }
    fn near(&self, key: &str) -> Vec<(&str, NameRef)> {
        crate::index::Index::near(self, key)
    }
}

/// The longest query accepted, in characters; longer ones are refused.
pub const MAX_QUERY_CHARS: usize = 200;
/// A fuzzy match is shown only when it beats the runner-up by at least this much.
const FUZZY_MARGIN: f64 = 0.05;
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
///
/// In order: an exact id, title or alias; two exact names run together (an
/// error that says so); a unique prefix; a name the query clearly misspells,
/// judged word by word. Anything else is "did you mean" or "no entry matches".
pub fn find<K: Names + ?Sized>(kb: &K, query: &str, exact_only: bool) -> Result<Found> {
    let key = checked_key(query)?;
    let entry = |i: usize| (kb.entry_id(i).to_owned(), kb.entry_title(i).to_owned());
    let not_found = |ambiguous: bool, candidates: Vec<usize>| {
        Error::NotFound(NotFound {
            query: query.trim().to_owned(),
            ambiguous,
            candidates: candidates.into_iter().map(entry).collect(),
            two: None,
        })
    };

    match exact(kb, &key) {
        Some(Ok(index)) => {
            return Ok(Found {
                index,
                how: How::Exact,
            });
        }
        Some(Err(tied)) => return Err(not_found(true, tied)),
        None => {}
    }
    if let Some((a, b)) = two_names(kb, &key) {
        return Err(Error::NotFound(NotFound {
            query: query.trim().to_owned(),
            ambiguous: false,
            candidates: Vec::new(),
            two: Some(Box::new([entry(a), entry(b)])),
        }));
    }
    if exact_only {
        return Err(not_found(false, Vec::new()));
    }

    let mut hits: Vec<(&str, usize)> = kb
        .with_prefix(&key)
        .into_iter()
        .filter(|&(name, _)| prefix_allowed(&key, name))
        .map(|(name, r)| (name, r.index))
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
            kb.entry_id(a)
                .len()
                .cmp(&kb.entry_id(b).len())
                .then(a.cmp(&b))
        });
        prefixed.truncate(MAX_SUGGESTIONS * 2);
        return Err(not_found(true, prefixed));
    }

    let ranked = fuzzy(kb, &key);
    let complete: Vec<&Scored> = ranked.iter().filter(|s| s.complete).collect();
    if let Some(best) = complete.first()
        && best.accept
    {
        let runner_up = complete.get(1).map_or(0.0, |s| s.score);
        if best.score - runner_up >= FUZZY_MARGIN {
            return Ok(Found {
                index: best.index,
                how: How::Fuzzy,
            });
        }
    }
    // Suggest the entries the query names with every word; failing those, the
    // ones that hold most of its words.
    let candidates = if complete.is_empty() {
        ranked
            .iter()
            .map(|s| s.index)
            .take(MAX_SUGGESTIONS)
            .collect()
    } else {
        complete
            .iter()
            .map(|s| s.index)
            .take(MAX_SUGGESTIONS)
            .collect()
    };
    Err(not_found(false, candidates))
}

/// The entry an exact name belongs to: `Some(Ok)` for one, `Some(Err)` with the
/// tied entries when the name is shared, `None` when no entry has the name.
fn exact<K: Names + ?Sized>(kb: &K, key: &str) -> Option<std::result::Result<usize, Vec<usize>>> {
    let named = kb.refs(key);
    let first = named.first()?;
    let tied: Vec<usize> = named
        .iter()
        .filter(|r| r.kind == first.kind)
        .map(|r| r.index)
        .collect();
    Some(if tied.len() == 1 {
        Ok(first.index)
    } else {
        Err(tied)
    })
}

/// Two different entries whose exact names, one after the other, make up the query
/// (`collective security peace zones`).
fn two_names<K: Names + ?Sized>(kb: &K, key: &str) -> Option<(usize, usize)> {
    key.match_indices('-').find_map(|(at, _)| {
        let a = exact(kb, &key[..at])?.ok()?;
        let b = exact(kb, &key[at + 1..])?.ok()?;
        (a != b).then_some((a, b))
    })
}

/// Whether a prefix may stand for `name`: three characters or more, or whole
/// words of it (`un` for `un-good-offices`). One letter never opens an entry.
fn prefix_allowed(key: &str, name: &str) -> bool {
    key.chars().filter(|&c| c != '-').count() >= 3
        || name.len() == key.len()
        || name[key.len()..].starts_with('-')
}

/// An entry compared with a query: its best name's comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub index: usize,
    /// Every content word of the query is in one of its names.
    pub complete: bool,
    /// …and that name is mostly those words: it may be shown as the match.
    pub accept: bool,
    pub score: f64,
    matched: usize,
}

/// The entries worth suggesting for the normalized query, best first: those
/// whose names hold every content word of the query (misspelt or shortened),
/// then those that hold more than half of them. One per entry.
///
/// Only the names [`Names::near`] leaves are compared; [`fuzzy_among`] over every
/// name gives the same answer, only slower.
pub fn fuzzy<K: Names + ?Sized>(kb: &K, key: &str) -> Vec<Scored> {
    fuzzy_among(kb, key, &kb.near(key))
}

/// [`fuzzy`], comparing the query with `names` (name, entry), in the order of the
/// name table.
pub fn fuzzy_among<K: Names + ?Sized>(kb: &K, key: &str, names: &[(&str, NameRef)]) -> Vec<Scored> {
    let query = Query::new(key);
    let total = query.content.len();
    let score_all = |names: &[(&str, NameRef)]| -> Vec<Compared> {
        let mut last: Option<(&str, Compared)> = None;
        names
            .iter()
            .map(|&(name, _)| match last {
                Some((n, c)) if n == name => c,
                _ => {
                    let c = compare(&query, name);
                    last = Some((name, c));
                    c
                }
            })
            .collect()
    };
    // Large knowledge bases: two threads, each comparing half the names.
    let compared = if names.len() > 20_000 {
        let (a, b) = names.split_at(names.len() / 2);
        std::thread::scope(|s| {
            let first = s.spawn(|| score_all(a));
            let second = score_all(b);
            let mut all = first.join().unwrap_or_else(|_| score_all(a));
            all.extend(second);
            all
        })
    } else {
        score_all(names)
    };
    let mut ranked: Vec<Scored> = names
        .iter()
        .zip(compared)
        .filter(|((_, r), c)| c.matched * 2 > total && r.index < kb.entry_count())
        .map(|((_, r), c)| Scored {
            index: r.index,
            complete: c.matched == total,
            accept: c.accept,
            score: c.score,
            matched: c.matched,
        })
        .collect();
    // Each entry by its best name: the first of the best, in the names' order
    // (the sort is stable).
    ranked.sort_by(|a, b| {
        a.index
            .cmp(&b.index)
            .then(b.matched.cmp(&a.matched))
            .then(b.accept.cmp(&a.accept))
            .then(b.score.total_cmp(&a.score))
    });
    ranked.dedup_by_key(|s| s.index);
    ranked.sort_by(|a, b| {
        b.matched
            .cmp(&a.matched)
            .then(b.score.total_cmp(&a.score))
            .then(a.index.cmp(&b.index))
    });
    ranked
}

/// A usage error for a query over [`MAX_QUERY_CHARS`]: lookup and search share it.
pub fn check_length(query: &str) -> Result<()> {
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(Error::Usage(format!(
            "query is too long ({chars} characters; the limit is {MAX_QUERY_CHARS})"
        )));
    }
    Ok(())
}

/// The normalized query, or a usage error for a query that cannot name an entry.
fn checked_key(query: &str) -> Result<String> {
    check_length(query)?;
    let key = name::normalize(query);
    if key.is_empty() {
        return Err(Error::Usage(
            "empty query: name an entry by its id, title or alias (see `otpic list`)".into(),
        ));
    }
    Ok(key)
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
    fn two_exact_names_run_together_are_named_as_two() {
        let Err(Error::NotFound(nf)) = find(&sample(), "collective security peace zones", false)
        else {
            panic!("expected two entries")
        };
        let two = nf.two.map(|t| [t[0].0.clone(), t[1].0.clone()]);
        assert_eq!(
            two,
            Some(["collective-security".into(), "peace-zones".into()])
        );
    }

    #[test]
    fn lookup_names_entries_alike_in_memory_and_in_the_index() {
        let pair = |id: &str, title: &str| (id.to_owned(), title.to_owned());
        let files: Vec<(String, String)> = sample()
            .entries
            .iter()
            .map(|e| {
                let toml = format!("title = \"{}\"\ndefinition = \"d\"\n", e.title);
                (e.id.clone(), toml)
            })
            .collect();
        let index = crate::index::Index::from_owned_texts(&files);
        let kb = sample();
        let names: [&dyn Names; 2] = [&kb, &index];
        for names in names {
            let Err(Error::NotFound(nf)) = find(names, "collective", false) else {
                panic!("expected ambiguity")
            };
            assert!(nf.ambiguous);
            assert_eq!(
                nf.candidates,
                [
                    pair("collective-defense", "Collective Defense"),
                    pair("collective-security", "Collective Security")
                ]
            );
            let Err(Error::NotFound(nf)) = find(names, "collective security peace zones", false)
            else {
                panic!("expected two entries")
            };
            assert_eq!(
                nf.two.map(|t| *t),
                Some([
                    pair("collective-security", "Collective Security"),
                    pair("peace-zones", "Peace Zones")
                ])
            );
            let how = |q: &str| {
                find(names, q, false)
                    .map(|f| (names.entry_id(f.index), f.how))
                    .ok()
            };
            assert_eq!(how("peace zones"), Some(("peace-zones", How::Exact)));
            assert_eq!(how("security dil"), Some(("security-dilemma", How::Prefix)));
            // Every entry is compared, not only the first.
            assert_eq!(
                how("securty dilema"),
                Some(("security-dilemma", How::Fuzzy))
            );
        }
    }

    #[test]
    fn a_query_of_the_longest_length_is_taken_and_one_character_more_refused() {
        for c in ["a", "é"] {
            let longest = c.repeat(MAX_QUERY_CHARS);
            assert!(check_length(&longest).is_ok(), "{c}");
            assert!(
                matches!(checked_key(&longest), Ok(k) if k == longest),
                "{c}"
            );
            let over = c.repeat(MAX_QUERY_CHARS + 1);
            assert!(matches!(check_length(&over), Err(Error::Usage(_))), "{c}");
            assert!(matches!(checked_key(&over), Err(Error::Usage(_))), "{c}");
        }
        assert!(matches!(checked_key(" -_ "), Err(Error::Usage(_))));
    }

    #[test]
    fn short_and_partial_queries_never_open_an_entry() {
        let kb = kb(&[
            (
                "refusal",
                "Refusal to Negotiate",
                "\"unwillingness to negotiate\"",
            ),
            ("community", "Security Community", ""),
            ("force", "Illegitimate or Excessive Use of Force", ""),
        ]);
        for q in ["u n", "e u", "security council", "league of nations", "z"] {
            assert!(find(&kb, q, false).is_err(), "{q}");
        }
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

    #[test]
    fn a_prefix_of_a_name_two_entries_share_is_ambiguous() {
        // The shortest name that the query starts belongs to two entries (one's
        // id, the other's alias): neither may be opened, both are offered.
        let kb = kb(&[
            ("coercive-diplomacy", "Coercive Diplomacy", ""),
            ("compellence", "Compellence", "\"coercive diplomacy\""),
        ]);
        let Err(Error::NotFound(nf)) = find(&kb, "coercive", false) else {
            panic!("expected ambiguity")
        };
        assert!(nf.ambiguous);
        let mut ids: Vec<&str> = nf.candidates.iter().map(|c| c.0.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["coercive-diplomacy", "compellence"]);
    }

    #[test]
    fn an_ambiguous_prefix_offers_the_ten_shortest_ids() {
        // Twelve ids that the query starts, none extending another, longest first.
        let ids: Vec<String> = (0..12u8)
            .map(|i| {
                format!(
                    "topic-{}",
                    char::from(b'a' + i).to_string().repeat(13 - usize::from(i))
                )
            })
            .collect();
        let specs: Vec<(&str, &str, &str)> = ids
            .iter()
            .map(|id| (id.as_str(), id.as_str(), ""))
            .collect();
        let Err(Error::NotFound(nf)) = find(&kb(&specs), "topic", false) else {
            panic!("expected ambiguity")
        };
        assert!(nf.ambiguous);
        let offered: Vec<&str> = nf.candidates.iter().map(|c| c.0.as_str()).collect();
        let mut want: Vec<&str> = ids.iter().rev().take(10).map(String::as_str).collect();
        want.sort_by_key(|id| id.len());
        assert_eq!(offered, want);
    }

    #[test]
    fn a_misspelling_two_entries_match_as_well_is_only_suggested() {
        // "securty dilemm" starts "dilemma" and "dilemmas" alike: the scores tie,
        // under the margin, so neither is opened and both are offered.
        let kb = kb(&[
            ("security-dilemma", "Security Dilemma", ""),
            ("security-dilemmas", "Security Dilemmas", ""),
            ("peace-zones", "Peace Zones", ""),
        ]);
        let Err(Error::NotFound(nf)) = find(&kb, "securty dilemm", false) else {
            panic!("a tie must not open an entry")
        };
        assert!(!nf.ambiguous);
        let offered: Vec<&str> = nf.candidates.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(offered, ["security-dilemma", "security-dilemmas"]);
    }

    #[test]
    fn a_prefix_under_three_letters_opens_only_whole_words() {
        let kb = sample();
        // "un" is a whole word of un-good-offices; "pe" and "p" are not words.
        assert_eq!(
            found(&kb, "un"),
            Some(("un-good-offices".into(), How::Prefix))
        );
        assert_eq!(
            found(&kb, "un good"),
            Some(("un-good-offices".into(), How::Prefix))
        );
        for q in ["pe", "p", "z", "se"] {
            assert_eq!(found(&kb, q), None, "{q}");
        }
        // Three letters are enough, separators not counted.
        assert_eq!(found(&kb, "pea"), Some(("peace-zones".into(), How::Prefix)));
        assert_eq!(found(&kb, "p-e"), None);
    }

    #[test]
    fn suggestions_rank_each_name_on_its_own_and_the_probe_changes_nothing() {
        let kb = kb(&[
            ("collective-security", "Collective Security", ""),
            ("collective-defense", "Collective Defense", ""),
            ("security-dilemma", "Security Dilemma", ""),
            ("security-dilemmas", "Security Dilemmas", ""),
            ("peace-zones", "Peace Zones", "\"zones of peace\""),
        ]);
        let every = kb.with_prefix("");
        let ids = |ranked: &[Scored]| -> Vec<String> {
            ranked
                .iter()
                .map(|s| kb.entries[s.index].id.clone())
                .collect()
        };
        for (key, want) in [
            ("colective-securty", &["collective-security"][..]),
            ("securty-dilemm", &["security-dilemma", "security-dilemmas"]),
            ("dilemma", &["security-dilemma", "security-dilemmas"]),
            ("zones-peace", &["peace-zones"]),
        ] {
            let all = fuzzy_among(&kb, key, &every);
            assert_eq!(ids(&all), want, "{key}");
            assert_eq!(fuzzy(&kb, key), all, "{key}");
        }
    }

    #[test]
    fn over_twenty_thousand_names_are_compared_on_two_threads_alike() {
        let kb = sample();
        let every = kb.with_prefix("");
        let many: Vec<(&str, NameRef)> = every.iter().copied().cycle().take(20_003).collect();
        for key in ["colective-securty", "dilemma", "zones-peace", "good-ofices"] {
            let one = fuzzy_among(&kb, key, &every);
            assert!(!one.is_empty(), "{key}");
            assert_eq!(fuzzy_among(&kb, key, &many), one, "{key}");
        }
    }

    #[test]
    fn a_suggestion_holds_more_than_half_of_the_query_s_words() {
        let kb = sample();
        let every = kb.with_prefix("");
        let ids = |key: &str| -> Vec<String> {
            fuzzy_among(&kb, key, &every)
                .iter()
                .map(|s| kb.entries[s.index].id.clone())
                .collect()
        };
        // One word of two, in three entries: half is not enough.
        assert_eq!(ids("collective-zones"), Vec::<String>::new());
        // Two of three.
        assert_eq!(ids("collective-security-zones"), ["collective-security"]);
    }

    #[test]
    fn an_entry_is_ranked_by_its_best_name() {
        // "zones of peqce" fits the first entry's alias better than its id (which
        // has a word the query lacks), and the second entry less than that alias.
        let kb = kb(&[
            (
                "peace-zones-theory",
                "Peace Zones Theory",
                "\"zones of peace\"",
            ),
            ("peace-zone", "Peace Zone", ""),
        ]);
        let ranked = fuzzy_among(&kb, "zones-of-peqce", &kb.with_prefix(""));
        let ids: Vec<&str> = ranked
            .iter()
            .map(|s| kb.entries[s.index].id.as_str())
            .collect();
        assert_eq!(ids, ["peace-zones-theory", "peace-zone"]);
        let alias = compare(&Query::new("zones-of-peqce"), "zones-of-peace");
        assert_eq!(ranked[0].score, alias.score);
    }
}
