//! `otpic new TITLE`: a new entry file with every field laid out, opened in the editor.

use crate::entry::{self, DEFAULT_KIND};
use crate::error::{Error, Result};
use crate::name;
use crate::settings::Settings;
use crate::source::Source;
use std::io::Write;
use std::path::PathBuf;

/// The definition a new entry starts with; `new` warns if it is left as it is,
/// and so does `check`.
pub use crate::check::PLACEHOLDER;

pub struct Request<'a> {
    pub title: &'a [String],
    pub kind: Option<&'a str>,
    pub id: Option<&'a str>,
    pub dir: Option<&'a PathBuf>,
}

pub fn run<O: Write + ?Sized, E: Write + ?Sized>(
    settings: &Settings,
    request: Request<'_>,
    out: &mut O,
    err: &mut E,
) -> Result<u8> {
    let title = request.title.join(" ").trim().to_owned();
    if title.is_empty() {
        return Err(Error::Usage(
            "the title is empty: give the new entry a title".into(),
        ));
    }
    let id = match request.id {
        Some(id) if name::is_valid_id(id) => id.to_owned(),
        Some(id) => {
            return Err(Error::Usage(format!(
                "--id \"{}\" is not a valid id: use lowercase kebab-case, like \"{}\"",
                crate::sanitize::line(id),
                entry::suggest_id(id)
            )));
        }
        None => {
            let id = entry::suggest_id(&title);
            if !name::is_valid_id(&id) {
                return Err(Error::Usage(format!(
                    "cannot make an id (a-z, 0-9 and -) from \"{}\": give one with --id",
                    crate::sanitize::line(&title)
                )));
            }
            id
        }
    };
    let kind = request
        .kind
        .map(|k| k.trim().to_lowercase())
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| DEFAULT_KIND.to_owned());
    let dir = match request.dir {
        Some(dir) => dir.clone(),
        None => settings.first_user_dir().ok_or_else(|| {
            Error::Usage(
                "no knowledge base directory to write to: pass --dir DIR (or set --entries, \
                 OTPIC_ENTRIES or entries in the config file)"
                    .into(),
            )
        })?,
    };
    if !dir.exists() {
        std::fs::create_dir_all(&dir).map_err(|e| Error::File {
            path: dir.clone(),
            reason: format!("cannot create directory: {}", crate::error::describe(&e)),
        })?;
        let _ = writeln!(err, "otpic: created directory {}", super::edit::shown(&dir));
    } else if !dir.is_dir() {
        return Err(Error::File {
            path: dir,
            reason: "not a directory".into(),
        });
    }
    let path = dir.join(format!("{id}.toml"));
    // Into an active knowledge base, a taken id makes a duplicate or an override: say so.
    let active = settings
        .sources
        .iter()
        .any(|s| matches!(s, Source::Dir(d) if super::edit::same_file(d, &dir)));
    if active
        && let Ok(kb) = crate::kb::KnowledgeBase::load(&settings.sources)
        && let Some(other) = kb.by_id(&id)
    {
        let _ = writeln!(
            err,
            "otpic: note: \"{id}\" is also the id of {}",
            crate::sanitize::line(&kb.entries[other].file)
        );
    }
    crate::new_file::create(&path, template(&title, &kind).as_bytes())?;
    writeln!(out, "{}", path.display())?;
    out.flush()?;
    if settings.terminal && settings.stdin_terminal {
        return super::edit::open_and_check(settings, &path, &id, err);
    }
    let _ = writeln!(
        err,
        "otpic: wrote {}; fill in its definition (otpic edit {id})",
        super::edit::shown(&path)
    );
    Ok(0)
}

/// A new entry file: the required fields filled in, every optional one shown,
/// commented out, with what it is for.
pub fn template(title: &str, kind: &str) -> String {
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    format!(
        r#"# An otpic entry: docs/entry-format.md describes every field.
# Uncomment the optional fields you need; otpic check validates the file.

title = {title}
kind = {kind}   # approach, problem, concept, organization, case, or another word
# summary = "One line, shown in lists, the glossary and search hits."
# aliases = ["another name the entry answers to"]
# tags = ["a-theme"]
# related_approaches = ["the id, title or alias of another entry"]
# related_problems = ["the id, title or alias of another entry"]
# original_links = ["the links the original OTPIC page had"]
definition = """
{PLACEHOLDER}

Separate paragraphs with a blank line.
"""

# A work that illustrates the entry; repeat the block for more.
# [[examples]]
# title = "The work's title"
# author = "Its author"
# year = 1998
# description = "What it shows."
# url = "https://example.org/"
# original = true   # the original OTPIC page listed it

# An outside source of information; repeat the block for more.
# [[sources]]
# title = "The source's title"
# author = "Its author"
# year = "1991?"
# description = "What it holds."
# url = "https://example.org/"
# original = true

# Typed links, by relation (see the knowledge base's .otpic.toml).
# [links]
# broader = ["the id, title or alias of a broader entry"]
# see_also = ["another entry"]

# Where the entry's material comes from.
# [provenance]
# from = "Where it was adapted from"
# publisher = "Who published that"
# year = 2005
# url = "https://example.org/"
"#,
        title = quote(title),
        kind = quote(kind),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::Entry;

    #[test]
    fn the_template_parses_and_shows_every_field() {
        let text = template("Peace \"Zones\" \\ 1", "approach");
        let entry = Entry::parse("peace-zones-1", "x.toml", &text);
        let Ok(entry) = entry else {
            panic!("{entry:?}")
        };
        assert_eq!(entry.title, "Peace \"Zones\" \\ 1");
        assert_eq!(entry.kind, "approach");
        assert!(entry.notes.is_empty(), "{:?}", entry.notes);
        for field in crate::raw::ENTRY_FIELDS
            .iter()
            .chain(crate::raw::WORK_FIELDS)
            .chain(crate::raw::PROVENANCE_FIELDS)
        {
            assert!(
                text.contains(&format!("{field} = ")) || text.contains(&format!("[{field}]")),
                "{field}"
            );
        }
    }

    #[test]
    fn uncommenting_every_line_still_gives_a_valid_entry() {
        let text: String = template("T", "concept")
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|l| l.contains('=') || l.starts_with('['))
                    .unwrap_or(l)
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let entry = Entry::parse("t", "t.toml", &text);
        let Ok(entry) = entry else {
            panic!("{entry:?}\n{text}")
        };
        assert!(entry.notes.is_empty(), "{:?}", entry.notes);
        assert_eq!((entry.examples.len(), entry.sources.len()), (1, 1));
        assert!(entry.provenance.is_some());
    }
}
