//! Finding the entry a query names: exact name, then unique prefix, then fuzzy.
//!
//! Used by every command that takes an entry. A query is only ever compared with
//! entry names; it is never read as a path.

use crate::error::{Error, Result};
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
    /// where some can be ruled out cheaply (see [`Probe`]).
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
    fn near(&self, _key: &str) -> Vec<(&str, NameRef)> {
        self.names()
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
pub fn find<K: Names + ?Sized>(kb: &K, query: &str, exact_only: bool) -> Result<Found> {
    let key = checked_key(query)?;
    let not_found = |ambiguous: bool, candidates: Vec<usize>| {
        Error::NotFound(NotFound {
            query: query.trim().to_owned(),
            ambiguous,
            candidates: candidates
                .into_iter()
                .map(|i| (kb.entry_id(i).to_owned(), kb.entry_title(i).to_owned()))
                .collect(),
        })
    };

    let named = kb.refs(&key);
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
        .with_prefix(&key)
        .into_iter()
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

/// The entries that may be suggested for the normalized query, scored, best first,
/// one score per entry. Entries scoring below [`FUZZY_SUGGEST`] are left out:
/// they are never suggested, and never close enough to the best to block a match.
pub fn fuzzy<K: Names + ?Sized>(kb: &K, key: &str) -> Vec<(usize, f64)> {
    let query_words: Vec<&str> = key.split('-').collect();
    let names = kb.near(key);
    // Scores, one per (name, entry); a name repeats for each of its entries.
    let score_all = |names: &[(&str, NameRef)]| -> Vec<f64> {
        let mut last: Option<(&str, f64)> = None;
        names
            .iter()
            .map(|&(name, _)| match last {
                Some((n, s)) if n == name => s,
                _ => {
                    let s = similarity(key, &query_words, name);
                    last = Some((name, s));
                    s
                }
            })
            .collect()
    };
    // Large knowledge bases: two threads, each scoring half the names.
    let scores = if names.len() > 20_000 {
        let (a, b) = names.split_at(names.len() / 2);
        std::thread::scope(|s| {
            let first = s.spawn(|| score_all(a));
            let second = score_all(b);
            let mut all = first.join().unwrap_or_else(|_| score_all(a));
            all.extend(second);
            all
        })
    } else {
        score_all(&names)
    };
    let mut best = vec![0.0f64; kb.entry_count()];
    for ((_, r), score) in names.iter().zip(scores) {
        if let Some(slot) = best.get_mut(r.index)
            && score > *slot
        {
            *slot = score;
        }
    }
    let mut ranked: Vec<(usize, f64)> = best
        .into_iter()
        .enumerate()
        .filter(|&(_, s)| s >= FUZZY_SUGGEST)
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
}

/// A quick upper bound on how similar a name can be to a query, from the set of
/// characters in the name and its length, so that most names of a large
/// knowledge base are never compared character by character.
#[derive(Debug, Clone)]
pub struct Probe {
    /// Characters of the query other than `-`: a name lacking one of them
    /// cannot start a word with every query word.
    words_mask: u64,
    /// How often each character bucket occurs in the query.
    counts: Vec<(u64, usize)>,
    len: usize,
}

impl Probe {
    pub fn new(key: &str) -> Probe {
        let mut counts: Vec<(u64, usize)> = Vec::new();
        let mut words_mask = 0;
        for c in key.chars() {
            let bit = char_bit(c);
            if c != '-' {
                words_mask |= bit;
            }
            match counts.iter_mut().find(|(b, _)| *b == bit) {
                Some((_, n)) => *n += 1,
                None => counts.push((bit, 1)),
            }
        }
        Probe {
            words_mask,
            counts,
            len: key.chars().count(),
        }
    }

    /// Whether a name with characters `mask` and `len` characters may score at
    /// least [`FUZZY_SUGGEST`]. Jaro matches pair equal characters, so there are at
    /// most as many as the query has characters the name also has; Jaro-Winkler
    /// then adds at most 0.4 of what is left.
    pub fn may_reach(&self, mask: u64, len: usize) -> bool {
        if self.words_mask & !mask == 0 {
            return true;
        }
        let shared: usize = self
            .counts
            .iter()
            .filter(|(bit, _)| mask & bit != 0)
            .map(|(_, n)| n)
            .sum();
        let m = shared.min(self.len).min(len) as f64;
        if m == 0.0 {
            return false;
        }
        let jaro = (m / self.len as f64 + m / len as f64 + 1.0) / 3.0;
        jaro + 0.4 * (1.0 - jaro) >= FUZZY_SUGGEST - 1e-9
    }
}

/// The bit of a character in a name's character mask: one per letter and digit,
/// one for `-`, the rest shared.
pub fn char_bit(c: char) -> u64 {
    let n = match c {
        'a'..='z' => c as u32 - 'a' as u32,
        '0'..='9' => 26 + c as u32 - '0' as u32,
        '-' => 36,
        _ => 37 + c as u32 % 27,
    };
    1 << n
}

/// The character mask of a name (see [`char_bit`]).
pub fn char_mask(name: &str) -> u64 {
    name.chars().fold(0, |m, c| m | char_bit(c))
}

/// How alike a query and a name are (0–1): Jaro-Winkler on the whole name, or,
/// when every query word starts a word of the name ("dilemma" in "security-dilemma"),
/// a fixed good score scaled by how much of the name the query covers.
fn similarity(key: &str, query_words: &[&str], name: &str) -> f64 {
    let whole = jaro_winkler(key, name);
    // A word that starts a word of the name is in the name: test that first.
    let covered = query_words.iter().all(|q| name.contains(q))
        && query_words
            .iter()
            .all(|q| name.split('-').any(|w| w.starts_with(q)));
    if covered {
        let share = query_words.len() as f64 / name.split('-').count() as f64;
        whole.max(0.88 + 0.1 * share.min(1.0))
    } else {
        whole
    }
}

/// `strsim::jaro_winkler`, computed the same way; for ASCII names of up to 64
/// bytes (nearly all of them) without allocating and looking for matches only
/// within the Jaro window, which makes "did you mean" over 100,000 names several
/// times faster. The tests compare the two.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || a.len() > 64 || b.len() > 64 {
        return strsim::jaro_winkler(
            std::str::from_utf8(a).unwrap_or(""),
            std::str::from_utf8(b).unwrap_or(""),
        );
    }
    let jaro = jaro_ascii(a, b);
    if jaro > 0.7 {
        let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
        jaro + 0.1 * prefix as f64 * (1.0 - jaro)
    } else {
        jaro
    }
}

fn jaro_ascii(a: &[u8], b: &[u8]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let range = (a_len.max(b_len) / 2).saturating_sub(1);
    // Where each byte occurs in `b`, as bits: the first unmatched occurrence in
    // the window is then the lowest bit of a mask, as strsim finds it by scanning.
    let mut at = [0u64; 128];
    for (j, &y) in b.iter().enumerate() {
        at[usize::from(y & 127)] |= 1 << j;
    }
    let below = |n: usize| if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    let (mut a_flags, mut b_flags) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, &x) in a.iter().enumerate() {
        let (lo, hi) = (i.saturating_sub(range), b_len.min(i + range + 1));
        let candidates = at[usize::from(x & 127)] & below(hi) & !below(lo) & !b_flags;
        if candidates != 0 {
            a_flags |= 1 << i;
            b_flags |= candidates & candidates.wrapping_neg();
            matches += 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // Matched characters of each, in order: count the pairs that differ.
    let mut transpositions = 0usize;
    let (mut af, mut bf) = (a_flags, b_flags);
    while af != 0 {
        let (i, j) = (af.trailing_zeros() as usize, bf.trailing_zeros() as usize);
        if a[i] != b[j] {
            transpositions += 1;
        }
        af &= af - 1;
        bf &= bf - 1;
    }
    transpositions /= 2;
    ((matches as f64 / a_len as f64)
        + (matches as f64 / b_len as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
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
    fn the_fast_jaro_winkler_is_strsims() {
        let names = [
            "collective-security",
            "collective-defense",
            "un-good-offices",
            "secretary-general's-good-offices",
            "security-dilemma",
            "peace-zones",
            "zones-of-peace",
            "mediaton-capacty-zonez",
            "mediation-capacity",
            "regional-mediation-capacity-zones",
            "a",
            "ab",
            "ba",
            "",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
            "école-été",
            "dixon",
            "dicksonx",
            "martha",
            "marhta",
        ];
        for a in names {
            for b in names {
                let (fast, slow) = (jaro_winkler(a, b), strsim::jaro_winkler(a, b));
                assert!(fast == slow, "{a} / {b}: {fast} != {slow}");
            }
        }
    }

    #[test]
    fn a_probe_never_rules_out_a_name_that_scores_enough() {
        let names = [
            "collective-security",
            "security",
            "peace-zones",
            "zones",
            "x",
        ];
        for q in ["colective-securty", "securty", "peace", "z", "dilemma"] {
            let probe = Probe::new(q);
            let words: Vec<&str> = q.split('-').collect();
            for n in names {
                if similarity(q, &words, n) >= FUZZY_SUGGEST {
                    assert!(
                        probe.may_reach(char_mask(n), n.chars().count()),
                        "{q} / {n}"
                    );
                }
            }
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
}
