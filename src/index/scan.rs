//! Comparing a knowledge base directory with the manifest of the last index.
//!
//! The walk itself is [`crate::walk`], the same one loading does; what this
//! adds is a `stat` of every entry file (two threads), because an edit in place
//! changes only the file: a file whose `stat` equals its record, not racy, is
//! clean, and the last index's outcome for it still holds. A directory holding
//! symlinks or that could not be read is read again every time, since what it
//! shows can change without its own times changing.

use crate::error::describe;
#[cfg(test)]
use crate::walk::RACY_NS;
pub use crate::walk::{
    DIR_REREAD, File, Old, OldDir, OldFile, RACY, Scan, Stat, now_ns, os_bytes, os_path,
};
use std::fs;
#[cfg(unix)]
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// Walks `root` (a directory, checked by the caller), reusing what `old` knows.
pub fn scan<'a>(root: &Path, old: &Old<'a>, now: i64) -> Scan<'a> {
    let mut scan = crate::walk::walk(root, old, now);
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
// Inlined into the loop on purpose. Left to the compiler, it was made a call of
// its own once the crate grew (b392619), and every `stat` then took 0.3 µs more,
// all of it in the kernel, on the benchmark machine (an AMD EPYC): the same
// system calls, slower only by where the code making them sits (BENCHMARKS.md,
// "The 30 ms lost without the watcher").
#[inline(always)]
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// The manifest a later run would read back for this scan.
    fn manifest<'a>(scan: &'a Scan<'_>) -> Old<'a> {
        Old {
            dirs: scan
                .dirs
                .iter()
                .map(|d| OldDir {
                    rel: &d.rel,
                    // The index does not store a folder's size (see `walk`).
                    stat: Stat { size: 0, ..d.stat },
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

    /// Sets the modification time of a file or folder.
    fn set_mtime(path: &Path, when: std::time::SystemTime) {
        fs::File::open(path)
            .and_then(|f| f.set_modified(when))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    fn mtime(path: &Path) -> std::time::SystemTime {
        fs::metadata(path)
            .and_then(|m| m.modified())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Folders are named by their path from the root, `/`-separated, and each
    /// lists the folders entered from it: what the index stores and the next
    /// run looks its old records up by.
    #[test]
    fn folders_are_named_by_their_path_from_the_root() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(&dir.path().join("sub/deeper/c.toml"), "c");
        write(&dir.path().join("sub/b.toml"), "b");
        write(&dir.path().join("other/d.toml"), "d");
        let later = now_ns() + 60 * RACY_NS;
        let found = scan(dir.path(), &Old::default(), later);
        let rels: Vec<&[u8]> = found.dirs.iter().map(|d| &*d.rel).collect();
        assert_eq!(rels, [&b""[..], b"other", b"sub", b"sub/deeper"]);
        let children: Vec<&[usize]> = found.dirs.iter().map(|d| &*d.children).collect();
        assert_eq!(children, [&[1, 2][..], &[], &[3], &[]]);
        let paths: Vec<PathBuf> = found.files.iter().map(|f| f.path(&found.dirs)).collect();
        let expected = ["other/d.toml", "sub/deeper/c.toml", "sub/b.toml"];
        assert_eq!(paths, expected.map(|p| dir.path().join(p)));
    }

    /// A symlink back to a folder already walked is reported and skipped: it is
    /// nobody's child (a child's index that names no folder, or the next one
    /// walked, would corrupt the tree the index stores), and the folder holding
    /// it is read again every time.
    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_skipped_and_is_no_folders_child() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(&dir.path().join("a/x.toml"), "x");
        write(&dir.path().join("b/y.toml"), "y");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("a/loop"))
            .unwrap_or_else(|e| panic!("{e}"));
        let found = scan(dir.path(), &Old::default(), now_ns() + 60 * RACY_NS);
        let rels: Vec<&[u8]> = found.dirs.iter().map(|d| &*d.rel).collect();
        assert_eq!(rels, [&b""[..], b"a", b"b"]);
        let children: Vec<&[usize]> = found.dirs.iter().map(|d| &*d.children).collect();
        assert_eq!(children, [&[1, 2][..], &[], &[]]);
        assert_eq!(found.problems.len(), 1, "{:?}", found.problems);
        let flags: Vec<u32> = found.dirs.iter().map(|d| d.flags).collect();
        assert_eq!(flags, [0, DIR_REREAD, 0]);
    }

    /// What a symlink shows can change without the folder holding it changing:
    /// its target may be edited, replaced, created or mended. Such a folder is
    /// marked to be read again every time (and the watcher does not answer for
    /// it), whether the symlink works, dangles, or cannot be followed.
    #[cfg(unix)]
    #[test]
    fn a_folder_holding_a_symlink_is_read_again_every_time() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(&elsewhere.path().join("t.toml"), "t");
        write(&dir.path().join("broken/a.toml"), "a");
        write(&dir.path().join("dangling/a.toml"), "a");
        write(&dir.path().join("linked/a.toml"), "a");
        write(&dir.path().join("plain/a.toml"), "a");
        let link = |target: &Path, at: &str| {
            symlink(target, dir.path().join(at)).unwrap_or_else(|e| panic!("{e}"));
        };
        // An entry whose target is missing (an error), a folder whose target is
        // missing (nothing to report), an entry that works.
        link(&elsewhere.path().join("u.toml"), "broken/u.toml");
        link(&elsewhere.path().join("more"), "dangling/more");
        link(&elsewhere.path().join("t.toml"), "linked/t.toml");
        let later = now_ns() + 60 * RACY_NS;
        let first = scan(dir.path(), &Old::default(), later);
        let flags: Vec<(&[u8], u32)> = first.dirs.iter().map(|d| (&*d.rel, d.flags)).collect();
        assert_eq!(
            flags,
            [
                (&b""[..], 0),
                (b"broken", DIR_REREAD),
                (b"dangling", DIR_REREAD),
                (b"linked", DIR_REREAD),
                (b"plain", 0)
            ]
        );
        assert_eq!(first.problems.len(), 1, "{:?}", first.problems);
        // Mended, with the folders' times unchanged: both targets are found.
        let old = manifest(&first);
        let times: Vec<_> = ["broken", "dangling"]
            .map(|d| (dir.path().join(d), mtime(&dir.path().join(d))))
            .into();
        write(&elsewhere.path().join("u.toml"), "u");
        write(&elsewhere.path().join("more/m.toml"), "m");
        for (path, when) in &times {
            set_mtime(path, *when);
        }
        let again = scan(dir.path(), &old, later);
        let mut names: Vec<&[u8]> = again.files.iter().map(|f| &*f.name).collect();
        names.sort();
        assert_eq!(
            names,
            [
                &b"a.toml"[..],
                b"a.toml",
                b"a.toml",
                b"a.toml",
                b"m.toml",
                b"t.toml",
                b"u.toml"
            ]
        );
        assert!(again.problems.is_empty(), "{:?}", again.problems);
        assert!(!again.is_clean());
    }

    /// A folder read again every time whose names have not changed leaves the scan
    /// clean, even when its own times have moved (a swap file came and went):
    /// otherwise every command would rewrite the index of a knowledge base holding
    /// a symlink.
    #[cfg(unix)]
    #[test]
    fn an_unchanged_folder_that_is_read_every_time_leaves_the_scan_clean() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(&elsewhere.path().join("t.toml"), "t");
        write(&dir.path().join("a.toml"), "a");
        write(&dir.path().join("sub/b.toml"), "b");
        std::os::unix::fs::symlink(elsewhere.path().join("t.toml"), dir.path().join("t.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        let later = now_ns() + 60 * RACY_NS;
        let first = scan(dir.path(), &Old::default(), later);
        assert_eq!(first.dirs[0].flags, DIR_REREAD);
        let old = manifest(&first);
        assert!(scan(dir.path(), &old, later).is_clean());
        write(&dir.path().join(".a.toml.swp"), "swap");
        fs::remove_file(dir.path().join(".a.toml.swp")).unwrap_or_else(|e| panic!("{e}"));
        set_mtime(
            dir.path(),
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000),
        );
        let again = scan(dir.path(), &old, later);
        assert_ne!(
            again.dirs[0].stat, old.dirs[0].stat,
            "the folder's times moved"
        );
        assert!(again.is_clean());
    }

    /// A file removed from a folder that is read every time is seen even though
    /// the folder's times are not compared: by its names.
    #[cfg(unix)]
    #[test]
    fn a_file_removed_from_a_folder_read_every_time_is_seen() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(&elsewhere.path().join("t.toml"), "t");
        write(&dir.path().join("a.toml"), "a");
        write(&dir.path().join("z.toml"), "z");
        std::os::unix::fs::symlink(elsewhere.path().join("t.toml"), dir.path().join("t.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        let later = now_ns() + 60 * RACY_NS;
        let first = scan(dir.path(), &Old::default(), later);
        let old = manifest(&first);
        // The last name: what is left is the start of what was there.
        fs::remove_file(dir.path().join("z.toml")).unwrap_or_else(|e| panic!("{e}"));
        let again = scan(dir.path(), &old, later);
        let names: Vec<&[u8]> = again.files.iter().map(|f| &*f.name).collect();
        assert_eq!(names, [&b"a.toml"[..], b"t.toml"]);
        assert!(
            again.files.iter().all(|f| f.clean),
            "the files left are unchanged"
        );
        assert!(!again.is_clean(), "z.toml is gone");
    }

    /// A folder whose times changed but whose names did not is recorded again, so
    /// that the next run trusts it instead of reading it every time.
    #[test]
    fn a_folder_whose_times_changed_is_recorded_again_then_trusted() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(&dir.path().join("a.toml"), "a");
        let later = now_ns() + 60 * RACY_NS;
        let first = scan(dir.path(), &Old::default(), later);
        set_mtime(
            dir.path(),
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000),
        );
        let old = manifest(&first);
        let again = scan(dir.path(), &old, later);
        assert!(again.files.iter().all(|f| f.clean));
        assert!(!again.is_clean(), "the new times are to be recorded");
        let recorded = manifest(&again);
        assert!(scan(dir.path(), &recorded, later).is_clean());
    }

    /// A folder recorded as racy and found settled is recorded again without the
    /// flag, so that the next run trusts it instead of reading it every time.
    #[test]
    fn a_racy_folder_that_settled_is_recorded_again_then_trusted() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(&dir.path().join("a.toml"), "a");
        let later = now_ns() + 60 * RACY_NS;
        let first = scan(dir.path(), &Old::default(), later);
        let mut old = manifest(&first);
        old.dirs[0].flags |= RACY;
        let again = scan(dir.path(), &old, later);
        assert!(again.files.iter().all(|f| f.clean));
        assert_eq!(again.dirs[0].flags, 0);
        assert!(!again.is_clean(), "the settled record is to be written");
        let recorded = manifest(&again);
        assert!(scan(dir.path(), &recorded, later).is_clean());
    }

    /// Past 2048 files, the files are `stat`ed on two threads: every one of them.
    #[test]
    fn many_files_are_all_stated() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let count = 2101;
        for i in 0..count {
            write(
                &dir.path().join(format!("e{i:04}.toml")),
                &"x".repeat(i % 7),
            );
        }
        let found = scan(dir.path(), &Old::default(), now_ns() + 60 * RACY_NS);
        assert_eq!(found.files.len(), count);
        for (i, f) in found.files.iter().enumerate() {
            let stat = f.stat.as_ref().unwrap_or_else(|e| panic!("{e}"));
            assert!(stat.is_file && stat.size == (i % 7) as u64, "{i}: {stat:?}");
        }
    }
}
