//! Where entries come from: the embedded knowledge base or directories of TOML files.
//!
//! This module finds entry files and reads their text; it never parses them.
//! Anything wrong with one file becomes a [`Diagnostic`] for that file, so the
//! others still load. Only a knowledge base directory that cannot be used at all
//! is an [`Error`].

use crate::diagnostic::{Diagnostic, Position};
use crate::error::{Error, describe};
use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The embedded knowledge base: (path under `entries/`, text), sorted by path.
pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
    embedded::FILES
}

/// The embedded knowledge base's relation types (`entries/.otpic.toml`), if any.
pub fn embedded_relations() -> Option<&'static str> {
    embedded::RELATIONS
}

/// The file that declares a knowledge base's relation types, at its root.
pub const RELATIONS_FILE: &str = ".otpic.toml";

/// How the embedded file at `rel` is named in messages.
pub fn embedded_display(rel: &str) -> String {
    format!("embedded:entries/{rel}")
}

/// The largest entry file otpic reads; larger ones are reported and skipped.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// A knowledge base: the one built into the binary, or a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Embedded,
    Dir(PathBuf),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Embedded => f.write_str("(embedded OTPIC knowledge base)"),
            Source::Dir(path) => write!(f, "{}", path.display()),
        }
    }
}

/// One entry file: its id (the file stem), the name to show in messages, and its
/// text, or the reason it could not be read.
#[derive(Debug)]
pub struct EntryFile {
    pub id: String,
    pub display: String,
    pub path: Option<PathBuf>,
    pub text: Result<String, Diagnostic>,
}

/// The entry files of a directory, sorted by path, and the problems met walking
/// it; nothing is read yet.
pub fn entry_paths(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), Error> {
    check_dir(dir)?;
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut paths = Vec::new();
    walk(dir, &mut seen, &mut paths, &mut problems);
    paths.sort();
    Ok((paths, problems))
}

/// Fails unless `dir` is a directory that can be read.
pub fn check_dir(dir: &Path) -> Result<(), Error> {
    let meta = fs::metadata(dir).map_err(|err| Error::Source {
        path: dir.to_owned(),
        reason: describe(&err),
    })?;
    if !meta.is_dir() {
        return Err(Error::Source {
            path: dir.to_owned(),
            reason: "not a directory".into(),
        });
    }
    if let Err(err) = fs::read_dir(dir) {
        return Err(Error::Source {
            path: dir.to_owned(),
            reason: describe(&err),
        });
    }
    Ok(())
}

/// Collects the paths of entry files under `dir`, following symlinks but never
/// entering a directory twice (so a symlink loop ends).
fn walk(
    dir: &Path,
    seen: &mut HashSet<DirKey>,
    paths: &mut Vec<PathBuf>,
    problems: &mut Vec<Diagnostic>,
) {
    let unreadable = |err: std::io::Error| {
        Diagnostic::error(
            dir.display().to_string(),
            None,
            format!("cannot read directory: {}", describe(&err)),
        )
    };
    let key = match dir_key(dir) {
        Ok(key) => key,
        Err(err) => return problems.push(unreadable(err)),
    };
    if !seen.insert(key) {
        problems.push(Diagnostic::warning(
            dir.display().to_string(),
            None,
            "directory already visited (a symlink loop?); skipped",
        ));
        return;
    }
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(err) => return problems.push(unreadable(err)),
    };
    let mut items: Vec<_> = read.flatten().collect();
    items.sort_by_key(|item| item.file_name());
    for item in items {
        let name = item.file_name();
        let name = name.to_string_lossy();
        if is_ignored(&name) {
            continue;
        }
        let path = item.path();
        let is_dir = match classify(&item, &name) {
            Ok(Some(kind)) => kind.is_dir,
            Ok(None) => continue,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        if is_dir {
            walk(&path, seen, paths, problems);
        } else if name.ends_with(".toml") {
            paths.push(path);
        }
    }
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
        Err(err) if name.ends_with(".toml") || err.raw_os_error() == Some(40) => {
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

#[cfg(unix)]
type DirKey = (u64, u64);
#[cfg(not(unix))]
type DirKey = PathBuf;

#[cfg(unix)]
fn dir_key(dir: &Path) -> std::io::Result<DirKey> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(dir)?;
    Ok((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn dir_key(dir: &Path) -> std::io::Result<DirKey> {
    fs::canonicalize(dir)
}

pub fn read_entry_file(path: &Path) -> EntryFile {
    let display = path.display().to_string();
    let id = path
        .file_name()
        .map(|n| stem(&n.to_string_lossy()).to_owned())
        .unwrap_or_default();
    let text = read_text(path).map_err(|message| Diagnostic::error(display.clone(), None, message));
    let text = match text {
        Ok(Err(bad)) => Err(bad.into_diagnostic(&display)),
        Ok(Ok(text)) => Ok(text),
        Err(d) => Err(d),
    };
    EntryFile {
        id,
        display,
        path: Some(path.to_owned()),
        text,
    }
}

/// Reads a file's text within the size limit: the outer error is a reason the file
/// could not be read, the inner one says where it stops being UTF-8.
fn read_text(path: &Path) -> Result<Result<String, NotUtf8>, String> {
    let meta = fs::metadata(path).map_err(|err| format!("cannot read file: {}", describe(&err)))?;
    if !meta.is_file() {
        return Err("not a regular file; skipped".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let file =
        fs::File::open(path).map_err(|err| format!("cannot read file: {}", describe(&err)))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| format!("cannot read file: {}", describe(&err)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.into_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
        NotUtf8 {
            at: Position::at(&prefix, prefix.len()),
        }
    }))
}

fn too_large(len: u64) -> String {
    format!(
        "file is {len} bytes, over the {} MiB limit for an entry; skipped",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// Where a file stops being valid UTF-8.
struct NotUtf8 {
    at: Position,
}

impl NotUtf8 {
    fn into_diagnostic(self, display: &str) -> Diagnostic {
        Diagnostic::error(
            display,
            Some(self.at),
            "file is not valid UTF-8; save it as UTF-8",
        )
    }
}

/// The file name without its `.toml` extension and folders.
pub fn stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.strip_suffix(".toml").unwrap_or(name)
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

    #[test]
    fn the_stem_drops_folders_and_extension() {
        assert_eq!(stem("sub/dir/peace-zones.toml"), "peace-zones");
    }

    #[test]
    fn the_embedded_knowledge_base_is_listed() {
        assert!(!embedded_files().is_empty());
        assert!(
            embedded_files()
                .iter()
                .all(|(rel, _)| rel.ends_with(".toml"))
        );
    }
}
