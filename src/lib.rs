//! ocrqa: OCR clean-up and quality assurance for Spanish documents.
//!
//! A staged pipeline: tokenize (byte spans) → detect suspicious tokens → generate candidates
//! (Spanish lexicon, OCR confusion model, symmetric delete, joins) → rank (frequency × error
//! model × context) → decide (auto / review / flag) → write the corrected text, a diff and a
//! review file. The layers, lowest first (each imports only from those below it):
//!
//! - text and files: `span`, `hash`, `document`, `tokenize`, `edit`, `files`, `json`, `eval`;
//! - Spanish and OCR knowledge: `lexicon`, `errmodel`, `context`, `spanish`;
//! - the stages: `detect`, `candidates`, `rank`, `decide`, and `precedents` (reviewers'
//!   earlier decisions);
//! - `pipeline`: the passes over a document, ordered by its `Engine`;
//! - what comes of an analysis: `review` (the review file and the review of a folder),
//!   `report` (the batch report);
//! - `output`: the sinks that write them;
//! - the workflows: `batch` (`ocrqa fix`) and `apply` (`ocrqa apply`).
//!
//! ```
//! use ocrqa::{Applicability, Document, Engine};
//!
//! let engine = Engine::shipped();
//! let doc = Document::new("carta.txt", "la cooperacion y la informacién");
//! let analysis = engine.analyze(&doc);
//! let corrected = analysis.corrected(&doc, Some(Applicability::Auto));
//! assert_eq!(corrected.text, "la cooperación y la información");
//! ```

pub mod apply;
pub mod batch;
pub mod candidates;
pub mod context;
pub mod decide;
pub mod detect;
pub mod document;
pub mod edit;
pub mod errmodel;
pub mod eval;
pub mod files;
pub mod hash;
pub mod json;
pub mod layout;
pub mod lexicon;
pub mod output;
pub mod pipeline;
pub mod precedents;
pub mod rank;
pub mod report;
pub mod review;
pub mod span;
pub mod spanish;
pub mod tokenize;

pub use decide::{Applicability, Policy, Reason};
pub use document::Document;
pub use edit::{apply_edits, Edit};
pub use lexicon::Lexicon;
pub use pipeline::{Analysis, Engine, Finding, Profile};
pub use span::ByteSpan;
