//! Marked words: letters that faded or broken type (typewriters, carbon copies, photocopies)
//! left as marks — `muje:es` for mujeres, `activid:des`, `traba‘o`, `|ambién`, `.sraelíés`,
//! `d:1` for del. A run of letters and marks with no space in it is read as one word once the
//! punctuation that may stand around a word is set aside: a closing mark after a word (`fin.`,
//! `Asunto:`), an opening one before it whose partner follows on the line (`«Hola»`). What
//! is left holds a mark among letters; its candidates are words in which each mark is a letter
//! or a speck (`errmodel::MARK_FOR_LETTER`), ranked and decided as any other.
//!
//! Left alone: runs of capitals (`EE.UU.`, `S.A.`), short abbreviations (`p.ej.`), two words
//! joined by a mark (`países.que`, `político-militares`: the signs pass decides), a word with
//! an apostrophe before a capital (`d'Ivoire`).

use super::broken_words::piece_score;
use super::finding::{Finding, Pass};
use super::memo::CandidateMemo;
use super::models::Models;
use super::page::Page;
use crate::decide::{Reason, WordTraits};
use crate::detect::nfc;
use crate::errmodel::is_mark;
use crate::rank::with_twin_context;
use crate::span::ByteSpan;
use crate::spanish::is_function_word;
use crate::tokenize::{Case, TokenKind};

/// Letters a run needs around an inner full stop before it is read as one word: shorter ones
/// are abbreviations (`p.ej.`, `a.m.`).
const MIN_LETTERS_AROUND_STOP: usize = 5;

/// Marks that close a word or a sentence (footnote marks too), or open a quotation, and the
/// partner each opening mark needs on its line unless a word follows it.
const CLOSING: &[&str] = &[
    ".", ",", ";", ":", "?", "!", ")", "»", "”", "\"", "’", "'", "]", "…", "*", "†",
];
const OPENING: &[(&str, &str)] = &[
    ("(", ")"),
    ("«", "»"),
    ("“", "”"),
    ("\"", "\""),
    ("¿", "?"),
    ("¡", "!"),
    ("‘", "’"),
    ("'", "'"),
    ("[", "]"),
];

pub fn find(page: &mut Page, models: &Models, memo: &mut CandidateMemo) -> Vec<Finding> {
    let pass = Pass::MarkedWords;
    let mut findings = Vec::new();
    let mut i = 0;
    while i < page.tokens.len() {
        // A run: tokens that touch, from `i` to `end` (exclusive).
        let mut end = i;
        while end < page.tokens.len()
            && !matches!(page.tokens[end].kind, TokenKind::Space | TokenKind::Newline)
        {
            end += 1;
        }
        if end == i {
            i += 1;
            continue;
        }
        if let Some((first, last)) = core(page, models, i, end) {
            if let Some(finding) = decide(page, models, memo, first, last) {
                for k in first..=last {
                    page.hold(k, pass);
                }
                findings.push(finding);
            }
        }
        i = end;
    }
    findings
}

/// The tokens `first..=last` of the run `start..end` that hold a mark among letters, once the
/// punctuation that may stand around a word is set aside; `None` when the run is a word, a
/// number, punctuation, or something this pass leaves alone.
fn core(page: &Page, models: &Models, start: usize, end: usize) -> Option<(usize, usize)> {
    let pass = Pass::MarkedWords;
    let tokens = &page.tokens;
    if (start..end).any(|k| page.is_protected(k) || !page.is_free_for(k, pass)) {
        return None;
    }
    let is_piece = |k: usize| {
        matches!(
            tokens[k].kind,
            TokenKind::Word | TokenKind::Mixed | TokenKind::Number
        )
    };
    let is_single_mark = |k: usize| {
        matches!(tokens[k].kind, TokenKind::Punct | TokenKind::Symbol)
            && page.slice(k).chars().count() == 1
    };
    let known = |k: usize| {
        tokens[k].kind == TokenKind::Number
            || tokens[k].kind == TokenKind::Word
                && models.lexicon.known(&nfc(page.slice(k))).is_some()
    };
    let (mut first, mut last) = (start, end - 1);
    // Opening marks before a word, or whose partner follows on the line (a quotation may
    // close lines later; `«n` with no `»` is a letter).
    while first < last && is_single_mark(first) {
        let mark = page.slice(first);
        let Some(&(_, partner)) = OPENING.iter().find(|(open, _)| *open == mark) else {
            break;
        };
        let closed = || {
            (first + 1..tokens.len())
                .take_while(|&k| tokens[k].kind != TokenKind::Newline)
                .any(|k| page.slice(k) == partner)
        };
        if !known(first + 1) && !closed() {
            break;
        }
        first += 1;
    }
    // Closing marks, but a stop after a function word that goes on with a lower-case word
    // (`la: mujeres`), which is a letter or a speck.
    while last > first && is_single_mark(last) {
        let mark = page.slice(last);
        let goes_on = matches!(mark, "." | ":" | ";")
            && is_function_word(page.slice(last - 1))
            && next_word_is_lower(page, last);
        if !CLOSING.contains(&mark) || goes_on {
            break;
        }
        last -= 1;
    }
    let inner = first..=last;
    let letters: usize = inner
        .clone()
        .filter(|&k| tokens[k].kind != TokenKind::Punct && tokens[k].kind != TokenKind::Symbol)
        .map(|k| page.slice(k).chars().filter(|c| c.is_alphabetic()).count())
        .sum();
    let marks: Vec<usize> = inner.clone().filter(|&k| is_single_mark(k)).collect();
    let text = page.doc.slice(tokens[first].span.cover(tokens[last].span));
    if letters == 0 || marks.is_empty() || inner.clone().any(|k| !is_piece(k) && !is_single_mark(k))
    {
        return None;
    }
    // Capitals throughout: an acronym or an abbreviation (`EE.UU.`, `S.A.`).
    if letters >= 2
        && text
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
    {
        return None;
    }
    for &m in &marks {
        let mark = page.slice(m);
        let (before, after) = (m > first)
            .then(|| m - 1)
            .zip((m < last).then_some(m + 1))
            .unzip();
        // Two words a mark joins: a compound or glued words, for the signs pass.
        if let (Some(b), Some(a)) = (before, after) {
            if known(b) && known(a) {
                return None;
            }
            if mark == "." && letters < MIN_LETTERS_AROUND_STOP {
                return None;
            }
            let capital_after = page.slice(a).chars().next().is_some_and(char::is_uppercase);
            if matches!(mark, "'" | "’") && capital_after {
                return None;
            }
        }
        // A hyphen inside a word joins a compound or a prefix (`sub-regionales`).
        if m != first && m != last && matches!(mark, "-" | "‐") {
            return None;
        }
        // A dash before a word that is one is a list's or a speck (the signs pass).
        if m == first && matches!(mark, "-" | "–" | "—") && after.is_some_and(known) {
            return None;
        }
    }
    Some((first, last))
}

/// Whether the next word after token `k` (on any line) begins with a lower-case letter.
fn next_word_is_lower(page: &Page, k: usize) -> bool {
    (k + 1..page.tokens.len())
        .find(|&j| !matches!(page.tokens[j].kind, TokenKind::Space | TokenKind::Newline))
        .is_some_and(|j| {
            page.tokens[j].kind == TokenKind::Word
                && page.slice(j).chars().next().is_some_and(char::is_lowercase)
        })
}

/// The finding for the marked word `first..=last`, if the policy makes one.
fn decide(
    page: &Page,
    models: &Models,
    memo: &mut CandidateMemo,
    first: usize,
    last: usize,
) -> Option<Finding> {
    let span = ByteSpan::new(page.tokens[first].span.start, page.tokens[last].span.end);
    let word = nfc(page.doc.slice(span));
    let mut ranked = memo.ranking(models, &word);
    with_twin_context(&mut ranked, models.context, || {
        (page.neighbours(first).0, page.neighbours(last).1)
    });
    // The marks must be letters for the word to beat its pieces read as words, the marks
    // specks or spaces (`déstaca'la` is destaca la, `-aplicacién` a speck and aplicación).
    let pieces: f64 = word
        .split(is_mark)
        .filter(|p| !p.is_empty())
        .map(|p| piece_score(models, memo, p))
        .sum();
    if ranked
        .first()
        .is_none_or(|best| best.breakdown.score <= pieces)
    {
        return None;
    }
    let letters = word.chars().filter(|c| !is_mark(*c)).count();
    let traits = WordTraits {
        maybe_name: Case::of(&word.replace(is_mark, "")) == Case::Title
            && !page.sentence_start(first),
        short: letters <= 2,
    };
    let mut reasons = vec![Reason::MarkForLetter];
    let applicability = models.policy.decide(&ranked, traits, &mut reasons)?;
    Some(Finding::new(
        page.doc,
        Pass::MarkedWords,
        span,
        ranked,
        applicability,
        reasons,
    ))
}
