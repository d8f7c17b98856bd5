//! RIS, the tagged format that EndNote, Zotero and most reference managers import.

use super::names::Name;
use super::{Kind, Work};
use std::fmt::Write as _;

/// The whole bibliography: one record per work, `TY` to `ER`.
pub fn render(works: &[Work]) -> String {
    let mut out = String::new();
    for work in works {
        record(work, &mut out);
    }
    out
}

fn record(work: &Work, out: &mut String) {
    let mut tag = |tag: &str, value: &str| {
        let value = crate::sanitize::line(value);
        let _ = writeln!(out, "{tag}  - {}", value.trim());
    };
    tag(
        "TY",
        match work.kind() {
            Kind::Article => "JOUR",
            Kind::Chapter => "CHAP",
            Kind::Book => "BOOK",
            Kind::Misc if work.url.is_some() => "ELEC",
            Kind::Misc => "GEN",
        },
    );
    tag("ID", &work.key);
    let role = if work.names.editors { "A2" } else { "AU" };
    for n in &work.names.list {
        match n {
            Name::Person {
                given,
                family,
                suffix: Some(s),
            } => tag(role, &format!("{family}, {given}, {s}")),
            Name::Person { given, family, .. } => tag(role, &format!("{family}, {given}")),
            Name::Literal { literal } => tag(role, literal),
        }
    }
    tag("TI", &work.title);
    let venue = &work.venue;
    if let Some(c) = venue.journal.as_ref().or(venue.book.as_ref()) {
        tag("T2", c);
    }
    for e in &venue.book_editors {
        tag("A2", e);
    }
    if let Some(y) = &work.year {
        match work.year_number() {
            Some(n) => tag("PY", &n.to_string()),
            None => tag("N1", &format!("Date as given: {y}")),
        }
        if work.year_uncertain() {
            tag("N1", &format!("Date as given: {y}"));
        }
    }
    if let Some(v) = &venue.volume {
        tag("VL", v);
    }
    if let Some(i) = &venue.issue {
        tag("IS", i);
    }
    if let Some((a, b)) = &venue.pages {
        tag("SP", a);
        tag("EP", b);
    }
    if let Some(p) = &venue.publisher {
        tag("PB", p);
    }
    if let Some(u) = &work.url {
        tag("UR", u);
    }
    if let Some(d) = &work.description {
        tag("AB", d);
    }
    tag("ER", "");
}
