//! `Page`: the one view of a document every pass takes — its tokens, what is protected, which
//! tokens are suspects, which pass holds each token — and the questions passes ask of a
//! token's surroundings.

use super::finding::Pass;
use super::precedence::yields_to;
use crate::context::{LINE_END, LINE_START};
use crate::detect::{self, Suspicion};
use crate::document::Document;
use crate::lexicon::fold_into;
use crate::span::ByteSpan;
use crate::tokenize::{tokenize, Token, TokenKind};

/// From this confidence (0 to 1) on, a layout file's engine was sure of a word.
pub const HIGH_CONFIDENCE: f32 = 0.95;

pub struct Page<'d> {
    pub doc: &'d Document,
    pub tokens: Vec<Token>,
    /// Spans no edit may touch (sorted): UN symbols, URLs, identifiers.
    pub protected: Vec<ByteSpan>,
    /// Per token: why it deserves candidates, if it does.
    pub suspects: Vec<Option<Suspicion>>,
    /// Per token: the pass whose finding holds it (see `precedence`).
    holders: Vec<Option<Pass>>,
}

impl<'d> Page<'d> {
    /// The page of `doc`; `is_word` says whether the lexicon knows a word (NFC) as written.
    pub fn new(doc: &'d Document, mut is_word: impl FnMut(&str) -> bool) -> Page<'d> {
        let text = doc.text.as_str();
        let tokens = tokenize(text);
        let protected = detect::protected_spans(text);
        let suspects = tokens
            .iter()
            .map(|t| detect::suspicion(text, t, &protected, &mut is_word))
            .collect();
        Page {
            holders: vec![None; tokens.len()],
            doc,
            tokens,
            protected,
            suspects,
        }
    }

    pub fn text(&self) -> &'d str {
        &self.doc.text
    }

    /// The text of token `i`.
    pub fn slice(&self, i: usize) -> &'d str {
        self.doc.slice(self.tokens[i].span)
    }

    pub fn is_protected(&self, i: usize) -> bool {
        detect::is_protected(self.tokens[i].span, &self.protected)
    }

    /// Whether the OCR engine was sure of token `i` (`HIGH_CONFIDENCE`): a real word it read
    /// so needs a reviewer before it is changed into another.
    pub fn engine_sure(&self, i: usize) -> bool {
        self.confidence(i).is_some_and(|c| c >= HIGH_CONFIDENCE)
    }

    /// How sure the OCR engine was of token `i` (the least sure of the layout words it lies
    /// in), when the document came from a layout file that says.
    pub fn confidence(&self, i: usize) -> Option<f32> {
        let words = self.doc.words_in(self.tokens[i].span);
        words
            .iter()
            .filter_map(|w| w.confidence)
            .min_by(f32::total_cmp)
    }

    /// Whether `pass` may look at token `i`: no pass it yields to holds it.
    pub fn is_free_for(&self, i: usize, pass: Pass) -> bool {
        self.holders[i].is_none_or(|holder| !yields_to(pass, holder))
    }

    /// Token `i` is held by `pass` (unless an earlier finding holds it already).
    pub fn hold(&mut self, i: usize, pass: Pass) {
        self.holders[i].get_or_insert(pass);
    }

    /// Every token inside `span` is held by `pass`.
    pub fn hold_span(&mut self, span: ByteSpan, pass: Pass) {
        let first = self.tokens.partition_point(|t| t.span.end <= span.start);
        for i in first..self.tokens.len() {
            if self.tokens[i].span.start >= span.end {
                break;
            }
            self.hold(i, pass);
        }
    }

    /// The words the lexicon knows, as written.
    pub fn known_words(&self) -> impl Iterator<Item = &'d str> + Clone + '_ {
        (0..self.tokens.len())
            .filter(|&i| self.tokens[i].kind == TokenKind::Word && self.suspects[i].is_none())
            .map(|i| self.slice(i))
    }

    /// Whether token `i` starts a sentence (or a heading, or the document).
    pub fn sentence_start(&self, i: usize) -> bool {
        let mut newline = false;
        for (k, t) in self.tokens[..i].iter().enumerate().rev() {
            match t.kind {
                TokenKind::Space => continue,
                TokenKind::Newline => {
                    newline = true;
                    continue;
                }
                TokenKind::Punct => {
                    return matches!(
                        self.slice(k),
                        "." | "!" | "?" | "¿" | "¡" | ":" | "(" | "«" | "“" | "\"" | "["
                    ) || newline;
                }
                TokenKind::Number => return true,
                _ => return false,
            }
        }
        true
    }

    /// Whether the word before token `i` (on any line) begins with a lower-case letter.
    pub fn after_lower_case_word(&self, i: usize) -> bool {
        (0..i)
            .rev()
            .find(|&k| !matches!(self.tokens[k].kind, TokenKind::Space | TokenKind::Newline))
            .is_some_and(|k| {
                self.tokens[k].kind == TokenKind::Word
                    && self.slice(k).chars().next().is_some_and(char::is_lowercase)
            })
    }

    /// The context model's view of what stands left and right of token `i`: the nearest word
    /// (folded) or punctuation mark on each side; line breaks are layout, not context.
    pub fn neighbours(&self, i: usize) -> (String, String) {
        let (mut left, mut right) = (String::new(), String::new());
        self.neighbours_into(i, &mut left, &mut right);
        (left, right)
    }

    /// [`Page::neighbours`] written into `left` and `right` (every word with accent twins
    /// asks).
    pub fn neighbours_into(&self, i: usize, left: &mut String, right: &mut String) {
        let seen =
            |k: &usize| !matches!(self.tokens[*k].kind, TokenKind::Space | TokenKind::Newline);
        let view = |k: Option<usize>, out: &mut String, none: &str| {
            out.clear();
            match k {
                Some(k) => fold_into(self.slice(k), out),
                None => out.push_str(none),
            }
        };
        view((0..i).rev().find(seen), left, LINE_START);
        view((i + 1..self.tokens.len()).find(seen), right, LINE_END);
    }
}

/// The neighbours of the first occurrence of `word` in `text`, as the context model sees them.
pub fn neighbours_in(text: &str, word: &str) -> Option<(String, String)> {
    let doc = Document::new("", text);
    let page = Page::new(&doc, |_| true);
    let i = (0..page.tokens.len()).find(|&i| page.slice(i) == word)?;
    Some(page.neighbours(i))
}
