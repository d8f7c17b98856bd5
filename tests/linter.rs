//! `otpic check` as a linter: every problem in one run, pinned on fixtures that hold each kind.

mod common;
use common::{fixture, kb, otpic, portable, run};

#[test]
fn the_lint_fixture_reports_every_error_and_warning_sorted_by_file_and_line() {
    let (code, stdout, stderr) = run(kb("lint").arg("check"));
    assert_eq!(code, 1);
    assert_eq!(stderr, "otpic: check found 9 errors\n");
    insta::assert_snapshot!(
        "lint_text",
        common::loose::text(&portable(&stdout), &common::LINT_TOML)
    );
}

#[test]
fn the_lint_fixture_in_json() {
    let (code, stdout, stderr) = run(kb("lint").args(["check", "--format", "json"]));
    assert_eq!(
        (code, stderr.as_str()),
        (1, "otpic: check found 9 errors\n")
    );
    insta::assert_snapshot!(
        "lint_json",
        common::loose::json(&portable(&stdout), &common::LINT_TOML)
    );
}

#[test]
fn an_oversized_file_is_an_error_too() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("big.toml"), vec![b'#'; 2 * 1024 * 1024])
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("ok.toml"),
        "title = \"Ok\"\ndefinition = \"d\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, _) = run(otpic().arg("--entries").arg(dir.path()).arg("check"));
    assert_eq!(code, 1);
    let stdout = stdout.replace(&dir.path().display().to_string(), "kb");
    assert_eq!(
        stdout,
        "kb/big.toml: error: file is 2097152 bytes, over the 1 MiB limit for an entry; skipped\n1 entry checked: 1 error, 0 warnings\n"
    );
}

#[test]
fn warnings_alone_pass_unless_strict() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("a.toml"),
        "title = \"A\"\ndefinition = \"d\"\nextra = 1\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = run(otpic().arg("--entries").arg(dir.path()).arg("check"));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(
        stdout.contains("a.toml:3:1: warning: unknown field \"extra\" is ignored"),
        "{stdout}"
    );
    let (code, _, stderr) = run(otpic()
        .arg("--entries")
        .arg(dir.path())
        .args(["check", "--strict"]));
    assert_eq!(
        (code, stderr.as_str()),
        (1, "otpic: check found 0 errors and 1 warning (--strict)\n")
    );
}

#[test]
fn unknown_fields_never_fail_other_commands() {
    let (code, stdout, stderr) = run(kb("lint").args(["show", "hub"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("Hub\n"));
    assert!(!stderr.contains("unknown field"), "{stderr}");
}

#[test]
fn check_never_changes_a_file() {
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = walk(&fixture("lint"));
    let _ = run(kb("lint").arg("check"));
    assert_eq!(walk(&fixture("lint")), before);
}

fn walk(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for item in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = item.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap_or_default()));
        }
    }
    out.sort();
    out
}

/// A knowledge base of `n` entries with every kind of problem `check` finds,
/// spread over folders and chunks: one-way, self, unresolved and mistyped
/// links, undeclared relations, shared titles and aliases, placeholders,
/// unknown fields, files that do not parse, duplicate ids, and works cited
/// nearly alike by entries far apart.
fn many_problems(dir: &std::path::Path, n: usize) {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let write = |path: std::path::PathBuf, text: String| {
        std::fs::create_dir_all(path.parent().unwrap_or(dir)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    };
    write(
        dir.join(".otpic.toml"),
        "[relations.broader]\nlabel = \"Broader\"\ninverse = \"Narrower\"\ntargets = [\"concept\"]\n\n[relations.contrasts_with]\nlabel = \"Contrasts with\"\nsymmetric = true\n\n[relations.wrong]\nlabel = 3\n".to_owned(),
    );
    let folders = ["concepts", "cases", "z", "a/deeper"];
    let kinds = ["concept", "case", "concept", "approach"];
    let titles = [
        "The forceful persuasion of peace",
        "The forcefull persuasion of peace",
        "Getting to yes",
        "Getting to yes 2",
        "Conflict resolution in practice",
    ];
    let authors = ["Alexander George", "A. George", "Roger Fisher", "Fisher"];
    for i in 0..n {
        let f = next(folders.len());
        let mut text = format!("title = \"Entry {i}\"\nkind = \"{}\"\n", kinds[f]);
        match next(12) {
            0 => text.push_str(&format!("aliases = [\"Entry {}\"]\n", next(n))),
            1 => text.push_str("aliases = [\"shared name\"]\n"),
            2 => text.push_str("colour = \"blue\"\n"),
            _ => {}
        }
        let links: Vec<String> = (0..next(5))
            .map(|_| match next(20) {
                0 => format!("\"e{i:04}\""),
                1 => format!("\"e{:04}x\"", next(n)),
                2 => format!("\"Entry {}\"", next(n)),
                _ => format!("\"e{:04}\"", next(n)),
            })
            .collect();
        text.push_str(&format!("related_approaches = [{}]\n", links.join(", ")));
        if next(6) == 0 {
            text.push_str(&format!(
                "original_links = [\"e{:04}\", \"nowhere{i}\"]\n",
                next(n)
            ));
        }
        if next(40) == 0 {
            text.push_str("definition = \"Write the explanation here, in Markdown.\"\n");
        } else {
            text.push_str(&format!("definition = \"Entry {i} explained.\"\n"));
        }
        if next(3) == 0 {
            text.push_str(&format!(
                "[links]\nbroader = [\"e{:04}\"]\ncontrasts_with = [\"e{:04}\"]\n",
                next(n),
                next(n)
            ));
            if next(4) == 0 {
                text.push_str(&format!("undeclared = [\"e{:04}\"]\n", next(n)));
            }
        }
        for _ in 0..next(3) {
            text.push_str(&format!(
                "\n[[{}]]\ntitle = \"{}\"\nauthor = \"{}\"\nyear = {}\n",
                ["sources", "examples"][next(2)],
                titles[next(titles.len())],
                authors[next(authors.len())],
                1990 + next(3)
            ));
            if next(3) == 0 {
                text.push_str(&format!("url = \"http://example.org/{}\"\n", next(2)));
            }
        }
        write(dir.join(folders[f]).join(format!("e{i:04}.toml")), text);
    }
    write(dir.join("z/broken.toml"), "title = \"Broken\n".to_owned());
    write(
        dir.join("cases/e0007.toml"),
        "title = \"Again\"\ndefinition = \"d\"\n".to_owned(),
    );
    write(
        dir.join("a/number.toml"),
        "title = 42\ndefinition = \"d\"\n".to_owned(),
    );
}

#[test]
fn the_streamed_report_equals_the_whole_knowledge_base_checked_at_once() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // More entries than one chunk per core, so that both threads take part.
    many_problems(dir.path(), 1300);
    let kb = otpic::kb::KnowledgeBase::load(&[otpic::source::Source::Dir(dir.path().to_owned())])
        .unwrap_or_else(|e| panic!("{e}"));
    let found = otpic::check::check(&kb);
    let errors = found.iter().filter(|d| d.is_error()).count();
    let warnings = found.len() - errors;
    let one_way = found
        .iter()
        .filter(|d| d.message.starts_with("one-way"))
        .count();
    let alike = found
        .iter()
        .filter(|d| d.message.contains("cited differently"))
        .count();
    assert!(
        errors > 100 && one_way > 1000 && alike > 10 && found.iter().any(|d| d.line.is_none()),
        "the fixture lacks problems: {errors} errors, {one_way} one-way, {alike} works"
    );
    let mut expected: String = found.iter().map(|d| format!("{d}\n")).collect();
    expected.push_str(&format!(
        "{} entries checked: {errors} errors, {warnings} warnings\n",
        kb.entries.len()
    ));
    let (code, stdout, stderr) = run(otpic().arg("--entries").arg(dir.path()).arg("check"));
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr, format!("otpic: check found {errors} errors\n"));
    assert!(
        stdout == expected,
        "the streamed report differs from the whole one"
    );

    let (code, stdout, _) = run(otpic()
        .arg("--entries")
        .arg(dir.path())
        .args(["check", "--format", "json"]));
    assert_eq!(code, 1);
    let json: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e})"));
    let (e, w): (Vec<_>, Vec<_>) = found.iter().partition(|d| d.is_error());
    let whole = serde_json::json!({ "errors": e, "warnings": w });
    assert!(json == whole, "the JSON report differs from the whole one");
}
