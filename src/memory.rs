//! Decisions memory: what reviewers accepted and rejected, counted per change (original →
//! replacement), kept in a small JSON file that the next `ocrqa fix` reads. A change reviewers
//! rejected even once is never applied automatically again; one accepted `PROMOTE_AFTER` times
//! and never rejected becomes automatic, unless its original is a word of the lexicon (whether
//! a real word needs an accent depends on its context, not on earlier documents).

use crate::decide::{Applicability, Reason};
use crate::review::{Decision, ReviewItem};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const MEMORY_FORMAT_VERSION: u32 = 1;
/// Name of the memory in an output folder, where `review` writes it and `fix` looks for it.
pub const MEMORY_FILE: &str = "ocrqa-decisions.json";
/// Acceptances, with no rejection, that make a change automatic.
pub const PROMOTE_AFTER: u32 = 3;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remembered {
    pub original: String,
    pub replacement: String,
    pub accepted: u32,
    pub rejected: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MemoryFile {
    version: u32,
    /// Sorted by original, then replacement.
    changes: Vec<Remembered>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionMemory {
    changes: FxHashMap<(String, String), (u32, u32)>,
}

impl DecisionMemory {
    /// Reads a memory file; a missing file is an empty memory.
    pub fn load(path: &Path) -> Result<DecisionMemory, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => DecisionMemory::from_json(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(DecisionMemory::default()),
            Err(e) => Err(e.to_string()),
        }
    }

    pub fn from_json(text: &str) -> Result<DecisionMemory, String> {
        let file: MemoryFile = crate::output::read_versioned(
            text,
            "decisions memory",
            |f: &MemoryFile| f.version,
            MEMORY_FORMAT_VERSION,
        )?;
        let changes = file
            .changes
            .into_iter()
            .map(|r| ((r.original, r.replacement), (r.accepted, r.rejected)))
            .collect();
        Ok(DecisionMemory { changes })
    }

    pub fn to_json(&self) -> String {
        let mut changes: Vec<Remembered> = self
            .changes
            .iter()
            .map(
                |((original, replacement), &(accepted, rejected))| Remembered {
                    original: original.clone(),
                    replacement: replacement.clone(),
                    accepted,
                    rejected,
                },
            )
            .collect();
        changes.sort_by(|a, b| (&a.original, &a.replacement).cmp(&(&b.original, &b.replacement)));
        let file = MemoryFile {
            version: MEMORY_FORMAT_VERSION,
            changes,
        };
        crate::output::pretty_json(&file)
    }

    /// Accepted and rejected counts of a change.
    pub fn counts(&self, original: &str, replacement: &str) -> (u32, u32) {
        self.changes
            .get(&(original.to_string(), replacement.to_string()))
            .copied()
            .unwrap_or_default()
    }

    /// Records that `item`'s decision went from `before` to its present one: what the old
    /// decision said is taken back, what the new one says is counted.
    pub fn record(
        &mut self,
        item: &ReviewItem,
        before: Decision,
        before_replacement: Option<&str>,
    ) {
        self.count(item, before, before_replacement, -1);
        let now = item.replacement.clone();
        self.count(item, item.decision, now.as_deref(), 1);
    }

    /// What a decision says: accepting the proposal counts for it; choosing another text
    /// counts for that text and against the proposal; rejecting counts against the proposal.
    fn count(&mut self, item: &ReviewItem, decision: Decision, replacement: Option<&str>, by: i32) {
        let proposal = item.proposal.as_deref();
        let chosen = replacement.or(proposal);
        let mut bump = |text: &str, accepted: bool| {
            let key = (item.original.clone(), text.to_string());
            let entry = self.changes.entry(key.clone()).or_default();
            let n = if accepted { &mut entry.0 } else { &mut entry.1 };
            *n = n.saturating_add_signed(by);
            if *entry == (0, 0) {
                self.changes.remove(&key);
            }
        };
        match decision {
            Decision::Pending => {}
            Decision::Rejected => {
                if let Some(p) = proposal {
                    bump(p, false);
                }
            }
            Decision::Accepted | Decision::Edited => {
                if let Some(c) = chosen {
                    bump(c, true);
                }
                if let Some(p) = proposal.filter(|p| Some(*p) != chosen) {
                    bump(p, false);
                }
            }
        }
    }

    /// The applicability reviewers' decisions give a change ocrqa would make with
    /// `applicability`, and the reason, if they change it. `is_word`: the original is a word
    /// of the lexicon (never promoted).
    pub fn adjust(
        &self,
        original: &str,
        proposal: &str,
        applicability: Applicability,
        is_word: bool,
    ) -> Option<(Applicability, Reason)> {
        let (accepted, rejected) = self.counts(original, proposal);
        if rejected > 0 && applicability == Applicability::Auto {
            Some((Applicability::Review, Reason::ReviewersRejected))
        } else if rejected == 0
            && accepted >= PROMOTE_AFTER
            && !is_word
            && applicability == Applicability::Review
        {
            Some((Applicability::Auto, Reason::ReviewersAccepted))
        } else {
            None
        }
    }

    /// A hash of the changes the memory demotes or promotes, for the settings key of
    /// `ocrqa fix`: counts that change no rule do not make a batch be done again.
    pub fn key(&self) -> u64 {
        let mut rules: Vec<(&str, &str, bool)> = self
            .changes
            .iter()
            .filter(|(_, &(a, r))| r > 0 || a >= PROMOTE_AFTER)
            .map(|((o, p), &(_, r))| (o.as_str(), p.as_str(), r > 0))
            .collect();
        rules.sort_unstable();
        let text = format!("{rules:?}");
        crate::hash::fast_hash(text.as_bytes())
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}
