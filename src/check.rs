//! The linter behind `otpic check`: every problem in a knowledge base, in one pass.
//!
//! Errors: files that could not be read or parsed, missing required fields,
//! duplicate ids, invalid ids, unresolved links (with a hint when an entry is
//! really close: a link that only a prefix or a misspelling would find is
//! unresolved too), titles or aliases that two entries share. Warnings: unknown
//! fields, empty text, the placeholder definition `new` writes, links to self,
//! one-way links, orphans, relations no `.otpic.toml` declares, targets of a kind
//! their relation does not expect. Errors in a `.otpic.toml` are errors; the same
//! relation declared differently by two knowledge bases is a warning.

use crate::diagnostic::Diagnostic;
use crate::entry::{Entry, Located};
use crate::kb::{KnowledgeBase, NameKind, NameRef};
use crate::lookup::Names;
use crate::name;
use crate::relation::Relations;

/// The definition `otpic new` writes into a new entry, for the author to replace.
pub const PLACEHOLDER: &str = "Write the explanation here, in Markdown.";

/// What checking one entry needs to know of the others: the loaded knowledge
/// base (`check`) or the index (`edit`, `new`, checking the entry just written).
pub trait Graph: Names {
    /// The entry's kind.
    fn kind(&self, index: usize) -> &str;
    /// The entry a link's text names, if any.
    fn resolve(&self, text: &str) -> Option<usize>;
    /// Whether any link of entry `from` resolves to entry `to`.
    fn links_to(&self, from: usize, to: usize) -> bool;
    /// Whether any other entry links to entry `index`.
    fn has_backlinks(&self, index: usize) -> bool;
    /// The relation types the knowledge bases declare.
    fn relations(&self) -> &Relations;
}

impl Graph for KnowledgeBase {
    fn kind(&self, index: usize) -> &str {
        &self.entries[index].kind
    }
    fn resolve(&self, text: &str) -> Option<usize> {
        KnowledgeBase::resolve(self, text)
    }
    fn links_to(&self, from: usize, to: usize) -> bool {
        self.typed_links(from).any(|(_, _, t)| t == Some(to))
    }
    fn has_backlinks(&self, index: usize) -> bool {
        !self.backlinks(index).is_empty()
    }
    fn relations(&self) -> &Relations {
        &self.relations
    }
}

impl Graph for crate::index::Index {
    fn kind(&self, index: usize) -> &str {
        crate::index::Index::kind(self, index)
    }
    fn resolve(&self, text: &str) -> Option<usize> {
        crate::index::Index::resolve(self, text)
    }
    fn links_to(&self, from: usize, to: usize) -> bool {
        self.typed_links(from).any(|l| l.target == Some(to))
    }
    fn has_backlinks(&self, index: usize) -> bool {
        self.typed_backlinks(index).next().is_some()
    }
    fn relations(&self) -> &Relations {
        crate::index::Index::relations(self)
    }
}

/// "; did you mean …": the ids that lookup finds or suggests for a link's text,
/// or nothing when no entry is close.
fn did_you_mean<G: Graph + ?Sized>(kb: &G, text: &str) -> String {
    let ids: Vec<String> = match crate::lookup::find(kb, text, false) {
        Ok(found) => vec![kb.entry_id(found.index).to_owned()],
        Err(crate::error::Error::NotFound(nf)) => nf
            .candidates
            .into_iter()
            .map(|(id, _)| id)
            .take(3)
            .collect(),
        Err(_) => Vec::new(),
    };
    match ids.as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean \"{one}\"?"),
        many => format!(
            "; did you mean one of {}?",
            many.iter()
                .map(|id| format!("\"{id}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Every problem in the knowledge base, sorted by file, line and column.
pub fn check(kb: &KnowledgeBase) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = kb.problems.clone();
    out.extend(kb.relations.problems.iter().cloned());
    out.extend(kb.relations.conflicts.iter().cloned());
    for (index, e) in kb.entries.iter().enumerate() {
        check_entry(kb, index, e, &mut out);
    }
    out.extend(crate::bibliography::check(kb));
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup();
    out
}

/// Every problem in the knowledge base the index describes, as [`check`] finds
/// them in the loaded knowledge base, reading one entry at a time (on two
/// threads) and keeping of each only its problems and the works it cites: the
/// memory it needs is the index's and the problems', not the entries'.
pub fn check_index(kb: &crate::index::Index) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = kb.problems().cloned().collect();
    out.extend(kb.relations().problems.iter().cloned());
    out.extend(kb.relations().conflicts.iter().cloned());
    let check_some = |range: std::ops::Range<usize>| {
        let mut found = Vec::new();
        let mut citing = Vec::new();
        for index in range {
            match kb.parse_entry(index) {
                Ok(e) => {
                    check_entry(kb, index, &e, &mut found);
                    if !e.examples.is_empty() || !e.sources.is_empty() {
                        citing.push(works_only(e));
                    }
                }
                // Changed since the index was checked: reported as loading would.
                Err(problem) => found.push(problem),
            }
        }
        (found, citing)
    };
    let n = kb.len();
    let halves = if n < 256 {
        vec![check_some(0..n)]
    } else {
        std::thread::scope(|s| {
            let first = s.spawn(|| check_some(0..n / 2));
            let second = check_some(n / 2..n);
            let first = first.join().unwrap_or_else(|_| check_some(0..n / 2));
            vec![first, second]
        })
    };
    let mut citing = Vec::new();
    for (found, c) in halves {
        out.extend(found);
        citing.extend(c);
    }
    let citing: Vec<&Entry> = citing.iter().collect();
    out.extend(crate::bibliography::check_entries(
        &citing,
        &|name: &str| kb.resolve(name).is_some(),
    ));
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup();
    out
}

/// An entry with only what the comparison of works reads: its id, title, file
/// and works.
fn works_only(e: Entry) -> Entry {
    Entry {
        summary: None,
        definition: String::new(),
        aliases: Vec::new(),
        tags: Vec::new(),
        related_approaches: Vec::new(),
        related_problems: Vec::new(),
        links: Vec::new(),
        original_links: Vec::new(),
        provenance: None,
        notes: Vec::new(),
        ..e
    }
}

/// The problems of entry `index`, `e`, against the others in `kb`: what `check`
/// reports for it beyond the problems of loading and the knowledge-base-wide
/// comparison of works.
pub fn check_entry<G: Graph + ?Sized>(kb: &G, index: usize, e: &Entry, out: &mut Vec<Diagnostic>) {
    out.extend(e.notes.iter().cloned());
    if e.definition.trim() == PLACEHOLDER {
        out.push(Diagnostic::warning(
            &e.file,
            None,
            format!(
                "\"{}\" still has the placeholder definition `otpic new` wrote: fill it in",
                e.id
            ),
        ));
    }
    shared_names(kb, index, e, out);
    undeclared_relations(kb, e, out);
    let mut any_link = kb.has_backlinks(index);
    for (relation, link) in e.typed_links() {
        any_link = true;
        let target = kb.resolve(&link.text);
        match target {
            None => out.push(unresolved(kb, &e.file, link)),
            Some(t) if t == index => out.push(Diagnostic::warning(
                &e.file,
                link.at,
                format!("link \"{}\" points to the entry itself", link.text),
            )),
            Some(t) => {
                target_kind(kb, e, relation, link, t, out);
                // The backlink is the reciprocal of a symmetric relation or one
                // with an inverse; other links should be answered by a link back.
                let answered = kb.relations().is_symmetric(relation)
                    || kb.relations().inverse_label(relation).is_some()
                    || kb.links_to(t, index);
                if !answered {
                    out.push(Diagnostic::warning(
                        &e.file,
                        link.at,
                        format!(
                            "one-way link: \"{}\" links to \"{}\", which does not link back",
                            e.id,
                            kb.entry_id(t)
                        ),
                    ));
                }
            }
        }
    }
    for link in &e.original_links {
        if kb.resolve(&link.text).is_none() {
            out.push(unresolved(kb, &e.file, link));
        }
    }
    if !any_link && kb.entry_count() > 1 {
        out.push(Diagnostic::warning(
            &e.file,
            None,
            format!(
                "\"{}\" is an orphan: no links to or from other entries",
                e.id
            ),
        ));
    }
}

/// A link that names no entry: a warning when it is close to one, else an error.
fn unresolved<G: Graph + ?Sized>(kb: &G, file: &str, link: &Located) -> Diagnostic {
    // Links resolve by exact name only, in every command: a link that a prefix or
    // a misspelling would find is still unresolved.
    Diagnostic::error(
        file,
        link.at,
        format!(
            "unresolved link \"{}\": no entry has that id, title or alias{}",
            link.text,
            did_you_mean(kb, &link.text)
        ),
    )
}

/// Warnings for the relations of entry `index`'s `[links]` that no `.otpic.toml` declares.
fn undeclared_relations<G: Graph + ?Sized>(kb: &G, e: &Entry, out: &mut Vec<Diagnostic>) {
    for links in &e.links {
        if kb.relations().get(&links.relation).is_none() {
            out.push(Diagnostic::warning(
                &e.file,
                links.at,
                format!(
                    "relation \"{}\" is not declared in a .otpic.toml; it is shown as \"{}\"",
                    links.relation,
                    kb.relations().label(&links.relation)
                ),
            ));
        }
    }
}

/// A warning when the target of a link is not of a kind its relation expects.
fn target_kind<G: Graph + ?Sized>(
    kb: &G,
    e: &Entry,
    relation: &str,
    link: &Located,
    target: usize,
    out: &mut Vec<Diagnostic>,
) {
    let Some(r) = kb.relations().get(relation) else {
        return;
    };
    let kind = kb.kind(target);
    if r.targets.is_empty() || r.targets.iter().any(|t| t == kind) {
        return;
    }
    out.push(Diagnostic::warning(
        &e.file,
        link.at,
        format!(
            "\"{}\" links to \"{}\" as {relation}, but \"{}\" is of kind \"{kind}\"; {relation} expects {}",
            e.id,
            kb.entry_id(target),
            kb.entry_id(target),
            r.targets.join(" or ")
        ),
    ));
}

/// Errors for a title or alias of entry `index` that another entry also answers to,
/// which makes a link by that name ambiguous.
fn shared_names<G: Graph + ?Sized>(kb: &G, index: usize, e: &Entry, out: &mut Vec<Diagnostic>) {
    let mut names = vec![(e.title.as_str(), e.title_at, "title")];
    names.extend(e.aliases.iter().map(|a| (a.text.as_str(), a.at, "alias")));
    for (text, at, what) in names {
        let refs: Vec<NameRef> = kb.refs(&name::normalize(text));
        let others: Vec<&str> = refs
            .iter()
            .filter(|r| r.index != index)
            .map(|r| kb.entry_id(r.index))
            .collect();
        if others.is_empty() {
            continue;
        }
        // Report each clash once: on the weaker name (an alias rather than an id or title).
        let mine = refs.iter().find(|r| r.index == index).map(|r| r.kind);
        let strongest_other = refs
            .iter()
            .filter(|r| r.index != index)
            .map(|r| r.kind)
            .min();
        let report = match (mine, strongest_other) {
            (Some(m), Some(o)) => m > o || (m == o && others.iter().all(|id| *id > e.id.as_str())),
            _ => false,
        };
        if report && mine != Some(NameKind::Id) {
            out.push(Diagnostic::error(
                &e.file,
                at,
                format!(
                    "{what} \"{text}\" is also a name of \"{}\": links by that name are ambiguous",
                    others.join("\", \"")
                ),
            ));
        }
    }
}
