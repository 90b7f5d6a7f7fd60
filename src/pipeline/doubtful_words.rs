//! Doubtful words: words of the dictionary the OCR engine itself was unsure of (a layout
//! file's confidence below `LOW_CONFIDENCE`). A dictionary word can be a misreading
//! (`preocura` for preocupa); where a likelier word one or two OCR errors away beats keeping
//! the word by `DOUBT_MARGIN`, it is proposed — for a reviewer only: an engine's doubt is
//! no proof, and Tesseract gives correct words a confidence of 0 too.

use super::finding::{Finding, Pass};
use super::memo::CandidateMemo;
use super::models::Models;
use super::page::Page;
use crate::decide::{Applicability, Reason};
use crate::detect::nfc;
use crate::rank::W_FREQUENCY;
use crate::tokenize::{Case, TokenKind};

/// Below this confidence (0 to 1) the engine doubted the word.
pub const LOW_CONFIDENCE: f32 = 0.3;
/// How much (nats) a candidate must beat the word as written by.
pub const DOUBT_MARGIN: f64 = 2.0;

pub fn find(page: &mut Page, models: &Models, memo: &mut CandidateMemo) -> Vec<Finding> {
    let pass = Pass::DoubtfulWords;
    let mut findings = Vec::new();
    for i in 0..page.tokens.len() {
        if page.tokens[i].kind != TokenKind::Word
            || page.suspects[i].is_some()
            || !page.is_free_for(i, pass)
            || page.is_protected(i)
            || page.confidence(i).is_none_or(|c| c >= LOW_CONFIDENCE)
        {
            continue;
        }
        let word = nfc(page.slice(i));
        // Names and capitals are not the dictionary's to doubt.
        if Case::of(&word) != Case::Lower || word.chars().count() < 4 {
            continue;
        }
        let Some(own) = models.lexicon.known(&word) else {
            continue;
        };
        let kept = W_FREQUENCY * models.lexicon.log_prob(own);
        let ranked: Vec<_> = memo
            .ranking(models, &word)
            .into_iter()
            .filter(|r| r.text != word.as_ref() && r.generic_edits() == 0)
            .collect();
        if ranked
            .first()
            .is_none_or(|best| best.breakdown.score < kept + DOUBT_MARGIN)
        {
            continue;
        }
        let span = page.tokens[i].span;
        page.hold(i, pass);
        findings.push(Finding::new(
            page.doc,
            pass,
            span,
            ranked,
            Applicability::Review,
            vec![Reason::LowConfidence],
        ));
    }
    findings
}
