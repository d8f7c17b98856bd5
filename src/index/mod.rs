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
pub mod layout;
mod scan;

use crate::diagnostic::{Diagnostic, Severity};
use crate::entry::{Entry, Relation};
use crate::error::{Error, Result};
use crate::kb::{NameKind, NameRef};
use crate::relation::Relations;
use crate::source::{self, Source};
use layout::{Header, NONE, Sec, Strs, U32s, u32_at, u64_at};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Fields of an entry record, each a `u32`.
mod rec {
    pub const ID: usize = 0;
    pub const TITLE: usize = 1;
    pub const KIND: usize = 2;
    pub const SUMMARY: usize = 3;
    pub const TAGS: usize = 4;
    pub const ALIASES: usize = 5;
    pub const LINKS: usize = 6;
    pub const APPROACHES: usize = 7;
    pub const BACKLINKS: usize = 8;
    pub const FILE: usize = 9;
    pub const LEN: usize = 10;
}

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

/// A file record: four `u32` then five `u64`.
const FILE_BYTES: usize = 56;
/// A directory record: eight `u32` then four `u64`.
const DIR_BYTES: usize = 64;
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
                    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
                    for (rel, body) in source::embedded_files() {
                        hasher.update(rel.as_bytes());
                        hasher.update(&[0]);
                        hasher.update(body.as_bytes());
                        hasher.update(&[0]);
                    }
                    text.extend_from_slice(
                        format!("embedded {:016x}\n", hasher.digest()).as_bytes(),
                    );
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

/// Where the index bytes are: a file in the cache, or memory when it could not be written.
#[derive(Debug)]
enum Backing {
    File(fs::File),
    Memory(Vec<u8>),
}

impl Backing {
    fn read(&self, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
        match self {
            Backing::File(file) => {
                let mut buf = vec![0u8; len];
                read_exact_at(file, &mut buf, offset)?;
                Ok(buf)
            }
            Backing::Memory(bytes) => {
                let start = usize::try_from(offset).unwrap_or(usize::MAX);
                bytes
                    .get(start..start.saturating_add(len))
                    .map(<[u8]>::to_vec)
                    .ok_or_else(|| std::io::Error::other("index read out of range"))
            }
        }
    }

    fn len(&self) -> std::io::Result<u64> {
        match self {
            Backing::File(file) => Ok(file.metadata()?.len()),
            Backing::Memory(bytes) => Ok(bytes.len() as u64),
        }
    }
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
    data: Vec<OnceLock<Vec<u8>>>,
    key: Key,
    problems: OnceLock<Vec<Problem>>,
    /// Entry texts of an index built by [`Index::from_texts`].
    texts: Vec<(String, String)>,
    /// The sources' relation types, read on first use (they are not indexed:
    /// a `.otpic.toml` is read fresh on every run, so an edit shows at once).
    relations: OnceLock<Relations>,
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
        let old = path
            .as_deref()
            .and_then(|p| Index::read(p, &key, MANIFEST).ok());
        if let (Some(session), Some(o)) = (&watched, &old)
            && o.walk_is_stable()
            && session.unchanged(o.state_id())
            && o.load(&wanted).is_ok()
        {
            session.skipped();
            return old.ok_or_else(|| Error::Index("cannot open the index".into()));
        }
        let index = Index::open_checked(key, path, &wanted, old)?;
        if let Some(session) = &watched
            && matches!(index.backing, Backing::File(_))
        {
            session.remember(index.state_id());
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
    fn read(path: &Path, key: &Key, sections: &[Sec]) -> Result<Index, Unusable> {
        let file = fs::File::open(path)?;
        Index::from_backing(Backing::File(file), key, sections)
    }

    fn from_backing(backing: Backing, key: &Key, sections: &[Sec]) -> Result<Index, Unusable> {
        let len = backing.len()?;
        let head = backing.read(0, layout::HEADER_LEN.min(len as usize))?;
        let header = Header::parse(&head, len)?;
        let index = Index {
            backing,
            header,
            data: (0..layout::SECTIONS).map(|_| OnceLock::new()).collect(),
            key: key.clone(),
            problems: OnceLock::new(),
            texts: Vec::new(),
            relations: OnceLock::new(),
        };
        index.load(&[Sec::Meta])?;
        let meta = index.section(Sec::Meta);
        let key_len = u32_at(meta, 8) as usize;
        if meta.get(12..12 + key_len) != Some(key.text.as_slice()) {
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
            let bytes = self.backing.read(span.offset, len)?;
            if layout::checksum(&bytes) != span.hash {
                return Err(Unusable(format!("checksum mismatch in {sec:?}")));
            }
            if sec == Sec::Problems {
                let problems = decode_problems(&bytes).ok_or("bad problem list")?;
                let _ = self.problems.set(problems);
            }
            let _ = self.data[i].set(bytes);
        }
        Ok(())
    }

    fn section(&self, sec: Sec) -> &[u8] {
        self.data[sec as usize].get().map_or(&[], Vec::as_slice)
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
        (0..dirs.len() / DIR_BYTES).all(|d| u32_at(dirs, d * DIR_BYTES + 8) & scan::DIR_REREAD == 0)
            && self.stored_problems().iter().all(|p| !p.walk)
    }

    /// The manifest of source `source`, with indices local to it.
    fn old_manifest(&self, source: u32) -> scan::Old<'_> {
        let dirs = self.section(Sec::Dirs);
        let files = self.section(Sec::Files);
        let paths = self.strs(Sec::Paths);
        let children = self.u32s(Sec::DirChildren);
        let dir_count = dirs.len() / DIR_BYTES;
        let mine: Vec<usize> = (0..dir_count)
            .filter(|&d| u32_at(dirs, d * DIR_BYTES) == source)
            .collect();
        let Some(&first) = mine.first() else {
            return scan::Old::default();
        };
        // A source's files are together, each directory's files together within.
        let file_end = mine
            .iter()
            .map(|&d| u32_at(dirs, d * DIR_BYTES + 24) as usize)
            .max()
            .unwrap_or(0)
            .min(files.len() / FILE_BYTES);
        let file_start = mine
            .iter()
            .map(|&d| u32_at(dirs, d * DIR_BYTES + 20) as usize)
            .min()
            .unwrap_or(0)
            .min(file_end);
        let mut old = scan::Old::default();
        for f in file_start..file_end {
            old.files.push(scan::OldFile {
                name: paths.bytes(u32_at(files, f * FILE_BYTES + 4) as usize),
                stat: file_stat(files, f),
                flags: u32_at(files, f * FILE_BYTES + 8),
            });
            old.file_ids.push(f);
        }
        for &d in &mine {
            let at = d * DIR_BYTES;
            let (c0, c1) = (
                u32_at(dirs, at + 12) as usize,
                u32_at(dirs, at + 16) as usize,
            );
            let (f0, f1) = (
                u32_at(dirs, at + 20) as usize,
                u32_at(dirs, at + 24) as usize,
            );
            let local = |f: usize| f.clamp(file_start, file_end) - file_start;
            old.dirs.push(scan::OldDir {
                rel: paths.bytes(u32_at(dirs, at + 4) as usize),
                stat: scan::Stat {
                    size: 0,
                    dev: u64_at(dirs, at + 32),
                    ino: u64_at(dirs, at + 40),
                    mtime: u64_at(dirs, at + 48) as i64,
                    ctime: u64_at(dirs, at + 56) as i64,
                    is_file: false,
                },
                flags: u32_at(dirs, at + 8),
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
        (0..files.len() / FILE_BYTES)
            .filter(|&f| u32_at(files, f * FILE_BYTES) == NONE)
            .map(|f| (paths.bytes(u32_at(files, f * FILE_BYTES + 4) as usize), f))
            .collect()
    }

    /// What reading manifest file `f` gave last time.
    fn file_outcome(&self, f: usize) -> u32 {
        u32_at(self.section(Sec::Files), f * FILE_BYTES + 12)
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
        (self.section(Sec::Entries).len() / (rec::LEN * 4)).saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Field `field` of entry `index`'s record.
    pub(super) fn field(&self, index: usize, field: usize) -> u32 {
        self.u32s(Sec::Entries).get(index * rec::LEN + field)
    }

    /// Where entry `index`'s list (or text) named by `field` starts and ends.
    pub(super) fn range(&self, index: usize, field: usize) -> (usize, usize) {
        let start = self.field(index, field) as usize;
        (start, (self.field(index + 1, field) as usize).max(start))
    }

    pub fn id(&self, index: usize) -> &str {
        self.strs(Sec::Strings)
            .get(self.field(index, rec::ID) as usize)
    }

    pub fn title(&self, index: usize) -> &str {
        self.strs(Sec::Strings)
            .get(self.field(index, rec::TITLE) as usize)
    }

    pub fn kind(&self, index: usize) -> &str {
        self.strs(Sec::Strings)
            .get(self.field(index, rec::KIND) as usize)
    }

    /// The one-line summary (needs [`Part::Summaries`]).
    pub fn summary(&self, index: usize) -> Option<&str> {
        let (start, end) = self.range(index, rec::SUMMARY);
        let text = self.section(Sec::Summaries).get(start..end)?;
        std::str::from_utf8(text).ok().filter(|s| !s.is_empty())
    }

    pub fn tags(&self, index: usize) -> impl Iterator<Item = &str> {
        let (start, end) = self.range(index, rec::TAGS);
        let strings = self.strs(Sec::Strings);
        self.u32s(Sec::Tags)
            .range(start, end)
            .iter()
            .map(move |s| strings.get(s as usize))
    }

    pub fn aliases(&self, index: usize) -> impl Iterator<Item = &str> {
        let (start, end) = self.range(index, rec::ALIASES);
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
        let (start, end) = self.range(index, rec::LINKS);
        (start..end).map(|l| self.link(l))
    }

    /// Link `l` of all the index's links.
    fn link(&self, l: usize) -> Link<'_> {
        let target = self.u32s(Sec::Links).get(l * 3 + 1);
        Link {
            relation: self.link_relation(l),
            text: self.link_text(l),
            target: (target != NONE).then_some(target as usize),
        }
    }

    /// The relation name of link `l` (of all the index's links).
    pub(super) fn link_relation(&self, l: usize) -> &str {
        let relation = self.u32s(Sec::Links).get(l * 3 + 2);
        self.strs(Sec::Strings).get(relation as usize)
    }

    /// The text of link `l` (of all the index's links) as written.
    pub(super) fn link_text(&self, l: usize) -> &str {
        let links = self.u32s(Sec::Links);
        let (text, target) = (links.get(l * 3), links.get(l * 3 + 1) as usize);
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
        let mut out: Vec<usize> = self.typed_backlinks(index).map(|(b, _)| b).collect();
        out.dedup();
        out
    }

    /// The links to entry `index`: (linking entry, relation), sorted by the linking
    /// entry's id, once per linking entry and relation (needs [`Part::Backlinks`]
    /// and [`Part::Links`]; without the latter, relations read as "").
    pub fn typed_backlinks(&self, index: usize) -> impl Iterator<Item = (usize, &str)> {
        let (start, end) = self.range(index, rec::BACKLINKS);
        let pairs = self.u32s(Sec::Backlinks).range(start * 2, end * 2);
        (0..pairs.len() / 2).map(move |i| {
            let (from, l) = (pairs.get(i * 2) as usize, pairs.get(i * 2 + 1) as usize);
            (from, self.link_relation(l))
        })
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
        self.named(&crate::name::normalize(link))
            .first()
            .map(|r| r.index)
    }

    /// The name table's position of a normalized name.
    fn name_position(&self, normalized: &str) -> Option<usize> {
        let keys = self.strs(Sec::NameKeys);
        let at = keys.partition_point(|k| k >= normalized.as_bytes());
        (keys.bytes(at) == normalized.as_bytes() && at < keys.len()).then_some(at)
    }

    fn name_refs(&self, position: usize) -> Vec<NameRef> {
        let mut out = Vec::new();
        self.each_ref(position, |r| out.push(r));
        out
    }

    /// Calls `f` with each entry the name at `position` belongs to, strongest first.
    fn each_ref(&self, position: usize, mut f: impl FnMut(NameRef)) {
        let refs = self.u32s(Sec::NameRefs);
        let count = refs.get(0) as usize;
        let (start, end) = (
            refs.get(1 + position) as usize,
            refs.get(2 + position) as usize,
        );
        for r in refs
            .range(2 + count + start, 2 + count + end.max(start))
            .iter()
        {
            f(NameRef {
                index: (r >> 2) as usize,
                kind: match r & 3 {
                    0 => NameKind::Id,
                    1 => NameKind::Title,
                    _ => NameKind::Alias,
                },
            });
        }
    }

    /// The entries a normalized name belongs to, strongest first (needs [`Part::Names`]).
    pub fn named(&self, normalized: &str) -> Vec<NameRef> {
        self.name_position(normalized)
            .map(|p| self.name_refs(p))
            .unwrap_or_default()
    }

    /// The text of the file entry `index` was read from, and its name for messages.
    fn file_text(&self, index: usize) -> Result<(String, String)> {
        let f = self.field(index, rec::FILE) as usize;
        let files = self.section(Sec::Files);
        let paths = self.strs(Sec::Paths);
        let name = paths.bytes(u32_at(files, f * FILE_BYTES + 4) as usize);
        let dir = u32_at(files, f * FILE_BYTES);
        if dir == NONE {
            let rel = std::str::from_utf8(name).unwrap_or("");
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
        let dirs = self.section(Sec::Dirs);
        let at = dir as usize * DIR_BYTES;
        let source = u32_at(dirs, at) as usize;
        let rel = paths.bytes(u32_at(dirs, at + 4) as usize);
        let Some(Source::Dir(root)) = self.key.roots.get(source) else {
            return Err(Error::Index(
                "the index names an unknown knowledge base".into(),
            ));
        };
        let mut path: PathBuf = root.clone();
        if !rel.is_empty() {
            path.push(scan::os_path(rel));
        }
        path.push(scan::os_path(name));
        let file = source::read_entry_file(&path);
        match file.text {
            Ok(text) => Ok((file.display, text)),
            Err(d) => Err(Error::Index(d.to_string())),
        }
    }

    /// Entry `index` in full, parsed fresh from its file (for `show` and snippets).
    pub fn entry(&self, index: usize) -> Result<Entry> {
        let (display, text) = self.file_text(index)?;
        Entry::parse(self.id(index), &display, &text).map_err(|d| Error::Index(d.to_string()))
    }

    /// The search vocabulary (needs [`Part::Search`]).
    pub fn vocab(&self) -> Strs<'_> {
        self.strs(Sec::Vocab)
    }

    /// Where vocabulary word `word`'s postings are in the postings section.
    pub(super) fn posting_span(&self, word: usize) -> (u64, usize) {
        let words = self.u32s(Sec::Words);
        let offset = u64::from(words.get(word * 3)) | (u64::from(words.get(word * 3 + 1)) << 32);
        (offset, words.get(word * 3 + 2) as usize)
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

    /// The names that may be similar enough to `key` to be suggested.
    pub fn near(&self, key: &str) -> Vec<(&str, NameRef)> {
        let keys = self.strs(Sec::NameKeys);
        let fuzz = self.u32s(Sec::NameFuzz);
        let probe = crate::fuzzy::Probe::new(key);
        let mut out = Vec::new();
        for p in 0..keys.len() {
            let mask = u64::from(fuzz.get(p * 3)) | (u64::from(fuzz.get(p * 3 + 1)) << 32);
            if !probe.may_reach(mask, fuzz.get(p * 3 + 2) as usize) {
                continue;
            }
            let name = keys.get(p);
            self.each_ref(p, |r| out.push((name, r)));
        }
        out
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

/// Decodes postings: (entry, field, count) in entry order.
pub fn postings(bytes: &[u8]) -> impl Iterator<Item = (u32, u8, u32)> + '_ {
    let mut at = 0;
    let mut entry = 0u32;
    std::iter::from_fn(move || {
        let delta = layout::varint(bytes, &mut at)?;
        let packed = *bytes.get(at)?;
        at += 1;
        let mut count = u32::from(packed >> 3);
        if count == 31 {
            count = count.saturating_add(u32::try_from(layout::varint(bytes, &mut at)?).ok()?);
        }
        entry = entry.saturating_add(u32::try_from(delta).ok()?);
        Some((entry, packed & 7, count))
    })
}

fn file_stat(files: &[u8], f: usize) -> scan::Stat {
    let at = f * FILE_BYTES;
    scan::Stat {
        size: u64_at(files, at + 16),
        mtime: u64_at(files, at + 24) as i64,
        ctime: u64_at(files, at + 32) as i64,
        ino: u64_at(files, at + 40),
        dev: u64_at(files, at + 48),
        is_file: u32_at(files, at + 8) & NOT_FILE == 0,
    }
}

fn encode_problems(problems: &[Problem]) -> Vec<u8> {
    let mut out = Vec::new();
    layout::put_u32(&mut out, problems.len() as u32);
    for p in problems {
        let d = &p.diagnostic;
        out.push(u8::from(d.is_error()));
        out.push(u8::from(p.walk));
        layout::put_u32(&mut out, p.source);
        layout::put_u32(&mut out, d.line.map_or(0, |l| l as u32));
        layout::put_u32(&mut out, d.column.map_or(0, |c| c as u32));
        for s in [&d.file, &d.message] {
            layout::put_u32(&mut out, s.len() as u32);
            out.extend_from_slice(s.as_bytes());
        }
    }
    out
}

fn decode_problems(bytes: &[u8]) -> Option<Vec<Problem>> {
    let count = u32_at(bytes, 0) as usize;
    let mut at = 4;
    let mut out = Vec::with_capacity(count.min(bytes.len() / 22));
    for _ in 0..count {
        let error = *bytes.get(at)? == 1;
        let walk = *bytes.get(at + 1)? == 1;
        let source = u32_at(bytes, at + 2);
        let line = u32_at(bytes, at + 6);
        let column = u32_at(bytes, at + 10);
        at += 14;
        let mut text = || -> Option<String> {
            let len = u32_at(bytes, at) as usize;
            let s = std::str::from_utf8(bytes.get(at + 4..at + 4 + len)?).ok()?;
            at += 4 + len;
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
        debug_assert!(
            diagnostic.severity
                == if error {
                    Severity::Error
                } else {
                    Severity::Warning
                }
        );
        out.push(Problem {
            source,
            walk,
            diagnostic,
        });
    }
    Some(out)
}
