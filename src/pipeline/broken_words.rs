//! Broken words: a word split by the OCR (`tecnolo gias`) or hyphenated at a line end
//! (`docu-⏎mentos`) is proposed whole again. Line-end hyphens are the surer joins and take
//! their tokens first; two known words across a space are never joined. On a page that loses
//! letters to marks (carbon copies), a word split where a letter was lost, to a blank or a
//! mark (`aná isis`, `tér: inos`), is joined with the letter it lost.

use super::finding::{Finding, Pass};
use super::memo::CandidateMemo;
use super::models::Models;
use super::page::Page;
use crate::candidates::joins::{self, JoinKind};
use crate::candidates::{Candidate, Source, Words};
use crate::decide::{Applicability, Reason, WordTraits};
use crate::detect::nfc;
use crate::errmodel::GENERIC_EDIT;
use crate::lexicon::EntryId;
use crate::rank::{with_twin_context, W_CHANNEL, W_FREQUENCY};
use crate::spanish::is_function_word;
use crate::tokenize::{Case, TokenKind};

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
    if models.loses_letters_to_marks() {
        lost_letter_joins(page, models, memo, &mut findings);
    }
    findings
}

/// Letters a lost one may have been (lower case; case follows the pieces).
const LOST_LETTERS: &str = "abcdefghijklmnopqrstuvwxyzáéíóúñü";

/// Letters a word split at a lost letter needs in its two pieces: fewer, and a short word and
/// its neighbour joined by any letter make some word.
const MIN_LOST_LETTER_PIECES: usize = 5;

/// Words split where the page lost a letter (`aná isis` análisis, `tér: inos` términos, `o
/// .rativos`): two pieces, one at least no word, the second in lower case, across a blank
/// with at most one mark beside it, that make a word with one letter between them. The mark,
/// if any, is read as that letter. Automatic when a single letter makes a word and no generic
/// edit beyond the lost letter is needed, as the page's habit; else for review.
fn lost_letter_joins(
    page: &mut Page,
    models: &Models,
    memo: &mut CandidateMemo,
    findings: &mut Vec<Finding>,
) {
    let pass = Pass::BrokenWords;
    let lexicon = models.lexicon;
    let (doc, tokens) = (page.doc, page.tokens.clone());
    let kind = |k: usize| tokens.get(k).map(|t| t.kind);
    let text = |k: usize| doc.slice(tokens[k].span);
    let is_blank = |k: usize| kind(k) == Some(TokenKind::Space) && text(k) == " ";
    let is_lost_letter_mark = |k: usize| {
        kind(k) == Some(TokenKind::Punct)
            && matches!(text(k), "." | "," | ":" | ";" | "’" | "'" | "‘")
    };
    // A piece stands apart from other letters and marks: `Est:co parte` is no site.
    let apart = |k: Option<usize>| {
        k.is_none_or(|k| matches!(kind(k), None | Some(TokenKind::Space | TokenKind::Newline)))
    };
    for first in 0..tokens.len() {
        if kind(first) != Some(TokenKind::Word) || !apart(first.checked_sub(1)) {
            continue;
        }
        // The gap: a blank, a mark and a blank, or a blank and a mark; a mark that stands
        // for a lost letter on such pages (an opening mark before a word is its first
        // letter's: `al ¿stado`).
        let (mark, second) = if is_blank(first + 1) {
            if is_lost_letter_mark(first + 2) {
                (Some(first + 2), first + 3)
            } else {
                (None, first + 2)
            }
        } else if is_lost_letter_mark(first + 1) && is_blank(first + 2) {
            (Some(first + 1), first + 3)
        } else {
            continue;
        };
        if kind(second) != Some(TokenKind::Word) {
            continue;
        }
        let after = second + 1;
        if !(apart(Some(after)) || kind(after) == Some(TokenKind::Punct) && apart(Some(after + 1)))
        {
            continue;
        }
        if (first..=second).any(|k| page.is_protected(k) || !page.is_free_for(k, pass)) {
            continue;
        }
        let (a, b) = (nfc(text(first)), nfc(text(second)));
        let (letters_a, letters_b) = (a.chars().count(), b.chars().count());
        if !b.chars().next().is_some_and(char::is_lowercase)
            || letters_a + letters_b < MIN_LOST_LETTER_PIECES
            || Case::of(&a) == Case::Upper
        {
            continue;
        }
        let (known_a, known_b) = (lexicon.known(&a), lexicon.known(&b));
        if known_a.is_some() && known_b.is_some() {
            continue;
        }
        // A short or common word beside a damaged one may be a word of its own (`cor la` is
        // con la, not corola; `relativis a` relativas a, not relativista): a join with one is
        // for a reviewer, and only across a bare blank beside a damaged piece of four letters
        // or more (after a mark, the mark is the damaged piece's last letter: `transmiti:
        // la`). One piece at least is damaged (no word), so the other is the word if any.
        let word_of_its_own = |w: &str, known: Option<EntryId>, letters: usize| {
            known.is_some_and(|id| {
                letters < 4 || is_function_word(w) || lexicon.count(id) >= STANDALONE_COUNT
            })
        };
        let beside_a_word =
            word_of_its_own(&a, known_a, letters_a) || word_of_its_own(&b, known_b, letters_b);
        let damaged = if known_a.is_none() {
            letters_a
        } else {
            letters_b
        };
        if beside_a_word && (mark.is_some() || damaged < 4) {
            continue;
        }
        let candidates: Vec<Candidate> = LOST_LETTERS
            .chars()
            .filter_map(|letter| lexicon.known(&format!("{a}{letter}{b}")))
            .map(|id| Candidate {
                words: Words::one(id),
                source: Source::Join,
            })
            .collect();
        if candidates.is_empty() {
            continue;
        }
        // The mark is read as the lost letter; a bare blank lost it (one generic insertion).
        let mark_text = mark.map_or("", text);
        let mut ranked = models
            .ranker
            .rank_pieces(&a, &format!("{mark_text}{b}"), &candidates);
        let span = tokens[first].span.cover(tokens[second].span);
        with_twin_context(&mut ranked, models.context, || {
            (page.neighbours(first).0, page.neighbours(second).1)
        });
        let Some(best) = ranked.first() else { continue };
        if best.breakdown.score <= piece_score(models, memo, &a) + piece_score(models, memo, &b) {
            continue;
        }
        let mut reasons = vec![Reason::SplitWord, Reason::LostLetter];
        let Some(mut applicability) =
            models
                .policy
                .decide(&ranked, WordTraits::default(), &mut reasons)
        else {
            continue;
        };
        let only_the_lost_letter = best.generic_edits() <= usize::from(mark.is_none());
        if beside_a_word {
            applicability = applicability.min(Applicability::Review);
        } else if applicability == Applicability::Review
            && candidates.len() == 1
            && only_the_lost_letter
            && !reasons.contains(&Reason::CloseRunnerUp)
        {
            applicability = Applicability::Auto;
            reasons.push(Reason::PageHabit);
        }
        for k in first..=second {
            page.hold(k, pass);
        }
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
