//! Confusable words: real words that are, on this page, likely misreadings of another word —
//! `Ja` for la, `facilité` for facilitó on a page whose OCR reads ó as é. No lexicon can see
//! them; the page's own habits can. Its sure repairs say how often it made each confusion of
//! the error model (`profile::confusion_rates`); that rate is the channel of a noisy-channel
//! comparison between the word as written and each word one confusion away:
//!
//! `log-odds(v over w) = ln P(v)/P(w) + ln rate(confusion)`, unless an accent twin of `w` has
//! better odds (`entré` is entre, not entró).
//!
//! A confusion the page never made surely has no rate, so a clean page gets none of these.

use super::accent_twins::{self, TwinMemo};
use super::finding::{Finding, Pass};
use super::memo::{Recent, WordMemo};
use super::models::Models;
use super::page::Page;
use super::profile::{rate_of, ConfusionRate, Profile};
use crate::candidates::{Candidate, Source, Words};
use crate::decide::{Applicability, Reason};
use crate::errmodel::{ErrorModel, Rewrite};
use crate::lexicon::{EntryId, Lexicon};
use crate::tokenize::{Case, TokenKind};
use std::rc::Rc;

/// Odds from which a confusable word's likelier reading is proposed for review...
pub const CONFUSABLE_REVIEW_ODDS: f64 = 1.0;
/// ... and from which it is applied automatically (a single candidate).
pub const CONFUSABLE_AUTO_ODDS: f64 = 4.0;

/// A lexicon word one confusion away from a known word, by the confusion's index in the
/// error model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Confusable {
    pub id: EntryId,
    pub confusion: usize,
}

/// The words one confusion away from known words as written, found the first time a batch
/// meets each.
pub struct ConfusableMemo(Recent<String, Rc<[Confusable]>>);

impl Default for ConfusableMemo {
    fn default() -> Self {
        ConfusableMemo(Recent::new(20_000))
    }
}

/// The lexicon words one confusion away from `lower` (a known word in lower case).
pub fn confusables_of(lexicon: &Lexicon, errors: &ErrorModel, lower: &str) -> Vec<Confusable> {
    let mut rewrites = Vec::new();
    errors.rewrites_once(lower, &mut rewrites);
    let mut out: Vec<Confusable> = Vec::new();
    for Rewrite {
        text, confusion, ..
    } in rewrites
    {
        let Some(id) = lexicon.exact(&text) else {
            continue;
        };
        if text != lower && !out.iter().any(|s| s.id == id) {
            out.push(Confusable { id, confusion });
        }
    }
    out
}

/// Each confusable the page's rates allow, with its log-odds over the written word `own`,
/// best first (ties by lexicon text, so the order never depends on the table's).
///
/// `unexplained_capital`: the word is capitalised inside a sentence though the lexicon spells
/// it in lower case (`Ja` after `de`). Its capital is then an error whichever word the page
/// said, so a confusable that explains it — a confusion the table gives as a capital printed
/// for a lower-case letter, at the first letter (`J` for l) — needs no rate from the page:
/// both readings cost one error, and the prior decides. (`Baga` stays: OCR prints no capital
/// B for h.)
pub fn odds(
    lexicon: &Lexicon,
    errors: &ErrorModel,
    own: EntryId,
    confusables: &[Confusable],
    rates: &[ConfusionRate],
    unexplained_capital: bool,
) -> Vec<(Confusable, f64)> {
    let own_text = lexicon.text(own);
    let mut out: Vec<(Confusable, f64)> = confusables
        .iter()
        .filter_map(|s| {
            let (observed, intended) = errors.confusion(s.confusion);
            let rate = rate_of(rates, observed, intended).map(|r| r.rate.ln());
            let text = lexicon.text(s.id);
            let explains_capital = unexplained_capital
                && errors.prints_capital(s.confusion)
                && text.chars().next() != own_text.chars().next()
                && text.chars().all(|c| !c.is_uppercase());
            let channel = match (rate, explains_capital) {
                (Some(r), true) => r.max(0.0),
                (Some(r), false) => r,
                (None, true) => 0.0,
                (None, false) => return None,
            };
            let prior = lexicon.log_prob(s.id) - lexicon.log_prob(own);
            Some((*s, prior + channel))
        })
        .collect();
    out.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| lexicon.text(a.0.id).cmp(lexicon.text(b.0.id)))
    });
    out
}

/// Known words that this page's OCR habits make likely misreadings of a word one confusion
/// away. Names (capitalised lexicon entries), capitals and words another finding holds are
/// left alone.
pub fn find(
    page: &mut Page,
    models: &Models,
    profile: &Profile,
    words: &mut WordMemo,
    twin_memo: &mut TwinMemo,
    memo: &mut ConfusableMemo,
) -> Vec<Finding> {
    let pass = Pass::ConfusableWords;
    let (lexicon, errors) = (models.lexicon, models.errors);
    let mut findings = Vec::new();
    for i in 0..page.tokens.len() {
        if page.tokens[i].kind != TokenKind::Word
            || page.suspects[i].is_some()
            || !page.is_free_for(i, pass)
            || page.is_protected(i)
        {
            continue;
        }
        let word = page.slice(i);
        let case = Case::of(word);
        let unexplained_capital = case == Case::Title && page.after_lower_case_word(i);
        if matches!(case, Case::Upper | Case::Mixed)
            || (profile.confusions.is_empty() && !unexplained_capital)
        {
            continue;
        }
        let Some(own) = words.known(lexicon, word) else {
            continue;
        };
        if lexicon
            .text(own)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
        {
            continue;
        }
        let confusables = memo.0.cloned_or_insert_with(word, || {
            confusables_of(lexicon, errors, &word.to_lowercase()).into()
        });
        if confusables.is_empty() {
            continue;
        }
        let odds = odds(
            lexicon,
            errors,
            own,
            &confusables,
            &profile.confusions,
            unexplained_capital,
        );
        let chosen: Vec<Candidate> = odds
            .iter()
            .filter(|(_, o)| *o >= CONFUSABLE_REVIEW_ODDS.ln())
            .map(|(s, _)| Candidate {
                words: Words::one(s.id),
                source: Source::Confusion,
            })
            .collect();
        let Some(&(_, best)) = odds.first() else {
            continue;
        };
        if chosen.is_empty() {
            continue;
        }
        // An accent twin the odds favour more is the better reading (`entré`: entre, not
        // entró); the accent twins' pass proposes it.
        if let Some(twins) = twin_memo.twins(models, word) {
            let (left, right) = page.neighbours(i);
            let weighed = accent_twins::odds(
                lexicon,
                models.context,
                &twins,
                (&left, &right),
                &profile.accents,
            );
            if weighed.iter().any(|t| t.log_odds >= best) {
                continue;
            }
        }
        let ranked = models.ranker.rank(word, &chosen);
        let mut reasons = vec![Reason::ConfusableWord, Reason::OcrConfusion];
        let applicability = if best < CONFUSABLE_AUTO_ODDS.ln() || ranked.len() > 1 {
            Applicability::Review
        } else if page.engine_sure(i) {
            reasons.push(Reason::EngineConfident);
            Applicability::Review
        } else {
            Applicability::Auto
        };
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
    findings
}
