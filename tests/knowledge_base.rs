//! The shipped OTPIC knowledge base: complete, sourced, and linked into one whole.

mod common;
use common::{otpic, run};
use otpic::entry::Relation;
use otpic::kb::KnowledgeBase;
use otpic::source::Source;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::path::Path;

fn shipped() -> KnowledgeBase {
    KnowledgeBase::load(&[Source::Embedded]).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn it_loads_with_no_problem_and_check_is_clean() {
    let kb = shipped();
    assert!(kb.problems.is_empty(), "{:?}", kb.problems);
    assert!(kb.entries.len() >= 35, "only {} entries", kb.entries.len());
    let found = otpic::check::check(&kb);
    assert!(
        found.is_empty(),
        "{}",
        found
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let (code, _, stderr) = run(otpic().arg("check"));
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn the_three_seed_pages_are_entries_with_their_links() {
    let kb = shipped();
    let links = |id: &str, relation| -> Vec<String> {
        let i = kb.by_id(id).unwrap_or_else(|| panic!("no {id}"));
        kb.links(i, relation)
            .iter()
            .map(|(_, t)| t.map_or("UNRESOLVED".into(), |t| kb.entries[t].id.clone()))
            .collect()
    };
    for (id, approaches, problems) in [
        (
            "collective-security",
            &["coalition-building", "peace-zones"][..],
            &["potentially-violent-international-conflicts"][..],
        ),
        (
            "un-good-offices",
            &["preventive-diplomacy", "third-party-intervention"],
            &["potentially-violent-international-conflicts"],
        ),
        (
            "coercive-diplomacy",
            &[
                "legitimizing-the-use-of-force",
                "step-by-step-force-with-negotiation-loopbacks",
                "power-strategy-mix",
            ],
            &["refusal-to-negotiate"],
        ),
    ] {
        let have = links(id, Relation::Approach);
        for want in approaches {
            assert!(
                have.iter().any(|h| h == want),
                "{id} lacks approach {want}: {have:?}"
            );
        }
        let have = links(id, Relation::Problem);
        for want in problems {
            assert!(
                have.iter().any(|h| h == want),
                "{id} lacks problem {want}: {have:?}"
            );
        }
        let e = &kb.entries[kb.by_id(id).unwrap_or_default()];
        let p = e
            .provenance
            .as_ref()
            .unwrap_or_else(|| panic!("{id} has no provenance"));
        assert!(
            p.publisher
                .as_deref()
                .is_some_and(|s| s.contains("Conflict Research Consortium")),
            "{id}"
        );
        assert_eq!(
            p.year.as_ref().map(|y| y.to_string()),
            Some("1998".into()),
            "{id}"
        );
    }
}

#[test]
fn every_entry_has_a_summary_a_real_definition_provenance_and_a_traceable_work() {
    let kb = shipped();
    let mut missing = Vec::new();
    for e in &kb.entries {
        if e.summary.as_deref().is_none_or(str::is_empty) {
            missing.push(format!("{}: no summary", e.id));
        }
        let paragraphs = e
            .definition
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .count();
        if paragraphs < 2 {
            missing.push(format!(
                "{}: definition has {paragraphs} paragraph(s)",
                e.id
            ));
        }
        if e.provenance.is_none() {
            missing.push(format!("{}: no provenance", e.id));
        }
        if !e
            .examples
            .iter()
            .chain(&e.sources)
            .any(|w| w.author.is_some() || w.url.is_some())
        {
            missing.push(format!(
                "{}: no example or source with an author or URL",
                e.id
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn links_go_both_ways() {
    let kb = shipped();
    let mut one_way = Vec::new();
    for i in 0..kb.entries.len() {
        for r in [Relation::Approach, Relation::Problem] {
            for (_, t) in kb.links(i, r) {
                let Some(t) = t else { continue };
                let back = [Relation::Approach, Relation::Problem]
                    .into_iter()
                    .any(|r| kb.links(t, r).iter().any(|(_, b)| *b == Some(i)));
                if !back {
                    one_way.push(format!("{} -> {}", kb.entries[i].id, kb.entries[t].id));
                }
            }
        }
    }
    assert!(one_way.is_empty(), "{one_way:?}");
}

#[test]
fn links_to_problems_are_filed_as_problems() {
    let kb = shipped();
    let mut misfiled = Vec::new();
    for (i, e) in kb.entries.iter().enumerate() {
        for (relation, want_problem) in [(Relation::Approach, false), (Relation::Problem, true)] {
            for (link, t) in kb.links(i, relation) {
                if let Some(t) = t
                    && (kb.entries[t].kind == "problem") != want_problem
                {
                    misfiled.push(format!("{}: {}", e.id, link.text));
                }
            }
        }
    }
    assert!(misfiled.is_empty(), "{misfiled:?}");
}

#[test]
fn a_theme_can_be_listed_by_tag() {
    let (code, stdout, _) = run(otpic().args(["list", "--tag", "cve"]));
    assert_eq!(code, 0);
    for id in [
        "countering-violent-extremism",
        "strong-cities-network",
        "uk-channel-programme",
    ] {
        assert!(stdout.contains(id), "{id} not tagged cve");
    }
}

/// The shipped entry files read as plain TOML, sorted by id, so that these tests
/// see every field (`[links]`, `original`, `original_links`) whatever the parser keeps.
fn shipped_tables() -> Vec<(String, toml::Table)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("entries");
    let mut out = Vec::new();
    let items = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for item in items {
        let path = item.unwrap_or_else(|e| panic!("{e}")).path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with('.') || !name.ends_with(".toml") {
            continue;
        }
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let table: toml::Table =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        out.push((name.trim_end_matches(".toml").to_owned(), table));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The relation types declared in `entries/.otpic.toml`: name -> allowed target kinds (empty: any).
fn declared_relations() -> BTreeMap<String, Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("entries/.otpic.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let relations = table
        .get("relations")
        .and_then(|r| r.as_table())
        .unwrap_or_else(|| panic!("{}: no [relations]", path.display()));
    relations
        .iter()
        .map(|(name, decl)| {
            let targets = decl
                .get("targets")
                .and_then(|t| t.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|k| k.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            (name.clone(), targets)
        })
        .collect()
}

/// Every link of an entry as (relation, target text): the two top-level lists and the `[links]` table.
fn links_of(entry: &toml::Table) -> Vec<(String, String)> {
    let strings = |v: &toml::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for field in ["related_approaches", "related_problems"] {
        if let Some(v) = entry.get(field) {
            out.extend(strings(v).into_iter().map(|t| (field.to_owned(), t)));
        }
    }
    if let Some(links) = entry.get("links").and_then(|l| l.as_table()) {
        for (relation, targets) in links {
            out.extend(strings(targets).into_iter().map(|t| (relation.clone(), t)));
        }
    }
    out
}

/// Resolves a link the way otpic does for exact matches: id, title or alias, ignoring case.
fn resolve(entries: &[(String, toml::Table)], link: &str) -> Option<usize> {
    let want = link.to_lowercase();
    entries.iter().position(|(id, t)| {
        id.to_lowercase() == want
            || t.get("title")
                .and_then(|v| v.as_str())
                .is_some_and(|s| s.to_lowercase() == want)
            || t.get("aliases")
                .and_then(|v| v.as_array())
                .is_some_and(|a| {
                    a.iter()
                        .any(|s| s.as_str().is_some_and(|s| s.to_lowercase() == want))
                })
    })
}

/// Phrases that belong to the workshop, not to a reference work: notes about the
/// entry's own making, its files or its unchecked state.
const WORKSHOP_PHRASES: &[&str] = &[
    "kb-notes",
    "fact sheet",
    "this entry",
    "this knowledge base",
    "our reading",
    "our inference",
    "an inference",
    "(inference",
    "not checked",
    "needs checking",
    "(verify",
    "unconfirmed",
    "the sources used here",
    "sources gathered here",
    "is not known to us",
];

fn texts(value: &toml::Value, at: String, out: &mut Vec<(String, String)>) {
    match value {
        toml::Value::String(s) => out.push((at, s.clone())),
        toml::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                texts(v, format!("{at}[{i}]"), out);
            }
        }
        toml::Value::Table(t) => {
            for (k, v) in t {
                texts(v, format!("{at}.{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn no_entry_shows_workshop_notes_in_any_text_field() {
    let mut found = Vec::new();
    for (id, table) in shipped_tables() {
        let mut all = Vec::new();
        for (k, v) in &table {
            texts(v, k.clone(), &mut all);
        }
        for (field, text) in all {
            let lower = text.to_lowercase();
            for phrase in WORKSHOP_PHRASES {
                if lower.contains(phrase) {
                    found.push(format!("{id}: {field}: \"{phrase}\""));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_seed_pages_keep_everything_the_original_otpic_page_listed() {
    let entries = shipped_tables();
    let get = |id: &str| -> &toml::Table {
        &entries
            .iter()
            .find(|(i, _)| i == id)
            .unwrap_or_else(|| panic!("no entry {id}"))
            .1
    };
    let seeds: [(&str, &[&str], &[&str]); 3] = [
        (
            "collective-security",
            &[
                "Can Collective Security Work?",
                "Collective Security in Europe After the Cold War",
                "Toward Common Security in Central America",
                "Peacekeeping, Peacemaking, and Human Rights",
                "Managing NATO Enlargement",
                "UN Military Demands and Non-Offensive Defense",
            ],
            &["coalition-building", "peace-zones"],
        ),
        (
            "un-good-offices",
            &[],
            &[
                "preventive-diplomacy",
                "third-party-intervention",
                "potentially-violent-international-conflicts",
            ],
        ),
        (
            "coercive-diplomacy",
            &[
                "Forceful Persuasion: Coercive Diplomacy as an Alternative to War",
                "The Role of Force in Diplomacy: A Continuing Dilemma for U.S. Foreign Policy",
                "The Cuban Missile Crisis",
                "United States-Japan Relations Leading to Pearl Harbor",
                "The General Theory and Logic of Coercive Diplomacy",
                "Escalation in the Cuban Missile Crisis",
            ],
            &[
                "legitimizing-the-use-of-force",
                "step-by-step-force-with-negotiation-loopbacks",
                "power-strategy-mix",
                "refusal-to-negotiate",
            ],
        ),
    ];
    let mut problems = Vec::new();
    for (id, works, links) in seeds {
        let entry = get(id);
        let originals: Vec<String> = ["examples", "sources"]
            .iter()
            .filter_map(|f| entry.get(*f).and_then(|v| v.as_array()))
            .flatten()
            .filter_map(|w| w.as_table())
            .filter(|w| w.get("original").and_then(|o| o.as_bool()) == Some(true))
            .filter_map(|w| w.get("title").and_then(|t| t.as_str()).map(str::to_owned))
            .collect();
        for want in works {
            if !originals.iter().any(|t| t == want) {
                problems.push(format!("{id}: \"{want}\" missing or not marked original"));
            }
        }
        if originals.len() != works.len() {
            problems.push(format!(
                "{id}: {} works marked original, the OTPIC page listed {}: {originals:?}",
                originals.len(),
                works.len()
            ));
        }
        let declared: Vec<&str> = entry
            .get("original_links")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
            .unwrap_or_default();
        let have: Vec<String> = links_of(entry).into_iter().map(|(_, t)| t).collect();
        for want in links {
            if !declared.contains(want) {
                problems.push(format!("{id}: original_links lacks {want}"));
            }
            if !have.iter().any(|h| h == want) {
                problems.push(format!("{id}: no longer links to {want}"));
            }
        }
    }
    // The UN Good Offices page named events, not works: they are case entries
    // that link to it, and no "work" is credited to a Secretary-General as author.
    for case in ["iraq-1998-weapons-inspections", "cuban-missile-crisis"] {
        let ok = links_of(get(case))
            .iter()
            .any(|(r, t)| r == "example_of" && t == "un-good-offices");
        if !ok {
            problems.push(format!(
                "{case}: not filed as an example of un-good-offices"
            ));
        }
    }
    let ugo = get("un-good-offices");
    for w in ["examples", "sources"]
        .iter()
        .filter_map(|f| ugo.get(*f).and_then(|v| v.as_array()))
        .flatten()
    {
        let author = w.get("author").and_then(|a| a.as_str()).unwrap_or_default();
        for person in [
            "Kofi Annan",
            "U Thant",
            "Pérez de Cuéllar",
            "Brian Urquhart",
        ] {
            if author.contains(person) {
                problems.push(format!(
                    "un-good-offices: an event filed as a work by {person}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_link_uses_a_declared_relation_and_a_target_of_the_declared_kind() {
    let entries = shipped_tables();
    let relations = declared_relations();
    let mut wrong = Vec::new();
    for (id, table) in &entries {
        for (relation, target) in links_of(table) {
            let Some(kinds) = relations.get(&relation) else {
                wrong.push(format!("{id}: relation {relation} is not declared"));
                continue;
            };
            // Unresolved links are `check`'s business; this test is about kinds.
            let Some(t) = resolve(&entries, &target) else {
                continue;
            };
            let kind = entries[t]
                .1
                .get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or_default();
            if !kinds.is_empty() && !kinds.iter().any(|k| k == kind) {
                wrong.push(format!(
                    "{id} -{relation}-> {target}: a {kind}, not one of {kinds:?}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_entry_is_reachable_from_collective_security() {
    let entries = shipped_tables();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    for (i, (_, table)) in entries.iter().enumerate() {
        for (_, target) in links_of(table) {
            if let Some(t) = resolve(&entries, &target) {
                edges[i].push(t);
                edges[t].push(i);
            }
        }
    }
    let start = resolve(&entries, "collective-security")
        .unwrap_or_else(|| panic!("no collective-security"));
    let mut seen = HashSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(i) = queue.pop_front() {
        for &n in &edges[i] {
            if seen.insert(n) {
                queue.push_back(n);
            }
        }
    }
    let unreachable: Vec<&str> = entries
        .iter()
        .enumerate()
        .filter(|(i, _)| !seen.contains(i))
        .map(|(_, (id, _))| id.as_str())
        .collect();
    assert!(
        unreachable.is_empty(),
        "not reachable from collective-security: {unreachable:?}"
    );
}

#[test]
fn every_entry_has_at_least_two_typed_links_to_existing_entries() {
    let entries = shipped_tables();
    let mut count = vec![0usize; entries.len()];
    for (i, (_, table)) in entries.iter().enumerate() {
        let mut mine = HashSet::new();
        for (_, target) in links_of(table) {
            if let Some(t) = resolve(&entries, &target)
                && t != i
                && mine.insert(t)
            {
                count[i] += 1;
                count[t] += 1;
            }
        }
    }
    let few: Vec<String> = entries
        .iter()
        .zip(&count)
        .filter(|(_, n)| **n < 2)
        .map(|((id, _), n)| format!("{id}: {n}"))
        .collect();
    assert!(few.is_empty(), "{few:?}");
}
