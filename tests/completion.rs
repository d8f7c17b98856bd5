//! Shell completion through the real binary: the protocol clap_complete's scripts use,
//! a real bash running the registration script, and the man page.

mod common;
use common::{fixture, otpic, run};

/// Asks otpic for bash completions of `line` (the word being completed is the last),
/// as the bash script does: `COMPLETE=bash otpic -- WORDS…` with the index of the
/// current word in `_CLAP_COMPLETE_INDEX`.
fn bash_candidates(cmd: &mut assert_cmd::Command, line: &[&str]) -> Vec<String> {
    bash_candidates_at(cmd, line, line.len() - 1)
}

/// The same, completing word `index` of `line` (the cursor is in the middle of the line).
fn bash_candidates_at(cmd: &mut assert_cmd::Command, line: &[&str], index: usize) -> Vec<String> {
    let (code, stdout, stderr) = run(cmd
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", index.to_string())
        .env("_CLAP_IFS", "\n")
        .arg("--")
        .args(line));
    assert_eq!(code, 0, "{stderr}");
    stdout.lines().map(str::to_owned).collect()
}

fn entries_only(candidates: Vec<String>) -> Vec<String> {
    candidates
        .into_iter()
        .filter(|c| !c.starts_with('-'))
        .collect()
}

#[test]
fn a_partial_id_completes_from_the_embedded_knowledge_base() {
    let got = bash_candidates(&mut otpic(), &["otpic", "show", "collective-s"]);
    assert_eq!(got, ["collective-security"]);
    let got = bash_candidates(&mut otpic(), &["otpic", "related", "coer"]);
    assert!(got.contains(&"coercive-diplomacy".to_owned()), "{got:?}");
    assert!(
        got.iter().all(|c| c.to_lowercase().starts_with("coer")),
        "{got:?}"
    );
}

#[test]
fn entries_typed_on_the_line_choose_the_knowledge_base() {
    let dir = fixture("basic").display().to_string();
    let got = bash_candidates(&mut otpic(), &["otpic", "--entries", &dir, "show", ""]);
    assert_eq!(entries_only(got), ["alpha", "beta", "delta", "gamma"]);
    let got = bash_candidates(&mut otpic(), &["otpic", "show", "--entries", &dir, "Al"]);
    assert_eq!(got, ["alpha", "Alpha Approach"]);
    let got = bash_candidates_at(
        &mut otpic(),
        &["otpic", "edit", "fir", "--entries", &dir],
        2,
    );
    assert!(
        !got.contains(&"first way".to_owned()),
        "only words before the current one count: {got:?}"
    );
    let got = bash_candidates(&mut otpic(), &["otpic", "--entries", &dir, "edit", "fir"]);
    assert_eq!(got, ["first way"]);
}

#[test]
fn with_embedded_typed_earlier_adds_the_built_in_entries_to_the_candidates() {
    let dir = fixture("basic").display().to_string();
    let without = bash_candidates(
        &mut otpic(),
        &["otpic", "--entries", &dir, "show", "collective-s"],
    );
    assert_eq!(
        without,
        Vec::<String>::new(),
        "the fixture alone has no such entry"
    );
    for line in [
        &[
            "otpic",
            "--entries",
            &dir,
            "--with-embedded",
            "show",
            "collective-s",
        ][..],
        &[
            "otpic",
            "--with-embedded",
            "--entries",
            &dir,
            "show",
            "collective-s",
        ],
        &[
            "otpic",
            "--entries",
            &dir,
            "show",
            "--with-embedded",
            "collective-s",
        ],
    ] {
        assert_eq!(
            bash_candidates(&mut otpic(), line),
            ["collective-security"],
            "{line:?}"
        );
    }
    // Both knowledge bases: the fixture's entries are still there.
    let got = entries_only(bash_candidates(
        &mut otpic(),
        &["otpic", "--with-embedded", "--entries", &dir, "show", "al"],
    ));
    assert!(got.contains(&"alpha".to_owned()), "{got:?}");
    assert!(got.len() > 1, "and the built-in ones: {got:?}");
    // Typed after the word being completed, it does not count.
    let got = bash_candidates_at(
        &mut otpic(),
        &[
            "otpic",
            "--entries",
            &dir,
            "show",
            "collective-s",
            "--with-embedded",
        ],
        4,
    );
    assert_eq!(got, Vec::<String>::new());
}

#[test]
fn otpic_entries_and_the_config_file_choose_the_knowledge_base_too() {
    let got = bash_candidates(
        otpic().env("OTPIC_ENTRIES", fixture("basic")),
        &["otpic", "show", "g"],
    );
    assert_eq!(got, ["gamma"]);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let config = dir.path().join("config.toml");
    let entries = format!("entries = [{:?}]\n", fixture("basic").display().to_string());
    std::fs::write(&config, entries).unwrap_or_else(|e| panic!("{e}"));
    let got = bash_candidates(
        otpic().env("OTPIC_CONFIG", &config),
        &["otpic", "show", "d"],
    );
    assert_eq!(got, ["delta"]);
}

#[test]
fn later_words_of_a_title_complete_after_the_first() {
    let dir = fixture("basic").display().to_string();
    let got = bash_candidates(
        &mut otpic(),
        &["otpic", "--entries", &dir, "show", "alpha", "a"],
    );
    assert_eq!(got, ["Approach"]);
}

#[test]
fn subcommands_kinds_and_field_names_complete() {
    let got = bash_candidates(&mut otpic(), &["otpic", "gl"]);
    assert_eq!(got, ["glossary"]);
    let dir = fixture("basic").display().to_string();
    let got = bash_candidates(
        &mut otpic(),
        &["otpic", "--entries", &dir, "list", "--kind", "c"],
    );
    assert_eq!(got, ["case", "concept"]);
    let got = bash_candidates(
        &mut otpic(),
        &["otpic", "--entries", &dir, "list", "--tag", ""],
    );
    assert_eq!(got, ["fixture", "greek"]);
    let got = bash_candidates(&mut otpic(), &["otpic", "show", "--field", "related_"]);
    assert_eq!(got, ["related_approaches", "related_problems"]);
}

#[test]
fn every_shell_gets_a_registration_script_that_calls_otpic_back() {
    for (shell, marker) in [
        ("bash", "complete -o nospace -o bashdefault"),
        ("zsh", "compdef"),
        ("fish", "complete --keep-order --exclusive --command otpic"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "set edit:completion:arg-completer[otpic]"),
    ] {
        let (code, stdout, stderr) = run(otpic().args(["completions", shell]));
        assert_eq!((code, stderr.as_str()), (0, ""), "{shell}");
        assert!(stdout.contains(marker), "{shell}: {stdout}");
        assert!(
            stdout.contains(env!("CARGO_BIN_EXE_otpic")),
            "{shell}: {stdout}"
        );
        let (_, same, _) = run(otpic().env("COMPLETE", shell));
        assert_eq!(
            same, stdout,
            "{shell}: COMPLETE={shell} otpic prints the same"
        );
    }
    let (code, _, stderr) = run(otpic().args(["completions", "tcsh"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("possible values: bash, zsh, fish, powershell, elvish"));
}

/// The whole round trip in a real bash: source the script, then run its completion
/// function as bash does on TAB, and read COMPREPLY.
#[cfg(unix)]
#[test]
fn bash_itself_completes_a_partial_id_with_the_registration_script() {
    let Ok(bash) = which("bash") else {
        panic!("bash is needed for this test");
    };
    let (_, script, _) = run(otpic().args(["completions", "bash"]));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("otpic.bash");
    std::fs::write(&path, script).unwrap_or_else(|e| panic!("{e}"));
    let probe = format!(
        "source {path}\n\
         COMP_WORDS=(otpic --entries {kb} show de)\n\
         COMP_CWORD=4\n\
         COMP_LINE='otpic --entries {kb} show de'\n\
         COMP_POINT=${{#COMP_LINE}}\n\
         _clap_complete_otpic otpic de show\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        path = path.display(),
        kb = fixture("basic").display(),
    );
    let mut cmd = assert_cmd::Command::from_std(common::hermetic(bash));
    let (code, stdout, stderr) = run(cmd.args(["--norc", "-c", &probe]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "delta\n", "{stderr}");
}

#[cfg(unix)]
fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .ok_or(())
}

#[test]
fn the_man_page_lists_every_command_flag_variable_file_and_exit_status() {
    use clap::CommandFactory;
    let (code, page, stderr) = run(otpic().arg("man"));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(page.starts_with(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.TH OTPIC 1 "));
    let roff = |s: &str| s.replace('-', "\\-");
    let cli = otpic::cli::Cli::command();
    for sub in cli.get_subcommands() {
        let heading = format!(".SS \"otpic {}\"", sub.get_name());
        assert!(
            page.contains(&heading) || page.contains(&format!(".SS otpic {}", sub.get_name())),
            "{heading}"
        );
        for arg in sub.get_arguments() {
            if let Some(long) = arg.get_long() {
                assert!(
                    page.contains(&roff(&format!("\\fB--{long}\\fR"))),
                    "{} --{long}",
                    sub.get_name()
                );
            }
        }
    }
    for arg in cli.get_arguments() {
        if let Some(long) = arg.get_long() {
            assert!(
                page.contains(&roff(&format!("\\fB--{long}\\fR"))),
                "--{long}"
            );
        }
    }
    for section in [
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH \"EXIT STATUS\"",
        ".SH COMMANDS",
    ] {
        assert!(page.contains(section), "{section}");
    }
    for var in [
        "OTPIC_ENTRIES",
        "OTPIC_CONFIG",
        "OTPIC_PAGER",
        "PAGER",
        "LESS",
        "VISUAL, EDITOR",
        "NO_COLOR",
        "COLUMNS",
        "COMPLETE",
    ] {
        assert!(page.contains(&format!(".TP\n\\fB{var}\\fR")), "{var}");
    }
    assert!(page.contains("otpic/config.toml"));
    for status in ["0", "1", "2"] {
        assert!(
            page.contains(&format!(".TP\n\\fB{status}\\fR")),
            "exit status {status}"
        );
    }
}

#[test]
fn man_and_completions_work_even_with_a_broken_config_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "colour = 1\n").unwrap_or_else(|e| panic!("{e}"));
    for args in [&["man"][..], &["completions", "zsh"]] {
        let (code, _, stderr) = run(otpic().env("OTPIC_CONFIG", &config).args(args));
        assert_eq!((code, stderr.as_str()), (0, ""), "{args:?}");
    }
}
