//! The subcommands, one file each, and the dispatcher that runs them.

mod check;
mod glossary;
mod list;
mod related;
mod search;
mod show;

use crate::cli::{Command, Format};
use crate::error::Result;
use crate::index::{Index, Part};
use crate::kb::KnowledgeBase;
use crate::lookup::{Found, How};
use crate::settings::Settings;
use std::io::Write;

/// Loads the knowledge base the settings name and runs `command` on it: `check`
/// parses every file; the others read the index, rebuilt first if anything changed.
pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    command: &Command,
    settings: &Settings,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    if let Command::Check = command {
        let kb = KnowledgeBase::load(&settings.sources)?;
        return check::run(&kb, settings, out);
    }
    let json = settings.format == Format::Json;
    let parts: &[Part] = match command {
        Command::Show(_) => &[Part::Names, Part::Backlinks],
        Command::Related { .. } => &[Part::Names, Part::Links, Part::Backlinks, Part::Summaries],
        Command::List { .. } if json => &[Part::Summaries],
        Command::List { .. } => &[],
        Command::Search { .. } => &[Part::Search],
        Command::Glossary => &[Part::Summaries],
        Command::Check => &[],
    };
    let kb = Index::open(&settings.sources, settings.cache_dir.as_deref(), parts)?;
    for problem in kb.problems() {
        let _ = writeln!(err, "otpic: {problem}");
    }
    match command {
        Command::Show(args) => show::run(&kb, settings, &args.text(), args.exact, out, err),
        Command::Related { query, depth } => {
            related::run(&kb, settings, &query.text(), query.exact, *depth, out, err)
        }
        Command::List { kind, tag } => {
            list::run(&kb, settings, kind.as_deref(), tag.as_deref(), out)
        }
        Command::Search { terms, limit } => search::run(&kb, settings, terms, *limit, out),
        Command::Glossary => glossary::run(&kb, settings, out),
        Command::Check => Ok(0),
    }
}

/// Finds the entry for `query`, telling stderr when it was not an exact match.
fn find<E: Write + ?Sized>(kb: &Index, query: &str, exact: bool, err: &mut E) -> Result<usize> {
    let Found { index, how } = crate::lookup::find(kb, query, exact)?;
    if how != How::Exact {
        let _ = writeln!(
            err,
            "otpic: showing \"{}\" ({}), {} \"{}\"",
            crate::sanitize::line(kb.id(index)),
            crate::sanitize::line(kb.title(index)),
            if how == How::Prefix {
                "matched by prefix"
            } else {
                "the closest match for"
            },
            crate::sanitize::line(query.trim()),
        );
    }
    Ok(index)
}
