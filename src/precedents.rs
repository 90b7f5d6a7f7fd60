//! Precedents: what reviewers accepted and rejected, counted per change (original →
//! replacement), kept in a small JSON file (the decisions memory, `ocrqa-decisions.json`)
//! that the next `ocrqa fix` reads. A change reviewers rejected even once is never applied
//! automatically again; one accepted `PROMOTE_AFTER` times and never rejected becomes
//! automatic, unless its original is a word of the lexicon (whether a real word needs an
//! accent depends on its context, not on earlier documents). The review tools say what a
//! decision accepted and rejected; this module only counts.

use crate::decide::{Applicability, Reason};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const PRECEDENTS_FORMAT_VERSION: u32 = 1;
/// Name of the file in an output folder, where `review` writes it and `fix` looks for it.
pub const PRECEDENTS_FILE: &str = "ocrqa-decisions.json";
/// Acceptances, with no rejection, that make a change automatic.
pub const PROMOTE_AFTER: u32 = 3;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Precedent {
    pub original: String,
    pub replacement: String,
    pub accepted: u32,
    pub rejected: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PrecedentsFile {
    version: u32,
    /// Sorted by original, then replacement.
    changes: Vec<Precedent>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Precedents {
    changes: FxHashMap<(String, String), (u32, u32)>,
}

impl Precedents {
    /// Reads a memory file; a missing file is an empty memory.
    pub fn load(path: &Path) -> Result<Precedents, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => Precedents::from_json(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Precedents::default()),
            Err(e) => Err(e.to_string()),
        }
    }

    pub fn from_json(text: &str) -> Result<Precedents, String> {
        let file: PrecedentsFile = crate::json::read_versioned(
            text,
            "decisions memory",
            |f: &PrecedentsFile| f.version,
            PRECEDENTS_FORMAT_VERSION,
        )?;
        let changes = file
            .changes
            .into_iter()
            .map(|r| ((r.original, r.replacement), (r.accepted, r.rejected)))
            .collect();
        Ok(Precedents { changes })
    }

    pub fn to_json(&self) -> String {
        let mut changes: Vec<Precedent> = self
            .changes
            .iter()
            .map(
                |((original, replacement), &(accepted, rejected))| Precedent {
                    original: original.clone(),
                    replacement: replacement.clone(),
                    accepted,
                    rejected,
                },
            )
            .collect();
        changes.sort_by(|a, b| (&a.original, &a.replacement).cmp(&(&b.original, &b.replacement)));
        let file = PrecedentsFile {
            version: PRECEDENTS_FORMAT_VERSION,
            changes,
        };
        crate::json::pretty_json(&file)
    }

    /// Accepted and rejected counts of a change.
    pub fn counts(&self, original: &str, replacement: &str) -> (u32, u32) {
        self.changes
            .get(&(original.to_string(), replacement.to_string()))
            .copied()
            .unwrap_or_default()
    }

    /// Counts one decision (`by` 1), or takes one back (`by` −1): `accepted` is the text
    /// that went in for `original`, `rejected` the proposal it turned down.
    pub fn count(
        &mut self,
        original: &str,
        accepted: Option<&str>,
        rejected: Option<&str>,
        by: i32,
    ) {
        let mut bump = |text: &str, accepted: bool| {
            let key = (original.to_string(), text.to_string());
            let entry = self.changes.entry(key.clone()).or_default();
            let n = if accepted { &mut entry.0 } else { &mut entry.1 };
            *n = n.saturating_add_signed(by);
            if *entry == (0, 0) {
                self.changes.remove(&key);
            }
        };
        if let Some(text) = accepted {
            bump(text, true);
        }
        if let Some(text) = rejected {
            bump(text, false);
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
