//! "Did you mean": the message for a query that matched no entry, or too many.

use std::fmt;

/// A query that found no single entry, with the candidates worth suggesting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound {
    pub query: String,
    /// True when several entries matched equally well (an ambiguous prefix or name).
    pub ambiguous: bool,
    /// (id, title) of the candidates, best first.
    pub candidates: Vec<(String, String)>,
    /// (id, title) of two entries whose names the query ran together.
    pub two: Option<Box<[(String, String); 2]>>,
}

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query = crate::sanitize::line(&self.query);
        let query: String = if query.chars().count() > 60 {
            query.chars().take(60).chain("…".chars()).collect()
        } else {
            query.into_owned()
        };
        if let Some(two) = &self.two {
            let [(a, a_title), (b, b_title)] = two.as_ref();
            let (a, b) = (crate::sanitize::line(a), crate::sanitize::line(b));
            return write!(
                f,
                "\"{query}\" names two entries, {} and {}; show each with `otpic show {a}` and `otpic show {b}`, or set them side by side with `otpic compare {a} {b}`",
                crate::sanitize::line(a_title),
                crate::sanitize::line(b_title),
            );
        }
        if self.ambiguous {
            write!(f, "\"{query}\" matches several entries")?;
        } else {
            write!(f, "no entry matches \"{query}\"")?;
        }
        if self.candidates.is_empty() {
            return write!(f, "; try `otpic search {query}` or `otpic list`");
        }
        f.write_str(if self.ambiguous {
            "; which one?"
        } else {
            "; did you mean:"
        })?;
        let width = self
            .candidates
            .iter()
            .map(|(id, _)| id.chars().count())
            .max()
            .unwrap_or(0);
        for (id, title) in &self.candidates {
            write!(
                f,
                "\n  {:width$}  {}",
                crate::sanitize::line(id),
                crate::sanitize::line(title)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_candidates_with_their_titles() {
        let nf = NotFound {
            query: "colective".into(),
            ambiguous: false,
            candidates: vec![
                ("collective-security".into(), "Collective Security".into()),
                ("common-security".into(), "Common Security".into()),
            ],
            two: None,
        };
        assert_eq!(
            nf.to_string(),
            "no entry matches \"colective\"; did you mean:\n  collective-security  Collective Security\n  common-security      Common Security"
        );
    }

    #[test]
    fn without_candidates_points_at_search() {
        let nf = NotFound {
            query: "zzz".into(),
            ambiguous: false,
            candidates: vec![],
            two: None,
        };
        assert_eq!(
            nf.to_string(),
            "no entry matches \"zzz\"; try `otpic search zzz` or `otpic list`"
        );
    }
}
