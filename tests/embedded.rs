//! The built-in knowledge base alone reads its index from the binary: the cache
//! directory is never opened, created or written, whether it is missing,
//! read-only or fine, and the output is what the run-time index of the same
//! entries gives (built when the built-in entries are merged with an empty folder).
//! Every test runs with and without the change watcher (`OTPIC_WATCH=1`).

mod common;
use common::{otpic, run};
use std::fs;
use std::path::Path;

/// Commands on the built-in knowledge base, one of each kind of index use: a
/// lookup with backlinks, the list, search, links, a misspelling, and `check`.
const COMMANDS: &[&[&str]] = &[
    &["show", "collective", "security"],
    &["list"],
    &["search", "reciprocity"],
    &["related", "collective-security"],
    &["show", "colective-securty"],
    &["check"],
];

/// otpic on the built-in knowledge base, with the cache directory at `cache`
/// (and the watcher on when `watched`).
fn built_in(cache: &Path, watched: bool, args: &[&str]) -> (i32, String, String) {
    let mut cmd = otpic();
    cmd.env("OTPIC_CACHE_DIR", cache).args(args);
    if watched {
        cmd.env("OTPIC_WATCH", "1");
    }
    run(&mut cmd)
}

/// The same command through the run-time index: the built-in entries merged
/// with an empty folder, indexed in a cache of its own.
fn through_the_run_time_index(args: &[&str]) -> (i32, String, String) {
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = run(otpic()
        .env("OTPIC_CACHE_DIR", cache.path())
        .arg("--entries")
        .arg(empty.path())
        .arg("--with-embedded")
        .args(args));
    let indexed = fs::read_dir(cache.path()).map_or(0, |r| r.count());
    assert_eq!(
        indexed, 1,
        "the merged knowledge base is indexed at run time"
    );
    out
}

/// Everything under `dir`: (path, length, modification time), sorted.
fn snapshot(dir: &Path) -> Vec<(String, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        let meta = fs::metadata(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        out.push((
            d.display().to_string(),
            meta.len(),
            meta.modified().unwrap_or_else(|e| panic!("{e}")),
        ));
        if meta.is_dir() {
            for item in fs::read_dir(&d).into_iter().flatten().flatten() {
                todo.push(item.path());
            }
        }
    }
    out.sort();
    out
}

fn each_mode(test: impl Fn(bool)) {
    test(false);
    test(true);
}

#[test]
fn with_the_cache_directory_missing_nothing_is_created_and_the_output_is_the_same() {
    each_mode(|watched| {
        let scratch = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let missing = scratch.path().join("cache");
        for args in COMMANDS {
            let got = built_in(&missing, watched, args);
            assert_eq!(got, through_the_run_time_index(args), "otpic {args:?}");
            assert!(
                !missing.exists(),
                "otpic {args:?} created the cache directory"
            );
        }
        assert_eq!(fs::read_dir(scratch.path()).map_or(0, |r| r.count()), 0);
    });
}

#[test]
fn a_cache_directory_is_left_untouched_and_the_output_is_the_same() {
    each_mode(|watched| {
        let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        fs::write(cache.path().join("unrelated.idx"), "not ours").unwrap_or_else(|e| panic!("{e}"));
        let before = snapshot(cache.path());
        for args in COMMANDS {
            let got = built_in(cache.path(), watched, args);
            assert_eq!(got, through_the_run_time_index(args), "otpic {args:?}");
            assert_eq!(
                snapshot(cache.path()),
                before,
                "otpic {args:?} touched the cache"
            );
        }
    });
}

/// Without `OTPIC_CACHE_DIR`, the platform's cache directory (here the test's
/// own `XDG_CACHE_HOME`) gets no `otpic` folder either.
#[test]
fn the_default_cache_directory_gets_nothing() {
    let cache = common::scratch_home().join("cache");
    for args in COMMANDS {
        let (code, _, stderr) = run(otpic().args(*args));
        assert!(code == 0 || args[1] == "colective-securty", "{stderr}");
        assert!(
            !cache.join("otpic").exists(),
            "otpic {args:?} wrote a cache"
        );
    }
}

/// A read-only cache directory: as root (CI), otpic runs as `nobody`, for whom
/// the directory is read-only too.
#[cfg(unix)]
#[test]
fn a_read_only_cache_directory_is_no_error_and_stays_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    fs::set_permissions(cache.path(), fs::Permissions::from_mode(0o555))
        .unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(cache.path());
    for args in COMMANDS {
        let os: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        let mut nobody = common::unprivileged(&os);
        nobody.cmd.env("OTPIC_CACHE_DIR", cache.path());
        let got = run(&mut nobody.cmd);
        assert_eq!(got, through_the_run_time_index(args), "otpic {args:?}");
        assert_eq!(
            snapshot(cache.path()),
            before,
            "otpic {args:?} touched the cache"
        );
    }
    fs::set_permissions(cache.path(), fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Merged with a folder, the built-in entries are indexed at run time with it,
/// in the cache, as before.
#[test]
fn merged_with_a_folder_the_built_in_entries_are_indexed_in_the_cache() {
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = run(otpic()
        .env("OTPIC_CACHE_DIR", cache.path())
        .arg("--entries")
        .arg(common::fixture("basic"))
        .arg("--with-embedded")
        .args(["show", "collective-security"]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.starts_with("Collective Security\n"), "{stdout}");
    assert_eq!(fs::read_dir(cache.path()).map_or(0, |r| r.count()), 1);
}
