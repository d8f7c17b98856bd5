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
