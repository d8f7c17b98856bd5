//! The knowledge base: entries from every source, their names, links and backlinks.
//!
//! Invariants: `entries` is sorted by id and holds one entry per id (a later
//! source replaces an earlier one); every name in `names` is normalized with
//! [`name::normalize`]; `targets[i]` parallels entry `i`'s link lists.

use crate::diagnostic::Diagnostic;
use crate::entry::{Entry, Relation};
use crate::error::Result;
use crate::name;
use crate::precedence::{self, Claim};
use crate::source::Source;
use std::collections::HashMap;

/// How a name belongs to an entry; lower is stronger when names collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameKind {
    Id,
    Title,
    Alias,
}

/// An entry index with the kind of name that reached it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameRef {
    pub index: usize,
    pub kind: NameKind,
}

/// An entry's resolved links, parallel to [`Entry::typed_links`].
type Targets = Vec<Option<usize>>;

#[derive(Debug, Default)]
pub struct KnowledgeBase {
    pub entries: Vec<Entry>,
    /// Normalized id, title or alias → the entries it names, strongest first.
    names: HashMap<String, Vec<NameRef>>,
    /// For each entry, its resolved links, parallel to [`Entry::typed_links`].
    targets: Vec<Targets>,
    /// For each entry, the entries that link to it, sorted by id.
    backlinks: Vec<Vec<usize>>,
    /// Problems met while loading: files that could not be read or parsed, duplicates.
    pub problems: Vec<Diagnostic>,
    /// The relation types the sources declare.
    pub relations: crate::relation::Relations,
}

impl KnowledgeBase {
    /// Loads every source in order; a later source overrides an earlier one on the same id.
    /// Files are read and parsed on two threads, one at a time, so that no more
    /// than the entries themselves is held in memory.
    pub fn load(sources: &[Source]) -> Result<KnowledgeBase> {
        // Every file, knowledge base by knowledge base in read order: (id,
        // source, name for messages, entry or problem).
        let mut files: Vec<(String, u32, String, Result<Entry, Diagnostic>)> = Vec::new();
        let mut walk_problems: Vec<Vec<Diagnostic>> = Vec::with_capacity(sources.len());
        for (s, source) in sources.iter().enumerate() {
            let s = s as u32;
            match source {
                Source::Embedded => {
                    walk_problems.push(Vec::new());
                    files.extend(crate::source::embedded_files().iter().map(|(rel, text)| {
                        let id = crate::source::stem(rel);
                        let display = crate::source::embedded_display(rel);
                        let entry = Entry::parse(id, &display, text);
                        (id.to_owned(), s, display, entry)
                    }));
                }
                Source::Dir(dir) => {
                    let (paths, walked) = crate::walk::entry_paths(dir)?;
                    walk_problems.push(walked);
                    files.extend(
                        parse_files(&paths)
                            .into_iter()
                            .map(|(id, display, entry)| (id, s, display, entry)),
                    );
                }
            }
        }
        // Group the files by id (a stable sort keeps each group in read order)
        // and let the rule decide each group.
        let mut order: Vec<usize> = (0..files.len()).collect();
        order.sort_by(|&a, &b| files[a].0.cmp(&files[b].0));
        // (file, problem): the files' own problems and the duplicates.
        let mut file_problems: Vec<(usize, Diagnostic)> = Vec::new();
        let mut winners: Vec<usize> = Vec::new();
        for group in order.chunk_by(|&a, &b| files[a].0 == files[b].0) {
            let claims: Vec<Claim> = group
                .iter()
                .map(|&f| Claim {
                    source: files[f].1,
                    parsed: files[f].3.is_ok(),
                })
                .collect();
            let decision = precedence::decide(&claims);
            winners.extend(decision.winner.map(|w| group[w]));
            for (i, first) in decision.duplicates {
                let (f, first) = (group[i], group[first]);
                let d = precedence::duplicate(files[f].2.as_str(), &files[f].0, &files[first].2);
                file_problems.push((f, d));
            }
        }
        // Problems in the order they were met: each source's walk, then its
        // files in read order.
        file_problems.sort_by_key(|p| p.0);
        let mut problems = Vec::new();
        let mut next = file_problems.into_iter().peekable();
        let mut entries: Vec<Entry> = Vec::with_capacity(winners.len());
        winners.sort_unstable();
        let mut winners = winners.into_iter().peekable();
        let mut walked = walk_problems.into_iter();
        let mut source = None;
        for (f, (_, s, _, entry)) in files.into_iter().enumerate() {
            // The walk's problems come before the first file of its source.
            while source != Some(s) {
                problems.extend(walked.next().unwrap_or_default());
                source = Some(source.map_or(0, |p| p + 1));
            }
            match entry {
                Err(problem) => problems.push(problem),
                Ok(entry) if winners.next_if_eq(&f).is_some() => entries.push(entry),
                Ok(_) => {}
            }
            while let Some((_, d)) = next.next_if(|p| p.0 == f) {
                problems.push(d);
            }
        }
        problems.extend(walked.flatten());
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        let mut kb = KnowledgeBase::from_entries(entries, problems);
        kb.relations = crate::relation::Relations::load(sources);
        Ok(kb)
    }

    /// Builds the name index, resolves links and collects backlinks.
    pub fn from_entries(entries: Vec<Entry>, problems: Vec<Diagnostic>) -> KnowledgeBase {
        let mut names: HashMap<String, Vec<NameRef>> = HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
            let mut add = |text: &str, kind: NameKind| {
                let key = name::normalize(text);
                if key.is_empty() {
                    return;
                }
                let refs = names.entry(key).or_default();
                if !refs.iter().any(|r| r.index == index) {
                    refs.push(NameRef { index, kind });
                }
            };
            add(&entry.id, NameKind::Id);
            add(&entry.title, NameKind::Title);
            for alias in &entry.aliases {
                add(&alias.text, NameKind::Alias);
            }
        }
        for refs in names.values_mut() {
            refs.sort_by_key(|r| (r.kind, r.index));
        }
        let mut kb = KnowledgeBase {
            entries,
            names,
            targets: Vec::new(),
            backlinks: Vec::new(),
            problems,
            relations: Default::default(),
        };
        let targets: Vec<Targets> = kb
            .entries
            .iter()
            .map(|e| {
                e.typed_links()
                    .map(|(_, l)| kb.resolve(&l.text))
                    .collect::<Targets>()
            })
            .collect();
        let mut backlinks = vec![Vec::new(); kb.entries.len()];
        for (from, targets) in targets.iter().enumerate() {
            for &to in targets.iter().flatten() {
                if to != from && backlinks[to].last() != Some(&from) {
                    backlinks[to].push(from);
                }
            }
        }
        kb.targets = targets;
        kb.backlinks = backlinks;
        kb
    }

    /// The entry a link names (id, title or alias, compared normalized), if any.
    /// When names collide, an id wins over a title, and a title over an alias.
    pub fn resolve(&self, link: &str) -> Option<usize> {
        self.named(&name::normalize(link)).first().map(|r| r.index)
    }

    /// The entries a normalized name belongs to, strongest first.
    pub fn named(&self, normalized: &str) -> &[NameRef] {
        self.names.get(normalized).map_or(&[], Vec::as_slice)
    }

    /// Every normalized name with the entries it belongs to (for prefix and fuzzy lookup).
    pub fn names(&self) -> impl Iterator<Item = (&str, &[NameRef])> {
        self.names.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Entry `index`'s links of one relation, each with the entry it resolves to.
    pub fn links(
        &self,
        index: usize,
        relation: Relation,
    ) -> Vec<(&crate::entry::Located, Option<usize>)> {
        let name = match relation {
            Relation::Approach => crate::entry::RELATED_APPROACHES,
            Relation::Problem => crate::entry::RELATED_PROBLEMS,
            Relation::ReferencedBy => return Vec::new(),
        };
        self.typed_links(index)
            .filter(|(r, _, _)| *r == name)
            .map(|(_, l, t)| (l, t))
            .collect()
    }

    /// Entry `index`'s links of every relation: (relation name, link, target).
    pub fn typed_links(
        &self,
        index: usize,
    ) -> impl Iterator<Item = (&str, &crate::entry::Located, Option<usize>)> {
        self.entries[index]
            .typed_links()
            .zip(self.targets[index].iter().copied())
            .map(|((r, l), t)| (r, l, t))
    }

    /// The entries that link to entry `index`, sorted by id.
    pub fn backlinks(&self, index: usize) -> &[usize] {
        &self.backlinks[index]
    }

    /// A knowledge base from (id, TOML text) pairs, for unit tests.
    #[cfg(test)]
    pub(crate) fn from_toml(files: &[(&str, String)]) -> KnowledgeBase {
        let mut entries: Vec<Entry> = files
            .iter()
            .map(|(id, text)| Entry::parse(id, id, text).unwrap_or_else(|d| panic!("{d}")))
            .collect();
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        KnowledgeBase::from_entries(entries, Vec::new())
    }

    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.entries
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .ok()
    }
}

/// An entry file read: its id, its name for messages, the entry or a problem.
type Parsed = (String, String, Result<Entry, Diagnostic>);

/// Reads and parses `paths`, in order, on two threads when there are many.
fn parse_files(paths: &[std::path::PathBuf]) -> Vec<Parsed> {
    let parse = |paths: &[std::path::PathBuf]| -> Vec<Parsed> {
        paths
            .iter()
            .map(|path| {
                let file = crate::source::read_entry_file(path);
                let entry = file
                    .text
                    .and_then(|text| Entry::parse(&file.id, &file.display, &text))
                    .map(|entry| Entry {
                        path: file.path.clone(),
                        ..entry
                    });
                (file.id, file.display, entry)
            })
            .collect()
    };
    if paths.len() < 256 {
        return parse(paths);
    }
    let (a, b) = paths.split_at(paths.len() / 2);
    std::thread::scope(|s| {
        let first = s.spawn(|| parse(a));
        let second = parse(b);
        let mut all = first.join().unwrap_or_else(|_| parse(a));
        all.extend(second);
        all
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, extra: &str) -> Entry {
        let text = format!(
            "title = \"{}\"\ndefinition = \"d\"\n{extra}",
            id.replace('-', " ").to_uppercase()
        );
        match Entry::parse(id, id, &text) {
            Ok(e) => e,
            Err(d) => panic!("{d}"),
        }
    }

    fn kb(entries: Vec<Entry>) -> KnowledgeBase {
        let mut entries = entries;
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        KnowledgeBase::from_entries(entries, Vec::new())
    }

    #[test]
    fn links_resolve_by_id_title_or_alias_in_any_case_and_spacing() {
        let kb = kb(vec![
            entry(
                "a",
                "related_approaches = [\"b\", \"C ENTRY\", \"the_d\", \"nowhere\"]",
            ),
            entry("b", ""),
            entry("c-entry", ""),
            entry("d", "aliases = [\"The D\"]"),
        ]);
        let targets: Vec<_> = kb
            .links(0, Relation::Approach)
            .iter()
            .map(|(_, t)| *t)
            .collect();
        assert_eq!(targets, [Some(1), Some(2), Some(3), None]);
    }

    #[test]
    fn backlinks_list_each_linking_entry_once_and_skip_self_links() {
        let kb = kb(vec![
            entry(
                "a",
                "related_approaches = [\"c\", \"a\"]\nrelated_problems = [\"c\"]",
            ),
            entry("b", "related_problems = [\"c\"]"),
            entry("c", ""),
        ]);
        assert_eq!(kb.backlinks(2), &[0, 1]);
        assert!(kb.backlinks(0).is_empty());
    }

    #[test]
    fn typed_links_keep_their_relation_and_target() {
        let kb = kb(vec![
            entry(
                "a",
                "related_problems = [\"b\"]\n[links]\nbroader = [\"c\", \"nowhere\"]",
            ),
            entry("b", ""),
            entry("c", ""),
        ]);
        let links: Vec<_> = kb
            .typed_links(0)
            .map(|(r, l, t)| (r, l.text.as_str(), t))
            .collect();
        assert_eq!(
            links,
            [
                ("related_problems", "b", Some(1)),
                ("broader", "c", Some(2)),
                ("broader", "nowhere", None)
            ]
        );
        assert_eq!(kb.backlinks(2), &[0]);
    }

    #[test]
    fn an_id_wins_over_a_title_and_a_title_over_an_alias() {
        let kb = kb(vec![
            entry("x", "aliases = [\"y\"]"),
            entry("y", ""),
            entry("z", "aliases = [\"X\"]"),
        ]);
        assert_eq!(kb.resolve("y"), kb.by_id("y"));
        assert_eq!(kb.resolve("x"), kb.by_id("x"));
    }
}
