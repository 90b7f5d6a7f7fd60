//! `ocrqa apply`: each document's final text, from its source and the decisions in its review
//! file, written with its diff beside it (a layout file: in its own format, with its text
//! beside it), after checking the review file still fits the source.

use crate::batch::{read_document, DocError};
use crate::output::{DiffSink, LayoutSink, Made, OutputPaths, Outputs, ReadingSink, TextSink};
use crate::review::{ReviewDoc, ReviewFile, StaleReview};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ApplyError {
    #[error("no source location recorded (give --source-root)")]
    NoSource,
    #[error("source {path}: {error}")]
    Source { path: String, error: DocError },
    #[error("source {path}: {error}")]
    Stale { path: String, error: StaleReview },
    #[error("output {path} would overwrite the source")]
    OverwritesSource { path: String },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: io::Error },
}

/// What `apply_document` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text_path: PathBuf,
    pub changes: usize,
    pub pending: usize,
    pub overlapping: Vec<String>,
}

/// Where the source of a review file is: under `source_root` by its relative path when given,
/// else where `ocrqa fix` read it.
pub fn source_path(review: &ReviewFile, source_root: Option<&Path>) -> Option<PathBuf> {
    match source_root {
        Some(root) => Some(root.join(&review.source.path)),
        None => review.source.input.as_ref().map(PathBuf::from),
    }
}

/// Writes the final text and its diff (source → final) of one document under `out` (same
/// relative path as the input), after checking the review file still fits its source. Nothing
/// is written for a document whose check fails.
pub fn apply_document(
    doc: &ReviewDoc,
    source_root: Option<&Path>,
    out: &Path,
    max_bytes: u64,
) -> Result<Applied, ApplyError> {
    let review = &doc.review;
    let source = source_path(review, source_root).ok_or(ApplyError::NoSource)?;
    let shown = source.display().to_string();
    let name = review.source.path.clone();
    let (doc, layout) =
        read_document(&source, max_bytes, name).map_err(|error| ApplyError::Source {
            path: shown.clone(),
            error,
        })?;
    let final_text = review
        .final_text(&doc.text)
        .map_err(|error| ApplyError::Stale {
            path: shown.clone(),
            error,
        })?;
    let rel = Path::new(&review.source.path);
    let paths = OutputPaths::new(out, rel);
    let source_canon = fs::canonicalize(&source).ok();
    for p in [&paths.text, &paths.diff, &paths.reading] {
        if source_canon.is_some() && fs::canonicalize(p).ok() == source_canon {
            return Err(ApplyError::OverwritesSource {
                path: p.display().to_string(),
            });
        }
    }
    let made = Made {
        source: &doc,
        text: &final_text.text,
        changes: &final_text.changes,
        layout: layout.as_ref(),
    };
    let mut outputs = Outputs::new(true);
    if let Some(layout) = &layout {
        let bytes = outputs.add(&LayoutSink, out, rel, &made);
        layout
            .check_rewrite(bytes, &final_text.text, &final_text.changes)
            .map_err(|error| ApplyError::Source {
                path: shown.clone(),
                error: DocError::Layout {
                    format: layout.format.to_string(),
                    error,
                },
            })?;
        outputs.add(&ReadingSink, out, rel, &made);
    } else {
        outputs.add(&TextSink, out, rel, &made);
    }
    outputs.add(&DiffSink, out, rel, &made);
    outputs
        .write()
        .map_err(|(path, source)| ApplyError::Write {
            path: path.display().to_string(),
            source,
        })?;
    Ok(Applied {
        text_path: paths.text,
        changes: final_text.changes.len(),
        pending: final_text.pending,
        overlapping: final_text.overlapping,
    })
}
