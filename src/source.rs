//! Where entries come from: the embedded knowledge base or directories of TOML files.
//!
//! This module finds entry files and reads their text; it never parses them.
//! Anything wrong with one file becomes a [`Diagnostic`] for that file, so the
//! others still load. Only a knowledge base directory that cannot be used at all
//! is an [`Error`].

use crate::diagnostic::{Diagnostic, Position};
use crate::error::{Error, describe};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::built_in as embedded;

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
    let cannot = |err: std::io::Error| format!("cannot read file: {}", describe(&err));
    // Opened first and asked what it is after, by its descriptor (a look-up of
    // the path fewer, on every file `check` reads); without blocking, so that a
    // FIFO is only opened, never waited on.
    let file = match open_nonblocking(path) {
        Ok(file) => file,
        Err(err) => {
            // A socket cannot be opened at all: say what it is, as for a FIFO.
            return Err(match fs::metadata(path) {
                Ok(meta) if !meta.is_file() => "not a regular file; skipped".into(),
                _ => cannot(err),
            });
        }
    };
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err("not a regular file; skipped".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    // One read asking for a byte more than the file's size nearly always gets
    // the whole file; getting exactly its size, it is the whole file (it has no
    // more), and the read that would only say so is saved. Otherwise (it grew
    // or shrank since) the rest is read to the end.
    let len = meta.len() as usize;
    let mut bytes = vec![0u8; len + 1];
    let mut file = file.take(MAX_FILE_BYTES + 1);
    let first = loop {
        match file.read(&mut bytes) {
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            read => break read.map_err(cannot)?,
        }
    };
    bytes.truncate(first);
    if first != len {
        file.read_to_end(&mut bytes).map_err(cannot)?;
    }
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

/// Opens `path` to read, without waiting for a writer if it is a FIFO.
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
}

/// Opens `path` to read (no FIFOs to wait on here).
#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<fs::File> {
    fs::File::open(path)
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
    fn the_stem_drops_folders_and_extension() {
        assert_eq!(stem("sub/dir/peace-zones.toml"), "peace-zones");
    }

    /// What an entry file that is not a regular file reads as: a FIFO is only
    /// opened (reading it would wait for a writer forever), a socket cannot be
    /// opened at all; both are skipped with the same words, as is a folder.
    #[cfg(unix)]
    #[test]
    fn names_that_are_not_regular_files_are_skipped_without_waiting() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let fifo = dir.path().join("fifo.toml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap_or_else(|e| panic!("mkfifo: {e}"));
        assert!(made.success());
        let socket = dir.path().join("socket.toml");
        let _listener =
            std::os::unix::net::UnixListener::bind(&socket).unwrap_or_else(|e| panic!("{e}"));
        let folder = dir.path().join("folder.toml");
        fs::create_dir(&folder).unwrap_or_else(|e| panic!("{e}"));
        for path in [&fifo, &socket, &folder] {
            let message = match read_entry_file(path).text {
                Err(d) => d.message,
                Ok(text) => panic!("{} read as {text:?}", path.display()),
            };
            assert_eq!(message, "not a regular file; skipped", "{}", path.display());
        }
        let missing = read_entry_file(&dir.path().join("missing.toml"));
        let message = missing.text.err().map(|d| d.message).unwrap_or_default();
        assert!(message.starts_with("cannot read file: "), "{message}");
        let file = dir.path().join("a.toml");
        fs::write(&file, "title = \"A\"\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            read_entry_file(&file).text.ok().as_deref(),
            Some("title = \"A\"\n")
        );
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
