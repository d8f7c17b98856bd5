//! What commands and a watcher say to each other: one line each way per connection.
//!
//! A question is `otpic-watch 1 VERSION VERB ARGS…`: `query ROOT TOKEN` (the
//! knowledge base as hex, the token the index was confirmed at or `-`),
//! `status`, or `stop`. The answer to `query` is `ok TOKEN VERDICT` or
//! `refused REASON…`; to `status`, one JSON object; to `stop`, `ok`.

use std::fmt;

/// The protocol's own version, first word after the magic.
pub const PROTOCOL: &str = "1";
const MAGIC: &str = "otpic-watch";

/// A point in one watcher's stream of events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Chosen anew by every watcher process.
    pub instance: u64,
    /// Increased on every overflow or watch error: everything before is unknown.
    pub generation: u64,
    /// Increased on every change.
    pub seq: u64,
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:x}:{}:{}", self.instance, self.generation, self.seq)
    }
}

impl Token {
    pub fn parse(s: &str) -> Option<Token> {
        let mut parts = s.split(':');
        let token = Token {
            instance: u64::from_str_radix(parts.next()?, 16).ok()?,
            generation: parts.next()?.parse().ok()?,
            seq: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(token)
    }
}

/// What changed since the token a command asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing: the index confirmed at that token is still current.
    Unchanged,
    /// Something did: do the full check.
    Changed,
    /// The token is of another watcher or generation, or none was given: do the
    /// full check.
    Unknown,
    /// A folder was created or moved in moments ago and may not be watched yet: do
    /// the full check and do not keep the token.
    Unsettled,
}

impl Verdict {
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Unchanged => "unchanged",
            Verdict::Changed => "changed",
            Verdict::Unknown => "unknown",
            Verdict::Unsettled => "unsettled",
        }
    }

    fn parse(word: &str) -> Option<Verdict> {
        Some(match word {
            "unchanged" => Verdict::Unchanged,
            "changed" => Verdict::Changed,
            "unknown" => Verdict::Unknown,
            "unsettled" => Verdict::Unsettled,
            _ => return None,
        })
    }

    /// Whether the current token may be kept with an index checked after this answer.
    pub fn keeps_token(&self) -> bool {
        !matches!(self, Verdict::Unsettled)
    }
}

/// A watcher's answer to `query`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Ok { token: Token, verdict: Verdict },
    Refused(String),
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Ok { token, verdict } => write!(f, "ok {token} {}", verdict.word()),
            Answer::Refused(why) => write!(f, "refused {}", why.replace('\n', " ")),
        }
    }
}

impl Answer {
    pub fn parse(line: &str) -> Option<Answer> {
        let line = line.trim_end_matches('\n');
        if let Some(why) = line.strip_prefix("refused ") {
            return Some(Answer::Refused(why.to_owned()));
        }
        let mut words = line.split(' ');
        if words.next()? != "ok" {
            return None;
        }
        let token = Token::parse(words.next()?)?;
        let verdict = Verdict::parse(words.next()?)?;
        words
            .next()
            .is_none()
            .then_some(Answer::Ok { token, verdict })
    }
}

/// A command's question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    Query { root: String, since: Option<Token> },
    Status,
    Stop,
}

/// A question with the otpic version that asks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub version: String,
    pub question: Question,
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{MAGIC} {PROTOCOL} {} ", self.version)?;
        match &self.question {
            Question::Query { root, since } => match since {
                Some(t) => write!(f, "query {root} {t}"),
                None => write!(f, "query {root} -"),
            },
            Question::Status => write!(f, "status"),
            Question::Stop => write!(f, "stop"),
        }
    }
}

impl Request {
    /// A question from this otpic.
    pub fn new(question: Question) -> Request {
        Request {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            question,
        }
    }

    pub fn parse(line: &str) -> Option<Request> {
        let mut words = line.trim_end_matches('\n').split(' ');
        if words.next()? != MAGIC || words.next()? != PROTOCOL {
            return None;
        }
        let version = words.next()?.to_owned();
        let question = match words.next()? {
            "query" => {
                let root = words.next()?.to_owned();
                let since = match words.next()? {
                    "-" => None,
                    t => Some(Token::parse(t)?),
                };
                Question::Query { root, since }
            }
            "status" => Question::Status,
            "stop" => Question::Stop,
            _ => return None,
        };
        words
            .next()
            .is_none()
            .then_some(Request { version, question })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_and_answers_read_back_as_written() {
        let token = Token {
            instance: 0xdead_beef,
            generation: 2,
            seq: 41,
        };
        for question in [
            Question::Query {
                root: "2f6b62".into(),
                since: Some(token),
            },
            Question::Query {
                root: "2f6b62".into(),
                since: None,
            },
            Question::Status,
            Question::Stop,
        ] {
            let request = Request::new(question);
            assert_eq!(Request::parse(&format!("{request}\n")), Some(request));
        }
        for answer in [
            Answer::Ok {
                token,
                verdict: Verdict::Unchanged,
            },
            Answer::Ok {
                token,
                verdict: Verdict::Unsettled,
            },
            Answer::Refused("other version 9.9".into()),
        ] {
            assert_eq!(Answer::parse(&answer.to_string()), Some(answer));
        }
    }

    #[test]
    fn anything_else_is_not_understood() {
        assert_eq!(Request::parse("otpic-watch 2 0.1.0 status"), None);
        assert_eq!(Request::parse("otpic-watch 1 0.1.0 query ab 1:2"), None);
        assert_eq!(Request::parse("otpic-watch 1 0.1.0 status extra"), None);
        assert_eq!(Answer::parse("ok 1:2:3 maybe"), None);
        assert_eq!(Answer::parse("ok 1:2:x unchanged"), None);
        assert_eq!(Answer::parse(""), None);
    }
}
