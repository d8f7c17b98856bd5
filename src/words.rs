//! The words of a text as search sees them: split at anything but letters and
//! digits, case and accents folded, English stop words marked, and stemmed.
//!
//! The index stores the stems of every word, stop words included (phrases hold
//! them); queries are cut the same way, so both sides always agree. Changing
//! anything here changes what an index holds: build.rs fingerprints this file.

use rust_stemmers::{Algorithm, Stemmer};
use std::borrow::Cow;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Words too common to find anything by themselves: a query of only these
/// matches nothing, and they are left out of ranking (phrases still hold them).
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "if", "in", "into",
    "is", "it", "its", "no", "not", "of", "on", "or", "so", "such", "that", "the", "their", "then",
    "there", "these", "they", "this", "to", "was", "were", "which", "will", "with",
];

/// Whether a folded word is a stop word.
pub fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.contains(&folded)
}

/// Lowercase, without accents: `Pérez` → `perez`, `Møller` → `moller`,
/// `Straße` → `strasse`. Letters that do not decompose into a base letter and
/// marks (ø, æ, œ, ß, ł, đ, þ) are spelt as English writes them.
pub fn fold(word: &str) -> Cow<'_, str> {
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len());
    for c in word.nfd().filter(|&c| !is_combining_mark(c)) {
        for c in c.to_lowercase() {
            match c {
                'ø' => out.push('o'),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'ß' => out.push_str("ss"),
                'ł' => out.push('l'),
                'đ' | 'ð' => out.push('d'),
                'þ' => out.push_str("th"),
                'ı' => out.push('i'),
                _ => out.push(c),
            }
        }
    }
    Cow::Owned(out)
}

/// The stem of a folded word (`networks` → `network`, `negotiating` → `negoti`).
pub fn stem(folded: &str) -> Cow<'_, str> {
    ENGLISH.stem(folded)
}

/// The pieces of `text` that are words, as they are written.
pub fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The stems of the words of `text`, in order.
pub fn stems(text: &str) -> impl Iterator<Item = String> + '_ {
    split(text).map(|w| stem(&fold(w)).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_fold_away() {
        assert_eq!(fold("Pérez"), "perez");
        assert_eq!(fold("CUÉLLAR"), "cuellar");
        assert_eq!(fold("Møller"), "moller");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("plain"), "plain");
    }

    #[test]
    fn english_words_share_a_stem_with_their_forms() {
        assert_eq!(stem("networks"), stem("network"));
        assert_eq!(stem("negotiating"), stem("negotiation"));
        assert_eq!(stem("cities"), stem("city"));
    }

    #[test]
    fn words_split_at_anything_but_letters_and_digits() {
        let got: Vec<String> = stems("Sister-City (1962) Networks").collect();
        assert_eq!(got, ["sister", "citi", "1962", "network"]);
    }
}
