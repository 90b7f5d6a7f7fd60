//! The pipeline over one document. The engine only orders the passes; each pass is a module
//! of its own that takes the page (`Page`) and the models (`Models`) and returns findings,
//! one kind of damage each:
//!
//! ```text
//! Document ─▶ Page (tokens, protected spans, suspects) ─▶ accent habits ─▶ Models
//!   broken_words ─▶ marked_words ─▶ unknown_words ─▶ confusion rates ─▶ page_habits
//!   ─▶ confusable_words ─▶ accent_twins ─▶ doubtful_words ─▶ signs ─▶ specks
//!   ─▶ precedence::resolve ─▶ precedents (reviewers' earlier decisions) ─▶ Analysis
//! ```
//!
//! Which pass speaks for a piece of text is `precedence`'s one rule.

pub mod accent_twins;
pub mod broken_words;
pub mod confusable_words;
pub mod doubtful_words;
pub mod finding;
pub mod marked_words;
pub mod memo;
pub mod models;
pub mod page;
pub mod page_habits;
pub mod precedence;
pub mod profile;
pub mod signs;
pub mod specks;
pub mod unknown_words;

use crate::context::ContextModel;
use crate::decide::Applicability;
use crate::decide::Policy;
use crate::document::Document;
use crate::edit::{apply_choices, Edited};
use crate::errmodel::{ErrorModel, PageCosts};
use crate::lexicon::Lexicon;
use crate::precedents::Precedents;
use crate::rank::{with_twin_context, Ranked, Ranker};
use accent_twins::{TwinMemo, TwinOdds};
use confusable_words::ConfusableMemo;
pub use finding::{Finding, Pass};
use memo::{CandidateMemo, WordMemo};
use models::Models;
use page::Page;
pub use profile::{AccentHabits, ConfusionRate, MarkHabits, Profile, Substitution};

/// The models and thresholds, loaded once and shared by every document.
pub struct Engine {
    pub lexicon: Lexicon,
    pub errors: ErrorModel,
    pub context: ContextModel,
    pub policy: Policy,
    /// Reviewers' earlier decisions (empty unless given): they demote and promote changes.
    pub precedents: Precedents,
}

/// Everything the pipeline found in one document.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// In text order; no two overlap but where `precedence` says so.
    pub findings: Vec<Finding>,
    pub profile: Profile,
}

impl Analysis {
    /// The text with every finding at or above `level` applied (`None`: nothing applied),
    /// which findings were applied, and where.
    pub fn corrected(&self, doc: &Document, level: Option<Applicability>) -> Edited {
        apply_choices(
            &doc.text,
            self.findings.iter().map(|f| {
                let chosen = level.is_some_and(|l| f.applicability >= l);
                (f.span, f.proposal().filter(|_| chosen))
            }),
        )
    }
}

/// What the pipeline remembers across the documents of a batch (each worker keeps its own;
/// see `memo`).
#[derive(Default)]
pub struct Memo {
    words: WordMemo,
    candidates: CandidateMemo,
    twins: TwinMemo,
    confusables: ConfusableMemo,
}

/// How one word is ranked on its own, and its accent twins' odds in a context: what
/// `ocrqa candidates` shows.
pub struct WordExplained<'e> {
    pub known: bool,
    pub costs: PageCosts,
    pub ranked: Vec<Ranked>,
    /// The neighbours the context gave, and the odds of each accent twin there.
    pub twins: Option<((String, String), Vec<TwinOdds<'e>>)>,
}

impl Engine {
    pub fn new(
        lexicon: Lexicon,
        errors: ErrorModel,
        context: ContextModel,
        policy: Policy,
    ) -> Engine {
        Engine {
            lexicon,
            errors,
            context,
            policy,
            precedents: Precedents::default(),
        }
    }

    /// The shipped lexicon, confusion and context models with the default policy.
    pub fn shipped() -> Engine {
        Engine::new(
            Lexicon::shipped(),
            ErrorModel::shipped(),
            ContextModel::shipped(),
            Policy::default(),
        )
    }

    /// What decides the outputs besides the document: the tool's version, the word lists and
    /// models, the policy and the applied level. Two runs with the same key write the same
    /// outputs for the same document, so a batch can skip what is already done.
    pub fn settings_key(&self, applied_level: Option<Applicability>) -> String {
        let policy = format!("{:?}", self.policy);
        let level = applied_level.map_or("none".to_string(), |l| l.to_string());
        let key = crate::hash::combine(&[
            crate::hash::fast_hash(env!("CARGO_PKG_VERSION").as_bytes()),
            self.lexicon.key(),
            self.errors.key(),
            self.context.key(),
            crate::hash::fast_hash(policy.as_bytes()),
            crate::hash::fast_hash(level.as_bytes()),
            self.precedents.key(),
        ]);
        format!("{key:016x}")
    }

    pub fn analyze(&self, doc: &Document) -> Analysis {
        self.analyze_with(doc, &mut Memo::default())
    }

    /// As [`Engine::analyze`], remembering across documents what does not depend on them.
    pub fn analyze_with(&self, doc: &Document, memo: &mut Memo) -> Analysis {
        let mut page = Page::new(doc, |w| memo.words.is_word(&self.lexicon, w));
        let accents = AccentHabits::of(&page, &self.lexicon);
        let marks = MarkHabits::of(&page, &self.lexicon);
        let models = Models::for_page(
            &self.lexicon,
            &self.errors,
            &self.context,
            &self.policy,
            &accents,
            &marks,
        );
        let m = &models;
        let mut findings = broken_words::find(&mut page, m, &mut memo.candidates);
        findings.extend(marked_words::find(&mut page, m, &mut memo.candidates));
        findings.extend(unknown_words::find(&mut page, m, &mut memo.candidates));
        let confusions = profile::confusion_rates(&findings, page.known_words());
        let profile = Profile {
            accents,
            marks,
            confusions,
            substitutions: profile::learned_substitutions(&findings),
        };
        page_habits::settle(&mut findings, &profile, self.policy.auto_min_margin);
        findings.extend(confusable_words::find(
            &mut page,
            m,
            &profile,
            &mut memo.words,
            &mut memo.twins,
            &mut memo.confusables,
        ));
        findings.extend(accent_twins::find(
            &mut page,
            m,
            &profile.accents,
            &mut memo.twins,
        ));
        findings.extend(doubtful_words::find(&mut page, m, &mut memo.candidates));
        findings.extend(signs::find(&mut page, m));
        findings.extend(specks::noise_tails(&mut page, m));
        findings.extend(specks::edge_specks(&mut page, m));
        let mut findings = precedence::resolve(doc, findings);
        self.apply_precedents(&mut findings);
        Analysis { findings, profile }
    }

    /// Reviewers' decisions override the policy: a rejected change is never automatic again,
    /// one accepted repeatedly becomes automatic (see `precedents`).
    fn apply_precedents(&self, findings: &mut [Finding]) {
        if self.precedents.is_empty() {
            return;
        }
        for f in findings {
            let Some(proposal) = f.proposal() else {
                continue;
            };
            let is_word = self.lexicon.known(&f.original).is_some();
            let adjusted = self
                .precedents
                .adjust(&f.original, proposal, f.applicability, is_word);
            if let Some((applicability, reason)) = adjusted {
                f.applicability = applicability;
                f.reasons.push(reason);
            }
        }
    }

    /// How `word` (NFC) is ranked on its own on a page with `accents` and `marks` (at their
    /// exact rates), and, given the text `context` it stands in, its accent twins' odds there.
    pub fn explain(
        &self,
        word: &str,
        accents: &AccentHabits,
        marks: &MarkHabits,
        context: Option<&str>,
    ) -> Result<WordExplained<'_>, String> {
        let costs = PageCosts::for_habits(accents.drop_rate, marks.letter_share);
        let models = Models::for_page(
            &self.lexicon,
            &self.errors,
            &self.context,
            &self.policy,
            accents,
            marks,
        );
        let mut candidates = Vec::new();
        models.generator.for_word(word, &mut candidates);
        let ranker = Ranker {
            costs,
            ..models.ranker
        };
        let mut ranked = ranker.rank(word, &candidates);
        let around = match context {
            Some(text) => Some(
                page::neighbours_in(text, word)
                    .ok_or_else(|| format!("{word:?} is not a word of the context {text:?}"))?,
            ),
            None => None,
        };
        if let Some(around) = &around {
            with_twin_context(&mut ranked, &self.context, || around.clone());
        }
        let twins = around.map(|(left, right)| {
            let odds = accent_twins::twins_of(&self.lexicon, &self.context, word).map_or_else(
                Vec::new,
                |twins| {
                    accent_twins::odds(
                        &self.lexicon,
                        &self.context,
                        &twins,
                        (&left, &right),
                        accents,
                    )
                },
            );
            ((left, right), odds)
        });
        Ok(WordExplained {
            known: self.lexicon.known(word).is_some(),
            costs,
            ranked,
            twins,
        })
    }
}
