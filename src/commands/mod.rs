//! The subcommands, one file each, and the dispatcher that runs them.

mod check;
mod glossary;
mod list;
mod related;
mod search;
mod show;

use crate::cli::Command;
use crate::error::Result;
use crate::kb::KnowledgeBase;
use crate::lookup::{Found, How};
use crate::settings::Settings;
use std::io::Write;

/// Loads the knowledge base the settings name and runs `command` on it.
pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    command: &Command,
    settings: &Settings,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    let kb = KnowledgeBase::load(&settings.sources)?;
    if !matches!(command, Command::Check { .. }) {
        for problem in &kb.problems {
            let _ = writeln!(err, "otpic: {problem}");
        }
    }
    run_on(&kb, command, settings, out, err)
}

/// Runs `command` on a knowledge base already loaded.
pub fn run_on<O: Write + ?Sized, E: Write + ?Sized>(
    kb: &KnowledgeBase,
    command: &Command,
    settings: &Settings,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    match command {
        Command::Show(args) => show::run(kb, settings, &args.text(), args.exact, out, err),
        Command::Related { query, depth } => {
            related::run(kb, settings, &query.text(), query.exact, *depth, out, err)
        }
        Command::List { kind, tag } => {
            list::run(kb, settings, kind.as_deref(), tag.as_deref(), out)
        }
        Command::Search { terms, limit } => search::run(kb, settings, terms, *limit, out),
        Command::Glossary => glossary::run(kb, settings, out),
        Command::Check { strict } => check::run(kb, settings, *strict, out),
    }
}

/// Finds the entry for `query`, telling stderr when it was not an exact match.
fn find<E: Write + ?Sized>(
    kb: &KnowledgeBase,
    query: &str,
    exact: bool,
    err: &mut E,
) -> Result<usize> {
    let Found { index, how } = crate::lookup::find(kb, query, exact)?;
    if how != How::Exact {
        let entry = &kb.entries[index];
        let _ = writeln!(
            err,
            "otpic: showing \"{}\" ({}), {} \"{}\"",
            crate::sanitize::line(&entry.id),
            crate::sanitize::line(&entry.title),
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
