//! `otpic tags`: every tag with how many entries carry it, most used first.

use crate::env::Format;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::sanitize;
use crate::settings::Settings;
use crate::style;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

#[derive(Serialize)]
struct Row<'a> {
    tag: &'a str,
    count: usize,
}

pub fn run<O: Write + ?Sized>(kb: &Index, settings: &Settings, out: &mut O) -> Result<u8> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for i in 0..kb.len() {
        let mut own: Vec<String> = kb.tags(i).map(str::to_lowercase).collect();
        own.sort_unstable();
        own.dedup();
        for tag in own {
            *counts.entry(tag).or_default() += 1;
        }
    }
    let mut rows: Vec<(String, usize)> = counts.into_iter().collect();
    // Most used first; alphabetical among equals (the map's order, kept by a stable sort).
    rows.sort_by_key(|row| std::cmp::Reverse(row.1));
    match settings.format {
        Format::Json => {
            let rows: Vec<Row> = rows
                .iter()
                .map(|(tag, count)| Row { tag, count: *count })
                .collect();
            crate::json::write(out, &rows)?;
        }
        Format::Markdown => return Err(super::no_markdown("tags")),
        Format::Text if settings.terminal => {
            let style = &settings.style;
            let width = rows
                .iter()
                .map(|(t, _)| style::columns(&sanitize::line(t)))
                .max()
                .unwrap_or(0);
            for (tag, count) in &rows {
                writeln!(
                    out,
                    "{}  {}",
                    style::pad(&sanitize::line(tag), width),
                    style.dim(&count.to_string())
                )?;
            }
        }
        Format::Text => {
            for (tag, count) in &rows {
                writeln!(out, "{}\t{count}", sanitize::line(tag))?;
            }
        }
    }
    if rows.is_empty() {
        return Err(Error::NothingFound("no entry has a tag".into()));
    }
    Ok(0)
}
