//! Full-text search: ranking entries for a query, with a snippet for each hit.
//!
//! A query is words, `"phrases in quotes"` (the words in order), `-word` (leave
//! out entries holding it) and `title:`, `tag:`, `author:` or `kind:` before a
//! word or phrase (only that field; such terms must match). Words are compared
//! as folded stems (see [`crate::tokenize`]): "Networks" finds "network", "perez"
//! finds "Pérez". Stop words ("the", "of") never find anything by themselves.
//!
//! Scoring is a small BM25-like sum: for each query word, how often it occurs in
//! each field of an entry (title 8, aliases 6, summary and tags 3, definition and
//! examples 1, sources and authors 0.5; all aliases count as one field, likewise
//! all examples, all sources and all authors), damped as `1 + ln(tf)`, times how
//! rare the word is across the knowledge base. Entries that hold more of the
//! query words always rank first; among equals the score decides, and the whole
//! query in one piece of text adds a bonus. A query word also matches longer
//! stems it starts (`negotiat` finds "negotiation"), at a lower weight.
//!
//! The counts come from the index's postings, so a search reads only the words
//! it looks for; entries are parsed fresh only to check phrases, for the bonus
//! of the top `limit`, and to cut snippets.

use crate::entry::Entry;
use crate::index::{self, Index};
use crate::tokenize::{self, Field, fields};
use std::collections::HashMap;

/// One hit: the entry, its score and a snippet of plain text around the matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub index: usize,
    pub score: f64,
    pub snippet: String,
}

/// The hits shown, and how many entries matched in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub hits: Vec<Hit>,
    pub total: usize,
}

/// The weight of a word found in a field.
fn weight(field: Field) -> f64 {
    match field {
        Field::Title => 8.0,
        Field::Aliases => 6.0,
        Field::Summary | Field::Tags => 3.0,
        Field::Definition | Field::Examples => 1.0,
        Field::Sources | Field::Authors => 0.5,
    }
}

/// A query word: its stem, and the fields it must be found in (any when empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub stem: String,
    /// The word as typed, folded: a longer form of a stem (`negotiat`).
    pub word: String,
    pub fields: Vec<Field>,
    /// Whether an entry must hold it: words of a phrase or restricted to a field.
    pub required: bool,
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// The words that rank, stop words left out, each once.
    pub terms: Vec<Term>,
    /// Phrases: stems that must come in this order in one piece of text of the fields.
    pub phrases: Vec<(Vec<String>, Vec<Field>)>,
    /// Stems of words whose entries are left out.
    pub excluded: Vec<String>,
    /// Only entries of these kinds (as written after `kind:`, until the caller
    /// makes them the knowledge base's own with [`crate::kinds::resolve`]).
    pub kinds: Vec<String>,
}

impl Query {
    /// Parses the words of the command line (joined with spaces).
    pub fn parse<S: AsRef<str>>(parts: &[S]) -> Query {
        let text = parts
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(" ");
        let mut q = Query::default();
        let mut rest = text.as_str();
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            let mut exclude = false;
            if let Some(r) = rest.strip_prefix('-')
                && r.starts_with(|c: char| c.is_alphanumeric() || c == '"')
            {
                exclude = true;
                rest = r;
            }
            let mut fields: Option<Vec<Field>> = None;
            let mut kind = false;
            if let Some((name, r)) = rest.split_once(':')
                && !name.contains(char::is_whitespace)
            {
                let named = match name.to_lowercase().as_str() {
                    "title" => Some(vec![Field::Title]),
                    "tag" | "tags" => Some(vec![Field::Tags]),
                    "author" | "by" => Some(vec![Field::Authors]),
                    "kind" => {
                        kind = true;
                        Some(Vec::new())
                    }
                    _ => None,
                };
                if named.is_some() {
                    fields = named;
                    rest = r;
                }
            }
            // A phrase in quotes, or one word up to the next space.
            let (piece, phrase) = if let Some(r) = rest.strip_prefix('"') {
                let end = r.find('"').unwrap_or(r.len());
                let piece = &r[..end];
                rest = r.get(end + 1..).unwrap_or("");
                (piece, true)
            } else {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let piece = &rest[..end];
                rest = &rest[end..];
                (piece, false)
            };
            if kind {
                if !piece.trim().is_empty() {
                    q.kinds.push(piece.trim().to_lowercase());
                }
                continue;
            }
            let folded: Vec<String> = tokenize::split(piece)
                .map(|w| tokenize::fold(w).into_owned())
                .collect();
            if exclude {
                q.excluded.extend(
                    folded
                        .iter()
                        .filter(|w| !tokenize::is_stop_word(w))
                        .map(|w| tokenize::stem(w).into_owned()),
                );
                continue;
            }
            let fields = fields.unwrap_or_default();
            if phrase && folded.len() > 1 {
                q.phrases.push((
                    folded
                        .iter()
                        .map(|w| tokenize::stem(w).into_owned())
                        .collect(),
                    fields.clone(),
                ));
            }
            for w in folded.iter().filter(|w| !tokenize::is_stop_word(w)) {
                let term = Term {
                    stem: tokenize::stem(w).into_owned(),
                    word: w.clone(),
                    fields: fields.clone(),
                    required: phrase || !fields.is_empty(),
                };
                match q
                    .terms
                    .iter_mut()
                    .find(|t| t.stem == term.stem && t.fields == term.fields)
                {
                    Some(t) => t.required |= term.required,
                    None => q.terms.push(term),
                }
            }
        }
        q
    }

    /// The stems of the ranking words, for matching and highlighting.
    pub fn stems(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in &self.terms {
            if !out.contains(&t.stem) {
                out.push(t.stem.clone());
            }
        }
        out
    }
}

/// How strongly a stem in the text matches a query stem: 1 for the stem itself,
/// less for a longer stem it starts, 0 otherwise.
pub fn word_match(stem: &str, term: &str) -> f64 {
    if stem == term {
        1.0
    } else if term.chars().count() >= 3 && stem.starts_with(term) {
        0.6
    } else {
        0.0
    }
}

/// Whether a word as written matches one of the query stems.
pub fn matches_word(word: &str, stems: &[String]) -> bool {
    candidate_stem(word, stems).is_some_and(|stem| stems.iter().any(|t| word_match(&stem, t) > 0.0))
}

/// The stem of a word as written, if it may match one of the query stems: not
/// a stop word, and not passed over by its first letter ([`may_stem_to`]).
fn candidate_stem(word: &str, stems: &[String]) -> Option<String> {
    // Folding keeps an ASCII first letter, but for its case.
    let first = word.as_bytes().first().map(u8::to_ascii_lowercase);
    if !stems.iter().any(|t| may_stem_to(first, t)) {
        return None;
    }
    let folded = tokenize::fold(word);
    if tokenize::is_stop_word(&folded) {
        return None;
    }
    Some(tokenize::stem(&folded).into_owned())
}

/// Whether the stem of a word whose folded form begins with `first` may match
/// `term`, told without folding or stemming it: the English stemmer changes
/// only endings, so the stem of a word that begins with an ASCII letter or
/// digit begins with it too, and a term matches a stem it begins. (Snippets
/// ask this of every word of the text they show.)
fn may_stem_to(first: Option<u8>, term: &str) -> bool {
    match (first, term.as_bytes().first()) {
        (Some(w), Some(&t)) if w.is_ascii_alphanumeric() => w == t,
        _ => true,
    }
}

/// Calls `f(entry, field, count, weight)` for every posting of the stems that
/// `term` matches: itself (weight 1); with `typed`, the word as typed, also
/// longer stems it starts, and a stem of five letters or more that the word
/// extends by at most three (`negotiat` → `negoti`), weight 0.6.
fn each_posting(
    kb: &Index,
    term: &str,
    typed: Option<&str>,
    mut f: impl FnMut(usize, Field, u32, f64),
) {
    let vocab = kb.vocab();
    if let Some(word) = typed {
        let shortest = word.len().saturating_sub(3).max(5);
        for end in shortest..word.len() {
            let Some(stem) = word.get(..end) else {
                continue;
            };
            // Stems that start with `term` are found below.
            if stem.starts_with(term) {
                continue;
            }
            let at = vocab.partition_point(|w| w >= stem.as_bytes());
            if at < vocab.len() && vocab.get(at) == stem {
                for (entry, field, count) in index::postings(kb.postings(at)) {
                    f(entry as usize, Field::from_code(field), count, 0.6);
                }
            }
        }
    }
    let first = vocab.partition_point(|w| w >= term.as_bytes());
    let prefixes = typed.is_some() && term.chars().count() >= 3;
    for word in first..vocab.len() {
        let text = vocab.get(word);
        let weight = if text == term {
            1.0
        } else if prefixes && text.starts_with(term) {
            0.6
        } else {
            break;
        };
        for (entry, field, count) in index::postings(kb.postings(word)) {
            f(entry as usize, Field::from_code(field), count, weight);
        }
    }
}

/// Whether `phrase` (stems) comes in this order in one of the entry's pieces
/// of text in `in_fields` (any field when empty).
fn holds_phrase(e: &Entry, phrase: &[String], in_fields: &[Field]) -> bool {
    fields(e)
        .iter()
        .filter(|(f, _)| in_fields.is_empty() || in_fields.contains(f))
        .any(|(_, text)| {
            let stems: Vec<String> = tokenize::stems(text).collect();
            stems.windows(phrase.len()).any(|w| w == phrase)
        })
}

/// Ranks the entries that match `query`, best first; at most `limit` hits.
pub fn search(kb: &Index, query: &Query, limit: usize) -> Found {
    let terms = &query.terms;
    if terms.is_empty() {
        return Found {
            hits: Vec::new(),
            total: 0,
        };
    }
    let n = kb.len();
    let t_count = terms.len();
    let nf = Field::ALL.len();
    // strength[entry * t_count + t]: the weighted match strength of term t.
    let mut strength = vec![0.0f64; n * t_count];
    let mut tf = vec![0.0f64; n * nf];
    let mut touched: Vec<usize> = Vec::new();
    for (t, term) in terms.iter().enumerate() {
        each_posting(
            kb,
            &term.stem,
            Some(&term.word),
            |entry, field, count, weight| {
                if !term.fields.is_empty() && !term.fields.contains(&field) {
                    return;
                }
                let slot = entry * nf + usize::from(field.code());
                if let Some(cell) = tf.get_mut(slot) {
                    if *cell == 0.0 {
                        touched.push(slot);
                    }
                    *cell += f64::from(count) * weight;
                }
            },
        );
        for slot in touched.drain(..) {
            let (entry, field) = (slot / nf, slot % nf);
            strength[entry * t_count + t] +=
                weight(Field::ALL[field]) * (1.0 + tf[slot].ln().max(0.0));
            tf[slot] = 0.0;
        }
    }
    let mut excluded = vec![false; n];
    for stem in &query.excluded {
        each_posting(kb, stem, None, |entry, _, _, _| {
            if let Some(x) = excluded.get_mut(entry) {
                *x = true;
            }
        });
    }
    let kinds = &query.kinds;
    let mut parsed: HashMap<usize, Option<Entry>> = HashMap::new();
    let mut df = vec![0usize; t_count];
    let mut candidates: Vec<(usize, usize, f64)> = Vec::new();
    for entry in 0..n {
        let row = &strength[entry * t_count..(entry + 1) * t_count];
        // Words of phrases and words with a field must match; the others rank.
        let required = terms.iter().zip(row).all(|(t, &s)| !t.required || s > 0.0);
        if row.iter().all(|&s| s == 0.0)
            || !required
            || excluded[entry]
            || !kinds.is_empty() && !kinds.iter().any(|k| k == kb.kind(entry))
        {
            continue;
        }
        if !query.phrases.is_empty() {
            let e = parsed.entry(entry).or_insert_with(|| kb.entry(entry).ok());
            let holds = e.as_ref().is_some_and(|e| {
                query
                    .phrases
                    .iter()
                    .all(|(phrase, fields)| holds_phrase(e, phrase, fields))
            });
            if !holds {
                continue;
            }
        }
        for (t, &s) in row.iter().enumerate() {
            if s > 0.0 {
                df[t] += 1;
            }
        }
        candidates.push((entry, 0, 0.0));
    }
    let total = candidates.len();
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
    let stems = query.stems();
    let ranked = if t_count > 1 {
        with_phrase_bonus(kb, &candidates, &stems, limit, &mut parsed)
    } else {
        candidates.truncate(limit);
        candidates.into_iter().map(|(i, _, s)| (i, s)).collect()
    };
    let hits = ranked
        .into_iter()
        .map(|(index, score)| {
            let entry = parsed.entry(index).or_insert_with(|| kb.entry(index).ok());
            Hit {
                index,
                score: (score * 1000.0).round() / 1000.0,
                snippet: entry
                    .as_ref()
                    .map(|e| snippet(e, &stems))
                    .unwrap_or_default(),
            }
        })
        .collect();
    Found { hits, total }
}

/// The bonus for the whole query in one piece of text.
const PHRASE_BONUS: f64 = 1.5;

/// The top `limit` of `candidates` (sorted by matched terms, then score) once
/// the phrase bonus is applied. The bonus needs the entry's text, so entries are
/// parsed in rank order only until no later one could still climb into the top.
fn with_phrase_bonus(
    kb: &Index,
    candidates: &[(usize, usize, f64)],
    stems: &[String],
    limit: usize,
    parsed: &mut HashMap<usize, Option<Entry>>,
) -> Vec<(usize, f64)> {
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
                fields(e).iter().any(|(_, text)| {
                    let all: Vec<String> = tokenize::stems(text)
                        .filter(|w| !tokenize::is_stop_word(w))
                        .collect();
                    all.windows(stems.len()).any(|w| w == stems)
                })
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

/// Markdown as plain text on one line: links become their text, list markers,
/// heading marks, emphasis and code marks go, and so do control characters.
pub fn plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.lines() {
        let mut line = line
            .trim_start()
            .trim_start_matches(['#', '>'])
            .trim_start();
        for marker in ["- ", "* ", "+ "] {
            if let Some(rest) = line.strip_prefix(marker) {
                line = rest;
            }
        }
        if let Some((n, rest)) = line.split_once(". ")
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            line = rest;
        }
        out.push_str(&crate::inline_links::link_text(line));
        out.push(' ');
    }
    out.retain(|c| !matches!(c, '*' | '`'));
    let out = crate::sanitize::line(&out).into_owned();
    out.split_whitespace()
        .map(|w| w.trim_matches('_'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A window of plain text around the matches: from the definition where it holds
/// a query word, else the summary, an example, or the start of the definition.
pub fn snippet(e: &Entry, stems: &[String]) -> String {
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

    // Which query stems each word matches (a bit each, in `blocks` words of 64
    // bits per word of the text), each word stemmed once.
    let blocks = stems.len().div_ceil(64).max(1);
    let mark = |w: &str, row: &mut [u64]| {
        for part in tokenize::split(w) {
            let Some(stem) = candidate_stem(part, stems) else {
                continue;
            };
            for (i, t) in stems.iter().enumerate() {
                if word_match(&stem, t) > 0.0 {
                    row[i / 64] |= 1 << (i % 64);
                }
            }
        }
    };
    for text in &candidates {
        let text = plain(text);
        let ws: Vec<&str> = text.split_whitespace().collect();
        let mut marked = vec![0u64; ws.len() * blocks];
        for (w, row) in ws.iter().zip(marked.chunks_mut(blocks)) {
            mark(w, row);
        }
        let hits = |p: usize| marked[p * blocks..(p + 1) * blocks].iter().any(|&m| m != 0);
        let Some(first) = (0..ws.len()).find(|&p| hits(p)) else {
            continue;
        };
        // The window that covers the most distinct query words.
        let mut best = (0u32, first.saturating_sub(6));
        for p in (0..ws.len()).filter(|&p| hits(p)) {
            let start = p.saturating_sub(6);
            let end = (start + SNIPPET_WORDS).min(ws.len());
            let covered: u32 = (0..blocks)
                .map(|b| {
                    (start..end)
                        .fold(0, |all, w| all | marked[w * blocks + b])
                        .count_ones()
                })
                .sum();
            if covered > best.0 {
                best = (covered, start);
            }
        }
        return window(&ws, best.1);
    }
    let definition = plain(&e.definition);
    window(&definition.split_whitespace().collect::<Vec<_>>(), 0)
}

fn window(ws: &[&str], start: usize) -> String {
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
        Index::from_owned_texts(&texts)
    }

    fn ids(kb: &Index, query: &[&str]) -> Vec<String> {
        search(kb, &Query::parse(query), 10)
            .hits
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
        let hits = search(&kb, &Query::parse(&["information sharing"]), 1).hits;
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
        let hits = search(&kb, &Query::parse(&["credible"]), 10).hits;
        assert!(
            hits[0].snippet.starts_with("… ") && hits[0].snippet.contains("credible"),
            "{}",
            hits[0].snippet
        );
    }

    #[test]
    fn punctuation_only_queries_have_no_terms() {
        assert!(Query::parse(&["!!", "--"]).terms.is_empty());
    }

    #[test]
    fn queries_parse_into_words_phrases_exclusions_and_fields() {
        let q = Query::parse(&["Networks \"zones of peace\" -CVE title:cities kind:approach the"]);
        let stems: Vec<(&str, &[Field])> = q
            .terms
            .iter()
            .map(|t| (t.stem.as_str(), t.fields.as_slice()))
            .collect();
        assert_eq!(
            stems,
            [
                ("network", &[][..]),
                ("zone", &[]),
                ("peac", &[]),
                ("citi", &[Field::Title])
            ]
        );
        assert_eq!(
            q.phrases,
            [(vec!["zone".to_owned(), "of".into(), "peac".into()], vec![])]
        );
        assert_eq!(q.excluded, ["cve"]);
        assert_eq!(q.kinds, ["approach"]);
    }

    #[test]
    fn every_field_name_quoted_exclusions_and_pieces_that_are_no_phrase() {
        let fields = |q: &Query| -> Vec<(String, Vec<Field>, bool)> {
            q.terms
                .iter()
                .map(|t| (t.stem.clone(), t.fields.clone(), t.required))
                .collect()
        };
        let term = |stem: &str, fields: &[Field], required: bool| {
            (stem.to_owned(), fields.to_vec(), required)
        };
        let q = Query::parse(&["tag:peace", "TAGS:war by:smith author:jones"]);
        assert_eq!(
            fields(&q),
            [
                term("peac", &[Field::Tags], true),
                term("war", &[Field::Tags], true),
                term("smith", &[Field::Authors], true),
                term("jone", &[Field::Authors], true),
            ]
        );
        // A phrase after `-` leaves out the entries holding its words.
        let q = Query::parse(&["peace -\"security council\""]);
        assert_eq!(q.excluded, ["secur", "council"]);
        assert!(q.phrases.is_empty());
        assert_eq!(fields(&q), [term("peac", &[], false)]);
        // A word of several pieces, or a phrase of one word, is no phrase: its
        // words rank as any others (a one-word phrase must hold the word, but
        // may hold a longer word it starts).
        for text in ["peace-zones", "\"zones\" peace"] {
            let q = Query::parse(&[text]);
            assert!(q.phrases.is_empty(), "{text}: {:?}", q.phrases);
        }
        let q = Query::parse(&["\"negotiat\""]);
        assert_eq!(fields(&q), [term("negotiat", &[], true)]);
        // A word once per field it is looked for in; required once required.
        let q = Query::parse(&["peace title:peace peace \"peace zones\""]);
        assert_eq!(
            fields(&q),
            [
                term("peac", &[], true),
                term("peac", &[Field::Title], true),
                term("zone", &[], true),
            ]
        );
        assert_eq!(q.stems(), ["peac", "zone"]);
        let kb = kb(&[("a", "A", "negotiation works"), ("b", "B", "war")]);
        assert_eq!(ids(&kb, &["\"negotiat\""]), ["a"]);
    }

    /// What [`may_stem_to`] relies on: a stem begins as its word does, for
    /// every word of the built-in knowledge base and the stemmer's exceptions.
    #[test]
    fn a_stem_begins_with_its_word_s_first_letter() {
        let mut words: Vec<String> = crate::built_in::FILES
            .iter()
            .flat_map(|(_, text)| tokenize::split(text).map(|w| tokenize::fold(w).into_owned()))
            .collect();
        for w in [
            "skis", "skies", "dying", "lying", "tying", "idly", "gently", "ugly", "early", "only",
            "singly", "news", "howe", "atlas", "cosmos", "bias", "andes", "yes", "youth", "yearly",
            "yielding", "1990s", "2nd", "ties", "cries", "a", "y",
        ] {
            words.push(w.to_owned());
        }
        words.sort();
        words.dedup();
        assert!(words.len() > 3000, "{}", words.len());
        for w in &words {
            let stem = tokenize::stem(w);
            if w.as_bytes()[0].is_ascii_alphanumeric() {
                assert_eq!(
                    stem.as_bytes().first(),
                    w.as_bytes().first(),
                    "{w} → {stem}"
                );
            }
        }
    }

    #[test]
    fn a_word_is_highlighted_when_it_is_a_query_word_or_starts_with_one_of_three_letters() {
        assert_eq!(word_match("peac", "peac"), 1.0);
        assert_eq!(word_match("peacekeep", "peac"), 0.6);
        assert_eq!(word_match("wart", "war"), 0.6);
        assert_eq!(word_match("under", "un"), 0.0);
        assert_eq!(word_match("war", "peac"), 0.0);
        let stems = Query::parse(&["peace un"]).stems();
        assert!(matches_word("Peacekeeping", &stems));
        assert!(matches_word("UN", &stems));
        assert!(!matches_word("under", &stems));
    }

    /// The first-letter shortcut says no only where the stem cannot match, and
    /// leaves words that begin with other than an ASCII letter or digit alone.
    #[test]
    fn only_words_of_another_first_letter_are_passed_over_unstemmed() {
        assert!(may_stem_to(Some(b'p'), "peac"));
        assert!(!may_stem_to(Some(b'x'), "peac"));
        assert!(!may_stem_to(Some(b'1'), "peac"));
        assert!(may_stem_to(Some("É".as_bytes()[0]), "peac"));
        assert!(may_stem_to(None, "peac"));
        assert!(may_stem_to(Some(b'p'), ""));
        let stems = Query::parse(&["élan"]).stems();
        assert!(matches_word("Élan", &stems));
        assert!(matches_word("ÉLAN", &stems));
        assert!(!matches_word("Plan", &stems));
    }

    /// `word` and a space, `n` times: filler for snippet tests.
    fn filler(n: usize, word: &str) -> String {
        format!("{word} ").repeat(n)
    }

    #[test]
    fn a_snippet_shows_the_first_window_that_holds_the_most_query_words() {
        // "alpha" alone first; both words 30 words later, and again 30 after.
        let text = format!(
            "{}alpha {}alpha beta {}alpha beta {}",
            filler(8, "lead"),
            filler(30, "mid"),
            filler(30, "more"),
            filler(10, "tail")
        );
        let kb = kb(&[("a", "A", &text)]);
        let hits = search(&kb, &Query::parse(&["alpha beta"]), 10).hits;
        let want = format!("… {}alpha beta {}…", filler(6, "mid"), filler(16, "more"));
        assert_eq!(hits[0].snippet, want);
    }

    #[test]
    fn a_word_repeated_counts_once_and_a_second_word_wins_the_window() {
        // "alpha" alone first; later "alpha beta beta": two query words, not three.
        let text = format!(
            "{}alpha {}alpha beta beta {}",
            filler(8, "lead"),
            filler(30, "mid"),
            filler(10, "tail")
        );
        let kb = kb(&[("a", "A", &text)]);
        let hits = search(&kb, &Query::parse(&["alpha beta"]), 10).hits;
        let want = format!(
            "… {}alpha beta beta {}",
            filler(6, "mid"),
            filler(10, "tail")
        );
        assert_eq!(hits[0].snippet, want.trim_end());
    }

    #[test]
    fn a_snippet_counts_every_query_word_past_the_sixty_fourth() {
        // 65 words of two letters (no stop words): the last one is the 65th stem.
        let words: Vec<String> = ["q", "x", "z"]
            .iter()
            .flat_map(|a| (b'a'..=b'z').map(move |b| format!("{a}{}", char::from(b))))
            .take(65)
            .collect();
        let query = words.join(" ");
        assert!(query.len() <= 200, "{}", query.len());
        let last = &words[64];
        let query = Query::parse(&[query.as_str()]);
        assert_eq!(query.stems().len(), 65);
        // "qa" alone first; then "qa" with the 65th word: the window to show,
        // with the 65th word inside it, then as the last of its 24 words.
        let cases = [
            (
                format!(
                    "{}qa {}qa {last} {}",
                    filler(8, "lead"),
                    filler(30, "mid"),
                    filler(10, "tail")
                ),
                format!("… {}qa {last} {}", filler(6, "mid"), filler(10, "tail"))
                    .trim_end()
                    .to_owned(),
            ),
            (
                format!(
                    "{}qa {}qa {}{last} {}",
                    filler(20, "lead"),
                    filler(29, "mid"),
                    filler(16, "more"),
                    filler(10, "tail")
                ),
                format!("… {}qa {}{last} …", filler(6, "mid"), filler(16, "more")),
            ),
        ];
        for (text, want) in cases {
            let kb = kb(&[("a", "A", &text)]);
            let hits = search(&kb, &query, 10).hits;
            assert_eq!(hits[0].snippet, want);
        }
    }

    #[test]
    fn markdown_becomes_plain_text() {
        assert_eq!(
            plain("A **bold** [link](http://x.org) and `code`.\n\n- one\n* two\n1. three\n# Head"),
            "A bold link and code. one two three Head"
        );
    }

    fn ids_at(kb: &Index, query: &[&str], limit: usize) -> Vec<String> {
        search(kb, &Query::parse(query), limit)
            .hits
            .into_iter()
            .map(|h| kb.id(h.index).to_owned())
            .collect()
    }

    #[test]
    fn a_limit_keeps_exactly_the_first_hits_of_the_full_ranking() {
        let kb = kb(&[
            ("a", "A", "information sharing"),
            ("b", "B", "sharing of information"),
            ("c", "C", "information alone"),
            ("d", "D", "sharing alone"),
            ("e", "E", "information, and information again"),
            ("f", "F", "nothing relevant"),
        ]);
        for query in ["information sharing", "information"] {
            let all = ids_at(&kb, &[query], 100);
            assert_eq!(all.len(), if query == "information" { 4 } else { 5 });
            for limit in 0..=all.len() + 1 {
                let found = search(&kb, &Query::parse(&[query]), limit);
                assert_eq!(found.total, all.len(), "{query} --limit {limit}");
                assert_eq!(
                    ids_at(&kb, &[query], limit),
                    all[..limit.min(all.len())],
                    "{query} --limit {limit}"
                );
            }
        }
    }

    #[test]
    fn an_entry_holding_the_phrase_climbs_over_a_better_one_in_reach_even_at_limit_one() {
        // Without the bonus "a" scores about 1.34 times "b" (a title word
        // twice): within the bonus's reach, and high enough that a bonus of
        // + 1.5 instead of * 1.5 would not reach.
        let kb = kb(&[
            ("a", "Sharing and information, information", "text"),
            ("b", "Information Sharing", "text"),
        ]);
        assert_eq!(ids_at(&kb, &["information sharing"], 1), ["b"]);
        assert_eq!(ids_at(&kb, &["information sharing"], 2), ["b", "a"]);
        let hits = search(&kb, &Query::parse(&["information sharing"]), 2).hits;
        assert!(
            hits[0].score > hits[1].score && hits[0].score < hits[1].score * 1.5,
            "{hits:?}"
        );
    }

    #[test]
    fn an_entry_whose_bonus_ties_the_last_hit_is_still_looked_at() {
        // "a" holds both words in its summary and definition (3 + 1 each), as
        // a phrase; "b" in its summary and tags (3 + 3), never as one. Both
        // words are in the same entries, so "a" with the bonus scores exactly
        // what "b" does (4 * 1.5 = 6) and comes first, its id being smaller: a
        // limit must not stop before an entry whose bonus only ties the last hit.
        let texts = [
            (
                "a",
                "title = \"A\"\nsummary = \"kappa sigma\"\ndefinition = \"kappa sigma\"\n",
            ),
            (
                "b",
                "title = \"B\"\nsummary = \"sigma versus kappa\"\ntags = [\"sigma\", \"kappa\"]\ndefinition = \"other\"\n",
            ),
        ];
        let kb = Index::from_texts(&texts);
        let hits = search(&kb, &Query::parse(&["kappa sigma"]), 10).hits;
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert_eq!(hits[0].score, hits[1].score, "{hits:?}");
        assert_eq!(ids_at(&kb, &["kappa sigma"], 10), ["a", "b"]);
        assert_eq!(ids_at(&kb, &["kappa sigma"], 1), ["a"]);
    }

    #[test]
    fn an_entry_is_weighed_against_the_limit_th_best_score_so_far() {
        // All three hold both words; "c" scores as "b" (ahead of it by id) and
        // only "c" holds the phrase, which lifts it over "b" but not over "a".
        // At --limit 2 "c" must be looked at although "a" is out of its reach:
        // what counts is the second best so far, "b".
        let kb = kb(&[
            ("a", "A", "sigma sigma kappa kappa"),
            ("b", "B", "sigma, then kappa"),
            ("c", "C", "kappa sigma"),
        ]);
        assert_eq!(ids_at(&kb, &["kappa sigma"], 10), ["a", "c", "b"]);
        assert_eq!(ids_at(&kb, &["kappa sigma"], 2), ["a", "c"]);
    }

    #[test]
    fn a_rarer_word_weighs_more() {
        let kb = kb(&[
            ("a", "A", "alpha"),
            ("b", "B", "beta"),
            ("c", "C", "alpha here"),
            ("d", "D", "alpha there"),
        ]);
        assert_eq!(ids_at(&kb, &["alpha beta"], 10), ["b", "a", "c", "d"]);
    }

    #[test]
    fn field_words_phrases_exclusions_and_kinds_filter_the_hits() {
        let texts = [
            (
                "a",
                "title = \"Peace\"\ndefinition = \"cities and zones\"\nkind = \"approach\"\n",
            ),
            (
                "b",
                "title = \"Cities\"\ndefinition = \"peace in zones\"\nkind = \"problem\"\n",
            ),
            (
                "c",
                "title = \"Zones\"\ndefinition = \"zones of peace, cve\"\nkind = \"approach\"\n",
            ),
        ];
        let kb = Index::from_texts(&texts);
        assert_eq!(ids_at(&kb, &["peace title:cities"], 10), ["b"]);
        assert_eq!(ids_at(&kb, &["\"zones of peace\""], 10), ["c"]);
        assert_eq!(ids_at(&kb, &["peace -cve"], 10), ["a", "b"]);
        assert_eq!(ids_at(&kb, &["zones kind:approach"], 10), ["c", "a"]);
        assert_eq!(ids_at(&kb, &["zones kind:problem"], 10), ["b"]);
    }

    #[test]
    fn a_one_word_score_is_the_documented_sum_without_a_phrase_bonus() {
        // weight 1 (definition) * (1 + ln 1) * ln(1 + 2 entries / (1 + 1 holding it)).
        let kb = kb(&[("a", "A", "alpha"), ("b", "B", "beta")]);
        let hits = search(&kb, &Query::parse(&["alpha"]), 10).hits;
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].score, 0.693, "{hits:?}");
    }

    #[test]
    fn scores_are_the_documented_sums_for_each_entry_word_and_field() {
        // Two words, six entries, matches in two fields, counts above one and
        // longer words (weight 0.6) in several entries: each word's strength in an
        // entry is the sum over fields of weight * (1 + ln(count * 1, or * 0.6 for a
        // longer word), the logarithm no less than 0), its
        // rarity ln(1 + entries / (1 + entries holding it)), and an entry's score
        // the sum of strength * rarity times (words matched / words)^2, to 0.001.
        let kb = kb(&[
            ("a", "Alpha", "gamma gamma alphabet"),
            ("b", "Beta", "alpha alpha alpha"),
            ("c", "Gamma", "alphabet alphabet"),
            ("d", "Delta", "beta"),
            ("e", "Epsilon", "gamma"),
            ("f", "Zeta", "alpha"),
        ]);
        let ln = f64::ln;
        // alpha is in a, b, c (alphabet) and f; gamma in a, c and e.
        let (alpha, gamma) = (ln(1.0 + 6.0 / (1.0 + 4.0)), ln(1.0 + 6.0 / (1.0 + 3.0)));
        let expected = [
            ("a", (8.0 + 1.0) * alpha + (1.0 + ln(2.0)) * gamma),
            ("c", (1.0 + ln(2.0 * 0.6)) * alpha + 8.0 * gamma),
            ("b", (1.0 + ln(3.0)) * alpha * 0.25),
            ("e", gamma * 0.25),
            ("f", alpha * 0.25),
        ];
        let found = search(&kb, &Query::parse(&["alpha gamma"]), 10);
        let got: Vec<(&str, f64)> = found
            .hits
            .iter()
            .map(|h| (kb.id(h.index), h.score))
            .collect();
        let want: Vec<(&str, f64)> = expected
            .iter()
            .map(|&(id, s)| (id, (s * 1000.0).round() / 1000.0))
            .collect();
        assert_eq!(got, want);
        assert_eq!(found.total, 5);
        // The same words one at a time: a single word's row, and its own rarity.
        let got: Vec<(&str, f64)> = search(&kb, &Query::parse(&["gamma"]), 10)
            .hits
            .iter()
            .map(|h| (kb.id(h.index), h.score))
            .collect();
        assert_eq!(got, [("c", 7.33), ("a", 1.551), ("e", 0.916)]);
    }
}
