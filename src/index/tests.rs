//! Unit tests of the index's accessors: what an index says about its entries,
//! read back from it (built in memory, written and mapped, built in) and compared
//! with the same entries loaded in memory by [`KnowledgeBase::load`].

use super::{Index, Link, Part, layout, records::FuzzRecord};
use crate::entry::Relation;
use crate::kb::{KnowledgeBase, NameKind, NameRef};
use crate::source::Source;
use std::path::Path;

const PARTS: [Part; 5] = [
    Part::Names,
    Part::Links,
    Part::Backlinks,
    Part::Summaries,
    Part::Search,
];

/// A knowledge base that reaches every case of the accessors: entries at the
/// root and two folders down; link texts stored as the target's id, its title,
/// its second alias, as other text, and unresolved; an entry linked twice by one
/// entry through one relation and once by another; a title that is another
/// entry's alias and one that is another's id (names of every kind shared); an
/// entry with neither summary, tags nor aliases; a broken file; a declared
/// relation type.
fn write_kb(root: &Path) {
    let files = [
        (
            ".otpic.toml",
            "[relations.broader]\nlabel = \"Broader\"\ninverse = \"Narrower\"\n",
        ),
        (
            "alpha.toml",
            r#"title = "Alpha Approach"
kind = "approach"
summary = "Alpha comes first."
aliases = ["first way"]
tags = ["greek", "fixture"]
related_approaches = ["beta"]
related_problems = ["Delta Problem", "Nowhere At All"]
definition = "Alpha links to beta by id, to delta by title, to gamma by alias and by a spelling of its own."

[links]
broader = ["the second name", "GAMMA"]
"#,
        ),
        (
            "beta.toml",
            "title = \"Beta Approach\"\nkind = \"approach\"\nrelated_approaches = [\"gamma\"]\ndefinition = \"Beta has no summary, tags or aliases.\"\n",
        ),
        (
            "epsilon.toml",
            "title = \"Beta\"\nsummary = \"Titled as beta's id.\"\ndefinition = \"Epsilon.\"\n",
        ),
        ("broken.toml", "title = \n"),
        ("notes.md", "not an entry\n"),
        (
            "sub/gamma.toml",
            r#"title = "Gamma Concept"
summary = "Gamma lives in a folder."
aliases = ["first name", "the second name"]
tags = ["greek"]
definition = "Gamma is linked to."
"#,
        ),
        (
            "sub/deeper/delta.toml",
            r#"title = "Delta Problem"
kind = "problem"
aliases = ["Alpha Approach"]
definition = "Delta's alias is alpha's title."
"#,
        ),
    ];
    for (name, text) in files {
        let path = root.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

fn open(sources: &[Source], cache: Option<&Path>) -> Index {
    Index::open(sources, cache, &PARTS).unwrap_or_else(|e| panic!("{e}"))
}

/// Every name of `kb` with its entries, in the index's order (sorted by name,
/// strongest entry first).
fn kb_names(kb: &KnowledgeBase, keep: impl Fn(&str) -> bool) -> Vec<(&str, NameRef)> {
    let mut names: Vec<(&str, &[NameRef])> = kb.names().filter(|(n, _)| keep(n)).collect();
    names.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    names
        .into_iter()
        .flat_map(|(n, refs)| refs.iter().map(move |r| (n, *r)))
        .collect()
}

/// The links to entry `i` as `kb` holds them: (linking entry, relation), once
/// per linking entry and relation, in the linking entry's order.
fn kb_typed_backlinks(kb: &KnowledgeBase, i: usize) -> Vec<(usize, &str)> {
    let mut out: Vec<(usize, &str)> = Vec::new();
    for j in 0..kb.entries.len() {
        for (relation, _, target) in kb.typed_links(j) {
            if target == Some(i) && !out.contains(&(j, relation)) {
                out.push((j, relation));
            }
        }
    }
    out
}

/// Checks every accessor of `index` against `kb`, the same entries loaded in memory.
fn agrees(index: &Index, kb: &KnowledgeBase) {
    assert_eq!(index.len(), kb.entries.len());
    assert!(!index.is_empty());
    for (i, e) in kb.entries.iter().enumerate() {
        assert_eq!(index.id(i), e.id);
        assert_eq!(index.title(i), e.title, "{}", e.id);
        assert_eq!(index.kind(i), e.kind, "{}", e.id);
        assert_eq!(index.summary(i), e.summary.as_deref(), "{}", e.id);
        assert_eq!(index.tags(i).collect::<Vec<_>>(), e.tags, "{}", e.id);
        let aliases: Vec<&str> = e.aliases.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(index.aliases(i).collect::<Vec<_>>(), aliases, "{}", e.id);
        let links: Vec<Link<'_>> = kb
            .typed_links(i)
            .map(|(relation, l, target)| Link {
                relation,
                text: &l.text,
                target,
            })
            .collect();
        assert_eq!(index.typed_links(i).collect::<Vec<_>>(), links, "{}", e.id);
        for relation in [
            Relation::Approach,
            Relation::Problem,
            Relation::ReferencedBy,
        ] {
            let links: Vec<(&str, Option<usize>)> = kb
                .links(i, relation)
                .into_iter()
                .map(|(l, t)| (l.text.as_str(), t))
                .collect();
            assert_eq!(index.links(i, relation), links, "{} {relation:?}", e.id);
        }
        assert_eq!(index.backlinks(i), kb.backlinks(i), "{}", e.id);
        assert_eq!(
            index.typed_backlinks(i).collect::<Vec<_>>(),
            kb_typed_backlinks(kb, i),
            "{}",
            e.id
        );
        assert_eq!(index.by_id(&e.id), Some(i));
        assert_eq!(index.path(i), e.path, "{}", e.id);
        assert_eq!(index.file_display(i), e.file, "{}", e.id);
        let parsed = index.entry(i).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(
            (&parsed.id, &parsed.title, &parsed.definition, &parsed.file),
            (&e.id, &e.title, &e.definition, &e.file)
        );
        let parsed = index.parse_entry(i).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!((&parsed.id, &parsed.definition), (&e.id, &e.definition));
    }
    // Ids that are none: before the first, between two, after the last.
    for id in ["", "a", "alphb", "b", "beta-", "zzz"] {
        assert_eq!(index.by_id(id), None, "{id}");
    }
    let problems: Vec<String> = index.problems().map(ToString::to_string).collect();
    let loaded: Vec<String> = kb.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems, loaded);
    // The name table: every name, names that are none, prefixes, misspellings.
    let all = kb_names(kb, |_| true);
    for &(name, _) in &all {
        assert_eq!(index.named(name), kb.named(name), "{name}");
        assert_eq!(index.resolve(name), kb.resolve(name), "{name}");
    }
    for name in ["", "a", "alph", "alpha-approachx", "b", "zzz"] {
        assert_eq!(index.named(name), [], "{name}");
        assert_eq!(index.resolve(name), kb.resolve(name), "{name}");
    }
    for prefix in ["", "a", "alpha", "b", "beta", "first", "g", "the", "zz"] {
        let expected = kb_names(kb, |n| n.starts_with(prefix));
        assert_eq!(index.with_prefix(prefix), expected, "prefix {prefix:?}");
    }
    for key in ["alpah", "first wya", "gamma concpet", "beat", "delta", "x"] {
        let probe = crate::fuzzy::Probe::new(key);
        let expected = kb_names(kb, |n| probe.may_match(n.as_bytes()));
        assert_eq!(index.near(key), expected, "near {key:?}");
    }
}

/// The index as built in memory, as written to a file and read back (mapped),
/// and as opened again with nothing changed, says what the entries say.
#[test]
fn every_accessor_reads_back_what_the_loaded_entries_say() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write_kb(dir.path());
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sources = [Source::Dir(dir.path().to_owned())];
    let kb = KnowledgeBase::load(&sources).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        kb.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["alpha", "beta", "delta", "epsilon", "gamma"]
    );
    agrees(&open(&sources, None), &kb);
    agrees(&open(&sources, Some(cache.path())), &kb);
    agrees(&open(&sources, Some(cache.path())), &kb);
}

/// The same, pinned by hand where the in-memory knowledge base could be wrong
/// the same way: the stored forms of link texts, backlinks once per entry, names
/// shared by entries of every kind, files in folders.
#[test]
fn link_texts_backlinks_and_shared_names_read_back_as_written() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write_kb(dir.path());
    let index = open(&[Source::Dir(dir.path().to_owned())], None);
    let [alpha, beta, delta, epsilon, gamma] = ["alpha", "beta", "delta", "epsilon", "gamma"]
        .map(|id| index.by_id(id).unwrap_or_else(|| panic!("{id}")));
    assert_eq!([alpha, beta, delta, epsilon, gamma], [0, 1, 2, 3, 4]);
    let link = |relation, text, target| Link {
        relation,
        text,
        target,
    };
    assert_eq!(
        index.typed_links(alpha).collect::<Vec<_>>(),
        [
            link("related_approaches", "beta", Some(beta)),
            link("related_problems", "Delta Problem", Some(delta)),
            link("related_problems", "Nowhere At All", None),
            link("broader", "the second name", Some(gamma)),
            link("broader", "GAMMA", Some(gamma)),
        ]
    );
    assert_eq!(
        index.links(alpha, Relation::Problem),
        [("Delta Problem", Some(delta)), ("Nowhere At All", None)]
    );
    assert_eq!(index.backlinks(gamma), [alpha, beta]);
    assert_eq!(
        index.typed_backlinks(gamma).collect::<Vec<_>>(),
        [(alpha, "broader"), (beta, "related_approaches")]
    );
    assert!(index.backlinks(alpha).is_empty());
    assert_eq!(
        index.named("beta"),
        [
            NameRef {
                index: beta,
                kind: NameKind::Id
            },
            NameRef {
                index: epsilon,
                kind: NameKind::Title
            }
        ]
    );
    assert_eq!(
        index.named("alpha-approach"),
        [
            NameRef {
                index: alpha,
                kind: NameKind::Title
            },
            NameRef {
                index: delta,
                kind: NameKind::Alias
            }
        ]
    );
    assert_eq!(index.resolve("The Second Name"), Some(gamma));
    assert_eq!(
        (index.summary(beta), index.summary(gamma)),
        (None, Some("Gamma lives in a folder."))
    );
    assert_eq!(index.kind(gamma), "concept");
    let expected = dir.path().join("sub").join("deeper").join("delta.toml");
    assert_eq!(index.path(delta), Some(expected.clone()));
    assert_eq!(index.file_display(delta), expected.display().to_string());
    assert_eq!(index.relations().label("broader"), "Broader");
    assert_eq!(index.relations().inverse_label("broader"), Some("Narrower"));
    let problems: Vec<String> = index.problems().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("broken.toml"), "{problems:?}");
}

/// An entry's file read fresh: its text now, or its problem now when it broke
/// since the index was built; a built-in entry's from the binary.
#[test]
fn an_entry_is_parsed_from_its_file_as_it_is_now() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write_kb(dir.path());
    let index = open(&[Source::Dir(dir.path().to_owned())], None);
    let gamma = index.by_id("gamma").unwrap_or_else(|| panic!("gamma"));
    let path = dir.path().join("sub").join("gamma.toml");
    std::fs::write(
        &path,
        "title = \"Gamma Again\"\ndefinition = \"Rewritten.\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let entry = index.entry(gamma).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (entry.title.as_str(), entry.definition.as_str()),
        ("Gamma Again", "Rewritten.")
    );
    std::fs::write(&path, "title = \n").unwrap_or_else(|e| panic!("{e}"));
    let problem = index.parse_entry(gamma).map(|e| e.title);
    assert!(
        problem
            .as_ref()
            .is_err_and(|d| d.to_string().contains("gamma.toml")),
        "{problem:?}"
    );
    assert!(index.entry(gamma).is_err());
    // Gone since: the problem names the file, as loading it would.
    std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
    let Err(gone) = index.parse_entry(gamma).map(|e| e.title) else {
        panic!("a removed file parsed")
    };
    assert_eq!(gone.file, path.display().to_string(), "{gone}");
    assert!(gone.message.starts_with("cannot read file"), "{gone}");

    let built_in = open(&[Source::Embedded], None);
    let kb = KnowledgeBase::load(&[Source::Embedded]).unwrap_or_else(|e| panic!("{e}"));
    assert!(built_in.len() > 10);
    for (i, e) in kb.entries.iter().enumerate() {
        assert_eq!(built_in.path(i), None);
        assert_eq!(built_in.file_display(i), e.file);
        let entry = built_in.entry(i).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!((&entry.title, &entry.definition), (&e.title, &e.definition));
    }
}

/// An index built from texts names its entries' files among those texts.
#[test]
fn an_entry_built_from_a_text_is_read_from_that_text() {
    let index = Index::from_texts(&[
        ("one", "title = \"One\"\ndefinition = \"The first.\"\n"),
        ("two", "title = \"Two\"\ndefinition = \"The second.\"\n"),
    ]);
    assert_eq!(index.file_display(1), "embedded:entries/two.toml");
    assert_eq!(index.path(1), None);
    let (display, text) = index.file_text(1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(display, "embedded:entries/two.toml");
    assert!(text.contains("The second."), "{text}");
    let entry = index.entry(0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (entry.id.as_str(), entry.definition.as_str()),
        ("one", "The first.")
    );
}

/// Past 20,000 names, trying every name runs on two threads, each over half
/// the table: together they give the names one pass over the whole table
/// gives, in order; and `near`, through the names' words, gives the same.
#[test]
fn near_names_on_two_threads_are_those_of_one_pass_in_table_order() {
    let texts: Vec<(String, String)> = (0..10_001)
        .map(|n| {
            let id = format!("alpha-{n:05}");
            let toml = format!("title = \"{n:05} alpha\"\ndefinition = \"d\"\n");
            (id, toml)
        })
        .collect();
    let index = Index::from_owned_texts(&texts);
    let keys = index.strs(layout::Sec::NameKeys);
    let fuzz = index.section(layout::Sec::NameFuzz);
    assert!(keys.len() > 20_000);
    for key in ["alpha 00017", "10000 alpha", "alpha-05000"] {
        let probe = crate::fuzzy::Probe::new(key);
        let one_pass: Vec<usize> = (0..keys.len())
            .filter(|&p| {
                probe.may_reach(FuzzRecord::decode(fuzz, p).mask) && probe.may_match(keys.bytes(p))
            })
            .collect();
        // Names from both halves of the table, so that both threads count.
        let first = one_pass.iter().filter(|&&p| p < keys.len() / 2).count();
        assert!(first > 0 && first < one_pass.len(), "{key}: {one_pass:?}");
        assert_eq!(index.near_by_names(&probe, keys.len()), one_pass, "{key}");
        let expected: Vec<(&str, NameRef)> = one_pass
            .iter()
            .flat_map(|&p| {
                index
                    .name_refs(p)
                    .into_iter()
                    .map(move |r| (keys.get(p), r))
            })
            .collect();
        assert_eq!(index.near(key), expected, "{key}");
    }
}

/// A knowledge base whose only file is broken has no entries, and says so.
#[test]
fn a_knowledge_base_without_entries_is_empty() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("broken.toml"), "title = \n").unwrap_or_else(|e| panic!("{e}"));
    let index = open(&[Source::Dir(dir.path().to_owned())], None);
    assert_eq!(index.len(), 0);
    assert!(index.is_empty());
    assert_eq!(index.by_id("broken"), None);
    assert_eq!(index.with_prefix(""), []);
    assert_eq!(index.problems().count(), 1);
}

/// With the names hashed ([`Index::hash_names`]), every name is found where the
/// binary search finds it, and a name that is not there is not found.
#[test]
fn hashed_names_are_found_where_the_binary_search_finds_them() {
    let texts: Vec<(String, String)> = (0..3_000)
        .map(|n| {
            let id = format!("entry-{n:04}");
            let toml = format!(
                "title = \"Title {n}\"\naliases = [\"alias {}\"]\ndefinition = \"d\"\n",
                n % 1_000
            );
            (id, toml)
        })
        .collect();
    let plain = Index::from_owned_texts(&texts);
    let hashed = Index::from_owned_texts(&texts);
    hashed.hash_names();
    let keys = plain.strs(layout::Sec::NameKeys);
    assert!(keys.len() > 6_000);
    for position in 0..keys.len() {
        let name = keys.get(position);
        assert_eq!(plain.name_position(name), Some(position), "{name}");
        assert_eq!(hashed.name_position(name), Some(position), "{name}");
        assert_eq!(hashed.named(name), plain.named(name), "{name}");
    }
    for absent in ["", "entry", "entry-3000", "title-1-", "alias-1000", "zzz"] {
        assert_eq!(plain.name_position(absent), None, "{absent}");
        assert_eq!(hashed.name_position(absent), None, "{absent}");
    }
    for link in ["Title 7", "alias 7", "ENTRY 0042", "nothing"] {
        assert_eq!(hashed.resolve(link), plain.resolve(link), "{link}");
    }
}
