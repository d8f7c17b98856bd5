//! Deciding the groups in chunks, on two threads when many files must be read
//! and parsed, handed on in id order, with the postings of each chunk.

use super::super::Index;
use super::super::outcome;
use super::super::records::put_posting;
use super::candidates::{Cand, Files};
use super::decide::{GroupOut, Winner, decide};
use crate::tokenize::WordCounts;
use rustc_hash::FxHashMap;

/// The postings of a run of consecutive entries, numbered from 0 within the run:
/// word → (postings, first entry, last entry).
#[derive(Default)]
pub(super) struct Run {
    pub words: FxHashMap<String, (Vec<u8>, u32, u32)>,
}

impl Run {
    fn add(&mut self, entry: u32, words: &WordCounts) {
        let mut last_word = "";
        for (word, field, count) in words.iter() {
            let field = field.code();
            if let Some(slot) = self.words.get_mut(word) {
                let delta = if word == last_word { 0 } else { entry - slot.2 };
                put_posting(&mut slot.0, delta, field, count);
                slot.2 = entry;
            } else {
                let mut list = Vec::new();
                put_posting(&mut list, entry, field, count);
                self.words.insert(word.to_owned(), (list, entry, entry));
            }
            last_word = word;
        }
    }
}

/// What deciding a chunk of consecutive groups gave.
pub(super) struct ChunkOut {
    pub groups: Vec<GroupOut>,
    pub run: Run,
}

fn decide_chunk(
    groups: &[std::ops::Range<usize>],
    sorted: &[&Cand<'_>],
    files: &Files<'_, '_>,
    old: Option<&Index>,
) -> ChunkOut {
    let mut run = Run::default();
    let mut winners = 0;
    let groups = groups
        .iter()
        .map(|g| {
            let mut out = decide(&sorted[g.clone()], files, old);
            if let Some((_, winner)) = &mut out.winner {
                if let Winner::Fresh(r) = winner {
                    run.add(winners, &std::mem::take(&mut r.words));
                }
                winners += 1;
            }
            out
        })
        .collect();
    ChunkOut { groups, run }
}

/// Decides every group, in chunks of consecutive groups, handing each chunk to
/// `consume` in id order.
pub(super) fn run_groups(
    sorted: &[&Cand<'_>],
    groups: &[std::ops::Range<usize>],
    files: &Files<'_, '_>,
    old: Option<&Index>,
    consume: &mut impl FnMut(ChunkOut),
) {
    const CHUNK: usize = 256;
    let chunks: Vec<&[std::ops::Range<usize>]> = groups.chunks(CHUNK).collect();
    let to_parse = sorted
        .iter()
        .filter(|c| {
            c.reuse
                .is_none_or(|o| o & outcome::KIND == outcome::UNKNOWN)
        })
        .count();
    if to_parse < 2 * CHUNK {
        for chunk in chunks {
            consume(decide_chunk(chunk, sorted, files, old));
        }
        return;
    }
    // Two threads parse chunks; this one puts them in order.
    crate::parallel::in_order(
        chunks.len(),
        2,
        |k| decide_chunk(chunks[k], sorted, files, old),
        consume,
    );
}

#[cfg(test)]
mod tests {
    use super::super::super::records;
    use super::*;

    /// Three letters naming `i`, a word of its own for each entry.
    fn letters(i: usize) -> String {
        [i / 676, i / 26 % 26, i % 26]
            .iter()
            .map(|&d| char::from(b'a' + d as u8))
            .collect()
    }

    /// Enough files to parse on two threads (twice the chunk of 256 groups),
    /// handed on in id order: every entry in its place, with its own words'
    /// postings, and a word every entry holds listing all of them in order.
    #[test]
    fn many_files_are_parsed_on_two_threads_and_kept_in_id_order() {
        let n = 700;
        let texts: Vec<(String, String)> = (0..n)
            .map(|i| {
                let w = letters(i);
                let text =
                    format!("title = \"Entry {w}\"\ndefinition = \"Common zq{w}zq words.\"\n");
                (format!("e{w}"), text)
            })
            .collect();
        let index = Index::from_owned_texts(&texts);
        assert_eq!(index.len(), n);
        let vocab = index.vocab();
        let entries_of = |word: &str| -> Vec<u32> {
            let w = (0..vocab.len())
                .find(|&w| vocab.get(w) == word)
                .unwrap_or_else(|| panic!("{word} indexed"));
            let mut entries: Vec<u32> = records::postings(index.postings(w)).map(|p| p.0).collect();
            entries.dedup();
            entries
        };
        for i in 0..n {
            let w = letters(i);
            assert_eq!(index.id(i), format!("e{w}"));
            assert_eq!(index.title(i), format!("Entry {w}"));
            assert_eq!(entries_of(&format!("zq{w}zq")), [i as u32], "zq{w}zq");
        }
        assert_eq!(entries_of("common"), (0..n as u32).collect::<Vec<_>>());
    }
}
