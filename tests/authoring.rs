//! `new` and `edit` through the real binary: the file written, never overwriting,
//! atomic writes, the editor (a fake editor script), and the check after editing.
// Fake pagers and editors are shell scripts, and the terminal is util-linux `script`.
#![cfg(unix)]

mod common;
use common::{otpic, run};
use std::path::{Path, PathBuf};

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An executable script in `dir`.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
    path
}

#[test]
fn new_writes_every_field_and_prints_the_path() {
    let kb = scratch();
    let (code, stdout, stderr) = run(otpic()
        .args(["new", "Peace", "Zones", "--kind", "Approach", "--dir"])
        .arg(kb.path()));
    assert_eq!(code, 0, "{stderr}");
    let path = kb.path().join("peace-zones.toml");
    assert_eq!(stdout, format!("{}\n", path.display()));
    assert!(stderr.contains("otpic edit peace-zones"), "{stderr}");
    let text = read(&path);
    assert!(
        text.contains("title = \"Peace Zones\"\nkind = \"approach\""),
        "{text}"
    );
    for field in [
        "summary",
        "aliases",
        "tags",
        "related_approaches",
        "related_problems",
        "definition",
        "[[examples]]",
        "[[sources]]",
        "[provenance]",
        "author",
        "year",
        "description",
        "url",
        "from",
        "publisher",
    ] {
        assert!(text.contains(field), "{field}");
    }
    let v = common::json(otpic().arg("--entries").arg(kb.path()).args([
        "show",
        "peace-zones",
        "--format",
        "json",
    ]));
    assert_eq!(v["title"], "Peace Zones");
    assert_eq!(v["kind"], "approach");
    assert_eq!(
        names(kb.path()),
        ["peace-zones.toml"],
        "no temporary file is left"
    );
}

#[test]
fn new_never_overwrites_an_existing_file() {
    let kb = scratch();
    let path = kb.path().join("peace-zones.toml");
    std::fs::write(&path, "precious").unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = run(otpic().args(["new", "Peace Zones", "--dir"]).arg(kb.path()));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        format!(
            "otpic: {}: already exists; otpic never overwrites a file\n",
            path.display()
        )
    );
    assert_eq!(read(&path), "precious");
    assert_eq!(names(kb.path()), ["peace-zones.toml"]);
}

/// A directory the user may not write into. As root (CI) permissions stop
/// nothing, so otpic then runs as `nobody`: the same refusal a user meets.
#[test]
fn new_in_an_unwritable_directory_fails_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let kb = scratch();
    common::open_to_others(kb.path());
    let locked = kb.path().join("locked");
    std::fs::create_dir(&locked).unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut nobody = common::unprivileged(&[
        "new".as_ref(),
        "A Title".as_ref(),
        "--dir".as_ref(),
        locked.as_os_str(),
    ]);
    let (code, stdout, stderr) = run(&mut nobody.cmd);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "otpic: {}: cannot create: permission denied\n",
            locked.join("a-title.toml").display()
        )
    );
    assert!(names(&locked).is_empty(), "{:?}", names(&locked));
    let _ = std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755));
}

#[test]
fn new_writes_to_the_first_knowledge_base_paths_lists_or_asks_for_dir() {
    let (a, b) = (scratch(), scratch());
    let (code, stdout, _) = run(otpic()
        .arg("--entries")
        .arg(a.path())
        .arg("--entries")
        .arg(b.path())
        .args(["new", "X"]));
    assert_eq!(code, 0);
    assert_eq!(stdout, format!("{}\n", b.path().join("x.toml").display()));
    let (code, _, stderr) = run(otpic().args(["new", "X"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("pass --dir DIR"), "{stderr}");
}

#[test]
fn new_refuses_titles_and_ids_that_make_no_valid_id() {
    let kb = scratch();
    let (code, _, stderr) = run(otpic().args(["new", "集体安全", "--dir"]).arg(kb.path()));
    assert_eq!(code, 2);
    assert!(stderr.contains("give one with --id"), "{stderr}");
    let (code, stdout, _) = run(otpic()
        .args(["new", "集体安全", "--id", "collective-security-zh", "--dir"])
        .arg(kb.path()));
    assert_eq!(code, 0);
    assert!(stdout.ends_with("collective-security-zh.toml\n"));
    let (code, _, stderr) = run(otpic()
        .args(["new", "x", "--id", "Bad Id", "--dir"])
        .arg(kb.path()));
    assert_eq!(code, 2);
    assert!(stderr.contains("like \"bad-id\""), "{stderr}");
}

#[test]
fn new_opens_the_editor_on_a_terminal_and_reports_errors_with_their_line() {
    let kb = scratch();
    let log = kb.path().join("editor.log");
    let editor = script(
        kb.path(),
        "editor",
        &format!(
            "echo \"$1\" > '{}'\nprintf 'title = \"T\"\\ndefinition = \"D\"\\nrelated_problems = [\"Nowhere\"]\\n' > \"$1\"",
            log.display()
        ),
    );
    let dir = kb.path().join("kb");
    let dir_arg = dir.display().to_string();
    let shown = common::on_terminal(
        &["new", "T", "--dir", &dir_arg],
        &[("EDITOR", &editor.display().to_string())],
    );
    let path = dir.join("t.toml");
    assert_eq!(read(&log).trim(), path.display().to_string());
    assert!(
        shown.contains(&format!(
            "{}:3:21: error: unresolved link \"Nowhere\"",
            path.display()
        )),
        "{shown}"
    );
    assert!(shown.contains("the entry has 1 error"), "{shown}");

    let log2 = kb.path().join("not-called.log");
    let editor = script(kb.path(), "editor2", &format!("touch '{}'", log2.display()));
    let (code, _, _) = run(otpic()
        .env("EDITOR", &editor)
        .args(["new", "U", "--dir"])
        .arg(&dir));
    assert_eq!(code, 0);
    assert!(!log2.exists(), "no editor when not on a terminal");
}

#[test]
fn edit_opens_the_entry_file_in_the_editor_and_checks_it_after() {
    let kb = scratch();
    std::fs::write(
        kb.path().join("peace.toml"),
        "title = \"Peace\"\ndefinition = \"d\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let log = kb.path().join("editor.log");
    let editor = script(
        kb.path(),
        "ed-ok",
        &format!("echo \"$@\" > '{}'", log.display()),
    );
    let path = kb.path().join("peace.toml");
    let (code, stdout, stderr) = run(otpic()
        .env("VISUAL", &editor)
        .env("EDITOR", "false")
        .arg("--entries")
        .arg(kb.path())
        .args(["edit", "pea"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, format!("{}\n", path.display()));
    assert_eq!(
        read(&log),
        format!("{}\n", path.display()),
        "VISUAL comes first"
    );

    let broken = script(
        kb.path(),
        "ed-break",
        "printf 'title = \"Peace\"\\ndefinition = \\n' > \"$1\"",
    );
    let (code, _, stderr) = run(otpic()
        .env("EDITOR", &broken)
        .arg("--entries")
        .arg(kb.path())
        .args(["edit", "peace"]));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(&format!("{}:2:14: error: ", path.display())),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "the entry has 1 error; the file is saved as it is: fix it with `otpic edit peace`\n"
        ),
        "{stderr}"
    );

    let fix = script(
        kb.path(),
        "ed-fix",
        "printf 'title = \"Peace\"\\ndefinition = \"d\"\\n' > \"$1\"",
    );
    let (code, stdout, stderr) = run(otpic()
        .env("EDITOR", &fix)
        .arg("--entries")
        .arg(kb.path())
        .args(["edit", "peace"]));
    assert_eq!(
        code, 0,
        "a file that does not load can still be opened by its id: {stderr}"
    );
    assert_eq!(stdout, format!("{}\n", path.display()));
    assert!(stderr.contains("does not load"), "{stderr}");
    assert_eq!(read(&path), "title = \"Peace\"\ndefinition = \"d\"\n");

    let (code, _, stderr) = run(otpic()
        .env("EDITOR", "false")
        .arg("--entries")
        .arg(kb.path())
        .args(["edit", "peace"]));
    assert_eq!(code, 2, "a failing editor");
    assert!(
        stderr.contains("editor \"false\" failed (exit status 1)"),
        "{stderr}"
    );
}

#[test]
fn a_built_in_entry_is_copied_before_editing_and_an_earlier_copy_is_reopened() {
    let kb = scratch();
    let (code, stdout, stderr) = run(otpic()
        .env("EDITOR", "true")
        .args(["edit", "collective-security"]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("is in the built-in knowledge base, which cannot be edited")
            && stderr.contains("--copy-to DIR"),
        "{stderr}"
    );
    let mine = kb.path().join("mine");
    let (code, stdout, stderr) = run(otpic()
        .env("EDITOR", "true")
        .args(["edit", "collective-security", "--copy-to"])
        .arg(&mine));
    assert_eq!(code, 0, "{stderr}");
    let copy = mine.join("collective-security.toml");
    assert_eq!(stdout, format!("{}\n", copy.display()));
    let original = Path::new(env!("CARGO_MANIFEST_DIR")).join("entries/collective-security.toml");
    assert_eq!(read(&copy), read(&original));
    assert!(
        stderr.contains("is not an active knowledge base"),
        "{stderr}"
    );
    // The copy exists now: the same command opens it again, and never replaces it.
    let changed = read(&copy).replace("title = \"Collective Security\"", "title = \"Mine\"");
    std::fs::write(&copy, &changed).unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = run(otpic()
        .env("EDITOR", "true")
        .args(["edit", "collective-security", "--copy-to"])
        .arg(&mine));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, format!("{}\n", copy.display()));
    assert!(
        stderr.contains("exists already (an earlier copy); editing it"),
        "{stderr}"
    );
    assert_eq!(read(&copy), changed);
}

/// Runs otpic on a pseudo-terminal (util-linux `script`) with `answer` typed ahead,
/// HOME and XDG_CONFIG_HOME in `home` (so no user config file is read).
fn on_terminal_answering(home: &Path, answer: &str, args: &[&str]) -> (i32, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_otpic"))
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let mut child = Command::new("script")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TERM", "xterm-256color")
        .env("EDITOR", "true")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("util-linux `script` is needed for this test: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(answer.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"),
    )
}

#[test]
fn on_a_terminal_edit_offers_to_copy_a_built_in_entry() {
    let (home, kb) = (scratch(), scratch());
    let dir = kb.path().display().to_string();
    let args = [
        "--with-embedded",
        "--entries",
        &dir,
        "edit",
        "peace",
        "zones",
    ];
    let (code, shown) = on_terminal_answering(home.path(), "n\n", &args);
    assert_eq!(code, 2, "{shown}");
    assert!(
        shown.contains(&format!(
            "Copy it to {dir}/peace-zones.toml and edit the copy? [y/N]"
        )),
        "{shown}"
    );
    assert!(names(kb.path()).is_empty(), "no means no copy");
    let (code, shown) = on_terminal_answering(home.path(), "y\n", &args);
    assert_eq!(code, 0, "{shown}");
    assert_eq!(names(kb.path()), ["peace-zones.toml"]);
}

/// The check after editing goes through the index, not a parse of the whole
/// knowledge base: for every entry of the lint fixture it reports exactly the
/// lines `otpic check` reports for that file (one-way links, links to self,
/// unresolved links with their suggestion, orphans, shared names, unknown
/// fields, duplicates), in the same order, and fails exactly when they hold an
/// error. Run twice, so that the second run reads the index the first wrote.
#[test]
fn the_check_after_editing_reports_what_check_reports_for_that_file() {
    let lint = common::fixture("lint");
    let (_, checked, _) = run(otpic().arg("--entries").arg(&lint).arg("check"));
    let home = scratch();
    for id in [
        "hub",
        "orphan",
        "twin-a",
        "twin-b",
        "dup",
        "spoke",
        "one-way-target",
    ] {
        for _ in 0..2 {
            let (code, stdout, stderr) = run(otpic()
                .env("EDITOR", "true")
                .env("OTPIC_CACHE_DIR", home.path())
                .arg("--entries")
                .arg(&lint)
                .args(["edit", id]));
            let file = stdout.trim_end().to_owned();
            assert!(file.ends_with(".toml"), "{id}: {stdout}");
            let expected: Vec<&str> = checked
                .lines()
                .filter(|l| l.starts_with(&format!("{file}:")))
                .collect();
            // What edit prints after the loading problems (lines "otpic: …").
            let reported: Vec<&str> = stderr
                .lines()
                .filter(|l| !l.starts_with("otpic: "))
                .collect();
            assert_eq!(reported, expected, "{id}: {stderr}");
            let errors = expected.iter().any(|l| l.contains(": error: "));
            assert_eq!(code, if errors { 1 } else { 0 }, "{id}: {stderr}");
        }
    }
}
