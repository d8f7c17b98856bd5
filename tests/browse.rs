//! `otpic browse` end to end: the real binary on a pseudo-terminal, driven through
//! tmux (send-keys, capture-pane), checking the screen at every step, the exit
//! status, and that the terminal's modes were restored. tmux is required: `.ci/run`
//! installs it, and without it these tests fail rather than skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of its own (its own socket), running one session that runs otpic
/// through a small script recording the terminal modes and the exit status.
struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

/// How long to wait for the screen to show something.
const PATIENCE: Duration = Duration::from_secs(15);

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

impl Tmux {
    /// Starts `otpic --entries tests/fixtures/basic ARGS` on a `cols`×`rows` terminal.
    fn start(args: &[&str], size: (u16, u16), env: &[(&str, &str)]) -> Tmux {
        Tmux::start_on(&["basic"], args, size, env)
    }

    /// Starts `otpic --entries F1 --entries F2… ARGS` for fixtures `F1`, `F2`…
    fn start_on(
        fixtures: &[&str],
        args: &[&str],
        (cols, rows): (u16, u16),
        env: &[(&str, &str)],
    ) -> Tmux {
        let version = Command::new("tmux").arg("-V").output();
        assert!(
            version.is_ok_and(|o| o.status.success()),
            "these tests need tmux: install it (apt-get install tmux; .ci/run does)"
        );
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
        let d = dir.path();
        let mut command = vec![
            "env".to_owned(),
            "-i".to_owned(),
            format!("PATH={}", std::env::var("PATH").unwrap_or_default()),
            format!("HOME={}", d.display()),
            format!("XDG_CONFIG_HOME={}", d.join("config").display()),
            format!("XDG_CACHE_HOME={}", d.join("cache").display()),
            "TERM=xterm-256color".to_owned(),
        ];
        command.extend(env.iter().map(|(k, v)| format!("{k}={v}")));
        command.push(env!("CARGO_BIN_EXE_otpic").to_owned());
        for fixture in fixtures {
            command.push("--entries".to_owned());
            command.push(common::fixture(fixture).display().to_string());
        }
        command.extend(args.iter().map(|a| (*a).to_owned()));
        let command: Vec<String> = command.iter().map(|a| quote(a)).collect();
        let script = format!(
            "stty -g > {before}\n{command}\necho $? > {status}.tmp\nstty -g > {after}\nstty -a > {modes}\nmv {status}.tmp {status}\necho 'browse ended'\nexec sleep 600\n",
            before = quote(&d.join("before").display().to_string()),
            after = quote(&d.join("after").display().to_string()),
            modes = quote(&d.join("modes").display().to_string()),
            status = quote(&d.join("status").display().to_string()),
            command = command.join(" "),
        );
        std::fs::write(d.join("run.sh"), script).unwrap_or_else(|e| panic!("{e}"));
        let tmux = Tmux {
            socket: format!(
                "otpic-test-{}",
                d.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ),
            dir,
        };
        let script = tmux.dir.path().join("run.sh").display().to_string();
        tmux.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &cols.to_string(),
            "-y",
            &rows.to_string(),
            &format!("sh {}", quote(&script)),
        ]);
        tmux
    }

    /// Runs a tmux command on this server and returns its output.
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .unwrap_or_else(|e| panic!("cannot run tmux: {e}"));
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends keys, by tmux's key names (`Enter`, `Tab`, `BSpace`, `Left`, or text).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Types `text` literally.
    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "t", "-l", text]);
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "t"])
    }

    /// The screen with its colors and attributes, as escape sequences.
    fn styled_screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-e", "-t", "t"])
    }

    /// A tmux format about the pane (`#{alternate_on}`, `#{cursor_flag}`…).
    fn pane(&self, format: &str) -> String {
        self.run(&["display-message", "-p", "-t", "t", format])
            .trim()
            .to_owned()
    }

    /// Waits until the screen shows everything in `texts`, and returns it.
    fn wait_for(&self, texts: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the screen never showed {texts:?}; it shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for otpic to exit and returns its status.
    fn status(&self) -> i32 {
        let path = self.path("status");
        let start = Instant::now();
        while !path.exists() {
            assert!(
                start.elapsed() < PATIENCE,
                "otpic did not exit; the screen shows:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        text.trim()
            .parse()
            .unwrap_or_else(|_| panic!("status file: {text:?}"))
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Checks that the terminal is as it was before otpic ran: the same stty modes
    /// (raw mode off), the alternate screen left, the cursor shown, no mouse capture.
    fn assert_restored(&self) {
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        let (before, after) = (read(&self.path("before")), read(&self.path("after")));
        assert!(!before.trim().is_empty(), "stty -g recorded nothing");
        assert_eq!(before, after, "stty modes were not restored");
        // Cooked mode, in words: canonical input and echo on.
        let modes = read(&self.path("modes"));
        let words: Vec<&str> = modes.split_whitespace().collect();
        assert!(
            words.contains(&"icanon") && words.contains(&"echo"),
            "the tty is not in cooked mode: {modes}"
        );
        assert_eq!(
            self.pane("#{alternate_on}"),
            "0",
            "still on the alternate screen"
        );
        assert_eq!(self.pane("#{cursor_flag}"), "1", "the cursor is hidden");
        assert_eq!(
            self.pane("#{mouse_any_flag}"),
            "0",
            "the mouse is still captured"
        );
        let screen = self.wait_for(&["browse ended"]);
        assert!(
            !screen.contains("Links ("),
            "the browser's screen is left:\n{screen}"
        );
    }

    /// The pid of otpic, the child of the pane's shell.
    fn otpic_pid(&self) -> String {
        let shell = self.pane("#{pane_pid}");
        let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
            .unwrap_or_default();
        children
            .split_whitespace()
            .next()
            .unwrap_or_else(|| panic!("otpic is not running under the pane's shell"))
            .to_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .env_remove("TMUX")
            .output();
    }
}

#[test]
fn a_session_follows_a_link_goes_back_jumps_searches_and_quits_cleanly() {
    let t = Tmux::start(&["browse", "alpha"], (110, 30), &[]);
    // The entry, as show renders it, with its links beside it.
    let screen = t.wait_for(&["Alpha Approach — alpha", "Links (4)"]);
    assert!(screen.contains("The first approach of the fixture knowledge base."));
    assert!(screen.contains("Missing Problem") && screen.contains("unresolved"));
    assert_eq!(
        t.pane("#{alternate_on}"),
        "1",
        "not on the alternate screen"
    );
    assert_eq!(
        t.pane("#{mouse_any_flag}"),
        "1",
        "the mouse is not captured"
    );

    // Follow the second link (Delta Case) with Enter.
    t.keys(&["Tab", "j", "Enter"]);
    let screen = t.wait_for(&["Delta Case — delta", "[2/2]"]);
    assert!(screen.contains("Delta is a case study of alpha"));

    // Back: alpha again, with Delta Case still selected.
    t.keys(&["BSpace"]);
    let screen = t.wait_for(&["Alpha Approach — alpha", "[1/2]"]);
    assert!(screen.contains("▸ Delta Case"), "{screen}");

    // Jump with `/`.
    t.keys(&["/"]);
    t.wait_for(&["Jump to", "type part of an id, title or alias"]);
    t.type_text("gam");
    t.wait_for(&["1 match", "Gamma Concept"]);
    t.keys(&["Enter"]);
    let screen = t.wait_for(&["Gamma Concept — gamma", "[2/2]"]);
    assert!(
        !screen.contains("Jump to"),
        "the box did not close:\n{screen}"
    );

    // Search with `s`.
    t.keys(&["s"]);
    t.wait_for(&["Search"]);
    t.type_text("threats");
    let screen = t.wait_for(&["1 match", "Beta Problem", "Threats make it worse"]);
    assert!(screen.contains("beta · problem"), "{screen}");
    t.keys(&["Enter"]);
    t.wait_for(&["Beta Problem — beta", "[3/3]"]);

    t.keys(&["q"]);
    assert_eq!(t.status(), 0);
    t.assert_restored();
}

#[test]
fn sigterm_and_sigint_end_the_session_and_restore_the_terminal() {
    for (signal, number) in [("TERM", 15), ("INT", 2)] {
        let t = Tmux::start(&["browse"], (80, 24), &[]);
        t.wait_for(&["Approaches (1)", "Alpha Approach"]);
        let pid = t.otpic_pid();
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status();
        assert!(killed.is_ok_and(|s| s.success()), "cannot signal {pid}");
        assert_eq!(t.status(), 128 + number, "SIG{signal}");
        t.assert_restored();
    }
}

#[test]
fn a_terminal_that_hangs_up_ends_the_session() {
    // The terminal goes away, as when its window is closed: the browser must not
    // stay behind, reading the dead terminal forever.
    let t = Tmux::start(&["browse"], (80, 24), &[]);
    t.wait_for(&["Approaches (1)", "Alpha Approach"]);
    let pid = t.otpic_pid();
    let killed = Command::new("tmux")
        .args(["-L", &t.socket, "kill-server"])
        .status();
    assert!(killed.is_ok_and(|s| s.success()), "cannot stop tmux");
    let stat = PathBuf::from(format!("/proc/{pid}/stat"));
    let running = || {
        std::fs::read_to_string(&stat)
            .ok()
            .and_then(|s| s.rsplit(')').next().map(|rest| rest.trim().to_owned()))
            .is_some_and(|rest| !rest.starts_with('Z') && !rest.starts_with('X'))
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while running() {
        assert!(
            Instant::now() < deadline,
            "otpic browse (pid {pid}) still runs 10 s after its terminal hung up"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Checks that a panic's message was printed once, on the restored screen (so after
/// the alternate screen was left: printed before, it would have vanished with it).
fn assert_panic_printed_once(t: &Tmux, message: &str) {
    let screen = t.wait_for(&["browse ended"]);
    assert_eq!(
        screen.matches(message).count(),
        1,
        "the panic message should show once:\n{screen}"
    );
    let at = screen.find(message).unwrap_or_default();
    assert!(
        screen[..at].contains("panicked at"),
        "no panic location:\n{screen}"
    );
}

#[test]
fn a_panic_mid_session_restores_the_terminal_then_prints_its_message_once() {
    let t = Tmux::start(
        &["browse", "alpha"],
        (110, 30),
        &[("OTPIC_BROWSE_PANIC_TEST", "key:!")],
    );
    t.wait_for(&["Alpha Approach — alpha", "Links (4)"]);
    t.keys(&["Tab", "j"]);
    t.wait_for(&["▸ Delta Case"]);
    t.type_text("!");
    assert_eq!(t.status(), 101, "a panic's exit status");
    t.assert_restored();
    assert_panic_printed_once(&t, "a panic on purpose, at key:!");
}

#[test]
fn a_panic_on_the_matcher_thread_restores_the_terminal_then_prints_its_message_once() {
    let t = Tmux::start(
        &["browse", "alpha"],
        (110, 30),
        &[("OTPIC_BROWSE_PANIC_TEST", "matcher:boom")],
    );
    t.wait_for(&["Alpha Approach — alpha"]);
    t.keys(&["/"]);
    t.wait_for(&["Jump to"]);
    t.type_text("boom");
    assert_eq!(t.status(), 101, "a panic's exit status");
    t.assert_restored();
    assert_panic_printed_once(&t, "a panic on purpose, at matcher:boom");
    let screen = t.screen();
    assert!(
        screen.contains("the jump and search matcher panicked at"),
        "{screen}"
    );
}

#[test]
fn ctrl_c_ends_the_session_and_restores_the_terminal() {
    let t = Tmux::start(&["browse", "beta"], (80, 24), &[]);
    t.wait_for(&["Beta Problem — beta"]);
    t.keys(&["C-c"]);
    assert_eq!(t.status(), 130);
    t.assert_restored();
}

#[test]
fn resizing_moves_the_links_below_the_text_and_back() {
    let t = Tmux::start(&["browse", "alpha"], (120, 30), &[]);
    let wide = t.wait_for(&["Alpha Approach — alpha", "Links (4)"]);
    let links_line = |screen: &str| {
        screen
            .lines()
            .position(|l| l.contains("Links (4)"))
            .unwrap_or(usize::MAX)
    };
    assert_eq!(links_line(&wide), 0, "links beside the text:\n{wide}");
    t.run(&["resize-window", "-t", "t", "-x", "80", "-y", "30"]);
    let start = Instant::now();
    let narrow = loop {
        let screen = t.screen();
        if links_line(&screen) > 0 && links_line(&screen) != usize::MAX {
            break screen;
        }
        assert!(start.elapsed() < PATIENCE, "no reflow:\n{screen}");
        std::thread::sleep(Duration::from_millis(50));
    };
    // Below the text: the entry's title is above the links heading.
    let title = narrow
        .lines()
        .position(|l| l.contains("Alpha Approach"))
        .unwrap_or(usize::MAX);
    assert!(title < links_line(&narrow), "links not below:\n{narrow}");
    t.run(&["resize-window", "-t", "t", "-x", "120", "-y", "30"]);
    let start = Instant::now();
    loop {
        let screen = t.screen();
        if links_line(&screen) == 0 {
            break;
        }
        assert!(start.elapsed() < PATIENCE, "no reflow back:\n{screen}");
        std::thread::sleep(Duration::from_millis(50));
    }
    t.keys(&["q"]);
    assert_eq!(t.status(), 0);
    t.assert_restored();
}

#[test]
fn a_mouse_click_on_a_link_opens_it() {
    let t = Tmux::start(&["browse", "alpha"], (110, 30), &[]);
    let screen = t.wait_for(&["Alpha Approach — alpha", "Links (4)"]);
    // Find the row and column of "Beta Problem" in the links pane (1-based for xterm).
    let (row, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("  Beta Problem"))
        .unwrap_or_else(|| panic!("no Beta Problem link:\n{screen}"));
    let col = line.chars().take_while(|&c| c != 'B').count() + 1;
    // An SGR mouse press and release, as the terminal would send them.
    t.type_text(&format!(
        "\x1b[<0;{col};{}M\x1b[<0;{col};{}m",
        row + 1,
        row + 1
    ));
    t.wait_for(&["Beta Problem — beta", "[2/2]"]);
    t.keys(&["q"]);
    assert_eq!(t.status(), 0);
}

/// Whether a captured screen sets any foreground or background color.
fn has_color(styled: &str) -> bool {
    styled.split("\x1b[").skip(1).any(|seq| {
        let params = seq.split('m').next().unwrap_or("");
        params.split(';').any(|p| {
            p.parse::<u32>()
                .is_ok_and(|n| matches!(n, 30..=38 | 40..=48 | 90..=97 | 100..=107))
        })
    })
}

#[test]
fn no_color_turns_colors_off_and_color_always_keeps_them() {
    let plain = Tmux::start(&["browse", "alpha"], (110, 30), &[("NO_COLOR", "1")]);
    plain.wait_for(&["Alpha Approach — alpha"]);
    let styled = plain.styled_screen();
    assert!(!has_color(&styled), "NO_COLOR, yet colors:\n{styled:?}");
    plain.keys(&["q"]);
    assert_eq!(plain.status(), 0);

    let colored = Tmux::start(
        &["--color", "always", "browse", "alpha"],
        (110, 30),
        &[("NO_COLOR", "1")],
    );
    colored.wait_for(&["Alpha Approach — alpha"]);
    assert!(has_color(&colored.styled_screen()));
    colored.keys(&["q"]);
    assert_eq!(colored.status(), 0);

    let auto = Tmux::start(&["browse", "alpha"], (110, 30), &[]);
    auto.wait_for(&["Alpha Approach — alpha"]);
    assert!(has_color(&auto.styled_screen()));
    auto.keys(&["q"]);
    assert_eq!(auto.status(), 0);
}

#[test]
fn merged_knowledge_bases_are_browsed_as_one_with_declared_relation_labels() {
    // theta (graph-extra) links into graph with its declared relation types.
    let t = Tmux::start_on(
        &["graph", "graph-extra"],
        &["browse", "theta"],
        (110, 30),
        &[],
    );
    let screen = t.wait_for(&["Theta — theta", "Links (2)"]);
    let related = common::run(
        common::kb("graph")
            .arg("--entries")
            .arg(common::fixture("graph-extra"))
            .args(["related", "theta"]),
    );
    // The links pane groups by the labels `related` prints (headings: the lines
    // after the first that are not indented).
    let headings: Vec<&str> = related
        .1
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty() && !l.starts_with(' '))
        .collect();
    assert_eq!(headings.len(), 2, "related: {}", related.1);
    for heading in headings {
        assert!(
            screen.contains(heading),
            "no \"{heading}\" group:\n{screen}"
        );
    }
    assert!(
        screen.contains("Zeta") && screen.contains("Alpha"),
        "{screen}"
    );
    // Follow the link into the other knowledge base: alpha lists theta back,
    // under the relation's inverse label.
    t.keys(&["Tab", "Enter"]);
    let screen = t.wait_for(&["Alpha — alpha", "[2/2]"]);
    assert!(
        screen.contains("Narrower") && screen.contains("Theta"),
        "{screen}"
    );
    t.keys(&["/"]);
    t.type_text("thet");
    t.wait_for(&["1 match", "theta · concept"]);
    t.keys(&["Enter"]);
    t.wait_for(&["Theta — theta", "[3/3]"]);
    t.keys(&["q"]);
    assert_eq!(t.status(), 0);
}

#[test]
fn without_a_terminal_browse_exits_2_and_points_to_the_script_commands() {
    let (code, stdout, stderr) = common::run(common::kb("basic").arg("browse"));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("needs a terminal")
            && stderr.contains("otpic show")
            && stderr.contains("otpic related")
            && stderr.contains("otpic search"),
        "{stderr}"
    );
}

#[test]
fn with_only_one_of_stdin_and_stdout_a_terminal_browse_still_exits_2() {
    // On a real terminal (script), with stdin from /dev/null, then with stdout
    // into a pipe: either way the screen is never taken.
    let exe = env!("CARGO_BIN_EXE_otpic");
    let kb = common::fixture("basic");
    for (redirect, case) in [("</dev/null", "stdin"), ("| cat", "stdout")] {
        let line = format!(
            "'{exe}' --entries '{}' browse {redirect}; echo \"exit=${{PIPESTATUS[0]}}\"",
            kb.display()
        );
        let out = common::hermetic("script")
            .args([
                "-qec",
                &format!("bash -c '{}'", line.replace('\'', "'\\''")),
                "/dev/null",
            ])
            .env("TERM", "xterm-256color")
            .output()
            .unwrap_or_else(|e| panic!("util-linux `script` is needed (.ci/run installs it): {e}"));
        let screen = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
        assert!(screen.contains("exit=2"), "{case}: {screen}");
        assert!(screen.contains("needs a terminal"), "{case}: {screen}");
        assert!(
            !screen.contains("\x1b[?1049h"),
            "{case}: the alternate screen was entered"
        );
    }
}

#[test]
fn an_unknown_entry_fails_before_the_screen_is_taken() {
    let t = Tmux::start(&["browse", "--exact", "nothing-like-this"], (80, 24), &[]);
    assert_eq!(t.status(), 1);
    let screen = t.wait_for(&["browse ended"]);
    assert!(screen.contains("nothing-like-this"), "{screen}");
    t.assert_restored();
}
