//! Specks of degraded scans at the edges of lines: a tail of marks and letter scraps after a
//! sentence's end (`se habían falsificado. S Sn . :`), and a mark alone at a line's start or
//! end (`* los`, `Estados Miembros *`). Running text has neither.

use super::finding::{Finding, Pass};
use super::models::Models;
use super::page::Page;
use crate::candidates::joins::is_hyphen;
use crate::decide::{Applicability, Reason};
use crate::lexicon::fold;
use crate::span::ByteSpan;
use crate::tokenize::TokenKind;

/// Specks at the end of a line, after its sentence has ended. A tail goes when every token of
/// it is a mark or a scrap of at most three letters that is no word (two letters may be one:
/// `E E .`), and it holds at least one mark, and is not all lower-case words (`no lo sé`);
/// the sentence's own end mark stays. Applied
/// automatically: such tails are no text. What is glued to the end mark (a closing quote) is
/// the sentence's.
pub fn noise_tails(page: &mut Page, models: &Models) -> Vec<Finding> {
    let pass = Pass::NoiseTails;
    let tokens = &page.tokens;
    let is_mark = |k: usize| matches!(tokens[k].kind, TokenKind::Punct | TokenKind::Symbol);
    let is_scrap = |k: usize| {
        let w = page.slice(k);
        let letters = w.chars().count();
        tokens[k].kind == TokenKind::Word
            && (letters <= 2 || (letters == 3 && models.lexicon.known(w).is_none()))
    };
    let mut findings = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // A sentence end: a word, then `.`, `;`, `:`, `?` or `!` glued to it.
        let ends_sentence = i >= 1
            && tokens[i - 1].kind == TokenKind::Word
            && tokens[i].kind == TokenKind::Punct
            && matches!(page.slice(i), "." | ";" | ":" | "?" | "!")
            && tokens
                .get(i + 1)
                .is_some_and(|t| t.kind == TokenKind::Space);
        if !ends_sentence {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let (mut marks, mut words, mut scraps, mut lower_words) = (0, 0, 0, 0);
        let mut last = None;
        while j < tokens.len() && tokens[j].kind != TokenKind::Newline {
            if tokens[j].kind == TokenKind::Space {
            } else if !page.is_free_for(j, pass) || !(is_mark(j) || is_scrap(j)) {
                last = None;
                break;
            } else {
                marks += usize::from(is_mark(j));
                let word = is_scrap(j)
                    && models.lexicon.known(page.slice(j)).is_some()
                    && !stray_conjunction_e(page, j);
                words += usize::from(word);
                scraps += usize::from(is_scrap(j));
                let lower = page.slice(j).chars().all(char::is_lowercase);
                lower_words += usize::from(word && lower);
                last = Some(j);
            }
            j += 1;
        }
        // A scrap hyphenated at the line end is the start of a word broken across lines
        // (`en la. for-⏎mulación`), not noise.
        let broken_word = last.is_some_and(|k| {
            is_hyphen(page.slice(k))
                && tokens[k - 1].kind == TokenKind::Word
                && tokens[k - 1].span.end == tokens[k].span.start
        });
        // Without a mark, a tail goes only if no scrap of it is a word (`Lanka. i`): `A` may
        // begin the next sentence. Lower-case words only, two or more, are text, marks or not
        // (`dijo: «no lo sé»`).
        let text = lower_words >= 2 && lower_words == scraps;
        let noise = (marks > 0 || words == 0) && !text;
        if let (Some(last), true, false) = (last, noise, broken_word) {
            let span = ByteSpan::new(tokens[i].span.end, tokens[last].span.end);
            let ranker = &models.ranker;
            findings.push(Finding::sign(
                page.doc,
                pass,
                span,
                "",
                ranker,
                Reason::LineNoise,
            ));
        }
        i = j.max(i + 1);
    }
    for f in &findings {
        page.hold_span(f.span, pass);
    }
    findings
}

/// Whether token `i` is a lone `e` where the conjunction cannot stand: it is only written
/// before a word that begins with an i sound (`e Iglesias`, `e hijos`), so elsewhere it is a
/// speck (`acuerdos de Minsk. E⏎`).
fn stray_conjunction_e(page: &Page, i: usize) -> bool {
    if !matches!(page.slice(i), "e" | "E") {
        return false;
    }
    let next = (i + 1..page.tokens.len())
        .find(|&k| page.tokens[k].kind == TokenKind::Word)
        .map(|k| fold(page.slice(k)));
    !next.is_some_and(|w| w.starts_with('i') || w.starts_with("hi"))
}

/// Marks a degraded scan puts at the very start or end of a line, set off by a space:
/// `* los tipos de`, `_ jóvenes`, `Estados Miembros *`, `las :`. Running text never starts a
/// line with them, nor ends one with a mark after a space. A `.` is only taken at a line's
/// start: at its end it may be the sentence's own period, moved.
pub fn edge_specks(page: &mut Page, models: &Models) -> Vec<Finding> {
    const SPECKS: &[&str] = &[
        "*", "+", "_", "~", ">", "<", "=", "|", ",", ";", ":", "-", ".",
    ];
    let pass = Pass::EdgeSpecks;
    let tokens = &page.tokens;
    let slice = |k: usize| page.slice(k);
    let is_speck = |k: usize| {
        matches!(tokens[k].kind, TokenKind::Punct | TokenKind::Symbol)
            && SPECKS.contains(&slice(k))
            && page.is_free_for(k, pass)
    };
    let line_break = |k: Option<usize>| k.is_none_or(|k| tokens[k].kind == TokenKind::Newline);
    let single_space = |k: usize| tokens[k].kind == TokenKind::Space && slice(k) == " ";
    // What a speck at a line's end follows: a word, a number or a mark closing one leaves the
    // line clean once the speck goes; a lone mark or letter, or a comma (a stop misread,
    // `recíproca, *` for recíproca.), is damage the speck is only part of: a reviewer's call.
    let closes_cleanly = |b: usize| match tokens[b].kind {
        TokenKind::Word => slice(b).chars().count() > 1,
        TokenKind::Number | TokenKind::Mixed => true,
        TokenKind::Punct | TokenKind::Symbol => {
            slice(b) != ","
                && b >= 1
                && tokens[b - 1].span.end == tokens[b].span.start
                && matches!(
                    tokens[b - 1].kind,
                    TokenKind::Word | TokenKind::Number | TokenKind::Mixed
                )
        }
        _ => false,
    };
    let mut findings = Vec::new();
    let mut push = |span: ByteSpan, applicability: Applicability| {
        let ranker = &models.ranker;
        let mut finding = Finding::sign(page.doc, pass, span, "", ranker, Reason::LineNoise);
        finding.applicability = applicability;
        findings.push(finding);
    };
    for k in 0..tokens.len() {
        if !is_speck(k) {
            continue;
        }
        let before = k.checked_sub(1);
        // A dash before a capital may be a list's: only one before a lower-case word goes.
        let dash_ok = slice(k) != "-"
            || (k + 2 < tokens.len() && slice(k + 2).starts_with(char::is_lowercase));
        let starts_line = line_break(before)
            && k + 2 < tokens.len()
            && single_space(k + 1)
            && matches!(tokens[k + 2].kind, TokenKind::Word | TokenKind::Number)
            && dash_ok;
        let ends_line = slice(k) != "."
            && line_break((k + 1 < tokens.len()).then_some(k + 1))
            && before.is_some_and(|b| single_space(b) && b >= 1 && !line_break(Some(b - 1)));
        if starts_line {
            push(
                tokens[k].span.cover(tokens[k + 1].span),
                Applicability::Auto,
            );
        } else if ends_line {
            let applicability = if closes_cleanly(k - 2) {
                Applicability::Auto
            } else {
                Applicability::Review
            };
            push(tokens[k - 1].span.cover(tokens[k].span), applicability);
        }
    }
    findings
}
