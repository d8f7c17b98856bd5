//! `otpic browse`: a full-screen terminal browser that follows links.
//!
//! The state ([`state::App`]) holds no terminal: key, mouse and resize events update
//! it, and [`draw::draw`] paints it; only [`terminal`] touches the real terminal. The
//! knowledge base is opened once per session.

pub mod draw;
pub mod jump;
pub mod layout;
pub mod page;
pub mod state;
pub mod terminal;
pub mod worker;

use crate::error::{Error, Result};
use crate::index::{Index, Part};
use crate::lookup::{self, How};
use crate::settings::Settings;
use page::Place;
use ratatui::crossterm::event::{self, Event};
use state::App;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// Everything the browser reads: names to look up and resolve, links both ways,
/// and the search postings.
pub const PARTS: &[Part] = &[Part::Names, Part::Links, Part::Backlinks, Part::Search];

/// How often the event loop looks for a caught signal while waiting for input.
const TICK: Duration = Duration::from_millis(100);
/// How often it looks for input while the matcher works (it wakes at once for the
/// matcher's answer).
const MATCHING_TICK: Duration = Duration::from_millis(2);

pub fn run<E: Write + ?Sized>(
    settings: &Settings,
    query: &[String],
    exact: bool,
    err: &mut E,
) -> Result<u8> {
    if !settings.terminal || !settings.stdin_terminal {
        return Err(Error::Usage(
            "browse needs a terminal (stdin and stdout); in scripts and pipes use \
             `otpic show`, `otpic related` or `otpic search`"
                .into(),
        ));
    }
    let kb = Arc::new(Index::open(
        &settings.sources,
        settings.cache_dir.as_deref(),
        PARTS,
    )?);
    let mut problems = 0;
    for problem in kb.problems() {
        let _ = writeln!(err, "otpic: {problem}");
        problems += 1;
    }
    let (place, mut note) = if query.is_empty() {
        (Place::Start, None)
    } else {
        let text = query.join(" ");
        let found = lookup::find(kb.as_ref(), &text, exact)?;
        let note = (found.how != How::Exact).then(|| {
            format!(
                "showing \"{}\", {} \"{}\"",
                crate::sanitize::line(kb.id(found.index)),
                if found.how == How::Prefix {
                    "matched by prefix for"
                } else {
                    "the closest match for"
                },
                crate::sanitize::line(text.trim())
            )
        });
        (Place::Entry(found.index), note)
    };
    if problems > 0 {
        note = Some(format!(
            "{problems} problem{} loading the knowledge base: see `otpic check`",
            if problems == 1 { "" } else { "s" }
        ));
    }
    if settings.style.color {
        // crossterm drops colors when NO_COLOR is set; `--color always` wins here,
        // as everywhere in otpic (the decision was made once, in the settings).
        ratatui::crossterm::style::force_color_output(true);
    }
    let size = ratatui::crossterm::terminal::size()?;
    let mut app = App::new(&kb, place, size, settings.style.color, seed())?;
    app.message = note;
    session(&kb, &mut app)
}

/// Runs the event loop on the real terminal until the reader quits or a signal
/// arrives; the terminal is restored however it ends.
///
/// Every key is taken in and drawn at once; the jump and search boxes' hits come
/// from the matcher thread and are drawn as soon as they arrive.
fn session(kb: &Index, app: &mut App) -> Result<u8> {
    let signals = terminal::Signals::watch()?;
    let mut screen = terminal::enter()?;
    loop {
        app.poll(kb).unwrap_or_else(|gone| matcher_gone(gone));
        screen.terminal.draw(|frame| draw::draw(frame, app, kb))?;
        if let Some(code) = app.exit {
            return Ok(code);
        }
        loop {
            if let Some(signal) = signals.caught() {
                return Ok(128u8.saturating_add(signal));
            }
            let matching = app.matching();
            match event::poll(if matching { Duration::ZERO } else { TICK }) {
                Ok(true) => {
                    handle(kb, app, event::read()?);
                    break;
                }
                Ok(false) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
            if matching
                && app
                    .poll_within(kb, MATCHING_TICK)
                    .unwrap_or_else(|gone| matcher_gone(gone))
            {
                break;
            }
        }
        // Everything already typed is taken in before the next draw.
        while app.exit.is_none() && event::poll(Duration::ZERO)? {
            handle(kb, app, event::read()?);
        }
    }
}

/// The matcher thread panicked: this thread panics with its message, so that the
/// terminal is restored before the message is printed, once.
fn matcher_gone(gone: worker::Gone) -> ! {
    match terminal::panic_elsewhere() {
        Some(message) => panic!("the jump and search matcher {message}"),
        None => panic!("{gone}"),
    }
}

fn handle(kb: &Index, app: &mut App, event: Event) {
    #[cfg(debug_assertions)]
    if let Event::Key(key) = &event
        && let ratatui::crossterm::event::KeyCode::Char(c) = key.code
    {
        panic_test("key:", c.encode_utf8(&mut [0; 4]));
    }
    match event {
        Event::Key(key) => app.key(kb, key),
        Event::Mouse(mouse) => app.mouse(kb, mouse),
        Event::Resize(cols, rows) => app.resize(kb, cols, rows),
        _ => {}
    }
}

/// The end-to-end tests' way to panic mid-session, in debug builds only (release
/// builds never read it): `OTPIC_BROWSE_PANIC_TEST=key:K` panics on the session's
/// thread when K is typed, `matcher:QUERY` on the matcher thread when the jump or
/// search box looks for QUERY; the tests check that the terminal is restored and
/// the message printed once, after it.
#[cfg(debug_assertions)]
pub(crate) fn panic_test(what: &str, on: &str) {
    if std::env::var("OTPIC_BROWSE_PANIC_TEST").is_ok_and(|v| v.strip_prefix(what) == Some(on)) {
        panic!("OTPIC_BROWSE_PANIC_TEST: a panic on purpose, at {what}{on}");
    }
}

/// A seed for `r`: the clock and the process id.
fn seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (u64::from(std::process::id()) << 32)
}
