//! Regexes compiled on first use, shared by every key that has the same one.
//!
//! Compiling the default taxonomy's regexes takes most of a short command's time (a Unicode
//! `\w` alone is a large automaton, and the patterns hold hundreds), while a command often
//! needs few of them: `newsmon tag` on a text off the story's topic runs only the topic
//! gates, `config check` none. So [`crate::Taxonomy::build`] checks every pattern's syntax
//! (cheap) and compiles nothing; each regex compiles when a text first needs it, once per
//! process, whatever thread asks first.
//!
//! "Needs" is narrower still: most regexes are alternations of phrasings, and every match
//! of one starts with one of finitely many literals (all their case variants included),
//! which `regex-syntax` extracts exactly as the regex engine does for its own prefilter. A
//! text that holds none of them cannot match, and is answered without compiling; only a
//! text that holds one compiles the regex. Matching is the same either way.

use std::sync::{Arc, OnceLock};

use aho_corasick::AhoCorasick;
use regex::{Match, Regex, RegexBuilder};
use regex_syntax::hir::literal::Extractor;

/// Compiled regexes may be large (hundreds of phrasings in five languages).
const REGEX_SIZE_LIMIT: usize = 64 << 20;

/// A case-insensitive regex, compiled on first use. Clones share the compiled form.
#[derive(Debug, Clone)]
pub(crate) struct LazyRegex(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    pattern: String,
    /// The literals one of which starts every match, when they are finitely many (built on
    /// first use, like the regex; `None` inside: no such set, always compile).
    prefixes: OnceLock<Option<AhoCorasick>>,
    /// `None`: the pattern, valid in syntax, is over the size limit; it then matches nothing
    /// (the only way a checked pattern can fail to compile).
    regex: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// A regex for `pattern`, whose syntax [`check`] accepted.
    pub(crate) fn new(pattern: String) -> LazyRegex {
        LazyRegex(Arc::new(Inner {
            pattern,
            prefixes: OnceLock::new(),
            regex: OnceLock::new(),
        }))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0.pattern
    }

    /// Whether the haystack may hold a match: false only when it holds none of the prefixes.
    fn may_match(&self, haystack: &str) -> bool {
        self.0
            .prefixes
            .get_or_init(|| prefixes(&self.0.pattern))
            .as_ref()
            .is_none_or(|ac| ac.is_match(haystack))
    }

    fn get(&self) -> Option<&Regex> {
        self.0
            .regex
            .get_or_init(|| compile(&self.0.pattern).ok())
            .as_ref()
    }

    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        self.may_match(haystack) && self.get().is_some_and(|r| r.is_match(haystack))
    }

    pub(crate) fn find_iter<'h>(&self, haystack: &'h str) -> impl Iterator<Item = Match<'h>> {
        let regex = if self.may_match(haystack) {
            self.get()
        } else {
            None
        };
        regex.into_iter().flat_map(move |r| r.find_iter(haystack))
    }

    /// Compiles it now; the error says why it cannot be.
    #[cfg(test)]
    pub(crate) fn force(&self) -> Result<(), String> {
        self.get()
            .map(|_| ())
            .ok_or_else(|| compile(&self.0.pattern).err().unwrap_or_default())
    }
}

/// Checks a pattern's syntax as the compiler will read it, without compiling it.
pub(crate) fn check(pattern: &str) -> Result<(), String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .map(|_| ())
        .map_err(|e| last_line(&e.to_string()))
}

/// An automaton over the literals that start every match of `pattern` (read as the
/// compiler reads it: case-insensitive, so every case variant is among them), or `None`
/// when there is no finite set of non-empty ones.
fn prefixes(pattern: &str) -> Option<AhoCorasick> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .ok()?;
    let mut seq = Extractor::new().extract(&hir);
    seq.optimize_for_prefix_by_preference();
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    AhoCorasick::new(literals.iter().map(|l| l.as_bytes())).ok()
}

fn compile(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| last_line(&e.to_string()))
}

/// Regex errors span several lines with a caret diagram; keep the last line.
fn last_line(message: &str) -> String {
    message
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .trim()
        .trim_start_matches("error: ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_like_the_compiler_and_compiles_once_on_use() {
        assert!(check(r"\bukrain\w*").is_ok());
        assert_eq!(check("(unclosed").unwrap_err(), "unclosed group");
        assert_eq!(
            check("(unclosed").unwrap_err(),
            compile("(unclosed").unwrap_err()
        );
        let lazy = LazyRegex::new(r"\bkyiv\w*".into());
        let shared = lazy.clone();
        assert!(lazy.0.regex.get().is_none(), "nothing compiled yet");
        assert!(lazy.is_match("in KYIV's streets"));
        assert!(
            shared.0.regex.get().is_some(),
            "clones share the compiled form"
        );
        let found: Vec<&str> = lazy.find_iter("kyiv, kyivan").map(|m| m.as_str()).collect();
        assert_eq!(found, ["kyiv", "kyivan"]);
        assert!(lazy.force().is_ok());
        // A text without any of the literals is answered without compiling.
        let phrases = LazyRegex::new(r"\b(?:security guarantee|backstop)s?\b".into());
        assert!(!phrases.is_match("nothing to see here"));
        assert!(phrases.0.regex.get().is_none());
        assert!(
            phrases.is_match("a US BACKSTOP"),
            "case variants are prefixes too"
        );
        assert!(phrases.0.regex.get().is_some());
        // No finite set of prefixes: compiled and run as is.
        assert!(prefixes(r"\w+ guarantee").is_none());
        assert!(LazyRegex::new(r"\w+ guarantee".into()).is_match("a guarantee"));
        // Same answers as the compiled regex on texts that hold a prefix or not.
        for (pattern, text) in [
            (r"\bdowodc(?:y|ow) wojskow\w*", "dowodcy wojskowi z"),
            (r"\bdowodc(?:y|ow) wojskow\w*", "dowodca"),
            (r"\bкиєв\w*", "у києві"),
            (r"\bкиєв\w*", "kyiv"),
            (r"(?:leaders)(?:'s|s|es|')?\b", "LEADERS' summit"),
        ] {
            let lazy = LazyRegex::new(pattern.into());
            let regex = compile(pattern).unwrap();
            assert_eq!(
                lazy.is_match(text),
                regex.is_match(text),
                "{pattern} on {text}"
            );
            assert_eq!(
                lazy.find_iter(text).map(|m| m.range()).collect::<Vec<_>>(),
                regex.find_iter(text).map(|m| m.range()).collect::<Vec<_>>()
            );
        }
        // Over the size limit: valid syntax, matches nothing, says why when forced.
        let huge = LazyRegex::new(r"(?:\w{1000}){20}".into());
        assert!(check(huge.as_str()).is_ok());
        assert!(!huge.is_match(&"a".repeat(3000)));
        assert!(
            huge.force().unwrap_err().contains("size limit"),
            "{:?}",
            huge.force()
        );
    }
}
