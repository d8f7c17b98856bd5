//! I/O errors say what otpic was doing and on what: standard output, standard input
//! or a path; printed once, lowercase, exit status 2.
#![cfg(unix)]

mod common;
use common::{fixture, otpic, run};

/// `sh -c SCRIPT` with otpic as `$0`, on the `basic` fixture, in a clean
/// environment: for redirections a test cannot make with `Command` alone.
fn shell(script: &str) -> (i32, String, String) {
    let out = common::hermetic("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_otpic"))
        .arg(fixture("basic"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run sh: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
#[cfg(target_os = "linux")]
fn a_full_standard_output_is_named_as_such() {
    let (code, _, stderr) = shell(r#""$0" --entries "$1" list > /dev/full"#);
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "otpic: cannot write to standard output: no space left on device\n"
        )
    );
}

#[test]
fn a_closed_standard_input_is_no_error_where_nothing_is_read_from_it() {
    let (code, stdout, stderr) = shell(r#""$0" --entries "$1" show alpha <&-"#);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.starts_with("Alpha"), "{stdout}");
}

#[test]
fn a_directory_given_as_the_config_file_names_it_and_the_read() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = run(otpic().env("OTPIC_CONFIG", dir.path()).arg("list"));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        format!(
            "otpic: cannot read config file {} (from OTPIC_CONFIG): is a directory\n",
            dir.path().display()
        )
    );
}

#[test]
fn a_file_given_as_the_directory_for_new_is_named() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("plain.txt");
    std::fs::write(&file, "not a directory").unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = run(otpic().args(["new", "Some Entry", "--dir"]).arg(&file));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        format!("otpic: {}: not a directory\n", file.display())
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap_or_default(),
        "not a directory"
    );
}
