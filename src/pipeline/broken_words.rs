//! Broken words: a word split by the OCR (`tecnolo gias`) or hyphenated at a line end
//! (`docu-⏎mentos`) is proposed whole again. Line-end hyphens are the surer joins and take
//! their tokens first; two known words across a space are never joined.

use super::finding::{Finding, Pass};
use super::memo::CandidateMemo;
use super::models::Models;
use super::page::Page;
use crate::candidates::joins::{self, JoinKind};
use crate::decide::{Reason, WordTraits};
use crate::detect::nfc;
use crate::errmodel::GENERIC_EDIT;
use crate::rank::{with_twin_context, W_CHANNEL, W_FREQUENCY};

/// A known piece this common (per billion; Zipf 5: `es`, `la`, `para`) stands alone: it is a
/// word of its own, never half of a split word (`Declaracion es` is not `Declaraciones`).
pub const STANDALONE_COUNT: u32 = 100_000;

pub fn find(page: &mut Page, models: &Models, memo: &mut CandidateMemo) -> Vec<Finding> {
    let mut findings = Vec::new();
    let text = page.text();
    // Two known words across a space are never joined (see below): most sites.
    let mut sites = joins::sites(text, &page.tokens, |a, b| {
        page.suspects[a].is_some() || page.suspects[b].is_some()
    });
    sites.sort_by_key(|s| (s.kind != JoinKind::Hyphen, s.first));
    let lexicon = models.lexicon;
    let stands_alone = |w: &str| {
        lexicon
            .known(w)
            .is_some_and(|id| lexicon.count(id) >= STANDALONE_COUNT)
    };
    // A lone letter beside a word is a word of its own (`disuadir á`: the preposition with a
    // stray accent, not disuadirá).
    let lone_letter = |w: &str| w.chars().count() == 1;
    for site in sites {
        let pass = Pass::BrokenWords;
        if !page.is_free_for(site.first, pass) || !page.is_free_for(site.second, pass) {
            continue;
        }
        if page.is_protected(site.first) || page.is_protected(site.second) {
            continue;
        }
        let unknown = page.suspects[site.first].is_some() || page.suspects[site.second].is_some();
        let (a, b) = (nfc(page.slice(site.first)), nfc(page.slice(site.second)));
        if site.kind == JoinKind::Space
            && (!unknown
                || stands_alone(&a)
                || stands_alone(&b)
                || lone_letter(&a)
                || lone_letter(&b))
        {
            continue;
        }
        let candidates = memo.for_join(&models.generator, &a, &b, site.kind);
        let mut ranked = models.ranker.rank_pieces(&a, &b, candidates);
        with_twin_context(&mut ranked, models.context, || {
            (
                page.neighbours(site.first).0,
                page.neighbours(site.second).1,
            )
        });
        let Some(best) = ranked.first() else { continue };
        if best.breakdown.total_cost() > models.policy.review_max_cost {
            continue;
        }
        // A join must explain the text better than the pieces do on their own
        // (`su gestion` is su gestión, not sugestión).
        if site.kind == JoinKind::Space
            && best.breakdown.score <= piece_score(models, memo, &a) + piece_score(models, memo, &b)
        {
            continue;
        }
        let mut reasons = vec![match site.kind {
            JoinKind::Space => Reason::SplitWord,
            JoinKind::Hyphen => Reason::LineEndHyphen,
        }];
        let Some(applicability) =
            models
                .policy
                .decide(&ranked, WordTraits::default(), &mut reasons)
        else {
            continue;
        };
        page.hold_span(site.span, pass);
        findings.push(Finding::new(
            page.doc,
            pass,
            site.span,
            ranked,
            applicability,
            reasons,
        ));
    }
    findings
}

/// Score of a piece of a possible join read as a word by itself: its own frequency if known,
/// else its best cheap repair, else that of an unknown word.
pub fn piece_score(models: &Models, memo: &mut CandidateMemo, piece: &str) -> f64 {
    let lexicon = models.lexicon;
    if let Some(id) = lexicon.known(piece) {
        return W_FREQUENCY * lexicon.log_prob(id);
    }
    let candidates = memo.for_word_cheap(&models.generator, piece);
    let unknown = W_FREQUENCY * lexicon.unknown_log_prob() - W_CHANNEL * GENERIC_EDIT;
    models
        .ranker
        .rank(piece, candidates)
        .first()
        .map_or(unknown, |r| r.breakdown.score.max(unknown))
}
