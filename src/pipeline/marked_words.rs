//! Marked words: letters that faded or broken type (typewriters, carbon copies, photocopies)
//! left as marks — `muje:es` for mujeres, `activid:des`, `traba‘o`, `|ambién`, `.sraelíés`,
//! `d:1` for del. A run of letters and marks with no space in it is read as one word once the
//! punctuation that may stand around a word is set aside: a closing mark after a word (`fin.`,
//! `Asunto:`), an opening one before it whose partner follows on the line (`«Hola»`). What
//! is left holds a mark among letters; its candidates are words in which each mark is a letter
//! or a speck (`errmodel::MARK_FOR_LETTER`), ranked and decided as any other.
//!
//! Left alone: runs of capitals (`EE.UU.`, `S.A.`), short abbreviations (`p.ej.`), two words
//! joined by a mark (`países.que`, `político-militares`: the signs pass decides) unless the
//! page's marks stand for letters by habit (`de:echo`), a word with an apostrophe before a
//! capital (`d'Ivoire`).

use super::broken_words::piece_score;
use super::finding::{Finding, Pass};
use super::memo::CandidateMemo;
use super::models::Models;
use super::page::Page;
use crate::decide::{Applicability, Reason, WordTraits};
use crate::detect::nfc;
use crate::errmodel::is_mark;
use crate::rank::{with_short_word_context, with_twin_context, W_CHANNEL};
use crate::span::ByteSpan;
use crate::spanish::is_function_word;
use crate::tokenize::{Case, TokenKind};

/// Letters of the short words whose first letter a mark may stand for (see `core`).
const SHORT_WORD_LETTERS: usize = 3;

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
        // On a page whose marks are letters, one that opens nothing before a short word is
        // its first letter (`¿e` de, `¡a` la, `«n` en).
        let short = page.slice(first + 1).chars().count() <= SHORT_WORD_LETTERS;
        if short && models.loses_letters_to_marks() && !closed() {
            break;
        }
        first += 1;
    }
    // Closing marks, but those that may be the word's last letter: a colon or semicolon
    // after letters that are no word (`sobr:`), and any stop after a function word, or a
    // full stop after letters that are no word, when the sentence goes on with a lower-case
    // word (`la: mujeres`, `nive. de`). `decide` weighs them as letters, specks, or the
    // punctuation they look like. On a page that loses letters to marks, a colon after any
    // word before a lower-case one may be its last letter (`organismo: de`).
    while last > first && is_single_mark(last) {
        let mark = page.slice(last);
        let stem = last - 1;
        let word_before = is_piece(stem) && !known(stem);
        let goes_on = || next_word_is_lower(page, last);
        let may_be_letter = match mark {
            ":" | ";" => {
                word_before
                    || (is_function_word(page.slice(stem)) || models.loses_letters_to_marks())
                        && goes_on()
            }
            // A carbon copy's l (`alcoho!`), after letters that are no word.
            "!" => word_before,
            "." => (word_before || is_function_word(page.slice(stem))) && goes_on(),
            _ => false,
        };
        if !CLOSING.contains(&mark) || may_be_letter {
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
        // Two words a mark joins: a compound or glued words, for the signs pass; but on a
        // page whose marks stand for letters by habit, a word with a lost letter (`de:echo`).
        if let (Some(b), Some(a)) = (before, after) {
            if known(b) && known(a) && !(models.loses_letters_to_marks() && mark != "-") {
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

/// Whether a review finding is one only because its word is short: everything else would
/// have let it be automatic.
fn held_back_only_for_shortness(applicability: Applicability, reasons: &[Reason]) -> bool {
    applicability == Applicability::Review
        && reasons.contains(&Reason::ShortWord)
        && reasons.iter().all(|r| {
            matches!(
                r,
                Reason::ShortWord | Reason::MarkForLetter | Reason::OcrConfusion
            )
        })
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
    let around = || (page.neighbours(first).0, page.neighbours(last).1);
    // A mark after the letters (`la:`, `sobr:`; see `core`) is a lost last letter, a speck or
    // punctuation. Read as a letter only on a page whose marks are letters by habit (on
    // others the signs pass takes it for a speck), and then which word it leaves is for the
    // neighbours to say.
    let lost_last_letter = last > first && word.chars().next_back().is_some_and(is_mark);
    if lost_last_letter && !models.loses_letters_to_marks() {
        return None;
    }
    // So is a mark before a short word on such a page (kept by `core` only there: `¿e`).
    let lost_first_letter =
        last > first && word.chars().next().is_some_and(is_mark) && models.loses_letters_to_marks();
    let lost_letter = lost_last_letter || lost_first_letter;
    let chosen_by_context = if lost_letter {
        with_short_word_context(&mut ranked, models.context, around)
    } else {
        with_twin_context(&mut ranked, models.context, around);
        false
    };
    // The marks must be letters for the word to beat its pieces read as words, the marks
    // specks or spaces (`déstaca'la` is destaca la, `-aplicacién` a speck and aplicación);
    // but a last mark after a word before a lower-case one (`la: mujeres`) is no
    // punctuation: read as nothing, it is a speck, priced as one on this page.
    let mut pieces: f64 = word
        .split(is_mark)
        .filter(|p| !p.is_empty())
        .map(|p| piece_score(models, memo, p))
        .sum();
    if lost_last_letter && models.lexicon.known(&nfc(page.slice(last - 1))).is_some() {
        pieces -= W_CHANNEL * models.ranker.costs.mark_dropped;
    }
    if lost_first_letter && models.lexicon.known(&nfc(page.slice(first + 1))).is_some() {
        pieces -= W_CHANNEL * models.ranker.costs.mark_dropped;
    }
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
        common_word_lookalike: false,
    };
    let mut reasons = vec![Reason::MarkForLetter];
    let mut applicability = models.policy.decide(&ranked, traits, &mut reasons)?;
    // A colon after a word that is one is punctuation as well (`Mecanismo: la`): read as its
    // last letter it was right 118 times on our carbon copies but broke 4 correct words, so
    // it is proposed, never automatic.
    let after_a_word = lost_last_letter
        && matches!(word.chars().next_back(), Some(':' | ';'))
        && models
            .lexicon
            .known(&word[..word.len() - 1])
            .is_some_and(|_| !is_function_word(&word[..word.len() - 1]));
    if after_a_word {
        applicability = applicability.min(Applicability::Review);
    }
    if chosen_by_context {
        applicability = applicability.min(Applicability::Review);
        reasons.push(Reason::ChosenByContext);
    } else if !after_a_word && lost_letter && held_back_only_for_shortness(applicability, &reasons)
    {
        // A short word's lost letter (`la:` las) with no close runner-up, on a page whose
        // marks are letters by habit: right 19 times in 20 on our carbon copies.
        applicability = Applicability::Auto;
        reasons.push(Reason::PageHabit);
    }
    Some(Finding::new(
        page.doc,
        Pass::MarkedWords,
        span,
        ranked,
        applicability,
        reasons,
    ))
}
