//! The `/` jump box's matcher: fuzzy type-ahead over every entry's id, title and aliases.

use crate::index::Index;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};

/// Every name of every entry, converted once per session for the matcher.
pub struct Names {
    names: Vec<Utf32String>,
    /// Which ASCII letters and digits each name holds (all bits for a name with
    /// other characters, which normalization may match to ASCII ones).
    masks: Vec<u64>,
    /// The names of entry `e` are `names[starts[e]..starts[e + 1]]`.
    starts: Vec<u32>,
    title_lens: Vec<u32>,
    /// One matcher (with its scratch space) per thread a search is split over.
    matchers: Vec<Matcher>,
    /// Earlier queries of this box and every entry each matched, newest last: a
    /// query that extends one of them only needs to look at those entries.
    earlier: Vec<(String, Vec<u32>)>,
}

impl std::fmt::Debug for Names {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Names({} names)", self.names.len())
    }
}

/// How many earlier queries are kept.
const EARLIER: usize = 32;

/// Below this many entries to look at, a search runs on one thread.
const SPLIT_FROM: usize = 8192;

/// How often (in entries) a search asks whether to give up; a few hundred
/// microseconds of matching at most.
const STOP_EVERY: u32 = 2048;

/// The bit of an ASCII letter or digit (case folded); 0 for anything else.
fn bit(c: char) -> u64 {
    match c.to_ascii_lowercase() {
        c @ 'a'..='z' => 1 << (c as u32 - 'a' as u32),
        c @ '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ => 0,
    }
}

fn name_mask(name: &str) -> u64 {
    if name.is_ascii() {
        name.chars().fold(0, |m, c| m | bit(c))
    } else {
        u64::MAX
    }
}

/// Whether a query's matches are always among the matches of any query it
/// extends, and its letters must all be in a matching name: true unless it
/// negates (`!`) or escapes (`\`).
fn narrows(query: &str) -> bool {
    !query.contains(['!', '\\'])
}

/// The number of threads a search is split over: the cores, at most 4.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// What scoring a part of the entries reads, shared by the threads.
#[derive(Clone, Copy)]
struct Scoring<'a> {
    names: &'a [Utf32String],
    masks: &'a [u64],
    starts: &'a [u32],
    need: u64,
    pattern: &'a Pattern,
}

impl Scoring<'_> {
    /// Each of `entries` that matches, with the score of its best-matching name;
    /// `None` once `stop` says so (asked every [`STOP_EVERY`] entries).
    fn score(
        self,
        entries: &[u32],
        matcher: &mut Matcher,
        stop: &(impl Fn() -> bool + Sync),
    ) -> Option<Vec<(u32, u32)>> {
        let mut scored = Vec::new();
        for (n, &e) in entries.iter().enumerate() {
            if n % STOP_EVERY as usize == STOP_EVERY as usize - 1 && stop() {
                return None;
            }
            let (from, to) = (self.starts[e as usize], self.starts[e as usize + 1]);
            let best = (from..to)
                .filter(|&n| self.masks[n as usize] & self.need == self.need)
                .filter_map(|n| {
                    self.pattern
                        .score(self.names[n as usize].slice(..), matcher)
                })
                .max();
            if let Some(best) = best {
                scored.push((best, e));
            }
        }
        Some(scored)
    }
}

impl Names {
    pub fn new(kb: &Index) -> Names {
        Names::with_threads(kb, threads())
    }

    /// Names whose searches are split over `threads` threads (at least one).
    fn with_threads(kb: &Index, threads: usize) -> Names {
        let mut names = Vec::with_capacity(kb.len() * 2);
        let mut starts = Vec::with_capacity(kb.len() + 1);
        for i in 0..kb.len() {
            starts.push(names.len() as u32);
            names.push(kb.id(i));
            names.push(kb.title(i));
            names.extend(kb.aliases(i));
        }
        starts.push(names.len() as u32);
        let mut config = Config::DEFAULT;
        config.prefer_prefix = true;
        Names {
            masks: names.iter().map(|n| name_mask(n)).collect(),
            names: names.into_iter().map(Utf32String::from).collect(),
            starts,
            title_lens: (0..kb.len()).map(|i| kb.title(i).len() as u32).collect(),
            matchers: (0..threads.max(1))
                .map(|_| Matcher::new(config.clone()))
                .collect(),
            earlier: Vec::new(),
        }
    }

    /// The entries whose best-matching name matches `query`, best first, at most
    /// `limit`; ties go to the shorter title, then alphabetical order.
    pub fn find(&mut self, kb: &Index, query: &str, limit: usize) -> Vec<usize> {
        self.find_until(kb, query, limit, || false)
            .unwrap_or_default()
    }

    /// [`Names::find`], giving up (`None`) as soon as `stop` says so: it is asked
    /// every [`STOP_EVERY`] entries, so a newer query need not wait for this one.
    pub fn find_until(
        &mut self,
        kb: &Index,
        query: &str,
        limit: usize,
        stop: impl Fn() -> bool + Sync,
    ) -> Option<Vec<usize>> {
        if query.trim().is_empty() {
            return Some(Vec::new());
        }
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        let plain = narrows(query);
        let need = if plain {
            query.chars().fold(0, |m, c| m | bit(c))
        } else {
            0
        };
        // The narrowest earlier match set this query is sure to fall within.
        let within: Option<Vec<u32>> = if plain {
            self.earlier
                .iter()
                .filter(|(q, _)| query.starts_with(q.as_str()))
                .max_by_key(|(q, _)| q.len())
                .map(|(_, m)| m.clone())
        } else {
            None
        };
        let all: Vec<u32>;
        let entries: &[u32] = match &within {
            Some(entries) => entries,
            None => {
                all = (0..self.title_lens.len() as u32).collect();
                &all
            }
        };
        // Split over the matchers' threads, as nucleo does; the parts' hits are
        // joined in entry order, so the result is the same on any number of threads.
        let parts = if entries.len() < SPLIT_FROM {
            1
        } else {
            self.matchers.len()
        };
        let size = entries.len().div_ceil(parts).max(1);
        let names = Scoring {
            names: &self.names,
            masks: &self.masks,
            starts: &self.starts,
            need,
            pattern: &pattern,
        };
        let (first, rest) = self.matchers.split_at_mut(1);
        let mut chunks = entries.chunks(size);
        let head = chunks.next().unwrap_or(&[]);
        let stop = &stop;
        let results: Vec<Option<Vec<(u32, u32)>>> = std::thread::scope(|scope| {
            let others: Vec<_> = chunks
                .zip(rest.iter_mut())
                .map(|(chunk, matcher)| scope.spawn(move || names.score(chunk, matcher, stop)))
                .collect();
            let mut results = vec![names.score(head, &mut first[0], stop)];
            // A part's thread that panicked is a part given up on.
            results.extend(others.into_iter().map(|t| t.join().ok().flatten()));
            results
        });
        let mut scored: Vec<(u32, u32)> = Vec::new();
        for part in results {
            scored.extend(part?);
        }
        if plain {
            if self.earlier.len() == EARLIER {
                self.earlier.remove(0);
            }
            self.earlier
                .push((query.to_owned(), scored.iter().map(|&(_, e)| e).collect()));
        }
        // Only the best `limit` are sorted: a short query matches most entries.
        let lens = &self.title_lens;
        let rough = |a: &(u32, u32), b: &(u32, u32)| {
            b.0.cmp(&a.0)
                .then_with(|| lens[a.1 as usize].cmp(&lens[b.1 as usize]))
                .then_with(|| a.1.cmp(&b.1))
        };
        if scored.len() > limit && limit > 0 {
            scored.select_nth_unstable_by(limit - 1, rough);
        }
        scored.truncate(limit);
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| lens[a.1 as usize].cmp(&lens[b.1 as usize]))
                .then_with(|| kb.title(a.1 as usize).cmp(kb.title(b.1 as usize)))
                .then_with(|| a.1.cmp(&b.1))
        });
        Some(scored.into_iter().map(|(_, e)| e as usize).collect())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly
mod tests {
    use super::*;

    fn ids(kb: &Index, hits: &[usize]) -> Vec<String> {
        hits.iter().map(|&i| kb.id(i).to_owned()).collect()
    }

    #[test]
    fn matches_ids_titles_and_aliases_fuzzily() {
        let kb = crate::browse::page::tests::kb();
        let mut names = Names::new(&kb);
        assert_eq!(ids(&kb, &names.find(&kb, "gam", 10)), ["gamma"]);
        assert_eq!(ids(&kb, &names.find(&kb, "btrbl", 10)), ["beta"]);
        assert_eq!(ids(&kb, &names.find(&kb, "alp appr", 10)), ["alpha"]);
        assert!(names.find(&kb, "zzz", 10).is_empty());
    }

    #[test]
    fn narrowing_from_earlier_queries_finds_what_a_fresh_search_finds() {
        let kb = crate::browse::page::tests::kb();
        let mut typed = Names::new(&kb);
        for query in [
            "b", "be", "bet", "be", "b", "bt", "bta", "a", "ap", "approach", "appz",
        ] {
            let mut fresh = Names::new(&kb);
            assert_eq!(
                typed.find(&kb, query, 10),
                fresh.find(&kb, query, 10),
                "{query}"
            );
        }
    }

    #[test]
    fn accented_names_match_plain_letters_and_negation_is_not_narrowed() {
        let kb = Index::from_texts(&[
            ("cafe", "title = \"Café Société\"\ndefinition = \"x\"\n"),
            ("tea", "title = \"Tea Room\"\ndefinition = \"x\"\n"),
        ]);
        let mut names = Names::new(&kb);
        assert_eq!(ids(&kb, &names.find(&kb, "societe", 10)), ["cafe"]);
        assert_eq!(ids(&kb, &names.find(&kb, "r", 10)), ["tea"]);
        assert_eq!(
            ids(&kb, &names.find(&kb, "r !room", 10)),
            Vec::<String>::new()
        );
        // Matches come from any name: "tea" (the id) has no "room" in it.
        let fresh = Names::new(&kb).find(&kb, "!room", 10);
        assert_eq!(names.find(&kb, "!room", 10), fresh);
        assert_eq!(ids(&kb, &fresh), ["tea", "cafe"]);
    }

    /// A knowledge base of `n` entries, `e0` to `e{n-1}`, titled by `title`.
    fn numbered(n: usize, title: impl Fn(usize) -> String) -> Index {
        let texts: Vec<(String, String)> = (0..n)
            .map(|i| {
                let text = format!("title = \"{}\"\ndefinition = \"x\"\n", title(i));
                (format!("e{i}"), text)
            })
            .collect();
        Index::from_owned_texts(&texts)
    }

    #[test]
    fn a_search_told_to_stop_gives_up_and_leaves_no_partial_matches_behind() {
        let kb = numbered(3 * STOP_EVERY as usize, |n| format!("Entry {n}"));
        let mut names = Names::new(&kb);
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let stop = || {
            asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            true
        };
        assert_eq!(names.find_until(&kb, "entry", 10, stop), None);
        assert_eq!(asked.into_inner(), 1, "it stops at the first question");
        // The next query that extends it is not narrowed to a partial match set.
        assert_eq!(
            names.find(&kb, "entry 1", 5000).len(),
            Names::new(&kb).find(&kb, "entry 1", 5000).len()
        );
        assert!(names.find_until(&kb, "entry", 10, || false).is_some());
    }

    #[test]
    fn a_search_split_over_threads_finds_what_one_thread_finds() {
        let words = [
            "peace",
            "zone",
            "city",
            "treaty",
            "accord",
            "mediation",
            "trust",
        ];
        let kb = numbered(SPLIT_FROM + 1000, |n| {
            format!("{} {} {n}", words[n % 7], words[(n / 7) % 7])
        });
        let mut one = Names::with_threads(&kb, 1);
        let mut three = Names::with_threads(&kb, 3);
        for query in ["p", "pe", "pea", "z c", "trust 9", "e12", "!zone med"] {
            // Every match, and the best 50: the parts' hits are all there, in order.
            for limit in [usize::MAX, 50] {
                let found = one.find(&kb, query, limit);
                assert!(!found.is_empty(), "{query}");
                assert_eq!(three.find(&kb, query, limit), found, "{query}");
            }
        }
    }

    #[test]
    fn an_empty_query_matches_nothing_and_limits_hold() {
        let kb = crate::browse::page::tests::kb();
        let mut names = Names::new(&kb);
        assert!(names.find(&kb, "  ", 10).is_empty());
        assert_eq!(names.find(&kb, "a", 2).len(), 2);
    }
}
