//! Detection: which tokens are suspicious, and which must never be touched. Protected are
//! numbers, URLs, e-mail addresses, UN document symbols (`A/75/816`, `S/RES/2532 (2020)`),
//! identifiers glued to digits (`COVID-19`), short all-capital acronyms and single letters.
//! Capitalised unknown words (names) are not protected here: they may only take cheap OCR or
//! accent repairs, which `decide` enforces.

use crate::span::ByteSpan;
use crate::tokenize::{Case, Token, TokenKind};
use regex::Regex;
use std::sync::OnceLock;

/// All-capital words up to this many letters are acronyms (ONU, ACNUR, CEDAW).
pub const MAX_ACRONYM_LEN: usize = 6;

// No Unicode `\b`: it keeps the regex engine off its fast DFA on non-ASCII text. The last
// pattern needs none (a leftmost `\w+` starts at the word's start anyway).
fn protected_patterns() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?:https?://|www\.)\S+",                                           // URLs
            r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",                                    // e-mail
            r"|(?-u:\b)[A-Z]{1,8}(?:/[A-Z0-9][A-Za-z0-9.\-]*)+(?:\s\(\d{4}\))?", // UN symbols
            r"|\w+(?:[-/]\w+)*[-/]\d[\w\-/]*", // COVID-19, G-20, 2020/21
        ))
        .expect("valid regex")
    })
}

/// Byte spans of the text that no edit may touch.
pub fn protected_spans(text: &str) -> Vec<ByteSpan> {
    protected_patterns()
        .find_iter(text)
        .map(|m| ByteSpan::new(m.start(), m.end()))
        .collect()
}

/// Why a token was looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suspicion {
    /// A word the lexicon does not know.
    UnknownWord,
    /// Letters run together with digits or a stray `]`/`|`, as OCR makes of `situación` →
    /// `situaci6n` or `El` → `E]`.
    LettersAndDigits,
}

/// Whether `token` deserves candidates, given the protected spans (sorted) and whether the
/// lexicon knows a word (NFC) as written.
pub fn suspicion(
    text: &str,
    token: &Token,
    protected: &[ByteSpan],
    known: impl FnOnce(&str) -> bool,
) -> Option<Suspicion> {
    let word = token.span.get(text)?;
    let kind = match token.kind {
        TokenKind::Word => Suspicion::UnknownWord,
        TokenKind::Mixed
            if word.contains([']', '|'])
                || word.chars().filter(|c| c.is_alphabetic()).count() >= 3 =>
        {
            Suspicion::LettersAndDigits
        }
        _ => return None,
    };
    // Single letters are left alone, but for an accented one, which no Spanish word is
    // (`á` for the preposition a): `ó` between numbers is in the lexicon.
    let accented_letter = || crate::lexicon::fold(word) != word.to_lowercase();
    if word.chars().count() < 2 && !(kind == Suspicion::UnknownWord && accented_letter())
        || is_protected(token.span, protected)
    {
        return None;
    }
    let case = Case::of(word);
    if case == Case::Upper
        && word.chars().count() <= MAX_ACRONYM_LEN
        && kind == Suspicion::UnknownWord
    {
        return None;
    }
    if kind == Suspicion::UnknownWord && known(&nfc(word)) {
        return None;
    }
    Some(kind)
}

pub fn is_protected(span: ByteSpan, protected: &[ByteSpan]) -> bool {
    let i = protected.partition_point(|p| p.end <= span.start);
    protected.get(i).is_some_and(|p| p.overlaps(span))
}

/// The NFC form of a token, borrowed when it already is NFC (nearly always).
pub fn nfc(word: &str) -> std::borrow::Cow<'_, str> {
    // ASCII is NFC: most words skip the normalisation tables.
    if word.is_ascii()
        || unicode_normalization::is_nfc_quick(word.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        word.into()
    } else {
        unicode_normalization::UnicodeNormalization::nfc(word)
            .collect::<String>()
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_symbols_urls_and_identifiers_are_protected() {
        let text = "véase A/75/816 y S/RES/2532 (2020), la COVID-19 y www.un.org/es hoy";
        let spans: Vec<&str> = protected_spans(text)
            .iter()
            .map(|s| s.get(text).unwrap())
            .collect();
        assert_eq!(
            spans,
            vec!["A/75/816", "S/RES/2532 (2020)", "COVID-19", "www.un.org/es"]
        );
    }
}
