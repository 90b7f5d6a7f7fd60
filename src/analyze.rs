//! The pipeline over one document: tokens → suspects → candidates → ranked → findings, with
//! the document's error profile. Produces an `Analysis`; writing it out is for `output`.

use crate::candidates::joins::{self, JoinKind};
use crate::candidates::{Candidate, Generator, Source};
use crate::decide::{Applicability, Context, Policy, Reason};
use crate::detect::{self, nfc, Suspicion};
use crate::document::Document;
use crate::edit::{apply_edits, Edit};
use crate::errmodel::GENERIC_EDIT;
use crate::errmodel::{AccentCosts, ErrorModel};
use crate::lexicon::{fold, Lexicon};
use crate::rank::{Ranked, Ranker, W_CHANNEL, W_FREQUENCY};
use crate::span::ByteSpan;
use crate::tokenize::{tokenize, Case, Token, TokenKind};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// A known piece this common (per billion; Zipf 5: `es`, `la`, `para`) is a word of its own,
/// never half of a split word: `Declaracion es` is not `Declaraciones`.
pub const MAX_JOINED_PIECE_COUNT: u32 = 100_000;

/// A real word whose accented twin is this many times more frequent is proposed for review
/// (`Union` → Unión, `ademas` → además)...
pub const SHADOW_REVIEW_RATIO: f64 = 3.0;
/// ... and applied automatically when the twin is this many times more frequent and the
/// document drops accents (see `SHADOW_AUTO_DROP_RATE`).
pub const SHADOW_AUTO_RATIO: f64 = 20.0;
pub const SHADOW_AUTO_DROP_RATE: f64 = 0.5;
/// Words whose accented twin differs in grammatical function, not spelling: the closed set of
/// ambiguous pairs (solo/sólo, aun/aún, si/sí, el/él, mas/más, se/sé, tu/tú, te/té, de/dé,
/// mi/mí), demonstratives (esta/está, este/éste…) and interrogatives (que/qué…). Only context
/// can decide them, so frequency never does.
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
    pub policy: Policy,
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
}

impl CandidateCache {
    pub const CAPACITY: usize = 200_000;

    fn make_room(&mut self) {
        if self.words.len() + self.cheap.len() + self.joins.len() >= Self::CAPACITY {
            *self = CandidateCache::default();
        }
    }

    fn for_word(&mut self, generator: &Generator, word: &str) -> &[Candidate] {
        self.make_room();
        self.words.entry(word.to_lowercase()).or_insert_with(|| {
            let mut c = Vec::new();
            generator.for_word(word, &mut c);
            c
        })
    }

    fn for_word_cheap(&mut self, generator: &Generator, word: &str) -> &[Candidate] {
        self.make_room();
        self.cheap.entry(word.to_lowercase()).or_insert_with(|| {
            let mut c = Vec::new();
            generator.for_word_cheap(word, &mut c);
            c
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
    pub fn new(lexicon: Lexicon, model: ErrorModel, policy: Policy) -> Engine {
        Engine {
            lexicon,
            model,
            policy,
        }
    }

    /// The shipped lexicon and confusion model with the default policy.
    pub fn shipped() -> Engine {
        Engine::new(Lexicon::shipped(), ErrorModel::shipped(), Policy::default())
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
            .map(|t| detect::suspicion(text, t, &protected, &self.lexicon))
            .collect();
        let profile = self.profile(text, &tokens, &suspects);
        let generator = Generator {
            lexicon: &self.lexicon,
            model: &self.model,
        };
        let ranker = Ranker {
            lexicon: &self.lexicon,
            model: &self.model,
            accents: AccentCosts::for_drop_rate(profile.accent_drop_rate),
        };
        let mut findings = Vec::new();
        let mut consumed = vec![false; tokens.len()];

        let mut sites = joins::sites(text, &tokens);
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
            if site.kind == JoinKind::Space && (!unknown || function_word(&a) || function_word(&b))
            {
                continue;
            }
            let candidates = cache.for_join(&generator, &a, &b, site.kind);
            let ranked = ranker.rank_pieces(&a, &b, candidates);
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
            consumed[site.first] = true;
            consumed[site.second] = true;
            findings.push(finding(doc, site.span, ranked, applicability, reasons));
        }

        let mut memo: FxHashMap<String, Vec<Ranked>> = FxHashMap::default();
        for (i, token) in tokens.iter().enumerate() {
            let Some(suspicion) = suspects[i] else {
                continue;
            };
            if consumed[i] {
                continue;
            }
            let word = nfc(doc.slice(token.span));
            let ranked = memo
                .entry(word.to_string())
                .or_insert_with(|| ranker.rank(&word, cache.for_word(&generator, &word)))
                .clone();
            let case = Case::of(&word);
            let context = Context {
                maybe_name: suspicion == Suspicion::LettersAndDigits
                    || (case == Case::Title && !sentence_start(text, &tokens, i)),
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
        for (i, token) in tokens.iter().enumerate() {
            let candidate = token.kind == TokenKind::Word && suspects[i].is_none() && !consumed[i];
            if !candidate || detect::is_protected(token.span, &protected) {
                continue;
            }
            let drop_rate = profile.accent_drop_rate;
            if let Some((ranked, applicability)) =
                self.accent_shadow(doc.slice(token.span), &ranker, drop_rate)
            {
                let reasons = vec![Reason::AccentShadow, Reason::AccentRestored];
                findings.push(finding(doc, token.span, ranked, applicability, reasons));
            }
        }
        findings.sort_by_key(|f| (f.span.start, f.span.end));
        Analysis { findings, profile }
    }

    /// A real word that is the accentless shadow of a far more frequent word (`ademas`,
    /// `Union`): the accented twins, ranked, and how safe the best is. Frequency alone decides,
    /// outside the ambiguous pairs.
    fn accent_shadow(
        &self,
        word: &str,
        ranker: &Ranker,
        drop_rate: f64,
    ) -> Option<(Vec<Ranked>, Applicability)> {
        if !word.is_ascii() || word.len() < 3 || Case::of(word) == Case::Mixed {
            return None;
        }
        if AMBIGUOUS_SHADOWS.contains(&word.to_lowercase().as_str()) {
            return None;
        }
        let own = self.lexicon.log_prob(self.lexicon.known(word)?);
        let mut ids = Vec::new();
        self.lexicon.with_fold(&fold(word), &mut ids);
        let twins: Vec<Candidate> = ids
            .into_iter()
            .filter(|&id| {
                !self.lexicon.text(id).is_ascii()
                    && self.lexicon.log_prob(id) - own >= SHADOW_REVIEW_RATIO.ln()
            })
            .map(|id| Candidate {
                words: vec![id],
                source: Source::Accent,
            })
            .collect();
        let ranked = ranker.rank(word, &twins);
        let ratio = (ranked.first()?.breakdown.log_prob - own).exp();
        let applicability = if ratio >= SHADOW_AUTO_RATIO
            && drop_rate >= SHADOW_AUTO_DROP_RATE
            && ranked.len() == 1
        {
            Applicability::Auto
        } else {
            Applicability::Review
        };
        Some((ranked, applicability))
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
            match suspect {
                Some(_) => {
                    p.suspicious += 1;
                    if word.is_ascii() {
                        ids.clear();
                        self.lexicon.with_fold(&fold(word), &mut ids);
                        if ids.iter().any(|&id| !self.lexicon.text(id).is_ascii()) {
                            p.accents_dropped += 1;
                        }
                    }
                }
                None if !word.is_ascii() => p.accents_kept += 1,
                None => {}
            }
        }
        // A weak prior of one dropped in four keeps short documents from extreme rates.
        p.accent_drop_rate =
            (p.accents_dropped as f64 + 1.0) / ((p.accents_dropped + p.accents_kept) as f64 + 4.0);
        p
    }
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
