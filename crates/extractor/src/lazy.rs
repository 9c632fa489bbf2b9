//! Alternations compiled on first use, branch by branch, shared by every key that has the
//! same one.
//!
//! Compiling the default taxonomy's regexes takes most of a short command's time (a Unicode
//! `\w` alone is a large automaton, and the patterns hold hundreds), while a command often
//! needs few of them: `newsmon tag` on a text off the story's topic runs only the topic
//! gates, `config check` none. So [`crate::Taxonomy::build`] checks every pattern's syntax
//! (cheap) and compiles nothing; each regex compiles when a text first needs it, once per
//! process, whatever thread asks first.
//!
//! "Needs" is narrower still. A key's cue list is an alternation `(?:b1)|(?:b2)|…` of
//! phrasings, and every match of a branch starts with one of finitely many literals (all
//! their case variants included), which `regex-syntax` extracts exactly as the regex
//! engine does for its own prefilter. A search for every branch's literals (see [`Gate`])
//! says which branches a text may match; only those are compiled (each on its
//! own, once) and run. A text that holds none is answered without compiling anything; an
//! on-topic sentence naming three cues compiles three branches, not the key's hundred.
//!
//! Matching is the same as the whole alternation's, which is leftmost-first: from a
//! position, the match that starts leftmost wins, and among branches matching at that
//! start, the first in the list, with that branch's own preferred end. That is what
//! [`merge`] computes from each candidate branch's next match. It relies on no branch
//! matching the empty string (the regex iterator treats empty matches specially); an
//! alternation with such a branch, or with one branch, is compiled whole, as before.
//!
//! A branch compiles in two forms, each on first use: for ASCII text, its ASCII subset
//! (classes cut to ASCII, ASCII word boundaries), which matches the same there and compiles
//! many times faster than the Unicode regex; for other text, the regex itself (see
//! [`Compiled`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use regex::{Regex, RegexBuilder};
use regex_automata::meta;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};

/// At most this many known words gate a branch (a bit each in a `u8`).
const MAX_NEEDS: usize = 8;

/// Compiled regexes may be large (hundreds of phrasings in five languages).
const REGEX_SIZE_LIMIT: usize = 64 << 20;

/// A case-insensitive alternation of branches, compiled on first use, branch by branch.
/// Clones share the compiled forms.
#[derive(Debug, Clone)]
pub(crate) struct LazyRegex(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    /// The whole alternation, `(?:b1)|(?:b2)|…`: what it matches is what this matches.
    pattern: String,
    /// The branches as given.
    parts: Vec<String>,
    /// For each branch, what its caller knows of it: its words or its parse.
    known: Vec<Known>,
    /// Where the branches' compiled forms are kept, shared with other alternations.
    pieces: Pieces,
    /// Built on first use: parsing the branches and extracting their literals is cheap
    /// next to compiling them, but not free, and `config check` needs none of it.
    plan: OnceLock<Plan>,
}

/// How the alternation is run: its pieces, and which of them a text may match.
#[derive(Debug)]
struct Plan {
    /// The branches in order, or the whole alternation as one piece.
    pieces: Vec<Piece>,
    /// Over every piece's literals; literal `i` meets need `n` of piece `p` for each
    /// `(p, n)` in `owners[i]`.
    literals: Option<Gate>,
    owners: Vec<Vec<(usize, u8)>>,
    /// How many needs each piece has: it is a candidate once every one is met. A need is
    /// a set of literals one of which every match of the piece contains (for a parsed
    /// branch, one need: its prefixes; for a known phrase, one per word).
    needs: Vec<u8>,
    /// Pieces without a finite set of non-empty literals: a candidate for every text.
    always: Vec<usize>,
}

/// Texts an automaton reads as a contiguous NFA before a DFA of the same patterns is built
/// (see [`DfaLater`]): a short command (`newsmon tag` on a file) never pays for the DFA's
/// build, a long run (ingest, a benchmark) reads most of its text through it.
const DFA_AFTER: usize = 512;

/// The DFA an NFA gives way to once a long run has shown it will pay for its build (after
/// [`DFA_AFTER`] texts): several times dearer to build, but its search follows no failure
/// transitions. Built to find the same matches, so which one serves changes no result.
/// Shared by the cue lists' gates and the date triggers.
#[derive(Debug, Default)]
pub(crate) struct DfaLater {
    /// Texts the NFA has read.
    read: AtomicUsize,
    /// `None` inside: the DFA could not be built (too large); the NFA serves.
    dfa: OnceLock<Option<AhoCorasick>>,
}

impl DfaLater {
    /// The automaton for one more text: `nfa`, or once enough texts were read, the DFA
    /// that `build` makes (called once).
    pub(crate) fn serve<'a>(
        &'a self,
        nfa: &'a AhoCorasick,
        build: impl FnOnce() -> Option<AhoCorasick>,
    ) -> &'a AhoCorasick {
        if let Some(built) = self.dfa.get() {
            return built.as_ref().unwrap_or(nfa);
        }
        if self.read.fetch_add(1, Ordering::Relaxed) < DFA_AFTER {
            return nfa;
        }
        self.dfa.get_or_init(build).as_ref().unwrap_or(nfa)
    }

    /// Whether the DFA serves now.
    #[cfg(test)]
    pub(crate) fn serving(&self) -> bool {
        self.dfa.get().is_some_and(Option::is_some)
    }
}

/// What a caller knows of a branch, so that planning need not parse it (again).
#[derive(Debug)]
pub(crate) enum Known {
    /// Non-empty ASCII alphanumeric strings that every match contains, each in some case
    /// variant (a phrase's words); at most [`MAX_NEEDS`] count, the first ones.
    Words(Vec<String>),
    /// The branch as [`check`] parsed it.
    Parsed(Hir),
    /// What planning would find from its parse, found before (see [`Planned::of`]).
    Planned(Planned),
    Nothing,
}

/// What planning needs of a checked branch, without its parse: whether it may match the
/// empty string, and its needs. Kept between runs by [`crate::pattern_cache`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Planned {
    pub(crate) never_empty: bool,
    pub(crate) needs: Option<Needs>,
}

impl Planned {
    /// What planning finds in the branch `pattern`, which parsed as `hir`.
    pub(crate) fn of(pattern: &str, hir: &Hir) -> Planned {
        Planned {
            never_empty: hir.properties().minimum_len().is_none_or(|n| n > 0),
            needs: needs(pattern, hir),
        }
    }
}

/// The compiled branches of a set of alternations, by pattern: one phrase (a place name,
/// say) is a branch of several keys' lists and compiles once. Clones share.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pieces(Arc<Mutex<HashMap<String, Slot>>>);

/// A branch's compiled forms, each compiled on first use (see [`Compiled`]).
type Slot = Arc<Compiled>;

/// A branch compiled two ways: for ASCII text and for any text. `None` inside: the
/// pattern, valid in syntax, is over the size limit and matches nothing (the only way a
/// checked pattern can fail to compile).
///
/// Why two: on ASCII text a pattern matches exactly what its ASCII subset matches (every
/// class cut to ASCII, `\b` the ASCII word boundary: the Unicode `\w` holds the same ASCII
/// characters), and that subset compiles many times faster (a case-insensitive Unicode
/// `\w` or `.` is a large UTF-8 automaton, built forwards and backwards), while most
/// folded sentences of a Latin-script text are ASCII. Other text gets the whole regex.
#[derive(Debug, Default)]
struct Compiled {
    ascii: OnceLock<Option<meta::Regex>>,
    full: OnceLock<Option<Regex>>,
}

/// The compiled form that searches a given haystack.
#[derive(Debug, Clone, Copy)]
enum Engine<'a> {
    Ascii(&'a meta::Regex),
    Full(&'a Regex),
}

/// A match's byte range in the haystack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    start: usize,
    end: usize,
}

impl From<regex::Match<'_>> for Found {
    fn from(m: regex::Match<'_>) -> Found {
        Found {
            start: m.start(),
            end: m.end(),
        }
    }
}

impl From<regex_automata::Match> for Found {
    fn from(m: regex_automata::Match) -> Found {
        Found {
            start: m.start(),
            end: m.end(),
        }
    }
}

impl Found {
    pub(crate) fn start(&self) -> usize {
        self.start
    }

    pub(crate) fn end(&self) -> usize {
        self.end
    }

    #[cfg(test)]
    pub(crate) fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// The literal sets a piece needs (one of each must occur in a text it matches).
pub(crate) type Needs = Vec<Vec<Vec<u8>>>;

impl Pieces {
    fn slot(&self, pattern: &str) -> Slot {
        // A poisoned lock only means another thread panicked while inserting: the map is
        // still whole.
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = map.get(pattern) {
            return slot.clone();
        }
        map.entry(pattern.to_string()).or_default().clone()
    }
}

/// One separately compiled regex.
#[derive(Debug)]
struct Piece {
    pattern: String,
    regex: Slot,
}

impl LazyRegex {
    /// The alternation of `parts`, each of whose syntax [`check`] accepted.
    #[cfg(test)]
    pub(crate) fn new(parts: Vec<String>) -> LazyRegex {
        let known = parts.iter().map(|_| Known::Nothing).collect();
        LazyRegex::with_known(parts, known, &Pieces::default())
    }

    /// As [`LazyRegex::new`], with what is known of each part (`known[i]` of `parts[i]`),
    /// and the compiled branches kept in `pieces`.
    pub(crate) fn with_known(parts: Vec<String>, known: Vec<Known>, pieces: &Pieces) -> LazyRegex {
        LazyRegex(Arc::new(Inner {
            pattern: alternation(&parts),
            parts,
            known,
            pieces: pieces.clone(),
            plan: OnceLock::new(),
        }))
    }

    /// The whole alternation: equal strings match alike.
    pub(crate) fn as_str(&self) -> &str {
        &self.0.pattern
    }

    /// Which list this is: clones share it.
    fn address(&self) -> usize {
        Arc::as_ptr(&self.0) as usize
    }

    fn plan(&self) -> &Plan {
        self.0.plan.get_or_init(|| {
            Plan::new(
                &self.0.pattern,
                &self.0.parts,
                &self.0.known,
                &self.0.pieces,
            )
        })
    }

    /// Tries each candidate piece as soon as one of its literals is found, and stops at the
    /// first that matches: a topic gate met early compiles one branch, not every one named.
    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        self.is_match_found(haystack, None)
    }

    /// As [`LazyRegex::is_match`], given which of the gate's literals `haystack` holds when
    /// a [`Union`] has searched for them already (`found`, any order, repeats allowed).
    pub(crate) fn is_match_found(&self, haystack: &str, found: Option<&[usize]>) -> bool {
        let plan = self.plan();
        let ascii = haystack.is_ascii();
        let mut met = vec![0u8; plan.pieces.len()];
        let mut tried = vec![false; plan.pieces.len()];
        let mut try_piece = |i: usize| {
            !std::mem::replace(&mut tried[i], true)
                && plan.pieces[i]
                    .get(ascii)
                    .is_some_and(|r| r.is_match(haystack))
        };
        if odd_letters(haystack) {
            return (0..plan.pieces.len()).any(try_piece);
        }
        if plan.always.iter().any(|&i| try_piece(i)) {
            return true;
        }
        let Some(literals) = plan.gate() else {
            return false;
        };
        let mut check = |id: usize| {
            plan.owners
                .get(id)
                .map_or(&[][..], |o| o)
                .iter()
                .any(|&(i, n)| plan.meet(&mut met, i, n) && try_piece(i))
        };
        match found {
            Some(ids) => ids.iter().any(|&id| check(id)),
            None => literals.any_found(haystack, check),
        }
    }

    /// Every match, left to right, without overlaps: the whole alternation's `find_iter`.
    #[cfg(test)]
    pub(crate) fn find_iter(&self, haystack: &str) -> std::vec::IntoIter<Found> {
        self.find_iter_found(haystack, None)
    }

    /// As [`LazyRegex::find_iter`], given which of the gate's literals `haystack` holds when
    /// a [`Union`] has searched for them already (`found`, any order, repeats allowed).
    pub(crate) fn find_iter_found(
        &self,
        haystack: &str,
        found: Option<&[usize]>,
    ) -> std::vec::IntoIter<Found> {
        let plan = self.plan();
        let ascii = haystack.is_ascii();
        let regexes: Vec<Engine> = plan
            .candidates(haystack, found)
            .into_iter()
            .filter_map(|i| plan.pieces[i].get(ascii))
            .collect();
        match regexes.as_slice() {
            [] => Vec::new(),
            // One piece (maybe the whole alternation): the regex's own iterator.
            [regex] => regex.find_all(haystack),
            _ => merge(&regexes, haystack),
        }
        .into_iter()
    }

    /// Compiles every piece now; the error says why one cannot be.
    #[cfg(test)]
    pub(crate) fn force(&self) -> Result<(), String> {
        for piece in &self.plan().pieces {
            if piece.get(true).is_none() || piece.get(false).is_none() {
                return Err(compile(&piece.pattern).err().unwrap_or_default());
            }
        }
        Ok(())
    }

    /// How many pieces are compiled so far.
    #[cfg(test)]
    pub(crate) fn compiled(&self) -> usize {
        self.0.plan.get().map_or(0, |plan| {
            plan.pieces
                .iter()
                .filter(|p| p.regex.ascii.get().is_some() || p.regex.full.get().is_some())
                .count()
        })
    }
}

impl Plan {
    fn new(pattern: &str, parts: &[String], known: &[Known], shared: &Pieces) -> Plan {
        // Needs borrowed where they are known already: a short command plans dozens of
        // lists, and copying every literal of every branch was most of planning's cost.
        let branches: Option<Vec<(String, Option<Cow<Needs>>)>> = parts
            .iter()
            .zip(known)
            .map(|(part, known)| {
                let branch = format!("(?:{part})");
                let parsed;
                let (text, hir) = match known {
                    // Required literals: the branch never matches empty.
                    Known::Words(words) if !words.is_empty() => {
                        let needs = words.iter().take(MAX_NEEDS).map(|w| variants(w));
                        return Some((branch, Some(Cow::Owned(needs.collect()))));
                    }
                    // `(?:p)` parses as `p` does.
                    Known::Parsed(hir) => (part.as_str(), hir),
                    Known::Planned(planned) => {
                        let Planned { never_empty, needs } = planned;
                        return never_empty.then(|| (branch, needs.as_ref().map(Cow::Borrowed)));
                    }
                    _ => {
                        parsed = parse(&branch)?;
                        (branch.as_str(), &parsed)
                    }
                };
                // An empty match would need the iterator's special rule; keep it whole.
                let Planned { never_empty, needs } = Planned::of(text, hir);
                never_empty.then_some((branch, needs.map(Cow::Owned)))
            })
            .collect();
        let pieces = match branches {
            Some(branches) if branches.len() > 1 => branches,
            // One branch, or one that may match empty: the whole alternation.
            // (A planned branch is gated as its parse would be: `(?:p)` is the whole.)
            Some(mut one)
                if one.len() == 1
                    && matches!(known.first(), Some(Known::Words(_) | Known::Planned(_))) =>
            {
                one[0].0 = pattern.to_string();
                one
            }
            _ => parse(pattern)
                .map(|hir| vec![(pattern.to_string(), needs(pattern, &hir).map(Cow::Owned))])
                .unwrap_or_default(),
        };
        let mut index: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut owners: Vec<Vec<(usize, u8)>> = Vec::new();
        let mut needs = vec![0u8; pieces.len()];
        let mut always = Vec::new();
        for (i, (_, gate)) in pieces.iter().enumerate() {
            let Some(gate) = gate else {
                always.push(i);
                continue;
            };
            needs[i] = gate.len() as u8;
            for (n, literals) in (0u8..).zip(gate.iter()) {
                for literal in literals {
                    let id = match index.get(literal.as_slice()) {
                        Some(&id) => id,
                        None => {
                            index.insert(literal.clone(), owners.len());
                            owners.push(Vec::new());
                            owners.len() - 1
                        }
                    };
                    if !owners[id].contains(&(i, n)) {
                        owners[id].push((i, n));
                    }
                }
            }
        }
        let mut by_id: Vec<(usize, Vec<u8>)> = index.into_iter().map(|(l, id)| (id, l)).collect();
        by_id.sort_unstable();
        let literals = (!by_id.is_empty()).then(|| Gate::new(by_id.into_iter().map(|(_, l)| l)));
        Plan {
            pieces: pieces
                .into_iter()
                .map(|(pattern, _)| Piece {
                    regex: shared.slot(&pattern),
                    pattern,
                })
                .collect(),
            literals,
            owners,
            needs,
            always,
        }
    }

    /// The search for every piece's literals, `None` when no piece has any.
    fn gate(&self) -> Option<&Gate> {
        self.literals.as_ref()
    }

    /// Records that need `n` of piece `i` is met (in `met`, a bit per need); true when
    /// that makes every need of the piece met.
    fn meet(&self, met: &mut [u8], i: usize, n: u8) -> bool {
        let full = met[i] == self.full(i);
        met[i] |= 1 << n;
        !full && met[i] == self.full(i)
    }

    fn full(&self, i: usize) -> u8 {
        ((1u16 << self.needs[i]) - 1) as u8
    }

    /// The pieces that may match `haystack`, in order: those one of whose literals it holds
    /// (`found`, when known, else searched for here).
    fn candidates(&self, haystack: &str, found: Option<&[usize]>) -> Vec<usize> {
        if odd_letters(haystack) {
            return (0..self.pieces.len()).collect();
        }
        let mut hit = vec![false; self.pieces.len()];
        for &i in &self.always {
            hit[i] = true;
        }
        if let Some(literals) = self.gate() {
            let mut met = vec![0u8; self.pieces.len()];
            let mut record = |id: usize| {
                for &(i, n) in self.owners.get(id).map_or(&[][..], |o| o) {
                    if self.meet(&mut met, i, n) {
                        hit[i] = true;
                    }
                }
                false
            };
            match found {
                Some(ids) => ids.iter().for_each(|&id| {
                    record(id);
                }),
                None => {
                    literals.any_found(haystack, record);
                }
            }
        }
        hit.iter()
            .enumerate()
            .filter_map(|(i, &h)| h.then_some(i))
            .collect()
    }
}

/// Finds which of a list's literals occur in a text, ASCII case-insensitively (a known
/// word is given in one case, see [`variants`]; the extracted literals of the other
/// branches hold every case variant already, so this only gates wider).
///
/// Three stages, each paid for only by a process that reads enough text to gain from it.
/// One literal at a time at first: an Aho-Corasick automaton over a list's hundred
/// literals costs far more to build than a short command's few searches, and a short
/// command touches dozens of lists. Once a list has searched [`AUTOMATON_AFTER`] bytes, a
/// contiguous NFA; once that has read [`DFA_AFTER`] texts, a DFA, several times dearer to
/// build, whose overlapping search follows no failure transitions and so takes about half
/// the NFA's time. All three find the same literals, so which one serves changes no result.
#[derive(Debug)]
struct Gate {
    /// By id, ASCII lower-cased.
    literals: Vec<Vec<u8>>,
    /// Bytes searched literal by literal.
    scanned: AtomicUsize,
    /// `None` inside: too many literals for an automaton; the one-by-one search stays.
    automaton: OnceLock<Option<AhoCorasick>>,
    dfa: DfaLater,
}

/// Bytes of text a gate searches literal by literal before it builds its automaton.
const AUTOMATON_AFTER: usize = 16 << 10;

impl Gate {
    fn new(literals: impl Iterator<Item = Vec<u8>>) -> Gate {
        Gate {
            literals: literals.map(|l| l.to_ascii_lowercase()).collect(),
            scanned: AtomicUsize::new(0),
            automaton: OnceLock::new(),
            dfa: DfaLater::default(),
        }
    }

    /// Calls `found` with the id of each literal that occurs in `haystack` (an id may come
    /// more than once), until it returns true; whether it did.
    fn any_found(&self, haystack: &str, mut found: impl FnMut(usize) -> bool) -> bool {
        if let Some(automaton) = self.automaton() {
            return automaton
                .find_overlapping_iter(haystack)
                .any(|m| found(m.pattern().as_usize()));
        }
        self.scanned.fetch_add(haystack.len(), Ordering::Relaxed);
        let lower = haystack.to_ascii_lowercase();
        self.literals.iter().enumerate().any(|(id, literal)| {
            memchr::memmem::find(lower.as_bytes(), literal).is_some() && found(id)
        })
    }

    /// The automaton that searches now: the DFA, the NFA, or none yet (one by one).
    fn automaton(&self) -> Option<&AhoCorasick> {
        let nfa = match self.automaton.get() {
            Some(built) => built.as_ref()?,
            None if self.scanned.load(Ordering::Relaxed) < AUTOMATON_AFTER => return None,
            None => self
                .automaton
                .get_or_init(|| self.build(AhoCorasickKind::ContiguousNFA))
                .as_ref()?,
        };
        Some(self.dfa.serve(nfa, || self.build(AhoCorasickKind::DFA)))
    }

    fn build(&self, kind: AhoCorasickKind) -> Option<AhoCorasick> {
        AhoCorasick::builder()
            .kind(Some(kind))
            .ascii_case_insensitive(true)
            .build(&self.literals)
            .ok()
    }
}

/// One search for the gate literals of many lists at once: a text's sentence is read
/// once for all of a tagger's cue lists instead of once per list (each list's gate reads
/// the same bytes, and gates were a quarter of tagging an on-topic text).
///
/// It finds, for each list, exactly the literals that list's own [`Gate`] finds: every
/// occurrence of every literal of the union, ASCII case-insensitively, projected on the
/// lists that hold the literal. A DFA, built once a long run has shown it will use it.
#[derive(Debug)]
pub(crate) struct Union {
    automaton: AhoCorasick,
    /// For each literal of the union, each list that holds it and its id in that list.
    owners: Vec<Vec<(usize, usize)>>,
    /// Each distinct list's place, by the address of what its clones share.
    places: HashMap<usize, usize>,
}

impl Union {
    /// Over the gates of `lists` (a list given twice, or a clone of one given, counts
    /// once); `None` if the automaton cannot be built (too large).
    pub(crate) fn new(lists: &[&LazyRegex]) -> Option<Union> {
        let mut places: HashMap<usize, usize> = HashMap::new();
        let mut distinct: Vec<&LazyRegex> = Vec::new();
        for list in lists {
            places.entry(list.address()).or_insert_with(|| {
                distinct.push(list);
                distinct.len() - 1
            });
        }
        let mut index: HashMap<&[u8], usize> = HashMap::new();
        let mut literals: Vec<&[u8]> = Vec::new();
        let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
        for (l, list) in distinct.iter().enumerate() {
            let Some(gate) = list.plan().gate() else {
                continue;
            };
            for (id, literal) in gate.literals.iter().enumerate() {
                let u = *index.entry(literal.as_slice()).or_insert_with(|| {
                    literals.push(literal.as_slice());
                    owners.push(Vec::new());
                    owners.len() - 1
                });
                if let Some(o) = owners.get_mut(u) {
                    o.push((l, id));
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(&literals)
            .ok()?;
        Some(Union {
            automaton,
            owners,
            places,
        })
    }

    /// Where [`Union::found`] puts `list`'s literals, if the union holds it.
    pub(crate) fn place(&self, list: &LazyRegex) -> Option<usize> {
        self.places.get(&list.address()).copied()
    }

    /// For each list (by its [`Union::place`]), the ids of its gate's literals that
    /// `haystack` holds.
    pub(crate) fn found(&self, haystack: &str) -> Vec<Vec<usize>> {
        let mut by_list = vec![Vec::new(); self.places.len()];
        for m in self.automaton.find_overlapping_iter(haystack) {
            for &(l, id) in self
                .owners
                .get(m.pattern().as_usize())
                .map_or(&[][..], |o| o)
            {
                if let Some(ids) = by_list.get_mut(l) {
                    ids.push(id);
                }
            }
        }
        by_list
    }
}

impl Piece {
    /// The form that searches a haystack, `ascii` or not: the ASCII subset when it is
    /// ASCII and that subset compiles, else the whole regex.
    fn get(&self, ascii: bool) -> Option<Engine<'_>> {
        if ascii
            && let Some(regex) = self
                .regex
                .ascii
                .get_or_init(|| compile_ascii(&self.pattern))
        {
            return Some(Engine::Ascii(regex));
        }
        self.regex
            .full
            .get_or_init(|| compile(&self.pattern).ok())
            .as_ref()
            .map(Engine::Full)
    }
}

impl Engine<'_> {
    fn is_match(self, haystack: &str) -> bool {
        match self {
            Engine::Ascii(regex) => regex.is_match(haystack),
            Engine::Full(regex) => regex.is_match(haystack),
        }
    }

    /// The first match that starts at or after `at`, as `Regex::find_at` finds it.
    fn find_at(self, haystack: &str, at: usize) -> Option<Found> {
        match self {
            Engine::Ascii(regex) => regex
                .search(&regex_automata::Input::new(haystack).span(at..haystack.len()))
                .map(Found::from),
            Engine::Full(regex) => regex.find_at(haystack, at).map(Found::from),
        }
    }

    /// Every match, the regex's own iterator.
    fn find_all(self, haystack: &str) -> Vec<Found> {
        match self {
            Engine::Ascii(regex) => regex.find_iter(haystack).map(Found::from).collect(),
            Engine::Full(regex) => regex.find_iter(haystack).map(Found::from).collect(),
        }
    }
}

/// The matches of the alternation of `branches` (in order, none matching the empty
/// string), as its own iterator would report them: from each position, the leftmost
/// start; at a tie, the earliest branch; then on from the match's end. A branch's next
/// match is searched again only once the position has passed its start (a match found
/// from an earlier position that starts at or after the current one is the one a search
/// from here would find: the haystack, and so every look-behind, is the same).
fn merge(branches: &[Engine], haystack: &str) -> Vec<Found> {
    let mut next: Vec<Option<Found>> = branches.iter().map(|r| r.find_at(haystack, 0)).collect();
    let mut found = Vec::new();
    let mut at = 0;
    loop {
        for (regex, slot) in branches.iter().zip(next.iter_mut()) {
            if slot.is_some_and(|m| m.start < at) {
                *slot = if at <= haystack.len() {
                    regex.find_at(haystack, at)
                } else {
                    None
                };
            }
        }
        // `min_by_key` keeps the first of equal starts: the earliest branch.
        let Some(m) = next.iter().flatten().min_by_key(|m| m.start).copied() else {
            break;
        };
        found.push(m);
        // Never empty (see above), so this always moves on.
        at = m.end.max(at + 1);
    }
    found
}

/// `(?:b1)|(?:b2)|…`: each branch grouped, so that its flags and alternations stay its own.
fn alternation(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|")
}

/// The two non-ASCII letters that `(?i)` matches for ASCII ones: Unicode simple case
/// folding maps KELVIN SIGN to `k` and LONG S to `s`. Spelling every gate literal with
/// them as well made the automata several times larger (a word with three `s` has eight
/// spellings) for characters a news text almost never holds; instead a text that holds
/// either makes every piece a candidate, and the literals leave them out.
const ODD_LETTERS: [char; 2] = ['\u{212A}', '\u{17F}'];

fn odd_letters(haystack: &str) -> bool {
    // A substring search for each letter's UTF-8 bytes finds exactly the letter (UTF-8 is
    // self-synchronising) and is several times faster than `str::contains` with a set of
    // chars, which decodes every character of every non-ASCII sentence of every list.
    !haystack.is_ascii()
        && ODD_LETTERS.iter().any(|c| {
            memchr::memmem::find(haystack.as_bytes(), c.encode_utf8(&mut [0; 4]).as_bytes())
                .is_some()
        })
}

/// The spelling of an ASCII alphanumeric word that the gate looks for: lower case (the
/// gate ignores ASCII case; for the two other spellings, see [`ODD_LETTERS`]).
fn variants(word: &str) -> Vec<Vec<u8>> {
    vec![word.to_ascii_lowercase().into_bytes()]
}

/// Parses as the compiler will: case-insensitive.
fn parse(pattern: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .ok()
}

/// Checks a pattern's syntax as the compiler will read it, without compiling it; the
/// parse is kept for planning ([`Known::Parsed`]).
pub(crate) fn check(pattern: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .map_err(|e| last_line(&e.to_string()))
}

/// A parsed branch's needs: the literals that start every match, and those that end every
/// match (a pattern such as `ukrain\w*.{0,80}\b90 mld eur` starts like dozens of others
/// and ends like few), each when there is a finite set of non-empty ones; `None` when
/// neither is. `pattern` is the text that parsed (case-insensitive) as `hir`.
///
/// The literals are taken from the pattern as written (case-sensitive) and then spelt in
/// every case variant the case-insensitive regex matches (see [`case_variants`]): taken
/// from `hir`, where every letter is already a class of its variants, eight alternatives
/// of four letters are past any sensible limit, and a branch such as
/// `\b(?:reconstruct\w*|rebuild\w*|…)\b.{0,80}\b800 ?bn` went ungated and compiled for
/// every text. When the written literals are no finite set, those of `hir` are used.
fn needs(pattern: &str, hir: &Hir) -> Option<Needs> {
    let written = parse_as_written(pattern);
    let needs: Needs = [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| {
            written
                .as_ref()
                .and_then(|w| case_variants(&kind, literals(&kind, w)?))
                .or_else(|| literals(&kind, hir))
        })
        .collect();
    (!needs.is_empty()).then_some(needs)
}

/// Parses as written: case-sensitive, otherwise as the compiler.
fn parse_as_written(pattern: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()
}

/// The literals that start (or end, by `kind`) every match of `hir`, or `None` when there
/// is no finite set of non-empty ones.
fn literals(kind: &ExtractKind, hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut seq = short_literals(kind.clone()).extract(hir);
    match kind {
        ExtractKind::Prefix => seq.optimize_for_prefix_by_preference(),
        _ => seq.optimize_for_suffix_by_preference(),
    }
    non_empty(seq)
}

/// At most this many spellings of a branch's literals of one kind; past it, `None`.
const MAX_SPELLINGS: usize = 256;

/// Every spelling of `literals` (extracted from a case-sensitive parse) that the
/// case-insensitive regex can match there, up to ASCII case (the gate ignores it).
///
/// Why this is all of them: the case-insensitive parse is the case-sensitive one with each
/// literal character and class closed under simple case folding, and `\w` (so `\b`) is
/// closed already. A match of it, with each character replaced by the one of its leaf
/// that shares its fold, is a match of the case-sensitive pattern, so it starts (or
/// ends) with one of `literals`; the match itself then starts with a spelling of that
/// literal where each character is one of the same fold. A literal cut inside a character
/// (the extractor counts bytes) loses the cut character, which only gates less sharply.
fn case_variants(kind: &ExtractKind, literals: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for literal in literals {
        let text = whole_chars(kind, &literal)?;
        let mut spellings = vec![String::new()];
        for c in text.chars() {
            let orbit = fold_orbit(c);
            spellings = spellings
                .iter()
                .flat_map(|s| orbit.iter().map(move |o| format!("{s}{o}")))
                .collect();
            if spellings.len() > MAX_SPELLINGS {
                return None;
            }
        }
        out.extend(spellings.into_iter().map(String::into_bytes));
        if out.len() > MAX_SPELLINGS {
            return None;
        }
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// The whole characters of a literal that was cut to a byte count: its valid start (a
/// prefix) or end (a suffix); `None` when nothing whole is left or it is not UTF-8.
fn whole_chars<'a>(kind: &ExtractKind, literal: &'a [u8]) -> Option<&'a str> {
    let text = match kind {
        ExtractKind::Prefix => match std::str::from_utf8(literal) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&literal[..e.valid_up_to()]).ok()?,
        },
        _ => {
            let start = literal
                .iter()
                .position(|b| b & 0xC0 != 0x80)
                .unwrap_or(literal.len());
            std::str::from_utf8(&literal[start..]).ok()?
        }
    };
    (!text.is_empty()).then_some(text)
}

/// The characters that share `c`'s simple case fold (as `(?i)` matches them), ASCII
/// letters lower-cased (the gate is ASCII-case-insensitive), but for [`ODD_LETTERS`].
fn fold_orbit(c: char) -> Vec<char> {
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    class.case_fold_simple();
    let mut orbit: Vec<char> = class
        .iter()
        .flat_map(|r| r.start()..=r.end())
        .filter(|o| !ODD_LETTERS.contains(o))
        .map(|o| o.to_ascii_lowercase())
        .collect();
    orbit.sort_unstable();
    orbit.dedup();
    orbit
}

fn short_literals(kind: ExtractKind) -> Extractor {
    // Short literals and few of them: every letter of a case-insensitive phrase is a class
    // of two or three, and extracting the default 250 variants of long prefixes for each of
    // the taxonomy's branches took more of a short command's time than compiling the
    // branches it then needed. A shorter literal only gates less sharply.
    let mut extractor = Extractor::new();
    extractor
        .kind(kind)
        .limit_class(4)
        .limit_literal_len(4)
        .limit_total(64);
    extractor
}

fn non_empty(seq: regex_syntax::hir::literal::Seq) -> Option<Vec<Vec<u8>>> {
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// The ASCII subset of `pattern` (see [`Compiled`]), compiled as `regex` compiles a
/// pattern (leftmost-first, the same size limit); `None` when it cannot be.
fn compile_ascii(pattern: &str) -> Option<meta::Regex> {
    let hir = ascii_subset(&parse(pattern)?);
    let config = meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(2 << 20)
        // Only the overall match is ever asked for.
        .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit);
    meta::Builder::new()
        .configure(config)
        .build_from_hir(&hir)
        .ok()
}

/// The ASCII subset of `pattern` (parsed as `Regex::new` parses it) as a pattern of its
/// own, for a caller that needs `regex`'s own API (captures by name); `None` when it does
/// not parse. Printing a syntax tree gives a pattern that parses back to the same tree.
pub(crate) fn ascii_pattern(pattern: &str) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    Some(ascii_subset(&hir).to_string())
}

/// What `hir` matches in an ASCII haystack, as a smaller regex: every class cut to ASCII,
/// every Unicode word-boundary assertion its ASCII one (the same on ASCII text: the
/// ASCII characters of Unicode `\w` are `[0-9A-Za-z_]`). Structure and so match priority are
/// kept; a literal that is not ASCII stays and never matches.
fn ascii_subset(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let mut class = class.clone();
            class.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]));
            Hir::class(Class::Unicode(class))
        }
        HirKind::Look(look) => Hir::look(ascii_look(*look)),
        HirKind::Repetition(rep) => Hir::repetition(rep.with(ascii_subset(&rep.sub))),
        HirKind::Capture(cap) => Hir::capture(Capture {
            index: cap.index,
            name: cap.name.clone(),
            sub: Box::new(ascii_subset(&cap.sub)),
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(ascii_subset).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(ascii_subset).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(Class::Bytes(_)) => hir.clone(),
    }
}

/// The ASCII word assertion of a Unicode one; other assertions as they are.
fn ascii_look(look: Look) -> Look {
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
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

    fn lazy(parts: &[&str]) -> LazyRegex {
        LazyRegex::new(parts.iter().map(|p| p.to_string()).collect())
    }

    /// What the whole alternation, compiled at once, finds.
    fn whole(regex: &LazyRegex, text: &str) -> Vec<(usize, usize)> {
        compile(regex.as_str())
            .unwrap()
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    fn split(regex: &LazyRegex, text: &str) -> Vec<(usize, usize)> {
        regex
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    #[test]
    fn checks_like_the_compiler_and_compiles_once_on_use() {
        assert!(check(r"\bukrain\w*").is_ok());
        assert_eq!(check("(unclosed").unwrap_err(), "unclosed group");
        assert_eq!(
            check("(unclosed").unwrap_err(),
            compile("(unclosed").unwrap_err()
        );
        let regex = lazy(&[r"\bkyiv\w*"]);
        let shared = regex.clone();
        assert_eq!(regex.compiled(), 0, "nothing compiled yet");
        assert!(regex.is_match("in KYIV's streets"));
        assert_eq!(shared.compiled(), 1, "clones share the compiled form");
        let found: Vec<(usize, usize)> = regex
            .find_iter("kyiv, kyivan")
            .map(|m| (m.start(), m.end()))
            .collect();
        assert_eq!(found, [(0, 4), (6, 12)]);
        assert!(regex.force().is_ok());
        // Over the size limit: valid syntax, matches nothing, says why when forced.
        let huge = lazy(&[r"(?:\w{1000}){20}"]);
        assert!(check(huge.as_str()).is_ok());
        assert!(!huge.is_match(&"a".repeat(3000)));
        assert!(
            huge.force().unwrap_err().contains("size limit"),
            "{:?}",
            huge.force()
        );
    }

    #[test]
    fn the_gate_finds_the_same_after_its_dfa_is_built() {
        let phrases = lazy(&[
            r"\bsecurity guarantees?\b",
            r"\bbackstops?\b",
            r"\bkyiv\w*",
            r"\bukrain\w*.{0,80}\b90 mld eur",
        ]);
        let texts = [
            "nothing to see here",
            "a US BACKSTOP for Kyiv",
            "Ukraine, 90 mld EUR, security guarantee",
            "kyivbackstops",
        ];
        let answers = |r: &LazyRegex| -> Vec<(bool, Vec<(usize, usize)>)> {
            texts.iter().map(|t| (r.is_match(t), split(r, t))).collect()
        };
        let before = answers(&phrases);
        let gate = phrases.plan().gate().expect("a gate");
        assert!(!gate.dfa.serving(), "no DFA yet");
        phrases.is_match(&"warming up ".repeat(AUTOMATON_AFTER / 10));
        for _ in 0..=DFA_AFTER {
            phrases.is_match("warming up");
        }
        let after = answers(&phrases);
        assert!(gate.dfa.serving(), "the DFA serves now");
        assert_eq!(before, after);
        assert!(after[1].0 && !after[0].0);
    }

    #[test]
    fn only_the_branches_whose_literals_occur_are_compiled() {
        let phrases = lazy(&[r"\bsecurity guarantees?\b", r"\bbackstops?\b", r"\bkyiv\w*"]);
        assert!(!phrases.is_match("nothing to see here"));
        assert_eq!(phrases.compiled(), 0);
        assert!(
            phrases.is_match("a US BACKSTOP"),
            "case variants are literals too"
        );
        assert_eq!(phrases.compiled(), 1);
        assert_eq!(split(&phrases, "kyiv wants a backstop"), [(0, 4), (13, 21)]);
        assert_eq!(phrases.compiled(), 2);
        // No finite set of literals at either end: a candidate for every text.
        let open = r"\w+ guarantee\w*";
        assert!(needs(open, &parse(open).unwrap()).is_none());
        let open = lazy(&[r"\w+ guarantee\w*", "backstop"]);
        assert!(open.is_match("a guarantees"));
        assert_eq!(open.compiled(), 1);
        // Prefixes too common, suffixes rare: gated by both.
        let ends = lazy(&[r"\bukrain\w*.{0,80}\b90 mld eur", r"\bukraine\b"]);
        assert!(ends.is_match("Ukraine, 90 mld EUR"));
        assert_eq!(
            ends.compiled(),
            1,
            "the first branch whose needs are met matches: one compiled"
        );
        let ends = lazy(&[r"\bukrain\w*.{0,80}\b90 mld eur", r"\bukraine\b"]);
        assert!(ends.is_match("Ukraine, 90 mld"));
        assert_eq!(ends.compiled(), 1, "no suffix of the first: not compiled");
        // A branch that may match empty: compiled whole, as one piece.
        let empty = lazy(&["a?", "b"]);
        assert_eq!(split(&empty, "xab"), whole(&empty, "xab"));
        assert_eq!(empty.0.plan.get().unwrap().pieces.len(), 1);
    }

    #[test]
    fn known_words_gate_every_case_variant_without_parsing() {
        let parts = [
            r"\bkyiv\w*",
            r"\bsecurity guarantees?\b",
            r"\bus\b",
            r"\b9/11\b",
            r"\bkiev\w*",
        ];
        let mut known: Vec<Known> = [&["kyiv"][..], &["security", "guarantee"], &["us"], &["9"]]
            .into_iter()
            .map(|words| Known::Words(words.iter().map(|w| w.to_string()).collect()))
            .collect();
        known.push(Known::Parsed(check(parts[4]).unwrap()));
        let regex = LazyRegex::with_known(
            parts.iter().map(|p| p.to_string()).collect(),
            known,
            &Pieces::default(),
        );
        let texts = [
            "nothing here",
            "KYIV and Kyivan; SECURITY guarantees, US, us, 9/11",
            // KELVIN SIGN and LONG S: ASCII letters' case variants outside ASCII.
            "\u{212A}yiv, \u{17F}ecurity guarantee, u\u{17F}, \u{212A}IEV",
        ];
        for text in texts {
            assert_eq!(split(&regex, text), whole(&regex, text), "on {text}");
            let any = compile(regex.as_str()).unwrap().is_match(text);
            assert_eq!(regex.is_match(text), any, "on {text}");
        }
        assert_eq!(split(&regex, texts[2]).len(), 4);
        assert_eq!(
            variants("SK"),
            [b"sk".to_vec()],
            "odd letters: the text's affair"
        );
        assert!(odd_letters("\u{17F}") && odd_letters("a \u{212A}") && !odd_letters("sk ßк"));
        // One branch with a known prefix: still gated.
        let one = LazyRegex::with_known(
            vec![r"\bbackstops?\b".into()],
            vec![Known::Words(vec!["back".into(), "stop".into()])],
            &Pieces::default(),
        );
        assert!(!one.is_match("a guarantee"));
        assert_eq!(one.compiled(), 0);
        assert!(
            !one.is_match("back off, stop"),
            "both words occur: a candidate, and the regex says no"
        );
        assert!(one.is_match("a BACKSTOP"));
    }

    #[test]
    fn written_literals_gate_every_case_variant() {
        // Eight alternatives of four letters: no finite set once every letter is a class,
        // a small one as written.
        let wide = r"\b(?:reconstruct\w*|rebuild\w*|prosperity|wiederaufbau\w*|odbudow\w*|відбудов\w*|процвітан\w*|prosperite)\b.{0,80}\b800 ?(?:bn|billion|млрд)";
        let hir = parse(wide).unwrap();
        assert!(literals(&ExtractKind::Prefix, &hir).is_none());
        let gated = needs(wide, &hir).expect("gated by what it is written with");
        assert_eq!(gated.len(), 2, "by prefixes and suffixes");
        assert!(gated[0].contains(&"reco".as_bytes().to_vec()));
        assert!(
            gated[0].contains(&"ВІ".as_bytes().to_vec()),
            "Cyrillic upper case"
        );
        assert_eq!(fold_orbit('K'), ['k']);
        assert_eq!(fold_orbit('\u{17F}'), ['s']);
        assert_eq!(fold_orbit('і'), ['І', 'і']);
        assert_eq!(
            whole_chars(&ExtractKind::Prefix, "ві".as_bytes()),
            Some("ві")
        );
        assert_eq!(
            whole_chars(&ExtractKind::Prefix, &"від".as_bytes()[..3]),
            Some("в")
        );
        assert_eq!(
            whole_chars(&ExtractKind::Suffix, &"від".as_bytes()[1..]),
            Some("ід")
        );
        assert_eq!(
            whole_chars(&ExtractKind::Suffix, &"в".as_bytes()[1..]),
            None
        );
        // Unfolded text in every case the regex matches: the split alternation (gated by
        // the written literals) finds what the whole one finds.
        let regex = lazy(&[wide, r"\bsk\w+ risk\b", r"\bukrain\w*.{0,20}\b90 mld"]);
        let texts = [
            "RECONSTRUCTION of Kyiv: 800 BN",
            "ВІДБУДОВА України — 800 МЛРД",
            "Відбудова ... 800 млрд; Re\u{17F}tore, rebuild it, 800 billion",
            "\u{212A}Y \u{17F}\u{212A}Y RI\u{17F}\u{212A}, SKY RISK, sky risk",
            "UKRAINE wants 90 MLD, ukrainian 90 mld",
            "nothing at all: 800 bn",
        ];
        for text in texts {
            assert_eq!(split(&regex, text), whole(&regex, text), "on {text}");
            let any = compile(regex.as_str()).unwrap().is_match(text);
            assert_eq!(regex.is_match(text), any, "on {text}");
        }
        assert!(
            !split(&regex, texts[1]).is_empty(),
            "upper-case Cyrillic found"
        );
        assert_eq!(split(&regex, texts[3]).len(), 3, "KELVIN and LONG S found");
    }

    /// A union of several lists' gates finds, for each list, the literals its own gate
    /// finds, so the matches found through it are the list's own (ASCII case, non-ASCII
    /// text, a literal inside another's, lists sharing literals, a list without a gate).
    #[test]
    fn a_union_finds_what_each_lists_gate_finds() {
        let lists = [
            lazy(&[
                r"\bsecurity\b",
                r"\bsecurity guarantees?\b",
                r"\bguarantees?\b",
            ]),
            lazy(&[r"\bkyiv\w*", r"\bкиєв\w*", r"\bкиев\w*"]),
            lazy(&[r"abc", r"bcd", r"cde", r"\bguarantee"]),
            lazy(&[r"\w+ talks", r"\bus\b"]),
            lazy(&[r"x?", r"y"]),
        ];
        // A clone counts once.
        let mut refs: Vec<&LazyRegex> = lists.iter().collect();
        let clone = lists[0].clone();
        refs.push(&clone);
        let union = Union::new(&refs).unwrap();
        assert_eq!(union.place(&clone), union.place(&lists[0]));
        let texts = [
            "",
            "Security GUARANTEES and a security guarantee; guarantees",
            "Kyiv and kyivan, київ, києві, КИЕВСКИЙ, Києва",
            "abcde bcde cde abcd guaranteed",
            "US-Ukraine talks, the U.S. Ukraine deal, bus us",
            "\u{212A}yiv, mi\u{17F}\u{17F}ion, security",
        ];
        for text in texts {
            let folded = crate::fold::fold(text).text;
            let found = union.found(&folded);
            for list in &lists {
                let ids = &found[union.place(list).unwrap()];
                assert_eq!(
                    list.is_match_found(&folded, Some(ids)),
                    list.is_match(&folded),
                    "{} on {folded}",
                    list.as_str()
                );
                let own: Vec<(usize, usize)> = list
                    .find_iter(&folded)
                    .map(|m| (m.start(), m.end()))
                    .collect();
                let shared: Vec<(usize, usize)> = list
                    .find_iter_found(&folded, Some(ids))
                    .map(|m| (m.start(), m.end()))
                    .collect();
                assert_eq!(shared, own, "{} on {folded}", list.as_str());
                assert_eq!(own, whole(list, &folded), "{} on {folded}", list.as_str());
                if let Some(gate) = list.plan().gate() {
                    let mut by_gate = Vec::new();
                    gate.any_found(&folded, |id| {
                        by_gate.push(id);
                        false
                    });
                    let (mut a, mut b) = (by_gate, ids.clone());
                    a.sort_unstable();
                    a.dedup();
                    b.sort_unstable();
                    b.dedup();
                    assert_eq!(a, b, "{} on {folded}", list.as_str());
                }
            }
        }
    }

    #[test]
    fn split_matches_what_the_whole_alternation_matches() {
        // Ties at one start (the earlier branch wins, even when shorter), nested and
        // overlapping phrasings, look-behind at a branch's start, non-ASCII text.
        let alternations: &[&[&str]] = &[
            &["a", "ab"],
            &["ab", "a"],
            &[
                r"\bsecurity\b",
                r"\bsecurity guarantees?\b",
                r"\bguarantees?\b",
            ],
            &[r"\bguarantee", r"\bsecurity guarantee"],
            &[r"\bkyiv\w*", r"\bкиєв\w*", r"\bкиев\w*"],
            &[r"\bcoalition of the willing\b", r"\bwilling\b", r"\bthe\b"],
            &[r"\bus\b", r"\bu\.?s\.?(?: ?- ?| )ukraine\b", r"s\b"],
            &[r"abc", r"bcd", r"cde"],
            &[
                r"\bchef d'etat-major des armees\b.{0,120}\bhomologues\b",
                r"\bhomologues\b",
            ],
        ];
        let texts = [
            "",
            "ab a ab aab",
            "security guarantees and a security guarantee; guarantees",
            "Kyiv and kyivan, київ, києві, киевский",
            "the coalition of the willing, the willing",
            "US-Ukraine talks, the U.S. Ukraine deal, bus us",
            "abcde bcde cde abcd",
            "le chef d'etat-major des armees recoit ses homologues; homologues",
        ];
        for parts in alternations {
            let regex = lazy(parts);
            assert!(regex.0.plan.get().is_none());
            for text in texts {
                let folded = crate::fold::fold(text).text;
                assert_eq!(
                    split(&regex, &folded),
                    whole(&regex, &folded),
                    "{parts:?} on {folded}"
                );
                let any = compile(regex.as_str()).unwrap().is_match(&folded);
                assert_eq!(regex.is_match(&folded), any, "{parts:?} on {folded}");
            }
            assert!(
                regex.0.plan.get().unwrap().pieces.len() > 1,
                "{parts:?} was split"
            );
        }
    }

    #[test]
    fn the_ascii_subset_matches_ascii_text_as_the_whole_regex() {
        let patterns = [
            r"\bukrain\w*",
            r"\bkyiv\b.{0,20}\bguarantee\w*",
            r"\b(?:u\.?s\.?|american)\b.{0,40}\bback\w*",
            r"\bк\w+|\bkiev\B\w",
            r"(?:x|é|\p{Lu}+)\d+",
            r"\b\w+'s\b|[^a-z ]+",
            r"(?-u:\w)+\s*(q)",
        ];
        let texts = [
            "",
            "Ukraine and UKRAINIANS; ukrain_x ukrain9",
            "kyiv will guarantee it; Kyiv, 20 chars later ..... guarantees",
            "the U.S. will back it: american backing; US-backed",
            "kievx KIEV_ kiev kievan x12 X9 AB12 e12",
            "Biden's plan's; 12 -- ? 'q",
        ];
        for pattern in patterns {
            let whole = compile(pattern).unwrap();
            let ascii = compile_ascii(pattern).expect("compiles");
            for text in texts {
                let expected: Vec<Found> = Engine::Full(&whole).find_all(text);
                assert_eq!(
                    Engine::Ascii(&ascii).find_all(text),
                    expected,
                    "{pattern} on {text}"
                );
                for at in 0..=text.len() {
                    assert_eq!(
                        Engine::Ascii(&ascii).find_at(text, at),
                        Engine::Full(&whole).find_at(text, at),
                        "{pattern} on {text} from {at}"
                    );
                }
                assert_eq!(Engine::Ascii(&ascii).is_match(text), !expected.is_empty());
            }
        }
        // Not ASCII: the whole regex searches, and finds what only Unicode allows.
        let regex = lazy(&[r"\bkyiv\w*", r"\bкиїв\w*"]);
        assert_eq!(split(&regex, "KYIVʼS київ"), whole(&regex, "KYIVʼS київ"));
        assert_eq!(split(&regex, "KYIVʼS київ").len(), 2);
    }

    /// The byte search for the odd letters finds what a search by chars finds.
    #[test]
    fn odd_letters_are_found_as_chars_are() {
        for text in [
            "plain ascii",
            "caf\u{e9} \u{444}\u{440}\u{430}\u{43d}\u{446}",
            "\u{212A}elvin",
            "mi\u{17F}\u{17F}ion \u{e9}",
            "\u{2129}\u{212B} \u{17E}\u{180}",
            "",
        ] {
            assert_eq!(odd_letters(text), text.contains(ODD_LETTERS), "{text}");
        }
    }

    #[test]
    fn a_gate_finds_the_same_literals_in_each_of_its_three_stages() {
        let gate = Gate::new(
            [&b"kyiv"[..], b"US", b"\xD0\x9A", b"back", b"zz"]
                .into_iter()
                .map(<[u8]>::to_vec),
        );
        let found = |text: &str| {
            let mut ids = Vec::new();
            gate.any_found(text, |id| {
                ids.push(id);
                false
            });
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let texts = ["KYIV wants US backing", "Киев, Кyiv", "nothing", ""];
        let before: Vec<Vec<usize>> = texts.iter().map(|t| found(t)).collect();
        assert_eq!(before[0], [0, 1, 3]);
        assert_eq!(before[1], [2]);
        assert!(
            gate.automaton.get().is_none(),
            "not built for a few searches"
        );
        assert!(gate.any_found("the us", |id| id == 1), "stops when told");
        found(&"x".repeat(AUTOMATON_AFTER));
        let after: Vec<Vec<usize>> = texts.iter().map(|t| found(t)).collect();
        assert!(
            gate.automaton.get().is_some(),
            "built once the text adds up"
        );
        assert_eq!(before, after);
        assert!(!gate.dfa.serving(), "the NFA serves first");
        for _ in 0..=DFA_AFTER {
            found("warming up");
        }
        let last: Vec<Vec<usize>> = texts.iter().map(|t| found(t)).collect();
        assert!(gate.dfa.serving(), "then the DFA");
        assert_eq!(before, last);
    }
}
