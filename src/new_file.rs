//! Creating a file atomically and never over an existing one.
//!
//! The text is written to a temporary file in the same directory, synced, and then
//! given its final name without replacing anything (tempfile's `persist_noclobber`:
//! `renameat2(RENAME_NOREPLACE)`, or `link` then `unlink`). A reader never sees a
//! partial file; on any failure (a read-only directory, a full disk, a name taken in
//! the meantime) the temporary file is removed and nothing is left behind.

use crate::error::{Error, Result};
use std::io::{ErrorKind, Write};
use std::path::Path;

/// Creates `path` holding `contents`, or fails if anything exists at `path`.
pub fn create(path: &Path, contents: &[u8]) -> Result<()> {
    let fail = |reason: String| Error::File {
        path: path.to_owned(),
        reason,
    };
    let exists = || fail("already exists; otpic never overwrites a file".into());
    if path.symlink_metadata().is_ok() {
        return Err(exists());
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let describe = |err: &std::io::Error| format!("cannot create: {}", crate::error::describe(err));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".otpic-new-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Like any new file: 0666 less the umask (tempfile's default is 0600).
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(|e| fail(describe(&e)))?;
    temp.write_all(contents)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| fail(describe(&e)))?;
    temp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == ErrorKind::AlreadyExists {
            exists()
        } else {
            fail(describe(&e.error))
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|r| {
                r.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn a_new_file_gets_the_contents_and_no_temporary_file_is_left() {
        let dir = scratch();
        let path = dir.path().join("a.toml");
        assert!(create(&path, b"x = 1\n").is_ok());
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("x = 1\n")
        );
        assert_eq!(names(dir.path()), ["a.toml"]);
    }

    #[test]
    fn an_existing_file_is_never_overwritten() {
        let dir = scratch();
        let path = dir.path().join("a.toml");
        assert!(std::fs::write(&path, "old").is_ok());
        let err = create(&path, b"new").err().map(|e| e.to_string());
        assert!(
            err.is_some_and(
                |e| e.ends_with("a.toml: already exists; otpic never overwrites a file")
            )
        );
        assert_eq!(std::fs::read_to_string(&path).ok().as_deref(), Some("old"));
        assert_eq!(names(dir.path()), ["a.toml"]);
    }
}
