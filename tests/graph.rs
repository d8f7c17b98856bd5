//! Typed links and the commands that walk them (`show`, `related`, `check`, `path`,
//! `graph`, `compare`), on the concept map of tests/fixtures/graph (see its README):
//! cycles, self-links, symmetric and inverse relations, undeclared relations,
//! unresolved links, disconnected parts, a second knowledge base merged in, and a
//! broken `.otpic.toml`.

mod common;
use common::{fixture, json, kb, portable, run};
use std::io::Write;
use std::process::{Command, Stdio};

/// stdout of otpic on the graph fixture at width 60, with the exit code checked.
fn golden(args: &[&str]) -> String {
    let (code, stdout, stderr) = run(kb("graph").args(args).args(["--width", "60"]));
    assert_eq!(code, 0, "stderr: {stderr}");
    portable(&stdout)
}

/// The graph fixture with graph-extra merged after it.
fn merged() -> assert_cmd::Command {
    let mut cmd = kb("graph");
    cmd.arg("--entries").arg(fixture("graph-extra"));
    cmd
}

#[test]
fn show_lists_one_section_per_relation_then_inverse_labels_then_referenced_by() {
    insta::assert_snapshot!(golden(&["show", "alpha"]));
    // gamma: its own links, then Narrower (delta broader gamma), and alpha's
    // symmetric link shown on this end under the same label.
    let gamma = golden(&["show", "gamma"]);
    for heading in ["Related problems", "Part of", "Contrasts with", "Narrower"] {
        assert!(gamma.contains(&format!("\n{heading}\n")), "{gamma}");
    }
    // alpha links to gamma as related_approaches and contrasts_with; it is listed
    // above, so it is not repeated under "Referenced by".
    assert!(!gamma.contains("Referenced by"), "{gamma}");
}

#[test]
fn show_json_adds_links_by_relation_and_a_relation_on_each_backlink() {
    let (_, raw, _) = run(kb("graph").args(["show", "alpha", "--format", "json"]));
    let v = json(kb("graph").args(["show", "alpha", "--format", "json"]));
    assert_eq!(v["related_approaches"][0]["id"], "gamma");
    // Relations in declaration order, built-ins first.
    let links = &raw[raw.find("\"links\": {").unwrap_or(0)..];
    let at = |key: &str| links.find(&format!("\"{key}\": [")).unwrap_or(usize::MAX);
    assert!(at("related_approaches") < at("broader"), "{raw}");
    assert!(at("broader") < at("contrasts_with"), "{raw}");
    assert!(at("contrasts_with") < usize::MAX, "{raw}");
    assert_eq!(v["links"]["broader"][0]["link"], "Beta");
    assert_eq!(v["links"]["broader"][0]["id"], "beta");
    let back: Vec<(String, String)> = v["referenced_by"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| (r["id"].to_string(), r["relation"].to_string()))
        .collect();
    assert_eq!(
        back,
        [
            ("\"beta\"".to_owned(), "\"broader\"".to_owned()),
            ("\"delta\"".to_owned(), "\"example_of\"".to_owned())
        ]
    );
    assert_eq!(v["examples"][0]["original"], true);
    assert_eq!(v["examples"][1]["original"], false);
    assert_eq!(v["original_links"][1]["id"], "beta");
}

#[test]
fn related_with_depth_is_a_tree_naming_relation_and_kind() {
    insta::assert_snapshot!(golden(&["related", "delta", "--depth", "3"]));
    insta::assert_snapshot!(
        "related_tree_markdown",
        golden(&["related", "delta", "--depth", "2", "--format", "markdown"])
    );
}

#[test]
fn related_follows_only_the_relations_and_directions_asked() {
    let ids = |args: &[&str]| -> Vec<String> {
        let v = json(kb("graph").args(args).args(["--format", "json"]));
        v.as_array()
            .into_iter()
            .flatten()
            .map(|r| format!("{} {} {}", r["id"], r["relation"], r["direction"]))
            .collect()
    };
    assert_eq!(
        ids(&["related", "alpha", "--relation", "broader"]),
        ["\"beta\" \"broader\" \"forward\""]
    );
    assert_eq!(
        ids(&["related", "alpha", "--reverse"]),
        [
            "\"beta\" \"broader\" \"backward\"",
            "\"delta\" \"example_of\" \"backward\""
        ]
    );
    let (code, _, stderr) = run(kb("graph").args(["related", "alpha", "--relation", "nope"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--relation nope: no such relation"),
        "{stderr}"
    );
}

#[test]
fn check_knows_symmetric_inverse_undeclared_and_wrongly_targeted_relations() {
    let (code, stdout, _) = run(kb("graph").arg("check"));
    assert_eq!(code, 1);
    insta::assert_snapshot!(portable(&stdout));
}

#[test]
fn path_prints_one_link_per_line_with_its_direction() {
    insta::assert_snapshot!(golden(&["path", "gamma", "delta", "--paths", "3"]));
    let v = json(kb("graph").args(["path", "delta", "beta", "--format", "json"]));
    assert_eq!(
        v,
        serde_json::json!([[
            {"id": "delta", "title": "Delta", "relation": null, "direction": null},
            {"id": "alpha", "title": "Alpha", "relation": "example_of", "direction": "forward"},
            {"id": "beta", "title": "Beta", "relation": "broader", "direction": "forward"}
        ]])
    );
    // Backwards: beta is reached from gamma through gamma's own part_of link.
    let v = json(kb("graph").args(["path", "beta", "gamma", "--format", "json"]));
    assert_eq!(v[0][1]["direction"], "backward");
    assert_eq!(v[0][1]["relation"], "part_of");
}

#[test]
fn path_to_itself_is_one_step_and_no_path_is_exit_1() {
    let v = json(kb("graph").args(["path", "alpha", "alpha", "--format", "json"]));
    assert_eq!(v[0].as_array().map(Vec::len), Some(1));
    let (code, stdout, stderr) = run(kb("graph").args(["path", "alpha", "zeta"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("no path from alpha to zeta"), "{stderr}");
    let (code, _, stderr) = run(kb("graph").args([
        "path",
        "gamma",
        "beta",
        "--directed",
        "--relation",
        "broader",
    ]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "no path from gamma to beta through --relation broader following links forwards only"
        ),
        "{stderr}"
    );
    // Merged with graph-extra, theta joins the parts.
    let (code, stdout, _) = run(merged().args(["path", "alpha", "zeta"]));
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "Alpha  ←wider—  Theta\nTheta  —contrasts with→  Zeta\n"
    );
}

#[test]
fn graph_renders_every_format_sorted() {
    insta::assert_snapshot!("graph_text", golden(&["graph"]));
    insta::assert_snapshot!("graph_json", golden(&["graph", "--format", "json"]));
    insta::assert_snapshot!("graph_dot", golden(&["graph", "--format", "dot"]));
    insta::assert_snapshot!("graph_mermaid", golden(&["graph", "--format", "mermaid"]));
    insta::assert_snapshot!("graph_markdown", golden(&["graph", "--format", "markdown"]));
    assert_eq!(
        golden(&["graph", "--format", "dot"]),
        golden(&["graph", "--format", "dot"])
    );
}

#[test]
fn graph_of_a_neighbourhood_keeps_the_kinds_and_relations_asked() {
    let v = json(kb("graph").args(["graph", "gamma", "--format", "json"]));
    let nodes: Vec<&str> = v["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["id"].as_str())
        .collect();
    assert_eq!(nodes, ["alpha", "beta", "delta", "gamma"]);
    assert_eq!(
        v["unresolved"],
        serde_json::json!([{"from": "gamma", "link": "Nowhere", "relation": "related_problems"}])
    );
    let v = json(kb("graph").args([
        "graph",
        "--kind",
        "concept",
        "--relation",
        "broader",
        "--format",
        "json",
    ]));
    assert_eq!(
        v["edges"],
        serde_json::json!([
            {"from": "alpha", "to": "beta", "relation": "broader"},
            {"from": "beta", "to": "alpha", "relation": "broader"}
        ])
    );
    assert!(
        v["nodes"]
            .as_array()
            .is_some_and(|n| n.iter().all(|n| n["kind"] == "concept"))
    );
}

#[test]
fn dot_output_is_accepted_by_graphviz() {
    let dot = golden(&["graph", "--format", "dot"]);
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = child.unwrap_or_else(|e| {
        panic!("cannot run Graphviz `dot` ({e}): install graphviz (.ci/run does, with apt-get)")
    });
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(dot.as_bytes())
            .unwrap_or_else(|e| panic!("cannot write to dot: {e}"));
    }
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("dot failed: {e}"));
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "dot rejected the graph: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(svg.contains("<svg") && svg.contains("Alpha"), "{svg}");
}

/// Runs Mermaid's own parser (tests/mermaid/parse.mjs, under node) on each text;
/// returns its verdict line per text. The npm packages are installed once, from
/// the lock file, into the build's scratch directory, never into the source tree.
fn mermaid_parse(texts: &[(&str, String)]) -> Vec<String> {
    let dir = common::npm_project("mermaid", &["parse.mjs"], "mermaid");
    let mut args = vec![dir.join("parse.mjs")];
    for (name, text) in texts {
        let path = dir.join(format!("{name}.mmd"));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        args.push(path);
    }
    let out = Command::new("node")
        .args(&args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node ({e}): install nodejs (.ci/run does)"));
    let verdicts: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.replace(&format!("{}/", dir.display()), ""))
        .collect();
    assert_eq!(
        verdicts.len(),
        texts.len(),
        "parse.mjs printed {verdicts:?}; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    verdicts
}

#[test]
fn mermaid_output_is_accepted_by_mermaids_own_parser() {
    let shipped = |args: &[&str]| {
        let (code, stdout, stderr) = run(common::otpic().args(args));
        assert_eq!(code, 0, "{stderr}");
        (stdout, stderr)
    };
    let (hostile_code, hostile, _) = run(kb("hostile").args(["graph", "--format", "mermaid"]));
    assert_eq!(hostile_code, 0);
    // Titles and a relation label holding everything Mermaid gives a meaning to.
    let tricky = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        std::fs::write(tricky.path().join(name), text).unwrap_or_else(|e| panic!("{e}"))
    };
    write(
        ".otpic.toml",
        "[relations.leads]\nlabel = 'Leads \"to\" | #1 <i>x</i>; `a` --> b'\n",
    );
    write(
        "a.toml",
        "title = 'Say \"no\" #1 <b>bold</b> `tick`'\ndefinition = 'd'\n[links]\nleads = ['b']\n",
    );
    write(
        "b.toml",
        "title = '[x] {y} (z) |pipe| a --> b; end; click n0 call x() %% c'\ndefinition = 'd'\n",
    );
    let (tricky_code, tricky_out, tricky_err) = run(common::otpic()
        .arg("--entries")
        .arg(tricky.path())
        .args(["graph", "--format", "mermaid"]));
    assert_eq!(tricky_code, 0, "{tricky_err}");
    assert!(tricky_out.contains(" -->|"), "{tricky_out}");
    let (neighbourhood, quiet) = shipped(&[
        "graph",
        "collective-security",
        "--depth",
        "2",
        "--format",
        "mermaid",
    ]);
    assert_eq!(quiet, "");
    let texts = [
        ("graph", golden(&["graph", "--format", "mermaid"])),
        (
            "merged",
            run(merged().args(["graph", "--format", "mermaid"])).1,
        ),
        ("hostile", hostile),
        ("neighbourhood", neighbourhood),
        ("tricky", tricky_out),
        // A broken diagram, so that a parser that accepts anything fails the test.
        (
            "broken",
            "flowchart LR\n  n0[\"a\"] --> n1[\"b\n".to_owned(),
        ),
    ];
    let verdicts = mermaid_parse(&texts);
    for v in &verdicts[..5] {
        assert!(v.starts_with("ok "), "{verdicts:#?}");
    }
    assert!(verdicts[5].starts_with("error broken.mmd"), "{verdicts:#?}");
}

#[test]
fn a_mermaid_graph_over_mermaids_edge_limit_is_warned_about() {
    // The whole shipped map has more links than Mermaid draws by default: otpic
    // still writes it, and says so on stderr; Mermaid indeed refuses it.
    let (code, whole, stderr) = run(common::otpic().args(["graph", "--format", "mermaid"]));
    assert_eq!(code, 0);
    assert!(
        stderr.starts_with("otpic: warning: ") && stderr.contains("at most 500"),
        "{stderr}"
    );
    let verdicts = mermaid_parse(&[("whole", whole)]);
    assert!(
        verdicts[0].starts_with("error whole.mmd: Edge limit exceeded"),
        "{verdicts:?}"
    );
}

#[test]
fn diagram_formats_are_for_graph_only() {
    for args in [
        &["list", "--format", "dot"][..],
        &["show", "alpha", "--format", "mermaid"],
        &["path", "alpha", "beta", "--format", "dot"],
    ] {
        let (code, stdout, stderr) = run(kb("graph").args(args));
        assert_eq!((code, stdout.as_str()), (2, ""), "{args:?}");
        assert!(stderr.contains("accepted only by `graph`"), "{stderr}");
    }
}

#[test]
fn compare_in_one_column_and_in_two() {
    insta::assert_snapshot!("compare_narrow", golden(&["compare", "alpha", "gamma"]));
    let (_, wide, _) = run(kb("graph").args(["compare", "alpha", "delta", "--width", "100"]));
    insta::assert_snapshot!("compare_wide", wide);
    insta::assert_snapshot!(
        "compare_markdown",
        golden(&["compare", "beta", "delta", "--format", "markdown"])
    );
    let v = json(kb("graph").args(["compare", "beta", "delta", "--format", "json"]));
    assert_eq!(v["direct"], serde_json::json!([]));
    assert_eq!(v["path"][1]["id"], "alpha");
    assert_eq!(v["shared"][0]["id"], "alpha");
    assert_eq!(v["shared"][0]["relation_a"], "broader");
    assert_eq!(v["shared"][0]["relation_b"], "example_of");
    assert_eq!(v["shared"][1]["id"], "gamma");
    assert_eq!(v["shared"][1]["direction_a"], "backward");
    assert_eq!(v["only_b"], serde_json::json!([]));
    assert_eq!(
        v["tags"],
        serde_json::json!({"shared": [], "only_a": ["map"], "only_b": []})
    );
}

#[test]
fn merged_knowledge_bases_merge_their_declarations_and_check_warns_of_a_conflict() {
    let (_, stdout, stderr) = run(merged().args(["show", "alpha", "--width", "60"]));
    assert!(stdout.contains("\nWider\n"), "{stdout}");
    assert!(stdout.contains("- Theta — theta"), "{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
    let (_, stdout, _) = run(merged().arg("check"));
    let stdout = portable(&stdout);
    assert!(
        stdout.contains(
            "tests/fixtures/graph-extra/.otpic.toml:1:12: warning: relation \"broader\" is declared differently in tests/fixtures/graph/.otpic.toml; this declaration wins"
        ),
        "{stdout}"
    );
}

#[test]
fn a_broken_declaration_file_is_reported_and_entries_still_load() {
    let (code, stdout, stderr) = run(kb("graph-broken").args(["show", "two"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("- One — one"), "{stdout}");
    assert!(
        portable(&stderr).contains("otpic: tests/fixtures/graph-broken/.otpic.toml:3:10: error: "),
        "{stderr}"
    );
    let (code, stdout, _) = run(kb("graph-broken").arg("check"));
    assert_eq!(code, 1);
    assert!(
        portable(&stdout).contains("tests/fixtures/graph-broken/.otpic.toml:3:10: error: "),
        "{stdout}"
    );
    assert!(stdout.contains("2 entries checked"), "{stdout}");
}

#[test]
fn relation_names_complete_after_relation() {
    let dir = fixture("graph").display().to_string();
    let (code, stdout, stderr) = run(common::otpic()
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "6")
        .env("_CLAP_IFS", "\n")
        .args([
            "--",
            "otpic",
            "--entries",
            &dir,
            "related",
            "alpha",
            "--relation",
            "",
        ]));
    assert_eq!(code, 0, "{stderr}");
    let got: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        got,
        [
            "related_approaches",
            "related_problems",
            "broader",
            "contrasts_with",
            "example_of"
        ]
    );
}

#[test]
fn typed_links_survive_an_index_rebuilt_around_unchanged_entries() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for item in std::fs::read_dir(fixture("graph"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let _ = std::fs::copy(item.path(), dir.path().join(item.file_name()));
    }
    let show = |id: &str| {
        json(
            common::otpic()
                .env("OTPIC_CACHE_DIR", cache.path())
                .arg("--entries")
                .arg(dir.path())
                .args(["show", id, "--format", "json"]),
        )
    };
    // Files changed in the last 2 s are read again by every run: let them settle,
    // so that the second run really reuses the unchanged entries.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let before = show("beta");
    // Change only gamma: alpha's and delta's links are copied from the old index.
    let gamma = dir.path().join("gamma.toml");
    let text = std::fs::read_to_string(&gamma).unwrap_or_default();
    std::fs::write(&gamma, text.replace("An approach", "A changed approach"))
        .unwrap_or_else(|e| panic!("{e}"));
    let after = show("beta");
    assert_eq!(before["referenced_by"], after["referenced_by"]);
    assert_eq!(
        after["referenced_by"],
        serde_json::json!([
            {"id": "alpha", "title": "Alpha", "relation": "broader"},
            {"id": "gamma", "title": "Gamma", "relation": "part_of"}
        ])
    );
    assert_eq!(show("alpha")["links"]["contrasts_with"][0]["id"], "gamma");
}
