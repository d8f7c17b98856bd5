//! The shipped OTPIC knowledge base: complete, sourced, and linked into one whole.

mod common;
use common::{otpic, run};
use otpic::entry::Relation;
use otpic::kb::KnowledgeBase;
use otpic::source::Source;
use std::collections::{HashSet, VecDeque};

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
fn every_entry_is_reachable_from_collective_security() {
    let kb = shipped();
    let start = kb
        .by_id("collective-security")
        .unwrap_or_else(|| panic!("no collective-security"));
    let mut seen = HashSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(i) = queue.pop_front() {
        let next = [Relation::Approach, Relation::Problem]
            .into_iter()
            .flat_map(|r| kb.links(i, r).into_iter().filter_map(|(_, t)| t))
            .chain(kb.backlinks(i).iter().copied())
            .collect::<Vec<_>>();
        for n in next {
            if seen.insert(n) {
                queue.push_back(n);
            }
        }
    }
    let unreachable: Vec<&str> = kb
        .entries
        .iter()
        .enumerate()
        .filter(|(i, _)| !seen.contains(i))
        .map(|(_, e)| e.id.as_str())
        .collect();
    assert!(
        unreachable.is_empty(),
        "not reachable from collective-security: {unreachable:?}"
    );
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
