//! Which sections of an index file were already checked against their checksums,
//! kept beside the change watcher's token: the same file, unchanged since, is not
//! hashed again.
//!
//! An unchanged file is judged as entry files are: by device, inode, size, and
//! modification and change times to the nanosecond. Any write to the file moves
//! its change time, which no program can set back, and a newer index is a new
//! file (a new inode). What this gives up is noticing bytes that rot on the disk
//! under an unchanged file, the trade git makes with `index.skipHash` for large
//! repositories. Only commands run with the watcher keep and read the record.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// An index file as the file system identifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    dev: u64,
    ino: u64,
    size: u64,
    /// Modification and change times, in nanoseconds since the epoch.
    mtime: i128,
    ctime: i128,
}

impl FileId {
    /// The identity of an open file; `None` where the system gives no inode and
    /// change time (then nothing is trusted).
    pub fn of(file: &fs::File) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let meta = file.metadata().ok()?;
            Some(FileId {
                dev: meta.dev(),
                ino: meta.ino(),
                size: meta.len(),
                mtime: ns(meta.mtime(), meta.mtime_nsec()),
                ctime: ns(meta.ctime(), meta.ctime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = file;
            None
        }
    }
}

/// A time as seconds and nanoseconds since the epoch, in nanoseconds.
#[cfg_attr(not(unix), allow(dead_code))]
fn ns(seconds: i64, nanoseconds: i64) -> i128 {
    i128::from(seconds) * 1_000_000_000 + i128::from(nanoseconds)
}

/// One index file, with its section table's digest (its state), and the
/// sections (bit `1 << Sec`) whose checksums matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    pub file: FileId,
    pub state: u64,
    pub sections: u32,
}

const HEAD: &str = "otpic-index-checked 1";

impl Checked {
    /// The sections that need no hashing in the file `file` whose state is
    /// `state`: those of this record if it is of that very file, else none.
    pub fn trusted(&self, file: FileId, state: u64) -> u32 {
        if self.file == file && self.state == state {
            self.sections
        } else {
            0
        }
    }

    /// The record at `path`; `None` when missing or not in this version's format.
    pub fn read(path: &Path) -> Option<Checked> {
        let text = fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        if lines.next()? != format!("{HEAD} {}", env!("CARGO_PKG_VERSION")) {
            return None;
        }
        let mut fields = lines.next()?.strip_prefix("file ")?.split(' ');
        let mut next = || fields.next()?.parse::<i128>().ok();
        let (dev, ino, size) = (next()?, next()?, next()?);
        let (mtime, ctime) = (next()?, next()?);
        if fields.next().is_some() {
            return None;
        }
        let state = u64::from_str_radix(lines.next()?.strip_prefix("state ")?, 16).ok()?;
        let sections = u32::from_str_radix(lines.next()?.strip_prefix("sections ")?, 16).ok()?;
        if lines.next().is_some() {
            return None;
        }
        Some(Checked {
            file: FileId {
                dev: u64::try_from(dev).ok()?,
                ino: u64::try_from(ino).ok()?,
                size: u64::try_from(size).ok()?,
                mtime,
                ctime,
            },
            state,
            sections,
        })
    }

    /// Writes the record to `path` whole (a temporary file renamed into place),
    /// readable by the user alone.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let f = &self.file;
        let text = format!(
            "{HEAD} {}\nfile {} {} {} {} {}\nstate {:x}\nsections {:x}\n",
            env!("CARGO_PKG_VERSION"),
            f.dev,
            f.ino,
            f.size,
            f.mtime,
            f.ctime,
            self.state,
            self.sections
        );
        let mut tmp = tempfile::NamedTempFile::new_in(path.parent().unwrap_or(Path::new(".")))?;
        tmp.write_all(text.as_bytes())?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Checked {
        Checked {
            file: FileId {
                dev: 2049,
                ino: 77,
                size: 4096,
                mtime: 1_700_000_000_123_456_789,
                ctime: 1_700_000_001_000_000_001,
            },
            state: 0xfeed_beef,
            sections: 0b1010_0001,
        }
    }

    #[test]
    fn a_record_is_read_back_as_written_and_nothing_else_is_taken_for_one() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("x.checked");
        sample().write(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Checked::read(&path), Some(sample()));
        let text = fs::read_to_string(&path).unwrap_or_default();
        for broken in [
            text.replace(env!("CARGO_PKG_VERSION"), "0.0.0-other"),
            text.replace("file 2049 ", "file x "),
            text.replace("sections a1\n", "sections a1\nmore\n"),
            text.replace("\nsections a1", ""),
            text.replace(" 77 ", " 77 1 "),
            String::new(),
        ] {
            fs::write(&path, &broken).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(Checked::read(&path), None, "{broken}");
        }
        assert_eq!(Checked::read(&dir.path().join("missing")), None);
    }

    #[test]
    fn only_the_same_file_in_the_same_state_is_trusted() {
        let r = sample();
        assert_eq!(r.trusted(r.file, r.state), r.sections);
        assert_eq!(r.trusted(r.file, r.state ^ 1), 0);
        let differ: [fn(&mut FileId); 5] = [
            |f| f.dev += 1,
            |f| f.ino += 1,
            |f| f.size -= 1,
            |f| f.mtime += 1,
            |f| f.ctime += 1,
        ];
        for change in differ {
            let mut other = r.file;
            change(&mut other);
            assert_eq!(r.trusted(other, r.state), 0, "{other:?}");
        }
    }

    #[test]
    fn times_are_told_apart_to_the_nanosecond_on_either_side_of_a_second() {
        assert_eq!(ns(1_700_000_000, 5), 1_700_000_000_000_000_005);
        assert_eq!(ns(-1, 999_999_999), -1);
        // Whole seconds (file systems that keep no more), and a nanosecond
        // either side of one.
        let t = 1_700_000_000;
        let times = [(t, 0), (t + 1, 0), (t - 1, 0), (t, 1), (t - 1, 999_999_999)];
        for (i, a) in times.iter().enumerate() {
            for b in &times[i + 1..] {
                assert_ne!(ns(a.0, a.1), ns(b.0, b.1), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn a_file_written_again_is_another_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("i.idx");
        fs::write(&path, b"0123456789").unwrap_or_else(|e| panic!("{e}"));
        let open = || fs::File::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let before = FileId::of(&open());
        assert!(before.is_some());
        assert_eq!(FileId::of(&open()), before);
        // The same bytes, with the modification time put back: the change time moved.
        let mtime = open().metadata().and_then(|m| m.modified());
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&path, b"0123456789").unwrap_or_else(|e| panic!("{e}"));
        if let Ok(mtime) = mtime {
            let f = fs::OpenOptions::new().write(true).open(&path);
            f.and_then(|f| f.set_modified(mtime))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_ne!(FileId::of(&open()), before);
    }

    /// Through the index: the sections a record vouches for in this very file
    /// are not hashed (a byte changed under an unchanged identity, as a disk
    /// could, goes unseen), the others are; and the record kept after a command
    /// names exactly the sections loaded, with those it vouched for.
    #[test]
    fn an_index_trusts_exactly_the_sections_a_record_of_its_file_names() {
        use super::super::{Index, Key, layout::Sec};
        use crate::source::Source;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (path, at) = (dir.path().join("i.idx"), dir.path().join("i.checked"));
        let key = Key::new(&[Source::Embedded]).unwrap_or_else(|e| panic!("{e}"));
        let bit = |secs: &[Sec]| secs.iter().fold(0u32, |m, &s| m | 1 << s as u32);
        let read = |record: Option<&Checked>, secs: &[Sec]| {
            Index::read(&path, &key, secs, true, record).map_err(|e| e.0)
        };
        // The built-in index, a byte of its `Strings` changed.
        let mut bytes = crate::built_in::INDEX.to_vec();
        let clean = Index::from_backing(
            super::super::Backing::Memory(bytes.clone()),
            &key,
            &[Sec::Strings],
        )
        .unwrap_or_else(|e| panic!("{}", e.0));
        let span = clean.header.spans[Sec::Strings as usize];
        bytes[span.offset as usize + span.len as usize / 2] ^= 0x20;
        fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let file = FileId::of(&fs::File::open(&path).unwrap_or_else(|e| panic!("{e}")));
        let file = file.unwrap_or_else(|| panic!("no identity"));
        let state = clean.state_id();
        // Without a record, or with one of another file or of other sections, the
        // damage is found.
        let strings = [Sec::Meta, Sec::Strings];
        assert!(read(None, &strings).is_err());
        let mut other = file;
        other.ctime += 1;
        for record in [
            Checked {
                file: other,
                state,
                sections: !0,
            },
            Checked {
                file,
                state: state ^ 1,
                sections: !0,
            },
            Checked {
                file,
                state,
                sections: !bit(&[Sec::Strings]),
            },
        ] {
            assert!(read(Some(&record), &strings).is_err(), "{record:?}");
        }
        // A record of this file vouching for `Strings`: not hashed, not seen.
        let vouched = Checked {
            file,
            state,
            sections: bit(&strings),
        };
        let index = read(Some(&vouched), &strings).unwrap_or_else(|e| panic!("{e}"));
        // Kept: what it vouched for and what was loaded since, no more.
        index
            .load(&[Sec::Tags])
            .unwrap_or_else(|e| panic!("{}", e.0));
        index.keep_checked(&at, Some(&vouched));
        let kept = Checked::read(&at).unwrap_or_else(|| panic!("no record kept"));
        assert_eq!((kept.file, kept.state), (file, state));
        assert_eq!(kept.sections, bit(&[Sec::Meta, Sec::Strings, Sec::Tags]));
        // Loaded again through the kept record, the same record is kept.
        let again = read(Some(&kept), &strings).unwrap_or_else(|e| panic!("{e}"));
        again.keep_checked(&at, Some(&kept));
        assert_eq!(Checked::read(&at), Some(kept));
        // Without a record, a clean file's sections are kept as loaded.
        fs::write(&path, crate::built_in::INDEX).unwrap_or_else(|e| panic!("{e}"));
        let fresh = read(None, &[Sec::Aliases]).unwrap_or_else(|e| panic!("{e}"));
        fresh.keep_checked(&at, None);
        let kept = Checked::read(&at).unwrap_or_else(|| panic!("no record kept"));
        assert_eq!(kept.sections, bit(&[Sec::Meta, Sec::Aliases]));
    }
}
