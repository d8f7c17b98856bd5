//! `otpic paths`: the active knowledge bases, highest precedence first, each with where
//! it comes from, and the config file used.

use crate::env::Format;
use crate::error::Result;
use crate::settings::Settings;
use crate::source::Source;
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct Paths {
    knowledge_bases: Vec<KnowledgeBase>,
    config_file: ConfigFile,
}

#[derive(Serialize)]
struct KnowledgeBase {
    /// The directory; null for the built-in knowledge base.
    path: Option<String>,
    embedded: bool,
    from: &'static str,
    /// Whether it can be read: the built-in one always; a directory if it is one.
    exists: bool,
}

#[derive(Serialize)]
struct ConfigFile {
    path: Option<String>,
    exists: bool,
    from: &'static str,
}

pub fn run<O: Write + ?Sized>(settings: &Settings, out: &mut O) -> Result<u8> {
    let bases: Vec<KnowledgeBase> = settings
        .sources
        .iter()
        .zip(&settings.origins)
        .rev()
        .map(|(source, origin)| match source {
            Source::Embedded => KnowledgeBase {
                path: None,
                embedded: true,
                from: origin.key(),
                exists: true,
            },
            Source::Dir(dir) => KnowledgeBase {
                path: Some(dir.display().to_string()),
                embedded: false,
                from: origin.key(),
                exists: dir.is_dir(),
            },
        })
        .collect();
    let config = &settings.config_file;
    let paths = Paths {
        knowledge_bases: bases,
        config_file: ConfigFile {
            path: config.path.as_ref().map(|p| p.display().to_string()),
            exists: config.exists(),
            from: if config.from_env {
                "OTPIC_CONFIG"
            } else {
                "default"
            },
        },
    };
    match settings.format {
        Format::Json => crate::json::write(out, &paths)?,
        Format::Markdown => return Err(super::no_markdown("paths")),
        Format::Text => {
            let style = &settings.style;
            writeln!(
                out,
                "{}",
                style.heading("Knowledge bases, highest precedence first:")
            )?;
            let sources: Vec<(&Source, _)> = settings
                .sources
                .iter()
                .zip(&settings.origins)
                .rev()
                .collect();
            for (n, (source, origin)) in sources.into_iter().enumerate() {
                let missing = match source {
                    Source::Dir(dir) if !dir.is_dir() => " [missing: not a readable directory]",
                    _ => "",
                };
                writeln!(
                    out,
                    "  {}. {}  {}{}",
                    n + 1,
                    crate::sanitize::line(&source.to_string()),
                    style.dim(&format!("({})", origin.describe())),
                    style.warn(missing)
                )?;
            }
            let file = match &config.path {
                Some(p) => crate::sanitize::line(&p.display().to_string()).into_owned(),
                None => "none (no config directory on this system)".to_owned(),
            };
            let state = match (config.exists(), config.from_env) {
                (true, true) => "(from OTPIC_CONFIG)",
                (true, false) => "(in use)",
                (false, _) => "(not found; the defaults apply)",
            };
            writeln!(
                out,
                "{} {file} {}",
                style.heading("Config file:"),
                style.dim(state)
            )?;
        }
    }
    Ok(0)
}
