//! The opt-in change watcher: a background process per knowledge base that the
//! operating system tells of every change, so that a command can ask "what changed
//! since my index?" instead of looking at every entry file (as git's fsmonitor).
//!
//! Invariants, which every part keeps:
//! - A token names a point in one watcher's stream of events: its instance (new
//!   for every process), its generation (new after every queue overflow or watch
//!   error) and a sequence number. An index is stored with the token that was
//!   current *before* the full check that produced or confirmed it, so every
//!   change after that check has a later sequence number.
//! - Before answering, the watcher writes a cookie file into a directory it watches
//!   with the same inotify instance and waits to see its event: events arrive in
//!   order, so every change made before the question has then been counted.
//! - Any doubt means the full check ([`crate::index`]'s scan): no answer within the
//!   timeout, another instance, generation or version, a folder created or moved
//!   in moments ago, a file system without change events, a symlink in the tree.
//!
//! Files live in `<cache>/watch/` (created 0700): per knowledge base (named by a
//! hash of its canonical path) a socket (0600), a pid file, a lock file held by
//! the running watcher, its log and its cookie folder; per index, the token it was
//! last confirmed at.

#[cfg(unix)]
pub mod client;
#[cfg(unix)]
pub mod protocol;
#[cfg(unix)]
pub mod server;

use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a watcher waits for a question before it exits, by default.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(30 * 60);
/// How long a command waits for a watcher's answer before it does the full check.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(25);

/// Whether and how commands use a watcher, resolved once from the config file
/// (`watch`, `watch_idle_minutes`) and the environment (`OTPIC_WATCH`,
/// `OTPIC_WATCH_IDLE_SECS`, `OTPIC_WATCH_TIMEOUT_MS`, `OTPIC_WATCH_DEBUG`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub enabled: bool,
    /// A watcher started by this command exits after this long without a question.
    pub idle: Duration,
    /// How long to wait for an answer.
    pub timeout: Duration,
    /// Tell stderr what the watcher answered and what the command did about it.
    pub debug: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            enabled: false,
            idle: DEFAULT_IDLE,
            timeout: DEFAULT_TIMEOUT,
            debug: false,
        }
    }
}

/// The files of the watcher of one knowledge base directory.
#[derive(Debug, Clone)]
pub struct Place {
    /// `<cache>/watch`.
    pub dir: PathBuf,
    /// The hash of the canonical knowledge base path, naming its files.
    pub stem: String,
}

impl Place {
    /// The place of the watcher of `root` (a canonical path) under `cache`.
    pub fn new(cache: &Path, root: &Path) -> Place {
        Place {
            dir: watch_dir(cache),
            stem: format!(
                "{:016x}",
                xxhash_rust::xxh3::xxh3_64(root.as_os_str().as_encoded_bytes())
            ),
        }
    }

    /// The place a `*.pid` file in the watch folder belongs to.
    pub fn of_file(dir: &Path, stem: &str) -> Place {
        Place {
            dir: dir.to_owned(),
            stem: stem.to_owned(),
        }
    }

    fn file(&self, ext: &str) -> PathBuf {
        self.dir.join(format!("{}.{ext}", self.stem))
    }

    pub fn socket(&self) -> PathBuf {
        self.file("sock")
    }

    pub fn pid_file(&self) -> PathBuf {
        self.file("pid")
    }

    pub fn lock_file(&self) -> PathBuf {
        self.file("lock")
    }

    pub fn log_file(&self) -> PathBuf {
        self.file("log")
    }

    pub fn cookies(&self) -> PathBuf {
        self.file("cookies")
    }

    /// Why the last watcher could not start, if it could not.
    pub fn failed_file(&self) -> PathBuf {
        self.file("failed")
    }
}

/// `<cache>/watch`: the watchers' files and the indexes' tokens.
pub fn watch_dir(cache: &Path) -> PathBuf {
    cache.join("watch")
}

/// Whether change events can be trusted on the file system holding `path`: not on
/// network and FUSE file systems, where changes made by other machines (or by the
/// FUSE server) send none.
pub fn supported_fs(path: &Path) -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        let st = rustix::fs::statfs(path).map_err(|e| format!("statfs: {e}"))?;
        #[allow(clippy::unnecessary_cast)] // the field's type differs between targets
        let kind = st.f_type as i64 as u32;
        match unsupported_fs_name(kind) {
            Some(name) => Err(format!("a {name} file system sends no change events")),
            None => Ok(()),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        Ok(())
    }
}

/// The name of a Linux file system type (`statfs` magic) that has no reliable change events.
pub fn unsupported_fs_name(magic: u32) -> Option<&'static str> {
    Some(match magic {
        0x6969 => "NFS",
        0x517b => "SMB",
        0xff53_4d42 => "CIFS",
        0xfe53_4d42 => "SMB2",
        0x6573_5546 => "FUSE",
        0x0102_1997 => "9P",
        0x7375_7245 => "Coda",
        0x5346_414f => "AFS",
        0x00c3_6400 => "Ceph",
        0x0bd0_0bd0 => "Lustre",
        0x4750_4653 => "GPFS",
        _ => return None,
    })
}

/// Hex of a path's bytes, so that any path fits in one space-separated word.
pub fn hex_path(path: &Path) -> String {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The path [`hex_path`] made.
pub fn unhex_path(hex: &str) -> Option<PathBuf> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes?)))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes?).ok().map(PathBuf::from)
    }
}

/// What a command learned from the watchers of its knowledge base directories
/// (none where there is no watcher: every answer is then "do the full check").
#[cfg(not(unix))]
pub mod client {
    //! No watcher on this platform: every command does the full check.
    use std::path::{Path, PathBuf};

    pub struct Session;

    impl Session {
        pub fn begin(
            _cache: &Path,
            _index: &str,
            _roots: &[PathBuf],
            _options: &super::Options,
        ) -> Option<Session> {
            None
        }

        pub fn unchanged(&self, _state: u64) -> bool {
            false
        }

        pub fn remember(&self, _state: u64) {}

        pub fn skipped(&self) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_survive_hex_with_spaces_and_newlines() {
        let path = Path::new("/tmp/a b\nc/é");
        assert_eq!(unhex_path(&hex_path(path)).as_deref(), Some(path));
        assert_eq!(unhex_path("abc"), None);
        assert_eq!(unhex_path("zz"), None);
    }

    #[test]
    fn network_and_fuse_file_systems_are_refused_local_ones_not() {
        assert_eq!(unsupported_fs_name(0x6969), Some("NFS"));
        assert_eq!(unsupported_fs_name(0x6573_5546), Some("FUSE"));
        // ext4, tmpfs, btrfs, overlayfs, xfs.
        for local in [0xef53, 0x0102_1994, 0x9123_683e, 0x794c_7630, 0x5846_5342] {
            assert_eq!(unsupported_fs_name(local), None, "{local:x}");
        }
    }

    #[test]
    fn each_knowledge_base_has_its_own_files() {
        let a = Place::new(Path::new("/c"), Path::new("/kb/a"));
        let b = Place::new(Path::new("/c"), Path::new("/kb/b"));
        assert_ne!(a.socket(), b.socket());
        assert!(a.socket().starts_with("/c/watch"));
        assert!(a.socket().to_string_lossy().ends_with(".sock"));
    }
}
