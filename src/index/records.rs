//! Every record the index file holds, each described once: its fields in file
//! order, from which both the writer (`encode`) and the reader (`decode`) work.
//!
//! Fixed-size records are declared with [`record!`]: a struct whose fields are
//! little-endian integers laid out one after the other, in declaration order,
//! with no padding. A reader decodes record `i` of a section; past the end of
//! the section, fields read as zero (the section checksums make that a bug,
//! never a matter of trust in the file). Variable-size data (the meta section,
//! problems, name references, postings) has its encoder and decoder side by side.

use super::Problem;
use super::layout::{U32s, put_u32, put_varint, u32_at, varint};
use crate::diagnostic::Diagnostic;

/// Declares a fixed-size record: the struct, its size, `encode` and `decode`.
macro_rules! record {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident: $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl $name {
            /// Bytes per record.
            pub const BYTES: usize = 0 $(+ std::mem::size_of::<$ty>())*;

            /// Appends the record.
            pub fn encode(&self, out: &mut Vec<u8>) {
                $(out.extend_from_slice(&self.$field.to_le_bytes());)*
            }

            /// Record `i` of `section`; zeros past its end.
            pub fn decode(section: &[u8], i: usize) -> Self {
                let start = i.saturating_mul(Self::BYTES);
                match section
                    .get(start..start.saturating_add(Self::BYTES))
                    .and_then(|b| <&[u8; Self::BYTES]>::try_from(b).ok())
                {
                    // A whole record, as always in a sound section: its fields
                    // at fixed offsets, which need no bounds check each.
                    Some(record) => Self::from_bytes(record, 0),
                    None => Self::from_bytes(section, start),
                }
            }

            #[inline(always)]
            fn from_bytes(bytes: &[u8], mut at: usize) -> Self {
                $(let $field = <$ty>::from_le_bytes(take(bytes, &mut at));)*
                let _ = at;
                $name { $($field,)* }
            }

            /// How many records `section` holds.
            #[allow(dead_code)] // not every record is counted
            pub fn count(section: &[u8]) -> usize {
                section.len() / Self::BYTES
            }

            /// Records as section bytes.
            #[allow(dead_code)] // some records are written one by one
            pub fn encode_all(records: &[Self]) -> Vec<u8> {
                let mut out = Vec::with_capacity(records.len() * Self::BYTES);
                for r in records {
                    r.encode(&mut out);
                }
                out
            }
        }
    };
}

/// The `N` bytes at `*at`, advancing it; zeros past the end.
fn take<const N: usize>(bytes: &[u8], at: &mut usize) -> [u8; N] {
    let out = bytes
        .get(*at..at.saturating_add(N))
        .and_then(|b| b.try_into().ok())
        .unwrap_or([0; N]);
    *at = at.saturating_add(N);
    out
}

record! {
    /// One entry (section `Entries`, sorted by id). Each list field says where
    /// the entry's list starts in its section; it ends where the next record's
    /// starts (a last, sentinel record holds the ends).
    EntryRecord {
        /// Its id, in `Strings`.
        id: u32,
        /// Its title, in `Strings`.
        title: u32,
        /// Its kind, in `Strings`.
        kind: u32,
        /// Where its summary starts in `Summaries` (bytes).
        summary: u32,
        /// Where its tags start in `Tags`.
        tags: u32,
        /// Where its aliases start in `Aliases`.
        aliases: u32,
        /// Where its links start in `Links`.
        links: u32,
        /// How many of its links are `related_approaches` (the first ones).
        approaches: u32,
        /// Where its backlinks start in `Backlinks`.
        backlinks: u32,
        /// The manifest file it was read from.
        file: u32,
    }
}

record! {
    /// A link (section `Links`).
    LinkRecord {
        /// Its text: an index in `LinkTexts`, or a name of the target (the top
        /// two bits say which: [`super::LINK_ID`] and the like).
        text: u32,
        /// The entry it resolves to, or [`super::layout::NONE`].
        target: u32,
        /// Its relation's name, in `Strings`.
        relation: u32,
    }
}

record! {
    /// A link to an entry (section `Backlinks`).
    BacklinkRecord {
        /// The linking entry.
        from: u32,
        /// Its link, in `Links`.
        link: u32,
    }
}

record! {
    /// A directory walked (section `Dirs`).
    DirRecord {
        /// The source it belongs to.
        source: u32,
        /// Its path below the source's root, in `Paths`.
        rel: u32,
        /// [`super::scan::DIR_REREAD`], [`super::scan::RACY`].
        flags: u32,
        /// Its subfolders: `children_start..children_end` of `DirChildren`.
        children_start: u32,
        children_end: u32,
        /// Its files: `files_start..files_end` of `Files`.
        files_start: u32,
        files_end: u32,
        reserved: u32,
        dev: u64,
        ino: u64,
        mtime: i64,
        ctime: i64,
    }
}

record! {
    /// An entry file read (section `Files`).
    FileRecord {
        /// Its directory in `Dirs`, or [`super::layout::NONE`] for a built-in file.
        dir: u32,
        /// Its name (its path, for a built-in file), in `Paths`.
        name: u32,
        /// [`super::scan::RACY`], [`super::NOT_FILE`].
        flags: u32,
        /// What reading it gave (see `outcome` in the parent module).
        outcome: u32,
        size: u64,
        mtime: i64,
        ctime: i64,
        ino: u64,
        dev: u64,
    }
}

record! {
    /// Where a vocabulary word's postings are (section `Words`).
    WordRecord {
        /// Offset in `Postings`.
        offset: u64,
        /// Length in bytes.
        len: u32,
    }
}

record! {
    /// What a misspelling must share with a name to be near it (section `NameFuzz`).
    FuzzRecord {
        /// The characters of the name's words, and how many there are
        /// ([`crate::fuzzy::plain`]).
        mask: u64,
        chars: u32,
    }
}

/// The meta section: when the index was built, and its key.
pub fn encode_meta(built: i64, key: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(12 + key.len());
    out.extend_from_slice(&built.to_le_bytes());
    put_u32(&mut out, key.len() as u32);
    out.extend_from_slice(key);
    out
}

/// The key in a meta section, if whole.
pub fn meta_key(meta: &[u8]) -> Option<&[u8]> {
    let mut at = 8;
    let len = u32::from_le_bytes(take(meta, &mut at)) as usize;
    meta.get(at..at.checked_add(len)?)
}

/// The name references (section `NameRefs`): the count of names, where each
/// name's entries start (count + 1 of them), then the entries, each as
/// `entry << 2 | kind`.
pub fn encode_name_refs(starts: &[u32], refs: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 * (1 + starts.len() + refs.len()));
    put_u32(&mut out, starts.len().saturating_sub(1) as u32);
    for v in starts.iter().chain(refs) {
        put_u32(&mut out, *v);
    }
    out
}

/// The entries of name `position`, as [`encode_name_refs`] laid them out.
pub fn name_refs(section: U32s<'_>, position: usize) -> U32s<'_> {
    let count = section.get(0) as usize;
    let (start, end) = (
        section.get(1 + position) as usize,
        section.get(2 + position) as usize,
    );
    section.range(2 + count + start, 2 + count + end.max(start))
}

/// One posting: the entry (as the difference from the previous one), the field,
/// and the count; the count shares the field's byte when below 31.
pub fn put_posting(out: &mut Vec<u8>, delta: u32, field: u8, count: u32) {
    put_varint(out, u64::from(delta));
    let small = count.min(31) as u8;
    out.push((field & 7) | (small << 3));
    if small == 31 {
        put_varint(out, u64::from(count - 31));
    }
}

/// Decodes postings written by [`put_posting`]: (entry, field, count) in entry order.
pub fn postings(bytes: &[u8]) -> impl Iterator<Item = (u32, u8, u32)> + '_ {
    let mut at = 0;
    let mut entry = 0u32;
    std::iter::from_fn(move || {
        let delta = varint(bytes, &mut at)?;
        let packed = *bytes.get(at)?;
        at += 1;
        let mut count = u32::from(packed >> 3);
        if count == 31 {
            count = count.saturating_add(u32::try_from(varint(bytes, &mut at)?).ok()?);
        }
        entry = entry.saturating_add(u32::try_from(delta).ok()?);
        Some((entry, packed & 7, count))
    })
}

/// The problems section: the count, then each problem: error (1 byte), walk
/// (1 byte), source, line, column (0: none), file and message (length + UTF-8).
pub fn encode_problems(problems: &[Problem]) -> Vec<u8> {
    let mut out = Vec::new();
    put_u32(&mut out, problems.len() as u32);
    for p in problems {
        let d = &p.diagnostic;
        out.push(u8::from(d.is_error()));
        out.push(u8::from(p.walk));
        put_u32(&mut out, p.source);
        put_u32(&mut out, d.line.map_or(0, |l| l as u32));
        put_u32(&mut out, d.column.map_or(0, |c| c as u32));
        for s in [&d.file, &d.message] {
            put_u32(&mut out, s.len() as u32);
            out.extend_from_slice(s.as_bytes());
        }
    }
    out
}

/// Reads what [`encode_problems`] wrote; `None` when it is not whole.
pub fn decode_problems(bytes: &[u8]) -> Option<Vec<Problem>> {
    let count = u32_at(bytes, 0) as usize;
    let mut at = 4;
    let mut out = Vec::with_capacity(count.min(bytes.len() / 22));
    for _ in 0..count {
        let error = *bytes.get(at)? == 1;
        let walk = *bytes.get(at + 1)? == 1;
        at += 2;
        let source = u32::from_le_bytes(take(bytes, &mut at));
        let line = u32::from_le_bytes(take(bytes, &mut at));
        let column = u32::from_le_bytes(take(bytes, &mut at));
        let mut text = || -> Option<String> {
            let len = u32::from_le_bytes(take(bytes, &mut at)) as usize;
            let s = std::str::from_utf8(bytes.get(at..at.checked_add(len)?)?).ok()?;
            at += len;
            Some(s.to_owned())
        };
        let file = text()?;
        let message = text()?;
        let mut diagnostic = if error {
            Diagnostic::error(file, None, message)
        } else {
            Diagnostic::warning(file, None, message)
        };
        diagnostic.line = (line > 0).then_some(line as usize);
        diagnostic.column = (column > 0).then_some(column as usize);
        out.push(Problem {
            source,
            walk,
            diagnostic,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_sizes_are_those_of_their_fields() {
        assert_eq!(EntryRecord::BYTES, 40);
        assert_eq!(LinkRecord::BYTES, 12);
        assert_eq!(BacklinkRecord::BYTES, 8);
        assert_eq!(DirRecord::BYTES, 64);
        assert_eq!(FileRecord::BYTES, 56);
        assert_eq!(WordRecord::BYTES, 12);
        assert_eq!(FuzzRecord::BYTES, 12);
        let mut out = Vec::new();
        FileRecord::default().encode(&mut out);
        assert_eq!(out.len(), FileRecord::BYTES);
    }

    #[test]
    fn records_round_trip_in_order_and_read_zero_past_the_end() {
        let files = [
            FileRecord {
                dir: 1,
                name: 2,
                flags: 3,
                outcome: 4,
                size: 5,
                mtime: -6,
                ctime: 7,
                ino: 8,
                dev: u64::MAX,
            },
            FileRecord {
                dir: 9,
                ..FileRecord::default()
            },
        ];
        let bytes = FileRecord::encode_all(&files);
        assert_eq!(FileRecord::count(&bytes), 2);
        assert_eq!(FileRecord::decode(&bytes, 0), files[0]);
        assert_eq!(FileRecord::decode(&bytes, 1), files[1]);
        assert_eq!(FileRecord::decode(&bytes, 2), FileRecord::default());
        // Fields are little-endian, one after the other: the name at byte 4.
        assert_eq!(u32_at(&bytes, 4), 2);
        assert_eq!(
            FileRecord::decode(&bytes[..FileRecord::BYTES - 1], 0).dev,
            0
        );
        let word = WordRecord {
            offset: (7 << 32) | 5,
            len: 3,
        };
        let mut out = Vec::new();
        word.encode(&mut out);
        assert_eq!(U32s(&out).iter().collect::<Vec<_>>(), [5, 7, 3]);
    }

    #[test]
    fn meta_problems_name_refs_and_postings_round_trip() {
        let meta = encode_meta(42, b"the key");
        assert_eq!(meta_key(&meta), Some(&b"the key"[..]));
        assert_eq!(meta_key(&meta[..meta.len() - 1]), None);

        let mut with_place = Diagnostic::warning("b.toml", None, "w");
        with_place.line = Some(3);
        with_place.column = Some(9);
        let problems = vec![
            Problem {
                source: 2,
                walk: true,
                diagnostic: Diagnostic::error("a.toml", None, "é"),
            },
            Problem {
                source: 0,
                walk: false,
                diagnostic: with_place,
            },
        ];
        let bytes = encode_problems(&problems);
        assert_eq!(decode_problems(&bytes), Some(problems));
        assert_eq!(decode_problems(&bytes[..bytes.len() - 1]), None);

        let refs = encode_name_refs(&[0, 2, 3], &[10, 11, 12]);
        let refs = U32s(&refs);
        assert_eq!(name_refs(refs, 0).iter().collect::<Vec<_>>(), [10, 11]);
        assert_eq!(name_refs(refs, 1).iter().collect::<Vec<_>>(), [12]);
        assert!(name_refs(refs, 2).is_empty());

        let mut list = Vec::new();
        put_posting(&mut list, 3, 1, 2);
        put_posting(&mut list, 0, 2, 40);
        put_posting(&mut list, 200, 6, 31);
        assert_eq!(
            postings(&list).collect::<Vec<_>>(),
            [(3, 1, 2), (3, 2, 40), (203, 6, 31)]
        );
    }
}
