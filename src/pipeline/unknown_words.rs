//! Unknown words: words the lexicon does not know, and letters run together with digits or
//! stray bars (`informacién`, `situaci6n`, `E]`), ranked and decided.

use super::finding::{Finding, Pass};
use super::memo::CandidateMemo;
use super::models::Models;
use super::page::Page;
use crate::candidates::Source;
use crate::decide::{Applicability, Reason, WordTraits};
use crate::detect::{nfc, Suspicion};
use crate::lexicon::fold;
use crate::rank::Ranked;
use crate::rank::{lower_initial_read_as_capital, with_twin_context};
use crate::tokenize::Case;

pub fn find(page: &mut Page, models: &Models, memo: &mut CandidateMemo) -> Vec<Finding> {
    let pass = Pass::UnknownWords;
    let mut findings = Vec::new();
    for i in 0..page.tokens.len() {
        let Some(suspicion) = page.suspects[i] else {
            continue;
        };
        if !page.is_free_for(i, pass) {
            continue;
        }
        let word = nfc(page.slice(i));
        let mut ranked = memo.ranking(models, &word);
        let mid_sentence_capital = Case::of(&word) == Case::Title && !page.sentence_start(i);
        if mid_sentence_capital && page.after_lower_case_word(i) {
            lower_initial_read_as_capital(models.lexicon, &word, &mut ranked);
        }
        with_twin_context(&mut ranked, models.context, || page.neighbours(i));
        let traits = WordTraits {
            maybe_name: suspicion == Suspicion::LettersAndDigits || mid_sentence_capital,
            short: suspicion == Suspicion::UnknownWord && word.chars().count() <= 2,
            common_word_lookalike: mid_sentence_capital
                && suspicion == Suspicion::UnknownWord
                && word.chars().count() >= 5
                && word.chars().all(char::is_alphabetic)
                && ranked
                    .first()
                    .is_some_and(|r| r.text.chars().next() == word.chars().next()),
        };
        let mut reasons = vec![match suspicion {
            Suspicion::UnknownWord => Reason::UnknownWord,
            Suspicion::LettersAndDigits => Reason::LettersAndDigits,
        }];
        if ranked.first().is_some_and(|r| r.source == Source::Split) {
            reasons.push(Reason::MergedWords);
        }
        if let Some(mut applicability) = models.policy.decide(&ranked, traits, &mut reasons) {
            if applicability == Applicability::Review
                && suspicion == Suspicion::UnknownWord
                && !traits.maybe_name
                && one_letter_inside_a_long_word(&word, &ranked)
            {
                applicability = Applicability::Auto;
                reasons.push(Reason::OneLetterInLongWord);
            }
            let span = page.tokens[i].span;
            page.hold(i, pass);
            findings.push(Finding::new(
                page.doc,
                pass,
                span,
                ranked,
                applicability,
                reasons,
            ));
        }
    }
    findings
}

/// Letters of an unknown word from which one letter changed, added or dropped inside it is
/// repaired automatically when nothing else comes near.
pub const LONG_WORD_LETTERS: usize = 7;
/// Least margin (nats) of such a repair over its runner-up: twice an automatic change's.
pub const LONG_WORD_MIN_MARGIN: f64 = 4.0;
/// Letters at the word's end that such a repair leaves alone: the end is where Spanish
/// inflects (`déficits` is no misreading of déficit, nor `criminológica` of criminología).
pub const KEPT_END_LETTERS: usize = 2;

/// Whether `word`, all lower-case letters, `LONG_WORD_LETTERS` or more, is repaired by its
/// best alternative with one generic edit inside it (not its first letter, nor its last
/// `KEPT_END_LETTERS`), beating every other by `LONG_WORD_MIN_MARGIN`. On the dev set and the
/// matrix such repairs were mostly right; at the word's edges and in capitals they were names
/// (`Swazilandia`, `ePerformance`) and inflections.
fn one_letter_inside_a_long_word(word: &str, ranked: &[Ranked]) -> bool {
    let [best, rest @ ..] = ranked else {
        return false;
    };
    let margin = rest
        .first()
        .map_or(f64::INFINITY, |r| best.breakdown.score - r.breakdown.score);
    if best.generic_edits() != 1
        || best.source == Source::Split
        || margin < LONG_WORD_MIN_MARGIN
        || !word.chars().all(|c| c.is_alphabetic() && !c.is_uppercase())
    {
        return false;
    }
    let (observed, repaired) = (fold(word), fold(&best.text));
    let (observed, repaired): (Vec<char>, Vec<char>) =
        (observed.chars().collect(), repaired.chars().collect());
    let prefix = observed
        .iter()
        .zip(&repaired)
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = observed
        .iter()
        .rev()
        .zip(repaired.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    // A letter doubled where Spanish never doubles it marks a foreign word (`ex officio`).
    let foreign_double = observed
        .windows(2)
        .any(|pair| pair[0] == pair[1] && !matches!(pair[0], 'c' | 'l' | 'r' | 'n' | 'e' | 'o'));
    !foreign_double
        && observed.len() >= LONG_WORD_LETTERS
        && prefix >= 1
        && suffix >= KEPT_END_LETTERS
}
