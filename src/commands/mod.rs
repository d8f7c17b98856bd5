//! The subcommands, one file each, and the dispatcher that runs them.

mod check;
mod completions;
mod edit;
mod field;
mod glossary;
mod list;
mod man;
mod new;
mod paths;
mod related;
mod search;
mod show;
mod site;
mod watch;

pub use show::resolved;

use crate::cli::{Command, Format};
use crate::error::{Error, Result};
use crate::index::{Index, Part};
use crate::kb::KnowledgeBase;
use crate::lookup::{Found, How, Names};
use crate::settings::{Env, Settings};
use std::io::Write;

/// Runs the commands that depend only on the command line (`completions`, `man`), so
/// that they work even with a broken config file; `None` for every other command.
pub fn run_without_settings<O: Write + ?Sized>(
    command: &Command,
    env: &Env,
    out: &mut O,
) -> Option<Result<u8>> {
    match command {
        Command::Completions { shell } => Some(completions::run(*shell, env, out)),
        Command::Man => Some(man::run(out)),
        _ => None,
    }
}

/// Loads the knowledge base the settings name and runs `command` on it: `check` and
/// `edit` parse every file; the others read the index, rebuilt first if anything
/// changed. Long text output of `show`, `related`, `list` and `glossary` goes
/// through the pager.
pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    command: &Command,
    settings: &Settings,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    match command {
        Command::Paths => return paths::run(settings, out),
        Command::Watch { action } => return watch::run(action, settings, out),
        Command::New {
            title,
            kind,
            id,
            dir,
        } => {
            let request = new::Request {
                title,
                kind: kind.as_deref(),
                id: id.as_deref(),
                dir: dir.as_ref(),
            };
            return new::run(settings, request, out, err);
        }
        Command::Check { strict } => {
            let kb = KnowledgeBase::load(&settings.sources)?;
            return check::run(&kb, settings, *strict, out);
        }
        Command::Edit { query, copy_to } => {
            let kb = KnowledgeBase::load(&settings.sources)?;
            for problem in &kb.problems {
                let _ = writeln!(err, "otpic: {problem}");
            }
            return edit::run(
                &kb,
                settings,
                &query.text(),
                query.exact,
                copy_to.as_ref(),
                out,
                err,
            );
        }
        _ => {}
    }
    let text = settings.format != Format::Json;
    let parts: &[Part] = match command {
        Command::Show { field: None, .. } if settings.format != Format::Markdown => {
            &[Part::Names, Part::Backlinks]
        }
        Command::Show { .. } => &[Part::Names, Part::Backlinks, Part::Links],
        Command::Related { .. } => &[Part::Names, Part::Links, Part::Backlinks, Part::Summaries],
        Command::List { .. } if text && settings.terminal => &[],
        Command::List { .. } => &[Part::Summaries],
        Command::Search { .. } => &[Part::Search],
        Command::Glossary => &[Part::Summaries],
        Command::Site { .. } => &[Part::Names, Part::Links, Part::Backlinks, Part::Summaries],
        _ => &[],
    };
    let kb = Index::open_watched(
        &settings.sources,
        settings.cache_dir.as_deref(),
        parts,
        &settings.watch,
    )?;
    for problem in kb.problems() {
        let _ = writeln!(err, "otpic: {problem}");
    }
    let pageable = matches!(
        command,
        Command::Show { .. } | Command::Related { .. } | Command::List { .. } | Command::Glossary
    );
    match &settings.pager {
        Some(pager) if pageable => {
            let mut text = Vec::new();
            let result = run_on(&kb, command, settings, &mut text, err);
            pager.show(&text, out, err)?;
            result
        }
        _ => run_on(&kb, command, settings, out, err),
    }
}

/// Runs `command` on a knowledge base index already opened.
pub fn run_on<O: Write + ?Sized, E: Write + ?Sized>(
    kb: &Index,
    command: &Command,
    settings: &Settings,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    match command {
        Command::Show { query, field } => {
            show::run(kb, settings, &query.text(), query.exact, *field, out, err)
        }
        Command::Related { query, depth } => {
            related::run(kb, settings, &query.text(), query.exact, *depth, out, err)
        }
        Command::List { kind, tag } => {
            list::run(kb, settings, kind.as_deref(), tag.as_deref(), out)
        }
        Command::Search { terms, limit } => search::run(kb, settings, terms, *limit, out),
        Command::Glossary => glossary::run(kb, settings, out),
        Command::Paths => paths::run(settings, out),
        Command::Site {
            out_dir,
            title,
            force,
        } => site::run(kb, settings, out_dir, title.as_deref(), *force, err),
        Command::Check { .. }
        | Command::Edit { .. }
        | Command::New { .. }
        | Command::Completions { .. }
        | Command::Watch { .. }
        | Command::Man => Err(Error::Usage("this command does not run on an index".into())),
    }
}

/// The usage error for `--format markdown` on a command that has no Markdown form.
fn no_markdown(command: &str) -> Error {
    Error::Usage(format!(
        "--format markdown is for show, list, glossary and related; `{command}` has text and json"
    ))
}

/// Finds the entry for `query`, telling stderr when it was not an exact match.
fn find<K: Names + ?Sized, E: Write + ?Sized>(
    kb: &K,
    query: &str,
    exact: bool,
    err: &mut E,
) -> Result<usize> {
    let Found { index, how } = crate::lookup::find(kb, query, exact)?;
    if how != How::Exact {
        let _ = writeln!(
            err,
            "otpic: showing \"{}\" ({}), {} \"{}\"",
            crate::sanitize::line(kb.entry_id(index)),
            crate::sanitize::line(kb.entry_title(index)),
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
