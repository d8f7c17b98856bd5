//! Property-based fuzzing: the parser, link resolution, lookup, search and every
//! renderer take arbitrary input without panicking. Runs a bounded number of cases
//! as part of `cargo test`; `PROPTEST_CASES=20000 cargo test --test fuzz` runs longer.

use otpic::entry::Entry;
use otpic::index::Index;
use otpic::kb::KnowledgeBase;
use proptest::prelude::*;

/// Text with the characters most likely to break things: quotes, escapes,
/// controls, bidi marks, wide characters, Markdown and TOML syntax.
fn nasty() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r#"([a-z \-_"'\\\[\]=#*`|~\n\t\r\x00-\x1f\x7f\u{80}-\u{9f}\u{202a}-\u{202e}\u{2066}-\u{2069}集体安全é]|https?://[a-z./]{0,20}){0,80}"#)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn entry_text() -> impl Strategy<Value = String> {
    (nasty(), nasty(), nasty(), proptest::collection::vec(nasty(), 0..4), proptest::collection::vec(nasty(), 0..4)).prop_map(
        |(title, summary, definition, links, aliases)| {
            let q = |s: &String| toml::Value::String(s.clone()).to_string();
            let list = |v: &Vec<String>| format!("[{}]", v.iter().map(q).collect::<Vec<_>>().join(", "));
            format!(
                "title = {}\nsummary = {}\ndefinition = {}\nrelated_approaches = {}\naliases = {}\n[[examples]]\ntitle = {}\nurl = {}\n",
                q(&title),
                q(&summary),
                q(&definition),
                list(&links),
                list(&aliases),
                q(&summary),
                q(&definition)
            )
        },
    )
}

fn render_everything(kb: &Index, query: &str) {
    use otpic::settings::{Env, Settings};
    for format in ["text", "json", "markdown"] {
        for color in ["never", "always"] {
            for cmd in [
                &["show", query][..],
                &["related", query, "--depth", "3"],
                &["list"],
                &["glossary"],
                &["search", query],
                &["check"],
            ] {
                let args = std::iter::once("otpic")
                    .chain(cmd.iter().copied())
                    .chain(["--format", format, "--color", color, "--width", "20"])
                    .map(std::ffi::OsString::from);
                let cli = <otpic::cli::Cli as clap::Parser>::try_parse_from(args);
                let Ok(cli) = cli else { continue };
                let Ok(settings) = Settings::resolve(&cli, &Env::default()) else {
                    continue;
                };
                let (mut out, mut err) = (Vec::new(), Vec::new());
                let _ = otpic::commands::run_on(kb, &cli.command, &settings, &mut out, &mut err);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_parser_takes_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Entry::parse("x", "x.toml", &text);
    }

    #[test]
    fn the_parser_takes_arbitrary_toml_like_text(text in nasty()) {
        let _ = Entry::parse("x", "x.toml", &text);
    }

    #[test]
    fn lookup_search_and_renderers_take_arbitrary_entries(
        texts in proptest::collection::vec(entry_text(), 1..6),
        query in nasty(),
    ) {
        let mut entries: Vec<Entry> = texts
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Entry::parse(&format!("e{i}"), "f.toml", t).ok())
            .collect();
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        let kb = KnowledgeBase::from_entries(entries, Vec::new());
        let _ = otpic::lookup::find(&kb, &query, false);
        let _ = otpic::check::check(&kb);
        let files: Vec<(String, &str)> = texts.iter().enumerate().map(|(i, t)| (format!("e{i}"), t.as_str())).collect();
        let files: Vec<(&str, &str)> = files.iter().map(|(id, t)| (id.as_str(), *t)).collect();
        let index = Index::from_texts(&files);
        let _ = otpic::lookup::find(&index, &query, false);
        render_everything(&index, &query);
        render_everything(&index, "e0");
    }
}
