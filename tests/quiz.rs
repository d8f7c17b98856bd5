//! `otpic quiz` on the fixture knowledge base `study`: questions and distractors,
//! determinism, the Anki deck, the review state across runs, a corrupt state file,
//! and a whole quiz answered on a pseudo-terminal (tmux).

mod common;
use common::{json, kb, run};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// `otpic --entries tests/fixtures/study quiz ARGS --format json`, with the review
/// state in `data`.
fn questions(data: &Path, args: &[&str]) -> Vec<Value> {
    let v = json(
        kb("study")
            .env("OTPIC_DATA_DIR", data)
            .arg("quiz")
            .args(args)
            .args(["--format", "json"]),
    );
    v.as_array()
        .cloned()
        .unwrap_or_else(|| panic!("not a list: {v}"))
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn fold(s: &str) -> String {
    otpic::bibliography::fold(s)
}

/// The fixture's entries: id → (title, kind).
fn fixture_entries() -> std::collections::HashMap<String, (String, String)> {
    let v = json(kb("study").args(["list", "--format", "json"]));
    v.as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("").to_owned();
            (s("id"), (s("title"), s("kind")))
        })
        .collect()
}

#[test]
fn every_question_has_distinct_choices_of_the_right_kind_and_hides_its_answer() {
    let data = tempdir();
    let all = questions(data.path(), &["--seed", "3", "--count", "100"]);
    let entries = fixture_entries();
    let title_kind: std::collections::HashMap<&str, &str> = entries
        .values()
        .map(|(t, k)| (t.as_str(), k.as_str()))
        .collect();
    let mut kinds = std::collections::HashSet::new();
    for q in &all {
        let choices: Vec<&str> = q["choices"]
            .as_array()
            .map(|c| c.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let answer = q["answer"].as_u64().unwrap_or(99) as usize;
        assert!((3..=4).contains(&choices.len()), "{q:#}");
        assert!(answer < choices.len(), "{q:#}");
        assert_eq!(q["answer_text"], choices[answer]);
        let mut folded: Vec<String> = choices.iter().map(|c| fold(c)).collect();
        folded.sort();
        folded.dedup();
        assert_eq!(folded.len(), choices.len(), "distinct choices: {q:#}");
        let kind = q["kind"].as_str().unwrap_or("");
        kinds.insert(kind.to_owned());
        let entry = q["entry"].as_str().unwrap_or("");
        let (title, entry_kind) = &entries[entry];
        let prompt = q["prompt"].as_str().unwrap_or("");
        match kind {
            "definition" | "work" => {
                assert_eq!(choices[answer], title);
                assert!(
                    !fold(prompt).contains(&fold(title)),
                    "the prompt names its answer: {q:#}"
                );
                for c in &choices {
                    assert!(title_kind.contains_key(c), "a choice that is no entry: {c}");
                }
                // Distractors of the entry's own kind come first: with 3 approaches
                // and 2 problems, an approach's distractors include both others.
                if entry_kind == "approach" && kind == "definition" {
                    let same = choices
                        .iter()
                        .filter(|c| title_kind[*c] == "approach")
                        .count();
                    assert_eq!(same, 3, "{q:#}");
                }
            }
            "related-problem" => {
                for c in &choices {
                    assert_eq!(title_kind.get(c), Some(&"problem"), "{q:#}");
                }
                assert!(prompt.contains(title.as_str()));
            }
            "summary" => assert!(prompt.contains(title.as_str())),
            "path" => {
                // The answer links both entries named in the prompt, and no wrong answer does.
                assert!(prompt.starts_with(title.as_str()), "{q:#}");
                assert!(title_kind.contains_key(choices[answer]));
            }
            other => panic!("unknown kind {other}"),
        }
        assert_ne!(
            entry, "peace-institute",
            "a thin entry gets no question: {q:#}"
        );
    }
    assert_eq!(
        kinds,
        ["definition", "summary", "related-problem", "work", "path"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    );
}

#[test]
fn a_seed_makes_the_quiz_repeatable_and_count_limits_it() {
    let data = tempdir();
    let a = questions(data.path(), &["--seed", "11", "--count", "5"]);
    let b = questions(data.path(), &["--seed", "11", "--count", "5"]);
    assert_eq!(a, b);
    assert_eq!(a.len(), 5);
    let c = questions(data.path(), &["--seed", "12", "--count", "100"]);
    let d = questions(data.path(), &["--seed", "11", "--count", "100"]);
    assert_ne!(c, d, "another seed, another order");
    assert!(c.len() > 10);
}

#[test]
fn piped_text_lists_questions_with_their_answers_and_asks_nothing() {
    let data = tempdir();
    let (code, stdout, stderr) = run(kb("study")
        .env("OTPIC_DATA_DIR", data.path())
        .args(["quiz", "--seed", "1", "--count", "2", "--width", "70"]));
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("quiz_piped", stdout);
    assert!(
        !data.path().join("review-state.json").exists(),
        "nothing reviewed, nothing written"
    );
}

#[test]
fn the_anki_deck_has_its_headers_and_three_quoted_columns() {
    let (code, stdout, stderr) = run(kb("study").args(["quiz", "--export", "anki", "--seed", "2"]));
    assert_eq!(code, 0, "{stderr}");
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("#separator:tab"));
    assert_eq!(lines.next(), Some("#html:false"));
    assert_eq!(lines.next(), Some("#tags column:3"));
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() > 10);
    for row in &rows {
        let cols: Vec<&str> = row.split('\t').collect();
        assert_eq!(cols.len(), 3, "{row}");
        assert!(cols[0].starts_with('"') && cols[0].ends_with('"'), "{row}");
        assert!(
            cols[1].contains("(otpic show ") || cols[1].contains("(otpic related "),
            "{row}"
        );
        assert!(cols[2].starts_with("otpic otpic::"), "{row}");
    }
    assert!(
        rows.iter()
            .any(|r| r.contains("otpic::definition") && r.contains("third-party"))
    );
}

#[test]
fn a_corrupt_state_file_is_reported_and_moved_aside_not_lost() {
    let data = tempdir();
    let state = data.path().join("review-state.json");
    std::fs::write(&state, "{ not json").unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = run(kb("study")
        .env("OTPIC_DATA_DIR", data.path())
        .args(["quiz", "--stats"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("review-state.json: not a valid review state"),
        "{stderr}"
    );
    assert!(stderr.contains("moved aside to"), "{stderr}");
    let aside: Vec<_> = std::fs::read_dir(data.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("review-state.json.corrupt-")
        })
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read_to_string(aside[0].path()).unwrap_or_default(),
        "{ not json",
        "the damaged file is kept as it was"
    );
    assert!(stdout.contains("new"), "{stdout}");
}

#[test]
fn a_state_file_from_a_newer_otpic_is_left_alone() {
    let data = tempdir();
    let state = data.path().join("review-state.json");
    std::fs::write(&state, r#"{"version": 99, "knowledge_bases": {}}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, _, stderr) = run(kb("study")
        .env("OTPIC_DATA_DIR", data.path())
        .args(["quiz", "--stats"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("review state of version 99"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&state).unwrap_or_default(),
        r#"{"version": 99, "knowledge_bases": {}}"#
    );
}

/// A tmux server of its own, on a private socket, killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(command: &str) -> Tmux {
        let version = Command::new("tmux").arg("-V").output();
        assert!(
            version.is_ok_and(|o| o.status.success()),
            "tmux is required for the pseudo-terminal tests (.ci/run installs it: apt-get install tmux)"
        );
        let socket = format!(
            "otpic-quiz-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        )
        .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "");
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "100",
                "-y",
                "50",
            ])
            .arg(format!("{command}; sleep 60"))
            .status()
            .unwrap_or_else(|e| panic!("cannot start tmux: {e}"));
        assert!(status.success());
        Tmux { socket }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-J", "-S", "-200"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `text` `times` times (10 s at most).
    fn wait_for(&self, text: &str, times: usize) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.matches(text).count() >= times {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "timed out waiting for {text:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&self, keys: &str) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "0", keys, "Enter"])
            .status()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(status.success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[test]
fn a_quiz_on_a_terminal_gives_feedback_a_score_and_schedules_the_cards() {
    let data = tempdir();
    let seed = ["--seed", "7", "--count", "2"];
    let planned = questions(data.path(), &seed);
    let right = planned[0]["answer"].as_u64().unwrap_or(0) as usize;
    let wrong = (planned[1]["answer"].as_u64().unwrap_or(0) as usize + 1) % 3;
    let scratch = std::env::temp_dir().join("otpic-tests-home");
    let command = format!(
        "env -u NO_COLOR -u OTPIC_ENTRIES -u OTPIC_CONFIG -u OTPIC_PAGER -u PAGER -u COLUMNS HOME={} XDG_CONFIG_HOME={} XDG_CACHE_HOME={} OTPIC_DATA_DIR={} {} --entries {} quiz --seed 7 --count 2",
        shell_quote(&scratch.display().to_string()),
        shell_quote(&scratch.join("config").display().to_string()),
        shell_quote(&scratch.join("cache").display().to_string()),
        shell_quote(&data.path().display().to_string()),
        shell_quote(env!("CARGO_BIN_EXE_otpic")),
        shell_quote(&common::fixture("study").display().to_string()),
    );
    let tmux = Tmux::start(&command);
    let screen = tmux.wait_for("Your answer (a-", 1);
    assert!(screen.contains("Question 1 of 2"), "{screen}");
    // The first by its letter, rightly; the second by its number, wrongly.
    tmux.send(&char::from(b'a' + right as u8).to_string());
    let screen = tmux.wait_for("Your answer (a-", 2);
    assert!(
        screen.contains("Right.\nRead more: otpic show "),
        "{screen}"
    );
    tmux.send(&(wrong + 1).to_string());
    let screen = tmux.wait_for("Score:", 1);
    let expected_answer = planned[1]["answer_text"].as_str().unwrap_or("");
    let letter = char::from(b'a' + planned[1]["answer"].as_u64().unwrap_or(0) as u8);
    assert!(
        screen.contains(&format!("Wrong: the answer is {letter}) {expected_answer}")),
        "{screen}"
    );
    assert!(screen.contains("Score: 1 of 2 (50%)"), "{screen}");

    // The review state survives the run: two cards reviewed, the rest new.
    let stats = json(
        kb("study")
            .env("OTPIC_DATA_DIR", data.path())
            .args(["quiz", "--stats", "--format", "json", "--seed", "7"]),
    );
    let cards = stats["cards"].as_u64().unwrap_or(0);
    assert_eq!(stats["new"].as_u64(), Some(cards - 2), "{stats:#}");
    assert_eq!(
        stats["learning"].as_u64().unwrap_or(0) + stats["learned"].as_u64().unwrap_or(0),
        2,
        "{stats:#}"
    );
    // With --due, the card answered rightly (next due in days) comes last: new cards first.
    let due = questions(data.path(), &["--due", "--seed", "8", "--count", "100"]);
    let card = |q: &Value| {
        format!(
            "{}/{}",
            q["entry"].as_str().unwrap_or(""),
            q["kind"].as_str().unwrap_or("")
        )
    };
    assert_eq!(due.last().map(card), Some(card(&planned[0])), "{due:#?}");
}

/// Copies the fixture `study` into a new directory, to edit it.
fn copy_of_study() -> tempfile::TempDir {
    let dir = tempdir();
    for file in std::fs::read_dir(common::fixture("study")).unwrap_or_else(|e| panic!("{e}")) {
        let file = file.unwrap_or_else(|e| panic!("{e}"));
        std::fs::copy(file.path(), dir.path().join(file.file_name()))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

fn stats(kb_dir: &Path, data: &Path) -> Value {
    json(
        common::otpic()
            .arg("--entries")
            .arg(kb_dir)
            .env("OTPIC_DATA_DIR", data)
            .args(["quiz", "--stats", "--format", "json"]),
    )
}

#[test]
fn an_edited_entry_s_cards_start_afresh() {
    let kb_dir = copy_of_study();
    let data = tempdir();
    let file = kb_dir.path().join("mediation.toml");
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let entry = otpic::entry::Entry::parse("mediation", "mediation.toml", &text)
        .unwrap_or_else(|d| panic!("{d}"));
    // A learned card for mediation's definition question, as a past review left it.
    let kb_key = std::fs::canonicalize(kb_dir.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .display()
        .to_string();
    let state = serde_json::json!({
        "version": 1,
        "knowledge_bases": { kb_key: { "mediation/definition": {
            "hash": otpic::quiz::content_hash(&entry),
            "card": {
                "due": "2099-01-01T00:00:00Z", "stability": 30.0, "difficulty": 5.0,
                "elapsed_days": 10, "scheduled_days": 30, "reps": 3, "lapses": 1,
                "state": "Review", "last_review": "2098-12-01T00:00:00Z"
            }
        }}}
    });
    std::fs::write(data.path().join("review-state.json"), state.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let before = stats(kb_dir.path(), data.path());
    assert_eq!(
        (before["learned"].as_u64(), before["lapsed"].as_u64()),
        (Some(1), Some(1)),
        "{before:#}"
    );
    assert_eq!(before["due"].as_u64(), Some(0));
    assert_eq!(
        before["new"].as_u64(),
        Some(before["cards"].as_u64().unwrap_or(0) - 1)
    );
    // Another knowledge base does not see it.
    let other = stats(&common::fixture("study"), data.path());
    assert_eq!(other["learned"].as_u64(), Some(0), "{other:#}");
    // Editing the entry resets its cards.
    std::fs::write(
        &file,
        text.replace("has no power to decide", "cannot decide"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let after = stats(kb_dir.path(), data.path());
    assert_eq!(after["learned"].as_u64(), Some(0), "{after:#}");
    assert_eq!(after["new"], after["cards"]);
}

/// The headings of `otpic show ID` (text, on the graph fixture) under which the
/// entry titled `title` is listed.
fn headings_listing(id: &str, title: &str) -> Vec<String> {
    let (code, text, err) = run(kb("graph").args(["show", id, "--width", "200"]));
    assert_eq!(code, 0, "{err}");
    let mut heading = String::new();
    let mut out = Vec::new();
    for line in text.lines() {
        if let Some(item) = line.strip_prefix("- ") {
            if item.starts_with(&format!("{title} — ")) {
                out.push(heading.clone());
            }
        } else if !line.is_empty() {
            heading = line.to_owned();
        }
    }
    out
}

#[test]
fn relation_questions_ask_for_a_heading_the_entry_really_lists_the_other_under() {
    let data = tempdir();
    let mut asked = 0;
    for seed in 0..8 {
        let v = json(
            kb("graph")
                .env("OTPIC_DATA_DIR", data.path())
                .args(["quiz", "--format", "json", "--count", "100"])
                .args(["--seed", &seed.to_string()]),
        );
        for q in v.as_array().into_iter().flatten() {
            if q["kind"] != "relation" {
                continue;
            }
            asked += 1;
            let prompt = q["prompt"].as_str().unwrap_or("");
            let rest = prompt
                .strip_prefix("Under which heading does the entry ")
                .and_then(|r| r.strip_suffix('?'))
                .unwrap_or_else(|| panic!("{q:#}"));
            let (_, other) = rest.split_once(" list ").unwrap_or_else(|| panic!("{q:#}"));
            let entry = q["entry"].as_str().unwrap_or("");
            let listed = headings_listing(entry, other);
            let choices: Vec<&str> = q["choices"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let answer = q["answer_text"].as_str().unwrap_or("");
            let mut distinct = choices.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct.len(), choices.len(), "{q:#}");
            assert!(
                listed.iter().any(|h| h == answer),
                "{q:#}\nlisted under {listed:?}"
            );
            for c in choices.iter().filter(|c| **c != answer) {
                assert!(
                    !listed.iter().any(|h| h == c),
                    "a wrong choice is true: {q:#}"
                );
            }
            // Loose relations are never asked about nor offered.
            for loose in ["See also", "Related approaches", "Related problems"] {
                assert!(!choices.contains(&loose), "{q:#}");
            }
        }
    }
    assert!(asked >= 8, "only {asked} relation questions");
}
