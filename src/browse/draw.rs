//! Drawing the browser: a pure function of its state onto a ratatui frame, and the
//! pane geometry that drawing and mouse clicks share.

use super::layout::{finder_offset, finder_rows, framed, inner, panes, popup};
use super::page::{Page, Place, Row};
use super::state::{App, Finder, Finding, Focus, Overlay};
use crate::index::Index;
use crate::sanitize;
use crate::style::columns;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

/// The smallest terminal the browser draws in.
const MIN_SIZE: (u16, u16) = (30, 8);

/// The keys, for the footer, each with its rank: when the terminal is too narrow
/// for all of them, the highest ranks go first.
const FOOTER: &[(&str, u8)] = &[
    ("Tab focus", 5),
    ("↑↓ move", 8),
    ("Enter open", 2),
    ("← back", 3),
    ("→ forward", 7),
    ("/ jump", 4),
    ("s search", 6),
    ("r random", 9),
    ("? keys", 0),
    ("q quit", 1),
];

/// The keys, for the `?` overlay.
const KEYS: &[(&str, &str)] = &[
    ("Tab", "move focus between the text and the links"),
    ("↑ ↓  j k", "scroll the text, or move the selection"),
    ("PgUp PgDn Space", "a page up or down"),
    ("g G  Home End", "to the top or the bottom"),
    ("Enter", "open the selected link or entry"),
    ("← h  Backspace", "back"),
    ("→ l", "forward"),
    ("/", "jump to an entry by id, title or alias"),
    ("s", "search the full text"),
    ("r", "a random entry"),
    ("?", "this help; any key closes it"),
    ("q  Esc", "quit (Esc closes a box first)"),
    ("mouse", "the wheel scrolls; a click opens a link"),
];

/// The styles, with color or (`NO_COLOR`, `--color never`) with attributes only.
struct Theme {
    color: bool,
}

impl Theme {
    fn heading(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.color { s.fg(Color::Cyan) } else { s }
    }
    fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }
    fn warn(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Yellow)
        } else {
            Style::new()
        }
    }
    fn id(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Green)
        } else {
            Style::new()
        }
    }
    fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }
    /// A pane's border: thick (and colored) when it has the focus.
    fn pane(&self, focused: bool) -> Block<'static> {
        let block = framed();
        match (focused, self.color) {
            (true, true) => block
                .border_type(BorderType::Thick)
                .border_style(Style::new().fg(Color::Cyan)),
            (true, false) => block.border_type(BorderType::Thick),
            (false, _) => block.border_style(self.dim()),
        }
    }
}

/// Draws the whole screen for `app`.
pub fn draw(frame: &mut Frame, app: &App, kb: &Index) {
    let area = frame.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        frame.render_widget(
            Paragraph::new("otpic browse: the terminal is too small").wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let theme = Theme { color: app.color };
    let panes = panes(area, app.page.place);
    let step = app.step();
    match app.page.place {
        Place::Start => {
            let block = theme
                .pane(true)
                .title(format!(" otpic · {} ", app.page.title));
            list(frame, &theme, &app.page, block, panes.main, step, true);
        }
        Place::Entry(_) => {
            let text_focused = app.focus == Focus::Text;
            text(frame, &theme, app, panes.main, text_focused);
            if let Some(links) = panes.links {
                let count = app.page.items();
                let block = theme
                    .pane(!text_focused)
                    .title(format!(" Links ({count}) "));
                if count == 0 {
                    frame.render_widget(
                        Paragraph::new(Span::styled("no links to or from this entry", theme.dim()))
                            .block(block),
                        links,
                    );
                } else {
                    list(frame, &theme, &app.page, block, links, step, !text_focused);
                }
            }
        }
    }
    footer(frame, &theme, app, panes.footer);
    match &app.overlay {
        Some(Overlay::Help) => help(frame, &theme, area),
        Some(Overlay::Find(finder)) => find(frame, &theme, kb, finder, area),
        None => {}
    }
}

/// The entry's text, from the step's scroll position.
fn text(frame: &mut Frame, theme: &Theme, app: &App, pane: Rect, focused: bool) {
    let height = usize::from(inner(pane).height);
    let lines = &app.page.text;
    let from = app.step().scroll.min(lines.len());
    let to = (from + height).min(lines.len());
    let position = if lines.len() <= height {
        "all".to_owned()
    } else {
        format!("{}–{} of {}", from + 1, to, lines.len())
    };
    let block = theme
        .pane(focused)
        .title(format!(" {} ", app.page.title))
        .title(Line::styled(format!(" {position} "), theme.dim()).right_aligned());
    frame.render_widget(Paragraph::new(lines[from..to].to_vec()).block(block), pane);
}

/// A list of headings and items, the selected one marked, from the step's offset.
fn list(
    frame: &mut Frame,
    theme: &Theme,
    page: &Page,
    block: Block,
    pane: Rect,
    step: &super::state::Step,
    focused: bool,
) {
    let inside = inner(pane);
    let width = usize::from(inside.width);
    let selected_row = page.item_row(step.selected);
    let lines: Vec<Line> = page
        .rows
        .iter()
        .enumerate()
        .skip(step.offset)
        .take(usize::from(inside.height))
        .map(|(at, row)| match row {
            Row::Heading(h) => Line::styled(h.clone(), theme.heading()),
            Row::Item {
                target,
                label,
                detail,
            } => {
                let chosen = Some(at) == selected_row;
                let marker = if chosen { "▸ " } else { "  " };
                let detail_style = match (target, page.place) {
                    (None, _) => theme.warn(),
                    (Some(_), Place::Start) => theme.id(),
                    (Some(_), Place::Entry(_)) => theme.dim(),
                };
                let room = width.saturating_sub(2 + 2 + columns(detail));
                let label = fit(label, room);
                let gap = width.saturating_sub(2 + columns(&label) + columns(detail));
                let line = Line::from(vec![
                    Span::raw(marker),
                    Span::raw(label),
                    Span::raw(" ".repeat(gap)),
                    Span::styled(detail.clone(), detail_style),
                ]);
                if chosen {
                    line.style(theme.selected(focused))
                } else {
                    line
                }
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), pane);
}

/// `text` cut to `width` columns, with an ellipsis when cut.
fn fit(text: &str, width: usize) -> String {
    if columns(text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        if columns(&out) + columns(c.encode_utf8(&mut [0; 4])) + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn footer(frame: &mut Frame, theme: &Theme, app: &App, area: Rect) {
    let line = match &app.message {
        Some(m) => Line::styled(m.clone(), theme.warn().add_modifier(Modifier::BOLD)),
        None => {
            let position = if app.history.len() > 1 {
                format!("[{}/{}] ", app.at + 1, app.history.len())
            } else {
                String::new()
            };
            let room = usize::from(area.width).saturating_sub(columns(&position));
            let mut rank = FOOTER.len() as u8;
            let hints = loop {
                let hints: Vec<&str> = FOOTER
                    .iter()
                    .filter(|(_, r)| *r < rank)
                    .map(|(h, _)| *h)
                    .collect();
                let hints = hints.join(" · ");
                if rank == 0 || columns(&hints) <= room {
                    break hints;
                }
                rank -= 1;
            };
            Line::from(vec![Span::raw(position), Span::styled(hints, theme.dim())])
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn help(frame: &mut Frame, theme: &Theme, area: Rect) {
    let pane = popup(area);
    let width = KEYS.iter().map(|(k, _)| columns(k)).max().unwrap_or(0);
    let lines: Vec<Line> = KEYS
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!("{key:width$}"), theme.heading()),
                Span::raw("  "),
                Span::raw(*what),
            ])
        })
        .collect();
    frame.render_widget(Clear, pane);
    frame.render_widget(
        Paragraph::new(lines).block(theme.pane(true).title(" Keys ")),
        pane,
    );
}

fn find(frame: &mut Frame, theme: &Theme, kb: &Index, finder: &Finder, area: Rect) {
    let pane = popup(area);
    let width = usize::from(inner(pane).width);
    let (title, empty) = match finder.finding {
        Finding::Jump => (" Jump to ", "type part of an id, title or alias"),
        Finding::Search => (" Search ", "type words to search the full text for"),
    };
    let count = |n: usize| match n {
        0 => "no match".to_owned(),
        1 => "1 match".to_owned(),
        n => format!("{n} matches"),
    };
    // Hits of an older query are shown as such while the matcher works.
    let older = finder.matching() && !finder.hits_for.trim().is_empty();
    let status = if finder.matching() {
        let mut status = "matching…".to_owned();
        if finder.open_when_found {
            status.push_str(" Enter opens the best match once found");
        } else if older {
            status.push_str(&format!(
                " · below, {} for \"{}\"",
                count(finder.hits.len()),
                sanitize::line(&finder.hits_for)
            ));
        }
        status
    } else if finder.query.trim().is_empty() {
        empty.to_owned()
    } else {
        match finder.hits.len() {
            0 => count(0),
            1 => "1 match · Enter opens it".to_owned(),
            n => format!("{} · ↑↓ select · Enter opens", count(n)),
        }
    };
    let mut lines = vec![
        Line::from(vec![
            Span::raw("> "),
            Span::raw(sanitize::line(&finder.query).into_owned()),
            Span::styled(" ", Style::new().add_modifier(Modifier::REVERSED)),
        ]),
        Line::styled(status, theme.dim()),
    ];
    let visible = finder_rows(area, finder.finding);
    for (n, hit) in finder
        .hits
        .iter()
        .enumerate()
        .skip(finder_offset(area, finder.finding, finder.selected))
        .take(visible)
    {
        let chosen = n == finder.selected;
        let detail = format!("{} · {}", kb.id(hit.index), kb.kind(hit.index));
        let detail = sanitize::line(&detail).into_owned();
        let room = width.saturating_sub(2 + 2 + columns(&detail));
        let label = fit(&sanitize::line(kb.title(hit.index)), room);
        let gap = width.saturating_sub(2 + columns(&label) + columns(&detail));
        let line = Line::from(vec![
            Span::raw(if chosen { "▸ " } else { "  " }),
            Span::raw(label),
            Span::raw(" ".repeat(gap)),
            Span::styled(detail, theme.id()),
        ]);
        let line = if chosen {
            line.style(theme.selected(true))
        } else {
            line
        };
        lines.push(if older {
            line.patch_style(theme.dim())
        } else {
            line
        });
        if let Some(snippet) = &hit.snippet {
            lines.push(Line::styled(
                format!(
                    "    {}",
                    fit(&sanitize::line(snippet), width.saturating_sub(4))
                ),
                theme.dim(),
            ));
        }
    }
    frame.render_widget(Clear, pane);
    frame.render_widget(
        Paragraph::new(lines).block(theme.pane(true).title(title)),
        pane,
    );
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly
mod tests {
    use super::*;
    use crate::browse::page::tests::kb;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn app(kb: &std::sync::Arc<Index>, id: Option<&str>, size: (u16, u16), color: bool) -> App {
        let place = id.map_or(Place::Start, |id| Place::Entry(kb.by_id(id).unwrap()));
        App::new(kb, place, size, color, 7).unwrap()
    }

    fn keys(app: &mut App, kb: &Index, codes: &[KeyCode]) {
        for &code in codes {
            app.key(kb, KeyEvent::new(code, KeyModifiers::NONE));
            app.wait(kb).unwrap();
        }
    }

    fn typed(app: &mut App, kb: &Index, text: &str) {
        for c in text.chars() {
            keys(app, kb, &[KeyCode::Char(c)]);
        }
    }

    fn screen(app: &App, kb: &Index) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
        terminal.draw(|frame| draw(frame, app, kb)).unwrap();
        terminal
    }

    #[test]
    fn a_wide_terminal_shows_the_links_beside_the_text() {
        let kb = kb();
        let app = app(&kb, Some("alpha"), (100, 24), false);
        insta::assert_snapshot!(screen(&app, &kb).backend());
    }

    #[test]
    fn a_narrow_terminal_shows_the_links_below_the_text() {
        let kb = kb();
        let mut app = app(&kb, Some("alpha"), (70, 30), false);
        keys(&mut app, &kb, &[KeyCode::Tab, KeyCode::Down, KeyCode::Down]);
        insta::assert_snapshot!(screen(&app, &kb).backend());
    }

    #[test]
    fn the_start_page_lists_entries_by_kind() {
        let kb = kb();
        let app = app(&kb, None, (60, 12), false);
        insta::assert_snapshot!(screen(&app, &kb).backend());
    }

    #[test]
    fn an_unresolved_link_is_marked_and_explained_in_the_footer() {
        let kb = kb();
        let mut app = app(&kb, Some("alpha"), (100, 16), false);
        keys(
            &mut app,
            &kb,
            &[KeyCode::Tab, KeyCode::Down, KeyCode::Down, KeyCode::Enter],
        );
        insta::assert_snapshot!(screen(&app, &kb).backend());
    }

    #[test]
    fn the_jump_box_lists_matches_over_the_page() {
        let kb = kb();
        let mut app = app(&kb, Some("gamma"), (80, 16), false);
        typed(&mut app, &kb, "/a");
        insta::assert_snapshot!(screen(&app, &kb).backend());
    }

    #[test]
    fn while_matching_the_box_labels_the_hits_of_the_older_query_and_dims_them() {
        let kb = kb();
        let mut app = app(&kb, Some("gamma"), (80, 16), false);
        typed(&mut app, &kb, "/a");
        // A key typed and drawn before the matcher answers.
        app.key(&kb, KeyEvent::new(KeyCode::Char('l'), KeyModifiers::NONE));
        let screen = screen(&app, &kb);
        let text = screen.backend().to_string();
        assert!(text.contains("> al"), "{text}");
        assert!(
            text.contains("matching… · below, 4 matches for \"a\""),
            "{text}"
        );
        let buffer = screen.backend().buffer();
        let row = (0..buffer.area.height)
            .find(|&y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
                    .contains("Delta Case")
            })
            .unwrap();
        let x = (0..buffer.area.width)
            .find(|&x| buffer[(x, row)].symbol() == "D")
            .unwrap();
        assert!(buffer[(x, row)].modifier.contains(Modifier::DIM));
        app.wait(&kb).unwrap();
        let text = self::screen(&app, &kb).backend().to_string();
        assert!(!text.contains("matching"), "{text}");
        assert!(text.contains("matches · ↑↓ select"), "{text}");
    }

    #[test]
    fn the_search_box_lists_hits_with_snippets() {
        let kb = kb();
        let mut app = app(&kb, Some("gamma"), (80, 16), false);
        typed(&mut app, &kb, "ssharing");
        insta::assert_snapshot!(screen(&app, &kb).backend());
    }

    #[test]
    fn the_help_lists_every_key() {
        let kb = kb();
        let mut app = app(&kb, Some("gamma"), (80, 20), false);
        typed(&mut app, &kb, "?");
        insta::assert_snapshot!(screen(&app, &kb).backend());
    }

    #[test]
    fn a_tiny_terminal_gets_a_notice_not_a_panic() {
        let kb = kb();
        let mut app = app(&kb, Some("alpha"), (20, 5), false);
        typed(&mut app, &kb, "jjGg/ab");
        let screen = screen(&app, &kb);
        assert!(screen.backend().to_string().contains("small"));
    }

    #[test]
    fn without_color_nothing_is_colored_but_the_selection_still_shows() {
        let kb = kb();
        let mut app = app(&kb, Some("alpha"), (100, 24), false);
        keys(&mut app, &kb, &[KeyCode::Tab]);
        let screen = screen(&app, &kb);
        let buffer = screen.backend().buffer();
        assert!(
            buffer
                .content()
                .iter()
                .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
        );
        let links = inner(app.panes().links.unwrap());
        let cell = &buffer[(links.x + 2, links.y + 1)];
        assert!(cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
    }

    #[test]
    fn with_color_the_text_keeps_the_styles_show_gives_it() {
        let kb = kb();
        let app = app(&kb, Some("alpha"), (100, 24), true);
        let screen = screen(&app, &kb);
        let main = inner(app.panes().main);
        // The title, bold and cyan as `show` paints a heading.
        let cell = &screen.backend().buffer()[(main.x, main.y)];
        assert_eq!(cell.symbol(), "A");
        assert_ne!(cell.fg, Color::Reset);
    }
}
