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
    if k == 0 || ql.abs_diff(nl) > k || !few_differ(char_mask(q), char_mask(n), k) {
        return None;
    }
    let d = osa_distance(q, n);
    (d <= k).then_some(0.9 - 0.05 * d as f64)
}

/// Whether two words with the characters `a` and `b` may be `k` edits apart or
/// fewer: each edit adds at most one character the other word lacks and removes
/// at most one it has (see [`Probe`]). The probe's test, and the one before
/// every distance computed.
fn few_differ(a: u64, b: u64, k: usize) -> bool {
    (a & !b).count_ones() as usize <= k && (b & !a).count_ones() as usize <= k
}

/// The optimal string alignment distance of `a` and `b` (as
/// `strsim::osa_distance`): without allocating for ASCII words, `b` of up to 63
/// characters (the rows of the table are as long as `b`), which names are made of.
fn osa_distance(a: &str, b: &str) -> usize {
    const MAX: usize = 63;
    if !(a.is_ascii() && b.is_ascii() && b.len() <= MAX) {
        return strsim::osa_distance(a, b);
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    // Three rows of the table: the one before last, the last, this one.
    let (mut before, mut last, mut this) = ([0; MAX + 1], [0; MAX + 1], [0; MAX + 1]);
    for (j, cell) in last.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        this[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (last[j] + 1).min(this[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            this[j] = d;
        }
        std::mem::swap(&mut before, &mut last);
        std::mem::swap(&mut last, &mut this);
    }
    last[b.len()]
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
        if joined_len.abs_diff(plain_len) <= k
            && few_differ(char_mask(&query.joined), plain(name).0, k)
        {
            let plain = name.replace('-', "");
            let d = osa_distance(&query.joined, &plain);
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

/// A quick, exact test of whether a name may be suggested for a query, so that
/// most names of a large knowledge base are never compared word by word.
///
/// It never rules out a name that [`compare`] would count as matching more than
/// half of the query's content words, or the whole query typed without its
/// spaces: it tests necessary conditions only. A word can match only if it is
/// the query word, starts with it, or is as long within the allowed edits and
/// differs in few enough characters: each edit (insertion, deletion,
/// substitution, transposition) adds at most one character the query word lacks
/// and removes at most one it has, so the characters one word has and the other
/// lacks, counted once each, never outnumber the edits.
#[derive(Debug, Clone)]
pub struct Probe {
    /// The query's content words (see [`Query`]).
    words: Vec<Sieved>,
    /// The query without separators.
    joined: Sieved,
}

/// A query word as the probe compares it: its text, length in characters,
/// character mask and allowed edits.
#[derive(Debug, Clone)]
struct Sieved {
    text: String,
    chars: usize,
    mask: u64,
    edits: usize,
}

impl Sieved {
    fn new(text: &str) -> Sieved {
        let chars = text.chars().count();
        Sieved {
            text: text.to_owned(),
            chars,
            mask: char_mask(text),
            edits: allowed_edits(chars),
        }
    }

    /// Whether `word`, of `chars` characters with the character mask `mask`, may
    /// be this word itself, shortened or misspelt: a necessary condition of
    /// [`word_quality`] being `Some`.
    fn may_match(&self, word: &[u8], mask: u64, chars: usize) -> bool {
        let missing = (self.mask & !mask).count_ones() as usize;
        // The word itself, or a word it starts (from three characters on).
        if missing == 0
            && word.starts_with(self.text.as_bytes())
            && (self.chars >= 3 || word.len() == self.text.len())
        {
            return true;
        }
        let k = allowed_edits(self.chars.min(chars));
        k > 0 && self.chars.abs_diff(chars) <= k && few_differ(self.mask, mask, k)
    }
}

/// The bits of the ASCII characters (see [`char_bit`]).
const ASCII_BITS: [u64; 128] = {
    let mut table = [0; 128];
    let mut b = 0;
    while b < 128 {
        let n = match b as u8 {
            b'a'..=b'z' => b as u32 - 'a' as u32,
            b'0'..=b'9' => 26 + b as u32 - '0' as u32,
            b'-' => 36,
            _ => 37 + b as u32 % 27,
        };
        table[b] = 1 << n;
        b += 1;
    }
    table
};

impl Probe {
    pub fn new(key: &str) -> Probe {
        let query = Query::new(key);
        Probe {
            words: query.content.iter().map(|w| Sieved::new(w)).collect(),
            joined: Sieved::new(&query.joined),
        }
    }

    /// How many content words the query has.
    pub fn words(&self) -> usize {
        self.words.len()
    }

    /// The query's content words (bit `1 << i` for the `i`-th) that may find
    /// `word`, a word of a name: itself, shortened or misspelt. Only the first 64
    /// words are told.
    pub fn words_matching(&self, word: &str) -> u64 {
        let (mask, chars) = (char_mask(word), word.chars().count());
        let mut bits = 0;
        for (i, q) in self.words.iter().take(64).enumerate() {
            if q.may_match(word.as_bytes(), mask, chars) {
                bits |= 1 << i;
            }
        }
        bits
    }

    /// Whether the words `found` (bits as [`Probe::words_matching`] gives them)
    /// are more than half of the query's content words.
    pub fn enough(&self, found: u64) -> bool {
        found.count_ones() as usize * 2 > self.words.len()
    }

    /// Whether a name whose words hold the characters `plain_mask`, and
    /// `plain_chars` characters in all (see [`plain`]), may be the whole query
    /// typed without its spaces.
    pub fn may_be_joined(&self, plain_mask: u64, plain_chars: usize) -> bool {
        let q = &self.joined;
        let k = allowed_edits(q.chars.min(plain_chars));
        q.chars >= 4 && q.chars.abs_diff(plain_chars) <= k && few_differ(q.mask, plain_mask, k)
    }

    /// Whether a name with the characters `mask` may match, before looking at
    /// the name itself: a word of the query matches only a word that lacks at
    /// most as many of its characters as it allows edits, and the name has every
    /// character its words have.
    pub fn may_reach(&self, mask: u64) -> bool {
        let fits = |w: &Sieved| (w.mask & !mask).count_ones() as usize <= w.edits;
        self.words.iter().filter(|w| fits(w)).count() * 2 > self.words.len() || fits(&self.joined)
    }

    /// Whether `name` (normalized, as UTF-8 bytes) may be suggested: its words
    /// may match more than half of the query's content words, or the whole name
    /// be the query typed without its spaces. False only when [`compare`] would
    /// say neither.
    pub fn may_match(&self, name: &[u8]) -> bool {
        let total = self.words.len();
        if total > 64 {
            return true;
        }
        let (mut found, mut count) = (0u64, 0);
        let mut word_at = |word: &[u8], mask: u64, chars: usize| {
            for (i, q) in self.words.iter().enumerate() {
                if found & (1 << i) == 0 && q.may_match(word, mask, chars) {
                    found |= 1 << i;
                    count += 1;
                }
            }
            count * 2 > total
        };
        let bytes = name;
        // The name's characters and length without its separators.
        let (mut plain_mask, mut plain_chars) = (0, 0);
        let mut start = 0;
        if name.is_ascii() {
            let mut mask = 0;
            for (i, &b) in bytes.iter().enumerate() {
                if b == b'-' {
                    if i > start && word_at(&bytes[start..i], mask, i - start) {
                        return true;
                    }
                    plain_mask |= mask;
                    plain_chars += i - start;
                    (mask, start) = (0, i + 1);
                } else {
                    mask |= ASCII_BITS[usize::from(b)];
                }
            }
            if bytes.len() > start && word_at(&bytes[start..], mask, bytes.len() - start) {
                return true;
            }
            plain_mask |= mask;
            plain_chars += bytes.len() - start;
        } else {
            let Ok(name) = std::str::from_utf8(name) else {
                return true;
            };
            for word in name.split('-').filter(|w| !w.is_empty()) {
                let (mask, chars) = (char_mask(word), word.chars().count());
                if word_at(word.as_bytes(), mask, chars) {
                    return true;
                }
                plain_mask |= mask;
                plain_chars += chars;
            }
        }
        self.may_be_joined(plain_mask, plain_chars)
    }
}

/// The words of a name, as [`compare`] and [`Probe`] split it.
pub fn name_words(name: &str) -> impl Iterator<Item = &str> {
    name.split('-').filter(|w| !w.is_empty())
}

/// The characters of a name's words (its [`char_mask`] without separators) and
/// how many there are: what [`Probe::may_be_joined`] needs of it.
pub fn plain(name: &str) -> (u64, usize) {
    name_words(name).fold((0, 0), |(mask, chars), w| {
        (mask | char_mask(w), chars + w.chars().count())
    })
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
                    assert!(probe.may_reach(char_mask(n)), "{q} / {n}");
                    assert!(probe.may_match(n.as_bytes()), "{q} / {n}");
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

    #[test]
    fn each_letter_digit_and_hyphen_has_a_bit_of_its_own_and_the_table_agrees() {
        let own: Vec<char> = ('a'..='z').chain('0'..='9').chain(['-']).collect();
        let bits: Vec<u64> = own.iter().map(|&c| char_bit(c)).collect();
        for (i, (&c, &b)) in own.iter().zip(&bits).enumerate() {
            assert_eq!(b.count_ones(), 1, "{c:?}");
            assert!(!bits[..i].contains(&b), "{c:?} shares a bit");
        }
        // Every other character has one bit, shared with no letter, digit or `-`.
        let others = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| !own.contains(c));
        for c in others {
            let b = char_bit(c);
            assert_eq!(b.count_ones(), 1, "{c:?}");
            assert!(!bits.contains(&b), "{c:?} shares a bit of its own");
        }
        // The table of the ASCII characters is char_bit's.
        for b in 0..128u8 {
            assert_eq!(ASCII_BITS[usize::from(b)], char_bit(char::from(b)), "{b}");
        }
        assert_eq!(
            char_mask("né-a9"),
            char_bit('n') | char_bit('é') | char_bit('-') | char_bit('a') | char_bit('9')
        );
        assert_eq!(char_mask(""), 0);
    }

    #[test]
    fn a_name_typed_without_its_spaces_matches_with_up_to_the_allowed_slips() {
        let c = |q: &str, n: &str| compare(&Query::new(q), n);
        let joined = |score: f64| Compared {
            matched: 1,
            accept: true,
            score,
        };
        let none = Compared {
            matched: 0,
            accept: false,
            score: 0.0,
        };
        // No word of the query is a word of the name: only the joined name matches.
        assert_eq!(c("peacezones", "peace-zones"), joined(0.9));
        assert_eq!(c("peacezonse", "peace-zones"), joined(0.85));
        assert_eq!(c("peacezone", "peace-zones"), joined(0.85));
        assert_eq!(c("paecezonse", "peace-zones"), joined(0.8));
        assert_eq!(c("pexcexonxs", "peace-zones"), none); // three slips
        assert_eq!(c("peacezonesxyz", "peace-zones"), none); // three letters more
        assert_eq!(
            c("ab-cd", "abcd"),
            Compared {
                matched: 2,
                accept: true,
                score: 0.9
            }
        );
        assert_eq!(c("abcd", "ab-cd"), joined(0.9));
        assert_eq!(c("abce", "ab-cd"), joined(0.85));
        assert_eq!(c("abc", "ab-c"), none); // under four letters
        // Four words of five (4/5 = 0.8), and the joined name with two slips
        // (0.9 - 2 * 0.05 = 0.8): on a tie the words stand, and the query
        // does not name the entry.
        assert_eq!(
            c("alpha-beta-gamma-delta-xy", "alpha-beta-gamma-delta"),
            Compared {
                matched: 4,
                accept: false,
                score: 0.8
            }
        );
        // A better match word by word is kept.
        assert_eq!(
            c("zones", "zones"),
            Compared {
                matched: 1,
                accept: true,
                score: 1.0
            }
        );
    }

    #[test]
    fn the_distance_is_strsim_s_for_every_pair_of_short_words_and_long_or_other_ones() {
        // Every word of up to four letters over a three-letter alphabet, each
        // with each: every kind of edit, transpositions included.
        let mut words = vec![String::new()];
        for len in 1..=4 {
            let mut all = vec![String::new()];
            for _ in 0..len {
                all = all
                    .iter()
                    .flat_map(|w| ["a", "b", "c"].map(|c| format!("{w}{c}")))
                    .collect();
            }
            words.extend(all);
        }
        for a in &words {
            for b in &words {
                assert_eq!(osa_distance(a, b), strsim::osa_distance(a, b), "{a} {b}");
            }
        }
        let long = "x".repeat(63);
        for (a, b) in [
            ("ca", "abc"),
            ("mediaton", "mediator"),
            ("capacty", "capacity"),
            (long.as_str(), "xy"),
            (&format!("{long}y"), "x"),
            (&format!("{long}{long}"), "xx"),
            ("naïve", "naive"),
            ("", "peace"),
        ] {
            assert_eq!(osa_distance(a, b), strsim::osa_distance(a, b), "{a} {b}");
            assert_eq!(osa_distance(b, a), strsim::osa_distance(b, a), "{b} {a}");
        }
    }

    #[test]
    fn a_misspelling_loses_a_twentieth_for_each_edit() {
        // The documented qualities: 0.85 with one edit, 0.8 with two, below a
        // word the query starts (0.9).
        assert_eq!(word_quality("securty", "security"), Some(0.85));
        assert_eq!(word_quality("sekuritu", "security"), Some(0.8));
        assert_eq!(word_quality("securiti", "security"), Some(0.85));
    }

    #[test]
    fn a_name_is_accepted_when_it_holds_every_word_and_is_mostly_those_words() {
        let c = |q: &str, n: &str| compare(&Query::new(q), n);
        let score =
            |quality: f64, total: f64, coverage: f64| quality / total * (0.6 + 0.4 * coverage);
        // Every word, and nothing but them (the stop word counts for nothing).
        assert_eq!(
            c("peace-zones", "zones-of-peace"),
            Compared {
                matched: 2,
                accept: true,
                score: 1.0
            }
        );
        // Half the name: still accepted, its score scaled by the coverage.
        assert_eq!(
            c("peace", "peace-zones"),
            Compared {
                matched: 1,
                accept: true,
                score: score(1.0, 1.0, 0.5)
            }
        );
        // A third of the name: mostly other words, suggested but not accepted.
        assert_eq!(
            c("beta", "alpha-beta-gamma"),
            Compared {
                matched: 1,
                accept: false,
                score: score(1.0, 1.0, 1.0 / 3.0)
            }
        );
        assert_eq!(
            c("beta", "alpha-of-beta"),
            Compared {
                matched: 1,
                accept: true,
                score: score(1.0, 1.0, 0.5)
            }
        );
        // Not every word of the query: never accepted, however much of the
        // name it covers.
        assert_eq!(
            c("alpha-zeta", "alpha"),
            Compared {
                matched: 1,
                accept: false,
                score: score(1.0, 2.0, 1.0)
            }
        );
        // Under three letters in all: not accepted, even whole.
        assert_eq!(
            c("un", "un"),
            Compared {
                matched: 1,
                accept: false,
                score: 1.0
            }
        );
    }

    /// Queries made from `name` by the slips a user makes: each word cut short,
    /// with one or two letters dropped, changed, swapped or added, and the whole
    /// name typed without its spaces, with and without a slip.
    fn slips_of(name: &str) -> Vec<String> {
        fn edits(w: &str) -> Vec<String> {
            let c: Vec<char> = w.chars().collect();
            let mut out = Vec::new();
            for i in 0..c.len() {
                let mut v = c.clone();
                v.remove(i);
                out.push(v.iter().collect());
                let mut v = c.clone();
                v[i] = if v[i] == 'q' { 'x' } else { 'q' };
                out.push(v.iter().collect());
                let mut v = c.clone();
                v.insert(i, 'z');
                out.push(v.iter().collect());
                if i + 1 < c.len() {
                    let mut v = c.clone();
                    v.swap(i, i + 1);
                    out.push(v.iter().collect());
                }
                out.push(c[..=i].iter().collect());
            }
            out.push(format!("{w}zz"));
            out
        }
        let words: Vec<&str> = name.split('-').collect();
        let mut out = Vec::new();
        for (i, w) in words.iter().enumerate() {
            for e in edits(w).into_iter().flat_map(|e| {
                let mut more = edits(&e);
                more.push(e);
                more
            }) {
                let mut q = words.clone();
                q[i] = &e;
                out.push(q.join("-"));
                out.push(e);
            }
        }
        let joined = words.concat();
        out.extend(edits(&joined));
        out.push(joined);
        out.retain(|q| !q.is_empty());
        out
    }

    #[test]
    fn a_probe_never_rules_out_a_slip_of_any_name() {
        // Every length class of allowed edits (0, 1 and 2), stop words, digits,
        // a name that is not ASCII, and names that share words.
        let names = [
            "war",
            "peace",
            "security",
            "peace-zones",
            "zones-of-peace",
            "collective-security",
            "un-good-offices",
            "article-51",
            "négociation-raisonnée",
            "track-ii-diplomacy",
        ];
        let (mut checked, mut ruled_out) = (0, 0);
        for source in names {
            // Each slip against its own name and the next one, which shares a
            // word or letters with it.
            let next =
                names[(names.iter().position(|&n| n == source).unwrap_or(0) + 1) % names.len()];
            for q in slips_of(source) {
                let (probe, query) = (Probe::new(&q), Query::new(&q));
                for n in [source, next] {
                    let reach = probe.may_reach(char_mask(n));
                    let may = probe.may_match(n.as_bytes());
                    if compare(&query, n).matched * 2 > query.content.len() {
                        assert!(reach, "may_reach ruled out {n:?} for {q:?}");
                        assert!(may, "may_match ruled out {n:?} for {q:?}");
                        checked += 1;
                    } else if !(reach && may) {
                        ruled_out += 1;
                    }
                }
            }
        }
        // The slips must reach the conditions' edges on both sides.
        assert!(
            checked > 10_000 && ruled_out > 10_000,
            "{checked} {ruled_out}"
        );
    }

    #[test]
    fn a_probe_rules_out_names_that_fail_one_necessary_condition() {
        // (query, name, may_match): each `false` fails exactly one condition.
        let cases = [
            ("zones", "szonesss", false), // lengths 3 apart, 1 edit allowed
            ("zones", "zonzz", false),    // lacks two of the query's letters
            ("aaaaa", "aaaxy", false),    // two letters the query lacks
            ("cat", "act", false),        // three letters: no edit allowed
            ("un", "unx", false),         // a prefix of two letters opens nothing
            ("un", "un", true),
            ("sec", "security", true),
            ("zones", "zonse", true),
            ("zones", "zone", true),
            ("alpha-beta", "alpha", false), // half the words is not enough
            ("alpha-beta-gamma", "gamma-alpha", true),
            ("beta-alpha-gamma", "alpha-alpha-x", false), // one query word, twice
            ("a-bc", "abc", false),                       // joined, but under four letters
            ("ab-cd", "abcd", true),
            ("pe-ace", "peaxe", true),    // joined, with one slip
            ("pe-ace", "peaxye", false),  // joined, two letters the query lacks
            ("pe-ace", "pexx", false),    // joined, lacks two of the query's letters
            ("pe-ace", "peacexx", false), // joined, lengths 2 apart
            ("négo", "négociation", true),
            ("négo", "nagociation", false),
        ];
        for (q, n, want) in cases {
            assert_eq!(Probe::new(q).may_match(n.as_bytes()), want, "{q} / {n}");
        }
        // may_reach: by characters alone.
        let reach = [
            ("dilemma", "peace-zones", false),
            ("dilemma", "dilemna", true),
            ("dilemma", "dixexxa", false),
            ("alpha-beta", "alpha", false),
            ("alpha-beta", "alpha-bet", true),
            ("ab-cd", "abcd", true),
            ("zones-of", "zonse", true),
            ("zones-of-the", "zones", true), // by its words, not joined
        ];
        for (q, n, want) in reach {
            assert_eq!(Probe::new(q).may_reach(char_mask(n)), want, "{q} / {n}");
        }
    }

    #[test]
    fn a_query_of_more_than_64_words_rules_nothing_out() {
        // One bit per query word: past 64 words the probe cannot count them.
        for n in [64, 65, 70] {
            let q: Vec<String> = (0..n).map(|i| format!("word{i}")).collect();
            let q = q.join("-");
            let probe = Probe::new(&q);
            assert!(probe.may_reach(char_mask(&q)), "{n}");
            assert!(probe.may_match(q.as_bytes()), "{n}");
            assert_eq!(probe.may_match(b"peace-zones"), n > 64, "{n}");
        }
    }
}
