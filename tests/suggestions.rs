//! "Did you mean" takes a fast path on large knowledge bases: a probe rules out,
//! from lengths and character sets, the names that cannot be suggested, and only
//! the rest are compared word by word. These tests pin that the fast path gives
//! exactly what comparing the query with every name gives: in process over
//! generated name sets (property-style), and through the real binary on
//! `tests/fixtures/near-names`, whose names are near misses of each other.

mod common;
use common::{fixture, kb, run};
use otpic::index::Index;
use otpic::kb::{KnowledgeBase, NameRef};
use otpic::lookup::{self, Names};
use otpic::source::Source;
use proptest::prelude::*;

/// A knowledge base whose `near` is every name: the straightforward full scan.
struct FullScan<'a, K: Names>(&'a K);

impl<K: Names> Names for FullScan<'_, K> {
    fn entry_count(&self) -> usize {
        self.0.entry_count()
    }
    fn entry_id(&self, index: usize) -> &str {
        self.0.entry_id(index)
    }
    fn entry_title(&self, index: usize) -> &str {
        self.0.entry_title(index)
    }
    fn refs(&self, normalized: &str) -> Vec<NameRef> {
        self.0.refs(normalized)
    }
    fn with_prefix(&self, prefix: &str) -> Vec<(&str, NameRef)> {
        self.0.with_prefix(prefix)
    }
    fn near(&self, _key: &str) -> Vec<(&str, NameRef)> {
        self.0.with_prefix("")
    }
}

/// What `otpic show QUERY` says on stderr, computed by the full scan over the
/// entries parsed in memory: the "did you mean" error, or the note of a match.
fn expected_stderr(kb: &KnowledgeBase, query: &str) -> String {
    let full = FullScan(kb);
    match lookup::find(&full, query, false) {
        Err(e) => format!("otpic: {e}\n"),
        // An exact name opens its entry without a note.
        Ok(found) if found.how == lookup::How::Exact => String::new(),
        Ok(found) => format!("showing \"{}\"", full.entry_id(found.index)),
    }
}

#[test]
fn the_binary_suggests_what_a_full_scan_suggests() {
    let dir = fixture("near-names");
    let parsed = KnowledgeBase::load(&[Source::Dir(dir.clone())]).unwrap_or_else(|e| panic!("{e}"));
    let mut queries: Vec<String> = [
        "mediaton capacty zonez",
        "securty zones",
        "zones mediator",
        "peace keping",
        "zonez of peac",
        "capacityzones",
        "ecole de la paiz",
        "écol de paix",
        "medaitor",
        "zone of mediaton",
        "capasity",
        "truse",
        "trust bilding",
        "u n",
        "pease",
        "ozne",
        "qqqq zzzz",
    ]
    .map(str::to_owned)
    .to_vec();
    // Every id with one letter dropped, and with two letters swapped.
    for (id, _) in parsed
        .names()
        .filter(|(n, _)| n.len() > 4 && n.is_ascii())
        .take(12)
    {
        queries.push(format!("{}{}", &id[..2], &id[3..]));
        queries.push(format!(
            "{}{}{}{}",
            &id[..1],
            &id[2..3],
            &id[1..2],
            &id[3..]
        ));
    }
    let mut suggested = 0;
    for query in &queries {
        let want = expected_stderr(&parsed, query);
        let (code, _, stderr) = run(kb("near-names").arg("show").arg(query));
        if want.is_empty() {
            assert_eq!((code, stderr.as_str()), (0, ""), "{query}");
        } else if want.starts_with("showing") {
            assert_eq!(code, 0, "{query}: {stderr}");
            assert!(stderr.contains(&want), "{query}: {stderr} (want {want})");
        } else {
            assert_eq!(code, 1, "{query}: {stderr}");
            assert_eq!(stderr, want, "{query}");
            suggested += usize::from(want.contains("did you mean"));
        }
    }
    assert!(suggested >= 3, "too few queries reach \"did you mean\"");
}

/// A word of a generated name: a few stems with near misses of each other,
/// stop words, short words and a non-ASCII one.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(vec![
            "mediation", "mediator", "meditation", "capacity", "capacities", "zone", "zones",
            "ozone", "peace", "pace", "peacekeeping", "security", "securty", "truce", "trust",
            "of", "the", "un", "x", "é", "école", "zonez",
        ])
        .prop_map(str::to_owned),
        1 => proptest::string::string_regex("[a-z]{1,9}").unwrap_or_else(|e| panic!("{e}")),
    ]
}

fn name() -> impl Strategy<Value = String> {
    proptest::collection::vec(word(), 1..4).prop_map(|w| w.join(" "))
}

/// A query: a name of the set, or any name, with a few typing mistakes.
fn misspelt(names: Vec<String>) -> impl Strategy<Value = String> {
    let base = prop_oneof![proptest::sample::select(names), name()];
    (
        base,
        proptest::collection::vec((0..4u8, any::<prop::sample::Index>(), "[a-z -]"), 0..4),
    )
        .prop_map(|(mut q, edits)| {
            for (kind, at, c) in edits {
                let chars: Vec<char> = q.chars().collect();
                if chars.is_empty() {
                    break;
                }
                let i = at.index(chars.len());
                let mut chars = chars;
                match kind {
                    0 => {
                        chars.remove(i);
                    }
                    1 => chars.insert(i, c.chars().next().unwrap_or('a')),
                    2 => chars[i] = c.chars().next().unwrap_or('a'),
                    _ if i + 1 < chars.len() => chars.swap(i, i + 1),
                    _ => {}
                }
                q = chars.into_iter().collect();
            }
            q
        })
}

/// Entries named from generated names, and a query near some of them.
fn case() -> impl Strategy<Value = (Vec<(String, String)>, String)> {
    proptest::collection::vec((name(), proptest::option::of(name())), 1..40).prop_flat_map(
        |specs| {
            let entries: Vec<(String, String)> = specs
                .iter()
                .enumerate()
                .map(|(i, (title, alias))| {
                    let aliases = alias
                        .as_ref()
                        .map(|a| format!("\"{a}\""))
                        .unwrap_or_default();
                    (
                        format!("e{i}"),
                        format!("title = \"{title}\"\ndefinition = \"d\"\naliases = [{aliases}]\n"),
                    )
                })
                .collect();
            let names: Vec<String> = specs.iter().map(|(t, _)| t.clone()).collect();
            (Just(entries), misspelt(names))
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_probe_never_changes_the_ranking((entries, query) in case()) {
        let texts: Vec<(&str, &str)> =
            entries.iter().map(|(id, t)| (id.as_str(), t.as_str())).collect();
        let index = Index::from_texts(&texts);
        let key = otpic::name::normalize(&query);
        prop_assume!(!key.is_empty());
        let fast = lookup::fuzzy(&index, &key);
        let full = lookup::fuzzy_among(&index, &key, &index.with_prefix(""));
        prop_assert_eq!(&fast, &full);
        let found = |r: otpic::error::Result<lookup::Found>| match r {
            Ok(f) => format!("{f:?}"),
            Err(e) => e.to_string(),
        };
        prop_assert_eq!(
            found(lookup::find(&index, &query, false)),
            found(lookup::find(&FullScan(&index), &query, false))
        );
    }
}

#[test]
fn a_name_table_split_over_two_threads_ranks_as_the_full_scan() {
    // Past 20,000 names the probe runs on two threads: 7,000 entries of three
    // names each (id, title, alias), made of words near each other.
    let stems = [
        "mediation",
        "mediator",
        "capacity",
        "zones",
        "ozone",
        "peace",
        "pace",
    ];
    let entries: Vec<(String, String)> = (0..7_000)
        .map(|i| {
            let w = |k: usize| stems[(i / k) % stems.len()];
            (
                format!("e{i}"),
                format!(
                    "title = \"{} {} {i}\"\ndefinition = \"d\"\naliases = [\"{} {}\"]\n",
                    w(1),
                    w(7),
                    w(49),
                    w(3)
                ),
            )
        })
        .collect();
    let texts: Vec<(&str, &str)> = entries
        .iter()
        .map(|(id, t)| (id.as_str(), t.as_str()))
        .collect();
    let index = Index::from_texts(&texts);
    assert!(index.with_prefix("").len() > 20_000);
    for query in [
        "mediaton capacty",
        "zonez of peac",
        "medaitor zone",
        "ozne pase",
    ] {
        let key = otpic::name::normalize(query);
        let fast = lookup::fuzzy(&index, &key);
        assert!(!fast.is_empty(), "{query}");
        assert_eq!(
            fast,
            lookup::fuzzy_among(&index, &key, &index.with_prefix("")),
            "{query}"
        );
    }
}
