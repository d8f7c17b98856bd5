//! `otpic site`: a static website that is complete, safe, deterministic, and
//! works in a real browser from file://.

mod common;
use common::{fixture, kb, otpic, run};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Every file under `dir`, relative path → bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for item in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = item.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
                out.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
            }
        }
    }
    out
}

fn site_of(name: &str, out: &Path) {
    let (code, stdout, stderr) = run(kb(name).arg("site").arg(out));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "", "the report goes to stderr");
    assert!(stderr.contains("pages for"), "{stderr}");
}

fn text(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    let bytes = files
        .get(name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", files.keys().collect::<Vec<_>>()));
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_site_has_a_page_per_entry_kind_and_tag_a_glossary_and_search() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("public");
    site_of("basic", &out);
    let site = files(&out);
    for name in [
        "index.html",
        "glossary.html",
        "search.html",
        "search.js",
        "search-index.js",
        "style.css",
        ".otpic-site",
        "entry/alpha.html",
        "entry/beta.html",
        "entry/gamma.html",
        "kind/approach.html",
        "kind/problem.html",
        "tag/greek.html",
    ] {
        assert!(site.contains_key(name), "{name} missing: {:?}", site.keys());
    }
    let alpha = text(&site, "entry/alpha.html");
    // Every section show has: links by relation, unresolved ones marked, backlinks.
    for part in [
        "<h1>Alpha Approach</h1>",
        "<h2>Related approaches</h2>",
        "<a href=\"gamma.html\">Gamma Concept</a>",
        "<h2>Related problems</h2>",
        "Missing Problem <em>(no entry by that name)</em>",
        "<a href=\"../tag/greek.html\">greek</a>",
        "<a class=\"kind\" href=\"../kind/approach.html\">approach</a>",
        "<svg class=\"neighbourhood\"",
        "<strong>approach</strong>",
    ] {
        assert!(alpha.contains(part), "{part} not in:\n{alpha}");
    }
    let home = text(&site, "index.html");
    let problems = home.find("<h2>Problems</h2>");
    let approaches = home.find("<h2>Approaches</h2>");
    assert!(
        problems.is_some() && approaches.is_some() && problems < approaches,
        "problems first, as on OTPIC's menus:\n{home}"
    );
}

#[test]
fn every_internal_link_resolves_and_nothing_loads_from_elsewhere() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("site");
    let (code, _, stderr) = run(otpic().arg("site").arg(&out));
    assert_eq!(code, 0, "{stderr}");
    let site = files(&out);
    let mut checked = 0;
    for (name, bytes) in &site {
        if !name.ends_with(".html") {
            continue;
        }
        let page = out.join(name);
        let dir = page.parent().unwrap_or(&out).to_path_buf();
        for (tag, attr, value) in attributes(bytes) {
            if attr != "href" && attr != "src" && attr != "action" {
                continue;
            }
            if value.starts_with("http://") || value.starts_with("https://") {
                assert!(
                    tag == "a",
                    "{name}: <{tag} {attr}=\"{value}\"> loads from elsewhere"
                );
                continue;
            }
            assert!(
                !value.contains(':') && !value.starts_with('/'),
                "{name}: {attr}=\"{value}\" is not a relative link"
            );
            let path = value.split(['?', '#']).next().unwrap_or("");
            let target = normalize(&dir.join(path));
            assert!(target.is_file(), "{name}: {attr}=\"{value}\" leads nowhere");
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}

/// `a/b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// (tag, attribute, value) of every start tag in `html`.
fn attributes(html: &[u8]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for token in html5gum::Tokenizer::new(html).flatten() {
        if let html5gum::Token::StartTag(tag) = token {
            let name = String::from_utf8_lossy(&tag.name).into_owned();
            for (k, v) in &tag.attributes {
                out.push((
                    name.clone(),
                    String::from_utf8_lossy(k).into_owned(),
                    String::from_utf8_lossy(v).into_owned(),
                ));
            }
        }
    }
    out
}

/// Tokenizer errors, and start and end tags that do not pair up (void elements
/// and self-closed SVG elements aside).
fn html_errors(html: &[u8]) -> Vec<String> {
    const VOID: &[&str] = &["meta", "link", "input", "br", "img", "hr", "wbr"];
    let mut errors = Vec::new();
    let mut open: Vec<String> = Vec::new();
    for token in html5gum::Tokenizer::new(html) {
        let Ok(token) = token;
        match token {
            html5gum::Token::Error(e) => errors.push(format!("{e:?}")),
            html5gum::Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                if !tag.self_closing && !VOID.contains(&name.as_str()) {
                    open.push(name);
                }
            }
            html5gum::Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                match open.pop() {
                    Some(o) if o == name => {}
                    other => errors.push(format!("</{name}> closes {other:?}")),
                }
            }
            _ => {}
        }
    }
    if !open.is_empty() {
        errors.push(format!("never closed: {open:?}"));
    }
    errors
}

#[test]
fn every_page_parses_without_errors() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("site");
    let (code, _, stderr) = run(otpic().arg("site").arg(&out));
    assert_eq!(code, 0, "{stderr}");
    for (name, bytes) in files(&out) {
        if name.ends_with(".html") {
            let errors = html_errors(&bytes);
            assert!(errors.is_empty(), "{name}: {errors:?}");
        }
    }
    // The checker itself finds a broken page.
    assert!(!html_errors(b"<p><em>x</p></em><div a=\"b\"c>").is_empty());
}

#[test]
fn hostile_entry_text_renders_as_inert_text() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let evil = tmp.path().join("kb");
    fs::create_dir(&evil).unwrap_or_else(|e| panic!("{e}"));
    fs::copy(fixture("hostile/evil.toml"), evil.join("evil.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    fs::write(
        evil.join("xss.toml"),
        r#"title = "<script>alert('t')</script> \" onmouseover=\"alert(1)"
kind = "<img src=x onerror=alert(1)>"
tags = ["\"><script>alert(2)</script>"]
summary = "<b>bold</b> & more"
related_approaches = ["evil"]
definition = """
Raw <script>alert(3)</script> and <iframe src="https://evil.example"></iframe>.

[click](javascript:alert(4)) [data](data:text/html,<script>alert(5)</script>) [ok](https://example.org/a?b=1&c=2)
"""

[[sources]]
title = "Bad link"
url = "javascript:alert(6)"

[provenance]
from = "somewhere"
url = "javascript:alert(7)"
"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("site");
    let (code, _, stderr) = run(otpic().arg("--entries").arg(&evil).arg("site").arg(&out));
    assert_eq!(code, 0, "{stderr}");
    for (name, bytes) in files(&out) {
        let page = String::from_utf8_lossy(&bytes);
        if name.ends_with(".html") {
            let scripts: Vec<String> = attributes(&bytes)
                .into_iter()
                .filter(|(tag, attr, _)| tag == "script" || attr.starts_with("on"))
                .map(|(tag, attr, value)| format!("<{tag} {attr}={value}>"))
                .collect();
            let allowed = ["<script src=search-index.js>", "<script src=search.js>"];
            assert!(
                scripts.iter().all(|s| allowed.contains(&s.as_str())),
                "{name}: {scripts:?}"
            );
            for (tag, attr, value) in attributes(&bytes) {
                assert!(
                    !value.to_lowercase().contains("javascript:")
                        && !value.to_lowercase().starts_with("data:"),
                    "{name}: <{tag} {attr}=\"{value}\">"
                );
                assert!(
                    !["iframe", "img", "b"].contains(&tag.as_str()),
                    "{name}: a <{tag}> from entry text"
                );
            }
            assert!(html_errors(&bytes).is_empty(), "{name}");
        }
        for seq in ["\u{1b}", "\u{202e}", "\u{9b}", "\u{7}", "\u{200b}"] {
            assert!(!page.contains(seq), "{name} holds {seq:?}");
        }
    }
    let xss = String::from_utf8_lossy(&fs::read(out.join("entry/xss.html")).unwrap_or_default())
        .into_owned();
    assert!(
        xss.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;"),
        "{xss}"
    );
    assert!(
        xss.contains("<a href=\"https://example.org/a?b=1&amp;c=2\">ok</a>"),
        "{xss}"
    );
    assert!(xss.contains("Content-Security-Policy"), "{xss}");
}

#[test]
fn the_same_knowledge_base_gives_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run(otpic().arg("site").arg(&a));
    run(otpic().arg("site").arg(&b));
    let (fa, fb) = (files(&a), files(&b));
    assert!(fa.len() > 40);
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(fb.get(name) == Some(bytes), "{name} differs");
    }
}

#[test]
fn a_folder_otpic_did_not_write_is_refused_unless_forced() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("mine");
    fs::create_dir(&out).unwrap_or_else(|e| panic!("{e}"));
    fs::write(out.join("notes.txt"), "my notes").unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = run(kb("basic").arg("site").arg(&out));
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("mine") && stderr.contains("--force") && stderr.starts_with("otpic: "),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(out.join("notes.txt")).unwrap_or_default(),
        "my notes"
    );
    assert_eq!(fs::read_dir(&out).map(|r| r.count()).unwrap_or(0), 1);
    // Nothing left behind beside it either.
    let beside: Vec<_> = fs::read_dir(tmp.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|i| i.file_name())
        .collect();
    assert_eq!(beside.len(), 1, "{beside:?}");

    // A file in OUT_DIR's place.
    let file = tmp.path().join("file");
    fs::write(&file, "x").unwrap_or_else(|e| panic!("{e}"));
    let (code, _, stderr) = run(kb("basic").arg("site").arg(&file));
    assert_eq!(
        (code, fs::read_to_string(&file).unwrap_or_default().as_str()),
        (2, "x"),
        "{stderr}"
    );

    // --force replaces it as a whole.
    let (code, _, stderr) = run(kb("basic").arg("site").arg("--force").arg(&out));
    assert_eq!(code, 0, "{stderr}");
    assert!(!out.join("notes.txt").exists());
    assert!(out.join("entry/alpha.html").is_file());
}

#[test]
fn a_site_otpic_wrote_is_replaced_and_removed_entries_disappear() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let kbdir = tmp.path().join("kb");
    fs::create_dir(&kbdir).unwrap_or_else(|e| panic!("{e}"));
    for name in ["alpha", "beta", "gamma"] {
        fs::copy(
            fixture("basic").join(format!("{name}.toml")),
            kbdir.join(format!("{name}.toml")),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = tmp.path().join("site");
    let site = |dir: &Path| run(otpic().arg("--entries").arg(dir).arg("site").arg(&out));
    assert_eq!(site(&kbdir).0, 0);
    assert!(out.join("entry/gamma.html").is_file());
    fs::remove_file(kbdir.join("gamma.toml")).unwrap_or_else(|e| panic!("{e}"));
    let (code, _, stderr) = site(&kbdir);
    assert_eq!(code, 0, "{stderr}");
    assert!(!out.join("entry/gamma.html").exists(), "stale page kept");
    assert!(out.join("entry/alpha.html").is_file());
    // Only the site is left: no staging or old folders beside it.
    let beside: Vec<String> = fs::read_dir(tmp.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|i| i.file_name().to_string_lossy().into_owned())
        .collect();
    let mut beside = beside;
    beside.sort();
    assert_eq!(beside, ["kb", "site"]);
}

/// `otpic ARGS` run by `sh` with core dumps off and a file size limit of
/// `blocks` × 512 bytes; with `killed`, the first write past it kills otpic
/// (SIGXFSZ, as an interruption would), else it fails with EFBIG.
fn site_with_size_limit(
    blocks: u32,
    killed: bool,
    args: &[&std::ffi::OsStr],
) -> std::process::Output {
    let trap = if killed { "" } else { "trap '' XFSZ; " };
    common::hermetic("sh")
        .arg("-c")
        .arg(format!(
            "{trap}ulimit -c 0; ulimit -f {blocks}; exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_otpic"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run sh: {e}"))
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|i| i.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_run_that_fails_midway_leaves_the_old_site_as_it_was_and_nothing_beside_it() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("site");
    // The first run also builds the index, so the limited run writes only pages.
    let (code, _, stderr) = run(otpic().args(["site", "--title", "Old"]).arg(&out));
    assert_eq!(code, 0, "{stderr}");
    let before = files(&out);
    let out_arg = out.as_os_str();
    let got = site_with_size_limit(
        16,
        false,
        &["site".as_ref(), "--title".as_ref(), "New".as_ref(), out_arg],
    );
    let stderr = String::from_utf8_lossy(&got.stderr);
    assert_eq!(got.status.code(), Some(2), "{stderr}");
    // The error names the page where it would have been, not a hidden folder.
    let prefix = format!("otpic: {}/", out.display());
    assert!(
        stderr.starts_with(&prefix)
            && stderr.contains("file too large")
            && !stderr.contains(".otpic-site-"),
        "{stderr}"
    );
    assert!(files(&out) == before, "the old site changed");
    assert_eq!(
        names(tmp.path()),
        ["site"],
        "something was left beside the site"
    );
}

#[test]
fn an_interrupted_run_leaves_the_old_site_as_it_was_and_nothing_that_looks_complete() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("site");
    let (code, _, stderr) = run(otpic().args(["site", "--title", "Old"]).arg(&out));
    assert_eq!(code, 0, "{stderr}");
    let before = files(&out);
    let got = site_with_size_limit(
        16,
        true,
        &[
            "site".as_ref(),
            "--title".as_ref(),
            "New".as_ref(),
            out.as_os_str(),
        ],
    );
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            got.status.signal(),
            Some(25),
            "otpic was not killed midway (SIGXFSZ): {:?} {}",
            got.status,
            String::from_utf8_lossy(&got.stderr)
        );
    }
    assert!(files(&out) == before, "the old site changed");
    // What the killed run left is hidden, and not marked as a site.
    for name in names(tmp.path()) {
        if name == "site" {
            continue;
        }
        assert!(name.starts_with(".otpic-site-"), "{name}");
        let left = tmp.path().join(&name);
        assert!(!left.join(".otpic-site").exists(), "{name} looks complete");
        assert!(!left.join("index.html").exists(), "{name} has a home page");
    }
    // The next run replaces the old site.
    let (code, _, stderr) = run(otpic().args(["site", "--title", "New"]).arg(&out));
    assert_eq!(code, 0, "{stderr}");
    assert!(text(&files(&out), "index.html").contains("<h1>New</h1>"));
}

#[test]
fn a_folder_holding_the_knowledge_base_is_refused_even_when_forced() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let kbdir = tmp.path().join("kb");
    fs::create_dir(&kbdir).unwrap_or_else(|e| panic!("{e}"));
    fs::copy(fixture("basic/alpha.toml"), kbdir.join("alpha.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    for target in [tmp.path(), kbdir.as_path()] {
        let (code, stdout, stderr) = run(otpic()
            .arg("--entries")
            .arg(&kbdir)
            .args(["site", "--force"])
            .arg(target));
        assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
        assert!(
            stderr.starts_with(&format!(
                "otpic: {}: holds the knowledge base",
                target.display()
            )),
            "{stderr}"
        );
        assert_eq!(names(&kbdir), ["alpha.toml"]);
        assert_eq!(names(tmp.path()), ["kb"]);
    }
    // The current folder too.
    let (code, _, stderr) = run(otpic().current_dir(&kbdir).args(["site", "--force", "."]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("holds the current folder"), "{stderr}");
    assert_eq!(names(&kbdir), ["alpha.toml"]);
}

#[test]
fn pages_written_on_one_core_and_on_all_are_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (one, all) = (tmp.path().join("one"), tmp.path().join("all"));
    // taskset (util-linux) limits otpic to one CPU, so it writes on one thread.
    let got = common::hermetic("taskset")
        .args(["--cpu-list", "0"])
        .arg(env!("CARGO_BIN_EXE_otpic"))
        .arg("site")
        .arg(&one)
        .output()
        .unwrap_or_else(|e| panic!("this test needs taskset (util-linux): {e}"));
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    let (code, _, stderr) = run(otpic().arg("site").arg(&all));
    assert_eq!(code, 0, "{stderr}");
    let (a, b) = (files(&one), files(&all));
    assert!(a.len() > 40);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(b.get(name) == Some(bytes), "{name} differs");
    }
}

#[test]
fn the_entry_page_is_pinned() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("site");
    site_of("basic", &out);
    let alpha = fs::read_to_string(out.join("entry/alpha.html")).unwrap_or_default();
    insta::assert_snapshot!("site_entry_alpha", alpha);
    let home = fs::read_to_string(out.join("index.html")).unwrap_or_default();
    insta::assert_snapshot!("site_home", home);
}

/// Runs headless Chromium on `url` and returns the DOM after scripts ran.
fn chromium_dom(url: &str) -> String {
    let Some(browser) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        panic!(
            "headless Chromium is needed for this test and was not found: \
             install it (apt-get install chromium; .ci/run does this)"
        );
    };
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {browser}: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn in_a_real_browser_pages_render_and_search_finds_the_right_entries() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("site");
    let (code, _, stderr) = run(otpic().arg("site").arg(&out));
    assert_eq!(code, 0, "{stderr}");
    let root = format!("file://{}", out.display());

    let dom = chromium_dom(&format!("{root}/entry/collective-security.html"));
    assert!(dom.contains("<h1>Collective Security</h1>"), "{dom}");
    assert!(dom.contains("class=\"neighbourhood\""), "{dom}");

    let dom = chromium_dom(&format!("{root}/search.html?q=collective"));
    let results = dom
        .split("<ol id=\"results\" class=\"entries\">")
        .nth(1)
        .and_then(|r| r.split("</ol>").next())
        .unwrap_or_else(|| panic!("no results list in:\n{dom}"));
    let hits: Vec<&str> = results
        .split("<a href=\"entry/")
        .skip(1)
        .filter_map(|h| h.split(".html").next())
        .collect();
    assert!(hits.len() >= 3, "{results}");
    // Entries titled with the word come first.
    assert!(hits[..2].contains(&"collective-security"), "{hits:?}");
    assert!(hits[..2].contains(&"collective-defense"), "{hits:?}");
    assert!(dom.contains("entries match “collective”"), "{dom}");
    // The query is put back in the box, and words must all match.
    assert!(dom.contains("id=\"q\""), "{dom}");
    let dom = chromium_dom(&format!("{root}/search.html?q=zzzzqx"));
    assert!(dom.contains("Nothing matches “zzzzqx”."), "{dom}");
    assert!(!dom.contains("<a href=\"entry/"), "{dom}");
}

/// What tests/browser/layout.mjs measured on `pages` of the site in `site`:
/// page → mode (phone, wide, phone-dark, wide-dark, print) → measurements. It
/// drives the system's Chromium through puppeteer-core, installed once from the
/// lock file into the build's scratch folder (never into the source tree).
fn browser_layout(site: &Path, pages: &[&str]) -> serde_json::Value {
    let chromium = Path::new("/usr/bin/chromium");
    assert!(
        chromium.is_file(),
        "the layout tests need Chromium at {}: install it (apt-get install chromium; .ci/run does this)",
        chromium.display()
    );
    let dir = common::npm_project("browser", &["layout.mjs"], "puppeteer-core");
    let out = std::process::Command::new("node")
        .arg(dir.join("layout.mjs"))
        .arg(site)
        .args(pages)
        .env("CHROMIUM", chromium)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node ({e}): install nodejs (.ci/run does)"));
    assert!(
        out.status.success(),
        "layout.mjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "layout.mjs printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// The pages the layout tests look at: the home page, an entry with a long
/// title, long words, long addresses, a code block and a full neighbourhood map,
/// the glossary, search with hits, and a tag's page.
const LAYOUT_PAGES: &[&str] = &[
    "index.html",
    "entry/long.html",
    "glossary.html",
    "search.html?q=long",
    "tag/layout.html",
];

/// The measurements of [`LAYOUT_PAGES`] of the `site-layout` fixture's site, made
/// once for all the layout tests.
fn layout() -> &'static serde_json::Value {
    static REPORT: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    REPORT.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = tmp.path().join("site");
        site_of("site-layout", &out);
        browser_layout(&out, LAYOUT_PAGES)
    })
}

/// Each (page, measurements) in `mode`.
fn in_mode(mode: &str) -> Vec<(&'static str, &'static serde_json::Value)> {
    LAYOUT_PAGES
        .iter()
        .map(|page| {
            let m = &layout()[*page][mode];
            assert!(m.is_object(), "no {mode} measurements of {page}");
            assert_eq!(m["errors"], serde_json::json!([]), "{page} ({mode})");
            (*page, m)
        })
        .collect()
}

fn num(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn list(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}"))
}

/// Links and the neighbourhood map read well against the background: links and
/// labels at 4.5:1 (WCAG AA for text), the map's dots at 3:1 (for graphics).
fn assert_contrasts(page: &str, mode: &str, m: &serde_json::Value) {
    for link in list(&m["links"]) {
        assert!(
            num(&link["contrast"]) >= 4.5,
            "{page} ({mode}): link {link}"
        );
    }
    if m["map"].is_object() {
        for label in list(&m["map"]["labels"]) {
            assert!(
                num(&label["contrast"]) >= 4.5,
                "{page} ({mode}): map label {label}"
            );
        }
        for dot in list(&m["map"]["dots"]) {
            assert!(
                num(&dot["contrast"]) >= 3.0,
                "{page} ({mode}): map dot {dot}"
            );
        }
    }
}

#[test]
fn on_a_phone_no_page_is_wider_than_the_screen_and_text_is_readable() {
    for mode in ["phone", "phone-dark"] {
        for (page, m) in in_mode(mode) {
            // innerWidth grows past the device's 375 px when something overflows.
            assert_eq!(
                num(&m["innerWidth"]),
                375.0,
                "{page} ({mode}): {}",
                m["wider"]
            );
            assert!(
                num(&m["scrollWidth"]) <= num(&m["viewportWidth"]),
                "{page} ({mode}) scrolls sideways; too wide: {}",
                m["wider"]
            );
            let text = list(&m["text"]);
            assert!(!text.is_empty(), "{page}: no text measured");
            for t in text {
                assert!(num(&t["fontSize"]) >= 14.0, "{page} ({mode}): {t}");
                assert!(num(&t["lineHeight"]) >= 1.4, "{page} ({mode}): {t}");
                // Running text (paragraphs and list items without a class of
                // their own): at least 16 px.
                if t["what"] == "p" || t["what"] == "li" {
                    assert!(num(&t["fontSize"]) >= 16.0, "{page} ({mode}): {t}");
                }
            }
            if m["map"].is_object() {
                for label in list(&m["map"]["labels"]) {
                    assert!(
                        num(&label["px"]) >= 11.0,
                        "{page} ({mode}): map label {label}"
                    );
                }
            }
        }
    }
    assert!(layout()["entry/long.html"]["phone"]["map"].is_object());
}

#[test]
fn on_a_wide_screen_lines_stay_short_enough_to_read() {
    for (page, m) in in_mode("wide") {
        assert!(
            num(&m["scrollWidth"]) <= num(&m["viewportWidth"]),
            "{page}: too wide: {}",
            m["wider"]
        );
        let text = list(&m["text"]);
        let widest = text.iter().map(|t| num(&t["ch"])).fold(0.0, f64::max);
        // 45 to 75 characters a line, the usual advice for running text.
        assert!(
            (45.0..=75.0).contains(&widest),
            "{page}: lines of {widest} ch: {text:?}"
        );
        for t in text {
            assert!(num(&t["width"]) <= 720.0, "{page}: {t}");
        }
        if m["map"].is_object() {
            for label in list(&m["map"]["labels"]) {
                assert!(num(&label["px"]) >= 11.0, "{page}: map label {label}");
            }
        }
    }
}

#[test]
fn in_dark_mode_the_background_is_dark_the_text_light_and_links_and_the_map_contrast() {
    for mode in ["phone-dark", "wide-dark"] {
        for (page, m) in in_mode(mode) {
            assert!(
                num(&m["bodyLuminance"]) < 0.05,
                "{page} ({mode}): {}",
                m["body"]
            );
            assert!(
                num(&m["textLuminance"]) > 0.5,
                "{page} ({mode}): {}",
                m["body"]
            );
            assert!(
                num(&m["body"]["contrast"]) >= 7.0,
                "{page} ({mode}): {}",
                m["body"]
            );
            assert_contrasts(page, mode, m);
        }
    }
    assert!(layout()["entry/long.html"]["wide-dark"]["map"].is_object());
    // And the light pages, for comparison.
    for mode in ["phone", "wide"] {
        for (page, m) in in_mode(mode) {
            assert!(
                num(&m["bodyLuminance"]) > 0.8,
                "{page} ({mode}): {}",
                m["body"]
            );
            assert_contrasts(page, mode, m);
        }
    }
}

#[test]
fn printed_pages_are_light_without_navigation_and_show_where_links_lead() {
    // Printed with a dark preference on screen, which paper must not inherit.
    let mut external = 0;
    for (page, m) in in_mode("print") {
        assert_eq!(
            m["hidden"],
            serde_json::json!({"nav": true, "searchBox": true, "footer": true}),
            "{page}"
        );
        assert!(num(&m["bodyLuminance"]) > 0.9, "{page}: {}", m["body"]);
        assert!(num(&m["body"]["contrast"]) >= 7.0, "{page}: {}", m["body"]);
        assert_contrasts(page, "print", m);
        assert!(
            num(&m["scrollWidth"]) <= num(&m["viewportWidth"]),
            "{page}: wider than the paper: {}",
            m["wider"]
        );
        for link in list(&m["externalLinks"]) {
            let href = link["href"].as_str().unwrap_or_default();
            let after = link["after"].as_str().unwrap_or_default();
            assert!(after.contains(href), "{page}: {link}");
            external += 1;
        }
    }
    assert!(external >= 3, "no external links were checked");
}
