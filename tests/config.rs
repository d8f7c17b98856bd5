//! The config file through the real binary: where it is found, what it sets, how flags
//! and the environment override it, and how a broken one is reported.

mod common;
use common::{fixture, otpic, run};
use std::path::{Path, PathBuf};

/// A scratch config directory; `otpic()` reads `$XDG_CONFIG_HOME/otpic/config.toml`.
struct Config {
    dir: tempfile::TempDir,
}

impl Config {
    fn new(text: &str) -> Config {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let config = Config { dir };
        let path = config.file();
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("/")))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        config
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("otpic/config.toml")
    }

    fn otpic(&self) -> assert_cmd::Command {
        let mut cmd = otpic();
        cmd.env("XDG_CONFIG_HOME", self.dir.path());
        cmd
    }
}

fn ids(cmd: &mut assert_cmd::Command) -> Vec<String> {
    let (code, stdout, stderr) = run(cmd.arg("list"));
    assert_eq!(code, 0, "{stderr}");
    stdout
        .lines()
        .filter_map(|l| l.split('\t').next())
        .map(str::to_owned)
        .collect()
}

fn quoted(path: PathBuf) -> String {
    format!("{:?}", path.display().to_string())
}

#[test]
fn the_config_file_names_knowledge_bases_and_flags_and_the_environment_override_it() {
    let config = Config::new(&format!("entries = [{}]\n", quoted(fixture("override"))));
    assert_eq!(ids(&mut config.otpic()), ["gamma"]);
    assert_eq!(
        ids(config.otpic().env("OTPIC_ENTRIES", fixture("dupes"))),
        ["same"],
        "OTPIC_ENTRIES replaces the config file's entries"
    );
    assert_eq!(
        ids(config
            .otpic()
            .env("OTPIC_ENTRIES", fixture("dupes"))
            .arg("--entries")
            .arg(fixture("basic"))),
        ["alpha", "beta", "delta", "gamma"],
        "--entries replaces both"
    );
}

#[test]
fn relative_entries_follow_the_config_file_and_with_embedded_keeps_the_built_in_base() {
    let config = Config::new("entries = [\"kb\"]\nwith_embedded = true\n");
    let kb = config.dir.path().join("otpic/kb");
    std::fs::create_dir_all(&kb).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        kb.join("mine.toml"),
        "title = \"Mine\"\ndefinition = \"d\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let list = ids(&mut config.otpic());
    assert!(list.contains(&"mine".to_owned()), "{list:?}");
    assert!(list.contains(&"collective-security".to_owned()), "{list:?}");
}

#[test]
fn color_and_width_come_from_the_file_unless_a_flag_says_otherwise() {
    let config = Config::new("color = \"always\"\nwidth = 40\n");
    let entries = fixture("basic");
    let (_, stdout, _) = run(config
        .otpic()
        .arg("--entries")
        .arg(&entries)
        .args(["show", "alpha"]));
    assert!(stdout.contains('\x1b'), "color = always styles a pipe");
    let plain = otpic::render::termimad::strip_escapes(&stdout);
    assert!(
        plain
            .lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 40 || l.contains("://")),
        "{plain}"
    );
    let (_, stdout, _) = run(config
        .otpic()
        .env("NO_COLOR", "1")
        .arg("--entries")
        .arg(&entries)
        .args(["show", "alpha"]));
    assert!(
        stdout.contains('\x1b'),
        "the file's color = always overrides NO_COLOR"
    );
    let (_, stdout, _) = run(config
        .otpic()
        .arg("--entries")
        .arg(&entries)
        .args(["show", "alpha", "--color", "never", "--width", "70"]));
    assert!(!stdout.contains('\x1b'));
    assert!(stdout.lines().any(|l| l.chars().count() > 40), "{stdout}");
}

#[test]
fn a_broken_config_file_is_exit_2_naming_the_file_and_line() {
    // (file, place, and a word the message holds): the first two messages and
    // the last are the toml crate's (through serde), so only their place is
    // pinned exactly; otpic's own message is pinned whole.
    for (text, place, word) in [
        ("width = 80\ncolour = \"never\"\n", ":2:1: ", "colour"),
        ("color = \"blue\"\n", ":1:9: ", "blue"),
        (
            "width = 5\n",
            ":1:9: ",
            "width must be between 20 and 1000 columns\n",
        ),
        ("entries = \n", ":1:11: ", ""),
    ] {
        let config = Config::new(text);
        let (code, stdout, stderr) = run(config.otpic().arg("list"));
        assert_eq!((code, stdout.as_str()), (2, ""), "{text}");
        let expected = format!("otpic: {}{place}", config.file().display());
        assert!(stderr.starts_with(&expected), "{text}: {stderr}");
        assert!(stderr[expected.len()..].contains(word), "{text}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{text}: {stderr}");
    }
}

#[test]
fn otpic_config_names_another_file_which_must_exist() {
    let config = Config::new(&format!("entries = [{}]\n", quoted(fixture("override"))));
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        ids(otpic()
            .env("XDG_CONFIG_HOME", elsewhere.path())
            .env("OTPIC_CONFIG", config.file())),
        ["gamma"]
    );
    let missing = elsewhere.path().join("nope.toml");
    let (code, _, stderr) = run(otpic().env("OTPIC_CONFIG", &missing).arg("list"));
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "otpic: cannot read config file {} (from OTPIC_CONFIG): no such file or directory\n",
            missing.display()
        )
    );
}

#[test]
fn paths_lists_knowledge_bases_highest_precedence_first_and_the_config_file() {
    let config = Config::new(&format!(
        "entries = [{}, \"missing\"]\nwith_embedded = true\n",
        quoted(fixture("basic"))
    ));
    let (code, stdout, stderr) = run(config.otpic().arg("paths"));
    assert_eq!((code, stderr.as_str()), (0, ""));
    let expected = format!(
        "Knowledge bases, highest precedence first:\n  1. {missing}  (from entries in the config file) [missing: not a readable directory]\n  2. {basic}  (from entries in the config file)\n  3. (embedded OTPIC knowledge base)  (built in, kept by with_embedded in the config file)\nConfig file: {file} (in use)\n",
        missing = config.dir.path().join("otpic/missing").display(),
        basic = fixture("basic").display(),
        file = config.file().display()
    );
    assert_eq!(stdout, expected);

    let none = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (_, stdout, _) = run(otpic()
        .env("XDG_CONFIG_HOME", none.path())
        .env("OTPIC_ENTRIES", fixture("basic"))
        .arg("paths"));
    assert!(stdout.contains(&format!(
        "  1. {}  (from OTPIC_ENTRIES)\n",
        fixture("basic").display()
    )));
    assert!(
        stdout.ends_with("(not found; the defaults apply)\n"),
        "{stdout}"
    );
    let (_, stdout, _) = run(otpic().env("XDG_CONFIG_HOME", none.path()).arg("paths"));
    assert!(stdout.contains(
        "  1. (embedded OTPIC knowledge base)  (built in: no other knowledge base given)\n"
    ));
}
