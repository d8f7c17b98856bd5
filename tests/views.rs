//! Every view in every format it has, pinned byte for byte: `show`, `show --field`,
//! `related` (lists, the `--depth` tree, `--reverse`, `--relation`), `list`,
//! `glossary`, `search`, `path`, `compare` (narrow and wide) and `graph` (and its
//! DOT and Mermaid), as text (plain and colored, piped and on a terminal),
//! Markdown and JSON, on the fixtures that reach each branch of their layout
//! (tests/fixtures/views/README.md says which). One snapshot per case holds every
//! format, each output closed by a `⟨end⟩` line so that trailing newlines count too.
//! Snapshots live in tests/snapshots/views__*.snap.

mod common;
use common::{fixture, kb, on_terminal, portable, run};

/// The formats a view is pinned in when piped: plain text, colored text,
/// Markdown, JSON.
const PIPED: &[&[&str]] = &[
    &[],
    &["--color", "always"],
    &["--format", "markdown"],
    &["--format", "json"],
];

/// `otpic --entries tests/fixtures/FIXTURE ARGS EXTRA --width 60`, with its exit
/// code, stdout and (when not empty) stderr, as one section of a snapshot.
fn section(fixture: &str, args: &[&str], extra: &[&str]) -> String {
    section_at(fixture, args, extra, "60")
}

/// [`section`] at `width` columns.
fn section_at(fixture: &str, args: &[&str], extra: &[&str], width: &str) -> String {
    let (code, stdout, stderr) = run(kb(fixture).args(args).args(extra).args(["--width", width]));
    let command: Vec<&str> = args.iter().chain(extra).copied().collect();
    let wide = if width == "60" {
        String::new()
    } else {
        format!(" --width {width}")
    };
    let mut out = format!(
        "$ otpic {}{wide} [exit {code}]\n{}⟨end⟩\n",
        command.join(" "),
        portable(&stdout)
    );
    if !stderr.is_empty() {
        out.push_str(&format!("stderr:\n{}⟨end⟩\n", portable(&stderr)));
    }
    out.push('\n');
    out
}

/// `args` on `fixture` in every piped format.
fn every_format(fixture: &str, args: &[&str]) -> String {
    PIPED.iter().map(|f| section(fixture, args, f)).collect()
}

/// `args` on `fixture` on a terminal of 60 columns, plain (NO_COLOR) and colored.
fn on_a_terminal(fixture_name: &str, args: &[&str], width: &str) -> String {
    let dir = fixture(fixture_name).display().to_string();
    let mut full = vec!["--entries", &dir, "--no-pager"];
    full.extend(args);
    full.extend(["--width", width]);
    let mut out = String::new();
    for (label, env) in [("plain", &[("NO_COLOR", "1")][..]), ("colored", &[])] {
        let shown = portable(&on_terminal(&full, env));
        out.push_str(&format!(
            "$ otpic {} --width {width} (terminal, {label})\n{shown}⟨end⟩\n\n",
            args.join(" ")
        ));
    }
    out
}

/// Every field of `--field`, as text and as JSON.
fn every_field(fixture: &str, id: &str) -> String {
    const FIELDS: &[&str] = &[
        "id",
        "title",
        "kind",
        "summary",
        "definition",
        "aliases",
        "tags",
        "related_approaches",
        "related_problems",
        "referenced_by",
        "examples",
        "sources",
        "provenance",
        "file",
    ];
    let mut out = String::new();
    for field in FIELDS {
        for format in ["text", "json"] {
            out.push_str(&section(
                fixture,
                &["show", id, "--field", field],
                &["--format", format],
            ));
        }
    }
    out
}

#[test]
fn show_in_every_format() {
    for (name, fixture, id) in [
        ("show_basic_alpha", "basic", "alpha"),
        ("show_basic_beta", "basic", "beta"),
        ("show_basic_gamma", "basic", "gamma"),
        ("show_graph_alpha", "graph", "alpha"),
        ("show_graph_delta", "graph", "delta"),
        ("show_graph_gamma", "graph", "gamma"),
        ("show_hostile_evil", "hostile", "evil"),
        ("show_output_cve", "output", "countering-violent-extremism"),
        ("show_output_remarkably_long", "output", "remarkably-long"),
        ("show_study_mediation", "study", "mediation"),
        ("show_views_works", "views", "works"),
        ("show_views_long", "views", "long"),
        ("show_views_quiet", "views", "quiet"),
    ] {
        insta::assert_snapshot!(name, every_format(fixture, &["show", id]));
    }
}

#[test]
fn show_field_in_text_and_json() {
    for (name, fixture, id) in [
        ("field_basic_alpha", "basic", "alpha"),
        ("field_basic_beta", "basic", "beta"),
        ("field_graph_alpha", "graph", "alpha"),
        ("field_hostile_evil", "hostile", "evil"),
        ("field_views_works", "views", "works"),
        ("field_views_long", "views", "long"),
        ("field_views_quiet", "views", "quiet"),
    ] {
        insta::assert_snapshot!(name, every_field(fixture, id));
    }
}

#[test]
fn related_in_every_format() {
    for (name, fixture, args) in [
        ("related_basic_beta", "basic", &["related", "beta"][..]),
        (
            "related_basic_alpha_depth_2",
            "basic",
            &["related", "alpha", "--depth", "2"],
        ),
        ("related_graph_delta", "graph", &["related", "delta"]),
        (
            "related_graph_delta_depth_3",
            "graph",
            &["related", "delta", "--depth", "3"],
        ),
        (
            "related_graph_alpha_reverse",
            "graph",
            &["related", "alpha", "--reverse"],
        ),
        (
            "related_graph_alpha_relation_broader",
            "graph",
            &["related", "alpha", "--relation", "broader", "--depth", "2"],
        ),
        (
            "related_graph_beta_reverse_depth_2",
            "graph",
            &["related", "beta", "--reverse", "--depth", "2"],
        ),
        ("related_graph_gamma", "graph", &["related", "gamma"]),
        ("related_graph_eta_nothing", "graph", &["related", "eta"]),
        ("related_hostile_evil", "hostile", &["related", "evil"]),
        (
            "related_views_long_depth_2",
            "views",
            &["related", "long", "--depth", "2"],
        ),
        ("related_views_works", "views", &["related", "works"]),
    ] {
        insta::assert_snapshot!(name, every_format(fixture, args));
    }
}

#[test]
fn list_piped_and_on_a_terminal() {
    for fixture in ["basic", "graph", "hostile", "output", "views", "study"] {
        let mut out = every_format(fixture, &["list"]);
        out.push_str(&on_a_terminal(fixture, &["list"], "60"));
        insta::assert_snapshot!(format!("list_{fixture}"), out);
    }
    let mut narrow = on_a_terminal("output", &["list"], "40");
    narrow.push_str(&on_a_terminal("views", &["list"], "30"));
    insta::assert_snapshot!("list_narrow", narrow);
    let mut filtered = every_format("graph", &["list", "--kind", "concepts"]);
    filtered.push_str(&every_format("graph", &["list", "--tag", "MAP"]));
    filtered.push_str(&every_format("graph", &["list", "--tag", "none"]));
    filtered.push_str(&on_a_terminal("graph", &["list", "--tag", "map"], "60"));
    insta::assert_snapshot!("list_filtered", filtered);
}

#[test]
fn glossary_in_every_format() {
    for fixture in ["basic", "graph", "hostile", "output", "views", "study"] {
        insta::assert_snapshot!(
            format!("glossary_{fixture}"),
            every_format(fixture, &["glossary"])
        );
    }
    let mut filtered = every_format("graph", &["glossary", "--kind", "concept"]);
    filtered.push_str(&every_format("graph", &["glossary", "--tag", "none"]));
    insta::assert_snapshot!("glossary_filtered", filtered);
}

#[test]
fn search_piped_and_on_a_terminal() {
    for (name, fixture, args) in [
        ("search_basic", "basic", &["search", "alpha", "sharing"][..]),
        ("search_graph", "graph", &["search", "alpha"]),
        (
            "search_graph_limit",
            "graph",
            &["search", "alpha", "--limit", "1"],
        ),
        ("search_hostile", "hostile", &["search", "evil"]),
        ("search_views", "views", &["search", "works", "long"]),
        ("search_study", "study", &["search", "third", "party"]),
        ("search_nothing", "basic", &["search", "zebra"]),
    ] {
        let mut out = every_format(fixture, args);
        out.push_str(&on_a_terminal(fixture, args, "60"));
        insta::assert_snapshot!(name, out);
    }
}

#[test]
fn path_in_every_format() {
    for (name, fixture, args) in [
        (
            "path_graph_gamma_delta",
            "graph",
            &["path", "gamma", "delta", "--paths", "3"][..],
        ),
        ("path_graph_beta_alpha", "graph", &["path", "beta", "alpha"]),
        ("path_graph_to_itself", "graph", &["path", "alpha", "alpha"]),
        ("path_graph_none", "graph", &["path", "alpha", "eta"]),
        ("path_hostile_a_d", "hostile-graph", &["path", "a", "d"]),
    ] {
        insta::assert_snapshot!(name, every_format(fixture, args));
    }
}

#[test]
fn compare_in_every_format_narrow_and_wide() {
    for (name, fixture, a, b) in [
        ("compare_graph_alpha_gamma", "graph", "alpha", "gamma"),
        ("compare_graph_beta_delta", "graph", "beta", "delta"),
        ("compare_graph_alpha_eta", "graph", "alpha", "eta"),
        ("compare_graph_alpha_itself", "graph", "alpha", "alpha"),
        ("compare_hostile_a_b", "hostile-graph", "a", "b"),
        ("compare_hostile_a_d", "hostile-graph", "a", "d"),
    ] {
        let args = ["compare", a, b];
        let mut out = every_format(fixture, &args);
        out.push_str(&section_at(fixture, &args, &[], "120"));
        out.push_str(&section_at(fixture, &args, &["--color", "always"], "120"));
        insta::assert_snapshot!(name, out);
    }
}

#[test]
fn graph_in_every_format_and_diagram() {
    for (name, fixture, args) in [
        ("graph_graph", "graph", &["graph"][..]),
        (
            "graph_graph_delta_depth_2",
            "graph",
            &["graph", "delta", "--depth", "2"],
        ),
        (
            "graph_graph_kind_and_relation",
            "graph",
            &["graph", "--kind", "concept", "--relation", "broader"],
        ),
        ("graph_hostile", "hostile-graph", &["graph"]),
    ] {
        let mut out = every_format(fixture, args);
        for diagram in ["dot", "mermaid"] {
            out.push_str(&section(fixture, args, &["--format", diagram]));
        }
        insta::assert_snapshot!(name, out);
    }
}
