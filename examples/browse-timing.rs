//! Times a scripted `otpic browse` session in process, with ratatui's test backend
//! standing in for the terminal: `cargo run --release --example browse-timing -- DIR ID WORD`.
//!
//! Prints how long opening the knowledge base and the first entry took, then, for
//! each keystroke of a fixed script (scroll, follow a link, back, forward, jump,
//! search, random), over several rounds, the median and worst time from the key
//! to the first redraw (the key answered: the text moved, the letter shown in the
//! box) and to the redraw that shows its result (the box's hits for the query as
//! typed, found on the matcher thread), each on a 120×40 screen; and the CPU time
//! the UI thread spent on the key (on Linux, from /proc/thread-self/schedstat),
//! which a busy machine inflates less. Writing the screen to a real terminal is
//! not included (bench/browse-session.py measures that). The index is kept in
//! OTPIC_CACHE_DIR when that is set.

use otpic::browse::draw;
use otpic::browse::page::Place;
use otpic::browse::state::App;
use otpic::index::Index;
use otpic::source::Source;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ROUNDS: usize = 5;
const SIZE: (u16, u16) = (120, 40);

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// CPU time this thread has used, where Linux tells it.
fn cpu() -> Option<Duration> {
    schedstat("/proc/thread-self/schedstat")
}

fn schedstat(path: &str) -> Option<Duration> {
    let text = std::fs::read_to_string(path).ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// CPU time the matcher thread has used, where Linux tells it (threads are named
/// in /proc/self/task/*/comm, cut to 15 bytes).
fn matcher_cpu() -> Option<Duration> {
    for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if "otpic-browse-matcher".starts_with(comm.trim()) && !comm.trim().is_empty() {
            return schedstat(&task.path().join("schedstat").to_string_lossy());
        }
    }
    None
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, id, word] = args.as_slice() else {
        eprintln!("usage: browse-timing DIR ID WORD");
        return ExitCode::from(2);
    };
    let cache = std::env::var_os("OTPIC_CACHE_DIR").map(PathBuf::from);
    let sources = [Source::Dir(PathBuf::from(dir))];

    let start = Instant::now();
    let kb = match Index::open(&sources, cache.as_deref(), otpic::browse::PARTS) {
        Ok(kb) => Arc::new(kb),
        Err(e) => {
            eprintln!("browse-timing: {e}");
            return ExitCode::from(2);
        }
    };
    let opened = start.elapsed();
    let Some(first) = kb.by_id(id) else {
        eprintln!("browse-timing: no entry {id}");
        return ExitCode::from(1);
    };
    let mut app = match App::new(&kb, Place::Entry(first), SIZE, true, 42) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("browse-timing: {e}");
            return ExitCode::from(2);
        }
    };
    // The test backend cannot fail.
    let mut terminal =
        Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap_or_else(|e| match e {});
    let _ = terminal.draw(|f| draw::draw(f, &app, &kb));
    let first_frame = start.elapsed();
    println!(
        "{} entries: index opened in {}, first entry drawn at {}",
        kb.len(),
        ms(opened),
        ms(first_frame)
    );

    let mut script: Vec<(String, KeyCode)> = vec![
        ("j".into(), KeyCode::Char('j')),
        ("Space".into(), KeyCode::Char(' ')),
        ("G".into(), KeyCode::Char('G')),
        ("Tab".into(), KeyCode::Tab),
        ("j".into(), KeyCode::Char('j')),
        ("Enter (link)".into(), KeyCode::Enter),
        ("Backspace".into(), KeyCode::Backspace),
        ("l".into(), KeyCode::Char('l')),
        ("h".into(), KeyCode::Char('h')),
        ("/".into(), KeyCode::Char('/')),
    ];
    for c in id.chars().take(4) {
        script.push((format!("jump: {c}"), KeyCode::Char(c)));
    }
    script.push(("Enter (jump)".into(), KeyCode::Enter));
    script.push(("s".into(), KeyCode::Char('s')));
    for c in word.chars() {
        script.push((format!("search: {c}"), KeyCode::Char(c)));
    }
    script.push(("Enter (search)".into(), KeyCode::Enter));
    script.push(("r".into(), KeyCode::Char('r')));

    // Per key: the first redraw, the redraw with its result, the UI thread's CPU,
    // the matcher thread's CPU.
    let mut times: Vec<Vec<[Duration; 4]>> = vec![Vec::new(); script.len()];
    for _ in 0..ROUNDS {
        for (n, (_, code)) in script.iter().enumerate() {
            let (t, c, m) = (Instant::now(), cpu(), matcher_cpu());
            app.key(&kb, KeyEvent::new(*code, KeyModifiers::NONE));
            let _ = app.poll(&kb);
            let _ = terminal.draw(|f| draw::draw(f, &app, &kb));
            let first = t.elapsed();
            let mut used = match (c, cpu()) {
                (Some(a), Some(b)) => b.saturating_sub(a),
                _ => Duration::ZERO,
            };
            // As the session's event loop does: redraw when the matcher answers.
            while app.matching() {
                let c = cpu();
                if let Err(e) = app.poll_within(&kb, Duration::from_secs(5)) {
                    eprintln!("browse-timing: {e}");
                    return ExitCode::from(2);
                }
                let _ = terminal.draw(|f| draw::draw(f, &app, &kb));
                if let (Some(a), Some(b)) = (c, cpu()) {
                    used += b.saturating_sub(a);
                }
            }
            let elapsed = t.elapsed();
            let matcher = match (m, matcher_cpu()) {
                (Some(a), Some(b)) => b.saturating_sub(a),
                _ => Duration::ZERO,
            };
            times[n].push([first, elapsed, used, matcher]);
        }
    }
    let median = |t: &[[Duration; 4]], i: usize| {
        let mut v: Vec<Duration> = t.iter().map(|x| x[i]).collect();
        v.sort();
        (v[v.len() / 2], v[v.len() - 1])
    };
    let (mut worst_first, mut worst_result) = (Duration::ZERO, Duration::ZERO);
    println!(
        "{:<16} {:>13} {:>13} {:>13} {:>13} {:>11} {:>12}",
        "key",
        "answered med",
        "answered max",
        "result med",
        "result max",
        "ui cpu med",
        "matcher cpu"
    );
    for ((name, _), t) in script.iter().zip(&times) {
        let (first, first_max) = median(t, 0);
        let (result, result_max) = median(t, 1);
        let (used, _) = median(t, 2);
        let (matcher, _) = median(t, 3);
        worst_first = worst_first.max(first_max);
        worst_result = worst_result.max(result_max);
        println!(
            "{:<16} {:>13} {:>13} {:>13} {:>13} {:>11} {:>12}",
            name,
            ms(first),
            ms(first_max),
            ms(result),
            ms(result_max),
            ms(used),
            ms(matcher)
        );
    }
    println!(
        "slowest keystroke: answered in {}, its result drawn in {}",
        ms(worst_first),
        ms(worst_result)
    );
    ExitCode::SUCCESS
}
