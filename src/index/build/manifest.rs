//! The manifest of what was read: every directory walked and every entry file,
//! with the `stat` the next run compares, what reading each gave, and the key.

use super::super::layout::{NONE, Sec, StrsBuilder};
use super::super::records::{self, DirRecord, FileRecord};
use super::super::scan::{self, RACY, Scan};
use super::super::{Key, NOT_FILE, outcome};
use super::candidates::{Files, Place};
use crate::source::Source;

/// The manifest: directories, files with their `stat` and outcome, and the key.
pub(super) fn manifest(
    key: &Key,
    scans: &[Option<Scan<'_>>],
    files: &Files<'_, '_>,
    outcomes: &[u32],
    now: i64,
) -> Vec<(Sec, Vec<u8>)> {
    let mut paths = StrsBuilder::default();
    let mut dirs = Vec::new();
    let mut children: Vec<u32> = Vec::new();
    // Files are numbered source by source, in walk order: where each source's start.
    let mut dir_base = Vec::with_capacity(scans.len());
    let (mut files_so_far, mut dirs_so_far) = (0u32, 0u32);
    for (s, source) in key.roots.iter().enumerate() {
        dir_base.push(dirs_so_far);
        match (source, scans.get(s).and_then(Option::as_ref)) {
            (Source::Dir(_), Some(scan)) => {
                for d in &scan.dirs {
                    let c0 = children.len() as u32;
                    children.extend(d.children.iter().map(|&c| dirs_so_far + c as u32));
                    DirRecord {
                        source: s as u32,
                        rel: paths.push_bytes(&d.rel),
                        flags: d.flags,
                        children_start: c0,
                        children_end: children.len() as u32,
                        files_start: files_so_far + d.files.start as u32,
                        files_end: files_so_far + d.files.end as u32,
                        reserved: 0,
                        dev: d.stat.dev,
                        ino: d.stat.ino,
                        mtime: d.stat.mtime,
                        ctime: d.stat.ctime,
                    }
                    .encode(&mut dirs);
                }
                files_so_far += scan.files.len() as u32;
                dirs_so_far += scan.dirs.len() as u32;
            }
            _ => files_so_far += files.texts.len() as u32,
        }
    }
    let mut records = Vec::with_capacity(files.place.len() * FileRecord::BYTES);
    for (f, place) in files.place.iter().enumerate() {
        let outcome = outcomes.get(f).copied().unwrap_or(outcome::UNKNOWN);
        match *place {
            Place::Dir(s, i) => {
                let Some(scan) = &scans[s] else { continue };
                let file = &scan.files[i];
                let (stat, mut flags) = match &file.stat {
                    Ok(stat) => (*stat, file.flags),
                    Err(_) => (scan::Stat::default(), RACY),
                };
                if !stat.is_file {
                    flags |= NOT_FILE;
                }
                FileRecord {
                    dir: dir_base[s] + file.dir as u32,
                    name: paths.push_bytes(&file.name),
                    flags,
                    outcome,
                    size: stat.size,
                    mtime: stat.mtime,
                    ctime: stat.ctime,
                    ino: stat.ino,
                    dev: stat.dev,
                }
                .encode(&mut records);
            }
            Place::Text(t) => {
                FileRecord {
                    dir: NONE,
                    name: paths.push(&files.texts[t].0),
                    outcome,
                    ..FileRecord::default()
                }
                .encode(&mut records);
            }
        }
    }
    vec![
        (Sec::Meta, records::encode_meta(now, &key.text)),
        (Sec::Dirs, dirs),
        (Sec::DirChildren, super::super::layout::u32_bytes(&children)),
        (Sec::Files, records),
        (Sec::Paths, paths.to_bytes()),
    ]
}
