//! The search postings: each word's list from the last index, renumbered and
//! without the entries that changed, merged with the lists of the entries
//! parsed afresh, streamed to the file word by word.

use super::super::layout::NONE;
use super::super::layout::{Sec, StrsBuilder, Writer};
use super::super::records::{self, WordRecord};
use super::super::{Index, Unusable};
use super::SeqReader;
use rustc_hash::FxHashMap;
use std::io::{Seek, Write};

/// Writes the postings: each word's old list, renumbered and without the entries
/// that changed, merged with the new entries'. Returns the vocabulary and the
/// word table.
pub(super) fn write_postings<W: Write + Seek>(
    fresh: &FxHashMap<String, (Vec<u8>, u32)>,
    old_map: &[u32],
    old: Option<&Index>,
    w: &mut Writer<W>,
) -> Result<(Vec<u8>, Vec<u8>), Unusable> {
    let mut fresh: Vec<(&str, &Vec<u8>)> = fresh.iter().map(|(k, v)| (k.as_str(), &v.0)).collect();
    fresh.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let old_vocab = old.map(Index::vocab).unwrap_or_default();
    let mut old_postings = old.map(|o| SeqReader::new(o, Sec::Postings));
    let mut vocab = StrsBuilder::default();
    let mut words = Vec::new();
    let mut stream = w.stream(Sec::Postings);
    let (mut i, mut j) = (0, 0);
    let mut merged = Vec::new();
    let mut buf = Vec::new();
    while i < old_vocab.len() || j < fresh.len() {
        let old_word = (i < old_vocab.len()).then(|| old_vocab.bytes(i));
        let new_word = fresh.get(j).map(|f| f.0.as_bytes());
        let (word, from_old, from_new) = match (old_word, new_word) {
            (Some(o), Some(n)) if o == n => (o, true, true),
            (Some(o), Some(n)) if o < n => (o, true, false),
            (Some(o), None) => (o, true, false),
            (_, Some(n)) => (n, false, true),
            (None, None) => break,
        };
        let list: &[u8] = if from_old {
            merged.clear();
            if let Some(op) = old_postings.as_mut() {
                let (offset, len) = op.old.posting_span(i);
                for (entry, field, count) in
                    records::postings(op.read(offset, offset + len as u64)?)
                {
                    if let Some(&e) = old_map.get(entry as usize)
                        && e != NONE
                    {
                        merged.push((e, field, count));
                    }
                }
            }
            i += 1;
            if from_new {
                merged.extend(records::postings(fresh[j].1));
                merged.sort_by_key(|p| (p.0, p.1));
                j += 1;
            }
            buf.clear();
            let mut last = 0;
            for &(entry, field, count) in &merged {
                records::put_posting(&mut buf, entry - last, field, count);
                last = entry;
            }
            &buf
        } else {
            j += 1;
            fresh[j - 1].1
        };
        if list.is_empty() {
            continue;
        }
        let offset = stream.position();
        stream.write(list)?;
        vocab.push_bytes(word);
        WordRecord {
            offset,
            len: list.len() as u32,
        }
        .encode(&mut words);
    }
    stream.finish();
    if let Some(op) = old_postings
        && !op.verified()
    {
        return Err("old postings damaged".into());
    }
    Ok((vocab.to_bytes(), words))
}
