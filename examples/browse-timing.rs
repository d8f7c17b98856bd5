//! Times a scripted `otpic browse` session in process, with ratatui's test backend
//! standing in for the terminal: `cargo run --release --example browse-timing -- DIR ID WORD`.
//!
//! Prints how long opening the knowledge base and the first entry took, then, for
//! each keystroke of a fixed script (scroll, follow a link, back, forward, jump,
//! search, random), the median and worst time to update the state and draw a
//! 120×40 screen, over several rounds, in wall-clock time and (on Linux, from
//! /proc/thread-self/schedstat) in CPU time, which a busy machine inflates less.
//! Writing the screen to a real terminal is not included. The index is kept in
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
use std::time::{Duration, Instant};

const ROUNDS: usize = 5;
const SIZE: (u16, u16) = (120, 40);

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// CPU time this thread has used, where Linux tells it.
fn cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
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
        Ok(kb) => kb,
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

    let mut times: Vec<Vec<(Duration, Duration)>> = vec![Vec::new(); script.len()];
    for _ in 0..ROUNDS {
        for (n, (_, code)) in script.iter().enumerate() {
            let (t, c) = (Instant::now(), cpu());
            app.key(&kb, KeyEvent::new(*code, KeyModifiers::NONE));
            app.settle(&kb);
            let _ = terminal.draw(|f| draw::draw(f, &app, &kb));
            let used = match (c, cpu()) {
                (Some(a), Some(b)) => b.saturating_sub(a),
                _ => Duration::ZERO,
            };
            times[n].push((t.elapsed(), used));
        }
    }
    let (mut worst, mut worst_cpu) = (Duration::ZERO, Duration::ZERO);
    println!(
        "{:<16} {:>11} {:>11} {:>11}",
        "key", "median", "max", "cpu median"
    );
    for ((name, _), t) in script.iter().zip(times) {
        let mut wall: Vec<Duration> = t.iter().map(|x| x.0).collect();
        let mut used: Vec<Duration> = t.iter().map(|x| x.1).collect();
        wall.sort();
        used.sort();
        let max = wall[wall.len() - 1];
        worst = worst.max(max);
        worst_cpu = worst_cpu.max(used[used.len() - 1]);
        println!(
            "{:<16} {:>11} {:>11} {:>11}",
            name,
            ms(wall[wall.len() / 2]),
            ms(max),
            ms(used[used.len() / 2])
        );
    }
    println!(
        "slowest keystroke: {} wall, {} cpu",
        ms(worst),
        ms(worst_cpu)
    );
    ExitCode::SUCCESS
}
