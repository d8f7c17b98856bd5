//! Reading an author field as names: people (given and family names), organisations, editors.
//!
//! `"Charles A. Kupchan and Clifford A. Kupchan"` is two people;
//! `"Conflict Research Consortium, University of Colorado"` is one organisation;
//! `"Emanuel Adler and Michael Barnett (eds.)"` are two editors; `"Karl W. Deutsch et al."`
//! is one person and others. A name is a person's only when every part of it
//! looks like a person's name: two to five capitalised words or initials, with
//! particles (de, van, von…) and a suffix (Jr.) allowed, and no word that
//! organisations use (Institute, University, News…) or all-capital acronym.

use serde::Serialize;

/// One name of an author field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Name {
    Person {
        given: String,
        family: String,
        suffix: Option<String>,
    },
    /// An organisation, or a name that cannot be split safely, kept whole.
    Literal { literal: String },
}

/// The names of an author field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Names {
    pub list: Vec<Name>,
    /// "et al.": there are more authors than listed.
    pub others: bool,
    /// "(eds.)": the names are the editors of the work.
    pub editors: bool,
}

impl Name {
    /// The name for sorting: family name first.
    pub fn sort_name(&self) -> String {
        match self {
            Name::Person { given, family, .. } => {
                let family = family.trim_start_matches(|c: char| c.is_lowercase() || c == ' ');
                format!("{family} {given}")
            }
            Name::Literal { literal } => literal.clone(),
        }
    }

    /// The word a citation key starts with: the family name (without particles) or
    /// the organisation's first significant word, in lowercase ASCII.
    pub fn key_word(&self) -> String {
        let word = match self {
            Name::Person { family, .. } => family
                .split(' ')
                .filter(|w| !PARTICLES.contains(w))
                .collect::<Vec<_>>()
                .join(""),
            Name::Literal { literal } => super::fold(literal)
                .split(' ')
                .find(|w| !matches!(*w, "the" | "a" | "an"))
                .unwrap_or("")
                .to_owned(),
        };
        super::fold(&word).replace(' ', "")
    }
}

/// Lowercase words that belong to a family name.
const PARTICLES: &[&str] = &[
    "de", "da", "del", "della", "der", "den", "di", "du", "la", "le", "van", "von", "bin", "ibn",
    "al", "y",
];

/// Name suffixes.
const SUFFIXES: &[&str] = &["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];

/// Words that mark an organisation's name (compared in lowercase).
const ORGANISATION_WORDS: &[&str] = &[
    "academy",
    "agency",
    "assembly",
    "associated",
    "association",
    "bank",
    "borough",
    "bureau",
    "center",
    "centre",
    "college",
    "commission",
    "committee",
    "company",
    "consortium",
    "council",
    "department",
    "encyclopedia",
    "forum",
    "foundation",
    "fund",
    "government",
    "group",
    "institute",
    "institution",
    "international",
    "journal",
    "league",
    "library",
    "ministry",
    "nations",
    "network",
    "news",
    "office",
    "organisation",
    "organization",
    "press",
    "program",
    "programme",
    "project",
    "report",
    "school",
    "service",
    "society",
    "times",
    "trust",
    "union",
    "university",
    "wikipedia",
];

/// Reads an author field. `is_organisation` names organisations known otherwise
/// (an entry of the knowledge base with that name, say).
pub fn parse(author: &str, is_organisation: &dyn Fn(&str) -> bool) -> Names {
    let mut text = author.trim().to_owned();
    let mut names = Names::default();
    for marker in [
        "(eds.)",
        "(ed.)",
        "(eds)",
        "(ed)",
        ", eds.",
        ", ed.",
        "(editors)",
        "(editor)",
    ] {
        if let Some(stripped) = text.strip_suffix(marker) {
            text = stripped.trim_end().to_owned();
            names.editors = true;
            break;
        }
    }
    for marker in ["et al.", "et al", "and others"] {
        if let Some(stripped) = text.strip_suffix(marker) {
            text = stripped
                .trim_end()
                .trim_end_matches(',')
                .trim_end()
                .to_owned();
            names.others = true;
            break;
        }
    }
    if text.is_empty() {
        return names;
    }
    if is_organisation(&text) {
        names.list.push(Name::Literal { literal: text });
        return names;
    }
    let parts: Vec<&str> = split_people(&text);
    let people: Option<Vec<Name>> = parts
        .iter()
        .map(|p| if is_organisation(p) { None } else { person(p) })
        .collect();
    names.list = match people {
        Some(people) if !people.is_empty() => people,
        _ => vec![Name::Literal { literal: text }],
    };
    names
}

/// "A, B and C" → ["A", "B", "C"]; also "A & B", "A; B".
fn split_people(text: &str) -> Vec<&str> {
    text.split([';', ','])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" & "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// A person's name, if `text` looks like one.
fn person(text: &str) -> Option<Name> {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    let suffix = match words.last() {
        Some(last) if words.len() > 2 && SUFFIXES.contains(last) => {
            let s = (*last).to_owned();
            words.pop();
            Some(s)
        }
        _ => None,
    };
    if !(2..=5).contains(&words.len()) {
        return None;
    }
    for (i, w) in words.iter().enumerate() {
        let lower = w.to_lowercase();
        let first = w.chars().next()?;
        let acronym = w.chars().filter(|c| c.is_uppercase()).count() >= 2
            && w.chars().all(|c| c.is_uppercase() || c == '.');
        let initial = w.chars().count() <= 2 && first.is_uppercase();
        let particle = i > 0 && i + 1 < words.len() && PARTICLES.contains(&lower.as_str());
        let word = first.is_uppercase()
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
            && !w[first.len_utf8()..].contains('.');
        let initials = w.split('.').all(|p| p.chars().count() <= 1) && first.is_uppercase();
        if ORGANISATION_WORDS.contains(&lower.trim_end_matches('.')) {
            return None;
        }
        if acronym && !initials {
            return None;
        }
        if !(particle || initial || word || initials) {
            return None;
        }
    }
    // The family name: from the first particle after the given names, else the last word.
    let split = (1..words.len())
        .find(|&i| PARTICLES.contains(&words[i].to_lowercase().as_str()) && i + 1 < words.len())
        .unwrap_or(words.len() - 1);
    Some(Name::Person {
        given: words[..split].join(" "),
        family: words[split..].join(" "),
        suffix,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no(_: &str) -> bool {
        false
    }

    fn person(given: &str, family: &str) -> Name {
        Name::Person {
            given: given.into(),
            family: family.into(),
            suffix: None,
        }
    }

    fn literal(text: &str) -> Name {
        Name::Literal {
            literal: text.into(),
        }
    }

    #[test]
    fn people_are_split_on_and_and_commas() {
        let names = parse("William Ury, Jeanne Brett and Stephen Goldberg", &no);
        assert_eq!(
            names.list,
            [
                person("William", "Ury"),
                person("Jeanne", "Brett"),
                person("Stephen", "Goldberg")
            ]
        );
        assert_eq!(
            parse("Charles A. Kupchan and Clifford A. Kupchan", &no).list[1],
            person("Clifford A.", "Kupchan")
        );
    }

    #[test]
    fn organisations_stay_whole() {
        for org in [
            "Conflict Research Consortium, University of Colorado",
            "United States Institute of Peace",
            "BBC News",
            "Sister Cities of Nashville",
            "Encyclopedia.com",
            "UN General Assembly",
        ] {
            assert_eq!(parse(org, &no).list, [literal(org)], "{org}");
        }
        let known = |n: &str| n == "Beyond Intractability";
        assert_eq!(
            parse("Beyond Intractability", &known).list,
            [literal("Beyond Intractability")]
        );
    }

    #[test]
    fn editors_others_particles_and_suffixes_are_recognised() {
        let eds = parse("Emanuel Adler and Michael Barnett (eds.)", &no);
        assert!(eds.editors && eds.list.len() == 2);
        let many = parse("Karl W. Deutsch et al.", &no);
        assert!(many.others && many.list == [person("Karl W.", "Deutsch")]);
        assert_eq!(
            parse("Javier Pérez de Cuéllar", &no).list,
            [person("Javier Pérez", "de Cuéllar")]
        );
        assert_eq!(
            parse("Joseph S. Nye Jr.", &no).list,
            [Name::Person {
                given: "Joseph S.".into(),
                family: "Nye".into(),
                suffix: Some("Jr.".into())
            }]
        );
        assert_eq!(parse("Kofi Annan", &no).list[0].key_word(), "annan");
        assert_eq!(
            parse("Javier Pérez de Cuéllar", &no).list[0].key_word(),
            "cuellar"
        );
    }
}
