//! Review: the review file, a versioned contract with reviewers and their tools (`file`,
//! written by `write`), and the review of an output folder that every front end records its
//! decisions through (`set`).

pub mod file;
pub mod set;
mod write;

pub use file::{
    Alternative, Decision, Excerpt, FinalText, OutputsInfo, ProfileInfo, ReviewFile, ReviewItem,
    SourceInfo, StaleReview, CONTEXT_CHARS, REVIEW_FORMAT_VERSION,
};
pub use set::{
    in_session, repair_kind, rfc3339, DecisionExport, ExportedDecision, Group, ItemRef, QueueEntry,
    ReviewDoc, ReviewError, ReviewSet, Stamp, Undo, Verdict, GROUP_SCREEN_MIN, PAGE_LINES,
};
