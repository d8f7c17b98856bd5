//! `graph --format mermaid`: the graph view as a Mermaid `flowchart LR`. Node ids
//! are `n0`, `n1`… in id order, safe whatever the entry id; titles and relation
//! labels are quoted; each kind is a class filled with its Graphviz colour.

use super::dot::kind_style;
use crate::view::GraphView;
use std::io::{self, Write};

/// Mermaid's default `maxEdges`: a flowchart with more links is refused ("Edge
/// limit exceeded"), and a diagram cannot raise it for itself.
pub const MAX_EDGES: usize = 500;

/// Text inside a Mermaid quoted label: quotes, `#`, `<` and `>` as entity codes.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            _ => out.push(c),
        }
    }
    out
}

/// The Mermaid class of a kind: letters and digits only, never a keyword.
fn class(kind: &str) -> String {
    let word: String = kind
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("kind_{word}")
}

/// The graph as one flowchart.
pub fn graph<W: Write + ?Sized>(out: &mut W, v: &GraphView) -> io::Result<()> {
    writeln!(out, "flowchart LR")?;
    let number = |id: &str| v.node(id).map_or(0, |(at, _)| at);
    for (i, n) in v.nodes.iter().enumerate() {
        writeln!(out, "  n{i}[\"{}\"]", text(n.title.shown()))?;
    }
    for e in &v.edges {
        let arrow = if e.relation.symmetric { "---" } else { "-->" };
        writeln!(
            out,
            "  n{} {arrow}|\"{}\"| n{}",
            number(e.from.exact()),
            text(e.relation.label.shown()),
            number(e.to.exact())
        )?;
    }
    let mut kinds: Vec<&str> = v.nodes.iter().map(|n| n.kind.exact()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let (_, fill) = kind_style(kind);
        let class = class(kind);
        writeln!(out, "  classDef {class} fill:{fill},stroke:#555")?;
        let members: Vec<String> = v
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind.exact() == kind)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        writeln!(out, "  class {} {class}", members.join(","))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_text_escapes_what_would_end_or_change_a_label() {
        assert_eq!(text("a \"b\" #1 <i>"), "a #quot;b#quot; #35;1 #lt;i#gt;");
        assert_eq!(class("case study"), "kind_case_study");
    }
}
