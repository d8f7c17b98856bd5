//! The bibliography behind `otpic sources`: the works entries cite, gathered, each once.
//!
//! A work is identified by its title, author and year compared folded (case,
//! accents, punctuation and spacing ignored); two citations of it that give
//! different URLs stay two works, which `check` reports as the same work cited
//! differently ([`near_duplicates`]), like works whose title and author are
//! nearly equal. Citation keys are `author year titleword` in ASCII
//! (`george1991forceful`), `anon` and `nd` standing in for a missing author or
//! year; keys that would repeat get `b`, `c`… in sort order.
//!
//! An entry gives a work's title, author, year, description and URL only; where it
//! was published (a journal and volume, the book a chapter is in, a publisher) is
//! read from the description when it says so plainly ([`venue`]), which decides
//! the work's type: an article, a chapter, a book, or else a misc item.

pub mod bibtex;
pub mod csl;
mod lean;
pub mod names;
mod near;
pub mod ris;
pub mod venue;

use crate::entry::Entry;
use crate::raw::Year;
pub use lean::LeanWorks;
use names::{Name, Names};
pub use near::near_duplicates;
use serde::Serialize;
use std::collections::HashMap;
pub use venue::{Kind, Venue};

/// A bibliography format that `sources` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BibFormat {
    Bibtex,
    CslJson,
    Ris,
}

/// How an entry cites a work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Example,
    Source,
}

/// An entry that cites a work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitedBy {
    pub id: String,
    pub title: String,
    #[serde(rename = "as")]
    pub role: Role,
    /// The entry's file, for `check` messages.
    #[serde(skip)]
    pub file: String,
}

/// One work of the bibliography.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Work {
    pub key: String,
    pub title: String,
    /// The author as the entries write it.
    pub author: Option<String>,
    /// The author read as names: people, organisations, editors.
    pub names: Names,
    pub year: Option<Year>,
    pub url: Option<String>,
    /// The first description an entry gives of it.
    pub description: Option<String>,
    pub venue: Venue,
    pub cited_by: Vec<CitedBy>,
}

impl Work {
    pub fn kind(&self) -> Kind {
        self.venue.kind
    }

    /// The first four-digit year, if the year has one (`"1991?"` → 1991).
    pub fn year_number(&self) -> Option<i64> {
        year_number(self.year.as_ref())
    }

    /// What the work lacks that a citation needs: `author`, `year`.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.author.is_none() {
            out.push("author");
        }
        if self.year.is_none() {
            out.push("year");
        }
        out
    }

    /// Whether the year is given but uncertain or not a plain number (`"1991?"`).
    pub fn year_uncertain(&self) -> bool {
        matches!(&self.year, Some(Year::Text(t)) if t.trim().parse::<i64>().is_err())
    }
}

/// The first four-digit year of `year`, if it has one.
fn year_number(year: Option<&Year>) -> Option<i64> {
    match year {
        Some(Year::Number(n)) => Some(*n),
        Some(Year::Text(t)) => digits4(t),
        None => None,
    }
}

fn digits4(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(3))
        .find(|&i| {
            bytes[i..i + 4].iter().all(u8::is_ascii_digit)
                && (i == 0 || !bytes[i - 1].is_ascii_digit())
                && bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit())
        })
        .and_then(|i| text[i..i + 4].parse().ok())
}

/// Folds text for comparing works: ASCII, lowercase, letters and digits in words.
pub fn fold(text: &str) -> String {
    // deunicode's placeholder for what it cannot spell, as `deunicode()` uses;
    // an ASCII text comes back borrowed.
    let ascii = deunicode::deunicode_with_tofu_cow(text, "[?]");
    if !ascii.is_ascii() {
        // Not seen (deunicode writes ASCII), but then lowercase as Unicode does.
        return words(&ascii.to_lowercase()).collect::<Vec<_>>().join(" ");
    }
    let mut out = String::with_capacity(ascii.len());
    for word in words(&ascii) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    }
    out
}

/// The runs of ASCII letters and digits in `text`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// An author folded for identity, without parenthesised remarks:
/// "Conflict Research Consortium (OTPIC)" is "Conflict Research Consortium".
fn author_identity(author: &str) -> String {
    let mut plain = String::with_capacity(author.len());
    let mut depth = 0usize;
    for c in author.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    fold(&plain)
}

/// Gathers the works `entries` cite, in examples and sources, each work once with the
/// entries citing it, sorted by author (or title, when there is none), then year.
/// `is_organisation` says whether an author's name is an organisation's (the name
/// of an entry, say), which keeps it from being read as a person's.
pub fn gather(entries: &[&Entry], is_organisation: &dyn Fn(&str) -> bool) -> Vec<Work> {
    let mut gatherer = Gatherer::new(is_organisation);
    for entry in entries {
        gatherer.add(entry);
    }
    gatherer.finish()
}

/// [`gather`] one entry at a time, so that the entries need not all be held:
/// adding the same entries in the same order gives the same works.
pub struct Gatherer<'a> {
    works: Vec<Work>,
    by_identity: HashMap<(String, String, String), Vec<usize>>,
    is_organisation: &'a dyn Fn(&str) -> bool,
}

impl<'a> Gatherer<'a> {
    pub fn new(is_organisation: &'a dyn Fn(&str) -> bool) -> Self {
        Gatherer {
            works: Vec::new(),
            by_identity: HashMap::new(),
            is_organisation,
        }
    }

    /// Adds the works `entry` cites (only its id, title, file and works are read).
    pub fn add(&mut self, entry: &Entry) {
        let (works, by_identity) = (&mut self.works, &mut self.by_identity);
        let is_organisation = self.is_organisation;
        for (role, list) in [
            (Role::Example, &entry.examples),
            (Role::Source, &entry.sources),
        ] {
            for cited in list {
                if cited.title.is_empty() {
                    continue;
                }
                let identity = (
                    fold(&cited.title),
                    cited
                        .author
                        .as_deref()
                        .map(author_identity)
                        .unwrap_or_default(),
                    cited
                        .year
                        .as_ref()
                        .map(|y| y.to_string().trim().to_lowercase())
                        .unwrap_or_default(),
                );
                let by = CitedBy {
                    id: entry.id.clone(),
                    title: entry.title.clone(),
                    role,
                    file: entry.file.clone(),
                };
                let same = by_identity.entry(identity).or_default();
                // The same work unless both give a URL and the URLs differ.
                let found = same
                    .iter()
                    .copied()
                    .find(|&w| match (&works[w].url, &cited.url) {
                        (Some(a), Some(b)) => a == b,
                        _ => true,
                    });
                match found {
                    Some(w) => {
                        let work = &mut works[w];
                        if work.url.is_none() {
                            work.url = cited.url.clone();
                        }
                        if work.description.is_none() {
                            work.description = cited.description.clone();
                        }
                        if work.venue.kind == Kind::Misc {
                            let venue = venue::read(cited.description.as_deref().unwrap_or(""));
                            if venue.kind != Kind::Misc {
                                work.venue = venue;
                            }
                        }
                        if !work
                            .cited_by
                            .iter()
                            .any(|c| c.id == by.id && c.role == by.role)
                        {
                            work.cited_by.push(by);
                        }
                    }
                    None => {
                        same.push(works.len());
                        let names = cited
                            .author
                            .as_deref()
                            .map(|a| names::parse(a, is_organisation))
                            .unwrap_or_default();
                        works.push(Work {
                            key: String::new(),
                            title: cited.title.clone(),
                            author: cited.author.clone(),
                            names,
                            year: cited.year.clone(),
                            url: cited.url.clone(),
                            description: cited.description.clone(),
                            venue: venue::read(cited.description.as_deref().unwrap_or("")),
                            cited_by: vec![by],
                        });
                    }
                }
            }
        }
    }

    /// The works added, each once, sorted, with their citation keys.
    pub fn finish(self) -> Vec<Work> {
        let mut works = self.works;
        for work in &mut works {
            work.cited_by
                .sort_by(|a, b| (&a.id, a.role).cmp(&(&b.id, b.role)));
        }
        works.sort_by_cached_key(sort_key);
        assign_keys(&mut works);
        works
    }
}

/// Author (the title for a work without one), year, title, URL: all folded.
fn sort_key(work: &Work) -> (String, i64, String, String, String) {
    let who = match work.names.list.first() {
        Some(first) => format!(
            "{} {}",
            fold(&first.sort_name()),
            fold(work.author.as_deref().unwrap_or(""))
        ),
        None => fold(&work.title),
    };
    (
        who,
        work.year_number().unwrap_or(i64::MAX),
        fold(
            &work
                .year
                .as_ref()
                .map(|y| y.to_string())
                .unwrap_or_default(),
        ),
        fold(&work.title),
        work.url.clone().unwrap_or_default(),
    )
}

/// Words a citation key skips in a title.
const STOPWORDS: &[&str] = &[
    "a", "an", "the", "and", "of", "on", "in", "at", "to", "for", "with", "from", "by", "or",
];

/// The citation key a work would have before repeats are told apart.
pub fn base_key(work: &Work) -> String {
    let who = work
        .names
        .list
        .first()
        .map(Name::key_word)
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| "anon".to_owned());
    let year = work
        .year_number()
        .map_or_else(|| "nd".to_owned(), |y| y.to_string());
    let word = fold(&work.title)
        .split(' ')
        .find(|w| !STOPWORDS.contains(w))
        .unwrap_or("")
        .to_owned();
    format!("{who}{year}{word}")
}

fn assign_keys(works: &mut [Work]) {
    let mut used: HashMap<String, usize> = HashMap::new();
    for work in works.iter_mut() {
        let base = base_key(work);
        let n = used.entry(base.clone()).or_insert(0);
        *n += 1;
        work.key = if *n == 1 {
            base
        } else {
            // b, c, … z, then b27, b28…: still unique, still ASCII.
            let suffix = match u8::try_from(*n - 1).ok().filter(|&k| k <= 25) {
                Some(k) => char::from(b'a' + k).to_string(),
                None => format!("b{n}"),
            };
            format!("{base}{suffix}")
        };
    }
}

/// How two works that look alike differ, in words: "different years (1991, n.d.)".
pub fn differences(a: &Work, b: &Work) -> String {
    differ(&Shown::of(a), &Shown::of(b))
}

/// What a warning about two works that look alike shows of each.
struct Shown<'a> {
    title: &'a str,
    author: Option<&'a str>,
    year: Option<&'a Year>,
    url: Option<&'a str>,
}

impl<'a> Shown<'a> {
    fn of(w: &'a Work) -> Self {
        Shown {
            title: &w.title,
            author: w.author.as_deref(),
            year: w.year.as_ref(),
            url: w.url.as_deref(),
        }
    }

    fn year(&self) -> String {
        self.year
            .map_or_else(|| "n.d.".to_owned(), |y| y.to_string())
    }

    /// `"Title" (Author, 1991)`.
    fn describe(&self) -> String {
        format!(
            "\"{}\" ({}, {})",
            self.title,
            self.author.unwrap_or("no author"),
            self.year()
        )
    }
}

fn differ(a: &Shown, b: &Shown) -> String {
    let mut out = Vec::new();
    if fold(&a.year()) != fold(&b.year()) {
        out.push(format!("different years ({}, {})", a.year(), b.year()));
    }
    if a.url != b.url {
        out.push("different URLs".to_owned());
    }
    if a.title != b.title {
        out.push("titles spelled differently".to_owned());
    }
    if a.author != b.author {
        out.push("authors spelled differently".to_owned());
    }
    out.join(", ")
}

/// The warning for work `b` (cited by `cited_b`, ids joined) that looks like work
/// `a`, on `file`.
fn alike_warning(
    file: &str,
    b: &Shown,
    cited_b: &str,
    a: &Shown,
    cited_a: &str,
) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::warning(
        file,
        None,
        format!(
            "the same work cited differently? {} (cited by {cited_b}) and {} (cited by {cited_a}): {}",
            b.describe(),
            a.describe(),
            differ(b, a)
        ),
    )
}

/// `check`'s warnings: one per pair of works that look like one work cited
/// differently, on the file of an entry citing the second of them.
pub fn check(kb: &crate::kb::KnowledgeBase) -> Vec<crate::diagnostic::Diagnostic> {
    let entries: Vec<&Entry> = kb.entries.iter().collect();
    check_entries(&entries, &|name: &str| kb.resolve(name).is_some())
}

/// [`check`] over `entries` (only their ids, titles, files and works are read),
/// with `is_organisation` telling whether an author's name is an entry's.
pub fn check_entries(
    entries: &[&Entry],
    is_organisation: &dyn Fn(&str) -> bool,
) -> Vec<crate::diagnostic::Diagnostic> {
    check_works(&gather(entries, is_organisation))
}

/// [`check`]'s warnings for works [`gather`] (or a [`Gatherer`]) gave.
pub fn check_works(works: &[Work]) -> Vec<crate::diagnostic::Diagnostic> {
    let cited = |w: &Work| {
        w.cited_by
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    near_duplicates(works)
        .into_iter()
        .map(|(a, b)| {
            let (wa, wb) = (&works[a], &works[b]);
            alike_warning(
                &wb.cited_by[0].file,
                &Shown::of(wb),
                &cited(wb),
                &Shown::of(wa),
                &cited(wa),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`fold`] gives what it gave when it lowercased, split and joined the
    /// whole transliteration: on ASCII, accents, other scripts, characters
    /// deunicode cannot spell, and signs that lowercase to ASCII (Kelvin).
    #[test]
    fn fold_is_the_transliteration_lowercased_in_words() {
        let plain = |text: &str| -> String {
            deunicode::deunicode(text)
                .to_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        for text in [
            "",
            "   ",
            "The Art of  War, 2nd ed.",
            "Møller & Pérez-Ñúñez (eds.)",
            "北京 Peace Talks",
            "\u{212a}elvin \u{130}stanbul",
            "tab\there\nnewline\u{0}nul",
            "\u{1F54A}\u{FE0F} dove",
            "UN  Good_Offices--1945",
        ] {
            assert_eq!(fold(text), plain(text), "{text:?}");
        }
        proptest::proptest!(|(text in "\\PC{0,40}")| {
            proptest::prop_assert_eq!(fold(&text), plain(&text));
        });
    }

    fn entry(id: &str, works: &str) -> Entry {
        let text = format!("title = \"{id}\"\ndefinition = \"d\"\n{works}");
        Entry::parse(id, &format!("{id}.toml"), &text).unwrap_or_else(|d| panic!("{d}"))
    }

    fn work(title: &str, author: &str, year: &str, url: &str) -> String {
        let mut s = format!("[[sources]]\ntitle = \"{title}\"\n");
        if !author.is_empty() {
            s.push_str(&format!("author = \"{author}\"\n"));
        }
        if !year.is_empty() {
            s.push_str(&format!("year = {year}\n"));
        }
        if !url.is_empty() {
            s.push_str(&format!("url = \"{url}\"\n"));
        }
        s
    }

    fn none(_: &str) -> bool {
        false
    }

    #[test]
    fn one_work_cited_by_two_entries_appears_once_listing_both() {
        let a = entry(
            "a",
            &work("Forceful Persuasion", "Alexander George", "1991", ""),
        );
        let b = entry(
            "b",
            &work(
                "forceful  persuasion",
                "Alexander George",
                "1991",
                "http://x",
            ),
        );
        let works = gather(&[&a, &b], &none);
        assert_eq!(works.len(), 1);
        assert_eq!(works[0].key, "george1991forceful");
        assert_eq!(works[0].url.as_deref(), Some("http://x"));
        let ids: Vec<&str> = works[0].cited_by.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn different_urls_or_years_keep_two_works_that_check_pairs() {
        let a = entry(
            "a",
            &format!(
                "{}{}{}",
                work("The Promise", "Jane Roe", "1991", "http://one"),
                work("The Promise", "Jane Roe", "1991", "http://two"),
                work("The Promise", "Jane Roe", "\"1991?\"", "")
            ),
        );
        let works = gather(&[&a], &none);
        assert_eq!(works.len(), 3, "{works:#?}");
        let keys: Vec<&str> = works.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(
            keys,
            ["roe1991promise", "roe1991promiseb", "roe1991promisec"]
        );
        assert_eq!(near_duplicates(&works).len(), 3);
    }

    #[test]
    fn works_are_sorted_by_author_then_year_and_unsigned_ones_by_title() {
        let a = entry(
            "a",
            &format!(
                "{}{}{}{}",
                work("Zeta", "Ann Young", "2001", ""),
                work("Beta", "Bob Adams", "2005", ""),
                work("Alpha", "Bob Adams", "1999", ""),
                work("Middle Page", "", "", "")
            ),
        );
        let titles: Vec<String> = gather(&[&a], &none).into_iter().map(|w| w.title).collect();
        assert_eq!(titles, ["Alpha", "Beta", "Middle Page", "Zeta"]);
    }

    #[test]
    fn keys_are_ascii_and_missing_parts_say_so() {
        let a = entry(
            "a",
            &format!(
                "{}{}",
                work("Über Frieden", "Bjørn Møller", "", ""),
                work("The Agenda", "", "1992", "")
            ),
        );
        let keys: Vec<String> = gather(&[&a], &none).into_iter().map(|w| w.key).collect();
        assert_eq!(
            keys,
            ["mollernduber", "anon1992agenda"],
            "møller sorts before \"the agenda\""
        );
    }

    #[test]
    fn a_remark_in_parentheses_does_not_make_another_author() {
        let a = entry(
            "a",
            &work("Page", "Research Consortium (OTPIC)", "1998", ""),
        );
        let b = entry("b", &work("Page", "Research Consortium", "1998", ""));
        let works = gather(&[&a, &b], &none);
        assert_eq!(works.len(), 1);
        assert_eq!(works[0].cited_by.len(), 2);
    }

    #[test]
    fn titles_that_differ_in_a_number_are_two_works() {
        let a = entry(
            "a",
            &format!(
                "{}{}",
                work(
                    "Security Council Resolution 82",
                    "Wikipedia",
                    "",
                    "http://a"
                ),
                work(
                    "Security Council Resolution 1645",
                    "Wikipedia",
                    "",
                    "http://b"
                )
            ),
        );
        assert!(near_duplicates(&gather(&[&a], &none)).is_empty());
    }

    #[test]
    fn unrelated_titles_by_one_author_are_not_near_duplicates() {
        let a = entry(
            "a",
            &format!(
                "{}{}",
                work("The Cuban Missile Crisis", "Alexander George", "1991", ""),
                work(
                    "The General Theory and Logic",
                    "Alexander George",
                    "1991",
                    ""
                )
            ),
        );
        assert!(near_duplicates(&gather(&[&a], &none)).is_empty());
    }
}
