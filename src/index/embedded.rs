//! The index of the built-in knowledge base, made when otpic is built.
//!
//! `build.rs` compiles this module with the rest of the index code (`#[path]`
//! modules) and calls [`build`] on the files under `entries/`, so the index in
//! the binary is what the run-time builder would write for the built-in
//! knowledge base alone: one builder, one format (a unit test below compares the
//! two byte for byte). A command on the built-in knowledge base alone reads its
//! index from the binary: it opens, writes and walks nothing, so it works with the
//! cache directory missing or read-only. Merged with directories, the built-in
//! entries are indexed at run time with them, as before.
//!
//! Nothing in it can change after the build, so it is built as of time 0 (the
//! build is reproducible) and no walk is needed to trust it.

use super::layout::Sec;
use super::{Backing, Index, Key, Unusable, build};
use crate::error::{Error, Result};
use crate::source::Source;

/// The key line that names the built-in knowledge base made of `files`
/// (path under `entries/`, text): a hash of their paths and contents.
pub(super) fn key_line<R: AsRef<str>, T: AsRef<str>>(files: &[(R, T)]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (rel, body) in files {
        hasher.update(rel.as_ref().as_bytes());
        hasher.update(&[0]);
        hasher.update(body.as_ref().as_bytes());
        hasher.update(&[0]);
    }
    format!("embedded {:016x}\n", hasher.digest())
}

/// The key of the built-in knowledge base alone, made of `files`.
fn key<R: AsRef<str>, T: AsRef<str>>(files: &[(R, T)]) -> Key {
    let mut text = format!("otpic index {}\n", env!("CARGO_PKG_VERSION"));
    text.push_str(&key_line(files));
    Key {
        roots: vec![Source::Embedded],
        text: text.into_bytes(),
    }
}

/// The index of a built-in knowledge base made of `files` (path under
/// `entries/`, text, sorted by path), and its key: what `build.rs` embeds.
pub fn build(files: &[(String, String)]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let key = key(files);
    let bytes = build::build_bytes(&key, files, 0).map_err(|e| e.0)?;
    Ok((bytes, key.text))
}

/// The built-in knowledge base's index, from the binary, with `wanted` loaded.
pub(super) fn open(wanted: &[Sec]) -> Result<Index> {
    let key = Key {
        roots: vec![Source::Embedded],
        text: crate::built_in::INDEX_KEY.as_bytes().to_vec(),
    };
    Index::from_backing(Backing::Static(crate::built_in::INDEX), &key, wanted)
        .map_err(|Unusable(why)| Error::Index(format!("the built-in index is unusable: {why}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{Part, layout};

    /// What the run-time builder makes of the built-in knowledge base alone:
    /// the key [`Key::new`] gives it, built in memory, as of time 0.
    fn built_at_run_time() -> (Vec<u8>, Key) {
        let key = match Key::new(&[Source::Embedded]) {
            Ok(key) => key,
            Err(e) => panic!("{e}"),
        };
        let index = match build::build(&key, None, None, 0) {
            Ok(index) => index,
            Err(e) => panic!("{e}"),
        };
        match index.backing {
            Backing::Memory(bytes) => (bytes, key),
            _ => panic!("an index built without a path is in memory"),
        }
    }

    #[test]
    fn the_built_in_index_is_what_the_run_time_builder_makes() {
        let (bytes, key) = built_at_run_time();
        assert_eq!(crate::built_in::INDEX_KEY.as_bytes(), key.text.as_slice());
        // Section by section first, to name the one that differs.
        let built_in = Index::from_backing(Backing::Static(crate::built_in::INDEX), &key, &[])
            .unwrap_or_else(|e| panic!("{}", e.0));
        let run_time = Index::from_backing(Backing::Memory(bytes.clone()), &key, &[])
            .unwrap_or_else(|e| panic!("{}", e.0));
        for sec in layout::ALL {
            assert!(built_in.load(&[sec]).is_ok() && run_time.load(&[sec]).is_ok());
            assert!(
                built_in.section(sec) == run_time.section(sec),
                "section {sec:?} of the built-in index differs from a run-time build"
            );
        }
        assert!(crate::built_in::INDEX == bytes.as_slice());
    }

    #[test]
    fn the_built_in_index_holds_every_built_in_entry() {
        let index = open(&layout::ALL).unwrap_or_else(|e| panic!("{e}"));
        let files = crate::source::embedded_files();
        assert!(!files.is_empty());
        assert_eq!(index.len(), files.len());
        for (rel, _) in files {
            let id = crate::source::stem(rel);
            let i = index
                .by_id(id)
                .unwrap_or_else(|| panic!("{id} is not in the index"));
            assert_eq!(index.file_display(i), crate::source::embedded_display(rel));
        }
        let any = index.by_id("collective-security");
        assert!(any.is_some_and(|i| index.entry(i).is_ok()));
    }

    #[test]
    fn opening_the_built_in_knowledge_base_alone_uses_the_built_in_index() {
        let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let missing = cache.path().join("missing");
        let index = Index::open(&[Source::Embedded], Some(&missing), &[Part::Names])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(index.backing, Backing::Static(_)));
        assert!(!missing.exists());
    }

    /// Its sections are read in place: borrowed from the binary, not copied.
    #[test]
    fn the_built_in_index_s_sections_are_borrowed_from_the_binary() {
        let index = open(&layout::ALL).unwrap_or_else(|e| panic!("{e}"));
        for sec in layout::ALL {
            assert!(
                matches!(
                    index.data[sec as usize].get(),
                    Some(super::super::Loaded::At(..))
                ),
                "section {sec:?} was copied"
            );
        }
    }

    #[test]
    fn a_changed_entry_changes_the_key() {
        let a = key(&[("a.toml", "title = \"A\"")]);
        let b = key(&[("a.toml", "title = \"B\"")]);
        let c = key(&[("b.toml", "title = \"A\"")]);
        assert_ne!(a.text, b.text);
        assert_ne!(a.text, c.text);
    }
}
