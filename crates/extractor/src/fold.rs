//! Case and diacritic folding with a way back to the original text.
//!
//! Taxonomy phrases and article text are both folded before matching, so "Élysée",
//! "elysee" and "ELYSÉE" meet; every folded byte remembers where it came from, so a
//! match is reported at its place in the text as written.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Folded text and, for each of its bytes, the byte offset of the source character.
#[derive(Debug)]
pub(crate) struct Folded {
    pub(crate) text: String,
    origin: Vec<usize>,
}

impl Folded {
    /// The byte range in the original text that produced `start..end` of the folded text.
    pub(crate) fn original_range(
        &self,
        original: &str,
        start: usize,
        end: usize,
    ) -> (usize, usize) {
        let from = self.origin.get(start).copied().unwrap_or(original.len());
        let last = match end.checked_sub(1).and_then(|i| self.origin.get(i)) {
            Some(&last) => last,
            None => return (from, from),
        };
        let to = last + original[last..].chars().next().map_or(0, char::len_utf8);
        (from, to.max(from))
    }
}

/// Folds `text`: lowercase, combining marks removed after canonical decomposition,
/// typographic apostrophes, quotes and dashes made ASCII, "ß", "œ", "æ", "ø" and "đ"
/// spelt in ASCII, whitespace runs made one space.
///
/// Folding to ASCII is also what keeps matching fast: a regex with a Unicode word boundary
/// leaves its DFA for a slower engine on any non-ASCII byte, so Latin-script text that
/// folds to pure ASCII is scanned at DFA speed. Polish "ł" stays: as "l" it would make
/// Polish stems of the concept lists words of other languages ("generał" → "general",
/// "kapitał" → "kapital", "formuł" → "formul").
pub(crate) fn fold(text: &str) -> Folded {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    let mut last_space = false;
    for (offset, c) in text.char_indices() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                origin.push(offset);
                last_space = true;
            }
            continue;
        }
        last_space = false;
        fold_char(c, |c| {
            let before = out.len();
            out.push(c);
            origin.resize(origin.len() + (out.len() - before), offset);
        });
    }
    Folded { text: out, origin }
}

/// Pushes what `fold` makes of `c`, a character that is not whitespace.
#[inline]
fn fold_char(c: char, mut push: impl FnMut(char)) {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' | '`' => push('\''),
        _ if c.is_ascii() => push(c.to_ascii_lowercase()),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => push('-'),
        '«' | '»' | '„' | '“' | '”' | '‟' | '\u{2033}' => push('"'),
        'ø' | 'Ø' => push('o'),
        'đ' | 'Đ' => push('d'),
        'ß' | 'ẞ' => {
            push('s');
            push('s');
        }
        'œ' | 'Œ' => {
            push('o');
            push('e');
        }
        'æ' | 'Æ' => {
            push('a');
            push('e');
        }
        _ => decompose_canonical(c, |d| {
            if !is_combining_mark(d) {
                for lower in d.to_lowercase() {
                    push(lower);
                }
            }
        }),
    }
}

/// Folds a regex pattern written against folded text: its non-ASCII characters as `fold`
/// folds them, so that a pattern may be written as spelt ("zeszły", "«"); its ASCII as
/// written, since escapes such as `\D`, `\S` and `\B` are case-sensitive. None of the
/// folded forms is regex syntax.
pub(crate) fn fold_pattern(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if c.is_whitespace() {
            out.push(' ');
        } else {
            fold_char(c, |c| out.push(c));
        }
    }
    out
}

/// Folds a phrase of the taxonomy the same way as text.
pub(crate) fn fold_str(text: &str) -> String {
    fold(text).text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_dashes_and_spaces() {
        assert_eq!(fold_str("Élysée  Summit"), "elysee summit");
        assert_eq!(fold_str("U.S.–Ukraine"), "u.s.-ukraine");
        assert_eq!(fold_str("leaders’ meeting"), "leaders' meeting");
        assert_eq!(
            fold_str("Zaporizhzhia Запорізька АЕС"),
            "zaporizhzhia запорізька аес"
        );
        assert_eq!(fold_str("Koalicja chętnych"), "koalicja chetnych");
    }

    #[test]
    fn folds_quotes_and_letters_that_do_not_decompose_to_ascii() {
        assert_eq!(
            fold_str("« Straße » „cœur“ Ærø"),
            "\" strasse \" \"coeur\" aero"
        );
        // Polish "ł" stays apart from "l" ("generał" is not "general").
        assert_eq!(fold_str("Generał"), "generał");
        let original = "»Weiße Haus«";
        let folded = fold(original);
        assert_eq!(folded.text, "\"weisse haus\"");
        let start = folded.text.find("weisse").unwrap();
        let (from, to) = folded.original_range(original, start, start + "weisse".len());
        assert_eq!(&original[from..to], "Weiße");
    }

    #[test]
    fn folds_a_pattern_s_non_ascii_only() {
        assert_eq!(fold_pattern(r"\bweiß\B«\D»"), r#"\bweiss\B"\D""#);
        assert_eq!(fold_pattern("наступнй|zeszły"), "наступни|zeszły");
    }

    #[test]
    fn maps_folded_ranges_back_to_the_original() {
        let original = "The ÉLYSÉE  summit";
        let folded = fold(original);
        let start = folded.text.find("elysee summit").unwrap();
        let (from, to) = folded.original_range(original, start, start + "elysee summit".len());
        assert_eq!(&original[from..to], "ÉLYSÉE  summit");
    }
}
