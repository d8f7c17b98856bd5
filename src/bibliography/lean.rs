//! `check`'s comparison of cited works in little memory: the works gathered as
//! [`super::gather`] gathers them, one entry at a time, keeping of each only
//! what the comparison and its warning read (no description, venue, key or
//! copies of the citing entries' ids, titles and files).
//!
//! Gives exactly [`super::check_works`] of what [`super::gather`] would have
//! gathered from the same entries in the same order, provided the entries'
//! numbers sort as their ids do (the index's numbers do) and name each entry once.

use super::names::{self, Name};
use super::{Role, Shown, author_identity, fold};
use crate::diagnostic::Diagnostic;
use crate::entry::Entry;
use crate::raw::Year;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// The works cited so far.
pub struct LeanWorks<'a> {
    works: Chunked<Lean>,
    /// The first work of each identity hash (folded title, author, year), the
    /// others chained from it; the identity itself is made again from a work
    /// when the hash matches.
    by_identity: HashMap<u64, u32>,
    is_organisation: &'a (dyn Fn(&str) -> bool + Sync),
}

/// One work, as its first citation gave it. Its first author's name, which only
/// the comparison reads, is parsed again then, a bucket at a time.
struct Lean {
    /// Title, author and URL, one after the other in one allocation.
    text: Box<str>,
    title_len: u32,
    /// [`NONE`]: no author.
    author_len: u32,
    /// [`NONE`]: no URL.
    url_len: u32,
    /// The next work of the same identity hash, in the order they came.
    next: Option<u32>,
    year: Option<Year>,
    /// The entries citing it (their numbers) and how, each once.
    cited_by: Cited,
}

const NONE: u32 = u32::MAX;

impl Lean {
    fn new(title: &str, author: Option<&str>, url: Option<&str>, cited_by: Cited) -> Lean {
        let len = |s: Option<&str>| s.map_or(NONE, |s| u32::try_from(s.len()).unwrap_or(0));
        let text = [title, author.unwrap_or(""), url.unwrap_or("")].concat();
        Lean {
            text: text.into(),
            title_len: len(Some(title)),
            author_len: len(author),
            url_len: len(url),
            next: None,
            year: None,
            cited_by,
        }
    }

    /// The part of `text` after `skip` bytes, `len` long ([`NONE`]: absent).
    fn part(&self, skip: u32, len: u32) -> Option<&str> {
        if len == NONE {
            return None;
        }
        let start = skip as usize;
        self.text.get(start..start + len as usize)
    }

    fn title(&self) -> &str {
        self.part(0, self.title_len).unwrap_or("")
    }

    fn author(&self) -> Option<&str> {
        self.part(self.title_len, self.author_len)
    }

    fn url(&self) -> Option<&str> {
        let author = if self.author_len == NONE {
            0
        } else {
            self.author_len
        };
        self.part(self.title_len + author, self.url_len)
    }

    fn shown(&self) -> Shown<'_> {
        Shown {
            title: self.title(),
            author: self.author(),
            year: self.year.as_ref(),
            url: self.url(),
        }
    }
}

/// The entries citing a work: nearly always one, kept without an allocation.
struct Cited {
    first: (u32, Role),
    /// The others, in the order they came (a box, not a `Vec`: 8 bytes, not 24).
    more: Option<Box<[(u32, Role)]>>,
}

impl Cited {
    fn one(entry: u32, role: Role) -> Cited {
        Cited {
            first: (entry, role),
            more: None,
        }
    }

    fn list(&self) -> impl Iterator<Item = &(u32, Role)> {
        std::iter::once(&self.first).chain(self.more.iter().flat_map(|m| m.iter()))
    }

    fn add(&mut self, entry: u32, role: Role) {
        if self.list().any(|&c| c == (entry, role)) {
            return;
        }
        let mut more = self.more.take().map(Vec::from).unwrap_or_default();
        more.push((entry, role));
        self.more = Some(more.into_boxed_slice());
    }
}

/// Items in fixed blocks: no block is ever moved or left half-used by growth, so
/// 140,000 works take what they hold and no more (a `Vec` that doubles holds up
/// to twice that, and both copies while it moves).
struct Chunked<T> {
    blocks: Vec<Vec<T>>,
    len: usize,
}

const BLOCK: usize = 4096;

impl<T> Chunked<T> {
    fn new() -> Self {
        Chunked {
            blocks: Vec::new(),
            len: 0,
        }
    }

    fn push(&mut self, item: T) {
        if self.len.is_multiple_of(BLOCK) {
            self.blocks.push(Vec::with_capacity(BLOCK));
        }
        if let Some(block) = self.blocks.last_mut() {
            block.push(item);
            self.len += 1;
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = &T> {
        self.blocks.iter().flatten()
    }
}

impl<T> std::ops::Index<usize> for Chunked<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.blocks[i / BLOCK][i % BLOCK]
    }
}

impl<T> std::ops::IndexMut<usize> for Chunked<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.blocks[i / BLOCK][i % BLOCK]
    }
}

/// What a work is the same work by: its folded title, author and year.
fn identity(title: &str, author: Option<&str>, year: Option<&Year>) -> (String, String, String) {
    (
        fold(title),
        author.map(author_identity).unwrap_or_default(),
        year.map(|y| y.to_string().trim().to_lowercase())
            .unwrap_or_default(),
    )
}

fn hash_of(identity: &(String, String, String)) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    identity.hash(&mut hasher);
    hasher.finish()
}

impl<'a> LeanWorks<'a> {
    pub fn new(is_organisation: &'a (dyn Fn(&str) -> bool + Sync)) -> Self {
        LeanWorks {
            works: Chunked::new(),
            by_identity: HashMap::new(),
            is_organisation,
        }
    }

    /// Adds the works entry number `entry`, `e`, cites, as [`super::Gatherer::add`] does.
    pub fn add(&mut self, entry: u32, e: &Entry) {
        for (role, list) in [(Role::Example, &e.examples), (Role::Source, &e.sources)] {
            for cited in list {
                if cited.title.is_empty() {
                    continue;
                }
                let id = identity(&cited.title, cited.author.as_deref(), cited.year.as_ref());
                let hash = hash_of(&id);
                let works = &mut self.works;
                // The works of this identity in the order they came; the same
                // work unless both give a URL and the URLs differ.
                let mut found = None;
                let mut last = None;
                let mut at = self.by_identity.get(&hash).copied();
                while let Some(w) = at {
                    let work = &works[w as usize];
                    if found.is_none()
                        && identity(work.title(), work.author(), work.year.as_ref()) == id
                        && match (work.url(), &cited.url) {
                            (Some(a), Some(b)) => a == b.as_str(),
                            _ => true,
                        }
                    {
                        found = Some(w as usize);
                    }
                    last = Some(w);
                    at = work.next;
                }
                match found {
                    Some(w) => {
                        let work = &mut works[w];
                        if work.url().is_none()
                            && let Some(url) = cited.url.as_deref()
                        {
                            // Rare: a later citation gives the URL the first lacked.
                            let cited_by =
                                std::mem::replace(&mut work.cited_by, Cited::one(0, role));
                            let mut with =
                                Lean::new(work.title(), work.author(), Some(url), cited_by);
                            with.next = work.next;
                            with.year = work.year.take();
                            *work = with;
                        }
                        work.cited_by.add(entry, role);
                    }
                    None => {
                        let new = u32::try_from(works.len()).unwrap_or(u32::MAX);
                        match last {
                            Some(last) => works[last as usize].next = Some(new),
                            None => {
                                self.by_identity.insert(hash, new);
                            }
                        }
                        let mut work = Lean::new(
                            &cited.title,
                            cited.author.as_deref(),
                            cited.url.as_deref(),
                            Cited::one(entry, role),
                        );
                        work.year = cited.year.clone();
                        works.push(work);
                    }
                }
            }
        }
    }

    /// [`super::check_works`]'s warnings for the works added; `id` and `file`
    /// give an entry's id and file by its number.
    pub fn check(
        self,
        id: &dyn Fn(u32) -> String,
        file: &dyn Fn(u32) -> String,
    ) -> Vec<Diagnostic> {
        // Only works of one bucket (their first author's key word) are compared,
        // and only their order among themselves matters: sorting each bucket
        // alone, as gather sorts all, gives the same pairs.
        let works = self.works;
        let first_of = |w: &Lean| -> Option<Name> {
            let author = w.author()?;
            names::parse(author, self.is_organisation)
                .list
                .into_iter()
                .next()
        };
        // The works in buckets, a share of them on each core, the shares' buckets
        // merged after (the order within a bucket is the sort's, below).
        let bucket_range = |range: std::ops::Range<usize>| {
            let mut buckets: HashMap<String, Vec<u32>> = HashMap::new();
            for n in range {
                if let Some(first) = first_of(&works[n]) {
                    buckets
                        .entry(first.key_word())
                        .or_default()
                        .push(u32::try_from(n).unwrap_or(u32::MAX));
                }
            }
            buckets
        };
        let buckets = if works.len() < 2048 {
            bucket_range(0..works.len())
        } else {
            let (count, threads) = (works.len(), crate::parallel::per_core());
            let share = count.div_ceil(threads);
            let mut buckets: HashMap<String, Vec<u32>> = HashMap::new();
            crate::parallel::in_order(
                threads,
                threads,
                |t| bucket_range(t * share..((t + 1) * share).min(count)),
                |more| {
                    for (key, mut list) in more {
                        buckets.entry(key).or_default().append(&mut list);
                    }
                },
            );
            buckets
        };
        let cited = |w: &Lean| -> Vec<(String, Role)> {
            let mut by: Vec<(String, Role)> = w.cited_by.list().map(|&(e, r)| (id(e), r)).collect();
            by.sort();
            by
        };
        // A bucket at a time, with its works' first names parsed again for it
        // alone (all of them at once would be the largest thing kept).
        let works = &works;
        let pairs_in = |bucket: &[u32]| -> Vec<(usize, usize)> {
            let mut bucket: Vec<(u32, Option<Name>)> = bucket
                .iter()
                .map(|&n| (n, first_of(&works[n as usize])))
                .collect();
            bucket.sort_by_cached_key(|(n, first)| {
                let w = &works[*n as usize];
                let who = match first {
                    Some(first) => format!(
                        "{} {}",
                        fold(&first.sort_name()),
                        fold(w.author().unwrap_or(""))
                    ),
                    None => fold(w.title()),
                };
                (
                    who,
                    super::year_number(w.year.as_ref()).unwrap_or(i64::MAX),
                    fold(&w.year.as_ref().map(|y| y.to_string()).unwrap_or_default()),
                    fold(w.title()),
                    w.url().unwrap_or("").to_owned(),
                    // gather's sort is stable: equal keys stay in the order cited.
                    *n,
                )
            });
            let found = super::near::pairs(bucket.iter().map(|(n, first)| {
                let w = &works[*n as usize];
                (first.as_ref(), w.author(), w.title())
            }));
            found
                .into_iter()
                .map(|(a, b)| (bucket[a].0 as usize, bucket[b].0 as usize))
                .collect()
        };
        // Works are compared within a bucket only, at a cost that grows with the
        // square of its size: on a thread per core, each taking the largest
        // bucket left as it is free. (The warnings are sorted afterwards.)
        let mut buckets: Vec<Vec<u32>> = buckets.into_values().collect();
        let pairs: Vec<(usize, usize)> = if works.len() < 2048 {
            buckets.iter().flat_map(|b| pairs_in(b)).collect()
        } else {
            buckets.sort_by_key(|b| std::cmp::Reverse(b.len()));
            let mut pairs = Vec::new();
            crate::parallel::in_order(
                buckets.len(),
                crate::parallel::per_core(),
                |b| pairs_in(&buckets[b]),
                |found| pairs.extend(found),
            );
            pairs
        };
        pairs
            .into_iter()
            .map(|(a, b)| {
                let (wa, wb) = (&works[a], &works[b]);
                let (ca, cb) = (cited(wa), cited(wb));
                let join = |c: &[(String, Role)]| {
                    c.iter()
                        .map(|(id, _)| id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                // The first citing entry of b by id, as gather sorts them.
                let first = wb
                    .cited_by
                    .list()
                    .map(|&(e, r)| (id(e), r, e))
                    .min()
                    .map_or(0, |(_, _, e)| e);
                super::alike_warning(
                    &file(first),
                    &wb.shown(),
                    &join(&cb),
                    &wa.shown(),
                    &join(&ca),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_every_item_in_place_across_block_edges() {
        let mut items = Chunked::new();
        for i in 0..(2 * BLOCK + 3) {
            items.push(i);
        }
        assert_eq!(items.len(), 2 * BLOCK + 3);
        assert_eq!(items.blocks.len(), 3);
        for i in [0, BLOCK - 1, BLOCK, 2 * BLOCK, 2 * BLOCK + 2] {
            assert_eq!(items[i], i);
        }
        items[BLOCK] = 7;
        assert_eq!(items[BLOCK], 7);
        assert!(
            items
                .iter()
                .copied()
                .eq((0..2 * BLOCK + 3).map(|i| if i == BLOCK { 7 } else { i }))
        );
    }

    #[test]
    fn a_work_gives_back_its_title_author_and_url() {
        let cited = || Cited::one(1, Role::Source);
        for (author, url) in [
            (Some("Ury"), Some("http://x")),
            (None, Some("http://x")),
            (Some("Ury"), None),
            (None, None),
            (Some(""), Some("")),
        ] {
            let w = Lean::new("Getting", author, url, cited());
            assert_eq!((w.title(), w.author(), w.url()), ("Getting", author, url));
        }
    }

    /// Enough works for the comparison to run on a thread per core (2,048 or more),
    /// in buckets of unequal sizes, give exactly what the loaded path gives.
    #[test]
    fn many_works_compared_on_two_threads_warn_as_the_loaded_path_does() {
        let surnames = ["George", "Fisher", "Zartman", "Lederach", "Ury"];
        let mut entries = Vec::new();
        for n in 0..700usize {
            let mut text = format!("title = \"E{n}\"\ndefinition = \"d\"\n");
            for k in 0..4usize {
                let w = n * 4 + k;
                // Near-identical titles by nearly the same author, years apart:
                // the pairs to find; a bucket holds more works the later it comes.
                let surname = surnames[(w * w / 7 + w) % surnames.len()];
                let initial = char::from(b'A' + (w % 3) as u8);
                text.push_str(&format!(
                    "[[sources]]\ntitle = \"The {} of peace {}\"\nauthor = \"{initial}. {surname}\"\nyear = {}\n",
                    ["making", "makings", "keeping", "building"][w % 4],
                    w % 97,
                    1950 + w % 60,
                ));
            }
            let id = format!("e{n:04}");
            entries.push(
                crate::entry::Entry::parse(&id, &format!("{id}.toml"), &text)
                    .unwrap_or_else(|d| panic!("{d}")),
            );
        }
        let is_organisation = |_: &str| false;
        let mut lean = LeanWorks::new(&is_organisation);
        for (n, e) in entries.iter().enumerate() {
            lean.add(u32::try_from(n).unwrap_or(u32::MAX), e);
        }
        assert!(lean.works.len() >= 2048, "{}", lean.works.len());
        let refs: Vec<&crate::entry::Entry> = entries.iter().collect();
        let mut expected = super::super::check_entries(&refs, &is_organisation);
        let mut found = lean.check(&|e| entries[e as usize].id.clone(), &|e| {
            entries[e as usize].file.clone()
        });
        assert!(
            expected.len() > 100,
            "too few warnings to tell: {}",
            expected.len()
        );
        expected.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        found.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        assert_eq!(found, expected);
    }

    #[test]
    fn citing_entries_are_kept_once_each_in_order() {
        let mut c = Cited::one(3, Role::Example);
        c.add(3, Role::Example);
        c.add(1, Role::Source);
        c.add(3, Role::Source);
        c.add(1, Role::Source);
        let list: Vec<(u32, Role)> = c.list().copied().collect();
        assert_eq!(
            list,
            [(3, Role::Example), (1, Role::Source), (3, Role::Source)]
        );
    }
}
