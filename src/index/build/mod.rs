//! Building an index, stage by stage: the files are gathered and grouped by id
//! ([`candidates`]); each group is decided, which file wins and which are
//! duplicates ([`decide`]), reading and parsing only the files that changed, on
//! two threads when there are many ([`parse`], keeping what [`fresh`] says), the rest copied from the last
//! index; the winners become entry records ([`entries`]); the manifest of what
//! was read is recorded ([`manifest`]); the postings are merged ([`postings`]);
//! names, links and backlinks are computed for the whole knowledge base
//! ([`link`]); and the file is written next to its final place and renamed
//! over the old one ([`cache`]).
//!
//! Entries are produced in id order, which is the order of the index, by
//! grouping the files by id (their stem) first: every group is decided on its
//! own, exactly as [`crate::kb`] decides it, so the index says what loading
//! every file would say.

mod cache;
mod candidates;
mod decide;
mod entries;
mod fresh;
mod link;
mod manifest;
mod name_words;
mod old;
mod parse;
mod postings;

use super::layout::{NONE, Sec, Writer};
use super::records;
use super::scan::{self, Scan};
use super::{Backing, Index, Key, Problem, Unusable, outcome};
use crate::error::{Error, Result};
use crate::source::{self, Source};
use entries::{Consumer, Entries};
use old::SeqReader;
use rustc_hash::FxHashMap;
use std::io::{self, Seek, Write};
use std::path::Path;

/// What a rebuild may reuse: the last index and the walk that compared it.
pub(super) struct Reuse<'a> {
    pub old: &'a Index,
    pub scans: Vec<Option<Scan<'a>>>,
}

/// Builds the index of `key`'s sources, writing it to `path` when given (else
/// keeping it in memory), reusing what `reuse` offers.
pub(super) fn build(
    key: &Key,
    reuse: Option<Reuse<'_>>,
    path: Option<&Path>,
    now: i64,
) -> Result<Index> {
    let (old, scans) = match reuse {
        Some(r) => {
            let usable = r
                .old
                .load(&[
                    Sec::Entries,
                    Sec::Strings,
                    Sec::Tags,
                    Sec::Aliases,
                    Sec::Links,
                    Sec::LinkTexts,
                    Sec::Vocab,
                    Sec::Words,
                ])
                .is_ok();
            (usable.then_some(r.old), r.scans)
        }
        None => (None, fresh_scans(key, now)),
    };
    let texts: Vec<(String, String)> = Vec::new();
    if let Ok(index) = run(key, old, scans, &texts, path, now) {
        return Ok(index);
    }
    // Something failed half-way: the old index turned out damaged (start afresh),
    // or the disk filled up (then build in memory).
    if let Ok(index) = run(key, None, fresh_scans(key, now), &texts, path, now) {
        return Ok(index);
    }
    run(key, None, fresh_scans(key, now), &texts, None, now).map_err(unusable)
}

/// Builds an in-memory index of texts named `<id>.toml` (for tests).
pub(super) fn build_texts(key: &Key, texts: &[(String, String)]) -> Result<Index> {
    run(key, None, Vec::new(), texts, None, scan::now_ns()).map_err(unusable)
}

/// Builds the index bytes of `key`'s built-in knowledge base alone, made of
/// `texts` (path under `entries/`, text), as of time `now`: for
/// [`super::embedded`], which `build.rs` runs.
pub(super) fn build_bytes(
    key: &Key,
    texts: &[(String, String)],
    now: i64,
) -> Result<Vec<u8>, Unusable> {
    let out = io::Cursor::new(Vec::new());
    Ok(build_into(out, key, None, vec![None], texts, now)?.into_inner())
}

/// Builds into the cache file when there is one and it can be created, else
/// into memory.
fn run(
    key: &Key,
    old: Option<&Index>,
    scans: Vec<Option<Scan<'_>>>,
    texts: &[(String, String)],
    path: Option<&Path>,
    now: i64,
) -> Result<Index, Unusable> {
    if let Some(path) = path
        && let Ok(tmp) = cache::create(path)
    {
        return cache::build(tmp, key, old, scans, texts, path, now);
    }
    let bytes = build_into(io::Cursor::new(Vec::new()), key, old, scans, texts, now)?.into_inner();
    let mut index = Index::from_backing(Backing::Memory(bytes), key, &[])?;
    index.texts = texts.to_vec();
    Ok(index)
}

fn unusable(e: Unusable) -> Error {
    Error::Index(format!("cannot build the index: {}", e.0))
}

fn fresh_scans(key: &Key, now: i64) -> Vec<Option<Scan<'static>>> {
    let none = scan::Old::default();
    key.roots
        .iter()
        .map(|s| match s {
            Source::Dir(root) => Some(scan::scan(root, &none, now)),
            Source::Embedded => None,
        })
        .collect()
}

/// Builds the whole index into `out`.
fn build_into<W: Write + Seek>(
    out: W,
    key: &Key,
    old: Option<&Index>,
    scans: Vec<Option<Scan<'_>>>,
    texts: &[(String, String)],
    now: i64,
) -> Result<W, Unusable> {
    let mut w = Writer::new(out)?;
    // Embedded files are read from the binary (tests give their own texts).
    let embedded: Vec<(String, String)>;
    let texts: &[(String, String)] = if texts.is_empty() {
        embedded = source::embedded_files()
            .iter()
            .map(|(rel, text)| ((*rel).to_owned(), (*text).to_owned()))
            .collect();
        &embedded
    } else {
        texts
    };
    let (files, cands) = candidates::gather(key, &scans, texts, old)?;
    let (sorted, groups) = candidates::group(&cands);

    let old_count = old.map_or(0, Index::len);
    let mut c = Consumer {
        entries: Entries::default(),
        fresh: FxHashMap::default(),
        old_map: vec![NONE; old_count],
        outcomes: vec![outcome::UNKNOWN; files.place.len()],
        file_problems: Vec::new(),
        // Summaries are written as they come: the biggest text, and only read back whole.
        summaries: w.stream(Sec::Summaries),
        failed: None,
        old,
        old_summaries: old.map(|o| SeqReader::new(o, Sec::Summaries)),
    };
    parse::run_groups(&sorted, &groups, &files, old, &mut |chunk| c.chunk(chunk));
    let summaries_end = c.summary(None);
    let Consumer {
        entries,
        fresh,
        old_map,
        mut outcomes,
        mut file_problems,
        summaries,
        failed,
        old_summaries,
        ..
    } = c;
    summaries.finish();
    if let Some(e) = failed {
        return Err(e.into());
    }
    if old_summaries.is_some_and(|r| !r.verified()) {
        return Err("old summaries damaged".into());
    }
    // Problems, in the order loading prints them: each source's walk, then its files.
    let mut problems: Vec<Problem> = Vec::new();
    file_problems.sort_by_key(|p| (p.0, p.1));
    let mut fp = file_problems.into_iter().peekable();
    for s in 0..key.roots.len() {
        if let Some(Some(scan)) = scans.get(s) {
            problems.extend(scan.problems.iter().map(|d| Problem {
                source: s as u32,
                walk: true,
                diagnostic: d.clone(),
            }));
        }
        while let Some((_, _, d, own)) = fp.next_if(|p| p.0 as usize == s) {
            if let Some(file) = own {
                outcomes[file as usize] = outcome::PROBLEM | problems.len() as u32;
            }
            problems.push(Problem {
                source: s as u32,
                walk: false,
                diagnostic: d,
            });
        }
    }
    for (sec, bytes) in manifest::manifest(key, &scans, &files, &outcomes, now) {
        w.section(sec, &bytes)?;
    }
    w.section(Sec::Problems, &records::encode_problems(&problems))?;
    // The walk is no longer needed: free it before the postings and names.
    drop((problems, outcomes, groups, sorted, files));
    drop(cands);
    drop(scans);

    let (vocab, words) = postings::write_postings(&fresh, &old_map, old, &mut w)?;
    drop(fresh);
    w.section(Sec::Vocab, &vocab)?;
    w.section(Sec::Words, &words)?;
    link::link_and_name(entries, old, summaries_end, &mut w)?;
    Ok(w.finish()?)
}

#[cfg(test)]
mod tests {
    //! Rebuilds that reuse the last index, checked against a build from scratch
    //! made at the same moment: byte for byte the same index. The walks are run
    //! with a clock set ahead, so that the files are old enough to be trusted
    //! (see `RACY_NS`) without waiting; a test that changes a file moves the
    //! clock on past it. Building with `build_into` directly (not `build`)
    //! shows a rebuild that failed, which `build` would hide by starting afresh.
    use super::super::MANIFEST;
    use super::*;
    use std::fs;
    use std::path::PathBuf;

    const SECOND: i64 = 1_000_000_000;

    struct Kb {
        dir: tempfile::TempDir,
        _cache: tempfile::TempDir,
        key: Key,
        path: PathBuf,
        /// The clock the next build reads: well past every file written so far.
        now: i64,
    }

    fn entry(title: &str, links: &[&str]) -> String {
        let links: Vec<String> = links.iter().map(|l| format!("\"{l}\"")).collect();
        format!(
            "title = \"{title}\"\nsummary = \"About {title}.\"\ntags = [\"t-{title}\"]\naliases = [\"{title} Alias\"]\nrelated_approaches = [{}]\ndefinition = \"The {title} definition, word{title}.\"\n",
            links.join(", ")
        )
    }

    impl Kb {
        fn new(files: &[(&str, &str)]) -> Kb {
            Kb::with_sources(&["."], files)
        }

        /// A knowledge base of several sources: `embedded`, or folders of the
        /// temporary directory (`.`: the directory itself).
        fn with_sources(sources: &[&str], files: &[(&str, &str)]) -> Kb {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let sources: Vec<Source> = sources
                .iter()
                .map(|&s| match s {
                    "embedded" => Source::Embedded,
                    "." => Source::Dir(dir.path().to_path_buf()),
                    _ => {
                        let root = dir.path().join(s);
                        fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
                        Source::Dir(root)
                    }
                })
                .collect();
            let key = Key::new(&sources).unwrap_or_else(|e| panic!("{e}"));
            let path = cache.path().join(key.file_name());
            let mut kb = Kb {
                dir,
                _cache: cache,
                key,
                path,
                now: 0,
            };
            for (rel, text) in files {
                kb.write(rel, text);
            }
            kb
        }

        /// Whether the next walk finds the index as it left it (nothing to rebuild).
        fn current(&self) -> bool {
            let old = self.old();
            let scans = old.scan(self.now);
            old.is_current(&scans)
        }

        fn write(&mut self, rel: &str, text: &str) {
            let path = self.dir.path().join(rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            self.tick();
        }

        fn remove(&mut self, rel: &str) {
            fs::remove_file(self.dir.path().join(rel)).unwrap_or_else(|e| panic!("{e}"));
            self.tick();
        }

        /// Moves the clock past now and past the racy window.
        fn tick(&mut self) {
            self.now = self.now.max(scan::now_ns()) + 10 * SECOND;
        }

        /// The index in the cache, as the next command would find it.
        fn old(&self) -> Index {
            let old = Index::read(&self.path, &self.key, MANIFEST, false, None)
                .unwrap_or_else(|e| panic!("{}", e.0));
            assert!(old.load(&super::super::layout::ALL).is_ok());
            old
        }

        fn fresh(&self) -> Vec<u8> {
            let scans = fresh_scans(&self.key, self.now);
            build_into(
                io::Cursor::new(Vec::new()),
                &self.key,
                None,
                scans,
                &[],
                self.now,
            )
            .unwrap_or_else(|e| panic!("{}", e.0))
            .into_inner()
        }

        /// Builds from scratch into the cache, then moves the clock on.
        fn first(&mut self) -> Index {
            let bytes = self.fresh();
            self.save(bytes)
        }

        fn save(&mut self, bytes: Vec<u8>) -> Index {
            fs::write(&self.path, bytes).unwrap_or_else(|e| panic!("{e}"));
            self.now += 10 * SECOND;
            self.old()
        }

        /// Rebuilds reusing the last index, with the walk `tamper` may change;
        /// the rebuild must succeed, and is saved as the next last index.
        fn rebuild(&mut self, tamper: impl FnOnce(&mut Vec<Option<Scan<'_>>>)) -> Index {
            let old = self.old();
            let mut scans = old.scan(self.now);
            tamper(&mut scans);
            let bytes = build_into(
                io::Cursor::new(Vec::new()),
                &self.key,
                Some(&old),
                scans,
                &[],
                self.now,
            )
            .unwrap_or_else(|e| panic!("the rebuild failed: {}", e.0))
            .into_inner();
            drop(old);
            self.save(bytes)
        }

        /// Rebuilds reusing the last index and checks it against a build from
        /// scratch at the same moment.
        fn rebuild_as_fresh(&mut self) -> Index {
            let now = self.now;
            let index = self.rebuild(|_| {});
            let rebuilt = fs::read(&self.path).unwrap_or_default();
            let saved = self.now;
            self.now = now;
            let fresh = self.fresh();
            self.now = saved;
            let (rebuilt, fresh) = (self.digest(&rebuilt), self.digest(&fresh));
            let differ: Vec<_> = rebuilt.iter().zip(&fresh).filter(|(a, b)| a != b).collect();
            assert!(
                differ.is_empty() && rebuilt.len() == fresh.len(),
                "the rebuild differs from a build from scratch: {differ:#?}"
            );
            index
        }
    }

    impl Kb {
        /// What an index says, independent of the order the walk listed the
        /// files in (a folder replayed from the manifest lists its files before
        /// its subfolders', a folder read again after): every section but the
        /// manifest and the entries byte for byte; the entries with their
        /// file's path; each file by path with its record and what reading it
        /// gave; each folder by path with its record, subfolders and files.
        fn digest(&self, bytes: &[u8]) -> Vec<String> {
            use super::super::layout::ALL;
            use records::{DirRecord, EntryRecord, FileRecord};
            let x = Index::from_backing(Backing::Memory(bytes.to_vec()), &self.key, &ALL)
                .unwrap_or_else(|e| panic!("{}", e.0));
            let mut out = Vec::new();
            for sec in ALL {
                match sec {
                    Sec::Meta | Sec::Dirs | Sec::DirChildren | Sec::Files | Sec::Paths => {}
                    Sec::Entries => {}
                    _ => out.push(format!("{sec:?} {:?}", x.section(sec))),
                }
            }
            let (dirs, files) = (x.section(Sec::Dirs), x.section(Sec::Files));
            let paths = x.strs(Sec::Paths);
            let children = x.u32s(Sec::DirChildren);
            let dir_path = |d: u32| {
                paths
                    .get(DirRecord::decode(dirs, d as usize).rel as usize)
                    .to_owned()
            };
            let file_path = |f: u32| {
                let r = FileRecord::decode(files, f as usize);
                format!("{}/{}", dir_path(r.dir), paths.get(r.name as usize))
            };
            let entries = x.section(Sec::Entries);
            for i in 0..EntryRecord::count(entries) {
                let r = EntryRecord::decode(entries, i);
                let file = if r.file == NONE {
                    String::new()
                } else {
                    file_path(r.file)
                };
                out.push(format!(
                    "entry {:?} file {file}",
                    EntryRecord { file: 0, ..r }
                ));
            }
            let mut listed = Vec::new();
            for f in 0..FileRecord::count(files) {
                let r = FileRecord::decode(files, f);
                let what = match r.outcome & outcome::KIND {
                    outcome::ENTRY => {
                        format!("entry {}", x.id((r.outcome & !outcome::KIND) as usize))
                    }
                    _ => format!("{:x}", r.outcome),
                };
                listed.push(format!(
                    "file {} {:?} {what}",
                    file_path(f as u32),
                    FileRecord {
                        dir: 0,
                        name: 0,
                        outcome: 0,
                        ..r
                    }
                ));
            }
            for d in 0..DirRecord::count(dirs) {
                let r = DirRecord::decode(dirs, d);
                let mut subs: Vec<String> = (r.children_start..r.children_end)
                    .map(|c| dir_path(children.get(c as usize)))
                    .collect();
                subs.sort();
                let mut names: Vec<String> = (r.files_start..r.files_end).map(file_path).collect();
                names.sort();
                listed.push(format!(
                    "dir {} {:?} {subs:?} {names:?}",
                    dir_path(d as u32),
                    DirRecord {
                        rel: 0,
                        children_start: 0,
                        children_end: 0,
                        files_start: 0,
                        files_end: 0,
                        ..r
                    }
                ));
            }
            listed.sort();
            out.extend(listed);
            out
        }
    }

    fn titles(index: &Index) -> Vec<String> {
        (0..index.len())
            .map(|i| format!("{}\t{}", index.id(i), index.title(i)))
            .collect()
    }

    fn problems(index: &Index) -> Vec<String> {
        index.problems().map(|d| d.to_string()).collect()
    }

    #[test]
    fn a_rebuild_after_each_kind_of_change_equals_a_build_from_scratch() {
        let mut kb = Kb::new(&[
            ("alpha.toml", &entry("Alpha", &["beta", "Gamma Alias"])),
            ("sub/beta.toml", &entry("Beta", &[])),
            ("gamma.toml", &entry("Gamma", &["alpha"])),
            ("delta.toml", &entry("Delta", &["gamma"])),
        ]);
        kb.first();
        // Nothing changed but the clock: every entry copied.
        let index = kb.rebuild_as_fresh();
        assert_eq!(
            titles(&index),
            ["alpha\tAlpha", "beta\tBeta", "delta\tDelta", "gamma\tGamma"]
        );
        kb.write("gamma.toml", &entry("Gamma Two", &["beta"]));
        kb.rebuild_as_fresh();
        kb.remove("alpha.toml");
        kb.rebuild_as_fresh();
        kb.write("sub/aaa.toml", &entry("Aaa", &["delta"]));
        let index = kb.rebuild_as_fresh();
        assert_eq!(
            titles(&index),
            ["aaa\tAaa", "beta\tBeta", "delta\tDelta", "gamma\tGamma Two"]
        );
        kb.write("beta.toml", "title = \"Broken\"\ndefinition = \n");
        kb.write("sub/deeper/delta.toml", &entry("Second Delta", &[]));
        let index = kb.rebuild_as_fresh();
        assert_eq!(problems(&index).len(), 2, "{:?}", problems(&index));
        kb.rebuild_as_fresh();
        kb.remove("delta.toml");
        let index = kb.rebuild_as_fresh();
        assert_eq!(
            titles(&index),
            [
                "aaa\tAaa",
                "beta\tBeta",
                "delta\tSecond Delta",
                "gamma\tGamma Two"
            ]
        );
    }

    /// Makes the walk vouch for the files at `rels` (paths below the root), as
    /// it does for a file whose `stat` equals its record: their last outcome
    /// holds, and they are not read again.
    fn vouch(scans: &mut [Option<Scan<'_>>], rels: &[&str]) {
        let Some(Some(scan)) = scans.first_mut() else {
            panic!("a walk");
        };
        for rel in rels {
            let file = scan
                .files
                .iter_mut()
                .find(|f| {
                    let dir = String::from_utf8_lossy(&f.name);
                    let sub = &scan.dirs[f.dir].rel;
                    let sub = String::from_utf8_lossy(sub);
                    let path = if sub.is_empty() {
                        dir.into_owned()
                    } else {
                        format!("{sub}/{dir}")
                    };
                    path == *rel
                })
                .unwrap_or_else(|| panic!("{rel} walked"));
            assert!(
                file.old.is_some() && !file.clean,
                "{rel} has a record and changed"
            );
            file.clean = true;
        }
    }

    /// The ids of the entries holding `word` (a stem), from its postings.
    fn search(index: &Index, word: &str) -> Vec<String> {
        let vocab = index.vocab();
        let Some(w) = (0..vocab.len()).find(|&w| vocab.get(w) == word) else {
            return Vec::new();
        };
        let mut ids: Vec<String> = records::postings(index.postings(w))
            .map(|(entry, _, _)| index.id(entry as usize).to_owned())
            .collect();
        ids.dedup();
        ids
    }

    /// The walk vouches for a file by its `stat`; here it vouches for files
    /// that did change, so that the rebuild shows whether it read them again
    /// or took what the last index said of each: an entry (copied, with its
    /// words and links), a file that did not parse (its problem), a duplicate
    /// that parsed (still a duplicate, not read).
    #[test]
    fn a_file_the_walk_vouches_for_is_not_read_again() {
        let mut kb = Kb::new(&[
            ("alpha.toml", &entry("Alpha", &["gamma"])),
            ("beta.toml", "title = \"Broken\"\ndefinition = \n"),
            ("gamma.toml", &entry("Gamma", &[])),
            ("sub/gamma.toml", &entry("Second Gamma", &[])),
        ]);
        let first = kb.first();
        let problems_before = problems(&first);
        assert_eq!(problems_before.len(), 2, "{problems_before:?}");
        drop(first);
        kb.write("alpha.toml", &entry("Alpha Two", &["beta"]));
        kb.write("beta.toml", &entry("Beta", &[]));
        kb.write("sub/gamma.toml", "title = \"Broken too\"\ndefinition = \n");
        kb.write("delta.toml", &entry("Delta", &["alpha"]));
        let index =
            kb.rebuild(|scans| vouch(scans, &["alpha.toml", "beta.toml", "sub/gamma.toml"]));
        assert_eq!(
            titles(&index),
            ["alpha\tAlpha", "delta\tDelta", "gamma\tGamma"]
        );
        assert_eq!(problems(&index), problems_before);
        assert_eq!(search(&index, "wordalpha"), ["alpha"]);
        assert_eq!(search(&index, "worddelta"), ["delta"]);
        let alpha = index.by_id("alpha").unwrap_or_else(|| panic!("alpha"));
        let links: Vec<(&str, Option<usize>)> = index
            .typed_links(alpha)
            .map(|l| (l.text, l.target))
            .collect();
        assert_eq!(links, [("gamma", index.by_id("gamma"))]);
        assert_eq!(
            index.backlinks(alpha),
            index.by_id("delta").into_iter().collect::<Vec<_>>()
        );
    }

    /// A duplicate known only to have parsed takes the id when the file that
    /// had it goes: it is read now, and when it no longer parses, the id has
    /// no entry and its problem is reported.
    #[test]
    fn a_duplicate_that_takes_the_id_over_is_read_then() {
        let files = [
            ("gamma.toml", entry("Gamma", &[])),
            ("sub/gamma.toml", entry("Second Gamma", &[])),
            ("zeta.toml", entry("Zeta", &[])),
        ];
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        // Unchanged: read now, it is the entry.
        let mut kb = Kb::new(&files);
        kb.first();
        kb.remove("gamma.toml");
        let index = kb.rebuild_as_fresh();
        assert_eq!(titles(&index), ["gamma\tSecond Gamma", "zeta\tZeta"]);
        assert_eq!(problems(&index), Vec::<String>::new());
        // Changed so that it no longer parses, and vouched for.
        let mut kb = Kb::new(&files);
        kb.first();
        kb.remove("gamma.toml");
        kb.write("sub/gamma.toml", "title = \"Broken\"\ndefinition = \n");
        let index = kb.rebuild(|scans| vouch(scans, &["sub/gamma.toml"]));
        assert_eq!(titles(&index), ["zeta\tZeta"]);
        let problems = problems(&index);
        assert!(
            problems.len() == 1 && problems[0].contains("gamma.toml:2:14: error:"),
            "{problems:?}"
        );
    }

    /// A file that does not parse never claims the id: the next file giving it
    /// is the entry, with no duplicate reported.
    #[test]
    fn a_file_that_does_not_parse_leaves_the_id_to_the_next() {
        let mut kb = Kb::new(&[
            ("beta.toml", "title = \"Broken\"\ndefinition = \n"),
            ("sub/beta.toml", &entry("Beta", &[])),
        ]);
        let index = kb.first();
        assert_eq!(titles(&index), ["beta\tBeta"]);
        let problems = problems(&index);
        assert!(
            problems.len() == 1 && problems[0].contains("beta.toml:2:14: error:"),
            "{problems:?}"
        );
        let index = kb.rebuild_as_fresh();
        assert_eq!(titles(&index), ["beta\tBeta"]);
    }

    /// Problems come in read order, the order loading reads the files in: by
    /// path, component by component (`a/z.toml`, `a-b/x.toml`, `b/y.toml`,
    /// `m.toml`), whatever order the walk found them in; and of two files
    /// giving one id, the first in that order has it.
    #[test]
    fn problems_and_duplicates_follow_the_read_order() {
        let broken = "title = \"Broken\"\ndefinition = \n";
        let mut kb = Kb::new(&[
            ("m.toml", broken),
            ("b/y.toml", broken),
            ("a-b/x.toml", broken),
            ("a/z.toml", broken),
            ("sub/gamma.toml", &entry("Second Gamma", &[])),
            ("gamma.toml", &entry("Gamma", &[])),
        ]);
        let root = kb.dir.path().to_path_buf();
        let at = |rel: &str| root.join(rel).display().to_string();
        let expected = [
            format!("{}:2:14: error:", at("a/z.toml")),
            format!("{}:2:14: error:", at("a-b/x.toml")),
            format!("{}:2:14: error:", at("b/y.toml")),
            format!("{}:2:14: error:", at("m.toml")),
            format!(
                "{}: error: duplicate id \"gamma\": {} has it too; this file is ignored",
                at("sub/gamma.toml"),
                at("gamma.toml")
            ),
        ];
        let check = |index: &Index| {
            let problems = problems(index);
            assert_eq!(problems.len(), expected.len(), "{problems:?}");
            for (p, e) in problems.iter().zip(&expected) {
                assert!(p.starts_with(e.as_str()), "{p:?} is not {e:?}");
            }
            assert_eq!(titles(index), ["gamma\tGamma"]);
        };
        check(&kb.first());
        check(&kb.rebuild_as_fresh());
        kb.write("gamma.toml", &entry("Gamma", &["m"]));
        check(&kb.rebuild_as_fresh());
    }

    /// Several sources, the built-in one first: each source's folders and
    /// files are numbered after the last source's, so that the next walk of
    /// each finds its own records and the index current, and every unchanged
    /// file is reused.
    #[test]
    fn an_index_of_several_sources_is_current_for_the_next_walk() {
        let mut kb = Kb::with_sources(
            &["embedded", "one", "two"],
            &[
                ("one/alpha.toml", &entry("Alpha", &["arms-control"])),
                ("one/sub/beta.toml", &entry("Beta", &["alpha"])),
                ("one/zz/zeta.toml", &entry("Zeta", &[])),
                ("one/zeta.toml", &entry("First Zeta", &[])),
                ("one/a/eta.toml", &entry("First Eta", &[])),
                ("one/eta.toml", &entry("Eta", &[])),
                ("two/gamma.toml", &entry("Gamma", &["beta"])),
                ("two/sub/deeper/alpha.toml", &entry("Alpha Two", &[])),
                (
                    "two/other/arms-control.toml",
                    &entry("Local Arms Control", &[]),
                ),
            ],
        );
        let index = kb.first();
        let title = |index: &Index, id: &str| index.by_id(id).map(|i| index.title(i).to_owned());
        assert_eq!(
            title(&index, "alpha").as_deref(),
            Some("Alpha Two"),
            "the later source wins"
        );
        assert_eq!(
            title(&index, "arms-control").as_deref(),
            Some("Local Arms Control")
        );
        assert!(index.len() > 100, "the built-in entries too");
        // Each entry's file, read again by `show`, is where it is.
        let path = |index: &Index, id: &str| index.by_id(id).and_then(|i| index.path(i));
        for (id, rel) in [
            ("beta", "one/sub/beta.toml"),
            ("gamma", "two/gamma.toml"),
            ("alpha", "two/sub/deeper/alpha.toml"),
            ("eta", "one/a/eta.toml"),
        ] {
            assert_eq!(path(&index, id), Some(kb.dir.path().join(rel)), "{id}");
        }
        assert_eq!(path(&index, "collective-security"), None, "built in");
        // Read order within a source that is not the first, by path whatever
        // the walk's order: `a/eta.toml` before `eta.toml`, and `zeta.toml`
        // before `zz/zeta.toml`.
        assert_eq!(title(&index, "eta").as_deref(), Some("First Eta"));
        assert_eq!(title(&index, "zeta").as_deref(), Some("First Zeta"));
        let one = kb.dir.path().join("one");
        let duplicate = |id: &str, file: &str, first: &str| {
            format!(
                "{}: error: duplicate id \"{id}\": {} has it too; this file is ignored",
                one.join(file).display(),
                one.join(first).display()
            )
        };
        assert_eq!(
            problems(&index),
            [
                duplicate("eta", "eta.toml", "a/eta.toml"),
                duplicate("zeta", "zz/zeta.toml", "zeta.toml")
            ]
        );
        drop(index);
        assert!(kb.current(), "current once built");
        kb.rebuild_as_fresh();
        assert!(kb.current(), "current once rebuilt with nothing changed");
        kb.write("two/sub/delta.toml", &entry("Delta", &[]));
        kb.remove("two/other/arms-control.toml");
        assert!(!kb.current());
        let index = kb.rebuild_as_fresh();
        assert_eq!(
            title(&index, "arms-control").as_deref(),
            Some("Arms Control")
        );
        drop(index);
        assert!(kb.current(), "current once rebuilt");
    }

    /// A name that is not a regular file (here a socket) is recorded as such,
    /// so that the next walk, finding it unchanged, trusts its record: it is
    /// reported each time from the index, not read again by every command.
    #[cfg(unix)]
    #[test]
    fn a_file_that_is_not_a_regular_file_is_trusted_once_recorded() {
        let mut kb = Kb::new(&[("alpha.toml", &entry("Alpha", &[]))]);
        let socket = kb.dir.path().join("socket.toml");
        let _listener =
            std::os::unix::net::UnixListener::bind(&socket).unwrap_or_else(|e| panic!("{e}"));
        kb.tick();
        let index = kb.first();
        let problems = problems(&index);
        assert!(
            problems.len() == 1
                && problems[0].starts_with(&format!("{}: error:", socket.display())),
            "{problems:?}"
        );
        drop(index);
        assert!(kb.current(), "trusted once recorded");
    }
}
