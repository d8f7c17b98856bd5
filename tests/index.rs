//! The index in the cache directory: never stale, never trusted when damaged, safe to delete.
//!
//! Each test works on its own knowledge base and cache in temporary directories,
//! changes files between commands, and checks that the next command sees it. Every
//! test runs twice: with the full check on every run, and with the change watcher
//! (`OTPIC_WATCH=1`), whose answers must never make a command miss a change.

mod common;
use common::{otpic, run};
use std::fs;
use std::path::{Path, PathBuf};

/// Whether commands ask a change watcher before walking the knowledge base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Plain,
    Watched,
}

impl Mode {
    /// otpic in this mode. A watcher gets a generous timeout (so that its answers
    /// are used whenever they may be) and a short idle time.
    fn otpic(self) -> assert_cmd::Command {
        let mut cmd = otpic();
        if self == Mode::Watched {
            cmd.env("OTPIC_WATCH", "1")
                .env("OTPIC_WATCH_IDLE_SECS", "20")
                .env("OTPIC_WATCH_TIMEOUT_MS", "3000");
        }
        cmd
    }
}

/// Runs each test in both modes.
macro_rules! both_modes {
    ($($(#[$attr:meta])* $name:ident),* $(,)?) => {
        mod plain {
            $( $(#[$attr])* #[test] fn $name() { super::$name(super::Mode::Plain) } )*
        }
        mod watched {
            $( $(#[$attr])* #[test] fn $name() { super::$name(super::Mode::Watched) } )*
        }
    };
}

both_modes!(
    the_index_is_written_once_and_reused_while_nothing_changes,
    an_edit_in_place_is_seen_by_the_next_command_even_at_the_same_size,
    a_same_size_rewrite_with_its_mtime_put_back_is_seen_after_the_index_settled,
    added_renamed_and_deleted_entries_are_seen_by_the_next_command,
    a_file_that_breaks_or_gets_a_duplicate_is_reported_then_recovers,
    a_corrupt_index_is_rebuilt_not_trusted,
    a_truncated_index_is_rebuilt,
    an_index_from_another_version_or_format_is_rebuilt,
    an_index_written_by_other_code_is_rebuilt_even_with_a_valid_checksum,
    the_index_of_another_knowledge_base_is_not_used,
    deleting_the_cache_at_any_moment_is_safe,
    a_cache_that_cannot_be_written_is_not_an_error,
    #[cfg(unix)]
    a_change_rewrites_the_index_by_rename_and_a_reader_never_sees_half_of_one,
    #[cfg(unix)]
    a_dangling_symlink_is_reported_every_time_and_seen_once_mended,
    #[cfg(unix)]
    a_dangling_symlink_to_a_folder_is_followed_once_the_folder_exists,
    the_embedded_knowledge_base_alone_is_indexed_in_the_binary_not_the_cache,
    a_directory_beside_the_embedded_knowledge_base_is_followed_too,
    a_broken_file_and_a_duplicate_are_reused_as_such_once_settled,
    knowledge_bases_sharing_a_cache_keep_an_index_each,
    an_older_index_put_back_over_a_newer_one_is_checked_not_trusted,
    a_built_in_entry_uncovered_again_is_the_built_in_one,
    an_unchanged_entry_is_copied_from_its_own_record_when_another_goes,
);

struct Kb {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
    mode: Mode,
}

impl Drop for Kb {
    /// Leaves no watcher running (they would also exit when idle, or when the
    /// knowledge base directory disappears with this value).
    fn drop(&mut self) {
        if self.mode == Mode::Watched {
            let _ = self
                .mode
                .otpic()
                .env("OTPIC_CACHE_DIR", self.cache.path())
                .args(["watch", "stop", "--all"])
                .output();
        }
    }
}

fn entry(title: &str, links: &[&str]) -> String {
    let links: Vec<String> = links.iter().map(|l| format!("\"{l}\"")).collect();
    format!(
        "title = \"{title}\"\nsummary = \"About {title}.\"\nrelated_approaches = [{}]\ndefinition = \"The {title} definition.\"\n",
        links.join(", ")
    )
}

impl Kb {
    fn new(mode: Mode, files: &[(&str, &str)]) -> Kb {
        let kb = Kb {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
            cache: tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
            mode,
        };
        for (path, text) in files {
            kb.write(path, text);
        }
        kb
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// Runs otpic on this knowledge base with this cache: (status, stdout, stderr).
    fn otpic(&self, args: &[&str]) -> (i32, String, String) {
        run(self
            .mode
            .otpic()
            .env("OTPIC_CACHE_DIR", self.cache.path())
            .arg("--entries")
            .arg(self.dir.path())
            .args(args))
    }

    fn stdout(&self, args: &[&str]) -> String {
        let (code, stdout, stderr) = self.otpic(args);
        assert_eq!(code, 0, "otpic {args:?}: {stderr}");
        stdout
    }

    /// The index files in the cache.
    fn index_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = fs::read_dir(self.cache.path())
            .map(|read| read.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|x| x == "idx"));
        files.sort();
        files
    }

    fn index(&self) -> PathBuf {
        let files = self.index_files();
        assert_eq!(files.len(), 1, "one index file: {files:?}");
        files[0].clone()
    }
}

fn basic(mode: Mode) -> Kb {
    Kb::new(
        mode,
        &[
            ("alpha.toml", &entry("Alpha", &["beta"])),
            ("sub/beta.toml", &entry("Beta", &[])),
            ("gamma.toml", &entry("Gamma", &["Alpha"])),
        ],
    )
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).map(|m| m.ino()).unwrap_or(0)
}

fn the_index_is_written_once_and_reused_while_nothing_changes(mode: Mode) {
    let kb = basic(mode);
    assert_eq!(
        kb.stdout(&["list"]),
        "alpha\tAlpha\nbeta\tBeta\ngamma\tGamma\n"
    );
    let index = kb.index();
    let before = fs::read(&index).unwrap_or_default();
    // Files written within the last two seconds are read again (their times may
    // not show a second change yet); once they are older, the index is kept.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    kb.stdout(&["list"]);
    let settled = fs::read(&index).unwrap_or_default();
    kb.stdout(&["show", "beta"]);
    kb.stdout(&["search", "definition"]);
    assert!(!before.is_empty());
    assert_eq!(
        fs::read(&index).unwrap_or_default(),
        settled,
        "an unchanged knowledge base does not rewrite its index"
    );
}

fn an_edit_in_place_is_seen_by_the_next_command_even_at_the_same_size(mode: Mode) {
    let kb = basic(mode);
    assert!(kb.stdout(&["show", "alpha"]).starts_with("Alpha\n"));
    // Same length, same file, written right away: only the content differs.
    kb.write("alpha.toml", &entry("Alpho", &["beta"]));
    assert!(kb.stdout(&["show", "alpha"]).starts_with("Alpho\n"));
    assert_eq!(
        kb.stdout(&["list"]),
        "alpha\tAlpho\nbeta\tBeta\ngamma\tGamma\n"
    );
    // A new link shows up in the target's backlinks and in search.
    kb.write("sub/beta.toml", &entry("Beta", &["gamma"]));
    let shown = kb.stdout(&["show", "gamma"]);
    assert!(
        shown.contains("Referenced by\n\n- Beta — beta\n"),
        "{shown}"
    );
    kb.write(
        "gamma.toml",
        &entry("Gamma", &["Alpha"]).replace("definition.", "definition about zebras."),
    );
    assert!(kb.stdout(&["search", "zebras"]).starts_with("gamma\t"));
}

/// As `rsync -t`, `cp -p` or `touch -r` leave a file: rewritten in place at the
/// same size, its modification time put back. Only the change time reveals it.
fn a_same_size_rewrite_with_its_mtime_put_back_is_seen_after_the_index_settled(mode: Mode) {
    let (kb, _) = settled(mode);
    let path = kb.path("alpha.toml");
    let mtime = fs::metadata(&path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{e}"));
    let before = fs::metadata(&path).unwrap_or_else(|e| panic!("{e}"));
    kb.write("alpha.toml", &entry("Alpho", &["beta"]));
    fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(mtime))
        .unwrap_or_else(|e| panic!("{e}"));
    let after = fs::metadata(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after.len(), before.len(), "same size");
    assert_eq!(after.modified().ok(), before.modified().ok(), "same mtime");
    #[cfg(unix)]
    assert_eq!(inode(&path), {
        use std::os::unix::fs::MetadataExt;
        before.ino()
    });
    assert_eq!(
        kb.stdout(&["list"]),
        "alpha\tAlpho\nbeta\tBeta\ngamma\tGamma\n"
    );
    assert!(kb.stdout(&["show", "alpha"]).starts_with("Alpho\n"));
}

/// A symlink whose target is missing: reported on every run, not only until the
/// index settles, and its entry appears once the target exists (the folder's
/// times do not change when that happens). Both failed before: the folder was
/// trusted once settled, so the error vanished and the mended link was never seen.
fn a_dangling_symlink_is_reported_every_time_and_seen_once_mended(mode: Mode) {
    let kb = basic(mode);
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = elsewhere.path().join("delta.toml");
    std::os::unix::fs::symlink(&target, kb.path("delta.toml")).unwrap_or_else(|e| panic!("{e}"));
    // A dangling symlink to a folder that will appear, too.
    std::os::unix::fs::symlink(elsewhere.path().join("more"), kb.path("more"))
        .unwrap_or_else(|e| panic!("{e}"));
    let error = format!(
        "otpic: {}: error: cannot follow symlink: no such file or directory\n",
        kb.path("delta.toml").display()
    );
    for _ in 0..2 {
        let (code, stdout, stderr) = kb.otpic(&["list"]);
        assert_eq!(
            (code, stdout.as_str()),
            (0, "alpha\tAlpha\nbeta\tBeta\ngamma\tGamma\n")
        );
        assert_eq!(stderr, error);
    }
    // Settled: the files and the folder are older than the racy window.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    for _ in 0..2 {
        let (_, stdout, stderr) = kb.otpic(&["list"]);
        assert_eq!(stdout, "alpha\tAlpha\nbeta\tBeta\ngamma\tGamma\n");
        assert_eq!(stderr, error, "still reported once the index settled");
    }
    fs::write(&target, entry("Delta", &[])).unwrap_or_else(|e| panic!("{e}"));
    fs::create_dir(elsewhere.path().join("more")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(
        elsewhere.path().join("more/epsilon.toml"),
        entry("Epsilon", &[]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (_, stdout, stderr) = kb.otpic(&["list"]);
    assert_eq!(
        (stdout.as_str(), stderr.as_str()),
        (
            "alpha\tAlpha\nbeta\tBeta\ndelta\tDelta\nepsilon\tEpsilon\ngamma\tGamma\n",
            ""
        )
    );
}

/// A dangling symlink to a folder, not an entry: nothing to report, but the
/// folder it will point to is walked once it exists.
fn a_dangling_symlink_to_a_folder_is_followed_once_the_folder_exists(mode: Mode) {
    let kb = basic(mode);
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(elsewhere.path().join("more"), kb.path("more"))
        .unwrap_or_else(|e| panic!("{e}"));
    kb.stdout(&["list"]);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    kb.stdout(&["list"]);
    assert_eq!(
        kb.stdout(&["list"]),
        "alpha\tAlpha\nbeta\tBeta\ngamma\tGamma\n"
    );
    fs::create_dir(elsewhere.path().join("more")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(
        elsewhere.path().join("more/epsilon.toml"),
        entry("Epsilon", &[]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        kb.stdout(&["list"]),
        "alpha\tAlpha\nbeta\tBeta\nepsilon\tEpsilon\ngamma\tGamma\n"
    );
}

fn added_renamed_and_deleted_entries_are_seen_by_the_next_command(mode: Mode) {
    let kb = basic(mode);
    kb.stdout(&["list"]);
    kb.write("sub/deeper/delta.toml", &entry("Delta", &["alpha"]));
    assert_eq!(
        kb.stdout(&["list"]),
        "alpha\tAlpha\nbeta\tBeta\ndelta\tDelta\ngamma\tGamma\n"
    );
    assert!(kb.stdout(&["show", "alpha"]).contains("- Delta — delta\n"));
    fs::rename(kb.path("gamma.toml"), kb.path("sub/epsilon.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        kb.stdout(&["list"]),
        "alpha\tAlpha\nbeta\tBeta\ndelta\tDelta\nepsilon\tGamma\n"
    );
    assert!(kb.stdout(&["show", "epsilon"]).starts_with("Gamma\n"));
    fs::remove_file(kb.path("sub/deeper/delta.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert!(!kb.stdout(&["show", "alpha"]).contains("Delta"));
    fs::remove_dir_all(kb.path("sub")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kb.stdout(&["list"]), "alpha\tAlpha\n");
    let shown = kb.stdout(&["show", "alpha"]);
    assert!(
        shown.contains("- beta (unresolved: no entry by that name)"),
        "{shown}"
    );
}

fn a_file_that_breaks_or_gets_a_duplicate_is_reported_then_recovers(mode: Mode) {
    let kb = basic(mode);
    kb.stdout(&["list"]);
    kb.write("alpha.toml", "title = \"Alpha\"\ndefinition = \n");
    let (code, stdout, stderr) = kb.otpic(&["list"]);
    assert_eq!((code, stdout.as_str()), (0, "beta\tBeta\ngamma\tGamma\n"));
    assert!(stderr.contains("alpha.toml:2:14: error:"), "{stderr}");
    // Reported again by a run that reuses the index, not only by the one that built it.
    let (_, _, again) = kb.otpic(&["list"]);
    assert_eq!(again, stderr);
    kb.write("alpha.toml", &entry("Alpha", &["beta"]));
    kb.write("sub/gamma.toml", &entry("Second Gamma", &[]));
    let (code, stdout, stderr) = kb.otpic(&["list"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "alpha\tAlpha\nbeta\tBeta\ngamma\tGamma\n");
    assert!(stderr.contains("duplicate id \"gamma\""), "{stderr}");
    fs::remove_file(kb.path("gamma.toml")).unwrap_or_else(|e| panic!("{e}"));
    let (_, stdout, stderr) = kb.otpic(&["list"]);
    assert_eq!(stdout, "alpha\tAlpha\nbeta\tBeta\ngamma\tSecond Gamma\n");
    assert_eq!(stderr, "");
}

/// A knowledge base whose files are old enough to be trusted (two seconds: see
/// `RACY_NS`), with its index built: from now on only a change rebuilds it.
fn settled(mode: Mode) -> (Kb, Vec<u8>) {
    let kb = basic(mode);
    kb.stdout(&["list"]);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    kb.stdout(&["list"]);
    let good = fs::read(kb.index()).unwrap_or_default();
    kb.stdout(&["list"]);
    assert_eq!(fs::read(kb.index()).unwrap_or_default(), good, "settled");
    (kb, good)
}

/// Puts the good index back, damages it, runs commands, and checks that the
/// output is right and the index was replaced by a good one.
fn damaged(kb: &Kb, good: &[u8], damage: impl Fn(&Path)) {
    let index = kb.index();
    fs::write(&index, good).unwrap_or_else(|e| panic!("{e}"));
    damage(&index);
    let broken = fs::read(&index).unwrap_or_default();
    let (code, stdout, stderr) = kb.otpic(&["show", "alpha"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(
        stdout.starts_with("Alpha\n") && stdout.contains("- Gamma — gamma\n"),
        "{stdout}"
    );
    assert_eq!(
        kb.stdout(&["related", "beta"]),
        "Beta (beta)\n\nReferenced by\n  Alpha — alpha\n    About Alpha.\n"
    );
    assert!(kb.stdout(&["search", "definition"]).starts_with("alpha\t"));
    assert_eq!(kb.stdout(&["glossary"]).lines().count(), 3);
    // Each command checks the parts it reads; between them they read them all.
    let rebuilt = fs::read(&index).unwrap_or_default();
    assert_ne!(rebuilt, broken, "replaced");
    assert_eq!(rebuilt.len(), good.len());
    kb.stdout(&["search", "definition"]);
    assert_eq!(
        fs::read(&index).unwrap_or_default(),
        rebuilt,
        "and then trusted"
    );
}

fn a_corrupt_index_is_rebuilt_not_trusted(mode: Mode) {
    let (kb, good) = settled(mode);
    // A flipped byte anywhere in the data: some section's checksum fails.
    for sixteenth in 1..16 {
        damaged(&kb, &good, |index| {
            let mut bytes = fs::read(index).unwrap_or_default();
            let at = bytes.len() * sixteenth / 16;
            bytes[at] ^= 0x55;
            fs::write(index, bytes).unwrap_or_else(|e| panic!("{e}"));
        });
    }
    // A flipped byte in the header.
    damaged(&kb, &good, |index| {
        let mut bytes = fs::read(index).unwrap_or_default();
        bytes[40] ^= 1;
        fs::write(index, bytes).unwrap_or_else(|e| panic!("{e}"));
    });
    damaged(&kb, &good, |index| {
        fs::write(index, "not an index").unwrap_or_else(|e| panic!("{e}"))
    });
    damaged(&kb, &good, |index| {
        fs::write(index, "").unwrap_or_else(|e| panic!("{e}"))
    });
}

fn a_truncated_index_is_rebuilt(mode: Mode) {
    let (kb, good) = settled(mode);
    for cut in [1, good.len() / 3, good.len() - 100] {
        damaged(&kb, &good, |index| {
            fs::write(index, &good[..good.len() - cut]).unwrap_or_else(|e| panic!("{e}"));
        });
    }
}

fn an_index_from_another_version_or_format_is_rebuilt(mode: Mode) {
    let (kb, good) = settled(mode);
    // The otpic version is stored from byte 16, the format number at byte 8.
    damaged(&kb, &good, |index| {
        let mut bytes = fs::read(index).unwrap_or_default();
        bytes[16..21].copy_from_slice(b"9.9.9");
        fs::write(index, bytes).unwrap_or_else(|e| panic!("{e}"));
    });
    damaged(&kb, &good, |index| {
        let mut bytes = fs::read(index).unwrap_or_default();
        bytes[8] = bytes[8].wrapping_add(1);
        fs::write(index, bytes).unwrap_or_else(|e| panic!("{e}"));
    });
}

fn an_index_written_by_other_code_is_rebuilt_even_with_a_valid_checksum(mode: Mode) {
    use otpic::index::layout::HEADER_LEN;
    let (kb, good) = settled(mode);
    // Another build's code fingerprint (bytes 32..40), with the header's checksum
    // recomputed so that only the fingerprint tells the index apart.
    damaged(&kb, &good, |index| {
        let mut bytes = fs::read(index).unwrap_or_default();
        for b in &mut bytes[32..40] {
            *b ^= 0xa5;
        }
        let end = HEADER_LEN - 8;
        let sum = xxhash_rust::xxh3::xxh3_64(&bytes[..end]);
        bytes[end..HEADER_LEN].copy_from_slice(&sum.to_le_bytes());
        fs::write(index, bytes).unwrap_or_else(|e| panic!("{e}"));
    });
}

fn the_index_of_another_knowledge_base_is_not_used(mode: Mode) {
    let a = basic(mode);
    let b = Kb::new(mode, &[("zeta.toml", &entry("Zeta", &[]))]);
    a.stdout(&["list"]);
    b.stdout(&["list"]);
    // B's index under A's name, in A's cache: its key names other sources.
    fs::copy(b.index(), a.index()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        a.stdout(&["list"]),
        "alpha\tAlpha\nbeta\tBeta\ngamma\tGamma\n"
    );
}

fn deleting_the_cache_at_any_moment_is_safe(mode: Mode) {
    let kb = basic(mode);
    kb.stdout(&["list"]);
    // A watcher that is starting writes into the cache while it goes: `rm -r`
    // can then find a folder not empty, and is run again, as a user would.
    let mut tries = 0;
    while let Err(e) = fs::remove_dir_all(kb.cache.path()) {
        tries += 1;
        assert!(tries < 100, "cannot remove the cache: {e}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(kb.stdout(&["show", "beta"]).contains("- Alpha — alpha\n"));
    assert_eq!(kb.index_files().len(), 1, "written again");
    for file in kb.index_files() {
        fs::remove_file(file).unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(kb.stdout(&["search", "gamma"]).lines().count(), 1);
}

fn a_cache_that_cannot_be_written_is_not_an_error(mode: Mode) {
    let kb = basic(mode);
    // A file where the cache directory should be.
    let blocker = kb.cache.path().join("blocked");
    fs::write(&blocker, "").unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = run(mode
        .otpic()
        .env("OTPIC_CACHE_DIR", &blocker)
        .arg("--entries")
        .arg(kb.dir.path())
        .args(["show", "beta"]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(
        stdout.contains("Referenced by\n\n- Alpha — alpha\n"),
        "{stdout}"
    );
}

#[cfg(unix)]
fn a_change_rewrites_the_index_by_rename_and_a_reader_never_sees_half_of_one(mode: Mode) {
    let kb = basic(mode);
    kb.stdout(&["list"]);
    let first = inode(&kb.index());
    kb.write("alpha.toml", &entry("Alpha Two", &["beta"]));
    kb.stdout(&["list"]);
    assert_ne!(inode(&kb.index()), first, "a new file, renamed into place");
    let leftovers: Vec<_> = fs::read_dir(kb.cache.path())
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name())
                .filter(|n| n != "watch")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
}

/// Its index is built with the binary (see tests/embedded.rs).
fn the_embedded_knowledge_base_alone_is_indexed_in_the_binary_not_the_cache(mode: Mode) {
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let show = |args: &[&str]| run(mode.otpic().env("OTPIC_CACHE_DIR", cache.path()).args(args));
    let (code, first, _) = show(&["show", "collective-security"]);
    assert_eq!(code, 0);
    let (_, second, _) = show(&["show", "collective-security"]);
    assert_eq!(first, second);
    let files = fs::read_dir(cache.path())
        .map(|r| r.flatten().count())
        .unwrap_or(0);
    assert_eq!(files, 0);
}

fn a_directory_beside_the_embedded_knowledge_base_is_followed_too(mode: Mode) {
    let kb = basic(mode);
    let with = |args: &[&str]| {
        let mut all = vec!["--with-embedded"];
        all.extend_from_slice(args);
        kb.stdout(&all)
    };
    let before = with(&["list"]);
    assert!(before.contains("alpha\tAlpha\n") && before.contains("collective-security\t"));
    kb.write("aaa.toml", &entry("First Of All", &["collective-security"]));
    let after = with(&["list"]);
    assert_eq!(after.lines().count(), before.lines().count() + 1);
    assert!(with(&["show", "collective-security"]).contains("- First Of All — aaa\n"));
    fs::remove_file(kb.path("aaa.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(with(&["list"]), before);
    assert!(with(&["show", "collective-security"]).starts_with("Collective Security\n"));
}

/// A folder that cannot be read: reported on every run, not only until the index
/// settles (its record would otherwise be trusted, with no names in it, and the
/// error would vanish), and its entries found once it can be read. As root (CI),
/// otpic runs as `nobody`, for whom the folder is closed too.
#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_reported_on_every_run_and_read_once_opened() {
    use std::os::unix::fs::PermissionsExt;
    let kb = Kb::new(
        Mode::Plain,
        &[
            ("alpha.toml", &entry("Alpha", &[])),
            ("locked/beta.toml", &entry("Beta", &[])),
        ],
    );
    common::open_to_others(kb.dir.path());
    fs::set_permissions(kb.cache.path(), fs::Permissions::from_mode(0o777))
        .unwrap_or_else(|e| panic!("{e}"));
    let locked = kb.path("locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000))
        .unwrap_or_else(|e| panic!("{e}"));
    let list = || {
        let mut nobody = common::unprivileged(&[
            "--entries".as_ref(),
            kb.dir.path().as_os_str(),
            "list".as_ref(),
        ]);
        nobody.cmd.env("OTPIC_CACHE_DIR", kb.cache.path());
        run(&mut nobody.cmd)
    };
    let error = format!(
        "otpic: {}: error: cannot read directory: permission denied\n",
        locked.display()
    );
    assert_eq!(list(), (0, "alpha\tAlpha\n".to_owned(), error.clone()));
    assert_eq!(kb.index_files().len(), 1, "the index is written");
    // Settled: the folder is older than the racy window.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    for run in 0..3 {
        let (_, stdout, stderr) = list();
        assert_eq!(
            (stdout.as_str(), stderr.as_str()),
            ("alpha\tAlpha\n", error.as_str()),
            "run {run}"
        );
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        list(),
        (0, "alpha\tAlpha\nbeta\tBeta\n".to_owned(), String::new())
    );
}

/// Once the files are settled, what reading each gave last time is reused when
/// the index is rebuilt for another file's change, instead of parsing it again:
/// a broken file stays a problem (not an entry), a duplicate stays a
/// duplicate, and takes the id over (parsed now, not copied from another entry)
/// when the file that had it goes. The ids are chosen so that a wrong reuse
/// copies an entry the rebuild has not copied yet (which would be caught as a
/// damaged index and rebuilt from scratch, hiding the mistake).
fn a_broken_file_and_a_duplicate_are_reused_as_such_once_settled(mode: Mode) {
    let kb = basic(mode);
    kb.write("a1.toml", &entry("First A1", &[]));
    kb.write("sub/a1.toml", &entry("Second A1", &[]));
    kb.write("aaa.toml", "title = \"Broken\"\ndefinition = \n");
    let (code, stdout, stderr) = kb.otpic(&["list"]);
    let rest = "alpha\tAlpha\nbeta\tBeta\ngamma\tGamma\n";
    assert_eq!((code, stdout), (0, format!("a1\tFirst A1\n{rest}")));
    let broken = stderr
        .lines()
        .find(|l| l.contains("aaa.toml:2:14: error:"))
        .unwrap_or_else(|| panic!("{stderr}"))
        .to_owned();
    assert!(stderr.contains("duplicate id \"a1\""), "{stderr}");
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    // The first run after the racy window reads the files again and records
    // them as settled.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    for run in 0..2 {
        assert_eq!(
            kb.otpic(&["list"]),
            (code, format!("a1\tFirst A1\n{rest}"), stderr.clone()),
            "run {run}"
        );
    }
    // Rebuilt for a1.toml alone: the broken file's problem is reused.
    kb.write("a1.toml", &entry("First A1 Edited", &[]));
    let (code, stdout, again) = kb.otpic(&["list"]);
    assert_eq!((code, stdout), (0, format!("a1\tFirst A1 Edited\n{rest}")));
    assert_eq!(again, stderr);
    // Rebuilt without a1.toml: the duplicate, known to parse, has the id now.
    fs::remove_file(kb.path("a1.toml")).unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = kb.otpic(&["list"]);
    assert_eq!((code, stdout), (0, format!("a1\tSecond A1\n{rest}")));
    assert_eq!(stderr, format!("{broken}\n"));
    assert!(kb.stdout(&["show", "a1"]).starts_with("Second A1\n"));
}

/// Each set of knowledge bases has its own index file in a shared cache (named
/// by its sources), so that using one does not throw away the other's.
fn knowledge_bases_sharing_a_cache_keep_an_index_each(mode: Mode) {
    let a = basic(mode);
    let b = Kb::new(mode, &[("zeta.toml", &entry("Zeta", &[]))]);
    let in_a_cache = |kb: &Kb, args: &[&str]| {
        let (code, stdout, stderr) = run(mode
            .otpic()
            .env("OTPIC_CACHE_DIR", a.cache.path())
            .arg("--entries")
            .arg(kb.dir.path())
            .args(args));
        assert_eq!((code, stderr.as_str()), (0, ""), "otpic {args:?}");
        stdout
    };
    in_a_cache(&a, &["list"]);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    in_a_cache(&a, &["list"]);
    let settled = fs::read(a.index()).unwrap_or_default();
    assert_eq!(in_a_cache(&b, &["list"]), "zeta\tZeta\n");
    assert_eq!(a.index_files().len(), 2, "{:?}", a.index_files());
    assert_eq!(
        in_a_cache(&a, &["list"]),
        "alpha\tAlpha\nbeta\tBeta\ngamma\tGamma\n"
    );
    let files = a.index_files();
    assert!(
        files
            .iter()
            .any(|f| fs::read(f).unwrap_or_default() == settled),
        "A's index was kept as it was"
    );
}

/// An index older than the one last confirmed, put back in its place (as a slow
/// command that started before a change could rename its index over a newer
/// one): the change watcher's "nothing changed since" was said of the newer
/// index, and must not vouch for this one.
fn an_older_index_put_back_over_a_newer_one_is_checked_not_trusted(mode: Mode) {
    let (kb, old) = settled(mode);
    kb.write("alpha.toml", &entry("Alpho", &["beta"]));
    let changed = "alpha\tAlpho\nbeta\tBeta\ngamma\tGamma\n";
    assert_eq!(kb.stdout(&["list"]), changed);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(kb.stdout(&["list"]), changed);
    assert_eq!(kb.stdout(&["list"]), changed);
    fs::write(kb.index(), &old).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kb.stdout(&["list"]), changed);
    assert!(kb.stdout(&["show", "alpha"]).starts_with("Alpho\n"));
}

/// A directory's entry overrides the built-in one of the same id; once it is
/// gone, the built-in entry is back, as built in (not the directory's data
/// under its name).
fn a_built_in_entry_uncovered_again_is_the_built_in_one(mode: Mode) {
    let kb = basic(mode);
    kb.write("arms-control.toml", &entry("Local Arms Control", &[]));
    let with = |args: &[&str]| {
        let mut all = vec!["--with-embedded"];
        all.extend_from_slice(args);
        kb.stdout(&all)
    };
    assert!(with(&["list"]).contains("arms-control\tLocal Arms Control\n"));
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert!(with(&["list"]).contains("arms-control\tLocal Arms Control\n"));
    fs::remove_file(kb.path("arms-control.toml")).unwrap_or_else(|e| panic!("{e}"));
    let list = with(&["list"]);
    assert!(list.contains("arms-control\tArms Control\n"), "{list}");
    assert!(with(&["show", "arms-control"]).starts_with("Arms Control\n"));
}

/// A rebuild copies an unchanged, settled entry from its own record in the last
/// index, not another's: the last of two entries when the first goes, and the
/// first when the last goes. (With more than one entry copied, a wrong record
/// would be read out of order and the index rebuilt from scratch, hiding it.)
fn an_unchanged_entry_is_copied_from_its_own_record_when_another_goes(mode: Mode) {
    let files = [
        ("first.toml", entry("First", &[])),
        ("second.toml", entry("Second", &["first"])),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let (a, b) = (Kb::new(mode, &files), Kb::new(mode, &files));
    let both = "first\tFirst\nsecond\tSecond\n";
    assert_eq!(
        (a.stdout(&["list"]), b.stdout(&["list"])),
        (both.into(), both.into())
    );
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(
        (a.stdout(&["list"]), b.stdout(&["list"])),
        (both.into(), both.into())
    );
    fs::remove_file(a.path("first.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.stdout(&["list"]), "second\tSecond\n");
    let shown = a.stdout(&["show", "second"]);
    assert!(
        shown.starts_with("Second\n") && shown.contains("- first (unresolved"),
        "{shown}"
    );
    fs::remove_file(b.path("second.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(b.stdout(&["list"]), "first\tFirst\n");
    assert!(b.stdout(&["show", "first"]).starts_with("First\n"));
}
