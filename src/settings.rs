//! Settings resolved once from the command line and the environment.

use crate::cli::{Cli, ColorChoice, Format};
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
}

impl Env {
    pub fn from_process() -> Env {
        use std::io::IsTerminal;
        let stdout_terminal = std::io::stdout().is_terminal();
        let terminal_width = if stdout_terminal {
            terminal_size::terminal_size()
                .map(|(w, _)| usize::from(w.0))
                .filter(|&w| w > 0)
        } else {
            None
        };
        Env {
            otpic_entries: std::env::var_os("OTPIC_ENTRIES").filter(|v| !v.is_empty()),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            columns: std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse().ok())
                .filter(|&c: &usize| c >= 20),
            term_dumb: std::env::var_os("TERM").is_some_and(|t| t == "dumb"),
            stdout_terminal,
            terminal_width,
            cache_dir: std::env::var_os("OTPIC_CACHE_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| dirs::cache_dir().map(|d| d.join("otpic"))),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub sources: Vec<Source>,
    pub format: Format,
    pub style: Style,
    /// Whether stdout is a terminal (lists group by kind there, and are one line per entry in a pipe).
    pub terminal: bool,
    /// Where the index is kept (`None`: built in memory each run).
    pub cache_dir: Option<PathBuf>,
}

impl Settings {
    pub fn resolve(cli: &Cli, env: &Env) -> Settings {
        let dirs: Vec<PathBuf> = if !cli.entries.is_empty() {
            cli.entries.clone()
        } else if let Some(list) = &env.otpic_entries {
            std::env::split_paths(list)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        } else {
            Vec::new()
        };
        let mut sources = Vec::new();
        if dirs.is_empty() || cli.with_embedded {
            sources.push(Source::Embedded);
        }
        sources.extend(dirs.into_iter().map(Source::Dir));

        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => env.stdout_terminal && !env.no_color && !env.term_dumb,
        };
        let width = cli
            .width
            .map(usize::from)
            .or(env.terminal_width)
            .or(env.columns)
            .unwrap_or(80);
        Settings {
            sources,
            format: cli.format,
            style: Style { color, width },
            terminal: env.stdout_terminal,
            cache_dir: env.cache_dir.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn resolve(args: &[&str], env: Env) -> Settings {
        let cli = Cli::try_parse_from(std::iter::once("otpic").chain(args.iter().copied()));
        match cli {
            Ok(cli) => Settings::resolve(&cli, &env),
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
}
