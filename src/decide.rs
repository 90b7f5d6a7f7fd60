//! Decide: every finding gets an `Applicability`, an ordered value (`Flag < Review < Auto`)
//! that the caller compares with the level the user asked for. A wrong automatic change in an
//! archive is worse than a missed one, so `Auto` needs a cheap, OCR-typical repair that clearly
//! beats its runner-up.

use crate::candidates::Source;
use crate::errmodel::Step;
use crate::rank::Ranked;
use crate::spanish::is_proclitic;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    /// Suspicious, no proposal good enough to show as a change.
    Flag,
    /// A likely change that a person should confirm.
    Review,
    /// Safe to apply without a person.
    Auto,
}

impl fmt::Display for Applicability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Applicability::Flag => "flag",
            Applicability::Review => "review",
            Applicability::Auto => "auto",
        })
    }
}

impl FromStr for Applicability {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "flag" => Ok(Applicability::Flag),
            "review" => Ok(Applicability::Review),
            "auto" => Ok(Applicability::Auto),
            other => Err(format!(
                "unknown applicability {other:?} (flag, review, auto)"
            )),
        }
    }
}

/// Why a finding exists and why it got its applicability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    UnknownWord,
    LettersAndDigits,
    /// A real word whose accent twin the page more likely said (`practica`: práctica; see
    /// `pipeline::accent_twins`). Its name in review files predates the module's.
    #[serde(rename = "accent_shadow")]
    AccentTwin,
    /// A real word one OCR confusion from a likelier word, by a confusion this page's OCR
    /// evidently makes (`Ja` for la; see `pipeline::confusable_words`). Its name in review
    /// files predates the module's.
    #[serde(rename = "ocr_shadow")]
    ConfusableWord,
    SplitWord,
    LineEndHyphen,
    AccentRestored,
    OcrConfusion,
    GenericEdit,
    MergedWords,
    /// `°` after a number or `N` that stands before a word or number: the ordinal `º`.
    OrdinalSign,
    /// A lone `0` between two words: the conjunction `o`.
    DigitForLetter,
    /// A `.`, `:` or `;` after a word that cannot end a clause (`de. la`), or a dash or
    /// underscore glued to a word's start (`-desempefian`): a speck.
    StrayPunctuation,
    /// A single quote mark at a word's edge with no partner on its line (`‘de`, `el’ Día`),
    /// or a double one opening a word that nothing closes in its paragraph (`«ampliarse`).
    StrayQuote,
    /// Specks at the end of a line after its sentence ended (`falsificado. S Sn . :`).
    LineNoise,
    /// Two words glued by a speck read as a mark (`países.que`): a space.
    GluedWords,
    /// Letters read as marks on faded or broken type (`muje:es`, `|ambién`, `la:` for las).
    MarkForLetter,
    /// A word split where the scan lost a letter, to a blank or a mark (`aná isis`, `tér:
    /// inos`), joined with the letter.
    LostLetter,
    /// Its neighbours chose the word over what its letters say (`la:` before a plural:
    /// las): for review only.
    ChosenByContext,
    /// A word of the dictionary the OCR engine was unsure of (a layout file's confidence),
    /// for which a likelier word is proposed: for review only.
    LowConfidence,
    CloseRunnerUp,
    /// Automatic despite a close runner-up: every step is an error the page makes by habit
    /// and the runner-up needs a generic edit (see `pipeline::page_habits`).
    PageHabit,
    /// One or two letters: never repaired automatically.
    ShortWord,
    /// The OCR engine was sure of the real word this would change (a layout file's
    /// confidence): for a reviewer.
    EngineConfident,
    CostlyRepair,
    PossibleName,
    NoCandidate,
    /// Reviewers rejected this change before (decisions memory): never automatic.
    ReviewersRejected,
    /// Reviewers accepted this change repeatedly and never rejected it: automatic.
    ReviewersAccepted,
    /// An unknown word in lower case, long, one letter inside it from a word that nothing else
    /// comes near (`obvervarse`, `confermidad`): automatic (see `pipeline::unknown_words`).
    OneLetterInLongWord,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The review file's spelling of the reason (serde's snake_case).
        let json = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(json.trim_matches('"'))
    }
}

impl Reason {
    /// Whether the reason names a kind of OCR damage (rather than a doubt about the repair).
    pub fn is_damage(self) -> bool {
        !matches!(
            self,
            Reason::UnknownWord
                | Reason::CloseRunnerUp
                | Reason::ShortWord
                | Reason::EngineConfident
                | Reason::CostlyRepair
                | Reason::PossibleName
                | Reason::NoCandidate
                | Reason::ReviewersRejected
                | Reason::ReviewersAccepted
        )
    }
}

/// ln of the relative frequency (1 in 10,000: Zipf 5, `la`, `en`, `al`) from which a short
/// unknown word that differs from the word only by an accent is repaired automatically.
pub const SHORT_WORD_AUTO_LOG_PROB: f64 = -9.21;

/// A short word is too little to repair without a person, unless all that differs is an
/// accent and the repair is one of the commonest words (`lá` → la, `én` → en: no Spanish
/// word of one or two letters is spelled so).
fn accent_on_common_word(best: &Ranked) -> bool {
    best.breakdown.log_prob >= SHORT_WORD_AUTO_LOG_PROB
        && best
            .steps
            .iter()
            .all(|s| matches!(s, Step::AccentDropped { .. } | Step::AccentAdded { .. }))
}

/// A proclitic run into the next word (`enlas`, `quese`, `Elinforme`): the space OCR loses
/// most, and no Spanish word is spelled so (the word would be known). Automatic when every
/// close runner-up needs a generic edit of its own (`enla`: en la, or ella by n → l).
fn glued_proclitic(ranked: &[Ranked], min_margin: f64) -> bool {
    let [best, rest @ ..] = ranked else {
        return false;
    };
    best.source == Source::Split
        && best
            .text
            .split_once(' ')
            .is_some_and(|(first, second)| is_proclitic(first) && second.chars().count() >= 3)
        && close_runners_up_are_guesses(best, rest, min_margin)
}

/// Whether every alternative in `rest` within `min_margin` of `best` needs a generic edit:
/// then `best`, an explanation by errors OCR is known to make, stands against guesses.
pub(crate) fn close_runners_up_are_guesses(
    best: &Ranked,
    rest: &[Ranked],
    min_margin: f64,
) -> bool {
    rest.iter()
        .filter(|r| best.breakdown.score - r.breakdown.score < min_margin)
        .all(|r| r.generic_edits() > 0)
}

/// Least log-probability (natural log of the share of running words: about 1 in 30,000) of
/// the word a capitalised unknown word is one generic edit from, for it to be proposed
/// rather than taken for a name.
pub const NAME_LOOKALIKE_MIN_LOG_PROB: f64 = -10.3;

/// Thresholds; the defaults are documented in docs/design.md.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Policy {
    /// Highest total cost (error model + structure) of an automatic change.
    pub auto_max_cost: f64,
    /// Least score margin (nats) over the runner-up for an automatic change.
    pub auto_min_margin: f64,
    /// Highest total cost of a change proposed for review.
    pub review_max_cost: f64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            auto_max_cost: 0.8,
            auto_min_margin: 2.0,
            review_max_cost: 2.2,
        }
    }
}

/// What the decision looks at of the word besides its ranking.
#[derive(Debug, Clone, Copy, Default)]
pub struct WordTraits {
    /// Capitalised inside a sentence: maybe a name.
    pub maybe_name: bool,
    /// An unknown word of one or two letters (`cd`, `ls`, `na`): too little of it is left to
    /// repair without a person, whatever the ranking says.
    pub short: bool,
    /// A possible name of five letters or more, all letters, whose best repair keeps its
    /// initial: proposed for review when that repair is a common word one edit away (names
    /// that are one from a word are mostly short, `Nawa`, or change an initial, `Zita`).
    pub common_word_lookalike: bool,
}

impl Policy {
    /// Applicability of the best-ranked alternative, and the reasons. `None` means no finding:
    /// a possible name whose nearest word needs generic edits is left alone, unflagged.
    pub fn decide(
        &self,
        ranked: &[Ranked],
        word: WordTraits,
        reasons: &mut Vec<Reason>,
    ) -> Option<Applicability> {
        let Some(best) = ranked.first() else {
            if word.maybe_name {
                return None;
            }
            reasons.push(Reason::NoCandidate);
            return Some(Applicability::Flag);
        };
        let generic = best.generic_edits();
        for step in &best.steps {
            let r = match step {
                Step::AccentDropped { .. } | Step::AccentAdded { .. } => Reason::AccentRestored,
                Step::Confusion { .. } => Reason::OcrConfusion,
                Step::Generic { .. } => Reason::GenericEdit,
            };
            if !reasons.contains(&r) {
                reasons.push(r);
            }
        }
        let cost = best.breakdown.total_cost();
        let letters = best.text.chars().filter(|c| c.is_alphabetic()).count();
        let margin = ranked
            .get(1)
            .map_or(f64::INFINITY, |r| best.breakdown.score - r.breakdown.score);
        // A capitalised word needing a generic edit is a name as often as a misreading, left
        // alone; but one letter from a common word with no close runner-up (`Nicional`,
        // `Sesuridad`, `Hursnos`; see `WordTraits::common_word_lookalike`) it is more likely
        // the word, for a reviewer to say.
        let common_lookalike = word.common_word_lookalike
            && generic == 1
            && best.breakdown.log_prob >= NAME_LOOKALIKE_MIN_LOG_PROB
            && margin >= self.auto_min_margin;
        if word.maybe_name && generic > 0 && !common_lookalike {
            return None;
        }
        if margin < self.auto_min_margin {
            reasons.push(Reason::CloseRunnerUp);
        }
        if cost > self.auto_max_cost {
            reasons.push(Reason::CostlyRepair);
        }
        if word.maybe_name {
            reasons.push(Reason::PossibleName);
        }
        if word.short {
            reasons.push(Reason::ShortWord);
        }
        reasons.sort_unstable();
        reasons.dedup();
        Some(
            if cost <= self.auto_max_cost
                && margin >= self.auto_min_margin
                && generic == 0
                && (!word.short || accent_on_common_word(best))
                || !word.maybe_name && glued_proclitic(ranked, self.auto_min_margin)
            {
                Applicability::Auto
            } else if cost <= self.review_max_cost
                && !(generic >= 2 && margin < self.auto_min_margin)
                && !(word.short && generic > 0)
                && generic * 4 <= letters.max(4)
            {
                // Two generic edits with a close runner-up is a guess between the neighbours
                // of a rare word, seldom right; so is a generic edit of a word of one or two
                // letters, among the many short words one letter away (12 right in 113 on our
                // matrix), and generic edits of more than a quarter of a word's letters:
                // flagged, not proposed (docs/design.md).
                Applicability::Review
            } else {
                Applicability::Flag
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(text: &str, score: f64, generic_edits: usize) -> Ranked {
        let steps = (0..generic_edits)
            .map(|_| Step::Generic {
                observed: "x".into(),
                intended: "y".into(),
            })
            .collect();
        Ranked {
            text: text.into(),
            source: crate::candidates::Source::NearWord,
            breakdown: crate::rank::ScoreBreakdown {
                log_prob: score,
                channel_cost: generic_edits as f64,
                structural_cost: 0.0,
                context: 0.0,
                score,
            },
            steps,
        }
    }

    #[test]
    fn two_generic_edits_with_a_close_runner_up_are_flagged_not_proposed() {
        let policy = Policy::default();
        let decide =
            |ranked: &[Ranked]| policy.decide(ranked, WordTraits::default(), &mut Vec::new());
        let close = [ranked("influyente", -10.0, 2), ranked("incluyen", -11.0, 2)];
        assert_eq!(decide(&close), Some(Applicability::Flag));
        let clear = [ranked("influyente", -10.0, 2), ranked("incluyen", -14.0, 2)];
        assert_eq!(decide(&clear), Some(Applicability::Review));
        let one_edit = [ranked("influyente", -10.0, 1), ranked("incluyen", -11.0, 1)];
        assert_eq!(decide(&one_edit), Some(Applicability::Review));
    }

    #[test]
    fn generic_edits_of_more_than_a_quarter_of_a_word_or_of_a_short_word_are_flagged() {
        let policy = Policy::default();
        let decide = |ranked: &[Ranked], short: bool| {
            let word = WordTraits {
                short,
                ..WordTraits::default()
            };
            policy.decide(ranked, word, &mut Vec::new())
        };
        assert_eq!(
            decide(&[ranked("medidas", -10.0, 2)], false),
            Some(Applicability::Flag)
        );
        assert_eq!(
            decide(&[ranked("proyecto", -10.0, 2)], false),
            Some(Applicability::Review)
        );
        assert_eq!(
            decide(&[ranked("de", -5.0, 1)], true),
            Some(Applicability::Flag)
        );
    }

    #[test]
    fn applicability_is_ordered() {
        assert!(Applicability::Flag < Applicability::Review);
        assert!(Applicability::Review < Applicability::Auto);
        assert_eq!(
            "review".parse::<Applicability>().unwrap(),
            Applicability::Review
        );
    }
}
