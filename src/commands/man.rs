//! `otpic man`: the manual page, generated from the clap definition at run time.
//!
//! clap_mangen renders the name, synopsis, description and global options; each
//! subcommand gets its own subsection under COMMANDS (its synopsis and options, also
//! rendered by clap_mangen); the sections clap knows nothing about (knowledge bases,
//! environment, files, exit status) are written here.

use crate::cli::Cli;
use crate::error::Result;
use clap::CommandFactory;
use clap_mangen::Man;
use roff::{Roff, bold, italic, roman};
use std::io::Write;

/// Environment variables otpic reads, with what they do.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "OTPIC_ENTRIES",
        "Knowledge base directories, separated by ':' (';' on Windows), used when no --entries is given. They replace the config file's entries.",
    ),
    (
        "OTPIC_CONFIG",
        "The config file to read instead of the default one. A file it names must exist.",
    ),
    (
        "OTPIC_DATA_DIR",
        "Where otpic quiz keeps its review state (review-state.json). Default: the platform's data directory, e.g. ~/.local/share/otpic. Not a cache: deleting it forgets every review.",
    ),
    (
        "OTPIC_PAGER",
        "The pager for long output of show, related, list and glossary on a terminal. It comes before the config file's pager, which comes before PAGER; the default is 'less -R'. Empty or 'cat' turns paging off.",
    ),
    (
        "PAGER",
        "The pager when neither OTPIC_PAGER nor the config file names one.",
    ),
    (
        "OTPIC_WATCH",
        "1 to ask a change watcher (a background process per knowledge base, see otpic watch) what changed instead of looking at every entry file; 0 not to. It comes before the config file's watch. OTPIC_WATCH_DEBUG=1 tells on stderr what the watcher answered.",
    ),
    (
        "LESS",
        "Options for less; when unset, the pager is given LESS=FRX (quit if one screen, raw colors, no screen clearing).",
    ),
    (
        "VISUAL, EDITOR",
        "The editor for new and edit (VISUAL first), run through the shell. Without either, vi.",
    ),
    (
        "NO_COLOR",
        "When set and not empty, no color or styles unless --color always (or color = \"always\" in the config file).",
    ),
    (
        "COLUMNS",
        "The width to wrap to when the terminal's cannot be measured (--width and the config file's width come first).",
    ),
    (
        "COMPLETE",
        "Set by the completion scripts (COMPLETE=bash otpic ...): otpic then prints completions instead of running a command.",
    ),
];

/// Exit statuses, with their meaning.
pub const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success."),
    (
        "1",
        "No entry found, nothing matched (search, a list filter), check found errors (with --strict, warnings), or an entry written by new or edit has errors.",
    ),
    (
        "2",
        "Usage error; a knowledge base directory that is missing or unreadable; a config file that cannot be read or parsed; a file that exists already or cannot be written; an editor that fails; a failure to write output. A closed pipe is not an error: otpic stops quietly with status 0.",
    ),
    (
        "128+N",
        "browse was ended by signal N (130: Ctrl-C or SIGINT; 143: SIGTERM), after restoring the terminal.",
    ),
];

pub fn run<O: Write + ?Sized>(out: &mut O) -> Result<u8> {
    out.write_all(render()?.as_bytes())?;
    Ok(0)
}

/// The whole manual page, as roff.
pub fn render() -> std::io::Result<String> {
    let cmd = Cli::command().disable_help_subcommand(true);
    let man = Man::new(cmd.clone())
        .title("OTPIC")
        .section("1")
        .manual("User Commands");
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;

    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    page.extend(roff.render().into_bytes());
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("otpic {}", sub.get_name());
        let sub = sub.clone().bin_name(&name).disable_help_flag(true);
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        let after = sub.get_after_help().map(|a| a.to_string());
        let man = Man::new(sub);
        let mut roff = Roff::new();
        roff.control("SS", [name.as_str()]);
        page.extend(roff.render().into_bytes());
        let mut synopsis = Vec::new();
        man.render_synopsis_section(&mut synopsis)?;
        page.extend(without_headings(&synopsis));
        let mut roff = Roff::new();
        roff.control("PP", []).text([roman(about)]);
        if let Some(after) = after {
            after_help(&mut roff, &after);
        }
        page.extend(roff.render().into_bytes());
        let mut options = Vec::new();
        man.render_options_section(&mut options)?;
        page.extend(without_headings(&options));
    }

    let mut roff = Roff::new();
    roff.control("SH", ["KNOWLEDGE BASES"]).text([roman(
        "By default otpic browses the OTPIC knowledge base built into it. --entries DIR (repeatable), \
         else OTPIC_ENTRIES, else the config file's entries name directories of entry files to browse \
         instead; --with-embedded (or with_embedded = true) keeps the built-in one as well, first. \
         A later knowledge base overrides an earlier one on the same id. otpic paths shows which are \
         active and where each comes from.",
    )]);
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in ENVIRONMENT {
        roff.control("TP", [])
            .text([bold(*name)])
            .text([roman(*meaning)]);
    }
    roff.control("SH", ["FILES"]);
    roff.control("TP", [])
        .text([
            italic("$XDG_CONFIG_HOME/otpic/config.toml"),
            roman(" (Linux; "),
            italic("~/.config/otpic/config.toml"),
            roman(" when XDG_CONFIG_HOME is unset), "),
            italic("~/Library/Application Support/otpic/config.toml"),
            roman(" (macOS), "),
            italic("%APPDATA%\\otpic\\config.toml"),
            roman(" (Windows)"),
        ])
        .text([roman(
            "The config file, unless OTPIC_CONFIG names another. TOML with the optional keys \
             entries (a list of knowledge base directories; relative to the file, ~/ for home), \
             with_embedded (true or false), color (\"auto\", \"always\" or \"never\"), \
             pager (a command, or false for none), width (the most columns to wrap to), \
             watch (true to use a change watcher) and watch_idle_minutes (when it exits, default 30). \
             Flags override the environment, which overrides the file. A file that cannot be \
             parsed is an error naming its line (exit status 2).",
        )]);
    roff.control("TP", [])
        .text([italic("DIR/ID.toml")])
        .text([roman(
            "An entry of a knowledge base directory; see docs/entry-format.md. otpic new writes \
             these; otpic edit opens them.",
        )]);
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_STATUS {
        roff.control("TP", [])
            .text([bold(*code)])
            .text([roman(*meaning)]);
    }
    roff.control("SH", ["SEE ALSO"]).text([roman(
        "docs/scripting.md (completions, pager, config file, formats, authoring), docs/json.md \
         (the JSON output, field by field) and docs/entry-format.md in the otpic sources.",
    )]);
    page.extend(roff.render().into_bytes());
    Ok(once_preamble(&String::from_utf8_lossy(&page)))
}

/// Every piece of roff that clap_mangen and roff render starts with the same two-line
/// preamble (defining the apostrophe string); the page needs it once, at the top.
fn once_preamble(page: &str) -> String {
    const PREAMBLE: [&str; 2] = [".ie \\n(.g .ds Aq \\(aq", ".el .ds Aq '"];
    let mut out = format!("{}\n{}\n", PREAMBLE[0], PREAMBLE[1]);
    for line in page.lines().filter(|l| !PREAMBLE.contains(l)) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A subcommand's `after_help`, as paragraphs: its lines (wrapped for `--help`) are
/// joined again, except after a full stop or colon; indented lines (examples, one
/// per shell) are kept as they are.
fn after_help(roff: &mut Roff, text: &str) {
    roff.control("PP", []);
    let mut paragraph = String::new();
    let mut verbatim = false;
    for line in text.lines() {
        if line.starts_with(' ') {
            if !paragraph.is_empty() {
                roff.text([roman(std::mem::take(&mut paragraph))]);
            }
            if !verbatim {
                roff.control("nf", []);
                verbatim = true;
            }
            roff.text([roman(line)]);
            continue;
        }
        if verbatim {
            roff.control("fi", []);
            verbatim = false;
        }
        if !paragraph.is_empty() {
            paragraph.push(' ');
        }
        paragraph.push_str(line.trim());
        if line.ends_with('.') || line.ends_with(':') {
            roff.text([roman(std::mem::take(&mut paragraph))])
                .control("br", []);
        }
    }
    if !paragraph.is_empty() {
        roff.text([roman(paragraph)]);
    }
    if verbatim {
        roff.control("fi", []);
    }
}

/// The roff of a clap_mangen section without its `.SH` heading, for a subsection.
fn without_headings(roff: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(roff)
        .lines()
        .filter(|l| !l.starts_with(".SH "))
        .flat_map(|l| format!("{l}\n").into_bytes())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_page_has_every_section() {
        let page = super::render().unwrap_or_default();
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH OPTIONS",
            ".SH COMMANDS",
            ".SH ENVIRONMENT",
            ".SH FILES",
            ".SH \"EXIT STATUS\"",
        ] {
            assert!(page.contains(section), "{section}");
        }
    }
}
