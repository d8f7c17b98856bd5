//! CSL-JSON, the bibliography data that citation managers (Zotero, Mendeley) and
//! citeproc processors (pandoc) read; valid against the CSL 1.0 data schema.

use super::names::Name;
use super::{Kind, Work};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The whole bibliography, as CSL-JSON items.
pub fn items(works: &[Work]) -> Vec<Value> {
    works.iter().map(item).collect()
}

fn item(work: &Work) -> Value {
    let kind = match work.kind() {
        Kind::Article => "article-journal",
        Kind::Chapter => "chapter",
        Kind::Book => "book",
        Kind::Misc if work.url.is_some() => "webpage",
        Kind::Misc => "document",
    };
    let mut m = Map::new();
    m.insert("id".into(), json!(work.key));
    m.insert("citation-key".into(), json!(work.key));
    m.insert("type".into(), json!(kind));
    m.insert("title".into(), json!(work.title));
    if !work.names.list.is_empty() {
        let role = if work.names.editors {
            "editor"
        } else {
            "author"
        };
        let names: Vec<Value> = work.names.list.iter().map(name).collect();
        m.insert(role.into(), Value::Array(names));
    }
    if let Some(year) = &work.year {
        let date = match work.year_number() {
            Some(y) if work.year_uncertain() => json!({"date-parts": [[y]], "circa": true}),
            Some(y) => json!({"date-parts": [[y]]}),
            None => json!({"literal": year.to_string()}),
        };
        m.insert("issued".into(), date);
    }
    let venue = &work.venue;
    if let Some(c) = venue.journal.as_ref().or(venue.book.as_ref()) {
        m.insert("container-title".into(), json!(c));
    }
    if !venue.book_editors.is_empty() {
        let eds: Vec<Value> = venue
            .book_editors
            .iter()
            .map(|e| json!({"family": e}))
            .collect();
        m.insert("editor".into(), Value::Array(eds));
    }
    for (field, value) in [
        ("volume", &venue.volume),
        ("issue", &venue.issue),
        ("publisher", &venue.publisher),
        ("URL", &work.url),
        ("annote", &work.description),
    ] {
        if let Some(v) = value {
            m.insert(field.into(), json!(v));
        }
    }
    if let Some((a, b)) = &venue.pages {
        m.insert("page".into(), json!(format!("{a}-{b}")));
    }
    if work.names.others {
        m.insert("note".into(), json!("And others (et al.)"));
    }
    Value::Object(m)
}

fn name(n: &Name) -> Value {
    #[derive(Serialize)]
    struct Person<'a> {
        family: &'a str,
        given: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        suffix: Option<&'a str>,
    }
    match n {
        Name::Person {
            given,
            family,
            suffix,
        } => json!(Person {
            family,
            given,
            suffix: suffix.as_deref()
        }),
        Name::Literal { literal } => json!({ "literal": literal }),
    }
}
