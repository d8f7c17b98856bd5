//! The linter behind `otpic check`: every problem in a knowledge base, in one pass.
//!
//! Errors: files that could not be read or parsed, missing required fields,
//! duplicate ids, invalid ids, unresolved links, titles or aliases that two entries
//! share. Warnings: unknown fields, empty text, links to self, one-way links,
//! orphans, and links that resolve only by prefix or fuzzy matching.

use crate::diagnostic::Diagnostic;
use crate::entry::Relation;
use crate::kb::{KnowledgeBase, NameKind};
use crate::name;

/// Every problem in the knowledge base, sorted by file, line and column.
pub fn check(kb: &KnowledgeBase) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = kb.problems.clone();
    for (index, e) in kb.entries.iter().enumerate() {
        out.extend(e.notes.iter().cloned());
        shared_names(kb, index, &mut out);
        let mut any_link = !kb.backlinks(index).is_empty();
        for relation in [Relation::Approach, Relation::Problem] {
            for (link, target) in kb.links(index, relation) {
                any_link = true;
                match target {
                    None => match crate::lookup::find(kb, &link.text, false) {
                        Ok(found) => out.push(Diagnostic::warning(
                            &e.file,
                            link.at,
                            format!(
                                "link \"{}\" names no entry exactly; it is close to \"{}\": write that id instead",
                                link.text, kb.entries[found.index].id
                            ),
                        )),
                        Err(_) => out.push(Diagnostic::error(
                            &e.file,
                            link.at,
                            format!(
                                "unresolved link \"{}\": no entry has that id, title or alias",
                                link.text
                            ),
                        )),
                    },
                    Some(t) if t == index => out.push(Diagnostic::warning(
                        &e.file,
                        link.at,
                        format!("link \"{}\" points to the entry itself", link.text),
                    )),
                    Some(t) => {
                        let back = [Relation::Approach, Relation::Problem]
                            .into_iter()
                            .any(|r| kb.links(t, r).iter().any(|(_, target)| *target == Some(index)));
                        if !back {
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
    out.extend(crate::bibliography::check(kb));
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup();
    out
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
