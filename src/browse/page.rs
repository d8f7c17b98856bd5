//! What the browser shows of one place: an entry as `show` renders it with its links
//! grouped by relation, or the start page of every entry grouped by kind.

use crate::error::{Error, Result};
use crate::index::Index;
use crate::sanitize;
use crate::style::Style;
use crate::view::EntryView;
use ansi_to_tui::IntoText;
use ratatui::text::Line;

/// Where the browser is: the start page or an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Start,
    Entry(usize),
}

/// One link as the entry states it, with the entry it resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub target: Option<usize>,
}

/// The links of one relation, under the label the links pane shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkGroup {
    pub label: String,
    pub links: Vec<Link>,
}

/// Entry `index`'s links grouped by relation, as `show` groups them
/// ([`crate::links::grouped`]): each relation's links under its label, then
/// backlinks under inverse labels, then "Referenced by"; empty groups left out.
pub fn link_groups(kb: &Index, index: usize) -> Vec<LinkGroup> {
    crate::links::grouped(kb, kb.relations(), index)
        .into_iter()
        .map(|group| LinkGroup {
            label: group.label,
            links: group
                .items
                .into_iter()
                .map(|item| Link {
                    text: item.link.or(item.id).unwrap_or_default().to_owned(),
                    target: item.target,
                })
                .collect(),
        })
        .filter(|g| !g.links.is_empty())
        .collect()
}

/// A row of a list pane (the links, or the start page): a heading, or something to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Heading(String),
    Item {
        /// The entry it opens; `None` for a link that resolves nowhere.
        target: Option<usize>,
        /// A title, or the link's text when unresolved.
        label: String,
        /// The target's kind (links) or id (start page).
        detail: String,
    },
}

/// A place laid out for one width: its title, its text (entries only) and its rows.
#[derive(Debug, Clone)]
pub struct Page {
    pub place: Place,
    pub title: String,
    pub text: Vec<Line<'static>>,
    pub rows: Vec<Row>,
}

impl Page {
    /// Lays out `place` with its text wrapped to `width` columns.
    pub fn new(kb: &Index, place: Place, width: u16, color: bool) -> Result<Page> {
        match place {
            Place::Start => Ok(start(kb)),
            Place::Entry(index) => entry(kb, index, width, color),
        }
    }

    /// How many rows can be opened or selected.
    pub fn items(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r, Row::Item { .. }))
            .count()
    }

    /// The row position of selectable item `n`.
    pub fn item_row(&self, n: usize) -> Option<usize> {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r, Row::Item { .. }))
            .nth(n)
            .map(|(at, _)| at)
    }

    /// The item number of the row at position `row`, if it is an item.
    pub fn item_at(&self, row: usize) -> Option<usize> {
        match self.rows.get(row)? {
            Row::Item { .. } => Some(
                self.rows[..row]
                    .iter()
                    .filter(|r| matches!(r, Row::Item { .. }))
                    .count(),
            ),
            Row::Heading(_) => None,
        }
    }

    /// Item `n`: its target (`None` if unresolved) and label.
    pub fn item(&self, n: usize) -> Option<(Option<usize>, &str)> {
        match self.rows.get(self.item_row(n)?)? {
            Row::Item { target, label, .. } => Some((*target, label)),
            Row::Heading(_) => None,
        }
    }
}

/// An entry: the text `show` prints, styled spans and all, and its links by relation.
fn entry(kb: &Index, index: usize, width: u16, color: bool) -> Result<Page> {
    let e = kb.entry(index)?;
    let style = Style {
        color,
        width: usize::from(width.max(20)),
    };
    let shown = crate::render::text::entry_string(&EntryView::new(kb, &e, index), &style);
    let text = shown
        .into_text()
        .map_err(|err| Error::Internal(format!("cannot display entry \"{}\": {err}", e.id)))?;
    let mut rows = Vec::new();
    for group in link_groups(kb, index) {
        rows.push(Row::Heading(group.label));
        for link in group.links {
            rows.push(match link.target {
                Some(t) => Row::Item {
                    target: Some(t),
                    label: sanitize::line(kb.title(t)).into_owned(),
                    detail: sanitize::line(kb.kind(t)).into_owned(),
                },
                None => Row::Item {
                    target: None,
                    label: sanitize::line(&link.text).into_owned(),
                    detail: "unresolved".to_owned(),
                },
            });
        }
    }
    Ok(Page {
        place: Place::Entry(index),
        title: format!(
            "{} — {}",
            sanitize::line(kb.title(index)),
            sanitize::line(kb.id(index))
        ),
        text: text.lines,
        rows,
    })
}

/// The start page: every entry by kind, as `list` groups them on a terminal.
fn start(kb: &Index) -> Page {
    let all: Vec<usize> = (0..kb.len()).collect();
    let mut rows = Vec::new();
    for (kind, group) in crate::view::list::groups(kb, &all) {
        rows.push(Row::Heading(format!(
            "{} ({})",
            crate::kinds::plural(kind),
            group.len()
        )));
        rows.extend(group.into_iter().map(|i| Row::Item {
            target: Some(i),
            label: sanitize::line(kb.title(i)).into_owned(),
            detail: sanitize::line(kb.id(i)).into_owned(),
        }));
    }
    Page {
        place: Place::Start,
        title: format!("{} entries", kb.len()),
        text: Vec::new(),
        rows,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly
pub(crate) mod tests {
    use super::*;

    /// A small knowledge base: alpha links to gamma, to beta (by alias) and to
    /// nowhere; beta links back; gamma has no links; delta links to alpha, which
    /// does not link back (so alpha lists it under "Referenced by").
    pub(crate) fn kb() -> Index {
        Index::from_texts(&[
            (
                "alpha",
                r#"title = "Alpha Approach"
kind = "approach"
summary = "The first approach."
related_approaches = ["gamma"]
related_problems = ["the beta trouble", "Missing Problem"]
definition = """
Alpha is an **approach**. It has a definition long enough to wrap at a narrow width,
so that scrolling can be tested: one two three four five six seven eight nine ten.

A second paragraph about *information sharing* between the parties.
"""
"#,
            ),
            (
                "beta",
                r#"title = "Beta Problem"
kind = "problem"
aliases = ["the beta trouble"]
related_approaches = ["alpha"]
definition = "Beta is a problem. Threats make it worse."
"#,
            ),
            (
                "gamma",
                r#"title = "Gamma Concept"
definition = "Gamma is a concept about sharing."
"#,
            ),
            (
                "delta",
                r#"title = "Delta Case"
kind = "case"
related_approaches = ["alpha"]
definition = "Delta is a case of alpha."
"#,
            ),
        ])
    }

    #[test]
    fn links_are_grouped_by_relation_with_backlinks_last() {
        let kb = kb();
        let alpha = kb.by_id("alpha").unwrap();
        let groups = link_groups(&kb, alpha);
        let labels: Vec<&str> = groups.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Related approaches", "Related problems", "Referenced by"]
        );
        assert_eq!(groups[1].links[0].target, kb.by_id("beta"));
        assert_eq!(groups[1].links[1].target, None);
        assert_eq!(groups[2].links[0].target, kb.by_id("delta"));
        assert_eq!(groups[2].links.len(), 1, "beta is listed above already");
    }

    #[test]
    fn an_entry_page_marks_unresolved_links_and_shows_kinds() {
        let kb = kb();
        let page = Page::new(&kb, Place::Entry(kb.by_id("alpha").unwrap()), 60, false).unwrap();
        assert_eq!(page.items(), 4);
        assert_eq!(
            page.rows[4],
            Row::Item {
                target: None,
                label: "Missing Problem".into(),
                detail: "unresolved".into()
            }
        );
        assert_eq!(page.item(1), Some((kb.by_id("beta"), "Beta Problem")));
        assert_eq!(page.item_at(3), Some(1));
        assert_eq!(page.item_at(2), None);
    }

    #[test]
    fn an_entry_page_holds_the_text_show_prints() {
        let kb = kb();
        let alpha = kb.by_id("alpha").unwrap();
        let page = Page::new(&kb, Place::Entry(alpha), 40, false).unwrap();
        let style = Style {
            color: false,
            width: 40,
        };
        let e = kb.entry(alpha).unwrap();
        let shown = crate::render::text::entry_string(&EntryView::new(&kb, &e, alpha), &style);
        let lines: Vec<String> = page.text.iter().map(|l| l.to_string()).collect();
        assert_eq!(lines, shown.lines().collect::<Vec<_>>());
    }

    #[test]
    fn styled_text_becomes_styled_spans_without_escapes() {
        let kb = kb();
        let page = Page::new(&kb, Place::Entry(kb.by_id("alpha").unwrap()), 60, true).unwrap();
        let title = &page.text[0];
        assert_eq!(title.to_string(), "Alpha Approach");
        assert!(title.spans.iter().any(|s| s.style.fg.is_some()));
        assert!(page.text.iter().all(|l| !l.to_string().contains('\u{1b}')));
    }

    #[test]
    fn the_start_page_groups_entries_by_kind() {
        let kb = kb();
        let page = Page::new(&kb, Place::Start, 80, false).unwrap();
        assert_eq!(page.rows[0], Row::Heading("Approaches (1)".into()));
        assert_eq!(page.rows[2], Row::Heading("Problems (1)".into()));
        assert_eq!(page.rows[4], Row::Heading("Concepts (1)".into()));
        assert_eq!(page.rows[6], Row::Heading("Cases (1)".into()));
        assert_eq!(page.items(), 4);
    }
}
