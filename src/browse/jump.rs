//! The `/` jump box's matcher: fuzzy type-ahead over every entry's id, title and aliases.

use crate::index::Index;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};

/// Every name of every entry, converted once per session for the matcher.
pub struct Names {
    names: Vec<(u32, Utf32String)>,
    count: usize,
    matcher: Matcher,
}

impl std::fmt::Debug for Names {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Names({} names)", self.names.len())
    }
}

impl Names {
    pub fn new(kb: &Index) -> Names {
        let mut names = Vec::with_capacity(kb.len() * 2);
        for i in 0..kb.len() {
            let at = i as u32;
            names.push((at, Utf32String::from(kb.id(i))));
            names.push((at, Utf32String::from(kb.title(i))));
            names.extend(kb.aliases(i).map(|a| (at, Utf32String::from(a))));
        }
        let mut config = Config::DEFAULT;
        config.prefer_prefix = true;
        Names {
            names,
            count: kb.len(),
            matcher: Matcher::new(config),
        }
    }

    /// The entries whose best-matching name matches `query`, best first, at most
    /// `limit`; ties go to the shorter title, then alphabetical order.
    pub fn find(&mut self, kb: &Index, query: &str, limit: usize) -> Vec<usize> {
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        if query.trim().is_empty() {
            return Vec::new();
        }
        let mut best = vec![0u32; self.count];
        for (entry, name) in &self.names {
            if let Some(score) = pattern.score(name.slice(..), &mut self.matcher) {
                let slot = &mut best[*entry as usize];
                // 0 means "no match"; a match scoring 0 still counts.
                *slot = (*slot).max(score + 1);
            }
        }
        let mut hits: Vec<(u32, usize)> = best
            .into_iter()
            .enumerate()
            .filter(|&(_, s)| s > 0)
            .map(|(i, s)| (s, i))
            .collect();
        let order = |a: &(u32, usize), b: &(u32, usize)| {
            b.0.cmp(&a.0)
                .then_with(|| kb.title(a.1).len().cmp(&kb.title(b.1).len()))
                .then_with(|| kb.title(a.1).cmp(kb.title(b.1)))
                .then_with(|| a.1.cmp(&b.1))
        };
        // Only the best `limit` are sorted: a short query matches most entries.
        if hits.len() > limit && limit > 0 {
            hits.select_nth_unstable_by(limit - 1, order);
        }
        hits.truncate(limit);
        hits.sort_by(order);
        hits.into_iter().map(|(_, i)| i).collect()
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
    fn an_empty_query_matches_nothing_and_limits_hold() {
        let kb = crate::browse::page::tests::kb();
        let mut names = Names::new(&kb);
        assert!(names.find(&kb, "  ", 10).is_empty());
        assert_eq!(names.find(&kb, "a", 2).len(), 2);
    }
}
