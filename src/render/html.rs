//! HTML pages of the static site (`otpic site`), rendered from views.
//!
//! Every piece of entry text is HTML-escaped here; the definition's Markdown goes
//! through pulldown-cmark with raw HTML turned into text, and only http(s)
//! addresses become links. Pages link to each other by relative paths and load
//! only the site's own stylesheet and scripts.

use crate::view::{BriefView, EntryRef, EntryView, LinkItem, WorkView};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::borrow::{Borrow, Cow};
use std::fmt::{self, Write as _};
use std::sync::OnceLock;

/// What every page needs to know about the site: its title and how to name the
/// page of a kind or a tag.
pub struct Site<'a> {
    pub title: &'a str,
    /// (kind, file stem of its page)
    pub kinds: &'a [(String, String)],
    /// (tag, file stem of its page)
    pub tags: &'a [(String, String)],
}

impl Site<'_> {
    fn kind_page(&self, kind: &str) -> Option<&str> {
        self.kinds
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, s)| s.as_str())
    }
    fn tag_page(&self, tag: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(t, _)| t == tag)
            .map(|(_, s)| s.as_str())
    }
}

/// Text escaped for HTML element content and double-quoted attribute values
/// (borrowed when there is nothing to escape, as in most titles and ids).
pub fn escape(s: &str) -> Cow<'_, str> {
    let special = |b: &u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    let Some(first) = s.bytes().position(|b| special(&b)) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `url` may become a link: http and https only, never `javascript:`,
/// `data:` or anything else.
pub fn linkable(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A whole page: `root` is the relative path from the page to the site's root
/// ("" or "../").
pub fn page(site: &Site, root: &str, title: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 1200);
    let _ = head(&mut out, site, root, title);
    out.push_str(body);
    let _ = foot(&mut out);
    out
}

/// A page's opening, up to and including `<main>`.
fn head<W: fmt::Write + ?Sized>(out: &mut W, site: &Site, root: &str, title: &str) -> fmt::Result {
    let page_title = if title == site.title {
        escape(title)
    } else {
        Cow::Owned(format!("{} — {}", escape(title), escape(site.title)))
    };
    write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'">
<meta name="referrer" content="no-referrer">
<title>{page_title}</title>
<link rel="stylesheet" href="{root}style.css">
</head>
<body>
<header class="site">
<a class="home" href="{root}index.html">{site_title}</a>
<nav><a href="{root}index.html">Menu</a> · <a href="{root}glossary.html">Glossary</a> · <a href="{root}search.html">Search</a></nav>
<form class="find" action="{root}search.html" method="get" role="search"><input type="search" name="q" placeholder="Search" aria-label="Search"></form>
</header>
<main>
"#,
        site_title = escape(site.title),
    )
}

/// A page's closing, from `</main>` on.
fn foot<W: fmt::Write + ?Sized>(out: &mut W) -> fmt::Result {
    out.write_str(
        "</main>\n<footer>Made with otpic from the knowledge base’s entry files.</footer>\n</body>\n</html>\n",
    )
}

/// The home page: entries grouped by kind, like the old OTPIC menus. Written to
/// `out` as it is made: with every entry on it, it is the largest page.
pub fn home<B: Borrow<BriefView>, W: fmt::Write + ?Sized>(
    out: &mut W,
    site: &Site,
    groups: &[(String, String, Vec<B>)],
) -> fmt::Result {
    head(out, site, "", site.title)?;
    writeln!(out, "<h1>{}</h1>", escape(site.title))?;
    let total: usize = groups.iter().map(|g| g.2.len()).sum();
    writeln!(
        out,
        "<p class=\"lead\">{total} entries. Browse them by kind below, read the <a href=\"glossary.html\">glossary</a>, or <a href=\"search.html\">search</a>.</p>"
    )?;
    out.write_str("<nav class=\"kinds\">")?;
    for (n, (kind, heading, _)) in groups.iter().enumerate() {
        if n > 0 {
            out.write_str(" · ")?;
        }
        let stem = site.kind_page(kind).unwrap_or("");
        write!(out, "<a href=\"kind/{stem}.html\">{}</a>", escape(heading))?;
    }
    out.write_str("</nav>\n")?;
    for (kind, heading, entries) in groups {
        writeln!(
            out,
            "<section class=\"group\" data-kind=\"{}\">\n<h2>{}</h2>",
            escape(kind),
            escape(heading)
        )?;
        brief_list(out, "", entries)?;
        out.write_str("</section>\n")?;
    }
    foot(out)
}

/// A page listing entries (a kind, a tag, the glossary), one level below the root
/// when `nested`, written to `out` as it is made.
pub fn listing<B: Borrow<BriefView>, W: fmt::Write + ?Sized>(
    out: &mut W,
    site: &Site,
    nested: bool,
    title: &str,
    intro: &str,
    entries: &[B],
) -> fmt::Result {
    let root = if nested { "../" } else { "" };
    head(out, site, root, title)?;
    writeln!(out, "<h1>{}</h1>", escape(title))?;
    if !intro.is_empty() {
        writeln!(out, "<p class=\"lead\">{}</p>", escape(intro))?;
    }
    brief_list(out, root, entries)?;
    foot(out)
}

fn brief_list<B: Borrow<BriefView>, W: fmt::Write + ?Sized>(
    out: &mut W,
    root: &str,
    entries: &[B],
) -> fmt::Result {
    out.write_str("<ul class=\"entries\">\n")?;
    for b in entries {
        let b = b.borrow();
        write!(
            out,
            "<li><a href=\"{root}entry/{}.html\">{}</a> <span class=\"kind\">{}</span>",
            escape(&b.entry.id),
            escape(&b.entry.title),
            escape(&b.entry.kind)
        )?;
        if let Some(s) = &b.summary {
            write!(out, "<br><span class=\"summary\">{}</span>", escape(s))?;
        }
        out.write_str("</li>\n")?;
    }
    out.write_str("</ul>\n")
}

/// The search page: a form, and results filled in by search.js from the query
/// in the address (`search.html?q=words`).
pub fn search(site: &Site) -> String {
    let body = r#"<h1>Search</h1>
<form class="search" action="search.html" method="get" role="search">
<input id="q" type="search" name="q" aria-label="Search words" autofocus>
<button type="submit">Search</button>
</form>
<p id="status" class="lead"></p>
<ol id="results" class="entries"></ol>
<noscript><p>Search needs JavaScript; the <a href="glossary.html">glossary</a> lists every entry.</p></noscript>
<script src="search-index.js"></script>
<script src="search.js"></script>
"#;
    page(site, "", "Search", body)
}

/// One entry's page, one level below the root (`entry/ID.html`).
pub fn entry(site: &Site, v: &EntryView) -> String {
    // The page's head, then the body, in one string: no copy of the body.
    let mut b = String::with_capacity(v.definition.len() * 2 + 6144);
    let _ = head(&mut b, site, "../", &v.title);
    let _ = writeln!(
        b,
        "<article class=\"entry\">\n<h1>{}</h1>",
        escape(&v.title)
    );
    b.push_str("<p class=\"meta\">");
    match site.kind_page(&v.kind) {
        Some(stem) => {
            let _ = write!(
                b,
                "<a class=\"kind\" href=\"../kind/{stem}.html\">{}</a>",
                escape(&v.kind)
            );
        }
        None => {
            let _ = write!(b, "<span class=\"kind\">{}</span>", escape(&v.kind));
        }
    }
    let _ = write!(b, " · <code>{}</code>", escape(&v.id));
    if !v.tags.is_empty() {
        b.push_str(" · tags: ");
        for (n, tag) in v.tags.iter().enumerate() {
            if n > 0 {
                b.push_str(", ");
            }
            match site.tag_page(tag) {
                Some(stem) => {
                    let _ = write!(b, "<a href=\"../tag/{stem}.html\">{}</a>", escape(tag));
                }
                None => b.push_str(&escape(tag)),
            }
        }
    }
    b.push_str("</p>\n");
    if !v.aliases.is_empty() {
        let _ = writeln!(
            b,
            "<p class=\"aliases\">Also called: {}</p>",
            escape(&v.aliases.join("; "))
        );
    }
    if let Some(s) = &v.summary {
        let _ = writeln!(b, "<p class=\"summary\"><strong>{}</strong></p>", escape(s));
    }
    b.push_str("<div class=\"definition\">\n");
    b.push_str(&markdown(&v.definition));
    b.push_str("</div>\n");
    works(&mut b, "Examples", &v.examples);
    works(&mut b, "Sources", &v.sources);
    for section in &v.sections {
        let _ = writeln!(
            b,
            "<section class=\"links{}\">\n<h2>{}</h2>\n<ul>",
            if section.backward { " back" } else { "" },
            escape(&section.label)
        );
        for item in section.by_title() {
            match item {
                LinkItem::Entry(r) => {
                    let _ = writeln!(b, "<li>{}</li>", entry_link(r));
                }
                LinkItem::Unresolved(text) => {
                    let _ = writeln!(
                        b,
                        "<li class=\"unresolved\">{} <em>(no entry by that name)</em></li>",
                        escape(text)
                    );
                }
            }
        }
        b.push_str("</ul>\n</section>\n");
    }
    let svg = neighbourhood(v);
    if !svg.is_empty() {
        b.push_str("<section class=\"map\">\n<h2>Neighbourhood</h2>\n");
        b.push_str(&svg);
        b.push_str("</section>\n");
    }
    if let Some(p) = &v.provenance {
        let mut parts: Vec<String> = Vec::new();
        match (&p.from, &p.url) {
            (Some(from), Some(url)) if linkable(url) => {
                parts.push(format!("<a href=\"{}\">{}</a>", escape(url), escape(from)))
            }
            (Some(from), Some(url)) => {
                parts.push(escape(from).into_owned());
                parts.push(escape(url).into_owned());
            }
            (Some(from), None) => parts.push(escape(from).into_owned()),
            (None, Some(url)) => parts.push(url_html(url)),
            (None, None) => {}
        }
        parts.extend(p.publisher.as_deref().map(|s| escape(s).into_owned()));
        parts.extend(p.year.as_deref().map(|s| escape(s).into_owned()));
        if !parts.is_empty() {
            let _ = writeln!(
                b,
                "<section class=\"provenance\">\n<h2>Provenance</h2>\n<p>{}</p>\n</section>",
                parts.join(", ")
            );
        }
    }
    b.push_str("</article>\n");
    let _ = foot(&mut b);
    b
}

fn entry_link(r: &EntryRef) -> String {
    format!(
        "<a href=\"{}.html\">{}</a> <span class=\"kind\">{}</span>",
        escape(&r.id),
        escape(&r.title),
        escape(&r.kind)
    )
}

fn url_html(url: &str) -> String {
    if linkable(url) {
        format!("<a href=\"{0}\">{0}</a>", escape(url))
    } else {
        escape(url).into_owned()
    }
}

/// "Title — Author (year). Description. URL", each part visibly apart.
fn works(b: &mut String, heading: &str, list: &[WorkView]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(
        b,
        "<section class=\"works\">\n<h2>{}</h2>\n<ul>",
        escape(heading)
    );
    for w in list {
        b.push_str("<li>");
        match &w.url {
            Some(url) if linkable(url) => {
                let _ = write!(
                    b,
                    "<cite><a href=\"{}\">{}</a></cite>",
                    escape(url),
                    escape(&w.title)
                );
            }
            _ => {
                let _ = write!(b, "<cite>{}</cite>", escape(&w.title));
            }
        }
        let byline: Vec<String> = w
            .author
            .iter()
            .map(|a| escape(a).into_owned())
            .chain(w.year.iter().map(|y| format!("({})", escape(y))))
            .collect();
        if !byline.is_empty() {
            let _ = write!(b, " — <span class=\"by\">{}</span>", byline.join(" "));
        }
        if let Some(d) = &w.description {
            let _ = write!(b, ". <span class=\"desc\">{}</span>", escape(d));
        }
        match &w.url {
            Some(url) if !linkable(url) => {
                let _ = write!(b, " <span class=\"url\">{}</span>", escape(url));
            }
            _ => {}
        }
        if w.original {
            let _ = write!(
                b,
                " <span class=\"original\">{}</span>",
                escape(crate::entry::ORIGINAL_MARK)
            );
        }
        b.push_str("</li>\n");
    }
    b.push_str("</ul>\n</section>\n");
}

/// The definition's Markdown as HTML. Raw HTML in it is shown as text, images as
/// their description, and links only when they lead to an http(s) address.
pub fn markdown(md: &str) -> String {
    let mut open_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH).filter_map(|event| {
        Some(match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let keep = linkable(&dest_url);
                open_links.push(keep);
                if !keep {
                    return None;
                }
                Event::Start(Tag::Link {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url,
                    title: "".into(),
                    id: "".into(),
                })
            }
            Event::End(TagEnd::Link) => {
                if !open_links.pop().unwrap_or(false) {
                    return None;
                }
                Event::End(TagEnd::Link)
            }
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => return None,
            other => other,
        })
    });
    let mut out = String::with_capacity(md.len() * 2);
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// The most neighbours the map draws; the rest are counted under it.
const MAP_MAX: usize = 16;
/// The map's size, centre and the radii of the ellipse its neighbours sit on.
const MAP_W: f64 = 720.0;
const MAP_H: f64 = 400.0;
const MAP_CX: f64 = MAP_W / 2.0;
const MAP_CY: f64 = MAP_H / 2.0;
const MAP_RX: f64 = MAP_W / 2.0 - 110.0;
const MAP_RY: f64 = MAP_H / 2.0 - 40.0;

/// Where a map of `n` neighbours draws them: the edges, and each node's x, y and
/// the y of its label, formatted. They depend only on `n`, so they are worked out
/// once per count (formatting the coordinates was most of a map's cost).
struct MapLayout {
    edges: String,
    nodes: Vec<[String; 3]>,
}

fn map_layout(n: usize) -> &'static MapLayout {
    static LAYOUTS: OnceLock<Vec<MapLayout>> = OnceLock::new();
    let layouts = LAYOUTS.get_or_init(|| {
        (1..=MAP_MAX)
            .map(|count| {
                let (cx, cy) = (MAP_CX, MAP_CY);
                let mut edges = String::new();
                let mut nodes = Vec::with_capacity(count);
                for i in 0..count {
                    let angle = -std::f64::consts::FRAC_PI_2
                        + std::f64::consts::TAU * i as f64 / count as f64;
                    let (x, y) = (cx + MAP_RX * angle.cos(), cy + MAP_RY * angle.sin());
                    let _ = writeln!(
                        edges,
                        "<line x1=\"{cx:.1}\" y1=\"{cy:.1}\" x2=\"{x:.1}\" y2=\"{y:.1}\"/>"
                    );
                    nodes.push([
                        format!("{x:.1}"),
                        format!("{y:.1}"),
                        format!("{:.1}", y - 10.0),
                    ]);
                }
                MapLayout { edges, nodes }
            })
            .collect()
    });
    &layouts[n.clamp(1, MAP_MAX) - 1]
}

/// The entry and its neighbours as a small SVG: the entry in the middle, each
/// neighbour on an ellipse around it, a line to each. Empty when it has none.
pub fn neighbourhood(v: &EntryView) -> String {
    let neighbours = v.neighbours();
    if neighbours.is_empty() {
        return String::new();
    }
    let shown = &neighbours[..neighbours.len().min(MAP_MAX)];
    let layout = map_layout(shown.len());
    let (w, h) = (MAP_W, MAP_H);
    let (cx, cy) = (MAP_CX, MAP_CY);
    let mut svg = String::with_capacity(600 + 350 * shown.len());
    let _ = write!(
        svg,
        "<svg class=\"neighbourhood\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{} and the {} entries it links with\">\n<g class=\"edges\">\n",
        escape(&v.title),
        neighbours.len()
    );
    svg.push_str(&layout.edges);
    svg.push_str("</g>\n");
    let _ = writeln!(
        svg,
        "<g class=\"node centre\" data-kind=\"{}\"><circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"9\"/><text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text></g>",
        escape(&v.kind),
        cy + 26.0,
        escape(&short(&v.title, 34)),
    );
    for (r, [x, y, label_y]) in shown.iter().zip(&layout.nodes) {
        let _ = writeln!(
            svg,
            "<a href=\"{}.html\"><g class=\"node\" data-kind=\"{}\"><title>{} ({})</title><circle cx=\"{x}\" cy=\"{y}\" r=\"6\"/><text x=\"{x}\" y=\"{label_y}\" text-anchor=\"middle\">{}</text></g></a>",
            escape(&r.id),
            escape(&r.kind),
            escape(&r.title),
            escape(&r.kind),
            escape(&short(&r.title, 26)),
        );
    }
    if neighbours.len() > MAP_MAX {
        let _ = writeln!(
            svg,
            "<text class=\"more\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">and {} more, listed above</text>",
            w - 8.0,
            h - 8.0,
            neighbours.len() - MAP_MAX
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// `s` cut to at most `max` characters, with an ellipsis when cut.
fn short(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some(_) => {
            let mut out: String = s.chars().take(max - 1).collect();
            out.push('…');
            Cow::Owned(out)
        }
    }
}

/// The site's stylesheet: readable on a phone and a wide screen, light and dark,
/// printable.
pub const STYLE: &str = r#":root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fdfdfb; --dim: #5d5d5d; --link: #0b57a4; --line: #d6d6d0; --edge: #9a9a92; --accent: #8a4b08; --problem: #b03a2e; --approach: #1e7a44; --code: #f1f1ec; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e3; --bg: #16181b; --dim: #a3a39c; --link: #8cc4ff; --line: #3a3d42; --edge: #6b6e74; --accent: #f0b35e; --problem: #f08a7e; --approach: #6fcf97; --code: #22252a; } }
* { box-sizing: border-box; }
/* A column of at most about 70 characters, the whole width on a phone; long
   words and addresses break rather than widen the page. */
body { margin: 0 auto; max-width: 40rem; padding: 0 1rem 3rem; font: 1.05rem/1.6 Georgia, "Times New Roman", serif; color: var(--fg); background: var(--bg); overflow-wrap: anywhere; }
a { color: var(--link); }
header.site { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: baseline; padding: .8rem 0; border-bottom: 1px solid var(--line); font-family: system-ui, sans-serif; font-size: .95rem; }
header.site .home { font-weight: bold; text-decoration: none; color: var(--fg); }
header.site form.find { margin-left: auto; }
input[type=search] { font: inherit; padding: .25rem .5rem; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); max-width: 60vw; }
button { font: inherit; padding: .25rem .8rem; }
h1 { line-height: 1.2; margin: 1.2rem 0 .4rem; }
h2 { font-size: 1.15rem; margin: 1.8rem 0 .4rem; font-family: system-ui, sans-serif; }
.meta, .aliases, .kind, .lead, footer, .by, .url { color: var(--dim); }
.meta, .kind { font-family: system-ui, sans-serif; font-size: .9rem; }
.kind { font-size: .8rem; }
code { font-size: .9em; }
pre { white-space: pre-wrap; background: var(--code); padding: .5rem .75rem; border-radius: 4px; }
blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 3px solid var(--line); }
.summary { margin-top: .2rem; }
ul.entries, section ul { padding-left: 1.2rem; }
ul.entries li, ol.entries li { margin: .35rem 0; }
li.unresolved { color: var(--dim); }
cite { font-style: italic; }
/* The map is drawn for a column's width; on a phone it keeps a readable size
   and scrolls sideways on its own. */
section.map { overflow-x: auto; }
svg.neighbourhood { display: block; width: 100%; min-width: 600px; height: auto; font-family: system-ui, sans-serif; font-size: 15px; }
svg .edges line { stroke: var(--edge); stroke-width: 1.5; }
svg .node circle { fill: var(--link); }
svg .node[data-kind=problem] circle { fill: var(--problem); }
svg .node[data-kind=approach] circle { fill: var(--approach); }
svg .node[data-kind=case] circle { fill: var(--accent); }
svg .node text { fill: var(--fg); }
svg .centre circle { fill: var(--fg); }
svg .centre text { font-weight: bold; }
svg .more { fill: var(--dim); }
footer { margin-top: 3rem; border-top: 1px solid var(--line); padding-top: .6rem; font-size: .85rem; font-family: system-ui, sans-serif; }
/* Paper is light whatever the screen's preference; no navigation or search;
   an external link prints its address. */
@media print {
  :root { color-scheme: light; --fg: #000; --bg: #fff; --dim: #444; --link: #000; --line: #bbb; --edge: #777; --accent: #8a4b08; --problem: #b03a2e; --approach: #1e7a44; --code: #f4f4f4; }
  header.site nav, header.site form, nav.kinds, footer { display: none; }
  body { max-width: none; }
  section.map { overflow: visible; }
  svg.neighbourhood { min-width: 0; max-width: 40rem; break-inside: avoid; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .85em; }
}
"#;

/// The search page's script: reads `q` from the address, matches it against
/// `window.OTPIC_INDEX` (search-index.js) and lists the hits with the DOM API
/// (never as HTML).
pub const SEARCH_JS: &str = r#"// Offline search for the otpic site: every word of the query must match the
// start of a word in the entry; title and alias matches rank first.
(function () {
  "use strict";
  var fold = function (s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  };
  var words = function (s) { return fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean); };
  var params = new URLSearchParams(window.location.search);
  var query = params.get("q") || "";
  var box = document.getElementById("q");
  var status = document.getElementById("status");
  var list = document.getElementById("results");
  box.value = query;
  var terms = words(query);
  if (terms.length === 0) { status.textContent = "Type words to search for."; return; }
  var fields = [["t", 4], ["a", 3], ["g", 2], ["s", 2], ["x", 1]];
  var hits = [];
  (window.OTPIC_INDEX || []).forEach(function (e) {
    var score = 0;
    var all = terms.every(function (term) {
      var best = 0;
      fields.forEach(function (f) {
        var text = e[f[0]];
        if (!text) { return; }
        var ws = Array.isArray(text) ? words(text.join(" ")) : words(text);
        ws.forEach(function (w) {
          var s = w === term ? f[1] : (w.indexOf(term) === 0 ? f[1] * 0.6 : 0);
          if (s > best) { best = s; }
        });
      });
      score += best;
      return best > 0;
    });
    if (all) { hits.push([score, e]); }
  });
  hits.sort(function (a, b) { return b[0] - a[0] || (a[1].i < b[1].i ? -1 : 1); });
  status.textContent = hits.length === 0
    ? "Nothing matches “" + query + "”."
    : hits.length + (hits.length === 1 ? " entry matches" : " entries match") + " “" + query + "”.";
  hits.forEach(function (h) {
    var e = h[1];
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = "entry/" + encodeURIComponent(e.i) + ".html";
    a.textContent = e.t;
    li.appendChild(a);
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = " " + e.k;
    li.appendChild(kind);
    if (e.s) {
      li.appendChild(document.createElement("br"));
      var s = document.createElement("span");
      s.className = "summary";
      s.textContent = e.s;
      li.appendChild(s);
    }
    list.appendChild(li);
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        assert_eq!(
            escape("<script>\"x\" & 'y'"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn only_http_and_https_addresses_become_links() {
        assert!(linkable("https://example.org/a"));
        assert!(linkable("HTTP://EXAMPLE.ORG"));
        for bad in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "//evil.example",
            "http://a b",
            "file:///etc/passwd",
        ] {
            assert!(!linkable(bad), "{bad}");
        }
    }

    #[test]
    fn raw_html_in_a_definition_is_text_and_unsafe_links_are_dropped() {
        let html = markdown(
            "Hi <script>alert(1)</script> [bad](javascript:alert(1)) [good](https://x.org) ![img](https://x.org/i.png)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("bad"), "{html}");
        assert!(
            html.contains("<a href=\"https://x.org\">good</a>"),
            "{html}"
        );
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn long_titles_are_shortened_on_the_map() {
        assert_eq!(short("abcdef", 4), "abc…");
        assert_eq!(short("abc", 4), "abc");
    }

    /// Every page names itself and the site, both escaped; the site's own pages
    /// (its title is the site's) name it once.
    #[test]
    fn a_page_escapes_its_title_and_names_the_site_once() {
        let site = Site {
            title: "A & <B>",
            kinds: &[],
            tags: &[],
        };
        let entry = page(&site, "../", "\"Q\" <x>", "<p>body</p>\n");
        assert!(
            entry.contains("<title>&quot;Q&quot; &lt;x&gt; — A &amp; &lt;B&gt;</title>"),
            "{entry}"
        );
        assert!(
            entry.contains(r#"<a class="home" href="../index.html">A &amp; &lt;B&gt;</a>"#),
            "{entry}"
        );
        assert!(entry.contains(r#"<link rel="stylesheet" href="../style.css">"#));
        assert!(entry.contains("<main>\n<p>body</p>\n</main>"), "{entry}");
        let home = page(&site, "", "A & <B>", "");
        assert!(home.contains("<title>A &amp; &lt;B&gt;</title>"), "{home}");
        assert!(home.contains(r#"<link rel="stylesheet" href="style.css">"#));
    }

    /// A work's address is a link only when it is http(s), and escaped either way.
    #[test]
    fn an_address_is_escaped_and_linked_only_when_http() {
        assert_eq!(
            url_html("https://x.org/?a=1&b=\"2\""),
            "<a href=\"https://x.org/?a=1&amp;b=&quot;2&quot;\">https://x.org/?a=1&amp;b=&quot;2&quot;</a>"
        );
        assert_eq!(
            url_html("javascript:alert('<x>')"),
            "javascript:alert(&#39;&lt;x&gt;&#39;)"
        );
    }

    /// A link to another entry: its id in the address, its title and kind as
    /// text, each escaped.
    #[test]
    fn an_entry_link_escapes_its_id_title_and_kind() {
        let r = crate::view::EntryRef {
            id: "a\"b".to_owned(),
            title: "<T> & co".to_owned(),
            kind: "k'ind".to_owned(),
        };
        assert_eq!(
            entry_link(&r),
            "<a href=\"a&quot;b.html\">&lt;T&gt; &amp; co</a> <span class=\"kind\">k&#39;ind</span>"
        );
    }
}
