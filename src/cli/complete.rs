//! Shell completion of entry names, kinds and tags, computed from the active knowledge
//! base each time the shell asks (clap_complete's dynamic completion).
//!
//! The shell runs `COMPLETE=<shell> otpic -- <the words on the line>`; clap_complete
//! finds the argument being completed and calls the completers here. They see only the
//! current word, so they read the rest of the line from the process arguments: the
//! `--entries` and `--with-embedded` typed there choose the knowledge base (else
//! `OTPIC_ENTRIES`, else the config file, as in [`crate::env`]), and the query
//! words typed before the current one let a multi-word title complete word by word.

use super::Cli;
use crate::env::{self, Env};
use crate::index::Index;
use crate::name;
use clap::CommandFactory;
use clap_complete::engine::CompletionCandidate;
use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// Completes an entry query: ids, titles and aliases of the active knowledge base.
pub fn entry_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let line = Line::from_process();
    match line.knowledge_base() {
        Some(kb) => candidates(&kb, &line.query_words(), &current.to_string_lossy()),
        None => Vec::new(),
    }
}

/// Completes `--kind`: the kinds the active knowledge base uses, and the usual five.
pub fn kinds(current: &OsStr) -> Vec<CompletionCandidate> {
    let mut kinds: BTreeSet<String> = [
        "approach",
        "problem",
        "concept",
        "organization",
        "case",
        "document",
        "programme",
    ]
    .map(str::to_owned)
    .into();
    if let Some(kb) = Line::from_process().knowledge_base() {
        kinds.extend((0..kb.len()).map(|i| kb.kind(i).to_owned()));
    }
    starting_with(kinds, current)
}

/// Completes `--tag`: the tags the active knowledge base uses.
pub fn tags(current: &OsStr) -> Vec<CompletionCandidate> {
    let tags: BTreeSet<String> = Line::from_process()
        .knowledge_base()
        .map(|kb| {
            (0..kb.len())
                .flat_map(|i| kb.tags(i).map(str::to_owned).collect::<Vec<_>>())
                .collect()
        })
        .unwrap_or_default();
    starting_with(tags, current)
}

/// Completes `--relation`: the relation types the active knowledge bases declare.
pub fn relations(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(kb) = Line::from_process().knowledge_base() else {
        return Vec::new();
    };
    let current = current.to_string_lossy();
    kb.relations()
        .declared()
        .iter()
        .filter(|r| r.name.starts_with(current.as_ref()))
        .filter_map(|r| candidate(&r.name, &r.label))
        .collect()
}

fn starting_with(words: BTreeSet<String>, current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy().to_lowercase();
    words
        .into_iter()
        .filter(|w| w.starts_with(&current) && !w.chars().any(|c| c.is_control()))
        .map(CompletionCandidate::new)
        .collect()
}

/// A candidate with its description. Names holding control characters (which would
/// break the shell's newline-separated protocol, or reach the terminal) are left out.
fn candidate(value: &str, help: &str) -> Option<CompletionCandidate> {
    if value
        .chars()
        .any(|c| c.is_control() || crate::sanitize::is_unsafe(c))
    {
        return None;
    }
    let help = crate::sanitize::line(help).into_owned();
    Some(CompletionCandidate::new(value).help(Some(help.into())))
}

/// The candidates for the current word of a query, given the query words before it.
///
/// For the first word: ids whose normalized form starts with the word (ignoring case,
/// with spaces, `_` and `-` alike), each described by its title; and, once something is
/// typed, titles and aliases that start with it as typed. For a later word: the rest of
/// every title or alias whose first words are the ones typed, so that
/// `otpic show collective se<TAB>` completes "Security".
pub fn candidates(kb: &Index, typed: &[String], current: &str) -> Vec<CompletionCandidate> {
    let mut out: Vec<CompletionCandidate> = Vec::new();
    let key = name::normalize(current);
    // Titles and aliases of entry `i`, borrowed, with the help each would show.
    let names = |i: usize| {
        std::iter::once((kb.title(i), Help::Id(i)))
            .chain(kb.aliases(i).map(move |a| (a, Help::AliasOf(i))))
    };
    let help = |h: Help| match h {
        Help::Id(i) => kb.id(i).to_owned(),
        Help::AliasOf(i) => format!("alias of {}", kb.id(i)),
    };
    if typed.is_empty() {
        for i in 0..kb.len() {
            let id = kb.id(i);
            // An id already in normalized form is compared as it is, without a copy.
            let starts = if is_normalized(id) {
                id.starts_with(&key)
            } else {
                name::normalize(id).starts_with(&key)
            };
            if starts {
                out.extend(candidate(id, kb.title(i)));
            }
        }
        if !current.is_empty() {
            let mut more = Vec::new();
            for i in 0..kb.len() {
                for (text, h) in names(i) {
                    if text.starts_with(current) && name::normalize(text) != kb.id(i) {
                        more.push((text.to_owned(), help(h)));
                    }
                }
            }
            more.sort();
            more.dedup_by(|a, b| a.0 == b.0);
            out.extend(more.iter().filter_map(|(text, help)| candidate(text, help)));
        }
        return out;
    }
    // Bash splits words at `:` (it is in COMP_WORDBREAKS): "Diplomacy: Conditions"
    // arrives as "Diplomacy", ":", and the word after. Colons are left out of the
    // comparison, and a candidate for a lone ":" keeps it, since bash replaces it.
    let typed: Vec<&String> = typed
        .iter()
        .filter(|w| !w.chars().all(|c| c == ':'))
        .collect();
    let colonless = |s: &str| name::normalize(&s.replace(':', " "));
    let (lead, key) = if current.chars().all(|c| c == ':') && !current.is_empty() {
        (format!("{current} "), String::new())
    } else {
        (String::new(), colonless(current))
    };
    let typed_key = colonless(
        &typed
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let mut more = Vec::new();
    for i in 0..kb.len() {
        for (text, h) in names(i) {
            // The typed words begin the name's normalized form, whose first
            // letter is that of the name's first word: most names fail on it.
            let first = text
                .chars()
                .find(|&c| !(c.is_whitespace() || c == '_' || c == '-' || c == ':'));
            if let (Some(first), Some(want)) = (first, typed_key.chars().next())
                && first.is_ascii()
                && want.is_ascii()
                && first.to_ascii_lowercase() != want
            {
                continue;
            }
            let words: Vec<&str> = text.split_whitespace().collect();
            if words.len() > typed.len()
                && colonless(&words[..typed.len()].join(" ")) == typed_key
                && colonless(words[typed.len()]).starts_with(&key)
            {
                more.push((format!("{lead}{}", words[typed.len()..].join(" ")), help(h)));
            }
        }
    }
    more.sort();
    more.dedup_by(|a, b| a.0 == b.0);
    out.extend(more.iter().filter_map(|(text, help)| candidate(text, help)));
    out
}

/// Whether `id` is its own normalized form for certain (see [`name::normalize`]):
/// lowercase ASCII letters, digits and single inner hyphens, checked byte by byte.
fn is_normalized(id: &str) -> bool {
    let bytes = id.as_bytes();
    !bytes.starts_with(b"-")
        && !bytes.ends_with(b"-")
        && bytes
            .iter()
            .zip(bytes.iter().skip(1))
            .all(|(&a, &b)| a != b'-' || b != b'-')
        && bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// What a title or alias candidate is described by: its entry's id (a title), or
/// "alias of" the id.
#[derive(Clone, Copy)]
enum Help {
    Id(usize),
    AliasOf(usize),
}

/// The command line being completed, as clap_complete passes it to otpic.
struct Line {
    /// The words before the one being completed, starting with the program name.
    before: Vec<OsString>,
}

impl Line {
    /// Reads the line from the process arguments: `otpic -- otpic word…`, the word being
    /// completed at `_CLAP_COMPLETE_INDEX` (bash, zsh, elvish) or last (fish, PowerShell).
    fn from_process() -> Line {
        let args: Vec<OsString> = std::env::args_os().collect();
        let words = match args.iter().position(|a| a == "--") {
            Some(i) => args[i + 1..].to_vec(),
            None => Vec::new(),
        };
        let index = std::env::var("_CLAP_COMPLETE_INDEX")
            .ok()
            .and_then(|i| i.parse().ok())
            .unwrap_or(words.len().saturating_sub(1))
            .min(words.len());
        Line {
            before: words[..index].to_vec(),
        }
    }

    /// What clap makes of the words before the current one, errors ignored.
    fn matches(&self) -> Option<clap::ArgMatches> {
        if self.before.is_empty() {
            return None;
        }
        Cli::command()
            .ignore_errors(true)
            .try_get_matches_from(&self.before)
            .ok()
    }

    /// The knowledge base the line would browse; `None` if it cannot be loaded.
    fn knowledge_base(&self) -> Option<Index> {
        let matches = self.matches();
        let (entries, with_embedded) = matches
            .as_ref()
            .map(|m| {
                let sub = m.subcommand().map(|(_, s)| s);
                let dirs = |m: &clap::ArgMatches| -> Vec<PathBuf> {
                    m.try_get_many::<PathBuf>("entries")
                        .ok()
                        .flatten()
                        .map(|v| v.cloned().collect())
                        .unwrap_or_default()
                };
                let flag = |m: &clap::ArgMatches| {
                    m.try_get_one::<bool>("with_embedded")
                        .ok()
                        .flatten()
                        .copied()
                        .unwrap_or(false)
                };
                let mut entries = dirs(m);
                if entries.is_empty() {
                    entries = sub.map(dirs).unwrap_or_default();
                }
                (entries, flag(m) || sub.is_some_and(flag))
            })
            .unwrap_or_default();
        let env = Env::from_process();
        let config = env.config().unwrap_or_default();
        let sources: Vec<_> = env::active_sources(&entries, with_embedded, &env, &config)
            .into_iter()
            .map(|(source, _)| source)
            .collect();
        let watch = env::watch_options(&env.watch, &config).unwrap_or_default();
        Index::open_watched(&sources, env.cache_dir.as_deref(), &[], &watch).ok()
    }

    /// The query words typed before the current one.
    fn query_words(&self) -> Vec<String> {
        self.matches()
            .and_then(|m| {
                let (_, sub) = m.subcommand()?;
                let words = sub.try_get_many::<String>("query").ok().flatten()?;
                Some(words.cloned().collect())
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> Index {
        let specs = [
            (
                "collective-security",
                "Collective Security",
                "\"collective defence\"",
            ),
            ("coercive-diplomacy", "Coercive Diplomacy", ""),
            ("peace-zones", "Peace Zones", "\"Zones of Peace\""),
        ];
        let texts: Vec<(&str, String)> = specs
            .iter()
            .map(|(id, title, aliases)| {
                (
                    *id,
                    format!("title = \"{title}\"\ndefinition = \"d\"\naliases = [{aliases}]\n"),
                )
            })
            .collect();
        let texts: Vec<(&str, &str)> = texts.iter().map(|(id, t)| (*id, t.as_str())).collect();
        Index::from_texts(&texts)
    }

    fn values(typed: &[&str], current: &str) -> Vec<String> {
        let typed: Vec<String> = typed.iter().map(|s| s.to_string()).collect();
        candidates(&kb(), &typed, current)
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn a_partial_id_completes_to_ids_ignoring_case_and_separators() {
        assert_eq!(
            values(&[], "co"),
            [
                "coercive-diplomacy",
                "collective-security",
                "collective defence"
            ]
        );
        assert_eq!(values(&[], "COLL"), ["collective-security"]);
        assert_eq!(values(&[], "peace_z"), ["peace-zones"]);
    }

    #[test]
    fn titles_and_aliases_complete_as_typed_but_not_when_they_repeat_the_id() {
        assert_eq!(values(&[], "Zo"), ["Zones of Peace"]);
        assert_eq!(values(&[], "Peace"), ["peace-zones"]);
    }

    #[test]
    fn an_empty_word_offers_every_id_with_its_title() {
        let all = candidates(&kb(), &[], "");
        assert_eq!(all.len(), 3);
        assert_eq!(
            all[0].get_help().map(|h| h.to_string()),
            Some("Coercive Diplomacy".into())
        );
    }

    #[test]
    fn names_with_control_characters_are_not_offered() {
        let text =
            "title = \"Evil\\u001b[31m Title\"\ndefinition = \"d\"\naliases = [\"two\\nlines\"]\n";
        let kb = Index::from_texts(&[("evil", text)]);
        let got: Vec<String> = candidates(&kb, &[], "")
            .iter()
            .chain(&candidates(&kb, &[], "Evil"))
            .chain(&candidates(&kb, &[], "two"))
            .map(|c| {
                format!(
                    "{:?} {:?}",
                    c.get_value(),
                    c.get_help().map(|h| h.to_string())
                )
            })
            .collect();
        let evil = "\"evil\" Some(\"Evil\\\\u{1b}[31m Title\")";
        assert_eq!(
            got,
            [evil, evil],
            "the id, for \"\" and for \"Evil\"; not the title or alias"
        );
    }

    #[test]
    fn ids_in_normalized_form_are_recognized_and_others_normalized_first() {
        for id in ["collective-security", "iraq-1998", "x", "un-good-offices"] {
            assert!(is_normalized(id), "{id}");
            assert_eq!(name::normalize(id), id);
        }
        for id in ["Peace-Zones", "a--b", "-a", "a-", "a_b", "école", "a b", ""] {
            assert!(!is_normalized(id) || name::normalize(id) == id, "{id}");
        }
    }

    #[test]
    fn later_words_continue_a_multi_word_title() {
        assert_eq!(values(&["collective"], "se"), ["Security"]);
        assert_eq!(values(&["zones"], ""), ["of Peace"]);
        assert!(values(&["nothing"], "").is_empty());
    }
}
