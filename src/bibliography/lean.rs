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
    works: Vec<Lean>,
    /// The first work of each identity hash (folded title, author, year), the
    /// others chained from it; the identity itself is made again from a work
    /// when the hash matches.
    by_identity: HashMap<u64, u32>,
    is_organisation: &'a dyn Fn(&str) -> bool,
}

/// One work, as its first citation gave it.
struct Lean {
    title: Box<str>,
    author: Option<Box<str>>,
    year: Option<Year>,
    url: Option<Box<str>>,
    /// The first name of the author, read as names.
    first: Option<Box<Name>>,
    /// The next work of the same identity hash, in the order they came.
    next: Option<u32>,
    /// The entries citing it (their numbers) and how, each once.
    cited_by: Vec<(u32, Role)>,
}

impl Lean {
    fn shown(&self) -> Shown<'_> {
        Shown {
            title: &self.title,
            author: self.author.as_deref(),
            year: self.year.as_ref(),
            url: self.url.as_deref(),
        }
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
    pub fn new(is_organisation: &'a dyn Fn(&str) -> bool) -> Self {
        LeanWorks {
            works: Vec::new(),
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
                        && identity(&work.title, work.author.as_deref(), work.year.as_ref()) == id
                        && match (&work.url, &cited.url) {
                            (Some(a), Some(b)) => **a == **b,
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
                        if work.url.is_none() {
                            work.url = cited.url.as_deref().map(Box::from);
                        }
                        if !work.cited_by.contains(&(entry, role)) {
                            work.cited_by.push((entry, role));
                        }
                    }
                    None => {
                        let new = u32::try_from(works.len()).unwrap_or(u32::MAX);
                        match last {
                            Some(last) => works[last as usize].next = Some(new),
                            None => {
                                self.by_identity.insert(hash, new);
                            }
                        }
                        let first = cited.author.as_deref().and_then(|a| {
                            names::parse(a, self.is_organisation)
                                .list
                                .into_iter()
                                .next()
                                .map(Box::new)
                        });
                        works.push(Lean {
                            title: cited.title.as_str().into(),
                            author: cited.author.as_deref().map(Box::from),
                            year: cited.year.clone(),
                            url: cited.url.as_deref().map(Box::from),
                            first,
                            next: None,
                            cited_by: vec![(entry, role)],
                        });
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
        let mut buckets: HashMap<String, Vec<u32>> = HashMap::new();
        for (n, w) in works.iter().enumerate() {
            if let Some(first) = &w.first {
                buckets
                    .entry(first.key_word())
                    .or_default()
                    .push(u32::try_from(n).unwrap_or(u32::MAX));
            }
        }
        let mut buckets: Vec<Vec<u32>> = buckets.into_values().collect();
        for bucket in &mut buckets {
            bucket.sort_by_cached_key(|&n| {
                let w = &works[n as usize];
                let who = match &w.first {
                    Some(first) => format!(
                        "{} {}",
                        fold(&first.sort_name()),
                        fold(w.author.as_deref().unwrap_or(""))
                    ),
                    None => fold(&w.title),
                };
                (
                    who,
                    super::year_number(w.year.as_ref()).unwrap_or(i64::MAX),
                    fold(&w.year.as_ref().map(|y| y.to_string()).unwrap_or_default()),
                    fold(&w.title),
                    w.url.as_deref().unwrap_or("").to_owned(),
                    // gather's sort is stable: equal keys stay in the order cited.
                    n,
                )
            });
        }
        let cited = |w: &Lean| -> Vec<(String, Role)> {
            let mut by: Vec<(String, Role)> = w.cited_by.iter().map(|&(e, r)| (id(e), r)).collect();
            by.sort();
            by
        };
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for bucket in &buckets {
            let found = super::near::pairs(bucket.iter().map(|&n| {
                let w = &works[n as usize];
                (w.first.as_deref(), w.author.as_deref(), &*w.title)
            }));
            pairs.extend(
                found
                    .into_iter()
                    .map(|(a, b)| (bucket[a] as usize, bucket[b] as usize)),
            );
        }
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
                    .iter()
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
