//! Full-text search: ranking entries for a few words, with a snippet for each hit.
//!
//! Scoring is a small BM25-like sum: for each query word, how often it occurs in
//! each field of an entry (title 8, aliases 6, summary and tags 3, definition and
//! examples 1, sources 0.5; all aliases count as one field, likewise all examples
//! and all sources), damped as `1 + ln(tf)`, times how rare the word is across the
//! knowledge base. Entries that hold more of the query words always rank first;
//! among equals the score decides, and the whole phrase in one piece of text adds
//! a bonus. A query word also matches longer words it starts (`negotiat` finds
//! "negotiation"), at a lower weight.
//!
//! The counts come from the index's postings, so a search reads only the words
//! it looks for; the entries that may rank in the top `limit` are then parsed
//! fresh to check for the phrase and to cut snippets.

use crate::entry::Entry;
use crate::index::{self, Index};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::HashMap;

/// One hit: the entry, its score and a snippet of plain text around the matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub index: usize,
    pub score: f64,
    pub snippet: String,
}

/// The fields of an entry, by number: title, summary, tags, definition, aliases,
/// examples, sources; and the weight of a word found in each.
pub const FIELD_WEIGHTS: [f64; 7] = [8.0, 3.0, 3.0, 1.0, 6.0, 1.0, 0.5];

/// Splits text into lowercase words of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The distinct query words, in order.
pub fn terms<S: AsRef<str>>(query: &[S]) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for part in query {
        for w in words(part.as_ref()) {
            if !terms.contains(&w) {
                terms.push(w);
            }
        }
    }
    terms
}

/// How strongly a word in the text matches a query word: 1 for the word itself,
/// less for a longer word it starts, 0 otherwise.
pub fn word_match(word: &str, term: &str) -> f64 {
    if word == term {
        1.0
    } else if term.chars().count() >= 3 && word.starts_with(term) {
        0.6
    } else {
        0.0
    }
}

/// The searchable pieces of text of an entry, each with its field number.
pub fn fields(e: &Entry) -> Vec<(u8, String)> {
    let mut f = vec![
        (0, e.title.clone()),
        (1, e.summary.clone().unwrap_or_default()),
        (2, e.tags.join(" ")),
        (3, e.definition.clone()),
    ];
    for a in &e.aliases {
        f.push((4, a.text.clone()));
    }
    for (field, works) in [(5, &e.examples), (6, &e.sources)] {
        for w in works {
            let text = [Some(&w.title), w.author.as_ref(), w.description.as_ref()]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            f.push((field, text));
        }
    }
    f
}

/// The words of an entry with the field each is in and how often it occurs
/// there: what the index stores as postings. The order of the words is not
/// specified; a word's fields come together, in order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WordCounts {
    /// The words, one after the other.
    text: String,
    /// For each (word, field), a word's fields together: where the word ends in
    /// `text`, the field, the count.
    items: Vec<(u32, u8, u32)>,
}

impl WordCounts {
    /// Counts the words of `e`, field by field.
    pub fn of(e: &Entry) -> WordCounts {
        let tags = e.tags.join(" ");
        let works: Vec<(u8, String)> = [(5u8, &e.examples), (6, &e.sources)]
            .into_iter()
            .flat_map(|(field, works)| {
                works.iter().map(move |w| {
                    let text = [Some(&w.title), w.author.as_ref(), w.description.as_ref()]
                        .into_iter()
                        .flatten()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(" ");
                    (field, text)
                })
            })
            .collect();
        let mut texts: Vec<(u8, &str)> = vec![
            (0, &e.title),
            (1, e.summary.as_deref().unwrap_or("")),
            (2, &tags),
            (3, &e.definition),
        ];
        texts.extend(e.aliases.iter().map(|a| (4, a.text.as_str())));
        texts.extend(works.iter().map(|(f, t)| (*f, t.as_str())));
        let mut counts: FxHashMap<Cow<'_, str>, [u32; 7]> = FxHashMap::default();
        for (field, text) in texts {
            for w in text.split(|c: char| !c.is_alphanumeric()) {
                if w.is_empty() {
                    continue;
                }
                let plain = w
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
                let word = if plain {
                    Cow::Borrowed(w)
                } else {
                    Cow::Owned(w.to_lowercase())
                };
                counts.entry(word).or_default()[usize::from(field)] += 1;
            }
        }
        let mut out = WordCounts::default();
        for (word, fields) in counts {
            out.text.push_str(&word);
            for (field, &count) in fields.iter().enumerate() {
                if count > 0 {
                    out.items.push((out.text.len() as u32, field as u8, count));
                }
            }
        }
        out
    }

    /// (word, field, count), a word's fields together and in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u8, u32)> {
        // (start, end) of the current word: items of one word share its end.
        let mut span = (0, 0);
        self.items.iter().map(move |&(end, field, count)| {
            let end = end as usize;
            if end != span.1 {
                span = (span.1, end);
            }
            (self.text.get(span.0..span.1).unwrap_or(""), field, count)
        })
    }
}

/// Ranks the entries that hold at least one of `terms`, best first, at most `limit`.
pub fn search(kb: &Index, terms: &[String], limit: usize) -> Vec<Hit> {
    if terms.is_empty() || limit == 0 {
        return Vec::new();
    }
    let n = kb.len();
    let t_count = terms.len();
    // strength[entry * t_count + t]: the weighted match strength of term t.
    let mut strength = vec![0.0f64; n * t_count];
    let mut tf = vec![0.0f64; n * FIELD_WEIGHTS.len()];
    let mut touched: Vec<usize> = Vec::new();
    let vocab = kb.vocab();
    for (t, term) in terms.iter().enumerate() {
        let first = vocab.partition_point(|w| w >= term.as_bytes());
        let prefixes = term.chars().count() >= 3;
        for word in first..vocab.len() {
            let text = vocab.get(word);
            let weight = if text == term {
                1.0
            } else if prefixes && text.starts_with(term.as_str()) {
                0.6
            } else {
                break;
            };
            for (entry, field, count) in index::postings(kb.postings(word)) {
                let slot = entry as usize * FIELD_WEIGHTS.len() + usize::from(field);
                if let Some(cell) = tf.get_mut(slot) {
                    if *cell == 0.0 {
                        touched.push(slot);
                    }
                    *cell += f64::from(count) * weight;
                }
            }
        }
        for slot in touched.drain(..) {
            let (entry, field) = (slot / FIELD_WEIGHTS.len(), slot % FIELD_WEIGHTS.len());
            strength[entry * t_count + t] += FIELD_WEIGHTS[field] * (1.0 + tf[slot].ln().max(0.0));
            tf[slot] = 0.0;
        }
    }
    let mut df = vec![0usize; t_count];
    let mut candidates: Vec<(usize, usize, f64)> = Vec::new();
    for entry in 0..n {
        let row = &strength[entry * t_count..(entry + 1) * t_count];
        if row.iter().all(|&s| s == 0.0) {
            continue;
        }
        for (t, &s) in row.iter().enumerate() {
            if s > 0.0 {
                df[t] += 1;
            }
        }
        candidates.push((entry, 0, 0.0));
    }
    let idf: Vec<f64> = df
        .iter()
        .map(|&d| (1.0 + n as f64 / (1.0 + d as f64)).ln())
        .collect();
    for c in &mut candidates {
        let row = &strength[c.0 * t_count..(c.0 + 1) * t_count];
        let matched = row.iter().filter(|&&s| s > 0.0).count();
        let coverage = (matched as f64 / t_count as f64).powi(2);
        let base: f64 = row.iter().zip(&idf).map(|(s, i)| s * i).sum();
        *c = (c.0, matched, base * coverage);
    }
    // Entries holding more of the query words always come first; ids break ties
    // (entries are sorted by id, so the index does).
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
    let mut parsed: HashMap<usize, Option<Entry>> = HashMap::new();
    let ranked = if t_count > 1 {
        with_phrase_bonus(kb, &candidates, terms, limit, &mut parsed)
    } else {
        candidates.truncate(limit);
        candidates.into_iter().map(|(i, _, s)| (i, s)).collect()
    };
    ranked
        .into_iter()
        .map(|(index, score)| {
            let entry = parsed.entry(index).or_insert_with(|| kb.entry(index).ok());
            Hit {
                index,
                score: (score * 1000.0).round() / 1000.0,
                snippet: entry
                    .as_ref()
                    .map(|e| snippet(e, terms))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The bonus for the whole phrase in one piece of text.
const PHRASE_BONUS: f64 = 1.5;

/// The top `limit` of `candidates` (sorted by matched terms, then score) once
/// the phrase bonus is applied. The bonus needs the entry's text, so entries are
/// parsed in rank order only until no later one could still climb into the top.
fn with_phrase_bonus(
    kb: &Index,
    candidates: &[(usize, usize, f64)],
    terms: &[String],
    limit: usize,
    parsed: &mut HashMap<usize, Option<Entry>>,
) -> Vec<(usize, f64)> {
    let phrase = terms.join(" ");
    let mut out: Vec<(usize, f64)> = Vec::new();
    let mut rest = candidates;
    while !rest.is_empty() && out.len() < limit {
        let matched = rest[0].1;
        let size = rest.iter().take_while(|c| c.1 == matched).count();
        let (group, tail) = rest.split_at(size);
        rest = tail;
        let need = limit - out.len();
        let mut confirmed: Vec<(usize, f64)> = Vec::new();
        // The best final scores so far, best first, at most `need` of them.
        let mut top: Vec<f64> = Vec::new();
        for &(index, _, score) in group {
            if top.len() >= need && score * PHRASE_BONUS < top[need - 1] {
                break;
            }
            let entry = parsed.entry(index).or_insert_with(|| kb.entry(index).ok());
            let found = entry.as_ref().is_some_and(|e| {
                fields(e)
                    .iter()
                    .any(|(_, text)| words(text).collect::<Vec<_>>().join(" ").contains(&phrase))
            });
            let score = if found { score * PHRASE_BONUS } else { score };
            let at = top.partition_point(|&s| s >= score);
            top.insert(at, score);
            top.truncate(need);
            confirmed.push((index, score));
        }
        confirmed.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        confirmed.truncate(need);
        out.extend(confirmed);
    }
    out
}

/// Words of context in a snippet.
const SNIPPET_WORDS: usize = 24;

/// A window of plain text around the matches: from the definition where it holds
/// a query word, else the summary, an example, or the start of the definition.
pub fn snippet(e: &Entry, terms: &[String]) -> String {
    let mut candidates: Vec<String> = vec![e.definition.clone()];
    candidates.extend(e.summary.clone());
    for w in e.examples.iter().chain(&e.sources) {
        candidates.push(
            [Some(&w.title), w.author.as_ref(), w.description.as_ref()]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    let plain = |s: &str| -> Vec<String> {
        crate::sanitize::line(s)
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c| matches!(c, '*' | '`' | '#' | '_'))
                    .to_owned()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let matches = |w: &str| words(w).any(|w| terms.iter().any(|t| word_match(&w, t) > 0.0));
    for text in &candidates {
        let ws = plain(text);
        let positions: Vec<usize> = ws
            .iter()
            .enumerate()
            .filter(|(_, w)| matches(w))
            .map(|(i, _)| i)
            .collect();
        if positions.is_empty() {
            continue;
        }
        // The window that covers the most distinct query words.
        let mut best = (0usize, positions[0].saturating_sub(6));
        for &p in &positions {
            let start = p.saturating_sub(6);
            let end = (start + SNIPPET_WORDS).min(ws.len());
            let covered = terms
                .iter()
                .filter(|t| {
                    ws[start..end]
                        .iter()
                        .any(|w| words(w).any(|w| word_match(&w, t) > 0.0))
                })
                .count();
            if covered > best.0 {
                best = (covered, start);
            }
        }
        return window(&ws, best.1);
    }
    window(&plain(&e.definition), 0)
}

fn window(ws: &[String], start: usize) -> String {
    let end = (start + SNIPPET_WORDS).min(ws.len());
    let mut s = ws[start.min(end)..end].join(" ");
    if start > 0 {
        s.insert_str(0, "… ");
    }
    if end < ws.len() {
        s.push_str(" …");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb(specs: &[(&str, &str, &str)]) -> Index {
        let texts: Vec<(String, String)> = specs
            .iter()
            .map(|(id, title, definition)| {
                (
                    (*id).to_owned(),
                    format!("title = \"{title}\"\ndefinition = \"{definition}\"\n"),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        Index::from_texts(&refs)
    }

    fn ids(kb: &Index, query: &[&str]) -> Vec<String> {
        search(kb, &terms(query), 10)
            .into_iter()
            .map(|h| kb.id(h.index).to_owned())
            .collect()
    }

    #[test]
    fn a_title_match_ranks_above_a_definition_match() {
        let kb = kb(&[
            ("a", "Something", "about peace zones"),
            ("b", "Peace Zones", "land held in trust"),
        ]);
        assert_eq!(ids(&kb, &["peace"]), ["b", "a"]);
    }

    #[test]
    fn entries_with_every_word_rank_above_entries_with_some() {
        let kb = kb(&[
            ("a", "A", "information information information"),
            ("b", "B", "sharing of information"),
            ("c", "C", "nothing relevant"),
        ]);
        assert_eq!(ids(&kb, &["information sharing"]), ["b", "a"]);
    }

    #[test]
    fn the_whole_phrase_ranks_above_the_same_words_apart() {
        let kb = kb(&[
            ("a", "A", "sharing, then some information"),
            ("b", "B", "information sharing"),
            ("c", "C", "sharing of information"),
        ]);
        assert_eq!(ids(&kb, &["information sharing"]), ["b", "a", "c"]);
        let hits = search(&kb, &terms(&["information sharing"]), 1);
        assert_eq!(hits.len(), 1);
        assert_eq!(kb.id(hits[0].index), "b");
    }

    #[test]
    fn a_word_prefix_matches_longer_words() {
        let kb = kb(&[("a", "A", "negotiation loops")]);
        assert_eq!(ids(&kb, &["negotiat"]), ["a"]);
        assert!(ids(&kb, &["ne"]).is_empty());
    }

    #[test]
    fn snippets_centre_on_the_matches() {
        let long = format!(
            "{} threat credible {}",
            "filler ".repeat(40),
            "tail ".repeat(40)
        );
        let kb = kb(&[("a", "A", &long)]);
        let hits = search(&kb, &terms(&["credible"]), 10);
        assert!(
            hits[0].snippet.starts_with("… ") && hits[0].snippet.contains("credible"),
            "{}",
            hits[0].snippet
        );
    }

    #[test]
    fn punctuation_only_queries_have_no_terms() {
        assert!(terms(&["!!", "--"]).is_empty());
    }

    #[test]
    fn words_are_counted_per_field() {
        let e = Entry::parse(
            "x",
            "x",
            "title = \"Peace Peace\"\ndefinition = \"peace of mind\"\naliases = [\"inner peace\", \"calm\"]\n",
        );
        let Ok(e) = e else { panic!("{e:?}") };
        let counts = WordCounts::of(&e);
        let peace: Vec<(u8, u32)> = counts
            .iter()
            .filter(|(w, _, _)| *w == "peace")
            .map(|(_, f, n)| (f, n))
            .collect();
        assert_eq!(peace, [(0, 2), (3, 1), (4, 1)]);
        let mut words: Vec<&str> = counts.iter().map(|(w, _, _)| w).collect();
        words.sort();
        assert_eq!(
            words,
            ["calm", "inner", "mind", "of", "peace", "peace", "peace"]
        );
    }
}
