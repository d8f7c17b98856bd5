//! Walking a knowledge base directory against the manifest of the last index.
//!
//! The walk finds the same files, in the same way, as [`crate::source`]: sorted
//! names, hidden files and backups ignored, symlinks followed, loops reported.
//! What it adds is a record of every directory (identity, mtime and ctime) and of
//! every file (size, mtime, ctime, inode), so the next run can tell what changed:
//! a directory whose identity and times are unchanged has the same names in it and
//! is not read again; every file is `stat`ed (two threads), because an edit in
//! place changes only the file. A directory holding symlinks or that could not be
//! read is read again every time, since what it shows can change without its own
//! times changing.
//!
//! Timestamps have a granularity (a few milliseconds on Linux, 2 s on FAT), so a
//! file or directory modified within [`RACY_NS`] of the walk is marked racy: its
//! record is not trusted next time and it is read again, as git does for its index.

use crate::diagnostic::Diagnostic;
use crate::error::describe;
use crate::source::{classify, is_ignored};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fs;
#[cfg(unix)]
use std::os::unix::ffi::OsStrExt;
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

/// Walks `root` (a directory, checked by the caller), reusing what `old` knows.
pub fn scan<'a>(root: &Path, old: &Old<'a>, now: i64) -> Scan<'a> {
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
    stat_all(&mut scan);
    for file in &mut scan.files {
        let Ok(stat) = &file.stat else {
            continue;
        };
        if stat.is_racy(now) {
            file.flags |= RACY;
        }
        file.clean = file.old.is_some_and(|o| {
            let old_file = &old.files[o];
            old_file.flags & RACY == 0 && old_file.stat == *stat
        });
        file.old = file.old.map(|o| old.file_ids[o]);
    }
    scan
}

struct Walker<'o, 'a> {
    old: &'o Old<'a>,
    by_rel: HashMap<&'a [u8], usize>,
    seen: HashSet<(u64, u64)>,
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
        if !self.seen.insert((stat.dev, stat.ino)) {
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
            } else if name.ends_with(".toml") {
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

/// `stat`s every file, on two threads when there are many.
fn stat_all(scan: &mut Scan<'_>) {
    #[cfg(unix)]
    let opened: Vec<Option<rustix::fd::OwnedFd>> = scan
        .dirs
        .iter()
        .map(|d| {
            use rustix::fs::{Mode, OFlags};
            rustix::fs::open(
                &d.path,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .ok()
        })
        .collect();
    let dirs = &scan.dirs;
    let stat_some = |files: &mut [File<'_>]| {
        for f in files {
            #[cfg(unix)]
            {
                f.stat = match &opened[f.dir] {
                    Some(fd) => stat_at(fd, &f.name),
                    None => stat_path(&dirs[f.dir].path.join(os_path(&f.name))),
                };
            }
            #[cfg(not(unix))]
            {
                f.stat = stat_path(&dirs[f.dir].path.join(os_path(&f.name)));
            }
        }
    };
    let files = &mut scan.files;
    if files.len() < 2048 {
        stat_some(files);
        return;
    }
    let half = files.len() / 2;
    let (a, b) = files.split_at_mut(half);
    std::thread::scope(|s| {
        s.spawn(|| stat_some(a));
        stat_some(b);
    });
}

fn stat_path(path: &Path) -> Result<Stat, String> {
    fs::metadata(path)
        .map(|m| Stat::of(&m))
        .map_err(|e| describe(&e))
}

/// `stat` of `name` in the open folder `dir`, following symlinks: one path
/// component to look up instead of the whole path.
#[cfg(unix)]
#[allow(clippy::unnecessary_cast)] // the field types differ between platforms
fn stat_at(dir: &rustix::fd::OwnedFd, name: &[u8]) -> Result<Stat, String> {
    use rustix::fs::{AtFlags, FileType};
    let name = std::ffi::OsStr::from_bytes(name);
    match rustix::fs::statat(dir, name, AtFlags::empty()) {
        Ok(st) => Ok(Stat {
            size: st.st_size as u64,
            mtime: (st.st_mtime as i64).saturating_mul(1_000_000_000) + st.st_mtime_nsec as i64,
            ctime: (st.st_ctime as i64).saturating_mul(1_000_000_000) + st.st_ctime_nsec as i64,
            ino: st.st_ino as u64,
            dev: st.st_dev as u64,
            is_file: FileType::from_raw_mode(st.st_mode) == FileType::RegularFile,
        }),
        Err(e) => Err(describe(&std::io::Error::from(e))),
    }
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

    /// The manifest a later run would read back for this scan.
    fn manifest<'a>(scan: &'a Scan<'_>) -> Old<'a> {
        Old {
            dirs: scan
                .dirs
                .iter()
                .map(|d| OldDir {
                    rel: &d.rel,
                    stat: d.stat,
                    flags: d.flags,
                    children: d.children.clone(),
                    files: d.files.clone(),
                })
                .collect(),
            files: scan
                .files
                .iter()
                .map(|f| OldFile {
                    name: &f.name,
                    stat: f.stat.clone().unwrap_or_default(),
                    flags: f.flags,
                })
                .collect(),
            file_ids: (0..scan.files.len()).collect(),
        }
    }

    fn write(path: &Path, text: &str) {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn an_unchanged_tree_is_clean_and_an_edit_in_place_is_not() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(&dir.path().join("a.toml"), "aaaa");
        write(&dir.path().join("sub/b.toml"), "bbbb");
        write(&dir.path().join("sub/notes.txt"), "not an entry");
        // Far enough in the future that nothing written now is racy.
        let later = now_ns() + 60 * RACY_NS;
        let first = scan(dir.path(), &Old::default(), later);
        assert!(!first.is_clean(), "nothing to compare with");
        let names: Vec<&[u8]> = first.files.iter().map(|f| &*f.name).collect();
        assert_eq!(names, [&b"b.toml"[..], b"a.toml"]);
        let old = manifest(&first);
        assert!(scan(dir.path(), &old, later).is_clean());
        write(&dir.path().join("sub/b.toml"), "BBBB");
        let edited = scan(dir.path(), &old, later);
        assert!(edited.dirs_clean, "no name changed");
        let mut clean: Vec<(&[u8], bool)> =
            edited.files.iter().map(|f| (&*f.name, f.clean)).collect();
        clean.sort();
        assert_eq!(clean, [(&b"a.toml"[..], true), (b"b.toml", false)]);
    }

    /// A file's record must not depend on how it was taken: by path (directories,
    /// and files in a folder that could not be opened) or relative to its open
    /// folder (every other file); otherwise a run that falls back from one to the
    /// other would see every file as changed, or a change as none.
    #[cfg(unix)]
    #[test]
    fn a_stat_by_path_and_a_stat_in_the_open_folder_agree() {
        use rustix::fs::{Mode, OFlags};
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.toml");
        write(&path, "some text");
        // A modification time with nanoseconds, as most file systems keep.
        let when = std::time::UNIX_EPOCH + std::time::Duration::new(1_700_000_000, 123_456_789);
        fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(when))
            .unwrap_or_else(|e| panic!("{e}"));
        let fd = rustix::fs::open(
            dir.path(),
            OFlags::RDONLY | OFlags::DIRECTORY,
            Mode::empty(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let by_path = stat_path(&path).unwrap_or_else(|e| panic!("{e}"));
        let at = stat_at(&fd, b"a.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(by_path, at);
        assert_eq!(at.mtime, 1_700_000_000_123_456_789);
        assert_eq!(at.size, 9);
        assert!(at.is_file);
        assert!(at.ctime >= at.mtime, "{at:?}");
    }

    /// A folder whose record is racy or marked to be read again is read again even
    /// when its times are unchanged: its names may differ from the record (here,
    /// a record taken before b.toml was added within the same clock tick).
    #[test]
    fn a_racy_or_reread_folder_is_read_again_with_unchanged_times() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(&dir.path().join("a.toml"), "a");
        write(&dir.path().join("b.toml"), "b");
        let later = now_ns() + 60 * RACY_NS;
        let first = scan(dir.path(), &Old::default(), later);
        for flag in [RACY, DIR_REREAD] {
            let mut old = manifest(&first);
            old.dirs[0].files = 0..1;
            old.files.truncate(1);
            old.file_ids.truncate(1);
            let names: Vec<&[u8]> = old.files.iter().map(|f| f.name).collect();
            assert_eq!(names, [b"a.toml"]);
            let trusted = scan(dir.path(), &old, later);
            assert_eq!(trusted.files.len(), 1, "unflagged, the record is replayed");
            old.dirs[0].flags |= flag;
            let again = scan(dir.path(), &old, later);
            let names: Vec<&[u8]> = again.files.iter().map(|f| &*f.name).collect();
            assert_eq!(names, [&b"a.toml"[..], b"b.toml"], "flag {flag}");
            assert!(!again.is_clean(), "flag {flag}");
        }
    }

    #[test]
    fn added_and_removed_files_change_the_folder() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(&dir.path().join("a.toml"), "a");
        let later = now_ns() + 60 * RACY_NS;
        let first = scan(dir.path(), &Old::default(), later);
        let old = manifest(&first);
        write(&dir.path().join("c.toml"), "c");
        let added = scan(dir.path(), &old, later);
        assert!(!added.is_clean());
        assert_eq!(added.files.len(), 2);
        fs::remove_file(dir.path().join("a.toml")).unwrap_or_else(|e| panic!("{e}"));
        fs::remove_file(dir.path().join("c.toml")).unwrap_or_else(|e| panic!("{e}"));
        let removed = scan(dir.path(), &old, later);
        assert!(!removed.is_clean());
        assert!(removed.files.is_empty());
    }

    #[test]
    fn what_was_just_modified_is_racy_and_not_trusted_next_time() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(&dir.path().join("a.toml"), "a");
        let now = now_ns();
        let first = scan(dir.path(), &Old::default(), now);
        assert!(first.files[0].flags & RACY != 0);
        assert!(first.dirs[0].flags & RACY != 0);
        // Even unchanged, a racy record is read again.
        let old = manifest(&first);
        let again = scan(dir.path(), &old, now);
        assert!(!again.is_clean());
    }

    #[test]
    fn a_racy_file_is_read_again_even_in_a_folder_that_is_trusted() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(&dir.path().join("a.toml"), "a");
        write(&dir.path().join("b.toml"), "b");
        let later = now_ns() + 60 * RACY_NS;
        let first = scan(dir.path(), &Old::default(), later);
        let mut old = manifest(&first);
        // Only a.toml was just modified when the index was written; the folder and
        // b.toml had settled. The folder is trusted (its names are replayed), so
        // only the file's own flag can send a.toml to be read again.
        assert_eq!(old.files[0].name, b"a.toml");
        old.files[0].flags |= RACY;
        let again = scan(dir.path(), &old, later);
        assert!(again.dirs_clean, "the folder itself is trusted");
        let clean: Vec<(&[u8], bool)> = again.files.iter().map(|f| (&*f.name, f.clean)).collect();
        assert_eq!(clean, [(&b"a.toml"[..], false), (b"b.toml", true)]);
        assert!(!again.is_clean());
        // The file is not racy any more, so the next index may trust it.
        assert_eq!(again.files[0].flags & RACY, 0);
    }

    #[test]
    fn a_rewrite_at_the_same_size_with_its_mtime_put_back_is_seen_by_its_ctime() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.toml");
        write(&path, "aaaa");
        let later = now_ns() + 60 * RACY_NS;
        let old_scan = scan(dir.path(), &Old::default(), later);
        let old = manifest(&old_scan);
        let mtime = fs::metadata(&path)
            .and_then(|m| m.modified())
            .unwrap_or_else(|e| panic!("{e}"));
        // The change time moves on a clock tick: let it tick before rewriting.
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(&path, "AAAA");
        fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(mtime))
            .unwrap_or_else(|e| panic!("{e}"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let now = fs::metadata(&path).unwrap_or_else(|e| panic!("{e}"));
            let was = old_scan.files[0].stat.clone().unwrap_or_default();
            let mtime = now.mtime() * 1_000_000_000 + now.mtime_nsec();
            assert_eq!(
                (now.len(), mtime, now.ino()),
                (was.size, was.mtime, was.ino)
            );
            let ctime = now.ctime() * 1_000_000_000 + now.ctime_nsec();
            assert!(ctime > was.mtime, "only the change time differs");
        }
        let edited = scan(dir.path(), &old, later);
        assert!(edited.dirs_clean);
        assert!(!edited.files[0].clean, "the rewrite is seen");
    }
}
