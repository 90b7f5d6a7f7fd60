//! `Models`: what a pass may consult on one page — the shared models, the policy, and the
//! candidate generator and ranker priced at the page's accent and mark habits.

use super::profile::{AccentHabits, MarkHabits, HABITUAL_LETTER_SHARE};
use crate::candidates::Generator;
use crate::context::ContextModel;
use crate::decide::Policy;
use crate::errmodel::{ErrorModel, PageCosts};
use crate::lexicon::Lexicon;
use crate::rank::Ranker;

/// The buckets of a page's drop rate and letter share, at which it is priced.
pub type PriceBucket = (u8, u8);

pub struct Models<'e> {
    pub lexicon: &'e Lexicon,
    pub errors: &'e ErrorModel,
    pub context: &'e ContextModel,
    pub policy: &'e Policy,
    pub generator: Generator<'e>,
    /// Prices accents at the page's drop rate (see `AccentHabits::priced_drop_rate`), marks
    /// at its letter share (`MarkHabits::priced_letter_share`).
    pub ranker: Ranker<'e>,
    /// The share of marks glued to words that stand for letters on the page, as priced.
    pub letter_share: f64,
    /// The page's drop-rate and letter-share buckets: rankings made at them are shared with
    /// the batch's other pages in the same buckets.
    pub bucket: PriceBucket,
}

impl<'e> Models<'e> {
    pub fn for_page(
        lexicon: &'e Lexicon,
        errors: &'e ErrorModel,
        context: &'e ContextModel,
        policy: &'e Policy,
        accents: &AccentHabits,
        marks: &MarkHabits,
    ) -> Models<'e> {
        Models {
            lexicon,
            errors,
            context,
            policy,
            generator: Generator { lexicon, errors },
            ranker: Ranker {
                lexicon,
                errors,
                costs: PageCosts::for_habits(
                    accents.priced_drop_rate(),
                    marks.priced_letter_share(),
                ),
            },
            letter_share: marks.priced_letter_share(),
            bucket: (accents.drop_rate_bucket(), marks.letter_share_bucket()),
        }
    }

    /// Whether the page loses letters to marks by habit (`HABITUAL_LETTER_SHARE`): its marks
    /// after, inside and between words are read as letters.
    pub fn loses_letters_to_marks(&self) -> bool {
        self.letter_share >= HABITUAL_LETTER_SHARE
    }
}
