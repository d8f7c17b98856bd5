//! The validated entry that the rest of otpic works with, built from a [`RawEntry`].

use crate::diagnostic::{Diagnostic, Position};
use crate::name;
use crate::raw::{self, RawEntry, RawProvenance, RawWork, Year};
use serde::Serialize;

/// The kind an entry has when its file does not say.
pub const DEFAULT_KIND: &str = "concept";

/// A concept, approach, problem, organization or case, ready to show.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub summary: Option<String>,
    pub definition: String,
    pub aliases: Vec<Located>,
    pub tags: Vec<String>,
    pub related_approaches: Vec<Located>,
    pub related_problems: Vec<Located>,
    /// The `[links]` table, by relation name (sorted).
    pub links: Vec<Links>,
    /// The links the original OTPIC page had (`original_links`), kept apart from
    /// the typed links: they are checked like links but not shown as relations.
    pub original_links: Vec<Located>,
    pub examples: Vec<Work>,
    pub sources: Vec<Work>,
    pub provenance: Option<Provenance>,
    /// The file it was read from, as shown in messages.
    pub file: String,
    /// The file's path; `None` for an entry of the built-in knowledge base.
    pub path: Option<std::path::PathBuf>,
    /// Where the title is, for `check` messages about it.
    pub title_at: Option<Position>,
    /// Problems in this file that do not stop it loading (unknown fields, empty text…),
    /// reported by `check`.
    pub notes: Vec<Diagnostic>,
}

/// A string from the file with its position, for links and aliases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub text: String,
    pub at: Option<Position>,
}

/// The links of one relation in an entry's `[links]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// The relation's name, as the key in `[links]`.
    pub relation: String,
    /// Where the key is.
    pub at: Option<Position>,
    pub targets: Vec<Located>,
}

/// The built-in relation of the top-level `related_approaches` field.
pub const RELATED_APPROACHES: &str = "related_approaches";
/// The built-in relation of the top-level `related_problems` field.
pub const RELATED_PROBLEMS: &str = "related_problems";

/// How text output marks a work the original OTPIC page listed (`original = true`).
pub const ORIGINAL_MARK: &str = "(original OTPIC)";

/// A work cited as an example or a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Work {
    pub title: String,
    pub author: Option<String>,
    pub year: Option<Year>,
    pub description: Option<String>,
    pub url: Option<String>,
    /// Listed on the original OTPIC page (`original = true`).
    pub original: bool,
}

/// Where an entry's material comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    pub from: Option<String>,
    pub publisher: Option<String>,
    pub year: Option<Year>,
    pub url: Option<String>,
}

/// Which link list a link comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    Approach,
    Problem,
    ReferencedBy,
}

impl Entry {
    /// Reads the entry `id` from the text of `file`. An error means the entry cannot
    /// be loaded at all (bad TOML, a wrong type, a missing required field).
    pub fn parse(id: &str, file: &str, text: &str) -> Result<Entry, Diagnostic> {
        // Every command skips such a file alike (and `check` reports it): an id
        // that is not a valid file stem cannot be linked to or edited reliably.
        if !name::is_valid_id(id) {
            return Err(Diagnostic::error(
                file,
                None,
                format!(
                    "\"{id}\" is not a valid id, so the file is skipped: name it in lowercase kebab-case, like \"{}.toml\"",
                    suggest_id(id)
                ),
            ));
        }
        if text.trim().is_empty() {
            return Err(Diagnostic::error(
                file,
                None,
                "file is empty: an entry needs at least a title and a definition",
            ));
        }
        let parsed = raw::parse(text).map_err(|err| {
            let at = err.span().map(|span| Position::at(text, span.start));
            Diagnostic::error(file, at, toml_message(&err))
        })?;
        let mut notes: Vec<Diagnostic> = parsed
            .unknown
            .iter()
            .map(|u| {
                let at = Position::at(text, u.span.start);
                Diagnostic::warning(
                    file,
                    Some(at),
                    format!("unknown field \"{}\" is ignored", u.name),
                )
            })
            .collect();
        let RawEntry {
            title,
            definition,
            kind,
            summary,
            aliases,
            tags,
            related_approaches,
            related_problems,
            links,
            original_links,
            examples,
            sources,
            provenance,
        } = parsed.entry;
        let lines = crate::diagnostic::Lines::new(text);
        let at = |span: std::ops::Range<usize>| Some(lines.at(span.start));
        let (title, definition) = match (title, definition) {
            (Some(title), Some(definition)) => (title, definition),
            (title, definition) => {
                let missing = match (title.is_none(), definition.is_none()) {
                    (true, true) => "missing required fields \"title\" and \"definition\"",
                    (true, false) => "missing required field \"title\"",
                    _ => "missing required field \"definition\"",
                };
                return Err(Diagnostic::error(file, None, missing));
            }
        };
        let title_at = at(title.span());
        let title = title.into_inner().trim().to_owned();
        if title.is_empty() {
            return Err(Diagnostic::error(file, title_at, "\"title\" is empty"));
        }
        if definition.get_ref().trim().is_empty() {
            notes.push(Diagnostic::warning(
                file,
                at(definition.span()),
                "\"definition\" is empty",
            ));
        }
        let summary = match summary {
            Some(s) if s.get_ref().trim().is_empty() => {
                notes.push(Diagnostic::warning(
                    file,
                    at(s.span()),
                    "\"summary\" is empty",
                ));
                None
            }
            Some(s) => Some(s.into_inner().trim().to_owned()),
            None => None,
        };
        let locate = |items: Vec<toml::Spanned<String>>| {
            items
                .into_iter()
                .map(|s| Located {
                    at: at(s.span()),
                    text: s.into_inner().trim().to_owned(),
                })
                .filter(|l| !l.text.is_empty())
                .collect::<Vec<_>>()
        };
        let kind = kind
            .map(|k| k.trim().to_lowercase())
            .filter(|k| !k.is_empty());
        Ok(Entry {
            id: id.to_owned(),
            title,
            kind: kind.unwrap_or_else(|| DEFAULT_KIND.to_owned()),
            summary,
            definition: definition.into_inner().trim().to_owned(),
            aliases: locate(aliases),
            tags: tags
                .into_iter()
                .map(|t| t.trim().to_lowercase())
                .filter(|t| !t.is_empty())
                .collect(),
            related_approaches: locate(related_approaches),
            related_problems: locate(related_problems),
            links: links
                .into_iter()
                .map(|(relation, targets)| Links {
                    at: parsed
                        .link_keys
                        .iter()
                        .find(|(k, _)| *k == relation)
                        .and_then(|(_, span)| at(span.clone())),
                    relation: relation.trim().to_owned(),
                    targets: locate(targets),
                })
                .filter(|l| !l.relation.is_empty() && !l.targets.is_empty())
                .collect(),
            original_links: locate(original_links),
            examples: examples.into_iter().map(Work::from).collect(),
            sources: sources.into_iter().map(Work::from).collect(),
            provenance: provenance.map(Provenance::from),
            file: file.to_owned(),
            path: None,
            title_at,
            notes,
        })
    }

    /// Every link with its relation's name: `related_approaches`, then
    /// `related_problems`, then the `[links]` table by relation name.
    pub fn typed_links(&self) -> impl Iterator<Item = (&str, &Located)> {
        let approaches = self
            .related_approaches
            .iter()
            .map(|l| (RELATED_APPROACHES, l));
        let problems = self.related_problems.iter().map(|l| (RELATED_PROBLEMS, l));
        let table = self
            .links
            .iter()
            .flat_map(|l| l.targets.iter().map(move |t| (l.relation.as_str(), t)));
        approaches.chain(problems).chain(table)
    }

    /// The links of one relation (`ReferencedBy` has none: backlinks live in the knowledge base).
    pub fn links(&self, relation: Relation) -> &[Located] {
        match relation {
            Relation::Approach => &self.related_approaches,
            Relation::Problem => &self.related_problems,
            Relation::ReferencedBy => &[],
        }
    }
}

/// The id a badly named file could have had, for the hint in the message.
pub fn suggest_id(stem: &str) -> String {
    let folded: String = name::normalize(stem)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    folded
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The parser's message on one line, without its own position and snippet
/// (the caller puts `file:line:column` in front).
fn toml_message(err: &toml::de::Error) -> String {
    let message = err.message().trim();
    let first = message.lines().next().unwrap_or(message);
    first.trim_end_matches('.').to_owned()
}

fn opt(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl From<RawWork> for Work {
    fn from(w: RawWork) -> Self {
        Work {
            title: w.title.trim().to_owned(),
            author: opt(w.author),
            year: w.year,
            description: opt(w.description),
            url: opt(w.url),
            original: w.original.unwrap_or(false),
        }
    }
}

impl From<RawProvenance> for Provenance {
    fn from(p: RawProvenance) -> Self {
        Provenance {
            from: opt(p.from),
            publisher: opt(p.publisher),
            year: p.year,
            url: opt(p.url),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Entry, Diagnostic> {
        Entry::parse("x", "dir/x.toml", text)
    }

    #[test]
    fn a_minimal_entry_gets_the_default_kind() {
        let e = parse("title = \"X\"\ndefinition = \"D\"\n");
        assert!(
            matches!(e, Ok(ref e) if e.kind == "concept" && e.title == "X" && e.summary.is_none())
        );
    }

    #[test]
    fn a_missing_title_names_the_field_but_no_line() {
        let err = parse("definition = \"D\"\n").err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some("dir/x.toml: error: missing required field \"title\"".into())
        );
    }

    #[test]
    fn a_syntax_error_names_line_and_column() {
        let err = parse("title = \"X\"\ndefinition = \n").err();
        let Some(err) = err else {
            panic!("expected an error")
        };
        assert_eq!((err.line, err.column), (Some(2), Some(14)));
    }

    #[test]
    fn a_wrong_type_points_at_the_value() {
        let err = parse("title = \"X\"\ndefinition = \"D\"\naliases = [1]\n").err();
        let Some(err) = err else {
            panic!("expected an error")
        };
        assert_eq!((err.line, err.column), (Some(3), Some(12)));
        assert!(err.message.contains("string"), "{}", err.message);
    }

    #[test]
    fn links_keep_their_positions() {
        let e = parse("title = \"X\"\ndefinition = \"D\"\nrelated_problems = [\"a\", \"b\"]\n");
        let Ok(e) = e else { panic!("{e:?}") };
        assert_eq!(
            e.related_problems[1].at,
            Some(Position {
                line: 3,
                column: 26
            })
        );
    }

    #[test]
    fn typed_links_come_built_ins_first_then_by_relation_name() {
        let e = parse(
            "title = \"X\"\ndefinition = \"D\"\nrelated_problems = [\"p\"]\n[links]\nsee_also = [\"s\"]\nbroader = [\"b\"]\n",
        );
        let Ok(e) = e else { panic!("{e:?}") };
        let links: Vec<_> = e.typed_links().map(|(r, l)| (r, l.text.as_str())).collect();
        assert_eq!(
            links,
            [
                ("related_problems", "p"),
                ("broader", "b"),
                ("see_also", "s")
            ]
        );
        assert_eq!(e.links[0].at, Some(Position { line: 6, column: 1 }));
    }

    #[test]
    fn bad_ids_are_refused_with_a_suggestion() {
        let e = Entry::parse(
            "Peace Zones",
            "Peace Zones.toml",
            "title = \"X\"\ndefinition = \"D\"\n",
        );
        let Err(d) = e else { panic!("{e:?}") };
        assert!(d.message.contains("\"peace-zones.toml\""), "{}", d.message);
    }
}
