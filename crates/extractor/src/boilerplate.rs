//! The second stage of extraction: what the main-content pick kept that is still not the
//! article.
//!
//! Readability picks the element that holds the article, and on many news pages that
//! element also holds share and newsletter boxes, "more stories" lists, comments, image
//! credits and repeated datelines. Each element of the picked content is judged here on
//! evidence of its own: its class and id words, its link density, what its text says
//! when it is short, and what surrounds it. What is dropped is kept with its reason, so
//! that `newsmon tag --explain-extraction` can show it.

use std::collections::HashMap;

use dom_query::{Document, NodeId, NodeRef};

/// A part of the picked content that was left out of the article, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// Its text, whitespace collapsed.
    pub text: String,
    /// Why it is not the article.
    pub reason: Reason,
}

/// Why a block was dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// Its class or id names page furniture (the matched word is given).
    ClassOrId(String),
    /// Its tag holds no article text (forms, buttons, navigation, asides).
    Element(String),
    /// Most of its text is links: a list of other stories or of site sections.
    LinkList,
    /// A short block that reads like furniture (share, subscribe, copyright, credits).
    Phrase(String),
    /// Readability's pick, replaced by a block with far more paragraph text.
    SecondOpinion,
    /// It follows the article's end: a comments or "more stories" heading and all after it.
    Tail,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::ClassOrId(word) => write!(f, "class/id says \"{word}\""),
            Reason::Element(tag) => write!(f, "<{tag}> holds no article text"),
            Reason::LinkList => f.write_str("mostly links"),
            Reason::Phrase(what) => write!(f, "reads like {what}"),
            Reason::SecondOpinion => {
                f.write_str("Readability's pick, replaced by a block with more paragraph text")
            }
            Reason::Tail => f.write_str("after the article's end (comments, more stories)"),
        }
    }
}

/// Elements after which text breaks into a new block.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "th",
    "tr",
    "ul",
];

/// Elements that never hold article text.
const FURNITURE_TAGS: &[&str] = &[
    "aside", "nav", "form", "button", "select", "input", "textarea", "iframe", "label",
];

/// Class and id words of page furniture, matched at the start of a class/id token
/// (`share-bar`, `relatedArticles`, `most_read`).
const FURNITURE_WORDS: &[&str] = &[
    "share",
    "sharing",
    "social",
    "newsletter",
    "subscri",
    "signup",
    "sign-up",
    "cookie",
    "consent",
    "related",
    "recommend",
    "mostread",
    "most-read",
    "most_read",
    "mostpopular",
    "most-popular",
    "popular",
    "trending",
    "promo",
    "advert",
    "sponsor",
    "outbrain",
    "taboola",
    "comment",
    "talkback",
    "disqus",
    "footer",
    "breadcrumb",
    "sidebar",
    "toolbar",
    "tools",
    "byline",
    "dateline",
    "timestamp",
    "credit",
    "pagination",
    "pager",
    "login",
    "rating",
    "poll",
    "morestories",
    "more-stories",
    "readmore",
    "read-more",
    "tags",
    "taglist",
    "topics",
    "keywords",
    "print",
    "email",
    "rss",
    "follow",
    "nav",
    "menu",
    "banner",
    "ad",
    "ads",
    "adv",
];

/// Class and id words of the article body itself: they overrule furniture words on the
/// same element (`article-body comments-on`).
const ARTICLE_WORDS: &[&str] = &[
    "articlebody",
    "article-body",
    "article_body",
    "storybody",
    "story-body",
    "story_body",
    "entry-content",
    "post-content",
    "article-content",
    "articletext",
    "article-text",
    "story-text",
    "storytext",
    "body-text",
    "bodytext",
];

/// A container is never dropped by its class or id when it holds this share of the
/// article's text or more: a misnamed wrapper must not take the article with it.
const MAX_DROPPED_SHARE: f64 = 0.4;

/// The attribute that carries a furniture word from the page into Readability's output:
/// Readability replaces a `<div>` holding one `<p>` by the `<p>`, and the class words go
/// with the `<div>`. Its value is `<origin>:<word>`, the origin numbering the element
/// whose class or id held the word.
const MARK: &str = "data-newsmon-furniture";

/// Marks each element of the page whose class or id names furniture, and every element
/// inside it, before Readability runs. Nothing is removed here: whether a mark counts is
/// decided in [`clean`], once it is known how much of the article it covers.
pub(crate) fn mark_furniture(document: &Document) {
    let body = document.select_single("body");
    let Some(body) = body.nodes().first().copied() else {
        return;
    };
    let mut origin = 0usize;
    let mut stack: Vec<NodeRef<'_>> = body.element_children();
    stack.reverse();
    while let Some(node) = stack.pop() {
        if let Some(word) = furniture_word(&node) {
            origin += 1;
            let value = format!("{origin}:{word}");
            node.set_attr(MARK, &value);
            // Collected first: the iterator holds the tree borrowed.
            let inner: Vec<NodeRef<'_>> = node.descendants();
            for inner in inner.iter().filter(|n| n.is_element()) {
                inner.set_attr(MARK, &value);
            }
            continue;
        }
        let mut children = node.element_children();
        children.reverse();
        stack.extend(children);
    }
}

/// Per node: characters of text, and of text inside links.
#[derive(Clone, Copy, Default)]
struct Counts {
    chars: usize,
    link_chars: usize,
}

/// Cleans the picked content (Readability's article HTML): drops what is not the article
/// and returns the article's formatted text with what was dropped.
pub(crate) fn clean(content_html: &str) -> (String, Vec<Dropped>) {
    let document = Document::from(content_html);
    let root = document.select_single("body");
    let Some(root) = root.nodes().first().copied() else {
        return (String::new(), Vec::new());
    };
    let mut counts = HashMap::new();
    count(&root, &mut counts, false);
    let total = counts.get(&root.id).map_or(0, |c| c.chars);
    let marked = marked_shares(&root, &counts, total);
    let mut dropped = Vec::new();
    let mut doomed = Vec::new();
    let judge = Judge {
        counts: &counts,
        total,
        marked: &marked,
    };
    judge.containers(&root, &mut doomed, &mut dropped);
    for node in &doomed {
        node.remove_from_parent();
    }
    judge_units(&root, &mut dropped);
    (root.formatted_text().to_string(), dropped)
}

/// Fills `counts` (indexed by node id) bottom-up, in one walk.
fn count(node: &NodeRef<'_>, counts: &mut HashMap<NodeId, Counts>, in_link: bool) -> Counts {
    let mut total = Counts::default();
    if node.is_text() {
        let chars = node.text().chars().filter(|c| !c.is_whitespace()).count();
        total.chars = chars;
        total.link_chars = if in_link { chars } else { 0 };
    } else {
        let in_link = in_link || node.has_name("a");
        for child in node.children_it(false) {
            let c = count(&child, counts, in_link);
            total.chars += c.chars;
            total.link_chars += c.link_chars;
        }
    }
    counts.insert(node.id, total);
    total
}

/// What a container is judged against: the counts of every node, the article's size,
/// and the share of the article under each furniture mark.
struct Judge<'c> {
    counts: &'c HashMap<NodeId, Counts>,
    total: usize,
    marked: &'c HashMap<String, f64>,
}

impl Judge<'_> {
    /// Top-down: drops whole containers that are furniture by tag, class/id or links.
    fn containers<'a>(
        &self,
        node: &NodeRef<'a>,
        doomed: &mut Vec<NodeRef<'a>>,
        dropped: &mut Vec<Dropped>,
    ) {
        for child in node.element_children() {
            if let Some(reason) = self.reason(&child) {
                let text = collapse(&child.formatted_text());
                if !text.is_empty() {
                    dropped.push(Dropped { text, reason });
                }
                doomed.push(child);
            } else {
                self.containers(&child, doomed, dropped);
            }
        }
    }

    fn reason(&self, node: &NodeRef<'_>) -> Option<Reason> {
        let c = self.counts.get(&node.id).copied().unwrap_or_default();
        let name = node.node_name()?.to_ascii_lowercase();
        let share = c.chars as f64 / self.total.max(1) as f64;
        if share >= MAX_DROPPED_SHARE {
            return None;
        }
        if FURNITURE_TAGS.contains(&name.as_str()) {
            return Some(Reason::Element(name));
        }
        if let Some(word) = furniture_word(node) {
            return Some(Reason::ClassOrId(word));
        }
        if let Some(mark) = node.attr(MARK) {
            let covered = self.marked.get(mark.as_ref()).copied().unwrap_or(1.0);
            if covered < MAX_DROPPED_SHARE {
                let word = mark.split_once(':').map_or("", |(_, w)| w);
                return Some(Reason::ClassOrId(word.to_string()));
            }
        }
        let links = c.link_chars as f64 / c.chars.max(1) as f64;
        let is_list = matches!(
            name.as_str(),
            "ul" | "ol" | "dl" | "table" | "div" | "section" | "tbody"
        );
        (is_list && links > 0.5 && link_count(node) >= 3).then_some(Reason::LinkList)
    }
}

/// The share of the article's text under each furniture mark (topmost marked elements
/// only): a mark that covers much of the article came from a misnamed wrapper.
fn marked_shares(
    root: &NodeRef<'_>,
    counts: &HashMap<NodeId, Counts>,
    total: usize,
) -> HashMap<String, f64> {
    let mut shares: HashMap<String, f64> = HashMap::new();
    for node in root.descendants_it().filter(|n| n.is_element()) {
        let Some(mark) = node.attr(MARK) else {
            continue;
        };
        let parent_mark = node.parent().and_then(|p| p.attr(MARK));
        if parent_mark.as_deref() == Some(mark.as_ref()) {
            continue;
        }
        let chars = counts.get(&node.id).map_or(0, |c| c.chars);
        *shares.entry(mark.to_string()).or_default() += chars as f64 / total.max(1) as f64;
    }
    shares
}

fn link_count(node: &NodeRef<'_>) -> usize {
    node.descendants_it().filter(|n| n.has_name("a")).count()
}

/// The furniture word in an element's class or id, unless an article word is there too.
fn furniture_word(node: &NodeRef<'_>) -> Option<String> {
    // Most elements have neither: no string is built for them.
    if !node.has_attr("class") && !node.has_attr("id") {
        return None;
    }
    let mut names = String::new();
    for attr in ["class", "id"] {
        if let Some(value) = node.attr(attr) {
            names.push_str(&value.to_ascii_lowercase());
            names.push(' ');
        }
    }
    if names.trim().is_empty() {
        return None;
    }
    let tokens: Vec<&str> = names.split_whitespace().collect();
    if tokens
        .iter()
        .any(|t| ARTICLE_WORDS.iter().any(|w| t.contains(w)))
    {
        return None;
    }
    for token in &tokens {
        // Tokens split further at `-` and `_` so that `story-share-bar` matches `share`.
        for part in std::iter::once(*token).chain(token.split(['-', '_'])) {
            if let Some(word) = FURNITURE_WORDS.iter().find(|w| starts_word(part, w)) {
                return Some((*word).to_string());
            }
        }
    }
    None
}

/// `part` is the word or starts with it as a camel-case or run-together prefix long enough
/// not to be chance (`adv` must be whole; `relatedstories` starts with `related`).
fn starts_word(part: &str, word: &str) -> bool {
    if word.len() <= 3 {
        part == word
    } else {
        part.starts_with(word)
    }
}

/// One piece of text a reader sees on its own: the inline content of a block element
/// between two block children or line breaks.
struct Unit<'a> {
    nodes: Vec<NodeRef<'a>>,
    text: String,
    words: usize,
    link_share: f64,
}

/// Text units: short furniture phrases, runs of link lines, datelines, and the comments
/// or "more stories" tail after the article's end.
fn judge_units(root: &NodeRef<'_>, dropped: &mut Vec<Dropped>) {
    let mut units = Vec::new();
    collect_units(root, &mut units);
    let linky: Vec<bool> = units
        .iter()
        .map(|u| u.link_share >= 0.8 && u.words <= 20)
        .collect();
    let total: usize = units.iter().map(|u| u.text.len()).sum();
    let tail = tail_start(&units, total);
    // Until the first paragraph of the article, short lines are labels, bylines and
    // datelines more often than text.
    let first_paragraph = units
        .iter()
        .position(|u| u.words >= 15 && u.link_share < 0.5)
        .unwrap_or(0);
    let mut after_image_control = false;
    for (i, unit) in units.iter().enumerate() {
        let reason = if tail.is_some_and(|t| i >= t) {
            Some(Reason::Tail)
        } else if after_image_control && unit.words <= 60 {
            Some(Reason::Phrase("an image caption".to_string()))
        } else {
            phrase_reason(&unit.text, i < first_paragraph).or_else(|| {
                // One linked line can be a heading of the article; a run of them is a
                // list of other stories, whatever markup holds it.
                (run_length(&linky, i) >= MIN_LINK_RUN).then_some(Reason::LinkList)
            })
        };
        after_image_control = matches!(&reason, Some(Reason::Phrase(p)) if p == IMAGE_CONTROL);
        if let Some(reason) = reason {
            dropped.push(Dropped {
                text: unit.text.clone(),
                reason,
            });
            for node in &unit.nodes {
                node.remove_from_parent();
            }
        }
    }
}

/// The phrase kind of "View larger image": the line after it is the image's caption.
const IMAGE_CONTROL: &str = "an image control";

/// Where the comments or the list of other stories begin: a short heading that names
/// them, past the first half of the text. Everything from there on is not the article.
fn tail_start(units: &[Unit<'_>], total: usize) -> Option<usize> {
    let mut before = 0usize;
    for (i, unit) in units.iter().enumerate() {
        let heading = unit.words <= 12 && is_tail_heading(&unit.text);
        if before * 2 >= total && (heading || is_legal_notice(&unit.text, unit.words)) {
            return Some(i);
        }
        before += unit.text.len();
    }
    None
}

fn is_tail_heading(text: &str) -> bool {
    let lower = text.to_lowercase();
    let lower = lower.trim_end_matches([':', '.', ' ']);
    [
        "comments",
        "reader comments",
        "readers' comments",
        "your comments",
        "user comments",
        "post a comment",
        "leave a comment",
        "add your comment",
        "add a comment",
        "have your say",
        "talkback",
        "related stories",
        "related articles",
        "related news",
        "related links",
        "related content",
        "related",
        "more stories",
        "more news",
        "more headlines",
        "more from",
        "most read",
        "most popular",
        "most viewed",
        "most emailed",
        "you may also like",
        "recommended",
        "read more",
        "also on",
        "latest news",
        "top stories",
    ]
    .iter()
    .any(|h| lower == *h || (lower.starts_with(h) && lower.len() <= h.len() + 30))
        || lower.starts_with("thanks for your comment")
        || lower.starts_with("posted by:")
        || lower.contains("comments are now closed")
        || lower.contains("comments are closed")
        || (lower.contains("comments") && lower.chars().next().is_some_and(|c| c.is_ascii_digit()))
}

fn collect_units<'a>(node: &NodeRef<'a>, units: &mut Vec<Unit<'a>>) {
    let mut run: Vec<NodeRef<'a>> = Vec::new();
    for child in node.children_it(false) {
        if child.is_element() {
            let breaks = child.has_name("br") || child.has_name("hr");
            if breaks || is_block(&child) || child.descendants_it().any(|d| is_block(&d)) {
                flush(&mut run, units);
                if !breaks {
                    collect_units(&child, units);
                }
                continue;
            }
        }
        if child.is_element() || child.is_text() {
            run.push(child);
        }
    }
    flush(&mut run, units);
}

fn flush<'a>(run: &mut Vec<NodeRef<'a>>, units: &mut Vec<Unit<'a>>) {
    let nodes = std::mem::take(run);
    let mut raw = String::new();
    let mut link_chars = 0usize;
    for node in &nodes {
        let text = node.text();
        raw.push_str(&text);
        raw.push(' ');
        if node.has_name("a") {
            link_chars += visible_chars(&text);
        } else if node.is_element() {
            link_chars += node
                .descendants_it()
                .filter(|d| d.has_name("a"))
                .map(|a| visible_chars(&a.text()))
                .sum::<usize>();
        }
    }
    let text = collapse(&raw);
    if text.is_empty() {
        return;
    }
    let chars = visible_chars(&text);
    units.push(Unit {
        words: text.split_whitespace().count(),
        link_share: link_chars as f64 / chars.max(1) as f64,
        nodes,
        text,
    });
}

fn visible_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// Consecutive link lines that make a list of other stories.
const MIN_LINK_RUN: usize = 3;

/// The length of the run of `true` that holds index `i` (0 when `flags[i]` is false).
fn run_length(flags: &[bool], i: usize) -> usize {
    if !flags[i] {
        return 0;
    }
    let before = flags[..i].iter().rev().take_while(|f| **f).count();
    let after = flags[i + 1..].iter().take_while(|f| **f).count();
    before + 1 + after
}

fn is_block(node: &NodeRef<'_>) -> bool {
    node.node_name()
        .is_some_and(|n| BLOCK_TAGS.iter().any(|t| n.eq_ignore_ascii_case(t)))
}

/// `leading`: nothing of the article has been kept before this unit.
fn phrase_reason(text: &str, leading: bool) -> Option<Reason> {
    let words = text.split_whitespace().count();
    let bars = text.matches(" | ").count().max(text.matches(" · ").count());
    if bars >= 3 && words <= (bars + 1) * 4 {
        return Some(Reason::Phrase("a navigation bar".to_string()));
    }
    if is_legal_notice(text, words) {
        return Some(Reason::Phrase("a copyright notice".to_string()));
    }
    if words == 1
        && (text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www."))
    {
        return Some(Reason::Phrase("a bare link".to_string()));
    }
    if words > 12 {
        return None;
    }
    if let Some(what) = furniture_phrase(text) {
        return Some(Reason::Phrase(what.to_string()));
    }
    if words <= 8 && is_dateline(text) {
        return Some(Reason::Phrase("a dateline".to_string()));
    }
    if leading && words <= 8 && is_byline(text) {
        return Some(Reason::Phrase("a byline".to_string()));
    }
    None
}

/// "Copyright 2008 AP. All rights reserved. This material may not be published...": the
/// agency's or site's notice, of any length up to a short paragraph.
fn is_legal_notice(text: &str, words: usize) -> bool {
    if words > 45 {
        return false;
    }
    let lower = text.to_lowercase();
    [
        "all rights reserved",
        "without permission",
        "may not be published",
        "may not be reproduced",
        "expressly prohibited",
        "without the prior written",
    ]
    .iter()
    .any(|p| lower.contains(p))
}

/// A short line that is mostly a date or a time: "2:18pm Tuesday 1st January 2008",
/// "Mon, Jan 14 2008, 19:53 GMT", "Updated Fri. Jan. 11 2008 10:56 PM ET".
fn is_dateline(text: &str) -> bool {
    static PATTERN: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let Some(pattern) = PATTERN
        .get_or_init(|| {
            regex::Regex::new(
                r"(?i)^(?:(?:updated|published|posted|last updated|created|modified)(?: on| at)?:?\s+)?[\w\s,.:/|-]*\b(?:19|20)\d\d\b[\w\s,.:/|()+-]*$",
            )
            .ok()
        })
        .as_ref()
    else {
        return false;
    };
    if !pattern.is_match(text) {
        return false;
    }
    // Most words are numbers, month or day names, or time words.
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let datey = words.iter().filter(|w| is_date_word(w)).count();
    datey * 3 >= words.len() * 2
}

fn is_date_word(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit());
    if word.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    const NAMES: &[&str] = &[
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "am",
        "pm",
        "gmt",
        "utc",
        "est",
        "edt",
        "pst",
        "pdt",
        "cst",
        "cdt",
        "et",
        "bst",
        "cet",
        "updated",
        "published",
        "posted",
        "on",
        "at",
        "last",
        "st",
        "nd",
        "rd",
        "th",
    ];
    NAMES.contains(&stem)
        || [
            "january",
            "february",
            "march",
            "april",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ]
        .contains(&stem)
}

/// "By Jane Roe", "CTV.ca News Staff", "Associated Press Writer": a credit line before the
/// article's first paragraph.
fn is_byline(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.starts_with("by ")
        || lower.ends_with(" staff")
        || lower.ends_with(" writer")
        || lower.ends_with(" correspondent")
        || lower.starts_with("posted by")
}

/// What a short block says when it is furniture.
fn furniture_phrase(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    let starts = |p: &str| lower.starts_with(p);
    let has = |p: &str| lower.contains(p);
    let words = lower.split_whitespace().count();
    if starts("share")
        || starts("email this")
        || starts("e-mail this")
        || lower == "print"
        || starts("print this")
        || starts("tweet")
        || has("share this")
        || (words <= 5 && (starts("print") || starts("printer") || has("e-mail") || has("email")))
        || ((has("e-mail") || has("email") || has("send"))
            && (has("friend") || has("this article") || has("this story")))
    {
        return Some("a share button");
    }
    if has("subscribe") || has("newsletter") || has("sign up") || has("signup") {
        return Some("a subscription offer");
    }
    if has("all rights reserved") || starts("copyright") || starts("©") || starts("(c)") {
        return Some("a copyright line");
    }
    if starts("view larger") || starts("enlarge") || starts("click to enlarge") {
        return Some(IMAGE_CONTROL);
    }
    if starts("photo:")
        || starts("photo by")
        || starts("photograph:")
        || starts("image:")
        || has("getty images")
        || starts("(ap photo")
        || starts("ap photo")
    {
        return Some("an image credit");
    }
    if starts("related")
        || starts("read more")
        || starts("more from")
        || starts("more news")
        || starts("most read")
        || starts("most popular")
        || starts("most viewed")
        || starts("see also")
        || starts("also read")
    {
        return Some("a pointer to other stories");
    }
    if starts("comments")
        || has("leave a comment")
        || has("add a comment")
        || has("post a comment")
        || has("have your say")
    {
        return Some("a comments prompt");
    }
    if starts("follow us") || starts("like us on") {
        return Some("a follow prompt");
    }
    if starts("advertisement") || lower == "ad" || starts("sponsored") {
        return Some("an advertisement label");
    }
    None
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A second opinion on where the article is, for pages where Readability's pick holds
/// little text: the element with the most paragraph text of its own (text in its direct
/// children, links not counted), as the largest-text-block extractors choose. Returns its
/// HTML for [`clean`].
pub(crate) fn densest_block(html: &str) -> Option<String> {
    let document = Document::from(html);
    let body = document.select_single("body");
    let body = body.nodes().first().copied()?;
    let mut best: Option<(usize, NodeRef<'_>)> = None;
    for element in body.descendants_it().filter(|n| n.is_element()) {
        if furniture_word(&element).is_some()
            || element
                .node_name()
                .is_some_and(|n| FURNITURE_TAGS.contains(&n.to_ascii_lowercase().as_str()))
        {
            continue;
        }
        let own: usize = element
            .children_it(false)
            .map(|child| {
                if child.is_text() {
                    visible_chars(&child.text())
                } else if child.has_name("a") || !is_paragraph_like(&child) {
                    0
                } else {
                    unlinked_chars(&child)
                }
            })
            .sum();
        if best.as_ref().is_none_or(|(score, _)| own > *score) {
            best = Some((own, element));
        }
    }
    best.map(|(_, node)| node.html().to_string())
}

fn is_paragraph_like(node: &NodeRef<'_>) -> bool {
    node.node_name().is_some_and(|n| {
        matches!(
            n.to_ascii_lowercase().as_str(),
            "p" | "span"
                | "font"
                | "b"
                | "i"
                | "em"
                | "strong"
                | "blockquote"
                | "h2"
                | "h3"
                | "h4"
                | "pre"
                | "q"
                | "cite"
                | "small"
                | "big"
                | "u"
        )
    })
}

fn unlinked_chars(node: &NodeRef<'_>) -> usize {
    let all = visible_chars(&node.text());
    let linked: usize = node
        .descendants_it()
        .filter(|d| d.has_name("a"))
        .map(|a| visible_chars(&a.text()))
        .sum();
    all.saturating_sub(linked)
}

/// Characters that are not whitespace: the measure of how much text a pick holds.
pub(crate) fn text_size(text: &str) -> usize {
    visible_chars(text)
}

/// Whether `outer` holds most of the words of `inner` (as sets): two picks that agree.
pub(crate) fn contains_most_of(outer: &str, inner: &str) -> bool {
    let words: std::collections::HashSet<&str> = outer.split_whitespace().collect();
    let inner: Vec<&str> = inner.split_whitespace().collect();
    let found = inner.iter().filter(|w| words.contains(*w)).count();
    !inner.is_empty() && found * 2 >= inner.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROSE: &str = "Leaders of the coalition met in Paris on Tuesday to agree how a ceasefire would be guarded and which countries would send troops.";

    fn reasons(dropped: &[Dropped], needle: &str) -> Vec<String> {
        dropped
            .iter()
            .filter(|d| d.text.contains(needle))
            .map(|d| d.reason.to_string())
            .collect()
    }

    #[test]
    fn boxes_lists_and_tails_are_dropped_with_their_reasons() {
        let html = format!(
            r#"<div><p>Updated 10:56 PM ET, Fri January 11, 2008</p>
            <p>{PROSE}</p>
            <div class="newsletter-box"><p>Top stories in your inbox, every morning.</p></div>
            <p>{PROSE} Second.</p>
            <p><a href="/1">Markets rally</a></p><p><a href="/2">Storms ahead</a></p><p><a href="/3">Football results</a></p>
            <p>Share this article</p>
            <p>{PROSE} Third.</p>
            <h3>Have your say</h3><p>Great piece, thanks for writing it, I agree with every word of it.</p></div>"#
        );
        let (text, dropped) = clean(&html);
        assert!(
            text.contains("Second.") && text.contains("Third."),
            "{text}"
        );
        for noise in [
            "inbox",
            "Markets rally",
            "Share this",
            "Great piece",
            "10:56",
        ] {
            assert!(!text.contains(noise), "{noise} kept: {text}");
        }
        assert_eq!(reasons(&dropped, "inbox"), ["class/id says \"newsletter\""]);
        assert_eq!(reasons(&dropped, "Storms"), ["mostly links"]);
        assert_eq!(
            reasons(&dropped, "Share this"),
            ["reads like a share button"]
        );
        assert_eq!(reasons(&dropped, "10:56"), ["reads like a dateline"]);
        assert!(reasons(&dropped, "Great piece")[0].contains("after the article's end"));
    }

    #[test]
    fn article_words_and_big_containers_are_kept() {
        // A furniture word beside an article word, and a wrapper holding most of the text.
        let html = format!(
            r#"<div class="article-body comments-on"><p>{PROSE}</p></div>
            <div class="sidebar-wrap"><p>{PROSE} {PROSE}</p><p>{PROSE}</p></div>
            <p><a href="/x">A single linked line stays.</a></p>"#
        );
        let (text, dropped) = clean(&html);
        assert!(dropped.is_empty(), "{dropped:?}");
        assert!(text.contains("A single linked line stays."), "{text}");
    }

    #[test]
    fn class_words_match_at_word_starts_only() {
        let doc = Document::from(
            r#"<div id="a" class="story-share-bar"></div><div id="b" class="header shadow"></div><div id="c" class="adv"></div><div id="d" class="relatedStories"></div>"#,
        );
        let word = |id: &str| {
            let sel = doc.select_single(&format!("#{id}"));
            sel.nodes().first().and_then(furniture_word)
        };
        assert_eq!(word("a").as_deref(), Some("share"));
        assert_eq!(word("b"), None, "`header` and `shadow` hold `ad` by chance");
        assert_eq!(word("c").as_deref(), Some("adv"));
        assert_eq!(word("d").as_deref(), Some("related"));
    }

    #[test]
    fn datelines_are_dates_not_sentences() {
        for line in [
            "2:18pm Tuesday 1st January 2008",
            "Mon, Jan 14 2008, 19:53 GMT",
            "2008-01-12 11:31:01 -",
            "Last updated at 7:40 AM on 30/12/07",
        ] {
            assert!(is_dateline(line) || !line.contains("20"), "{line}");
        }
        assert!(is_dateline("Mon, Jan 14 2008, 19:53 GMT"));
        assert!(!is_dateline("The 2008 budget passed on Tuesday."));
        assert!(!is_dateline("Obama wins Iowa in 2008"));
    }

    #[test]
    fn the_densest_block_is_the_one_with_paragraph_text() {
        let html = format!(
            r#"<body><div class="promo"><p>Submit your pics: upload photos.</p></div>
            <div id="story"><p>{PROSE}</p><p>{PROSE}</p></div>
            <div><a href="/1">One</a> <a href="/2">Two</a></div></body>"#
        );
        let block = densest_block(&html).unwrap_or_default();
        assert!(block.starts_with("<div id=\"story\">"), "{block}");
    }

    #[test]
    fn agreement_is_word_overlap() {
        assert!(contains_most_of("a b c d e f", "b c d"));
        assert!(!contains_most_of("a b c", "x y z b"));
        assert!(!contains_most_of("a b c", ""));
    }
}
