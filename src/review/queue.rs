//! The review queue: items grouped by identical change across documents (OCR errors repeat),
//! the big groups a screen each, the small ones in pages of one kind of repair.

use super::file::ReviewItem;
use super::set::{ItemRef, ReviewSet};
use crate::errmodel::Step;
use std::collections::BTreeMap;

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

impl ReviewSet {
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
}
