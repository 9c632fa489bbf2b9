//! Paragraph and sentence boundaries, for evidence and for context scopes.
//!
//! News text is full of full stops that end no sentence ("U.S.", "Gen. Mandon",
//! "Jan. 6"), so a boundary needs a terminator, a space, and a capital, digit or quote
//! after it, and the word before the full stop must not be a known abbreviation.

use std::ops::Range;

/// Words that take a full stop without ending a sentence (folded to lowercase).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm", "gov",
    "sen", "rep", "pres", "st", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "no", "nos", "vs", "inc", "corp", "co", "ltd", "jr", "sr",
    "approx", "est", "dept", "mln", "mld", "bn", "mn", "ca", "cf", "al", "ggf", "bzw", "np", "tj",
    "tzw", "ul", "mme", "mlle", "pan",
];

/// Splits `text` into paragraphs (separated by line breaks) and each paragraph into
/// sentences. Ranges are byte offsets into `text`, trimmed of surrounding whitespace.
pub(crate) fn paragraphs(text: &str) -> Vec<Vec<Range<usize>>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let range = trim(text, start..start + line.len());
        start += line.len();
        if !range.is_empty() {
            out.push(sentences(text, range));
        }
    }
    out
}

fn sentences(text: &str, paragraph: Range<usize>) -> Vec<Range<usize>> {
    let body = &text[paragraph.clone()];
    let mut out = Vec::new();
    let mut sentence_start = 0;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        // Swallow closing quotes and brackets that belong to this sentence.
        let mut end = i + c.len_utf8();
        while let Some(&(j, next)) = chars.peek() {
            if matches!(
                next,
                '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '.' | '!' | '?'
            ) {
                end = j + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let rest = &body[end..];
        let after_space = rest.trim_start();
        if after_space.len() == rest.len() || after_space.is_empty() {
            continue;
        }
        let starts_sentence = after_space.chars().next().is_some_and(|n| {
            n.is_uppercase()
                || n.is_numeric()
                || matches!(n, '"' | '“' | '«' | '„' | '(' | '\'' | '‘')
        });
        if starts_sentence && !(c == '.' && is_abbreviation(&body[sentence_start..i])) {
            out.push(trim(
                text,
                paragraph.start + sentence_start..paragraph.start + end,
            ));
            sentence_start = end;
        }
    }
    let last = trim(text, paragraph.start + sentence_start..paragraph.end);
    if !last.is_empty() {
        out.push(last);
    }
    out
}

/// Whether the word just before a full stop is an abbreviation or an initial.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or_default();
    if word.is_empty() {
        return false;
    }
    // Initials and dotted abbreviations: "J.", "U.S", "e.g". A closing quote or bracket
    // is no initial: French sets "»" apart with a space ("« non ». Puis ...").
    if word.contains('.') || (word.chars().count() == 1 && word.chars().all(char::is_alphabetic)) {
        return true;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.end - (slice.len() - slice.trim_end().len());
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<Vec<&str>> {
        paragraphs(text)
            .into_iter()
            .map(|p| p.into_iter().map(|r| &text[r]).collect())
            .collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            split(
                "Gen. Mandon met U.S. officials on Jan. 5 in Paris. The talks ended late. \"Good,\" he said."
            ),
            vec![vec![
                "Gen. Mandon met U.S. officials on Jan. 5 in Paris.",
                "The talks ended late.",
                "\"Good,\" he said."
            ]]
        );
    }

    #[test]
    fn paragraphs_split_on_line_breaks() {
        assert_eq!(
            split("First para. Second sentence!\n\n  Next para?  Yes.\n"),
            vec![
                vec!["First para.", "Second sentence!"],
                vec!["Next para?", "Yes."]
            ]
        );
    }

    #[test]
    fn decimals_and_lowercase_continuations_stay_together() {
        assert_eq!(
            split("It costs $2.5 billion. ok then"),
            vec![vec!["It costs $2.5 billion. ok then"]]
        );
    }

    #[test]
    fn empty_and_odd_input() {
        assert!(paragraphs("").is_empty());
        assert_eq!(split("..."), vec![vec!["..."]]);
        assert_eq!(split("Київ. Париж."), vec![vec!["Київ.", "Париж."]]);
    }

    #[test]
    fn a_spaced_closing_guillemet_ends_a_sentence() {
        assert_eq!(
            split("Il a dit « non ». Puis il est parti. « Jamais\u{a0}». Les chefs, J. Doe."),
            vec![vec![
                "Il a dit « non ».",
                "Puis il est parti.",
                "« Jamais\u{a0}».",
                "Les chefs, J. Doe."
            ]]
        );
    }
}
