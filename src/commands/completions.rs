//! `otpic completions SHELL`: the script that registers otpic's dynamic completions.
//!
//! The script is clap_complete's: on every TAB it runs `COMPLETE=SHELL otpic -- <line>`,
//! which `main` answers before anything else (see [`crate::cli::complete`]). It is the same
//! script `COMPLETE=SHELL otpic` prints.

use crate::cli::Shell;
use crate::env::Env;
use crate::error::Result;
use clap_complete::env::EnvCompleter;
use std::io::Write;
use std::path::PathBuf;

pub fn run<O: Write + ?Sized>(shell: Shell, env: &Env, out: &mut O) -> Result<u8> {
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &clap_complete::env::Bash,
        Shell::Zsh => &clap_complete::env::Zsh,
        Shell::Fish => &clap_complete::env::Fish,
        Shell::Powershell => &clap_complete::env::Powershell,
        Shell::Elvish => &clap_complete::env::Elvish,
    };
    let mut script = Vec::new();
    completer.write_registration("COMPLETE", "otpic", "otpic", &program(env), &mut script)?;
    out.write_all(&script)?;
    Ok(0)
}

/// The program the script calls back: otpic as it was invoked, made absolute when it
/// was invoked by a relative path (`./target/debug/otpic`), as clap_complete does.
fn program(env: &Env) -> String {
    let Some(invoked) = &env.program else {
        return "otpic".to_owned();
    };
    let mut path = PathBuf::from(invoked);
    if path.components().count() > 1
        && path.is_relative()
        && let Ok(dir) = std::env::current_dir()
    {
        path = dir.join(path);
    }
    path.to_string_lossy().into_owned()
}
