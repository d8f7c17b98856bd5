//! `otpic site OUT_DIR`: the knowledge base as a static website.

use crate::env::Format;
use crate::error::{Error, Result};
use crate::index::{Index, Part};
use crate::settings::Settings;
use crate::source::Source;
use std::io::Write;
use std::path::Path;

/// The parts of the index the site reads: links both ways and summaries. Not the
/// name table: links come resolved in the index, and the site looks nothing up
/// by name.
pub const PARTS: &[Part] = &[Part::Links, Part::Backlinks, Part::Summaries];

pub fn run<E: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    out_dir: &Path,
    title: Option<&str>,
    force: bool,
    err: &mut E,
) -> Result<u8> {
    if settings.format != Format::Text {
        return Err(Error::Usage(
            "`site` writes HTML files; --format does not apply to it".into(),
        ));
    }
    let default = if settings
        .sources
        .iter()
        .any(|s| matches!(s, Source::Embedded))
    {
        "Online Training Program on Intractable Conflict"
    } else {
        "Knowledge base"
    };
    let keep: Vec<std::path::PathBuf> = settings
        .sources
        .iter()
        .filter_map(|s| match s {
            Source::Dir(dir) => Some(dir.clone()),
            Source::Embedded => None,
        })
        .collect();
    let written = crate::site::write(kb, out_dir, title.unwrap_or(default), force, &keep)?;
    // The report goes to stderr, like a build tool's: stdout stays empty.
    let _ = writeln!(
        err,
        "otpic: wrote {} pages for {} entries to {}",
        written.pages,
        written.entries,
        out_dir.display()
    );
    Ok(0)
}
