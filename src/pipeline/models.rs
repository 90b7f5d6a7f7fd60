//! `Models`: what a pass may consult on one page — the shared models, the policy, and the
//! candidate generator and ranker priced at the page's accent habits.

use super::profile::AccentHabits;
use crate::candidates::Generator;
use crate::context::ContextModel;
use crate::decide::Policy;
use crate::errmodel::{AccentCosts, ErrorModel};
use crate::lexicon::Lexicon;
use crate::rank::Ranker;

pub struct Models<'e> {
    pub lexicon: &'e Lexicon,
    pub errors: &'e ErrorModel,
    pub context: &'e ContextModel,
    pub policy: &'e Policy,
    pub generator: Generator<'e>,
    /// Prices accents at the page's drop rate (see `AccentHabits::priced_drop_rate`).
    pub ranker: Ranker<'e>,
    /// The page's drop-rate bucket: rankings made at it are shared with the batch's other
    /// pages in the same bucket.
    pub bucket: u8,
}

impl<'e> Models<'e> {
    pub fn for_page(
        lexicon: &'e Lexicon,
        errors: &'e ErrorModel,
        context: &'e ContextModel,
        policy: &'e Policy,
        accents: &AccentHabits,
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
                accents: AccentCosts::for_drop_rate(accents.priced_drop_rate()),
            },
            bucket: accents.drop_rate_bucket(),
        }
    }
}
