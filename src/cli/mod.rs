//! The command line, as clap parses it, and its completion ([`complete`]). Behaviour
//! code sees [`crate::settings::Settings`] instead, made from [`Cli::flags`].

pub mod complete;

use crate::bibliography::BibFormat;
use crate::env::{ColorChoice, Diagram, Format};
use crate::settings::Flags;
pub use crate::view::record::Field;
use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};
use clap_complete::engine::ArgValueCompleter;
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Knowledge bases:
  By default otpic browses the OTPIC knowledge base built into it. --entries DIR
  (repeatable), else OTPIC_ENTRIES (a ':'-separated list of directories), else
  `entries` in the config file browse other knowledge bases instead; add
  --with-embedded to keep the built-in one as well. A later knowledge base
  overrides an earlier one on the same id. `otpic paths` shows which are active.

Exit status:
  0  success
  1  no entry found, nothing matched, `check` found errors, or an edited entry has errors
  2  usage error, unreadable knowledge base or config file, a file that exists
     already, or failure to write output
  128+N  browse ended by signal N (130: Ctrl-C or SIGINT, 143: SIGTERM)

Environment:
  OTPIC_ENTRIES    knowledge base directories, ':'-separated (--entries wins)
  OTPIC_CONFIG     the config file to read instead of the default one
  OTPIC_CACHE_DIR  where knowledge base indexes are kept (default: the platform's
                   cache directory, e.g. ~/.cache/otpic); safe to delete
  OTPIC_DATA_DIR   where `quiz` keeps its review state (default: the platform's data
                   directory, e.g. ~/.local/share/otpic); not a cache
  OTPIC_PAGER      the pager for long output on a terminal (then PAGER, then less -R)
  VISUAL, EDITOR   the editor for `new` and `edit`
  NO_COLOR         when set and not empty, no color unless --color always
  COLUMNS          the width when it cannot be measured (--width wins)
  OTPIC_WATCH      1 to use a change watcher, 0 not to (the config file's `watch`)

Config file: $XDG_CONFIG_HOME/otpic/config.toml or ~/.config/otpic/config.toml on
Linux (see `otpic paths`). Flags override the environment, which overrides the file.
Full manual: `otpic man | man -l -`.";

/// Browse a knowledge base of concepts: the approaches and problems of the
/// Online Training Program on Intractable Conflict (OTPIC), or your own.
#[derive(Debug, Parser)]
#[command(name = "otpic", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Browse the knowledge base in DIR instead of the built-in one (repeatable).
    #[arg(long = "entries", value_name = "DIR", value_hint = ValueHint::DirPath, global = true)]
    pub entries: Vec<PathBuf>,

    /// Keep the built-in OTPIC knowledge base when other knowledge bases are given.
    #[arg(long, global = true)]
    pub with_embedded: bool,

    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = OutputFormat::Text, global = true)]
    pub format: OutputFormat,

    /// When to use color and styles: auto (the default) styles only a terminal.
    #[arg(long, value_enum, value_name = "WHEN", global = true)]
    pub color: Option<ColorChoice>,

    /// Wrap text to N columns (default: the terminal's width, at most the config file's
    /// width; else COLUMNS, else 80).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..=1000), global = true)]
    pub width: Option<u16>,

    /// Never send long output through a pager.
    #[arg(long, global = true)]
    pub no_pager: bool,
}

/// `--format` as given: a format every command has, or a diagram for `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Formatted for reading.
    Text,
    /// JSON, for scripts.
    Json,
    /// Plain Markdown, for export (show, list, glossary, related, path, compare, graph).
    Markdown,
    /// Graphviz input, for `graph` (`otpic graph --format dot | dot -Tsvg`).
    Dot,
    /// A Mermaid flowchart, for `graph` (renders in GitHub Markdown).
    Mermaid,
    /// BibTeX (sources).
    Bibtex,
    /// CSL-JSON, as citation managers such as Zotero import it (sources).
    #[value(name = "csl-json")]
    CslJson,
    /// RIS (sources).
    Ris,
}

impl OutputFormat {
    /// The format of ordinary output and, for `graph`, the diagram asked for.
    pub fn split(self) -> (Format, Option<Diagram>) {
        match self {
            OutputFormat::Text => (Format::Text, None),
            OutputFormat::Json => (Format::Json, None),
            OutputFormat::Markdown => (Format::Markdown, None),
            OutputFormat::Dot => (Format::Text, Some(Diagram::Dot)),
            OutputFormat::Mermaid => (Format::Text, Some(Diagram::Mermaid)),
            OutputFormat::Bibtex | OutputFormat::CslJson | OutputFormat::Ris => {
                (Format::Text, None)
            }
        }
    }

    /// The bibliography format asked for, for `sources`.
    pub fn bibliography(self) -> Option<BibFormat> {
        match self {
            OutputFormat::Bibtex => Some(BibFormat::Bibtex),
            OutputFormat::CslJson => Some(BibFormat::CslJson),
            OutputFormat::Ris => Some(BibFormat::Ris),
            _ => None,
        }
    }
}

impl Cli {
    /// The global flags, as the plain values settings are resolved from.
    pub fn flags(&self) -> Flags {
        let (format, diagram) = self.format.split();
        Flags {
            entries: self.entries.clone(),
            with_embedded: self.with_embedded,
            format,
            diagram,
            bibliography: self.format.bibliography(),
            color: self.color,
            width: self.width,
            no_pager: self.no_pager,
        }
    }
}

/// `--relation NAME`, repeatable: the relations to follow.
#[derive(Debug, Clone, Default, Args)]
pub struct RelationArgs {
    /// Follow only links of this relation (repeatable; see the knowledge base's .otpic.toml).
    #[arg(long = "relation", value_name = "NAME", add = ArgValueCompleter::new(complete::relations))]
    pub relations: Vec<String>,
}

/// `--color WHEN`: the values of [`ColorChoice`], which knows nothing of clap.
impl ValueEnum for ColorChoice {
    fn value_variants<'a>() -> &'a [Self] {
        &[ColorChoice::Auto, ColorChoice::Always, ColorChoice::Never]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            ColorChoice::Auto => "auto",
            ColorChoice::Always => "always",
            ColorChoice::Never => "never",
        }))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show an entry: definition, examples, sources, related entries and provenance.
    #[command(
        after_help = "The query is an id, title or alias; a unique prefix or a close misspelling also works.\nExample: otpic show un good offices\n         otpic show --field related_approaches coercive-diplomacy"
    )]
    Show {
        #[command(flatten)]
        query: QueryArgs,
        /// Print only this field, raw: lists one item per line, links as entry ids (an
        /// unresolved link as `?` and its text).
        #[arg(long, value_enum, value_name = "NAME")]
        field: Option<Field>,
    },

    /// List what an entry links to and what links to it.
    Related {
        #[command(flatten)]
        query: QueryArgs,
        /// Follow links this many steps away (breadth-first); above 1, a tree.
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
        depth: u32,
        #[command(flatten)]
        relation: RelationArgs,
        /// Follow backlinks only (what links to the entry).
        #[arg(long)]
        reverse: bool,
    },

    /// The shortest chain of links from one entry to another.
    #[command(
        after_help = "Links are followed in either direction unless --directed. Of equally short paths the one\nthrough smaller ids comes first. Exit status 1 when there is no path.\nExample: otpic path coercive-diplomacy collective-security"
    )]
    Path {
        /// Where the path starts: an id, title or alias (quote several words).
        #[arg(value_name = "A", add = ArgValueCompleter::new(complete::entry_names))]
        from: String,
        /// Where it ends.
        #[arg(value_name = "B", add = ArgValueCompleter::new(complete::entry_names))]
        to: String,
        /// Match ids, titles and aliases exactly: no prefixes, no fuzzy matching.
        #[arg(long)]
        exact: bool,
        /// Follow links forwards only.
        #[arg(long)]
        directed: bool,
        #[command(flatten)]
        relation: RelationArgs,
        /// Print up to N shortest paths, shortest first.
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
        paths: u32,
    },

    /// The concept graph, whole or around one entry, as text, JSON, Graphviz or Mermaid.
    #[command(
        after_help = "Without QUERY, the whole knowledge base. --format dot gives Graphviz input\n(otpic graph --format dot | dot -Tsvg > graph.svg), --format mermaid a flowchart for\nGitHub Markdown. The output is sorted: the same graph gives the same bytes."
    )]
    Graph {
        /// The entry at the centre (an id, title or alias); none: every entry.
        #[arg(value_name = "QUERY", add = ArgValueCompleter::new(complete::entry_names))]
        query: Vec<String>,
        /// Match ids, titles and aliases exactly: no prefixes, no fuzzy matching.
        #[arg(long)]
        exact: bool,
        /// With QUERY: the entries within N links of it, in either direction.
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
        depth: u32,
        #[command(flatten)]
        relation: RelationArgs,
        /// Only entries of this kind (repeatable).
        #[arg(long, value_name = "KIND", add = ArgValueCompleter::new(complete::kinds))]
        kind: Vec<String>,
        /// Only entries with this tag (repeatable).
        #[arg(long, value_name = "TAG", add = ArgValueCompleter::new(complete::tags))]
        tag: Vec<String>,
    },

    /// Two entries side by side: summaries, links between them, shared and distinct neighbours and tags.
    Compare {
        /// The first entry: an id, title or alias (quote several words).
        #[arg(value_name = "A", add = ArgValueCompleter::new(complete::entry_names))]
        a: String,
        /// The second entry.
        #[arg(value_name = "B", add = ArgValueCompleter::new(complete::entry_names))]
        b: String,
        /// Match ids, titles and aliases exactly: no prefixes, no fuzzy matching.
        #[arg(long)]
        exact: bool,
    },

    /// Read entries full-screen: follow links, go back and forward, jump and search.
    #[command(
        after_help = "Keys: Tab focus text/links · ↑↓ jk move · PgUp PgDn Space page · g G top/bottom\n      Enter open · ← h Backspace back · → l forward · / jump · s search · r random\n      ? all keys · q or Esc quit. The mouse wheel scrolls; a click opens a link.\nNeeds a terminal on stdin and stdout (exit status 2 otherwise): scripts use show,\nrelated and search. SIGINT, SIGTERM and SIGHUP end it with status 128 + the signal."
    )]
    Browse {
        /// The entry to open: its id, title or alias (default: a start page of every entry).
        #[arg(value_name = "QUERY", add = ArgValueCompleter::new(complete::entry_names))]
        query: Vec<String>,
        /// Match ids, titles and aliases exactly: no prefixes, no fuzzy matching.
        #[arg(long)]
        exact: bool,
    },

    /// List every entry; on a terminal, grouped by kind.
    List {
        /// Only entries of this kind (approach, problem, concept, organization, case…).
        #[arg(long, value_name = "KIND", add = ArgValueCompleter::new(complete::kinds))]
        kind: Option<String>,
        /// Only entries with this tag.
        #[arg(long, value_name = "TAG", add = ArgValueCompleter::new(complete::tags))]
        tag: Option<String>,
    },

    /// Search titles, aliases, summaries, definitions, examples and sources.
    #[command(
        after_help = "Words match their other forms (\"networks\" finds \"network\"), without regard to case or\naccents; common words (\"the\", \"of\") find nothing by themselves.\n  \"good offices\"   the words in this order (quote the quotes for the shell: '\"good offices\"')\n  -word            leave out entries holding the word\n  title:word       only in titles (likewise tag:, author:); kind:approach only that kind\nExample: otpic search city networks -cve"
    )]
    Search {
        /// Words to look for: words, "phrases", -word, title:, tag:, author:, kind:.
        #[arg(required = true, value_name = "TERMS")]
        terms: Vec<String>,
        /// Show at most N hits (0: all of them).
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
    },

    /// Every title in alphabetical order with its one-line summary.
    Glossary {
        /// Only entries of this kind (approach, problem, concept, organization, case…).
        #[arg(long, value_name = "KIND", add = ArgValueCompleter::new(complete::kinds))]
        kind: Option<String>,
        /// Only entries with this tag.
        #[arg(long, value_name = "TAG", add = ArgValueCompleter::new(complete::tags))]
        tag: Option<String>,
    },

    /// Every tag with how many entries carry it, most used first.
    Tags,

    /// Validate the knowledge base: report every error and warning, file:line:column.
    #[command(
        after_help = "Errors: TOML syntax, wrong field types, missing required fields, duplicate ids, invalid ids,\nunresolved links (also those a prefix or misspelling would find: links need an exact name),\na title or alias two entries share, files that are not UTF-8 or over 1 MiB.\nWarnings: unknown fields, empty summaries or definitions, links to self, one-way links, orphans,\nan unfilled definition from `otpic new`.\nExit status 1 on any error (with --strict, on any warning too), else 0."
    )]
    Check {
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        strict: bool,
    },

    /// Write a new entry file with every field laid out, and open it in your editor.
    #[command(
        after_help = "The file is <DIR>/<id>.toml, the id made from the title. DIR defaults to the first\nknowledge base `otpic paths` lists that is a directory. An existing file is never\noverwritten. The editor ($VISUAL, then $EDITOR) opens only when stdin and stdout are\na terminal; the path of the new file is printed on stdout."
    )]
    New {
        /// The title of the new entry (several words are joined).
        #[arg(required = true, value_name = "TITLE")]
        title: Vec<String>,
        /// Its kind: approach, problem, concept (the default), organization, case…
        #[arg(long, value_name = "KIND", add = ArgValueCompleter::new(complete::kinds))]
        kind: Option<String>,
        /// The id (and file name) to use instead of one made from the title.
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// The knowledge base directory to write to (created if missing).
        #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
        dir: Option<PathBuf>,
    },

    /// Open an entry's file in your editor ($VISUAL, then $EDITOR), then check it.
    #[command(
        after_help = "An entry of the built-in knowledge base cannot be edited in place: --copy-to DIR\ncopies it to DIR/<id>.toml first (on a terminal, otpic offers to). Nothing is ever\noverwritten."
    )]
    Edit {
        #[command(flatten)]
        query: QueryArgs,
        /// For a built-in entry: copy it into DIR, then edit the copy.
        #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
        copy_to: Option<PathBuf>,
    },

    /// Show the active knowledge bases, highest precedence first, and the config file.
    Paths,

    /// Print the shell script that registers completions (with entry names).
    #[command(
        after_help = "Install (see docs/scripting.md):\n  bash:       echo 'source <(otpic completions bash)' >> ~/.bashrc\n  zsh:        echo 'source <(otpic completions zsh)' >> ~/.zshrc\n  fish:       echo 'otpic completions fish | source' >> ~/.config/fish/config.fish\n  powershell: otpic completions powershell | Out-String | Invoke-Expression   (in $PROFILE)"
    )]
    Completions {
        /// The shell to register with.
        #[arg(value_enum, value_name = "SHELL")]
        shell: Shell,
    },

    /// Print the manual page (roff); read it with `otpic man | man -l -`.
    Man,

    /// Write the knowledge base as a static website: a page per entry, kind and tag,
    /// a glossary and an offline search page.
    #[command(
        after_help = "The site works from file:// as well as from any static web server (GitHub Pages…):
relative links only, no external scripts, fonts or styles. It is written to a new
folder beside OUT_DIR and moved into place when complete. A non-empty OUT_DIR that
`otpic site` did not write is refused unless --force.
Example: otpic site public && xdg-open public/index.html"
    )]
    Site {
        /// The folder to write the site into (created if missing; replaced as a whole).
        #[arg(value_name = "OUT_DIR", value_hint = ValueHint::DirPath)]
        out_dir: PathBuf,
        /// The site's title (default: the built-in knowledge base's name, or "Knowledge base").
        #[arg(long, value_name = "TITLE")]
        title: Option<String>,
        /// Replace OUT_DIR even if it holds files that `otpic site` did not write.
        #[arg(long)]
        force: bool,
    },

    /// Gather the works that entries cite into one bibliography, each work once.
    #[command(
        after_help = "Every work named in examples and sources of the selected entries (all, a kind, a tag, or\nQUERY and the entries --depth links away), each once with the entries citing it, sorted by\nauthor then year. Works with no author or year are kept and flagged.\nFormats: text, json, bibtex, csl-json (for Zotero and other citation managers), ris.\nExample: otpic sources coercive diplomacy --depth 1 --format bibtex > coercion.bib"
    )]
    Sources {
        #[command(flatten)]
        select: SelectArgs,
    },

    /// Quiz yourself on the knowledge base; reviews are scheduled by spaced repetition (FSRS).
    #[command(
        after_help = "Questions: which entry a definition defines (its name masked), which line sums up an entry,\nwhich of these is a related problem of an entry, which entry cites a work, which entry connects\ntwo entries not linked directly, under which heading one entry lists another. Wrong answers come\nfrom close entries: the same kind, shared tags, neighbours.\nOn a terminal: one question at a time, answered by letter or number, with the right answer\nand the entry to read; a score at the end. Piped, or with --format json: the questions\nand their answers as data, nothing asked.\nEach answer schedules its card (entry and question kind) with FSRS: wrong is Again; right\nis Easy within 5 s, Good within 20 s, else Hard. The review state is kept in\n$OTPIC_DATA_DIR/review-state.json (default: the platform's data directory, e.g.\n~/.local/share/otpic); an edited entry's cards start afresh.\nExample: otpic quiz --tag security --due --count 5"
    )]
    Quiz {
        #[command(flatten)]
        select: SelectArgs,
        /// Ask at most N questions.
        #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
        count: u32,
        /// Ask the cards due for review first (then new ones).
        #[arg(long)]
        due: bool,
        /// Show how many cards are due, new, learning, learned and lapsed; ask nothing.
        #[arg(long, conflicts_with_all = ["due", "export"])]
        stats: bool,
        /// Write every question as a deck for another program (on stdout); ask nothing.
        #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "due")]
        export: Option<DeckFormat>,
        /// Shuffle with this seed: the same questions, choices and order every time.
        #[arg(long, value_name = "N")]
        seed: Option<u64>,
    },
    /// List or stop the change watchers (`watch = true` in the config file, or OTPIC_WATCH=1).
    #[command(
        after_help = "With the watcher on, the first command on a knowledge base starts a background process\nthat the operating system tells of every change, and later commands ask it what changed\ninstead of looking at every entry file. Any doubt means the full check. A watcher exits\nafter watch_idle_minutes (default 30) without a question, when its directory disappears\nor when the otpic binary is replaced."
    )]
    Watch {
        #[command(subcommand)]
        action: WatchAction,
    },
}

impl Command {
    /// The name the command is invoked by.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Show { .. } => "show",
            Command::Related { .. } => "related",
            Command::Path { .. } => "path",
            Command::Graph { .. } => "graph",
            Command::Compare { .. } => "compare",
            Command::Browse { .. } => "browse",
            Command::List { .. } => "list",
            Command::Search { .. } => "search",
            Command::Glossary { .. } => "glossary",
            Command::Tags => "tags",
            Command::Check { .. } => "check",
            Command::New { .. } => "new",
            Command::Edit { .. } => "edit",
            Command::Paths => "paths",
            Command::Completions { .. } => "completions",
            Command::Man => "man",
            Command::Site { .. } => "site",
            Command::Sources { .. } => "sources",
            Command::Quiz { .. } => "quiz",
            Command::Watch { .. } => "watch",
        }
    }
}

/// What `otpic watch` does.
#[derive(Debug, Subcommand)]
pub enum WatchAction {
    /// List the running watchers: knowledge base, pid, since when, events seen.
    Status,
    /// Stop the watcher of the active knowledge bases (with --all, every watcher).
    Stop {
        /// Stop every watcher that keeps its files in the cache directory.
        #[arg(long)]
        all: bool,
    },
    /// Run a watcher in the foreground (commands start it in the background).
    #[command(hide = true)]
    Run {
        /// The cache directory that holds its socket.
        #[arg(long, value_name = "DIR")]
        cache_dir: PathBuf,
        /// Exit after this many seconds without a question.
        #[arg(long, value_name = "N", default_value_t = 1800)]
        idle_secs: u64,
        /// The knowledge base directory to watch.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

/// A deck format that `quiz --export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DeckFormat {
    /// Anki's text import (TSV with #separator, #html and #tags column headers).
    Anki,
}

/// Which entries `sources` and `quiz` work on.
#[derive(Debug, Args)]
pub struct SelectArgs {
    /// An entry to start from: its id, title or alias (several words are joined); all entries when omitted.
    #[arg(value_name = "QUERY", add = ArgValueCompleter::new(complete::entry_names))]
    pub query: Vec<String>,
    /// Match QUERY exactly: no prefixes, no fuzzy matching.
    #[arg(long)]
    pub exact: bool,
    /// With QUERY: also the entries up to N links away, in either direction.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=100))]
    pub depth: u32,
    /// Only entries of this kind (approach, problem, concept, organization, case…).
    #[arg(long, value_name = "KIND", add = ArgValueCompleter::new(complete::kinds))]
    pub kind: Option<String>,
    /// Only entries with this tag.
    #[arg(long, value_name = "TAG", add = ArgValueCompleter::new(complete::tags))]
    pub tag: Option<String>,
}

/// A shell that `otpic completions` can register with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// The fields `show --field` prints: the view's [`Field`] with clap's names (each
/// field's name as in the entry file and the JSON of `show`, and a hyphenated alias).
impl ValueEnum for Field {
    fn value_variants<'a>() -> &'a [Self] {
        &Field::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let value = PossibleValue::new(self.name());
        Some(match self {
            Field::RelatedApproaches => value.alias("related-approaches"),
            Field::RelatedProblems => value.alias("related-problems"),
            Field::ReferencedBy => value.alias("referenced-by"),
            _ => value,
        })
    }
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The entry: its id, title or alias (several words are joined).
    #[arg(required = true, value_name = "QUERY", add = ArgValueCompleter::new(complete::entry_names))]
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

/// The command line with the `-word` exclusions of `otpic search` moved after a
/// `--` at the end, so that clap reads them as words to search for, not flags
/// (`otpic search force -legitimizing --limit 5`). Other commands are untouched.
pub fn exclusions_last<I: IntoIterator<Item = std::ffi::OsString>>(
    args: I,
) -> Vec<std::ffi::OsString> {
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    // Global flags that take a value, which may come before the command.
    const VALUED: &[&str] = &["--entries", "--format", "--color", "--width"];
    let mut command = None;
    let mut i = 1;
    while i < args.len() {
        let a = args[i].to_string_lossy();
        if VALUED.contains(&a.as_ref()) {
            i += 2;
            continue;
        }
        if !a.starts_with('-') {
            command = (a == "search").then_some(i);
            break;
        }
        i += 1;
    }
    let Some(start) = command else { return args };
    let is_exclusion = |a: &str| {
        let mut chars = a.chars();
        chars.next() == Some('-')
            && chars
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '"')
            && a != "-h"
            && a != "-V"
    };
    let (mut kept, mut moved) = (Vec::new(), Vec::new());
    let mut after_dashes = false;
    for (n, a) in args.into_iter().enumerate() {
        let text = a.to_string_lossy();
        if n > start && !after_dashes && text == "--" {
            after_dashes = true;
            continue;
        }
        if n > start && (after_dashes || is_exclusion(&text)) {
            moved.push(a);
        } else {
            kept.push(a);
        }
    }
    if !moved.is_empty() {
        kept.push("--".into());
        kept.extend(moved);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn search_exclusions_move_after_the_flags() {
        let args = |s: &str| {
            s.split(' ')
                .map(std::ffi::OsString::from)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            exclusions_last(args("otpic --width 40 search force -legit --limit 5 -h2")),
            args("otpic --width 40 search force --limit 5 -- -legit -h2")
        );
        assert_eq!(
            exclusions_last(args("otpic search a -- -b --c")),
            args("otpic search a -- -b --c")
        );
        assert_eq!(
            exclusions_last(args("otpic show -x")),
            args("otpic show -x")
        );
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
