//! Relation types: the kinds of link a knowledge base declares in its `.otpic.toml`.
//!
//! Invariants: the two built-in relations (`related_approaches`,
//! `related_problems`) always come first; the others follow in the order they
//! were first declared, source by source. A relation declared again (in a later
//! knowledge base) keeps its place and takes the later declaration. A name used
//! in `[links]` but declared nowhere still works, with a label made from its name.
//! A broken declaration file never stops entries loading: its problems are
//! diagnostics, and what could be read of it is used.

use crate::diagnostic::{Diagnostic, Position};
use crate::entry::{RELATED_APPROACHES, RELATED_PROBLEMS};
use crate::source::{self, Source};
use toml::de::{DeTable, DeValue};

/// Keys of a `[relations.NAME]` table.
const RELATION_KEYS: &[&str] = &["label", "inverse", "targets", "symmetric"];

/// One relation type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationType {
    /// The key used in `[links]`.
    pub name: String,
    /// The heading on the entry that holds the link.
    pub label: String,
    /// The heading on the entry the link points to (its backlinks of this type).
    pub inverse: Option<String>,
    /// The kinds a target should have (empty: any).
    pub targets: Vec<String>,
    /// Shown on both ends under one label.
    pub symmetric: bool,
    /// The file that declared it last (`None`: built in).
    pub file: Option<String>,
    /// Where in that file its table and its inverse are.
    pub at: Option<Position>,
    pub inverse_at: Option<Position>,
}

impl RelationType {
    fn builtin(name: &str, label: &str) -> RelationType {
        RelationType {
            name: name.to_owned(),
            label: label.to_owned(),
            inverse: None,
            targets: Vec::new(),
            symmetric: false,
            file: None,
            at: None,
            inverse_at: None,
        }
    }

    /// Whether two declarations say the same thing (wherever they are).
    fn same_as(&self, other: &RelationType) -> bool {
        (&self.label, &self.inverse, &self.targets, self.symmetric)
            == (
                &other.label,
                &other.inverse,
                &other.targets,
                other.symmetric,
            )
    }
}

/// The relation types of one or more knowledge bases, merged.
#[derive(Debug, Clone)]
pub struct Relations {
    types: Vec<RelationType>,
    /// Errors in the declaration files (syntax, unknown keys, wrong types, an
    /// inverse label that clashes): printed by every command, errors for `check`.
    pub problems: Vec<Diagnostic>,
    /// The same relation declared differently by two files: warnings for `check`.
    pub conflicts: Vec<Diagnostic>,
}

impl Default for Relations {
    fn default() -> Self {
        Relations {
            types: vec![
                RelationType::builtin(RELATED_APPROACHES, "Related approaches"),
                RelationType::builtin(RELATED_PROBLEMS, "Related problems"),
            ],
            problems: Vec::new(),
            conflicts: Vec::new(),
        }
    }
}

impl Relations {
    /// The declarations of `sources`, in order (a later one wins): the built-in
    /// knowledge base's, and each directory's `.otpic.toml` when it has one.
    pub fn load(sources: &[Source]) -> Relations {
        let mut relations = Relations::default();
        for s in sources {
            match s {
                Source::Embedded => {
                    if let Some(text) = source::embedded_relations() {
                        relations.add_file(&source::embedded_display(source::RELATIONS_FILE), text);
                    }
                }
                Source::Dir(dir) => {
                    let path = dir.join(source::RELATIONS_FILE);
                    match std::fs::read_to_string(&path) {
                        Ok(text) => relations.add_file(&path.display().to_string(), &text),
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => relations.problems.push(Diagnostic::error(
                            path.display().to_string(),
                            None,
                            format!("cannot read relation types: {}", crate::error::describe(&e)),
                        )),
                    }
                }
            }
        }
        relations.check_inverses();
        relations
    }

    /// Adds the declarations of one file (`file` names it in messages).
    pub fn add_file(&mut self, file: &str, text: &str) {
        let table = match DeTable::parse(text) {
            Ok(t) => t,
            Err(err) => {
                let at = err.span().map(|s| Position::at(text, s.start));
                let message = err.message().lines().next().unwrap_or("").trim();
                self.problems.push(Diagnostic::error(
                    file,
                    at,
                    message.trim_end_matches('.').to_owned(),
                ));
                return;
            }
        };
        let lines = crate::diagnostic::Lines::new(text);
        let pos = |span: std::ops::Range<usize>| Some(lines.at(span.start));
        let mut top: Vec<_> = table.get_ref().iter().collect();
        top.sort_by_key(|(k, _)| k.span().start);
        for (key, value) in top {
            if key.get_ref() != "relations" {
                self.problems.push(Diagnostic::error(
                    file,
                    pos(key.span()),
                    format!(
                        "unknown key \"{}\": this file holds only [relations.NAME] tables",
                        key.get_ref()
                    ),
                ));
                continue;
            }
            let DeValue::Table(relations) = value.get_ref() else {
                self.problems.push(Diagnostic::error(
                    file,
                    pos(value.span()),
                    "\"relations\" should be a table of [relations.NAME] tables",
                ));
                continue;
            };
            // The table is a map: put it back in file order.
            let mut relations: Vec<_> = relations.iter().collect();
            relations.sort_by_key(|(k, _)| k.span().start);
            for (name, body) in relations {
                let name_text = name.get_ref().trim().to_owned();
                let DeValue::Table(fields) = body.get_ref() else {
                    self.problems.push(Diagnostic::error(
                        file,
                        pos(body.span()),
                        format!("relation \"{name_text}\" should be a table"),
                    ));
                    continue;
                };
                let mut r = RelationType::builtin(&name_text, &derived_label(&name_text));
                r.file = Some(file.to_owned());
                r.at = pos(name.span());
                if let Some(old) = self.get(&name_text).filter(|o| o.file.is_none()) {
                    r.label = old.label.clone();
                }
                let mut wrong = |span: std::ops::Range<usize>, what: &str| {
                    self.problems.push(Diagnostic::error(
                        file,
                        pos(span),
                        format!("relation \"{name_text}\": {what}"),
                    ));
                };
                let mut fields: Vec<_> = fields.iter().collect();
                fields.sort_by_key(|(k, _)| k.span().start);
                for (k, v) in fields {
                    match (k.get_ref().as_ref(), v.get_ref()) {
                        ("label", DeValue::String(s)) if !s.trim().is_empty() => {
                            r.label = s.trim().to_owned()
                        }
                        ("label", _) => wrong(v.span(), "\"label\" should be a non-empty string"),
                        ("inverse", DeValue::String(s)) if !s.trim().is_empty() => {
                            r.inverse = Some(s.trim().to_owned());
                            r.inverse_at = pos(v.span());
                        }
                        ("inverse", _) => {
                            wrong(v.span(), "\"inverse\" should be a non-empty string")
                        }
                        ("symmetric", DeValue::Boolean(b)) => r.symmetric = *b,
                        ("symmetric", _) => {
                            wrong(v.span(), "\"symmetric\" should be true or false")
                        }
                        ("targets", DeValue::Array(items)) => {
                            for item in items {
                                match item.get_ref() {
                                    DeValue::String(s) if !s.trim().is_empty() => {
                                        r.targets.push(s.trim().to_lowercase())
                                    }
                                    _ => wrong(
                                        item.span(),
                                        "\"targets\" should be a list of kinds (strings)",
                                    ),
                                }
                            }
                        }
                        ("targets", _) => {
                            wrong(v.span(), "\"targets\" should be a list of kinds (strings)")
                        }
                        (other, _) => wrong(
                            k.span(),
                            &format!(
                                "unknown key \"{other}\" (expected {})",
                                RELATION_KEYS.join(", ")
                            ),
                        ),
                    }
                }
                if r.symmetric && r.inverse.is_some() {
                    self.problems.push(Diagnostic::error(
                        file,
                        r.inverse_at,
                        format!(
                            "relation \"{name_text}\" is symmetric, so it has no inverse; \"inverse\" is ignored"
                        ),
                    ));
                    r.inverse = None;
                }
                self.declare(r);
            }
        }
    }

    /// Adds or replaces a relation, noting a conflicting earlier declaration.
    fn declare(&mut self, r: RelationType) {
        match self.types.iter_mut().find(|t| t.name == r.name) {
            Some(old) => {
                if let Some(old_file) = &old.file
                    && !old.same_as(&r)
                {
                    self.conflicts.push(Diagnostic::warning(
                        r.file.clone().unwrap_or_default(),
                        r.at,
                        format!(
                            "relation \"{}\" is declared differently in {old_file}; this declaration wins",
                            r.name
                        ),
                    ));
                }
                *old = r;
            }
            None => self.types.push(r),
        }
    }

    /// Errors for an inverse label that is another relation's label or inverse
    /// (the two kinds of backlink would be shown under one heading).
    fn check_inverses(&mut self) {
        for (i, r) in self.types.iter().enumerate() {
            let Some(inverse) = &r.inverse else { continue };
            let clash = self.types.iter().enumerate().find(|(j, o)| {
                *j != i
                    && (o.label.eq_ignore_ascii_case(inverse)
                        || o.inverse
                            .as_ref()
                            .is_some_and(|x| x.eq_ignore_ascii_case(inverse)))
            });
            if let Some((_, other)) = clash {
                self.problems.push(Diagnostic::error(
                    r.file.clone().unwrap_or_default(),
                    r.inverse_at,
                    format!(
                        "relation \"{}\": inverse label \"{inverse}\" is also a label of relation \"{}\"; choose another",
                        r.name, other.name
                    ),
                ));
            }
        }
    }

    /// The declared relations (and the built-ins), in order.
    pub fn declared(&self) -> &[RelationType] {
        &self.types
    }

    pub fn get(&self, name: &str) -> Option<&RelationType> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The heading of a relation's links: declared, or made from the name.
    pub fn label(&self, name: &str) -> String {
        self.get(name)
            .map_or_else(|| derived_label(name), |t| t.label.clone())
    }

    /// The heading of a relation's backlinks, when it has one (an inverse, or
    /// its own label when symmetric).
    pub fn inverse_label(&self, name: &str) -> Option<&str> {
        let t = self.get(name)?;
        if t.symmetric {
            Some(&t.label)
        } else {
            t.inverse.as_deref()
        }
    }

    pub fn is_symmetric(&self, name: &str) -> bool {
        self.get(name).is_some_and(|t| t.symmetric)
    }

    /// Sort key of a relation: declared ones in declaration order, then the
    /// others by name.
    pub fn rank<'a>(&self, name: &'a str) -> (usize, &'a str) {
        let at = self.types.iter().position(|t| t.name == name);
        (at.unwrap_or(self.types.len()), name)
    }
}

/// A label made from a relation's name: `part_of` → "Part of".
pub fn derived_label(name: &str) -> String {
    let words = name.replace(['_', '-'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Relations {
        let mut r = Relations::default();
        r.add_file("k/.otpic.toml", text);
        r.check_inverses();
        r
    }

    #[test]
    fn built_ins_come_first_then_declaration_order() {
        let r = parse(
            "[relations.zeta]\nlabel = \"Z\"\n[relations.alpha]\nlabel = \"A\"\ninverse = \"Back A\"\n",
        );
        let names: Vec<_> = r.declared().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["related_approaches", "related_problems", "zeta", "alpha"]
        );
        assert_eq!(r.inverse_label("alpha"), Some("Back A"));
        assert!(r.rank("zeta") < r.rank("alpha"));
        assert!(r.rank("alpha") < r.rank("undeclared"));
    }

    #[test]
    fn undeclared_relations_get_a_label_from_their_name() {
        assert_eq!(Relations::default().label("part_of"), "Part of");
        assert_eq!(
            Relations::default().label("related_problems"),
            "Related problems"
        );
    }

    #[test]
    fn a_syntax_error_is_reported_with_line_and_column() {
        let r = parse("[relations.a]\nlabel = \n");
        assert_eq!(r.problems.len(), 1);
        assert_eq!(
            (r.problems[0].line, r.problems[0].column),
            (Some(2), Some(9))
        );
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_errors_and_the_rest_is_kept() {
        let r = parse("[relations.a]\nlabel = 3\ncolour = \"red\"\ninverse = \"Back\"\n");
        let messages: Vec<_> = r.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("\"label\" should be"), "{messages:?}");
        assert!(
            messages[1].contains("unknown key \"colour\""),
            "{messages:?}"
        );
        assert_eq!(r.problems[1].line, Some(3));
        assert_eq!(r.label("a"), "A");
        assert_eq!(r.inverse_label("a"), Some("Back"));
    }

    #[test]
    fn an_inverse_that_is_another_label_is_an_error() {
        let r =
            parse("[relations.a]\nlabel = \"A\"\ninverse = \"B\"\n[relations.b]\nlabel = \"B\"\n");
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].line, Some(3));
    }

    #[test]
    fn a_later_different_declaration_wins_with_a_warning() {
        let mut r = Relations::default();
        r.add_file("one", "[relations.a]\nlabel = \"A\"\n");
        r.add_file("two", "[relations.a]\nlabel = \"Another A\"\n");
        r.add_file("three", "[relations.a]\nlabel = \"Another A\"\n");
        assert_eq!(r.label("a"), "Another A");
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(r.conflicts[0].file, "two");
    }

    /// Each directory's `.otpic.toml`, in order: a later one wins, a missing one
    /// is no problem, one that cannot be read is; inverse clashes are checked
    /// across all of them.
    #[test]
    fn load_reads_each_directory_s_file_in_order() {
        let dirs: Vec<tempfile::TempDir> = (0..4)
            .map(|_| tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")))
            .collect();
        let file = |d: usize| dirs[d].path().join(source::RELATIONS_FILE);
        let write = |d: usize, text: &str| {
            std::fs::write(file(d), text).unwrap_or_else(|e| panic!("{e}"));
        };
        write(
            0,
            "[relations.part_of]\nlabel = \"Part of\"\ninverse = \"Parts\"\n",
        );
        write(
            1,
            "[relations.part_of]\nlabel = \"Within\"\ninverse = \"Parts\"\n[relations.has]\nlabel = \"Parts\"\n",
        );
        // dirs[2] has none; in dirs[3] a folder stands where the file should be.
        std::fs::create_dir(file(3)).unwrap_or_else(|e| panic!("{e}"));
        let sources: Vec<Source> = dirs
            .iter()
            .map(|d| Source::Dir(d.path().to_owned()))
            .collect();
        let r = Relations::load(&sources);
        let names: Vec<_> = r.declared().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["related_approaches", "related_problems", "part_of", "has"]
        );
        assert_eq!(r.label("part_of"), "Within");
        let second = file(1).display().to_string();
        assert_eq!(r.conflicts.len(), 1, "{:?}", r.conflicts);
        assert_eq!(r.conflicts[0].file, second);
        let problems: Vec<(&str, &str)> = r
            .problems
            .iter()
            .map(|p| (p.file.as_str(), p.message.as_str()))
            .collect();
        let third = file(3).display().to_string();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].0, third);
        assert!(
            problems[0].1.starts_with("cannot read relation types: "),
            "{problems:?}"
        );
        assert_eq!(problems[1].0, second);
        assert!(
            problems[1].1.contains("inverse label \"Parts\""),
            "{problems:?}"
        );
    }

    /// A blank label, inverse or target is an error, not a heading with no text.
    #[test]
    fn blank_strings_are_errors() {
        let r =
            parse("[relations.a]\nlabel = \" \"\ninverse = \"  \"\ntargets = [\"\", \"Method\"]\n");
        let messages: Vec<_> = r.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "relation \"a\": \"label\" should be a non-empty string",
                "relation \"a\": \"inverse\" should be a non-empty string",
                "relation \"a\": \"targets\" should be a list of kinds (strings)",
            ]
        );
        assert_eq!(r.label("a"), "A");
        assert_eq!(r.inverse_label("a"), None);
        assert_eq!(
            r.get("a").map(|t| t.targets.clone()),
            Some(vec!["method".to_owned()])
        );
    }
}
