//! `otpic quiz`: questions from the knowledge base, asked on a terminal and scheduled
//! with FSRS; as data when piped or with `--format json`; `--stats`; `--export anki`.

use crate::env::Format;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::quiz::schedule::{self, Stats, Store};
use crate::quiz::{self, Item, Question};
use crate::sanitize;
use crate::select::{self, Selection};
use crate::settings::Settings;
use crate::style::{Paint, Style};
use chrono::Utc;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{BufRead, Write};

/// What `quiz` was asked to do, beyond the selection.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub count: usize,
    pub due: bool,
    pub stats: bool,
    pub anki: bool,
    pub seed: Option<u64>,
}

pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    selection: &Selection,
    request: &Request,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    if settings.format == Format::Markdown {
        return Err(Error::Usage(
            "`quiz` has text and json output, not markdown".into(),
        ));
    }
    let chosen = select::select(kb, selection)?;
    // Every entry can lend a distractor; the selected ones get questions.
    let items = quiz::items(kb)?;
    let seed = request.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut questions = quiz::generate(&items, &chosen, &mut rng);
    if questions.is_empty() {
        return Err(Error::NothingFound(
            "the selected entries are too thin for questions: they need definitions, summaries, links or works, and close entries for wrong answers".into(),
        ));
    }
    let hashes: HashMap<&str, String> = items
        .iter()
        .map(|it| (it.entry.id.as_str(), quiz::content_hash(&it.entry)))
        .collect();
    if request.anki {
        out.write_all(anki(&questions, &items).as_bytes())?;
        return Ok(0);
    }
    let mut store = Store::open(settings.data_dir.as_deref(), &kb_key(settings), err)?;
    let now = Utc::now();
    if request.stats {
        let cards = questions
            .iter()
            .map(|q| (q.card(), hashes[q.entry.as_str()].clone()))
            .collect::<Vec<_>>();
        let stats = Stats::count(
            &store,
            cards.iter().map(|(c, h)| (c.as_str(), h.as_str())),
            now,
        );
        return write_stats(&stats, &store, settings, out);
    }
    rng.shuffle(&mut questions);
    if request.due {
        // Due cards first, the longest overdue first; then new ones; then the rest.
        let rank = |q: &Question| match store.card(&q.card(), &hashes[q.entry.as_str()]) {
            Some(c) if c.due <= now => (0, c.due.timestamp()),
            None => (1, 0),
            Some(c) => (2, c.due.timestamp()),
        };
        questions.sort_by_key(rank);
    }
    questions.truncate(request.count.max(1));
    let interactive =
        settings.terminal && settings.stdin_terminal && settings.format == Format::Text;
    if !interactive {
        return write_data(&questions, settings, out);
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut session = Session {
        store: &mut store,
        hashes: &hashes,
        style: &settings.style,
    };
    session.ask(&questions, &mut input, out, err)?;
    Ok(0)
}

/// Identifies the knowledge base in the review state: its directories (canonical)
/// or the built-in one, in load order.
fn kb_key(settings: &Settings) -> String {
    settings
        .sources
        .iter()
        .map(|s| match s {
            crate::source::Source::Embedded => "built-in".to_owned(),
            crate::source::Source::Dir(d) => std::fs::canonicalize(d)
                .unwrap_or_else(|_| d.clone())
                .display()
                .to_string(),
        })
        .collect::<Vec<_>>()
        .join(":")
}

struct Session<'a> {
    store: &'a mut Store,
    hashes: &'a HashMap<&'a str, String>,
    style: &'a Style,
}

impl Session<'_> {
    /// Asks `questions` one at a time, reading answers from `input`, and prints the score.
    fn ask<I: BufRead, O: Write + ?Sized, E: Write + ?Sized>(
        &mut self,
        questions: &[Question],
        input: &mut I,
        out: &mut O,
        err: &mut E,
    ) -> Result<()> {
        let style = self.style;
        let (mut asked, mut right) = (0, 0);
        'questions: for (n, q) in questions.iter().enumerate() {
            writeln!(
                out,
                "{} {}",
                style.heading(&format!("Question {} of {}", n + 1, questions.len())),
                style.dim(&format!("({})", q.kind.name()))
            )?;
            write_question(q, style, out)?;
            let started = std::time::Instant::now();
            let last = letter(q.choices.len() - 1);
            let picked = loop {
                write!(
                    out,
                    "Your answer (a-{last} or 1-{}, q to stop): ",
                    q.choices.len()
                )?;
                out.flush()?;
                let mut line = String::new();
                if input.read_line(&mut line).map_err(Error::input)? == 0 {
                    writeln!(out)?;
                    break 'questions;
                }
                match parse_answer(&line, q.choices.len()) {
                    Answer::Choice(c) => break c,
                    Answer::Quit => break 'questions,
                    Answer::Invalid => {
                        writeln!(out, "{}", style.warn("Answer with a letter or a number."))?
                    }
                }
            };
            let seconds = started.elapsed().as_secs_f64();
            asked += 1;
            let correct = picked == q.answer;
            if correct {
                right += 1;
                writeln!(out, "{}", style.strong("Right."))?;
            } else {
                writeln!(
                    out,
                    "{} the answer is {}) {}",
                    style.warn("Wrong:"),
                    letter(q.answer),
                    sanitize::line(q.answer_text())
                )?;
            }
            writeln!(out, "Read more: {}\n", style.id(&q.read))?;
            let hash = &self.hashes[q.entry.as_str()];
            let card = q.card();
            let reviewed = schedule::review(
                self.store.card(&card, hash),
                Utc::now(),
                schedule::grade(correct, seconds),
            );
            self.store.record(&card, hash, reviewed);
            self.store.save()?;
        }
        if asked > 0 {
            writeln!(
                out,
                "{}",
                style.strong(&format!(
                    "Score: {right} of {asked} ({}%)",
                    right * 100 / asked
                ))
            )?;
        }
        if !self.store.is_kept() {
            let _ = writeln!(
                err,
                "otpic: no data directory: reviews are not kept (set OTPIC_DATA_DIR)"
            );
        }
        Ok(())
    }
}

enum Answer {
    Choice(usize),
    Quit,
    Invalid,
}

fn parse_answer(line: &str, choices: usize) -> Answer {
    let t = line.trim().to_lowercase();
    if t == "q" || t == "quit" {
        return Answer::Quit;
    }
    if let Ok(n) = t.parse::<usize>()
        && (1..=choices).contains(&n)
    {
        return Answer::Choice(n - 1);
    }
    let mut chars = t.chars();
    match (chars.next(), chars.next()) {
        (Some(c @ 'a'..='z'), None) if ((c as usize) - ('a' as usize)) < choices => {
            Answer::Choice((c as usize) - ('a' as usize))
        }
        _ => Answer::Invalid,
    }
}

/// "a", "b", … for choice `i`.
fn letter(i: usize) -> char {
    char::from(b'a' + u8::try_from(i.min(25)).unwrap_or(25))
}

fn write_question<O: Write + ?Sized>(q: &Question, style: &Style, out: &mut O) -> Result<()> {
    for para in q.prompt.split("\n\n") {
        let para = sanitize::line(para);
        for line in style.wrap(&[(&para, Paint::Plain)], "  ", "  ") {
            writeln!(out, "{line}")?;
        }
        writeln!(out)?;
    }
    for (i, choice) in q.choices.iter().enumerate() {
        let label = format!("{})", letter(i));
        let choice = sanitize::line(choice);
        for line in style.wrap(
            &[(&label, Paint::Id), (&choice, Paint::Plain)],
            "    ",
            "       ",
        ) {
            writeln!(out, "{line}")?;
        }
    }
    writeln!(out)?;
    Ok(())
}

#[derive(Serialize)]
struct QuestionJson<'a> {
    card: String,
    #[serde(flatten)]
    question: &'a Question,
    answer_text: &'a str,
}

/// The questions with their answers, for other tools.
fn write_data<O: Write + ?Sized>(
    questions: &[Question],
    settings: &Settings,
    out: &mut O,
) -> Result<u8> {
    if settings.format == Format::Json {
        let rows: Vec<QuestionJson> = questions
            .iter()
            .map(|q| QuestionJson {
                card: q.card(),
                question: q,
                answer_text: q.answer_text(),
            })
            .collect();
        crate::json::write(out, &rows)?;
        return Ok(0);
    }
    let style = &settings.style;
    for (n, q) in questions.iter().enumerate() {
        writeln!(
            out,
            "{}. {}",
            n + 1,
            style.dim(&format!("({})", q.kind.name()))
        )?;
        write_question(q, style, out)?;
        writeln!(
            out,
            "  answer: {}) {} ({})\n",
            letter(q.answer),
            sanitize::line(q.answer_text()),
            sanitize::line(&q.read)
        )?;
    }
    Ok(0)
}

fn write_stats<O: Write + ?Sized>(
    stats: &Stats,
    store: &Store,
    settings: &Settings,
    out: &mut O,
) -> Result<u8> {
    if settings.format == Format::Json {
        #[derive(Serialize)]
        struct Json<'a> {
            #[serde(flatten)]
            stats: &'a Stats,
            state_file: Option<String>,
        }
        crate::json::write(
            out,
            &Json {
                stats,
                state_file: store.path().map(|p| p.display().to_string()),
            },
        )?;
        return Ok(0);
    }
    let style = &settings.style;
    for (label, n) in [
        ("cards", stats.cards),
        ("due now", stats.due),
        ("new", stats.new),
        ("learning", stats.learning),
        ("learned", stats.learned),
        ("lapsed", stats.lapsed),
    ] {
        writeln!(out, "{:<9} {n}", style.strong(label))?;
    }
    match store.path() {
        Some(p) => writeln!(
            out,
            "{}",
            style.dim(&format!(
                "review state: {}",
                sanitize::line(&p.display().to_string())
            ))
        )?,
        None => writeln!(
            out,
            "{}",
            style.dim("review state: not kept (no data directory)")
        )?,
    }
    Ok(0)
}

/// The questions as an Anki deck (TSV import): front, back, tags.
fn anki(questions: &[Question], items: &[Item]) -> String {
    let tags: HashMap<&str, &[String]> = items
        .iter()
        .map(|it| (it.entry.id.as_str(), it.entry.tags.as_slice()))
        .collect();
    // Quoted as CSV, which Anki's importer reads: a quote inside doubles.
    let field = |s: &str| -> String {
        let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
        format!("\"{}\"", one_line.replace('"', "\"\""))
    };
    let mut out = String::from("#separator:tab\n#html:false\n#tags column:3\n");
    for q in questions {
        let front = field(&q.prompt.replace("\n\n", " "));
        let back = field(&format!("{} ({})", q.answer_text(), q.read));
        let mut tag_list = vec!["otpic".to_owned(), format!("otpic::{}", q.kind.name())];
        tag_list.extend(
            tags.get(q.entry.as_str())
                .into_iter()
                .flat_map(|t| t.iter())
                .map(|t| t.replace(char::is_whitespace, "_")),
        );
        out.push_str(&format!("{front}\t{back}\t{}\n", tag_list.join(" ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_letters_or_numbers_within_range() {
        assert!(matches!(parse_answer("b\n", 4), Answer::Choice(1)));
        assert!(matches!(parse_answer(" 4 ", 4), Answer::Choice(3)));
        assert!(matches!(parse_answer("e", 4), Answer::Invalid));
        assert!(matches!(parse_answer("0", 4), Answer::Invalid));
        assert!(matches!(parse_answer("Q", 4), Answer::Quit));
    }

    /// Standard input that fails, as a terminal that hung up does (EIO).
    struct Unreadable;

    impl std::io::Read for Unreadable {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from_raw_os_error(5))
        }
    }

    #[test]
    fn an_unreadable_answer_is_an_input_error_not_an_output_error() {
        let mut store = match Store::open(None, "kb", &mut Vec::new()) {
            Ok(store) => store,
            Err(e) => panic!("{e}"),
        };
        let hashes = HashMap::new();
        let style = Style {
            color: false,
            width: 80,
        };
        let mut session = Session {
            store: &mut store,
            hashes: &hashes,
            style: &style,
        };
        let question = Question {
            kind: quiz::Kind::Definition,
            entry: "a".into(),
            prompt: "Which entry is this?".into(),
            choices: vec!["A".into(), "B".into()],
            answer: 0,
            read: "otpic show a".into(),
        };
        let mut input = std::io::BufReader::new(Unreadable);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        match session.ask(&[question], &mut input, &mut out, &mut err) {
            Err(e) => assert_eq!(
                e.to_string(),
                "cannot read standard input: input/output error"
            ),
            Ok(()) => panic!("an unreadable input was answered"),
        }
    }
}
