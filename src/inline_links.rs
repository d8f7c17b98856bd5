//! Inline links in Markdown entry text (`[text](address)`, `<address>`): found and
//! rewritten for outputs that cannot show them as links (terminal text, search
//! snippets).

/// Rewrites each inline link, `[text](address)` or `<address>`, as `f(text,
/// address)` gives it: termimad has no link syntax and would print them raw.
/// Text that only looks like a link (`[a] (b)`, `[a]` alone) is left as it is.
pub fn links(markdown: &str, f: impl Fn(&str, &str) -> String) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = rest.find(['[', '<']) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let link = if let Some(inner) = from.strip_prefix('<') {
            inner.find('>').and_then(|end| {
                let url = &inner[..end];
                let is_url = (url.starts_with("http://")
                    || url.starts_with("https://")
                    || url.starts_with("mailto:"))
                    && !url.contains(char::is_whitespace);
                is_url.then(|| (f(url, url), end + 2))
            })
        } else {
            from[1..].find(']').and_then(|end| {
                let text = &from[1..1 + end];
                let after = &from[end + 2..];
                let inner = after.strip_prefix('(')?;
                let close = inner.find(')')?;
                let url = inner[..close].trim();
                (!url.is_empty() && !url.contains(char::is_whitespace) && !text.contains('['))
                    .then(|| (f(text, url), end + 2 + close + 2))
            })
        };
        match link {
            Some((text, len)) => {
                out.push_str(&text);
                rest = &from[len..];
            }
            None => {
                let c = from.chars().next().map_or(1, char::len_utf8);
                out.push_str(&from[..c]);
                rest = &from[c..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Inline links as their text alone (`<address>` as the address).
pub fn link_text(markdown: &str) -> String {
    links(markdown, |text, _| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_their_text_and_look_alikes_stay() {
        assert_eq!(link_text("a [b](c) d"), "a b d");
        assert_eq!(
            link_text("<https://x.org> and <not a url>"),
            "https://x.org and <not a url>"
        );
        assert_eq!(link_text("[a] (b) and [a]"), "[a] (b) and [a]");
    }
}
