//! The words of an entry as search sees them: its searchable [`Field`]s, their text
//! split at anything but letters and digits, case and accents folded, English stop
//! words marked, and stemmed; and the [`WordCounts`] the index stores as postings.
//!
//! The index stores the stems of every word, stop words included (phrases hold
//! them); queries are cut the same way, so both sides always agree. Changing
//! anything here changes what an index holds (build.rs fingerprints all of `src/`).
//! A leaf beneath the index and search: it knows entries, not indexes or queries.

use crate::entry::{Entry, Work};
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
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
    // ASCII has no accents to take off: only capitals to lower.
    if word.is_ascii() {
        return Cow::Owned(word.to_ascii_lowercase());
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

/// A searchable field of an entry. All aliases count as one field, likewise all
/// examples, all sources, and the authors of examples and sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Title,
    Summary,
    Tags,
    Definition,
    Aliases,
    Examples,
    Sources,
    Authors,
}

impl Field {
    /// Every field, in the order of their codes.
    pub const ALL: [Field; 8] = [
        Field::Title,
        Field::Summary,
        Field::Tags,
        Field::Definition,
        Field::Aliases,
        Field::Examples,
        Field::Sources,
        Field::Authors,
    ];

    /// The field's code in the index's postings (three bits: 0 to 7).
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The field of a code in the index's postings (its low three bits).
    pub fn from_code(code: u8) -> Field {
        Field::ALL[usize::from(code & 7)]
    }
}

/// The text of a work for search: title and description (author apart).
fn work_text(w: &Work) -> String {
    [Some(&w.title), w.description.as_ref()]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The searchable pieces of text of an entry, each with its field.
pub fn fields(e: &Entry) -> Vec<(Field, String)> {
    let mut f = vec![
        (Field::Title, e.title.clone()),
        (Field::Summary, e.summary.clone().unwrap_or_default()),
        (Field::Tags, e.tags.join(" ")),
        (Field::Definition, e.definition.clone()),
    ];
    for a in &e.aliases {
        f.push((Field::Aliases, a.text.clone()));
    }
    for (field, works) in [(Field::Examples, &e.examples), (Field::Sources, &e.sources)] {
        for w in works {
            f.push((field, work_text(w)));
            if let Some(author) = &w.author {
                f.push((Field::Authors, author.clone()));
            }
        }
    }
    f
}

/// The stems of an entry with the field each is in and how often it occurs
/// there: what the index stores as postings. The order of the words is not
/// specified; a word's fields come together, in order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WordCounts {
    /// The words, one after the other.
    text: String,
    /// For each (word, field), a word's fields together: where the word ends in
    /// `text`, the field, the count.
    items: Vec<(u32, Field, u32)>,
}

impl WordCounts {
    /// Counts the stems of `e`, field by field.
    pub fn of(e: &Entry) -> WordCounts {
        let mut counts: FxHashMap<String, [u32; Field::ALL.len()]> = FxHashMap::default();
        for (field, text) in fields(e) {
            for w in stems(&text) {
                counts.entry(w).or_default()[usize::from(field.code())] += 1;
            }
        }
        let mut out = WordCounts::default();
        for (word, fields) in counts {
            out.text.push_str(&word);
            for (field, &count) in Field::ALL.iter().zip(&fields) {
                if count > 0 {
                    out.items.push((out.text.len() as u32, *field, count));
                }
            }
        }
        out
    }

    /// (word, field, count), a word's fields together and in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Field, u32)> {
        // (start, end) of the current word: items of one word share its end.
        let mut span = (0, 0);
        self.items.iter().map(move |&(end, field, count)| {
            let end = end as usize;
            if end != span.1 {
                span = (span.1, end);
            }
            (self.text.get(span.0..span.1).unwrap_or(""), field, count)
        })
    }
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
    fn letters_without_a_base_letter_are_spelt_as_english_writes_them() {
        assert_eq!(fold("Øre"), "ore");
        assert_eq!(fold("Æsir"), "aesir");
        assert_eq!(fold("Œuvre"), "oeuvre");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Đorđe"), "dorde");
        assert_eq!(fold("Ðað"), "dad");
        assert_eq!(fold("Þór"), "thor");
        assert_eq!(fold("ıstanbul"), "istanbul");
        // Plain words are borrowed, not copied.
        assert!(matches!(fold("plain2"), Cow::Borrowed("plain2")));
        assert!(matches!(fold("Plain"), Cow::Owned(_)));
    }

    #[test]
    fn every_searchable_piece_of_an_entry_comes_with_its_field() {
        let text = concat!(
            "title = \"T\"\nsummary = \"S\"\ntags = [\"t1\", \"t2\"]\n",
            "definition = \"D\"\naliases = [\"A1\", \"A2\"]\n",
            "[[examples]]\ntitle = \"E\"\nauthor = \"EA\"\ndescription = \"ED\"\n",
            "[[examples]]\ntitle = \"F\"\n",
            "[[sources]]\ntitle = \"R\"\nauthor = \"RA\"\n",
        );
        let e = Entry::parse("x", "x", text);
        let Ok(e) = e else { panic!("{e:?}") };
        let fields = fields(&e);
        let got: Vec<(Field, &str)> = fields.iter().map(|(f, t)| (*f, t.as_str())).collect();
        assert_eq!(
            got,
            [
                (Field::Title, "T"),
                (Field::Summary, "S"),
                (Field::Tags, "t1 t2"),
                (Field::Definition, "D"),
                (Field::Aliases, "A1"),
                (Field::Aliases, "A2"),
                (Field::Examples, "E ED"),
                (Field::Authors, "EA"),
                (Field::Examples, "F"),
                (Field::Sources, "R"),
                (Field::Authors, "RA"),
            ]
        );
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

    #[test]
    fn field_codes_round_trip_in_three_bits() {
        for field in Field::ALL {
            assert!(field.code() < 8);
            assert_eq!(Field::from_code(field.code()), field);
        }
    }

    #[test]
    fn words_are_counted_per_field() {
        let e = Entry::parse(
            "x",
            "x",
            "title = \"Peace Peace\"\ndefinition = \"peace of mind\"\naliases = [\"inner peace\", \"calm\"]\n",
        );
        let Ok(e) = e else { panic!("{e:?}") };
        let counts = WordCounts::of(&e);
        let peace: Vec<(Field, u32)> = counts
            .iter()
            .filter(|(w, _, _)| *w == "peac")
            .map(|(_, f, n)| (f, n))
            .collect();
        assert_eq!(
            peace,
            [
                (Field::Title, 2),
                (Field::Definition, 1),
                (Field::Aliases, 1)
            ]
        );
        let mut words: Vec<&str> = counts.iter().map(|(w, _, _)| w).collect();
        words.sort();
        assert_eq!(
            words,
            ["calm", "inner", "mind", "of", "peac", "peac", "peac"]
        );
    }
}
