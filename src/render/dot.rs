//! `graph --format dot`: the graph view as Graphviz input. Nodes are labelled by
//! title, shaped and coloured by kind; edges are labelled by relation, symmetric
//! relations drawn without arrowheads.

use crate::view::GraphView;
use std::io::{self, Write};

/// The Graphviz shape and fill colour of a kind (Mermaid takes the colour too).
pub fn kind_style(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "approach" => ("box", "#cfe2f3"),
        "problem" => ("octagon", "#f4cccc"),
        "concept" => ("ellipse", "#fff2cc"),
        "organization" => ("component", "#d9ead3"),
        "case" => ("note", "#ead1dc"),
        "document" => ("tab", "#d9d2e9"),
        "programme" => ("folder", "#fce5cd"),
        _ => ("ellipse", "#eeeeee"),
    }
}

/// A DOT string literal of shown (sanitized) text.
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The graph as one `digraph`.
pub fn graph<W: Write + ?Sized>(out: &mut W, v: &GraphView) -> io::Result<()> {
    out.write_all(
        b"digraph otpic {\n  graph [rankdir=LR];\n  node [style=filled, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
    )?;
    for n in &v.nodes {
        let (shape, fill) = kind_style(n.kind.exact());
        writeln!(
            out,
            "  {} [label={}, shape={shape}, fillcolor=\"{fill}\", tooltip={}];",
            string(n.id.shown()),
            string(n.title.shown()),
            string(n.kind.shown())
        )?;
    }
    for e in &v.edges {
        let dir = if e.relation.symmetric {
            ", dir=none"
        } else {
            ""
        };
        writeln!(
            out,
            "  {} -> {} [label={}{dir}];",
            string(e.from.shown()),
            string(e.to.shown()),
            string(e.relation.label.shown())
        )?;
    }
    out.write_all(b"}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_strings_escape_quotes_and_backslashes() {
        assert_eq!(string("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
    }
}
