//! `otpic glossary`: every title alphabetically with its one-line summary.

use crate::cli::Format;
use crate::entry::Entry;
use crate::error::Result;
use crate::json::Brief;
use crate::kb::KnowledgeBase;
use crate::sanitize;
use crate::settings::Settings;
use crate::style::Paint;
use std::io::Write;

pub fn run<O: Write + ?Sized>(kb: &KnowledgeBase, settings: &Settings, out: &mut O) -> Result<u8> {
    let mut entries: Vec<&Entry> = kb.entries.iter().collect();
    entries.sort_by(|a, b| {
        a.title
            .to_lowercase()
            .cmp(&b.title.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
    match settings.format {
        Format::Json => crate::json::write(
            out,
            &entries.iter().map(|e| Brief::from(*e)).collect::<Vec<_>>(),
        )?,
        Format::Markdown => out.write_all(crate::export::glossary(&entries).as_bytes())?,
        Format::Text => {
            let style = &settings.style;
            for e in entries {
                let title = sanitize::line(&e.title);
                let id = format!("({})", sanitize::line(&e.id));
                let mut spans = vec![(title.as_ref(), Paint::Strong), (id.as_str(), Paint::Dim)];
                let summary = e.summary.as_deref().map(sanitize::line);
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
