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

    /// Queries near each of `names`: each word cut short, misspelt in every way
    /// (a letter dropped, doubled, changed, two swapped: at its start, middle and
    /// end), dropped or doubled; the name run together; more than sixteen words.
    fn queries(names: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for name in names {
            let words: Vec<&str> = name.split('-').collect();
            out.push(name.replace('-', ""));
            out.push([*name; 9].join("-"));
            for (i, w) in words.iter().enumerate() {
                let with = |new: &str| {
                    let mut ws: Vec<&str> = words.clone();
                    ws[i] = new;
                    ws.join("-")
                };
                let b = w.as_bytes();
                let mut places = vec![0, b.len() / 2, b.len().saturating_sub(1)];
                places.dedup();
                for at in places.into_iter().filter(|&at| at < b.len()) {
                    let cut: Vec<u8> = [&b[..at], &b[at + 1..]].concat();
                    let twice: Vec<u8> = [&b[..=at], &b[at..]].concat();
                    let mut other = b.to_vec();
                    other[at] = if b[at] == b'z' { b'q' } else { b'z' };
                    let mut swapped = b.to_vec();
                    if at + 1 < b.len() {
                        swapped.swap(at, at + 1);
                    }
                    for v in [cut, twice, other, swapped, b[..at].to_vec()] {
                        out.push(with(&String::from_utf8_lossy(&v)));
                    }
                }
                out.push(with(""));
                out.push(with(&format!("{w}-{w}")));
            }
        }
        out
    }

    #[test]
    fn the_words_of_the_names_leave_exactly_the_names_every_name_tried_leaves() {
        use crate::index::{Index, layout::ALL};
        let built_in = open(&ALL).unwrap_or_else(|e| panic!("{e}"));
        let texts = [
            (
                "naive",
                "title = \"Naïve Realism\"\ndefinition = \"d\"\naliases = [\"Café Diplomacy\"]\n",
            ),
            (
                "long",
                "title = \"A Very Long Name Of Many Words In A Row For Nothing At All\"\ndefinition = \"d\"\n",
            ),
        ];
        let small = Index::from_texts(&texts);
        for index in [&built_in, &small] {
            let every = index.with_prefix("");
            let mut names: Vec<&str> = every.iter().map(|(n, _)| *n).collect();
            names.dedup();
            assert!(names.len() >= 2, "{names:?} {}", index.len());
            let (mut by_words, mut total) = (0, 0);
            // Queries near a quarter of the built-in names (all of the few), each
            // compared with them all.
            let some: Vec<&str> = names
                .iter()
                .copied()
                .step_by(if names.len() > 50 { 4 } else { 1 })
                .collect();
            for q in queries(&some) {
                let q = crate::name::normalize(&q);
                let probe = crate::fuzzy::Probe::new(&q);
                let all = index.near_by_names(&probe, names.len());
                if let Some(found) = index.near_by_words(&probe, names.len()) {
                    assert_eq!(found, all, "{q}");
                    by_words += 1;
                } else {
                    assert!(probe.words() > 16, "{q}");
                }
                total += all.len();
            }
            assert!(by_words > 100 && total > by_words, "{by_words} {total}");
        }
    }
}
