//! The files to account for: every file the walks found (or the built-in
//! texts), each with its source, its rank in read order, its id and what the
//! last index knew of it, grouped by id.

use super::super::scan::Scan;
use super::super::{Index, Unusable};
use super::Key;
use super::fresh::Record;
use crate::diagnostic::Diagnostic;
use crate::entry::Entry;
use crate::source::{self, Source};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::ops::Range;

/// A file to account for: where it is, its rank, its id, what may be reused.
pub(super) struct Cand<'a> {
    pub source: u32,
    /// Rank in its source, in the order [`crate::source`] reads files.
    pub order: u32,
    /// Index in the new manifest.
    pub file: u32,
    pub id: Cow<'a, str>,
    /// The old outcome, when the file is unchanged.
    pub reuse: Option<u32>,
}

/// Where the files of the knowledge base are, to read them.
pub(super) struct Files<'s, 'a> {
    pub scans: &'s [Option<Scan<'a>>],
    /// For each manifest file: (scan, file in scan), or the index in `texts`.
    pub place: Vec<Place>,
    pub texts: &'s [(String, String)],
}

#[derive(Clone, Copy)]
pub(super) enum Place {
    Dir(usize, usize),
    Text(usize),
}

impl Files<'_, '_> {
    pub fn display(&self, file: u32) -> String {
        match self.place[file as usize] {
            Place::Dir(s, f) => match &self.scans[s] {
                Some(scan) => scan.files[f].path(&scan.dirs).display().to_string(),
                None => String::new(),
            },
            Place::Text(t) => source::embedded_display(&self.texts[t].0),
        }
    }

    /// Reads and parses a file.
    pub fn parse(&self, c: &Cand<'_>) -> Result<Record, Diagnostic> {
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

/// The components of a file's path below the root, to sort files as `Path` does.
fn components<'a>(rel: &'a [u8], name: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    rel.split(|&b| b == b'/')
        .filter(|c| !c.is_empty())
        .chain(std::iter::once(name))
}

/// The new manifest's files, source by source, and a candidate for each, in
/// walk order, ranked in read order.
pub(super) fn gather<'s, 'a>(
    key: &Key,
    scans: &'s [Option<Scan<'a>>],
    texts: &'s [(String, String)],
    old: Option<&Index>,
) -> Result<(Files<'s, 'a>, Vec<Cand<'s>>), Unusable> {
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
        scans,
        place,
        texts,
    };
    Ok((files, cands))
}

/// The candidates sorted by id, then source, then read order, and the ranges
/// of that order that share an id.
pub(super) fn group<'c, 'a>(cands: &'c [Cand<'a>]) -> (Vec<&'c Cand<'a>>, Vec<Range<usize>>) {
    let mut sorted: Vec<&Cand<'_>> = cands.iter().collect();
    sorted.sort_by(|a, b| {
        a.id.cmp(&b.id)
            .then(a.source.cmp(&b.source))
            .then(a.order.cmp(&b.order))
    });
    let mut groups: Vec<Range<usize>> = Vec::new();
    for i in 0..sorted.len() {
        match groups.last_mut() {
            Some(g) if sorted[g.start].id == sorted[i].id => g.end = i + 1,
            _ => groups.push(i..i + 1),
        }
    }
    (sorted, groups)
}
