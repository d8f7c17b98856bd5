//! What a fresh parse of an entry file keeps for the index.

use crate::entry::Entry;
use crate::tokenize::WordCounts;

/// An entry's indexed data, from a fresh parse.
pub(super) struct Record {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub aliases: Vec<String>,
    /// (relation name, link as written), as [`Entry::typed_links`] gives them.
    pub links: Vec<(String, String)>,
    /// How many of `links` are `related_approaches` (the first ones).
    pub approaches: usize,
    pub words: WordCounts,
}

impl Record {
    pub fn new(e: Entry) -> Record {
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
