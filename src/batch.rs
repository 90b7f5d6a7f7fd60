//! `ocrqa fix` over a batch: which files a run takes, and per document its analysis, its
//! outputs (through the sinks of `output`) and its report. One bad document never stops the
//! others: its error is recorded and the batch goes on. Outputs are written on a thread of
//! their own while the next documents are analysed.

use crate::decide::Applicability;
use crate::document::Document;
use crate::files::{read_text, FolderLocks, ReadError};
use crate::hash;
use crate::layout::{self, LayoutDoc, LayoutError};
use crate::output::{
    DiffSink, DocumentSink, LayoutSink, Made, OutputPaths, Outputs, ReadingSink, ReviewSink,
    TextSink,
};
use crate::pipeline::{Engine, Memo};
use crate::report::DocumentReport;
use crate::review::{OutputsInfo, ReviewFile};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum DocError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("{format}: {error}")]
    Layout { format: String, error: LayoutError },
    #[error("not hOCR, ALTO or PAGE XML: give plain text (*.txt) or a layout file")]
    UnknownFormat,
    #[error("output {path} would overwrite an input")]
    OverwritesInput { path: String },
    #[error("its outputs would replace those of {path} (same relative path)")]
    OutputCollision { path: String },
    #[error("outputs not written: the writer stopped")]
    NotWritten,
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// One input file and the relative path its outputs take under the output folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    pub path: PathBuf,
    pub rel: PathBuf,
}

/// An input argument that gave no documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub path: PathBuf,
    pub reason: String,
}

/// Whether a file met in a folder is a document: `*.txt`, `*.hocr`, and `*.html`, `*.htm` or
/// `*.xml` whose content is hOCR, ALTO or PAGE XML (other XML, METS files say, is left out).
fn is_document(path: &Path) -> bool {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("txt" | "hocr") => true,
        Some("xml" | "html" | "htm") => {
            let mut head = vec![0; 16 * 1024];
            let read = fs::File::open(path).and_then(|mut f| {
                use std::io::Read;
                f.read(&mut head)
            });
            let head = String::from_utf8_lossy(&head[..read.unwrap_or(0)]).into_owned();
            layout::sniff(&head).is_some()
        }
        _ => false,
    }
}

/// Expands files and folders (every document below, see `is_document`; symlinks followed
/// once, the output folder skipped) into a sorted, duplicate-free list.
pub fn collect_inputs(inputs: &[PathBuf], out_dir: &Path) -> (Vec<InputFile>, Vec<InputProblem>) {
    let mut files = BTreeSet::new();
    let mut problems = Vec::new();
    let out_canon = fs::canonicalize(out_dir).ok();
    let mut seen_files = BTreeSet::new();
    // Folders already walked, whichever input reached them: a folder given twice, or inside
    // another input, or reached again through a symlink, is read once.
    let mut visited = BTreeSet::new();
    for input in inputs {
        match fs::metadata(input) {
            Ok(m) if m.is_dir() => {
                walk(
                    input,
                    Path::new(""),
                    out_canon.as_deref(),
                    &mut visited,
                    &mut files,
                    &mut seen_files,
                    &mut problems,
                );
            }
            Ok(_) => {
                let canon = fs::canonicalize(input).unwrap_or_else(|_| input.clone());
                if seen_files.insert(canon) {
                    let rel = PathBuf::from(input.file_name().unwrap_or(input.as_os_str()));
                    files.insert(InputFile {
                        path: input.clone(),
                        rel,
                    });
                }
            }
            Err(e) => problems.push(InputProblem {
                path: input.clone(),
                reason: format!("cannot read: {e}"),
            }),
        }
    }
    (files.into_iter().collect(), problems)
}

fn walk(
    dir: &Path,
    rel: &Path,
    out_canon: Option<&Path>,
    visited: &mut BTreeSet<PathBuf>,
    files: &mut BTreeSet<InputFile>,
    seen_files: &mut BTreeSet<PathBuf>,
    problems: &mut Vec<InputProblem>,
) {
    let Ok(canon) = fs::canonicalize(dir) else {
        problems.push(InputProblem {
            path: dir.into(),
            reason: "cannot resolve folder".into(),
        });
        return;
    };
    if out_canon == Some(canon.as_path()) || !visited.insert(canon) {
        return; // the output folder, or a folder already walked (symlink loop)
    }
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(InputProblem {
                path: dir.into(),
                reason: format!("cannot list: {e}"),
            });
            return;
        }
    };
    let mut names: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    names.sort();
    for name in names {
        let path = dir.join(&name);
        let rel = rel.join(&name);
        match fs::metadata(&path) {
            Ok(m) if m.is_dir() => {
                walk(&path, &rel, out_canon, visited, files, seen_files, problems)
            }
            Ok(_) if is_document(&path) => {
                let canon = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                if seen_files.insert(canon) {
                    files.insert(InputFile { path, rel });
                }
            }
            Ok(_) => {}
            Err(e) => problems.push(InputProblem {
                path,
                reason: format!("cannot read: {e}"),
            }),
        }
    }
}

/// What `fix_document` did with a document.
#[derive(Debug)]
pub struct Fixed {
    pub report: DocumentReport,
    /// What the user should know but did not stop the document (a page image not found).
    pub warnings: Vec<String>,
    /// The outputs to write; `None` when they were complete, from the same source and
    /// settings, and nothing was redone.
    pub outputs: Option<DocumentOutputs>,
}

/// A document's outputs, made but not yet on disk: the corrected text and the diff, then the
/// review file, which records their fingerprints (a re-run trusts them only if they match)
/// and keeps the decisions reviewers made on the earlier one.
#[derive(Debug)]
pub struct DocumentOutputs {
    files: Outputs,
    review: ReviewFile,
    review_path: PathBuf,
    /// The earlier review file as `fix` read it, and the fingerprint of its bytes.
    earlier: Option<(ReviewFile, String)>,
    sync: bool,
}

impl DocumentOutputs {
    /// Writes the text and the diff, then, under the lock of its folder (see `review::set`),
    /// the review file with the decisions of the review file on disk now: a decision a
    /// reviewer recorded while the document was analysed is kept.
    pub fn write(self) -> Result<(), DocError> {
        let failed = |(path, source): (PathBuf, std::io::Error)| DocError::Write {
            path: path.display().to_string(),
            source,
        };
        self.files.write().map_err(failed)?;
        let folder = self.review_path.parent().unwrap_or(Path::new("."));
        let _lock = FolderLocks::acquire([folder])
            .map_err(|source| failed((folder.to_path_buf(), source)))?;
        let mut review = self.review;
        let on_disk = fs::read(&self.review_path).ok();
        let seen = self.earlier.as_ref().map(|(_, version)| version.as_str());
        let now = on_disk.as_deref().map(hash::fingerprint);
        match self.earlier {
            Some((earlier, _)) if now.as_deref() == seen => review.keep_decisions(&earlier),
            _ => {
                let current = on_disk
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .and_then(|text| ReviewFile::from_json(&text).ok());
                if let Some(current) = current {
                    review.keep_decisions(&current);
                }
            }
        }
        let mut last = Outputs::new(self.sync);
        last.push(self.review_path, ReviewSink.render(&review));
        last.write().map_err(failed)
    }
}

/// A document as read from `path`: plain text, or a layout file (hOCR, ALTO, PAGE XML,
/// recognised from the content) and the text its words make.
pub fn read_document(
    path: &Path,
    max_bytes: u64,
    name: String,
) -> Result<(Document, Option<LayoutDoc>), DocError> {
    let text = read_text(path, max_bytes)?;
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let format = match extension.as_deref() {
        Some("txt") => None,
        Some(other) => match layout::sniff(&text) {
            Some(format) => Some(format),
            None if matches!(other, "xml" | "html" | "htm" | "hocr") => {
                return Err(DocError::UnknownFormat)
            }
            None => None,
        },
        None => layout::sniff(&text),
    };
    let Some(format) = format else {
        return Ok((Document::new(name, text), None));
    };
    let layout = layout::parse(format, text).map_err(|error| DocError::Layout {
        format: format.to_string(),
        error,
    })?;
    Ok((layout.document(name), Some(layout)))
}

/// Where each page's image is, resolved against the layout file's folder; `None` for a page
/// that names none, or whose image is not there (`missing` gets a line for each).
pub fn page_images(
    layout: &LayoutDoc,
    input: &Path,
    missing: &mut Vec<String>,
) -> Vec<Option<String>> {
    let folder = input.parent().unwrap_or(Path::new("."));
    layout
        .pages
        .iter()
        .map(|page| {
            let named = page.image.as_deref()?;
            let path = folder.join(named);
            if path.is_file() {
                let path = fs::canonicalize(&path).unwrap_or(path);
                Some(path.display().to_string())
            } else {
                let line = layout::LayoutError::at(&layout.source, page.image_at, "").line;
                missing.push(format!("line {line}: page image {named} not found"));
                None
            }
        })
        .collect()
}

/// Corrects one document and makes its outputs (see [`DocumentOutputs::write`]). Unless
/// `force`, a document whose review file records the same source fingerprint and settings,
/// beside its text and diff, is skipped: an interrupted batch resumes where it stopped.
pub fn fix_document(
    engine: &Engine,
    memo: &mut Memo,
    input: &InputFile,
    out_dir: &Path,
    level: Option<Applicability>,
    options: &FixOptions,
) -> Result<Fixed, DocError> {
    let source = input.rel.to_string_lossy().replace('\\', "/");
    let paths = OutputPaths::new(out_dir, &input.rel);
    let input_canon = fs::canonicalize(&input.path).ok();
    for p in [&paths.text, &paths.diff, &paths.review] {
        if input_canon.is_some() && fs::canonicalize(p).ok() == input_canon {
            return Err(DocError::OverwritesInput {
                path: p.display().to_string(),
            });
        }
    }
    let (doc, layout) = read_document(&input.path, options.max_bytes, source)?;
    let settings = engine.settings_key(level);
    // The earlier review file, read once: it says whether the document is done, and holds
    // the reviewers' decisions a new run keeps.
    let earlier = fs::read_to_string(&paths.review).ok().and_then(|text| {
        let version = hash::fingerprint(text.as_bytes());
        ReviewFile::from_json(&text).ok().map(|r| (r, version))
    });
    if let Some((done, _)) = earlier.as_ref().filter(|_| !options.force) {
        if completed(&paths, done, &doc, &settings) {
            return Ok(Fixed {
                report: DocumentReport::from_review(done, &doc),
                warnings: Vec::new(),
                outputs: None,
            });
        }
    }
    let analysis = engine.analyze_with(&doc, memo);
    let corrected = analysis.corrected(&doc, level);
    let mut review = ReviewFile::new(&doc, &analysis, &corrected.applied, level, settings);
    review.source.input = input_canon.map(|p| p.display().to_string());
    let mut warnings = Vec::new();
    if let Some(layout) = &layout {
        review.source.format = Some(layout.format.to_string());
        review.locate(&doc, &page_images(layout, &input.path, &mut warnings));
    }
    let mut files = Outputs::new(options.sync);
    let made = Made {
        source: &doc,
        text: &corrected.text,
        changes: &corrected.changes,
        layout: layout.as_ref(),
    };
    let rel = &input.rel;
    // A layout file is read back before anything is written (`LayoutDoc::check_rewrite`).
    let layout_text = match &layout {
        Some(layout) => {
            let bytes = files.add(&LayoutSink, out_dir, rel, &made);
            layout
                .check_rewrite(bytes, &corrected.text, &corrected.changes)
                .map_err(|error| DocError::Layout {
                    format: layout.format.to_string(),
                    error,
                })?;
            Some(hash::fingerprint(bytes.as_bytes()))
        }
        None => None,
    };
    let mut fingerprint = |sink: &dyn DocumentSink| {
        hash::fingerprint(files.add(sink, out_dir, rel, &made).as_bytes())
    };
    let outputs = match layout_text {
        Some(text) => OutputsInfo {
            text,
            diff: fingerprint(&DiffSink),
            reading: Some(fingerprint(&ReadingSink)),
        },
        None => OutputsInfo {
            text: fingerprint(&TextSink),
            diff: fingerprint(&DiffSink),
            reading: None,
        },
    };
    review.outputs = Some(outputs);
    Ok(Fixed {
        warnings,
        report: DocumentReport::from_review(&review, &doc),
        outputs: Some(DocumentOutputs {
            files,
            review,
            review_path: ReviewSink.path(out_dir, rel),
            earlier,
            sync: options.sync,
        }),
    })
}

/// Where the result of writing a document's outputs arrives, once they are written.
pub type Written = Receiver<Result<(), DocError>>;

/// A document's outputs and where to send the result of writing them.
type WriteJob = (DocumentOutputs, Sender<Result<(), DocError>>);

/// Writes documents' outputs on a thread of its own, in the order they are given, so that
/// waiting for the disk (every file is synced before it is renamed into place) overlaps the
/// analysis of the next documents instead of adding to it.
pub struct OutputWriter {
    queue: Option<SyncSender<WriteJob>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Documents made but not yet written: a bound on the memory a slow disk can take.
const WRITE_QUEUE: usize = 8;

impl OutputWriter {
    pub fn start() -> OutputWriter {
        let (queue, jobs) = sync_channel::<WriteJob>(WRITE_QUEUE);
        let thread = std::thread::spawn(move || {
            for (outputs, done) in jobs {
                let _ = done.send(outputs.write());
            }
        });
        OutputWriter {
            queue: Some(queue),
            thread: Some(thread),
        }
    }

    /// Queues `outputs`; the receiver gets the result once they are written.
    pub fn submit(&self, outputs: DocumentOutputs) -> Written {
        let (done, result) = channel();
        if let Some(queue) = &self.queue {
            // A send fails only if the thread died; the receiver then hangs up too, which the
            // caller reports as `DocError::NotWritten`.
            let _ = queue.send((outputs, done));
        }
        result
    }
}

impl Drop for OutputWriter {
    /// Writes what is queued before returning.
    fn drop(&mut self) {
        self.queue.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// How `fix_document` treats inputs and earlier outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixOptions {
    /// Largest input accepted, in bytes.
    pub max_bytes: u64,
    /// Redo documents whose outputs are complete.
    pub force: bool,
    /// Sync each output to disk before renaming it into place. Without it an output is still
    /// whole or absent if the process dies; a crash of the machine may leave it short, which
    /// the next run finds by its fingerprint and redoes.
    pub sync: bool,
}

/// Whether the document was done with these settings from this source, its text and diff
/// on disk as the review file (`review`) records them; anything different means it is done
/// again.
fn completed(paths: &OutputPaths, review: &ReviewFile, doc: &Document, settings: &str) -> bool {
    let written = |path: &Path, fingerprint: &str| {
        fs::read(path).is_ok_and(|bytes| hash::fingerprint(&bytes) == fingerprint)
    };
    review.settings == settings
        && review.source.fingerprint == doc.fingerprint()
        && review.outputs.as_ref().is_some_and(|o| {
            written(&paths.text, &o.text)
                && written(&paths.diff, &o.diff)
                && o.reading
                    .as_ref()
                    .is_none_or(|r| written(&paths.reading, r))
        })
}
