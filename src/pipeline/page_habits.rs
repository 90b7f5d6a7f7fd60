//! Page habits settle close calls: a repair that only a close runner-up held back from being
//! automatic (`inform6`: informó, or the commoner informe by a generic edit) becomes
//! automatic when every step of it is an error this page makes by habit — an accent it drops
//! by habit, a confusion its sure repairs show — and every close runner-up needs a generic
//! edit: an explanation by the page's known errors against a guess. And a repair held back
//! only by one letter read for another becomes automatic when the page reads that letter so
//! in several such repairs: a confusion of its own, beyond the table.

use super::finding::Finding;
use super::profile::{rate_of, substitution_at, Profile};
use crate::decide::{close_runners_up_are_guesses, Applicability, Reason};
use crate::errmodel::Step;

/// A page whose share of dropped accents reaches this drops them by habit.
pub const HABITUAL_DROP_RATE: f64 = 0.5;

/// ln of the relative frequency (1 in 100,000: Zipf 4) from which a possible name's repair
/// counts as a common word (`Iran`: Irán, `Dia`: Día) that page habits may settle. Rarer
/// accented names in the lexicon are often not how the UN spells them (`Bangui`, not Banguí).
pub const COMMON_NAME_LOG_PROB: f64 = -11.51;

/// Makes automatic (reason `page_habit`) the findings the page's habits settle.
pub fn settle(findings: &mut [Finding], profile: &Profile, min_margin: f64) {
    for f in findings {
        // One already automatic (`one_letter_in_long_word`) needs no habit, and names none.
        if f.applicability < Applicability::Auto
            && (settled_by_habit(f, profile, min_margin) || by_learnt_substitution(f, profile))
        {
            f.applicability = Applicability::Auto;
            f.reasons.push(Reason::PageHabit);
        }
    }
}

/// Whether `finding` is a repair held back only by a letter read for another that the page
/// reads so by habit (`dessrrollo`: desarrollo, on a page with `s` for a in three such
/// repairs or more; see `profile::learned_substitutions`).
fn by_learnt_substitution(finding: &Finding, profile: &Profile) -> bool {
    substitution_at(finding).is_some_and(|(observed, intended, _)| {
        profile
            .substitutions
            .iter()
            .any(|s| s.observed == observed && s.intended == intended)
    })
}

/// Whether the page's own habits settle `finding` (see the module). A possible name
/// qualifies only when its repair is a common word.
fn settled_by_habit(finding: &Finding, profile: &Profile, min_margin: f64) -> bool {
    let held_back_only_by_runner_up = finding.applicability == Applicability::Review
        && finding.reasons.contains(&Reason::CloseRunnerUp)
        && !finding.reasons.iter().any(|r| {
            matches!(
                r,
                Reason::CostlyRepair | Reason::GenericEdit | Reason::ShortWord | Reason::AccentTwin
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
        Step::AccentDropped { .. } => profile.accents.drop_rate >= HABITUAL_DROP_RATE,
        Step::Confusion { observed, intended } => {
            rate_of(&profile.confusions, observed, intended).is_some()
        }
        Step::AccentAdded { .. } | Step::Generic { .. } => false,
    };
    best.steps.iter().all(habitual) && close_runners_up_are_guesses(best, rest, min_margin)
}
