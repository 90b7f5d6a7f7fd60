//! Decisions carried between folders and tools: `ocrqa review --export` writes every decision
//! made, `--import` records them on the items they name.

use super::file::Decision;
use super::set::{ItemChange, ItemRef, ReviewError, ReviewSet, Stamp, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const EXPORT_FORMAT_VERSION: u32 = 1;

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

impl ReviewSet {
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
        // Checked one by one, written at once; of two decisions on one item, the later holds.
        let mut changes: Vec<ItemChange> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        found.reverse();
        found.retain(|(r, _)| seen.insert(*r));
        found.reverse();
        for (r, d) in found {
            let verdict = Verdict {
                decision: d.decision,
                replacement: d.replacement.clone(),
            };
            let stamp = Stamp {
                reviewer: d.reviewer.clone(),
                at: d.decided_at.clone(),
            };
            match self.changes(&[r], &verdict, &stamp) {
                Ok(mut change) => changes.append(&mut change),
                Err(_) => unmatched.push(d),
            }
        }
        self.commit(&changes)?;
        Ok((changes.len(), unmatched))
    }
}
