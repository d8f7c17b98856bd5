//! Embeds the shipped knowledge base (`entries/`) into the binary, and
//! fingerprints the index code (see `index_layout`).
//!
//! Writes `$OUT_DIR/embedded.rs`, a sorted list of `(relative path, contents)`
//! pairs built with `include_str!`, and asks Cargo to rerun whenever anything
//! under `entries/` changes, so a new entry file is picked up (include_dir
//! would miss it on stable Rust).

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
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(err) = fs::write(&out, code) {
        panic!("cannot write {}: {err}", out.display());
    }
    index_layout();
}

/// A fingerprint of the code that writes and reads index files, stored in every
/// index: an index written by a build with different code is rebuilt, even when
/// the version and format numbers were not bumped (as between development builds).
fn index_layout() {
    let src = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("src");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in [
        "index/layout.rs",
        "index/build.rs",
        "index/mod.rs",
        "index/scan.rs",
        // What the index stores as words: the tokenizer and the fields it reads.
        "words.rs",
        "search.rs",
    ] {
        println!("cargo::rerun-if-changed=src/{file}");
        for byte in fs::read(src.join(file)).unwrap_or_default() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo::rustc-env=OTPIC_INDEX_LAYOUT={hash:016x}");
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
