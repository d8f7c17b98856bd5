//! The on-disk shape of an entry file, as serde reads it from TOML.
//!
//! This mirrors the file format exactly and is checked by [`crate::entry`],
//! which turns it into the [`crate::entry::Entry`] the rest of otpic uses.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// Top-level fields an entry file may have; anything else is an unknown field.
pub const ENTRY_FIELDS: &[&str] = &[
    "title",
    "kind",
    "summary",
    "definition",
    "aliases",
    "tags",
    "related_approaches",
    "related_problems",
    "links",
    "original_links",
    "examples",
    "sources",
    "provenance",
];
/// Fields of a table in `examples` or `sources`.
pub const WORK_FIELDS: &[&str] = &["title", "author", "year", "description", "url", "original"];
/// Fields of the `provenance` table.
pub const PROVENANCE_FIELDS: &[&str] = &["from", "publisher", "year", "url"];

#[derive(Debug, Deserialize)]
pub struct RawEntry {
    pub title: Option<Spanned<String>>,
    pub definition: Option<Spanned<String>>,
    pub kind: Option<String>,
    pub summary: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub related_approaches: Vec<Spanned<String>>,
    #[serde(default)]
    pub related_problems: Vec<Spanned<String>>,
    /// The `[links]` table: relation name → links.
    #[serde(default)]
    pub links: BTreeMap<String, Vec<Spanned<String>>>,
    /// The links the original OTPIC page had.
    #[serde(default)]
    pub original_links: Vec<Spanned<String>>,
    #[serde(default)]
    pub examples: Vec<RawWork>,
    #[serde(default)]
    pub sources: Vec<RawWork>,
    pub provenance: Option<RawProvenance>,
}

#[derive(Debug, Deserialize)]
pub struct RawWork {
    pub title: String,
    pub author: Option<String>,
    pub year: Option<Year>,
    pub description: Option<String>,
    pub url: Option<String>,
    /// Listed on the original OTPIC page.
    pub original: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct RawProvenance {
    pub from: Option<String>,
    pub publisher: Option<String>,
    pub year: Option<Year>,
    pub url: Option<String>,
}

/// A year: a number (`1998`) or, for an uncertain date or a range, a short string (`"1991?"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Year {
    Number(i64),
    Text(String),
}

impl std::fmt::Display for Year {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Year::Number(n) => write!(f, "{n}"),
            Year::Text(s) => f.write_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for Year {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Year;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a year, as a number (1998) or a string (\"1991?\")")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Year, E> {
                Ok(Year::Number(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Year, E> {
                i64::try_from(v)
                    .map(Year::Number)
                    .map_err(|_| E::custom("year out of range"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Year, E> {
                Ok(Year::Text(v.to_owned()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A field otpic does not know, with the byte range of its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownField {
    pub name: String,
    pub span: Range<usize>,
}

/// A parsed file: the entry's fields and any fields otpic does not know.
#[derive(Debug)]
pub struct Parsed {
    pub entry: RawEntry,
    pub unknown: Vec<UnknownField>,
    /// The keys of the `[links]` table (relation names) with their byte ranges.
    pub link_keys: Vec<(String, Range<usize>)>,
}

/// Parses one entry file. The error's span, if any, points into `text`.
pub fn parse(text: &str) -> Result<Parsed, toml::de::Error> {
    let table = toml::de::DeTable::parse(text)?;
    let mut unknown = Vec::new();
    let mut link_keys = Vec::new();
    for (key, value) in table.get_ref() {
        let name: &str = key.get_ref();
        if !ENTRY_FIELDS.contains(&name) {
            unknown.push(UnknownField {
                name: name.to_owned(),
                span: key.span(),
            });
            continue;
        }
        match (name, value.get_ref()) {
            ("examples" | "sources", toml::de::DeValue::Array(items)) => {
                for item in items {
                    if let toml::de::DeValue::Table(t) = item.get_ref() {
                        unknown_keys(t, WORK_FIELDS, name, &mut unknown);
                    }
                }
            }
            ("provenance", toml::de::DeValue::Table(t)) => {
                unknown_keys(t, PROVENANCE_FIELDS, name, &mut unknown)
            }
            ("links", toml::de::DeValue::Table(t)) => {
                for k in t.keys() {
                    link_keys.push((k.get_ref().to_string(), k.span()));
                }
            }
            _ => {}
        }
    }
    let entry = RawEntry::deserialize(toml::de::Deserializer::from(table))?;
    Ok(Parsed {
        entry,
        unknown,
        link_keys,
    })
}

fn unknown_keys(
    table: &toml::de::DeTable<'_>,
    known: &[&str],
    parent: &str,
    unknown: &mut Vec<UnknownField>,
) {
    for key in table.keys() {
        let name: &str = key.get_ref();
        if !known.contains(&name) {
            unknown.push(UnknownField {
                name: format!("{parent}.{name}"),
                span: key.span(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_collected_with_their_spans() {
        let text =
            "title = \"A\"\ndefinition = \"d\"\ncolour = 1\n[provenance]\nfrom = \"x\"\nwhen = 2\n";
        let parsed = parse(text).map_err(|e| e.to_string());
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        let names: Vec<_> = parsed.unknown.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["colour", "provenance.when"]);
        assert_eq!(&text[parsed.unknown[0].span.clone()], "colour");
    }

    #[test]
    fn years_are_numbers_or_strings() {
        let text = "title = \"A\"\ndefinition = \"d\"\n[[examples]]\ntitle = \"w\"\nyear = 1991\n[[sources]]\ntitle = \"s\"\nyear = \"1991?\"\n";
        let parsed = parse(text).map_err(|e| e.to_string());
        let Ok(parsed) = parsed else {
            panic!("{parsed:?}")
        };
        assert_eq!(parsed.entry.examples[0].year, Some(Year::Number(1991)));
        assert_eq!(
            parsed.entry.sources[0].year,
            Some(Year::Text("1991?".into()))
        );
    }

    #[test]
    fn the_links_table_and_original_marks_are_read() {
        let text = "title = \"A\"\ndefinition = \"d\"\noriginal_links = [\"b\"]\n[links]\nbroader = [\"b\", \"c\"]\n[[examples]]\ntitle = \"w\"\noriginal = true\n";
        let Ok(parsed) = parse(text) else {
            panic!("does not parse")
        };
        assert!(parsed.unknown.is_empty(), "{:?}", parsed.unknown);
        assert_eq!(parsed.entry.links["broader"].len(), 2);
        assert_eq!(parsed.entry.original_links.len(), 1);
        assert_eq!(parsed.entry.examples[0].original, Some(true));
        assert_eq!(&text[parsed.link_keys[0].1.clone()], "broader");
    }

    #[test]
    fn wrong_types_are_errors_with_a_span() {
        let text = "title = \"A\"\ndefinition = \"d\"\ntags = \"x\"\n";
        let err = parse(text)
            .err()
            .map(|e| (e.span(), e.message().to_owned()));
        let Some((Some(span), _)) = err else {
            panic!("expected an error with a span")
        };
        assert_eq!(&text[span], "\"x\"");
    }
}
