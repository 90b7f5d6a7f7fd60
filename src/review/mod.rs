//! Review: the review file, a versioned contract with reviewers and their tools (`file`,
//! written by `write`), and the review of an output folder that every front end records its
//! decisions through (`set`), its queue of screens (`queue`), and decisions carried between
//! folders (`exchange`).

pub mod exchange;
pub mod file;
pub mod queue;
pub mod set;
mod write;

pub use exchange::{DecisionExport, ExportedDecision, EXPORT_FORMAT_VERSION};
pub use file::{
    Alternative, Decision, Excerpt, FinalText, ItemLayout, OutputsInfo, ProfileInfo, ReviewFile,
    ReviewItem, SourceInfo, StaleReview, CONTEXT_CHARS, REVIEW_FORMAT_VERSION,
};
pub use queue::{repair_kind, Group, QueueEntry, GROUP_SCREEN_MIN, PAGE_LINES};
pub use set::{
    in_session, rfc3339, ItemRef, ReviewDoc, ReviewError, ReviewSet, Stamp, Undo, Verdict,
};
