//! Where things go on the browser's screen: the panes of a page and the finder box,
//! as rectangles. The state ([`super::state`]) asks it to scroll by a page and to
//! place the mouse; [`super::draw`] paints into the same rectangles.

use super::page::Place;
use super::worker::Finding;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::widgets::{Block, Padding};

/// Below this width the links go under the text instead of beside it.
pub const SIDE_BY_SIDE: u16 = 100;
/// Where the panes of a page are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    /// The text (an entry) or the list (the start page).
    pub main: Rect,
    /// The links, on an entry's page.
    pub links: Option<Rect>,
    pub footer: Rect,
}

/// Lays out the panes of `place` on `area`: links beside the text on a wide terminal,
/// below it on a narrow one.
pub fn panes(area: Rect, place: Place) -> Panes {
    let [body, footer] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    match place {
        Place::Start => Panes {
            main: body,
            links: None,
            footer,
        },
        Place::Entry(_) if area.width >= SIDE_BY_SIDE => {
            let side = (area.width * 38 / 100).clamp(30, 50);
            let [main, links] =
                Layout::horizontal([Constraint::Min(0), Constraint::Length(side)]).areas(body);
            Panes {
                main,
                links: Some(links),
                footer,
            }
        }
        Place::Entry(_) => {
            let below = (body.height / 3).max(5).min(body.height.saturating_sub(3));
            let [main, links] =
                Layout::vertical([Constraint::Min(0), Constraint::Length(below)]).areas(body);
            Panes {
                main,
                links: Some(links),
                footer,
            }
        }
    }
}

/// A pane's frame: a border, and a column of space either side of the inside.
pub fn framed() -> Block<'static> {
    Block::bordered().padding(Padding::horizontal(1))
}

/// The inside of a pane.
pub fn inner(pane: Rect) -> Rect {
    framed().inner(pane)
}

/// Where a box drawn over the page goes.
pub fn popup(area: Rect) -> Rect {
    let width = area.width.saturating_sub(4).min(90);
    let height = area.height.saturating_sub(2).min(24);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// Rows a finder hit takes: one for a jump, two (title, snippet) for a search.
fn hit_rows(finding: Finding) -> u16 {
    match finding {
        Finding::Jump => 1,
        Finding::Search => 2,
    }
}

/// How many hits a finder box shows at once.
pub fn finder_rows(area: Rect, finding: Finding) -> usize {
    usize::from(inner(popup(area)).height.saturating_sub(2) / hit_rows(finding))
}

/// The first hit a finder box shows, with hit `selected` chosen.
pub fn finder_offset(area: Rect, finding: Finding, selected: usize) -> usize {
    let visible = finder_rows(area, finding).max(1);
    selected.saturating_sub(visible - 1)
}

/// The hit drawn at `at` in a finder box of `hits` hits, if any.
pub fn finder_hit_at(
    area: Rect,
    (finding, selected, hits): (Finding, usize, usize),
    at: Position,
) -> Option<usize> {
    let inside = inner(popup(area));
    if !inside.contains(at) || at.y < inside.y + 2 {
        return None;
    }
    let n = finder_offset(area, finding, selected)
        + usize::from((at.y - inside.y - 2) / hit_rows(finding));
    (n < hits).then_some(n)
}
