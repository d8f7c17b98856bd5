//! The one walk of a knowledge base directory, used by loading, the index and
//! `check` alike: which names are entry files (`*.toml`, except hidden files,
//! editor backups and swap files: [`is_ignored`]), how symlinks are followed
//! ([`classify`]: a broken one named like an entry is reported, one that loops
//! too), that no directory is entered twice (a symlink loop ends with a
//! warning), and the order: names sorted within each directory.
//!
//! The walk records every directory (identity, times, flags) and every entry
//! file found, without reading or `stat`ing the files. Given what a previous
//! walk recorded ([`Old`]), a directory whose identity and times are unchanged
//! is not read again: its names are replayed from the record (the index's
//! incremental check, in [`crate::index`]); loading walks with no record.
//!
//! Timestamps have a granularity (a few milliseconds on Linux, 2 s on FAT), so
//! a file or directory modified within [`RACY_NS`] of the walk is marked racy:
//! its record is not trusted next time and it is read again, as git does for
//! its index.

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::error::describe;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

/// How close to the walk a modification must be to make its record untrustworthy.
pub const RACY_NS: i64 = 2_000_000_000;

/// A directory that is read again on every run (symlinks in it, or unreadable).
pub const DIR_REREAD: u32 = 1;
/// A record taken too close to a modification: not to be trusted next time.
pub const RACY: u32 = 2;

/// What `stat` says about a file or directory, as far as change detection goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stat {
    pub size: u64,
    pub mtime: i64,
    pub ctime: i64,
    pub ino: u64,
    pub dev: u64,
    pub is_file: bool,
}

impl Stat {
    pub fn of(meta: &fs::Metadata) -> Stat {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Stat {
                size: meta.len(),
                mtime: meta.mtime().saturating_mul(1_000_000_000) + meta.mtime_nsec(),
                ctime: meta.ctime().saturating_mul(1_000_000_000) + meta.ctime_nsec(),
                ino: meta.ino(),
                dev: meta.dev(),
                is_file: meta.is_file(),
            }
        }
        #[cfg(not(unix))]
        {
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i64);
            Stat {
                size: meta.len(),
                mtime,
                ctime: mtime,
                ino: 0,
                dev: 0,
                is_file: meta.is_file(),
            }
        }
    }

    /// Whether a modification this recent may be followed by another that leaves
    /// the same times behind.
    pub fn is_racy(&self, now: i64) -> bool {
        self.mtime.max(self.ctime) > now - RACY_NS
    }
}

/// The current time in nanoseconds since the epoch.
pub fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// A directory of the last index, as the walk needs it.
#[derive(Debug, Clone)]
pub struct OldDir<'a> {
    pub rel: &'a [u8],
    pub stat: Stat,
    pub flags: u32,
    /// Subfolders (indices of old directories), in walk order.
    pub children: Vec<usize>,
    /// Files (indices of old files), in name order.
    pub files: std::ops::Range<usize>,
}

/// A file of the last index, as the walk needs it.
#[derive(Debug, Clone, Copy)]
pub struct OldFile<'a> {
    pub name: &'a [u8],
    pub stat: Stat,
    pub flags: u32,
}

/// The manifest of the last index for one source directory.
#[derive(Debug, Default)]
pub struct Old<'a> {
    pub dirs: Vec<OldDir<'a>>,
    pub files: Vec<OldFile<'a>>,
    /// Index of each old file in the whole old manifest (all sources).
    pub file_ids: Vec<usize>,
}

/// A directory as found now.
#[derive(Debug, Clone)]
pub struct Dir {
    /// Path relative to the knowledge base root, `/`-separated; empty for the root.
    pub rel: Vec<u8>,
    pub path: PathBuf,
    pub stat: Stat,
    pub flags: u32,
    pub children: Vec<usize>,
    pub files: std::ops::Range<usize>,
}

/// An entry file as found now.
#[derive(Debug, Clone)]
pub struct File<'a> {
    pub dir: usize,
    pub name: Cow<'a, [u8]>,
    /// `stat` of the file (following symlinks), or why it failed.
    pub stat: Result<Stat, String>,
    pub flags: u32,
    /// The old file (index in the whole old manifest) with the same path, if any.
    pub old: Option<usize>,
    /// Whether the old record still holds: same path, same `stat`, not racy.
    pub clean: bool,
}

impl File<'_> {
    pub fn path(&self, dirs: &[Dir]) -> PathBuf {
        dirs[self.dir].path.join(os_path(&self.name))
    }
}

/// One walk of a knowledge base directory.
#[derive(Debug, Default)]
pub struct Scan<'a> {
    pub dirs: Vec<Dir>,
    pub files: Vec<File<'a>>,
    /// Problems met while walking, in walk order.
    pub problems: Vec<Diagnostic>,
    /// Whether every directory is as the old manifest recorded it.
    pub dirs_clean: bool,
}

impl Scan<'_> {
    /// Whether nothing differs from the old manifest (walk problems aside).
    pub fn is_clean(&self) -> bool {
        self.dirs_clean && self.files.iter().all(|f| f.clean)
    }
}

/// Walks `root` (a directory, checked by the caller), replaying the
/// directories `old` recorded that have not changed since; files are not
/// `stat`ed (their `stat` is an empty error until someone does).
pub fn walk<'a>(root: &Path, old: &Old<'a>, now: i64) -> Scan<'a> {
    let mut walker = Walker {
        old,
        by_rel: old
            .dirs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.rel, i))
            .collect(),
        seen: HashSet::new(),
        scan: Scan {
            dirs_clean: true,
            ..Scan::default()
        },
        now,
    };
    walker.walk(root.to_owned(), Vec::new());
    let mut scan = walker.scan;
    if scan.dirs.len() != old.dirs.len() {
        scan.dirs_clean = false;
    }
    scan
}

/// The entry files of a knowledge base directory, sorted by path (the order
/// they are read in), and the problems met walking it; nothing is read yet.
pub fn entry_paths(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), Error> {
    crate::source::check_dir(dir)?;
    let scan = walk(dir, &Old::default(), now_ns());
    let mut paths: Vec<PathBuf> = scan.files.iter().map(|f| f.path(&scan.dirs)).collect();
    paths.sort();
    Ok((paths, scan.problems))
}

struct Walker<'o, 'a> {
    old: &'o Old<'a>,
    by_rel: HashMap<&'a [u8], usize>,
    seen: HashSet<DirKey>,
    scan: Scan<'a>,
    now: i64,
}

impl<'a> Walker<'_, 'a> {
    fn walk(&mut self, path: PathBuf, rel: Vec<u8>) {
        let meta = match fs::metadata(&path) {
            Ok(meta) => meta,
            Err(err) => {
                self.problem(Diagnostic::error(
                    path.display().to_string(),
                    None,
                    format!("cannot read directory: {}", describe(&err)),
                ));
                return;
            }
        };
        // A directory's size says nothing its times do not.
        let stat = Stat {
            size: 0,
            ..Stat::of(&meta)
        };
        if !self.seen.insert(dir_key(&path, &stat)) {
            self.problem(Diagnostic::warning(
                path.display().to_string(),
                None,
                "directory already visited (a symlink loop?); skipped",
            ));
            return;
        }
        let old = self
            .by_rel
            .get(rel.as_slice())
            .map(|&i| (i, &self.old.dirs[i]));
        let index = self.scan.dirs.len();
        let mut flags = if stat.is_racy(self.now) { RACY } else { 0 };
        self.scan.dirs.push(Dir {
            rel: rel.clone(),
            path: path.clone(),
            stat,
            flags,
            children: Vec::new(),
            files: 0..0,
        });
        let trusted = old.filter(|(_, o)| o.flags & (DIR_REREAD | RACY) == 0 && o.stat == stat);
        if let Some((_, o)) = trusted {
            // The same names as last time: replay them without reading the directory.
            let start = self.scan.files.len();
            for f in o.files.clone() {
                self.scan.files.push(File {
                    dir: index,
                    name: Cow::Borrowed(self.old.files[f].name),
                    stat: Err(String::new()),
                    flags: 0,
                    old: Some(f),
                    clean: false,
                });
            }
            self.scan.dirs[index].files = start..self.scan.files.len();
            for &c in &o.children {
                let child_rel = self.old.dirs[c].rel;
                let name = child_rel.rsplit(|&b| b == b'/').next().unwrap_or(child_rel);
                self.walk_child(index, path.join(os_path(name)), child_rel.to_vec());
            }
            return;
        }
        let read = match fs::read_dir(&path) {
            Ok(read) => read,
            Err(err) => {
                self.scan.dirs[index].flags |= DIR_REREAD;
                self.problem(Diagnostic::error(
                    path.display().to_string(),
                    None,
                    format!("cannot read directory: {}", describe(&err)),
                ));
                let at = self.scan.files.len();
                self.scan.dirs[index].files = at..at;
                self.compare(index, old.map(|(i, _)| i));
                return;
            }
        };
        let mut items: Vec<_> = read.flatten().collect();
        items.sort_by_key(|item| item.file_name());
        let old_files: HashMap<&[u8], usize> = old
            .map(|(_, o)| {
                o.files
                    .clone()
                    .map(|f| (self.old.files[f].name, f))
                    .collect()
            })
            .unwrap_or_default();
        // This directory's files are added after its subfolders' (which the
        // recursion adds as it goes), so that each directory's files stay together.
        let mut own = Vec::new();
        for item in items {
            let file_name = item.file_name();
            let name = file_name.to_string_lossy();
            if is_ignored(&name) {
                continue;
            }
            let child = item.path();
            let is_dir = match classify(&item, &name) {
                Ok(Some(kind)) => {
                    if kind.via_symlink {
                        flags |= DIR_REREAD;
                    }
                    kind.is_dir
                }
                Ok(None) => {
                    // A dangling symlink may point somewhere real next time.
                    if item.file_type().is_ok_and(|t| t.is_symlink()) {
                        flags |= DIR_REREAD;
                    }
                    continue;
                }
                Err(problem) => {
                    // Reported on every run, and a broken symlink may be mended
                    // without the folder's times changing: read it again each time.
                    flags |= DIR_REREAD;
                    self.problem(problem);
                    continue;
                }
            };
            let bytes = os_bytes(&file_name).into_owned();
            if is_dir {
                let mut child_rel = rel.clone();
                if !child_rel.is_empty() {
                    child_rel.push(b'/');
                }
                child_rel.extend_from_slice(&bytes);
                self.walk_child(index, child, child_rel);
            } else if is_entry_name(&name) {
                let old_file = old_files.get(bytes.as_slice()).copied();
                own.push(File {
                    dir: index,
                    name: Cow::Owned(bytes),
                    stat: Err(String::new()),
                    flags: 0,
                    old: old_file,
                    clean: false,
                });
            }
        }
        let start = self.scan.files.len();
        self.scan.files.extend(own);
        self.scan.dirs[index].files = start..self.scan.files.len();
        self.scan.dirs[index].flags |= flags;
        self.compare(index, old.map(|(i, _)| i));
    }

    /// Walks a subfolder and records it as a child of `parent` if it was entered.
    fn walk_child(&mut self, parent: usize, path: PathBuf, rel: Vec<u8>) {
        let child = self.scan.dirs.len();
        self.walk(path, rel);
        if self.scan.dirs.len() > child {
            self.scan.dirs[parent].children.push(child);
        }
    }

    /// Marks the walk unclean when a directory read again differs from the old one.
    fn compare(&mut self, index: usize, old: Option<usize>) {
        let Some(o) = old.map(|o| &self.old.dirs[o]) else {
            self.scan.dirs_clean = false;
            return;
        };
        let d = &self.scan.dirs[index];
        let reread = o.flags & DIR_REREAD != 0 && d.flags & DIR_REREAD != 0;
        if !reread && (o.stat != d.stat || o.flags & RACY != 0) {
            self.scan.dirs_clean = false;
        }
        let same_files = o.files.len() == d.files.len()
            && o.files
                .clone()
                .zip(d.files.clone())
                .all(|(of, nf)| self.old.files[of].name == &*self.scan.files[nf].name);
        let same_children = o.children.len() == d.children.len()
            && o.children
                .iter()
                .zip(&d.children)
                .all(|(&oc, &nc)| self.old.dirs[oc].rel == self.scan.dirs[nc].rel.as_slice());
        if !same_files || !same_children || d.flags & RACY != 0 || o.flags != d.flags & !RACY {
            self.scan.dirs_clean = false;
        }
    }

    fn problem(&mut self, d: Diagnostic) {
        self.scan.problems.push(d);
    }
}

/// What identifies a directory, so that none is entered twice.
#[cfg(unix)]
type DirKey = (u64, u64);
#[cfg(not(unix))]
type DirKey = PathBuf;

#[cfg(unix)]
fn dir_key(_path: &Path, stat: &Stat) -> DirKey {
    (stat.dev, stat.ino)
}

#[cfg(not(unix))]
fn dir_key(path: &Path, _stat: &Stat) -> DirKey {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// Whether a file name (not ignored) is that of an entry file.
pub fn is_entry_name(name: &str) -> bool {
    name.ends_with(".toml")
}

/// What a directory item is, following a symlink to what it points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemKind {
    pub is_dir: bool,
    pub via_symlink: bool,
}

/// Classifies `item` (named `name`): `Ok(None)` for one to skip silently (its type
/// cannot be read, or it is a broken symlink that does not look like an entry),
/// `Err` for a symlink that should be an entry or loops, and cannot be followed.
pub fn classify(item: &fs::DirEntry, name: &str) -> Result<Option<ItemKind>, Diagnostic> {
    let Ok(file_type) = item.file_type() else {
        return Ok(None);
    };
    if !file_type.is_symlink() {
        return Ok(Some(ItemKind {
            is_dir: file_type.is_dir(),
            via_symlink: false,
        }));
    }
    match fs::metadata(item.path()) {
        Ok(meta) => Ok(Some(ItemKind {
            is_dir: meta.is_dir(),
            via_symlink: true,
        })),
        // ELOOP (40): a symlink that points at itself, reported whatever its name.
        Err(err) if is_entry_name(name) || err.raw_os_error() == Some(40) => {
            Err(Diagnostic::error(
                item.path().display().to_string(),
                None,
                format!("cannot follow symlink: {}", describe(&err)),
            ))
        }
        Err(_) => Ok(None),
    }
}

/// Hidden files, editor backups and swap files are not entries.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".bak")
}

/// A file or folder name's bytes (exact on Unix).
pub fn os_bytes(name: &std::ffi::OsStr) -> Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Cow::Borrowed(name.as_bytes())
    }
    #[cfg(not(unix))]
    {
        match name.to_string_lossy() {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        }
    }
}

/// The path that [`os_bytes`] came from.
pub fn os_path(bytes: &[u8]) -> &Path {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Path::new(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        Path::new(std::str::from_utf8(bytes).unwrap_or(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_backups_and_hidden_files_are_ignored() {
        for name in [
            ".a.toml",
            "a.toml~",
            "#a.toml#",
            ".a.toml.swp",
            "a.toml.bak",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("a.toml"));
    }

    fn write(path: &Path) {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        fs::write(path, "x").unwrap_or_else(|e| panic!("{e}"));
    }

    /// What counts as an entry file, in what order, and what is reported:
    /// hidden files, backups and other extensions are skipped; a symlinked
    /// folder is followed, a loop back to the root is reported once, a broken
    /// symlink named like an entry is reported, another is skipped quietly.
    #[cfg(unix)]
    #[test]
    fn the_walk_finds_entry_files_in_path_order_and_reports_broken_links() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().join("kb");
        for name in [
            "b.toml",
            "a/z.toml",
            "a/c.toml",
            ".hidden.toml",
            "b.toml~",
            "notes.txt",
        ] {
            write(&root.join(name));
        }
        write(&dir.path().join("elsewhere/e.toml"));
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, root.join(name)).unwrap_or_else(|e| panic!("{e}"))
        };
        link(&dir.path().join("elsewhere"), "linked");
        link(&root, "loop");
        link(&dir.path().join("missing.toml"), "gone.toml");
        link(&dir.path().join("missing"), "gone-folder");
        let (paths, problems) = entry_paths(&root).unwrap_or_else(|e| panic!("{e}"));
        let rel: Vec<String> = paths
            .iter()
            .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
            .collect();
        assert_eq!(rel, ["a/c.toml", "a/z.toml", "b.toml", "linked/e.toml"]);
        let messages: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("gone.toml") && messages[0].contains("cannot follow symlink"));
        assert!(messages[1].contains("loop") && messages[1].contains("already visited"));
    }
}
