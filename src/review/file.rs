//! The review file: a versioned JSON contract with reviewers and their tools, one per
//! document, listing every finding and what reviewers decided of it. `docs/formats.md`
//! documents every field. Reading is strict: unknown fields and unknown versions are errors;
//! version 1 (before decisions) is read as a file whose items are all pending.

use crate::candidates::Source;
use crate::decide::{Applicability, Reason};
use crate::document::Document;
use crate::edit::{apply_choices, Change};
use crate::errmodel::Step;
use crate::hash;
use crate::pipeline::{Analysis, ConfusionRate, Finding, Profile, Substitution};
use crate::span::ByteSpan;
use serde::{Deserialize, Serialize};

pub const REVIEW_FORMAT_VERSION: u32 = 2;
/// Fields version 2 added; a version 1 file that has one is corrupt, not new.
const FIELDS_SINCE_V2: [&str; 3] = ["replacement", "reviewer", "decided_at"];

/// Characters of context kept on each side of a finding, within its line.
pub const CONTEXT_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewFile {
    pub version: u32,
    /// `ocrqa <version>` that wrote the file.
    pub tool: String,
    pub source: SourceInfo,
    /// Which applicability went into the corrected text (`none`: nothing).
    pub applied_level: String,
    /// `Engine::settings_key` of the run that wrote the file: a re-run with the same key and
    /// an unchanged source skips the document. Added within version 1 (older files: empty).
    #[serde(default)]
    pub settings: String,
    /// What `ocrqa fix` wrote beside this file. Added within version 2; absent in older files
    /// and in files not written by `fix`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outputs: Option<OutputsInfo>,
    pub profile: ProfileInfo,
    pub items: Vec<ReviewItem>,
}

/// Fingerprints (as `SourceInfo::fingerprint`) of the corrected text and the diff written
/// with the review file: a re-run skips the document only if the files on disk still match,
/// so a crash that left them incomplete costs a redo, not a wrong output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputsInfo {
    pub text: String,
    pub diff: String,
    /// For a layout file: the fingerprint of its text written beside it (`NAME.hocr.txt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceInfo {
    /// Path of the input, relative to its input root.
    pub path: String,
    /// Where `ocrqa fix` read the input (absolute), so `ocrqa apply` can find it again. Added
    /// in version 2; absent when the document did not come from a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// The layout format the input was read from (`hocr`, `alto`, `page`); absent for plain
    /// text. Its spans, fingerprint and bytes are then those of the text its words make.
    /// Added within version 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    pub fingerprint: String,
    pub bytes: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileInfo {
    pub words: usize,
    pub suspicious: usize,
    pub accents_dropped: usize,
    pub accents_kept: usize,
    pub accent_drop_rate: f64,
    /// Added after the first release of version 1; absent in older files.
    #[serde(default)]
    pub accents_added: usize,
    #[serde(default)]
    pub accent_add_rate: f64,
    /// Added within version 2: the confusions the document's sure repairs undid.
    #[serde(default)]
    pub confusions: Vec<ConfusionRate>,
    /// Added within version 2: letters printed as marks (see `MarkHabits`): colons and
    /// semicolons among letters, telling marks after words read as lost letters and as
    /// specks, and the share of such marks taken for letters.
    #[serde(default)]
    pub letter_marks: usize,
    #[serde(default)]
    pub marks_lost_letters: usize,
    #[serde(default)]
    pub marks_specks: usize,
    #[serde(default)]
    pub mark_letter_share: f64,
    /// Added within version 2: letters the page reads for others beyond the confusion
    /// table, learnt from its repairs (see `profile::learned_substitutions`).
    #[serde(default)]
    pub substitutions: Vec<Substitution>,
}

impl From<&Profile> for ProfileInfo {
    fn from(p: &Profile) -> Self {
        ProfileInfo {
            words: p.accents.words,
            suspicious: p.accents.suspicious,
            accents_dropped: p.accents.dropped,
            accents_kept: p.accents.kept,
            accent_drop_rate: round4(p.accents.drop_rate),
            accents_added: p.accents.added,
            accent_add_rate: round4(p.accents.add_rate),
            confusions: p
                .confusions
                .iter()
                .map(|c| ConfusionRate {
                    rate: round4(c.rate),
                    ..c.clone()
                })
                .collect(),
            letter_marks: p.marks.letter_marks,
            marks_lost_letters: p.marks.lost_letters,
            marks_specks: p.marks.specks,
            mark_letter_share: round4(p.marks.letter_share),
            substitutions: p.substitutions.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Excerpt {
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    pub text: String,
    pub score: f64,
    pub log_prob: f64,
    pub channel_cost: f64,
    pub structural_cost: f64,
    /// Added within version 2: the context model's evidence, written only when not 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub context: f64,
    pub source: Source,
    pub steps: Vec<Step>,
}

pub(super) fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// What reviewers decided of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Nobody decided yet: an automatic change stays in the final text, others stay out.
    Pending,
    /// The replacement (the proposal or an alternative chosen) goes into the final text.
    Accepted,
    /// The original text stays.
    Rejected,
    /// The reviewer typed the replacement.
    Edited,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewItem {
    /// Stable id: FNV-1a 64 of original, context and proposal (see docs/formats.md).
    pub id: String,
    pub span: ByteSpan,
    pub line: usize,
    pub column: usize,
    pub original: String,
    pub context: Excerpt,
    pub proposal: Option<String>,
    pub alternatives: Vec<Alternative>,
    pub applicability: Applicability,
    pub reasons: Vec<Reason>,
    /// Whether the proposal is in the corrected text written beside this file.
    pub applied: bool,
    pub decision: Decision,
    /// What replaces `original` when accepted or edited (null otherwise). Version 2.
    #[serde(default)]
    pub replacement: Option<String>,
    /// Who decided, if they said (`--reviewer`). Version 2.
    #[serde(default)]
    pub reviewer: Option<String>,
    /// When, UTC, RFC 3339 to the second. Version 2.
    #[serde(default)]
    pub decided_at: Option<String>,
    /// Where the item is on the scan, for a document read from a layout file. Added within
    /// version 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<ItemLayout>,
}

/// Where an item stands on its page: the page (from 1), the boxes of the words it covers,
/// in the image's pixels, and the image (its path resolved against the layout file's
/// folder), when the file names one that is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemLayout {
    pub page: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    pub boxes: Vec<[u32; 4]>,
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Decision::Pending => "pending",
            Decision::Accepted => "accepted",
            Decision::Rejected => "rejected",
            Decision::Edited => "edited",
        })
    }
}

impl ReviewItem {
    /// The text that takes this item's place in the final text, if it changes anything:
    /// accepted or edited items give their replacement; pending items only an automatic
    /// change that `ocrqa fix` applied; rejected items nothing.
    pub fn final_replacement(&self) -> Option<&str> {
        match self.decision {
            Decision::Accepted | Decision::Edited => {
                self.replacement.as_deref().or(self.proposal.as_deref())
            }
            Decision::Pending if self.applied && self.applicability == Applicability::Auto => {
                self.proposal.as_deref()
            }
            Decision::Pending | Decision::Rejected => None,
        }
    }

    /// Pending and not automatic: a person still has to look at it.
    pub fn awaits_review(&self) -> bool {
        self.decision == Decision::Pending && self.applicability < Applicability::Auto
    }
}

pub(super) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn excerpt(doc: &Document, span: ByteSpan) -> Excerpt {
    let line_start = doc.line_span(span.start);
    let line_end = doc.line_span(span.end);
    let before_all = &doc.text[line_start.start..span.start];
    let after_all = &doc.text[span.end..line_end.end.max(span.end)];
    let skip = before_all.chars().count().saturating_sub(CONTEXT_CHARS);
    Excerpt {
        before: before_all.chars().skip(skip).collect(),
        after: after_all.chars().take(CONTEXT_CHARS).collect(),
    }
}

fn item(
    doc: &Document,
    f: &Finding,
    applied: bool,
    seen: &mut std::collections::BTreeMap<u64, u32>,
) -> ReviewItem {
    let ctx = excerpt(doc, f.span);
    let proposal = f.proposal().map(str::to_string);
    let base = hash::fnv1a_parts(&[
        f.original.as_bytes(),
        ctx.before.as_bytes(),
        ctx.after.as_bytes(),
        proposal.as_deref().unwrap_or("").as_bytes(),
    ]);
    // Identical findings in identical contexts get their occurrence number mixed in.
    let n = seen.entry(base).or_insert(0);
    let id = if *n == 0 {
        base
    } else {
        hash::fnv1a_parts(&[&base.to_le_bytes(), &n.to_le_bytes()])
    };
    *n += 1;
    let (line, column) = doc.line_col(f.span.start);
    ReviewItem {
        id: format!("{id:016x}"),
        span: f.span,
        line,
        column,
        original: f.original.clone(),
        context: ctx,
        proposal,
        alternatives: f
            .alternatives
            .iter()
            .map(|r| Alternative {
                text: r.text.clone(),
                score: round4(r.breakdown.score),
                log_prob: round4(r.breakdown.log_prob),
                channel_cost: round4(r.breakdown.channel_cost),
                structural_cost: round4(r.breakdown.structural_cost),
                context: round4(r.breakdown.context),
                source: r.source,
                steps: r.steps.clone(),
            })
            .collect(),
        applicability: f.applicability,
        reasons: f.reasons.clone(),
        applied,
        decision: Decision::Pending,
        replacement: None,
        reviewer: None,
        decided_at: None,
        layout: None,
    }
}

impl ReviewFile {
    pub fn new(
        doc: &Document,
        analysis: &Analysis,
        applied: &[bool],
        applied_level: Option<Applicability>,
        settings: String,
    ) -> ReviewFile {
        let mut seen = std::collections::BTreeMap::new();
        ReviewFile {
            version: REVIEW_FORMAT_VERSION,
            tool: concat!("ocrqa ", env!("CARGO_PKG_VERSION")).to_string(),
            source: SourceInfo {
                path: doc.source.clone(),
                input: None,
                format: None,
                fingerprint: doc.fingerprint(),
                bytes: doc.text.len(),
            },
            applied_level: applied_level.map_or("none".to_string(), |l| l.to_string()),
            settings,
            outputs: None,
            profile: ProfileInfo::from(&analysis.profile),
            items: analysis
                .findings
                .iter()
                .zip(applied)
                .map(|(f, &a)| item(doc, f, a, &mut seen))
                .collect(),
        }
    }

    /// Reads a review file of version 1 or 2, refusing other versions and unknown fields. A
    /// version 1 file comes back as version 2 with every item pending.
    pub fn from_json(text: &str) -> Result<ReviewFile, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(1) => check_version_1(&value)?,
            Some(v) if v == u64::from(REVIEW_FORMAT_VERSION) => {}
            Some(v) => return Err(format!("review format version {v} is not supported (this ocrqa reads 1 and {REVIEW_FORMAT_VERSION})")),
            None => return Err("no \"version\" field: not an ocrqa review file".into()),
        }
        let mut review: ReviewFile = serde_json::from_value(value).map_err(|e| e.to_string())?;
        review.version = REVIEW_FORMAT_VERSION;
        review.check_decisions()?;
        Ok(review)
    }

    /// Says, for each item, where it stands on its page: the page, its words' boxes and the
    /// page's image (`images`, by page).
    pub fn locate(&mut self, doc: &Document, images: &[Option<String>]) {
        for item in &mut self.items {
            let words = doc.words_in(item.span);
            let Some(first) = words.first() else {
                continue;
            };
            item.layout = Some(ItemLayout {
                page: first.page + 1,
                image: images.get(first.page).cloned().flatten(),
                boxes: words.iter().filter_map(|w| w.bbox).collect(),
            });
        }
    }

    /// Takes the decisions of `earlier` (the same document's review file from an earlier run)
    /// for the items that are still there: same id, same original.
    pub fn keep_decisions(&mut self, earlier: &ReviewFile) {
        let decided: std::collections::HashMap<&str, &ReviewItem> = earlier
            .items
            .iter()
            .filter(|i| i.decision != Decision::Pending)
            .map(|i| (i.id.as_str(), i))
            .collect();
        for item in &mut self.items {
            if let Some(old) = decided.get(item.id.as_str()) {
                if old.original == item.original {
                    item.decision = old.decision;
                    item.replacement = old.replacement.clone();
                    item.reviewer = old.reviewer.clone();
                    item.decided_at = old.decided_at.clone();
                }
            }
        }
    }

    /// Every decided item says what it decided: accepted items need a proposal or a
    /// replacement, edited ones a replacement; ids are unique.
    fn check_decisions(&self) -> Result<(), String> {
        let mut ids = std::collections::BTreeSet::new();
        for item in &self.items {
            if !ids.insert(item.id.as_str()) {
                return Err(format!("item {}: id appears twice", item.id));
            }
            let missing = match item.decision {
                Decision::Accepted => item.replacement.is_none() && item.proposal.is_none(),
                Decision::Edited => item.replacement.is_none(),
                Decision::Pending | Decision::Rejected => false,
            };
            if missing {
                return Err(format!(
                    "item {}: decision {:?} without a replacement",
                    item.id, item.decision
                ));
            }
        }
        Ok(())
    }

    /// The final text of the document from its source text (what `ocrqa apply` writes), after
    /// checking that the source is the one this file describes: same fingerprint, and each
    /// item's original text at its span. Items whose span overlaps an earlier one that is
    /// applied are left out, as `ocrqa fix` leaves them out.
    pub fn final_text(&self, source: &str) -> Result<FinalText, StaleReview> {
        let found = hash::fingerprint(source.as_bytes());
        if found != self.source.fingerprint {
            return Err(StaleReview::SourceChanged {
                expected: self.source.fingerprint.clone(),
                found,
            });
        }
        for item in &self.items {
            let at = item.span.get(source);
            if at != Some(item.original.as_str()) {
                return Err(StaleReview::SpanMismatch {
                    id: item.id.clone(),
                    span: item.span,
                    expected: item.original.clone(),
                    found: at.map(str::to_string),
                    inside: item.span.end <= source.len(),
                });
            }
        }
        let choices = self.items.iter().map(|i| (i.span, i.final_replacement()));
        let edited = apply_choices(source, choices);
        let left_out = |(item, &applied): (&ReviewItem, &bool)| {
            (item.final_replacement().is_some() && !applied).then(|| item.id.clone())
        };
        let overlapping = self.items.iter().zip(&edited.applied);
        Ok(FinalText {
            overlapping: overlapping.filter_map(left_out).collect(),
            pending: self.items.iter().filter(|i| i.awaits_review()).count(),
            text: edited.text,
            changes: edited.changes,
        })
    }
}

/// A version 1 file has none of the fields version 2 added, and decides nothing.
fn check_version_1(value: &serde_json::Value) -> Result<(), String> {
    let items = value.get("items").and_then(serde_json::Value::as_array);
    for item in items.into_iter().flatten() {
        if let Some(field) = FIELDS_SINCE_V2.iter().find(|f| item.get(**f).is_some()) {
            return Err(format!("unknown field `{field}` in a version 1 file"));
        }
        if item.get("decision").and_then(serde_json::Value::as_str) != Some("pending") {
            return Err("a version 1 file can only have pending decisions".into());
        }
    }
    if value.pointer("/source/input").is_some() {
        return Err("unknown field `input` in a version 1 file".into());
    }
    Ok(())
}

/// What `ReviewFile::final_text` made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalText {
    pub text: String,
    /// The changes in the final text, in text order.
    pub changes: Vec<Change>,
    /// Items that still await a reviewer (left out).
    pub pending: usize,
    /// Ids of changes left out because an earlier change covers their span.
    pub overlapping: Vec<String>,
}

/// Why a review file does not fit its source any more.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaleReview {
    #[error("the source changed since it was reviewed (fingerprint {found}, review file has {expected})")]
    SourceChanged { expected: String, found: String },
    #[error("item {id}: the source at bytes {}..{} is {}, the review file says {expected:?}", span.start, span.end, found.as_deref().map_or(if *inside { "not on character boundaries".to_string() } else { "outside the text".to_string() }, |f| format!("{f:?}")))]
    SpanMismatch {
        id: String,
        span: ByteSpan,
        expected: String,
        found: Option<String>,
        /// Whether the span lies inside the text (then `found` is `None` because the span
        /// cuts a character).
        inside: bool,
    },
}
