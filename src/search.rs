//! Full-text search: ranking entries for a few words, with a snippet for each hit.
//!
//! Scoring is a small BM25-like sum: for each query word, how often it occurs in
//! each field (title and aliases weigh most, then summary and tags, then the
//! definition and examples), times how rare the word is across the knowledge base.
//! Entries that hold more of the query words always rank first; among equals the
//! score decides, and the whole phrase adds a bonus. A query word also matches longer words it starts
//! (`negotiat` finds "negotiation"), at a lower weight.

use crate::entry::Entry;
use crate::kb::KnowledgeBase;

/// One hit: the entry, its score and a snippet of plain text around the matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub index: usize,
    pub score: f64,
    pub snippet: String,
}

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

fn fields(e: &Entry) -> Vec<(f64, String)> {
    let mut f = vec![
        (8.0, e.title.clone()),
        (3.0, e.summary.clone().unwrap_or_default()),
        (3.0, e.tags.join(" ")),
        (1.0, e.definition.clone()),
    ];
    for a in &e.aliases {
        f.push((6.0, a.text.clone()));
    }
    for (weight, works) in [(1.0, &e.examples), (0.5, &e.sources)] {
        for w in works {
            let text = [Some(&w.title), w.author.as_ref(), w.description.as_ref()]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            f.push((weight, text));
        }
    }
    f
}

/// Ranks the entries that hold at least one of `terms`, best first, at most `limit`.
pub fn search(kb: &KnowledgeBase, terms: &[String], limit: usize) -> Vec<Hit> {
    if terms.is_empty() {
        return Vec::new();
    }
    let n = kb.entries.len() as f64;
    // Per entry, per term: the weighted match strength.
    let mut per_entry: Vec<(usize, Vec<f64>, bool)> = Vec::new();
    let mut df = vec![0usize; terms.len()];
    let phrase = terms.join(" ");
    for (index, e) in kb.entries.iter().enumerate() {
        let mut strength = vec![0.0; terms.len()];
        let mut phrase_found = false;
        for (weight, text) in fields(e) {
            let ws: Vec<String> = words(&text).collect();
            for (t, term) in terms.iter().enumerate() {
                let tf: f64 = ws.iter().map(|w| word_match(w, term)).sum();
                if tf > 0.0 {
                    strength[t] += weight * (1.0 + tf.ln().max(0.0));
                }
            }
            if terms.len() > 1 && !phrase_found {
                phrase_found = ws.join(" ").contains(&phrase);
            }
        }
        if strength.iter().any(|&s| s > 0.0) {
            for (t, &s) in strength.iter().enumerate() {
                if s > 0.0 {
                    df[t] += 1;
                }
            }
            per_entry.push((index, strength, phrase_found));
        }
    }
    let idf: Vec<f64> = df
        .iter()
        .map(|&d| (1.0 + n / (1.0 + d as f64)).ln())
        .collect();
    let mut hits: Vec<(usize, usize, f64)> = per_entry
        .into_iter()
        .map(|(index, strength, phrase_found)| {
            let matched = strength.iter().filter(|&&s| s > 0.0).count();
            let coverage = (matched as f64 / terms.len() as f64).powi(2);
            let base: f64 = strength.iter().zip(&idf).map(|(s, i)| s * i).sum();
            let bonus = if phrase_found { 1.5 } else { 1.0 };
            (index, matched, base * coverage * bonus)
        })
        .collect();
    // Entries holding more of the query words always come first.
    hits.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(b.2.total_cmp(&a.2))
            .then(kb.entries[a.0].id.cmp(&kb.entries[b.0].id))
    });
    hits.truncate(limit);
    hits.into_iter()
        .map(|(index, _, score)| Hit {
            index,
            score: (score * 1000.0).round() / 1000.0,
            snippet: snippet(&kb.entries[index], terms),
        })
        .collect()
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

    fn kb(specs: &[(&str, &str, &str)]) -> KnowledgeBase {
        let files: Vec<(&str, String)> = specs
            .iter()
            .map(|(id, title, definition)| {
                (
                    *id,
                    format!("title = \"{title}\"\ndefinition = \"{definition}\"\n"),
                )
            })
            .collect();
        KnowledgeBase::from_toml(&files)
    }

    fn ids(kb: &KnowledgeBase, query: &[&str]) -> Vec<String> {
        search(kb, &terms(query), 10)
            .into_iter()
            .map(|h| kb.entries[h.index].id.clone())
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
}
