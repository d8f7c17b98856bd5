//! The index file in the cache directory: written to a temporary file next to
//! its final place and renamed there once complete, so that a reader sees the
//! old file or the new one, never half of one; and the cache pruned of what it
//! no longer needs.

use super::super::scan::Scan;
use super::super::{Backing, Index, Key, Unusable};
use super::build_into;
use std::io;
use std::path::Path;
use tempfile::NamedTempFile;

/// A temporary file in `path`'s directory (created if missing), named after
/// `path` so that [`prune`] knows it; removed when dropped unless persisted.
pub(super) fn create(path: &Path) -> io::Result<NamedTempFile> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
}

/// Builds the index into `tmp`, then renames it to `path`.
pub(super) fn build(
    tmp: NamedTempFile,
    key: &Key,
    old: Option<&Index>,
    scans: Vec<Option<Scan<'_>>>,
    texts: &[(String, String)],
    path: &Path,
    now: i64,
) -> Result<Index, Unusable> {
    let out = io::BufWriter::with_capacity(1 << 16, tmp.as_file());
    build_into(out, key, old, scans, texts, now)?
        .into_inner()
        .map_err(|e| e.into_error())?;
    // On failure the temporary file is dropped, which removes it.
    let file = tmp.persist(path).map_err(|e| e.error)?;
    let id = super::super::checked::FileId::of(&file);
    let index = Index::from_file(Backing::file(file), id, key, &[], None)?;
    prune(path.parent().unwrap_or(Path::new(".")), path);
    Ok(index)
}

/// Removes what the cache no longer needs: temporary files a killed run left
/// behind (after a day) and indexes not rebuilt for 90 days (their knowledge
/// bases are likely gone; one still in use is simply rebuilt).
fn prune(dir: &Path, keep: &Path) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for item in read.flatten() {
        let path = item.path();
        let name = item.file_name();
        let name = name.to_string_lossy();
        // Only otpic's own files: 16 hex digits and `.idx`, or a temporary one
        // named after them (the directory may be shared with other programs).
        let ours = |n: &str| {
            n.len() == 20 && n.ends_with(".idx") && n[..16].bytes().all(|b| b.is_ascii_hexdigit())
        };
        let max_days = match name.strip_prefix('.') {
            Some(tmp) if tmp.ends_with(".tmp") && tmp.get(..20).is_some_and(ours) => 1,
            None if ours(&name) && path != keep => 90,
            _ => continue,
        };
        let age = item
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok());
        if age.is_some_and(|a| a.as_secs() > max_days * 86_400) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_removes_only_old_files_of_otpic() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let day = 86_400;
        let make = |name: &str, age: u64| {
            let path = dir.path().join(name);
            let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
            let then = std::time::SystemTime::now() - std::time::Duration::from_secs(age);
            file.set_modified(then).unwrap_or_else(|e| panic!("{e}"));
        };
        make("0123456789abcdef.idx", 100 * day);
        make("fedcba9876543210.idx", 0);
        make("1111111111111111.idx", 30 * day);
        make("aaaaaaaaaaaaaaaa.idx", 100 * day);
        make(".0123456789abcdef.idx.12.34.tmp", 100 * day);
        make(".2222222222222222.idx.56.78.tmp", 2 * day);
        make(".1111111111111111.idx.90.12.tmp", 3600);
        make("notes.idx", 100 * day);
        make("zzzzzzzzzzzzzzzz.idx", 100 * day);
        make("0123456789abcdef.txt", 100 * day);
        make(".other.tmp", 100 * day);
        let keep = dir.path().join("aaaaaaaaaaaaaaaa.idx");
        prune(dir.path(), &keep);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .map(|r| {
                r.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        left.sort();
        assert_eq!(
            left,
            [
                ".1111111111111111.idx.90.12.tmp",
                ".other.tmp",
                "0123456789abcdef.txt",
                "1111111111111111.idx",
                "aaaaaaaaaaaaaaaa.idx",
                "fedcba9876543210.idx",
                "notes.idx",
                "zzzzzzzzzzzzzzzz.idx"
            ]
        );
    }
}
