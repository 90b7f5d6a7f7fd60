//! Ranking: one noisy-channel score for every candidate, with its breakdown kept for
//! reviewers and `ocrqa candidates`:
//!
//! ```text
//! score = W_FREQUENCY · ln P(word) − W_CHANNEL · (error-model cost + structural cost)
//!       + W_CONTEXT · context evidence
//! ```
//!
//! Rankings are made (and cached) per word without the context term; [`with_context`] adds it
//! where the words around an occurrence speak. Ties are broken by lower cost, then by text,
//! then by source, so the order never depends on generation order.

use crate::candidates::{Candidate, Source};
use crate::context::ContextModel;
use crate::errmodel::{ErrorModel, Observed, PageCosts, Step};
use crate::lexicon::{fold, same_base, Lexicon};
use crate::spanish::has_ambiguous_twins;
use crate::tokenize::Case;
use serde::Serialize;
use std::cmp::Ordering;

/// Weight of the word's log-frequency (nats).
pub const W_FREQUENCY: f64 = 1.0;
/// Weight of one unit of error-model cost: one generic edit is worth e^5 ≈ 150× in frequency,
/// so `asi` → así (accent) beats `asi` → si (deletion) and `entrafian` → entrañan beats entraban.
pub const W_CHANNEL: f64 = 5.0;
/// Joining two pieces separated by a space or line break.
pub const JOIN_SPACE_COST: f64 = 0.4;
/// Joining a word hyphenated at a line end: what hyphenation is for.
pub const HYPHEN_JOIN_COST: f64 = 0.05;
/// Keeping a line-end hyphen as a compound's hyphen.
pub const COMPOUND_COST: f64 = 0.1;
/// Capitalising a lower-case word to reach a name.
pub const CAPITALISE_COST: f64 = 1.0;
/// Weight of the context model's evidence (nats): how much more the neighbours say for one
/// candidate than for another it cannot be told from by its letters (`continua`, `continúa`).
pub const W_CONTEXT: f64 = 1.0;
/// Alternatives kept per ranking (the proposal first); the rest are never shown or used.
pub const MAX_ALTERNATIVES: usize = 5;
/// How far (nats) below the best an alternative may score and still be kept: one e¹⁰ ≈ 22,000
/// times less likely is no help to a reviewer, and far beyond any margin a decision weighs
/// (`Policy::auto_min_margin`, context evidence). Pricing stops early at it.
pub const ALTERNATIVES_WINDOW: f64 = 10.0;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreBreakdown {
    /// ln of the relative frequency (sum over words for a split or compound).
    pub log_prob: f64,
    /// Error-model cost of reading the candidate as what was observed.
    pub channel_cost: f64,
    /// Cost of the structure change (join, hyphenation, capitalisation).
    pub structural_cost: f64,
    /// What the neighbours say for it (nats; 0: nothing, or not weighed).
    pub context: f64,
    pub score: f64,
}

impl ScoreBreakdown {
    /// The one scoring function.
    pub fn new(log_prob: f64, channel_cost: f64, structural_cost: f64, context: f64) -> Self {
        ScoreBreakdown {
            log_prob,
            channel_cost,
            structural_cost,
            context,
            score: W_FREQUENCY * log_prob - W_CHANNEL * (channel_cost + structural_cost)
                + W_CONTEXT * context,
        }
    }

    pub fn total_cost(&self) -> f64 {
        self.channel_cost + self.structural_cost
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    /// The replacement text, in the case of the original.
    pub text: String,
    pub source: Source,
    pub breakdown: ScoreBreakdown,
    pub steps: Vec<Step>,
}

impl Ranked {
    /// Steps the error model could only explain as generic edits.
    pub fn generic_edits(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| matches!(s, Step::Generic { .. }))
            .count()
    }

    /// A sign for a sign (`°` → `º`): no word, so no frequency; `cost` from the error model.
    pub fn sign(observed: &str, text: &str, cost: f64) -> Ranked {
        Ranked {
            text: text.to_string(),
            source: Source::Sign,
            breakdown: ScoreBreakdown::new(0.0, cost, 0.0, 0.0),
            steps: vec![Step::Confusion {
                observed: observed.to_string(),
                intended: text.to_string(),
            }],
        }
    }
}

pub struct Ranker<'a> {
    pub lexicon: &'a Lexicon,
    pub errors: &'a ErrorModel,
    pub costs: PageCosts,
}

impl<'a> Ranker<'a> {
    /// Scores `candidates` for `observed` (the original text, pieces joined without their
    /// separator for joins) and returns the best `MAX_ALTERNATIVES`, best first, one per
    /// distinct replacement text.
    pub fn rank(&self, observed: &str, candidates: &[Candidate]) -> Vec<Ranked> {
        let prepared = self.errors.observed(observed);
        self.best_first(candidates.iter().map(|c| (&prepared, c)), observed)
    }

    /// Ranks join candidates for pieces `a` and `b`: joins are priced on `ab`, a compound on
    /// `a-b` (it keeps the hyphen).
    pub fn rank_pieces(&self, a: &str, b: &str, candidates: &[Candidate]) -> Vec<Ranked> {
        let (joined, compound) = (format!("{a}{b}"), format!("{a}-{b}"));
        let original = joined.clone();
        let (joined, compound) = (
            self.errors.observed(&joined),
            self.errors.observed(&compound),
        );
        let observed = |c: &Candidate| {
            if c.source == Source::Compound {
                &compound
            } else {
                &joined
            }
        };
        self.best_first(candidates.iter().map(|c| (observed(c), c)), &original)
    }

    /// Prices and explains `candidate`; `None` when its score would fall below `floor` (it
    /// could not enter the list), found without finishing the alignment where possible.
    fn score(
        &self,
        observed: &Observed<'a>,
        original: &str,
        candidate: &Candidate,
        log_prob: f64,
        floor: f64,
    ) -> Option<Ranked> {
        let intended = candidate.text(self.lexicon);
        let case = case_for(original, &intended);
        let mut structural_cost = match candidate.source {
            Source::Join => JOIN_SPACE_COST,
            Source::Hyphenation => HYPHEN_JOIN_COST,
            Source::Compound => COMPOUND_COST,
            _ => 0.0,
        };
        let first_upper = intended.chars().next().is_some_and(char::is_uppercase);
        if case == Case::Lower && first_upper {
            structural_cost += CAPITALISE_COST;
        }
        // score ≥ floor ⇔ channel cost ≤ this (a hair of slack keeps exact ties).
        let limit = (W_FREQUENCY * log_prob - floor) / W_CHANNEL - structural_cost + 1e-9;
        if limit < 0.0 {
            return None;
        }
        let (channel_cost, steps) = observed.explain_within(&intended, self.costs, limit);
        if !channel_cost.is_finite() {
            return None;
        }
        Some(Ranked {
            text: with_case(case, &intended),
            source: candidate.source,
            breakdown: ScoreBreakdown::new(log_prob, channel_cost, structural_cost, 0.0),
            steps,
        })
    }

    /// The best `MAX_ALTERNATIVES` distinct replacement texts within `ALTERNATIVES_WINDOW` of
    /// the best, best first, explained. Candidates are priced most frequent first, and pricing
    /// stops once the next one could not enter the list even at no cost (costs are never
    /// negative, so the score is at most the log-frequency): the result is that of pricing
    /// them all.
    fn best_first<'o>(
        &self,
        candidates: impl Iterator<Item = (&'o Observed<'a>, &'o Candidate)>,
        original: &str,
    ) -> Vec<Ranked>
    where
        'a: 'o,
    {
        let mut by_frequency: Vec<(f64, &Observed, &Candidate)> = candidates
            .map(|(o, c)| {
                let log_prob: f64 = c.words.iter().map(|&id| self.lexicon.log_prob(id)).sum();
                (W_FREQUENCY * log_prob, o, c)
            })
            .collect();
        by_frequency.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut kept: Vec<Ranked> = Vec::new();
        for (bound, observed, candidate) in by_frequency {
            // Nothing below the window under the best so far, or below the last of a full list.
            let window = kept.first().map_or(f64::NEG_INFINITY, |best| {
                best.breakdown.score - ALTERNATIVES_WINDOW
            });
            let last = match kept.len() {
                MAX_ALTERNATIVES => kept[MAX_ALTERNATIVES - 1].breakdown.score,
                _ => f64::NEG_INFINITY,
            };
            let floor = window.max(last);
            if bound < floor {
                break;
            }
            let Some(scored) =
                self.score(observed, original, candidate, bound / W_FREQUENCY, floor)
            else {
                continue;
            };
            match kept.iter().position(|k| k.text == scored.text) {
                Some(i) if compare(&kept[i], &scored) != Ordering::Greater => {}
                Some(i) => kept[i] = scored,
                None => kept.push(scored),
            }
            kept.sort_by(compare);
            kept.truncate(MAX_ALTERNATIVES);
        }
        if let Some(best) = kept.first().map(|k| k.breakdown.score) {
            kept.retain(|k| k.breakdown.score >= best - ALTERNATIVES_WINDOW);
        }
        kept
    }
}

/// `ranked` with each alternative's context evidence (nats, in order) in its score, in the
/// order of the scores.
pub fn with_context(ranked: &mut [Ranked], evidence: &[f64]) {
    for (r, &context) in ranked.iter_mut().zip(evidence) {
        let b = &r.breakdown;
        r.breakdown = ScoreBreakdown::new(b.log_prob, b.channel_cost, b.structural_cost, context);
    }
    ranked.sort_by(compare);
}

/// Alternatives that differ only by accents (`pe-⏎riodo`: período, periodo) are what only
/// the neighbours tell apart: the context model's evidence between them enters their
/// scores, measured from the set's leader, whose score stays as it was. Context can only
/// confirm the ranking: a set whose leader it would overturn (`se calcul6`: calculó, not
/// cálculo, whatever a small corpus says) is left as ranked, and so are the ambiguous
/// twins (`el`/`él`, `como`/`cómo`), which need more than a small corpus's say. `around`
/// gives the neighbours, asked for only when such a set is there.
pub fn with_twin_context(
    ranked: &mut [Ranked],
    model: &ContextModel,
    around: impl FnOnce() -> (String, String),
) {
    let folded: Vec<String> = ranked.iter().map(|r| fold(&r.text)).collect();
    // Each set: its members (in score order, the leader first) and their spellings.
    let mut sets: Vec<(Vec<usize>, Vec<String>)> = Vec::new();
    for (k, set) in folded.iter().enumerate() {
        if folded[..k].contains(set) || has_ambiguous_twins(set) {
            continue;
        }
        let members: Vec<usize> = (k..ranked.len()).filter(|&m| folded[m] == *set).collect();
        let mut spellings: Vec<String> = members
            .iter()
            .map(|&m| ranked[m].text.to_lowercase())
            .collect();
        spellings.sort();
        spellings.dedup();
        if spellings.len() >= 2 {
            sets.push((members, spellings));
        }
    }
    if sets.is_empty() {
        return;
    }
    let (left, right) = around();
    let mut evidence = vec![0.0; ranked.len()];
    for (members, spellings) in sets {
        let said = model.evidence(&left, &spellings, &right);
        let said_of = |m: usize| {
            let at = spellings
                .binary_search(&ranked[m].text.to_lowercase())
                .expect("a member's spelling");
            said[at]
        };
        let leader = members[0];
        let leader_said = said_of(leader);
        let overturned = members[1..].iter().any(|&m| {
            ranked[m].breakdown.score + W_CONTEXT * said_of(m)
                > ranked[leader].breakdown.score + W_CONTEXT * leader_said
        });
        if !overturned {
            for &m in &members {
                evidence[m] = said_of(m) - leader_said;
            }
        }
    }
    if evidence.iter().any(|&e| e != 0.0) {
        with_context(ranked, &evidence);
    }
}

/// Alternatives for letters that are gone (`la:` las or la, `e:` en, el or es) are told
/// apart by their neighbours: the context model's evidence between the alternatives it
/// models enters their scores, measured from the best of them, and may overturn the
/// ranking. Returns whether it did; a word chosen by its neighbours against its letters is
/// for a reviewer.
pub fn with_short_word_context(
    ranked: &mut [Ranked],
    model: &ContextModel,
    around: impl FnOnce() -> (String, String),
) -> bool {
    let members: Vec<usize> = (0..ranked.len())
        .filter(|&m| model.models(&ranked[m].text.to_lowercase()))
        .collect();
    let mut spellings: Vec<String> = members
        .iter()
        .map(|&m| ranked[m].text.to_lowercase())
        .collect();
    spellings.sort();
    spellings.dedup();
    if spellings.len() < 2 {
        return false;
    }
    let (left, right) = around();
    let said = model.evidence(&left, &spellings, &right);
    let said_of = |text: &str| {
        let at = spellings
            .binary_search(&text.to_lowercase())
            .expect("a member's spelling");
        said[at]
    };
    let leader_said = said_of(&ranked[members[0]].text);
    let mut evidence = vec![0.0; ranked.len()];
    for &m in &members {
        evidence[m] = said_of(&ranked[m].text) - leader_said;
    }
    let before = ranked[0].text.clone();
    with_context(ranked, &evidence);
    ranked[0].text != before
}

/// OCR reads a lower-case accented initial as its capital (the accent makes `ú` tall):
/// after a lower-case word, `Ultimo` is último, not Último (after a capital it may be a
/// name's: República Árabe). Lower-cases the initial of the alternatives that put an
/// accent on it, when the lexicon spells them more often in lower case (`Africa` stays
/// África).
pub fn lower_initial_read_as_capital(lexicon: &Lexicon, word: &str, ranked: &mut [Ranked]) {
    let Some(initial) = word.chars().next().filter(|c| "AEIOU".contains(*c)) else {
        return;
    };
    for r in ranked {
        let mut chars = r.text.chars();
        let Some(first) = chars.next() else { continue };
        if first == initial || !first.is_uppercase() || !same_base(first, initial) {
            continue;
        }
        let lowered: String = first.to_lowercase().chain(chars).collect();
        let count = |w: &str| lexicon.exact(w).map(|id| lexicon.count(id));
        let lower_count = count(&lowered);
        if lower_count.is_some() && lower_count >= count(&r.text) {
            r.text = lowered;
        }
    }
}

/// The case the candidate takes from the original. A letter the repair replaces says nothing
/// about case — OCR reads l as a capital `J`, `I` or `1` (`Ja` → la, `EI` → El) — so when both
/// have the same length only the letters kept count.
fn case_for(original: &str, intended: &str) -> Case {
    // Lower-case letters keep nothing else (the commonest case, priced for every candidate).
    if original.chars().all(char::is_lowercase) {
        return Case::Lower;
    }
    let o: Vec<char> = original.chars().collect();
    let t: Vec<char> = intended.chars().collect();
    if o.len() != t.len() || o.is_empty() {
        return Case::of(original);
    }
    let kept: Vec<bool> = o.iter().zip(&t).map(|(&a, &b)| same_base(a, b)).collect();
    if kept.iter().all(|&k| k) {
        return Case::of(original);
    }
    let rest: Vec<char> = (1..o.len()).filter(|&i| kept[i]).map(|i| o[i]).collect();
    let rest_upper = !rest.is_empty() && rest.iter().all(|c| !c.is_lowercase());
    match (kept[0], o[0].is_uppercase()) {
        (true, true) if rest_upper => Case::Upper,
        (true, true) => Case::Title,
        (false, _) if rest_upper && rest.len() >= 2 => Case::Upper,
        _ => Case::Lower,
    }
}

/// The candidate spelled in the case of the original; a lexicon capital (a name) is kept. An
/// acronym written as a name keeps the writer's case (`Daésh`: Daesh, not DAESH).
fn with_case(case: Case, intended: &str) -> String {
    match case {
        Case::Upper => intended.to_uppercase(),
        Case::Title if Case::of(intended) == Case::Upper && intended.chars().count() > 1 => {
            Case::Title.apply(&intended.to_lowercase())
        }
        Case::Title => Case::Title.apply(intended),
        Case::Lower | Case::Mixed => intended.to_string(),
    }
}

fn compare(a: &Ranked, b: &Ranked) -> Ordering {
    b.breakdown
        .score
        .total_cmp(&a.breakdown.score)
        .then(
            a.breakdown
                .total_cost()
                .total_cmp(&b.breakdown.total_cost()),
        )
        .then_with(|| a.text.cmp(&b.text))
        .then(a.source.cmp(&b.source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_enters_the_one_score_and_reorders() {
        let plain = |text: &str, log_prob: f64| Ranked {
            text: text.into(),
            source: Source::Accent,
            breakdown: ScoreBreakdown::new(log_prob, 0.5, 0.0, 0.0),
            steps: Vec::new(),
        };
        let mut ranked = vec![plain("periodo", -10.0), plain("período", -10.5)];
        with_context(&mut ranked, &[-1.0, 0.0]);
        assert_eq!(ranked[0].text, "período");
        assert_eq!(ranked[1].breakdown.context, -1.0);
        let expected = -W_FREQUENCY * 10.0 - W_CHANNEL * 0.5 - W_CONTEXT;
        assert!((ranked[1].breakdown.score - expected).abs() < 1e-12);
    }

    #[test]
    fn alternatives_far_below_the_best_are_not_kept() {
        let lexicon = Lexicon::from_tsv("t", "así\t1000000\nasa\t2\n").unwrap();
        let model = ErrorModel::shipped();
        let mut candidates = Vec::new();
        crate::candidates::Generator {
            lexicon: &lexicon,
            errors: &model,
        }
        .for_word("asi", &mut candidates);
        assert!(candidates.len() >= 2, "así and asa are both candidates");
        let ranker = Ranker {
            lexicon: &lexicon,
            errors: &model,
            costs: PageCosts::NEUTRAL,
        };
        let ranked = ranker.rank("asi", &candidates);
        let texts: Vec<&str> = ranked.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, ["así"], "asa scores more than the window below");
    }

    #[test]
    fn replaced_capitals_say_nothing_about_case() {
        assert_eq!(case_for("Ja", "la"), Case::Lower);
        assert_eq!(case_for("1a", "la"), Case::Lower);
        assert_eq!(case_for("EI", "el"), Case::Title);
        assert_eq!(case_for("INFORMACI0N", "información"), Case::Upper);
        assert_eq!(case_for("Declaraci6n", "declaración"), Case::Title);
        assert_eq!(case_for("Declaracion", "declaración"), Case::Title);
        assert_eq!(case_for("tecnologias", "tecnologías"), Case::Lower);
    }
}
