//! Ranked search hits, each with its snippet, and the query's stems to mark.

use super::Text;
use crate::index::Index;
use crate::search::Hit;

/// The hits shown, best first, and how many more matched.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchView<'a> {
    pub hits: Vec<HitView<'a>>,
    /// Hits left out by `--limit`.
    pub more: usize,
    /// The query's stems: words that match one are marked.
    pub stems: Vec<String>,
}

/// One hit.
#[derive(Debug, Clone, PartialEq)]
pub struct HitView<'a> {
    pub id: Text<'a>,
    pub title: Text<'a>,
    pub score: f64,
    /// Text around the best match, ready to show (sanitized by [`crate::search`]).
    pub snippet: String,
}

impl<'a> SearchView<'a> {
    pub fn new(kb: &'a Index, hits: &[Hit], total: usize, stems: Vec<String>) -> SearchView<'a> {
        SearchView {
            hits: hits
                .iter()
                .map(|h| HitView {
                    id: Text::new(kb.id(h.index)),
                    title: Text::new(kb.title(h.index)),
                    score: h.score,
                    snippet: h.snippet.clone(),
                })
                .collect(),
            more: total - hits.len(),
            stems,
        }
    }

    /// Whether `word` matches a stem of the query, and is to be marked.
    pub fn marks(&self, word: &str) -> bool {
        crate::search::matches_word(word, &self.stems)
    }

    /// "N more hits (--limit 0 shows all)".
    pub fn more_note(&self) -> String {
        format!(
            "{} more hit{} (--limit 0 shows all)",
            self.more,
            if self.more == 1 { "" } else { "s" }
        )
    }
}
