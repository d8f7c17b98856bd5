//! The module graph has no import cycles: the layers read top-down.
//!
//! Every file under `src/` is a module (`src/a/b.rs` is `a::b`, `src/a/mod.rs` is `a`).
//! A module depends on the modules its `crate::…`, `super::…` and `self::…` paths
//! name (the longest module prefix of each path, `use` groups expanded), and a module
//! depends on its submodules, which it declares. A submodule's use of its own parent
//! or ancestor does not count: the two are one unit (a dispatcher and its commands, a
//! type and its helpers). Any other cycle fails the test, named module by module.
//! Comments and string literals are skipped, so that a doc link is not an import.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Edges that close a cycle today in code that other work is rewriting, each with its
/// reason. The test fails when one of them no longer closes a cycle, so that the list
/// only shrinks: then delete the line.
const TOLERATED: &[(&str, &str, &str)] = &[];

#[test]
fn the_module_graph_has_no_cycles() {
    let graph = Graph::of_crate();
    let mut tolerated = graph.clone();
    for (from, to, _) in TOLERATED {
        if let Some(targets) = tolerated.edges.get_mut(*from) {
            targets.remove(*to);
        }
    }
    let cycles = tolerated.cycles();
    assert!(
        cycles.is_empty(),
        "import cycles (a module that reaches itself through these imports):\n{}",
        cycles.join("\n")
    );
    for (from, to, why) in TOLERATED {
        let exists = graph.edges.get(*from).is_some_and(|t| t.contains(*to));
        let mut with_it = tolerated.clone();
        with_it.add(from, to);
        assert!(
            exists && !with_it.cycles().is_empty(),
            "{from} -> {to} ({why}) no longer closes a cycle: remove it from TOLERATED"
        );
    }
}

/// The modules that may use clap's crates: the command line itself, and the commands
/// that dispatch on it or print what clap generates (completions, the man page).
const CLAP_ALLOWED: &[&str] = &["cli", "commands"];

#[test]
fn only_the_command_line_and_the_commands_know_clap() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut knowing = Vec::new();
    for path in &files {
        let Some(module) = module_of(&src, path) else {
            continue;
        };
        let top = module.split("::").next().unwrap_or_default();
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let code = strip_comments_and_strings(&text);
        let uses_clap = ["clap::", "clap_complete::", "clap_mangen::"]
            .iter()
            .any(|c| code.contains(c));
        if uses_clap && !CLAP_ALLOWED.contains(&top) {
            knowing.push(module);
        }
    }
    assert!(
        knowing.is_empty(),
        "modules beneath the command line use clap (settings take plain values): {knowing:?}"
    );
}

/// Layers that must not reach up: views and renderers know nothing of the command
/// line or the commands (settings reach them as plain values, `--field` as the view's
/// own `Field`), and views know nothing of their renderers.
const NOT_UPWARD: &[(&str, &[&str])] = &[
    ("view", &["cli", "commands", "render", "settings"]),
    ("render", &["cli", "commands", "settings"]),
];

#[test]
fn views_and_renderers_import_nothing_from_the_layers_above() {
    let upward = Graph::of_crate().upward(NOT_UPWARD);
    assert!(
        upward.is_empty(),
        "imports that point up a layer (pass plain values down instead):\n{}",
        upward.join("\n")
    );
}

#[test]
fn an_upward_import_is_found_and_named() {
    let mut graph = Graph::default();
    for (from, to) in [
        ("render::json", "cli"),
        ("render::text", "view"),
        ("view::list", "render::markdown"),
        ("cli", "render"),
        ("renderer", "cli"),
    ] {
        graph.add(from, to);
    }
    assert_eq!(
        graph.upward(NOT_UPWARD),
        ["render::json -> cli", "view::list -> render::markdown"]
    );
}

#[test]
fn a_cycle_is_found_and_named() {
    let mut graph = Graph::default();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        graph.add(from, to);
    }
    assert_eq!(graph.cycles(), ["a -> b -> c -> a"]);
}

#[test]
fn paths_resolve_to_the_longest_module_and_use_groups_expand() {
    let modules: BTreeSet<String> = ["cli", "cli::complete", "env", "index", "index::build"]
        .map(str::to_owned)
        .into();
    let source = r#"
        //! A doc comment naming crate::cli is no import.
        use crate::{env::{Env, Format}, index::build::{self, Stage}};
        use super::Sibling;
        fn f() { crate::cli::complete::entry_names(); let s = "crate::cli"; }
    "#;
    let found = references(source, "index::build", &modules);
    assert_eq!(
        found,
        ["cli::complete", "env", "index", "index::build"].map(str::to_owned)
    );
}

/// Modules and the modules each depends on.
#[derive(Debug, Clone, Default)]
struct Graph {
    edges: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    fn of_crate() -> Graph {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let modules: BTreeMap<String, PathBuf> = files
            .into_iter()
            .filter_map(|path| Some((module_of(&src, &path)?, path)))
            .collect();
        let names: BTreeSet<String> = modules.keys().cloned().collect();
        assert!(names.contains("commands") && names.len() > 20, "{names:?}");
        let mut graph = Graph::default();
        for (module, path) in &modules {
            let text = std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            graph.edges.entry(module.clone()).or_default();
            if let Some((parent, _)) = module.rsplit_once("::") {
                graph.add(parent, module);
            }
            for target in references(&text, module, &names) {
                let ancestor = module.starts_with(&format!("{target}::"));
                if target != *module && !ancestor {
                    graph.add(module, &target);
                }
            }
        }
        graph
    }

    /// The edges from a module in or under a layer of `rules` to a module in or
    /// under one of the layers it must not import, as `from -> to`.
    fn upward(&self, rules: &[(&str, &[&str])]) -> Vec<String> {
        let within = |module: &str, layer: &str| {
            module == layer || module.starts_with(&format!("{layer}::"))
        };
        let mut out = Vec::new();
        for (from, targets) in &self.edges {
            for (layer, above) in rules {
                if !within(from, layer) {
                    continue;
                }
                for to in targets {
                    if above.iter().any(|a| within(to, a)) {
                        out.push(format!("{from} -> {to}"));
                    }
                }
            }
        }
        out
    }

    fn add(&mut self, from: &str, to: &str) {
        self.edges
            .entry(from.to_owned())
            .or_default()
            .insert(to.to_owned());
        self.edges.entry(to.to_owned()).or_default();
    }

    /// One shortest cycle through each module that is on one, as `a -> b -> a`, each
    /// cycle once.
    fn cycles(&self) -> Vec<String> {
        let mut seen: BTreeSet<BTreeSet<String>> = BTreeSet::new();
        let mut out = Vec::new();
        for start in self.edges.keys() {
            let Some(path) = self.shortest_cycle(start) else {
                continue;
            };
            if seen.insert(path.iter().cloned().collect()) {
                let mut shown = path.clone();
                shown.push(path[0].clone());
                out.push(shown.join(" -> "));
            }
        }
        out
    }

    /// The shortest path from `start` back to itself (breadth-first), without `start`
    /// repeated at the end.
    fn shortest_cycle(&self, start: &str) -> Option<Vec<String>> {
        let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        while let Some(at) = queue.pop_front() {
            for next in self.edges.get(at).into_iter().flatten() {
                if next == start {
                    let mut path = vec![at.to_owned()];
                    let mut step = at;
                    while step != start {
                        step = came_from[step];
                        path.push(step.to_owned());
                    }
                    path.reverse();
                    return Some(path);
                }
                if !came_from.contains_key(next.as_str()) {
                    came_from.insert(next, at);
                    queue.push_back(next);
                }
            }
        }
        None
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let read = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for item in read.flatten() {
        let path = item.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/a/b.rs` → `a::b`, `src/a/mod.rs` → `a`; the crate roots are no module here.
fn module_of(src: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(src).ok()?.with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    match parts.as_slice() {
        [] => None,
        [one] if one == "lib" || one == "main" => None,
        _ => Some(parts.join("::")),
    }
}

/// The modules the code of `module` names, each once, sorted.
fn references(text: &str, module: &str, modules: &BTreeSet<String>) -> Vec<String> {
    let code = strip_comments_and_strings(text);
    let parent: Vec<&str> = module.split("::").collect();
    let mut found = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let boundary = i == 0 || !is_ident(bytes[i - 1]);
        let rest = &code[i..];
        let base: Option<(Vec<&str>, usize)> = if !boundary {
            None
        } else if rest.starts_with("crate::") {
            Some((Vec::new(), "crate::".len()))
        } else if rest.starts_with("self::") {
            Some((parent.clone(), "self::".len()))
        } else if rest.starts_with("super::") {
            let mut base = parent.clone();
            let mut at = 0;
            while code[i + at..].starts_with("super::") {
                base.pop();
                at += "super::".len();
            }
            Some((base, at))
        } else {
            None
        };
        match base {
            Some((base, skip)) => {
                let (paths, len) = use_tree(&code[i + skip..]);
                for path in paths {
                    let full: Vec<&str> =
                        base.iter().copied().chain(path.iter().copied()).collect();
                    if let Some(target) = longest_module(&full, modules) {
                        found.insert(target);
                    }
                }
                i += skip + len.max(1);
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    found.into_iter().collect()
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The paths a use tree (or a plain path) at the start of `text` names, and its length:
/// `a::{b, c::{d, self}}` → `a::b`, `a::c::d`, `a::c`.
fn use_tree(text: &str) -> (Vec<Vec<&str>>, usize) {
    let bytes = text.as_bytes();
    let mut prefix: Vec<&str> = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        while i < bytes.len() && is_ident(bytes[i]) {
            i += 1;
        }
        if i > start {
            let segment = &text[start..i];
            if segment != "self" {
                prefix.push(segment);
            }
            if text[i..].starts_with("::") {
                i += 2;
                continue;
            }
            return (vec![prefix], i);
        }
        if bytes.get(i) == Some(&b'{') {
            i += 1;
            let mut out = Vec::new();
            loop {
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_whitespace() || *b == b',')
                {
                    i += 1;
                }
                match bytes.get(i) {
                    None => return (out, i),
                    Some(b'}') => return (out, i + 1),
                    _ => {}
                }
                let (inner, len) = use_tree(&text[i..]);
                for path in inner {
                    out.push(prefix.iter().copied().chain(path).collect());
                }
                i += len.max(1);
                // `as name`: skip to the next item.
                while bytes.get(i).is_some_and(|b| !matches!(b, b',' | b'}')) {
                    i += 1;
                }
            }
        }
        // `*` or anything else: the prefix itself.
        return (vec![prefix], i);
    }
}

/// The longest prefix of `path` that is a module.
fn longest_module(path: &[&str], modules: &BTreeSet<String>) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|m| modules.contains(m))
}

/// The code with comments, string and character literals blanked out.
fn strip_comments_and_strings(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && starts_literal(&chars, i)
        {
            // A raw string: r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match chars.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|h| chars.get(j + h) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    _ => j += 1,
                }
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1b}'), or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether the `r` at `i` starts a raw string (`r"`, `br"`), not ends a name (`for"`).
fn starts_literal(chars: &[char], i: usize) -> bool {
    let free = |at: usize| at == 0 || !is_ident_char(chars[at - 1]);
    free(i) || chars[i - 1] == 'b' && free(i - 1)
}
