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
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

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

/// Writes the site of `kb` to `out_dir`, titled `title`.
pub fn write(kb: &Index, out_dir: &Path, title: &str, force: bool) -> Result<Written> {
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
    let written = write_into(kb, staging.path(), title)?;
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
            return Err(file_error(out_dir, "cannot move the new site to", &e));
        }
        fs::remove_dir_all(&old).map_err(|e| file_error(&old, "cannot remove", &e))?;
    } else {
        fs::rename(&staged, out_dir).map_err(|e| file_error(out_dir, "cannot create", &e))?;
    }
    Ok(written)
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
        reason: format!("{what} it: {e}"),
    }
}

fn put(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).map_err(|e| file_error(path, "cannot write", &e))
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
    order.sort_by(|&a, &b| {
        kb.title(a)
            .to_lowercase()
            .cmp(&kb.title(b).to_lowercase())
            .then_with(|| kb.id(a).cmp(kb.id(b)))
    });
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
    let mut pages = 0;

    let index_path = dir.join("search-index.js");
    let file =
        fs::File::create(&index_path).map_err(|e| file_error(&index_path, "cannot write", &e))?;
    let mut search_index = BufWriter::new(file);
    let io = |e: std::io::Error| file_error(&index_path, "cannot write", &e);
    search_index
        .write_all(b"// The entries of this site, for search.js.\nwindow.OTPIC_INDEX = [\n")
        .map_err(io)?;
    for (n, &i) in order.iter().enumerate() {
        let entry = kb.entry(i)?;
        let view = EntryView::new(kb, &entry, i);
        let page = html::entry(&site, &view);
        put(
            &dir.join("entry").join(format!("{}.html", view.id)),
            page.as_bytes(),
        )?;
        pages += 1;
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
            search_index.write_all(b",\n").map_err(io)?;
        }
        serde_json::to_writer(&mut search_index, &item).map_err(|e| io(e.into()))?;
    }
    search_index.write_all(b"\n];\n").map_err(io)?;
    search_index.flush().map_err(io)?;

    let groups: Vec<(String, String, Vec<BriefView>)> = kinds
        .iter()
        .map(|k| {
            let list = by_kind[k].iter().map(|b| (*b).clone()).collect();
            (k.to_string(), plural(k), list)
        })
        .collect();
    put(
        &dir.join("index.html"),
        html::home(&site, &groups).as_bytes(),
    )?;
    for ((kind, heading, list), (_, stem)) in groups.iter().zip(&kind_stems) {
        let intro = format!("Every entry of kind “{kind}”.");
        let page = html::listing(&site, true, heading, &intro, list);
        put(
            &dir.join("kind").join(format!("{stem}.html")),
            page.as_bytes(),
        )?;
    }
    for (tag, stem) in &tag_stems {
        let list: Vec<BriefView> = by_tag[tag.as_str()].iter().map(|b| (*b).clone()).collect();
        let page = html::listing(
            &site,
            true,
            &format!("Tag: {tag}"),
            &format!("Entries tagged “{tag}”."),
            &list,
        );
        put(
            &dir.join("tag").join(format!("{stem}.html")),
            page.as_bytes(),
        )?;
    }
    let glossary = html::listing(
        &site,
        false,
        "Glossary",
        "Every entry, by title, with its one-line summary.",
        &briefs,
    );
    put(&dir.join("glossary.html"), glossary.as_bytes())?;
    put(&dir.join("search.html"), html::search(&site).as_bytes())?;
    put(&dir.join("style.css"), html::STYLE.as_bytes())?;
    put(&dir.join("search.js"), html::SEARCH_JS.as_bytes())?;
    pages += 4 + kind_stems.len() + tag_stems.len();
    Ok(Written {
        entries: order.len(),
        pages,
    })
}

/// The distinct words of `text`, lowercased, in order of first use, at most 300.
fn distinct_words(text: &str) -> String {
    let mut seen: Vec<String> = Vec::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 2)
    {
        let w = word.to_lowercase();
        if !seen.contains(&w) {
            seen.push(w);
            if seen.len() == 300 {
                break;
            }
        }
    }
    seen.join(" ")
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
}
