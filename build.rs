//! Embeds the shipped knowledge base (`entries/`) into the binary, and
//! fingerprints the code the index's contents depend on (see `index_layout`).
//!
//! Writes `$OUT_DIR/embedded.rs`, a sorted list of `(relative path, contents)`
//! pairs built with `include_str!` (and `RELATIONS`, the knowledge base's
//! `.otpic.toml`, if any), and asks Cargo to rerun whenever anything
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
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(err) = fs::write(&out, code) {
        panic!("cannot write {}: {err}", out.display());
    }
    index_layout();
}

/// A fingerprint of the code whose behaviour decides what an index holds, stored
/// in every index: an index written by a build with different code is rebuilt,
/// even when the version and format numbers were not bumped (as between
/// development builds). What the index holds depends on far more than
/// `src/index/` (the tokenizer, name normalization, entry validation, how sources
/// are read, the dependencies' versions), so it covers every file under `src/`
/// and `Cargo.lock`. `OTPIC_INDEX_INPUTS` lists what was hashed, for a test.
fn index_layout() {
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
