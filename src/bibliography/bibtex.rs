//! BibTeX: one `@book`, `@article`, `@incollection` or `@misc` per work.
//!
//! Text fields escape BibTeX's and LaTeX's special characters (`& % $ # _ { } ~ ^ \`)
//! and brace acronyms (`{NATO}`) so that styles do not lowercase them; an
//! organisation's name is braced whole so that it is not read as "Last, First".
//! URLs are written as they are (the `url` package reads them raw), with braces
//! and backslashes percent-encoded. Text is UTF-8.

use super::names::Name;
use super::{Kind, Work};
use std::fmt::Write as _;

/// The whole bibliography.
pub fn render(works: &[Work]) -> String {
    let mut out = String::new();
    for (n, work) in works.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(&entry(work));
    }
    out
}

fn entry(work: &Work) -> String {
    let kind = match work.kind() {
        Kind::Article => "article",
        Kind::Chapter => "incollection",
        Kind::Book => "book",
        Kind::Misc => "misc",
    };
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !work.names.list.is_empty() {
        let role = if work.names.editors {
            "editor"
        } else {
            "author"
        };
        fields.push((role, names(&work.names.list, work.names.others)));
    }
    fields.push(("title", text(&work.title)));
    let venue = &work.venue;
    if let Some(j) = &venue.journal {
        fields.push(("journal", text(j)));
    }
    if let Some(b) = &venue.book {
        fields.push(("booktitle", text(b)));
        if !venue.book_editors.is_empty() {
            let eds: Vec<String> = venue.book_editors.iter().map(|e| text(e)).collect();
            fields.push(("editor", eds.join(" and ")));
        }
    }
    if let Some(y) = work.year_number() {
        fields.push(("year", y.to_string()));
    }
    if let Some(v) = &venue.volume {
        fields.push(("volume", text(v)));
    }
    if let Some(i) = &venue.issue {
        fields.push(("number", text(i)));
    }
    if let Some((a, b)) = &venue.pages {
        fields.push(("pages", format!("{}--{}", text(a), text(b))));
    }
    if let Some(p) = &venue.publisher {
        fields.push(("publisher", text(p)));
    }
    if let Some(u) = &work.url {
        fields.push(("url", url(u)));
    }
    let mut notes = Vec::new();
    if work.year_uncertain()
        && let Some(y) = &work.year
    {
        notes.push(format!("Date as given: {}", text(&y.to_string())));
    }
    if !notes.is_empty() {
        fields.push(("note", notes.join(". ")));
    }
    if let Some(d) = &work.description {
        fields.push(("annote", text(d)));
    }
    let mut out = format!("@{kind}{{{},\n", work.key);
    for (name, value) in fields {
        let _ = writeln!(out, "  {name:<9} = {{{value}}},");
    }
    out.push_str("}\n");
    out
}

/// Names joined by `and`: people as `von Last, Jr., First`, organisations braced.
fn names(list: &[Name], others: bool) -> String {
    let mut parts: Vec<String> = list
        .iter()
        .map(|n| match n {
            Name::Person {
                given,
                family,
                suffix,
            } => match suffix {
                Some(s) => format!("{}, {}, {}", escape(family), escape(s), escape(given)),
                None => format!("{}, {}", escape(family), escape(given)),
            },
            Name::Literal { literal } => format!("{{{}}}", escape(literal)),
        })
        .collect();
    if others {
        parts.push("others".to_owned());
    }
    parts.join(" and ")
}

/// A text field: escaped, with acronyms and words with inner capitals braced
/// (`{NATO}`, `{iPhone}`), their punctuation outside the braces.
pub fn text(s: &str) -> String {
    let one_line = crate::sanitize::line(s);
    one_line
        .split(' ')
        .map(|word| {
            let core = word.trim_matches(|c: char| !c.is_alphanumeric());
            let letters: Vec<char> = core.chars().filter(|c| c.is_alphabetic()).collect();
            let acronym = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
            let inner_capital = core.chars().skip(1).any(char::is_uppercase)
                && core.chars().any(char::is_lowercase);
            if core.is_empty() || !(acronym || inner_capital) {
                return escape(word);
            }
            let start = word.find(core).unwrap_or(0);
            let (before, rest) = word.split_at(start);
            let (core, after) = rest.split_at(core.len());
            format!("{}{{{}}}{}", escape(before), escape(core), escape(after))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Escapes the characters special to BibTeX and LaTeX.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            '"' => out.push_str("{\"}"),
            c => out.push(c),
        }
    }
    out
}

/// A URL for the `url` field: braces, backslashes and spaces percent-encoded.
fn url(u: &str) -> String {
    let mut out = String::with_capacity(u.len());
    for c in u.trim().chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            ' ' => out.push_str("%20"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_escaped_and_acronyms_braced() {
        assert_eq!(
            text("Peace & War: 100% of NATO_x {y} ~ ^ \\"),
            "Peace \\& War: 100\\% of {NATO\\_x} \\{y\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}"
        );
        assert_eq!(text("The iPhone"), "The {iPhone}");
        assert_eq!(text("(CETR) Chapter VII."), "({CETR}) Chapter {VII}.");
    }

    #[test]
    fn urls_keep_percent_signs_but_not_braces() {
        assert_eq!(url("http://x.org/a%20b_{c}"), "http://x.org/a%20b_%7Bc%7D");
    }
}
