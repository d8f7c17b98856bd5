//! Names: how ids, titles, aliases, links and queries are compared.

/// Folds a name for comparison: lowercase, with spaces, `_` and `-` made one `-`,
/// and no leading or trailing separator. `"UN  Good_Offices"` → `"un-good-offices"`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_sep = false;
    for c in name.chars() {
        // ASCII, nearly every character of a name, folds without the tables.
        let (separator, ascii) = if c.is_ascii() {
            (
                c.is_ascii_whitespace() || c == '\x0b' || c == '_' || c == '-',
                true,
            )
        } else {
            (c.is_whitespace(), false)
        };
        if separator {
            pending_sep = !out.is_empty();
            continue;
        }
        if pending_sep {
            out.push('-');
            pending_sep = false;
        }
        if ascii {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Whether `id` is a well-formed entry id: lowercase ASCII letters and digits in
/// words joined by single hyphens (`coercive-diplomacy`, `un-good-offices`).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_folds_as_the_unicode_tables_do() {
        // The ASCII fast path against the general one, on every ASCII character.
        for b in 0u8..128 {
            let c = char::from(b);
            let text = format!("a{c}b");
            let expected = if c.is_whitespace() || c == '_' || c == '-' {
                "a-b".to_owned()
            } else {
                format!("a{}b", c.to_lowercase())
            };
            assert_eq!(normalize(&text), expected, "{b:#04x}");
        }
    }

    #[test]
    fn spaces_underscores_and_hyphens_are_interchangeable() {
        assert_eq!(normalize("UN Good Offices"), "un-good-offices");
        assert_eq!(normalize("un_good_offices"), "un-good-offices");
        assert_eq!(normalize("  un -- good\toffices "), "un-good-offices");
    }

    #[test]
    fn case_is_folded_beyond_ascii() {
        assert_eq!(normalize("ÉCOLE Été"), "école-été");
    }

    #[test]
    fn punctuation_other_than_separators_is_kept() {
        assert_eq!(
            normalize("Preventive Diplomacy / Conflict Prevention"),
            "preventive-diplomacy-/-conflict-prevention"
        );
    }

    #[test]
    fn ids_are_lowercase_kebab_case() {
        assert!(is_valid_id("collective-security"));
        assert!(is_valid_id("iraq-1998"));
        assert!(!is_valid_id("Collective-Security"));
        assert!(!is_valid_id("double--hyphen"));
        assert!(!is_valid_id("-leading"));
        assert!(!is_valid_id("with space"));
        assert!(!is_valid_id(""));
    }
}
