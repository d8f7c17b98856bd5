//! The entry records being built: each decided group's winner, whether copied
//! from the last index or parsed afresh, with its strings, tags, aliases, links
//! and summary, in id order.

use super::super::layout::{self, NONE, StrsBuilder, put_varint};
use super::super::records::{EntryRecord, LinkRecord};
use super::super::{Index, outcome};
use super::SeqReader;
use super::decide::{GroupOut, Winner};
use super::parse::ChunkOut;
use crate::diagnostic::Diagnostic;
use rustc_hash::FxHashMap;
use std::io::{self, Seek, Write};

/// The entries being built.
#[derive(Default)]
pub(super) struct Entries {
    pub strings: StrsBuilder,
    shared: FxHashMap<String, u32>,
    pub link_texts: StrsBuilder,
    pub records: Vec<EntryRecord>,
    pub tags: Vec<u32>,
    pub aliases: Vec<u32>,
    /// The text in `link_texts`, or with [`OLD_LINK`] the old index's link;
    /// targets filled in once all names are known; the relation's name in
    /// `strings`.
    pub links: Vec<LinkRecord>,
}

/// Marks a link whose text is the old index's link of that number.
pub(super) const OLD_LINK: u32 = 1 << 31;

/// Where a link's text comes from while building, with its relation's name.
pub(super) enum LinkText<'a> {
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
            self.links.push(LinkRecord {
                text,
                target: NONE,
                relation,
            });
        }
        self.records.push(EntryRecord {
            id,
            title,
            kind,
            summary,
            tags: tags_start,
            aliases: aliases_start,
            links: links_start,
            approaches: approaches as u32,
            backlinks: 0,
            file,
        });
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Where entry `i`'s list that `field` locates ends: where the next
    /// entry's starts, or the end of the list for the last entry.
    pub fn end(&self, i: usize, field: fn(&EntryRecord) -> u32, len: usize) -> usize {
        self.records.get(i + 1).map_or(len, |r| field(r) as usize)
    }
}

/// Takes the decided groups, in id order, and builds the entries.
pub(super) struct Consumer<'w, 'o, W: Write + Seek> {
    pub entries: Entries,
    /// Postings of the entries parsed afresh: word → (postings, last entry).
    pub fresh: FxHashMap<String, (Vec<u8>, u32)>,
    /// New index of each old entry that was kept, or [`NONE`].
    pub old_map: Vec<u32>,
    /// What reading each manifest file gave.
    pub outcomes: Vec<u32>,
    /// (source, order, problem, manifest file if the file's own).
    pub file_problems: Vec<(u32, u32, Diagnostic, Option<u32>)>,
    pub summaries: layout::SectionStream<'w, W>,
    pub failed: Option<io::Error>,
    pub old: Option<&'o Index>,
    /// The old summaries, read as the entries that keep them come by.
    pub old_summaries: Option<SeqReader<'o>>,
}

impl<W: Write + Seek> Consumer<'_, '_, W> {
    /// Writes a summary (none: nothing) and returns where it starts.
    pub fn summary(&mut self, text: Option<&str>) -> u32 {
        let at = self.summaries.position() as u32;
        if let (Some(text), None) = (text, &self.failed)
            && let Err(e) = self.summaries.write(text.as_bytes())
        {
            self.failed = Some(e);
        }
        at
    }

    pub fn chunk(&mut self, chunk: ChunkOut) {
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
                let (start, end) = old.range(o, |r| r.summary);
                let summary = match reader.read(start as u64, end as u64) {
                    Ok(bytes) => std::str::from_utf8(bytes).ok().map(str::to_owned),
                    Err(e) => {
                        self.failed = Some(e);
                        None
                    }
                };
                let summary = self.summary(summary.as_deref());
                let (l0, l1) = old.range(o, |r| r.links);
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
                    old.record(o).approaches as usize,
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
