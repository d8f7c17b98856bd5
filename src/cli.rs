//! The command line, as clap parses it. Behaviour code sees [`crate::settings::Settings`] instead.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Knowledge bases:
  By default otpic browses the OTPIC knowledge base built into it. --entries DIR
  (repeatable) or OTPIC_ENTRIES (a ':'-separated list of directories) browse
  other knowledge bases instead; add --with-embedded to keep the built-in one
  as well. A later knowledge base overrides an earlier one on the same id.

Exit status:
  0  success
  1  no entry found, nothing matched, or `check` found errors
  2  usage error, unreadable knowledge base, or failure to write output

Environment:
  OTPIC_ENTRIES  knowledge base directories, ':'-separated (--entries wins)
  NO_COLOR       when set and not empty, no color unless --color always
  COLUMNS        the width when it cannot be measured (--width wins)";

/// Browse a knowledge base of concepts: the approaches and problems of the
/// Online Training Program on Intractable Conflict (OTPIC), or your own.
#[derive(Debug, Parser)]
#[command(name = "otpic", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Browse the knowledge base in DIR instead of the built-in one (repeatable).
    #[arg(long = "entries", value_name = "DIR", global = true)]
    pub entries: Vec<PathBuf>,

    /// Keep the built-in OTPIC knowledge base when --entries or OTPIC_ENTRIES is given.
    #[arg(long, global = true)]
    pub with_embedded: bool,

    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Text, global = true)]
    pub format: Format,

    /// When to use color and styles: auto styles only a terminal.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// Wrap text to N columns (default: the terminal's width, or 80).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..=1000), global = true)]
    pub width: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Formatted for reading.
    Text,
    /// JSON, for scripts.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show an entry: definition, examples, sources, related entries and provenance.
    #[command(
        after_help = "The query is an id, title or alias; a unique prefix or a close misspelling also works.\nExample: otpic show un good offices"
    )]
    Show(QueryArgs),

    /// List what an entry links to and what links to it.
    Related {
        #[command(flatten)]
        query: QueryArgs,
        /// Follow links this many steps away (breadth-first).
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
        depth: u32,
    },

    /// List every entry; on a terminal, grouped by kind.
    List {
        /// Only entries of this kind (approach, problem, concept, organization, case…).
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// Only entries with this tag.
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
    },

    /// Search titles, aliases, summaries, definitions and examples.
    Search {
        /// Words to look for.
        #[arg(required = true, value_name = "TERMS")]
        terms: Vec<String>,
        /// Show at most N hits.
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
    },

    /// Every title in alphabetical order with its one-line summary.
    Glossary,

    /// Validate the knowledge base: report every error and warning, file:line:column.
    #[command(
        after_help = "Errors: TOML syntax, wrong field types, missing required fields, duplicate ids, invalid ids,\nunresolved links, a title or alias two entries share, files that are not UTF-8 or over 1 MiB.\nWarnings: unknown fields, empty summaries or definitions, links to self, one-way links,\norphans, links that resolve only by prefix or fuzzy matching.\nExit status 1 on any error (with --strict, on any warning too), else 0."
    )]
    Check {
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The entry: its id, title or alias (several words are joined).
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// Match ids, titles and aliases exactly: no prefixes, no fuzzy matching.
    #[arg(long)]
    pub exact: bool,
}

impl QueryArgs {
    pub fn text(&self) -> String {
        self.query.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
