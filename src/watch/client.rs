//! The command's side: ask a knowledge base's watcher what changed, start one when
//! none runs, keep the token an index was confirmed at, and find, query and stop
//! running watchers (`otpic watch status|stop`).
//!
//! Nothing here is an error for the command: a watcher that cannot be reached,
//! started or believed only means the full check.

use super::protocol::{Answer, Question, Request, Token, Verdict};
use super::{Options, Place};
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long after a watcher failed to start no command starts another.
const RETRY_AFTER: Duration = Duration::from_secs(10 * 60);

/// The longest socket path a `sockaddr_un` holds, with its terminating zero.
const SOCKET_PATH_MAX: usize = 107;

/// What one command learned from the watchers of its knowledge base directories.
#[derive(Debug)]
pub struct Session {
    /// Where the token of this index is kept.
    token_file: PathBuf,
    stored: Option<Tokens>,
    /// Each directory (canonical) and its watcher's answer, if any.
    answers: Vec<(PathBuf, Option<(Token, Verdict)>)>,
    debug: bool,
}

impl Session {
    /// Asks the watcher of each of `roots` (knowledge base directories) what changed
    /// since the index `index` (a file name in `cache`) was last confirmed, starting
    /// watchers where none runs. `None` when there is no directory to watch.
    pub fn begin(
        cache: &Path,
        index: &str,
        roots: &[PathBuf],
        options: &Options,
    ) -> Option<Session> {
        if roots.is_empty() {
            return None;
        }
        let token_file = super::watch_dir(cache).join(format!("{index}.token"));
        let stored = Tokens::read(&token_file);
        let mut session = Session {
            token_file,
            stored,
            answers: Vec::new(),
            debug: options.debug,
        };
        for root in roots {
            let Ok(root) = fs::canonicalize(root) else {
                session.note(root, "cannot resolve the path; full check");
                session.answers.push((root.clone(), None));
                continue;
            };
            let answer = session.ask_or_start(cache, &root, options);
            session.answers.push((root, answer));
        }
        Some(session)
    }

    fn ask_or_start(
        &self,
        cache: &Path,
        root: &Path,
        options: &Options,
    ) -> Option<(Token, Verdict)> {
        if let Err(why) = super::supported_fs(root) {
            self.note(root, &format!("{why}; full check"));
            return None;
        }
        let place = Place::new(cache, root);
        let since = self.stored.as_ref().and_then(|t| t.token_of(root));
        match query(&place, root, since, options.timeout) {
            Ok(Answer::Ok { token, verdict }) => {
                self.note(root, &format!("{} since {}", verdict.word(), show(since)));
                Some((token, verdict))
            }
            Ok(Answer::Refused(why)) => {
                self.note(root, &format!("refused: {why}; full check"));
                None
            }
            Err(Ask::NotRunning) => {
                match start(&place, root, options) {
                    Ok(true) => self.note(root, "no watcher; started one; full check"),
                    Ok(false) => self.note(root, "a watcher is starting; full check"),
                    Err(why) => self.note(root, &format!("cannot start a watcher: {why}")),
                }
                None
            }
            Err(Ask::Failed(why)) => {
                self.note(root, &format!("no answer ({why}); full check"));
                None
            }
        }
    }

    /// Whether every watcher says nothing changed since the index whose state is
    /// `state` was confirmed: then the full check can be skipped.
    pub fn unchanged(&self, state: u64) -> bool {
        let Some(stored) = &self.stored else {
            return false;
        };
        stored.state == state
            && self
                .answers
                .iter()
                .all(|(_, a)| matches!(a, Some((_, Verdict::Unchanged))))
    }

    /// Tells (with `OTPIC_WATCH_DEBUG`) that the walk was skipped.
    pub fn skipped(&self) {
        if self.debug {
            let _ = writeln!(std::io::stderr(), "otpic: watch: nothing changed; no walk");
        }
    }

    /// Tells `what` (with `OTPIC_WATCH_DEBUG`).
    pub fn tell(&self, what: &str) {
        if self.debug {
            let _ = writeln!(std::io::stderr(), "otpic: watch: {what}");
        }
    }

    /// Keeps the tokens of this session's answers with the index whose state is
    /// `state`, which a full check made or confirmed after the answers: the next
    /// command then asks about changes since them.
    pub fn remember(&self, state: u64) {
        let mut roots = Vec::new();
        for (root, answer) in &self.answers {
            match answer {
                Some((token, verdict)) if verdict.keeps_token() => {
                    roots.push((root.clone(), *token));
                }
                _ => {
                    // Nothing certain to keep: forget the old token, so that no later
                    // answer is read against an index it does not describe.
                    if self.stored.is_some() {
                        let _ = fs::remove_file(&self.token_file);
                    }
                    return;
                }
            }
        }
        let tokens = Tokens { state, roots };
        if self.stored.as_ref() != Some(&tokens) {
            let _ = tokens.write(&self.token_file);
        }
    }

    fn note(&self, root: &Path, what: &str) {
        if self.debug {
            let _ = writeln!(
                std::io::stderr(),
                "otpic: watch: {}: {what}",
                root.display()
            );
        }
    }
}

fn show(token: Option<Token>) -> String {
    token.map_or_else(|| "no token".to_owned(), |t| format!("token {t}"))
}

/// The tokens an index was confirmed at, one per knowledge base directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    /// Identifies the index's content (its section table).
    pub state: u64,
    pub roots: Vec<(PathBuf, Token)>,
}

impl Tokens {
    fn token_of(&self, root: &Path) -> Option<Token> {
        self.roots
            .iter()
            .find(|(r, _)| r == root)
            .map(|(_, token)| *token)
    }

    fn read(path: &Path) -> Option<Tokens> {
        let text = fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        let head = lines.next()?;
        if head != format!("otpic-watch-token 1 {}", env!("CARGO_PKG_VERSION")) {
            return None;
        }
        let state = u64::from_str_radix(lines.next()?.strip_prefix("state ")?, 16).ok()?;
        let mut roots = Vec::new();
        for line in lines {
            let (root, token) = line.strip_prefix("root ")?.split_once(' ')?;
            roots.push((super::unhex_path(root)?, Token::parse(token)?));
        }
        Some(Tokens { state, roots })
    }

    fn write(&self, path: &Path) -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        private_dir(dir)?;
        let mut text = format!(
            "otpic-watch-token 1 {}\nstate {:x}\n",
            env!("CARGO_PKG_VERSION"),
            self.state
        );
        for (root, token) in &self.roots {
            text.push_str(&format!("root {} {token}\n", super::hex_path(root)));
        }
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(text.as_bytes())?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Why a question got no answer.
#[derive(Debug)]
pub enum Ask {
    /// No watcher listens there (no socket, or a dead one).
    NotRunning,
    /// One may, but did not answer in time or answered nonsense.
    Failed(String),
}

/// Sends `request` to the watcher at `place` and reads its one-line answer.
fn exchange(place: &Place, request: &Request, timeout: Duration) -> Result<String, Ask> {
    let socket = place.socket();
    let mut stream = match UnixStream::connect(&socket) {
        Ok(stream) => stream,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
            ) =>
        {
            return Err(Ask::NotRunning);
        }
        Err(e) => return Err(Ask::Failed(e.to_string())),
    };
    let failed = |e: std::io::Error| Ask::Failed(e.to_string());
    stream.set_read_timeout(Some(timeout)).map_err(failed)?;
    stream.set_write_timeout(Some(timeout)).map_err(failed)?;
    stream
        .write_all(format!("{request}\n").as_bytes())
        .map_err(failed)?;
    let mut line = String::new();
    BufReader::new(std::io::Read::take(stream, 64 * 1024))
        .read_line(&mut line)
        .map_err(failed)?;
    Ok(line)
}

/// Asks the watcher of `root` what changed since `since`.
pub fn query(
    place: &Place,
    root: &Path,
    since: Option<Token>,
    timeout: Duration,
) -> Result<Answer, Ask> {
    let request = Request::new(Question::Query {
        root: super::hex_path(root),
        since,
    });
    let line = exchange(place, &request, timeout)?;
    Answer::parse(&line).ok_or_else(|| Ask::Failed(format!("cannot read the answer {line:?}")))
}

/// Creates `dir` readable by the user alone, or checks that it is.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    match fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
    {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let meta = fs::symlink_metadata(dir)?;
    if !meta.is_dir() || meta.uid() != rustix::process::getuid().as_raw() {
        return Err(std::io::Error::other(format!(
            "{} is not a folder of this user",
            dir.display()
        )));
    }
    if meta.mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Whether a process holds the lock of `place` (a watcher runs or is starting).
pub fn is_locked(place: &Place) -> bool {
    let Ok(file) = fs::File::open(place.lock_file()) else {
        return false;
    };
    match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockShared) {
        Ok(()) => false,
        Err(e) => e == rustix::io::Errno::WOULDBLOCK,
    }
}

/// Starts a watcher for `root` in the background, unless one holds the lock
/// already. `Ok(true)` when one was started.
pub fn start(place: &Place, root: &Path, options: &Options) -> Result<bool, String> {
    if place.socket().as_os_str().len() > SOCKET_PATH_MAX {
        return Err(format!(
            "the cache path is too long for a socket: {}",
            place.socket().display()
        ));
    }
    private_dir(&place.dir).map_err(|e| format!("{}: {e}", place.dir.display()))?;
    if is_locked(place) {
        return Ok(false);
    }
    let failed = place.failed_file();
    if let Ok(age) = fs::metadata(&failed)
        .and_then(|m| m.modified())
        .map(|t| t.elapsed())
        && age.is_ok_and(|a| a < RETRY_AFTER)
    {
        let why = fs::read_to_string(&failed).unwrap_or_default();
        return Err(format!(
            "the last one failed, not retrying for a while: {why}"
        ));
    }
    let _ = fs::remove_file(&failed);
    clean_dead(place);
    let exe = std::env::current_exe().map_err(|e| format!("cannot find otpic itself: {e}"))?;
    let log = fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(place.log_file())
        .map_err(|e| format!("{}: {e}", place.log_file().display()))?;
    let log2 = log.try_clone().map_err(|e| e.to_string())?;
    let cache = place.dir.parent().unwrap_or(Path::new("."));
    std::process::Command::new(exe)
        .arg("watch")
        .arg("run")
        .arg("--cache-dir")
        .arg(cache)
        .arg("--idle-secs")
        .arg(options.idle.as_secs().max(1).to_string())
        .arg(root)
        .stdin(std::process::Stdio::null())
        .stdout(log)
        .stderr(log2)
        .spawn()
        .map_err(|e| format!("cannot start otpic watch run: {e}"))?;
    Ok(true)
}

/// Removes the socket, pid file and cookies of a watcher that is not running
/// (no process holds its lock).
pub fn clean_dead(place: &Place) -> bool {
    if is_locked(place) {
        return false;
    }
    let mut cleaned = false;
    for path in [place.socket(), place.pid_file()] {
        cleaned |= fs::remove_file(path).is_ok();
    }
    let _ = fs::remove_dir_all(place.cookies());
    cleaned
}

/// What a running watcher says about itself (`otpic watch status`).
pub fn status(place: &Place, timeout: Duration) -> Result<serde_json::Value, Ask> {
    let line = exchange(place, &Request::new(Question::Status), timeout)?;
    serde_json::from_str(&line).map_err(|e| Ask::Failed(format!("cannot read its status: {e}")))
}

/// Asks the watcher at `place` to stop and waits until it has (its lock is free).
pub fn stop(place: &Place, wait: Duration) -> Result<(), String> {
    let asked = exchange(place, &Request::new(Question::Stop), wait);
    let deadline = Instant::now() + wait;
    while is_locked(place) {
        if Instant::now() > deadline {
            return Err(match asked {
                Err(Ask::Failed(why)) => format!("it did not answer ({why}) and still runs"),
                _ => "it still runs".into(),
            });
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    clean_dead(place);
    Ok(())
}

/// The watchers that have files in `dir` (`<cache>/watch`), by their file stem.
pub fn places(dir: &Path) -> Vec<Place> {
    let mut stems: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|item| {
            let name = item.file_name().into_string().ok()?;
            let (stem, ext) = name.rsplit_once('.')?;
            (matches!(ext, "pid" | "sock" | "lock") && stem.len() == 16).then(|| stem.to_owned())
        })
        .collect();
    stems.sort();
    stems.dedup();
    stems.iter().map(|s| Place::of_file(dir, s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(seq: u64) -> Token {
        Token {
            instance: 7,
            generation: 1,
            seq,
        }
    }

    fn session(stored: Option<Tokens>, answers: Vec<Option<(Token, Verdict)>>) -> Session {
        Session {
            token_file: PathBuf::from("/nonexistent/token"),
            stored,
            answers: answers
                .into_iter()
                .enumerate()
                .map(|(i, a)| (PathBuf::from(format!("/kb{i}")), a))
                .collect(),
            debug: false,
        }
    }

    #[test]
    fn only_unchanged_answers_about_the_same_index_skip_the_check() {
        let stored = Tokens {
            state: 42,
            roots: vec![(PathBuf::from("/kb0"), token(3))],
        };
        let unchanged = Some((token(5), Verdict::Unchanged));
        assert!(session(Some(stored.clone()), vec![unchanged.clone()]).unchanged(42));
        assert!(!session(Some(stored.clone()), vec![unchanged.clone()]).unchanged(43));
        assert!(!session(None, vec![unchanged.clone()]).unchanged(42));
        for doubt in [
            None,
            Some((token(5), Verdict::Changed)),
            Some((token(5), Verdict::Unknown)),
            Some((token(5), Verdict::Unsettled)),
        ] {
            assert!(!session(Some(stored.clone()), vec![unchanged.clone(), doubt]).unchanged(42));
        }
    }

    #[test]
    fn tokens_are_kept_and_read_back_and_forgotten_on_doubt() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("watch/x.idx.token");
        let tokens = Tokens {
            state: 0xabc,
            roots: vec![(PathBuf::from("/a b"), token(9))],
        };
        tokens.write(&file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Tokens::read(&file), Some(tokens.clone()));
        let mode = fs::metadata(dir.path().join("watch")).map(|m| m.mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o700));
        let mut doubtful = session(Some(tokens), vec![None]);
        doubtful.token_file = file.clone();
        doubtful.remember(0xabc);
        assert!(
            !file.exists(),
            "an answer missing: the old token is dropped"
        );
    }

    #[test]
    fn each_directory_is_asked_about_with_its_own_token() {
        let tokens = Tokens {
            state: 1,
            roots: vec![
                (PathBuf::from("/kb0"), token(3)),
                (PathBuf::from("/kb1"), token(8)),
            ],
        };
        assert_eq!(tokens.token_of(Path::new("/kb1")), Some(token(8)));
        assert_eq!(tokens.token_of(Path::new("/kb0")), Some(token(3)));
        assert_eq!(
            tokens.token_of(Path::new("/kb2")),
            None,
            "a directory the index was not confirmed with has no token"
        );
    }

    #[test]
    fn certain_answers_are_kept_with_the_new_state_and_an_unsettled_one_drops_them() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("watch/x.idx.token");
        let old = Tokens {
            state: 1,
            roots: vec![
                (PathBuf::from("/kb0"), token(3)),
                (PathBuf::from("/kb1"), token(4)),
            ],
        };
        old.write(&file).unwrap_or_else(|e| panic!("{e}"));
        let mut confirmed = session(
            Some(old.clone()),
            vec![
                Some((token(5), Verdict::Unchanged)),
                Some((token(6), Verdict::Changed)),
            ],
        );
        confirmed.token_file = file.clone();
        confirmed.remember(2);
        let new = Tokens {
            state: 2,
            roots: vec![
                (PathBuf::from("/kb0"), token(5)),
                (PathBuf::from("/kb1"), token(6)),
            ],
        };
        assert_eq!(
            Tokens::read(&file),
            Some(new.clone()),
            "the answers' tokens, with the state the full check confirmed"
        );
        let mut unsettled = session(
            Some(new),
            vec![
                Some((token(7), Verdict::Unchanged)),
                Some((token(8), Verdict::Unsettled)),
            ],
        );
        unsettled.token_file = file.clone();
        unsettled.remember(2);
        assert!(
            !file.exists(),
            "a folder that may not be watched yet: no token is kept"
        );
        assert!(!Verdict::Unsettled.keeps_token());
        for verdict in [Verdict::Unchanged, Verdict::Changed, Verdict::Unknown] {
            assert!(verdict.keeps_token(), "{verdict:?}");
        }
    }
}
