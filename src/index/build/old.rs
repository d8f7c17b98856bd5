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
