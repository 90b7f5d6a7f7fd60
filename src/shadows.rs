//! OCR shadows: real words that are, in this document, likely misreadings of another word —
//! `Ja` for la, `facilité` for facilitó in a page whose OCR reads ó as é. No lexicon can see
//! them; the document's own habits can. Its sure repairs (automatic repairs of unknown words)
//! say how often it made each confusion of the error model; that rate is the channel of a
//! noisy-channel comparison between the word as written and each word one confusion away:
//!
//! `log-odds(v over w) = ln P(v)/P(w) + ln rate(confusion)`, unless an accent twin of `w` has
//! better odds (`entré` is entre, not entró).
//!
//! A confusion the document never made surely has no rate, so a clean page gets no shadow.

use crate::analyze::{Engine, Finding, Profile};
use crate::decide::{close_runners_up_are_guesses, Applicability, Reason};
use crate::errmodel::{Rewrite, Step};
use crate::lexicon::EntryId;
use serde::{Deserialize, Serialize};

/// Sure repairs of a confusion a document needs before its real words are suspected of it:
/// one could be chance.
pub const MIN_SURE_REPAIRS: usize = 2;
/// Pseudo-opportunities added to a rate's denominator: a short document must not look
/// error-ridden because of its first two repairs.
pub const RATE_SMOOTHING: f64 = 20.0;
/// Odds from which a shadow is proposed for review...
pub const SHADOW_REVIEW_ODDS: f64 = 1.0;
/// ... and from which it is applied automatically (a single candidate).
pub const SHADOW_AUTO_ODDS: f64 = 4.0;

/// How often this document's OCR made one confusion of the error model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfusionRate {
    /// What the OCR printed (lower case), as in the confusion table.
    pub observed: String,
    /// What the page said.
    pub intended: String,
    /// Automatic repairs of unknown words in the document that undid this confusion.
    pub repairs: usize,
    /// How often the intended text stands in the document's known words, plus the repairs.
    pub opportunities: usize,
    /// Share of the opportunities the OCR misread, smoothed (see `RATE_SMOOTHING`).
    pub rate: f64,
}

/// Rates of the confusions the sure repairs in `findings` undid at least `MIN_SURE_REPAIRS`
/// times; `known_words` are the document's words the lexicon knows, as written (the table
/// is in lower case, so a capital's opportunity is not counted: they are few).
pub fn confusion_rates<'w>(
    findings: &[Finding],
    known_words: impl Iterator<Item = &'w str> + Clone,
) -> Vec<ConfusionRate> {
    let mut repairs: Vec<((String, String), usize)> = Vec::new();
    let sure = findings.iter().filter(|f| {
        f.applicability == Applicability::Auto
            && f.reasons
                .iter()
                .any(|r| matches!(r, Reason::UnknownWord | Reason::LettersAndDigits))
    });
    for f in sure {
        let Some(best) = f.alternatives.first() else {
            continue;
        };
        for step in &best.steps {
            if let Step::Confusion { observed, intended } = step {
                let key = (observed.clone(), intended.clone());
                match repairs.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, n)) => *n += 1,
                    None => repairs.push((key, 1)),
                }
            }
        }
    }
    let mut rates: Vec<ConfusionRate> = repairs
        .into_iter()
        .filter(|&(_, n)| n >= MIN_SURE_REPAIRS)
        .map(|((observed, intended), n)| {
            // A single character is counted as one, without setting up a search per word.
            let mut chars = intended.chars();
            let standing: usize = match (chars.next(), chars.next()) {
                (None, _) => 0,
                (Some(c), None) => known_words.clone().map(|w| w.matches(c).count()).sum(),
                _ => known_words
                    .clone()
                    .map(|w| w.matches(intended.as_str()).count())
                    .sum(),
            };
            let opportunities = standing + n;
            ConfusionRate {
                rate: n as f64 / (opportunities as f64 + RATE_SMOOTHING),
                observed,
                intended,
                repairs: n,
                opportunities,
            }
        })
        .collect();
    rates.sort_by(|a, b| {
        b.rate
            .total_cmp(&a.rate)
            .then_with(|| (&a.observed, &a.intended).cmp(&(&b.observed, &b.intended)))
    });
    rates
}

/// The page's rate of the confusion `observed` → `intended`, if its sure repairs made one.
fn rate_of<'r>(
    rates: &'r [ConfusionRate],
    observed: &str,
    intended: &str,
) -> Option<&'r ConfusionRate> {
    rates
        .iter()
        .find(|r| r.observed == observed && r.intended == intended)
}

/// A page whose share of dropped accents reaches this drops them by habit.
pub const HABITUAL_DROP_RATE: f64 = 0.5;

/// ln of the relative frequency (1 in 100,000: Zipf 4) from which a possible name's repair
/// counts as a common word (`Iran`: Irán, `Dia`: Día) that page habits may settle. Rarer
/// accented names in the lexicon are often not how the UN spells them (`Bangui`, not Banguí).
pub const COMMON_NAME_LOG_PROB: f64 = -11.51;

/// Whether the page's own habits settle a repair of an unknown word that only a close
/// runner-up held back from being automatic (`inform6`: informó, or informe by a generic
/// edit). They do when every step of the proposal is an accent the page drops by habit or a
/// confusion it surely made (see `confusion_rates`), and every runner-up within `min_margin`
/// of it needs a generic edit: an explanation by the page's known errors against a guess.
/// A possible name qualifies only when its repair is a common word.
pub fn settled_by_habit(finding: &Finding, profile: &Profile, min_margin: f64) -> bool {
    let held_back_only_by_runner_up = finding.applicability == Applicability::Review
        && finding.reasons.contains(&Reason::CloseRunnerUp)
        && !finding.reasons.iter().any(|r| {
            matches!(
                r,
                Reason::CostlyRepair
                    | Reason::GenericEdit
                    | Reason::ShortWord
                    | Reason::AccentShadow
            )
        });
    let [best, rest @ ..] = finding.alternatives.as_slice() else {
        return false;
    };
    let name_or_common = finding.reasons.contains(&Reason::LettersAndDigits)
        || !finding.reasons.contains(&Reason::PossibleName)
        || best.breakdown.log_prob >= COMMON_NAME_LOG_PROB;
    if !held_back_only_by_runner_up || !name_or_common || best.steps.is_empty() {
        return false;
    }
    let habitual = |step: &Step| match step {
        Step::AccentDropped { .. } => profile.accent_drop_rate >= HABITUAL_DROP_RATE,
        Step::Confusion { observed, intended } => {
            rate_of(&profile.confusions, observed, intended).is_some()
        }
        Step::AccentAdded { .. } | Step::Generic { .. } => false,
    };
    best.steps.iter().all(habitual) && close_runners_up_are_guesses(best, rest, min_margin)
}

/// A word one confusion away from a known word, by the confusion's index in the error model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shadow {
    pub id: EntryId,
    pub confusion: usize,
}

/// The lexicon words one confusion away from `lower` (a known word in lower case).
pub fn shadows_of(engine: &Engine, lower: &str) -> Vec<Shadow> {
    let mut rewrites = Vec::new();
    engine.model.rewrites_once(lower, &mut rewrites);
    let mut out: Vec<Shadow> = Vec::new();
    for Rewrite {
        text, confusion, ..
    } in rewrites
    {
        let Some(id) = engine.lexicon.exact(&text) else {
            continue;
        };
        if text != lower && !out.iter().any(|s| s.id == id) {
            out.push(Shadow { id, confusion });
        }
    }
    out
}

/// Each shadow the document's rates allow, with its log-odds over the written word `own`,
/// best first (ties by lexicon text, so the order never depends on the table's).
///
/// `unexplained_capital`: the word is capitalised inside a sentence though the lexicon spells
/// it in lower case (`Ja` after `de`). Its capital is then an error whichever word the page
/// said, so a shadow that explains it — a confusion the table gives as a capital printed for
/// a lower-case letter, at the first letter (`J` for l) — needs no rate from the page: both
/// readings cost one error, and the prior decides. (`Baga` stays: OCR prints no capital B for
/// h.)
pub fn weigh(
    engine: &Engine,
    own: EntryId,
    shadows: &[Shadow],
    rates: &[ConfusionRate],
    unexplained_capital: bool,
) -> Vec<(Shadow, f64)> {
    let own_text = engine.lexicon.text(own);
    let mut out: Vec<(Shadow, f64)> = shadows
        .iter()
        .filter_map(|s| {
            let (observed, intended) = engine.model.confusion(s.confusion);
            let rate = rate_of(rates, observed, intended).map(|r| r.rate.ln());
            let text = engine.lexicon.text(s.id);
            let explains_capital = unexplained_capital
                && engine.model.prints_capital(s.confusion)
                && text.chars().next() != own_text.chars().next()
                && text.chars().all(|c| !c.is_uppercase());
            let channel = match (rate, explains_capital) {
                (Some(r), true) => r.max(0.0),
                (Some(r), false) => r,
                (None, true) => 0.0,
                (None, false) => return None,
            };
            let prior = engine.lexicon.log_prob(s.id) - engine.lexicon.log_prob(own);
            Some((*s, prior + channel))
        })
        .collect();
    out.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| engine.lexicon.text(a.0.id).cmp(engine.lexicon.text(b.0.id)))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rank::{Ranked, ScoreBreakdown};
    use crate::span::ByteSpan;

    fn repair(observed: &str, intended: &str, applicability: Applicability) -> Finding {
        Finding {
            span: ByteSpan::new(0, 1),
            original: String::new(),
            alternatives: vec![Ranked {
                text: String::new(),
                source: crate::candidates::Source::Confusion,
                breakdown: ScoreBreakdown::new(0.0, 0.0, 0.0, 0.0),
                steps: vec![Step::Confusion {
                    observed: observed.into(),
                    intended: intended.into(),
                }],
            }],
            applicability,
            reasons: vec![Reason::UnknownWord],
        }
    }

    #[test]
    fn a_rate_read_from_a_review_file_is_strict() {
        let rate = r#"{"observed": "é", "intended": "ó", "repairs": 2, "opportunities": 4,
            "rate": 0.0833"#;
        assert!(serde_json::from_str::<ConfusionRate>(&format!("{rate}}}")).is_ok());
        let unknown = format!("{rate}, \"sure\": true}}");
        assert!(serde_json::from_str::<ConfusionRate>(&unknown).is_err());
    }

    #[test]
    fn rates_count_only_sure_repairs_made_twice() {
        let findings = [
            repair("é", "ó", Applicability::Auto),
            repair("é", "ó", Applicability::Auto),
            repair("é", "ó", Applicability::Review),
            repair("6", "ó", Applicability::Auto),
        ];
        let words = ["acción", "declaró", "la"];
        let rates = confusion_rates(&findings, words.iter().copied());
        assert_eq!(rates.len(), 1, "6→ó was undone once only: {rates:?}");
        let r = &rates[0];
        assert_eq!((r.observed.as_str(), r.intended.as_str()), ("é", "ó"));
        assert_eq!((r.repairs, r.opportunities), (2, 4));
        assert!((r.rate - 2.0 / 24.0).abs() < 1e-12);
    }
}
