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

use crate::diagnostic::{Diagnostic, Position};
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
        self.link_targets(from).any(|(target, _)| target == to)
    }
    fn has_backlinks(&self, index: usize) -> bool {
        self.backlink_sources(index).next().is_some()
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
/// them in the loaded knowledge base, in [`check`]'s order: [`check_index_each`]
/// collected.
pub fn check_index(kb: &crate::index::Index) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let done: Result<(), std::convert::Infallible> = check_index_each(kb, &mut out);
    match done {
        Ok(()) => out,
        Err(never) => match never {},
    }
}

/// Where [`check_index_each`] hands the problems it finds, in order.
pub trait Report {
    type Error;
    fn problem(&mut self, d: Diagnostic) -> Result<(), Self::Error>;
    /// The warning for a link from entry `from` (in `file`, at `at`) to entry
    /// `to` that is not answered: the one most problems are, handed over
    /// without being made into a [`Diagnostic`] first.
    fn one_way(
        &mut self,
        file: &str,
        at: Option<Position>,
        from: &str,
        to: &str,
    ) -> Result<(), Self::Error> {
        self.problem(one_way(file, at, from, to))
    }
}

impl Report for Vec<Diagnostic> {
    type Error = std::convert::Infallible;
    fn problem(&mut self, d: Diagnostic) -> Result<(), Self::Error> {
        self.push(d);
        Ok(())
    }
}

/// Hands `report` every problem in the knowledge base the index describes, as
/// [`check`] finds them in the loaded knowledge base and in its order (by file,
/// line and column, each once); stops at the first error `report` returns.
///
/// The entries are read and parsed one at a time (by a worker per core, each
/// taking the next chunk as it is free) and dropped once checked: of each is kept only its problems, in
/// [`Kept`] form (16 bytes for a one-way link, the warning a random graph is
/// full of), and of the works it cites what their comparison reads
/// ([`crate::bibliography::LeanWorks`]), as they come. The works are
/// compared once all are in; then each file's problems are made whole again,
/// merged with the problems that are not an entry's, and handed on.
pub fn check_index_each<R: Report + ?Sized>(
    kb: &crate::index::Index,
    report: &mut R,
) -> Result<(), R::Error> {
    let mut others: Vec<Diagnostic> = kb.problems().cloned().collect();
    others.extend(kb.relations().problems.iter().cloned());
    others.extend(kb.relations().conflicts.iter().cloned());
    let n = kb.len();
    // Every link of every entry is resolved: by hash, not binary search.
    kb.hash_names();
    let is_organisation = |name: &str| kb.resolve(name).is_some();
    let mut works = crate::bibliography::LeanWorks::new(&is_organisation);
    let mut kept: Vec<Kept> = Vec::new();
    let mut starts: Vec<u32> = Vec::with_capacity(n + 1);
    let mut take = |chunk: Chunk| {
        let mut start = kept.len();
        for count in chunk.counts {
            starts.push(u32::try_from(start).unwrap_or(u32::MAX));
            start += count as usize;
        }
        kept.extend(chunk.kept);
        others.extend(chunk.strays);
        for (index, e) in &chunk.citing {
            works.add(*index, e);
        }
    };
    let chunks = n.div_ceil(CHUNK);
    if n < 2 * CHUNK {
        for c in 0..chunks {
            take(check_chunk(kb, c));
        }
    } else {
        // A worker per core takes the next chunk as it is free; this thread puts
        // the results back in order as they come (their works are added in
        // entry order) and does little else.
        crate::parallel::in_order(
            chunks,
            crate::parallel::per_core(),
            |c| check_chunk(kb, c),
            take,
        );
    }
    starts.push(u32::try_from(kept.len()).unwrap_or(u32::MAX));
    others.extend(works.check(&|e| kb.id(e as usize).to_owned(), &|e| {
        kb.file_display(e as usize)
    }));
    others.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    others.dedup();

    report_by_file(kb, others, kept, &starts, report)
}

/// Hands `report` every problem, in the order reported: by file, each file's
/// kept problems (those of entry `i` are `kept[starts[i]..starts[i + 1]]`)
/// merged with `others` (sorted) and sorted, each once.
fn report_by_file<R: Report + ?Sized>(
    kb: &crate::index::Index,
    others: Vec<Diagnostic>,
    mut kept: Vec<Kept>,
    starts: &[u32],
    report: &mut R,
) -> Result<(), R::Error> {
    // Files in the order they are reported in; entries that share a file (it
    // cannot happen, but nothing relies on it) are reported together.
    let mut files: Vec<usize> = (0..kb.len()).collect();
    files.sort_by_cached_key(|&i| kb.file_display(i));
    let mut others = others.into_iter().peekable();
    let mut group: Vec<(usize, Kept)> = Vec::new();
    // Each file's name is made once, as its turn comes (100,000 of them kept
    // would be the largest thing held).
    let mut next = files.first().map(|&i| kb.file_display(i));
    let mut at = 0;
    while let Some(file) = next.take() {
        // files[at] is this file's first entry; any others follow it.
        let mut entries = at..at + 1;
        at += 1;
        while at < files.len() {
            let name = kb.file_display(files[at]);
            if name != file {
                next = Some(name);
                break;
            }
            at += 1;
            entries.end = at;
        }
        while let Some(d) = others.next_if(|d| d.file < file) {
            report.problem(d)?;
        }
        group.clear();
        while let Some(d) = others.next_if(|d| d.file == file) {
            group.push((0, Kept::Other(Box::new(d))));
        }
        for &index in &files[entries] {
            let (from, to) = (starts[index] as usize, starts[index + 1] as usize);
            for k in &mut kept[from..to] {
                let k = std::mem::replace(
                    k,
                    Kept::OneWay {
                        line: 0,
                        column: 0,
                        to: 0,
                    },
                );
                group.push((index, k));
            }
        }
        let message = |(from, k): &(usize, Kept)| -> Diagnostic { k.diagnostic(kb, *from, &file) };
        // By line, column and severity, then (rarely needed) by message.
        group.sort_by(|a, b| {
            a.1.sort_key()
                .cmp(&b.1.sort_key())
                .then_with(|| message(a).message.cmp(&message(b).message))
        });
        group.dedup_by(|b, a| {
            a.1.sort_key() == b.1.sort_key() && message(a).message == message(b).message
        });
        let mut from_id = (usize::MAX, "");
        for (from, k) in group.drain(..) {
            match k {
                Kept::OneWay { line, column, to } => {
                    let at = (line != 0).then_some(Position {
                        line: line as usize,
                        column: column as usize,
                    });
                    if from_id.0 != from {
                        from_id = (from, kb.id(from));
                    }
                    report.one_way(&file, at, from_id.1, kb.id(to as usize))?;
                }
                Kept::Other(d) => report.problem(*d)?,
            }
        }
    }
    for d in others {
        report.problem(d)?;
    }
    Ok(())
}

/// How many entries a chunk holds: enough that the hand-over costs nothing,
/// few enough that the chunks in flight are small.
const CHUNK: usize = 256;

/// What checking a chunk of entries found.
struct Chunk {
    /// The problems of its entries, in entry order.
    kept: Vec<Kept>,
    /// How many of them each entry has.
    counts: Vec<u32>,
    /// Problems in a file other than the entry's own (its file's failing to
    /// parse now, say): reported with the problems that are not an entry's.
    strays: Vec<Diagnostic>,
    /// The entries that cite works (by number), with nothing else of them kept.
    citing: Vec<(u32, Entry)>,
}

/// Checks chunk `c` of the index's entries.
fn check_chunk(kb: &crate::index::Index, c: usize) -> Chunk {
    let mut chunk = Chunk {
        kept: Vec::new(),
        counts: Vec::new(),
        strays: Vec::new(),
        citing: Vec::new(),
    };
    for index in c * CHUNK..((c + 1) * CHUNK).min(kb.len()) {
        let before = chunk.kept.len();
        match kb.parse_entry(index) {
            Ok(e) => {
                let mut found = KeptFound {
                    file: &e.file,
                    id: kb.id(index),
                    kept: &mut chunk.kept,
                    strays: &mut chunk.strays,
                };
                check_entry(kb, index, &e, &mut found);
                if !e.examples.is_empty() || !e.sources.is_empty() {
                    let number = u32::try_from(index).unwrap_or(u32::MAX);
                    chunk.citing.push((number, works_only(e)));
                }
            }
            // Changed since the index was checked: reported as loading would.
            Err(problem) => chunk.strays.push(problem),
        }
        chunk
            .counts
            .push(u32::try_from(chunk.kept.len() - before).unwrap_or(u32::MAX));
    }
    chunk
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

/// A problem of an entry as [`check_index_each`] keeps it until its file's turn.
enum Kept {
    /// A one-way link, the message made again from the entries' ids; the line
    /// and column are 0 when unknown.
    OneWay {
        line: u32,
        column: u32,
        to: u32,
    },
    Other(Box<Diagnostic>),
}

impl Kept {
    /// Its line, column and severity, which [`Diagnostic::sort_key`] orders by
    /// after the file (and before the message).
    fn sort_key(&self) -> (usize, usize, crate::diagnostic::Severity) {
        match self {
            Kept::OneWay { line, column, .. } => (
                *line as usize,
                *column as usize,
                crate::diagnostic::Severity::Warning,
            ),
            Kept::Other(d) => (d.line.unwrap_or(0), d.column.unwrap_or(0), d.severity),
        }
    }

    /// The problem in full, of entry `from` whose file is `file`.
    fn diagnostic(&self, kb: &crate::index::Index, from: usize, file: &str) -> Diagnostic {
        match self {
            Kept::OneWay { line, column, to } => {
                let at = (*line != 0).then_some(Position {
                    line: *line as usize,
                    column: *column as usize,
                });
                one_way(file, at, kb.id(from), kb.id(*to as usize))
            }
            Kept::Other(d) => (**d).clone(),
        }
    }
}

/// Where [`check_entry`] puts the problems it finds.
pub trait Found {
    fn push(&mut self, d: Diagnostic);
    /// A link of entry `from` (in file `file`, at `at`) to entry `to` that is
    /// not answered; `to_id` gives `to`'s id, if it is wanted.
    fn one_way(
        &mut self,
        file: &str,
        at: Option<Position>,
        from: &str,
        to: usize,
        to_id: &dyn Fn() -> String,
    );
}

impl Found for Vec<Diagnostic> {
    fn push(&mut self, d: Diagnostic) {
        Vec::push(self, d);
    }
    fn one_way(
        &mut self,
        file: &str,
        at: Option<Position>,
        from: &str,
        _to: usize,
        to_id: &dyn Fn() -> String,
    ) {
        Vec::push(self, one_way(file, at, from, &to_id()));
    }
}

/// The problems of one entry kept compactly, and the strays beside them.
struct KeptFound<'a> {
    /// The entry's file and id, which a [`Kept`] leaves out.
    file: &'a str,
    id: &'a str,
    kept: &'a mut Vec<Kept>,
    strays: &'a mut Vec<Diagnostic>,
}

impl Found for KeptFound<'_> {
    fn push(&mut self, d: Diagnostic) {
        if d.file == self.file {
            self.kept.push(Kept::Other(Box::new(d)));
        } else {
            self.strays.push(d);
        }
    }
    fn one_way(
        &mut self,
        file: &str,
        at: Option<Position>,
        from: &str,
        to: usize,
        to_id: &dyn Fn() -> String,
    ) {
        let small = |n: usize| u32::try_from(n).ok().filter(|&n| n != 0);
        let compact = match at {
            None => Some((0, 0)),
            Some(p) => small(p.line).zip(small(p.column)),
        };
        match (compact, u32::try_from(to)) {
            (Some((line, column)), Ok(to)) if file == self.file && from == self.id => {
                self.kept.push(Kept::OneWay { line, column, to });
            }
            _ => self.push(one_way(file, at, from, &to_id())),
        }
    }
}

/// The warning for a link from entry `from` to entry `to` that is not answered.
pub(crate) fn one_way(file: &str, at: Option<Position>, from: &str, to: &str) -> Diagnostic {
    Diagnostic::warning(
        file,
        at,
        format!("one-way link: \"{from}\" links to \"{to}\", which does not link back"),
    )
}

/// The problems of entry `index`, `e`, against the others in `kb`: what `check`
/// reports for it beyond the problems of loading and the knowledge-base-wide
/// comparison of works.
pub fn check_entry<G: Graph + ?Sized, F: Found + ?Sized>(
    kb: &G,
    index: usize,
    e: &Entry,
    out: &mut F,
) {
    for note in &e.notes {
        out.push(note.clone());
    }
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
                    out.one_way(&e.file, link.at, &e.id, t, &|| kb.entry_id(t).to_owned());
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
fn undeclared_relations<G: Graph + ?Sized, F: Found + ?Sized>(kb: &G, e: &Entry, out: &mut F) {
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
fn target_kind<G: Graph + ?Sized, F: Found + ?Sized>(
    kb: &G,
    e: &Entry,
    relation: &str,
    link: &Located,
    target: usize,
    out: &mut F,
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
fn shared_names<G: Graph + ?Sized, F: Found + ?Sized>(
    kb: &G,
    index: usize,
    e: &Entry,
    out: &mut F,
) {
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
