//! The index: what every command but `check` reads instead of parsing every entry.
//!
//! One file per set of knowledge bases, in the cache directory
//! (`$OTPIC_CACHE_DIR`, else the platform's cache directory + `otpic/`), named by
//! a hash of the sources (the directories as given and as canonical paths, the
//! embedded knowledge base's fingerprint). It holds the entries' ids, titles,
//! kinds, tags, aliases, summaries, resolved links and backlinks, the sorted
//! name table used by lookup, an inverted index for search, the problems met
//! while loading, and a manifest of every directory and file read.
//!
//! Every run checks the manifest against the directories ([`scan`]) and uses the
//! index only when nothing changed; otherwise it rebuilds it ([`build`]),
//! parsing only the files that changed, and replaces the file atomically. The
//! file is never trusted: a wrong magic number, format, version or key, a bad
//! checksum or a truncated file mean a rebuild. A cache that cannot be written
//! is not an error: the index is then built in memory for the one run.
//!
//! `show` and `search` parse the entry files they display, fresh from disk.

mod build;
mod checked;
pub mod embedded;
pub mod layout;
mod map;
mod records;
mod scan;

use crate::diagnostic::Diagnostic;
use crate::entry::{Entry, Relation};
use crate::error::{Error, Result};
use crate::kb::{NameKind, NameRef};
use crate::relation::Relations;
use crate::source::{self, Source};
use layout::{Header, NONE, Sec, Strs, U32s};
use records::{
    BacklinkRecord, DirRecord, EntryRecord, FileRecord, FuzzRecord, LinkRecord, WordRecord,
};

pub use records::postings;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// What reading a file gave, as stored in the manifest: the kind in the top two
/// bits, an index in the rest.
mod outcome {
    pub const ENTRY: u32 = 0;
    pub const PARSED: u32 = 1 << 30;
    pub const PROBLEM: u32 = 2 << 30;
    pub const UNKNOWN: u32 = 3 << 30;
    pub const KIND: u32 = 3 << 30;
}

/// How a link's text is stored when it repeats a name of its target (the top two
/// bits of its text field): the target's id, title, or alias number.
const LINK_ID: u32 = 1 << 30;
const LINK_TITLE: u32 = 2 << 30;
const LINK_ALIAS: u32 = 3 << 30;
const LINK_KIND: u32 = 3 << 30;

/// A file that is not a regular file.
const NOT_FILE: u32 = 4;

/// Parts of the index a command reads, beyond the entries themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The name table, for lookup by name, prefix or misspelling.
    Names,
    /// Links with their text and target.
    Links,
    /// Backlinks, with their relations.
    Backlinks,
    /// Summaries.
    Summaries,
    /// The search vocabulary and postings.
    Search,
}

impl Part {
    fn sections(self) -> &'static [Sec] {
        match self {
            Part::Names => &[Sec::NameKeys, Sec::NameRefs, Sec::NameFuzz],
            Part::Links => &[Sec::Links, Sec::LinkTexts],
            // A backlink names its link, whose relation is in `Links`.
            Part::Backlinks => &[Sec::Backlinks, Sec::Links],
            Part::Summaries => &[Sec::Summaries],
            Part::Search => &[Sec::Vocab, Sec::Words, Sec::Postings],
        }
    }
}

/// Sections every command reads.
const CORE: &[Sec] = &[
    Sec::Meta,
    Sec::Dirs,
    Sec::Files,
    Sec::Paths,
    Sec::Problems,
    Sec::Entries,
    Sec::Strings,
    Sec::Tags,
    Sec::Aliases,
];
/// Sections the walk compares with the directories.
const MANIFEST: &[Sec] = &[
    Sec::Meta,
    Sec::Dirs,
    Sec::DirChildren,
    Sec::Files,
    Sec::Paths,
    Sec::Problems,
];

/// A knowledge base as a whole: one or more sources, identified for the cache.
#[derive(Debug, Clone)]
struct Key {
    roots: Vec<Source>,
    /// Describes the sources exactly; stored in the index and compared on open.
    text: Vec<u8>,
}

impl Key {
    fn new(sources: &[Source]) -> Result<Key> {
        let mut text = format!("otpic index {}\n", env!("CARGO_PKG_VERSION")).into_bytes();
        for source in sources {
            match source {
                Source::Embedded => {
                    text.extend_from_slice(embedded::key_line(source::embedded_files()).as_bytes());
                }
                Source::Dir(dir) => {
                    source::check_dir(dir)?;
                    let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
                    text.extend_from_slice(b"dir ");
                    text.extend_from_slice(&scan::os_bytes(dir.as_os_str()));
                    text.push(0);
                    text.extend_from_slice(&scan::os_bytes(canonical.as_os_str()));
                    text.push(b'\n');
                }
            }
        }
        Ok(Key {
            roots: sources.to_vec(),
            text,
        })
    }

    fn file_name(&self) -> String {
        format!("{:016x}.idx", layout::checksum(&self.text))
    }
}

/// Where the index bytes are: a file in the cache (mapped, or read where it
/// cannot be mapped), memory when it could not be written, or the binary (the
/// built-in knowledge base's, see [`embedded`]).
#[derive(Debug)]
enum Backing {
    Mapped(map::Map),
    File(fs::File),
    Memory(Vec<u8>),
    Static(&'static [u8]),
}

impl Backing {
    /// A cache file, mapped when the system allows it. Only on Unix: Windows
    /// refuses to replace a file that is mapped, and a newer index is written
    /// over the old one by a rename, maybe while this one is still open.
    fn file(file: fs::File) -> Backing {
        if cfg!(unix)
            && let Ok(map) = map::Map::new(&file)
        {
            return Backing::Mapped(map);
        }
        Backing::File(file)
    }

    /// All the bytes, when they are in memory (mapped, built or built in).
    fn bytes(&self) -> Option<&[u8]> {
        match self {
            Backing::Mapped(map) => Some(map.bytes()),
            Backing::Memory(bytes) => Some(bytes),
            Backing::Static(bytes) => Some(bytes),
            Backing::File(_) => None,
        }
    }

    /// `len` bytes at `offset`: where they are for a backing in memory, else read.
    fn section(&self, offset: u64, len: usize) -> std::io::Result<Loaded> {
        match self.bytes() {
            Some(bytes) => {
                range(bytes, offset, len)?;
                Ok(Loaded::At(offset as usize, len))
            }
            None => self.read(offset, len).map(Loaded::Read),
        }
    }

    fn read(&self, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
        match self {
            Backing::File(file) => {
                let mut buf = vec![0u8; len];
                read_exact_at(file, &mut buf, offset)?;
                Ok(buf)
            }
            _ => range(self.bytes().unwrap_or(&[]), offset, len).map(<[u8]>::to_vec),
        }
    }

    fn len(&self) -> std::io::Result<u64> {
        match self {
            Backing::File(file) => Ok(file.metadata()?.len()),
            _ => Ok(self.bytes().map_or(0, <[u8]>::len) as u64),
        }
    }
}

/// A section that was loaded and checked: where it is in a backing in memory,
/// or the bytes read from a file.
#[derive(Debug)]
enum Loaded {
    At(usize, usize),
    Read(Vec<u8>),
}

/// `len` bytes at `offset` of an index in memory.
fn range(bytes: &[u8], offset: u64, len: usize) -> std::io::Result<&[u8]> {
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    bytes
        .get(start..start.saturating_add(len))
        .ok_or_else(|| std::io::Error::other("index read out of range"))
}

#[cfg(unix)]
fn read_exact_at(file: &fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, offset)
}

#[cfg(not(unix))]
fn read_exact_at(file: &fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = file;
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(buf)
}

/// Where an entry was read from.
enum Location<'a> {
    File(PathBuf),
    /// Its path in the built-in knowledge base.
    Embedded(&'a str),
}

/// A link as stored: its relation's name, its text as written, the entry it
/// resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link<'a> {
    pub relation: &'a str,
    pub text: &'a str,
    pub target: Option<usize>,
}

/// Why an index cannot be used; it is then rebuilt.
#[derive(Debug)]
pub struct Unusable(pub String);

impl From<&str> for Unusable {
    fn from(s: &str) -> Self {
        Unusable(s.to_owned())
    }
}

impl From<std::io::Error> for Unusable {
    fn from(e: std::io::Error) -> Self {
        Unusable(e.to_string())
    }
}

/// A problem as stored: where it came from, and the diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The source it belongs to.
    pub source: u32,
    /// True for problems of the walk (folders, symlinks), false for a file's own.
    pub walk: bool,
    pub diagnostic: Diagnostic,
}

/// An open index, with the sections a command asked for loaded and checked.
#[derive(Debug)]
pub struct Index {
    backing: Backing,
    header: Header,
    /// Sections read so far; once read, a section never moves, so walks and
    /// builds can borrow from some while others are read.
    data: Vec<OnceLock<Loaded>>,
    key: Key,
    problems: OnceLock<Vec<Problem>>,
    /// Entry texts of an index built by [`Index::from_texts`].
    texts: Vec<(String, String)>,
    /// The sources' relation types, read on first use (they are not indexed:
    /// a `.otpic.toml` is read fresh on every run, so an edit shows at once).
    relations: OnceLock<Relations>,
    /// The index file's identity, when it is a file (see [`checked`]).
    file: Option<checked::FileId>,
    /// Sections known to match their checksums already, which are not hashed.
    trusted: u32,
    /// Sections loaded so far, hashed or trusted (bit `1 << Sec`).
    checked: AtomicU32,
    /// The name table hashed, for a command that resolves very many names
    /// (see [`Index::hash_names`]).
    name_hashes: OnceLock<NameHashes>,
}

/// Where each name of the name table is, by the hash of its text: one look
/// for a name instead of a binary search's eighteen at 100,000 entries.
#[derive(Debug)]
struct NameHashes {
    /// A name's position in the table plus one, at its hash's slot or the
    /// first free one after it; 0 is free.
    slots: Box<[u32]>,
}

impl NameHashes {
    fn new(keys: &Strs<'_>) -> NameHashes {
        // At most half full, so that a look rarely goes past its slot.
        let len = (keys.len() * 2).max(16).next_power_of_two();
        let mut slots = vec![0u32; len].into_boxed_slice();
        for position in 0..keys.len() {
            let mut slot = Self::slot(keys.bytes(position), len);
            while slots[slot] != 0 {
                slot = (slot + 1) & (len - 1);
            }
            slots[slot] = u32::try_from(position + 1).unwrap_or(u32::MAX);
        }
        NameHashes { slots }
    }

    fn slot(name: &[u8], len: usize) -> usize {
        (xxhash_rust::xxh3::xxh3_64(name) as usize) & (len - 1)
    }

    /// The position of `name` in `keys` (the table it was made of).
    fn find(&self, keys: &Strs<'_>, name: &[u8]) -> Option<usize> {
        let len = self.slots.len();
        let mut slot = Self::slot(name, len);
        loop {
            let position = (self.slots[slot] as usize).checked_sub(1)?;
            if keys.bytes(position) == name {
                return Some(position);
            }
            slot = (slot + 1) & (len - 1);
        }
    }
}

impl Index {
    /// Opens the index of `sources`, checking it against the directories and
    /// rebuilding what changed; `cache` is where index files live (`None`: build
    /// in memory). `parts` are the parts the command will read.
    pub fn open(sources: &[Source], cache: Option<&Path>, parts: &[Part]) -> Result<Index> {
        Index::open_watched(sources, cache, parts, &crate::watch::Options::default())
    }

    /// [`Index::open`], asking the knowledge bases' change watchers first when
    /// `watch` says so: when every one is certain that nothing changed since the
    /// index was last checked, the walk is skipped; any doubt means the walk.
    pub fn open_watched(
        sources: &[Source],
        cache: Option<&Path>,
        parts: &[Part],
        watch: &crate::watch::Options,
    ) -> Result<Index> {
        // The built-in knowledge base alone: its index is in the binary.
        if let [Source::Embedded] = sources {
            return embedded::open(&sections_for(parts));
        }
        let key = Key::new(sources)?;
        let path = cache.map(|c| c.join(key.file_name()));
        let wanted = sections_for(parts);
        // Asked before the walk, so that any change after it is news next time.
        let watched = match cache {
            Some(cache) if watch.enabled => {
                let roots: Vec<PathBuf> = sources
                    .iter()
                    .filter_map(|s| match s {
                        Source::Dir(dir) => Some(dir.clone()),
                        Source::Embedded => None,
                    })
                    .collect();
                crate::watch::client::Session::begin(cache, &key.file_name(), &roots, watch)
            }
            _ => None,
        };
        // With the watcher, what earlier commands found intact in this same file.
        let record_path = match (&watched, cache) {
            (Some(_), Some(cache)) => {
                Some(crate::watch::watch_dir(cache).join(format!("{}.checked", key.file_name())))
            }
            _ => None,
        };
        let record = record_path.as_deref().and_then(checked::Checked::read);
        let old = path.as_deref().and_then(|p| {
            Index::read(p, &key, MANIFEST, record_path.is_some(), record.as_ref()).ok()
        });
        if let (Some(session), Some(o)) = (&watched, &old)
            && o.walk_is_stable()
            && session.unchanged(o.state_id())
            && o.load(&wanted).is_ok()
        {
            session.skipped();
            if o.trusted != 0 {
                session.tell("index file unchanged since checked; not hashed again");
            }
            if let Some(at) = &record_path {
                o.keep_checked(at, record.as_ref());
            }
            return old.ok_or_else(|| Error::Index("cannot open the index".into()));
        }
        let index = Index::open_checked(key, path, &wanted, old)?;
        if let Some(session) = &watched
            && matches!(index.backing, Backing::Mapped(_) | Backing::File(_))
        {
            session.remember(index.state_id());
        }
        if let Some(at) = &record_path {
            index.keep_checked(at, record.as_ref());
        }
        Ok(index)
    }

    /// The full check: walks the directories against the manifest of `old` and
    /// rebuilds what changed.
    fn open_checked(
        key: Key,
        path: Option<PathBuf>,
        wanted: &[Sec],
        mut old: Option<Index>,
    ) -> Result<Index> {
        let now = scan::now_ns();
        let built = match &old {
            Some(o) => {
                let scans = o.scan(now);
                if o.is_current(&scans) && o.load(wanted).is_ok() {
                    None
                } else {
                    let reuse = build::Reuse { old: o, scans };
                    Some(build::build(&key, Some(reuse), path.as_deref(), now))
                }
            }
            None => Some(build::build(&key, None, path.as_deref(), now)),
        };
        let index = match (built, old.take()) {
            (None, Some(o)) => return Ok(o),
            (Some(built), _) => built?,
            (None, None) => build::build(&key, None, None, now)?,
        };
        if index.load(wanted).is_ok() {
            return Ok(index);
        }
        // Written and read back wrong (a full disk, a concurrent writer): build
        // again, in memory this time.
        let index = build::build(&key, None, None, now)?;
        index
            .load(wanted)
            .map_err(|e| Error::Index(format!("cannot build the index: {}", e.0)))?;
        Ok(index)
    }

    /// [`Index::from_texts`] of owned texts, as tests make them.
    #[cfg(test)]
    pub fn from_owned_texts(texts: &[(String, String)]) -> Index {
        let texts: Vec<(&str, &str)> = texts
            .iter()
            .map(|(i, t)| (i.as_str(), t.as_str()))
            .collect();
        Index::from_texts(&texts)
    }

    /// Builds an index in memory from entry texts, as if they were the embedded
    /// knowledge base (`id`, TOML text): for tests of lookup and search.
    pub fn from_texts(texts: &[(&str, &str)]) -> Index {
        let mut files: Vec<(String, String)> = texts
            .iter()
            .map(|(id, text)| (format!("{id}.toml"), (*text).to_owned()))
            .collect();
        files.sort();
        let key = Key {
            roots: vec![Source::Embedded],
            text: b"test".to_vec(),
        };
        match build::build_texts(&key, &files) {
            Ok(index) => {
                if let Err(e) = index.load(&layout::ALL) {
                    panic!("test index: {}", e.0);
                }
                index
            }
            Err(e) => panic!("test index: {e}"),
        }
    }

    /// Opens an index file for `key`, checking the header, the key and `sections`.
    /// With `checks` (the commands run with the watcher, which keep a record of
    /// what was checked), sections that `record` says were checked in this very
    /// file are not hashed.
    fn read(
        path: &Path,
        key: &Key,
        sections: &[Sec],
        checks: bool,
        record: Option<&checked::Checked>,
    ) -> Result<Index, Unusable> {
        let file = fs::File::open(path)?;
        let id = if checks {
            checked::FileId::of(&file)
        } else {
            None
        };
        Index::from_file(Backing::file(file), id, key, sections, record)
    }

    fn from_backing(backing: Backing, key: &Key, sections: &[Sec]) -> Result<Index, Unusable> {
        Index::from_file(backing, None, key, sections, None)
    }

    /// [`Index::from_backing`], for the file `file`.
    fn from_file(
        backing: Backing,
        file: Option<checked::FileId>,
        key: &Key,
        sections: &[Sec],
        record: Option<&checked::Checked>,
    ) -> Result<Index, Unusable> {
        let len = backing.len()?;
        let head = backing.read(0, layout::HEADER_LEN.min(len as usize))?;
        let header = Header::parse(&head, len)?;
        let mut index = Index {
            backing,
            header,
            data: (0..layout::SECTIONS).map(|_| OnceLock::new()).collect(),
            key: key.clone(),
            problems: OnceLock::new(),
            texts: Vec::new(),
            relations: OnceLock::new(),
            file,
            trusted: 0,
            checked: AtomicU32::new(0),
            name_hashes: OnceLock::new(),
        };
        if let (Some(file), Some(record)) = (file, record) {
            index.trusted = record.trusted(file, index.state_id());
        }
        index.load(&[Sec::Meta])?;
        if records::meta_key(index.section(Sec::Meta)) != Some(key.text.as_slice()) {
            return Err("made for other knowledge bases".into());
        }
        index.load(sections)?;
        Ok(index)
    }

    /// Loads and checks sections not loaded yet.
    fn load(&self, sections: &[Sec]) -> Result<(), Unusable> {
        for &sec in sections {
            let i = sec as usize;
            if self.data[i].get().is_some() {
                continue;
            }
            let span = self.header.spans[i];
            let len = usize::try_from(span.len).map_err(|_| Unusable::from("section too large"))?;
            let loaded = self.backing.section(span.offset, len)?;
            let bytes = self.bytes_of(&loaded);
            if self.trusted & (1 << i) == 0 && layout::checksum(bytes) != span.hash {
                return Err(Unusable(format!("checksum mismatch in {sec:?}")));
            }
            if sec == Sec::Problems {
                let problems = records::decode_problems(bytes).ok_or("bad problem list")?;
                let _ = self.problems.set(problems);
            }
            let _ = self.data[i].set(loaded);
            self.checked.fetch_or(1 << i, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Keeps the record of the sections checked in this index's file (with what
    /// `record` held for the same file), for the next command; written only when
    /// it differs from `record`.
    fn keep_checked(&self, at: &Path, record: Option<&checked::Checked>) {
        let Some(file) = self.file else {
            return;
        };
        let state = self.state_id();
        let before = record.map_or(0, |r| r.trusted(file, state));
        let now = checked::Checked {
            file,
            state,
            sections: before | self.checked.load(Ordering::Relaxed),
        };
        if record != Some(&now) {
            let _ = now.write(at);
        }
    }

    fn section(&self, sec: Sec) -> &[u8] {
        self.data[sec as usize]
            .get()
            .map_or(&[], |loaded| self.bytes_of(loaded))
    }

    fn bytes_of<'a>(&'a self, loaded: &'a Loaded) -> &'a [u8] {
        match loaded {
            Loaded::At(start, len) => self
                .backing
                .bytes()
                .and_then(|b| b.get(*start..start.saturating_add(*len)))
                .unwrap_or(&[]),
            Loaded::Read(bytes) => bytes,
        }
    }

    fn u32s(&self, sec: Sec) -> U32s<'_> {
        U32s(self.section(sec))
    }

    fn strs(&self, sec: Sec) -> Strs<'_> {
        Strs::new(self.section(sec))
    }

    /// Walks every source directory against the manifest.
    fn scan(&self, now: i64) -> Vec<Option<scan::Scan<'_>>> {
        self.key
            .roots
            .iter()
            .enumerate()
            .map(|(s, source)| match source {
                Source::Dir(root) => Some(scan::scan(root, &self.old_manifest(s as u32), now)),
                Source::Embedded => None,
            })
            .collect()
    }

    /// Whether the walks found the directories as the manifest says, with the
    /// same problems.
    fn is_current(&self, scans: &[Option<scan::Scan<'_>>]) -> bool {
        let found: Vec<&Diagnostic> = scans.iter().flatten().flat_map(|s| &s.problems).collect();
        let stored: Vec<&Diagnostic> = self
            .problems
            .get()
            .map(|p| p.iter().filter(|p| p.walk).map(|p| &p.diagnostic).collect())
            .unwrap_or_default();
        scans.iter().flatten().all(scan::Scan::is_clean) && found == stored
    }

    /// Identifies this index's content: a digest of its section table, which holds
    /// every section's checksum.
    fn state_id(&self) -> u64 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for span in &self.header.spans {
            hasher.update(&span.offset.to_le_bytes());
            hasher.update(&span.len.to_le_bytes());
            hasher.update(&span.hash.to_le_bytes());
        }
        hasher.digest()
    }

    /// Whether what the walk found last time depends only on the directories'
    /// own contents: no symlink (its target can change unseen by a watcher of
    /// the tree) and no folder that could not be read.
    fn walk_is_stable(&self) -> bool {
        let dirs = self.section(Sec::Dirs);
        (0..DirRecord::count(dirs))
            .all(|d| DirRecord::decode(dirs, d).flags & scan::DIR_REREAD == 0)
            && self.stored_problems().iter().all(|p| !p.walk)
    }

    /// The manifest of source `source`, with indices local to it.
    fn old_manifest(&self, source: u32) -> scan::Old<'_> {
        let dirs = self.section(Sec::Dirs);
        let files = self.section(Sec::Files);
        let paths = self.strs(Sec::Paths);
        let children = self.u32s(Sec::DirChildren);
        let mine: Vec<(usize, DirRecord)> = (0..DirRecord::count(dirs))
            .map(|d| (d, DirRecord::decode(dirs, d)))
            .filter(|(_, d)| d.source == source)
            .collect();
        let Some(&(first, _)) = mine.first() else {
            return scan::Old::default();
        };
        // A source's files are together, each directory's files together within.
        let file_end = mine
            .iter()
            .map(|(_, d)| d.files_end as usize)
            .max()
            .unwrap_or(0)
            .min(FileRecord::count(files));
        let file_start = mine
            .iter()
            .map(|(_, d)| d.files_start as usize)
            .min()
            .unwrap_or(0)
            .min(file_end);
        let mut old = scan::Old::default();
        for f in file_start..file_end {
            let r = FileRecord::decode(files, f);
            old.files.push(scan::OldFile {
                name: paths.bytes(r.name as usize),
                stat: scan::Stat {
                    size: r.size,
                    mtime: r.mtime,
                    ctime: r.ctime,
                    ino: r.ino,
                    dev: r.dev,
                    is_file: r.flags & NOT_FILE == 0,
                },
                flags: r.flags,
            });
            old.file_ids.push(f);
        }
        for (_, d) in &mine {
            let (c0, c1) = (d.children_start as usize, d.children_end as usize);
            let (f0, f1) = (d.files_start as usize, d.files_end as usize);
            let local = |f: usize| f.clamp(file_start, file_end) - file_start;
            old.dirs.push(scan::OldDir {
                rel: paths.bytes(d.rel as usize),
                stat: scan::Stat {
                    size: 0,
                    dev: d.dev,
                    ino: d.ino,
                    mtime: d.mtime,
                    ctime: d.ctime,
                    is_file: false,
                },
                flags: d.flags,
                children: children
                    .range(c0, c1)
                    .iter()
                    .map(|c| (c as usize).saturating_sub(first))
                    .filter(|&c| c < mine.len())
                    .collect(),
                files: local(f0)..local(f1.max(f0)),
            });
        }
        old
    }

    /// The manifest's files of the embedded knowledge base: name → file.
    fn text_files(&self) -> rustc_hash::FxHashMap<&[u8], usize> {
        let files = self.section(Sec::Files);
        let paths = self.strs(Sec::Paths);
        (0..FileRecord::count(files))
            .map(|f| (f, FileRecord::decode(files, f)))
            .filter(|(_, r)| r.dir == NONE)
            .map(|(f, r)| (paths.bytes(r.name as usize), f))
            .collect()
    }

    /// What reading manifest file `f` gave last time.
    fn file_outcome(&self, f: usize) -> u32 {
        FileRecord::decode(self.section(Sec::Files), f).outcome
    }

    /// The relation types the knowledge bases declare, merged.
    pub fn relations(&self) -> &Relations {
        self.relations
            .get_or_init(|| Relations::load(&self.key.roots))
    }

    /// Problems met while loading, in the order `check` and the other commands print them.
    pub fn problems(&self) -> impl Iterator<Item = &Diagnostic> {
        self.problems
            .get()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|p| &p.diagnostic)
    }

    /// The problems as stored, with where they come from.
    fn stored_problems(&self) -> &[Problem] {
        self.problems.get().map_or(&[], Vec::as_slice)
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        EntryRecord::count(self.section(Sec::Entries)).saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entry `index`'s record.
    pub(super) fn record(&self, index: usize) -> EntryRecord {
        EntryRecord::decode(self.section(Sec::Entries), index)
    }

    /// Where entry `index`'s list (or text) that `field` locates starts and
    /// ends: from its own record to the next one.
    pub(super) fn range(&self, index: usize, field: fn(&EntryRecord) -> u32) -> (usize, usize) {
        let start = field(&self.record(index)) as usize;
        (start, (field(&self.record(index + 1)) as usize).max(start))
    }

    pub fn id(&self, index: usize) -> &str {
        self.strs(Sec::Strings).get(self.record(index).id as usize)
    }

    pub fn title(&self, index: usize) -> &str {
        self.strs(Sec::Strings)
            .get(self.record(index).title as usize)
    }

    /// [`Index::id`] and [`Index::title`] at once.
    pub fn id_and_title(&self, index: usize) -> (&str, &str) {
        let (strings, record) = (self.strs(Sec::Strings), self.record(index));
        (
            strings.get(record.id as usize),
            strings.get(record.title as usize),
        )
    }

    pub fn kind(&self, index: usize) -> &str {
        self.strs(Sec::Strings)
            .get(self.record(index).kind as usize)
    }

    /// The one-line summary (needs [`Part::Summaries`]).
    pub fn summary(&self, index: usize) -> Option<&str> {
        let (start, end) = self.range(index, |r| r.summary);
        let text = self.section(Sec::Summaries).get(start..end)?;
        std::str::from_utf8(text).ok().filter(|s| !s.is_empty())
    }

    pub fn tags(&self, index: usize) -> impl Iterator<Item = &str> {
        let (start, end) = self.range(index, |r| r.tags);
        let strings = self.strs(Sec::Strings);
        self.u32s(Sec::Tags)
            .range(start, end)
            .iter()
            .map(move |s| strings.get(s as usize))
    }

    pub fn aliases(&self, index: usize) -> impl Iterator<Item = &str> {
        let (start, end) = self.range(index, |r| r.aliases);
        let strings = self.strs(Sec::Strings);
        self.u32s(Sec::Aliases)
            .range(start, end)
            .iter()
            .map(move |s| strings.get(s as usize))
    }

    /// Entry `index`'s links of one relation, as written and with the entry each
    /// resolves to (needs [`Part::Links`]).
    pub fn links(&self, index: usize, relation: Relation) -> Vec<(&str, Option<usize>)> {
        let name = match relation {
            Relation::Approach => crate::entry::RELATED_APPROACHES,
            Relation::Problem => crate::entry::RELATED_PROBLEMS,
            Relation::ReferencedBy => return Vec::new(),
        };
        self.typed_links(index)
            .filter(|l| l.relation == name)
            .map(|l| (l.text, l.target))
            .collect()
    }

    /// Entry `index`'s links of every relation, in the order of
    /// [`Entry::typed_links`] (needs [`Part::Links`]).
    pub fn typed_links(&self, index: usize) -> impl Iterator<Item = Link<'_>> {
        let (start, end) = self.range(index, |r| r.links);
        (start..end).map(|l| self.link(l))
    }

    /// Entry `index`'s resolved links as (target, link number), in link order,
    /// without their texts or relations (needs [`Part::Links`]).
    pub fn link_targets(&self, index: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let (start, end) = self.range(index, |r| r.links);
        let links = self.section(Sec::Links);
        (start..end).filter_map(move |l| {
            let target = LinkRecord::decode(links, l).target;
            (target != NONE).then_some((target as usize, l))
        })
    }

    /// The links to entry `index` as (linking entry, link number), without
    /// their relations (needs [`Part::Backlinks`]).
    pub fn backlink_sources(&self, index: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let (start, end) = self.range(index, |r| r.backlinks);
        let backlinks = self.section(Sec::Backlinks);
        (start..end).map(move |i| {
            let b = BacklinkRecord::decode(backlinks, i);
            (b.from as usize, b.link as usize)
        })
    }

    /// Link `l` of all the index's links.
    fn link(&self, l: usize) -> Link<'_> {
        let target = LinkRecord::decode(self.section(Sec::Links), l).target;
        Link {
            relation: self.link_relation(l),
            text: self.link_text(l),
            target: (target != NONE).then_some(target as usize),
        }
    }

    /// The relation name of link `l` (of all the index's links).
    pub(crate) fn link_relation(&self, l: usize) -> &str {
        let relation = LinkRecord::decode(self.section(Sec::Links), l).relation;
        self.strs(Sec::Strings).get(relation as usize)
    }

    /// The text of link `l` (of all the index's links) as written.
    pub(super) fn link_text(&self, l: usize) -> &str {
        let LinkRecord { text, target, .. } = LinkRecord::decode(self.section(Sec::Links), l);
        let target = target as usize;
        let value = (text & !LINK_KIND) as usize;
        match text & LINK_KIND {
            LINK_ID => self.id(target),
            LINK_TITLE => self.title(target),
            LINK_ALIAS => self.aliases(target).nth(value).unwrap_or(""),
            _ => self.strs(Sec::LinkTexts).get(value),
        }
    }

    /// The entries that link to entry `index`, sorted by id, each once (needs
    /// [`Part::Backlinks`]).
    pub fn backlinks(&self, index: usize) -> Vec<usize> {
        let mut out: Vec<usize> = self.backlink_sources(index).map(|(b, _)| b).collect();
        out.dedup();
        out
    }

    /// The links to entry `index`: (linking entry, relation), sorted by the linking
    /// entry's id, once per linking entry and relation (needs [`Part::Backlinks`]
    /// and [`Part::Links`]; without the latter, relations read as "").
    pub fn typed_backlinks(&self, index: usize) -> impl Iterator<Item = (usize, &str)> {
        self.backlink_sources(index)
            .map(|(b, l)| (b, self.link_relation(l)))
    }

    /// The entry with this exact id.
    pub fn by_id(&self, id: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.id(mid).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The entry a link names (id, title or alias, compared normalized), if any
    /// (needs [`Part::Names`]).
    pub fn resolve(&self, link: &str) -> Option<usize> {
        let position = self.name_position(&crate::name::normalize(link))?;
        self.refs_at(position).next().map(|r| r.index)
    }

    /// Makes every later look-up of a name one look in a hash table rather than
    /// a binary search (needs [`Part::Names`]): worth its cost (5 ms and 2 MB
    /// at 100,000 entries) only to a command that resolves most names, as
    /// `check` does.
    pub fn hash_names(&self) {
        self.name_hashes
            .get_or_init(|| NameHashes::new(&self.strs(Sec::NameKeys)));
    }

    /// The name table's position of a normalized name.
    fn name_position(&self, normalized: &str) -> Option<usize> {
        let keys = self.strs(Sec::NameKeys);
        if let Some(hashes) = self.name_hashes.get() {
            return hashes.find(&keys, normalized.as_bytes());
        }
        let at = keys.partition_point(|k| k >= normalized.as_bytes());
        (keys.bytes(at) == normalized.as_bytes() && at < keys.len()).then_some(at)
    }

    fn name_refs(&self, position: usize) -> Vec<NameRef> {
        self.refs_at(position).collect()
    }

    /// The entries the name at `position` belongs to, strongest first.
    fn refs_at(&self, position: usize) -> impl Iterator<Item = NameRef> + '_ {
        records::name_refs(self.u32s(Sec::NameRefs), position)
            .iter()
            .map(|r| NameRef {
                index: (r >> 2) as usize,
                kind: match r & 3 {
                    0 => NameKind::Id,
                    1 => NameKind::Title,
                    _ => NameKind::Alias,
                },
            })
    }

    /// The entries a normalized name belongs to, strongest first (needs [`Part::Names`]).
    pub fn named(&self, normalized: &str) -> Vec<NameRef> {
        self.name_position(normalized)
            .map(|p| self.name_refs(p))
            .unwrap_or_default()
    }

    /// Where entry `index` was read from: its file, or its path in the
    /// built-in knowledge base (or among the texts of [`Index::from_texts`]).
    fn location(&self, index: usize) -> Result<Location<'_>> {
        let f = self.record(index).file as usize;
        let file = FileRecord::decode(self.section(Sec::Files), f);
        let paths = self.strs(Sec::Paths);
        let name = paths.bytes(file.name as usize);
        if file.dir == NONE {
            return Ok(Location::Embedded(std::str::from_utf8(name).unwrap_or("")));
        }
        let dir = DirRecord::decode(self.section(Sec::Dirs), file.dir as usize);
        let rel = paths.bytes(dir.rel as usize);
        let Some(Source::Dir(root)) = self.key.roots.get(dir.source as usize) else {
            return Err(Error::Index(
                "the index names an unknown knowledge base".into(),
            ));
        };
        let mut path: PathBuf = root.clone();
        if !rel.is_empty() {
            path.push(scan::os_path(rel));
        }
        path.push(scan::os_path(name));
        Ok(Location::File(path))
    }

    /// The file entry `index` was read from; `None` for a built-in entry.
    pub fn path(&self, index: usize) -> Option<PathBuf> {
        match self.location(index) {
            Ok(Location::File(path)) => Some(path),
            _ => None,
        }
    }

    /// How the file entry `index` was read from is named in messages.
    pub fn file_display(&self, index: usize) -> String {
        match self.location(index) {
            Ok(Location::File(path)) => path.display().to_string(),
            Ok(Location::Embedded(rel)) => source::embedded_display(rel),
            Err(_) => String::new(),
        }
    }

    /// The text of the file entry `index` was read from, and its name for messages.
    fn file_text(&self, index: usize) -> Result<(String, String)> {
        let path = match self.location(index)? {
            Location::File(path) => path,
            Location::Embedded(rel) => {
                let text = if self.texts.is_empty() {
                    source::embedded_files()
                        .binary_search_by(|(r, _)| r.cmp(&rel))
                        .ok()
                        .map_or("", |i| source::embedded_files()[i].1)
                } else {
                    self.texts
                        .binary_search_by(|(r, _)| r.as_str().cmp(rel))
                        .ok()
                        .map_or("", |i| self.texts[i].1.as_str())
                };
                return Ok((source::embedded_display(rel), text.to_owned()));
            }
        };
        let file = source::read_entry_file(&path);
        match file.text {
            Ok(text) => Ok((file.display, text)),
            Err(d) => Err(Error::Index(d.to_string())),
        }
    }

    /// Entry `index` in full, parsed fresh from its file (for `show` and snippets).
    pub fn entry(&self, index: usize) -> Result<Entry> {
        self.parse_entry(index)
            .map_err(|d| Error::Index(d.to_string()))
    }

    /// Entry `index` parsed fresh from its file, or the problem with the file now
    /// (it changed since the index was checked), as loading would report it.
    pub fn parse_entry(&self, index: usize) -> Result<Entry, Diagnostic> {
        let (display, text) = match self.location(index) {
            Ok(Location::File(path)) => {
                let file = source::read_entry_file(&path);
                (file.display, file.text?)
            }
            _ => self
                .file_text(index)
                .map_err(|e| Diagnostic::error("", None, e.to_string()))?,
        };
        Entry::parse(self.id(index), &display, &text)
    }

    /// The search vocabulary (needs [`Part::Search`]).
    pub fn vocab(&self) -> Strs<'_> {
        self.strs(Sec::Vocab)
    }

    /// Where vocabulary word `word`'s postings are in the postings section.
    pub(super) fn posting_span(&self, word: usize) -> (u64, usize) {
        let w = WordRecord::decode(self.section(Sec::Words), word);
        (w.offset, w.len as usize)
    }

    /// The postings of vocabulary word `word` (needs [`Part::Search`]); decode
    /// them with [`postings`].
    pub fn postings(&self, word: usize) -> &[u8] {
        let (offset, len) = self.posting_span(word);
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        self.section(Sec::Postings)
            .get(start..start.saturating_add(len))
            .unwrap_or(&[])
    }

    /// Every name starting with `prefix` (normalized), with its entries.
    pub fn with_prefix(&self, prefix: &str) -> Vec<(&str, NameRef)> {
        let keys = self.strs(Sec::NameKeys);
        let start = keys.partition_point(|k| k >= prefix.as_bytes());
        let mut out = Vec::new();
        for p in start..keys.len() {
            let name = keys.get(p);
            if !name.starts_with(prefix) {
                break;
            }
            out.extend(self.name_refs(p).into_iter().map(|r| (name, r)));
        }
        out
    }

    /// The names that may be similar enough to `key` to be suggested: those the
    /// query's [`crate::fuzzy::Probe`] does not rule out, in table order.
    ///
    /// The query's words are compared with the distinct words of the names
    /// (`NameWords`), and only the names holding a word that may match are
    /// looked at; a name typed without its spaces is found by its length and
    /// characters (`NameFuzz`). Where those sections cannot be read, every name
    /// is tried instead: the answer is the same.
    pub fn near(&self, key: &str) -> Vec<(&str, NameRef)> {
        let keys = self.strs(Sec::NameKeys);
        let probe = crate::fuzzy::Probe::new(key);
        let positions = self
            .near_by_words(&probe, keys.len())
            .unwrap_or_else(|| self.near_by_names(&probe, keys.len()));
        let mut out = Vec::new();
        for p in positions {
            let name = keys.get(p);
            out.extend(self.refs_at(p).map(|r| (name, r)));
        }
        out
    }

    /// [`Index::near`] through the words of the names; `None` when their
    /// sections are unusable or the query has too many words.
    fn near_by_words(&self, probe: &crate::fuzzy::Probe, names: usize) -> Option<Vec<usize>> {
        // A bit per query word in 16 (more is beyond any real query's words).
        if probe.words() > 16 {
            return None;
        }
        self.load(&[Sec::NameWords, Sec::NameWordNames]).ok()?;
        let words = self.strs(Sec::NameWords);
        let lists = self.u32s(Sec::NameWordNames);
        let base = words.len() + 1;
        if lists.len() < base {
            return None;
        }
        // For each name, the query words that found one of its words.
        let mut found = vec![0u16; names];
        for w in 0..words.len() {
            let bits = probe.words_matching(words.get(w)) as u16;
            if bits == 0 {
                continue;
            }
            let (start, end) = (lists.get(w) as usize, lists.get(w + 1) as usize);
            for p in lists.range(base + start, base + end).iter() {
                *found.get_mut(p as usize)? |= bits;
            }
        }
        // Then the names that may be the query typed without its spaces.
        let fuzz = self.section(Sec::NameFuzz);
        let records = fuzz.chunks_exact(FuzzRecord::BYTES);
        if records.len() < names {
            return None;
        }
        Some(
            records
                .zip(found)
                .enumerate()
                .filter(|&(_, (record, found))| {
                    probe.enough(u64::from(found)) || {
                        let f = FuzzRecord::decode(record, 0);
                        probe.may_be_joined(f.mask, f.chars as usize)
                    }
                })
                .map(|(p, _)| p)
                .collect(),
        )
    }

    /// [`Index::near`] by trying every name (on two threads past 20,000).
    fn near_by_names(&self, probe: &crate::fuzzy::Probe, len: usize) -> Vec<usize> {
        let keys = self.strs(Sec::NameKeys);
        let fuzz = self.section(Sec::NameFuzz);
        let near = |range: std::ops::Range<usize>| -> Vec<usize> {
            range
                .filter(|&p| {
                    probe.may_reach(FuzzRecord::decode(fuzz, p).mask)
                        && probe.may_match(keys.bytes(p))
                })
                .collect()
        };
        if len <= 20_000 {
            return near(0..len);
        }
        std::thread::scope(|s| {
            let second = s.spawn(|| near(len / 2..len));
            let mut out = near(0..len / 2);
            out.extend(second.join().unwrap_or_else(|_| near(len / 2..len)));
            out
        })
    }
}

/// The sections a command reading `parts` needs.
fn sections_for(parts: &[Part]) -> Vec<Sec> {
    let mut out = CORE.to_vec();
    for part in parts {
        out.extend_from_slice(part.sections());
    }
    out
}

#[cfg(test)]
mod tests;
