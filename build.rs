//! Embeds the shipped knowledge base (`entries/`) into the binary with its
//! index, and fingerprints the code the index's contents depend on (see
//! `index_layout`).
//!
//! Writes `$OUT_DIR/embedded.rs`, a sorted list of `(relative path, contents)`
//! pairs built with `include_str!` (and `RELATIONS`, the knowledge base's
//! `.otpic.toml`, if any), and `$OUT_DIR/embedded.idx`, the index of those
//! entries (`INDEX`, `INDEX_KEY`), and asks Cargo to rerun whenever anything
//! under `entries/` changes, so a new, changed or removed entry file is picked
//! up (include_dir would miss a new one on stable Rust).
//!
//! The index is made by the library's own index code, compiled into this
//! script as `#[path]` modules (the index and the modules it uses, as they are
//! in `src/`): one builder and one format for the index built here and the ones
//! built at run time; `src/index/embedded.rs` tests that they are the same bytes.

// Not everything the index code offers is used here.
#![allow(dead_code, unused_imports)]

/// The fingerprint `index_layout` computes, once this script runs.
static FINGERPRINT: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn fingerprint() -> &'static str {
    FINGERPRINT.get().map_or("", String::as_str)
}

/// The index code reads the fingerprint of its build as
/// `env!("OTPIC_INDEX_LAYOUT")`, set for the library by this script; here it is
/// known only once the script runs, so this `env!`, which shadows std's in the
/// modules below, gives it from there. Other names are std's `env!`.
macro_rules! env {
    ("OTPIC_INDEX_LAYOUT") => {
        crate::fingerprint()
    };
    ($name:literal) => {
        ::std::env!($name)
    };
}

/// What the modules below see of the built-in knowledge base here: nothing (it
/// is what this script makes); the builder is given the files read from `entries/`.
mod built_in {
    pub static FILES: &[(&str, &str)] = &[];
    pub static RELATIONS: Option<&str> = None;
    pub static INDEX: &[u8] = &[];
    pub static INDEX_KEY: &str = "";
}

// The index and every module it uses, as the library compiles them.
#[path = "src/diagnostic.rs"]
mod diagnostic;
#[path = "src/entry.rs"]
mod entry;
#[path = "src/error.rs"]
mod error;
#[path = "src/fuzzy.rs"]
mod fuzzy;
#[path = "src/index/mod.rs"]
mod index;
#[path = "src/kb.rs"]
mod kb;
#[path = "src/name.rs"]
mod name;
#[path = "src/parallel.rs"]
mod parallel;
#[path = "src/precedence.rs"]
mod precedence;
#[path = "src/raw.rs"]
mod raw;
#[path = "src/relation.rs"]
mod relation;
#[path = "src/sanitize.rs"]
mod sanitize;
#[path = "src/source.rs"]
mod source;
#[path = "src/suggestion.rs"]
mod suggestion;
#[path = "src/tokenize.rs"]
mod tokenize;
#[path = "src/walk.rs"]
mod walk;
#[path = "src/watch/mod.rs"]
mod watch;

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("entries");
    println!("cargo::rerun-if-changed=entries");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut code = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    for (rel, abs) in &files {
        code.push_str(&format!("    ({rel:?}, include_str!({abs:?})),\n"));
    }
    code.push_str("];\n");
    // The knowledge base's relation types (hidden, so not an entry).
    let decl = root.join(".otpic.toml");
    println!("cargo::rerun-if-changed={}", decl.display());
    if decl.is_file() {
        code.push_str(&format!(
            "pub static RELATIONS: Option<&str> = Some(include_str!({:?}));\n",
            decl.to_string_lossy()
        ));
    } else {
        code.push_str("pub static RELATIONS: Option<&str> = None;\n");
    }
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    // The index, built by the index code of this very build (whose fingerprint
    // it carries).
    let layout = index_layout();
    let _ = FINGERPRINT.set(layout);
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|(rel, abs)| match fs::read_to_string(abs) {
            Ok(text) => (rel.clone(), text),
            Err(err) => panic!("cannot read {abs}: {err}"),
        })
        .collect();
    let (index, key) = match index::embedded::build(&texts) {
        Ok(built) => built,
        Err(why) => panic!("cannot build the index of entries/: {why}"),
    };
    let idx = out_dir.join("embedded.idx");
    write(&idx, &index);
    code.push_str(&format!(
        "pub static INDEX: &[u8] = include_bytes!({:?});\n",
        idx.to_string_lossy()
    ));
    code.push_str(&format!(
        "pub static INDEX_KEY: &str = {:?};\n",
        String::from_utf8_lossy(&key)
    ));
    write(&out_dir.join("embedded.rs"), code.as_bytes());
}

fn write(path: &Path, bytes: &[u8]) {
    if let Err(err) = fs::write(path, bytes) {
        panic!("cannot write {}: {err}", path.display());
    }
}

/// A fingerprint of the code whose behaviour decides what an index holds, stored
/// in every index: an index written by a build with different code is rebuilt,
/// even when the version and format numbers were not bumped (as between
/// development builds). What the index holds depends on far more than
/// `src/index/` (the tokenizer, name normalization, entry validation, how sources
/// are read, the dependencies' versions), so it covers every file under `src/`
/// and `Cargo.lock`. `OTPIC_INDEX_INPUTS` lists what was hashed, for a test.
/// Returns the fingerprint, as the library reads it.
fn index_layout() -> String {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut inputs = Vec::new();
    rust_files(&root, &root.join("src"), &mut inputs);
    inputs.sort();
    inputs.push("Cargo.lock".to_owned());
    println!("cargo::rerun-if-changed=src");
    println!("cargo::rerun-if-changed=Cargo.lock");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut mix = |bytes: &[u8]| {
        for &byte in bytes {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for rel in &inputs {
        println!("cargo::rerun-if-changed={rel}");
        // The name too, so that moving code between files changes the fingerprint.
        mix(rel.as_bytes());
        mix(&[0]);
        mix(&fs::read(root.join(rel)).unwrap_or_default());
    }
    println!("cargo::rustc-env=OTPIC_INDEX_LAYOUT={hash:016x}");
    println!("cargo::rustc-env=OTPIC_INDEX_INPUTS={}", inputs.join(":"));
    format!("{hash:016x}")
}

/// Every `.rs` file under `dir`, as a `/`-separated path relative to `root`.
fn rust_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(read) = fs::read_dir(dir) else { return };
    for item in read.flatten() {
        let path = item.path();
        if path.is_dir() {
            rust_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Every `*.toml` file under `dir` that the loader would read, as (path relative to
/// `root`, absolute path). Hidden files and folders are skipped, as at run time.
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(read) = fs::read_dir(dir) else { return };
    for item in read.flatten() {
        let path = item.path();
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        println!("cargo::rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(root, &path, files);
        } else if name.ends_with(".toml") {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, path.to_string_lossy().into_owned()));
        }
    }
}
