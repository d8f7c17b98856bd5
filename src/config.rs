//! The config file: where it is looked for, and the settings it holds.
//!
//! The file is TOML at the platform's config location (`otpic/config.toml` under
//! `dirs::config_dir()`, e.g. `~/.config/otpic/config.toml` on Linux), or at the path
//! in `OTPIC_CONFIG`. It is read once, by [`ConfigFile::locate`]; a file that cannot
//! be read or parsed is kept as a message naming the file and line, which
//! [`crate::settings::Settings::resolve`] turns into an error (exit 2).
//! Unknown keys are errors, so that a typo is not silently ignored.

use crate::diagnostic::Position;
use serde::Deserialize;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The settings a config file may hold. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Knowledge base directories, used when neither `--entries` nor `OTPIC_ENTRIES` is given.
    /// Relative paths are relative to the config file's directory; `~/` is the home directory.
    pub entries: Vec<PathBuf>,
    /// Keep the built-in knowledge base as well (like `--with-embedded`).
    pub with_embedded: Option<bool>,
    pub color: Option<Color>,
    pub pager: Option<Pager>,
    /// The most columns to wrap to; a narrower terminal wins.
    pub width: Option<u16>,
    /// Use a change watcher (`watch = true`); `OTPIC_WATCH` wins.
    pub watch: Option<bool>,
    /// Minutes a watcher waits for a question before it exits.
    pub watch_idle_minutes: Option<u32>,
}

/// `color = "auto" | "always" | "never"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// `pager = "command"`, or `pager = false` to turn paging off (`true` keeps the default).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Pager {
    Enabled(bool),
    Command(String),
}

/// The on-disk shape, before paths are resolved and the width checked.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    entries: Vec<String>,
    with_embedded: Option<bool>,
    color: Option<Color>,
    pager: Option<Pager>,
    width: Option<toml::Spanned<i64>>,
    watch: Option<bool>,
    watch_idle_minutes: Option<toml::Spanned<i64>>,
}

/// The config file otpic looked for, and what came of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigFile {
    /// Where the file is (or would be); `None` when no config directory is known.
    pub path: Option<PathBuf>,
    /// Whether `OTPIC_CONFIG` chose the path.
    pub from_env: bool,
    pub state: State,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum State {
    /// No file there: the defaults apply.
    #[default]
    Missing,
    Loaded(Config),
    /// The file could not be read or parsed: `path:line:column: message`.
    Broken(String),
}

impl ConfigFile {
    /// Finds and reads the config file: `otpic_config` (the value of `OTPIC_CONFIG`)
    /// when set and not empty, else the platform's config location. A missing file is
    /// fine at the default location, and an error at a path `OTPIC_CONFIG` names.
    pub fn locate(otpic_config: Option<OsString>) -> ConfigFile {
        let (path, from_env) = match otpic_config.filter(|p| !p.is_empty()) {
            Some(p) => (Some(PathBuf::from(p)), true),
            None => (default_path(), false),
        };
        let state = match &path {
            None => State::Missing,
            Some(path) => match std::fs::read_to_string(path) {
                Ok(text) => match parse(path, &text) {
                    Ok(config) => State::Loaded(config),
                    Err(message) => State::Broken(message),
                },
                Err(err) if err.kind() == std::io::ErrorKind::NotFound && !from_env => {
                    State::Missing
                }
                Err(err) => State::Broken(format!(
                    "cannot read config file {}{}: {}",
                    path.display(),
                    if from_env { " (from OTPIC_CONFIG)" } else { "" },
                    crate::error::describe(&err)
                )),
            },
        };
        ConfigFile {
            path,
            from_env,
            state,
        }
    }

    /// Whether a config file was found and read.
    pub fn exists(&self) -> bool {
        matches!(self.state, State::Loaded(_))
    }
}

/// The platform's config file location: `otpic/config.toml` in its config directory.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("otpic").join("config.toml"))
}

/// Parses the text of the config file at `path`; errors are `path:line:column: message`.
pub fn parse(path: &Path, text: &str) -> Result<Config, String> {
    let at = |offset: usize| {
        let p = Position::at(text, offset);
        format!("{}:{}:{}", path.display(), p.line, p.column)
    };
    let raw: RawConfig = toml::from_str(text).map_err(|err| {
        let first = err.message().lines().next().unwrap_or_default().trim();
        match err.span() {
            Some(span) => format!("{}: {}", at(span.start), first),
            None => format!("{}: {}", path.display(), first),
        }
    })?;
    let width = match raw.width {
        Some(w) => {
            let span = w.span();
            match u16::try_from(*w.get_ref()) {
                Ok(n) if (20..=1000).contains(&n) => Some(n),
                _ => {
                    return Err(format!(
                        "{}: width must be between 20 and 1000 columns",
                        at(span.start)
                    ));
                }
            }
        }
        None => None,
    };
    let watch_idle_minutes = match raw.watch_idle_minutes {
        Some(m) => match u32::try_from(*m.get_ref()) {
            Ok(n) if (1..=10_080).contains(&n) => Some(n),
            _ => {
                return Err(format!(
                    "{}: watch_idle_minutes must be between 1 and 10080 (a week)",
                    at(m.span().start)
                ));
            }
        },
        None => None,
    };
    let base = path.parent().unwrap_or(Path::new(""));
    let entries = raw
        .entries
        .iter()
        .filter(|e| !e.trim().is_empty())
        .map(|e| resolve_path(base, e))
        .collect();
    Ok(Config {
        entries,
        with_embedded: raw.with_embedded,
        color: raw.color,
        pager: raw.pager,
        width,
        watch: raw.watch,
        watch_idle_minutes,
    })
}

/// A path from the config file: `~/…` under the home directory, a relative path under
/// the config file's directory.
fn resolve_path(base: &Path, path: &str) -> PathBuf {
    if let Some(rest) = path
        .strip_prefix("~/")
        .or(if path == "~" { Some("") } else { None })
        && let Some(home) = dirs::home_dir()
    {
        return home.join(rest);
    }
    base.join(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Config, String> {
        parse(Path::new("/etc/otpic/config.toml"), text)
    }

    #[test]
    fn every_field_is_read_and_relative_paths_follow_the_file() {
        let config = parse_text(
            "entries = [\"kb\", \"/abs\"]\nwith_embedded = true\ncolor = \"never\"\npager = \"most\"\nwidth = 72\nwatch = true\nwatch_idle_minutes = 5\n",
        );
        assert_eq!(
            config,
            Ok(Config {
                entries: vec!["/etc/otpic/kb".into(), "/abs".into()],
                with_embedded: Some(true),
                color: Some(Color::Never),
                pager: Some(Pager::Command("most".into())),
                width: Some(72),
                watch: Some(true),
                watch_idle_minutes: Some(5),
            })
        );
    }

    #[test]
    fn pager_false_turns_paging_off() {
        assert_eq!(
            parse_text("pager = false").map(|c| c.pager),
            Ok(Some(Pager::Enabled(false)))
        );
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_file_line_and_column() {
        let err = parse_text("width = 80\ncolour = \"never\"\n").err();
        let Some(err) = err else {
            panic!("expected an error")
        };
        assert!(
            err.starts_with("/etc/otpic/config.toml:2:1: unknown field `colour`"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_value_names_its_line() {
        let err = parse_text("\ncolor = \"blue\"\n").err().unwrap_or_default();
        assert!(err.starts_with("/etc/otpic/config.toml:2:9: "), "{err}");
        let err = parse_text("watch_idle_minutes = 0\n")
            .err()
            .unwrap_or_default();
        assert_eq!(
            err,
            "/etc/otpic/config.toml:1:22: watch_idle_minutes must be between 1 and 10080 (a week)"
        );
        let err = parse_text("width = 5\n").err().unwrap_or_default();
        assert_eq!(
            err,
            "/etc/otpic/config.toml:1:9: width must be between 20 and 1000 columns"
        );
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        assert_eq!(parse_text(""), Ok(Config::default()));
    }

    #[test]
    fn a_missing_file_is_fine_unless_otpic_config_names_it() {
        let dir = std::env::temp_dir().join("otpic-no-such-config-dir");
        let named = ConfigFile::locate(Some(dir.join("config.toml").into()));
        assert!(
            matches!(&named.state, State::Broken(m) if m.contains("OTPIC_CONFIG")),
            "{named:?}"
        );
        assert!(named.from_env);
    }
}
