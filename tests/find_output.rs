//! Output that fits and reads well, and commands that agree: list widths, links,
//! works without an author, kinds as typed, tags, empty JSON, --help, check's
//! consistency items, --field markers and completion of names with a colon.

mod common;
use common::{fixture, kb, on_terminal, otpic, portable, run};

fn dir(name: &str) -> String {
    fixture(name).display().to_string()
}

fn terminal(args: &[&str]) -> String {
    on_terminal(args, &[])
}

#[test]
fn list_on_a_narrow_terminal_keeps_ids_whole_and_aligned() {
    let shown = terminal(&[
        "--entries",
        &dir("output"),
        "--no-pager",
        "--color",
        "never",
        "--width",
        "50",
        "list",
    ]);
    let ids = [
        "countering-violent-extremism",
        "remarkably-long",
        "unfilled",
    ];
    let mut columns = Vec::new();
    for id in ids {
        let line = shown
            .lines()
            .find(|l| l.ends_with(id))
            .unwrap_or_else(|| panic!("{id} split or missing:\n{shown}"));
        columns.push(line.len() - id.len());
    }
    assert!(
        columns.windows(2).all(|w| w[0] == w[1]),
        "{columns:?}\n{shown}"
    );
    assert!(shown.lines().all(|l| l.chars().count() <= 50), "{shown}");
    // The long title wraps under its own column.
    assert!(shown.contains("\n  The Remarkably "), "{shown}");
    assert!(shown.contains("\n  Long Title of an\n"), "{shown}");
}

#[test]
fn related_on_a_narrow_terminal_never_splits_an_id() {
    let shown = terminal(&[
        "--no-pager",
        "--color",
        "never",
        "--width",
        "40",
        "related",
        "strong-cities-network",
    ]);
    assert!(shown.contains("countering-violent-extremism"), "{shown}");
}

#[test]
fn inline_links_show_their_text_and_address() {
    let (code, stdout, _) = run(kb("output").args(["show", "countering-violent-extremism"]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("as in Strong Cities (https://strongcities.org/about)."),
        "{stdout}"
    );
    assert!(!stdout.contains("]("), "{stdout}");
}

#[test]
fn a_work_without_an_author_keeps_its_title_apart() {
    let (_, stdout, _) = run(kb("output").args(["show", "remarkably-long"]));
    assert!(
        stdout.contains("- Good Offices. Encyclopedia entry (The Free Dictionary): non-binding."),
        "{stdout}"
    );
}

#[test]
fn kinds_are_understood_as_typed_or_answered_with_the_valid_ones() {
    for kind in ["approach", "approaches", "Approaches"] {
        let (code, stdout, _) = run(kb("output").args(["list", "--kind", kind]));
        assert_eq!(
            (code, stdout.as_str()),
            (
                0,
                "remarkably-long\tThe Remarkably Long Title of an Entry That Goes On and On and On\n"
            ),
            "{kind}"
        );
    }
    let (code, stdout, _) = run(kb("output").args(["list", "--kind", "organisations"]));
    assert_eq!((code, stdout.as_str()), (0, "unfilled\tUnfilled\n"));
    let (code, stdout, stderr) = run(kb("output").args(["list", "--kind", "aproach"]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "otpic: no kind \"aproach\"; did you mean \"approach\"?; the kinds here are: approach, concept, organization\n"
    );
}

#[test]
fn tags_are_listed_with_their_counts() {
    let (code, stdout, _) = run(kb("output").arg("tags"));
    assert_eq!((code, stdout.as_str()), (0, "security\t2\ncve\t1\n"));
    let (_, stdout, _) = run(kb("output").args(["--format", "json", "tags"]));
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_default();
    assert_eq!(
        value,
        serde_json::json!([{"tag": "security", "count": 2}, {"tag": "cve", "count": 1}])
    );
}

#[test]
fn glossary_takes_kind_and_tag_like_list() {
    let (code, stdout, _) = run(kb("output").args(["glossary", "--tag", "cve"]));
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("Countering Violent Extremism (countering-violent-extremism)"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let (_, stdout, _) = run(kb("output").args(["glossary", "--kind", "organizations"]));
    assert!(stdout.starts_with("Unfilled (unfilled)"), "{stdout}");
}

#[test]
fn empty_json_results_are_an_empty_array() {
    for args in [
        &["list", "--tag", "nothing"][..],
        &["glossary", "--tag", "nothing"],
        &["search", "zzzz"],
    ] {
        let (code, stdout, _) = run(kb("output").args(["--format", "json"]).args(args));
        assert_eq!((code, stdout.as_str()), (1, "[]\n"), "{args:?}");
    }
}

#[test]
fn the_environment_section_of_help_is_aligned() {
    let (_, stdout, _) = run(otpic().arg("--help"));
    let section: Vec<&str> = stdout
        .split("Environment:\n")
        .nth(1)
        .unwrap_or("")
        .lines()
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(section.len() >= 8, "{stdout}");
    // Each description (and each continuation line) starts in one column.
    let starts: Vec<usize> = section
        .iter()
        .map(|l| match l.get(2..).and_then(|rest| rest.find("  ")) {
            Some(gap) if !l[2..3].trim().is_empty() => {
                let after = &l[2 + gap..];
                2 + gap + after.len() - after.trim_start().len()
            }
            _ => l.len() - l.trim_start().len(),
        })
        .collect();
    assert!(
        starts.iter().all(|&c| c == starts[0]),
        "{starts:?}\n{}",
        section.join("\n")
    );
}

#[test]
fn check_calls_links_found_only_by_prefix_or_misspelling_errors_with_a_real_hint() {
    let (code, stdout, _) = run(kb("output").arg("check"));
    assert_eq!(code, 1);
    let stdout = portable(&stdout);
    assert!(stdout.contains(
        "tests/fixtures/output/remarkably-long.toml:6:23: error: unresolved link \"countering violent extremsm\": no entry has that id, title or alias; did you mean \"countering-violent-extremism\"?"
    ), "{stdout}");
    assert!(stdout.contains(
        "tests/fixtures/output/remarkably-long.toml:7:21: error: unresolved link \"counter\": no entry has that id, title or alias; did you mean \"countering-violent-extremism\"?"
    ), "{stdout}");
    // Every command agrees: the link is unresolved in show too.
    let (_, stdout, _) =
        run(kb("output").args(["show", "--field", "related_approaches", "remarkably-long"]));
    assert_eq!(stdout, "?countering violent extremsm\n");
}

#[test]
fn check_flags_the_definition_new_leaves_to_fill_in() {
    let (_, stdout, _) = run(kb("output").arg("check"));
    assert!(
        portable(&stdout).contains("tests/fixtures/output/unfilled.toml: warning: \"unfilled\" still has the placeholder definition `otpic new` wrote: fill it in"),
        "{stdout}"
    );
}

#[test]
fn a_file_whose_stem_is_no_id_is_skipped_alike_by_every_command() {
    let note = "tests/fixtures/lint/Bad Name.toml: error: \"Bad Name\" is not a valid id, so the file is skipped: name it in lowercase kebab-case, like \"bad-name.toml\"";
    let (_, stdout, stderr) = run(kb("lint").arg("list"));
    assert!(!stdout.contains("Bad Name"), "{stdout}");
    assert!(
        portable(&stderr).contains(&format!("otpic: {note}\n")),
        "{stderr}"
    );
    let (code, _, stderr) = run(kb("lint").args(["show", "--exact", "Bad Name"]));
    assert_eq!(code, 1);
    assert!(
        portable(&stderr).contains(&format!("otpic: {note}\n")),
        "{stderr}"
    );
    let (_, stdout, _) = run(kb("lint").arg("check"));
    assert!(portable(&stdout).contains(&format!("{note}\n")), "{stdout}");
}

#[test]
fn bash_completes_names_that_hold_a_colon() {
    // Bash splits "Diplomacy: Conditions" at the colon (COMP_WORDBREAKS).
    let complete = |words: &[&str]| {
        let (code, stdout, stderr) = run(otpic()
            .env("COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
            .env("_CLAP_IFS", "\n")
            .arg("--")
            .args(words));
        assert_eq!(code, 0, "{stderr}");
        stdout.lines().map(str::to_owned).collect::<Vec<_>>()
    };
    let got = complete(&["otpic", "show", "coercive", "diplomacy", ":", "con"]);
    assert_eq!(got, ["Conditions for Success"]);
    let got = complete(&["otpic", "show", "coercive", "diplomacy", ":"]);
    assert!(
        got.contains(&": Conditions for Success".to_owned()),
        "{got:?}"
    );
}
