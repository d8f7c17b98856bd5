//! Where a work was published, read from its description when the description says so plainly.
//!
//! Recognised, and nothing else (anything unsure stays a misc item):
//! - an article: the description starts with a journal and volume,
//!   `International Security 16(1)`, `World Politics 30(2), pp. 167-214`,
//!   `International Organization 41: …`;
//! - a chapter: `Chapter of BOOK`, `a chapter in BOOK`, `From BOOK (pp. …)`,
//!   `pp. 237-253 of the … volume BOOK, edited by A, B and C`;
//! - a book: the description starts with `Book` or `Edited volume`, or calls
//!   the work a `… Press book`; a publisher in parentheses after `Book` or
//!   ending in `Press` is kept.

use serde::Serialize;

/// The type of a work, as BibTeX, CSL and RIS distinguish them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Article,
    Chapter,
    Book,
    #[default]
    Misc,
}

/// Where a work was published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Venue {
    #[serde(rename = "type")]
    pub kind: Kind,
    /// The journal of an article.
    pub journal: Option<String>,
    /// The book a chapter is in.
    pub book: Option<String>,
    /// The editors of that book.
    pub book_editors: Vec<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    /// First and last page.
    pub pages: Option<(String, String)>,
    pub publisher: Option<String>,
}

impl Venue {
    /// Where published, in words: "International Security 16(1), pp. 3-14".
    pub fn describe(&self) -> Option<String> {
        let mut out = match (&self.journal, &self.book) {
            (Some(j), _) => j.clone(),
            (None, Some(b)) => format!("in {b}"),
            (None, None) => self.publisher.clone()?,
        };
        if let Some(v) = &self.volume {
            out.push(' ');
            out.push_str(v);
        }
        if let Some(i) = &self.issue {
            out.push_str(&format!("({i})"));
        }
        if self.journal.is_none() && self.book.is_some() {
            if !self.book_editors.is_empty() {
                out.push_str(&format!(", edited by {}", self.book_editors.join(", ")));
            }
            if let Some(p) = &self.publisher {
                out.push_str(&format!(", {p}"));
            }
        }
        if let Some((a, b)) = &self.pages {
            out.push_str(&format!(", pp. {a}-{b}"));
        }
        Some(out)
    }
}

/// Reads what `description` says about where the work was published.
pub fn read(description: &str) -> Venue {
    let text = description.trim();
    if let Some(v) = article(text) {
        return v;
    }
    if let Some(v) = chapter(text) {
        return v;
    }
    if let Some(v) = book(text) {
        return v;
    }
    Venue::default()
}

/// Small words a title may contain in lowercase.
const CONNECTORS: &[&str] = &["of", "and", "the", "for", "on", "in", "a", "an", "to", "at"];

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// "16(1)" → ("16", Some("1")); "41:" → ("41", None); "30(2)," → ("30", Some("2")).
fn volume_issue(token: &str) -> Option<(String, Option<String>)> {
    let token = token.trim_end_matches([',', ':', '.', ';']);
    let (volume, issue) = match token.split_once('(') {
        Some((v, rest)) => (v, Some(rest.strip_suffix(')')?)),
        None => (token, None),
    };
    let numeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '-');
    if !numeric(volume) || !issue.is_none_or(numeric) {
        return None;
    }
    Some((volume.to_owned(), issue.map(str::to_owned)))
}

/// "pp. 167-214" or "): 7-36" anywhere in the text.
fn pages(text: &str) -> Option<(String, String)> {
    let after = text
        .find("pp. ")
        .map(|i| &text[i + 4..])
        .or_else(|| text.find("): ").map(|i| &text[i + 3..]))?;
    let range: String = after
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-' || *c == '–')
        .collect();
    let (a, b) = range.split_once(['-', '–'])?;
    let b = b.trim_start_matches('-');
    (!a.is_empty() && !b.is_empty()).then(|| (a.to_owned(), b.to_owned()))
}

fn article(text: &str) -> Option<Venue> {
    let words: Vec<&str> = text.split_whitespace().take(10).collect();
    let at = words.iter().position(|w| volume_issue(w).is_some())?;
    let journal = &words[..at];
    if journal.is_empty()
        || !capitalised(journal[0])
        || !journal
            .iter()
            .all(|w| capitalised(w) || CONNECTORS.contains(w))
        || journal.iter().any(|w| w.ends_with([',', '.', ';', ':']))
    {
        return None;
    }
    let (volume, issue) = volume_issue(words[at])?;
    // "International Organization 41:" needs the colon or an issue to be a volume.
    if issue.is_none() && !words[at].ends_with([':', ',']) {
        return None;
    }
    Some(Venue {
        kind: Kind::Article,
        journal: Some(journal.join(" ")),
        volume: Some(volume),
        issue,
        pages: pages(text),
        ..Venue::default()
    })
}

/// The title that starts `text`: capitalised words and connectors, through
/// punctuation while the next word is capitalised, up to a parenthesis.
fn leading_title(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut taken: Vec<&str> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if w.starts_with('(') || !(capitalised(w) || CONNECTORS.contains(w)) {
            break;
        }
        taken.push(w);
        if w.ends_with([',', '.', ';', ':']) && !words.get(i + 1).is_some_and(|n| capitalised(n)) {
            break;
        }
    }
    while taken.last().is_some_and(|w| CONNECTORS.contains(w)) {
        taken.pop();
    }
    let title = taken.join(" ");
    let title = title.trim_end_matches([',', '.', ';', ':']).to_owned();
    (!title.is_empty() && capitalised(&title)).then_some(title)
}

fn chapter(text: &str) -> Option<Venue> {
    let lower = text.to_lowercase();
    let markers = ["chapter of ", "chapter in ", "volume "];
    let book = if let Some(rest) = text.strip_prefix("From ") {
        leading_title(rest)?
    } else {
        let at = markers
            .iter()
            .find_map(|m| lower.find(m).map(|i| i + m.len()))?;
        if lower[..at].ends_with("volume ") && !lower[..at].contains("pp. ") {
            return None;
        }
        leading_title(&text[at..])?
    };
    let book_editors = text
        .find("edited by ")
        .map(|i| {
            let rest = &text[i + "edited by ".len()..];
            let end = rest.find(['.', ';', '(']).unwrap_or(rest.len());
            rest[..end]
                .split([','])
                .flat_map(|p| p.split(" and "))
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Some(Venue {
        kind: Kind::Chapter,
        book: Some(book),
        book_editors,
        pages: pages(text),
        publisher: press(text),
        ..Venue::default()
    })
}

fn book(text: &str) -> Option<Venue> {
    let lower = text.to_lowercase();
    let starts = lower.starts_with("book") || lower.starts_with("edited volume");
    let press_book = lower.contains("press book");
    if !starts && !press_book {
        return None;
    }
    let publisher = press(text).or_else(|| {
        // "Book (Sage)", "Book (Sage, Newbury Park)".
        let rest = text.strip_prefix("Book (")?;
        let end = rest.find([')', ','])?;
        Some(rest[..end].trim().to_owned()).filter(|p| !p.is_empty() && capitalised(p))
    });
    Some(Venue {
        kind: Kind::Book,
        publisher,
        ..Venue::default()
    })
}

/// A publisher ending in "Press": "(USIP Press)", "Princeton University Press".
fn press(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let at = words
        .iter()
        .position(|w| w.trim_end_matches([')', ',', '.', ';', ':']) == "Press")?;
    let mut start = at;
    while start > 0 {
        let w = words[start - 1].trim_start_matches('(');
        if !capitalised(w) || words[start - 1].ends_with([',', '.', ';', ':', ')']) {
            break;
        }
        start -= 1;
        if words[start].starts_with('(') {
            break;
        }
    }
    if start == at {
        return None;
    }
    let name: Vec<&str> = words[start..=at]
        .iter()
        .map(|w| {
            w.trim_start_matches('(')
                .trim_end_matches([')', ',', '.', ';', ':'])
        })
        .collect();
    Some(name.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_and_volume_make_an_article() {
        let v = read("World Politics 30(2), pp. 167-214: offense-defense balance.");
        assert_eq!(v.kind, Kind::Article);
        assert_eq!(v.journal.as_deref(), Some("World Politics"));
        assert_eq!(
            (v.volume.as_deref(), v.issue.as_deref()),
            (Some("30"), Some("2"))
        );
        assert_eq!(v.pages, Some(("167".into(), "214".into())));
        let v = read("Journal of Strategic Security 4(4): 7-36. Questions the idea.");
        assert_eq!(v.pages, Some(("7".into(), "36".into())));
        let v = read("International Organization 41: applies the regime idea.");
        assert_eq!((v.kind, v.volume.as_deref()), (Kind::Article, Some("41")));
    }

    #[test]
    fn chapters_name_their_book_and_editors() {
        let v = read(
            "Published on pp. 237-253 of the USIP Press volume Managing Global Chaos, edited by Crocker, Hampson and Aall. Tests whether.",
        );
        assert_eq!(v.kind, Kind::Chapter);
        assert_eq!(v.book.as_deref(), Some("Managing Global Chaos"));
        assert_eq!(v.book_editors, ["Crocker", "Hampson", "Aall"]);
        assert_eq!(v.publisher.as_deref(), Some("USIP Press"));
        let v = read(
            "From Social Conflict: Escalation, Stalemate and Settlement (pp. 128-129). A second reading.",
        );
        assert_eq!(
            v.book.as_deref(),
            Some("Social Conflict: Escalation, Stalemate and Settlement")
        );
        let v = read("Chapter of Forceful Persuasion: a US attempt at coercion.");
        assert_eq!(v.book.as_deref(), Some("Forceful Persuasion"));
        let v =
            read("How US policy-makers decided; a chapter in Managing Global Chaos (pp. 209-222).");
        assert_eq!(
            (v.book.as_deref(), v.pages.clone()),
            (
                Some("Managing Global Chaos"),
                Some(("209".into(), "222".into()))
            )
        );
    }

    #[test]
    fn books_and_publishers_are_read_only_when_plain() {
        let v = read("Book (Sage) dividing power into three kinds.");
        assert_eq!((v.kind, v.publisher.as_deref()), (Kind::Book, Some("Sage")));
        let v = read("USIP Press book that gives the standard definition.");
        assert_eq!(
            (v.kind, v.publisher.as_deref()),
            (Kind::Book, Some("USIP Press"))
        );
        assert_eq!(
            read("Wikipedia overview: origins in 1992.").kind,
            Kind::Misc
        );
        assert_eq!(read("A 2001 Marshall Center paper.").kind, Kind::Misc);
        assert_eq!(
            read("Volume in the UN Intellectual History Project.").kind,
            Kind::Misc
        );
    }
}
