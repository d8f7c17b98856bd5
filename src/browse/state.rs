//! The browser's state, with no terminal in it: where it is, where it has been, what
//! has focus and which box is open, updated by key, mouse and resize events.

use super::layout;
use super::page::{Page, Place};
use super::worker::{Answer, Gone, Worker};
pub use super::worker::{Finding, Hit};
use crate::index::Index;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};
use std::sync::Arc;
use std::time::Duration;

/// How many hits the jump and search boxes list.
pub const HITS: usize = 50;
/// How many lines one turn of the mouse wheel scrolls.
const WHEEL: usize = 3;
/// The exit status for Ctrl-C, as for the SIGINT it stands for in raw mode.
pub const EXIT_INTERRUPTED: u8 = 130;

/// One step of the history, with what the reader had scrolled to and selected there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub place: Place,
    /// The first line of the text shown.
    pub scroll: usize,
    /// The selected item of the list (links, or the start page's entries).
    pub selected: usize,
    /// The first row of the list shown.
    pub offset: usize,
}

impl Step {
    fn new(place: Place) -> Step {
        Step {
            place,
            scroll: 0,
            selected: 0,
            offset: 0,
        }
    }
}

/// Which pane keys act on, on an entry's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Text,
    Links,
}

/// A jump or search box: what was typed, what it found, which hit is selected.
///
/// The hits are found on the matcher thread ([`super::worker`]): while it works on
/// the newest query, the box shows the hits of an older one, as such
/// (`hits_for`), and Enter waits for the newest query's hits.
#[derive(Debug, Clone, PartialEq)]
pub struct Finder {
    pub finding: Finding,
    pub query: String,
    /// The hits shown, found for `hits_for`.
    pub hits: Vec<Hit>,
    pub hits_for: String,
    pub selected: usize,
    /// The generation of the newest query sent to the matcher for this box, and
    /// of the hits shown: they differ while the matcher works.
    pub asked: u64,
    pub answered: u64,
    /// Enter was pressed while matching: open the best hit once it is found.
    pub open_when_found: bool,
}

impl Finder {
    /// Whether the hits of the query as typed are still being looked for.
    pub fn matching(&self) -> bool {
        self.answered < self.asked
    }
}

/// A box drawn over the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help,
    Find(Finder),
}

/// The whole state of a browsing session.
#[derive(Debug)]
pub struct App {
    /// Where the reader has been; `history[at]` is shown.
    pub history: Vec<Step>,
    pub at: usize,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    /// A one-line notice for the footer, until the next key.
    pub message: Option<String>,
    /// The terminal's size in columns and rows.
    pub size: (u16, u16),
    /// `history[at]`, laid out for the current size.
    pub page: Page,
    pub color: bool,
    /// Set when the session is over: the exit status.
    pub exit: Option<u8>,
    /// The jump and search boxes' matcher thread.
    worker: Worker,
    /// The generation of the newest query sent to the matcher.
    generation: u64,
    random: u64,
}

impl App {
    /// A session at `place` on a terminal of `size`; `seed` drives `r`. It starts
    /// the matcher thread, which shares `kb`.
    pub fn new(
        kb: &Arc<Index>,
        place: Place,
        size: (u16, u16),
        color: bool,
        seed: u64,
    ) -> crate::error::Result<App> {
        let page = Page::new(kb, place, text_width(size, place), color)?;
        Ok(App {
            history: vec![Step::new(place)],
            at: 0,
            focus: Focus::Text,
            overlay: None,
            message: None,
            size,
            page,
            color,
            exit: None,
            worker: Worker::spawn(kb.clone())?,
            generation: 0,
            random: seed | 1,
        })
    }

    /// The current step.
    pub fn step(&self) -> &Step {
        &self.history[self.at]
    }

    fn step_mut(&mut self) -> &mut Step {
        &mut self.history[self.at]
    }

    /// The panes of the current page at the current size.
    pub fn panes(&self) -> layout::Panes {
        layout::panes(area(self.size), self.page.place)
    }

    /// Whether list keys act on the list: always on the start page, on an entry when
    /// the links have focus.
    pub fn list_focused(&self) -> bool {
        self.page.place == Place::Start || self.focus == Focus::Links
    }

    /// Rows of text the main pane shows at once.
    fn text_height(&self) -> usize {
        usize::from(layout::inner(self.panes().main).height).max(1)
    }

    /// Rows the list shows at once (links pane, or the start page).
    fn list_height(&self) -> usize {
        let panes = self.panes();
        usize::from(layout::inner(panes.links.unwrap_or(panes.main)).height).max(1)
    }

    fn max_scroll(&self) -> usize {
        self.page.text.len().saturating_sub(self.text_height())
    }

    // ---- events ----

    pub fn key(&mut self, kb: &Index, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        self.message = None;
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.exit = Some(EXIT_INTERRUPTED);
            return;
        }
        match self.overlay.take() {
            Some(Overlay::Help) => {}
            Some(Overlay::Find(finder)) => self.finder_key(kb, finder, key),
            None => self.page_key(kb, key),
        }
    }

    fn page_key(&mut self, kb: &Index, key: KeyEvent) {
        let page = self.text_height().saturating_sub(1).max(1);
        let list_page = self.list_height().saturating_sub(1).max(1);
        let list = self.list_focused();
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => self.exit = Some(0),
            KeyCode::Tab | KeyCode::BackTab => self.toggle_focus(),
            KeyCode::Up | KeyCode::Char('k') if list => self.select_by(-1),
            KeyCode::Down | KeyCode::Char('j') if list => self.select_by(1),
            KeyCode::Up | KeyCode::Char('k') => self.scroll_by(-1),
            KeyCode::Down | KeyCode::Char('j') => self.scroll_by(1),
            KeyCode::PageUp if list => self.select_by(-(list_page as isize)),
            KeyCode::PageDown | KeyCode::Char(' ') if list => self.select_by(list_page as isize),
            KeyCode::PageUp => self.scroll_by(-(page as isize)),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll_by(page as isize),
            KeyCode::Home | KeyCode::Char('g') if list => self.select_by(isize::MIN / 2),
            KeyCode::End | KeyCode::Char('G') if list => self.select_by(isize::MAX / 2),
            KeyCode::Home | KeyCode::Char('g') => self.scroll_by(isize::MIN / 2),
            KeyCode::End | KeyCode::Char('G') => self.scroll_by(isize::MAX / 2),
            KeyCode::Enter => self.open_selected(kb),
            KeyCode::Backspace | KeyCode::Left | KeyCode::Char('h') => self.back(kb),
            KeyCode::Right | KeyCode::Char('l') => self.forward(kb),
            KeyCode::Char('/') => self.open_finder(Finding::Jump),
            KeyCode::Char('s') => self.open_finder(Finding::Search),
            KeyCode::Char('r') => self.random(kb),
            KeyCode::Char('?') => self.overlay = Some(Overlay::Help),
            _ => {}
        }
    }

    fn finder_key(&mut self, kb: &Index, mut finder: Finder, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let typed = finder.query.clone();
        let visible = layout::finder_rows(area(self.size), finder.finding).max(1);
        let count = finder.hits.len();
        match key.code {
            KeyCode::Esc => return,
            KeyCode::Enter if finder.matching() => finder.open_when_found = true,
            KeyCode::Enter => {
                match finder.hits.get(finder.selected) {
                    Some(hit) => self.open(kb, hit.index),
                    None if finder.query.trim().is_empty() => return,
                    None => {
                        self.message = Some(format!(
                            "nothing matches \"{}\"",
                            crate::sanitize::line(&finder.query)
                        ));
                        self.overlay = Some(Overlay::Find(finder));
                    }
                }
                return;
            }
            KeyCode::Up => finder.selected = finder.selected.saturating_sub(1),
            KeyCode::Char('p') if ctrl => finder.selected = finder.selected.saturating_sub(1),
            KeyCode::Down => finder.selected = (finder.selected + 1).min(count.saturating_sub(1)),
            KeyCode::Char('n') if ctrl => {
                finder.selected = (finder.selected + 1).min(count.saturating_sub(1))
            }
            KeyCode::PageUp => finder.selected = finder.selected.saturating_sub(visible),
            KeyCode::PageDown => {
                finder.selected = (finder.selected + visible).min(count.saturating_sub(1))
            }
            KeyCode::Backspace => {
                finder.query.pop();
            }
            KeyCode::Char('u') if ctrl => finder.query.clear(),
            KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => {
                finder.query.push(c)
            }
            _ => {}
        }
        if finder.query != typed {
            self.ask(&mut finder);
        }
        self.overlay = Some(Overlay::Find(finder));
    }

    pub fn mouse(&mut self, kb: &Index, mouse: MouseEvent) {
        let at = Position::new(mouse.column, mouse.row);
        let down = match mouse.kind {
            MouseEventKind::ScrollDown => 1,
            MouseEventKind::ScrollUp => -1,
            MouseEventKind::Down(MouseButton::Left) => 0,
            _ => return,
        };
        self.message = None;
        if let Some(overlay) = self.overlay.take() {
            if let Overlay::Find(mut finder) = overlay {
                let count = finder.hits.len();
                if down != 0 {
                    finder.selected = finder
                        .selected
                        .saturating_add_signed(down)
                        .min(count.saturating_sub(1));
                } else if let Some(n) = layout::finder_hit_at(
                    area(self.size),
                    (finder.finding, finder.selected, count),
                    at,
                ) {
                    self.open(kb, finder.hits[n].index);
                    return;
                }
                self.overlay = Some(Overlay::Find(finder));
            }
            // A click or scroll anywhere closes the help.
            return;
        }
        let panes = self.panes();
        let in_list = match panes.links {
            Some(links) => links.contains(at),
            None => self.page.place == Place::Start && panes.main.contains(at),
        };
        let in_text = self.page.place != Place::Start && panes.main.contains(at);
        if down != 0 {
            let by = down * WHEEL as isize;
            if in_list {
                self.select_by(by);
            } else if in_text {
                self.scroll_by(by);
            }
            return;
        }
        if in_text {
            self.focus = Focus::Text;
        } else if in_list {
            let list = panes.links.unwrap_or(panes.main);
            let inner = layout::inner(list);
            if !inner.contains(at) {
                return;
            }
            if panes.links.is_some() {
                self.focus = Focus::Links;
            }
            let row = self.step().offset + usize::from(at.y - inner.y);
            if let Some(n) = self.page.item_at(row) {
                self.step_mut().selected = n;
                self.open_selected(kb);
            }
        }
    }

    /// The terminal has a new size: lay the page out again, keeping the reader's place.
    pub fn resize(&mut self, kb: &Index, cols: u16, rows: u16) {
        self.size = (cols, rows);
        match Page::new(
            kb,
            self.page.place,
            text_width(self.size, self.page.place),
            self.color,
        ) {
            Ok(page) => self.page = page,
            Err(e) => self.message = Some(e.to_string()),
        }
        self.clamp();
    }

    // ---- moving ----

    fn toggle_focus(&mut self) {
        if self.page.place == Place::Start {
            return;
        }
        self.focus = match self.focus {
            Focus::Text if self.page.items() > 0 => Focus::Links,
            Focus::Text => {
                self.message = Some("this entry has no links".into());
                Focus::Text
            }
            Focus::Links => Focus::Text,
        };
    }

    fn scroll_by(&mut self, by: isize) {
        let max = self.max_scroll();
        let step = self.step_mut();
        step.scroll = step.scroll.saturating_add_signed(by).min(max);
    }

    fn select_by(&mut self, by: isize) {
        let items = self.page.items();
        let step = self.step_mut();
        step.selected = step
            .selected
            .saturating_add_signed(by)
            .min(items.saturating_sub(1));
        self.keep_visible();
    }

    /// Scrolls the list so that the selected item shows, with its heading when it
    /// is the first of a group.
    fn keep_visible(&mut self) {
        let height = self.list_height();
        let Some(row) = self.page.item_row(self.step().selected) else {
            self.step_mut().offset = 0;
            return;
        };
        let top = if row > 0 && self.page.item_at(row - 1).is_none() {
            row - 1
        } else {
            row
        };
        let step = self.step_mut();
        if top < step.offset {
            step.offset = top;
        } else if row >= step.offset + height {
            step.offset = row + 1 - height;
        }
    }

    /// Keeps scroll, selection and list offset within the page as laid out now.
    fn clamp(&mut self) {
        let (max, items) = (self.max_scroll(), self.page.items());
        let step = self.step_mut();
        step.scroll = step.scroll.min(max);
        step.selected = step.selected.min(items.saturating_sub(1));
        let rows = self.page.rows.len();
        let height = self.list_height();
        let step = self.step_mut();
        step.offset = step.offset.min(rows.saturating_sub(height));
        self.keep_visible();
        if self.page.items() == 0 {
            self.focus = Focus::Text;
        }
    }

    fn open_selected(&mut self, kb: &Index) {
        match self.page.item(self.step().selected) {
            Some((Some(target), _)) => self.open(kb, target),
            Some((None, label)) => {
                self.message = Some(format!(
                    "\"{label}\" is unresolved: no entry has that id, title or alias"
                ))
            }
            None => self.message = Some("nothing to open here".into()),
        }
    }

    /// Opens entry `index` as a new step, dropping the steps ahead of this one.
    pub fn open(&mut self, kb: &Index, index: usize) {
        let place = Place::Entry(index);
        match Page::new(kb, place, text_width(self.size, place), self.color) {
            Ok(page) => {
                self.history.truncate(self.at + 1);
                self.history.push(Step::new(place));
                self.at += 1;
                self.page = page;
                self.clamp();
            }
            Err(e) => self.message = Some(e.to_string()),
        }
    }

    /// Shows history step `at` again, as it was left.
    fn go(&mut self, kb: &Index, at: usize) {
        let place = self.history[at].place;
        match Page::new(kb, place, text_width(self.size, place), self.color) {
            Ok(page) => {
                self.at = at;
                self.page = page;
                self.clamp();
            }
            Err(e) => self.message = Some(e.to_string()),
        }
    }

    fn back(&mut self, kb: &Index) {
        if self.at == 0 {
            self.message = Some("this is where you started: nothing to go back to".into());
        } else {
            self.go(kb, self.at - 1);
        }
    }

    fn forward(&mut self, kb: &Index) {
        if self.at + 1 >= self.history.len() {
            self.message = Some("nothing to go forward to".into());
        } else {
            self.go(kb, self.at + 1);
        }
    }

    fn random(&mut self, kb: &Index) {
        if kb.is_empty() {
            self.message = Some("the knowledge base is empty".into());
            return;
        }
        // xorshift64*: enough to pick a page.
        self.random ^= self.random >> 12;
        self.random ^= self.random << 25;
        self.random ^= self.random >> 27;
        let n = self.random.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32;
        self.open(kb, (n % kb.len() as u64) as usize);
    }

    fn open_finder(&mut self, finding: Finding) {
        self.generation += 1;
        if finding == Finding::Jump {
            // The matcher converts every name once, before the first letter comes.
            self.worker.ask(self.generation, finding, "", HITS);
        }
        self.overlay = Some(Overlay::Find(Finder {
            finding,
            query: String::new(),
            hits: Vec::new(),
            hits_for: String::new(),
            selected: 0,
            asked: self.generation,
            answered: self.generation,
            open_when_found: false,
        }));
    }

    /// The finder's query changed: the matcher is asked for its hits, or, for an
    /// empty query, there are none.
    fn ask(&mut self, finder: &mut Finder) {
        self.generation += 1;
        finder.asked = self.generation;
        finder.open_when_found = false;
        if finder.query.trim().is_empty() {
            finder.hits.clear();
            finder.hits_for.clone_from(&finder.query);
            finder.answered = self.generation;
            finder.selected = 0;
        } else {
            self.worker
                .ask(self.generation, finder.finding, &finder.query, HITS);
        }
    }

    /// Whether an open finder box waits for the matcher.
    pub fn matching(&self) -> bool {
        matches!(&self.overlay, Some(Overlay::Find(f)) if f.matching())
    }

    /// Takes in the matcher's answers that have arrived; true if the screen changed.
    pub fn poll(&mut self, kb: &Index) -> Result<bool, Gone> {
        let mut changed = false;
        while let Some(answer) = self.worker.try_answer()? {
            changed |= self.answered(kb, answer);
        }
        Ok(changed)
    }

    /// Waits up to `timeout` for an answer of the matcher, then takes in every
    /// answer that has arrived; true if the screen changed.
    pub fn poll_within(&mut self, kb: &Index, timeout: Duration) -> Result<bool, Gone> {
        let mut changed = match self.worker.answer_within(timeout)? {
            Some(answer) => self.answered(kb, answer),
            None => false,
        };
        changed |= self.poll(kb)?;
        Ok(changed)
    }

    /// Waits until an open finder box has the hits of its query as typed (tests and
    /// benchmarks step through a session with it, key by key).
    pub fn wait(&mut self, kb: &Index) -> Result<(), Gone> {
        while self.matching() {
            self.poll_within(kb, Duration::from_secs(1))?;
        }
        Ok(())
    }

    /// Takes in one answer of the matcher: it replaces the hits shown when it is
    /// for this box and newer than them. True if the screen changed.
    fn answered(&mut self, kb: &Index, answer: Answer) -> bool {
        let Some(Overlay::Find(finder)) = &mut self.overlay else {
            return false;
        };
        if answer.finding != finder.finding
            || answer.generation <= finder.answered
            || answer.generation > finder.asked
        {
            return false;
        }
        finder.hits = answer.hits;
        finder.hits_for = answer.query;
        finder.answered = answer.generation;
        finder.selected = 0;
        if finder.open_when_found && !finder.matching() {
            finder.open_when_found = false;
            let Some(Overlay::Find(finder)) = self.overlay.take() else {
                return true;
            };
            self.finder_key(
                kb,
                finder,
                KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            );
        }
        true
    }
}

/// The whole terminal.
pub fn area((cols, rows): (u16, u16)) -> Rect {
    Rect::new(0, 0, cols, rows)
}

/// The width the text of `place` is wrapped to on a terminal of `size`.
fn text_width(size: (u16, u16), place: Place) -> u16 {
    layout::inner(layout::panes(area(size), place).main).width
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly
mod tests {
    use super::*;
    use crate::browse::page::tests::kb;
    use crate::search;

    fn press(app: &mut App, kb: &Index, code: KeyCode) {
        app.key(kb, KeyEvent::new(code, KeyModifiers::NONE));
        app.wait(kb).unwrap();
    }

    fn keys(app: &mut App, kb: &Index, text: &str) {
        for c in text.chars() {
            press(app, kb, KeyCode::Char(c));
        }
    }

    fn at(app: &App, kb: &Index) -> String {
        match app.page.place {
            Place::Start => "start".into(),
            Place::Entry(i) => kb.id(i).to_owned(),
        }
    }

    fn app_at(kb: &Arc<Index>, id: &str, size: (u16, u16)) -> App {
        let place = Place::Entry(kb.by_id(id).unwrap());
        App::new(kb, place, size, false, 7).unwrap()
    }

    #[test]
    fn enter_follows_the_selected_link_and_back_and_forward_retrace_it() {
        let kb = kb();
        let mut app = app_at(&kb, "alpha", (120, 30));
        assert_eq!(app.focus, Focus::Text);
        press(&mut app, &kb, KeyCode::Tab);
        assert_eq!(app.focus, Focus::Links);
        press(&mut app, &kb, KeyCode::Char('j'));
        assert_eq!(app.step().selected, 1);
        press(&mut app, &kb, KeyCode::Enter);
        assert_eq!(at(&app, &kb), "beta");
        assert_eq!(app.step().selected, 0, "a new page starts at the top");
        press(&mut app, &kb, KeyCode::Backspace);
        assert_eq!(at(&app, &kb), "alpha");
        assert_eq!(app.step().selected, 1, "the selection is kept per step");
        press(&mut app, &kb, KeyCode::Char('l'));
        assert_eq!(at(&app, &kb), "beta");
        press(&mut app, &kb, KeyCode::Left);
        press(&mut app, &kb, KeyCode::Char('h'));
        assert_eq!(at(&app, &kb), "alpha");
        assert!(
            app.message
                .as_deref()
                .unwrap()
                .contains("nothing to go back")
        );
    }

    #[test]
    fn opening_a_link_after_going_back_drops_the_forward_steps() {
        let kb = kb();
        let mut app = app_at(&kb, "alpha", (120, 30));
        press(&mut app, &kb, KeyCode::Enter); // gamma, the first link
        assert_eq!(at(&app, &kb), "gamma");
        press(&mut app, &kb, KeyCode::Left);
        press(&mut app, &kb, KeyCode::Tab);
        press(&mut app, &kb, KeyCode::Char('j'));
        press(&mut app, &kb, KeyCode::Enter);
        assert_eq!(at(&app, &kb), "beta");
        assert_eq!(app.history.len(), 2);
        press(&mut app, &kb, KeyCode::Right);
        assert_eq!(at(&app, &kb), "beta");
        assert!(app.message.is_some());
    }

    #[test]
    fn an_unresolved_link_says_so_and_nothing_moves() {
        let kb = kb();
        let mut app = app_at(&kb, "alpha", (120, 30));
        press(&mut app, &kb, KeyCode::Tab);
        keys(&mut app, &kb, "jj");
        press(&mut app, &kb, KeyCode::Enter);
        assert_eq!(at(&app, &kb), "alpha");
        assert_eq!(app.history.len(), 1);
        assert!(app.message.as_deref().unwrap().contains("unresolved"));
        press(&mut app, &kb, KeyCode::Char('j'));
        assert_eq!(app.message, None, "a notice lasts until the next key");
    }

    #[test]
    fn the_text_scrolls_by_line_page_and_to_either_end_within_bounds() {
        let kb = kb();
        let mut app = app_at(&kb, "alpha", (60, 16));
        let max = app.max_scroll();
        assert!(max > 3, "the fixture must overflow a small terminal");
        keys(&mut app, &kb, "jj");
        assert_eq!(app.step().scroll, 2);
        press(&mut app, &kb, KeyCode::Char('k'));
        assert_eq!(app.step().scroll, 1);
        press(&mut app, &kb, KeyCode::Char('G'));
        assert_eq!(app.step().scroll, max);
        press(&mut app, &kb, KeyCode::Char('j'));
        assert_eq!(app.step().scroll, max);
        press(&mut app, &kb, KeyCode::Char('g'));
        assert_eq!(app.step().scroll, 0);
        press(&mut app, &kb, KeyCode::Char(' '));
        assert_eq!(app.step().scroll, (app.text_height() - 1).min(max));
        press(&mut app, &kb, KeyCode::PageUp);
        assert_eq!(app.step().scroll, 0);
    }

    #[test]
    fn scroll_positions_are_kept_per_step() {
        let kb = kb();
        let mut app = app_at(&kb, "alpha", (60, 16));
        keys(&mut app, &kb, "jjj");
        press(&mut app, &kb, KeyCode::Enter);
        assert_eq!(app.step().scroll, 0);
        press(&mut app, &kb, KeyCode::Backspace);
        assert_eq!(app.step().scroll, 3);
    }

    #[test]
    fn the_jump_box_matches_as_you_type_and_opens_the_selected_hit() {
        let kb = kb();
        let mut app = app_at(&kb, "alpha", (120, 30));
        press(&mut app, &kb, KeyCode::Char('/'));
        keys(&mut app, &kb, "qj"); // typed, not quit or moved
        assert!(app.exit.is_none());
        let Some(Overlay::Find(f)) = &app.overlay else {
            panic!("no box")
        };
        assert_eq!(f.query, "qj");
        assert!(f.hits.is_empty());
        press(&mut app, &kb, KeyCode::Backspace);
        press(&mut app, &kb, KeyCode::Backspace);
        keys(&mut app, &kb, "gam");
        let Some(Overlay::Find(f)) = &app.overlay else {
            panic!("no box")
        };
        assert_eq!(f.hits[0].index, kb.by_id("gamma").unwrap());
        press(&mut app, &kb, KeyCode::Enter);
        assert_eq!(at(&app, &kb), "gamma");
        assert_eq!(app.overlay, None);
    }

    fn finder(app: &App) -> &Finder {
        match &app.overlay {
            Some(Overlay::Find(f)) => f,
            other => panic!("no finder box: {other:?}"),
        }
    }

    #[test]
    fn keys_are_taken_while_matching_and_older_hits_are_shown_as_such() {
        let kb = kb();
        let mut app = app_at(&kb, "alpha", (120, 30));
        press(&mut app, &kb, KeyCode::Char('/'));
        keys(&mut app, &kb, "a");
        let a_hits = finder(&app).hits.clone();
        assert!(a_hits.len() > 1);
        // Typed without waiting: the box has the new query at once, and the hits
        // it shows are still labelled as the hits of "a".
        app.key(&kb, KeyEvent::new(KeyCode::Char('l'), KeyModifiers::NONE));
        let f = finder(&app);
        assert_eq!(f.query, "al");
        assert!(f.matching());
        assert_eq!((f.hits_for.as_str(), &f.hits), ("a", &a_hits));
        app.wait(&kb).unwrap();
        let f = finder(&app);
        assert!(!f.matching());
        assert_eq!(f.hits_for, "al");
        assert_eq!(f.hits[0].index, kb.by_id("alpha").unwrap());
    }

    #[test]
    fn an_answer_for_an_older_query_never_replaces_a_newer_one() {
        let kb = kb();
        let mut app = app_at(&kb, "alpha", (120, 30));
        press(&mut app, &kb, KeyCode::Char('/'));
        for c in "gam".chars() {
            app.key(&kb, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        app.wait(&kb).unwrap();
        let newest = finder(&app).clone();
        assert_eq!(newest.hits_for, "gam");
        // A late answer for "g", as a slow matcher could send it.
        let late = Answer {
            generation: newest.answered - 2,
            finding: Finding::Jump,
            query: "g".into(),
            hits: vec![Hit {
                index: kb.by_id("beta").unwrap(),
                snippet: None,
            }],
        };
        assert!(!app.answered(&kb, late));
        assert_eq!(finder(&app), &newest);
        // Nor does an answer meant for the search box.
        let other = Answer {
            generation: newest.asked + 1,
            finding: Finding::Search,
            query: "gam".into(),
            hits: Vec::new(),
        };
        assert!(!app.answered(&kb, other));
        assert_eq!(finder(&app), &newest);
    }

    #[test]
    fn enter_while_matching_opens_the_best_hit_of_the_query_as_typed() {
        let kb = kb();
        let mut app = app_at(&kb, "alpha", (120, 30));
        press(&mut app, &kb, KeyCode::Char('/'));
        // Answers are only taken in by poll or wait: typed and entered at once,
        // "gam" is still being matched when Enter comes.
        for c in "gam".chars() {
            app.key(&kb, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        app.key(&kb, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!(
            at(&app, &kb),
            "alpha",
            "nothing opens before its hits are found"
        );
        app.wait(&kb).unwrap();
        assert_eq!(at(&app, &kb), "gamma");
        assert_eq!(app.overlay, None);
    }

    #[test]
    fn escape_closes_a_box_and_quits_only_without_one() {
        let kb = kb();
        let mut app = app_at(&kb, "alpha", (120, 30));
        press(&mut app, &kb, KeyCode::Char('/'));
        press(&mut app, &kb, KeyCode::Esc);
        assert_eq!(app.overlay, None);
        assert_eq!(app.exit, None);
        press(&mut app, &kb, KeyCode::Char('?'));
        assert_eq!(app.overlay, Some(Overlay::Help));
        press(&mut app, &kb, KeyCode::Char('q'));
        assert_eq!((app.overlay.as_ref(), app.exit), (None, None));
        press(&mut app, &kb, KeyCode::Esc);
        assert_eq!(app.exit, Some(0));
    }

    #[test]
    fn ctrl_c_ends_the_session_as_an_interrupt() {
        let kb = kb();
        let mut app = app_at(&kb, "alpha", (120, 30));
        press(&mut app, &kb, KeyCode::Char('s'));
        app.key(
            &kb,
            KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
        );
        assert_eq!(app.exit, Some(EXIT_INTERRUPTED));
    }

    #[test]
    fn the_search_box_ranks_as_search_does_and_shows_snippets() {
        let kb = kb();
        let mut app = app_at(&kb, "gamma", (120, 30));
        press(&mut app, &kb, KeyCode::Char('s'));
        keys(&mut app, &kb, "threats");
        let Some(Overlay::Find(f)) = &app.overlay else {
            panic!("no box")
        };
        let expected = search::search(&kb, &search::Query::parse(&["threats"]), HITS).hits;
        let got: Vec<usize> = f.hits.iter().map(|h| h.index).collect();
        assert_eq!(got, expected.iter().map(|h| h.index).collect::<Vec<_>>());
        assert!(f.hits[0].snippet.as_deref().unwrap().contains("Threats"));
        press(&mut app, &kb, KeyCode::Enter);
        assert_eq!(at(&app, &kb), "beta");
    }

    #[test]
    fn a_search_that_finds_nothing_keeps_the_box_open_and_says_so() {
        let kb = kb();
        let mut app = app_at(&kb, "gamma", (120, 30));
        press(&mut app, &kb, KeyCode::Char('s'));
        keys(&mut app, &kb, "zebra");
        press(&mut app, &kb, KeyCode::Enter);
        assert!(matches!(app.overlay, Some(Overlay::Find(_))));
        assert!(app.message.as_deref().unwrap().contains("zebra"));
    }

    #[test]
    fn the_start_page_selects_and_opens_entries() {
        let kb = kb();
        let mut app = App::new(&kb, Place::Start, (80, 20), false, 7).unwrap();
        press(&mut app, &kb, KeyCode::Char('G'));
        assert_eq!(app.step().selected, 3);
        press(&mut app, &kb, KeyCode::Char('k'));
        press(&mut app, &kb, KeyCode::Char('k'));
        press(&mut app, &kb, KeyCode::Enter);
        assert_eq!(at(&app, &kb), "beta");
        press(&mut app, &kb, KeyCode::Left);
        assert_eq!((at(&app, &kb), app.step().selected), ("start".into(), 1));
    }

    #[test]
    fn random_opens_some_entry_and_tab_needs_links() {
        let kb = kb();
        let mut app = app_at(&kb, "gamma", (120, 30));
        press(&mut app, &kb, KeyCode::Char('r'));
        assert_eq!(app.history.len(), 2);
        assert!(matches!(app.page.place, Place::Entry(_)));
        let lonely = Arc::new(Index::from_texts(&[(
            "solo",
            "title = \"Solo\"\ndefinition = \"x\"\n",
        )]));
        let mut app = app_at(&lonely, "solo", (120, 30));
        press(&mut app, &lonely, KeyCode::Tab);
        assert_eq!(app.focus, Focus::Text);
        assert!(app.message.as_deref().unwrap().contains("no links"));
    }

    #[test]
    fn a_click_on_a_link_opens_it_and_the_wheel_scrolls_the_text() {
        let kb = kb();
        let mut app = app_at(&kb, "alpha", (60, 30));
        assert!(app.max_scroll() >= WHEEL);
        let links = layout::inner(app.panes().links.unwrap());
        // Row 0 is the "Related approaches" heading, row 1 gamma, row 3 beta.
        let click = |row: u16| MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: links.x + 2,
            row: links.y + row,
            modifiers: KeyModifiers::NONE,
        };
        let main = app.panes().main;
        app.mouse(
            &kb,
            MouseEvent {
                kind: MouseEventKind::ScrollDown,
                column: main.x + 3,
                row: main.y + 3,
                modifiers: KeyModifiers::NONE,
            },
        );
        assert_eq!(app.step().scroll, WHEEL);
        app.mouse(&kb, click(0));
        assert_eq!(at(&app, &kb), "alpha", "a heading opens nothing");
        app.mouse(&kb, click(3));
        assert_eq!(at(&app, &kb), "beta");
    }

    #[test]
    fn a_click_on_the_start_page_opens_that_entry() {
        let kb = kb();
        let mut app = App::new(&kb, Place::Start, (80, 20), false, 7).unwrap();
        let list = layout::inner(app.panes().main);
        // Rows: Approaches, Alpha, Problems, Beta, Concepts, Gamma.
        app.mouse(
            &kb,
            MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column: list.x + 4,
                row: list.y + 5,
                modifiers: KeyModifiers::NONE,
            },
        );
        assert_eq!(at(&app, &kb), "gamma");
    }

    #[test]
    fn resizing_reflows_the_text_and_keeps_the_place_in_bounds() {
        let kb = kb();
        let mut app = app_at(&kb, "alpha", (60, 16));
        press(&mut app, &kb, KeyCode::Char('G'));
        let narrow = app.page.text.len();
        app.resize(&kb, 160, 50);
        assert!(app.page.text.len() < narrow, "wider text takes fewer lines");
        assert_eq!(app.step().scroll, app.max_scroll());
        assert!(
            app.page
                .text
                .iter()
                .all(|l| l.width() <= usize::from(layout::inner(app.panes().main).width))
        );
    }
}
