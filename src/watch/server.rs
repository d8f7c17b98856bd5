//! The watcher process (`otpic watch run DIR`, started by a command in the background).
//!
//! Three threads: notify's, which hands every file event to [`State::on_event`];
//! one that answers questions on the socket, one connection at a time; and the
//! main one, which checks twice a second whether to exit: asked to stop, idle too
//! long, the knowledge base directory gone or replaced, the otpic binary replaced,
//! the socket removed. Exiting removes the socket, pid file and cookies; the lock
//! goes with the process.

use super::client::private_dir;
use super::protocol::{Answer, Question, Request, Token, Verdict};
use super::{Place, hex_path};
use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind, RenameMode};
use notify::{RecursiveMode, Watcher};
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

/// How long after a folder appears answers stay "unsettled": notify adds its watch
/// right after handing over the event, well within this.
const SETTLE: Duration = Duration::from_millis(200);
/// How long the watcher waits for its own cookie's event.
const COOKIE_WAIT: Duration = Duration::from_secs(1);
/// How often the main thread looks at the exit conditions.
const TICK: Duration = Duration::from_millis(500);

/// What `otpic watch run` was given.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub cache: PathBuf,
    pub idle: Duration,
}

/// The watcher's knowledge of its stream of events.
#[derive(Debug)]
struct State {
    instance: u64,
    generation: u64,
    seq: u64,
    /// `seq` at the last change of this generation.
    last_change: u64,
    /// Until when a folder that just appeared may not be watched yet.
    unsettled_until: Option<Instant>,
    /// The last cookie asked for and the last one seen.
    cookie_asked: u64,
    cookie_seen: u64,
    events: u64,
    overflows: u64,
    questions: u64,
    unchanged: u64,
    last_question: Instant,
    exit: Option<String>,
}

/// What the event handler needs to tell events apart.
struct Paths {
    root: PathBuf,
    cookies: PathBuf,
    /// Test hook (`OTPIC_WATCH_TEST_OVERFLOW`): an event on a file of this name is
    /// handled as an overflow of the event queue.
    overflow_name: Option<String>,
}

impl State {
    /// A watcher's state when it starts: nothing seen, nothing asked.
    fn new(instance: u64) -> State {
        State {
            instance,
            generation: 0,
            seq: 0,
            last_change: 0,
            unsettled_until: None,
            cookie_asked: 0,
            cookie_seen: 0,
            events: 0,
            overflows: 0,
            questions: 0,
            unchanged: 0,
            last_question: Instant::now(),
            exit: None,
        }
    }

    fn token(&self) -> Token {
        Token {
            instance: self.instance,
            generation: self.generation,
            seq: self.seq,
        }
    }

    /// Events were lost: every token handed out so far is worthless.
    fn overflow(&mut self, why: &str) {
        self.generation += 1;
        self.overflows += 1;
        log(&format!(
            "{why}: generation {} begins; earlier tokens mean a full check",
            self.generation
        ));
    }

    fn on_event(&mut self, result: notify::Result<notify::Event>, paths: &Paths) {
        let event = match result {
            Ok(event) => event,
            Err(e) => {
                self.overflow(&format!("watch error ({e})"));
                return;
            }
        };
        if event.need_rescan() {
            self.overflow("event queue overflow");
            return;
        }
        let kind = event.kind;
        if matches!(
            kind,
            EventKind::Access(AccessKind::Open(_) | AccessKind::Read)
                | EventKind::Access(AccessKind::Close(AccessMode::Read))
        ) {
            return;
        }
        for path in &event.paths {
            if let Ok(name) = path.strip_prefix(&paths.cookies) {
                if let Some(n) = name.to_str().and_then(|n| n.parse::<u64>().ok())
                    && matches!(kind, EventKind::Create(_))
                {
                    self.cookie_seen = self.cookie_seen.max(n);
                }
                continue;
            }
            if *path == paths.root
                && matches!(
                    kind,
                    EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
                )
            {
                self.exit = Some("the knowledge base directory was removed or moved".into());
            }
            let Ok(rel) = path.strip_prefix(&paths.root) else {
                continue;
            };
            // What the walk never reads (hidden files and folders, backups) changes nothing.
            if rel
                .components()
                .any(|c| crate::walk::is_ignored(&c.as_os_str().to_string_lossy()))
            {
                continue;
            }
            if paths
                .overflow_name
                .as_deref()
                .is_some_and(|n| path.file_name().is_some_and(|f| f == n))
            {
                self.overflow("event queue overflow (test hook)");
            }
            self.seq += 1;
            self.last_change = self.seq;
            self.events += 1;
            let may_be_new_folder = match kind {
                EventKind::Create(CreateKind::File) => false,
                EventKind::Create(_) => true,
                EventKind::Modify(ModifyKind::Name(RenameMode::From)) => false,
                EventKind::Modify(ModifyKind::Name(_)) => true,
                _ => false,
            };
            if may_be_new_folder {
                self.unsettled_until = Some(Instant::now() + SETTLE);
            }
        }
    }

    fn verdict(&self, since: Option<Token>) -> Verdict {
        let now = self.token();
        let verdict = match since {
            Some(t) if t.instance == now.instance && t.generation == now.generation => {
                if self.last_change > t.seq {
                    Verdict::Changed
                } else {
                    Verdict::Unchanged
                }
            }
            _ => Verdict::Unknown,
        };
        let unsettled = self.unsettled_until.is_some_and(|u| Instant::now() < u);
        if verdict != Verdict::Unchanged && unsettled {
            Verdict::Unsettled
        } else {
            verdict
        }
    }
}

type Shared = Arc<(Mutex<State>, Condvar)>;

fn lock(shared: &Shared) -> MutexGuard<'_, State> {
    shared.0.lock().unwrap_or_else(|p| p.into_inner())
}

/// One line in the watcher's log (its stderr, a file in the watch folder).
fn log(what: &str) {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let _ = writeln!(
        std::io::stderr(),
        "{secs} pid {}: {what}",
        std::process::id()
    );
}

/// Identity of a file, to notice it being replaced.
fn identity(path: &Path) -> Option<(u64, u64, i64, i64)> {
    let meta = fs::metadata(path).ok()?;
    Some((meta.dev(), meta.ino(), meta.mtime(), meta.mtime_nsec()))
}

/// Runs the watcher until it has a reason to exit; `Ok` also when another watcher
/// holds the knowledge base's lock (it then exits at once).
pub fn run(config: &Config) -> Result<(), String> {
    // Detach from the terminal of the command that started it.
    let _ = rustix::process::setsid();
    let root =
        fs::canonicalize(&config.root).map_err(|e| format!("{}: {e}", config.root.display()))?;
    let place = Place::new(&config.cache, &root);
    private_dir(&place.dir).map_err(|e| format!("{}: {e}", place.dir.display()))?;
    let lock_file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(place.lock_file())
        .map_err(|e| format!("{}: {e}", place.lock_file().display()))?;
    // A command checking whether a watcher runs holds the lock for an instant
    // (`client::is_locked`): try a few times before taking it for another watcher.
    let mut tries = 0;
    while rustix::fs::flock(
        &lock_file,
        rustix::fs::FlockOperation::NonBlockingLockExclusive,
    )
    .is_err()
    {
        tries += 1;
        if tries == 10 {
            log("another watcher runs for this knowledge base; exiting");
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let watching = watch(config, &root, &place, lock_file);
    if let Err(why) = &watching {
        // Commands start no other watcher for a while (see `client::start`).
        let _ = fs::write(place.failed_file(), why);
        log(&format!("cannot watch: {why}"));
    }
    watching
}

/// Watches `root` (canonical) and answers questions until a reason to exit,
/// holding `lock_file` locked all along.
fn watch(config: &Config, root: &Path, place: &Place, lock_file: fs::File) -> Result<(), String> {
    let root = root.to_owned();
    super::supported_fs(&root)?;
    let root_id = identity(&root);
    let exe = std::env::current_exe().ok();
    let exe_id = exe.as_deref().and_then(identity);

    let cookies = place.cookies();
    let _ = fs::remove_dir_all(&cookies);
    private_dir(&cookies).map_err(|e| format!("{}: {e}", cookies.display()))?;
    let cookies = fs::canonicalize(&cookies).unwrap_or(cookies);

    let started = SystemTime::now();
    let instance = xxhash_rust::xxh3::xxh3_64(
        format!("{} {:?} {}", std::process::id(), started, root.display()).as_bytes(),
    );
    let shared: Shared = Arc::new((Mutex::new(State::new(instance)), Condvar::new()));
    let paths = Paths {
        root: root.clone(),
        cookies: cookies.clone(),
        overflow_name: std::env::var("OTPIC_WATCH_TEST_OVERFLOW")
            .ok()
            .filter(|n| !n.is_empty()),
    };
    let handler_state = Arc::clone(&shared);
    let mut watcher = notify::recommended_watcher(move |result| {
        lock(&handler_state).on_event(result, &paths);
        handler_state.1.notify_all();
    })
    .map_err(|e| format!("cannot watch: {e}"))?;
    watcher
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    watcher
        .watch(&cookies, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", cookies.display()))?;

    // Only now, with every folder watched, may questions be answered.
    let socket = place.socket();
    let _ = fs::remove_file(&socket);
    let listener = UnixListener::bind(&socket).map_err(|e| format!("{}: {e}", socket.display()))?;
    fs::set_permissions(&socket, fs::Permissions::from_mode(0o600))
        .map_err(|e| format!("{}: {e}", socket.display()))?;
    let socket_ino = fs::symlink_metadata(&socket).map(|m| m.ino()).ok();
    let pid_text = format!(
        "pid {}\nroot {}\nversion {}\n",
        std::process::id(),
        hex_path(&root),
        env!("CARGO_PKG_VERSION")
    );
    fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(place.pid_file())
        .and_then(|mut f| f.write_all(pid_text.as_bytes()))
        .map_err(|e| format!("{}: {e}", place.pid_file().display()))?;
    log(&format!(
        "watching {} (instance {instance:x}), idle exit after {} s",
        root.display(),
        config.idle.as_secs()
    ));

    let server = Server {
        shared: Arc::clone(&shared),
        root: root.clone(),
        cookies: cookies.clone(),
        started,
        idle: config.idle,
        log_file: place.log_file(),
    };
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            server.handle(stream);
        }
    });

    let reason = loop {
        let state = lock(&shared);
        let (state, _) = shared
            .1
            .wait_timeout(state, TICK)
            .unwrap_or_else(|p| p.into_inner());
        if let Some(why) = &state.exit {
            break why.clone();
        }
        if state.last_question.elapsed() > config.idle {
            break format!("idle for {} s", config.idle.as_secs());
        }
        drop(state);
        if identity(&root).map(|i| (i.0, i.1)) != root_id.map(|i| (i.0, i.1)) {
            break "the knowledge base directory is gone or replaced".into();
        }
        if let Some(exe) = &exe
            && identity(exe) != exe_id
        {
            break "the otpic binary was replaced".into();
        }
        if fs::symlink_metadata(&socket).map(|m| m.ino()).ok() != socket_ino {
            break "its socket was removed".into();
        }
    };
    lock(&shared).exit = Some(reason.clone());
    drop(watcher);
    if fs::symlink_metadata(&socket).map(|m| m.ino()).ok() == socket_ino {
        let _ = fs::remove_file(&socket);
    }
    let _ = fs::remove_file(place.pid_file());
    let _ = fs::remove_dir_all(&cookies);
    log(&format!("exiting: {reason}"));
    drop(lock_file);
    Ok(())
}

/// The socket side.
struct Server {
    shared: Shared,
    root: PathBuf,
    cookies: PathBuf,
    started: SystemTime,
    idle: Duration,
    log_file: PathBuf,
}

impl Server {
    fn handle(&self, stream: UnixStream) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
        let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
        let mut line = String::new();
        let Ok(read) = stream.try_clone() else {
            return;
        };
        if BufReader::new(std::io::Read::take(read, 64 * 1024))
            .read_line(&mut line)
            .is_err()
        {
            return;
        }
        let reply = match Request::parse(&line) {
            None => Answer::Refused("cannot read the question".into()).to_string(),
            Some(request) => match request.question {
                Question::Query { root, since } => {
                    self.query(&request.version, &root, since).to_string()
                }
                Question::Status => self.status(),
                Question::Stop => {
                    lock(&self.shared).exit = Some("asked to stop".into());
                    self.shared.1.notify_all();
                    "ok".into()
                }
            },
        };
        let mut stream = stream;
        let _ = stream.write_all(format!("{reply}\n").as_bytes());
    }

    fn query(&self, version: &str, root: &str, since: Option<Token>) -> Answer {
        if version != env!("CARGO_PKG_VERSION") {
            return Answer::Refused(format!(
                "the watcher is otpic {}, the command {version}",
                env!("CARGO_PKG_VERSION")
            ));
        }
        if root != hex_path(&self.root) {
            return Answer::Refused("this watcher watches another knowledge base".into());
        }
        // Every change made before the question must have been counted: write a
        // cookie and wait for its event, which comes after theirs.
        let n = {
            let mut state = lock(&self.shared);
            state.questions += 1;
            state.last_question = Instant::now();
            state.cookie_asked += 1;
            state.cookie_asked
        };
        let cookie = self.cookies.join(n.to_string());
        if let Err(e) = fs::File::create(&cookie) {
            return Answer::Refused(format!("cannot write a cookie: {e}"));
        }
        let deadline = Instant::now() + COOKIE_WAIT;
        let mut state = lock(&self.shared);
        while state.cookie_seen < n && state.exit.is_none() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = self
                .shared
                .1
                .wait_timeout(state, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        let _ = fs::remove_file(&cookie);
        if let Some(why) = &state.exit {
            return Answer::Refused(format!("exiting: {why}"));
        }
        if state.cookie_seen < n {
            return Answer::Refused("its cookie's event did not come".into());
        }
        let verdict = state.verdict(since);
        if verdict == Verdict::Unchanged {
            state.unchanged += 1;
        }
        Answer::Ok {
            token: state.token(),
            verdict,
        }
    }

    fn status(&self) -> String {
        let state = lock(&self.shared);
        let started = self
            .started
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        serde_json::json!({
            "root": self.root.to_string_lossy(),
            "pid": std::process::id(),
            "version": env!("CARGO_PKG_VERSION"),
            "started": started,
            "events": state.events,
            "overflows": state.overflows,
            "generation": state.generation,
            "questions": state.questions,
            "unchanged": state.unchanged,
            "idle_secs": self.idle.as_secs(),
            "log": self.log_file.to_string_lossy(),
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, RemoveKind};

    fn state() -> State {
        State::new(1)
    }

    fn paths() -> Paths {
        Paths {
            root: PathBuf::from("/kb"),
            cookies: PathBuf::from("/cache/watch/x.cookies"),
            overflow_name: Some("overflow.toml".into()),
        }
    }

    fn event(kind: EventKind, path: &str) -> notify::Result<notify::Event> {
        Ok(notify::Event::new(kind).add_path(PathBuf::from(path)))
    }

    #[test]
    fn a_change_after_the_token_is_changed_none_is_unchanged() {
        let mut s = state();
        let t = s.token();
        assert_eq!(s.verdict(Some(t)), Verdict::Unchanged);
        s.on_event(
            event(
                EventKind::Access(AccessKind::Open(AccessMode::Any)),
                "/kb/a.toml",
            ),
            &paths(),
        );
        s.on_event(
            event(EventKind::Create(CreateKind::File), "/kb/.a.toml.swp"),
            &paths(),
        );
        s.on_event(
            event(
                EventKind::Create(CreateKind::File),
                "/cache/watch/x.cookies/1",
            ),
            &paths(),
        );
        assert_eq!(
            s.verdict(Some(t)),
            Verdict::Unchanged,
            "reads, hidden files, cookies"
        );
        assert_eq!(s.cookie_seen, 1);
        s.on_event(
            event(
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                "/kb/a.toml",
            ),
            &paths(),
        );
        assert_eq!(s.verdict(Some(t)), Verdict::Changed);
        assert_eq!(s.verdict(Some(s.token())), Verdict::Unchanged);
        assert_eq!(s.verdict(None), Verdict::Unknown);
    }

    #[test]
    fn an_overflow_or_error_makes_every_earlier_token_unknown() {
        let mut s = state();
        let t = s.token();
        s.on_event(
            Ok(notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan)),
            &paths(),
        );
        assert_eq!(s.verdict(Some(t)), Verdict::Unknown);
        let t = s.token();
        s.on_event(Err(notify::Error::generic("boom")), &paths());
        assert_eq!(s.verdict(Some(t)), Verdict::Unknown);
        let t = s.token();
        s.on_event(
            event(EventKind::Create(CreateKind::File), "/kb/overflow.toml"),
            &paths(),
        );
        assert_eq!(s.verdict(Some(t)), Verdict::Unknown, "the test hook");
        assert_eq!(s.overflows, 3);
    }

    #[test]
    fn a_new_folder_unsettles_and_removing_the_root_exits() {
        let mut s = state();
        let t = s.token();
        s.on_event(
            event(EventKind::Create(CreateKind::Folder), "/kb/sub"),
            &paths(),
        );
        assert_eq!(s.verdict(Some(t)), Verdict::Unsettled);
        assert_eq!(s.verdict(Some(s.token())), Verdict::Unchanged);
        s.on_event(
            event(EventKind::Remove(RemoveKind::Folder), "/kb"),
            &paths(),
        );
        assert!(s.exit.is_some());
    }

    #[test]
    fn only_a_new_or_moved_in_folder_unsettles() {
        for (kind, unsettles) in [
            (EventKind::Create(CreateKind::File), false),
            (EventKind::Modify(ModifyKind::Name(RenameMode::From)), false),
            (
                EventKind::Modify(ModifyKind::Data(DataChange::Content)),
                false,
            ),
            (EventKind::Remove(RemoveKind::Folder), false),
            (EventKind::Create(CreateKind::Folder), true),
            (EventKind::Create(CreateKind::Any), true),
            (EventKind::Modify(ModifyKind::Name(RenameMode::To)), true),
            (EventKind::Modify(ModifyKind::Name(RenameMode::Both)), true),
        ] {
            let mut s = state();
            let t = s.token();
            s.on_event(event(kind, "/kb/sub"), &paths());
            let expected = if unsettles {
                Verdict::Unsettled
            } else {
                Verdict::Changed
            };
            assert_eq!(s.verdict(Some(t)), expected, "{kind:?}");
            assert_eq!(s.events, 1, "{kind:?} is counted");
        }
    }

    #[test]
    fn removing_or_moving_what_the_root_holds_does_not_exit() {
        let mut s = state();
        for kind in [
            EventKind::Remove(RemoveKind::File),
            EventKind::Remove(RemoveKind::Folder),
            EventKind::Modify(ModifyKind::Name(RenameMode::From)),
        ] {
            s.on_event(event(kind, "/kb/sub"), &paths());
        }
        assert_eq!(s.exit, None);
        assert_eq!(s.events, 3);
        s.on_event(
            event(EventKind::Modify(ModifyKind::Name(RenameMode::From)), "/kb"),
            &paths(),
        );
        assert!(s.exit.is_some(), "the root moved away");
    }

    /// A watcher's socket side over a cookie folder of its own, with no event
    /// thread: the test plays the events ([`play`]).
    fn server(cookies: &Path) -> Server {
        Server {
            shared: Arc::new((Mutex::new(state()), Condvar::new())),
            root: PathBuf::from("/kb"),
            cookies: cookies.to_path_buf(),
            started: SystemTime::now(),
            idle: Duration::from_secs(60),
            log_file: cookies.join("log"),
        }
    }

    /// The event thread's part, until the flag is set: each time a new cookie
    /// appears, after `delay`, the events of the files in `changes` (changes made
    /// before the question, whose events come late but before the cookie's), then
    /// the cookie's own event. Returns the flag and the thread.
    fn play(
        server: &Server,
        delay: Duration,
        changes: &[&str],
    ) -> (
        Arc<std::sync::atomic::AtomicBool>,
        std::thread::JoinHandle<()>,
    ) {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = Arc::new(AtomicBool::new(false));
        let shared = Arc::clone(&server.shared);
        let cookies = server.cookies.clone();
        let changes: Vec<PathBuf> = changes.iter().map(PathBuf::from).collect();
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let paths = Paths {
                root: PathBuf::from("/kb"),
                cookies: cookies.clone(),
                overflow_name: None,
            };
            let mut played = 0;
            while !stopped.load(Ordering::SeqCst) {
                let newest = fs::read_dir(&cookies)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter_map(|e| e.file_name().to_str()?.parse::<u64>().ok())
                    .max();
                if let Some(n) = newest.filter(|&n| n > played) {
                    std::thread::sleep(delay);
                    let mut s = lock(&shared);
                    for path in &changes {
                        let kind = EventKind::Modify(ModifyKind::Data(DataChange::Content));
                        s.on_event(Ok(notify::Event::new(kind).add_path(path.clone())), &paths);
                    }
                    let cookie = notify::Event::new(EventKind::Create(CreateKind::File))
                        .add_path(cookies.join(n.to_string()));
                    s.on_event(Ok(cookie), &paths);
                    drop(s);
                    shared.1.notify_all();
                    played = n;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        (stop, thread)
    }

    fn ask(server: &Server, since: Option<Token>) -> (Answer, Duration) {
        let start = Instant::now();
        let answer = server.query(
            env!("CARGO_PKG_VERSION"),
            &hex_path(Path::new("/kb")),
            since,
        );
        (answer, start.elapsed())
    }

    fn verdict(answer: &Answer) -> Verdict {
        match answer {
            Answer::Ok { verdict, .. } => verdict.clone(),
            Answer::Refused(why) => panic!("refused: {why}"),
        }
    }

    /// The question is answered only once the event of its cookie, written after
    /// it was asked, has come: so a change made just before the question, whose
    /// event is still on its way, is counted. And it is answered then, not when
    /// the wait for the cookie gives up.
    #[test]
    fn an_answer_waits_for_its_cookie_so_a_change_just_before_is_counted() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let server = server(dir.path());
        let before = lock(&server.shared).token();
        let (stop, player) = play(&server, Duration::from_millis(50), &["/kb/a.toml"]);
        let (answer, took) = ask(&server, Some(before));
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = player.join();
        assert_eq!(verdict(&answer), Verdict::Changed, "{answer:?}");
        assert!(
            took < COOKIE_WAIT,
            "answered {took:?} after the question, not when its cookie came"
        );
        let left: Vec<_> = fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(left.is_empty(), "cookies left behind: {left:?}");
    }

    /// No cookie event within [`COOKIE_WAIT`]: events are late or lost, and no
    /// answer can be trusted.
    #[test]
    fn without_its_cookie_s_event_the_question_is_refused_after_the_wait() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let server = server(dir.path());
        let now = lock(&server.shared).token();
        let (answer, took) = ask(&server, Some(now));
        assert_eq!(
            answer,
            Answer::Refused("its cookie's event did not come".into())
        );
        assert!(took >= COOKIE_WAIT, "gave up after {took:?}");
        assert_eq!(lock(&server.shared).unchanged, 0);
    }

    /// A watcher of another version or another directory answers nothing.
    #[test]
    fn another_version_or_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let server = server(dir.path());
        let (stop, player) = play(&server, Duration::ZERO, &[]);
        let root = hex_path(Path::new("/kb"));
        let other = server.query("0.0.0-other", &root, None);
        let elsewhere = server.query(
            env!("CARGO_PKG_VERSION"),
            &hex_path(Path::new("/kb2")),
            None,
        );
        let (answer, _) = ask(&server, None);
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = player.join();
        assert!(
            matches!(other, Answer::Refused(ref w) if w.contains("0.0.0-other")),
            "{other:?}"
        );
        assert!(matches!(elsewhere, Answer::Refused(_)), "{elsewhere:?}");
        assert_eq!(verdict(&answer), Verdict::Unknown);
    }

    /// `otpic watch status` counts the questions answered and the "unchanged" ones.
    #[test]
    fn questions_and_unchanged_answers_are_counted() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let server = server(dir.path());
        let (stop, player) = play(&server, Duration::ZERO, &[]);
        let now = lock(&server.shared).token();
        let answers = [
            ask(&server, Some(now)).0,
            ask(&server, None).0,
            ask(&server, Some(now)).0,
        ];
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = player.join();
        let verdicts: Vec<Verdict> = answers.iter().map(verdict).collect();
        assert_eq!(
            verdicts,
            [Verdict::Unchanged, Verdict::Unknown, Verdict::Unchanged]
        );
        let counts = {
            let s = lock(&server.shared);
            (s.questions, s.unchanged, s.cookie_asked)
        };
        assert_eq!(counts, (3, 2, 3), "questions, unchanged, cookies");
        let status: serde_json::Value = serde_json::from_str(&server.status()).unwrap_or_default();
        assert_eq!(status["questions"], 3, "{status}");
        assert_eq!(status["unchanged"], 2, "{status}");
    }
}
