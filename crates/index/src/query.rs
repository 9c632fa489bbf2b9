//! The query language: tantivy's, with newsmon's field names and values made friendlier,
//! and errors that name the token at fault.
//!
//! tantivy's parser takes `tags:/tier/us-backstop`, RFC 3339 dates only and bare integers
//! for `amount_usd`, and answers a mistake with a terse "Syntax Error: `<the whole query>`".
//! [`rewrite`] first walks the query once: it checks every `field:` against the fields a
//! user may search, turns `tag:tier/us-backstop` into the facet term, completes bare dates
//! (`published:>=2026-01-05`) and reads amounts with a scale (`amount_usd:>=100bn`). A
//! mistake found there names the field, the value and its column; whatever is left to
//! tantivy is reported with the column its lenient parser gives.

use tantivy::query::{AllQuery, Query, QueryParser, QueryParserError};
use tantivy::schema::{Field, Schema};
use tantivy::tokenizer::TokenizerManager;

use crate::{Error, Result};

/// Title words weigh this much more than body words.
pub(crate) const TITLE_BOOST: f32 = 3.0;

/// What a `field:` in a query may name, and how its values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Exact,
    Lowercase,
    Tag,
    Date,
    Amount,
}

/// The fields a query may name: (name in the query, name in the schema, kind).
const FIELDS: &[(&str, &str, Kind)] = &[
    ("title", "title", Kind::Text),
    ("body", "body", Kind::Text),
    ("text", "body", Kind::Text),
    ("source", "source", Kind::Exact),
    ("url", "url", Kind::Exact),
    ("id", "id", Kind::Exact),
    ("lang", "lang", Kind::Lowercase),
    ("tag", "tags", Kind::Tag),
    ("tags", "tags", Kind::Tag),
    ("published", "published", Kind::Date),
    ("fetched", "fetched", Kind::Date),
    ("amount_usd", "amount_usd", Kind::Amount),
];

fn known_fields() -> String {
    FIELDS
        .iter()
        .map(|(name, ..)| *name)
        .filter(|name| !matches!(*name, "text" | "tags"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses `text` into a tantivy query over `schema`: words go to title (boosted) and body,
/// all required unless `OR` says otherwise; empty or `*` matches everything.
pub(crate) fn parse(
    schema: &Schema,
    title: Field,
    body: Field,
    text: &str,
) -> Result<Box<dyn Query>> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "*" {
        return Ok(Box::new(AllQuery));
    }
    let rewritten = rewrite(trimmed).map_err(|message| Error::Query {
        query: trimmed.to_string(),
        message,
    })?;
    let mut parser = QueryParser::new(
        schema.clone(),
        vec![title, body],
        TokenizerManager::default(),
    );
    parser.set_conjunction_by_default();
    parser.set_field_boost(title, TITLE_BOOST);
    match parser.parse_query(&rewritten) {
        Ok(query) => Ok(query),
        // `-football` alone: everything but football, as a person means it.
        Err(QueryParserError::AllButQueryForbidden) => parser
            .parse_query(&format!("* {rewritten}"))
            .map_err(|err| explain(&parser, trimmed, &rewritten, err)),
        Err(err) => Err(explain(&parser, trimmed, &rewritten, err)),
    }
}

/// Checks a query without an index (a watch in the config, say).
pub fn validate_query(text: &str) -> Result<()> {
    let (schema, fields) = crate::schema::schema();
    parse(&schema, fields.title, fields.body, text).map(|_| ())
}

fn explain(parser: &QueryParser, query: &str, rewritten: &str, err: QueryParserError) -> Error {
    let message = match err {
        QueryParserError::SyntaxError(_) => {
            // The lenient parser says where; the strict one only that something is wrong.
            let (_, errors) = parser.parse_query_lenient(rewritten);
            errors
                .into_iter()
                .find_map(|e| match e {
                    QueryParserError::SyntaxError(m) => Some(m),
                    _ => None,
                })
                .map(|m| syntax_message(&m, rewritten))
                .unwrap_or_else(|| "syntax error".to_string())
        }
        QueryParserError::FieldDoesNotExist(field) => {
            format!("unknown field `{field}`; fields: {}", known_fields())
        }
        QueryParserError::RangeMustNotHavePhrase => {
            "a range bound must be a single value, not a \"phrase\"".to_string()
        }
        QueryParserError::AllButQueryForbidden => {
            "the query only excludes; add something to look for".to_string()
        }
        other => other.to_string(),
    };
    Error::Query {
        query: query.to_string(),
        message,
    }
}

/// "expected X at position 7" → "expected X at column 8 (`word`)".
fn syntax_message(message: &str, query: &str) -> String {
    let Some((what, position)) = message.rsplit_once(" at position ") else {
        return message.to_string();
    };
    let Ok(position) = position.trim().parse::<usize>() else {
        return message.to_string();
    };
    let near: String = query
        .get(position..)
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .chars()
        .take(30)
        .collect();
    let column = query
        .get(..position)
        .map_or(position, |s| s.chars().count())
        + 1;
    if near.is_empty() {
        format!("{} at the end of the query", what.to_lowercase())
    } else {
        format!("{} at column {column} (`{near}`)", what.to_lowercase())
    }
}

/// The query with newsmon's conveniences turned into tantivy's syntax, or what is wrong.
pub(crate) fn rewrite(query: &str) -> std::result::Result<String, String> {
    let chars: Vec<(usize, char)> = query.char_indices().collect();
    let column = |i: usize| i + 1;
    let mut out = String::with_capacity(query.len() + 16);
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        match c {
            '"' => {
                let end = (i + 1..chars.len())
                    .find(|&j| chars[j].1 == '"')
                    .ok_or_else(|| format!("unclosed quote at column {}", column(i)))?;
                chars[i..=end].iter().for_each(|(_, c)| out.push(*c));
                i = end + 1;
                continue;
            }
            '(' => depth += 1,
            ')' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| format!("unmatched `)` at column {}", column(i)))?;
            }
            _ => {}
        }
        let at_start = i == 0 || matches!(chars[i - 1].1, ' ' | '\t' | '\n' | '(' | '+' | '-');
        if at_start && (c.is_ascii_alphabetic() || c == '_') {
            let mut j = i;
            while j < chars.len() && (chars[j].1.is_ascii_alphanumeric() || chars[j].1 == '_') {
                j += 1;
            }
            if j < chars.len() && chars[j].1 == ':' {
                let name: String = chars[i..j].iter().map(|(_, c)| c).collect();
                let (value, next) = field_value(&chars, j + 1)?;
                out.push_str(&field_clause(&name, &value, column(i))?);
                i = next;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    if depth > 0 {
        return Err("unclosed `(`".to_string());
    }
    operators(query)?;
    Ok(out)
}

/// An AND, OR or NOT without its operands: "paris AND", "OR kyiv", "a AND OR b".
fn operators(query: &str) -> std::result::Result<(), String> {
    // Words outside quotes, with their columns.
    let mut words: Vec<(usize, String)> = Vec::new();
    let mut quoted = false;
    let mut current: Option<(usize, String)> = None;
    for (column, c) in query.chars().enumerate() {
        if c == '"' {
            quoted = !quoted;
            // A phrase is one operand (`title:"a b"` continues the word before it).
            if quoted && current.is_none() {
                words.push((column + 1, "\"…\"".to_string()));
            }
            continue;
        }
        if quoted || c.is_whitespace() || c == '(' || c == ')' {
            words.extend(current.take());
            if c == '(' || c == ')' {
                words.push((column + 1, c.to_string()));
            }
            continue;
        }
        current
            .get_or_insert_with(|| (column + 1, String::new()))
            .1
            .push(c);
    }
    words.extend(current);
    let binary = |w: &str| w == "AND" || w == "OR";
    for (i, (column, word)) in words.iter().enumerate() {
        let before = i
            .checked_sub(1)
            .and_then(|j| words.get(j))
            .map(|(_, w)| w.as_str());
        let after = words.get(i + 1).map(|(_, w)| w.as_str());
        let operand = |w: Option<&str>, opening: &str| {
            w.is_some_and(|w| !binary(w) && w != "NOT" && w != opening)
        };
        if binary(word) && !(operand(before, "(") && operand(after, ")")) {
            return Err(format!(
                "`{word}` at column {column} needs a word or phrase on each side"
            ));
        }
        if word == "NOT" && !(after.is_some_and(|w| !binary(w) && w != ")")) {
            return Err(format!(
                "`NOT` at column {column} needs a word or phrase after it"
            ));
        }
    }
    Ok(())
}

/// The value after `field:` starting at `start`: a "phrase", a [range], or a word (with
/// any comparison in front). Returns it as written and the index just past it.
fn field_value(
    chars: &[(usize, char)],
    start: usize,
) -> std::result::Result<(String, usize), String> {
    let text = |a: usize, b: usize| chars[a..b].iter().map(|(_, c)| *c).collect::<String>();
    let Some(&(_, first)) = chars.get(start) else {
        return Ok((String::new(), start));
    };
    let closing = match first {
        '"' => Some('"'),
        '[' | '{' => Some(']'),
        _ => None,
    };
    if let Some(closing) = closing {
        let end = (start + 1..chars.len())
            .find(|&j| chars[j].1 == closing || (closing == ']' && chars[j].1 == '}'))
            .ok_or_else(|| format!("unclosed `{first}` at column {}", start + 1))?;
        return Ok((text(start, end + 1), end + 1));
    }
    let mut end = start;
    while end < chars.len() && !matches!(chars[end].1, ' ' | '\t' | '\n' | ')') {
        end += 1;
    }
    Ok((text(start, end), end))
}

fn field_clause(name: &str, value: &str, column: usize) -> std::result::Result<String, String> {
    let Some(&(_, schema_name, kind)) = FIELDS.iter().find(|(n, ..)| *n == name) else {
        let hint = if name == "byline" || name == "mentions" {
            format!("field `{name}` is stored but not searchable")
        } else {
            format!("unknown field `{name}`")
        };
        return Err(format!(
            "{hint} at column {column}; fields: {}",
            known_fields()
        ));
    };
    if value.is_empty() {
        return Err(format!("`{name}:` at column {column} has no value"));
    }
    let value = match kind {
        Kind::Text => value.to_string(),
        // Quoted, so that a URL's `:` and `/` or a source's spaces stay one value.
        Kind::Exact if !value.starts_with(['"', '[', '{', '>', '<']) => {
            format!("\"{}\"", value.replace('"', "\\\""))
        }
        Kind::Exact => value.to_string(),
        Kind::Lowercase => value.to_lowercase(),
        Kind::Tag => tag_value(value).ok_or_else(|| {
            format!(
                "`{name}:{value}` at column {column}: expected a tag KIND or KIND/KEY (tag:tier/us-backstop)"
            )
        })?,
        Kind::Date => map_bounds(value, date_value).map_err(|bad| {
            format!(
                "`{name}:{value}` at column {column}: `{bad}` is not a date (YYYY-MM-DD or RFC 3339 like 2026-01-05T00:00:00Z)"
            )
        })?,
        Kind::Amount => map_bounds(value, amount_value).map_err(|bad| {
            format!(
                "`{name}:{value}` at column {column}: `{bad}` is not an amount in dollars (100000000000, 100bn, 1.5tn)"
            )
        })?,
    };
    Ok(format!("{schema_name}:{value}"))
}

/// `tier/us-backstop`, `/tier`, `"tier/us-backstop"` → `"/tier/us-backstop"`.
fn tag_value(value: &str) -> Option<String> {
    let bare = value.trim_matches('"').trim_matches('/');
    let parts: Vec<&str> = bare.split('/').collect();
    if bare.is_empty()
        || parts
            .iter()
            .any(|p| p.is_empty() || p.contains(['"', '\\', ' ']))
    {
        return None;
    }
    Some(format!("\"/{}\"", parts.join("/")))
}

/// Applies `convert` to each bound of a range (`[a TO b]`, `{a TO b}`), to the value after
/// a comparison (`>=a`), or to a plain value; `*` stays open. Err is the bad value.
fn map_bounds(
    value: &str,
    convert: impl Fn(&str) -> Option<String>,
) -> std::result::Result<String, String> {
    let one = |v: &str| -> std::result::Result<String, String> {
        if v == "*" {
            return Ok(v.to_string());
        }
        convert(v).ok_or_else(|| v.to_string())
    };
    if let (Some(open), Some(close)) = (value.chars().next(), value.chars().last())
        && matches!(open, '[' | '{')
        && value.len() >= 2
    {
        let inner = value.get(1..value.len() - 1).unwrap_or_default();
        let Some((low, high)) = inner.split_once(" TO ") else {
            return Err(format!("{value} (a range is [LOW TO HIGH])"));
        };
        return Ok(format!(
            "{open}{} TO {}{close}",
            one(low.trim())?,
            one(high.trim())?
        ));
    }
    for op in [">=", "<=", ">", "<"] {
        if let Some(rest) = value.strip_prefix(op) {
            return Ok(format!("{op}{}", one(rest)?));
        }
    }
    one(value)
}

fn date_value(value: &str) -> Option<String> {
    let value = value.trim_matches('"');
    if chrono::DateTime::parse_from_rfc3339(value).is_ok() {
        return Some(value.to_string());
    }
    let date = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()?;
    Some(format!("{}T00:00:00Z", date.format("%Y-%m-%d")))
}

/// `100000000000`, `100_000_000_000`, `100bn`, `1.5tn`, `800b`, `90m`, `5k`.
pub(crate) fn amount_value(value: &str) -> Option<String> {
    let value = value
        .trim_matches('"')
        .replace(['_', ','], "")
        .to_lowercase();
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, scale) = value.split_at(split);
    let scale: f64 = match scale {
        "" => 1.0,
        "k" => 1e3,
        "m" | "mn" | "mln" => 1e6,
        "b" | "bn" | "bln" => 1e9,
        "t" | "tn" | "trn" => 1e12,
        _ => return None,
    };
    if scale == 1.0 && !number.contains('.') {
        return number.parse::<u64>().ok().map(|n| n.to_string());
    }
    let amount = number.parse::<f64>().ok()? * scale;
    (amount.is_finite() && (0.0..1.8e19).contains(&amount))
        .then(|| format!("{}", amount.round() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_tags_dates_and_amounts() {
        for (query, want) in [
            (
                "backstop tag:tier/us-backstop",
                "backstop tags:\"/tier/us-backstop\"",
            ),
            ("tag:tier", "tags:\"/tier\""),
            ("-tag:/tier/", "-tags:\"/tier\""),
            ("amount_usd:>=100bn", "amount_usd:>=100000000000"),
            ("amount_usd:[1.5tn TO *]", "amount_usd:[1500000000000 TO *]"),
            (
                "published:[2026-01-05 TO 2026-01-08T00:00:00Z}",
                "published:[2026-01-05T00:00:00Z TO 2026-01-08T00:00:00Z}",
            ),
            ("lang:EN", "lang:en"),
            ("\"a tag:b\" c", "\"a tag:b\" c"),
            (
                "(title:paris OR source:\"The Guardian\")",
                "(title:paris OR source:\"The Guardian\")",
            ),
        ] {
            assert_eq!(rewrite(query).unwrap(), want, "{query}");
        }
    }

    #[test]
    fn errors_name_the_token_and_the_column() {
        for (query, want) in [
            ("auther:smith", "unknown field `auther` at column 1"),
            (
                "paris byline:x",
                "field `byline` is stored but not searchable at column 7",
            ),
            (
                "amount_usd:>=lots",
                "`amount_usd:>=lots` at column 1: `lots` is not an amount",
            ),
            ("published:>=monday", "`monday` is not a date"),
            ("\"prosperity plan", "unclosed quote at column 1"),
            ("(a OR b", "unclosed `(`"),
            ("a)", "unmatched `)` at column 2"),
            ("tag:", "`tag:` at column 1 has no value"),
            (
                "paris AND",
                "`AND` at column 7 needs a word or phrase on each side",
            ),
            ("OR kyiv", "`OR` at column 1 needs"),
            ("a AND OR b", "`AND` at column 3 needs"),
            ("kyiv NOT", "`NOT` at column 6 needs a word"),
        ] {
            let err = rewrite(query).unwrap_err();
            assert!(err.contains(want), "{query}: {err}");
        }
    }

    #[test]
    fn parses_with_the_schema_and_explains_syntax_errors() {
        for ok in [
            "paris",
            "\"prosperity plan\" OR \"prosperity framework\"",
            "tag:tier/us-backstop",
            "amount_usd:>=100000000000",
            "published:[2026-01-05T00:00:00Z TO 2026-01-08T00:00:00Z]",
            "-football",
            "source:\"The Guardian: Ukraine\" lang:en",
        ] {
            validate_query(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        let err = validate_query("paris AND").unwrap_err().to_string();
        assert!(
            err.starts_with("invalid query `paris AND`: `AND` at column 7"),
            "{err}"
        );
        validate_query("(paris OR kyiv) AND \"a AND\"").unwrap();
    }

    #[test]
    fn amounts_take_scales() {
        assert_eq!(amount_value("800bn").as_deref(), Some("800000000000"));
        assert_eq!(amount_value("1.5tn").as_deref(), Some("1500000000000"));
        assert_eq!(amount_value("100_000").as_deref(), Some("100000"));
        assert_eq!(amount_value("12x"), None);
        assert_eq!(amount_value("-5"), None);
    }
}
