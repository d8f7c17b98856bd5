//! `otpic edit QUERY`: open an entry's file in the editor, then check it.
//!
//! A built-in entry has no file to edit: otpic says so and copies it into a knowledge
//! base directory first (`--copy-to DIR`, or after asking, on a terminal). A copy never
//! replaces an existing file: when `DIR/<id>.toml` exists, that earlier copy is opened.

use crate::diagnostic::Diagnostic;
use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::kb::KnowledgeBase;
use crate::settings::Settings;
use crate::source::Source;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    kb: &KnowledgeBase,
    settings: &Settings,
    query: &str,
    exact: bool,
    copy_to: Option<&PathBuf>,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    let index = match super::find(kb, query, exact, err) {
        Ok(index) => index,
        Err(not_found @ Error::NotFound(_)) => {
            // An entry file with errors does not load, but it is the one to fix.
            let Some(path) = broken_file(settings, query) else {
                return Err(not_found);
            };
            let _ = writeln!(
                err,
                "otpic: {} does not load (see `otpic check`); opening it to fix it",
                shown(&path)
            );
            writeln!(out, "{}", path.display())?;
            out.flush()?;
            return open_and_check(settings, &path, &crate::name::normalize(query), err);
        }
        Err(e) => return Err(e),
    };
    let entry = &kb.entries[index];
    let path = match (copy_to, &entry.path) {
        (Some(dir), _) => copy(entry, dir, settings, err)?,
        (None, Some(path)) => path.clone(),
        (None, None) => {
            let id = crate::sanitize::line(&entry.id);
            let dir = settings.first_user_dir();
            let asked = match &dir {
                Some(dir) if settings.terminal && settings.stdin_terminal => {
                    ask_to_copy(entry, dir, err)?
                }
                _ => false,
            };
            match dir {
                Some(dir) if asked => copy(entry, &dir, settings, err)?,
                _ => {
                    return Err(Error::Usage(format!(
                        "\"{id}\" is in the built-in knowledge base, which cannot be edited; \
                         copy it into your own with `otpic edit {id} --copy-to DIR`"
                    )));
                }
            }
        }
    };
    writeln!(out, "{}", path.display())?;
    out.flush()?;
    open_and_check(settings, &path, &entry.id, err)
}

/// The file of a knowledge base directory whose id is `query`, when it does not load.
fn broken_file(settings: &Settings, query: &str) -> Option<PathBuf> {
    let id = crate::name::normalize(query);
    settings
        .sources
        .iter()
        .rev()
        .find_map(|source| match source {
            // Only the paths: the files themselves are not read to find one by its stem.
            Source::Dir(dir) => crate::source::entry_paths(dir)
                .ok()?
                .0
                .into_iter()
                .find(|path| {
                    path.file_name()
                        .is_some_and(|n| crate::source::stem(&n.to_string_lossy()) == id)
                }),
            Source::Embedded => None,
        })
}

/// Asks on the terminal whether to copy a built-in entry into `dir`.
fn ask_to_copy<E: Write + ?Sized>(entry: &Entry, dir: &Path, err: &mut E) -> Result<bool> {
    write!(
        err,
        "otpic: \"{}\" is in the built-in knowledge base, which cannot be edited.\nCopy it to {} and edit the copy? [y/N] ",
        crate::sanitize::line(&entry.id),
        shown(&dir.join(format!("{}.toml", entry.id)))
    )
    .and_then(|()| err.flush())
    .map_err(Error::errors)?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(Error::input)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

/// Copies the entry's file (or its built-in text) to `dir/<id>.toml`, never over a file.
fn copy<E: Write + ?Sized>(
    entry: &Entry,
    dir: &Path,
    settings: &Settings,
    err: &mut E,
) -> Result<PathBuf> {
    let text = match &entry.path {
        Some(path) => std::fs::read_to_string(path).map_err(|e| Error::File {
            path: path.clone(),
            reason: format!("cannot read: {}", crate::error::describe(&e)),
        })?,
        None => crate::source::embedded_files()
            .iter()
            .find(|(rel, _)| crate::source::stem(rel) == entry.id)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| {
                Error::Internal(format!("cannot find the built-in text of \"{}\"", entry.id))
            })?,
    };
    if !dir.is_dir() {
        std::fs::create_dir_all(dir).map_err(|e| Error::File {
            path: dir.to_owned(),
            reason: format!("cannot create directory: {}", crate::error::describe(&e)),
        })?;
    }
    let path = dir.join(format!("{}.toml", entry.id));
    // An earlier copy is the one to go on editing; it is never replaced.
    if path.is_file() {
        let _ = writeln!(
            err,
            "otpic: {} exists already (an earlier copy); editing it",
            shown(&path)
        );
        return Ok(path);
    }
    crate::new_file::create(&path, text.as_bytes())?;
    let _ = writeln!(
        err,
        "otpic: copied \"{}\" to {}",
        crate::sanitize::line(&entry.id),
        shown(&path)
    );
    let active = settings
        .sources
        .iter()
        .any(|s| matches!(s, Source::Dir(d) if same_file(d, dir)));
    if !active {
        let _ = writeln!(
            err,
            "otpic: {} is not an active knowledge base: browse it with --entries {} (and --with-embedded to keep the built-in entries)",
            shown(dir),
            shown(dir)
        );
    }
    Ok(path)
}

/// Opens `path` in the editor, then checks the entry and reports any problem with its
/// line. Errors in the entry are an error (exit 1); warnings are only shown.
pub fn open_and_check<E: Write + ?Sized>(
    settings: &Settings,
    path: &Path,
    id: &str,
    err: &mut E,
) -> Result<u8> {
    let editor = match &settings.editor {
        Some(editor) => editor.clone(),
        None if settings.terminal && settings.stdin_terminal => "vi".to_owned(),
        None => {
            return Err(Error::Usage(format!(
                "no editor to open {}: set VISUAL or EDITOR",
                shown(path)
            )));
        }
    };
    let status = crate::external::command(&editor, &[path.as_os_str()])
        .status()
        .map_err(|e| Error::File {
            path: path.to_owned(),
            reason: format!(
                "cannot run editor \"{}\": {}",
                crate::sanitize::line(&editor),
                crate::error::describe(&e)
            ),
        })?;
    if !status.success() {
        return Err(Error::File {
            path: path.to_owned(),
            reason: format!(
                "editor \"{}\" failed ({}); the file is kept as it is",
                crate::sanitize::line(&editor),
                crate::external::describe_status(status)
            ),
        });
    }
    let problems = check_file(settings, path, id)?;
    let errors = problems.iter().filter(|d| d.is_error()).count();
    for problem in &problems {
        let _ = writeln!(err, "{problem}");
    }
    if errors > 0 {
        return Err(Error::Invalid {
            file: path.to_owned(),
            id: id.to_owned(),
            errors,
        });
    }
    Ok(0)
}

/// Every problem `otpic check` finds in the entry at `path`, read with the active
/// knowledge bases (and its own directory, if it is not one of them) so that its links
/// are checked too.
fn check_file(settings: &Settings, path: &Path, id: &str) -> Result<Vec<Diagnostic>> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::File {
        path: path.to_owned(),
        reason: format!("cannot read: {}", crate::error::describe(&e)),
    })?;
    let entry = match Entry::parse(id, &display, &text) {
        Ok(entry) => entry,
        Err(problem) => return Ok(vec![problem]),
    };
    let mut problems = Vec::new();
    if entry.definition.contains(crate::check::PLACEHOLDER) {
        problems.push(Diagnostic::warning(
            &display,
            None,
            "the definition is still the placeholder: write the explanation",
        ));
    }
    let mut sources = settings.sources.clone();
    let covered = sources
        .iter()
        .any(|s| matches!(s, Source::Dir(d) if inside(path, d)));
    if !covered && let Some(dir) = path.parent() {
        sources.push(Source::Dir(dir.to_owned()));
    }
    match KnowledgeBase::load(&sources) {
        Ok(kb) => problems.extend(
            crate::check::check(&kb)
                .into_iter()
                .filter(|d| same_file(Path::new(&d.file), path)),
        ),
        Err(_) => problems.extend(entry.notes),
    }
    Ok(problems)
}

/// A path for a message on stderr: control characters escaped.
pub fn shown(path: &Path) -> String {
    crate::sanitize::line(&path.display().to_string()).into_owned()
}

pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Whether `path` is inside directory `dir`.
fn inside(path: &Path, dir: &Path) -> bool {
    match (std::fs::canonicalize(path), std::fs::canonicalize(dir)) {
        (Ok(p), Ok(d)) => p.starts_with(d),
        _ => false,
    }
}
