//! Works that look like one work cited differently ([`near_duplicates`]), found
//! without comparing every pair in full.
//!
//! Two works of one author bucket pair when their title lengths are within a
//! tenth, their titles hold the same numbers, their authors are alike
//! (Jaro-Winkler ≥ 0.92) and their titles nearly equal (normalized Levenshtein
//! ≥ 0.9). The answer is exactly what comparing every pair with strsim gives;
//! it gets there cheaply: authors are compared once per pair of distinct
//! folded authors (a bucket holds a few hundred works by a few dozen spellings),
//! and titles only as far as the threshold needs: a folded title is ASCII, so
//! the difference of two titles' letter counts bounds their edit distance from
//! below, and the distance itself is computed in a band of the threshold's width.

use super::names::Name;
use super::{Work, fold};
use std::collections::HashMap;

/// Pairs of works in `works` that look like one work cited differently: the same
/// author (folded; nearly equal by Jaro-Winkler) and nearly the same title, but a
/// different year, URL or title. Works without an author are not compared.
/// Each pair is `(lower index, higher index)`; the list is sorted.
pub fn near_duplicates(works: &[Work]) -> Vec<(usize, usize)> {
    pairs(
        works
            .iter()
            .map(|w| (w.names.list.first(), w.author.as_deref(), w.title.as_str())),
    )
}

/// [`near_duplicates`] of works given as their first author's name (`None`: not
/// compared), author and title, in order.
pub(super) fn pairs<'a>(
    works: impl Iterator<Item = (Option<&'a Name>, Option<&'a str>, &'a str)>,
) -> Vec<(usize, usize)> {
    let mut buckets: HashMap<String, Vec<Key>> = HashMap::new();
    let mut authors: HashMap<String, u32> = HashMap::new();
    let mut author_names: Vec<String> = Vec::new();
    for (index, (first, author, title)) in works.enumerate() {
        if let Some(first) = first {
            let author = fold(author.unwrap_or(""));
            let next = u32::try_from(author_names.len()).unwrap_or(u32::MAX);
            let author = *authors.entry(author).or_insert_with_key(|a| {
                author_names.push(a.clone());
                next
            });
            let folded = fold(title).into_bytes();
            buckets.entry(first.key_word()).or_default().push(Key {
                index,
                author,
                local: 0,
                len: folded.len(),
                threshold: max_distance(folded.len()),
                counts: counts(&folded),
                letters: letters(&folded),
                title: folded,
                numbers: numbers(title),
            });
        }
    }
    let mut alike = AuthorsAlike {
        names: &author_names,
        memo: HashMap::new(),
    };
    let mut scratch = Band::default();
    let mut pairs = Vec::new();
    for members in buckets.values_mut() {
        // Shortest title first: titles whose lengths differ by more than a tenth
        // cannot be 0.9 alike (the edit distance is at least the difference), so
        // the comparisons of one work stop at the first title that long.
        members.sort_by_key(|k| (k.len, k.index));
        // The bucket's authors numbered from 0, and whether each ordered pair is
        // alike in a table (most pairs of works fail on their authors: a look-up).
        let mut local_of: HashMap<u32, u32> = HashMap::new();
        let mut globals: Vec<u32> = Vec::new();
        for k in members.iter_mut() {
            let next = u32::try_from(globals.len()).unwrap_or(u32::MAX);
            k.local = *local_of.entry(k.author).or_insert_with(|| {
                globals.push(k.author);
                next
            });
        }
        let g = globals.len();
        // Whether b, at least as long as a, passes every test but the authors'.
        let mut alike_titles = |a: &Key, b: &Key| -> bool {
            // b is at least as long as a: the threshold is b's.
            let k = b.threshold;
            b.len - a.len <= k
                && a.numbers == b.numbers
                && letters_missing(a.letters, b.letters) <= k
                && letter_distance(&a.counts, &b.counts) <= k
                && scratch.within(&a.title, &b.title, k)
        };
        if g <= GROUPED {
            // Few authors: the works of each pair of alike authors are compared,
            // and no others. Each author's works are in the bucket's order, and
            // of two works the earlier one's author is asked first, as below.
            let mut by_author: Vec<Vec<usize>> = vec![Vec::new(); g];
            for (n, k) in members.iter().enumerate() {
                by_author[k.local as usize].push(n);
            }
            for (la, xs) in by_author.iter().enumerate() {
                for (lb, ys) in by_author.iter().enumerate() {
                    if !alike.check(globals[la], globals[lb]) {
                        continue;
                    }
                    let mut after = 0;
                    for &x in xs {
                        // The works of `ys` after `x` in the bucket's order.
                        while ys.get(after).is_some_and(|&y| y <= x) {
                            after += 1;
                        }
                        let a = &members[x];
                        for &y in &ys[after..] {
                            let b = &members[y];
                            if 9 * b.len > 10 * a.len {
                                break;
                            }
                            if alike_titles(a, b) {
                                pairs.push((a.index.min(b.index), a.index.max(b.index)));
                            }
                        }
                    }
                }
            }
            continue;
        }
        let dense = g <= 2048;
        let mut table = vec![0u8; if dense { g * g } else { 0 }];
        let mut authors_alike = |a: u32, b: u32| -> bool {
            let (ga, gb) = (globals[a as usize], globals[b as usize]);
            if !dense {
                return alike.check(ga, gb);
            }
            let cell = &mut table[a as usize * g + b as usize];
            if *cell == 0 {
                *cell = if alike.check(ga, gb) { 1 } else { 2 };
            }
            *cell == 1
        };
        for (n, a) in members.iter().enumerate() {
            for b in &members[n + 1..] {
                if 9 * b.len > 10 * a.len {
                    break;
                }
                if b.len - a.len > b.threshold
                    || !authors_alike(a.local, b.local)
                    || !alike_titles(a, b)
                {
                    continue;
                }
                pairs.push((a.index.min(b.index), a.index.max(b.index)));
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

/// Up to this many authors in a bucket, the works are compared author by
/// author: every pair of authors is asked once whether they are alike.
const GROUPED: usize = 64;

/// What a work is compared by, folded once (not once per pair).
struct Key<'a> {
    index: usize,
    /// The folded author, as a number (equal numbers, equal authors).
    author: u32,
    /// The same, numbered within the work's bucket.
    local: u32,
    /// The folded title: ASCII letters, digits and spaces.
    title: Vec<u8>,
    /// The folded title's length.
    len: usize,
    /// [`max_distance`] of that length.
    threshold: usize,
    /// How often each letter, digit and the space occur in the folded title.
    counts: [u8; ALPHABET],
    /// Which of them occur (bit [`slot`]).
    letters: u64,
    numbers: Vec<&'a str>,
}

/// The characters of a folded title: a–z, 0–9 and the space.
const ALPHABET: usize = 37;

fn slot(byte: u8) -> usize {
    match byte {
        b'a'..=b'z' => usize::from(byte - b'a'),
        b'0'..=b'9' => 26 + usize::from(byte - b'0'),
        _ => 36,
    }
}

/// The letter counts of a folded title (saturating: a bound, never more).
fn counts(title: &[u8]) -> [u8; ALPHABET] {
    let mut out = [0u8; ALPHABET];
    for &b in title {
        let c = &mut out[slot(b)];
        *c = c.saturating_add(1);
    }
    out
}

/// Which characters of the alphabet a folded title holds (bit [`slot`]).
fn letters(title: &[u8]) -> u64 {
    title.iter().fold(0, |set, &b| set | 1 << slot(b))
}

/// A lower bound of [`letter_distance`], from the sets of characters alone: a
/// character that one title has and the other lacks is one at least of the
/// count it adds up. One instruction, where the counts take 37 steps: most
/// pairs that fail, fail here.
fn letters_missing(a: u64, b: u64) -> usize {
    (a & !b).count_ones().max((b & !a).count_ones()) as usize
}

/// A lower bound of the edit distance of two titles: the characters one has
/// that the other lacks, counted for the side that lacks more. Counts that
/// saturated at 255 make the bound smaller, never wrong.
fn letter_distance(a: &[u8; ALPHABET], b: &[u8; ALPHABET]) -> usize {
    // Without a branch per letter, so that the compiler can vectorize it: this
    // runs for most pairs of works an author bucket holds.
    let (mut more, mut less) = (0u32, 0u32);
    for (x, y) in a.iter().zip(b) {
        more += u32::from(x.saturating_sub(*y));
        less += u32::from(y.saturating_sub(*x));
    }
    more.max(less) as usize
}

/// The largest edit distance at which two titles, the longer `longest`
/// characters long, still count as nearly equal: the largest `d` for which
/// strsim's `normalized_levenshtein`, `1 - d / longest`, is at least 0.9,
/// computed the way it computes it.
fn max_distance(longest: usize) -> usize {
    if longest == 0 {
        return 0;
    }
    let similarity = |d: usize| 1.0 - (d as f64) / (longest as f64);
    let mut d = 0;
    while d < longest && similarity(d + 1) >= 0.9 {
        d += 1;
    }
    d
}

/// Whether two folded authors are alike (Jaro-Winkler ≥ 0.92), asked once for
/// each ordered pair of distinct authors (strsim's Jaro is not quite symmetric).
struct AuthorsAlike<'a> {
    names: &'a [String],
    memo: HashMap<(u32, u32), bool>,
}

impl AuthorsAlike<'_> {
    fn check(&mut self, a: u32, b: u32) -> bool {
        let names = self.names;
        *self
            .memo
            .entry((a, b))
            .or_insert_with(|| strsim::jaro_winkler(&names[a as usize], &names[b as usize]) >= 0.92)
    }
}

/// The rows of a banded edit distance, kept between comparisons.
#[derive(Default)]
struct Band {
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl Band {
    /// Whether the Levenshtein distance of `a` and `b` is at most `k`.
    ///
    /// Every cell holds the distance capped at `k + 1`, which the recurrence
    /// keeps exact; cells more than `k` off the diagonal are at least `k + 1`
    /// and are not computed; a row whose every cell is over `k` ends it.
    fn within(&mut self, a: &[u8], b: &[u8], k: usize) -> bool {
        let (n, m) = (a.len(), b.len());
        if n.abs_diff(m) > k {
            return false;
        }
        let over = k + 1;
        self.previous.clear();
        self.previous.extend((0..=m).map(|j| j.min(over)));
        for i in 1..=n {
            self.current.clear();
            self.current.resize(m + 1, over);
            self.current[0] = i.min(over);
            let lo = i.saturating_sub(k).max(1);
            let hi = (i + k).min(m);
            let mut best = self.current[0];
            for j in lo..=hi {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let cell = (self.previous[j - 1] + cost)
                    .min(self.previous[j] + 1)
                    .min(self.current[j - 1] + 1)
                    .min(over);
                self.current[j] = cell;
                best = best.min(cell);
            }
            if best > k {
                return false;
            }
            std::mem::swap(&mut self.previous, &mut self.current);
        }
        self.previous[m] <= k
    }
}

/// The numbers in a title: "Resolution 82" and "Resolution 1645" are two works.
fn numbers(title: &str) -> Vec<&str> {
    title
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random titles over a small alphabet, so that many
    /// pairs are within a few edits.
    fn titles(seed: u64, count: usize) -> Vec<String> {
        let mut state = seed;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let base = "the forceful persuasion of peace";
        (0..count)
            .map(|_| {
                let mut t: Vec<u8> = base.as_bytes().to_vec();
                for _ in 0..(next() % 6) {
                    let at = (next() as usize) % (t.len() + 1);
                    let c = b"abe 1"[(next() % 5) as usize];
                    match next() % 3 {
                        0 if at < t.len() => t[at] = c,
                        1 if at < t.len() => {
                            t.remove(at);
                        }
                        _ => t.insert(at, c),
                    }
                }
                String::from_utf8(t).unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn the_banded_distance_agrees_with_strsim_at_every_threshold() {
        let all = titles(7, 60);
        let mut band = Band::default();
        for a in &all {
            for b in &all {
                let d = strsim::levenshtein(a, b);
                for k in 0..8 {
                    assert_eq!(
                        band.within(a.as_bytes(), b.as_bytes(), k),
                        d <= k,
                        "{a:?} {b:?} {k}"
                    );
                }
                let bound = letter_distance(&counts(a.as_bytes()), &counts(b.as_bytes()));
                assert!(bound <= d, "{a:?} {b:?}: bound {bound} > distance {d}");
                let (sa, sb) = (letters(a.as_bytes()), letters(b.as_bytes()));
                let set_bound = letters_missing(sa, sb);
                assert!(set_bound <= bound, "{a:?} {b:?}: {set_bound} > {bound}");
            }
        }
        assert!(band.within(b"", b"", 0));
        assert!(!band.within(b"", b"ab", 1));
    }

    /// The comparison of every pair, as strsim gives it: what [`near_duplicates`] must equal.
    fn every_pair(works: &[Work]) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        for (i, a) in works.iter().enumerate() {
            for (j, b) in works.iter().enumerate().skip(i + 1) {
                let (Some(fa), Some(fb)) = (a.names.list.first(), b.names.list.first()) else {
                    continue;
                };
                let (ta, tb) = (fold(&a.title), fold(&b.title));
                // The earlier of the two in (title length, index) order comes first.
                let (first, second, tf, ts) = if (ta.len(), i) <= (tb.len(), j) {
                    (a, b, &ta, &tb)
                } else {
                    (b, a, &tb, &ta)
                };
                if fa.key_word() == fb.key_word()
                    && 9 * ts.len() <= 10 * tf.len()
                    && numbers(&first.title) == numbers(&second.title)
                    && strsim::jaro_winkler(
                        &fold(first.author.as_deref().unwrap_or("")),
                        &fold(second.author.as_deref().unwrap_or("")),
                    ) >= 0.92
                    && strsim::normalized_levenshtein(tf, ts) >= 0.9
                {
                    pairs.push((i, j));
                }
            }
        }
        pairs
    }

    #[test]
    fn near_duplicates_are_exactly_the_pairs_strsim_finds() {
        let authors = [
            "Alexander George",
            "A. George",
            "Alexandra George",
            "George",
            "B. Georges",
            "Roger Fisher",
            "Fisher",
            "R. Fisher",
            "Research Consortium (OTPIC)",
            "",
        ];
        same_pairs_as_strsim(&authors, 240);
    }

    /// Titles a tenth longer than others are still compared: 9 and 10 letters,
    /// one edit apart, are 0.9 alike, which is enough.
    #[test]
    fn a_title_a_tenth_longer_is_still_compared() {
        let text = "title = \"a\"\ndefinition = \"d\"\n\
            [[sources]]\ntitle = \"Peacetalk\"\nauthor = \"Roger Fisher\"\nyear = 1990\n\
            [[sources]]\ntitle = \"Peacetalks\"\nauthor = \"Roger Fisher\"\nyear = 1991\n";
        let entry =
            crate::entry::Entry::parse("a", "a.toml", text).unwrap_or_else(|d| panic!("{d}"));
        let works = super::super::gather(&[&entry], &|_| false);
        assert_eq!(every_pair(&works), [(0, 1)]);
        assert_eq!(near_duplicates(&works), [(0, 1)]);
    }

    /// A short title (a threshold of 0 edits) cited twice with different years
    /// is one work, in a bucket of few authors and in one of many.
    #[test]
    fn a_short_title_cited_twice_is_found_in_any_bucket() {
        for authors in [1, GROUPED + 6] {
            let mut text = String::from("title = \"a\"\ndefinition = \"d\"\n");
            let letter = |k: usize| char::from(b'a' + (k % 26) as u8);
            for n in 0..authors {
                text.push_str(&format!(
                    "[[sources]]\ntitle = \"A long title of peace number {n}\"\n\
                     author = \"Al{}{}n George\"\nyear = 1990\n",
                    letter(n / 26),
                    letter(n)
                ));
            }
            for year in [1990, 1991] {
                text.push_str(&format!(
                    "[[sources]]\ntitle = \"Peace\"\nauthor = \"Alaan George\"\nyear = {year}\n"
                ));
            }
            let entry =
                crate::entry::Entry::parse("a", "a.toml", &text).unwrap_or_else(|d| panic!("{d}"));
            let works = super::super::gather(&[&entry], &|_| false);
            let expected = every_pair(&works);
            assert!(!expected.is_empty(), "{authors} authors");
            assert_eq!(near_duplicates(&works), expected, "{authors} authors");
        }
    }

    /// The letter-count bound: what one title has that the other lacks, for
    /// the side that lacks more.
    #[test]
    fn the_letter_bound_counts_the_letters_one_side_lacks() {
        let bound =
            |a: &str, b: &str| letter_distance(&counts(a.as_bytes()), &counts(b.as_bytes()));
        assert_eq!(bound("peace", "peace"), 0);
        assert_eq!(bound("peace", "piece"), 1);
        assert_eq!(bound("abc", "xyz"), 3);
        assert_eq!(bound("aab", "b"), 2);
        assert_eq!(bound("b", "aab"), 2);
        assert_eq!(bound("war 1", "wars 2"), 2);
        let sets = |a: &str, b: &str| letters_missing(letters(a.as_bytes()), letters(b.as_bytes()));
        assert_eq!(sets("peace", "peace"), 0);
        assert_eq!(sets("peace", "piece"), 1);
        assert_eq!(sets("abc", "xyz"), 3);
        assert_eq!(sets("aab", "b"), 1);
        assert_eq!(sets("war 1", "wars 2"), 2);
        assert_eq!(sets("zz 9", "aa 0"), 2);
    }

    /// A bucket of more authors than [`GROUPED`] is compared work by work.
    #[test]
    fn a_bucket_of_many_authors_gives_the_pairs_strsim_finds_too() {
        let first: Vec<String> = (0..GROUPED + 6)
            .map(|n| {
                let letter = |k: usize| char::from(b'a' + (k % 26) as u8);
                format!("Al{}{}n George", letter(n / 26), letter(n))
            })
            .collect();
        let authors: Vec<&str> = first.iter().map(String::as_str).collect();
        same_pairs_as_strsim(&authors, 400);
    }

    /// [`near_duplicates`] of `count` titles by `authors` in turn, against
    /// [`every_pair`].
    fn same_pairs_as_strsim(authors: &[&str], count: usize) {
        let mut text = String::from("title = \"a\"\ndefinition = \"d\"\n");
        for (n, title) in titles(11, count).iter().enumerate() {
            text.push_str(&format!(
                "[[sources]]\ntitle = \"{title}\"\nauthor = \"{}\"\nyear = {}\n",
                authors[n % authors.len()],
                1990 + n % 3
            ));
        }
        let entry =
            crate::entry::Entry::parse("a", "a.toml", &text).unwrap_or_else(|d| panic!("{d}"));
        let works = super::super::gather(&[&entry], &|_| false);
        assert!(works.len() > count * 5 / 6, "{}", works.len());
        let expected = every_pair(&works);
        assert!(
            expected.len() > 50,
            "too few pairs to tell: {}",
            expected.len()
        );
        assert_eq!(near_duplicates(&works), expected);
    }

    #[test]
    fn the_threshold_is_strsims_own() {
        for longest in 1..400 {
            let k = max_distance(longest);
            let similarity = |d: usize| 1.0 - (d as f64) / (longest as f64);
            assert!(similarity(k) >= 0.9, "{longest}");
            assert!(k == longest || similarity(k + 1) < 0.9, "{longest}");
        }
        assert_eq!(max_distance(9), 0);
        assert_eq!(max_distance(10), 1);
        assert_eq!(max_distance(20), 2);
        assert_eq!(max_distance(0), 0);
    }
}
