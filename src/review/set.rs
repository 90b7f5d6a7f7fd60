//! Reviewing an output folder of `ocrqa fix`: every review file under it and the decisions
//! memory (precedents) they feed. Every front end — the terminal review, scripts, the browser
//! — records decisions here, and every decision is written by one discipline:
//!
//! 1. under the advisory locks of the folders it writes in (`files::FolderLocks`),
//! 2. each touched review file is read again; if another writer changed it since this set
//!    read it, their decisions are taken in, and ours is recorded only on items whose
//!    decision is still the one this set saw — otherwise the write is refused
//!    (`ReviewError::Conflict`), nothing is written, and the set holds the file as it is now;
//! 3. the files are written atomically, then the precedents are read again under the lock and
//!    only this decision's counts are added to them.
//!
//! So no writer drops another's decision, and a decision that was not saved is an error.

use super::file::{Decision, ReviewFile, ReviewItem};
use crate::files::{write_atomic, FolderLocks};
use crate::hash;
use crate::precedents::Precedents;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use thiserror::Error;

const REVIEW_SUFFIX: &str = ".review.json";

/// One review file of the folder.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewDoc {
    pub path: PathBuf,
    pub review: ReviewFile,
    /// Fingerprint of the bytes the set last read or wrote: the file's version.
    pub version: String,
}

/// An item of the folder: its document and its place in that document's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemRef {
    pub doc: usize,
    pub item: usize,
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

/// One item's decision as it was and as it becomes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ItemChange {
    pub at: ItemRef,
    pub before: ReviewItem,
    pub after: ReviewItem,
}

/// What a decision changed, to undo it.
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    changes: Vec<ItemChange>,
}

impl Undo {
    /// How many items the decision changed.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

#[derive(Debug, Error)]
pub enum ReviewError {
    #[error("{path}: {reason}")]
    Corrupt { path: String, reason: String },
    #[error("item {id} in {path}: nothing to accept (no proposal); edit it instead")]
    NothingToAccept { path: String, id: String },
    #[error(
        "item {id} in {path} was decided meanwhile by {by} ({theirs}); your decision was not \
         saved — look at it again"
    )]
    Conflict {
        path: String,
        id: String,
        by: String,
        theirs: String,
    },
    #[error("{path} was written again by `ocrqa fix` meanwhile; your decision was not saved — open the review again")]
    Rewritten { path: String },
    #[error("cannot lock {path}: {source}")]
    Lock { path: String, source: io::Error },
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

/// Reads one review file and its version.
fn read_review(path: &Path) -> Result<(ReviewFile, String), ReviewError> {
    let corrupt = |reason: String| ReviewError::Corrupt {
        path: path.display().to_string(),
        reason,
    };
    let bytes = fs::read(path).map_err(|e| corrupt(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| corrupt(e.to_string()))?;
    let review = ReviewFile::from_json(&text).map_err(corrupt)?;
    Ok((review, hash::fingerprint(text.as_bytes())))
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
            Some(path) => load_precedents(path)?,
            None => Precedents::default(),
        };
        let mut paths = Vec::new();
        collect_reviews(root, &mut paths);
        paths.sort();
        let mut docs = Vec::new();
        let mut problems = Vec::new();
        for path in paths {
            match read_review(&path) {
                Ok((review, version)) => docs.push(ReviewDoc {
                    path,
                    review,
                    version,
                }),
                Err(e) => problems.push(e),
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

    /// Items whose id is `id` (the same change in the same context has the same id in every
    /// document that has it).
    pub fn with_id(&self, id: &str) -> Vec<ItemRef> {
        self.refs().filter(|&r| self.item(r).id == id).collect()
    }

    /// Records `verdict` for every item of `refs` (see the module for how it is written);
    /// a kill at any moment loses at most the decision being made. Returns what undoes it.
    pub fn decide(
        &mut self,
        refs: &[ItemRef],
        verdict: &Verdict,
        stamp: &Stamp,
    ) -> Result<Undo, ReviewError> {
        let changes = self.changes(refs, verdict, stamp)?;
        self.commit(&changes)?;
        Ok(Undo { changes })
    }

    /// What recording `verdict` on `refs` changes, or why it cannot be recorded.
    pub(super) fn changes(
        &self,
        refs: &[ItemRef],
        verdict: &Verdict,
        stamp: &Stamp,
    ) -> Result<Vec<ItemChange>, ReviewError> {
        let named = |r: ItemRef| {
            (
                self.docs[r.doc].path.display().to_string(),
                self.item(r).id.clone(),
            )
        };
        let mut changes = Vec::with_capacity(refs.len());
        for &r in refs {
            let before = self.item(r).clone();
            let replacement = match verdict.decision {
                Decision::Accepted => verdict
                    .replacement
                    .clone()
                    .or_else(|| before.proposal.clone()),
                Decision::Edited => verdict.replacement.clone(),
                Decision::Pending | Decision::Rejected => None,
            };
            let accepting = matches!(verdict.decision, Decision::Accepted | Decision::Edited);
            if accepting && replacement.is_none() {
                let (path, id) = named(r);
                return Err(ReviewError::NothingToAccept { path, id });
            }
            let pending = verdict.decision == Decision::Pending;
            let after = ReviewItem {
                decision: verdict.decision,
                replacement,
                reviewer: stamp.reviewer.clone().filter(|_| !pending),
                decided_at: stamp.at.clone().filter(|_| !pending),
                ..before.clone()
            };
            changes.push(ItemChange {
                at: r,
                before,
                after,
            });
        }
        Ok(changes)
    }

    /// Puts the items of an earlier decision back as they were (unless another writer
    /// decided them since: `ReviewError::Conflict`).
    pub fn undo(&mut self, undo: Undo) -> Result<(), ReviewError> {
        let back: Vec<ItemChange> = undo
            .changes
            .into_iter()
            .rev()
            .map(|c| ItemChange {
                at: c.at,
                before: c.after,
                after: c.before,
            })
            .collect();
        self.commit(&back)
    }

    /// Writes `changes` by the module's discipline. On an error nothing of them is written
    /// and the set holds the touched files as they are on disk.
    pub(super) fn commit(&mut self, changes: &[ItemChange]) -> Result<(), ReviewError> {
        if changes.is_empty() {
            return Ok(());
        }
        let mut docs: Vec<usize> = changes.iter().map(|c| c.at.doc).collect();
        docs.sort_unstable();
        docs.dedup();
        let folders = docs
            .iter()
            .map(|&d| parent(&self.docs[d].path))
            .chain(self.precedents_path.as_deref().map(parent));
        let folders: Vec<&Path> = folders.collect();
        let _locks =
            FolderLocks::acquire(folders.iter().copied()).map_err(|source| ReviewError::Lock {
                path: folders[0].display().to_string(),
                source,
            })?;
        // Every touched file as it is now; another writer's decisions are taken in.
        for &d in &docs {
            self.refresh(d)?;
        }
        for c in changes {
            let now = self.item(c.at);
            if (now.decision, &now.replacement) != (c.before.decision, &c.before.replacement) {
                return Err(ReviewError::Conflict {
                    path: self.docs[c.at.doc].path.display().to_string(),
                    id: now.id.clone(),
                    by: now.reviewer.clone().unwrap_or("another reviewer".into()),
                    theirs: match &now.replacement {
                        Some(text) => format!("{} {text:?}", now.decision),
                        None => now.decision.to_string(),
                    },
                });
            }
        }
        for c in changes {
            self.docs[c.at.doc].review.items[c.at.item] = c.after.clone();
        }
        for &d in &docs {
            let doc = &mut self.docs[d];
            let text = doc.review.to_json();
            write_atomic(&doc.path, text.as_bytes()).map_err(|source| ReviewError::Write {
                path: doc.path.display().to_string(),
                source,
            })?;
            doc.version = hash::fingerprint(text.as_bytes());
        }
        let Some(path) = &self.precedents_path else {
            return Ok(());
        };
        let mut precedents = load_precedents(path)?;
        for c in changes {
            count(&mut precedents, &c.before, -1);
            count(&mut precedents, &c.after, 1);
        }
        write_atomic(path, precedents.to_json().as_bytes()).map_err(|source| {
            ReviewError::Write {
                path: path.display().to_string(),
                source,
            }
        })?;
        self.precedents = precedents;
        Ok(())
    }

    /// Reads document `d` again if another writer changed it: their decisions replace those
    /// the set held. A file whose items are no longer the same (`ocrqa fix` corrected the
    /// document again) is refused.
    pub fn refresh(&mut self, d: usize) -> Result<(), ReviewError> {
        let doc = &mut self.docs[d];
        let on_disk = fs::read(&doc.path).map(|bytes| hash::fingerprint(&bytes));
        if on_disk.as_deref().ok() == Some(doc.version.as_str()) {
            return Ok(());
        }
        let (now, version) = read_review(&doc.path)?;
        let same_items = now.items.len() == doc.review.items.len()
            && now
                .items
                .iter()
                .zip(&doc.review.items)
                .all(|(a, b)| a.id == b.id && a.original == b.original);
        if !same_items || now.source.fingerprint != doc.review.source.fingerprint {
            return Err(ReviewError::Rewritten {
                path: doc.path.display().to_string(),
            });
        }
        doc.review = now;
        doc.version = version;
        Ok(())
    }
}

fn parent(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}

fn load_precedents(path: &Path) -> Result<Precedents, ReviewError> {
    Precedents::load(path).map_err(|reason| ReviewError::Corrupt {
        path: path.display().to_string(),
        reason,
    })
}

/// Counts (`by` 1) or takes back (`by` −1) what `item`'s decision says: accepting the
/// proposal counts for it; choosing another text counts for that text and against the
/// proposal; rejecting counts against the proposal.
fn count(precedents: &mut Precedents, item: &ReviewItem, by: i32) {
    let proposal = item.proposal.as_deref();
    let chosen = item.replacement.as_deref().or(proposal);
    let (accepted, rejected) = match item.decision {
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
