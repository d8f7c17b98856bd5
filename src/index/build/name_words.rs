//! The words of the names, each with the names that hold it: what lets "did you
//! mean" compare a misspelling with the distinct words of a large knowledge base
//! instead of with every name (see [`crate::index::Index::near`]).

use super::super::layout::{self, StrsBuilder};
use rustc_hash::FxHashMap;

/// The sections `NameWords` (every word of `names`, sorted) and `NameWordNames`
/// (for each, the positions in `names` of the names holding it, ascending).
pub(super) fn name_words(names: &StrsBuilder) -> (Vec<u8>, Vec<u8>) {
    let mut holders: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for p in 0..names.len() {
        for word in crate::fuzzy::name_words(names.get(p)) {
            let list = holders.entry(word).or_default();
            // A word twice in one name is one holder.
            if list.last() != Some(&(p as u32)) {
                list.push(p as u32);
            }
        }
    }
    let mut sorted: Vec<(&str, Vec<u32>)> = holders.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut words = StrsBuilder::default();
    let mut starts = Vec::with_capacity(sorted.len() + 1);
    let mut lists = Vec::new();
    for (word, names) in &sorted {
        words.push(word);
        starts.push(lists.len() as u32);
        lists.extend_from_slice(names);
    }
    starts.push(lists.len() as u32);
    starts.extend_from_slice(&lists);
    (words.to_bytes(), layout::u32_bytes(&starts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::layout::{Strs, U32s};

    #[test]
    fn each_word_lists_the_names_that_hold_it_once_each() {
        let mut names = StrsBuilder::default();
        for name in [
            "arms-control",
            "arms-race-arms",
            "control",
            "peace--keeping",
        ] {
            names.push(name);
        }
        let (words, lists) = name_words(&names);
        let words = Strs::new(&words);
        let lists = U32s(&lists);
        let got: Vec<(&str, Vec<u32>)> = (0..words.len())
            .map(|w| {
                let base = words.len() + 1;
                let (start, end) = (lists.get(w) as usize, lists.get(w + 1) as usize);
                (
                    words.get(w),
                    lists.range(base + start, base + end).iter().collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("arms", vec![0, 1]),
                ("control", vec![0, 2]),
                ("keeping", vec![3]),
                ("peace", vec![3]),
                ("race", vec![1]),
            ]
        );
        assert_eq!(lists.len(), 5 + 1 + 7);
    }
}
