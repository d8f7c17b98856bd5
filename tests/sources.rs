//! Where entries come from: embedded, --entries, OTPIC_ENTRIES, overrides, broken files.

mod common;
use common::{fixture, json, kb, otpic, run};

fn ids(cmd: &mut assert_cmd::Command) -> Vec<String> {
    let (code, stdout, stderr) = run(cmd.arg("list"));
    assert_eq!(code, 0, "{stderr}");
    stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn the_embedded_knowledge_base_works_from_any_directory() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = run(otpic()
        .current_dir(dir.path())
        .args(["show", "collective-security"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("Collective Security\n"));
    assert_eq!(stderr, "");
}

#[test]
fn subfolders_are_read_and_hidden_files_backups_and_other_files_are_not() {
    assert_eq!(ids(&mut kb("basic")), ["alpha", "beta", "delta", "gamma"]);
}

#[test]
fn otpic_entries_selects_directories_and_the_flag_wins_over_it() {
    let both = std::env::join_paths([fixture("basic"), fixture("override")]).unwrap_or_default();
    let v = json(
        otpic()
            .env("OTPIC_ENTRIES", &both)
            .args(["show", "gamma", "--format", "json"]),
    );
    assert_eq!(
        v["title"], "Gamma Overridden",
        "a later knowledge base overrides an earlier one"
    );
    assert_eq!(
        ids(otpic()
            .env("OTPIC_ENTRIES", &both)
            .arg("--entries")
            .arg(fixture("dupes"))),
        ["same"]
    );
}

#[test]
fn with_embedded_adds_the_built_in_knowledge_base_back() {
    let list = ids(kb("basic").arg("--with-embedded"));
    assert!(list.contains(&"alpha".to_owned()) && list.contains(&"collective-security".to_owned()));
    assert!(!ids(&mut kb("basic")).contains(&"collective-security".to_owned()));
}

#[test]
fn a_missing_directory_or_a_file_is_exit_2_naming_it() {
    let (code, stdout, stderr) = run(otpic().args(["--entries", "/no/such/dir", "list"]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "otpic: cannot use knowledge base /no/such/dir: no such file or directory\n"
    );
    let file = fixture("basic/alpha.toml");
    let (code, _, stderr) = run(otpic().arg("--entries").arg(&file).arg("list"));
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "otpic: cannot use knowledge base {}: not a directory\n",
            file.display()
        )
    );
}

#[test]
fn a_malformed_entry_is_one_stderr_line_and_the_rest_still_work() {
    let (code, stdout, stderr) = run(kb("broken").args(["show", "good"]));
    assert_eq!(code, 0);
    assert!(stdout.starts_with("Good Entry\n"));
    let dir = fixture("broken").display().to_string();
    let stderr = common::loose::text(&stderr.replace(&dir, "broken"), &common::BROKEN_TOML);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "otpic: broken/bad-syntax.toml:2:27: error: <the toml crate's message>",
            "otpic: broken/no-definition.toml: error: missing required field \"definition\"",
            "otpic: broken/no-title.toml: error: missing required field \"title\"",
            "otpic: broken/wrong-type.toml:3:8: error: <the toml crate's message>",
        ]
    );
}

#[test]
fn two_files_with_one_id_are_an_error_naming_both() {
    let (code, stdout, stderr) = run(kb("dupes").arg("list"));
    assert_eq!((code, stdout.as_str()), (0, "same\tSame In A\n"));
    let dir = fixture("dupes").display().to_string();
    assert_eq!(
        stderr.replace(&dir, "dupes"),
        "otpic: dupes/b/same.toml: error: duplicate id \"same\": dupes/a/same.toml has it too; this file is ignored\n"
    );
}

#[test]
fn unreadable_non_utf8_empty_and_oversized_files_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(dir.path().join(name), bytes).unwrap_or_else(|e| panic!("{e}"))
    };
    write("ok.toml", b"title = \"Ok\"\ndefinition = \"fine\"\n");
    write("latin1.toml", b"title = \"Caf\xe9\"\ndefinition = \"x\"\n");
    write("empty.toml", b"");
    write("huge.toml", &vec![b'#'; 50 * 1024 * 1024]);
    let (code, stdout, stderr) = run(otpic().arg("--entries").arg(dir.path()).arg("list"));
    assert_eq!((code, stdout.as_str()), (0, "ok\tOk\n"));
    let root = dir.path().display().to_string();
    let stderr = stderr.replace(&root, "kb");
    assert!(
        stderr.contains("otpic: kb/latin1.toml:1:13: error: file is not valid UTF-8"),
        "{stderr}"
    );
    assert!(
        stderr.contains("otpic: kb/empty.toml: error: file is empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("otpic: kb/huge.toml: error: file is 52428800 bytes, over the 1 MiB limit"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_unreadable_files_are_reported_without_hanging() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("ok.toml"),
        "title = \"Ok\"\ndefinition = \"fine\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(dir.path().join("sub")).unwrap_or_else(|e| panic!("{e}"));
    symlink(dir.path(), dir.path().join("sub/loop")).unwrap_or_else(|e| panic!("{e}"));
    symlink("self.toml", dir.path().join("self.toml")).unwrap_or_else(|e| panic!("{e}"));
    let locked = dir.path().join("locked.toml");
    std::fs::write(&locked, "title = \"Locked\"\ndefinition = \"x\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000))
        .unwrap_or_else(|e| panic!("{e}"));
    // Root reads any file: as root (CI), otpic runs as `nobody`.
    common::open_to_others(dir.path());
    let mut nobody = common::unprivileged(&[
        "--entries".as_ref(),
        dir.path().as_os_str(),
        "list".as_ref(),
    ]);
    let (code, stdout, stderr) = run(&mut nobody.cmd);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "ok\tOk\n");
    assert!(stderr.contains("symlink loop"), "{stderr}");
    assert!(
        stderr.contains("self.toml: error: cannot follow symlink"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "otpic: {}: error: cannot read file: permission denied\n",
            locked.display()
        )),
        "{stderr}"
    );
}
