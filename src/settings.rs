//! Settings resolved once from the command line, the environment and the config file.
//!
//! Precedence: flags, then environment variables, then the config file, then defaults.
//! The flags arrive as plain values ([`Flags`]): this module knows nothing of clap.

use crate::bibliography::BibFormat;
use crate::config::{self, ConfigFile};
use crate::env::{self, ColorChoice, Diagram, Env, Format, Origin};
use crate::error::Result;
use crate::pager::Pager;
use crate::source::Source;
use crate::style::Style;
use std::path::PathBuf;

/// What the command line's global flags ask for, as plain values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    /// `--entries DIR`, in the order given.
    pub entries: Vec<PathBuf>,
    /// `--with-embedded`.
    pub with_embedded: bool,
    /// The format of `--format`; text for a diagram or a bibliography format.
    pub format: Format,
    /// `--format dot` or `mermaid`.
    pub diagram: Option<Diagram>,
    /// `--format bibtex`, `csl-json` or `ris`.
    pub bibliography: Option<BibFormat>,
    /// `--color WHEN`.
    pub color: Option<ColorChoice>,
    /// `--width N`.
    pub width: Option<u16>,
    /// `--no-pager`.
    pub no_pager: bool,
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
    pub fn resolve(flags: &Flags, env: &Env) -> Result<Settings> {
        let config = env.config()?;
        let (sources, origins) =
            env::active_sources(&flags.entries, flags.with_embedded, env, &config)
                .into_iter()
                .unzip();

        let choice = flags.color.unwrap_or(match config.color {
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
        let width = flags
            .width
            .map(usize::from)
            .or_else(|| {
                config
                    .width
                    .map(|w| natural.map_or(usize::from(w), |n| n.min(usize::from(w))))
            })
            .or(natural)
            .unwrap_or(80);
        // Only plain text is paged: not JSON, Markdown, diagrams or bibliographies.
        let text =
            flags.format == Format::Text && flags.diagram.is_none() && flags.bibliography.is_none();
        Ok(Settings {
            sources,
            origins,
            format: flags.format,
            diagram: flags.diagram,
            bibliography: flags.bibliography,
            style: Style { color, width },
            terminal: env.stdout_terminal,
            cache_dir: env.cache_dir.clone(),
            data_dir: env.data_dir.clone(),
            stdin_terminal: env.stdin_terminal,
            pager: env::pager(text && !flags.no_pager, env, &config),
            editor: env.editor.clone(),
            config_file: env.config.clone(),
            watch: env::watch_options(&env.watch, &config)?,
        })
    }

    /// The knowledge base directory new entries go to: the first one `otpic paths`
    /// lists, which is the one of highest precedence.
    pub fn first_user_dir(&self) -> Option<PathBuf> {
        self.sources.iter().rev().find_map(|s| match s {
            Source::Dir(dir) => Some(dir.clone()),
            Source::Embedded => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, ConfigFile};
    use crate::error::Error;

    fn resolve(flags: Flags, env: Env) -> Settings {
        match Settings::resolve(&flags, &env) {
            Ok(settings) => settings,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn the_embedded_knowledge_base_is_the_default() {
        assert_eq!(
            resolve(Flags::default(), Env::default()).sources,
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
            resolve(Flags::default(), env.clone()).sources,
            [Source::Dir("/a".into()), Source::Dir("/b".into())]
        );
        assert_eq!(
            resolve(
                Flags {
                    entries: vec!["/c".into()],
                    ..Flags::default()
                },
                env
            )
            .sources,
            [Source::Dir("/c".into())]
        );
    }

    #[test]
    fn with_embedded_puts_the_built_in_base_first() {
        let s = resolve(
            Flags {
                with_embedded: true,
                entries: vec!["/c".into()],
                ..Flags::default()
            },
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
        assert!(resolve(Flags::default(), tty.clone()).style.color);
        assert!(
            !resolve(
                Flags::default(),
                Env {
                    no_color: true,
                    ..tty.clone()
                }
            )
            .style
            .color
        );
        assert!(!resolve(Flags::default(), Env::default()).style.color);
        assert!(
            resolve(
                Flags {
                    color: Some(ColorChoice::Always),
                    ..Flags::default()
                },
                Env {
                    no_color: true,
                    ..Env::default()
                }
            )
            .style
            .color
        );
        assert!(
            !resolve(
                Flags {
                    color: Some(ColorChoice::Never),
                    ..Flags::default()
                },
                tty
            )
            .style
            .color
        );
    }

    #[test]
    fn term_dumb_turns_automatic_color_off_but_not_color_always() {
        let dumb = Env {
            stdout_terminal: true,
            term_dumb: true,
            ..Env::default()
        };
        assert!(!resolve(Flags::default(), dumb.clone()).style.color);
        assert!(
            resolve(
                Flags {
                    color: Some(ColorChoice::Always),
                    ..Flags::default()
                },
                dumb
            )
            .style
            .color
        );
    }

    #[test]
    fn width_comes_from_the_flag_then_the_terminal_then_columns_then_80() {
        let env = Env {
            terminal_width: Some(120),
            columns: Some(100),
            ..Env::default()
        };
        assert_eq!(
            resolve(
                Flags {
                    width: Some(50),
                    ..Flags::default()
                },
                env.clone()
            )
            .style
            .width,
            50
        );
        assert_eq!(resolve(Flags::default(), env).style.width, 120);
        assert_eq!(
            resolve(
                Flags::default(),
                Env {
                    columns: Some(100),
                    ..Env::default()
                }
            )
            .style
            .width,
            100
        );
        assert_eq!(resolve(Flags::default(), Env::default()).style.width, 80);
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
            resolve(Flags::default(), env.clone()).sources,
            [Source::Dir("/conf".into())]
        );
        assert_eq!(
            resolve(Flags::default(), env.clone()).origins,
            [Origin::Config]
        );
        let with_var = Env {
            otpic_entries: Some("/var".into()),
            ..env.clone()
        };
        assert_eq!(
            resolve(Flags::default(), with_var.clone()).sources,
            [Source::Dir("/var".into())]
        );
        assert_eq!(
            resolve(
                Flags {
                    entries: vec!["/flag".into()],
                    ..Flags::default()
                },
                with_var
            )
            .sources,
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
        let s = resolve(Flags::default(), env);
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
        let result = Settings::resolve(&Flags::default(), &env).map(|_| ());
        assert!(
            matches!(result, Err(Error::Config(ref m)) if m == "/c/config.toml:1:1: bad"),
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
        assert!(resolve(Flags::default(), env.clone()).style.color);
        assert!(
            !resolve(
                Flags {
                    color: Some(ColorChoice::Auto),
                    ..Flags::default()
                },
                env
            )
            .style
            .color
        );
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
        assert_eq!(resolve(Flags::default(), env.clone()).style.width, 100);
        assert_eq!(
            resolve(
                Flags::default(),
                Env {
                    terminal_width: Some(70),
                    ..env.clone()
                }
            )
            .style
            .width,
            70
        );
        assert_eq!(
            resolve(
                Flags {
                    width: Some(110),
                    ..Flags::default()
                },
                env
            )
            .style
            .width,
            110
        );
    }

    fn tty(rows: usize) -> Env {
        Env {
            stdout_terminal: true,
            terminal_height: Some(rows),
            ..Env::default()
        }
    }

    fn pager_of(flags: Flags, env: Env) -> Option<String> {
        resolve(flags, env).pager.map(|p| p.command)
    }

    #[test]
    fn the_pager_is_otpic_pager_then_config_then_pager_then_less() {
        let env = Env {
            pager: Some("more".into()),
            ..tty(24)
        };
        assert_eq!(
            pager_of(Flags::default(), tty(24)).as_deref(),
            Some("less -R")
        );
        assert_eq!(
            pager_of(Flags::default(), env.clone()).as_deref(),
            Some("more")
        );
        let configured = Env {
            config: with_config(Config {
                pager: Some(config::Pager::Command("most".into())),
                ..Config::default()
            })
            .config,
            ..env
        };
        assert_eq!(
            pager_of(Flags::default(), configured.clone()).as_deref(),
            Some("most")
        );
        let overridden = Env {
            otpic_pager: Some("pg".into()),
            ..configured
        };
        assert_eq!(
            pager_of(Flags::default(), overridden.clone()).as_deref(),
            Some("pg")
        );
        assert_eq!(
            pager_of(
                Flags {
                    no_pager: true,
                    ..Flags::default()
                },
                overridden
            ),
            None
        );
    }

    #[test]
    fn no_pager_in_a_pipe_for_json_for_an_unknown_height_or_when_turned_off() {
        let piped = Env {
            stdout_terminal: false,
            ..tty(24)
        };
        assert_eq!(pager_of(Flags::default(), piped), None);
        assert_eq!(
            pager_of(
                Flags {
                    format: Format::Json,
                    ..Flags::default()
                },
                tty(24)
            ),
            None
        );
        let unknown = Env {
            terminal_height: None,
            ..tty(24)
        };
        assert_eq!(pager_of(Flags::default(), unknown), None);
        for off in ["", "cat"] {
            let env = Env {
                otpic_pager: Some(off.into()),
                ..tty(24)
            };
            assert_eq!(pager_of(Flags::default(), env), None, "{off:?}");
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
        assert_eq!(pager_of(Flags::default(), config_off), None);
    }

    #[test]
    fn less_gets_its_options_only_when_less_is_not_set() {
        let p = resolve(Flags::default(), tty(24)).pager;
        assert!(p.is_some_and(|p| p.set_less && p.height == 24));
        let p = resolve(
            Flags::default(),
            Env {
                less_set: true,
                ..tty(24)
            },
        )
        .pager;
        assert!(p.is_some_and(|p| !p.set_less));
    }
}
