//! What `ocrqa fix` and `ocrqa apply` write, each output behind one small interface: a
//! `DocumentSink` per output of a document (corrected text or layout file, a layout file's
//! text, diff, review file), a
//! `ReportSink` per form of the batch report (JSON, Markdown). A new output format is one
//! new sink. Every file is written atomically (`files`).

pub mod diff;
pub mod report;

use crate::document::Document;
use crate::edit::Change;
use crate::files::{write_atomic, write_atomic_unsynced};
use crate::layout::LayoutDoc;
use crate::report::{BatchReport, Shard};
use crate::review::ReviewFile;
pub use diff::unified_diff;
use std::io;
use std::path::{Path, PathBuf};

/// What a document's text outputs are made of: its source, and the text ocrqa made of it
/// (corrected by `fix`, final by `apply`) and how.
pub struct Made<'a> {
    pub source: &'a Document,
    pub text: &'a str,
    /// The edits that made `text` of the source.
    pub changes: &'a [Change],
    /// The layout file the source's text was read from, if it was one.
    pub layout: Option<&'a LayoutDoc>,
}

/// One output of a document.
pub trait DocumentSink {
    /// Where the output of the document at `rel` (its path relative to its input root)
    /// goes under `out_dir`.
    fn path(&self, out_dir: &Path, rel: &Path) -> PathBuf;
    /// Its bytes.
    fn render(&self, made: &Made) -> String;
}

/// The input's file name with `extension` in place of `.txt`, beside the text.
fn sibling(out_dir: &Path, rel: &Path, extension: &str) -> PathBuf {
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".txt").unwrap_or(&name);
    out_dir
        .join(rel)
        .with_file_name(format!("{stem}.{extension}"))
}

/// The text, under the input's own name.
pub struct TextSink;

impl DocumentSink for TextSink {
    fn path(&self, out_dir: &Path, rel: &Path) -> PathBuf {
        out_dir.join(rel)
    }

    fn render(&self, made: &Made) -> String {
        made.text.to_string()
    }
}

/// A layout file (hOCR, ALTO, PAGE XML) with the text's changes in its words, under the
/// input's own name (see `layout::LayoutDoc::rewrite`).
pub struct LayoutSink;

impl DocumentSink for LayoutSink {
    fn path(&self, out_dir: &Path, rel: &Path) -> PathBuf {
        out_dir.join(rel)
    }

    fn render(&self, made: &Made) -> String {
        match made.layout {
            Some(layout) => layout.rewrite(made.text, made.changes),
            None => made.text.to_string(),
        }
    }
}

/// The text of a layout file as plain text (`NAME.hocr.txt`): what its words read now.
pub struct ReadingSink;

impl DocumentSink for ReadingSink {
    fn path(&self, out_dir: &Path, rel: &Path) -> PathBuf {
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out_dir.join(rel).with_file_name(format!("{name}.txt"))
    }

    fn render(&self, made: &Made) -> String {
        made.text.to_string()
    }
}

/// The unified diff source → text (`NAME.diff`), empty when nothing changed.
pub struct DiffSink;

impl DocumentSink for DiffSink {
    fn path(&self, out_dir: &Path, rel: &Path) -> PathBuf {
        sibling(out_dir, rel, "diff")
    }

    fn render(&self, made: &Made) -> String {
        unified_diff(
            &made.source.source,
            &made.source.text,
            made.text,
            made.changes,
        )
    }
}

/// The review file (`NAME.review.json`; format in docs/formats.md). Written last, after the
/// outputs whose fingerprints it records, and under the lock of its folder (see `batch`).
pub struct ReviewSink;

impl ReviewSink {
    pub fn path(&self, out_dir: &Path, rel: &Path) -> PathBuf {
        sibling(out_dir, rel, "review.json")
    }

    pub fn render(&self, review: &ReviewFile) -> String {
        review.to_json()
    }
}

/// Where a document's outputs go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputPaths {
    /// The corrected document under the input's name (text, or the layout file).
    pub text: PathBuf,
    pub diff: PathBuf,
    pub review: PathBuf,
    /// A layout file's text (`NAME.hocr.txt`).
    pub reading: PathBuf,
}

impl OutputPaths {
    pub fn new(out_dir: &Path, rel: &Path) -> OutputPaths {
        OutputPaths {
            text: TextSink.path(out_dir, rel),
            diff: DiffSink.path(out_dir, rel),
            review: ReviewSink.path(out_dir, rel),
            reading: ReadingSink.path(out_dir, rel),
        }
    }
}

/// Outputs made but not yet on disk, in the order they are to be written.
#[derive(Debug)]
pub struct Outputs {
    files: Vec<(PathBuf, String)>,
    /// Wait for the disk before each rename.
    sync: bool,
}

impl Outputs {
    pub fn new(sync: bool) -> Outputs {
        Outputs {
            files: Vec::new(),
            sync,
        }
    }

    /// `sink`'s output of `made`, for the document at `rel`; its bytes.
    pub fn add(
        &mut self,
        sink: &dyn DocumentSink,
        out_dir: &Path,
        rel: &Path,
        made: &Made,
    ) -> &str {
        let path = sink.path(out_dir, rel);
        self.push(path, sink.render(made));
        &self.files[self.files.len() - 1].1
    }

    /// `bytes` to be written to `path`.
    pub fn push(&mut self, path: PathBuf, bytes: String) {
        self.files.push((path, bytes));
    }

    /// Writes each file atomically, in order; the first failure stops, naming its file.
    pub fn write(&self) -> Result<(), (PathBuf, io::Error)> {
        let write = match self.sync {
            true => write_atomic,
            false => write_atomic_unsynced,
        };
        for (path, bytes) in &self.files {
            write(path, bytes.as_bytes()).map_err(|e| (path.clone(), e))?;
        }
        Ok(())
    }
}

/// One form of the batch report.
pub trait ReportSink {
    /// The file's extension (`ocrqa-report.EXT`, or `ocrqa-report.K-of-N.EXT` for a shard).
    fn extension(&self) -> &'static str;
    fn render(&self, report: &BatchReport) -> String;
}

/// Every form the batch report is written in.
pub const REPORT_SINKS: [&dyn ReportSink; 3] = [
    &report::JsonReport,
    &report::MarkdownReport,
    &report::HtmlReport,
];

/// Name of the batch report (or a shard's) in `extension`.
pub fn report_name(shard: Option<Shard>, extension: &str) -> String {
    match shard {
        Some(shard) => format!(
            "ocrqa-report.{}-of-{}.{extension}",
            shard.index, shard.count
        ),
        None => format!("ocrqa-report.{extension}"),
    }
}

/// Writes every form of the report into `dir`, synced (a few files per batch).
pub fn write_report(report: &BatchReport, dir: &Path, shard: Option<Shard>) -> io::Result<()> {
    for sink in REPORT_SINKS {
        let path = dir.join(report_name(shard, sink.extension()));
        write_atomic(&path, sink.render(report).as_bytes())?;
    }
    Ok(())
}
