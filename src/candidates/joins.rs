//! Joins: a word split by the OCR (`tecnolo gias`) or hyphenated at a line end (`docu-⏎mentos`)
//! is one word again; a compound broken at a line end (`político-⏎militares`) keeps its hyphen.

use super::{Candidate, Generator, Source, Words};
use crate::detect::nfc;
use crate::lexicon::EntryId;
use crate::span::ByteSpan;
use crate::spanish::is_function_word;
use crate::tokenize::{Case, Token, TokenKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JoinKind {
    /// Pieces separated by whitespace.
    Space,
    /// First piece ends in a hyphen at a line end.
    Hyphen,
}

/// Two word tokens that may be one word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinSite {
    pub span: ByteSpan,
    /// Token indices of the first and the second piece.
    pub first: usize,
    pub second: usize,
    pub kind: JoinKind,
}

pub(crate) fn is_hyphen(s: &str) -> bool {
    matches!(s, "-" | "\u{2010}" | "\u{00AD}" | "¬")
}

/// A piece of a broken word: letters, or letters OCR mixed with digits (`for-⏎mulaci6n`).
fn is_piece(kind: TokenKind) -> bool {
    matches!(kind, TokenKind::Word | TokenKind::Mixed)
}

/// Every place where two word tokens could be joined: `a -⏎ b`, `a ⏎ b` or `a b`, with `b`
/// starting lower-case (a split word does not continue with a capital). Sites across a space
/// or line break are kept only if `space_worth(a, b)` (token indices): a batch has one
/// between nearly every two words.
pub fn sites(
    text: &str,
    tokens: &[Token],
    space_worth: impl Fn(usize, usize) -> bool,
) -> Vec<JoinSite> {
    let mut out = Vec::new();
    for i in 0..tokens.len() {
        if !is_piece(tokens[i].kind) {
            continue;
        }
        let at = |k: usize| tokens.get(k).map(|t| (t.kind, t.span.of(text)));
        let speck = |k: usize| matches!(at(k), Some((TokenKind::Punct | TokenKind::Symbol, m)) if m.chars().count() == 1);
        let space = |k: usize| matches!(at(k), Some((TokenKind::Space, " ")));
        let (kind, second) = match (at(i + 1), at(i + 2), at(i + 3)) {
            (Some((TokenKind::Punct, h)), _, _) if is_hyphen(h) => {
                // A speck may stand between the hyphen and the line break, or after the
                // break, as a degraded scan leaves one: `ce- *⏎lebrará`, `pe-⏎- didos`,
                // `Silves-⏎"tres`.
                let mut k = i + 2;
                if space(k) && speck(k + 1) {
                    k += 2;
                }
                if !matches!(at(k), Some((TokenKind::Newline, _))) {
                    continue;
                }
                k += 1;
                if speck(k) && space(k + 1) {
                    k += 2;
                } else if speck(k) && at(k + 1).is_some_and(|(kind, _)| is_piece(kind)) {
                    k += 1;
                }
                if !at(k).is_some_and(|(kind, _)| is_piece(kind)) {
                    continue;
                }
                (JoinKind::Hyphen, k)
            }
            (Some((TokenKind::Space | TokenKind::Newline, ws)), Some((kind, _)), _)
                if ws.chars().count() <= 2 && is_piece(kind) && space_worth(i, i + 2) =>
            {
                (JoinKind::Space, i + 2)
            }
            _ => continue,
        };
        let b = tokens[second].span.of(text);
        if b.chars().next().is_some_and(char::is_uppercase) && Case::of(b) != Case::Upper {
            continue;
        }
        out.push(JoinSite {
            span: tokens[i].span.cover(tokens[second].span),
            first: i,
            second,
            kind,
        });
    }
    out
}

impl Generator<'_> {
    /// Candidates for a join site whose pieces are `a` and `b` (NFC): the joined word, exact or
    /// with accent and OCR repairs (no generic edits: a join must explain itself), and for a
    /// line-end hyphen between two words, the hyphenated compound.
    pub fn for_join(&self, a: &str, b: &str, kind: JoinKind, out: &mut Vec<Candidate>) {
        let joined = format!("{a}{b}");
        let source = match kind {
            JoinKind::Space => Source::Join,
            JoinKind::Hyphen => Source::Hyphenation,
        };
        let mut single = Vec::new();
        self.for_word_cheap(&joined, &mut single);
        out.extend(single.into_iter().map(|c| Candidate {
            words: c.words,
            source,
        }));
        if kind == JoinKind::Hyphen {
            // Each half as written, or its accent and OCR repairs (`politico-⏎militares`).
            let halves = |piece: &str| match self.lexicon.known(&nfc(piece)) {
                Some(id) => vec![id],
                None => {
                    let mut c = Vec::new();
                    self.for_word_cheap(piece, &mut c);
                    c.into_iter()
                        .filter_map(|c| (c.words.len() == 1).then(|| c.words[0]))
                        .take(3)
                        .collect()
                }
            };
            // Compounds join content words: `niños-⏎que` is no compound.
            let content = |id: &EntryId| !is_function_word(self.lexicon.text(*id));
            for x in halves(a).into_iter().filter(content) {
                for y in halves(b).into_iter().filter(content) {
                    out.push(Candidate {
                        words: Words::two(x, y),
                        source: Source::Compound,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    fn site_texts(text: &str) -> Vec<(String, JoinKind)> {
        let tokens = tokenize(text);
        sites(text, &tokens, |_, _| true)
            .into_iter()
            .map(|s| (s.span.get(text).unwrap().to_string(), s.kind))
            .collect()
    }

    #[test]
    fn finds_hyphen_and_space_sites() {
        let found = site_texts(
            "las docu-\nmentos tecnolo gias Naciones Unidas ce- *\nlebrará la for-\nmulaci6n Silves-\n“tres",
        );
        assert!(found.contains(&("for-\nmulaci6n".to_string(), JoinKind::Hyphen)));
        assert!(found.contains(&("docu-\nmentos".to_string(), JoinKind::Hyphen)));
        assert!(found.contains(&("ce- *\nlebrará".to_string(), JoinKind::Hyphen)));
        assert!(found.contains(&("Silves-\n“tres".to_string(), JoinKind::Hyphen)));
        assert!(found.contains(&("tecnolo gias".to_string(), JoinKind::Space)));
        assert!(
            !found.iter().any(|(s, _)| s == "Naciones Unidas"),
            "capital second piece"
        );
    }
}
