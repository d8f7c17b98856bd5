//! `otpic list`: every entry; grouped by kind on a terminal, one `id<TAB>title` line per entry in a pipe.

use crate::env::Format;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::json::Brief;
use crate::sanitize;
use crate::settings::Settings;
use crate::style;
use std::io::Write;

/// The old site's menu order; other kinds follow alphabetically.
const KIND_ORDER: &[&str] = &["approach", "problem", "concept", "organization", "case"];

pub fn run<O: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    kind: Option<&str>,
    tag: Option<&str>,
    out: &mut O,
) -> Result<u8> {
    let selected = select(kb, kind, tag)?;
    if selected.is_empty() && settings.format == Format::Json {
        writeln!(out, "[]")?;
    }
    if selected.is_empty() {
        return Err(nothing_selected(kind, tag));
    }
    match settings.format {
        Format::Json => crate::json::write(
            out,
            &selected
                .iter()
                .map(|&i| Brief::of(kb, i))
                .collect::<Vec<_>>(),
        )?,
        Format::Markdown => {
            let groups: Vec<(String, Vec<Brief>)> = groups(kb, &selected)
                .into_iter()
                .map(|(kind, group)| {
                    (
                        plural(kind),
                        group.into_iter().map(|i| Brief::of(kb, i)).collect(),
                    )
                })
                .collect();
            out.write_all(crate::export::grouped(&groups).as_bytes())?
        }
        Format::Text if settings.terminal => grouped(kb, &selected, settings, out)?,
        Format::Text => {
            for &i in &selected {
                writeln!(
                    out,
                    "{}\t{}",
                    sanitize::line(kb.id(i)),
                    sanitize::line(kb.title(i))
                )?;
            }
        }
    }
    Ok(0)
}

/// The entries of `kind` (as typed: `approaches` and `organisation` are
/// understood) with `tag`, in id order; an unknown kind is a usage error that
/// names the kinds there are.
pub fn select(kb: &Index, kind: Option<&str>, tag: Option<&str>) -> Result<Vec<usize>> {
    let kind = match kind {
        Some(k) => {
            let mut known: Vec<&str> = (0..kb.len()).map(|i| kb.kind(i)).collect();
            known.sort_unstable();
            known.dedup();
            Some(crate::kinds::resolve(k, &known).map_err(Error::Usage)?)
        }
        None => None,
    };
    let tag = tag.map(|t| t.trim().to_lowercase());
    Ok((0..kb.len())
        .filter(|&i| kind.as_ref().is_none_or(|k| kb.kind(i) == k))
        .filter(|&i| {
            tag.as_ref()
                .is_none_or(|t| kb.tags(i).any(|own| own.to_lowercase() == *t))
        })
        .collect())
}

/// "no entries of kind … and tagged …", for filters that select nothing.
pub fn nothing_selected(kind: Option<&str>, tag: Option<&str>) -> Error {
    let mut what = Vec::new();
    if let Some(k) = kind {
        what.push(format!("of kind \"{}\"", k.trim().to_lowercase()));
    }
    if let Some(t) = tag {
        what.push(format!("tagged \"{}\"", t.trim().to_lowercase()));
    }
    if what.is_empty() {
        return Error::NothingFound("the knowledge base has no entries".into());
    }
    Error::NothingFound(format!("no entries {}", what.join(" and ")))
}

/// The entries by kind, in the old site's menu order, each group sorted by title.
pub fn groups<'a>(kb: &'a Index, entries: &[usize]) -> Vec<(&'a str, Vec<usize>)> {
    let mut kinds: Vec<&str> = entries.iter().map(|&i| kb.kind(i)).collect();
    kinds.sort_by_key(|k| {
        (
            KIND_ORDER
                .iter()
                .position(|o| o == k)
                .unwrap_or(KIND_ORDER.len()),
            *k,
        )
    });
    kinds.dedup();
    kinds
        .into_iter()
        .map(|kind| {
            let mut group: Vec<usize> = entries
                .iter()
                .copied()
                .filter(|&i| kb.kind(i) == kind)
                .collect();
            group.sort_by_cached_key(|&i| kb.title(i).to_lowercase());
            (kind, group)
        })
        .collect()
}

fn grouped<O: Write + ?Sized>(
    kb: &Index,
    entries: &[usize],
    settings: &Settings,
    out: &mut O,
) -> Result<()> {
    let style = &settings.style;
    let titles: Vec<(usize, String)> = entries
        .iter()
        .map(|&i| (i, sanitize::line(kb.title(i)).into_owned()))
        .collect();
    let ids = entries
        .iter()
        .map(|&i| sanitize::line(kb.id(i)).into_owned());
    let layout = Columns::fit(
        titles
            .iter()
            .map(|(_, t)| style::columns(t))
            .max()
            .unwrap_or(0),
        ids.map(|id| style::columns(&id)).max().unwrap_or(0),
        style.width,
    );
    for (n, (kind, group)) in groups(kb, entries).into_iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{} {}",
            style.heading(&plural(kind)),
            style.dim(&format!("({})", group.len()))
        )?;
        for i in group {
            let title = sanitize::line(kb.title(i));
            let id = style.id(&sanitize::line(kb.id(i)));
            for line in layout.lines(&title, &id, style) {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// A title column and an id column that fit the width: titles wrap within
/// their column, ids are never split and always start in the same column. When
/// even that does not fit, each id goes on its own line under its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// The title column's width, or `None` for one line each.
    title: Option<usize>,
    width: usize,
}

/// Narrower title columns than this stack ids under titles instead.
const MIN_TITLE_COLUMN: usize = 16;

impl Columns {
    /// The layout for titles of up to `title` columns and ids of up to `id`.
    pub fn fit(title: usize, id: usize, width: usize) -> Columns {
        // "  " title "  " id
        let room = width.saturating_sub(2 + 2 + id);
        Columns {
            title: (room >= MIN_TITLE_COLUMN.min(title)).then_some(title.min(room)),
            width,
        }
    }

    /// The lines of one row; `id` is already styled.
    pub fn lines(&self, title: &str, id: &str, style: &style::Style) -> Vec<String> {
        match self.title {
            Some(column) => {
                let wrapped = style::wrap(title, column, "", "");
                wrapped
                    .iter()
                    .enumerate()
                    .map(|(n, line)| {
                        if n == 0 {
                            format!("  {}  {id}", style.strong(&style::pad(line, column)))
                        } else {
                            format!("  {}", style.strong(line))
                        }
                    })
                    .collect()
            }
            None => {
                let mut lines: Vec<String> = style::wrap(title, self.width, "  ", "  ")
                    .iter()
                    .map(|l| style.strong(l))
                    .collect();
                lines.push(format!("    {id}"));
                lines
            }
        }
    }
}

pub use crate::kinds::plural;

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(title: &str, id: &str, layout: Columns) -> Vec<String> {
        let plain = style::Style {
            color: false,
            width: layout.width,
        };
        layout.lines(title, id, &plain)
    }

    #[test]
    fn long_titles_wrap_in_their_column_and_ids_stay_aligned() {
        let layout = Columns::fit(60, 12, 40);
        assert_eq!(
            rows("A Rather Long Title That Will Not Fit", "short-id", layout),
            ["  A Rather Long Title That  short-id", "  Will Not Fit",]
        );
        assert_eq!(rows("Tiny", "x", layout), ["  Tiny                      x"]);
    }

    #[test]
    fn when_ids_leave_no_room_they_go_under_their_titles_whole() {
        let layout = Columns::fit(30, 28, 40);
        assert_eq!(
            rows(
                "Countering Violent Extremism",
                "countering-violent-extremism",
                layout
            ),
            [
                "  Countering Violent Extremism",
                "    countering-violent-extremism"
            ]
        );
    }

    #[test]
    fn kinds_are_pluralized_for_headings() {
        assert_eq!(plural("approach"), "Approaches");
        assert_eq!(plural("case"), "Cases");
        assert_eq!(plural("strategy"), "Strategies");
    }
}
