//! `otpic glossary`: every title alphabetically with its one-line summary.

use crate::env::Format;
use crate::error::Result;
use crate::index::Index;
use crate::json::Brief;
use crate::sanitize;
use crate::settings::Settings;
use crate::style::Paint;
use std::io::Write;

pub fn run<O: Write + ?Sized>(
    kb: &Index,
    settings: &Settings,
    kind: Option<&str>,
    tag: Option<&str>,
    out: &mut O,
) -> Result<u8> {
    let selected = super::list::select(kb, kind, tag)?;
    if selected.is_empty() && (kind.is_some() || tag.is_some()) {
        if settings.format == Format::Json {
            writeln!(out, "[]")?;
        }
        return Err(super::list::nothing_selected(kind, tag));
    }
    let mut entries: Vec<(String, usize)> = selected
        .into_iter()
        .map(|i| (kb.title(i).to_lowercase(), i))
        .collect();
    // Entries are in id order, so the index breaks ties by id.
    entries.sort();
    match settings.format {
        Format::Json => crate::json::write(
            out,
            &entries
                .iter()
                .map(|&(_, i)| Brief::of(kb, i))
                .collect::<Vec<_>>(),
        )?,
        Format::Markdown => {
            let briefs: Vec<Brief> = entries.iter().map(|&(_, i)| Brief::of(kb, i)).collect();
            out.write_all(crate::export::glossary(&briefs).as_bytes())?
        }
        Format::Text => {
            let style = &settings.style;
            for (_, i) in entries {
                let title = sanitize::line(kb.title(i));
                let id = format!("({})", sanitize::line(kb.id(i)));
                let mut spans = vec![(title.as_ref(), Paint::Strong), (id.as_str(), Paint::Dim)];
                let summary = kb.summary(i).map(sanitize::line);
                if let Some(summary) = &summary {
                    spans.extend([("—", Paint::Plain), (summary.as_ref(), Paint::Plain)]);
                }
                for line in style.wrap(&spans, "", "    ") {
                    writeln!(out, "{line}")?;
                }
            }
        }
    }
    Ok(0)
}
