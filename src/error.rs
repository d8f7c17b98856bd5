//! Errors that end a command, and the exit codes they map to.
//!
//! Exit codes, documented in `--help` and the README:
//! 0 success; 1 not found, nothing matched, or `check` (or `new`/`edit`) found errors;
//! 2 usage error, unreadable knowledge base or config file, a file that exists
//! already or cannot be written, or a failure to read input or write output.
//!
//! `?` on an [`std::io::Error`] makes it a failure to write standard output, which
//! is what nearly every I/O error of a command is; any other I/O names what it was
//! doing and on what: a path ([`Error::File`]) or another stream ([`Error::Io`]).

use crate::suggestion::NotFound;
use std::fmt;
use std::path::PathBuf;

pub const EXIT_OK: u8 = 0;
pub const EXIT_NOT_FOUND: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug)]
pub enum Error {
    /// A bad argument, option or environment variable: the user can fix the command.
    Usage(String),
    /// A knowledge base directory that is missing, not a directory or unreadable.
    Source { path: PathBuf, reason: String },
    /// No entry matched the query.
    NotFound(NotFound),
    /// A search or a filter found nothing; the message says what was looked for.
    NothingFound(String),
    /// `check` found errors (or, with `--strict`, warnings); it has printed them already.
    CheckFailed { errors: usize, warnings: usize },
    /// An entry file written by `new` or `edit` has errors; they have been printed.
    Invalid {
        file: PathBuf,
        id: String,
        errors: usize,
    },
    /// The config file cannot be read or parsed: `path:line:column: message`.
    Config(String),
    /// A file otpic was asked to create, read or open: it exists already, or cannot be
    /// read or written; `reason` says what was being done ("cannot read: …").
    File { path: PathBuf, reason: String },
    /// Reading or writing a standard stream failed (a closed pipe on standard output
    /// is handled before this is shown).
    Io {
        stream: Stream,
        error: std::io::Error,
    },
    /// The index cannot be built or read, or an entry file it points to no longer reads.
    Index(String),
    /// A change watcher cannot run or be stopped.
    Watch(String),
    /// Something that should not happen did (a bug): the message says what.
    Internal(String),
}

/// A standard stream, for [`Error::Io`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Input,
    Output,
    Error,
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::NotFound(_)
            | Error::NothingFound(_)
            | Error::CheckFailed { .. }
            | Error::Invalid { .. } => EXIT_NOT_FOUND,
            Error::Usage(_)
            | Error::Source { .. }
            | Error::Config(_)
            | Error::File { .. }
            | Error::Io { .. }
            | Error::Index(_)
            | Error::Watch(_)
            | Error::Internal(_) => EXIT_USAGE,
        }
    }

    /// Reading standard input failed.
    pub fn input(error: std::io::Error) -> Error {
        Error::Io {
            stream: Stream::Input,
            error,
        }
    }

    /// Writing to standard error failed (a prompt, before reading the answer).
    pub fn errors(error: std::io::Error) -> Error {
        Error::Io {
            stream: Stream::Error,
            error,
        }
    }

    /// Whether this is output going to a reader that has gone away (`otpic list | head`),
    /// which ends the program quietly and successfully.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(
            self,
            Error::Io { stream: Stream::Output, error } if error.kind() == std::io::ErrorKind::BrokenPipe
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(message) => f.write_str(message),
            Error::Source { path, reason } => {
                write!(
                    f,
                    "cannot use knowledge base {}: {reason}",
                    crate::sanitize::line(&path.display().to_string())
                )
            }
            Error::NotFound(not_found) => write!(f, "{not_found}"),
            Error::NothingFound(message) => f.write_str(&crate::sanitize::line(message)),
            Error::CheckFailed { errors, warnings } => {
                let plural = |n: &usize| if *n == 1 { "" } else { "s" };
                write!(f, "check found {errors} error{}", plural(errors))?;
                if *warnings > 0 {
                    write!(f, " and {warnings} warning{} (--strict)", plural(warnings))?;
                }
                Ok(())
            }
            Error::Invalid { file, id, errors } => write!(
                f,
                "{}: the entry has {errors} error{}; the file is saved as it is: fix it with `otpic edit {}`",
                crate::sanitize::line(&file.display().to_string()),
                if *errors == 1 { "" } else { "s" },
                crate::sanitize::line(id)
            ),
            Error::Config(message) => f.write_str(&crate::sanitize::line(message)),
            Error::File { path, reason } => write!(
                f,
                "{}: {reason}",
                crate::sanitize::line(&path.display().to_string())
            ),
            Error::Io { stream, error } => {
                let what = match stream {
                    Stream::Input => "read standard input",
                    Stream::Output => "write to standard output",
                    Stream::Error => "write to standard error",
                };
                write!(f, "cannot {what}: {}", describe(error))
            }
            Error::Index(message) | Error::Watch(message) | Error::Internal(message) => {
                f.write_str(message)
            }
        }
    }
}

impl std::error::Error for Error {}

/// `?` on an I/O error: writing standard output failed (see the module's docs).
impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        Error::Io {
            stream: Stream::Output,
            error,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An I/O error as a short lowercase phrase ("no such file or directory").
pub fn describe(err: &std::io::Error) -> String {
    let text = match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => {
            let s = err.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_owned()
        }
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::ErrorKind;

    #[test]
    fn only_a_broken_pipe_on_standard_output_ends_quietly() {
        let pipe = || std::io::Error::from(ErrorKind::BrokenPipe);
        assert!(Error::from(pipe()).is_broken_pipe());
        assert!(!Error::input(pipe()).is_broken_pipe());
        assert!(!Error::errors(pipe()).is_broken_pipe());
    }

    #[test]
    fn io_errors_name_the_stream_or_the_file_and_the_action() {
        let denied = || std::io::Error::from(ErrorKind::PermissionDenied);
        assert_eq!(
            Error::from(denied()).to_string(),
            "cannot write to standard output: permission denied"
        );
        assert_eq!(
            Error::input(denied()).to_string(),
            "cannot read standard input: permission denied"
        );
    }
}
