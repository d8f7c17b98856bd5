//! Running the user's pager and editor: a command line from the environment, run
//! through the shell as git does, so that `less -R` or `code --wait` work as typed.

use std::ffi::OsStr;
use std::process::Command;

/// A command that runs `command_line` with `args` appended (each passed as one argument,
/// never re-split). On Unix the line is run by `sh -c`.
pub fn command(command_line: &str, args: &[&OsStr]) -> Command {
    #[cfg(unix)]
    {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!("{command_line} \"$@\""))
            .arg(command_line)
            .args(args);
        cmd
    }
    #[cfg(not(unix))]
    {
        let mut words = command_line.split_whitespace();
        let mut cmd = Command::new(words.next().unwrap_or(command_line));
        cmd.args(words).args(args);
        cmd
    }
}

/// How a finished command ended, in words: "exit status 3", "killed by a signal".
pub fn describe_status(status: std::process::ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exit status {code}"),
        None => "killed by a signal".to_owned(),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_passed_whole_after_the_command_line() {
        let out = command("printf '%s|'", &[OsStr::new("a b"), OsStr::new("$HOME")]).output();
        let out = out.map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
        assert_eq!(out.ok().as_deref(), Some("a b|$HOME|"));
    }
}
