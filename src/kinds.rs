//! Entry kinds as a reader types them: `approaches`, `Organisation` and
//! `program` mean the kinds the knowledge base has; anything else is answered
//! with the kinds there are.

/// The kind of `known` (the knowledge base's kinds) that `asked` means: itself,
/// its singular, or its other spelling (British or American); else a message
/// naming the valid kinds.
pub fn resolve(asked: &str, known: &[&str]) -> Result<String, String> {
    let folded = crate::tokenize::fold(asked.trim()).into_owned();
    let mut forms = vec![folded.clone()];
    for (plural, singular) in [("ies", "y"), ("es", ""), ("s", "")] {
        if let Some(stem) = folded.strip_suffix(plural) {
            forms.push(format!("{stem}{singular}"));
        }
    }
    let spellings: Vec<String> = forms
        .iter()
        .flat_map(|f| {
            [
                f.replace("isation", "ization"),
                f.replace("ization", "isation"),
                f.replace("programme", "program"),
                f.replace("program", "programme"),
                f.replace("defence", "defense"),
            ]
        })
        .collect();
    forms.extend(spellings);
    if let Some(kind) = forms
        .iter()
        .find_map(|f| known.iter().find(|k| k.eq_ignore_ascii_case(f)))
    {
        return Ok((*kind).to_owned());
    }
    let mut kinds: Vec<&str> = known.to_vec();
    kinds.sort_unstable();
    kinds.dedup();
    let close: Vec<&str> = kinds
        .iter()
        .copied()
        .filter(|k| strsim::jaro_winkler(k, &folded) >= 0.85)
        .collect();
    let mut message = format!("no kind \"{}\"", crate::sanitize::line(asked.trim()));
    if let [one] = close.as_slice() {
        message.push_str(&format!("; did you mean \"{one}\"?"));
    }
    message.push_str(&format!("; the kinds here are: {}", kinds.join(", ")));
    Err(message)
}

/// "approach" → "Approaches", "case" → "Cases": a kind as a heading over its entries.
pub fn plural(kind: &str) -> String {
    let mut chars = kind.chars();
    let cap: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if cap.ends_with("ch") || cap.ends_with('s') || cap.ends_with('x') {
        format!("{cap}es")
    } else if cap.ends_with('y') && !cap.ends_with("ey") {
        format!("{}ies", &cap[..cap.len() - 1])
    } else {
        format!("{cap}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["approach", "case", "organization", "programme", "strategy"];

    #[test]
    fn plurals_and_other_spellings_name_the_kind() {
        for (asked, kind) in [
            ("approach", "approach"),
            ("approaches", "approach"),
            ("Cases", "case"),
            ("organisation", "organization"),
            ("Organisations", "organization"),
            ("program", "programme"),
            ("strategies", "strategy"),
        ] {
            assert_eq!(resolve(asked, KNOWN), Ok(kind.to_owned()), "{asked}");
        }
    }

    #[test]
    fn anything_else_is_answered_with_the_kinds() {
        assert_eq!(
            resolve("aproach", KNOWN),
            Err("no kind \"aproach\"; did you mean \"approach\"?; the kinds here are: approach, case, organization, programme, strategy".to_owned())
        );
        assert_eq!(
            resolve("zebra", KNOWN),
            Err("no kind \"zebra\"; the kinds here are: approach, case, organization, programme, strategy".to_owned())
        );
    }
}
