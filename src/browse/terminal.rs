//! The real terminal: raw mode, the alternate screen and mouse capture, undone on
//! every way out (return, error, panic), and the signals that end a session.
//!
//! A panic on the session's thread restores the terminal before its message is
//! printed. A panic on another thread (the matcher) while the session lasts is
//! not printed there, where the screen would swallow it: its message is kept for
//! the session's thread, which panics with it, and so restores the terminal first.

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use std::io::{self, BufWriter, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use std::thread::{self, ThreadId};

/// Whether the terminal is in the browser's modes now (so restoring is needed).
static ACTIVE: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();
/// The thread the session runs on.
static SESSION: Mutex<Option<ThreadId>> = Mutex::new(None);
/// The message of a panic on another thread during the session.
static ELSEWHERE: Mutex<Option<String>> = Mutex::new(None);

/// The terminal while a session lasts; dropping it restores the terminal.
pub struct Screen {
    pub terminal: Terminal<CrosstermBackend<BufWriter<Stdout>>>,
}

/// Puts the terminal in raw mode on the alternate screen, with the mouse captured.
pub fn enter() -> io::Result<Screen> {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let session = SESSION.lock().ok().and_then(|s| *s);
            if ACTIVE.load(Ordering::SeqCst) && session.is_some_and(|s| s != thread::current().id())
            {
                if let Ok(mut kept) = ELSEWHERE.lock() {
                    kept.get_or_insert_with(|| info.to_string());
                }
                return;
            }
            restore();
            previous(info);
        }));
    });
    if let Ok(mut session) = SESSION.lock() {
        *session = Some(thread::current().id());
    }
    ACTIVE.store(true, Ordering::SeqCst);
    let setup = enable_raw_mode()
        .and_then(|()| execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture, Hide))
        .and_then(|()| Terminal::new(CrosstermBackend::new(BufWriter::new(io::stdout()))));
    match setup {
        Ok(terminal) => Ok(Screen { terminal }),
        Err(e) => {
            restore();
            Err(e)
        }
    }
}

/// Leaves raw mode and the alternate screen, releases the mouse and shows the
/// cursor; does nothing when the terminal is not in the browser's modes.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let _ = execute!(
            io::stdout(),
            DisableMouseCapture,
            LeaveAlternateScreen,
            Show
        );
    }
}

/// The message of a panic on another thread while the session lasted, if any
/// ("panicked at FILE:LINE:COLUMN:" and the panic's own message).
pub fn panic_elsewhere() -> Option<String> {
    ELSEWHERE.lock().ok().and_then(|mut kept| kept.take())
}

impl Drop for Screen {
    fn drop(&mut self) {
        restore();
    }
}

/// SIGINT, SIGTERM and SIGHUP, caught while a session lasts so that it ends through
/// its normal way out (which restores the terminal) with status 128 + the signal.
///
/// A hangup that closed the terminal is different: reading from it may never
/// return to the event loop (crossterm reads the closed terminal again and
/// again), so a watcher thread ends the process itself, with status 129.
#[cfg(unix)]
pub struct Signals {
    caught: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    ids: Vec<signal_hook::SigId>,
    /// Tells the hangup watcher that the session is over.
    over: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

#[cfg(unix)]
impl Signals {
    pub fn watch() -> io::Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let caught = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut ids = Vec::new();
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            ids.push(signal_hook::flag::register_usize(
                signal,
                caught.clone(),
                signal as usize,
            )?);
        }
        let over = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (flag, done) = (caught.clone(), over.clone());
        thread::Builder::new()
            .name("hangup".into())
            .spawn(move || {
                while !done.load(Ordering::SeqCst) {
                    // A terminal that still answers is restored by the event
                    // loop as for any signal; one that hung up has nothing to
                    // restore (and the main thread holds stdout's lock).
                    if flag.load(Ordering::SeqCst) == SIGHUP as usize
                        && !io::IsTerminal::is_terminal(&io::stdin())
                    {
                        std::process::exit(128 + SIGHUP);
                    }
                    thread::sleep(std::time::Duration::from_millis(50));
                }
            })?;
        Ok(Signals { caught, ids, over })
    }

    /// The signal caught, if any.
    pub fn caught(&self) -> Option<u8> {
        match self.caught.load(Ordering::SeqCst) {
            0 => None,
            n => Some(u8::try_from(n).unwrap_or(u8::MAX)),
        }
    }
}

#[cfg(unix)]
impl Drop for Signals {
    fn drop(&mut self) {
        self.over.store(true, Ordering::SeqCst);
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// Elsewhere the terminal's own Ctrl-C handling applies.
#[cfg(not(unix))]
pub struct Signals;

#[cfg(not(unix))]
impl Signals {
    pub fn watch() -> io::Result<Signals> {
        Ok(Signals)
    }
    pub fn caught(&self) -> Option<u8> {
        None
    }
}
