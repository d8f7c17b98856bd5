//! A read-only memory map of an index file: the one place otpic uses `unsafe`.
//!
//! Mapping the file instead of reading it means a command touches only the pages
//! of the sections it uses, straight from the page cache: no copy and no fresh
//! memory to fault in (at 100,000 entries that was most of a command's time; see
//! BENCHMARKS.md). git maps its index the same way, and ripgrep its files.
#![allow(unsafe_code)]

use std::fs::File;
use std::io;

/// A file mapped read-only, for as long as this value lives.
#[derive(Debug)]
pub struct Map(memmap2::Mmap);

impl Map {
    /// Maps the whole of `file`, as long as it is now.
    pub fn new(file: &File) -> io::Result<Map> {
        // SAFETY: the map is read-only and its bytes are only ever read as `u8`s,
        // checked against their checksums and bounds like any bytes from disk.
        // What `Mmap::map` asks of the caller is that nobody changes the file
        // while it is mapped. otpic never does: an index file is written whole
        // under a temporary name and renamed into place, so a newer index is a
        // new file and this one stays as it was, even once deleted. Only another
        // program writing into otpic's own cache file could change it; that is
        // the same trust git places in its mapped index. The cost of such a
        // write would be wrong bytes (caught or not by the checksums), or a
        // SIGBUS if it truncated the file, never memory unsafety elsewhere.
        let map = unsafe { memmap2::Mmap::map(file) }?;
        Ok(Map(map))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Backing, Index, Key, layout};
    use crate::source::Source;
    use std::io::Write;

    /// The built-in index written to a file, and its key.
    fn index_file() -> (tempfile::NamedTempFile, Key) {
        let key = Key::new(&[Source::Embedded]).unwrap_or_else(|e| panic!("{e}"));
        let mut file = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
        file.write_all(crate::built_in::INDEX)
            .unwrap_or_else(|e| panic!("{e}"));
        (file, key)
    }

    fn open(backing: Backing, key: &Key) -> Index {
        Index::from_backing(backing, key, &layout::ALL).unwrap_or_else(|e| panic!("{}", e.0))
    }

    /// A mapped file, the same file read, and the bytes in memory give the same
    /// sections (the read path is what a file system without maps gets).
    #[test]
    fn a_mapped_index_reads_as_the_same_file_read() {
        let (file, key) = index_file();
        let reopen = || std::fs::File::open(file.path()).unwrap_or_else(|e| panic!("{e}"));
        let mapped = open(Backing::file(reopen()), &key);
        assert_eq!(matches!(mapped.backing, Backing::Mapped(_)), cfg!(unix));
        let read = open(Backing::File(reopen()), &key);
        let built_in = open(Backing::Static(crate::built_in::INDEX), &key);
        for sec in [
            layout::Sec::Entries,
            layout::Sec::Strings,
            layout::Sec::Postings,
        ] {
            assert!(!built_in.section(sec).is_empty(), "{sec:?}");
        }
        for sec in layout::ALL {
            assert!(mapped.section(sec) == built_in.section(sec), "{sec:?}");
            assert!(read.section(sec) == built_in.section(sec), "{sec:?}");
        }
        assert_eq!(mapped.len(), built_in.len());
    }

    /// A mapped file with a byte changed inside a section fails that section's
    /// checksum, as a read one does.
    #[test]
    fn a_mapped_index_is_checked() {
        let (file, key) = index_file();
        let mut bytes = crate::built_in::INDEX.to_vec();
        let at = bytes.len() - 10;
        bytes[at] ^= 0x20;
        std::fs::write(file.path(), &bytes).unwrap_or_else(|e| panic!("{e}"));
        let reopen = || std::fs::File::open(file.path()).unwrap_or_else(|e| panic!("{e}"));
        for backing in [Backing::file(reopen()), Backing::File(reopen())] {
            let found = Index::from_backing(backing, &key, &layout::ALL);
            assert!(found.is_err_and(|e| e.0.contains("checksum")));
        }
    }
}
