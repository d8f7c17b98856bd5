//! Reading a section of the last index front to back, in pieces, checked once
//! all of it has gone by.

use super::super::Index;
use super::super::layout::{self, Sec};
use std::io;

/// Reads a section of the old index front to back, in pieces, checking its
/// checksum once all of it has gone by: the postings word by word, the
/// summaries of the entries kept, without holding either whole in memory.
pub(super) struct SeqReader<'a> {
    pub old: &'a Index,
    span: layout::Span,
    next: u64,
    hasher: xxhash_rust::xxh3::Xxh3,
    buf: Vec<u8>,
    ok: bool,
}

impl<'a> SeqReader<'a> {
    pub fn new(old: &'a Index, sec: Sec) -> SeqReader<'a> {
        SeqReader {
            old,
            span: old.header.spans[sec as usize],
            next: 0,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            buf: Vec::new(),
            ok: true,
        }
    }

    /// Bytes `start..end` of the section; ranges must come in increasing order.
    pub fn read(&mut self, start: u64, end: u64) -> io::Result<&[u8]> {
        if start < self.next || end < start || end > self.span.len {
            self.ok = false;
            return Err(io::Error::other("old index read out of order"));
        }
        self.skip_to(start)?;
        self.buf = self
            .old
            .backing
            .read(self.span.offset + start, (end - start) as usize)?;
        self.hasher.update(&self.buf);
        self.next = end;
        Ok(&self.buf)
    }

    /// Reads (and checks) the bytes up to `to` without keeping them.
    fn skip_to(&mut self, to: u64) -> io::Result<()> {
        while self.next < to {
            let len = (to - self.next).min(1 << 20);
            let bytes = self
                .old
                .backing
                .read(self.span.offset + self.next, len as usize)?;
            self.hasher.update(&bytes);
            self.next += len;
        }
        Ok(())
    }

    /// Whether the whole section was read and matches its checksum.
    pub fn verified(mut self) -> bool {
        self.ok && self.skip_to(self.span.len).is_ok() && self.hasher.digest() == self.span.hash
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::Backing;
    use super::*;

    /// An index whose summaries section holds `About <title>.` for each of
    /// three entries, one after the other.
    fn index() -> Index {
        let texts: Vec<(String, String)> = ["Alpha", "Beta", "Gamma"]
            .iter()
            .map(|t| {
                let text =
                    format!("title = \"{t}\"\nsummary = \"About {t}.\"\ndefinition = \"x\"\n");
                (t.to_lowercase(), text)
            })
            .collect();
        Index::from_owned_texts(&texts)
    }

    const ALL: &[u8] = b"About Alpha.About Beta.About Gamma.";

    #[test]
    fn pieces_read_in_order_are_the_section_s_bytes_and_verify() {
        let index = index();
        assert_eq!(
            index.header.spans[Sec::Summaries as usize].len,
            ALL.len() as u64
        );
        let mut r = SeqReader::new(&index, Sec::Summaries);
        assert_eq!(r.read(0, 12).ok(), Some(&b"About Alpha."[..]));
        // An empty piece, where the last ended.
        assert_eq!(r.read(12, 12).ok(), Some(&b""[..]));
        // Bytes skipped (About Beta.) are checked all the same; the last piece
        // ends where the section does.
        assert_eq!(r.read(23, 35).ok(), Some(&b"About Gamma."[..]));
        assert!(r.verified());
        // From the start of the section, after a piece that skipped bytes.
        let mut r = SeqReader::new(&index, Sec::Summaries);
        assert_eq!(r.read(1, 2).ok(), Some(&b"b"[..]));
        assert_eq!(r.read(6, 11).ok(), Some(&b"Alpha"[..]));
        assert!(r.verified(), "the rest is read by `verified`");
        // Nothing read: `verified` reads it all.
        assert!(SeqReader::new(&index, Sec::Summaries).verified());
    }

    #[test]
    fn a_piece_out_of_order_or_past_the_end_is_refused_and_fails_the_check() {
        let index = index();
        let len = ALL.len() as u64;
        // Before the end of the last piece, ending before it starts, past the end.
        for (first, second) in [
            ((0, 12), (11, 14)),
            ((0, 12), (14, 13)),
            ((0, 12), (12, len + 1)),
        ] {
            let mut r = SeqReader::new(&index, Sec::Summaries);
            assert!(r.read(first.0, first.1).is_ok());
            assert!(r.read(second.0, second.1).is_err(), "{second:?}");
            assert!(!r.verified(), "{second:?}");
        }
        let mut r = SeqReader::new(&index, Sec::Summaries);
        assert!(r.read(len + 1, len + 2).is_err());
        assert!(!r.verified());
    }

    #[test]
    fn a_damaged_section_fails_the_check() {
        let index = index();
        let span = index.header.spans[Sec::Summaries as usize];
        let Some(mut bytes) = index.backing.bytes().map(<[u8]>::to_vec) else {
            panic!("an index in memory");
        };
        bytes[span.offset as usize + 20] ^= 1;
        let damaged = Index::from_backing(Backing::Memory(bytes), &index.key, &[])
            .unwrap_or_else(|e| panic!("{}", e.0));
        // Read whole, or in pieces that skip the damaged byte.
        let mut r = SeqReader::new(&damaged, Sec::Summaries);
        assert!(r.read(0, ALL.len() as u64).is_ok());
        assert!(!r.verified());
        let mut r = SeqReader::new(&damaged, Sec::Summaries);
        assert!(r.read(0, 12).is_ok());
        assert!(!r.verified());
    }
}
