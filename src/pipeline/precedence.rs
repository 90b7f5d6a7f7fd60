//! Precedence between the passes: which pass speaks for a piece of text. One rule, in two
//! parts:
//!
//! 1. **Holding.** Passes run in the order of [`Pass`]; what a pass finds, it holds, and a
//!    later pass does not look at a token held by a pass it yields to ([`yields_to`]).
//!    Every pass yields to broken words, whose joins change where words begin and end; the
//!    word passes (unknown words, confusable words, accent twins) yield to each other in
//!    order, so a word gets one finding.
//! 2. **Overlaps.** Passes that yield to fewer see through the others' holds: a tail of
//!    specks covers whatever scraps it spans (`. íú ,`: the unknown `íú` goes with it). Where
//!    two findings overlap, the one that begins first stands ([`resolve`]): a tail supersedes
//!    the findings inside it, and gives way to one begun before it that reaches into it.
//!    Edge specks are not resolved yet: one may coincide with a tail's last speck, and
//!    `apply_edits` then applies the first of the two.

use super::finding::{Finding, Pass};

/// Whether `pass` leaves alone a token that `holder` holds.
pub fn yields_to(pass: Pass, holder: Pass) -> bool {
    let word_pass = |p: Pass| {
        matches!(
            p,
            Pass::UnknownWords | Pass::ConfusableWords | Pass::AccentTwins
        )
    };
    holder == Pass::BrokenWords || (word_pass(pass) && word_pass(holder) && holder < pass)
}

/// Whether findings of `pass` take part in overlap resolution.
fn resolved(pass: Pass) -> bool {
    pass != Pass::EdgeSpecks
}

/// The findings with those that lose an overlap (see the module's rule) left out, in the
/// order given.
pub fn resolve(findings: Vec<Finding>) -> Vec<Finding> {
    let mut order: Vec<usize> = (0..findings.len())
        .filter(|&i| resolved(findings[i].pass))
        .collect();
    // By start; at the same start the wider, then the earlier pass.
    order.sort_by_key(|&i| {
        let f = &findings[i];
        (f.span.start, std::cmp::Reverse(f.span.end), f.pass)
    });
    let mut stands = vec![true; findings.len()];
    let mut reach = 0;
    for i in order {
        let span = findings[i].span;
        if span.start < reach {
            stands[i] = false;
        } else {
            reach = span.end;
        }
    }
    findings
        .into_iter()
        .zip(stands)
        .filter_map(|(f, stands)| stands.then_some(f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::Applicability;
    use crate::span::ByteSpan;

    fn finding(pass: Pass, start: usize, end: usize) -> Finding {
        Finding {
            span: ByteSpan::new(start, end),
            original: String::new(),
            alternatives: Vec::new(),
            applicability: Applicability::Auto,
            reasons: Vec::new(),
            pass,
        }
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
    fn the_finding_begun_first_stands() {
        let tail = finding(Pass::NoiseTails, 10, 20);
        let inside = finding(Pass::UnknownWords, 12, 14);
        let before = finding(Pass::UnknownWords, 5, 11);
        let kept = resolve(vec![inside.clone(), tail.clone()]);
        let tails = vec![tail.clone()];
        assert_eq!(kept, tails, "a tail supersedes what lies inside it");
        let kept = resolve(vec![before.clone(), tail, inside.clone()]);
        assert_eq!(kept, [before, inside], "a finding begun before a tail wins");
    }
}
