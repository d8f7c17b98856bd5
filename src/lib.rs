//! otpic: a command-line browser for a knowledge base of concepts.
//!
//! The binary is a thin wrapper over [`run`]; tests and benchmarks use the same code.

pub mod bibliography;
pub mod browse;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod entry;
pub mod env;
pub mod error;
pub mod external;
pub mod fuzzy;
pub mod graph;
pub mod index;
pub mod inline_links;
pub mod json;
pub mod kb;
pub mod kinds;
pub mod links;
pub mod lookup;
pub mod name;
pub mod new_file;
pub mod pager;
pub mod parallel;
pub mod precedence;
pub mod quiz;
pub mod raw;
pub mod relation;
pub mod render;
pub mod sanitize;
pub mod search;
pub mod select;
pub mod settings;
pub mod site;
pub mod source;
pub mod style;
pub mod suggestion;
pub mod tokenize;
pub mod view;
pub mod walk;
pub mod watch;

/// The built-in knowledge base as `build.rs` writes it: its files
/// (`FILES`, `RELATIONS`), and their index (`INDEX`, `INDEX_KEY`, see
/// [`index::embedded`]).
mod built_in {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

use clap::Parser;
use std::ffi::OsString;
use std::io::Write;

/// Parses `args` and runs the command, writing data to `out` and diagnostics to `err`.
/// Returns the exit status for a success (0); failures come back as [`error::Error`].
pub fn run<I, O, E>(args: I, env: &env::Env, out: &mut O, err: &mut E) -> error::Result<u8>
where
    I: IntoIterator<Item = OsString>,
    O: Write + ?Sized,
    E: Write + ?Sized,
{
    let cli = match cli::Cli::try_parse_from(cli::exclusions_last(args)) {
        Ok(cli) => cli,
        Err(clap_err) => {
            let styled = if env.stdout_terminal {
                clap_err.render().ansi().to_string()
            } else {
                clap_err.render().to_string()
            };
            if clap_err.use_stderr() {
                let _ = write!(err, "{styled}");
                return Ok(error::EXIT_USAGE);
            }
            write!(out, "{styled}")?;
            return Ok(error::EXIT_OK);
        }
    };
    commands::run(&cli, env, out, err)
}
