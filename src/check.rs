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
use crate::entry::Located;
use crate::kb::{KnowledgeBase, NameKind};
use crate::name;

/// The definition `otpic new` writes into a new entry, for the author to replace.
pub const PLACEHOLDER: &str = "Write the explanation here, in Markdown.";

/// "; did you mean …": the ids that lookup finds or suggests for a link's text,
/// or nothing when no entry is close.
fn did_you_mean(kb: &KnowledgeBase, text: &str) -> String {
    let ids: Vec<String> = match crate::lookup::find(kb, text, false) {
        Ok(found) => vec![kb.entries[found.index].id.clone()],
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
        shared_names(kb, index, &mut out);
        undeclared_relations(kb, index, &mut out);
        let mut any_link = !kb.backlinks(index).is_empty();
        for (relation, link, target) in kb.typed_links(index) {
            any_link = true;
            match target {
                None => out.push(unresolved(kb, &e.file, link)),
                Some(t) if t == index => out.push(Diagnostic::warning(
                    &e.file,
                    link.at,
                    format!("link \"{}\" points to the entry itself", link.text),
                )),
                Some(t) => {
                    target_kind(kb, index, relation, link, t, &mut out);
                    // The backlink is the reciprocal of a symmetric relation or one
                    // with an inverse; other links should be answered by a link back.
                    let answered = kb.relations.is_symmetric(relation)
                        || kb.relations.inverse_label(relation).is_some()
                        || kb
                            .typed_links(t)
                            .any(|(_, _, target)| target == Some(index));
                    if !answered {
                        out.push(Diagnostic::warning(
                            &e.file,
                            link.at,
                            format!(
                                "one-way link: \"{}\" links to \"{}\", which does not link back",
                                e.id, kb.entries[t].id
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
        if !any_link && kb.entries.len() > 1 {
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
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup();
    out
}

/// A link that names no entry: a warning when it is close to one, else an error.
fn unresolved(kb: &KnowledgeBase, file: &str, link: &Located) -> Diagnostic {
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
fn undeclared_relations(kb: &KnowledgeBase, index: usize, out: &mut Vec<Diagnostic>) {
    let e = &kb.entries[index];
    for links in &e.links {
        if kb.relations.get(&links.relation).is_none() {
            out.push(Diagnostic::warning(
                &e.file,
                links.at,
                format!(
                    "relation \"{}\" is not declared in a .otpic.toml; it is shown as \"{}\"",
                    links.relation,
                    kb.relations.label(&links.relation)
                ),
            ));
        }
    }
}

/// A warning when the target of a link is not of a kind its relation expects.
fn target_kind(
    kb: &KnowledgeBase,
    index: usize,
    relation: &str,
    link: &Located,
    target: usize,
    out: &mut Vec<Diagnostic>,
) {
    let Some(r) = kb.relations.get(relation) else {
        return;
    };
    let kind = &kb.entries[target].kind;
    if r.targets.is_empty() || r.targets.contains(kind) {
        return;
    }
    let e = &kb.entries[index];
    out.push(Diagnostic::warning(
        &e.file,
        link.at,
        format!(
            "\"{}\" links to \"{}\" as {relation}, but \"{}\" is of kind \"{kind}\"; {relation} expects {}",
            e.id,
            kb.entries[target].id,
            kb.entries[target].id,
            r.targets.join(" or ")
        ),
    ));
}

/// Errors for a title or alias of entry `index` that another entry also answers to,
/// which makes a link by that name ambiguous.
fn shared_names(kb: &KnowledgeBase, index: usize, out: &mut Vec<Diagnostic>) {
    let e = &kb.entries[index];
    let mut names = vec![(e.title.as_str(), e.title_at, "title")];
    names.extend(e.aliases.iter().map(|a| (a.text.as_str(), a.at, "alias")));
    for (text, at, what) in names {
        let refs = kb.named(&name::normalize(text));
        let others: Vec<&str> = refs
            .iter()
            .filter(|r| r.index != index)
            .map(|r| kb.entries[r.index].id.as_str())
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
