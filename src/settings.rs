//! Settings resolved once from the command line, the environment and the config file.
//!
//! Precedence: flags, then environment variables, then the config file, then defaults.

use crate::bibliography::BibFormat;
use crate::cli::{Cli, ColorChoice, Diagram, Format, OutputFormat};
use crate::config::{self, Config, ConfigFile};
use crate::error::{Error, Result};
use crate::pager::Pager;
use crate::source::Source;
use crate::style::Style;
use std::ffi::OsString;
use std::path::PathBuf;

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

#[derive(Debug, Clone)]
pub struct Settings {
    /// The knowledge bases to load, in load order.
    pub sources: Vec<Source>,
    /// Where each of `sources` comes from (parallel to it).
    pub origins: Vec<Origin>,
    pub format: Format,
    /// `--format dot` or `mermaid` (then `format` is text): a diagram, for `graph`.
    pub diagram: Option<Diagram>,
    /// `--format bibtex`, `csl-json` or `ris` (then `format` is text): only `sources` writes them.
    pub bibliography: Option<BibFormat>,
    pub style: Style,
    /// Whether stdout is a terminal (lists group by kind there, and are one line per entry in a pipe).
    pub terminal: bool,
    /// Where the index is kept (`None`: built in memory each run).
    pub cache_dir: Option<PathBuf>,
    /// Where the quiz's review state is kept (`None`: not kept).
    pub data_dir: Option<PathBuf>,
    /// Whether stdin is a terminal too (otpic only opens an editor or asks a question then).
    pub stdin_terminal: bool,
    /// The pager for long text output, when stdout is a terminal and paging is on.
    pub pager: Option<Pager>,
    /// The editor command line (`VISUAL`, else `EDITOR`).
    pub editor: Option<String>,
    /// The config file looked for, for `otpic paths`.
    pub config_file: ConfigFile,
    /// Whether and how to use a change watcher.
    pub watch: crate::watch::Options,
}

impl Settings {
    pub fn resolve(cli: &Cli, env: &Env) -> Result<Settings> {
        let config = env.config()?;
        let (sources, origins) = active_sources(&cli.entries, cli.with_embedded, env, &config)
            .into_iter()
            .unzip();

        let choice = cli.color.unwrap_or(match config.color {
            Some(config::Color::Always) => ColorChoice::Always,
            Some(config::Color::Never) => ColorChoice::Never,
            Some(config::Color::Auto) | None => ColorChoice::Auto,
        });
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => env.stdout_terminal && !env.no_color && !env.term_dumb,
        };
        let natural = env.terminal_width.or(env.columns);
        let width = cli
            .width
            .map(usize::from)
            .or_else(|| {
                config
                    .width
                    .map(|w| natural.map_or(usize::from(w), |n| n.min(usize::from(w))))
            })
            .or(natural)
            .unwrap_or(80);
        Ok(Settings {
            sources,
            origins,
            format: cli.format.split().0,
            diagram: cli.format.split().1,
            bibliography: match cli.format {
                OutputFormat::Bibtex => Some(BibFormat::Bibtex),
                OutputFormat::CslJson => Some(BibFormat::CslJson),
                OutputFormat::Ris => Some(BibFormat::Ris),
                _ => None,
            },
            style: Style { color, width },
            terminal: env.stdout_terminal,
            cache_dir: env.cache_dir.clone(),
            data_dir: env.data_dir.clone(),
            stdin_terminal: env.stdin_terminal,
            pager: pager(cli, env, &config),
            editor: env.editor.clone(),
            config_file: env.config.clone(),
            watch: watch_options(&env.watch, &config)?,
        })
    }
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

/// The pager, if paging applies: text output, stdout a terminal of known height, no
/// `--no-pager`. The command is `OTPIC_PAGER`, else the config file's `pager`, else
/// `PAGER`, else `less -R` (as git ranks `GIT_PAGER`, `core.pager` and `PAGER`); an
/// empty command, `cat`, or `pager = false` in the config file turn paging off.
fn pager(cli: &Cli, env: &Env, config: &Config) -> Option<Pager> {
    if cli.no_pager || cli.format != OutputFormat::Text || !env.stdout_terminal {
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
    use clap::Parser;

    fn resolve(args: &[&str], env: Env) -> Settings {
        let cli = Cli::try_parse_from(std::iter::once("otpic").chain(args.iter().copied()));
        match cli.map(|cli| Settings::resolve(&cli, &env)) {
            Ok(Ok(settings)) => settings,
            Ok(Err(e)) => panic!("{e}"),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn the_embedded_knowledge_base_is_the_default() {
        assert_eq!(
            resolve(&["list"], Env::default()).sources,
            [Source::Embedded]
        );
    }

    #[test]
    fn entries_flags_replace_the_environment_and_the_embedded_base() {
        let env = Env {
            otpic_entries: Some("/a:/b".into()),
            ..Env::default()
        };
        assert_eq!(
            resolve(&["list"], env.clone()).sources,
            [Source::Dir("/a".into()), Source::Dir("/b".into())]
        );
        assert_eq!(
            resolve(&["list", "--entries", "/c"], env).sources,
            [Source::Dir("/c".into())]
        );
    }

    #[test]
    fn with_embedded_puts_the_built_in_base_first() {
        let s = resolve(
            &["--with-embedded", "list", "--entries", "/c"],
            Env::default(),
        );
        assert_eq!(s.sources, [Source::Embedded, Source::Dir("/c".into())]);
    }

    #[test]
    fn color_is_automatic_only_on_a_terminal_without_no_color() {
        let tty = Env {
            stdout_terminal: true,
            ..Env::default()
        };
        assert!(resolve(&["list"], tty.clone()).style.color);
        assert!(
            !resolve(
                &["list"],
                Env {
                    no_color: true,
                    ..tty.clone()
                }
            )
            .style
            .color
        );
        assert!(!resolve(&["list"], Env::default()).style.color);
        assert!(
            resolve(
                &["list", "--color", "always"],
                Env {
                    no_color: true,
                    ..Env::default()
                }
            )
            .style
            .color
        );
        assert!(!resolve(&["--color=never", "list"], tty).style.color);
    }

    #[test]
    fn term_dumb_turns_automatic_color_off_but_not_color_always() {
        let dumb = Env {
            stdout_terminal: true,
            term_dumb: true,
            ..Env::default()
        };
        assert!(!resolve(&["list"], dumb.clone()).style.color);
        assert!(resolve(&["list", "--color", "always"], dumb).style.color);
    }

    #[test]
    fn width_comes_from_the_flag_then_the_terminal_then_columns_then_80() {
        let env = Env {
            terminal_width: Some(120),
            columns: Some(100),
            ..Env::default()
        };
        assert_eq!(
            resolve(&["list", "--width", "50"], env.clone()).style.width,
            50
        );
        assert_eq!(resolve(&["list"], env).style.width, 120);
        assert_eq!(
            resolve(
                &["list"],
                Env {
                    columns: Some(100),
                    ..Env::default()
                }
            )
            .style
            .width,
            100
        );
        assert_eq!(resolve(&["list"], Env::default()).style.width, 80);
    }

    fn with_config(config: Config) -> Env {
        Env {
            config: ConfigFile {
                path: Some("/c/config.toml".into()),
                from_env: false,
                state: config::State::Loaded(config),
            },
            ..Env::default()
        }
    }

    #[test]
    fn config_entries_come_after_the_flag_and_the_environment() {
        let env = with_config(Config {
            entries: vec!["/conf".into()],
            ..Config::default()
        });
        assert_eq!(
            resolve(&["list"], env.clone()).sources,
            [Source::Dir("/conf".into())]
        );
        assert_eq!(resolve(&["list"], env.clone()).origins, [Origin::Config]);
        let with_var = Env {
            otpic_entries: Some("/var".into()),
            ..env.clone()
        };
        assert_eq!(
            resolve(&["list"], with_var.clone()).sources,
            [Source::Dir("/var".into())]
        );
        assert_eq!(
            resolve(&["list", "--entries", "/flag"], with_var).sources,
            [Source::Dir("/flag".into())]
        );
    }

    #[test]
    fn with_embedded_in_the_config_keeps_the_built_in_base() {
        let env = with_config(Config {
            entries: vec!["/conf".into()],
            with_embedded: Some(true),
            ..Config::default()
        });
        let s = resolve(&["list"], env);
        assert_eq!(s.sources, [Source::Embedded, Source::Dir("/conf".into())]);
        assert_eq!(s.origins, [Origin::WithEmbeddedConfig, Origin::Config]);
    }

    #[test]
    fn a_broken_config_file_is_an_error() {
        let env = Env {
            config: ConfigFile {
                path: Some("/c/config.toml".into()),
                from_env: false,
                state: config::State::Broken("/c/config.toml:1:1: bad".into()),
            },
            ..Env::default()
        };
        let cli = Cli::try_parse_from(["otpic", "list"]);
        let result = cli.map(|cli| Settings::resolve(&cli, &env).map(|_| ()));
        assert!(
            matches!(result, Ok(Err(Error::Config(ref m))) if m == "/c/config.toml:1:1: bad"),
            "{result:?}"
        );
    }

    #[test]
    fn config_color_overrides_no_color_and_the_flag_overrides_the_config() {
        let env = Env {
            no_color: true,
            ..with_config(Config {
                color: Some(config::Color::Always),
                ..Config::default()
            })
        };
        assert!(resolve(&["list"], env.clone()).style.color);
        assert!(!resolve(&["list", "--color", "auto"], env).style.color);
    }

    #[test]
    fn config_width_is_a_maximum_and_the_flag_wins() {
        let env = Env {
            terminal_width: Some(120),
            ..with_config(Config {
                width: Some(100),
                ..Config::default()
            })
        };
        assert_eq!(resolve(&["list"], env.clone()).style.width, 100);
        assert_eq!(
            resolve(
                &["list"],
                Env {
                    terminal_width: Some(70),
                    ..env.clone()
                }
            )
            .style
            .width,
            70
        );
        assert_eq!(resolve(&["list", "--width", "110"], env).style.width, 110);
    }

    fn tty(rows: usize) -> Env {
        Env {
            stdout_terminal: true,
            terminal_height: Some(rows),
            ..Env::default()
        }
    }

    fn pager_of(args: &[&str], env: Env) -> Option<String> {
        resolve(args, env).pager.map(|p| p.command)
    }

    #[test]
    fn the_pager_is_otpic_pager_then_config_then_pager_then_less() {
        let env = Env {
            pager: Some("more".into()),
            ..tty(24)
        };
        assert_eq!(pager_of(&["list"], tty(24)).as_deref(), Some("less -R"));
        assert_eq!(pager_of(&["list"], env.clone()).as_deref(), Some("more"));
        let configured = Env {
            config: with_config(Config {
                pager: Some(config::Pager::Command("most".into())),
                ..Config::default()
            })
            .config,
            ..env
        };
        assert_eq!(
            pager_of(&["list"], configured.clone()).as_deref(),
            Some("most")
        );
        let overridden = Env {
            otpic_pager: Some("pg".into()),
            ..configured
        };
        assert_eq!(
            pager_of(&["list"], overridden.clone()).as_deref(),
            Some("pg")
        );
        assert_eq!(pager_of(&["list", "--no-pager"], overridden), None);
    }

    #[test]
    fn no_pager_in_a_pipe_for_json_for_an_unknown_height_or_when_turned_off() {
        let piped = Env {
            stdout_terminal: false,
            ..tty(24)
        };
        assert_eq!(pager_of(&["list"], piped), None);
        assert_eq!(pager_of(&["list", "--format", "json"], tty(24)), None);
        let unknown = Env {
            terminal_height: None,
            ..tty(24)
        };
        assert_eq!(pager_of(&["list"], unknown), None);
        for off in ["", "cat"] {
            let env = Env {
                otpic_pager: Some(off.into()),
                ..tty(24)
            };
            assert_eq!(pager_of(&["list"], env), None, "{off:?}");
        }
        let config_off = Env {
            config: with_config(Config {
                pager: Some(config::Pager::Enabled(false)),
                ..Config::default()
            })
            .config,
            pager: Some("more".into()),
            ..tty(24)
        };
        assert_eq!(pager_of(&["list"], config_off), None);
    }

    #[test]
    fn less_gets_its_options_only_when_less_is_not_set() {
        let p = resolve(&["list"], tty(24)).pager;
        assert!(p.is_some_and(|p| p.set_less && p.height == 24));
        let p = resolve(
            &["list"],
            Env {
                less_set: true,
                ..tty(24)
            },
        )
        .pager;
        assert!(p.is_some_and(|p| !p.set_less));
    }

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
