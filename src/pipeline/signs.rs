//! Signs OCR misreads between words, which the lexicon cannot see: `11° período` and `N° 5`
//! (the ordinal indicator º), `uno 0 dos` (the conjunction o), specks read as `.`, `:` or `;`
//! after an article, preposition or conjunction that goes on with a lower-case word
//! (`de. la`), a dash or underscore glued to a word's start (`-desempefian`), a mark glued
//! between two words (`países.que`, `la-reunión`), a single quote mark with no partner on
//! its line (`‘de`), and an opening quote that nothing closes in its paragraph (`«ampliarse`).
//! A mark between two words is left to `marked_words` on a page whose marks stand for letters.
//! All are applied automatically: none of these occurs in the running text of these documents.

use super::finding::{Finding, Pass};
use super::models::Models;
use super::page::Page;
use crate::candidates::{Candidate, Source, Words};
use crate::decide::{Applicability, Reason};
use crate::lexicon::fold;
use crate::spanish::is_function_word;
use crate::tokenize::TokenKind;

pub fn find(page: &mut Page, models: &Models) -> Vec<Finding> {
    let pass = Pass::Signs;
    let (doc, tokens) = (page.doc, &page.tokens);
    let ranker = &models.ranker;
    let at = |k: usize| tokens.get(k).map(|t| (t.kind, doc.slice(t.span)));
    let lower_word = |k: usize| {
        at(k).is_some_and(|(kind, w)| {
            kind == TokenKind::Word && w.chars().next().is_some_and(char::is_lowercase)
        })
    };
    let mut findings = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if !page.is_free_for(i, pass) || i == 0 {
            continue;
        }
        let sign = |replacement: &str, reason: Reason| {
            Finding::sign(doc, pass, token.span, replacement, ranker, reason)
        };
        let before = at(i - 1);
        let spaced = |k: usize| at(k).is_some_and(|(kind, w)| kind == TokenKind::Space && w == " ");
        let line_break = |k: usize| at(k).is_some_and(|(kind, _)| kind == TokenKind::Newline);
        // A stop after a function word, before the lower-case word it goes on with.
        let after_function_word = |mark: &str| {
            matches!(mark, "." | ":" | ";")
                && matches!(before, Some((TokenKind::Word, w)) if is_function_word(w))
                && (i < 2 || spaced(i - 2) || line_break(i - 2))
                && spaced(i + 1)
                && lower_word(i + 2)
        };
        // No word of running text begins with a dash or an underscore glued to it
        // (`-desempefian`, `_evaluación`); a list's dash is followed by a space.
        let before_word = |mark: &str| {
            matches!(mark, "-" | "_")
                && matches!(before, Some((TokenKind::Space | TokenKind::Newline, _)))
                && lower_word(i + 1)
                && at(i + 1).is_some_and(|(_, w)| w.chars().count() >= 2)
        };
        match at(i) {
            Some((TokenKind::Punct, mark)) if after_function_word(mark) || before_word(mark) => {
                findings.push(sign("", Reason::StrayPunctuation));
            }
            Some((TokenKind::Punct, mark)) if glues_two_words(page, i, mark, models) => {
                findings.push(sign(" ", Reason::GluedWords));
            }
            Some((TokenKind::Punct, "«" | "“" | "\"")) if unclosed_quote(page, i) => {
                findings.push(sign("", Reason::StrayQuote));
            }
            Some((TokenKind::Punct, "‘" | "’" | "'")) => {
                if let Some(replacement) = stray_quote(page, i) {
                    findings.push(sign(replacement, Reason::StrayQuote));
                }
            }
            Some((TokenKind::Symbol, "°")) => {
                let after_number = matches!(before, Some((TokenKind::Number, n)) if n.len() <= 3);
                let after_n = matches!(before, Some((TokenKind::Word, "N" | "n")));
                let next_number = matches!(at(i + 2), Some((TokenKind::Number, _)));
                if spaced(i + 1)
                    && ((after_number && lower_word(i + 2)) || (after_n && next_number))
                {
                    let ordinal = ordinal_for(at(i + 2).map_or("", |(_, w)| w));
                    findings.push(sign(ordinal, Reason::OrdinalSign));
                }
            }
            Some((TokenKind::Number, "0"))
                if spaced(i - 1)
                    && spaced(i + 1)
                    && i >= 2
                    && matches!(at(i - 2), Some((TokenKind::Word, _)))
                    && lower_word(i + 2) =>
            {
                let Some(o) = models.lexicon.exact("o") else {
                    continue;
                };
                let candidate = Candidate {
                    words: Words::one(o),
                    source: Source::Confusion,
                };
                let ranked = ranker.rank("0", &[candidate]);
                findings.push(Finding::new(
                    doc,
                    pass,
                    token.span,
                    ranked,
                    Applicability::Auto,
                    vec![Reason::DigitForLetter, Reason::OcrConfusion],
                ));
            }
            _ => {}
        }
    }
    for f in &findings {
        page.hold_span(f.span, pass);
    }
    findings
}

/// The ordinal indicator for the word it counts: `ª` for a feminine noun (`276ª sesión`,
/// `11ª reunión`), `º` otherwise (`58º período`, `Nº 5`).
fn ordinal_for(next: &str) -> &'static str {
    let next = fold(next);
    if ["a", "ion", "dad", "tud"]
        .iter()
        .any(|end| next.ends_with(end))
    {
        "ª"
    } else {
        "º"
    }
}

/// What the single quote mark at token `i` becomes if it is a speck: at one edge of a word
/// (`‘de`, `el’ Día`) with no partner on its line. UN Spanish quotes with “ ” and « »; a
/// lone ‘ or ’ opens or closes nothing (a mark inside a word, `d’Ivoire`, is not at an edge).
/// It goes, or becomes a space where it stood between a mark and a word (`1946,’con`). Two
/// quote marks in a row are left alone.
fn stray_quote(page: &Page, i: usize) -> Option<&'static str> {
    let tokens = &page.tokens;
    let kind = |k: Option<usize>| k.and_then(|k| tokens.get(k)).map(|t| t.kind);
    let is_word = |k: Option<usize>| kind(k) == Some(TokenKind::Word);
    let is_space = |k: Option<usize>| {
        kind(k).is_none_or(|kind| matches!(kind, TokenKind::Space | TokenKind::Newline))
    };
    let is_mark = |k: Option<usize>| {
        k.is_some_and(|k| {
            kind(Some(k)) == Some(TokenKind::Punct)
                && !matches!(page.slice(k), "‘" | "’" | "'" | "“" | "”" | "\"")
        })
    };
    let (before, after) = (i.checked_sub(1), Some(i + 1));
    let (opening, replacement) = if is_word(after) && is_space(before) {
        (true, "")
    } else if is_word(after) && is_mark(before) {
        (true, " ")
    } else if is_word(before) && (is_space(after) || is_mark(after)) {
        (false, "")
    } else {
        return None;
    };
    let partner_on_line = |range: &mut dyn Iterator<Item = usize>, partners: &[&str]| {
        range
            .take_while(|&k| tokens[k].kind != TokenKind::Newline)
            .any(|k| tokens[k].kind == TokenKind::Punct && partners.contains(&page.slice(k)))
    };
    let paired = if opening {
        partner_on_line(&mut (i + 1..tokens.len()), &["’", "'"])
    } else {
        partner_on_line(&mut (0..i).rev(), &["‘", "'"])
    };
    (!paired).then_some(replacement)
}

/// Whether the double quote mark at token `i` opens a word (a space or the start of a line
/// before it, a word after) with no quote mark of any kind after it in its paragraph: a
/// speck (`«ampliarse`, `“de`). A quotation closes in the paragraph that opens it, and OCR
/// reads its closing mark as any of them (`»`, `”`, `“`, `"`), or as `™`, `'` or `!`
/// (`"habitaciones de hotel!`), so any later one protects it. A blank line after no
/// sentence's end (`Great`, `órga-`, a title's `órganos`) may break a paragraph or end a
/// heading whose closing mark OCR lost: the quote stays.
fn unclosed_quote(page: &Page, i: usize) -> bool {
    const QUOTES: &[&str] = &["«", "»", "“", "”", "\"", "„", "‟", "™", "'", "’", "‘", "!"];
    let tokens = &page.tokens;
    let opens_word = matches!(tokens[i - 1].kind, TokenKind::Space | TokenKind::Newline)
        && tokens.get(i + 1).is_some_and(|t| t.kind == TokenKind::Word);
    if !opens_word {
        return false;
    }
    let mut line_breaks = 0;
    let mut sentence_ended = false;
    for token in &tokens[i + 1..] {
        let text = page.doc.slice(token.span);
        match token.kind {
            TokenKind::Newline => {
                line_breaks += text.matches(['\n', '\r']).count() - text.matches("\r\n").count();
                if line_breaks >= 2 {
                    return sentence_ended;
                }
            }
            TokenKind::Space => {}
            _ if QUOTES.contains(&text) => return false,
            kind => {
                line_breaks = 0;
                sentence_ended = kind == TokenKind::Punct && matches!(text, "." | "?" | ":");
            }
        }
    }
    true
}

/// Whether the mark at token `i` joins two words that a speck glued together (`países.que`,
/// `redacción:de`, `se’celebrará`, `la-reunión`): a word on each side with no space, the
/// second in lower case, one of them at least three letters long. A hyphen only counts next
/// to an article, preposition or conjunction (`político-militares` is a compound).
fn glues_two_words(page: &Page, i: usize, mark: &str, models: &Models) -> bool {
    const GLUE: &[&str] = &[".", ":", ";", ",", "'", "’", "‘", "-"];
    let tokens = &page.tokens;
    if i == 0 || i + 1 >= tokens.len() || !GLUE.contains(&mark) {
        return false;
    }
    let (a_kind, b_kind) = (tokens[i - 1].kind, tokens[i + 1].kind);
    let (a, b) = (page.slice(i - 1), page.slice(i + 1));
    // A number glued to a function word by a speck (`el 7.del reglamento`, `el 6:de octubre`);
    // not to a letter alone, which may be an ordinal's (`1.a`).
    if a_kind == TokenKind::Number && b_kind == TokenKind::Word {
        return matches!(mark, "." | "," | ":" | ";")
            && b.chars().count() >= 2
            && b.chars().all(char::is_lowercase)
            && is_function_word(b);
    }
    if a_kind != TokenKind::Word || b_kind != TokenKind::Word {
        return false;
    }
    // On a page whose marks inside words stand for lost letters by habit (a carbon copy's
    // `de:echo`, derecho), a mark between two words is a letter far more often than a speck
    // (typewritten matrix: 268 such splits wrong for 16 right); `marked_words` takes it.
    if mark != "-" && models.loses_letters_to_marks() {
        return false;
    }
    // Two short words glued are no compound when both are function words (`y-la`, `de.la`).
    let long_enough = a.chars().count() >= 3
        || b.chars().count() >= 3
        || is_function_word(a) && is_function_word(b);
    let lower_after = b.chars().next().is_some_and(char::is_lowercase);
    let hyphen_ok = mark != "-" || is_function_word(a) || is_function_word(b);
    long_enough && lower_after && hyphen_ok
}
