//! Building an index: the files that changed are read and parsed (on two
//! threads when there are many), the rest is copied from the last index; then
//! names, links, backlinks and postings are computed for the whole knowledge
//! base, and the result is written to a temporary file renamed over the old one.
//!
//! Entries are produced in id order, which is the order of the index, by
//! grouping the files by id (their stem) first: every group is decided on its
//! own (which file wins, which are duplicates), exactly as [`crate::kb`] decides
//! it, so the index says what loading every file would say.

use super::layout::{self, NONE, Sec, StrsBuilder, Writer, put_u32, put_u64, put_varint};
use super::scan::{self, RACY, Scan};
use super::{Backing, FILE_BYTES, Index, Key, NOT_FILE, Problem, Unusable, outcome, rec};
use crate::diagnostic::Diagnostic;
use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::kb::NameKind;
use crate::source::{self, Source};
use crate::tokenize::WordCounts;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

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
        && let Ok(tmp) = TempFile::create(key, path)
    {
        return tmp.build(key, old, scans, texts, path, now);
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

/// An entry's indexed data, from a fresh parse.
struct Record {
    id: String,
    title: String,
    kind: String,
    summary: Option<String>,
    tags: Vec<String>,
    aliases: Vec<String>,
    /// (relation name, link as written), as [`Entry::typed_links`] gives them.
    links: Vec<(String, String)>,
    /// How many of `links` are `related_approaches` (the first ones).
    approaches: usize,
    words: WordCounts,
}

impl Record {
    fn new(e: Entry) -> Record {
        let words = WordCounts::of(&e);
        let links = e
            .typed_links()
            .map(|(r, l)| (r.to_owned(), l.text.clone()))
            .collect();
        Record {
            words,
            id: e.id,
            title: e.title,
            kind: e.kind,
            summary: e.summary,
            tags: e.tags,
            links,
            approaches: e.related_approaches.len(),
            aliases: e.aliases.into_iter().map(|a| a.text).collect(),
        }
    }
}

/// A file to account for: where it is, its rank, its id, what may be reused.
struct Cand<'a> {
    source: u32,
    /// Rank in its source, in the order [`crate::source`] reads files.
    order: u32,
    /// Index in the new manifest.
    file: u32,
    id: Cow<'a, str>,
    /// The old outcome, when the file is unchanged.
    reuse: Option<u32>,
}

/// Where the files of the knowledge base are, to read them.
struct Files<'s, 'a> {
    scans: &'s [Option<Scan<'a>>],
    /// For each manifest file: (scan, file in scan), or the index in `texts`.
    place: Vec<Place>,
    texts: &'s [(String, String)],
}

#[derive(Clone, Copy)]
enum Place {
    Dir(usize, usize),
    Text(usize),
}

impl Files<'_, '_> {
    fn display(&self, file: u32) -> String {
        match self.place[file as usize] {
            Place::Dir(s, f) => match &self.scans[s] {
                Some(scan) => scan.files[f].path(&scan.dirs).display().to_string(),
                None => String::new(),
            },
            Place::Text(t) => source::embedded_display(&self.texts[t].0),
        }
    }

    /// Reads and parses a file.
    fn parse(&self, c: &Cand<'_>) -> Result<Record, Diagnostic> {
        match self.place[c.file as usize] {
            Place::Dir(s, f) => {
                let Some(scan) = &self.scans[s] else {
                    return Err(Diagnostic::error("", None, "file vanished"));
                };
                let file = source::read_entry_file(&scan.files[f].path(&scan.dirs));
                let text = file.text?;
                Entry::parse(&c.id, &file.display, &text).map(Record::new)
            }
            Place::Text(t) => {
                let (rel, text) = (&self.texts[t].0, &self.texts[t].1);
                Entry::parse(&c.id, &source::embedded_display(rel), text).map(Record::new)
            }
        }
    }
}

enum Status {
    Old(u32),
    Unloaded,
    Fresh(Box<Record>),
    Failed(Diagnostic),
}

impl Status {
    fn ok(&self) -> bool {
        matches!(self, Status::Old(_) | Status::Unloaded | Status::Fresh(_))
    }
}

/// The data of a group's winning entry.
enum Winner {
    Old(u32),
    Fresh(Box<Record>),
}

/// What deciding one group (one id) gave.
struct GroupOut {
    winner: Option<(u32, Winner)>,
    /// For each file: its manifest index, whether it parsed, and its own problem.
    files: Vec<(u32, bool, Option<Diagnostic>)>,
    /// Problems to print: (source, order, diagnostic, manifest file if the file's own).
    problems: Vec<(u32, u32, Diagnostic, Option<u32>)>,
}

fn decide(group: &[&Cand<'_>], files: &Files<'_, '_>, old: Option<&Index>) -> GroupOut {
    let mut status: Vec<Status> = group
        .iter()
        .map(|c| {
            let reused = c.reuse.and_then(|o| {
                let value = o & !outcome::KIND;
                match (o & outcome::KIND, old) {
                    (outcome::ENTRY, Some(_)) => Some(Status::Old(value)),
                    (outcome::PARSED, _) => Some(Status::Unloaded),
                    (outcome::PROBLEM, Some(old)) => old
                        .stored_problems()
                        .get(value as usize)
                        .filter(|p| !p.walk)
                        .map(|p| Status::Failed(p.diagnostic.clone())),
                    _ => None,
                }
            });
            reused.unwrap_or_else(|| match files.parse(c) {
                Ok(r) => Status::Fresh(Box::new(r)),
                Err(d) => Status::Failed(d),
            })
        })
        .collect();
    // The winner: the first file that parses in the last source that has one.
    let winner = loop {
        let mut winner = None;
        let mut source = None;
        for (i, c) in group.iter().enumerate() {
            if status[i].ok() && source != Some(c.source) {
                winner = Some(i);
                source = Some(c.source);
            }
        }
        match winner {
            Some(w) if matches!(status[w], Status::Unloaded) => {
                status[w] = match files.parse(group[w]) {
                    Ok(r) => Status::Fresh(Box::new(r)),
                    Err(d) => Status::Failed(d),
                };
            }
            _ => break winner,
        }
    };
    let mut out = GroupOut {
        winner: None,
        files: Vec::with_capacity(group.len()),
        problems: Vec::new(),
    };
    let mut first: Option<(u32, usize)> = None;
    for (i, c) in group.iter().enumerate() {
        let ok = status[i].ok();
        let mut own = None;
        match &status[i] {
            Status::Failed(d) => {
                own = Some(d.clone());
                out.problems
                    .push((c.source, c.order, d.clone(), Some(c.file)));
            }
            _ if first.is_some_and(|(s, _)| s == c.source) => {
                let Some((_, f)) = first else { continue };
                out.problems.push((
                    c.source,
                    c.order,
                    Diagnostic::error(
                        files.display(c.file),
                        None,
                        format!(
                            "duplicate id \"{}\": {} has it too; this file is ignored",
                            c.id,
                            files.display(group[f].file)
                        ),
                    ),
                    None,
                ));
            }
            _ => first = Some((c.source, i)),
        }
        out.files.push((c.file, ok, own));
    }
    if let Some(w) = winner {
        let data = match std::mem::replace(&mut status[w], Status::Unloaded) {
            Status::Old(o) => Some(Winner::Old(o)),
            Status::Fresh(r) => Some(Winner::Fresh(r)),
            _ => None,
        };
        out.winner = data.map(|d| (group[w].file, d));
    }
    out
}

/// The entries being built.
#[derive(Default)]
struct Entries {
    strings: StrsBuilder,
    shared: FxHashMap<String, u32>,
    link_texts: StrsBuilder,
    records: Vec<u32>,
    tags: Vec<u32>,
    aliases: Vec<u32>,
    /// (text, target, relation): the text in `link_texts`, or with [`OLD_LINK`]
    /// the old index's link; targets filled in once all names are known; the
    /// relation's name in `strings`.
    links: Vec<(u32, u32, u32)>,
}

/// Marks a link whose text is the old index's link of that number.
const OLD_LINK: u32 = 1 << 31;

/// Where a link's text comes from while building, with its relation's name.
enum LinkText<'a> {
    Old(u32, &'a str),
    New(&'a str, &'a str),
}

impl Entries {
    fn shared(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.shared.get(s) {
            return i;
        }
        let i = self.strings.push(s);
        self.shared.insert(s.to_owned(), i);
        i
    }

    #[allow(clippy::too_many_arguments)]
    fn push<'t>(
        &mut self,
        id: &str,
        title: &str,
        kind: &str,
        summary: u32,
        tags: impl Iterator<Item = &'t str>,
        aliases: impl Iterator<Item = &'t str>,
        approaches: usize,
        links: &[LinkText<'_>],
        file: u32,
    ) {
        let id = self.strings.push(id);
        let title = self.strings.push(title);
        let kind = self.shared(kind);
        let tags_start = self.tags.len() as u32;
        for t in tags {
            let t = self.shared(t);
            self.tags.push(t);
        }
        let aliases_start = self.aliases.len() as u32;
        for a in aliases {
            let a = self.strings.push(a);
            self.aliases.push(a);
        }
        let links_start = self.links.len() as u32;
        for l in links {
            let (text, relation) = match l {
                LinkText::Old(l, r) => (OLD_LINK | l, self.shared(r)),
                LinkText::New(text, r) => (self.link_texts.push(text), self.shared(r)),
            };
            self.links.push((text, NONE, relation));
        }
        self.records.extend([
            id,
            title,
            kind,
            summary,
            tags_start,
            aliases_start,
            links_start,
            approaches as u32,
            0,
            file,
        ]);
    }

    fn len(&self) -> usize {
        self.records.len() / rec::LEN
    }
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
    // The new manifest's files, source by source, and the candidates in read order.
    let mut place = Vec::new();
    let mut cands: Vec<Cand<'_>> = Vec::new();
    for (s, source) in key.roots.iter().enumerate() {
        let start = cands.len();
        match (source, scans.get(s).and_then(Option::as_ref)) {
            (Source::Dir(_), Some(scan)) => {
                for (f, file) in scan.files.iter().enumerate() {
                    let file_index = place.len() as u32;
                    place.push(Place::Dir(s, f));
                    let reuse = match (old, file.old) {
                        (Some(old), Some(o)) if file.clean => Some(old.file_outcome(o)),
                        _ => None,
                    };
                    let id = match String::from_utf8_lossy(&file.name) {
                        Cow::Borrowed(n) => Cow::Borrowed(source::stem(n)),
                        Cow::Owned(n) => Cow::Owned(source::stem(&n).to_owned()),
                    };
                    cands.push(Cand {
                        source: s as u32,
                        order: 0,
                        file: file_index,
                        id,
                        reuse,
                    });
                }
                // The order files are read in: sorted by path, component by component.
                let mut ranks: Vec<usize> = (start..cands.len()).collect();
                ranks.sort_by(|&a, &b| {
                    let (fa, fb) = (&scan.files[a - start], &scan.files[b - start]);
                    components(&scan.dirs[fa.dir].rel, &fa.name)
                        .cmp(components(&scan.dirs[fb.dir].rel, &fb.name))
                });
                for (rank, c) in ranks.into_iter().enumerate() {
                    cands[c].order = rank as u32;
                }
            }
            (Source::Embedded, _) => {
                // The built-in files never change (the key holds their
                // fingerprint): what reading each gave last time still holds.
                let before: FxHashMap<&[u8], usize> =
                    old.map(Index::text_files).unwrap_or_default();
                for (i, (rel, _)) in texts.iter().enumerate() {
                    let file_index = place.len() as u32;
                    place.push(Place::Text(i));
                    cands.push(Cand {
                        source: s as u32,
                        order: i as u32,
                        file: file_index,
                        id: Cow::Borrowed(source::stem(rel)),
                        reuse: old
                            .and_then(|o| before.get(rel.as_bytes()).map(|&f| o.file_outcome(f))),
                    });
                }
            }
            (Source::Dir(_), None) => return Err("missing walk".into()),
        }
    }
    let files = Files {
        scans: &scans,
        place,
        texts,
    };

    // Group by id; within a group, sources in order, files in read order.
    let mut sorted: Vec<&Cand<'_>> = cands.iter().collect();
    sorted.sort_by(|a, b| {
        a.id.cmp(&b.id)
            .then(a.source.cmp(&b.source))
            .then(a.order.cmp(&b.order))
    });
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    for i in 0..sorted.len() {
        match groups.last_mut() {
            Some(g) if sorted[g.start].id == sorted[i].id => g.end = i + 1,
            _ => groups.push(i..i + 1),
        }
    }

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
    run_groups(&sorted, &groups, &files, old, &mut |chunk| c.chunk(chunk));
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
    for (sec, bytes) in manifest(key, &scans, &files, &outcomes, now) {
        w.section(sec, &bytes)?;
    }
    w.section(Sec::Problems, &super::encode_problems(&problems))?;
    // The walk is no longer needed: free it before the postings and names.
    drop((problems, outcomes, groups, sorted, files));
    drop(cands);
    drop(scans);

    let (vocab, words) = write_postings(&fresh, &old_map, old, &mut w)?;
    drop(fresh);
    w.section(Sec::Vocab, &vocab)?;
    w.section(Sec::Words, &words)?;
    link_and_name(entries, old, summaries_end, &mut w)?;
    Ok(w.finish()?)
}

/// Takes the decided groups, in id order, and builds the entries.
struct Consumer<'w, 'o, W: Write + Seek> {
    entries: Entries,
    /// Postings of the entries parsed afresh: word → (postings, last entry).
    fresh: FxHashMap<String, (Vec<u8>, u32)>,
    /// New index of each old entry that was kept, or [`NONE`].
    old_map: Vec<u32>,
    /// What reading each manifest file gave.
    outcomes: Vec<u32>,
    /// (source, order, problem, manifest file if the file's own).
    file_problems: Vec<(u32, u32, Diagnostic, Option<u32>)>,
    summaries: layout::SectionStream<'w, W>,
    failed: Option<io::Error>,
    old: Option<&'o Index>,
    /// The old summaries, read as the entries that keep them come by.
    old_summaries: Option<SeqReader<'o>>,
}

impl<W: Write + Seek> Consumer<'_, '_, W> {
    /// Writes a summary (none: nothing) and returns where it starts.
    fn summary(&mut self, text: Option<&str>) -> u32 {
        let at = self.summaries.position() as u32;
        if let (Some(text), None) = (text, &self.failed)
            && let Err(e) = self.summaries.write(text.as_bytes())
        {
            self.failed = Some(e);
        }
        at
    }

    fn chunk(&mut self, chunk: ChunkOut) {
        let base = self.entries.len() as u32;
        for out in chunk.groups {
            self.group(out);
        }
        for (word, (bytes, first, last)) in chunk.run.words {
            // The run's first posting counts from the run's start: recount it
            // from the last entry already holding the word.
            let mut at = 0;
            if layout::varint(&bytes, &mut at).is_none() {
                continue;
            }
            match self.fresh.get_mut(&word) {
                Some(slot) => {
                    put_varint(&mut slot.0, u64::from(base + first - slot.1));
                    slot.0.extend_from_slice(&bytes[at..]);
                    slot.1 = base + last;
                }
                None => {
                    let mut list = Vec::with_capacity(bytes.len() + 2);
                    put_varint(&mut list, u64::from(base + first));
                    list.extend_from_slice(&bytes[at..]);
                    self.fresh.insert(word, (list, base + last));
                }
            }
        }
    }

    fn group(&mut self, out: GroupOut) {
        for (file, ok, _) in &out.files {
            self.outcomes[*file as usize] = if *ok {
                outcome::PARSED
            } else {
                outcome::UNKNOWN
            };
        }
        self.file_problems.extend(out.problems);
        let Some((file, winner)) = out.winner else {
            return;
        };
        let index = self.entries.len() as u32;
        self.outcomes[file as usize] = outcome::ENTRY | index;
        match winner {
            Winner::Old(o) => {
                let (Some(old), Some(reader)) = (self.old, self.old_summaries.as_mut()) else {
                    return;
                };
                let o = o as usize;
                if let Some(slot) = self.old_map.get_mut(o) {
                    *slot = index;
                }
                let (start, end) = old.range(o, rec::SUMMARY);
                let summary = match reader.read(start as u64, end as u64) {
                    Ok(bytes) => std::str::from_utf8(bytes).ok().map(str::to_owned),
                    Err(e) => {
                        self.failed = Some(e);
                        None
                    }
                };
                let summary = self.summary(summary.as_deref());
                let (l0, l1) = old.range(o, rec::LINKS);
                let links: Vec<LinkText<'_>> = (l0..l1)
                    .map(|l| LinkText::Old(l as u32, old.link_relation(l)))
                    .collect();
                self.entries.push(
                    old.id(o),
                    old.title(o),
                    old.kind(o),
                    summary,
                    old.tags(o),
                    old.aliases(o),
                    old.field(o, rec::APPROACHES) as usize,
                    &links,
                    file,
                );
            }
            Winner::Fresh(r) => {
                // Its postings came with its chunk.
                let summary = self.summary(r.summary.as_deref());
                let links: Vec<LinkText<'_>> = r
                    .links
                    .iter()
                    .map(|(relation, text)| LinkText::New(text, relation))
                    .collect();
                self.entries.push(
                    &r.id,
                    &r.title,
                    &r.kind,
                    summary,
                    r.tags.iter().map(String::as_str),
                    r.aliases.iter().map(String::as_str),
                    r.approaches,
                    &links,
                    file,
                );
            }
        }
    }
}

/// The postings of a run of consecutive entries, numbered from 0 within the run:
/// word → (postings, first entry, last entry).
#[derive(Default)]
struct Run {
    words: FxHashMap<String, (Vec<u8>, u32, u32)>,
}

impl Run {
    fn add(&mut self, entry: u32, words: &WordCounts) {
        let mut last_word = "";
        for (word, field, count) in words.iter() {
            let field = field.code();
            if let Some(slot) = self.words.get_mut(word) {
                let delta = if word == last_word { 0 } else { entry - slot.2 };
                put_posting(&mut slot.0, delta, field, count);
                slot.2 = entry;
            } else {
                let mut list = Vec::new();
                put_posting(&mut list, entry, field, count);
                self.words.insert(word.to_owned(), (list, entry, entry));
            }
            last_word = word;
        }
    }
}

/// What deciding a chunk of consecutive groups gave.
struct ChunkOut {
    groups: Vec<GroupOut>,
    run: Run,
}

fn decide_chunk(
    groups: &[std::ops::Range<usize>],
    sorted: &[&Cand<'_>],
    files: &Files<'_, '_>,
    old: Option<&Index>,
) -> ChunkOut {
    let mut run = Run::default();
    let mut winners = 0;
    let groups = groups
        .iter()
        .map(|g| {
            let mut out = decide(&sorted[g.clone()], files, old);
            if let Some((_, winner)) = &mut out.winner {
                if let Winner::Fresh(r) = winner {
                    run.add(winners, &std::mem::take(&mut r.words));
                }
                winners += 1;
            }
            out
        })
        .collect();
    ChunkOut { groups, run }
}

/// The components of a file's path below the root, to sort files as `Path` does.
fn components<'a>(rel: &'a [u8], name: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    rel.split(|&b| b == b'/')
        .filter(|c| !c.is_empty())
        .chain(std::iter::once(name))
}

/// Decides every group, in chunks of consecutive groups, handing each chunk to
/// `consume` in id order.
fn run_groups(
    sorted: &[&Cand<'_>],
    groups: &[std::ops::Range<usize>],
    files: &Files<'_, '_>,
    old: Option<&Index>,
    consume: &mut impl FnMut(ChunkOut),
) {
    const CHUNK: usize = 256;
    let chunks: Vec<&[std::ops::Range<usize>]> = groups.chunks(CHUNK).collect();
    let to_parse = sorted
        .iter()
        .filter(|c| {
            c.reuse
                .is_none_or(|o| o & outcome::KIND == outcome::UNKNOWN)
        })
        .count();
    if to_parse < 2 * CHUNK {
        for chunk in chunks {
            consume(decide_chunk(chunk, sorted, files, old));
        }
        return;
    }
    // Two threads parse chunks; this one puts them in order.
    let next = AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, ChunkOut)>(4);
    std::thread::scope(|s| {
        for _ in 0..2 {
            let tx = tx.clone();
            let (chunks, next) = (&chunks, &next);
            s.spawn(move || {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(chunk) = chunks.get(k) else { break };
                    if tx
                        .send((k, decide_chunk(chunk, sorted, files, old)))
                        .is_err()
                    {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, ChunkOut> = BTreeMap::new();
        let mut want = 0;
        for (k, out) in rx {
            pending.insert(k, out);
            while let Some(out) = pending.remove(&want) {
                consume(out);
                want += 1;
            }
        }
    });
}

/// One posting: the entry (as the difference from the previous one), the field,
/// and the count; the count shares the field's byte when below 31.
fn put_posting(out: &mut Vec<u8>, delta: u32, field: u8, count: u32) {
    put_varint(out, u64::from(delta));
    let small = count.min(31) as u8;
    out.push((field & 7) | (small << 3));
    if small == 31 {
        put_varint(out, u64::from(count - 31));
    }
}

/// Resolves links, collects backlinks and builds the name table.
fn link_and_name<W: Write + Seek>(
    mut entries: Entries,
    old: Option<&Index>,
    summaries_end: u32,
    w: &mut Writer<W>,
) -> io::Result<()> {
    let link_texts = std::mem::take(&mut entries.link_texts);
    let link_text = |text: u32| -> &str {
        if text & OLD_LINK != 0 {
            old.map_or("", |o| o.link_text((text & !OLD_LINK) as usize))
        } else {
            link_texts.get(text as usize)
        }
    };
    let n = entries.len();
    // Names: (normalized, entry << 2 | kind), the strongest kind per entry and name.
    let mut names: Vec<(String, u32)> = Vec::with_capacity(n * 2);
    for i in 0..n {
        let r = &entries.records[i * rec::LEN..(i + 1) * rec::LEN];
        let (start, end) = (
            r[rec::ALIASES] as usize,
            entries
                .records
                .get((i + 1) * rec::LEN + rec::ALIASES)
                .map_or(entries.aliases.len(), |&e| e as usize),
        );
        let id = entries.strings.get(r[rec::ID] as usize);
        let title = entries.strings.get(r[rec::TITLE] as usize);
        let mut add = |text: &str, kind: NameKind| {
            let key = crate::name::normalize(text);
            if !key.is_empty() {
                names.push((key, (i as u32) << 2 | kind as u32));
            }
        };
        add(id, NameKind::Id);
        add(title, NameKind::Title);
        for a in &entries.aliases[start..end] {
            add(entries.strings.get(*a as usize), NameKind::Alias);
        }
    }
    // Sorted by name, entry, kind; the first 8 bytes of a name, compared as a
    // number, settle most comparisons without reading the name itself.
    let prefix = |k: &str| {
        let mut b = [0u8; 8];
        let n = k.len().min(8);
        b[..n].copy_from_slice(&k.as_bytes()[..n]);
        u64::from_be_bytes(b)
    };
    let mut order: Vec<(u64, u32)> = names
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (prefix(k), i as u32))
        .collect();
    order.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| {
            let (x, y) = (&names[a.1 as usize], &names[b.1 as usize]);
            x.0.cmp(&y.0)
                .then((x.1 >> 2).cmp(&(y.1 >> 2)))
                .then(x.1.cmp(&y.1))
        })
    });
    // The strongest kind of name per entry and name.
    order.dedup_by(|b, a| {
        let (x, y) = (&names[a.1 as usize], &names[b.1 as usize]);
        x.0 == y.0 && x.1 >> 2 == y.1 >> 2
    });
    let mut keys = StrsBuilder::default();
    let mut starts: Vec<u32> = Vec::new();
    let mut refs: Vec<u32> = Vec::with_capacity(order.len());
    let mut fuzz: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let name = &names[order[i].1 as usize].0;
        let j = i + order[i..]
            .iter()
            .take_while(|x| names[x.1 as usize].0 == *name)
            .count();
        let mut group: Vec<u32> = order[i..j].iter().map(|x| names[x.1 as usize].1).collect();
        group.sort_by_key(|r| (r & 3, r >> 2));
        keys.push(name);
        starts.push(refs.len() as u32);
        refs.extend(group);
        let mask = crate::fuzzy::char_mask(name);
        fuzz.extend([
            mask as u32,
            (mask >> 32) as u32,
            name.chars().count() as u32,
        ]);
        i = j;
    }
    starts.push(refs.len() as u32);
    drop(order);
    // Links resolve through a hash of the names, faster than searching the table.
    let by_name: FxHashMap<&str, u32> = (0..keys.len())
        .map(|k| (keys.get(k), refs[starts[k] as usize] >> 2))
        .collect();
    let resolve = |text: &str| -> u32 {
        // An id is its own normalized form: the common case needs no copy.
        let key = if crate::name::is_valid_id(text) {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(crate::name::normalize(text))
        };
        by_name.get(key.as_ref()).copied().unwrap_or(NONE)
    };
    let targets: Vec<u32> = entries
        .links
        .iter()
        .map(|&(text, _, _)| resolve(link_text(text)))
        .collect();
    drop(by_name);
    for (link, target) in entries.links.iter_mut().zip(targets) {
        link.1 = target;
    }
    let mut name_refs = Vec::with_capacity(4 * (2 + starts.len() + refs.len()));
    put_u32(&mut name_refs, (starts.len() - 1) as u32);
    for v in starts.iter().chain(&refs) {
        put_u32(&mut name_refs, *v);
    }
    drop(names);

    // Backlinks: (linking entry, link number), sorted by the linking entry's id
    // (entries are in id order), once per linking entry and relation.
    let links_end = |i: usize, entries: &Entries| {
        entries
            .records
            .get((i + 1) * rec::LEN + rec::LINKS)
            .map_or(entries.links.len(), |&e| e as usize)
    };
    let mut back: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for from in 0..n {
        let start = entries.records[from * rec::LEN + rec::LINKS] as usize;
        let end = links_end(from, &entries);
        for (l, &(_, to, relation)) in entries.links[start..end].iter().enumerate() {
            if to == NONE || to as usize == from {
                continue;
            }
            let list = &mut back[to as usize];
            let repeat = list
                .iter()
                .rev()
                .take_while(|b| b.0 == from as u32)
                .any(|b| entries.links[b.1 as usize].2 == relation);
            if !repeat {
                list.push((from as u32, (start + l) as u32));
            }
        }
    }
    let mut backlinks: Vec<u32> = Vec::new();
    for (i, list) in back.iter().enumerate() {
        entries.records[i * rec::LEN + rec::BACKLINKS] = (backlinks.len() / 2) as u32;
        for &(from, l) in list {
            backlinks.extend([from, l]);
        }
    }
    drop(back);

    // Link texts that repeat the target's id, title or alias are not stored twice.
    let mut texts = StrsBuilder::default();
    let mut links: Vec<u32> = Vec::with_capacity(entries.links.len() * 3);
    for &(text, target, relation) in &entries.links {
        let text = link_text(text);
        let code = (target != NONE)
            .then(|| {
                let t = target as usize;
                let r = &entries.records[t * rec::LEN..(t + 1) * rec::LEN];
                if entries.strings.get(r[rec::ID] as usize) == text {
                    return Some(super::LINK_ID);
                }
                if entries.strings.get(r[rec::TITLE] as usize) == text {
                    return Some(super::LINK_TITLE);
                }
                let end = entries
                    .records
                    .get((t + 1) * rec::LEN + rec::ALIASES)
                    .map_or(entries.aliases.len(), |&e| e as usize);
                entries.aliases[r[rec::ALIASES] as usize..end]
                    .iter()
                    .position(|&a| entries.strings.get(a as usize) == text)
                    .map(|k| super::LINK_ALIAS | k as u32)
            })
            .flatten();
        links.push(code.unwrap_or_else(|| texts.push(text)));
        links.push(target);
        links.push(relation);
    }

    // The sentinel record: where every list of the last entry ends.
    let ends = [
        0,
        0,
        0,
        summaries_end,
        entries.tags.len() as u32,
        entries.aliases.len() as u32,
        entries.links.len() as u32,
        0,
        (backlinks.len() / 2) as u32,
        NONE,
    ];
    entries.records.extend(ends);
    w.section(Sec::Entries, &layout::u32_bytes(&entries.records))?;
    w.section(Sec::Strings, &entries.strings.to_bytes())?;
    w.section(Sec::Tags, &layout::u32_bytes(&entries.tags))?;
    w.section(Sec::Aliases, &layout::u32_bytes(&entries.aliases))?;
    w.section(Sec::Links, &layout::u32_bytes(&links))?;
    w.section(Sec::LinkTexts, &texts.to_bytes())?;
    w.section(Sec::Backlinks, &layout::u32_bytes(&backlinks))?;
    w.section(Sec::NameKeys, &keys.to_bytes())?;
    w.section(Sec::NameRefs, &name_refs)?;
    w.section(Sec::NameFuzz, &layout::u32_bytes(&fuzz))?;
    Ok(())
}

/// The manifest: directories, files with their `stat` and outcome, and the key.
fn manifest(
    key: &Key,
    scans: &[Option<Scan<'_>>],
    files: &Files<'_, '_>,
    outcomes: &[u32],
    now: i64,
) -> Vec<(Sec, Vec<u8>)> {
    let mut paths = StrsBuilder::default();
    let mut dirs = Vec::new();
    let mut children: Vec<u32> = Vec::new();
    // Files are numbered source by source, in walk order: where each source's start.
    let mut dir_base = Vec::with_capacity(scans.len());
    let (mut files_so_far, mut dirs_so_far) = (0u32, 0u32);
    for (s, source) in key.roots.iter().enumerate() {
        dir_base.push(dirs_so_far);
        match (source, scans.get(s).and_then(Option::as_ref)) {
            (Source::Dir(_), Some(scan)) => {
                for d in &scan.dirs {
                    let c0 = children.len() as u32;
                    children.extend(d.children.iter().map(|&c| dirs_so_far + c as u32));
                    put_u32(&mut dirs, s as u32);
                    put_u32(&mut dirs, paths.push_bytes(&d.rel));
                    put_u32(&mut dirs, d.flags);
                    put_u32(&mut dirs, c0);
                    put_u32(&mut dirs, children.len() as u32);
                    put_u32(&mut dirs, files_so_far + d.files.start as u32);
                    put_u32(&mut dirs, files_so_far + d.files.end as u32);
                    put_u32(&mut dirs, 0);
                    for v in [
                        d.stat.dev,
                        d.stat.ino,
                        d.stat.mtime as u64,
                        d.stat.ctime as u64,
                    ] {
                        put_u64(&mut dirs, v);
                    }
                }
                files_so_far += scan.files.len() as u32;
                dirs_so_far += scan.dirs.len() as u32;
            }
            _ => files_so_far += files.texts.len() as u32,
        }
    }
    let mut records = Vec::with_capacity(files.place.len() * FILE_BYTES);
    for (f, place) in files.place.iter().enumerate() {
        let outcome = outcomes.get(f).copied().unwrap_or(outcome::UNKNOWN);
        match *place {
            Place::Dir(s, i) => {
                let Some(scan) = &scans[s] else { continue };
                let file = &scan.files[i];
                let (stat, mut flags) = match &file.stat {
                    Ok(stat) => (*stat, file.flags),
                    Err(_) => (scan::Stat::default(), RACY),
                };
                if !stat.is_file {
                    flags |= NOT_FILE;
                }
                put_u32(&mut records, dir_base[s] + file.dir as u32);
                put_u32(&mut records, paths.push_bytes(&file.name));
                put_u32(&mut records, flags);
                put_u32(&mut records, outcome);
                for v in [
                    stat.size,
                    stat.mtime as u64,
                    stat.ctime as u64,
                    stat.ino,
                    stat.dev,
                ] {
                    put_u64(&mut records, v);
                }
            }
            Place::Text(t) => {
                put_u32(&mut records, NONE);
                put_u32(&mut records, paths.push(&files.texts[t].0));
                put_u32(&mut records, 0);
                put_u32(&mut records, outcome);
                records.extend_from_slice(&[0u8; 40]);
            }
        }
    }
    let mut meta = Vec::new();
    put_u64(&mut meta, now as u64);
    put_u32(&mut meta, key.text.len() as u32);
    meta.extend_from_slice(&key.text);
    vec![
        (Sec::Meta, meta),
        (Sec::Dirs, dirs),
        (Sec::DirChildren, layout::u32_bytes(&children)),
        (Sec::Files, records),
        (Sec::Paths, paths.to_bytes()),
    ]
}

/// A new index file next to its final place, renamed there once complete, so
/// that a reader sees the old file or the new one, never half of one.
struct TempFile {
    file: std::fs::File,
    path: PathBuf,
}

impl TempFile {
    fn create(key: &Key, path: &Path) -> io::Result<TempFile> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(
            ".{}.{}.{}.tmp",
            key.file_name(),
            std::process::id(),
            scan::now_ns()
        ));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        Ok(TempFile { file, path: tmp })
    }

    fn build(
        self,
        key: &Key,
        old: Option<&Index>,
        scans: Vec<Option<Scan<'_>>>,
        texts: &[(String, String)],
        path: &Path,
        now: i64,
    ) -> Result<Index, Unusable> {
        let result = (|| {
            let out = io::BufWriter::with_capacity(1 << 16, &self.file);
            build_into(out, key, old, scans, texts, now)?
                .into_inner()
                .map_err(|e| e.into_error())?;
            std::fs::rename(&self.path, path)?;
            let file = self.file.try_clone()?;
            Index::from_backing(Backing::File(file), key, &[])
        })();
        match &result {
            Ok(_) => prune(path.parent().unwrap_or(Path::new(".")), path),
            Err(_) => {
                let _ = std::fs::remove_file(&self.path);
            }
        }
        result
    }
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

/// Writes the postings: each word's old list, renumbered and without the entries
/// that changed, merged with the new entries'. Returns the vocabulary and the
/// word table.
fn write_postings<W: Write + Seek>(
    fresh: &FxHashMap<String, (Vec<u8>, u32)>,
    old_map: &[u32],
    old: Option<&Index>,
    w: &mut Writer<W>,
) -> Result<(Vec<u8>, Vec<u8>), Unusable> {
    let mut fresh: Vec<(&str, &Vec<u8>)> = fresh.iter().map(|(k, v)| (k.as_str(), &v.0)).collect();
    fresh.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let old_vocab = old.map(Index::vocab).unwrap_or_default();
    let mut old_postings = old.map(|o| SeqReader::new(o, Sec::Postings));
    let mut vocab = StrsBuilder::default();
    let mut words = Vec::new();
    let mut stream = w.stream(Sec::Postings);
    let (mut i, mut j) = (0, 0);
    let mut merged = Vec::new();
    let mut buf = Vec::new();
    while i < old_vocab.len() || j < fresh.len() {
        let old_word = (i < old_vocab.len()).then(|| old_vocab.bytes(i));
        let new_word = fresh.get(j).map(|f| f.0.as_bytes());
        let (word, from_old, from_new) = match (old_word, new_word) {
            (Some(o), Some(n)) if o == n => (o, true, true),
            (Some(o), Some(n)) if o < n => (o, true, false),
            (Some(o), None) => (o, true, false),
            (_, Some(n)) => (n, false, true),
            (None, None) => break,
        };
        let list: &[u8] = if from_old {
            merged.clear();
            if let Some(op) = old_postings.as_mut() {
                let (offset, len) = op.old.posting_span(i);
                for (entry, field, count) in super::postings(op.read(offset, offset + len as u64)?)
                {
                    if let Some(&e) = old_map.get(entry as usize)
                        && e != NONE
                    {
                        merged.push((e, field, count));
                    }
                }
            }
            i += 1;
            if from_new {
                merged.extend(super::postings(fresh[j].1));
                merged.sort_by_key(|p| (p.0, p.1));
                j += 1;
            }
            buf.clear();
            let mut last = 0;
            for &(entry, field, count) in &merged {
                put_posting(&mut buf, entry - last, field, count);
                last = entry;
            }
            &buf
        } else {
            j += 1;
            fresh[j - 1].1
        };
        if list.is_empty() {
            continue;
        }
        let offset = stream.position();
        stream.write(list)?;
        vocab.push_bytes(word);
        put_u32(&mut words, offset as u32);
        put_u32(&mut words, (offset >> 32) as u32);
        put_u32(&mut words, list.len() as u32);
    }
    stream.finish();
    if let Some(op) = old_postings
        && !op.verified()
    {
        return Err("old postings damaged".into());
    }
    Ok((vocab.to_bytes(), words))
}

/// Reads a section of the old index front to back, in pieces, checking its
/// checksum once all of it has gone by: the postings word by word, the
/// summaries of the entries kept, without holding either whole in memory.
struct SeqReader<'a> {
    old: &'a Index,
    span: layout::Span,
    next: u64,
    hasher: xxhash_rust::xxh3::Xxh3,
    buf: Vec<u8>,
    ok: bool,
}

impl<'a> SeqReader<'a> {
    fn new(old: &'a Index, sec: Sec) -> SeqReader<'a> {
        SeqReader {
            old,
            span: old.header.spans[sec as usize],
            next: 0,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            buf: Vec::new(),
            ok: true,
        }
    }

    /// Bytes `start..end` of the section; ranges must come in increasing order.
    fn read(&mut self, start: u64, end: u64) -> io::Result<&[u8]> {
        if start < self.next || end < start || end > self.span.len {
            self.ok = false;
            return Err(io::Error::other("old index read out of order"));
        }
        self.skip_to(start)?;
        self.buf = self
            .old
            .backing
            .read(self.span.offset + start, (end - start) as usize)?;
        self.hasher.update(&self.buf);
        self.next = end;
        Ok(&self.buf)
    }

    /// Reads (and checks) the bytes up to `to` without keeping them.
    fn skip_to(&mut self, to: u64) -> io::Result<()> {
        while self.next < to {
            let len = (to - self.next).min(1 << 20);
            let bytes = self
                .old
                .backing
                .read(self.span.offset + self.next, len as usize)?;
            self.hasher.update(&bytes);
            self.next += len;
        }
        Ok(())
    }

    /// Whether the whole section was read and matches its checksum.
    fn verified(mut self) -> bool {
        self.ok && self.skip_to(self.span.len).is_ok() && self.hasher.digest() == self.span.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_removes_only_old_files_of_otpic() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(100 * 86_400);
        let make = |name: &str, aged: bool| {
            let path = dir.path().join(name);
            let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
            if aged {
                file.set_modified(old).unwrap_or_else(|e| panic!("{e}"));
            }
        };
        make("0123456789abcdef.idx", true);
        make("fedcba9876543210.idx", false);
        make("aaaaaaaaaaaaaaaa.idx", true);
        make(".0123456789abcdef.idx.12.34.tmp", true);
        make("notes.idx", true);
        make(".other.tmp", true);
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
                ".other.tmp",
                "aaaaaaaaaaaaaaaa.idx",
                "fedcba9876543210.idx",
                "notes.idx"
            ]
        );
    }
}
