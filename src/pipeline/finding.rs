//! What the passes hand on: a `Finding` per suspicious place (span, ranked alternatives,
//! applicability, reasons, and the `Pass` that found it).

use crate::decide::{Applicability, Reason};
use crate::document::Document;
use crate::rank::{Ranked, Ranker};
use crate::span::ByteSpan;

/// The passes of the pipeline, each one kind of damage, in the order they run (see
/// `precedence` for which of them speaks for a piece of text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pass {
    /// Words split by a space or hyphenated at a line end (`tecnolo gias`, `docu-⏎mentos`).
    BrokenWords,
    /// Letters faded or broken into marks (`muje:es`, `|ambién`).
    MarkedWords,
    /// Words the lexicon does not know, and letters mixed with digits (`informacién`).
    UnknownWords,
    /// Real words one OCR confusion from a likelier word this page's OCR misreads (`Ja`).
    ConfusableWords,
    /// Real words whose accent twin the page more likely said (`practica`, `periodo`).
    AccentTwins,
    /// Real words the OCR engine doubted (layout files), a likelier word proposed.
    DoubtfulWords,
    /// Signs and specks between words (`11°`, `de. la`, `países.que`, `‘de`).
    Signs,
    /// Specks after a sentence's end at a line end (`falsificado. S Sn . :`).
    NoiseTails,
    /// A mark alone at a line's start or end (`* los`, `Miembros *`).
    EdgeSpecks,
}

/// One suspicious place and what ocrqa proposes for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub span: ByteSpan,
    pub original: String,
    /// Best first; empty when nothing fits.
    pub alternatives: Vec<Ranked>,
    pub applicability: Applicability,
    pub reasons: Vec<Reason>,
    pub pass: Pass,
}

impl Finding {
    pub fn new(
        doc: &Document,
        pass: Pass,
        span: ByteSpan,
        alternatives: Vec<Ranked>,
        applicability: Applicability,
        reasons: Vec<Reason>,
    ) -> Finding {
        Finding {
            span,
            original: doc.slice(span).to_string(),
            alternatives,
            applicability,
            reasons,
            pass,
        }
    }

    /// An automatic repair of a sign or speck: the text at `span` becomes `replacement`,
    /// priced by the error model.
    pub fn sign(
        doc: &Document,
        pass: Pass,
        span: ByteSpan,
        replacement: &str,
        ranker: &Ranker,
        reason: Reason,
    ) -> Finding {
        let observed = doc.slice(span);
        let cost = ranker.errors.cost(observed, replacement, ranker.costs);
        let ranked = vec![Ranked::sign(observed, replacement, cost)];
        Finding::new(doc, pass, span, ranked, Applicability::Auto, vec![reason])
    }

    pub fn proposal(&self) -> Option<&str> {
        self.alternatives.first().map(|r| r.text.as_str())
    }

    /// The finding over `span`, which covers its own: each alternative takes the text around
    /// it.
    fn widen(&mut self, doc: &Document, span: ByteSpan) {
        let before = doc.slice(ByteSpan::new(span.start, self.span.start));
        let after = doc.slice(ByteSpan::new(self.span.end, span.end));
        for alternative in &mut self.alternatives {
            alternative.text = format!("{before}{}{after}", alternative.text);
        }
        self.original = doc.slice(span).to_string();
        self.span = span;
    }

    /// Takes in `other`, which overlaps it: over their joint span, this finding's proposals
    /// first, then the other's it lacks; its reasons it lacks too.
    pub fn absorb(&mut self, doc: &Document, mut other: Finding) {
        let span = self.span.cover(other.span);
        self.widen(doc, span);
        other.widen(doc, span);
        for alternative in other.alternatives {
            if !self.alternatives.iter().any(|a| a.text == alternative.text) {
                self.alternatives.push(alternative);
            }
        }
        for reason in other.reasons {
            if !self.reasons.contains(&reason) {
                self.reasons.push(reason);
            }
        }
    }
}
