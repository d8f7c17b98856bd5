//! Writing a static website of a knowledge base (`otpic site OUT_DIR`).
//!
//! The site is written into a fresh folder beside OUT_DIR and moved into place
//! only when every page is written, so an interrupted run leaves OUT_DIR as it
//! was (plus a hidden `.otpic-site-*` folder to delete), never half updated. A
//! marker file records that otpic wrote OUT_DIR: a folder with other contents is
//! never replaced without `--force`. Output depends only on the knowledge base:
//! the same entries give the same bytes.

use crate::error::{Error, Result};
use crate::index::Index;
use crate::kinds::plural;
use crate::render::html::{self, Site};
use crate::view::{BriefView, EntryView};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// The file that marks a folder as a site otpic wrote.
pub const MARKER: &str = ".otpic-site";

/// How the kinds are ordered on the home page: OTPIC's problems and approaches
/// first, as its menus had them, then the rest; unknown kinds alphabetically after.
const KIND_ORDER: &[&str] = &[
    "problem",
    "approach",
    "concept",
    "case",
    "organization",
    "document",
    "programme",
];

/// What was written, for the closing message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub entries: usize,
    pub pages: usize,
}

/// One entry in search-index.js: short keys keep the file small.
#[derive(Serialize)]
struct SearchItem<'a> {
    i: &'a str,
    t: &'a str,
    k: &'a str,
    s: Option<&'a str>,
    a: &'a [String],
    g: &'a [String],
    /// The definition's distinct words, lowercased, in order of first use.
    x: String,
}

/// Writes the site of `kb` to `out_dir`, titled `title`. `keep` are folders the
/// site must never replace, even with `force`: the knowledge base's own.
pub fn write(
    kb: &Index,
    out_dir: &Path,
    title: &str,
    force: bool,
    keep: &[PathBuf],
) -> Result<Written> {
    refuse_holding(out_dir, keep)?;
    refuse_foreign(out_dir, force)?;
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| file_error(&parent, "cannot create", &e))?;
    let staging = tempfile::Builder::new()
        .prefix(".otpic-site-")
        .tempdir_in(&parent)
        .map_err(|e| file_error(&parent, "cannot create a folder in", &e))?;
    // Errors name the page as it would be in OUT_DIR, not in the hidden folder
    // (which is removed on the way out).
    let written = write_into(kb, staging.path(), title).map_err(|e| match e {
        Error::File { path, reason } => Error::File {
            path: match path.strip_prefix(staging.path()) {
                Ok(rel) => out_dir.join(rel),
                Err(_) => path,
            },
            reason,
        },
        e => e,
    })?;
    // Every page is written; the marker goes last, then the folder moves in.
    put(&staging.path().join(MARKER), b"written by otpic site\n")?;
    let staged = staging.keep();
    if out_dir.exists() {
        let old = tempfile::Builder::new()
            .prefix(".otpic-site-old-")
            .tempdir_in(&parent)
            .map_err(|e| file_error(&parent, "cannot create a folder in", &e))?
            .keep();
        // rename() onto an existing directory needs it empty: move the old one
        // into the (empty) spare folder's place first.
        fs::remove_dir(&old).map_err(|e| file_error(&old, "cannot remove", &e))?;
        fs::rename(out_dir, &old).map_err(|e| file_error(out_dir, "cannot move aside", &e))?;
        if let Err(e) = fs::rename(&staged, out_dir) {
            let _ = fs::rename(&old, out_dir);
            let _ = fs::remove_dir_all(&staged);
            return Err(file_error(out_dir, "cannot move the new site to", &e));
        }
        fs::remove_dir_all(&old).map_err(|e| file_error(&old, "cannot remove", &e))?;
    } else if let Err(e) = fs::rename(&staged, out_dir) {
        let _ = fs::remove_dir_all(&staged);
        return Err(file_error(out_dir, "cannot create", &e));
    }
    Ok(written)
}

/// Refuses an OUT_DIR that is, or holds, one of the folders in `keep` or the
/// current folder: replacing it would delete them.
fn refuse_holding(out_dir: &Path, keep: &[PathBuf]) -> Result<()> {
    let Ok(out) = fs::canonicalize(out_dir) else {
        return Ok(());
    };
    let current = std::env::current_dir().ok();
    let kept = keep.iter().map(|k| (k, "the knowledge base's folder"));
    for (path, what) in kept.chain(current.iter().map(|c| (c, "the current folder"))) {
        if fs::canonicalize(path).is_ok_and(|p| p.starts_with(&out)) {
            return Err(Error::File {
                path: out_dir.to_path_buf(),
                reason: format!(
                    "holds {what} ({}), which a site written there would replace; \
                     choose another folder for the site",
                    path.display()
                ),
            });
        }
    }
    Ok(())
}

/// Refuses an OUT_DIR that is a file, or a non-empty folder without the marker
/// (unless `force`).
fn refuse_foreign(out_dir: &Path, force: bool) -> Result<()> {
    let meta = match fs::symlink_metadata(out_dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(file_error(out_dir, "cannot read", &e)),
    };
    if !meta.is_dir() {
        return Err(Error::File {
            path: out_dir.to_path_buf(),
            reason: "exists and is not a folder; give a folder for the site".into(),
        });
    }
    let mut items =
        fs::read_dir(out_dir).map_err(|e| file_error(out_dir, "cannot read the folder", &e))?;
    let empty = items.next().is_none();
    if empty || force || out_dir.join(MARKER).is_file() {
        return Ok(());
    }
    Err(Error::File {
        path: out_dir.to_path_buf(),
        reason: format!(
            "is not empty and was not written by `otpic site` (no {MARKER} file); \
             choose another folder, or pass --force to replace everything in it"
        ),
    })
}

fn file_error(path: &Path, what: &str, e: &std::io::Error) -> Error {
    Error::File {
        path: path.to_path_buf(),
        reason: format!("{what} it: {}", crate::error::describe(e)),
    }
}

fn put(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).map_err(|e| file_error(path, "cannot write", &e))
}

/// Text formatted straight into a file through a buffer; keeps the I/O error
/// that `fmt::Write` cannot carry.
struct FileText {
    out: BufWriter<fs::File>,
    error: Option<std::io::Error>,
}

impl std::fmt::Write for FileText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.out.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

/// Writes to `path` the page that `render` makes, as it makes it.
fn stream(path: &Path, render: impl FnOnce(&mut FileText) -> std::fmt::Result) -> Result<()> {
    let file = fs::File::create(path).map_err(|e| file_error(path, "cannot write", &e))?;
    let mut out = FileText {
        out: BufWriter::with_capacity(1 << 16, file),
        error: None,
    };
    let rendered = render(&mut out);
    match (out.error.take(), rendered) {
        (Some(e), _) => Err(file_error(path, "cannot write", &e)),
        (None, Err(_)) => Err(Error::File {
            path: path.to_path_buf(),
            reason: "cannot format the page".into(),
        }),
        (None, Ok(())) => out
            .out
            .flush()
            .map_err(|e| file_error(path, "cannot write", &e)),
    }
}

fn mkdir(path: &Path) -> Result<()> {
    fs::create_dir_all(path).map_err(|e| file_error(path, "cannot create", &e))
}

/// A file name for each of `names` (kinds or tags): lowercase letters, digits
/// and `-`; names that would share a file get `-2`, `-3`…
pub fn stems<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    for name in names {
        let mut stem = String::new();
        for c in name.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                stem.push(c);
            } else if !stem.ends_with('-') {
                stem.push('-');
            }
        }
        let mut stem = stem.trim_matches('-').to_owned();
        if stem.is_empty() {
            stem = "other".into();
        }
        let mut unique = stem.clone();
        let mut n = 2;
        while taken.contains(&unique) {
            unique = format!("{stem}-{n}");
            n += 1;
        }
        taken.push(unique.clone());
        out.push((name.to_owned(), unique));
    }
    out
}

fn write_into(kb: &Index, dir: &Path, title: &str) -> Result<Written> {
    // Entries in a stable order: by title, then id.
    let mut order: Vec<usize> = (0..kb.len()).collect();
    order.sort_by_cached_key(|&i| (kb.title(i).to_lowercase(), kb.id(i)));
    let briefs: Vec<BriefView> = order.iter().map(|&i| BriefView::of(kb, i)).collect();
    let mut by_kind: BTreeMap<&str, Vec<&BriefView>> = BTreeMap::new();
    let mut by_tag: BTreeMap<&str, Vec<&BriefView>> = BTreeMap::new();
    for b in &briefs {
        by_kind.entry(b.entry.kind.as_str()).or_default().push(b);
        for t in &b.tags {
            by_tag.entry(t.as_str()).or_default().push(b);
        }
    }
    let mut kinds: Vec<&str> = by_kind.keys().copied().collect();
    kinds.sort_by_key(|k| {
        (
            KIND_ORDER.iter().position(|o| o == k).unwrap_or(usize::MAX),
            k.to_string(),
        )
    });
    let kind_stems = stems(kinds.iter().copied());
    let tag_stems = stems(by_tag.keys().copied());
    let site = Site {
        title,
        kinds: &kind_stems,
        tags: &tag_stems,
    };
    for sub in ["entry", "kind", "tag"] {
        mkdir(&dir.join(sub))?;
    }
    write_entries(kb, &site, &order, dir)?;

    let groups: Vec<(String, String, Vec<&BriefView>)> = kinds
        .iter()
        .map(|k| (k.to_string(), plural(k), by_kind[k].clone()))
        .collect();
    // The other pages, each built and written by whichever thread is free.
    let mut pages: Vec<Page> = vec![
        Page::Home,
        Page::Glossary,
        Page::Search,
        Page::File("style.css", html::STYLE),
        Page::File("search.js", html::SEARCH_JS),
    ];
    pages.extend((0..groups.len()).map(Page::Kind));
    pages.extend((0..tag_stems.len()).map(Page::Tag));
    // Listings are written to their files as they are made: the home page and
    // the glossary list every entry (about 20 MB each at 100,000 entries).
    in_order(
        pages.len(),
        |k| match pages[k] {
            Page::Home => stream(&dir.join("index.html"), |out| {
                html::home(out, &site, &groups)
            }),
            Page::Glossary => stream(&dir.join("glossary.html"), |out| {
                html::listing(
                    out,
                    &site,
                    false,
                    "Glossary",
                    "Every entry, by title, with its one-line summary.",
                    &briefs,
                )
            }),
            Page::Search => put(&dir.join("search.html"), html::search(&site).as_bytes()),
            Page::File(name, text) => put(&dir.join(name), text.as_bytes()),
            Page::Kind(g) => {
                let (kind, heading, list) = &groups[g];
                let intro = format!("Every entry of kind “{kind}”.");
                let stem = &kind_stems[g].1;
                stream(&dir.join("kind").join(format!("{stem}.html")), |out| {
                    html::listing(out, &site, true, heading, &intro, list)
                })
            }
            Page::Tag(t) => {
                let (tag, stem) = &tag_stems[t];
                stream(&dir.join("tag").join(format!("{stem}.html")), |out| {
                    html::listing(
                        out,
                        &site,
                        true,
                        &format!("Tag: {tag}"),
                        &format!("Entries tagged “{tag}”."),
                        &by_tag[tag.as_str()],
                    )
                })
            }
        },
        |()| Ok(()),
    )?;
    Ok(Written {
        entries: order.len(),
        pages: order.len() + 4 + kind_stems.len() + tag_stems.len(),
    })
}

/// A page other than an entry's.
enum Page {
    Home,
    Glossary,
    Search,
    /// A fixed file: its name and text.
    File(&'static str, &'static str),
    /// The page of the kind with this index in the home page's groups.
    Kind(usize),
    /// The page of the tag with this index in the tags' file stems.
    Tag(usize),
}

/// Entries per batch that a thread takes at a time: enough that handing out
/// work costs nothing, few enough that the search index waiting to be written
/// in order stays small.
const BATCH: usize = 64;

/// Writes a page per entry, and `search-index.js` with an item per entry in the
/// same order, on every core.
fn write_entries(kb: &Index, site: &Site, order: &[usize], dir: &Path) -> Result<()> {
    let entry_dir = dir.join("entry");
    let index_path = dir.join("search-index.js");
    let io = |e: std::io::Error| file_error(&index_path, "cannot write", &e);
    let file = fs::File::create(&index_path).map_err(io)?;
    let mut search_index = BufWriter::with_capacity(1 << 16, file);
    search_index
        .write_all(b"// The entries of this site, for search.js.\nwindow.OTPIC_INDEX = [\n")
        .map_err(io)?;
    in_order(
        order.len().div_ceil(BATCH),
        |batch| {
            let first = batch * BATCH;
            let mut items = Vec::with_capacity(BATCH * 1024);
            for (n, &i) in order.iter().enumerate().skip(first).take(BATCH) {
                let entry = kb.entry(i)?;
                let view = EntryView::new(kb, &entry, i);
                let page = html::entry(site, &view);
                put(
                    &entry_dir.join(format!("{}.html", view.id)),
                    page.as_bytes(),
                )?;
                let item = SearchItem {
                    i: &view.id,
                    t: &view.title,
                    k: &view.kind,
                    s: view.summary.as_deref(),
                    a: &view.aliases,
                    g: &view.tags,
                    x: distinct_words(&view.definition),
                };
                if n > 0 {
                    items.extend_from_slice(b",\n");
                }
                serde_json::to_writer(&mut items, &item).map_err(|e| io(e.into()))?;
            }
            Ok(items)
        },
        |items| search_index.write_all(&items).map_err(io),
    )?;
    search_index.write_all(b"\n];\n").map_err(io)?;
    search_index.flush().map_err(io)
}

/// Runs `work(0)`, `work(1)`, … `work(count - 1)` on as many threads as there
/// are cores, and hands each result to `then`, in order, on this thread. The
/// first failure stops the handing out of more work; the error returned is that
/// of the lowest `k` that failed, so the same knowledge base fails alike.
fn in_order<R: Send>(
    count: usize,
    work: impl Fn(usize) -> Result<R> + Sync,
    mut then: impl FnMut(R) -> Result<()>,
) -> Result<()> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(count)
        .max(1);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (send, receive) = mpsc::sync_channel::<(usize, Result<R>)>(threads * 2);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let send = send.clone();
            let (work, next, stop) = (&work, &next, &stop);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= count {
                        break;
                    }
                    let result = work(k);
                    if result.is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                    if send.send((k, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        let mut waiting: BTreeMap<usize, R> = BTreeMap::new();
        let mut due = 0;
        let mut failed: Option<(usize, Error)> = None;
        for (k, result) in receive {
            match result {
                Ok(r) => {
                    waiting.insert(k, r);
                }
                Err(e) => {
                    if failed.as_ref().is_none_or(|(f, _)| k < *f) {
                        failed = Some((k, e));
                    }
                }
            }
            while let Some(r) = waiting.remove(&due) {
                due += 1;
                if failed.is_none()
                    && let Err(e) = then(r)
                {
                    stop.store(true, Ordering::Relaxed);
                    failed = Some((due - 1, e));
                }
            }
        }
        match failed {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    })
}

/// The distinct words of `text`, lowercased, in order of first use, at most 300.
fn distinct_words(text: &str) -> String {
    // A fast hash set of the words seen; it stops at the 300th distinct word
    // (sorting every word of the definition to drop repeats cost more).
    const MAX: usize = 300;
    let mut seen: rustc_hash::FxHashSet<Cow<str>> = rustc_hash::FxHashSet::default();
    let mut out = String::with_capacity(text.len() / 2);
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 2)
    {
        let w = if w.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
            Cow::Owned(w.to_lowercase())
        } else {
            Cow::Borrowed(w)
        };
        if seen.contains(w.as_ref()) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w);
        seen.insert(w);
        if seen.len() == MAX {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_get_distinct_safe_file_stems() {
        let got = stems(["Cold War", "cold-war", "../etc", "", "ÅÄ"]);
        let stems: Vec<&str> = got.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(stems, ["cold-war", "cold-war-2", "etc", "other", "other-2"]);
    }

    #[test]
    fn distinct_words_keep_first_use_order() {
        assert_eq!(
            distinct_words("The cat, the CAT and a dog."),
            "the cat and dog"
        );
    }

    #[test]
    fn distinct_words_stop_at_the_300th() {
        let text: Vec<String> = (0..400).map(|n| format!("w{n:03} W{n:03}")).collect();
        let got = distinct_words(&text.join(" "));
        let words: Vec<&str> = got.split(' ').collect();
        assert_eq!(words.len(), 300);
        assert_eq!((words[0], words[299]), ("w000", "w299"));
    }
}
