//! ocrqa: OCR clean-up and quality assurance for Spanish documents.
//!
//! A staged pipeline: tokenize (byte spans) → detect suspicious tokens → generate candidates
//! (Spanish lexicon, OCR confusion model, symmetric delete, joins) → rank (frequency × error
//! model) → decide (auto / review / flag) → write the corrected text, a diff and a review file.
//!
//! ```
//! use ocrqa::{Applicability, Document, Engine};
//!
//! let engine = Engine::shipped();
//! let doc = Document::new("carta.txt", "la cooperacion y la informacién");
//! let analysis = engine.analyze(&doc);
//! let (text, _) = analysis.corrected(&doc, Some(Applicability::Auto));
//! assert_eq!(text, "la cooperación y la información");
//! ```

pub mod analyze;
pub mod candidates;
pub mod context;
pub mod decide;
pub mod decisions;
pub mod detect;
pub mod document;
pub mod edit;
pub mod errmodel;
pub mod hash;
pub mod lexicon;
pub mod memory;
pub mod rank;
pub mod shadows;
pub mod span;
pub mod tokenize;

pub use analyze::{Analysis, Engine, Finding, Profile};
pub use decide::{Applicability, Policy, Reason};
pub use document::Document;
pub use edit::{apply_edits, Edit};
pub use lexicon::Lexicon;
pub use span::ByteSpan;
pub mod batch;
pub mod eval;
pub mod output;
pub mod review;
