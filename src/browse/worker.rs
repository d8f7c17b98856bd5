//! The finder boxes' matcher thread: jump (`/`) and search (`s`) queries are
//! answered off the UI thread, so that a key is echoed and drawn at once while
//! 100,000 entries are matched, as fzf and the `nucleo` crate do.
//!
//! Invariants: every query sent gets a generation number one higher than the one
//! before; the thread always works on the newest query it has been sent (older
//! ones still waiting are dropped, and a jump match in progress gives up when a
//! newer query arrives), and every answer carries the generation and the query it
//! was found for, so the UI never takes it for another query's.

use super::jump::Names;
use crate::index::Index;
use crate::search;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::Duration;

/// What a finder box looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// `/`: ids, titles and aliases, fuzzily.
    Jump,
    /// `s`: full text, as `otpic search`.
    Search,
}

/// One hit of a finder box: the entry, and its snippet (search only).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub index: usize,
    pub snippet: Option<String>,
}

/// A query for the matcher thread.
#[derive(Debug)]
struct Request {
    generation: u64,
    finding: Finding,
    query: String,
    limit: usize,
}

/// What the matcher found for one query.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub generation: u64,
    pub finding: Finding,
    pub query: String,
    pub hits: Vec<Hit>,
}

/// The matcher thread stopped (it panicked): no answer will come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gone;

impl std::fmt::Display for Gone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the jump and search matcher stopped unexpectedly")
    }
}

/// The UI thread's handle on the matcher thread; dropping it ends the thread.
#[derive(Debug)]
pub struct Worker {
    requests: Sender<Request>,
    answers: Receiver<Answer>,
    /// The newest generation sent, which the thread reads to give up older work.
    latest: Arc<AtomicU64>,
}

impl Worker {
    /// Starts the matcher thread on `kb`.
    pub fn spawn(kb: Arc<Index>) -> io::Result<Worker> {
        let (requests, inbox) = mpsc::channel();
        let (outbox, answers) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let newest = latest.clone();
        std::thread::Builder::new()
            .name("otpic-browse-matcher".into())
            .spawn(move || serve(&kb, &inbox, &outbox, &newest))?;
        Ok(Worker {
            requests,
            answers,
            latest,
        })
    }

    /// Sends `query` to be matched, as generation `generation`, which must be
    /// higher than any sent before. An empty query (for a jump) builds the names.
    pub fn ask(&self, generation: u64, finding: Finding, query: &str, limit: usize) {
        self.latest.store(generation, Ordering::SeqCst);
        // A send fails only when the thread is gone, which the next receive reports.
        let _ = self.requests.send(Request {
            generation,
            finding,
            query: query.to_owned(),
            limit,
        });
    }

    /// An answer that has arrived, if any.
    pub fn try_answer(&self) -> Result<Option<Answer>, Gone> {
        match self.answers.try_recv() {
            Ok(answer) => Ok(Some(answer)),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::Disconnected) => Err(Gone),
        }
    }

    /// The next answer, waiting up to `timeout` for it.
    pub fn answer_within(&self, timeout: Duration) -> Result<Option<Answer>, Gone> {
        match self.answers.recv_timeout(timeout) {
            Ok(answer) => Ok(Some(answer)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => Err(Gone),
        }
    }
}

/// The matcher thread: answers the newest request until the UI's handle is dropped.
fn serve(kb: &Index, inbox: &Receiver<Request>, outbox: &Sender<Answer>, latest: &AtomicU64) {
    let mut names: Option<Names> = None;
    while let Ok(mut request) = inbox.recv() {
        while let Ok(newer) = inbox.try_recv() {
            request = newer;
        }
        #[cfg(debug_assertions)]
        super::panic_test("matcher:", &request.query);
        let hits = match request.finding {
            Finding::Jump => {
                let names = names.get_or_insert_with(|| Names::new(kb));
                let stale = || latest.load(Ordering::SeqCst) != request.generation;
                match names.find_until(kb, &request.query, request.limit, stale) {
                    Some(found) => found
                        .into_iter()
                        .map(|index| Hit {
                            index,
                            snippet: None,
                        })
                        .collect(),
                    // A newer query is waiting: it is answered instead.
                    None => continue,
                }
            }
            Finding::Search => {
                let query = search::Query::parse(&[request.query.as_str()]);
                search::search(kb, &query, request.limit)
                    .hits
                    .into_iter()
                    .map(|h| Hit {
                        index: h.index,
                        snippet: Some(h.snippet),
                    })
                    .collect()
            }
        };
        let answer = Answer {
            generation: request.generation,
            finding: request.finding,
            query: request.query,
            hits,
        };
        if outbox.send(answer).is_err() {
            return;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly
mod tests {
    use super::*;

    const WAIT: Duration = Duration::from_secs(30);

    #[test]
    fn answers_carry_the_query_and_generation_they_were_found_for() {
        let kb = crate::browse::page::tests::kb();
        let worker = Worker::spawn(kb.clone()).unwrap();
        worker.ask(1, Finding::Jump, "gam", 10);
        let answer = worker.answer_within(WAIT).unwrap().unwrap();
        assert_eq!((answer.generation, answer.query.as_str()), (1, "gam"));
        assert_eq!(answer.hits[0].index, kb.by_id("gamma").unwrap());
        worker.ask(2, Finding::Search, "threats", 10);
        let answer = worker.answer_within(WAIT).unwrap().unwrap();
        assert_eq!(answer.finding, Finding::Search);
        assert_eq!(answer.hits[0].index, kb.by_id("beta").unwrap());
        assert!(answer.hits[0].snippet.is_some());
    }

    #[test]
    fn queries_sent_together_are_answered_newest_last_and_never_out_of_order() {
        let kb = crate::browse::page::tests::kb();
        let worker = Worker::spawn(kb).unwrap();
        for (generation, query) in ["a", "al", "alp", "alph"].iter().enumerate() {
            worker.ask(generation as u64 + 1, Finding::Jump, query, 10);
        }
        let mut last = 0;
        loop {
            let answer = worker.answer_within(WAIT).unwrap().unwrap();
            assert!(answer.generation > last, "{answer:?} after {last}");
            last = answer.generation;
            if last == 4 {
                assert_eq!(answer.query, "alph");
                break;
            }
        }
    }

    #[test]
    fn a_thread_that_is_gone_is_reported_not_waited_for() {
        // A worker whose thread is gone: both ends of its channels were dropped.
        let (requests, _) = mpsc::channel();
        let (_, answers) = mpsc::channel();
        let gone = Worker {
            requests,
            answers,
            latest: Arc::new(AtomicU64::new(0)),
        };
        gone.ask(1, Finding::Jump, "a", 10);
        assert_eq!(gone.try_answer(), Err(Gone));
        assert_eq!(gone.answer_within(Duration::ZERO), Err(Gone));
    }
}
