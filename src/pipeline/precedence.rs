//! Precedence between the passes: which pass speaks for a piece of text. One rule, in two
//! parts:
//!
//! 1. **Holding.** Passes run in the order of [`Pass`]; what a pass finds, it holds, and a
//!    later pass does not look at a token held by a pass it yields to ([`yields_to`]).
//!    Every pass yields to broken and marked words, which change where words begin and end;
//!    the word passes (marked words, unknown words, confusable words, accent twins) yield to
//!    each other in order, so a word gets one finding.
//! 2. **Overlaps.** Passes that yield to fewer see through the others' holds: a tail of
//!    specks covers whatever scraps it spans (`. íú ,`: the unknown `íú` goes with it), an
//!    edge speck may be a tail's last speck. Where two findings overlap, they become one
//!    ([`resolve`]): the one that begins first (at the same start the wider, then the earlier
//!    pass) leads, and the other's proposals join it as alternatives over their joint span. So
//!    no two findings — no two review items — overlap, and each decision stands on its own.

use super::finding::{Finding, Pass};
use crate::document::Document;

/// Whether `pass` leaves alone a token that `holder` holds.
pub fn yields_to(pass: Pass, holder: Pass) -> bool {
    let word_pass = |p: Pass| {
        matches!(
            p,
            Pass::MarkedWords
                | Pass::UnknownWords
                | Pass::ConfusableWords
                | Pass::AccentTwins
                | Pass::DoubtfulWords
        )
    };
    let reshapes = |p: Pass| matches!(p, Pass::BrokenWords | Pass::MarkedWords);
    (reshapes(holder) && holder <= pass) || (word_pass(pass) && word_pass(holder) && holder < pass)
}

/// The findings made one where they overlap (see the module's rule), in text order.
pub fn resolve(doc: &Document, findings: Vec<Finding>) -> Vec<Finding> {
    let mut findings = findings;
    // By start; at the same start the wider, then the earlier pass.
    findings.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end), f.pass));
    let mut resolved: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        match resolved.last_mut() {
            Some(leader) if f.span.start < leader.span.end => leader.absorb(doc, f),
            _ => resolved.push(f),
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::Applicability;
    use crate::rank::Ranked;
    use crate::span::ByteSpan;

    const TEXT: &str = "abcdefghijklmnopqrstuvwxyz";

    fn finding(pass: Pass, start: usize, end: usize, proposal: &str) -> Finding {
        let doc = Document::new("t", TEXT);
        let span = ByteSpan::new(start, end);
        let ranked = vec![Ranked::sign(span.of(TEXT), proposal, 0.0)];
        Finding::new(&doc, pass, span, ranked, Applicability::Auto, Vec::new())
    }

    fn texts(f: &Finding) -> Vec<&str> {
        f.alternatives.iter().map(|a| a.text.as_str()).collect()
    }

    #[test]
    fn every_pass_yields_to_joins_and_word_passes_to_earlier_ones() {
        for pass in [Pass::UnknownWords, Pass::Signs, Pass::NoiseTails] {
            assert!(yields_to(pass, Pass::BrokenWords));
        }
        assert!(yields_to(Pass::AccentTwins, Pass::ConfusableWords));
        assert!(!yields_to(Pass::ConfusableWords, Pass::AccentTwins));
        assert!(
            !yields_to(Pass::NoiseTails, Pass::UnknownWords),
            "tails see through"
        );
    }

    #[test]
    fn overlapping_findings_become_one_led_by_the_first() {
        let doc = Document::new("t", TEXT);
        let tail = finding(Pass::NoiseTails, 10, 20, "");
        let inside = finding(Pass::UnknownWords, 12, 14, "X");
        let resolved = resolve(&doc, vec![inside.clone(), tail.clone()]);
        assert_eq!(resolved.len(), 1, "a tail takes in what lies inside it");
        assert_eq!(resolved[0].span, tail.span);
        assert_eq!(texts(&resolved[0]), ["", "klXopqrst"]);
        let before = finding(Pass::UnknownWords, 5, 11, "Y");
        let resolved = resolve(&doc, vec![before, tail, inside]);
        assert_eq!(resolved.len(), 1);
        assert_eq!(resolved[0].original, "fghijklmnopqrst");
        assert_eq!(
            resolved[0].pass,
            Pass::UnknownWords,
            "the finding begun first leads"
        );
        assert_eq!(
            texts(&resolved[0]),
            ["Ylmnopqrst", "fghij", "fghijklXopqrst"]
        );
    }

    #[test]
    fn findings_apart_stay_apart() {
        let doc = Document::new("t", TEXT);
        let (a, b) = (
            finding(Pass::Signs, 0, 2, ""),
            finding(Pass::Signs, 2, 4, ""),
        );
        assert_eq!(resolve(&doc, vec![b.clone(), a.clone()]), [a, b]);
    }
}
