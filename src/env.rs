//! The environment otpic runs in, read once, and what it decides before any command
//! runs: the active knowledge bases and where each comes from, the pager, the change
//! watcher's options; and the plain choices (output format, color) that the command
//! line and the config file both make.
//!
//! A leaf beneath the settings and the command line: it knows neither clap nor
//! [`crate::settings::Settings`], so that completion can use it as well.

use crate::config::{self, Config, ConfigFile};
use crate::error::{Error, Result};
use crate::pager::Pager;
use crate::source::Source;
use std::ffi::OsString;
use std::path::PathBuf;

/// The output format every command knows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Json,
    Markdown,
}

/// A diagram format of `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Diagram {
    Dot,
    Mermaid,
}

/// When to use color and styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// What the environment says, read once so that tests can supply their own.
#[derive(Debug, Default, Clone)]
pub struct Env {
    pub otpic_entries: Option<OsString>,
    pub no_color: bool,
    pub columns: Option<usize>,
    pub term_dumb: bool,
    /// Whether stdout is a terminal, and its width if measurable.
    pub stdout_terminal: bool,
    pub terminal_width: Option<usize>,
    /// Where index files go: `OTPIC_CACHE_DIR`, else the platform's cache directory.
    pub cache_dir: Option<PathBuf>,
    /// Where the quiz keeps its review state: `OTPIC_DATA_DIR`, else the platform's
    /// data directory (not the cache: clearing the cache must not lose it).
    pub data_dir: Option<PathBuf>,
    /// The terminal's height in rows, if stdout is one and it is measurable.
    pub terminal_height: Option<usize>,
    /// Whether stdin is a terminal (the editor opens and otpic asks only then).
    pub stdin_terminal: bool,
    /// The config file, read once (see [`ConfigFile::locate`]).
    pub config: ConfigFile,
    /// `OTPIC_PAGER` and `PAGER`, as set (an empty value turns paging off).
    pub otpic_pager: Option<String>,
    pub pager: Option<String>,
    /// Whether `LESS` is set (otherwise the pager gets `LESS=FRX`, as with git).
    pub less_set: bool,
    /// `VISUAL`, else `EDITOR`, when set and not empty.
    pub editor: Option<String>,
    /// How otpic was invoked (`argv[0]`), for the completion script to call back.
    pub program: Option<OsString>,
    /// The change watcher's variables: `OTPIC_WATCH` (on or off, over the config
    /// file), and for tests and diagnosis `OTPIC_WATCH_IDLE_SECS`,
    /// `OTPIC_WATCH_TIMEOUT_MS` and `OTPIC_WATCH_DEBUG`.
    pub watch: WatchEnv,
}

/// The change watcher's environment variables, as set.
#[derive(Debug, Default, Clone)]
pub struct WatchEnv {
    pub on: Option<String>,
    pub idle_secs: Option<String>,
    pub timeout_ms: Option<String>,
    pub debug: bool,
}

impl WatchEnv {
    fn from_process() -> WatchEnv {
        WatchEnv {
            on: std::env::var("OTPIC_WATCH").ok(),
            idle_secs: std::env::var("OTPIC_WATCH_IDLE_SECS").ok(),
            timeout_ms: std::env::var("OTPIC_WATCH_TIMEOUT_MS").ok(),
            debug: std::env::var_os("OTPIC_WATCH_DEBUG").is_some_and(|v| !v.is_empty() && v != "0"),
        }
    }
}

impl Env {
    pub fn from_process() -> Env {
        use std::io::IsTerminal;
        let stdout_terminal = std::io::stdout().is_terminal();
        let size = if stdout_terminal {
            terminal_size::terminal_size()
        } else {
            None
        };
        let nonempty = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Env {
            otpic_entries: std::env::var_os("OTPIC_ENTRIES").filter(|v| !v.is_empty()),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            columns: std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse().ok())
                .filter(|&c: &usize| c >= 20),
            term_dumb: std::env::var_os("TERM").is_some_and(|t| t == "dumb"),
            stdout_terminal,
            terminal_width: size.map(|(w, _)| usize::from(w.0)).filter(|&w| w > 0),
            terminal_height: size.map(|(_, h)| usize::from(h.0)).filter(|&h| h > 0),
            stdin_terminal: std::io::stdin().is_terminal(),
            config: ConfigFile::locate(std::env::var_os("OTPIC_CONFIG")),
            otpic_pager: std::env::var("OTPIC_PAGER").ok(),
            pager: std::env::var("PAGER").ok(),
            less_set: std::env::var_os("LESS").is_some(),
            editor: nonempty("VISUAL").or_else(|| nonempty("EDITOR")),
            program: std::env::args_os().next(),
            watch: WatchEnv::from_process(),
            cache_dir: std::env::var_os("OTPIC_CACHE_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| dirs::cache_dir().map(|d| d.join("otpic"))),
            data_dir: std::env::var_os("OTPIC_DATA_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| dirs::data_dir().map(|d| d.join("otpic"))),
        }
    }

    /// The config file's settings: the defaults when there is none, an error when it is broken.
    pub fn config(&self) -> Result<Config> {
        match &self.config.state {
            config::State::Missing => Ok(Config::default()),
            config::State::Loaded(config) => Ok(config.clone()),
            config::State::Broken(message) => Err(Error::Config(message.clone())),
        }
    }
}

/// Where an active knowledge base comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--entries DIR`.
    Flag,
    /// `OTPIC_ENTRIES`.
    Env,
    /// `entries` in the config file.
    Config,
    /// The built-in knowledge base, because no other was given.
    Default,
    /// The built-in knowledge base, kept by `--with-embedded`.
    WithEmbeddedFlag,
    /// The built-in knowledge base, kept by `with_embedded = true` in the config file.
    WithEmbeddedConfig,
}

impl Origin {
    /// A short stable name, for JSON.
    pub fn key(self) -> &'static str {
        match self {
            Origin::Flag => "--entries",
            Origin::Env => "OTPIC_ENTRIES",
            Origin::Config => "config",
            Origin::Default => "default",
            Origin::WithEmbeddedFlag => "--with-embedded",
            Origin::WithEmbeddedConfig => "config:with_embedded",
        }
    }

    /// Where it comes from, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Origin::Flag => "from --entries",
            Origin::Env => "from OTPIC_ENTRIES",
            Origin::Config => "from entries in the config file",
            Origin::Default => "built in: no other knowledge base given",
            Origin::WithEmbeddedFlag => "built in, kept by --with-embedded",
            Origin::WithEmbeddedConfig => "built in, kept by with_embedded in the config file",
        }
    }
}

/// The knowledge bases to load, in load order (a later one overrides an earlier one on
/// the same id), each with where it comes from: `--entries` (given as `flag_entries`),
/// else `OTPIC_ENTRIES`, else the config file's `entries`; the built-in one when none
/// of them names a directory, or when `--with-embedded` or `with_embedded` asks for it.
pub fn active_sources(
    flag_entries: &[PathBuf],
    flag_with_embedded: bool,
    env: &Env,
    config: &Config,
) -> Vec<(Source, Origin)> {
    let (dirs, origin): (Vec<PathBuf>, Origin) = if !flag_entries.is_empty() {
        (flag_entries.to_vec(), Origin::Flag)
    } else if let Some(list) = &env.otpic_entries {
        let dirs: Vec<PathBuf> = std::env::split_paths(list)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        (dirs, Origin::Env)
    } else {
        (config.entries.clone(), Origin::Config)
    };
    let mut sources = Vec::new();
    if dirs.is_empty() {
        sources.push((Source::Embedded, Origin::Default));
    } else if flag_with_embedded {
        sources.push((Source::Embedded, Origin::WithEmbeddedFlag));
    } else if config.with_embedded == Some(true) {
        sources.push((Source::Embedded, Origin::WithEmbeddedConfig));
    }
    sources.extend(dirs.into_iter().map(|d| (Source::Dir(d), origin)));
    sources
}

/// The watcher's options: `OTPIC_WATCH` over the config file's `watch`, off by default.
pub fn watch_options(env: &WatchEnv, config: &Config) -> Result<crate::watch::Options> {
    use crate::watch::{DEFAULT_IDLE, DEFAULT_TIMEOUT, Options};
    use std::time::Duration;
    let enabled = match env.on.as_deref().map(str::trim) {
        None | Some("") => config.watch.unwrap_or(false),
        Some("1" | "true" | "yes" | "on") => true,
        Some("0" | "false" | "no" | "off") => false,
        Some(other) => {
            return Err(Error::Usage(format!(
                "OTPIC_WATCH must be 1 or 0, not \"{other}\""
            )));
        }
    };
    let number = |name: &str, value: &Option<String>| -> Result<Option<u64>> {
        match value.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => v
                .parse::<u64>()
                .map(Some)
                .map_err(|_| Error::Usage(format!("{name} must be a whole number, not \"{v}\""))),
        }
    };
    let idle = match number("OTPIC_WATCH_IDLE_SECS", &env.idle_secs)? {
        Some(secs) => Duration::from_secs(secs.max(1)),
        None => config
            .watch_idle_minutes
            .map_or(DEFAULT_IDLE, |m| Duration::from_secs(u64::from(m) * 60)),
    };
    let timeout = number("OTPIC_WATCH_TIMEOUT_MS", &env.timeout_ms)?
        .map_or(DEFAULT_TIMEOUT, Duration::from_millis);
    Ok(Options {
        enabled,
        idle,
        timeout,
        debug: env.debug,
    })
}

/// The pager, if paging applies: `wanted` (text output, no `--no-pager`), stdout a
/// terminal of known height. The command is `OTPIC_PAGER`, else the config file's
/// `pager`, else `PAGER`, else `less -R` (as git ranks `GIT_PAGER`, `core.pager` and
/// `PAGER`); an empty command, `cat`, or `pager = false` in the config file turn
/// paging off.
pub fn pager(wanted: bool, env: &Env, config: &Config) -> Option<Pager> {
    if !wanted || !env.stdout_terminal {
        return None;
    }
    let height = env.terminal_height?;
    let command = match (&env.otpic_pager, &config.pager) {
        (Some(p), _) => p.clone(),
        (None, Some(config::Pager::Enabled(false))) => return None,
        (None, Some(config::Pager::Command(c))) => c.clone(),
        (None, Some(config::Pager::Enabled(true)) | None) => {
            env.pager.clone().unwrap_or_else(|| "less -R".to_owned())
        }
    };
    let command = command.trim();
    if command.is_empty() || command == "cat" {
        return None;
    }
    Some(Pager {
        command: command.to_owned(),
        height,
        set_less: !env.less_set,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watcher_is_off_unless_the_config_or_otpic_watch_turns_it_on() {
        let on = |env: Option<&str>, config: Option<bool>| {
            let watch = WatchEnv {
                on: env.map(str::to_owned),
                ..WatchEnv::default()
            };
            let config = Config {
                watch: config,
                ..Config::default()
            };
            watch_options(&watch, &config).map(|o| o.enabled).ok()
        };
        assert_eq!(on(None, None), Some(false));
        assert_eq!(on(None, Some(true)), Some(true));
        assert_eq!(on(Some("0"), Some(true)), Some(false));
        assert_eq!(on(Some("1"), Some(false)), Some(true));
        assert_eq!(on(Some(""), Some(true)), Some(true));
        assert_eq!(on(Some("maybe"), None), None);
    }

    #[test]
    fn the_watchers_idle_time_comes_from_the_config_in_minutes_or_the_environment() {
        use std::time::Duration;
        let config = Config {
            watch_idle_minutes: Some(5),
            ..Config::default()
        };
        let idle = |secs: Option<&str>, config: &Config| {
            let watch = WatchEnv {
                idle_secs: secs.map(str::to_owned),
                ..WatchEnv::default()
            };
            watch_options(&watch, config).map(|o| o.idle).ok()
        };
        assert_eq!(
            idle(None, &Config::default()),
            Some(crate::watch::DEFAULT_IDLE)
        );
        assert_eq!(idle(None, &config), Some(Duration::from_secs(300)));
        assert_eq!(idle(Some("7"), &config), Some(Duration::from_secs(7)));
        assert_eq!(idle(Some("x"), &config), None);
    }
}
