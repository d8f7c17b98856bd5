//! The subcommands, one file each, and the dispatcher that runs them.

mod check;
mod compare;
mod completions;
mod edit;
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

use crate::cli::{Cli, Command, OutputFormat};
use crate::env::{Env, Format};
use crate::error::{Error, Result};
use crate::index::{Index, Part};
use crate::lookup::{Found, How, Names};
use crate::settings::Settings;
use std::io::Write;

/// The parts of the index that views of links read: names, and links both ways, by
/// relation as the index has them.
const LINKS: &[Part] = &[Part::Names, Part::Links, Part::Backlinks];
/// The same, with every entry's summary (for lists of linked entries).
const LINKS_AND_SUMMARIES: &[Part] = &[Part::Names, Part::Links, Part::Backlinks, Part::Summaries];

/// Runs the command on the command line. Each command's arm says what it needs: the
/// settings (with the `--format` values it takes), the knowledge base parsed whole or
/// the index and which parts of it, and whether its text output goes through the pager.
pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    cli: &Cli,
    env: &Env,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    let name = cli.command.name();
    let resolve = |takes: Takes| settings(cli, env, name, takes);
    match &cli.command {
        // These two depend only on the command line, so that they work even with a
        // broken config file.
        Command::Completions { shell } => {
            no_diagram(cli, name)?;
            completions::run(*shell, env, out)
        }
        Command::Man => {
            no_diagram(cli, name)?;
            man::run(out)
        }
        Command::Paths => paths::run(&resolve(Takes::Views)?, out),
        Command::Watch { action } => watch::run(action, &resolve(Takes::Views)?, out),
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
            new::run(&resolve(Takes::Views)?, request, out, err)
        }
        Command::Browse { query, exact } => {
            crate::browse::run(&resolve(Takes::Views)?, query, *exact, err)
        }
        Command::Check { strict } => {
            let settings = resolve(Takes::Views)?;
            let kb = Index::open_watched(
                &settings.sources,
                settings.cache_dir.as_deref(),
                check::PARTS,
                &settings.watch,
            )?;
            check::run(&kb, &settings, *strict, out)
        }
        Command::Edit { query, copy_to } => {
            let settings = resolve(Takes::Views)?;
            let kb = Index::open_watched(
                &settings.sources,
                settings.cache_dir.as_deref(),
                edit::PARTS,
                &settings.watch,
            )?;
            for problem in kb.problems().chain(&kb.relations().problems) {
                let _ = writeln!(err, "otpic: {problem}");
            }
            let (text, exact) = (query.text(), query.exact);
            edit::run(&kb, &settings, &text, exact, copy_to.as_ref(), out, err)
        }
        Command::Show { query, field } => {
            let settings = resolve(Takes::Views)?;
            let parts = &[Part::Names, Part::Backlinks, Part::Links];
            on_index(&settings, parts, Paged::Yes, out, err, |kb, out, err| {
                show::run(kb, &settings, &query.text(), query.exact, *field, out, err)
            })
        }
        Command::Related {
            query,
            depth,
            relation,
            reverse,
        } => {
            let settings = resolve(Takes::Views)?;
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
            let parts = &[Part::Names, Part::Links, Part::Backlinks, Part::Summaries];
            on_index(&settings, parts, Paged::Yes, out, err, |kb, out, err| {
                related::run(kb, &settings, &request, out, err)
            })
        }
        Command::Path {
            from,
            to,
            exact,
            directed,
            relation,
            paths,
        } => {
            let settings = resolve(Takes::Views)?;
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
            on_index(&settings, LINKS, Paged::Yes, out, err, |kb, out, err| {
                path::run(kb, &settings, &request, out, err)
            })
        }
        Command::Graph {
            query,
            exact,
            depth,
            relation,
            kind,
            tag,
        } => {
            let settings = resolve(Takes::Diagrams)?;
            let text = query.join(" ");
            let request = graph::Request {
                query: (!query.is_empty()).then_some(text.as_str()),
                exact: *exact,
                depth: *depth,
                relations: relation.relations.clone(),
                kinds: kind.clone(),
                tags: tag.clone(),
            };
            on_index(&settings, LINKS, Paged::Yes, out, err, |kb, out, err| {
                graph::run(kb, &settings, &request, out, err)
            })
        }
        Command::Compare { a, b, exact } => {
            let settings = resolve(Takes::Views)?;
            on_index(
                &settings,
                LINKS_AND_SUMMARIES,
                Paged::Yes,
                out,
                err,
                |kb, out, err| compare::run(kb, &settings, (a, b, *exact), out, err),
            )
        }
        Command::List { kind, tag } => {
            let settings = resolve(Takes::Views)?;
            // Text lists names only (grouped by kind on a terminal, a line each
            // in a pipe); JSON and Markdown give each entry's summary too.
            let parts: &[Part] = match settings.format {
                Format::Text => &[],
                Format::Json | Format::Markdown => &[Part::Summaries],
            };
            on_index(&settings, parts, Paged::Yes, out, err, |kb, out, _| {
                list::run(kb, &settings, kind.as_deref(), tag.as_deref(), out)
            })
        }
        Command::Search { terms, limit } => {
            let settings = resolve(Takes::Views)?;
            on_index(
                &settings,
                &[Part::Search],
                Paged::Yes,
                out,
                err,
                |kb, out, err| search::run(kb, &settings, terms, *limit, out, err),
            )
        }
        Command::Glossary { kind, tag } => {
            let settings = resolve(Takes::Views)?;
            on_index(
                &settings,
                &[Part::Summaries],
                Paged::Yes,
                out,
                err,
                |kb, out, _| glossary::run(kb, &settings, kind.as_deref(), tag.as_deref(), out),
            )
        }
        Command::Tags => {
            let settings = resolve(Takes::Views)?;
            on_index(&settings, &[], Paged::Yes, out, err, |kb, out, _| {
                tags::run(kb, &settings, out)
            })
        }
        Command::Sources { select } => {
            let settings = resolve(Takes::Bibliographies)?;
            on_index(
                &settings,
                crate::select::PARTS,
                Paged::Yes,
                out,
                err,
                |kb, out, err| {
                    let selection = selection(kb, select, err)?;
                    sources::run(kb, &settings, &selection, out)
                },
            )
        }
        Command::Quiz {
            select,
            count,
            due,
            stats,
            export,
            seed,
        } => {
            let settings = resolve(Takes::Views)?;
            let request = quiz::Request {
                count: *count as usize,
                due: *due,
                stats: *stats,
                anki: export.is_some(),
                seed: *seed,
            };
            on_index(
                &settings,
                crate::select::PARTS,
                Paged::No,
                out,
                err,
                |kb, out, err| {
                    let selection = selection(kb, select, err)?;
                    quiz::run(kb, &settings, &selection, &request, out, err)
                },
            )
        }
        Command::Site {
            out_dir,
            title,
            force,
        } => {
            let settings = resolve(Takes::Views)?;
            on_index(&settings, site::PARTS, Paged::No, out, err, |kb, _, err| {
                site::run(kb, &settings, out_dir, title.as_deref(), *force, err)
            })
        }
    }
}

/// The `--format` values a command takes besides text, json and markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Takes {
    Views,
    /// `dot` and `mermaid`: `graph`.
    Diagrams,
    /// `bibtex`, `csl-json` and `ris`: `sources`.
    Bibliographies,
}

/// The settings for the command called `name`, or a usage error for a `--format` it
/// does not take.
fn settings(cli: &Cli, env: &Env, name: &str, takes: Takes) -> Result<Settings> {
    if takes != Takes::Diagrams {
        no_diagram(cli, name)?;
    }
    let settings = Settings::resolve(&cli.flags(), env)?;
    if takes != Takes::Bibliographies && settings.bibliography.is_some() {
        return Err(Error::Usage(
            "--format bibtex, csl-json and ris are for `otpic sources`; this command has text and json"
                .into(),
        ));
    }
    Ok(settings)
}

/// A usage error for `--format dot` or `mermaid` on the command called `name`.
fn no_diagram(cli: &Cli, name: &str) -> Result<()> {
    let format = match cli.format {
        OutputFormat::Dot => "dot",
        OutputFormat::Mermaid => "mermaid",
        _ => return Ok(()),
    };
    Err(Error::Usage(format!(
        "--format {format} is accepted only by `graph`; `{name}` has text, json and markdown"
    )))
}

/// Whether a command's text output goes through the pager (when there is one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paged {
    Yes,
    No,
}

/// Opens the index of the settings' knowledge bases with `parts` (rebuilt first if
/// anything changed), reports the problems met loading it, and runs `command` on it,
/// its output through the pager if `paged` and the settings have one.
fn on_index<O: Write + ?Sized, E: Write + ?Sized>(
    settings: &Settings,
    parts: &[Part],
    paged: Paged,
    mut out: &mut O,
    err: &mut E,
    command: impl FnOnce(&Index, &mut dyn Write, &mut E) -> Result<u8>,
) -> Result<u8> {
    let kb = Index::open_watched(
        &settings.sources,
        settings.cache_dir.as_deref(),
        parts,
        &settings.watch,
    )?;
    for problem in kb.problems().chain(&kb.relations().problems) {
        let _ = writeln!(err, "otpic: {problem}");
    }
    match &settings.pager {
        Some(pager) if paged == Paged::Yes => {
            let mut text = Vec::new();
            let result = command(&kb, &mut text, err);
            pager.show(&text, out, err)?;
            result
        }
        _ => command(&kb, &mut out, err),
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
