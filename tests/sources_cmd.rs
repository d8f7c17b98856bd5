//! `otpic sources`: the bibliography of the fixture knowledge base `study`, in every
//! format, checked by golden files, a BibTeX parser and the CSL-JSON schema.

mod common;
use biblatex::ChunksExt;
use common::{json, kb, run};

fn sources(args: &[&str]) -> String {
    let (code, stdout, stderr) = run(kb("study")
        .arg("sources")
        .args(args)
        .args(["--width", "70"]));
    assert_eq!(code, 0, "{stderr}");
    stdout
}

#[test]
fn text_lists_each_work_once_with_the_entries_citing_it() {
    let text = sources(&[]);
    assert_eq!(text.matches("Getting to Yes\n").count(), 1, "{text}");
    assert!(text.contains("cited by arbitration (source), mediation (example)"));
    assert!(
        text.contains("[no author, no year] [anonndanonymous]"),
        "{text}"
    );
    insta::assert_snapshot!("sources_text", text);
    let styled = sources(&["--color", "always"]);
    insta::assert_snapshot!("sources_text_styled", styled);
}

#[test]
fn json_has_keys_types_venues_and_what_is_missing() {
    let v = json(kb("study").args(["sources", "--format", "json"]));
    let work = |key: &str| {
        v.as_array()
            .and_then(|a| a.iter().find(|w| w["key"] == key))
            .cloned()
            .unwrap_or_else(|| panic!("no work {key}: {v:#}"))
    };
    assert_eq!(work("smith1990binding")["type"], "article");
    assert_eq!(
        work("smith1990binding")["venue"]["journal"],
        "Journal of Peace Research"
    );
    assert_eq!(
        work("fisher1981separate")["venue"]["book"],
        "Getting to Yes"
    );
    assert_eq!(work("fisher1981getting")["type"], "book");
    assert_eq!(
        work("anonndanonymous")["missing"],
        serde_json::json!(["author", "year"])
    );
    assert_eq!(
        work("peace2020annual")["names"]["list"][0]["literal"],
        "Peace Institute"
    );
    insta::assert_snapshot!("sources_json", sources(&["--format", "json"]));
}

#[test]
fn bibtex_parses_with_a_bibtex_parser_and_keeps_every_character() {
    let text = sources(&["--format", "bibtex"]);
    insta::assert_snapshot!("sources_bibtex", text);
    let bib = biblatex::Bibliography::parse(&text)
        .unwrap_or_else(|e| panic!("the BibTeX does not parse: {e}\n{text}"));
    let keys: Vec<&str> = bib.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "anonndanonymous",
            "fisher1981getting",
            "fisher1981separate",
            "peace2020annual",
            "public2001peace",
            "smith1990binding",
            "smith1990spiral",
            "smith1991spiral"
        ]
    );
    let types: Vec<String> = bib.iter().map(|e| e.entry_type.to_string()).collect();
    assert_eq!(
        types,
        [
            "misc",
            "book",
            "incollection",
            "misc",
            "misc",
            "article",
            "misc",
            "misc"
        ]
    );
    let special = bib
        .get("public2001peace")
        .unwrap_or_else(|| panic!("missing"));
    let title = special
        .title()
        .unwrap_or_else(|e| panic!("{e:?}"))
        .format_verbatim();
    assert_eq!(
        title.replace(['{', '}'], ""),
        "Peace & War: 100% of NATO_x costs ~ ^ \\ \"quoted\"".replace(['{', '}'], ""),
        "escaping must survive a parse"
    );
    let fisher = bib
        .get("fisher1981getting")
        .unwrap_or_else(|| panic!("missing"));
    let authors = fisher.author().unwrap_or_else(|e| panic!("{e:?}"));
    let families: Vec<&str> = authors.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(families, ["Fisher", "Ury"]);
    let org = bib
        .get("peace2020annual")
        .unwrap_or_else(|| panic!("missing"));
    let org_author = org.author().unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(org_author.len(), 1);
    assert_eq!(
        org_author[0].name, "Peace Institute",
        "an organisation is one name"
    );
}

#[test]
fn csl_json_validates_against_the_csl_schema() {
    let schema_text = include_str!("schemas/csl-data.json");
    let schema: serde_json::Value =
        serde_json::from_str(schema_text).unwrap_or_else(|e| panic!("schema: {e}"));
    let validator = jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| panic!("schema does not compile: {e}"));
    let items = json(kb("study").args(["sources", "--format", "csl-json"]));
    let errors: Vec<String> = validator
        .iter_errors(&items)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(items.as_array().map(Vec::len), Some(8));
    // The schema would reject a field it does not know: prove the validator is strict.
    let wrong = serde_json::json!([{"id": "x", "type": "book", "colour": "red"}]);
    assert!(!validator.is_valid(&wrong));
    insta::assert_snapshot!("sources_csl_json", sources(&["--format", "csl-json"]));
    // The shipped knowledge base validates too.
    let (_, shipped, _) = run(common::otpic().args(["sources", "--format", "csl-json"]));
    let shipped: serde_json::Value = serde_json::from_str(&shipped).unwrap_or_default();
    let errors: Vec<String> = validator
        .iter_errors(&shipped)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn ris_records_are_tagged_lines_from_ty_to_er() {
    let text = sources(&["--format", "ris"]);
    insta::assert_snapshot!("sources_ris", text);
    let mut open = false;
    for line in text.lines() {
        let (tag, _) = line
            .split_once("  - ")
            .unwrap_or_else(|| panic!("not a RIS line: {line:?}"));
        assert!(
            tag.len() == 2
                && tag
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        match tag {
            "TY" => {
                assert!(!open, "TY inside a record");
                open = true;
            }
            "ER" => {
                assert!(open, "ER outside a record");
                open = false;
            }
            _ => assert!(open, "{line} outside a record"),
        }
    }
    assert!(!open);
    assert_eq!(text.matches("TY  - ").count(), 8);
}

#[test]
fn the_shipped_bibtex_parses_and_every_key_is_unique() {
    let (code, text, stderr) = run(common::otpic().args(["sources", "--format", "bibtex"]));
    assert_eq!(code, 0, "{stderr}");
    let bib = biblatex::Bibliography::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut keys: Vec<&str> = bib.iter().map(|e| e.key.as_str()).collect();
    let n = keys.len();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), n);
    assert!(keys.contains(&"george1991forceful"), "{keys:?}");
}

#[test]
fn a_query_with_depth_a_kind_or_a_tag_selects_the_citing_entries() {
    let keys = |args: &[&str]| -> Vec<String> {
        let v = json(
            kb("study")
                .arg("sources")
                .args(args)
                .args(["--format", "json"]),
        );
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|w| w["key"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(keys(&["stalemate"]), ["smith1991spiral"]);
    assert_eq!(
        keys(&["ripeness", "--depth", "1"]),
        ["smith1991spiral"],
        "ripeness cites nothing; its neighbour stalemate does"
    );
    assert_eq!(
        keys(&["--kind", "problem"]),
        ["peace2020annual", "smith1990spiral", "smith1991spiral"]
    );
    assert_eq!(
        keys(&["--tag", "talks", "--kind", "concept"]),
        Vec::<String>::new()
    );
    let (code, _, stderr) = run(kb("study").args(["sources", "--tag", "nothing"]));
    assert_eq!(
        (code, stderr.as_str()),
        (1, "otpic: no selected entries tagged \"nothing\"\n")
    );
}

#[test]
fn bibliography_formats_belong_to_sources_and_markdown_is_refused() {
    let (code, stdout, stderr) = run(kb("study").args(["list", "--format", "bibtex"]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("are for `otpic sources`"), "{stderr}");
    let (code, _, stderr) = run(kb("study").args(["sources", "--format", "markdown"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("not a bibliography format"), "{stderr}");
}

#[test]
fn check_warns_about_one_work_cited_with_two_years() {
    let (code, stdout, _) = run(kb("study").arg("check"));
    assert_eq!(code, 0, "a warning, not an error");
    let warning = stdout
        .lines()
        .find(|l| l.contains("the same work cited differently?"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(warning.contains("stalemate.toml: warning:"), "{warning}");
    assert!(
        warning.contains("different years (1991, 1990)"),
        "{warning}"
    );
    assert_eq!(
        stdout.matches("the same work cited differently?").count(),
        1
    );
}
