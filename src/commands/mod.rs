//! The subcommands, one file each, and the dispatcher that runs them.

mod check;
mod compare;
mod completions;
mod edit;
mod field;
mod glossary;
mod graph;
mod list;
mod man;
mod new;
mod path;
mod paths;
mod quiz;
mod related;
mod search;
mod show;
mod site;
mod sources;
mod tags;
mod watch;

pub use list::{groups as list_groups, plural};
pub use show::{resolved, to_text};

use crate::cli::{Command, Format, OutputFormat};
use crate::error::{Error, Result};
use crate::index::{Index, Part};
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

/// A usage error for `--format dot` or `mermaid` on a command other than `graph`.
pub fn check_format(command: &Command, format: OutputFormat) -> Result<()> {
    let name = match format {
        OutputFormat::Dot => "dot",
        OutputFormat::Mermaid => "mermaid",
        _ => return Ok(()),
    };
    if matches!(command, Command::Graph { .. }) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "--format {name} is accepted only by `graph`; `{}` has text, json and markdown",
        command_name(command)
    )))
}

/// The name a command is invoked by.
fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Show { .. } => "show",
        Command::Browse { .. } => "browse",
        Command::Related { .. } => "related",
        Command::Path { .. } => "path",
        Command::Graph { .. } => "graph",
        Command::Compare { .. } => "compare",
        Command::List { .. } => "list",
        Command::Search { .. } => "search",
        Command::Glossary { .. } => "glossary",
        Command::Tags => "tags",
        Command::Check { .. } => "check",
        Command::New { .. } => "new",
        Command::Edit { .. } => "edit",
        Command::Paths => "paths",
        Command::Completions { .. } => "completions",
        Command::Man => "man",
        Command::Site { .. } => "site",
        Command::Sources { .. } => "sources",
        Command::Quiz { .. } => "quiz",
        Command::Watch { .. } => "watch",
    }
}

/// Loads the knowledge base the settings name and runs `command` on it: `check` and
/// `edit` parse every file; the others read the index, rebuilt first if anything
/// changed. Long text output of `show`, `related`, `list`, `glossary`, `search`,
/// `tags`, `path`, `graph` and `compare` goes through the pager.
pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    command: &Command,
    settings: &Settings,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    if settings.bibliography.is_some() && !matches!(command, Command::Sources { .. }) {
        return Err(Error::Usage(
            "--format bibtex, csl-json and ris are for `otpic sources`; this command has text and json"
                .into(),
        ));
    }
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
        Command::Browse { query, exact } => {
            return crate::browse::run(settings, query, *exact, err);
        }
        Command::Check { strict } => {
            let kb = Index::open_watched(
                &settings.sources,
                settings.cache_dir.as_deref(),
                check::PARTS,
                &settings.watch,
            )?;
            return check::run(&kb, settings, *strict, out);
        }
        Command::Edit { query, copy_to } => {
            let kb = Index::open_watched(
                &settings.sources,
                settings.cache_dir.as_deref(),
                edit::PARTS,
                &settings.watch,
            )?;
            for problem in kb.problems().chain(&kb.relations().problems) {
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
        // Links are shown by relation, as the index has them.
        Command::Show { .. } => &[Part::Names, Part::Backlinks, Part::Links],
        Command::Related { .. } => &[Part::Names, Part::Links, Part::Backlinks, Part::Summaries],
        Command::Path { .. } | Command::Graph { .. } => {
            &[Part::Names, Part::Links, Part::Backlinks]
        }
        Command::Compare { .. } => &[Part::Names, Part::Links, Part::Backlinks, Part::Summaries],
        Command::List { .. } if text && settings.terminal => &[],
        Command::List { .. } => &[Part::Summaries],
        Command::Search { .. } => &[Part::Search],
        Command::Glossary { .. } => &[Part::Summaries],
        Command::Site { .. } => &[Part::Names, Part::Links, Part::Backlinks, Part::Summaries],
        Command::Sources { .. } | Command::Quiz { .. } => crate::select::PARTS,
        _ => &[],
    };
    let kb = Index::open_watched(
        &settings.sources,
        settings.cache_dir.as_deref(),
        parts,
        &settings.watch,
    )?;
    for problem in kb.problems().chain(&kb.relations().problems) {
        let _ = writeln!(err, "otpic: {problem}");
    }
    let pageable = matches!(
        command,
        Command::Show { .. }
            | Command::Related { .. }
            | Command::List { .. }
            | Command::Glossary { .. }
            | Command::Tags
            | Command::Search { .. }
            | Command::Path { .. }
            | Command::Graph { .. }
            | Command::Compare { .. }
            | Command::Sources { .. }
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
        Command::Related {
            query,
            depth,
            relation,
            reverse,
        } => {
            let request = related::Request {
                query: &query.text(),
                exact: query.exact,
                depth: *depth,
                filter: crate::graph::Filter {
                    relations: relation.relations.clone(),
                    reverse: *reverse,
                    directed: false,
                },
            };
            related::run(kb, settings, &request, out, err)
        }
        Command::Path {
            from,
            to,
            exact,
            directed,
            relation,
            paths,
        } => {
            let request = path::Request {
                from,
                to,
                exact: *exact,
                filter: crate::graph::Filter {
                    relations: relation.relations.clone(),
                    reverse: false,
                    directed: *directed,
                },
                count: *paths as usize,
            };
            path::run(kb, settings, &request, out, err)
        }
        Command::Graph {
            query,
            exact,
            depth,
            relation,
            kind,
            tag,
        } => {
            let text = query.join(" ");
            let request = graph::Request {
                query: (!query.is_empty()).then_some(text.as_str()),
                exact: *exact,
                depth: *depth,
                relations: relation.relations.clone(),
                kinds: kind.clone(),
                tags: tag.clone(),
            };
            graph::run(kb, settings, &request, out, err)
        }
        Command::Compare { a, b, exact } => compare::run(kb, settings, (a, b, *exact), out, err),
        Command::List { kind, tag } => {
            list::run(kb, settings, kind.as_deref(), tag.as_deref(), out)
        }
        Command::Search { terms, limit } => search::run(kb, settings, terms, *limit, out, err),
        Command::Glossary { kind, tag } => {
            glossary::run(kb, settings, kind.as_deref(), tag.as_deref(), out)
        }
        Command::Tags => tags::run(kb, settings, out),
        Command::Sources { select } => {
            let selection = selection(kb, select, err)?;
            sources::run(kb, settings, &selection, out)
        }
        Command::Quiz {
            select,
            count,
            due,
            stats,
            export,
            seed,
        } => {
            let selection = selection(kb, select, err)?;
            let request = quiz::Request {
                count: *count as usize,
                due: *due,
                stats: *stats,
                anki: export.is_some(),
                seed: *seed,
            };
            quiz::run(kb, settings, &selection, &request, out, err)
        }
        Command::Paths => paths::run(settings, out),
        Command::Site {
            out_dir,
            title,
            force,
        } => site::run(kb, settings, out_dir, title.as_deref(), *force, err),
        Command::Check { .. }
        | Command::Browse { .. }
        | Command::Edit { .. }
        | Command::New { .. }
        | Command::Completions { .. }
        | Command::Watch { .. }
        | Command::Man => Err(Error::Usage("this command does not run on an index".into())),
    }
}

/// The entries `sources` and `quiz` were asked for, the query looked up.
fn selection<E: Write + ?Sized>(
    kb: &Index,
    args: &crate::cli::SelectArgs,
    err: &mut E,
) -> Result<crate::select::Selection> {
    let query = args.query.join(" ");
    let start = if query.trim().is_empty() {
        None
    } else {
        Some(find(kb, &query, args.exact, err)?)
    };
    Ok(crate::select::Selection {
        start,
        depth: args.depth,
        kind: args.kind.clone(),
        tag: args.tag.clone(),
    })
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
    if let Some(note) = lookup_note(kb, index, how, query) {
        let _ = writeln!(err, "otpic: {note}");
    }
    Ok(index)
}

/// Finds the entry for `query` for a view: when it was not an exact match, the
/// note says so at the top of the output on a terminal, where a pager would hide
/// stderr, and on stderr otherwise (JSON, pipes), so that stdout stays the view.
fn find_for_view<K: Names + ?Sized, O: Write + ?Sized, E: Write + ?Sized>(
    kb: &K,
    settings: &Settings,
    query: &str,
    exact: bool,
    out: &mut O,
    err: &mut E,
) -> Result<usize> {
    let Found { index, how } = crate::lookup::find(kb, query, exact)?;
    if let Some(note) = lookup_note(kb, index, how, query) {
        if settings.terminal && settings.format == Format::Text {
            let note = crate::style::wrap(&note, settings.style.width, "", "  ");
            writeln!(out, "{}\n", settings.style.note(&note.join("\n")))?;
        } else {
            let _ = writeln!(err, "otpic: {note}");
        }
    }
    Ok(index)
}

/// "showing X, matched by prefix Y": what to tell the reader about a lookup that
/// was not exact.
fn lookup_note<K: Names + ?Sized>(kb: &K, index: usize, how: How, query: &str) -> Option<String> {
    (how != How::Exact).then(|| {
        format!(
            "showing \"{}\" ({}), {} \"{}\"",
            crate::sanitize::line(kb.entry_id(index)),
            crate::sanitize::line(kb.entry_title(index)),
            if how == How::Prefix {
                "matched by prefix"
            } else {
                "the closest match for"
            },
            crate::sanitize::line(query.trim()),
        )
    })
}
