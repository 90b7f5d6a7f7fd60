//! The batch report: per document, what was found and how damaged it looks (estimated from
//! its review file, the one way a document's report is made, so a resumed batch reports
//! exactly what an uninterrupted one does); per batch, the totals. `--shard K/N` runs write
//! one report per shard, merged into the batch's by `ocrqa report merge`.

use crate::decide::{Applicability, Reason};
use crate::document::Document;
use crate::review::ReviewFile;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub const REPORT_FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentReport {
    /// Input path relative to its root (the outputs' relative path).
    pub source: String,
    /// `ok` or `error`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub words: usize,
    pub suspicious: usize,
    pub findings: usize,
    pub auto: usize,
    pub review: usize,
    pub flag: usize,
    pub applied: usize,
    pub accent_drop_rate: f64,
    pub accent_add_rate: f64,
    /// The document's confusion rates (`observed→intended`: rate), from its review file.
    #[serde(default)]
    pub confusions: BTreeMap<String, f64>,
    /// Share of characters OCR got wrong, as estimated from the findings (see
    /// `Analysis::estimated_error_rate`); what the documents are ranked and graded by.
    pub estimated_error_rate: f64,
    /// `A` (< 0.5 %), `B` (< 2 %), `C` (< 5 %) or `D`, from the estimated error rate.
    pub grade: String,
    /// What the document needs (see [`Action`]), and why. Added within version 1 (older
    /// reports: `none`, no reason).
    #[serde(default)]
    pub action: Action,
    #[serde(default)]
    pub why: Vec<String>,
    /// Findings per kind of damage.
    pub patterns: BTreeMap<Reason, usize>,
}

/// What a document needs, mildest first: nothing, a reviewer, its scan read again by a
/// Spanish model, or a new scan. The last two say that correction is not the answer: what
/// the OCR lost no corrector restores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    #[default]
    None,
    Review,
    Reocr,
    Rescan,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::None => "none",
            Action::Review => "review",
            Action::Reocr => "re-OCR",
            Action::Rescan => "re-scan",
        }
    }
}

/// A page whose accented words lose their accents this often was read by a model that does
/// not know Spanish: on our Tesseract runs the English model's text has 1.5 to 4.5 times the
/// Spanish model's character errors on the same scans.
pub const REOCR_DROP_RATE: f64 = 0.5;
/// A page whose marks stand for letters this often (see `MarkHabits`) has lost letters in
/// the scan itself: faded type or a carbon copy, for a scan at higher contrast.
pub const RESCAN_LETTER_SHARE: f64 = 0.5;
/// An estimated error rate from which a page is too damaged to correct (grade D).
pub const RESCAN_ERROR_RATE: f64 = 0.05;

/// What `review` (of `estimated` error rate) needs, and the reasons (stable names).
pub fn advice(review: &ReviewFile, estimated: f64) -> (Action, Vec<String>) {
    let p = &review.profile;
    let mut why = Vec::new();
    let mut action = Action::None;
    let mut need = |a: Action, reason: &str| {
        action = action.max(a);
        why.push(reason.to_string());
    };
    if p.mark_letter_share >= RESCAN_LETTER_SHARE {
        need(Action::Rescan, "letters_lost_to_marks");
    }
    if estimated >= RESCAN_ERROR_RATE {
        need(Action::Rescan, "high_error_rate");
    }
    if p.accent_drop_rate >= REOCR_DROP_RATE {
        need(Action::Reocr, "accents_dropped_throughout");
    }
    let awaiting = review.items.iter().any(|i| {
        i.applicability != Applicability::Auto && i.decision == crate::review::Decision::Pending
    });
    if awaiting {
        need(Action::Review, "changes_to_review");
    }
    (action, why)
}

/// The grade of a document from its estimated error rate.
pub fn grade(estimated_error_rate: f64) -> &'static str {
    match estimated_error_rate {
        r if r < 0.005 => "A",
        r if r < 0.02 => "B",
        r if r < 0.05 => "C",
        _ => "D",
    }
}

impl DocumentReport {
    pub fn failed(source: &str, error: impl std::fmt::Display) -> DocumentReport {
        DocumentReport {
            source: source.to_string(),
            status: "error".into(),
            error: Some(error.to_string()),
            ..Default::default()
        }
    }
}

/// `--shard K/N`: the K-th of N disjoint, deterministic parts of a batch (K from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("{s:?}: expected K/N with 1 ≤ K ≤ N, as in 2/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the document at `rel` (its path relative to its input root) is in this shard.
    /// Decided by a hash of the path, the same on every machine, so that shards run anywhere
    /// are disjoint and together are the whole batch.
    pub fn holds(&self, rel: &Path) -> bool {
        let key = rel.to_string_lossy().replace('\\', "/");
        (crate::hash::fnv1a(key.as_bytes()) % u64::from(self.count)) as u32 == self.index - 1
    }

    /// Name of this shard's batch report (`ocrqa-report.2-of-8.json`, `.md`).
    pub fn report_name(&self, extension: &str) -> String {
        format!("ocrqa-report.{}-of-{}.{extension}", self.index, self.count)
    }
}

impl DocumentReport {
    /// The report of a document from its review file: the one way it is made, so that a
    /// resumed batch reports exactly what an uninterrupted one does.
    pub fn from_review(review: &ReviewFile, doc: &Document) -> DocumentReport {
        let count = |a: Applicability| review.items.iter().filter(|i| i.applicability == a).count();
        let estimated = estimated_error_rate(review, doc);
        let (action, why) = advice(review, estimated);
        let mut patterns = BTreeMap::new();
        for item in &review.items {
            for &r in item.reasons.iter().filter(|r| r.is_damage()) {
                *patterns.entry(r).or_insert(0) += 1;
            }
        }
        DocumentReport {
            source: review.source.path.clone(),
            status: "ok".into(),
            error: None,
            words: review.profile.words,
            suspicious: review.profile.suspicious,
            findings: review.items.len(),
            auto: count(Applicability::Auto),
            review: count(Applicability::Review),
            flag: count(Applicability::Flag),
            applied: review.items.iter().filter(|i| i.applied).count(),
            accent_drop_rate: review.profile.accent_drop_rate,
            accent_add_rate: review.profile.accent_add_rate,
            confusions: review
                .profile
                .confusions
                .iter()
                .map(|c| (format!("{}→{}", c.observed, c.intended), c.rate))
                .collect(),
            estimated_error_rate: (estimated * 10_000.0).round() / 10_000.0,
            grade: grade(estimated).to_string(),
            action,
            why,
            patterns,
        }
    }
}

/// Estimated share of the document's characters that OCR got wrong: the characters every
/// finding would change (half of a flagged token without a proposal), over all characters.
/// Against the true OCR error rate of the 75 dev-set documents its Spearman correlation is
/// 0.88: it ranks documents, it does not measure them.
pub fn estimated_error_rate(review: &ReviewFile, doc: &Document) -> f64 {
    let changed: usize = review
        .items
        .iter()
        .map(|item| {
            let original: Vec<char> = item.original.chars().collect();
            match &item.proposal {
                Some(p) => crate::eval::levenshtein(&original, &p.chars().collect::<Vec<_>>()),
                None => (original.len() / 2).max(1),
            }
        })
        .sum();
    changed as f64 / doc.text.chars().count().max(1) as f64
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    pub documents: usize,
    pub ok: usize,
    pub errors: usize,
    pub words: usize,
    pub findings: usize,
    pub auto: usize,
    pub review: usize,
    pub flag: usize,
    pub applied: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchReport {
    pub version: u32,
    pub tool: String,
    pub applied_level: String,
    /// The part of the batch this report covers (`--shard K/N`); absent for a whole batch.
    /// Added within version 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardInfo>,
    pub documents: Vec<DocumentReport>,
    pub totals: Totals,
}

impl BatchReport {
    pub fn new(level: Option<Applicability>, mut documents: Vec<DocumentReport>) -> BatchReport {
        documents.sort_by(|a, b| a.source.cmp(&b.source));
        let mut t = Totals {
            documents: documents.len(),
            ..Default::default()
        };
        for d in &documents {
            if d.status == "ok" {
                t.ok += 1;
            } else {
                t.errors += 1;
            }
            t.words += d.words;
            t.findings += d.findings;
            t.auto += d.auto;
            t.review += d.review;
            t.flag += d.flag;
            t.applied += d.applied;
        }
        BatchReport {
            version: REPORT_FORMAT_VERSION,
            tool: concat!("ocrqa ", env!("CARGO_PKG_VERSION")).to_string(),
            applied_level: level.map_or("none".to_string(), |l| l.to_string()),
            shard: None,
            documents,
            totals: t,
        }
    }

    pub fn to_json(&self) -> String {
        crate::json::pretty_json(self)
    }

    /// Reads a batch report, refusing other versions.
    pub fn from_json(text: &str) -> Result<BatchReport, String> {
        crate::json::read_versioned(
            text,
            "report format",
            |r: &BatchReport| r.version,
            REPORT_FORMAT_VERSION,
        )
    }

    /// The report of the whole batch from those of its shards (`--shard K/N`): the same as a
    /// run without shards would have written. Shards must agree on tool and applied level, and
    /// no document may be in two of them.
    pub fn merge(shards: Vec<BatchReport>) -> Result<BatchReport, String> {
        let first = shards.first().ok_or("no reports to merge")?;
        let (tool, level) = (first.tool.clone(), first.applied_level.clone());
        check_shards(&shards)?;
        let mut documents = Vec::new();
        let mut seen = BTreeSet::new();
        for shard in shards {
            if shard.tool != tool || shard.applied_level != level {
                return Err(format!(
                    "reports differ: {} applying {} against {tool} applying {level}",
                    shard.tool, shard.applied_level
                ));
            }
            for d in shard.documents {
                if !seen.insert(d.source.clone()) {
                    return Err(format!("{} is in two reports", d.source));
                }
                documents.push(d);
            }
        }
        let level = match level.as_str() {
            "none" => None,
            other => Some(other.parse::<Applicability>()?),
        };
        let mut merged = BatchReport::new(level, documents);
        merged.tool = tool;
        Ok(merged)
    }
}

/// Which part of a batch a shard's report covers, as `--shard K/N` gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardInfo {
    pub index: u32,
    pub count: u32,
}

impl From<Shard> for ShardInfo {
    fn from(s: Shard) -> ShardInfo {
        ShardInfo {
            index: s.index,
            count: s.count,
        }
    }
}

/// The shards given are all the shards of one batch, each once: a merge of some would be
/// the report of part of the batch, under the batch's name.
fn check_shards(reports: &[BatchReport]) -> Result<(), String> {
    let Some(count) = reports.iter().find_map(|r| r.shard.map(|s| s.count)) else {
        return Err(
            "these reports do not say which shards they are (written by `fix` without \
             --shard, or by an older ocrqa): nothing to merge"
                .into(),
        );
    };
    let mut have = BTreeSet::new();
    for r in reports {
        match r.shard {
            Some(s) if s.count == count => {
                if !have.insert(s.index) {
                    return Err(format!("shard {}/{count} is given twice", s.index));
                }
            }
            Some(s) => {
                return Err(format!(
                    "shards of different splits: {}/{} beside ones of {count}",
                    s.index, s.count
                ))
            }
            None => return Err("a report of a whole batch among shard reports".into()),
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|k| !have.contains(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "shard {} missing: the merged report would miss their documents",
            missing.join(", ")
        ))
    }
}
