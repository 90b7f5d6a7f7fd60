//! The pipeline over one document: tokens → suspects → candidates → ranked → findings, with
//! the document's error profile. Produces an `Analysis`; writing it out is for `output`.

use crate::candidates::joins::{self, JoinKind};
use crate::candidates::{Candidate, Generator, Source, Words};
use crate::context::{ContextModel, TwinSet, LINE_END, LINE_START};
use crate::decide::{Applicability, Context, Policy, Reason};
use crate::detect::{self, nfc, Suspicion};
use crate::document::Document;
use crate::edit::{apply_edits, Edit};
use crate::errmodel::{AccentCosts, ErrorModel};
use crate::errmodel::{Step, GENERIC_EDIT};
use crate::lexicon::{fold, fold_into, same_base, EntryId, Lexicon};
use crate::memory::DecisionMemory;
use crate::rank::{Ranked, Ranker, W_CHANNEL, W_CONTEXT, W_FREQUENCY};
use crate::shadows::{self, ConfusionRate, Shadow};
use crate::span::ByteSpan;
use crate::tokenize::{tokenize, Case, Token, TokenKind};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::borrow::Cow;
use std::rc::Rc;

/// A known piece this common (per billion; Zipf 5: `es`, `la`, `para`) is a word of its own,
/// never half of a split word: `Declaracion es` is not `Declaraciones`.
pub const MAX_JOINED_PIECE_COUNT: u32 = 100_000;

/// A real word may be the accentless shadow of its accented twin (`periodo` for período,
/// `Union` for Unión). Given the document's accent-drop rate `d`, the odds that the page said
/// the twin are `P(twin) · d / P(word)`. From these odds the twin is proposed for review...
pub const TWIN_REVIEW_ODDS: f64 = 1.5;
/// ... and from these, applied automatically (about ratio 5 in a page read with the English
/// model, d ≈ 0.8; never in a page that keeps its accents).
pub const TWIN_AUTO_ODDS: f64 = 4.0;
/// Words whose accented twin differs in grammatical function, not spelling: the closed set of
/// ambiguous pairs (solo/sólo, aun/aún, si/sí, el/él, mas/más, se/sé, tu/tú, te/té, de/dé,
/// mi/mí), demonstratives (esta/está, este/éste…) and interrogatives (que/qué…). Only context
/// can decide them: their prior is each twin's share in clean text (web counts of `mas` or
/// `esta` are inflated by writers who drop accents), and an automatic change needs odds of
/// `AMBIGUOUS_AUTO_ODDS`.
pub const AMBIGUOUS_AUTO_ODDS: f64 = 20.0;
const AMBIGUOUS_SHADOWS: &[&str] = &[
    "solo", "aun", "si", "el", "mas", "se", "tu", "te", "de", "mi", // the closed set
    "esta", "este", "ese", "esa", "estas", "estos", "esos", "esas", // demonstratives
    "como", "que", "cual", "cuales", "donde", "cuando", "quien", "quienes",
    "cuanto", // interrogatives
];

/// The models and thresholds, loaded once and shared by every document.
pub struct Engine {
    pub lexicon: Lexicon,
    pub model: ErrorModel,
    pub context: ContextModel,
    pub policy: Policy,
    /// Reviewers' earlier decisions (empty unless given): they demote and promote changes.
    pub memory: DecisionMemory,
}

/// One suspicious place and what ocrqa proposes for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub span: ByteSpan,
    pub original: String,
    /// Best first; empty when nothing fits.
    pub alternatives: Vec<Ranked>,
    pub applicability: Applicability,
    pub reasons: Vec<Reason>,
}

impl Finding {
    pub fn proposal(&self) -> Option<&str> {
        self.alternatives.first().map(|r| r.text.as_str())
    }
}

/// Candidates already generated, shared by the documents of a batch: the same OCR errors
/// repeat across a batch, and candidates do not depend on the document (rankings do).
/// Bounded: past `CandidateCache::CAPACITY` entries it starts again, so memory follows the
/// lexicon, not the size of the batch.
#[derive(Default)]
pub struct CandidateCache {
    /// All generators, by lower-case word.
    words: FxHashMap<String, Vec<Candidate>>,
    /// Accent and OCR repairs only, by lower-case word.
    cheap: FxHashMap<String, Vec<Candidate>>,
    /// Joins and compounds of two pieces.
    joins: FxHashMap<(String, String, JoinKind), Vec<Candidate>>,
    /// Rankings of unknown words as written, per drop-rate bucket (see `priced_drop_rate`).
    rankings: FxHashMap<String, Vec<(u8, Vec<Ranked>)>>,
    /// Accent twins of known words, as written (`None`: it has none).
    twins: FxHashMap<String, Option<Rc<Twins>>>,
    /// Words one OCR confusion away from known words, as written.
    shadows: FxHashMap<String, Rc<[Shadow]>>,
    /// What the lexicon says of words as written: every word of every document is looked
    /// up, most of them many times in a batch, and this small table stays in the processor's
    /// cache where the lexicon's indexes and forms (tens of MB) do not.
    known: FxHashMap<String, Option<EntryId>>,
    /// Unknown words as written that a prefix and a lexicon word make (`Lexicon::prefixed`),
    /// and those that they do not.
    prefixed: FxHashMap<String, bool>,
}

/// One accent twin of a known word, weighed against it (natural logs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TwinOdds<'l> {
    #[serde(skip)]
    pub id: EntryId,
    pub text: &'l str,
    /// ln P(twin) / P(word): lexicon counts, or clean-text shares for the ambiguous pairs.
    pub prior: f64,
    /// What the neighbours say (the context model's evidence, twin minus word).
    pub context: f64,
    /// ln of the chance that OCR printed the word for the twin (drop and add rates).
    pub channel: f64,
    pub log_odds: f64,
}

/// The candidates cached under `word` in lower case (candidates do not depend on case),
/// generated the first time.
fn by_lower_case<'c>(
    map: &'c mut FxHashMap<String, Vec<Candidate>>,
    word: &str,
    generate: impl FnOnce(&mut Vec<Candidate>),
) -> &'c [Candidate] {
    // Most words are in lower case already: looked up as they are, without a copy.
    let lower = match word.chars().flat_map(char::to_lowercase).eq(word.chars()) {
        true => Cow::Borrowed(word),
        false => Cow::Owned(word.to_lowercase()),
    };
    if !map.contains_key(lower.as_ref()) {
        let mut candidates = Vec::new();
        generate(&mut candidates);
        map.insert(lower.to_string(), candidates);
    }
    &map[lower.as_ref()]
}

/// A known word and the lexicon words that differ from it only by accents.
struct Twins {
    ids: Vec<EntryId>,
    /// Lower-case spellings, the word itself at `own`.
    spellings: Vec<String>,
    own: usize,
    ambiguous: bool,
    /// Shares in clean text (the prior of the ambiguous pairs).
    shares: Option<Vec<f64>>,
    /// The spellings as the context model looks them up.
    context: TwinSet,
}

impl CandidateCache {
    pub const CAPACITY: usize = 200_000;

    fn make_room(&mut self) {
        if self.words.len()
            + self.cheap.len()
            + self.joins.len()
            + self.twins.len()
            + self.rankings.len()
            + self.shadows.len()
            + self.known.len()
            + self.prefixed.len()
            >= Self::CAPACITY
        {
            *self = CandidateCache::default();
        }
    }

    fn for_word(&mut self, generator: &Generator, word: &str) -> &[Candidate] {
        self.make_room();
        by_lower_case(&mut self.words, word, |out| generator.for_word(word, out))
    }

    /// The accent twins of a known word, made by `make` the first time the batch meets it; no
    /// allocation when it was met before (this runs for every word of every document).
    fn twins(&mut self, word: &str, make: impl FnOnce() -> Option<Twins>) -> Option<Rc<Twins>> {
        if let Some(twins) = self.twins.get(word) {
            return twins.clone();
        }
        self.make_room();
        let twins = make().map(Rc::new);
        self.twins.insert(word.to_string(), twins.clone());
        twins
    }

    /// Whether `word` (NFC) is a word: known, or a prefix and a known word; remembered.
    fn is_word(&mut self, lexicon: &Lexicon, word: &str) -> bool {
        if self.known(lexicon, word).is_some() {
            return true;
        }
        if let Some(&prefixed) = self.prefixed.get(word) {
            return prefixed;
        }
        self.make_room();
        let prefixed = lexicon.prefixed(word);
        self.prefixed.insert(word.to_string(), prefixed);
        prefixed
    }

    /// `lexicon.known(word)`, remembered.
    fn known(&mut self, lexicon: &Lexicon, word: &str) -> Option<EntryId> {
        if let Some(&id) = self.known.get(word) {
            return id;
        }
        self.make_room();
        let id = lexicon.known(word);
        self.known.insert(word.to_string(), id);
        id
    }

    /// The OCR shadows of a known word (see `shadows`), found the first time the batch meets it.
    fn shadows(&mut self, word: &str, make: impl FnOnce() -> Vec<Shadow>) -> Rc<[Shadow]> {
        if let Some(shadows) = self.shadows.get(word) {
            return shadows.clone();
        }
        self.make_room();
        let shadows: Rc<[Shadow]> = make().into();
        self.shadows.insert(word.to_string(), shadows.clone());
        shadows
    }

    /// The ranking of `word`'s candidates in documents whose drop rate falls in `bucket`.
    fn ranking(
        &mut self,
        generator: &Generator,
        ranker: &Ranker,
        word: &str,
        bucket: u8,
    ) -> Vec<Ranked> {
        let mut cached = self.rankings.get(word).into_iter().flatten();
        if let Some((_, ranked)) = cached.find(|(b, _)| *b == bucket) {
            return ranked.clone();
        }
        let ranked = ranker.rank(word, self.for_word(generator, word));
        let buckets = self.rankings.entry(word.to_string()).or_default();
        buckets.push((bucket, ranked.clone()));
        ranked
    }

    fn for_word_cheap(&mut self, generator: &Generator, word: &str) -> &[Candidate] {
        self.make_room();
        by_lower_case(&mut self.cheap, word, |out| {
            generator.for_word_cheap(word, out)
        })
    }

    fn for_join(
        &mut self,
        generator: &Generator,
        a: &str,
        b: &str,
        kind: JoinKind,
    ) -> &[Candidate] {
        self.make_room();
        self.joins
            .entry((a.to_string(), b.to_string(), kind))
            .or_insert_with(|| {
                let mut c = Vec::new();
                generator.for_join(a, b, kind, &mut c);
                c
            })
    }
}

/// What the document's own errors say about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Profile {
    pub words: usize,
    pub suspicious: usize,
    /// Unknown words that are accented lexicon words with their accents dropped.
    pub accents_dropped: usize,
    /// Words written with their accents.
    pub accents_kept: usize,
    /// Smoothed share of accented words that lost their accent; sets the accent cost.
    pub accent_drop_rate: f64,
    /// Unknown words that are lexicon words with an accent too many (`lá`, `entré`).
    pub accents_added: usize,
    /// Smoothed share of words given an accent they should not have.
    pub accent_add_rate: f64,
    /// The confusions the document's sure repairs undid, most frequent first (see `shadows`).
    pub confusions: Vec<ConfusionRate>,
}

#[derive(Debug, Clone)]
pub struct Analysis {
    pub findings: Vec<Finding>,
    pub profile: Profile,
}

impl Analysis {
    /// The text with every finding at or above `level` applied (`None`: nothing applied), and
    /// which findings were applied.
    pub fn corrected(&self, doc: &Document, level: Option<Applicability>) -> (String, Vec<bool>) {
        let chosen: Vec<usize> = (0..self.findings.len())
            .filter(|&i| {
                let f = &self.findings[i];
                level.is_some_and(|l| f.applicability >= l) && f.proposal().is_some()
            })
            .collect();
        let edits: Vec<Edit> = chosen
            .iter()
            .map(|&i| Edit {
                span: self.findings[i].span,
                replacement: self.findings[i].proposal().unwrap_or_default().to_string(),
            })
            .collect();
        let (text, skipped) = apply_edits(&doc.text, &edits);
        let mut applied = vec![false; self.findings.len()];
        for (k, &i) in chosen.iter().enumerate() {
            applied[i] = !skipped.contains(&k);
        }
        (text, applied)
    }
}

impl Engine {
    pub fn new(
        lexicon: Lexicon,
        model: ErrorModel,
        context: ContextModel,
        policy: Policy,
    ) -> Engine {
        Engine {
            lexicon,
            model,
            context,
            policy,
            memory: DecisionMemory::default(),
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
            self.model.key(),
            self.context.key(),
            crate::hash::fast_hash(policy.as_bytes()),
            crate::hash::fast_hash(level.as_bytes()),
            self.memory.key(),
        ]);
        format!("{key:016x}")
    }

    pub fn analyze(&self, doc: &Document) -> Analysis {
        self.analyze_with(doc, &mut CandidateCache::default())
    }

    /// As [`Engine::analyze`], reusing candidates generated for earlier documents: the same
    /// OCR errors repeat across a batch, and candidates do not depend on the document.
    pub fn analyze_with(&self, doc: &Document, cache: &mut CandidateCache) -> Analysis {
        let text = doc.text.as_str();
        let tokens = tokenize(text);
        let protected = detect::protected_spans(text);
        let suspects: Vec<Option<Suspicion>> = tokens
            .iter()
            .map(|t| detect::suspicion(text, t, &protected, |w| cache.is_word(&self.lexicon, w)))
            .collect();
        let mut profile = self.profile(text, &tokens, &suspects);
        let generator = Generator {
            lexicon: &self.lexicon,
            model: &self.model,
        };
        let ranker = Ranker {
            lexicon: &self.lexicon,
            model: &self.model,
            accents: AccentCosts::for_drop_rate(priced_drop_rate(profile.accent_drop_rate)),
        };
        let mut findings = Vec::new();
        let mut consumed = vec![false; tokens.len()];

        // Two known words across a space are never joined (see below): most sites.
        let mut sites = joins::sites(text, &tokens, |a, b| {
            suspects[a].is_some() || suspects[b].is_some()
        });
        // Line-end hyphens are the surer joins: they take their tokens first.
        sites.sort_by_key(|s| (s.kind != JoinKind::Hyphen, s.first));
        for site in sites {
            if consumed[site.first] || consumed[site.second] {
                continue;
            }
            let (ta, tb) = (&tokens[site.first], &tokens[site.second]);
            if detect::is_protected(ta.span, &protected)
                || detect::is_protected(tb.span, &protected)
            {
                continue;
            }
            let unknown = suspects[site.first].is_some() || suspects[site.second].is_some();
            let (a, b) = (nfc(doc.slice(ta.span)), nfc(doc.slice(tb.span)));
            let function_word = |w: &str| {
                self.lexicon
                    .known(w)
                    .is_some_and(|id| self.lexicon.count(id) >= MAX_JOINED_PIECE_COUNT)
            };
            // A lone letter beside a word is a word of its own (`disuadir á`: the preposition
            // with a stray accent, not disuadirá).
            let lone_letter = |w: &str| w.chars().count() == 1;
            if site.kind == JoinKind::Space
                && (!unknown
                    || function_word(&a)
                    || function_word(&b)
                    || lone_letter(&a)
                    || lone_letter(&b))
            {
                continue;
            }
            let candidates = cache.for_join(&generator, &a, &b, site.kind);
            let mut ranked = ranker.rank_pieces(&a, &b, candidates);
            self.context_between_twins(&mut ranked, || {
                (
                    neighbours(text, &tokens, site.first).0,
                    neighbours(text, &tokens, site.second).1,
                )
            });
            let Some(best) = ranked.first() else { continue };
            if best.breakdown.total_cost() > self.policy.review_max_cost {
                continue;
            }
            // A join must explain the text better than the pieces do on their own
            // (`su gestion` is su gestión, not sugestión).
            if site.kind == JoinKind::Space
                && best.breakdown.score
                    <= self.piece_score(&generator, &ranker, cache, &a)
                        + self.piece_score(&generator, &ranker, cache, &b)
            {
                continue;
            }
            let mut reasons = vec![match site.kind {
                JoinKind::Space => Reason::SplitWord,
                JoinKind::Hyphen => Reason::LineEndHyphen,
            }];
            let Some(applicability) = self
                .policy
                .decide(&ranked, Context::default(), &mut reasons)
            else {
                continue;
            };
            consumed[site.first..=site.second].fill(true);
            findings.push(finding(doc, site.span, ranked, applicability, reasons));
        }

        let bucket = drop_rate_bucket(profile.accent_drop_rate);
        for (i, token) in tokens.iter().enumerate() {
            let Some(suspicion) = suspects[i] else {
                continue;
            };
            if consumed[i] {
                continue;
            }
            let word = nfc(doc.slice(token.span));
            let mut ranked = cache.ranking(&generator, &ranker, &word, bucket);
            let mid_sentence_capital =
                Case::of(&word) == Case::Title && !sentence_start(text, &tokens, i);
            if mid_sentence_capital && after_lower_case_word(text, &tokens, i) {
                self.lower_initial_read_as_capital(&word, &mut ranked);
            }
            self.context_between_twins(&mut ranked, || neighbours(text, &tokens, i));
            let context = Context {
                maybe_name: suspicion == Suspicion::LettersAndDigits || mid_sentence_capital,
                short: suspicion == Suspicion::UnknownWord && word.chars().count() <= 2,
            };
            let mut reasons = vec![match suspicion {
                Suspicion::UnknownWord => Reason::UnknownWord,
                Suspicion::LettersAndDigits => Reason::LettersAndDigits,
            }];
            if ranked.first().is_some_and(|r| r.source == Source::Split) {
                reasons.push(Reason::MergedWords);
            }
            if let Some(applicability) = self.policy.decide(&ranked, context, &mut reasons) {
                findings.push(finding(doc, token.span, ranked, applicability, reasons));
            }
        }
        let known_words = tokens
            .iter()
            .zip(&suspects)
            .filter(|(t, s)| t.kind == TokenKind::Word && s.is_none())
            .map(|(t, _)| &text[t.span.start..t.span.end]);
        profile.confusions = shadows::confusion_rates(&findings, known_words);
        for f in &mut findings {
            if shadows::settled_by_habit(f, &profile, self.policy.auto_min_margin) {
                f.applicability = Applicability::Auto;
                f.reasons.push(Reason::PageHabit);
            }
        }
        let shadowed = self.ocr_shadows(
            doc, &tokens, &suspects, &consumed, &protected, &findings, &ranker, &profile, cache,
        );
        // A shadow the page's own confusions explain outranks an accent twin of the same word
        // (`informé` is informó, not informe, in a page that reads ó as é).
        let shadowed_at: FxHashSet<usize> = shadowed.iter().map(|f| f.span.start).collect();
        findings.extend(shadowed);
        let (mut left, mut right) = (String::new(), String::new());
        for (i, token) in tokens.iter().enumerate() {
            let candidate = token.kind == TokenKind::Word && suspects[i].is_none() && !consumed[i];
            if !candidate
                || shadowed_at.contains(&token.span.start)
                || detect::is_protected(token.span, &protected)
            {
                continue;
            }
            // Most words have no twin: look that up (cached) before reading the context.
            let word = doc.slice(token.span);
            let Some(twins) = cache.twins(word, || self.twins_of(word)) else {
                continue;
            };
            neighbours_into(text, &tokens, i, &mut left, &mut right);
            if let Some((mut ranked, mut applicability)) =
                self.accent_twins(word, &twins, (&left, &right), &ranker, &profile)
            {
                let mut reasons = vec![Reason::AccentShadow, Reason::AccentRestored];
                if Case::of(word) == Case::Title && after_lower_case_word(text, &tokens, i) {
                    self.lower_initial_read_as_capital(word, &mut ranked);
                    // Names keep accents other words lack (Belem do Pará, not Para): taking
                    // one from a capitalised word inside a sentence is for a reviewer.
                    let takes_accent = ranked.first().is_some_and(|r| {
                        r.steps
                            .iter()
                            .any(|s| matches!(s, Step::AccentAdded { .. }))
                    });
                    if takes_accent {
                        applicability = applicability.min(Applicability::Review);
                        reasons.push(Reason::PossibleName);
                    }
                }
                findings.push(finding(doc, token.span, ranked, applicability, reasons));
            }
        }
        findings.extend(self.sign_repairs(doc, &tokens, &consumed, &ranker));
        // A tail supersedes the findings on its scraps (`. íú ,`: the unknown `íú` goes with
        // it); one that a finding begun before it reaches into is left to that finding.
        let mut tails = self.noise_tails(doc, &tokens, &consumed, &ranker);
        tails.retain(|t| {
            !findings
                .iter()
                .any(|f| f.span.start < t.span.start && f.span.overlaps(t.span))
        });
        findings.retain(|f| !tails.iter().any(|t| t.span.overlaps(f.span)));
        findings.extend(tails);
        findings.extend(edge_specks(doc, &tokens, &consumed, &ranker));
        findings.sort_by_key(|f| (f.span.start, f.span.end));
        if !self.memory.is_empty() {
            self.remember(&mut findings);
        }
        Analysis { findings, profile }
    }

    /// Reviewers' decisions override the policy: a rejected change is never automatic again,
    /// one accepted repeatedly becomes automatic (see `memory`).
    fn remember(&self, findings: &mut [Finding]) {
        for f in findings {
            let Some(proposal) = f.proposal() else {
                continue;
            };
            let is_word = self.lexicon.known(&f.original).is_some();
            if let Some((applicability, reason)) =
                self.memory
                    .adjust(&f.original, proposal, f.applicability, is_word)
            {
                f.applicability = applicability;
                f.reasons.push(reason);
            }
        }
    }

    /// The accent twins of a known word, if it has any (what `accent_twins` weighs).
    fn twins_of(&self, word: &str) -> Option<Twins> {
        if word.len() < 2 || Case::of(word) == Case::Mixed {
            return None;
        }
        let lower = word.to_lowercase();
        let own = self.lexicon.known(word)?;
        let mut ids = Vec::new();
        self.lexicon.with_fold(&fold(word), &mut ids);
        // A capitalised entry beside its lower-case one (`Para`, `El`: sentence starts) is
        // the same twin, not another.
        let texts: Vec<&str> = ids.iter().map(|&id| self.lexicon.text(id)).collect();
        let lower_too = |t: &str| {
            t.chars().any(char::is_uppercase) && texts.contains(&t.to_lowercase().as_str())
        };
        let mut ids: Vec<EntryId> = ids
            .iter()
            .zip(&texts)
            .filter(|(_, t)| !lower_too(t))
            .map(|(&id, _)| id)
            .collect();
        if ids.len() < 2 {
            return None;
        }
        let spellings: Vec<String> = ids
            .iter()
            .map(|&id| self.lexicon.text(id).to_lowercase())
            .collect();
        let own_index = spellings.iter().position(|s| *s == lower)?;
        ids[own_index] = own;
        let ambiguous = AMBIGUOUS_SHADOWS.contains(&fold(&lower).as_str());
        // The ambiguous pairs take their prior from clean text, not from web counts.
        let shares = if ambiguous {
            self.context.shares(&spellings)
        } else {
            None
        };
        Some(Twins {
            ids,
            context: self.context.twin_set(&spellings),
            spellings,
            own: own_index,
            ambiguous,
            shares,
        })
    }

    /// The odds of each accent twin of a known word in its context (`ocrqa candidates
    /// --context` shows them); empty when the word has no twin.
    pub fn twin_odds(
        &self,
        word: &str,
        neighbours: (&str, &str),
        profile: &Profile,
    ) -> Vec<TwinOdds<'_>> {
        self.twins_of(word)
            .map_or_else(Vec::new, |twins| self.weigh(&twins, neighbours, profile))
    }

    /// Each twin but the word itself, with its log-odds over the word and their parts.
    fn weigh(
        &self,
        twins: &Twins,
        (left, right): (&str, &str),
        profile: &Profile,
    ) -> Vec<TwinOdds<'_>> {
        let own = twins.own;
        let written = &twins.spellings[own];
        let mut evidence = Vec::new();
        self.context
            .evidence_for(left, &twins.context, right, &mut evidence);
        (0..twins.ids.len())
            .filter(|&i| i != own && twins.spellings[i] != *written)
            .map(|i| {
                let prior = match &twins.shares {
                    Some(shares) => (shares[i] / shares[own]).ln(),
                    None => {
                        self.lexicon.log_prob(twins.ids[i]) - self.lexicon.log_prob(twins.ids[own])
                    }
                };
                let (dropped, added) = accent_changes(written, &twins.spellings[i]);
                let channel = dropped as f64 * profile.accent_drop_rate.ln()
                    + added as f64 * profile.accent_add_rate.ln();
                let context = evidence[i] - evidence[own];
                TwinOdds {
                    id: twins.ids[i],
                    text: self.lexicon.text(twins.ids[i]),
                    prior,
                    context,
                    channel,
                    log_odds: prior + context + channel,
                }
            })
            .collect()
    }

    /// A real word that may be an accent twin misread: `periodo`, `Union`, `esta` for the
    /// accented word, or `dé`, `entré` for the plain one. Returns the twins the odds favour,
    /// ranked, and how safe the best is. The log-odds of twin `v` over the written word `w`
    /// are `ln P(v)/P(w) + context evidence(v) − evidence(w) + channel`, the channel being
    /// `ln d` per accent OCR would have dropped and `ln a` per accent it would have added (the
    /// document's rates). For the ambiguous pairs `P` is the share in clean text (see
    /// `AMBIGUOUS_SHADOWS`).
    fn accent_twins(
        &self,
        word: &str,
        twins: &Twins,
        (left, right): (&str, &str),
        ranker: &Ranker,
        profile: &Profile,
    ) -> Option<(Vec<Ranked>, Applicability)> {
        let odds = self.weigh(twins, (left, right), profile);
        let chosen: Vec<&TwinOdds> = odds
            .iter()
            .filter(|o| o.log_odds >= TWIN_REVIEW_ODDS.ln())
            .collect();
        let best = chosen.iter().map(|o| o.log_odds).max_by(f64::total_cmp)?;
        let candidates: Vec<Candidate> = chosen
            .iter()
            .map(|o| Candidate {
                words: Words::one(o.id),
                source: Source::Accent,
            })
            .collect();
        let ranked = ranker.rank(word, &candidates);
        let auto_odds = if twins.ambiguous {
            AMBIGUOUS_AUTO_ODDS
        } else {
            TWIN_AUTO_ODDS
        };
        let applicability = if best >= auto_odds.ln() && ranked.len() == 1 {
            Applicability::Auto
        } else {
            Applicability::Review
        };
        Some((ranked, applicability))
    }

    /// OCR reads a lower-case accented initial as its capital (the accent makes `ú` tall):
    /// after a lower-case word, `Ultimo` is último, not Último (after a capital it may be a
    /// name's: República Árabe). Lower-cases the initial of the alternatives that put an
    /// accent on it, when the lexicon spells them more often in lower case (`Africa` stays
    /// África).
    fn lower_initial_read_as_capital(&self, word: &str, ranked: &mut [Ranked]) {
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
            let count = |w: &str| self.lexicon.exact(w).map(|id| self.lexicon.count(id));
            let lower_count = count(&lowered);
            if lower_count.is_some() && lower_count >= count(&r.text) {
                r.text = lowered;
            }
        }
    }

    /// Alternatives that differ only by accents (`pe-⏎riodo`: período, periodo) are what only
    /// the neighbours tell apart: the context model's evidence between them enters their
    /// scores, measured from the set's leader, whose score stays as it was. Context can only
    /// confirm the ranking: a set whose leader it would overturn (`se calcul6`: calculó, not
    /// cálculo, whatever a small corpus says) is left as ranked, and so are the ambiguous
    /// pairs (`el`/`él`, `como`/`cómo`). `around` gives the neighbours, asked for only when
    /// such a set is there.
    pub fn context_between_twins(
        &self,
        ranked: &mut [Ranked],
        around: impl FnOnce() -> (String, String),
    ) {
        let folded: Vec<String> = ranked.iter().map(|r| fold(&r.text)).collect();
        // Each set: its members (in score order, the leader first) and their spellings.
        let mut sets: Vec<(Vec<usize>, Vec<String>)> = Vec::new();
        for (k, set) in folded.iter().enumerate() {
            // The ambiguous pairs need more than a small corpus's say (see `accent_twins`).
            if folded[..k].contains(set) || AMBIGUOUS_SHADOWS.contains(&set.as_str()) {
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
            let said = self.context.evidence(&left, &spellings, &right);
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
            crate::rank::with_context(ranked, &evidence);
        }
    }

    /// Known words that this document's OCR habits make likely misreadings of a word one
    /// confusion away (see `shadows`). Names (capitalised lexicon entries), capitals and
    /// words another finding already covers are left alone.
    #[allow(clippy::too_many_arguments)]
    fn ocr_shadows(
        &self,
        doc: &Document,
        tokens: &[Token],
        suspects: &[Option<Suspicion>],
        consumed: &[bool],
        protected: &[ByteSpan],
        findings: &[Finding],
        ranker: &Ranker,
        profile: &Profile,
        cache: &mut CandidateCache,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        let found: FxHashSet<usize> = findings.iter().map(|f| f.span.start).collect();
        for (i, token) in tokens.iter().enumerate() {
            if token.kind != TokenKind::Word
                || suspects[i].is_some()
                || consumed[i]
                || found.contains(&token.span.start)
                || detect::is_protected(token.span, protected)
            {
                continue;
            }
            let word = doc.slice(token.span);
            let case = Case::of(word);
            let unexplained_capital =
                case == Case::Title && after_lower_case_word(&doc.text, tokens, i);
            if matches!(case, Case::Upper | Case::Mixed)
                || (profile.confusions.is_empty() && !unexplained_capital)
            {
                continue;
            }
            let Some(own) = cache.known(&self.lexicon, word) else {
                continue;
            };
            if self
                .lexicon
                .text(own)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            {
                continue;
            }
            let shadows = cache.shadows(word, || shadows::shadows_of(self, &word.to_lowercase()));
            if shadows.is_empty() {
                continue;
            }
            let odds = shadows::weigh(
                self,
                own,
                &shadows,
                &profile.confusions,
                unexplained_capital,
            );
            let chosen: Vec<Candidate> = odds
                .iter()
                .filter(|(_, o)| *o >= shadows::SHADOW_REVIEW_ODDS.ln())
                .map(|(s, _)| Candidate {
                    words: Words::one(s.id),
                    source: Source::Confusion,
                })
                .collect();
            let Some(&(_, best)) = odds.first() else {
                continue;
            };
            if chosen.is_empty() {
                continue;
            }
            // An accent twin the odds favour more is the better reading (`entré`: entre,
            // not entró); the twins' pass proposes it.
            if let Some(twins) = cache.twins(word, || self.twins_of(word)) {
                let (left, right) = neighbours(&doc.text, tokens, i);
                let weighed = self.weigh(&twins, (&left, &right), profile);
                if weighed.iter().any(|t| t.log_odds >= best) {
                    continue;
                }
            }
            let ranked = ranker.rank(word, &chosen);
            let applicability = if best >= shadows::SHADOW_AUTO_ODDS.ln() && ranked.len() == 1 {
                Applicability::Auto
            } else {
                Applicability::Review
            };
            let reasons = vec![Reason::OcrShadow, Reason::OcrConfusion];
            out.push(finding(doc, token.span, ranked, applicability, reasons));
        }
        out
    }

    /// Specks at the end of a line, after its sentence has ended: what a degraded scan's
    /// margin gives (`se habían falsificado. S Sn . :`). A tail goes when every token of it is
    /// a mark or a scrap of at most three letters that is no word (two letters may be one:
    /// `E E .`), and it holds at least one mark; the sentence's own end mark stays. Applied
    /// automatically: such tails are no text. What is glued to the end mark (a closing quote)
    /// is the sentence's.
    fn noise_tails(
        &self,
        doc: &Document,
        tokens: &[Token],
        consumed: &[bool],
        ranker: &Ranker,
    ) -> Vec<Finding> {
        let text = doc.text.as_str();
        let slice = |t: &Token| &text[t.span.start..t.span.end];
        let is_mark = |t: &Token| matches!(t.kind, TokenKind::Punct | TokenKind::Symbol);
        let is_scrap = |t: &Token| {
            let w = slice(t);
            let letters = w.chars().count();
            t.kind == TokenKind::Word
                && (letters <= 2 || (letters == 3 && self.lexicon.known(w).is_none()))
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            // A sentence end: a word, then `.`, `;`, `:`, `?` or `!` glued to it.
            let ends_sentence = i >= 1
                && tokens[i - 1].kind == TokenKind::Word
                && tokens[i].kind == TokenKind::Punct
                && matches!(slice(&tokens[i]), "." | ";" | ":" | "?" | "!")
                && tokens
                    .get(i + 1)
                    .is_some_and(|t| t.kind == TokenKind::Space);
            if !ends_sentence {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            let (mut marks, mut words) = (0, 0);
            let mut last = None;
            while j < tokens.len() && tokens[j].kind != TokenKind::Newline {
                let t = &tokens[j];
                if t.kind == TokenKind::Space {
                } else if consumed[j] || !(is_mark(t) || is_scrap(t)) {
                    last = None;
                    break;
                } else {
                    marks += usize::from(is_mark(t));
                    words += usize::from(
                        is_scrap(t)
                            && self.lexicon.known(slice(t)).is_some()
                            && !stray_conjunction_e(text, tokens, j),
                    );
                    last = Some(j);
                }
                j += 1;
            }
            // A scrap hyphenated at the line end is the start of a word broken across lines
            // (`en la. for-⏎mulación`), not noise.
            let broken_word = last.is_some_and(|k| {
                joins::is_hyphen(slice(&tokens[k]))
                    && tokens[k - 1].kind == TokenKind::Word
                    && tokens[k - 1].span.end == tokens[k].span.start
            });
            // Without a mark, a tail goes only if no scrap of it is a word (`Lanka. i`): `A`
            // may begin the next sentence.
            if let (Some(last), true, false) = (last, marks > 0 || words == 0, broken_word) {
                let span = ByteSpan::new(tokens[i].span.end, tokens[last].span.end);
                out.push(sign_repair(doc, span, "", ranker, Reason::LineNoise));
            }
            i = j.max(i + 1);
        }
        out
    }

    /// Signs OCR misreads between words, which the lexicon cannot see: `11° período` and
    /// `N° 5` (the ordinal indicator º), `uno 0 dos` (the conjunction o), and specks read as
    /// `.`, `:` or `;` after an article, preposition or conjunction that goes on with a
    /// lower-case word (`de. la`), or glued between two words (`países.que`, `la-reunión`).
    /// All are applied automatically: none of these occurs in the running text of these
    /// documents.
    fn sign_repairs(
        &self,
        doc: &Document,
        tokens: &[Token],
        consumed: &[bool],
        ranker: &Ranker,
    ) -> Vec<Finding> {
        let text = doc.text.as_str();
        let at = |k: usize| {
            tokens
                .get(k)
                .map(|t| (t.kind, &text[t.span.start..t.span.end]))
        };
        let lower_word = |k: usize| {
            at(k).is_some_and(|(kind, w)| {
                kind == TokenKind::Word && w.chars().next().is_some_and(char::is_lowercase)
            })
        };
        let mut out = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            if consumed[i] || i == 0 {
                continue;
            }
            let before = at(i - 1);
            let spaced =
                |k: usize| at(k).is_some_and(|(kind, w)| kind == TokenKind::Space && w == " ");
            let line_break = |k: usize| at(k).is_some_and(|(kind, _)| kind == TokenKind::Newline);
            // A stop after a function word, before the lower-case word it goes on with.
            let after_function_word = |mark: &str| {
                matches!(mark, "." | ":" | ";")
                    && matches!(before, Some((TokenKind::Word, w)) if is_function_word(w))
                    && (i < 2 || spaced(i - 2) || line_break(i - 2))
                    && spaced(i + 1)
                    && lower_word(i + 2)
            };
            // No word of running text begins with a dash or an underscore glued to it
            // (`-desempefian`, `_evaluación`); a list's dash is followed by a space.
            let before_word = |mark: &str| {
                matches!(mark, "-" | "_")
                    && matches!(before, Some((TokenKind::Space | TokenKind::Newline, _)))
                    && lower_word(i + 1)
                    && at(i + 1).is_some_and(|(_, w)| w.chars().count() >= 2)
            };
            match at(i) {
                Some((TokenKind::Punct, mark))
                    if after_function_word(mark) || before_word(mark) =>
                {
                    out.push(sign_repair(
                        doc,
                        token.span,
                        "",
                        ranker,
                        Reason::StrayPunctuation,
                    ));
                }
                Some((TokenKind::Punct, mark)) if glues_two_words(text, tokens, i, mark) => {
                    out.push(sign_repair(
                        doc,
                        token.span,
                        " ",
                        ranker,
                        Reason::GluedWords,
                    ));
                }
                Some((TokenKind::Punct, "‘" | "’" | "'")) => {
                    if let Some(replacement) = stray_quote(text, tokens, i) {
                        out.push(sign_repair(
                            doc,
                            token.span,
                            replacement,
                            ranker,
                            Reason::StrayQuote,
                        ));
                    }
                }
                Some((TokenKind::Symbol, "°")) => {
                    let after_number =
                        matches!(before, Some((TokenKind::Number, n)) if n.len() <= 3);
                    let after_n = matches!(before, Some((TokenKind::Word, "N" | "n")));
                    let next_number = matches!(at(i + 2), Some((TokenKind::Number, _)));
                    if spaced(i + 1)
                        && ((after_number && lower_word(i + 2)) || (after_n && next_number))
                    {
                        let ordinal = ordinal_for(at(i + 2).map_or("", |(_, w)| w));
                        out.push(sign_repair(
                            doc,
                            token.span,
                            ordinal,
                            ranker,
                            Reason::OrdinalSign,
                        ));
                    }
                }
                Some((TokenKind::Number, "0"))
                    if spaced(i - 1)
                        && spaced(i + 1)
                        && i >= 2
                        && matches!(at(i - 2), Some((TokenKind::Word, _)))
                        && lower_word(i + 2) =>
                {
                    let Some(o) = self.lexicon.exact("o") else {
                        continue;
                    };
                    let candidate = Candidate {
                        words: Words::one(o),
                        source: Source::Confusion,
                    };
                    let ranked = ranker.rank("0", &[candidate]);
                    out.push(finding(
                        doc,
                        token.span,
                        ranked,
                        Applicability::Auto,
                        vec![Reason::DigitForLetter, Reason::OcrConfusion],
                    ));
                }
                _ => {}
            }
        }
        out
    }

    /// Score of a piece of a possible join read as a word by itself: its own frequency if
    /// known, else its best cheap repair, else that of an unknown word.
    fn piece_score(
        &self,
        generator: &Generator,
        ranker: &Ranker,
        cache: &mut CandidateCache,
        piece: &str,
    ) -> f64 {
        if let Some(id) = self.lexicon.known(piece) {
            return W_FREQUENCY * self.lexicon.log_prob(id);
        }
        let candidates = cache.for_word_cheap(generator, piece);
        let unknown = W_FREQUENCY * self.lexicon.unknown_log_prob() - W_CHANNEL * GENERIC_EDIT;
        ranker
            .rank(piece, candidates)
            .first()
            .map_or(unknown, |r| r.breakdown.score.max(unknown))
    }

    fn profile(&self, text: &str, tokens: &[Token], suspects: &[Option<Suspicion>]) -> Profile {
        let mut p = Profile::default();
        let mut ids = Vec::new();
        for (token, suspect) in tokens.iter().zip(suspects) {
            if token.kind != TokenKind::Word {
                continue;
            }
            p.words += 1;
            let word = &text[token.span.start..token.span.end];
            let accents = accented_letters(word);
            match suspect {
                Some(_) => {
                    p.suspicious += 1;
                    ids.clear();
                    self.lexicon.with_fold(&fold(word), &mut ids);
                    let twin_accents = ids
                        .iter()
                        .map(|&id| accented_letters(self.lexicon.text(id)));
                    match twin_accents.clone().max() {
                        Some(most) if most > accents => p.accents_dropped += 1,
                        _ if twin_accents.min().is_some_and(|least| least < accents) => {
                            p.accents_added += 1;
                        }
                        _ => {}
                    }
                }
                None if accents > 0 => p.accents_kept += 1,
                None => {}
            }
        }
        // A weak prior of one dropped in four keeps short documents from extreme rates.
        p.accent_drop_rate =
            (p.accents_dropped as f64 + 1.0) / ((p.accents_dropped + p.accents_kept) as f64 + 4.0);
        // Spurious accents are counted per word; the prior is one in a hundred words.
        p.accent_add_rate = (p.accents_added as f64 + 0.5) / (p.words as f64 + 50.0);
        p
    }
}

/// Accents (or tildes) OCR would have dropped and added to print `observed` for `intended`,
/// two spellings with the same folded form.
fn accent_changes(observed: &str, intended: &str) -> (usize, usize) {
    let (mut dropped, mut added) = (0, 0);
    for (o, t) in observed.chars().zip(intended.chars()) {
        if o != t {
            dropped += usize::from(!t.is_ascii());
            added += usize::from(!o.is_ascii());
        }
    }
    (dropped, added)
}

/// Letters with a diacritic (and ñ): what OCR drops or adds.
fn accented_letters(word: &str) -> usize {
    word.chars()
        .filter(|&c| !c.is_ascii() && c.is_alphabetic())
        .count()
}

/// Whether token `i` starts a sentence (or a heading, or the document).
fn sentence_start(text: &str, tokens: &[Token], i: usize) -> bool {
    let mut newline = false;
    for t in tokens[..i].iter().rev() {
        match t.kind {
            TokenKind::Space => continue,
            TokenKind::Newline => {
                newline = true;
                continue;
            }
            TokenKind::Punct => {
                return matches!(
                    &text[t.span.start..t.span.end],
                    "." | "!" | "?" | "¿" | "¡" | ":" | "(" | "«" | "“" | "\"" | "["
                ) || newline;
            }
            TokenKind::Number => return true,
            _ => return false,
        }
    }
    true
}

/// Whether the word before token `i` (on any line) begins with a lower-case letter.
fn after_lower_case_word(text: &str, tokens: &[Token], i: usize) -> bool {
    tokens[..i]
        .iter()
        .rev()
        .find(|t| !matches!(t.kind, TokenKind::Space | TokenKind::Newline))
        .is_some_and(|t| {
            t.kind == TokenKind::Word
                && text[t.span.start..t.span.end]
                    .chars()
                    .next()
                    .is_some_and(char::is_lowercase)
        })
}

/// An automatic repair of a sign or speck: the text at `span` becomes `replacement`, priced
/// by the error model.
fn sign_repair(
    doc: &Document,
    span: ByteSpan,
    replacement: &str,
    ranker: &Ranker,
    reason: Reason,
) -> Finding {
    let observed = doc.slice(span);
    let cost = ranker.model.cost(observed, replacement, ranker.accents);
    let ranked = vec![Ranked::sign(observed, replacement, cost)];
    finding(doc, span, ranked, Applicability::Auto, vec![reason])
}

fn finding(
    doc: &Document,
    span: ByteSpan,
    ranked: Vec<Ranked>,
    applicability: Applicability,
    reasons: Vec<Reason>,
) -> Finding {
    Finding {
        span,
        original: doc.slice(span).to_string(),
        alternatives: ranked,
        applicability,
        reasons,
    }
}

/// The neighbours of the first occurrence of `word` in `text`, as the context model sees them.
pub fn neighbours_in(text: &str, word: &str) -> Option<(String, String)> {
    let tokens = tokenize(text);
    let i = tokens
        .iter()
        .position(|t| &text[t.span.start..t.span.end] == word)?;
    Some(neighbours(text, &tokens, i))
}

/// The context model's view of what stands left and right of token `i`: the nearest word
/// (folded) or punctuation mark on each side; line breaks are layout, not context.
fn neighbours(text: &str, tokens: &[Token], i: usize) -> (String, String) {
    let (mut left, mut right) = (String::new(), String::new());
    neighbours_into(text, tokens, i, &mut left, &mut right);
    (left, right)
}

/// [`neighbours`] written into `left` and `right` (every word with accent twins asks).
fn neighbours_into(text: &str, tokens: &[Token], i: usize, left: &mut String, right: &mut String) {
    let seen = |t: &&Token| !matches!(t.kind, TokenKind::Space | TokenKind::Newline);
    let view = |t: Option<&Token>, out: &mut String, none: &str| {
        out.clear();
        match t {
            Some(t) => fold_into(&text[t.span.start..t.span.end], out),
            None => out.push_str(none),
        }
    };
    view(tokens[..i].iter().rev().find(seen), left, LINE_START);
    view(tokens[i + 1..].iter().find(seen), right, LINE_END);
}

/// Whether token `i` is a lone `e` where the conjunction cannot stand: it is only written
/// before a word that begins with an i sound (`e Iglesias`, `e hijos`), so elsewhere it is a
/// speck (`acuerdos de Minsk. E⏎`).
fn stray_conjunction_e(text: &str, tokens: &[Token], i: usize) -> bool {
    if !matches!(&text[tokens[i].span.start..tokens[i].span.end], "e" | "E") {
        return false;
    }
    let next = tokens[i + 1..]
        .iter()
        .find(|t| t.kind == TokenKind::Word)
        .map(|t| fold(&text[t.span.start..t.span.end]));
    !next.is_some_and(|w| w.starts_with('i') || w.starts_with("hi"))
}

/// The ordinal indicator for the word it counts: `ª` for a feminine noun (`276ª sesión`,
/// `11ª reunión`), `º` otherwise (`58º período`, `Nº 5`).
fn ordinal_for(next: &str) -> &'static str {
    let next = fold(next);
    if ["a", "ion", "dad", "tud"]
        .iter()
        .any(|end| next.ends_with(end))
    {
        "ª"
    } else {
        "º"
    }
}

/// Articles, prepositions, conjunctions and possessives: words after which a sentence or
/// clause cannot end, so a `.`, `:` or `;` glued to them before a lower-case word is a speck.
const FUNCTION_WORDS: &[&str] = &[
    "el", "la", "los", "las", "un", "una", "unos", "unas", "lo", "al", "del", "a", "ante", "bajo",
    "con", "contra", "de", "desde", "en", "entre", "hacia", "hasta", "para", "por", "sin", "sobre",
    "tras", "y", "e", "o", "u", "ni", "que", "su", "sus", "se",
];

pub(crate) fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.contains(&word.to_lowercase().as_str())
}

/// Marks a degraded scan puts at the very start or end of a line, set off by a space:
/// `* los tipos de`, `_ jóvenes`, `Estados Miembros *`, `las :`. Running text never starts
/// a line with them, nor ends one with a mark after a space. A `.` is only taken at a line's
/// start: at its end it may be the sentence's own period, moved.
fn edge_specks(
    doc: &Document,
    tokens: &[Token],
    consumed: &[bool],
    ranker: &Ranker,
) -> Vec<Finding> {
    const SPECKS: &[&str] = &[
        "*", "+", "_", "~", ">", "<", "=", "|", ",", ";", ":", "-", ".",
    ];
    let text = doc.text.as_str();
    let slice = |k: usize| &text[tokens[k].span.start..tokens[k].span.end];
    let is_speck = |k: usize| {
        matches!(tokens[k].kind, TokenKind::Punct | TokenKind::Symbol)
            && SPECKS.contains(&slice(k))
            && !consumed[k]
    };
    let line_break = |k: Option<usize>| k.is_none_or(|k| tokens[k].kind == TokenKind::Newline);
    let single_space = |k: usize| tokens[k].kind == TokenKind::Space && slice(k) == " ";
    // What a speck at a line's end follows: a word, a number or a mark closing one leaves
    // the line clean once the speck goes; a lone mark or letter, or a comma (a stop misread,
    // `recíproca, *` for recíproca.), is damage the speck is only part of: a reviewer's call.
    let closes_cleanly = |b: usize| match tokens[b].kind {
        TokenKind::Word => slice(b).chars().count() > 1,
        TokenKind::Number | TokenKind::Mixed => true,
        TokenKind::Punct | TokenKind::Symbol => {
            slice(b) != ","
                && b >= 1
                && tokens[b - 1].span.end == tokens[b].span.start
                && matches!(
                    tokens[b - 1].kind,
                    TokenKind::Word | TokenKind::Number | TokenKind::Mixed
                )
        }
        _ => false,
    };
    let mut out = Vec::new();
    let mut push = |span: ByteSpan, applicability: Applicability| {
        let mut finding = sign_repair(doc, span, "", ranker, Reason::LineNoise);
        finding.applicability = applicability;
        out.push(finding);
    };
    for k in 0..tokens.len() {
        if !is_speck(k) {
            continue;
        }
        let before = k.checked_sub(1);
        // A dash before a capital may be a list's: only one before a lower-case word goes.
        let dash_ok = slice(k) != "-"
            || (k + 2 < tokens.len() && slice(k + 2).starts_with(char::is_lowercase));
        let starts_line = line_break(before)
            && k + 2 < tokens.len()
            && single_space(k + 1)
            && matches!(tokens[k + 2].kind, TokenKind::Word | TokenKind::Number)
            && dash_ok;
        let ends_line = slice(k) != "."
            && line_break((k + 1 < tokens.len()).then_some(k + 1))
            && before.is_some_and(|b| single_space(b) && b >= 1 && !line_break(Some(b - 1)));
        if starts_line {
            push(
                tokens[k].span.cover(tokens[k + 1].span),
                Applicability::Auto,
            );
        } else if ends_line {
            let applicability = if closes_cleanly(k - 2) {
                Applicability::Auto
            } else {
                Applicability::Review
            };
            push(tokens[k - 1].span.cover(tokens[k].span), applicability);
        }
    }
    out
}

/// What the single quote mark at token `i` becomes if it is a speck: at one edge of a word
/// (`‘de`, `el’ Día`) with no partner on its line. UN Spanish quotes with “ ” and « »; a
/// lone ‘ or ’ opens or closes nothing (a mark inside a word, `d’Ivoire`, is not at an edge).
/// It goes, or becomes a space where it stood between a mark and a word (`1946,’con`). Two
/// quote marks in a row are left alone.
fn stray_quote(text: &str, tokens: &[Token], i: usize) -> Option<&'static str> {
    let mark_at = |t: &Token| &text[t.span.start..t.span.end];
    let token = |k: Option<usize>| k.and_then(|k| tokens.get(k));
    let is_word = |k: Option<usize>| token(k).is_some_and(|t| t.kind == TokenKind::Word);
    let is_space = |k: Option<usize>| {
        token(k).is_none_or(|t| matches!(t.kind, TokenKind::Space | TokenKind::Newline))
    };
    let is_mark = |k: Option<usize>| {
        token(k).is_some_and(|t| {
            t.kind == TokenKind::Punct && !matches!(mark_at(t), "‘" | "’" | "'" | "“" | "”" | "\"")
        })
    };
    let (before, after) = (i.checked_sub(1), Some(i + 1));
    let (opening, replacement) = if is_word(after) && is_space(before) {
        (true, "")
    } else if is_word(after) && is_mark(before) {
        (true, " ")
    } else if is_word(before) && (is_space(after) || is_mark(after)) {
        (false, "")
    } else {
        return None;
    };
    let partner_on_line = |range: &mut dyn Iterator<Item = &Token>, partners: &[&str]| {
        range
            .take_while(|t| t.kind != TokenKind::Newline)
            .any(|t| t.kind == TokenKind::Punct && partners.contains(&mark_at(t)))
    };
    let paired = if opening {
        partner_on_line(&mut tokens[i + 1..].iter(), &["’", "'"])
    } else {
        partner_on_line(&mut tokens[..i].iter().rev(), &["‘", "'"])
    };
    (!paired).then_some(replacement)
}

/// Whether the mark at token `i` joins two words that a speck glued together (`países.que`,
/// `redacción:de`, `se’celebrará`, `la-reunión`): a word on each side with no space, the
/// second in lower case, one of them at least three letters long. A hyphen only counts next
/// to an article, preposition or conjunction (`político-militares` is a compound).
fn glues_two_words(text: &str, tokens: &[Token], i: usize, mark: &str) -> bool {
    const GLUE: &[&str] = &[".", ":", ";", ",", "'", "’", "‘", "-"];
    if i == 0 || i + 1 >= tokens.len() || !GLUE.contains(&mark) {
        return false;
    }
    let (a_kind, b_kind) = (tokens[i - 1].kind, tokens[i + 1].kind);
    let (a, b) = (
        &text[tokens[i - 1].span.start..tokens[i - 1].span.end],
        &text[tokens[i + 1].span.start..tokens[i + 1].span.end],
    );
    // A number glued to a function word by a speck (`el 7.del reglamento`, `el 6:de octubre`);
    // not to a letter alone, which may be an ordinal's (`1.a`).
    if a_kind == TokenKind::Number && b_kind == TokenKind::Word {
        return matches!(mark, "." | "," | ":" | ";")
            && b.chars().count() >= 2
            && b.chars().all(char::is_lowercase)
            && is_function_word(b);
    }
    if a_kind != TokenKind::Word || b_kind != TokenKind::Word {
        return false;
    }
    // Two short words glued are no compound when both are function words (`y-la`, `de.la`).
    let long_enough = a.chars().count() >= 3
        || b.chars().count() >= 3
        || is_function_word(a) && is_function_word(b);
    let lower_after = b.chars().next().is_some_and(char::is_lowercase);
    let hyphen_ok = mark != "-" || is_function_word(a) || is_function_word(b);
    long_enough && lower_after && hyphen_ok
}

/// Accent costs are priced at the document's drop rate rounded to a twentieth: the estimate
/// is no finer than that, and documents in the same bucket share rankings across a batch.
fn priced_drop_rate(rate: f64) -> f64 {
    f64::from(drop_rate_bucket(rate)) / 20.0
}

fn drop_rate_bucket(rate: f64) -> u8 {
    (rate.clamp(0.0, 1.0) * 20.0).round() as u8
}
