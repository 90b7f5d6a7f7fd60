//! Reviewing an output folder of `ocrqa fix`: every review file under it, items grouped by
//! identical change across documents, decisions recorded at once (each touched review file
//! rewritten atomically, then the precedents), undo, export and import. Every front end (the
//! terminal review, scripts) records decisions here.

use super::file::{Decision, ReviewFile, ReviewItem};
use crate::errmodel::Step;
use crate::files::write_atomic;
use crate::precedents::Precedents;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use thiserror::Error;

pub const EXPORT_FORMAT_VERSION: u32 = 1;
const REVIEW_SUFFIX: &str = ".review.json";

/// One review file of the folder.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewDoc {
    pub path: PathBuf,
    pub review: ReviewFile,
}

/// An item of the folder: its document and its place in that document's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemRef {
    pub doc: usize,
    pub item: usize,
}

/// Items that make the same change (original → proposal), wherever they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub original: String,
    pub proposal: Option<String>,
    pub items: Vec<ItemRef>,
}

/// Changes made this many times or more get a screen of their own in the review queue.
pub const GROUP_SCREEN_MIN: usize = 3;
/// Lines on a page of the review queue (one key, 1–9, marks each).
pub const PAGE_LINES: usize = 9;

/// One screen of the review queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueEntry {
    /// A change made `GROUP_SCREEN_MIN` times or more.
    Group(Group),
    /// Smaller groups of one kind of repair, one line each.
    Page { repair: String, lines: Vec<Group> },
}

impl QueueEntry {
    /// The groups of the entry.
    pub fn groups(&self) -> &[Group] {
        match self {
            QueueEntry::Group(g) => std::slice::from_ref(g),
            QueueEntry::Page { lines, .. } => lines,
        }
    }
}

/// The kind of repair an item proposes, for pages of like changes: the kinds of damage it
/// names and the repair's steps (`accent_restored o→ó`, `ocr_confusion fi→ñ`, `generic_edit
/// edit`); `no proposal` for flags without one.
pub fn repair_kind(item: &ReviewItem) -> String {
    let Some(best) = item
        .alternatives
        .first()
        .filter(|_| item.proposal.is_some())
    else {
        return "no proposal".to_string();
    };
    let mut parts: Vec<String> = item
        .reasons
        .iter()
        .filter(|r| r.is_damage())
        .map(|r| r.to_string())
        .collect();
    let mut steps: Vec<String> = best
        .steps
        .iter()
        .map(|s| match s {
            Step::Generic { .. } => "edit".to_string(),
            Step::AccentDropped { observed, intended }
            | Step::AccentAdded { observed, intended }
            | Step::Confusion { observed, intended } => format!("{observed}→{intended}"),
        })
        .collect();
    steps.sort();
    steps.dedup();
    parts.extend(steps);
    parts.join(" ")
}

/// How far the proposal leads its runner-up (score difference; large when it has none).
fn margin(item: &ReviewItem) -> f64 {
    match item.alternatives.as_slice() {
        [best, second, ..] => best.score - second.score,
        [_] => f64::MAX,
        [] => f64::MIN,
    }
}

/// A decision to record: `replacement` is the text that goes in (the proposal when accepting
/// it, an alternative, or what the reviewer typed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub decision: Decision,
    pub replacement: Option<String>,
}

impl Verdict {
    /// Accept the proposal of each item.
    pub fn accept() -> Verdict {
        Verdict {
            decision: Decision::Accepted,
            replacement: None,
        }
    }

    /// Accept `text`, one of the alternatives.
    pub fn choose(text: &str) -> Verdict {
        Verdict {
            decision: Decision::Accepted,
            replacement: Some(text.to_string()),
        }
    }

    pub fn reject() -> Verdict {
        Verdict {
            decision: Decision::Rejected,
            replacement: None,
        }
    }

    /// The reviewer's own replacement.
    pub fn edit(text: &str) -> Verdict {
        Verdict {
            decision: Decision::Edited,
            replacement: Some(text.to_string()),
        }
    }
}

/// Who decides, and when (RFC 3339, UTC); both optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamp {
    pub reviewer: Option<String>,
    pub at: Option<String>,
}

/// What items were before a decision, to undo it.
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    before: Vec<(ItemRef, ReviewItem)>,
}

#[derive(Debug, Error)]
pub enum ReviewError {
    #[error("{path}: {reason}")]
    Corrupt { path: String, reason: String },
    #[error("item {id} in {path}: nothing to accept (no proposal); edit it instead")]
    NothingToAccept { path: String, id: String },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: io::Error },
}

/// The review files of an output folder and the precedents they feed.
#[derive(Debug)]
pub struct ReviewSet {
    pub docs: Vec<ReviewDoc>,
    pub precedents: Precedents,
    /// Where decisions are counted; `None`: nowhere (a set opened only to read, as by apply).
    precedents_path: Option<PathBuf>,
}

impl ReviewSet {
    /// Reads every `*.review.json` under `root` (sorted by path), and the precedents at
    /// `precedents_path` if given. A review file that cannot be read is returned as an error
    /// beside the others, which stay usable.
    pub fn open(
        root: &Path,
        precedents_path: Option<PathBuf>,
    ) -> Result<(ReviewSet, Vec<ReviewError>), ReviewError> {
        let precedents = match &precedents_path {
            Some(path) => Precedents::load(path).map_err(|reason| ReviewError::Corrupt {
                path: path.display().to_string(),
                reason,
            })?,
            None => Precedents::default(),
        };
        let mut paths = Vec::new();
        collect_reviews(root, &mut paths);
        paths.sort();
        let mut docs = Vec::new();
        let mut problems = Vec::new();
        for path in paths {
            let read = fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|text| ReviewFile::from_json(&text));
            match read {
                Ok(review) => docs.push(ReviewDoc { path, review }),
                Err(reason) => problems.push(ReviewError::Corrupt {
                    path: path.display().to_string(),
                    reason,
                }),
            }
        }
        let set = ReviewSet {
            docs,
            precedents,
            precedents_path,
        };
        Ok((set, problems))
    }

    pub fn item(&self, r: ItemRef) -> &ReviewItem {
        &self.docs[r.doc].review.items[r.item]
    }

    /// Every item, in document order.
    pub fn refs(&self) -> impl Iterator<Item = ItemRef> + '_ {
        self.docs
            .iter()
            .enumerate()
            .flat_map(|(doc, d)| (0..d.review.items.len()).map(move |item| ItemRef { doc, item }))
    }

    /// The items `wanted` picks, grouped by identical change: biggest groups first, then by
    /// original and proposal; inside a group, in document order.
    pub fn groups(&self, wanted: impl Fn(&ReviewItem) -> bool) -> Vec<Group> {
        let mut by_change: BTreeMap<(&str, Option<&str>), Vec<ItemRef>> = BTreeMap::new();
        for r in self.refs() {
            let item = self.item(r);
            if wanted(item) {
                by_change
                    .entry((item.original.as_str(), item.proposal.as_deref()))
                    .or_default()
                    .push(r);
            }
        }
        let mut groups: Vec<Group> = by_change
            .into_iter()
            .map(|((original, proposal), items)| Group {
                original: original.to_string(),
                proposal: proposal.map(str::to_string),
                items,
            })
            .collect();
        groups.sort_by_key(|g| std::cmp::Reverse(g.items.len()));
        groups
    }

    /// The review queue: what a reviewer goes through, one entry per screen. Changes made
    /// `GROUP_SCREEN_MIN` times or more come first, biggest first, each on its own screen;
    /// the smaller groups follow as pages of up to `PAGE_LINES` lines, each page one kind of
    /// repair (the reviewer accepts or rejects a page whole and marks the exceptions), most
    /// confident first. On the dev set this takes a reviewer about a quarter as many
    /// decisions as there are items (see `scripts/review_effort.py`).
    pub fn queue(&self, wanted: impl Fn(&ReviewItem) -> bool) -> Vec<QueueEntry> {
        let (big, small): (Vec<Group>, Vec<Group>) = self
            .groups(wanted)
            .into_iter()
            .partition(|g| g.items.len() >= GROUP_SCREEN_MIN);
        let mut by_repair: BTreeMap<String, Vec<Group>> = BTreeMap::new();
        for g in small {
            by_repair
                .entry(repair_kind(self.item(g.items[0])))
                .or_default()
                .push(g);
        }
        let mut kinds: Vec<(String, Vec<Group>)> = by_repair.into_iter().collect();
        kinds.sort_by_key(|(_, groups)| std::cmp::Reverse(groups.len()));
        let mut queue: Vec<QueueEntry> = big.into_iter().map(QueueEntry::Group).collect();
        for (repair, mut groups) in kinds {
            groups.sort_by(|a, b| {
                margin(self.item(b.items[0])).total_cmp(&margin(self.item(a.items[0])))
            });
            let mut groups = groups.into_iter().peekable();
            while groups.peek().is_some() {
                queue.push(QueueEntry::Page {
                    repair: repair.clone(),
                    lines: groups.by_ref().take(PAGE_LINES).collect(),
                });
            }
        }
        queue
    }

    /// Items whose id is `id` (the same change in the same context has the same id in every
    /// document that has it).
    pub fn with_id(&self, id: &str) -> Vec<ItemRef> {
        self.refs().filter(|&r| self.item(r).id == id).collect()
    }

    /// Records `verdict` for every item of `refs`: the touched review files are rewritten
    /// atomically, then the precedents, before this returns; a kill at any moment loses at most
    /// the decision being made. Returns what undoes it.
    pub fn decide(
        &mut self,
        refs: &[ItemRef],
        verdict: &Verdict,
        stamp: &Stamp,
    ) -> Result<Undo, ReviewError> {
        if refs.is_empty() {
            return Ok(Undo { before: Vec::new() });
        }
        if verdict.decision == Decision::Accepted && verdict.replacement.is_none() {
            if let Some(&r) = refs.iter().find(|&&r| self.item(r).proposal.is_none()) {
                return Err(ReviewError::NothingToAccept {
                    path: self.docs[r.doc].path.display().to_string(),
                    id: self.item(r).id.clone(),
                });
            }
        }
        let before = self.record(refs, verdict, stamp);
        self.save(refs)?;
        Ok(Undo { before })
    }

    /// Sets the decision of `refs` (and counts it in the precedents); what
    /// the items were before.
    fn record(
        &mut self,
        refs: &[ItemRef],
        verdict: &Verdict,
        stamp: &Stamp,
    ) -> Vec<(ItemRef, ReviewItem)> {
        let before: Vec<(ItemRef, ReviewItem)> =
            refs.iter().map(|&r| (r, self.item(r).clone())).collect();
        for &r in refs {
            let item = &mut self.docs[r.doc].review.items[r.item];
            let (old, old_replacement) = (item.decision, item.replacement.clone());
            item.decision = verdict.decision;
            item.replacement = match verdict.decision {
                Decision::Accepted => verdict
                    .replacement
                    .clone()
                    .or_else(|| item.proposal.clone()),
                Decision::Edited => verdict.replacement.clone(),
                Decision::Pending | Decision::Rejected => None,
            };
            let pending = verdict.decision == Decision::Pending;
            item.reviewer = if pending {
                None
            } else {
                stamp.reviewer.clone()
            };
            item.decided_at = if pending { None } else { stamp.at.clone() };
            count(
                &mut self.precedents,
                item,
                old,
                old_replacement.as_deref(),
                -1,
            );
            count(
                &mut self.precedents,
                item,
                item.decision,
                item.replacement.as_deref(),
                1,
            );
        }
        before
    }

    /// Puts the items of an earlier decision back as they were, and saves.
    pub fn undo(&mut self, undo: Undo) -> Result<(), ReviewError> {
        let refs: Vec<ItemRef> = undo.before.iter().map(|(r, _)| *r).collect();
        for (r, old) in undo.before.into_iter().rev() {
            let item = &mut self.docs[r.doc].review.items[r.item];
            let (was, was_replacement) = (item.decision, item.replacement.clone());
            *item = old;
            count(
                &mut self.precedents,
                item,
                was,
                was_replacement.as_deref(),
                -1,
            );
            count(
                &mut self.precedents,
                item,
                item.decision,
                item.replacement.as_deref(),
                1,
            );
        }
        self.save(&refs)
    }

    fn save(&self, refs: &[ItemRef]) -> Result<(), ReviewError> {
        let mut docs: Vec<usize> = refs.iter().map(|r| r.doc).collect();
        docs.sort_unstable();
        docs.dedup();
        let write = |path: &Path, text: String| {
            write_atomic(path, text.as_bytes()).map_err(|source| ReviewError::Write {
                path: path.display().to_string(),
                source,
            })
        };
        for d in docs {
            write(&self.docs[d].path, self.docs[d].review.to_json())?;
        }
        match &self.precedents_path {
            Some(path) => write(path, self.precedents.to_json()),
            None => Ok(()),
        }
    }

    /// Every decision made so far (pending items are left out).
    pub fn export(&self) -> DecisionExport {
        let decisions = self
            .refs()
            .filter_map(|r| {
                let item = self.item(r);
                (item.decision != Decision::Pending).then(|| ExportedDecision {
                    document: self.docs[r.doc].review.source.path.clone(),
                    id: item.id.clone(),
                    original: item.original.clone(),
                    decision: item.decision,
                    replacement: item.replacement.clone(),
                    reviewer: item.reviewer.clone(),
                    decided_at: item.decided_at.clone(),
                })
            })
            .collect();
        DecisionExport {
            version: EXPORT_FORMAT_VERSION,
            decisions,
        }
    }

    /// Records exported decisions on the items they name (by document and id, with the same
    /// original), then saves once. Returns how many were recorded, and the ones that were not:
    /// they match no item, or say nothing to put in (accepted with no proposal or
    /// replacement, edited with no replacement).
    pub fn import(
        &mut self,
        export: &DecisionExport,
    ) -> Result<(usize, Vec<ExportedDecision>), ReviewError> {
        let mut index: BTreeMap<(&str, &str), ItemRef> = BTreeMap::new();
        for r in self.refs() {
            index.insert((&self.docs[r.doc].review.source.path, &self.item(r).id), r);
        }
        let mut found = Vec::new();
        let mut unmatched = Vec::new();
        for d in &export.decisions {
            match index.get(&(d.document.as_str(), d.id.as_str())) {
                Some(&r) if self.item(r).original == d.original => found.push((r, d.clone())),
                _ => unmatched.push(d.clone()),
            }
        }
        drop(index);
        // Recorded one by one, saved once.
        let mut recorded = Vec::new();
        for (r, d) in found {
            let incomplete = match d.decision {
                Decision::Accepted => d.replacement.is_none() && self.item(r).proposal.is_none(),
                Decision::Edited => d.replacement.is_none(),
                Decision::Pending | Decision::Rejected => false,
            };
            if incomplete {
                unmatched.push(d);
                continue;
            }
            let verdict = Verdict {
                decision: d.decision,
                replacement: d.replacement,
            };
            let stamp = Stamp {
                reviewer: d.reviewer,
                at: d.decided_at,
            };
            self.record(&[r], &verdict, &stamp);
            recorded.push(r);
        }
        if !recorded.is_empty() {
            self.save(&recorded)?;
        }
        Ok((recorded.len(), unmatched))
    }
}

/// Counts (`by` 1) or takes back (`by` −1) what `decision` of `item`, with `replacement`,
/// says: accepting the proposal counts for it; choosing another text counts for that text and
/// against the proposal; rejecting counts against the proposal.
fn count(
    precedents: &mut Precedents,
    item: &ReviewItem,
    decision: Decision,
    replacement: Option<&str>,
    by: i32,
) {
    let proposal = item.proposal.as_deref();
    let chosen = replacement.or(proposal);
    let (accepted, rejected) = match decision {
        Decision::Pending => (None, None),
        Decision::Rejected => (None, proposal),
        Decision::Accepted | Decision::Edited => (chosen, proposal.filter(|p| Some(*p) != chosen)),
    };
    precedents.count(&item.original, accepted, rejected, by);
}

/// Items an interactive session goes through: those awaiting review, or with `all` every
/// pending one.
pub fn in_session(item: &ReviewItem, all: bool) -> bool {
    item.awaits_review() || (all && item.decision == Decision::Pending)
}

/// Every `*.review.json` below `dir` (symlinked folders not followed: an output folder holds
/// none).
fn collect_reviews(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if kind.is_dir() {
            collect_reviews(&path, out);
        } else if name.ends_with(REVIEW_SUFFIX) && !name.starts_with('.') {
            out.push(path);
        }
    }
}

/// Decisions as `ocrqa review --export` writes them and `--import` reads them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionExport {
    pub version: u32,
    pub decisions: Vec<ExportedDecision>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportedDecision {
    /// The document's `source.path`.
    pub document: String,
    pub id: String,
    pub original: String,
    pub decision: Decision,
    pub replacement: Option<String>,
    #[serde(default)]
    pub reviewer: Option<String>,
    #[serde(default)]
    pub decided_at: Option<String>,
}

impl DecisionExport {
    pub fn to_json(&self) -> String {
        crate::json::pretty_json(self)
    }

    pub fn from_json(text: &str) -> Result<DecisionExport, String> {
        crate::json::read_versioned(
            text,
            "decisions format",
            |e: &DecisionExport| e.version,
            EXPORT_FORMAT_VERSION,
        )
    }
}

/// `seconds` since the Unix epoch as RFC 3339 UTC (`2026-11-28T17:43:08Z`).
pub fn rfc3339(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rem = seconds % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_887_788), "2026-11-28T17:43:08Z");
    }
}
