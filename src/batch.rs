//! Batches: which files a run takes, reading them safely, and writing each document's outputs
//! (corrected text, diff, review file) plus what the batch report says of it. One bad document
//! never stops the others: its error is recorded and the batch goes on.

use crate::analyze::{CandidateCache, Engine};
use crate::decide::{Applicability, Reason};
use crate::document::Document;
use crate::hash;
use crate::output::{unified_diff, write_atomic, write_atomic_unsynced};
use crate::review::{OutputsInfo, ReviewFile};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use thiserror::Error;

pub const REPORT_FORMAT_VERSION: u32 = 1;
pub const REPORT_FILE: &str = "ocrqa-report.json";
pub const REPORT_MARKDOWN_FILE: &str = "ocrqa-report.md";
/// Default largest input accepted, in bytes: a 1,000-page book is 2–3 MB of text, and memory
/// grows to about 200× a document while it is analysed (its findings and their alternatives).
pub const DEFAULT_MAX_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum DocError {
    #[error("cannot read: {0}")]
    Unreadable(std::io::Error),
    #[error("empty file")]
    Empty,
    #[error("too large: {bytes} bytes (limit {max}; see --max-bytes)")]
    TooLarge { bytes: u64, max: u64 },
    #[error("binary file (NUL byte at offset {offset})")]
    Binary { offset: usize },
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 { offset: usize },
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

/// Expands files and folders (every `*.txt` below, symlinks followed once, the output folder
/// skipped) into a sorted, duplicate-free list.
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
            Ok(_) if path.extension().is_some_and(|e| e == "txt") => {
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

/// Reads a document, refusing what is not a text to correct.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, DocError> {
    let meta = fs::metadata(path).map_err(DocError::Unreadable)?;
    if meta.len() > max_bytes {
        return Err(DocError::TooLarge {
            bytes: meta.len(),
            max: max_bytes,
        });
    }
    decode(fs::read(path).map_err(DocError::Unreadable)?)
}

/// The text of a document's bytes: refused when empty, binary (a NUL byte) or not UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<String, DocError> {
    if bytes.is_empty() {
        return Err(DocError::Empty);
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DocError::Binary { offset });
    }
    String::from_utf8(bytes).map_err(|e| DocError::InvalidUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

/// Where a document's three outputs go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutputPaths {
    pub text: PathBuf,
    pub diff: PathBuf,
    pub review: PathBuf,
}

impl OutputPaths {
    pub fn new(out_dir: &Path, rel: &Path) -> OutputPaths {
        let text = out_dir.join(rel);
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = name.strip_suffix(".txt").unwrap_or(&name).to_string();
        let sibling = |ext: &str| text.with_file_name(format!("{stem}.{ext}"));
        OutputPaths {
            diff: sibling("diff"),
            review: sibling("review.json"),
            text,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentReport {
    /// Input path relative to its root (the outputs' relative path).
    pub source: String,
    /// `ok` or `error`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub words: usize,
    pub suspicious: usize,
    pub findings: usize,
    pub auto: usize,
    pub review: usize,
    pub flag: usize,
    pub applied: usize,
    pub accent_drop_rate: f64,
    pub accent_add_rate: f64,
    /// The document's confusion rates (`observed→intended`: rate), from its review file.
    #[serde(default)]
    pub confusions: BTreeMap<String, f64>,
    /// Share of characters OCR got wrong, as estimated from the findings (see
    /// `Analysis::estimated_error_rate`); what the documents are ranked and graded by.
    pub estimated_error_rate: f64,
    /// `A` (< 0.5 %), `B` (< 2 %), `C` (< 5 %) or `D`, from the estimated error rate.
    pub grade: String,
    /// Findings per kind of damage.
    pub patterns: BTreeMap<Reason, usize>,
}

/// The grade of a document from its estimated error rate.
pub fn grade(estimated_error_rate: f64) -> &'static str {
    match estimated_error_rate {
        r if r < 0.005 => "A",
        r if r < 0.02 => "B",
        r if r < 0.05 => "C",
        _ => "D",
    }
}

impl DocumentReport {
    pub fn failed(source: &str, error: &DocError) -> DocumentReport {
        DocumentReport {
            source: source.to_string(),
            status: "error".into(),
            error: Some(error.to_string()),
            ..Default::default()
        }
    }
}

/// `--shard K/N`: the K-th of N disjoint, deterministic parts of a batch (K from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("{s:?}: expected K/N with 1 ≤ K ≤ N, as in 2/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the document at `rel` (its path relative to its input root) is in this shard.
    /// Decided by a hash of the path, the same on every machine, so that shards run anywhere
    /// are disjoint and together are the whole batch.
    pub fn holds(&self, rel: &Path) -> bool {
        let key = rel.to_string_lossy().replace('\\', "/");
        (crate::hash::fnv1a(key.as_bytes()) % u64::from(self.count)) as u32 == self.index - 1
    }

    /// Name of this shard's batch report (`ocrqa-report.2-of-8.json`, `.md`).
    pub fn report_name(&self, extension: &str) -> String {
        format!("ocrqa-report.{}-of-{}.{extension}", self.index, self.count)
    }
}

/// What `fix_document` did with a document.
#[derive(Debug)]
pub struct Fixed {
    pub report: DocumentReport,
    /// The outputs to write; `None` when they were complete, from the same source and
    /// settings, and nothing was redone.
    pub outputs: Option<Outputs>,
}

/// A document's three outputs, made but not yet on disk.
#[derive(Debug)]
pub struct Outputs {
    paths: OutputPaths,
    text: String,
    diff: String,
    review: String,
    /// Wait for the disk before each rename (`FixOptions::sync`).
    sync: bool,
}

impl Outputs {
    /// Writes the text, then the diff, then the review file, each atomically. The review
    /// file holds the fingerprints of the other two: a re-run trusts them only if they match.
    pub fn write(&self) -> Result<(), DocError> {
        let write = match self.sync {
            true => write_atomic,
            false => write_atomic_unsynced,
        };
        for (path, bytes) in [
            (&self.paths.text, &self.text),
            (&self.paths.diff, &self.diff),
            (&self.paths.review, &self.review),
        ] {
            write(path, bytes.as_bytes()).map_err(|e| DocError::Write {
                path: path.display().to_string(),
                source: e,
            })?;
        }
        Ok(())
    }
}

/// Corrects one document and makes its outputs (see [`Outputs::write`]). Unless `force`, a
/// document whose review file records the same source fingerprint and settings, beside its
/// text and diff, is skipped: an interrupted batch resumes where it stopped.
pub fn fix_document(
    engine: &Engine,
    cache: &mut CandidateCache,
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
    let text = read_text(&input.path, options.max_bytes)?;
    let doc = Document::new(source.clone(), text);
    let settings = engine.settings_key(level);
    // The earlier review file, read once: it says whether the document is done, and holds
    // the reviewers' decisions a new run keeps.
    let earlier = fs::read_to_string(&paths.review)
        .ok()
        .and_then(|t| ReviewFile::from_json(&t).ok());
    if let Some(done) = earlier.as_ref().filter(|_| !options.force) {
        if completed(&paths, done, &doc, &settings) {
            return Ok(Fixed {
                report: DocumentReport::from_review(done, &doc),
                outputs: None,
            });
        }
    }
    let analysis = engine.analyze_with(&doc, cache);
    let (corrected, applied) = analysis.corrected(&doc, level);
    let mut review = ReviewFile::new(&doc, &analysis, &applied, level, settings);
    review.source.input = input_canon.map(|p| p.display().to_string());
    if let Some(earlier) = &earlier {
        review.keep_decisions(earlier);
    }
    let diff = unified_diff(&source, &doc.text, &corrected);
    review.outputs = Some(OutputsInfo {
        text: hash::fingerprint(corrected.as_bytes()),
        diff: hash::fingerprint(diff.as_bytes()),
    });
    Ok(Fixed {
        report: DocumentReport::from_review(&review, &doc),
        outputs: Some(Outputs {
            paths,
            diff,
            review: review.to_json(),
            text: corrected,
            sync: options.sync,
        }),
    })
}

/// Where the result of writing a document's outputs arrives, once they are written.
pub type Written = Receiver<Result<(), DocError>>;

/// A document's outputs and where to send the result of writing them.
type WriteJob = (Outputs, Sender<Result<(), DocError>>);

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
    pub fn submit(&self, outputs: Outputs) -> Written {
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
        && review
            .outputs
            .as_ref()
            .is_some_and(|o| written(&paths.text, &o.text) && written(&paths.diff, &o.diff))
}

impl DocumentReport {
    /// The report of a document from its review file: the one way it is made, so that a
    /// resumed batch reports exactly what an uninterrupted one does.
    pub fn from_review(review: &ReviewFile, doc: &Document) -> DocumentReport {
        let count = |a: Applicability| review.items.iter().filter(|i| i.applicability == a).count();
        let estimated = estimated_error_rate(review, doc);
        let mut patterns = BTreeMap::new();
        for item in &review.items {
            for &r in item.reasons.iter().filter(|r| r.is_damage()) {
                *patterns.entry(r).or_insert(0) += 1;
            }
        }
        DocumentReport {
            source: review.source.path.clone(),
            status: "ok".into(),
            error: None,
            words: review.profile.words,
            suspicious: review.profile.suspicious,
            findings: review.items.len(),
            auto: count(Applicability::Auto),
            review: count(Applicability::Review),
            flag: count(Applicability::Flag),
            applied: review.items.iter().filter(|i| i.applied).count(),
            accent_drop_rate: review.profile.accent_drop_rate,
            accent_add_rate: review.profile.accent_add_rate,
            confusions: review
                .profile
                .confusions
                .iter()
                .map(|c| (format!("{}→{}", c.observed, c.intended), c.rate))
                .collect(),
            estimated_error_rate: (estimated * 10_000.0).round() / 10_000.0,
            grade: grade(estimated).to_string(),
            patterns,
        }
    }
}

/// Estimated share of the document's characters that OCR got wrong: the characters every
/// finding would change (half of a flagged token without a proposal), over all characters.
/// Against the true OCR error rate of the 75 dev-set documents its Spearman correlation is
/// 0.88: it ranks documents, it does not measure them.
pub fn estimated_error_rate(review: &ReviewFile, doc: &Document) -> f64 {
    let changed: usize = review
        .items
        .iter()
        .map(|item| {
            let original: Vec<char> = item.original.chars().collect();
            match &item.proposal {
                Some(p) => crate::eval::levenshtein(&original, &p.chars().collect::<Vec<_>>()),
                None => (original.len() / 2).max(1),
            }
        })
        .sum();
    changed as f64 / doc.text.chars().count().max(1) as f64
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    pub documents: usize,
    pub ok: usize,
    pub errors: usize,
    pub words: usize,
    pub findings: usize,
    pub auto: usize,
    pub review: usize,
    pub flag: usize,
    pub applied: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchReport {
    pub version: u32,
    pub tool: String,
    pub applied_level: String,
    pub documents: Vec<DocumentReport>,
    pub totals: Totals,
}

impl BatchReport {
    pub fn new(level: Option<Applicability>, mut documents: Vec<DocumentReport>) -> BatchReport {
        documents.sort_by(|a, b| a.source.cmp(&b.source));
        let mut t = Totals {
            documents: documents.len(),
            ..Default::default()
        };
        for d in &documents {
            if d.status == "ok" {
                t.ok += 1;
            } else {
                t.errors += 1;
            }
            t.words += d.words;
            t.findings += d.findings;
            t.auto += d.auto;
            t.review += d.review;
            t.flag += d.flag;
            t.applied += d.applied;
        }
        BatchReport {
            version: REPORT_FORMAT_VERSION,
            tool: concat!("ocrqa ", env!("CARGO_PKG_VERSION")).to_string(),
            applied_level: level.map_or("none".to_string(), |l| l.to_string()),
            documents,
            totals: t,
        }
    }

    pub fn to_json(&self) -> String {
        crate::output::pretty_json(self)
    }

    /// Writes the report and its Markdown page into `dir` (named for the shard, if any).
    pub fn write(&self, dir: &Path, shard: Option<Shard>) -> std::io::Result<()> {
        let (json, markdown) = match shard {
            Some(shard) => (shard.report_name("json"), shard.report_name("md")),
            None => (REPORT_FILE.to_string(), REPORT_MARKDOWN_FILE.to_string()),
        };
        write_atomic(&dir.join(json), self.to_json().as_bytes())?;
        write_atomic(&dir.join(markdown), self.to_markdown().as_bytes())
    }

    /// Reads a batch report, refusing other versions.
    pub fn from_json(text: &str) -> Result<BatchReport, String> {
        crate::output::read_versioned(
            text,
            "report format",
            |r: &BatchReport| r.version,
            REPORT_FORMAT_VERSION,
        )
    }

    /// The report of the whole batch from those of its shards (`--shard K/N`): the same as a
    /// run without shards would have written. Shards must agree on tool and applied level, and
    /// no document may be in two of them.
    pub fn merge(shards: Vec<BatchReport>) -> Result<BatchReport, String> {
        let first = shards.first().ok_or("no reports to merge")?;
        let (tool, level) = (first.tool.clone(), first.applied_level.clone());
        let mut documents = Vec::new();
        let mut seen = BTreeSet::new();
        for shard in shards {
            if shard.tool != tool || shard.applied_level != level {
                return Err(format!(
                    "reports differ: {} applying {} against {tool} applying {level}",
                    shard.tool, shard.applied_level
                ));
            }
            for d in shard.documents {
                if !seen.insert(d.source.clone()) {
                    return Err(format!("{} is in two reports", d.source));
                }
                documents.push(d);
            }
        }
        let level = match level.as_str() {
            "none" => None,
            other => Some(other.parse::<Applicability>()?),
        };
        let mut merged = BatchReport::new(level, documents);
        merged.tool = tool;
        Ok(merged)
    }

    /// The report for people: documents worst first, then those in error.
    pub fn to_markdown(&self) -> String {
        let t = &self.totals;
        let mut out = format!(
            "# ocrqa quality report\n\n{} documents ({} in error), {} words; {} findings: {} \
             applied automatically, {} to review, {} flagged. Applied: `{}`.\n\n\
             Documents worst first, by the share of characters OCR got wrong as estimated from \
             the findings (a ranking, not a measurement). Grades: A < 0.5 %, B < 2 %, \
             C < 5 %, D above.\n\n\
             | # | document | grade | est. errors | words | auto | review | flag | accents dropped | main damage |\n\
             |---:|---|:-:|---:|---:|---:|---:|---:|---:|---|\n",
            t.documents, t.errors, t.words, t.findings, t.auto, t.review, t.flag, self.applied_level
        );
        let mut ok: Vec<&DocumentReport> =
            self.documents.iter().filter(|d| d.status == "ok").collect();
        ok.sort_by(|a, b| {
            b.estimated_error_rate
                .total_cmp(&a.estimated_error_rate)
                .then_with(|| a.source.cmp(&b.source))
        });
        for (i, d) in ok.iter().enumerate() {
            let mut patterns: Vec<(&Reason, &usize)> = d.patterns.iter().collect();
            patterns.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let main: Vec<String> = patterns
                .iter()
                .take(3)
                .map(|(r, n)| format!("{} {n}", r.to_string().replace('_', " ")))
                .collect();
            out.push_str(&format!(
                "| {} | {} | {} | {:.2} % | {} | {} | {} | {} | {:.0} % | {} |\n",
                i + 1,
                d.source.replace('|', "\\|"),
                d.grade,
                d.estimated_error_rate * 100.0,
                d.words,
                d.auto,
                d.review,
                d.flag,
                d.accent_drop_rate * 100.0,
                main.join(", ")
            ));
        }
        let failed: Vec<&DocumentReport> =
            self.documents.iter().filter(|d| d.status != "ok").collect();
        if !failed.is_empty() {
            out.push_str("\n## Documents in error\n\n");
            for d in failed {
                out.push_str(&format!(
                    "- {}: {}\n",
                    d.source,
                    d.error.as_deref().unwrap_or("error")
                ));
            }
        }
        out
    }
}
