//! Unknown words: words the lexicon does not know, and letters run together with digits or
//! stray bars (`informacién`, `situaci6n`, `E]`), ranked and decided.

use super::finding::{Finding, Pass};
use super::memo::CandidateMemo;
use super::models::Models;
use super::page::Page;
use crate::candidates::Source;
use crate::decide::{Reason, WordTraits};
use crate::detect::{nfc, Suspicion};
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
        if let Some(applicability) = models.policy.decide(&ranked, traits, &mut reasons) {
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
