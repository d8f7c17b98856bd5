//! An entry's fields as written, each link with the entry it resolves to: the
//! view behind `show --format json` and `show --field`, which carry the exact text
//! (the JSON writer and the `--field` renderer make it safe to print), and the
//! [`Field`]s that `--field` names.

use crate::entry::{Entry, Located, Provenance, Work};
use crate::index::Index;

/// A field of an entry that `show --field` prints on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    Title,
    Kind,
    Summary,
    Definition,
    Aliases,
    Tags,
    RelatedApproaches,
    RelatedProblems,
    ReferencedBy,
    Examples,
    Sources,
    Provenance,
    File,
}

impl Field {
    /// Every field, in the order `--help` lists them.
    pub const ALL: [Field; 14] = [
        Field::Id,
        Field::Title,
        Field::Kind,
        Field::Summary,
        Field::Definition,
        Field::Aliases,
        Field::Tags,
        Field::RelatedApproaches,
        Field::RelatedProblems,
        Field::ReferencedBy,
        Field::Examples,
        Field::Sources,
        Field::Provenance,
        Field::File,
    ];

    /// The field's name, as in the entry file and the JSON of `show`.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Kind => "kind",
            Field::Summary => "summary",
            Field::Definition => "definition",
            Field::Aliases => "aliases",
            Field::Tags => "tags",
            Field::RelatedApproaches => "related_approaches",
            Field::RelatedProblems => "related_problems",
            Field::ReferencedBy => "referenced_by",
            Field::Examples => "examples",
            Field::Sources => "sources",
            Field::Provenance => "provenance",
            Field::File => "file",
        }
    }
}

/// One entry's fields, borrowed from its parsed file and the index.
#[derive(Debug, Clone)]
pub struct EntryRecord<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub kind: &'a str,
    pub summary: Option<&'a str>,
    pub aliases: Vec<&'a str>,
    pub tags: &'a [String],
    pub definition: &'a str,
    pub examples: &'a [Work],
    pub sources: &'a [Work],
    pub related_approaches: Vec<Resolved<'a>>,
    pub related_problems: Vec<Resolved<'a>>,
    /// Every link by relation name, built-ins included, in declaration order.
    pub links: Vec<(&'a str, Vec<Resolved<'a>>)>,
    pub original_links: Vec<Resolved<'a>>,
    /// The links to this entry: one per linking entry and relation, by id.
    pub referenced_by: Vec<Backlink<'a>>,
    pub provenance: Option<&'a Provenance>,
    pub file: &'a str,
}

/// A link as written and the entry it resolves to, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'a> {
    pub link: &'a str,
    pub id: Option<&'a str>,
    pub title: Option<&'a str>,
}

/// An entry that links here, and the relation of its link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlink<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub relation: &'a str,
}

impl<'a> EntryRecord<'a> {
    /// The record of entry `index`, whose parsed file is `e`.
    pub fn new(kb: &'a Index, e: &'a Entry, index: usize) -> Self {
        let resolve = |link: &'a Located| {
            let target = kb.resolve(&link.text);
            Resolved {
                link: &link.text,
                id: target.map(|t| kb.id(t)),
                title: target.map(|t| kb.title(t)),
            }
        };
        let all = |links: &'a [Located]| links.iter().map(resolve).collect();
        let mut links: Vec<(&'a str, Vec<Resolved<'a>>)> = Vec::new();
        for (relation, link) in e.typed_links() {
            let item = resolve(link);
            match links.iter_mut().find(|(r, _)| *r == relation) {
                Some((_, items)) => items.push(item),
                None => links.push((relation, vec![item])),
            }
        }
        links.sort_by_key(|(r, _)| kb.relations().rank(r));
        EntryRecord {
            id: &e.id,
            title: &e.title,
            kind: &e.kind,
            summary: e.summary.as_deref(),
            aliases: e.aliases.iter().map(|a| a.text.as_str()).collect(),
            tags: &e.tags,
            definition: &e.definition,
            examples: &e.examples,
            sources: &e.sources,
            related_approaches: all(&e.related_approaches),
            related_problems: all(&e.related_problems),
            links,
            original_links: all(&e.original_links),
            referenced_by: kb
                .typed_backlinks(index)
                .map(|(b, relation)| Backlink {
                    id: kb.id(b),
                    title: kb.title(b),
                    relation,
                })
                .collect(),
            provenance: e.provenance.as_ref(),
            file: &e.file,
        }
    }

    /// The ids of the entries that link here, once each.
    pub fn backlink_ids(&self) -> Vec<&'a str> {
        let mut ids: Vec<&'a str> = self.referenced_by.iter().map(|b| b.id).collect();
        ids.dedup();
        ids
    }
}
