//! Fuzzy matching of a query against entry names: words compared whole, shortened or
//! misspelt (optimal string alignment distance), and character masks that rule most
//! names out before any comparison.
//!
//! A leaf beneath lookup and the index: the index stores each name's [`char_mask`],
//! [`Probe`] tests those masks, and lookup ranks what is left with [`compare`].

/// Words that name no entry by themselves: a query word among them needs no
/// counterpart in the name, and a name word among them is not counted.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
    "with",
];

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// How many typing mistakes (edits) a word of `len` characters may hold and
/// still match: none up to three characters, one up to seven, two beyond.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// How well a query word matches a word of a name (0–1), or `None`: the word
/// itself 1; a word it starts, from three characters on, 0.9; a misspelling
/// (see [`allowed_edits`]) 0.85 or 0.8.
fn word_quality(q: &str, n: &str) -> Option<f64> {
    if q == n {
        return Some(1.0);
    }
    let (ql, nl) = (q.chars().count(), n.chars().count());
    if ql >= 3 && n.starts_with(q) {
        return Some(0.9);
    }
    let k = allowed_edits(ql.min(nl));
    if k == 0 || ql.abs_diff(nl) > k {
        return None;
    }
    let d = strsim::osa_distance(q, n);
    (d <= k).then_some(0.9 - 0.05 * d as f64)
}

/// A query, split for comparing with names.
pub struct Query<'a> {
    /// The words that must each find a word in the name: all but stop words
    /// (all of them, for a query of stop words only).
    pub content: Vec<&'a str>,
    /// The query without separators, for names typed without their spaces.
    pub joined: String,
}

impl<'a> Query<'a> {
    pub fn new(key: &'a str) -> Query<'a> {
        let words: Vec<&str> = key.split('-').filter(|w| !w.is_empty()).collect();
        let content: Vec<&str> = words.iter().copied().filter(|w| !is_stop_word(w)).collect();
        Query {
            content: if content.is_empty() { words } else { content },
            joined: key.replace('-', ""),
        }
    }
}

/// How a query compares with one name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Compared {
    /// How many content words of the query found a word of the name.
    pub matched: usize,
    /// Every content word did, and the name is not mostly other words: the
    /// query names it, misspelt or shortened.
    pub accept: bool,
    /// 0–1: the matched words' quality, times how much of the name they cover.
    pub score: f64,
}

/// How well `query` matches one name.
pub fn compare(query: &Query, name: &str) -> Compared {
    let name_words: Vec<&str> = name.split('-').filter(|w| !w.is_empty()).collect();
    let mut used = vec![false; name_words.len()];
    let (mut matched, mut quality, mut letters) = (0, 0.0, 0);
    for q in &query.content {
        let best = name_words
            .iter()
            .enumerate()
            .filter(|&(i, _)| !used[i])
            .filter_map(|(i, n)| word_quality(q, n).map(|s| (i, s)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, s)) = best {
            used[i] = true;
            matched += 1;
            quality += s;
            letters += q.chars().count();
        }
    }
    let total = query.content.len().max(1);
    let content_names = name_words
        .iter()
        .filter(|w| !is_stop_word(w))
        .count()
        .max(1);
    let covered = name_words
        .iter()
        .zip(&used)
        .filter(|(w, u)| **u && !is_stop_word(w))
        .count()
        .min(content_names);
    let coverage = covered as f64 / content_names as f64;
    let mut out = Compared {
        matched,
        accept: matched == total && letters >= 3 && coverage >= 0.5,
        score: quality / total as f64 * (0.6 + 0.4 * coverage),
    };
    // The whole name typed without its spaces, or with a slip across them.
    let joined_len = query.joined.chars().count();
    if joined_len >= 4 {
        // Lengths first: most names are ruled out without building the string.
        let plain_len = name.chars().filter(|&c| c != '-').count();
        let k = allowed_edits(joined_len.min(plain_len));
        if joined_len.abs_diff(plain_len) <= k {
            let plain = name.replace('-', "");
            let d = strsim::osa_distance(&query.joined, &plain);
            let score = 0.9 - 0.05 * d as f64;
            if d <= k && score > out.score {
                out = Compared {
                    matched: total,
                    accept: true,
                    score,
                };
            }
        }
    }
    out
}

/// A quick test of whether a name may hold a word close to one of the query's,
/// from the set of characters in the name, so that most names of a large
/// knowledge base are never compared word by word.
#[derive(Debug, Clone)]
pub struct Probe {
    /// For each content word of the query: its characters' bits, and how many
    /// of them may be missing from a name that still matches.
    words: Vec<(Vec<u64>, usize)>,
    /// The same for the query without separators.
    joined: (Vec<u64>, usize),
}

impl Probe {
    pub fn new(key: &str) -> Probe {
        let query = Query::new(key);
        let bits = |w: &str| {
            let mut b: Vec<u64> = w.chars().map(char_bit).collect();
            b.sort_unstable();
            b.dedup();
            b
        };
        let words: Vec<(Vec<u64>, usize)> = query
            .content
            .iter()
            .map(|w| (bits(w), allowed_edits(w.chars().count())))
            .collect();
        let joined = (
            bits(&query.joined),
            allowed_edits(query.joined.chars().count()),
        );
        Probe { words, joined }
    }

    /// Whether a name with the characters `mask` may match. Each edit loses at
    /// most one distinct character of a word; a name is suggested only when it
    /// matches more than half of the query's words, or the whole query.
    pub fn may_reach(&self, mask: u64, _len: usize) -> bool {
        let fits = |(bits, edits): &(Vec<u64>, usize)| {
            bits.iter().filter(|&&b| mask & b == 0).count() <= *edits
        };
        self.words.iter().filter(|w| fits(w)).count() * 2 > self.words.len() || fits(&self.joined)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_probe_never_rules_out_a_name_that_may_be_suggested() {
        let names = [
            "collective-security",
            "security",
            "peace-zones",
            "zones",
            "x",
            "securitycommunity",
            "refusal-to-negotiate",
        ];
        for q in [
            "colective-securty",
            "securty",
            "peace",
            "z",
            "dilemma",
            "peacezones",
            "security-council",
            "u-n",
        ] {
            let probe = Probe::new(q);
            let query = Query::new(q);
            for n in names {
                if compare(&query, n).matched * 2 > query.content.len() {
                    assert!(
                        probe.may_reach(char_mask(n), n.chars().count()),
                        "{q} / {n}"
                    );
                }
            }
        }
    }

    #[test]
    fn words_match_whole_shortened_or_misspelt_never_by_loose_letters() {
        assert_eq!(word_quality("security", "security"), Some(1.0));
        assert_eq!(word_quality("secur", "security"), Some(0.9));
        assert!(word_quality("securty", "security").is_some());
        assert_eq!(word_quality("council", "community"), None);
        assert_eq!(word_quality("u", "unwillingness"), None);
        assert_eq!(word_quality("un", "un"), Some(1.0));
        assert_eq!(word_quality("cat", "cut"), None);
    }
}
