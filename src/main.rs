//! The `otpic` binary: runs the library and turns its result into an exit status.

use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A completion request from the shell (`COMPLETE=bash otpic -- …`) is answered
    // here, before anything is written, and the process exits.
    clap_complete::CompleteEnv::with_factory(otpic::cli::Cli::command).complete();
    let env = otpic::env::Env::from_process();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = std::io::stderr();
    let result = otpic::run(std::env::args_os(), &env, &mut out, &mut err).and_then(|code| {
        out.flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            let _ = out.flush();
            let _ = writeln!(err, "otpic: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
