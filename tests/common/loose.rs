//! Golden output that holds a message from the toml crate (a syntax or type error),
//! pinned on otpic's part only: file, line, column and severity exactly, the crate's
//! own wording loosely (one of a few words), so that a toml upgrade that rewords its
//! errors does not break a snapshot while otpic is unchanged.

/// A diagnostic whose message the toml crate (or serde through it) writes.
pub struct CrateMessage<'a> {
    /// The end of the file's path, e.g. `broken/bad-syntax.toml`.
    pub file: &'a str,
    pub line: u32,
    pub column: u32,
    pub severity: &'a str,
    /// The message must hold one of these (case-insensitive).
    pub any_of: &'a [&'a str],
}

/// What a crate message is replaced with in the snapshot.
pub const PLACEHOLDER: &str = "<the toml crate's message>";

impl CrateMessage<'_> {
    fn check(&self, message: &str) {
        let lower = message.to_lowercase();
        assert!(
            self.any_of
                .iter()
                .any(|w| lower.contains(&w.to_lowercase())),
            "{}:{}:{}: the toml crate's message {message:?} holds none of {:?}",
            self.file,
            self.line,
            self.column,
            self.any_of
        );
    }
}

/// Text diagnostics (`PATH:LINE:COLUMN: SEVERITY: MESSAGE`, perhaps after `otpic: `):
/// each of `messages` must be found, at its exact place and severity, and its
/// message is checked loosely and replaced with [`PLACEHOLDER`].
pub fn text(output: &str, messages: &[CrateMessage]) -> String {
    let mut found = vec![false; messages.len()];
    let mut out = String::with_capacity(output.len());
    for line in output.split_inclusive('\n') {
        let mut line = line.to_owned();
        for (m, seen) in messages.iter().zip(&mut found) {
            let place = format!("{}:{}:{}: {}: ", m.file, m.line, m.column, m.severity);
            if let Some(at) = line.find(&place) {
                let start = at + place.len();
                let end = line.trim_end_matches('\n').len();
                m.check(&line[start..end]);
                line.replace_range(start..end, PLACEHOLDER);
                *seen = true;
            }
        }
        out.push_str(&line);
    }
    for (m, seen) in messages.iter().zip(found) {
        assert!(
            seen,
            "no {} at {}:{}:{} in:\n{output}",
            m.severity, m.file, m.line, m.column
        );
    }
    out
}

/// `otpic check --format json` output: the same, for the `message` of each
/// object in `errors` or `warnings` with that `file`, `line` and `column`. The
/// rest of the text is kept byte for byte (key order, indentation, escapes).
pub fn json(output: &str, messages: &[CrateMessage]) -> String {
    let value: serde_json::Value =
        serde_json::from_str(output).unwrap_or_else(|e| panic!("not JSON ({e}): {output}"));
    let mut out = output.to_owned();
    for m in messages {
        let key = match m.severity {
            "error" => "errors",
            "warning" => "warnings",
            other => panic!("unknown severity {other}"),
        };
        let found = value[key].as_array().into_iter().flatten().find(|d| {
            d["file"].as_str().is_some_and(|f| f.ends_with(m.file))
                && d["line"] == m.line
                && d["column"] == m.column
        });
        let Some(found) = found else {
            panic!(
                "no {} at {}:{}:{} in:\n{output}",
                m.severity, m.file, m.line, m.column
            );
        };
        let message = found["message"].as_str().unwrap_or("");
        m.check(message);
        let encoded = serde_json::to_string(message).unwrap_or_else(|e| panic!("{e}"));
        let needle = format!("\"message\": {encoded}");
        assert!(out.contains(&needle), "{needle} in {out}");
        out = out.replace(&needle, &format!("\"message\": \"{PLACEHOLDER}\""));
    }
    out
}
