//! The quiz: multiple-choice questions made from the knowledge base itself.
//!
//! Kinds of question, each about one entry (its card, for scheduling):
//! - definition: a definition, its own names masked → which entry it defines;
//! - summary: an entry → which line summarises it;
//! - related problem: an entry → which of these is one of its related problems;
//! - work: a work cited as an example or source → which entry cites it;
//! - path: two entries not linked directly → which entry connects them;
//! - relation: two entries linked directly → under which heading the first one's
//!   page lists the second ("Broader", "Treats", "Contrasts with"), the other
//!   headings of the knowledge base's relations as wrong answers.
//!
//! Distractors are chosen from close entries, so that a question teaches a
//! distinction: the same kind first, then shared tags and neighbours. An entry too
//! thin for a kind of question (no summary, no links, a one-line definition,
//! too few distinct distractors) gets no question of that kind. A prompt never
//! holds its answer: the entry's title, aliases and their stems are masked in a
//! definition, and a work whose title names its entry is not asked about.

pub mod schedule;

use crate::bibliography::fold;
use crate::entry::Entry;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The mask that stands for an entry's name in a prompt.
pub const MASK: &str = "_____";

/// At most this many choices per question.
pub const CHOICES: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Definition,
    Summary,
    RelatedProblem,
    Work,
    Path,
    Relation,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Definition => "definition",
            Kind::Summary => "summary",
            Kind::RelatedProblem => "related-problem",
            Kind::Work => "work",
            Kind::Path => "path",
            Kind::Relation => "relation",
        }
    }
}

/// One multiple-choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    pub kind: Kind,
    /// The id of the entry the question is about (its card).
    pub entry: String,
    pub prompt: String,
    pub choices: Vec<String>,
    /// The index of the right choice.
    pub answer: usize,
    /// The command to run to learn the answer: `otpic show ID`.
    pub read: String,
}

impl Question {
    /// The card this question reviews: `entry/kind`.
    pub fn card(&self) -> String {
        format!("{}/{}", self.entry, self.kind.name())
    }

    pub fn answer_text(&self) -> &str {
        &self.choices[self.answer]
    }
}

/// What the generator knows of an entry.
#[derive(Debug, Clone)]
pub struct Item {
    pub entry: Entry,
    /// The entries it links to or from (indexes into the item list).
    pub neighbours: Vec<usize>,
    /// Its resolved related problems (indexes into the item list).
    pub problems: Vec<usize>,
    /// Its resolved links of every relation: (target, relation name, the
    /// relation's label, the heading the target is listed under).
    pub links: Vec<TypedLink>,
}

/// A resolved link of an entry, with its relation's name and label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedLink {
    pub target: usize,
    pub relation: String,
    pub label: String,
}

/// Relations too loose to ask about: "see also" is true of any two close
/// entries, and the two built-in relations of the OTPIC pages only say "related".
const LOOSE_RELATIONS: &[&str] = &[
    crate::entry::RELATED_APPROACHES,
    crate::entry::RELATED_PROBLEMS,
    "see_also",
];

/// Every entry of the knowledge base as the generator sees it (needs the index
/// parts of [`crate::select::PARTS`]).
pub fn items(kb: &crate::index::Index) -> crate::error::Result<Vec<Item>> {
    let relations = kb.relations();
    (0..kb.len())
        .map(|i| {
            let links = kb
                .typed_links(i)
                .filter_map(|l| {
                    Some(TypedLink {
                        target: l.target?,
                        relation: l.relation.to_owned(),
                        label: relations.label(l.relation),
                    })
                })
                .collect();
            Ok(Item {
                entry: kb.entry(i)?,
                neighbours: crate::graph::linked(kb, i),
                problems: crate::select::related_problems(kb, i),
                links,
            })
        })
        .collect()
}

/// Builds the questions about `about` (indexes into `items`); distractors come
/// from all of `items`. The same `rng` seed gives the same questions.
pub fn generate(items: &[Item], about: &[usize], rng: &mut fastrand::Rng) -> Vec<Question> {
    let pool = Pool::new(items);
    let mut out = Vec::new();
    for &i in about {
        out.extend(definition(&pool, i, rng));
        out.extend(summary(&pool, i, rng));
        out.extend(related_problem(&pool, i, rng));
        out.extend(work(&pool, i, rng));
        out.extend(path(&pool, i, rng));
        out.extend(relation(&pool, i, rng));
    }
    out
}

/// Every entry, with indexes that keep the search for distractors short in a
/// large knowledge base.
struct Pool<'a> {
    items: &'a [Item],
    by_kind: HashMap<&'a str, Vec<usize>>,
    by_tag: HashMap<&'a str, Vec<usize>>,
    /// Folded work title → the entries citing it.
    citers: HashMap<String, Vec<usize>>,
    /// The labels of the relations worth asking about that some entry links
    /// through, sorted: the choices of relation questions. With each, the
    /// (kind, kind) pairs of the entries it links, so that wrong answers can be
    /// headings that could plausibly list such an entry.
    labels: Vec<(&'a str, HashSet<(&'a str, &'a str)>)>,
}

/// Up to this many entries, every entry is a candidate distractor; beyond, a
/// sample of the closest groups (same kind, shared tags) and a few others.
const SMALL: usize = 256;

impl<'a> Pool<'a> {
    fn new(items: &'a [Item]) -> Pool<'a> {
        let mut by_kind: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_tag: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut citers: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, it) in items.iter().enumerate() {
            by_kind.entry(it.entry.kind.as_str()).or_default().push(i);
            for t in &it.entry.tags {
                by_tag.entry(t.as_str()).or_default().push(i);
            }
            for w in it.entry.examples.iter().chain(&it.entry.sources) {
                let list = citers.entry(fold(&w.title)).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        let mut by_label: HashMap<&str, HashSet<(&str, &str)>> = HashMap::new();
        for it in items {
            for l in &it.links {
                if !LOOSE_RELATIONS.contains(&l.relation.as_str()) {
                    let kinds = (it.entry.kind.as_str(), items[l.target].entry.kind.as_str());
                    by_label.entry(l.label.as_str()).or_default().insert(kinds);
                }
            }
        }
        let mut labels: Vec<_> = by_label.into_iter().collect();
        labels.sort_unstable_by_key(|(label, _)| *label);
        Pool {
            items,
            by_kind,
            by_tag,
            citers,
            labels,
        }
    }

    /// The entries to choose distractors for entry `of` from.
    fn candidates(&self, of: usize, rng: &mut fastrand::Rng) -> Vec<usize> {
        let n = self.items.len();
        if n <= SMALL {
            return (0..n).collect();
        }
        let e = &self.items[of].entry;
        let mut out: Vec<usize> = self.items[of].neighbours.clone();
        let mut sample = |from: &[usize], k: usize, out: &mut Vec<usize>| {
            if from.len() <= k {
                out.extend_from_slice(from);
            } else {
                out.extend((0..k).map(|_| from[rng.usize(..from.len())]));
            }
        };
        if let Some(same) = self.by_kind.get(e.kind.as_str()) {
            sample(same, 64, &mut out);
        }
        for t in e.tags.iter().take(5) {
            if let Some(tagged) = self.by_tag.get(t.as_str()) {
                sample(tagged, 32, &mut out);
            }
        }
        out.extend((0..32).map(|_| rng.usize(..n)));
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// How close entry `other` is to entry `of`, for picking distractors.
fn closeness(items: &[Item], of: usize, other: usize) -> u32 {
    let (a, b) = (&items[of], &items[other]);
    let mut score = 0;
    if a.entry.kind == b.entry.kind {
        score += 4;
    }
    score += 2 * a
        .entry
        .tags
        .iter()
        .filter(|t| b.entry.tags.contains(t))
        .count() as u32;
    if a.neighbours.contains(&other) {
        score += 2;
    }
    score
}

/// Up to `n` distractors for entry `of` among `candidates`, closest first (ties
/// broken by `rng`), whose `label` is present and distinct from the answer's and
/// from each other's.
fn distractors(
    items: &[Item],
    of: usize,
    candidates: impl Iterator<Item = usize>,
    answer: &str,
    label: impl Fn(&Item) -> Option<String>,
    n: usize,
    rng: &mut fastrand::Rng,
) -> Vec<String> {
    let mut pool: Vec<(u32, u64, usize)> = candidates
        .filter(|&c| c != of)
        .map(|c| (closeness(items, of, c), rng.u64(..), c))
        .collect();
    pool.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut seen: HashSet<String> = HashSet::from([fold(answer)]);
    let mut out = Vec::new();
    for (_, _, c) in pool {
        if out.len() == n {
            break;
        }
        if let Some(text) = label(&items[c])
            && seen.insert(fold(&text))
        {
            out.push(text);
        }
    }
    out
}

/// Puts the answer among the distractors at a random place: (choices, answer index).
fn shuffle_in(
    answer: String,
    mut others: Vec<String>,
    rng: &mut fastrand::Rng,
) -> (Vec<String>, usize) {
    let at = rng.usize(..=others.len());
    others.insert(at, answer);
    (others, at)
}

/// A question needs at least this many distractors (three choices in all).
const MIN_DISTRACTORS: usize = 2;

/// The question, when there are enough wrong answers: the answer shuffled in
/// among them.
fn ask(
    kind: Kind,
    entry: &str,
    prompt: String,
    answer: String,
    others: Vec<String>,
    read: String,
    rng: &mut fastrand::Rng,
) -> Option<Question> {
    if others.len() < MIN_DISTRACTORS {
        return None;
    }
    let (choices, answer) = shuffle_in(answer, others, rng);
    Some(Question {
        kind,
        entry: entry.to_owned(),
        prompt,
        choices,
        answer,
        read,
    })
}

fn definition(pool: &Pool, i: usize, rng: &mut fastrand::Rng) -> Option<Question> {
    let items = pool.items;
    let e = &items[i].entry;
    let text = first_paragraph(&e.definition);
    let masked = mask(&text, &names_of(e));
    // Too thin: a definition of a few words, or one that is mostly its own name.
    let words = masked
        .split_whitespace()
        .filter(|w| !w.contains(MASK))
        .count();
    if words < 8 {
        return None;
    }
    let others = distractors(
        items,
        i,
        pool.candidates(i, rng).into_iter(),
        &e.title,
        |it| Some(it.entry.title.clone()),
        CHOICES - 1,
        rng,
    );
    ask(
        Kind::Definition,
        &e.id,
        format!("Which entry does this define?\n\n{masked}"),
        e.title.clone(),
        others,
        format!("otpic show {}", e.id),
        rng,
    )
}

fn summary(pool: &Pool, i: usize, rng: &mut fastrand::Rng) -> Option<Question> {
    let items = pool.items;
    let e = &items[i].entry;
    let answer = e.summary.clone()?;
    let names = names_of(e);
    // A summary that names its entry would give the answer away (and a masked one
    // would stand out among the others): no question.
    if mask(&answer, &names) != answer {
        return None;
    }
    let others = distractors(
        items,
        i,
        pool.candidates(i, rng).into_iter(),
        &answer,
        |it| it.entry.summary.clone().filter(|s| mask(s, &names) == *s),
        CHOICES - 1,
        rng,
    );
    ask(
        Kind::Summary,
        &e.id,
        format!("Which line sums up {} ({})?", e.title, e.kind),
        answer,
        others,
        format!("otpic show {}", e.id),
        rng,
    )
}

fn related_problem(pool: &Pool, i: usize, rng: &mut fastrand::Rng) -> Option<Question> {
    let items = pool.items;
    let it = &items[i];
    if it.problems.is_empty() {
        return None;
    }
    let right = it.problems[rng.usize(..it.problems.len())];
    let answer = items[right].entry.title.clone();
    let related: HashSet<usize> = it.problems.iter().copied().collect();
    // Distractors of the right kind: problems this entry does not name.
    let kind = items[right].entry.kind.clone();
    let others = distractors(
        items,
        right,
        pool.candidates(right, rng)
            .into_iter()
            .filter(|c| *c != i && !related.contains(c) && items[*c].entry.kind == kind),
        &answer,
        |x| Some(x.entry.title.clone()),
        CHOICES - 1,
        rng,
    );
    ask(
        Kind::RelatedProblem,
        &it.entry.id,
        format!("Which of these is a related problem of {}?", it.entry.title),
        answer,
        others,
        format!("otpic show {}", it.entry.id),
        rng,
    )
}

fn work(pool: &Pool, i: usize, rng: &mut fastrand::Rng) -> Option<Question> {
    let items = pool.items;
    let e = &items[i].entry;
    let names: Vec<String> = names_of(e).iter().map(|n| fold(n)).collect();
    let cited: Vec<(&crate::entry::Work, &str)> = e
        .examples
        .iter()
        .map(|w| (w, "an example"))
        .chain(e.sources.iter().map(|w| (w, "a source")))
        // A work whose title names the entry would give the answer away.
        .filter(|(w, _)| {
            let title = fold(&w.title);
            !w.title.is_empty()
                && !names
                    .iter()
                    .any(|n| !n.is_empty() && title.contains(n.as_str()))
        })
        .collect();
    if cited.is_empty() {
        return None;
    }
    let (w, role) = cited[rng.usize(..cited.len())];
    // Entries that cite the same work are not wrong answers.
    let citers: &[usize] = pool.citers.get(&fold(&w.title)).map_or(&[], Vec::as_slice);
    let others = distractors(
        items,
        i,
        pool.candidates(i, rng)
            .into_iter()
            .filter(|c| !citers.contains(c)),
        &e.title,
        |x| Some(x.entry.title.clone()),
        CHOICES - 1,
        rng,
    );
    let mut byline = Vec::new();
    if let Some(a) = &w.author {
        byline.push(a.clone());
    }
    if let Some(y) = &w.year {
        byline.push(y.to_string());
    }
    let byline = if byline.is_empty() {
        String::new()
    } else {
        format!(" ({})", byline.join(", "))
    };
    ask(
        Kind::Work,
        &e.id,
        format!("Which entry cites \"{}\"{byline} as {role}?", w.title),
        e.title.clone(),
        others,
        format!("otpic show {}", e.id),
        rng,
    )
}

fn path(pool: &Pool, i: usize, rng: &mut fastrand::Rng) -> Option<Question> {
    let items = pool.items;
    let it = &items[i];
    let near: HashSet<usize> = it.neighbours.iter().copied().collect();
    // Entries two links away, each with the entries that connect them to this one.
    let mut far: HashMap<usize, Vec<usize>> = HashMap::new();
    for &c in &it.neighbours {
        for &b in &items[c].neighbours {
            if b != i && !near.contains(&b) {
                far.entry(b).or_default().push(c);
            }
        }
    }
    if far.is_empty() {
        return None;
    }
    // Sorted, so that a seed picks the same pair every time.
    let mut far: Vec<(usize, Vec<usize>)> = far.into_iter().collect();
    far.sort_unstable_by_key(|(b, _)| *b);
    let (b, via) = far.swap_remove(rng.usize(..far.len()));
    let right = via[rng.usize(..via.len())];
    let answer = items[right].entry.title.clone();
    // Wrong answers: entries close to this one that do not link the two.
    let connects = |c: usize| items[c].neighbours.contains(&i) && items[c].neighbours.contains(&b);
    let others = distractors(
        items,
        i,
        pool.candidates(i, rng)
            .into_iter()
            .filter(|&c| c != b && !connects(c)),
        &answer,
        |x| Some(x.entry.title.clone()),
        CHOICES - 1,
        rng,
    );
    ask(
        Kind::Path,
        &it.entry.id,
        format!(
            "{} and {} are not linked directly. Which entry connects them?",
            it.entry.title, items[b].entry.title
        ),
        answer,
        others,
        format!("otpic related {} --depth 2", it.entry.id),
        rng,
    )
}

fn relation(pool: &Pool, i: usize, rng: &mut fastrand::Rng) -> Option<Question> {
    let items = pool.items;
    let it = &items[i];
    let askable: Vec<&TypedLink> = it
        .links
        .iter()
        .filter(|l| l.target != i && !LOOSE_RELATIONS.contains(&l.relation.as_str()))
        .collect();
    if askable.is_empty() {
        return None;
    }
    let link = askable[rng.usize(..askable.len())];
    // Every heading under which this page lists that entry is right: none of
    // them may be a wrong answer.
    let right: HashSet<&str> = it
        .links
        .iter()
        .filter(|l| l.target == link.target)
        .map(|l| l.label.as_str())
        .collect();
    // Headings that list entries of these kinds elsewhere first, then the rest.
    let kinds = (
        it.entry.kind.as_str(),
        items[link.target].entry.kind.as_str(),
    );
    let (mut plausible, mut rest): (Vec<_>, Vec<_>) = pool
        .labels
        .iter()
        .filter(|(l, _)| !right.contains(l))
        .partition(|(_, pairs)| pairs.contains(&kinds));
    rng.shuffle(&mut plausible);
    rng.shuffle(&mut rest);
    let others: Vec<String> = plausible
        .into_iter()
        .chain(rest)
        .take(CHOICES - 1)
        .map(|(l, _)| (*l).to_owned())
        .collect();
    ask(
        Kind::Relation,
        &it.entry.id,
        format!(
            "Under which heading does the entry {} list {}?",
            it.entry.title, items[link.target].entry.title
        ),
        link.label.clone(),
        others,
        format!("otpic show {}", it.entry.id),
        rng,
    )
}

/// A hash of what an entry says (not where it says it), for resetting the cards of an edited entry.
pub fn content_hash(e: &Entry) -> String {
    let mut text = String::new();
    let mut add = |s: &str| {
        text.push_str(s);
        text.push('\u{1f}');
    };
    add(&e.title);
    add(&e.kind);
    add(e.summary.as_deref().unwrap_or(""));
    add(&e.definition);
    for a in &e.aliases {
        add(&a.text);
    }
    add("|");
    for link in e.related_approaches.iter().chain(&e.related_problems) {
        add(&link.text);
    }
    for links in &e.links {
        add(&links.relation);
        for link in &links.targets {
            add(&link.text);
        }
    }
    add("|");
    for w in e.examples.iter().chain(&e.sources) {
        add(&w.title);
        add(w.author.as_deref().unwrap_or(""));
    }
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// An entry's title and aliases.
fn names_of(e: &Entry) -> Vec<String> {
    std::iter::once(e.title.clone())
        .chain(e.aliases.iter().map(|a| a.text.clone()))
        .collect()
}

/// The first paragraph of a definition, on one line.
fn first_paragraph(text: &str) -> String {
    let para = text
        .split("\n\n")
        .find(|p| !p.trim().is_empty())
        .unwrap_or("");
    para.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` with every occurrence of `names` masked: the whole name (any case), and
/// for a one-word name also the words that share its stem ("Mediation" masks
/// "mediator"). Markdown emphasis markers around a name go with it.
pub fn mask(text: &str, names: &[String]) -> String {
    let mut out = text.to_owned();
    let mut names: Vec<&String> = names.iter().filter(|n| !n.trim().is_empty()).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for name in names {
        out = replace_phrase(&out, name.trim());
    }
    out
}

/// The stem a one-word name shares with its relatives: "ripeness" → "ripe",
/// "mediation" → "medi", else all but the last three letters of a long word
/// ("stalemate" → "stalem"); at least four letters.
fn stem_of(word: &str) -> String {
    const SUFFIXES: &[&str] = &[
        "ation", "ition", "ness", "ment", "tion", "sion", "ity", "ism", "ing", "ive", "al",
    ];
    let n = word.chars().count();
    let by_suffix = SUFFIXES
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .filter(|stem| stem.chars().count() >= 4);
    match by_suffix {
        Some(stem) => stem.to_owned(),
        None if n > 6 => word.chars().take(n - 3).collect(),
        None => word.to_owned(),
    }
}

/// Replaces `phrase` (case-insensitive, at word boundaries) in `text` with the mask;
/// a one-word phrase also masks words that start with its stem.
fn replace_phrase(text: &str, phrase: &str) -> String {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let tokens: Vec<&str> = text.split(' ').collect();
    let core = |t: &str| -> String {
        t.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let stem: Option<String> = (words.len() == 1).then(|| stem_of(&words[0].to_lowercase()));
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let n = words.len();
        let matches = i + n <= tokens.len()
            && (0..n).all(|k| {
                core(tokens[i + k])
                    == words[k]
                        .to_lowercase()
                        .trim_matches(|c: char| !c.is_alphanumeric())
            })
            || stem
                .as_ref()
                .is_some_and(|s| s.chars().count() >= 4 && core(tokens[i]).starts_with(s.as_str()));
        if matches {
            let span = if stem.is_some() { 1 } else { n };
            let first = tokens[i];
            let last = tokens[i + span - 1];
            let lead: String = first.chars().take_while(|c| !c.is_alphanumeric()).collect();
            let trail: String = {
                let rev: String = last
                    .chars()
                    .rev()
                    .take_while(|c| !c.is_alphanumeric())
                    .collect();
                rev.chars().rev().collect()
            };
            // Possessive: "Mediation's" keeps "'s".
            let possessive = if core(last).ends_with("'s") || last.contains("’s") {
                "'s"
            } else {
                ""
            };
            out.push(format!("{lead}{MASK}{possessive}{trail}"));
            i += span;
        } else {
            out.push(tokens[i].to_owned());
            i += 1;
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// a – b – c in a line, d and e linked to a only: c is two links from a, through b.
    fn line() -> Vec<Item> {
        let texts = [
            (
                "a",
                "title = \"Alpha\"\ndefinition = \"d\"\nrelated_approaches = [\"b\", \"d\", \"e\"]\n",
            ),
            (
                "b",
                "title = \"Beta\"\ndefinition = \"d\"\nrelated_approaches = [\"c\"]\n",
            ),
            ("c", "title = \"Gamma\"\ndefinition = \"d\"\n"),
            ("d", "title = \"Delta\"\ndefinition = \"d\"\n"),
            ("e", "title = \"Epsilon\"\ndefinition = \"d\"\n"),
        ];
        let kb = crate::index::Index::from_texts(&texts);
        items(&kb).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_path_question_asks_for_the_entry_between_two_others() {
        let items = line();
        for seed in 0..20 {
            let mut rng = fastrand::Rng::with_seed(seed);
            let q = path(&Pool::new(&items), 0, &mut rng).unwrap_or_else(|| panic!("no question"));
            assert_eq!(
                q.prompt,
                "Alpha and Gamma are not linked directly. Which entry connects them?"
            );
            assert_eq!(q.answer_text(), "Beta");
            assert!(
                !q.choices.contains(&"Gamma".to_owned())
                    && !q.choices.contains(&"Alpha".to_owned())
            );
            assert_eq!(
                q.choices.len(),
                3,
                "Delta and Epsilon are the wrong answers"
            );
        }
        let mut rng = fastrand::Rng::with_seed(1);
        assert!(path(&Pool::new(&items), 3, &mut rng).is_some(), "d – a – b");
        assert!(path(&Pool::new(&items), 1, &mut rng).is_some(), "b – a – d");
    }

    #[test]
    fn a_relation_question_asks_for_the_heading_and_never_offers_another_true_one() {
        let texts = [
            (
                "a",
                "title = \"Alpha\"\ndefinition = \"d\"\nrelated_approaches = [\"b\"]\n[links]\nbroader = [\"b\"]\npart_of = [\"b\"]\nsee_also = [\"c\"]\n",
            ),
            (
                "b",
                "title = \"Beta\"\ndefinition = \"d\"\n[links]\ntreats = [\"c\"]\ncontrasts_with = [\"c\"]\n",
            ),
            (
                "c",
                "title = \"Gamma\"\ndefinition = \"d\"\n[links]\ncritique_of = [\"a\"]\n",
            ),
            (
                "d",
                "title = \"Delta\"\ndefinition = \"d\"\nkind = \"case\"\n[links]\ninvolves = [\"c\"]\nexample_of = [\"c\"]\n",
            ),
            (
                "e",
                "title = \"Epsilon\"\ndefinition = \"d\"\n[links]\ncontrasts_with = [\"a\"]\n",
            ),
            ("f", "title = \"Phi\"\ndefinition = \"d\"\n"),
        ];
        let kb = crate::index::Index::from_texts(&texts);
        let items = items(&kb).unwrap_or_else(|e| panic!("{e}"));
        let pool = Pool::new(&items);
        // Loose relations are neither asked about nor offered.
        let labels: Vec<&str> = pool.labels.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            labels,
            [
                "Broader",
                "Contrasts with",
                "Critique of",
                "Example of",
                "Involves",
                "Part of",
                "Treats"
            ]
        );
        let mut answers = HashSet::new();
        for seed in 0..30 {
            let mut rng = fastrand::Rng::with_seed(seed);
            let q = relation(&pool, 0, &mut rng).unwrap_or_else(|| panic!("no question"));
            assert_eq!(
                q.prompt,
                "Under which heading does the entry Alpha list Beta?"
            );
            assert_eq!(q.kind, Kind::Relation);
            assert_eq!(q.card(), "a/relation");
            // Alpha lists Beta under Broader and Part of: one is the answer, and
            // the other is never a wrong choice.
            let answer = q.answer_text().to_owned();
            assert!(answer == "Broader" || answer == "Part of", "{answer}");
            let true_ones = q
                .choices
                .iter()
                .filter(|c| *c == "Broader" || *c == "Part of")
                .count();
            assert_eq!(true_ones, 1, "{:?}", q.choices);
            assert_eq!(q.choices.len(), 4, "{:?}", q.choices);
            // Epsilon lists Alpha, of the same kinds as Alpha and Beta, under
            // "Contrasts with": the one plausible wrong heading is always offered.
            assert!(
                q.choices.iter().any(|c| c == "Contrasts with"),
                "{:?}",
                q.choices
            );
            answers.insert(answer);
        }
        assert_eq!(answers.len(), 2, "both true headings get asked");
        let mut rng = fastrand::Rng::with_seed(1);
        assert!(relation(&pool, 5, &mut rng).is_none(), "Phi links nowhere");
    }

    #[test]
    fn a_summary_that_names_its_entry_gets_no_question() {
        let texts = [
            (
                "a",
                "title = \"Alpha\"\nsummary = \"Alpha is first.\"\ndefinition = \"d\"\n",
            ),
            (
                "b",
                "title = \"Beta\"\nsummary = \"The second.\"\ndefinition = \"d\"\n",
            ),
            (
                "c",
                "title = \"Gamma\"\nsummary = \"The third.\"\ndefinition = \"d\"\n",
            ),
            (
                "d",
                "title = \"Delta\"\nsummary = \"The fourth, not beta.\"\ndefinition = \"d\"\n",
            ),
        ];
        let kb = crate::index::Index::from_texts(&texts);
        let items: Vec<Item> = (0..kb.len())
            .map(|i| Item {
                entry: kb.entry(i).unwrap_or_else(|e| panic!("{e}")),
                neighbours: Vec::new(),
                problems: Vec::new(),
                links: Vec::new(),
            })
            .collect();
        let mut rng = fastrand::Rng::with_seed(1);
        assert!(summary(&Pool::new(&items), 0, &mut rng).is_none());
        let q = summary(&Pool::new(&items), 1, &mut rng).unwrap_or_else(|| panic!("no question"));
        assert_eq!(q.choices.len(), 3, "Delta's line names Beta: left out");
        assert!(
            !q.choices
                .iter()
                .any(|c| c.contains(MASK) || c.contains("beta"))
        );
    }

    #[test]
    fn stems_reach_a_name_s_relatives() {
        assert_eq!(stem_of("ripeness"), "ripe");
        assert_eq!(stem_of("escalation"), "escal");
        assert_eq!(stem_of("stalemate"), "stalem");
        assert_eq!(stem_of("war"), "war");
        let names = vec!["Ripeness".to_owned()];
        assert_eq!(
            mask("A conflict is ripe; ripeness.", &names),
            "A conflict is _____; _____."
        );
    }

    #[test]
    fn a_definition_never_names_its_entry() {
        let names = vec!["Mediation".to_owned(), "assisted negotiation".to_owned()];
        assert_eq!(
            mask(
                "Mediation, or assisted negotiation, needs a mediator; *mediation* works.",
                &names
            ),
            "_____, or _____, needs a _____; *_____* works."
        );
        let names = vec!["Collective Security".to_owned()];
        assert_eq!(
            mask("Collective security is not security alone.", &names),
            "_____ is not security alone."
        );
    }
}
