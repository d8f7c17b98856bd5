//! Spaced repetition for the quiz: FSRS cards (the rs-fsrs crate) and the file that keeps them.
//!
//! The review state is one JSON file, `review-state.json`, in the data directory
//! (`OTPIC_DATA_DIR`, else the platform's, e.g. ~/.local/share/otpic): cards by
//! knowledge base, then by card (`entry-id/question-kind`), each with a hash of
//! its entry's content, so that an edited entry's cards start afresh. The file is
//! replaced atomically (a temporary file renamed over it). A file that cannot be
//! read as review state is never overwritten: it is moved aside, with a message
//! saying where, and the quiz starts from an empty state.

use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rs_fsrs::{Card, FSRS, Rating, State};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file's name in the data directory.
pub const FILE_NAME: &str = "review-state.json";
const VERSION: u32 = 1;

/// How an answer is graded: wrong is Again; right is Easy within 5 seconds, Good
/// within 20, Hard after that (a slow recognition is a weak memory).
pub fn grade(right: bool, seconds: f64) -> Rating {
    match (right, seconds) {
        (false, _) => Rating::Again,
        (true, s) if s <= 5.0 => Rating::Easy,
        (true, s) if s <= 20.0 => Rating::Good,
        (true, _) => Rating::Hard,
    }
}

/// A card that has never been reviewed, due `now`.
pub fn new_card(now: DateTime<Utc>) -> Card {
    Card {
        due: now,
        last_review: now,
        ..Card::default()
    }
}

/// The card after a review at `now` graded `rating`, with FSRS's default parameters.
pub fn review(card: Option<&Card>, now: DateTime<Utc>, rating: Rating) -> Card {
    let card = card.cloned().unwrap_or_else(|| new_card(now));
    FSRS::default().next(card, now, rating).card
}

/// A card as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    /// The hash of the entry's content when the card was last reviewed.
    pub hash: String,
    pub card: Card,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct StateFile {
    version: u32,
    /// Knowledge base → card id → card.
    knowledge_bases: BTreeMap<String, BTreeMap<String, Stored>>,
}

/// The review state of one knowledge base, read from (and saved to) the state file.
#[derive(Debug)]
pub struct Store {
    path: Option<PathBuf>,
    file: StateFile,
    kb: String,
}

impl Store {
    /// Reads the state in `dir` for knowledge base `kb` (`dir` None: nothing is
    /// kept). A damaged file is moved aside and reported on `err`.
    pub fn open<E: Write + ?Sized>(dir: Option<&Path>, kb: &str, err: &mut E) -> Result<Store> {
        let path = dir.map(|d| d.join(FILE_NAME));
        let mut file = StateFile {
            version: VERSION,
            ..StateFile::default()
        };
        if let Some(path) = &path {
            match std::fs::read(path) {
                Ok(bytes) => match serde_json::from_slice::<StateFile>(&bytes) {
                    Ok(read) if read.version == VERSION => file = read,
                    Ok(read) => {
                        return Err(Error::File {
                            path: path.clone(),
                            reason: format!(
                                "review state of version {} (this otpic reads version {VERSION}); left as it is",
                                read.version
                            ),
                        });
                    }
                    Err(e) => {
                        let aside = set_aside(path)?;
                        let _ = writeln!(
                            err,
                            "otpic: {}: not a valid review state ({e}); moved aside to {}; starting afresh",
                            path.display(),
                            aside.display()
                        );
                    }
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(Error::File {
                        path: path.clone(),
                        reason: format!("cannot read review state: {}", crate::error::describe(&e)),
                    });
                }
            }
        }
        Ok(Store {
            path,
            file,
            kb: kb.to_owned(),
        })
    }

    /// Whether the state is kept on disk.
    pub fn is_kept(&self) -> bool {
        self.path.is_some()
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Card `id`, if it has been reviewed since its entry last changed (`hash`).
    pub fn card(&self, id: &str, hash: &str) -> Option<&Card> {
        self.file
            .knowledge_bases
            .get(&self.kb)?
            .get(id)
            .filter(|s| s.hash == hash)
            .map(|s| &s.card)
    }

    /// Every stored card of this knowledge base.
    pub fn cards(&self) -> impl Iterator<Item = (&str, &Stored)> {
        self.file
            .knowledge_bases
            .get(&self.kb)
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v))
    }

    pub fn record(&mut self, id: &str, hash: &str, card: Card) {
        self.file
            .knowledge_bases
            .entry(self.kb.clone())
            .or_default()
            .insert(
                id.to_owned(),
                Stored {
                    hash: hash.to_owned(),
                    card,
                },
            );
    }

    /// Writes the state file atomically (nothing when the state is not kept).
    pub fn save(&self) -> Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let fail = |e: std::io::Error| Error::File {
            path: path.clone(),
            reason: format!("cannot save review state: {}", crate::error::describe(&e)),
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(fail)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
        let text = serde_json::to_vec_pretty(&self.file).map_err(|e| fail(e.into()))?;
        tmp.write_all(&text).map_err(fail)?;
        tmp.as_file().sync_all().map_err(fail)?;
        tmp.persist(path).map_err(|e| fail(e.error))?;
        Ok(())
    }
}

/// Moves a damaged state file to `<name>.corrupt-<seconds>` beside it.
fn set_aside(path: &Path) -> Result<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut aside = path.as_os_str().to_owned();
    aside.push(format!(".corrupt-{stamp}"));
    let aside = PathBuf::from(aside);
    std::fs::rename(path, &aside).map_err(|e| Error::File {
        path: path.to_owned(),
        reason: format!(
            "not a valid review state, and it cannot be moved aside ({}); fix or remove it",
            crate::error::describe(&e)
        ),
    })?;
    Ok(aside)
}

/// Counts for `quiz --stats`.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Questions that can be asked now.
    pub cards: usize,
    /// Never reviewed (or reset by an edit).
    pub new: usize,
    /// Due now.
    pub due: usize,
    /// In (re)learning: answered, not yet in the long-term schedule.
    pub learning: usize,
    /// In the long-term schedule.
    pub learned: usize,
    /// Forgotten at least once after being learned.
    pub lapsed: usize,
}

impl Stats {
    /// Counts `cards` (id, hash), looked up in `store`, at `now`.
    pub fn count<'a>(
        store: &Store,
        cards: impl Iterator<Item = (&'a str, &'a str)>,
        now: DateTime<Utc>,
    ) -> Stats {
        let mut s = Stats::default();
        for (id, hash) in cards {
            s.cards += 1;
            match store.card(id, hash) {
                None => s.new += 1,
                Some(c) => {
                    if c.due <= now {
                        s.due += 1;
                    }
                    match c.state {
                        State::New => s.new += 1,
                        State::Learning | State::Relearning => s.learning += 1,
                        State::Review => s.learned += 1,
                    }
                    if c.lapses > 0 {
                        s.lapsed += 1;
                    }
                }
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// The intervals FSRS gives, with its default parameters, for Good ×6, Again ×2
    /// then Good ×5, each review on the day the card falls due: the sequence in
    /// rs-fsrs's own tests (test_basic_scheduler_interval), from ts-fsrs.
    #[test]
    fn intervals_match_the_published_fsrs_sequence() {
        use Rating::{Again, Good};
        let ratings = [
            Good, Good, Good, Good, Good, Good, Again, Again, Good, Good, Good, Good, Good,
        ];
        let mut now = Utc
            .with_ymd_and_hms(2022, 11, 29, 12, 30, 0)
            .single()
            .unwrap_or_default();
        let mut card: Option<Card> = None;
        let mut intervals = Vec::new();
        for rating in ratings {
            let next = review(card.as_ref(), now, rating);
            intervals.push(next.scheduled_days);
            now = next.due;
            card = Some(next);
        }
        assert_eq!(intervals, [0, 4, 15, 48, 136, 351, 0, 0, 7, 13, 24, 43, 77]);
    }

    #[test]
    fn grades_follow_rightness_then_speed() {
        assert_eq!(grade(false, 1.0), Rating::Again);
        assert_eq!(grade(true, 2.0), Rating::Easy);
        assert_eq!(grade(true, 12.0), Rating::Good);
        assert_eq!(grade(true, 60.0), Rating::Hard);
    }

    #[test]
    fn an_edited_entry_resets_its_cards_and_the_state_survives_a_save() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut sink = Vec::new();
        let mut store =
            Store::open(Some(dir.path()), "kb", &mut sink).unwrap_or_else(|e| panic!("{e}"));
        let now = Utc::now();
        store.record("a/definition", "h1", review(None, now, Rating::Good));
        store.save().unwrap_or_else(|e| panic!("{e}"));
        let again =
            Store::open(Some(dir.path()), "kb", &mut sink).unwrap_or_else(|e| panic!("{e}"));
        assert!(again.card("a/definition", "h1").is_some());
        assert!(again.card("a/definition", "h2").is_none(), "edited: reset");
        let other =
            Store::open(Some(dir.path()), "other kb", &mut sink).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            other.card("a/definition", "h1").is_none(),
            "keyed by knowledge base"
        );
        assert!(sink.is_empty());
    }
}
