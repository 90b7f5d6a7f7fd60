//! The review file: a versioned JSON contract with reviewers and their tools, one per
//! document, listing every finding. `docs/formats.md` documents every field. Reading is strict:
//! unknown fields and other versions are errors.

use crate::analyze::{Analysis, Finding, Profile};
use crate::candidates::Source;
use crate::decide::{Applicability, Reason};
use crate::document::Document;
use crate::errmodel::Step;
use crate::hash;
use crate::span::ByteSpan;
use serde::{Deserialize, Serialize};

pub const REVIEW_FORMAT_VERSION: u32 = 1;

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
    pub profile: ProfileInfo,
    pub items: Vec<ReviewItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceInfo {
    /// Path of the input, relative to its input root.
    pub path: String,
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
}

impl From<&Profile> for ProfileInfo {
    fn from(p: &Profile) -> Self {
        ProfileInfo {
            words: p.words,
            suspicious: p.suspicious,
            accents_dropped: p.accents_dropped,
            accents_kept: p.accents_kept,
            accent_drop_rate: round4(p.accent_drop_rate),
            accents_added: p.accents_added,
            accent_add_rate: round4(p.accent_add_rate),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
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
    pub source: Source,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Pending,
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
    pub context: Context,
    pub proposal: Option<String>,
    pub alternatives: Vec<Alternative>,
    pub applicability: Applicability,
    pub reasons: Vec<Reason>,
    /// Whether the proposal is in the corrected text written beside this file.
    pub applied: bool,
    pub decision: Decision,
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn context(doc: &Document, span: ByteSpan) -> Context {
    let line_start = doc.line_span(span.start);
    let line_end = doc.line_span(span.end);
    let before_all = &doc.text[line_start.start..span.start];
    let after_all = &doc.text[span.end..line_end.end.max(span.end)];
    let skip = before_all.chars().count().saturating_sub(CONTEXT_CHARS);
    Context {
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
    let ctx = context(doc, f.span);
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
                source: r.source,
                steps: r.steps.clone(),
            })
            .collect(),
        applicability: f.applicability,
        reasons: f.reasons.clone(),
        applied,
        decision: Decision::Pending,
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
                fingerprint: doc.fingerprint(),
                bytes: doc.text.len(),
            },
            applied_level: applied_level.map_or("none".to_string(), |l| l.to_string()),
            settings,
            profile: ProfileInfo::from(&analysis.profile),
            items: analysis
                .findings
                .iter()
                .zip(applied)
                .map(|(f, &a)| item(doc, f, a, &mut seen))
                .collect(),
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("review file serialises");
        s.push('\n');
        s
    }

    /// Reads a review file, refusing other versions and unknown fields.
    pub fn from_json(text: &str) -> Result<ReviewFile, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(REVIEW_FORMAT_VERSION) => {}
            Some(v) => return Err(format!("review format version {v} is not supported (this ocrqa reads {REVIEW_FORMAT_VERSION})")),
            None => return Err("no \"version\" field: not an ocrqa review file".into()),
        }
        serde_json::from_value(value).map_err(|e| e.to_string())
    }
}
