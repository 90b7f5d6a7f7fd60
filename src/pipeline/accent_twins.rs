//! Accent twins: a real word may be the accentless reading of its accented twin (`periodo`
//! for período, `Union` for Unión, `esta` for está), or carry an accent OCR added (`dé`,
//! `entré`). For a known word `w` and each twin `v` (same folded form), the log-odds that the
//! page said `v` are
//!
//! `ln P(v)/P(w) + evidence(v) − evidence(w) + channel`,
//!
//! the prior, what the neighbours say (the context model), and `ln d` per accent OCR would
//! have dropped and `ln a` per accent it would have added (the page's rates). For the
//! ambiguous twins (solo/sólo, esta/está…) `P` is each twin's share in clean text.

use super::finding::{Finding, Pass};
use super::memo::Recent;
use super::models::Models;
use super::page::Page;
use super::page_habits::HABITUAL_DROP_RATE;
use super::profile::AccentHabits;
use crate::candidates::{Candidate, Source, Words};
use crate::context::{ContextModel, TwinSet};
use crate::decide::{Applicability, Reason};
use crate::errmodel::Step;
use crate::lexicon::{fold, EntryId, Lexicon};
use crate::rank::{lower_initial_read_as_capital, Ranked};
use crate::spanish::has_ambiguous_twins;
use crate::tokenize::{Case, TokenKind};
use std::rc::Rc;

/// Odds from which a twin is proposed for review: from odds 1, coin flips reached
/// reviewers (docs/design.md)...
pub const TWIN_REVIEW_ODDS: f64 = 1.5;
/// ... and from which it is applied automatically (about ratio 5 in a page read with the
/// English model, d ≈ 0.8; never in a page that keeps its accents).
pub const TWIN_AUTO_ODDS: f64 = 4.0;
/// The ambiguous twins need these odds to be changed automatically: only context decides
/// them, and a small corpus's context is weak evidence.
pub const AMBIGUOUS_AUTO_ODDS: f64 = 20.0;
/// Unknown words with an accent too many (`lá`, `dél`) a page needs before an accent is
/// taken away from one of its real words automatically (`dé` → de).
pub const MIN_ADDED_ACCENTS_FOR_AUTO: usize = 2;

/// A known word and the lexicon words that differ from it only by accents.
pub struct Twins {
    ids: Vec<EntryId>,
    /// Lower-case spellings, the word itself at `own`.
    spellings: Vec<String>,
    own: usize,
    ambiguous: bool,
    /// Shares in clean text (the prior of the ambiguous twins).
    shares: Option<Vec<f64>>,
    /// The spellings as the context model looks them up.
    context: TwinSet,
}

/// The twins of known words as written (`None`: it has none), found the first time a batch
/// meets each word (this is asked of every word of every document).
pub struct TwinMemo(Recent<String, Option<Rc<Twins>>>);

impl Default for TwinMemo {
    fn default() -> Self {
        TwinMemo(Recent::new(20_000))
    }
}

impl TwinMemo {
    pub fn twins(&mut self, models: &Models, word: &str) -> Option<Rc<Twins>> {
        self.0.cloned_or_insert_with(word, || {
            twins_of(models.lexicon, models.context, word).map(Rc::new)
        })
    }
}

/// One accent twin of a known word, weighed against it (natural logs).
#[derive(Debug, Clone, PartialEq)]
pub struct TwinOdds<'l> {
    pub id: EntryId,
    pub text: &'l str,
    /// ln P(twin) / P(word): lexicon counts, or clean-text shares for the ambiguous twins.
    pub prior: f64,
    /// What the neighbours say (the context model's evidence, twin minus word).
    pub context: f64,
    /// ln of the chance that OCR printed the word for the twin (drop and add rates).
    pub channel: f64,
    pub log_odds: f64,
}

/// The accent twins of a known word, if it has any.
pub fn twins_of(lexicon: &Lexicon, context: &ContextModel, word: &str) -> Option<Twins> {
    if word.len() < 2 || Case::of(word) == Case::Mixed {
        return None;
    }
    let lower = word.to_lowercase();
    let own = lexicon.known(word)?;
    let mut ids = Vec::new();
    lexicon.with_fold(&fold(word), &mut ids);
    // A capitalised entry beside its lower-case one (`Para`, `El`: sentence starts) is the
    // same twin, not another.
    let texts: Vec<&str> = ids.iter().map(|&id| lexicon.text(id)).collect();
    let lower_too =
        |t: &str| t.chars().any(char::is_uppercase) && texts.contains(&t.to_lowercase().as_str());
    let mut ids: Vec<EntryId> = ids
        .iter()
        .zip(&texts)
        .filter(|(_, t)| !lower_too(t))
        .map(|(&id, _)| id)
        .collect();
    if ids.len() < 2 {
        return None;
    }
    let spellings: Vec<String> = ids
        .iter()
        .map(|&id| lexicon.text(id).to_lowercase())
        .collect();
    let own_index = spellings.iter().position(|s| *s == lower)?;
    ids[own_index] = own;
    let ambiguous = has_ambiguous_twins(&fold(&lower));
    // The ambiguous twins take their prior from clean text, not from web counts.
    let shares = if ambiguous {
        context.shares(&spellings)
    } else {
        None
    };
    Some(Twins {
        ids,
        context: context.twin_set(&spellings),
        spellings,
        own: own_index,
        ambiguous,
        shares,
    })
}

/// Each twin but the word itself, with its log-odds over the word and their parts.
pub fn odds<'l>(
    lexicon: &'l Lexicon,
    context: &ContextModel,
    twins: &Twins,
    (left, right): (&str, &str),
    accents: &AccentHabits,
) -> Vec<TwinOdds<'l>> {
    let own = twins.own;
    let written = &twins.spellings[own];
    let mut evidence = Vec::new();
    context.evidence_for(left, &twins.context, right, &mut evidence);
    (0..twins.ids.len())
        .filter(|&i| i != own && twins.spellings[i] != *written)
        .map(|i| {
            let prior = match &twins.shares {
                Some(shares) => (shares[i] / shares[own]).ln(),
                None => lexicon.log_prob(twins.ids[i]) - lexicon.log_prob(twins.ids[own]),
            };
            let (dropped, added) = accent_changes(written, &twins.spellings[i]);
            let channel =
                dropped as f64 * accents.drop_rate.ln() + added as f64 * accents.add_rate.ln();
            let context = evidence[i] - evidence[own];
            TwinOdds {
                id: twins.ids[i],
                text: lexicon.text(twins.ids[i]),
                prior,
                context,
                channel,
                log_odds: prior + context + channel,
            }
        })
        .collect()
}

/// Accents (or tildes) OCR would have dropped and added to print `observed` for `intended`,
/// two spellings with the same folded form.
fn accent_changes(observed: &str, intended: &str) -> (usize, usize) {
    let (mut dropped, mut added) = (0, 0);
    for (o, t) in observed.chars().zip(intended.chars()) {
        if o != t {
            dropped += usize::from(!t.is_ascii());
            added += usize::from(!o.is_ascii());
        }
    }
    (dropped, added)
}

/// The twins the odds favour for `word`, ranked, and how safe the best is.
fn decide(
    models: &Models,
    word: &str,
    twins: &Twins,
    neighbours: (&str, &str),
    accents: &AccentHabits,
) -> Option<(Vec<Ranked>, Applicability)> {
    let odds = odds(models.lexicon, models.context, twins, neighbours, accents);
    let chosen: Vec<&TwinOdds> = odds
        .iter()
        .filter(|o| o.log_odds >= TWIN_REVIEW_ODDS.ln())
        .collect();
    let best = chosen.iter().map(|o| o.log_odds).max_by(f64::total_cmp)?;
    let candidates: Vec<Candidate> = chosen
        .iter()
        .map(|o| Candidate {
            words: Words::one(o.id),
            source: Source::Accent,
        })
        .collect();
    let ranked = models.ranker.rank(word, &candidates);
    let auto_odds = if twins.ambiguous {
        AMBIGUOUS_AUTO_ODDS
    } else {
        TWIN_AUTO_ODDS
    };
    let applicability = if best >= auto_odds.ln() && ranked.len() == 1 {
        Applicability::Auto
    } else {
        Applicability::Review
    };
    Some((ranked, applicability))
}

pub fn find(
    page: &mut Page,
    models: &Models,
    accents: &AccentHabits,
    memo: &mut TwinMemo,
) -> Vec<Finding> {
    let pass = Pass::AccentTwins;
    let mut findings = Vec::new();
    let (mut left, mut right) = (String::new(), String::new());
    for i in 0..page.tokens.len() {
        let candidate = page.tokens[i].kind == TokenKind::Word && page.suspects[i].is_none();
        if !candidate || !page.is_free_for(i, pass) || page.is_protected(i) {
            continue;
        }
        // Most words have no twin: look that up (remembered) before reading the context.
        let word = page.slice(i);
        let Some(twins) = memo.twins(models, word) else {
            continue;
        };
        page.neighbours_into(i, &mut left, &mut right);
        let Some((mut ranked, mut applicability)) =
            decide(models, word, &twins, (&left, &right), accents)
        else {
            continue;
        };
        let mut reasons = vec![Reason::AccentTwin, Reason::AccentRestored];
        if Case::of(word) == Case::Title && page.after_lower_case_word(i) {
            lower_initial_read_as_capital(models.lexicon, word, &mut ranked);
            // Names keep accents other words lack (Belem do Pará, not Para): taking one from
            // a capitalised word inside a sentence is for a reviewer.
            if takes_accent_away(&ranked) {
                applicability = applicability.min(Applicability::Review);
                reasons.push(Reason::PossibleName);
            }
        }
        // Taking the accent away from an ambiguous twin as written (`no lo sé` → se), a word
        // in its own right, undoes an error that OCR makes on pages seen to add accents, or
        // read by a model that does not know Spanish (which drops them by habit and reads
        // specks as accents: `dé la`); on a page that keeps its accents it is for a reviewer.
        let adds_accents =
            accents.added >= MIN_ADDED_ACCENTS_FOR_AUTO || accents.drop_rate >= HABITUAL_DROP_RATE;
        if twins.ambiguous && takes_accent_away(&ranked) && !adds_accents {
            applicability = applicability.min(Applicability::Review);
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
    findings
}

/// Whether the proposal takes away an accent the word is written with (OCR would have added
/// it: `dé` → de).
fn takes_accent_away(ranked: &[Ranked]) -> bool {
    ranked.first().is_some_and(|r| {
        r.steps
            .iter()
            .any(|s| matches!(s, Step::AccentAdded { .. }))
    })
}
