//! Paging long text output on a terminal through the user's pager.
//!
//! The output is rendered into a buffer first. When it fits on the screen, or the pager
//! cannot be started or fails, the buffer is written to stdout instead: nothing is lost.

use std::io::{self, Write};
use std::process::Stdio;

/// The pager chosen by [`crate::env::pager`], with the terminal's height.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// The command line (`OTPIC_PAGER`, the config file's `pager`, `PAGER`, or `less -R`).
    pub command: String,
    /// The terminal's height in rows.
    pub height: usize,
    /// Whether to give the pager `LESS=FRX` (when `LESS` is not set), as git does.
    pub set_less: bool,
}

impl Pager {
    /// Whether `text` is too long for the screen: it fills every row, leaving none
    /// for the shell prompt.
    pub fn needed(&self, text: &[u8]) -> bool {
        let mut lines = text.iter().filter(|&&b| b == b'\n').count();
        if text.last().is_some_and(|&b| b != b'\n') {
            lines += 1;
        }
        lines >= self.height
    }

    /// Shows `text` through the pager, or writes it to `out` when it fits on the screen
    /// or the pager cannot run. A pager that exits with an error status is taken as
    /// having shown nothing, and the text is written to `out` after a note on `err`.
    pub fn show<O: Write + ?Sized, E: Write + ?Sized>(
        &self,
        text: &[u8],
        out: &mut O,
        err: &mut E,
    ) -> io::Result<()> {
        if !self.needed(text) {
            return out.write_all(text);
        }
        out.flush()?;
        let mut cmd = crate::external::command(&self.command, &[]);
        cmd.stdin(Stdio::piped());
        if self.set_less {
            cmd.env("LESS", "FRX");
        }
        let command = crate::sanitize::line(&self.command);
        let mut child = match cmd.spawn() {
            Ok(child) => child,
            Err(e) => {
                let _ = writeln!(
                    err,
                    "otpic: cannot run pager \"{command}\": {}",
                    crate::error::describe(&e)
                );
                return out.write_all(text);
            }
        };
        if let Some(mut stdin) = child.stdin.take() {
            // The reader may quit before reading everything (`q` in less): not an error.
            let _ = stdin.write_all(text);
        }
        match child.wait() {
            Ok(status) if status.success() || status.code().is_none() => Ok(()),
            Ok(status) => {
                let _ = writeln!(
                    err,
                    "otpic: pager \"{command}\" failed ({}); printing instead",
                    crate::external::describe_status(status)
                );
                out.write_all(text)
            }
            Err(e) => {
                let _ = writeln!(
                    err,
                    "otpic: pager \"{command}\" failed: {}",
                    crate::error::describe(&e)
                );
                out.write_all(text)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pager(command: &str, height: usize) -> Pager {
        Pager {
            command: command.into(),
            height,
            set_less: true,
        }
    }

    #[test]
    fn text_that_leaves_a_row_for_the_prompt_is_not_paged() {
        assert!(!pager("x", 3).needed(b"a\nb\n"));
        assert!(pager("x", 3).needed(b"a\nb\nc\n"));
        assert!(pager("x", 3).needed(b"a\nb\nc"));
    }

    #[test]
    fn short_text_is_written_directly() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let shown = pager("/nonexistent/pager", 10).show(b"a\n", &mut out, &mut err);
        assert!(shown.is_ok());
        assert_eq!((out.as_slice(), err.as_slice()), (&b"a\n"[..], &b""[..]));
    }

    #[cfg(unix)]
    #[test]
    fn a_failing_pager_falls_back_to_plain_output() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let shown = pager("exit 3", 2).show(b"a\nb\nc\n", &mut out, &mut err);
        assert!(shown.is_ok());
        assert_eq!(out, b"a\nb\nc\n");
        assert_eq!(
            String::from_utf8_lossy(&err),
            "otpic: pager \"exit 3\" failed (exit status 3); printing instead\n"
        );
    }
}
