//! The pager, through the real binary on a pseudo-terminal (util-linux `script`), with
//! fake pager scripts that record how they were called and what they were given.
// Fake pagers and editors are shell scripts, and the terminal is util-linux `script`.
#![cfg(unix)]

mod common;
use common::{fixture, kb, run};
use std::path::{Path, PathBuf};

/// A scratch directory with fake pagers: `pager-a` and `pager-b` (record their name,
/// arguments and `LESS`, and save their input), `less` (the same, found on PATH), and
/// `broken` (reads nothing, fails).
struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    fn new() -> Scene {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let scene = Scene { dir };
        for name in ["pager-a", "pager-b", "less"] {
            scene.script(
                name,
                &format!(
                    "#!/bin/sh\nprintf '%s [%s] LESS=%s\\n' {name} \"$*\" \"${{LESS-unset}}\" > '{log}'\ncat > '{got}'\n",
                    log = scene.path("called").display(),
                    got = scene.path("input").display(),
                ),
            );
        }
        scene.script("broken", "#!/bin/sh\nexit 3\n");
        scene
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn script(&self, name: &str, text: &str) {
        use std::os::unix::fs::PermissionsExt;
        let path = self.path(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Runs otpic on a terminal of `rows` rows and 80 columns, with only `env` set
    /// (plus PATH with the fake `less` first, HOME and XDG_CONFIG_HOME in the scratch
    /// directory). Returns (exit status, what the terminal showed).
    fn on_tty(&self, rows: usize, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
        let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
        let command: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_otpic"))
            .chain(args.iter().copied())
            .map(quote)
            .collect();
        let line = format!("stty rows {rows} cols 80; exec {}", command.join(" "));
        let path = format!(
            "{}:{}",
            self.dir.path().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = std::process::Command::new("script");
        cmd.env_clear()
            .env("PATH", path)
            .env("TERM", "xterm-256color")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.path("config"))
            .args(["-qec", &line, "/dev/null"]);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd
            .output()
            .unwrap_or_else(|e| panic!("util-linux `script` is needed for this test: {e}"));
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"),
        )
    }

    /// Which fake pager ran, with its arguments and LESS; None if none did.
    fn called(&self) -> Option<String> {
        std::fs::read_to_string(self.path("called")).ok()
    }

    fn input(&self) -> String {
        std::fs::read_to_string(self.path("input")).unwrap_or_default()
    }

    fn pager(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    fn forget(&self) {
        let _ = std::fs::remove_file(self.path("called"));
        let _ = std::fs::remove_file(self.path("input"));
    }
}

fn dir(name: &str) -> String {
    fixture(name).display().to_string()
}

/// The output otpic gives a terminal of 80 columns, taken from a pipe.
fn styled(args: &[&str]) -> String {
    let (_, stdout, _) = run(kb("basic")
        .args(args)
        .args(["--color", "always", "--width", "80"]));
    stdout
}

#[test]
fn long_output_on_a_terminal_goes_through_otpic_pager() {
    let s = Scene::new();
    let args = ["--entries", &dir("basic"), "show", "alpha"];
    let (code, _) = s.on_tty(10, &args, &[("OTPIC_PAGER", &s.pager("pager-a"))]);
    assert_eq!(code, 0);
    assert_eq!(s.called().as_deref(), Some("pager-a [] LESS=FRX\n"));
    assert_eq!(
        s.input(),
        styled(&["show", "alpha"]),
        "the pager gets all of it"
    );
}

#[test]
fn otpic_pager_comes_before_the_config_file_then_pager_then_less() {
    let s = Scene::new();
    let config = s.path("config/otpic/config.toml");
    std::fs::create_dir_all(config.parent().unwrap_or(Path::new("/")))
        .unwrap_or_else(|e| panic!("{e}"));
    let args = [
        "--entries",
        &dir("basic"),
        "related",
        "beta",
        "--depth",
        "3",
    ];
    let (a, b) = (s.pager("pager-a"), s.pager("pager-b"));

    s.on_tty(5, &args, &[]);
    assert_eq!(
        s.called().as_deref(),
        Some("less [-R] LESS=FRX\n"),
        "the default"
    );
    s.forget();
    s.on_tty(5, &args, &[("LESS", "-S")]);
    assert_eq!(
        s.called().as_deref(),
        Some("less [-R] LESS=-S\n"),
        "LESS is kept"
    );
    s.forget();
    s.on_tty(5, &args, &[("PAGER", &b)]);
    assert!(s.called().is_some_and(|c| c.starts_with("pager-b ")));
    s.forget();
    std::fs::write(&config, format!("pager = {a:?}\n")).unwrap_or_else(|e| panic!("{e}"));
    s.on_tty(5, &args, &[("PAGER", &b)]);
    assert!(
        s.called().is_some_and(|c| c.starts_with("pager-a ")),
        "the config file's pager comes before PAGER"
    );
    s.forget();
    s.on_tty(
        5,
        &args,
        &[("PAGER", &a), ("OTPIC_PAGER", &format!("{b} --flag"))],
    );
    assert_eq!(
        s.called().as_deref(),
        Some("pager-b [--flag] LESS=FRX\n"),
        "OTPIC_PAGER comes first, and may have arguments"
    );
    s.forget();
    std::fs::write(&config, "pager = false\n").unwrap_or_else(|e| panic!("{e}"));
    let (_, shown) = s.on_tty(5, &args, &[("PAGER", &b)]);
    assert_eq!(s.called(), None, "pager = false turns paging off");
    assert!(shown.contains("Beta Problem"), "{shown}");
}

#[test]
fn list_and_glossary_are_paged_when_long_and_not_when_they_fit() {
    let s = Scene::new();
    let pager = [("OTPIC_PAGER", s.pager("pager-a"))];
    let pager: Vec<(&str, &str)> = pager.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for command in ["list", "glossary"] {
        let args = ["--entries", &dir("basic"), command];
        let (_, shown) = s.on_tty(60, &args, &pager);
        assert_eq!(s.called(), None, "{command} fits on 60 rows");
        assert!(shown.contains("Gamma"), "{shown}");
        s.on_tty(4, &args, &pager);
        assert!(s.called().is_some(), "{command} does not fit on 4 rows");
        assert!(s.input().contains("Gamma"));
        s.forget();
    }
}

#[test]
fn no_pager_json_and_pipes_are_never_paged() {
    let s = Scene::new();
    let env = [("OTPIC_PAGER", s.pager("pager-a"))];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let show = ["--entries", &dir("basic"), "show", "alpha"];
    let (code, shown) = s.on_tty(5, &[&show[..], &["--no-pager"]].concat(), &env);
    assert_eq!((code, s.called()), (0, None));
    assert!(
        shown.contains("Alpha Approach") && shown.contains("Provenance"),
        "{shown}"
    );
    s.on_tty(5, &[&show[..], &["--format", "json"]].concat(), &env);
    assert_eq!(s.called(), None, "json");
    // Long search results are paged like show (tests/find_search.rs).
    let (code, stdout, _) = run(kb("basic")
        .args(["show", "alpha"])
        .env("OTPIC_PAGER", s.pager("pager-a"))
        .env("PAGER", s.pager("pager-a")));
    assert_eq!((code, s.called()), (0, None), "piped");
    assert!(stdout.starts_with("Alpha Approach\n"));
}

#[test]
fn a_missing_or_failing_pager_falls_back_to_plain_output() {
    let s = Scene::new();
    let show = ["--entries", &dir("basic"), "show", "alpha"];
    let expected = styled(&["show", "alpha"]);
    for pager in [s.pager("no-such-pager"), s.pager("broken")] {
        let (code, shown) = s.on_tty(5, &show, &[("OTPIC_PAGER", &pager)]);
        assert_eq!(code, 0, "{pager}");
        assert!(
            shown.contains(&expected),
            "{pager}: nothing is lost:\n{shown}"
        );
        assert!(
            shown.contains("otpic: pager") && shown.contains("printing instead"),
            "{pager}: {shown}"
        );
    }
}
