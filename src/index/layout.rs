//! The byte layout of an index file: a checked header, then sections of plain arrays.
//!
//! A file is a fixed header followed by [`SECTIONS`] sections. The header holds a
//! magic number, the format number, the otpic version, and for every section its
//! offset, length and xxh3 checksum, and ends with a checksum of itself. Sections
//! are little-endian `u32`/`u64` arrays and string tables, read in place: nothing
//! is decoded up front, so opening an index costs a map (or a read) and a
//! checksum of the sections a command uses. Readers never index out of bounds: a
//! value that points outside its section reads as empty or zero, and the
//! checksums make that a matter of bugs, not of trust in the file.

use std::io::{self, Seek, SeekFrom, Write};

pub const MAGIC: &[u8; 8] = b"OTPICIDX";
/// Bumped whenever the layout or the meaning of a section changes.
pub const FORMAT: u32 = 2;
/// A `u32` that stands for "none" (an unresolved link, an entry without a summary).
pub const NONE: u32 = u32::MAX;

/// The sections, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sec {
    /// The key (the sources it describes), when it was built, counts.
    Meta,
    /// Directories walked: where, their identity and mtime, their subfolders and files.
    Dirs,
    /// Subfolder indices of each directory, in walk order.
    DirChildren,
    /// Entry files: folder, name, size, times, inode, and what reading them gave.
    Files,
    /// Folder paths and file names (a string table).
    Paths,
    /// Problems met while loading, in the order they are printed.
    Problems,
    /// One fixed record per entry, sorted by id.
    Entries,
    /// Ids, titles, kinds, tags and aliases (a string table).
    Strings,
    /// Tags of each entry: indices into `Strings`.
    Tags,
    /// Aliases of each entry: indices into `Strings`.
    Aliases,
    /// Summaries, one after the other (entry records say where each starts).
    Summaries,
    /// Links: (index into `LinkTexts`, target entry or [`NONE`], relation name
    /// in `Strings`).
    Links,
    /// The text of each link as written (a string table).
    LinkTexts,
    /// The links to each entry: (linking entry, link number).
    Backlinks,
    /// Every normalized name, sorted (a string table).
    NameKeys,
    /// The entries each name belongs to, strongest first.
    NameRefs,
    /// For each name: a mask of the characters in it and its length, to skip
    /// names that cannot be close to a misspelling.
    NameFuzz,
    /// Every word of the names, sorted (a string table).
    NameWords,
    /// For each word of `NameWords`, the names that hold it: the word count plus
    /// one offsets, then the names' positions in `NameKeys`, word after word.
    NameWordNames,
    /// Every word of the searchable text, sorted (a string table).
    Vocab,
    /// For each word: where its postings are and their length.
    Words,
    /// Postings: for each word, the entries and fields that hold it.
    Postings,
}

pub const SECTIONS: usize = 22;
pub const ALL: [Sec; SECTIONS] = [
    Sec::Meta,
    Sec::Dirs,
    Sec::DirChildren,
    Sec::Files,
    Sec::Paths,
    Sec::Problems,
    Sec::Entries,
    Sec::Strings,
    Sec::Tags,
    Sec::Aliases,
    Sec::Summaries,
    Sec::Links,
    Sec::LinkTexts,
    Sec::Backlinks,
    Sec::NameKeys,
    Sec::NameRefs,
    Sec::NameFuzz,
    Sec::NameWords,
    Sec::NameWordNames,
    Sec::Vocab,
    Sec::Words,
    Sec::Postings,
];

/// magic, format, section count, version (16 bytes), layout fingerprint, the
/// table, the header's checksum (as [`Header::encode`] writes them).
pub const HEADER_LEN: usize = 8 + 4 + 4 + 16 + 8 + SECTIONS * 24 + 8;

/// A fingerprint of the index code of this build (from `build.rs`).
fn layout_fingerprint() -> u64 {
    u64::from_str_radix(env!("OTPIC_INDEX_LAYOUT"), 16).unwrap_or(0)
}

pub fn checksum(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// The otpic version as stored in the header (a different version rebuilds).
pub fn version_bytes() -> [u8; 16] {
    let mut out = [0u8; 16];
    let v = env!("CARGO_PKG_VERSION").as_bytes();
    let n = v.len().min(16);
    out[..n].copy_from_slice(&v[..n]);
    out
}

/// Where each section is: offset from the start of the file, length, checksum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    pub offset: u64,
    pub len: u64,
    pub hash: u64,
}

/// A parsed header: the section table.
#[derive(Debug, Clone)]
pub struct Header {
    pub spans: [Span; SECTIONS],
}

impl Header {
    /// The header of a file with these sections, laid out field by field;
    /// [`Header::parse`] reads them back in the same order.
    fn encode(spans: &[Span; SECTIONS]) -> Vec<u8> {
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.extend_from_slice(MAGIC);
        put_u32(&mut header, FORMAT);
        put_u32(&mut header, SECTIONS as u32);
        header.extend_from_slice(&version_bytes());
        put_u64(&mut header, layout_fingerprint());
        for span in spans {
            put_u64(&mut header, span.offset);
            put_u64(&mut header, span.len);
            put_u64(&mut header, span.hash);
        }
        let sum = checksum(&header);
        put_u64(&mut header, sum);
        header
    }

    /// Reads a header, refusing anything that is not this format and version,
    /// whose checksum fails, or whose sections run past `file_len`.
    pub fn parse(bytes: &[u8], file_len: u64) -> Result<Header, &'static str> {
        if bytes.len() < HEADER_LEN {
            return Err("truncated header");
        }
        let end = HEADER_LEN - 8;
        let mut at = 0;
        let mut field = |len: usize| {
            let f = &bytes[at..at + len];
            at += len;
            f
        };
        if field(8) != MAGIC {
            return Err("not an otpic index");
        }
        if u32_at(field(4), 0) != FORMAT || u32_at(field(4), 0) as usize != SECTIONS {
            return Err("another index format");
        }
        if field(16) != version_bytes() || u64_at(field(8), 0) != layout_fingerprint() {
            return Err("written by another otpic version");
        }
        let mut spans = [Span::default(); SECTIONS];
        for span in spans.iter_mut() {
            *span = Span {
                offset: u64_at(field(8), 0),
                len: u64_at(field(8), 0),
                hash: u64_at(field(8), 0),
            };
        }
        if checksum(&bytes[..end]) != u64_at(field(8), 0) {
            return Err("header checksum mismatch");
        }
        for span in &spans {
            let past = span.offset.checked_add(span.len);
            if span.offset < HEADER_LEN as u64 || past.is_none_or(|p| p > file_len) {
                return Err("section outside the file (truncated?)");
            }
        }
        Ok(Header { spans })
    }
}

/// Writes sections one after the other, then the header in front of them.
pub struct Writer<W: Write + Seek> {
    out: W,
    pos: u64,
    spans: [Span; SECTIONS],
    done: [bool; SECTIONS],
}

impl<W: Write + Seek> Writer<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(&[0u8; HEADER_LEN])?;
        Ok(Writer {
            out,
            pos: HEADER_LEN as u64,
            spans: [Span::default(); SECTIONS],
            done: [false; SECTIONS],
        })
    }

    pub fn section(&mut self, sec: Sec, bytes: &[u8]) -> io::Result<()> {
        let mut s = self.stream(sec);
        s.write(bytes)?;
        s.finish();
        Ok(())
    }

    /// A section written in pieces (the postings, which are never all in memory).
    pub fn stream(&mut self, sec: Sec) -> SectionStream<'_, W> {
        SectionStream {
            start: self.pos,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            sec,
            writer: self,
        }
    }

    /// Writes the header and returns the output, positioned at its end.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(i) = self.done.iter().position(|d| !d) {
            return Err(io::Error::other(format!(
                "index section {:?} was not written",
                ALL[i]
            )));
        }
        let header = Header::encode(&self.spans);
        self.out.seek(SeekFrom::Start(0))?;
        self.out.write_all(&header)?;
        self.out.seek(SeekFrom::Start(self.pos))?;
        Ok(self.out)
    }
}

pub struct SectionStream<'a, W: Write + Seek> {
    writer: &'a mut Writer<W>,
    sec: Sec,
    start: u64,
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl<W: Write + Seek> SectionStream<'_, W> {
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.writer.out.write_all(bytes)?;
        self.hasher.update(bytes);
        self.writer.pos += bytes.len() as u64;
        Ok(())
    }

    /// Where the next byte goes, from the start of the section.
    pub fn position(&self) -> u64 {
        self.writer.pos - self.start
    }

    pub fn finish(self) {
        let i = self.sec as usize;
        self.writer.spans[i] = Span {
            offset: self.start,
            len: self.writer.pos - self.start,
            hash: self.hasher.digest(),
        };
        self.writer.done[i] = true;
    }
}

pub fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// The `u32` at byte `at`, or 0 past the end.
pub fn u32_at(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

/// The `u64` at byte `at`, or 0 past the end.
pub fn u64_at(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..at + 8)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// A view of a section of `u32`s.
#[derive(Debug, Clone, Copy, Default)]
pub struct U32s<'a>(pub &'a [u8]);

impl<'a> U32s<'a> {
    pub fn len(&self) -> usize {
        self.0.len() / 4
    }
    pub fn is_empty(&self) -> bool {
        self.0.len() < 4
    }
    pub fn get(&self, i: usize) -> u32 {
        u32_at(self.0, i * 4)
    }
    /// Elements `start..end`, clamped to the section.
    pub fn range(&self, start: usize, end: usize) -> U32s<'a> {
        let end = end.min(self.len());
        let start = start.min(end);
        U32s(&self.0[start * 4..end * 4])
    }
    pub fn iter(self) -> impl Iterator<Item = u32> + 'a {
        self.0
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
    }
}

/// A string table: `count`, `count + 1` offsets into the text, then the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Strs<'a> {
    offsets: U32s<'a>,
    text: &'a [u8],
}

impl<'a> Strs<'a> {
    pub fn new(bytes: &'a [u8]) -> Strs<'a> {
        let count = u32_at(bytes, 0) as usize;
        let table_end = (4 + (count + 1) * 4).min(bytes.len());
        Strs {
            offsets: U32s(&bytes[4.min(table_end)..table_end]),
            text: &bytes[table_end..],
        }
    }
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// String `i` as bytes; empty when `i` is out of range.
    pub fn bytes(&self, i: usize) -> &'a [u8] {
        if i >= self.len() {
            return &[];
        }
        let (start, end) = (
            self.offsets.get(i) as usize,
            self.offsets.get(i + 1) as usize,
        );
        self.text.get(start..end).unwrap_or(&[])
    }
    /// String `i`; empty when out of range or not UTF-8.
    pub fn get(&self, i: usize) -> &'a str {
        std::str::from_utf8(self.bytes(i)).unwrap_or("")
    }
    /// The strings `i` with `start <= i < end` for which `pred` is false come first:
    /// the first index in `start..end` where `pred` turns true (on a sorted table).
    pub fn partition_point(&self, pred: impl Fn(&[u8]) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(self.bytes(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }
}

/// Builds a string table.
#[derive(Debug)]
pub struct StrsBuilder {
    offsets: Vec<u32>,
    text: Vec<u8>,
}

impl Default for StrsBuilder {
    fn default() -> Self {
        StrsBuilder {
            offsets: vec![0],
            text: Vec::new(),
        }
    }
}

impl StrsBuilder {
    /// Adds a string and returns its index.
    pub fn push(&mut self, s: &str) -> u32 {
        self.push_bytes(s.as_bytes())
    }
    pub fn push_bytes(&mut self, s: &[u8]) -> u32 {
        self.text.extend_from_slice(s);
        // Over 4 GiB of text is far beyond any knowledge base; saturating keeps
        // the table well-formed (later strings read as empty) rather than panicking.
        self.offsets
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        (self.offsets.len() - 2) as u32
    }
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn get(&self, i: usize) -> &str {
        let (start, end) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        std::str::from_utf8(&self.text[start..end]).unwrap_or("")
    }
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + self.offsets.len() * 4 + self.text.len());
        put_u32(&mut out, self.len() as u32);
        for &o in &self.offsets {
            put_u32(&mut out, o);
        }
        out.extend_from_slice(&self.text);
        out
    }
}

/// `u32`s as section bytes.
pub fn u32_bytes(values: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * 4);
    for &v in values {
        put_u32(&mut out, v);
    }
    out
}

/// Appends `v` as a LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a LEB128 varint at `*at`, advancing it; `None` at a truncated or overlong one.
pub fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// The fingerprint must change whenever code that decides the index's
    /// contents changes: the tokenizer (`tokenize.rs`), name keys (`name.rs`),
    /// validation (`entry.rs`), reading (`source.rs`), and so on. Once it hashed
    /// only `src/index/`, and a changed tokenizer kept answering from old indexes.
    #[test]
    fn the_fingerprint_covers_every_source_file_and_the_lock_file() {
        let hashed: Vec<&str> = env!("OTPIC_INDEX_INPUTS").split(':').collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut found = Vec::new();
        let mut dirs = vec![root.join("src")];
        while let Some(dir) = dirs.pop() {
            let Ok(read) = std::fs::read_dir(&dir) else {
                panic!("cannot read {}", dir.display())
            };
            for item in read.flatten() {
                let path = item.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let rel = path.strip_prefix(root).unwrap_or(&path);
                    found.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        assert!(found.len() > 20, "{found:?}");
        for file in &found {
            assert!(
                hashed.contains(&file.as_str()),
                "{file} is not fingerprinted"
            );
        }
        for file in ["src/search.rs", "src/name.rs", "src/entry.rs", "Cargo.lock"] {
            assert!(hashed.contains(&file), "{file} is not fingerprinted");
        }
    }

    #[test]
    fn a_header_with_another_fingerprint_is_refused_even_with_a_good_checksum() {
        let mut w = match Writer::new(Cursor::new(Vec::new())) {
            Ok(w) => w,
            Err(e) => panic!("{e}"),
        };
        for sec in ALL {
            assert!(w.section(sec, b"x").is_ok());
        }
        let mut bytes = match w.finish() {
            Ok(c) => c.into_inner(),
            Err(e) => panic!("{e}"),
        };
        assert!(Header::parse(&bytes, bytes.len() as u64).is_ok());
        bytes[32..40].copy_from_slice(&(layout_fingerprint() ^ 1).to_le_bytes());
        let end = HEADER_LEN - 8;
        let sum = checksum(&bytes[..end]);
        bytes[end..HEADER_LEN].copy_from_slice(&sum.to_le_bytes());
        assert_eq!(
            Header::parse(&bytes, bytes.len() as u64).err(),
            Some("written by another otpic version")
        );
    }

    #[test]
    fn a_written_header_parses_back_with_its_sections() {
        let mut w = match Writer::new(Cursor::new(Vec::new())) {
            Ok(w) => w,
            Err(e) => panic!("{e}"),
        };
        for (i, sec) in ALL.iter().enumerate() {
            assert!(w.section(*sec, &[i as u8; 3]).is_ok());
        }
        let bytes = match w.finish() {
            Ok(c) => c.into_inner(),
            Err(e) => panic!("{e}"),
        };
        let header = Header::parse(&bytes, bytes.len() as u64);
        let Ok(header) = header else {
            panic!("{header:?}")
        };
        let last = header.spans[SECTIONS - 1];
        assert_eq!(last.len, 3);
        let at = last.offset as usize;
        assert_eq!(checksum(&bytes[at..at + 3]), last.hash);
    }

    #[test]
    fn a_damaged_or_short_header_is_refused() {
        let mut w = match Writer::new(Cursor::new(Vec::new())) {
            Ok(w) => w,
            Err(e) => panic!("{e}"),
        };
        for sec in ALL {
            assert!(w.section(sec, b"abc").is_ok());
        }
        let bytes = w.finish().map(Cursor::into_inner).unwrap_or_default();
        let len = bytes.len() as u64;
        assert!(Header::parse(&bytes, len).is_ok());
        assert!(Header::parse(&bytes, len - 1).is_err(), "truncated file");
        assert!(Header::parse(&bytes[..HEADER_LEN - 1], len).is_err());
        let mut flipped = bytes.clone();
        flipped[40] ^= 1;
        assert!(Header::parse(&flipped, len).is_err());
        let mut other = bytes;
        other[16] = b'9';
        assert_eq!(
            Header::parse(&other, len).err(),
            Some("written by another otpic version")
        );
    }

    #[test]
    fn string_tables_round_trip_and_read_empty_out_of_range() {
        let mut b = StrsBuilder::default();
        assert_eq!(b.push("alpha"), 0);
        assert_eq!(b.push(""), 1);
        assert_eq!(b.push("γ"), 2);
        let bytes = b.to_bytes();
        let s = Strs::new(&bytes);
        assert_eq!(
            (s.len(), s.get(0), s.get(1), s.get(2)),
            (3, "alpha", "", "γ")
        );
        assert_eq!(s.get(3), "");
        assert_eq!(Strs::new(&bytes[..5]).get(0), "");
    }

    #[test]
    fn varints_round_trip_and_stop_at_the_end() {
        let mut out = Vec::new();
        for v in [0, 127, 128, 300, u64::from(u32::MAX)] {
            put_varint(&mut out, v);
        }
        let mut at = 0;
        let back: Vec<u64> = std::iter::from_fn(|| varint(&out, &mut at)).collect();
        assert_eq!(back, [0, 127, 128, 300, u64::from(u32::MAX)]);
        assert_eq!(varint(&[0x80], &mut 0), None);
    }
}
