//! The freshness floor for benchmarks: `stat-floor LIST` does only what every otpic
//! run without a watcher must do to never be stale, and nothing else.
//!
//! LIST holds one entry file path per line, grouped by folder (as `find DIR -name
//! '*.toml'` prints them); reading it stands for reading the index's manifest.
//! Like otpic's walk (`src/index/scan.rs`), it `stat`s each folder, opens it, and
//! `fstatat`s each entry file relative to it, on two threads once there are
//! 2,048 files or more. It prints how many files it could stat.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(list) = std::env::args_os().nth(1) else {
        eprintln!("usage: stat-floor LIST (one entry file path per line)");
        return ExitCode::from(2);
    };
    let text = match std::fs::read(&list) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("stat-floor: {}: {e}", Path::new(&list).display());
            return ExitCode::from(2);
        }
    };
    // Folder → its files' names, in the order met.
    let mut folders: Vec<(PathBuf, Vec<&[u8]>)> = Vec::new();
    let mut at: HashMap<&[u8], usize> = HashMap::new();
    for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let cut = line.iter().rposition(|&b| b == b'/').map_or(0, |i| i + 1);
        let (dir, name) = line.split_at(cut);
        let slot = *at.entry(dir).or_insert_with(|| {
            folders.push((path_of(dir), Vec::new()));
            folders.len() - 1
        });
        folders[slot].1.push(name);
    }
    let opened: Vec<Option<rustix::fd::OwnedFd>> = folders
        .iter()
        .map(|(dir, _)| {
            use rustix::fs::{Mode, OFlags};
            let _ = rustix::fs::stat(dir);
            rustix::fs::open(
                dir,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .ok()
        })
        .collect();
    let files: Vec<(usize, &[u8])> = folders
        .iter()
        .enumerate()
        .flat_map(|(d, (_, names))| names.iter().map(move |n| (d, *n)))
        .collect();
    let stat_some = |part: &[(usize, &[u8])]| -> usize {
        part.iter()
            .filter(|(d, name)| {
                opened[*d].as_ref().is_some_and(|fd| {
                    use std::os::unix::ffi::OsStrExt;
                    let name = std::ffi::OsStr::from_bytes(name);
                    rustix::fs::statat(fd, name, rustix::fs::AtFlags::empty()).is_ok()
                })
            })
            .count()
    };
    let found = if files.len() < 2048 {
        stat_some(&files)
    } else {
        let (a, b) = files.split_at(files.len() / 2);
        std::thread::scope(|s| {
            let other = s.spawn(|| stat_some(a));
            stat_some(b) + other.join().unwrap_or(0)
        })
    };
    println!("{found}");
    ExitCode::SUCCESS
}

fn path_of(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let bytes = if bytes.len() > 1 {
        bytes.strip_suffix(b"/").unwrap_or(bytes)
    } else {
        bytes
    };
    PathBuf::from(std::ffi::OsStr::from_bytes(if bytes.is_empty() {
        b"."
    } else {
        bytes
    }))
}
