//! Command-line arguments (clap), turned once into validated library settings.

use clap::{Args, Parser, Subcommand, ValueEnum};
use ocrqa::Applicability;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "ocrqa",
    version,
    about = "OCR clean-up and quality assurance for Spanish documents"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Correct documents: writes the corrected text, a diff and a review file for each.
    Fix(FixArgs),
    /// Score corrected files against ground truth (the definitions of the dev set's score.py).
    Eval(EvalArgs),
    /// Show how a word is ranked: every candidate with its score breakdown.
    Candidates(CandidatesArgs),
    /// Show the tokens of a file (one stage of the pipeline, for debugging).
    Tokens(TokensArgs),
    /// Review the findings of an output folder of `ocrqa fix`: interactively on a terminal,
    /// or, with the options below, from scripts. Every decision is saved at once.
    Review(ReviewArgs),
    /// Write the final text of every document of an output folder: the source, plus automatic
    /// changes not rejected, plus accepted and edited changes (pending ones left out).
    Apply(ApplyArgs),
    /// Review an output folder of `ocrqa fix` in a web browser, beside the page images: a
    /// local server on 127.0.0.1, reached only through the secret address it prints.
    Serve(ServeArgs),
    /// Work with batch reports.
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Args, Debug)]
pub struct ReviewArgs {
    /// Output folder of `ocrqa fix`.
    pub dir: PathBuf,
    /// Accept the items with this id (in every document that has it). Repeatable.
    #[arg(long, value_name = "ID")]
    pub accept: Vec<String>,
    /// Reject the items with this id. Repeatable.
    #[arg(long, value_name = "ID")]
    pub reject: Vec<String>,
    /// Accept every pending item making this change, in every document. Repeatable.
    #[arg(long, value_name = "ORIGINAL->PROPOSAL")]
    pub accept_group: Vec<String>,
    /// Reject every pending item making this change. Repeatable.
    #[arg(long, value_name = "ORIGINAL->PROPOSAL")]
    pub reject_group: Vec<String>,
    /// Accept every pending item at or above this applicability (flag, review, auto).
    #[arg(long, value_name = "LEVEL")]
    pub accept_level: Option<Applicability>,
    /// Reject every pending item at or above this applicability.
    #[arg(long, value_name = "LEVEL")]
    pub reject_level: Option<Applicability>,
    /// Record the decisions of a file written by --export (run before the options above).
    #[arg(long, value_name = "FILE")]
    pub import: Option<PathBuf>,
    /// Write every decision made so far to FILE (JSON; after the options above).
    #[arg(long, value_name = "FILE")]
    pub export: Option<PathBuf>,
    /// Name recorded with each decision.
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,
    /// Decisions memory to update [default: DIR/ocrqa-decisions.json].
    #[arg(long, value_name = "FILE")]
    pub memory: Option<PathBuf>,
    /// Print the review queue as JSON (the screens an interactive session would show, in
    /// order) and exit.
    #[arg(long)]
    pub plan: bool,
    /// Interactive: also go through the automatic changes (by default only those awaiting
    /// review).
    #[arg(long)]
    pub all: bool,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Output folder of `ocrqa fix`.
    pub dir: PathBuf,
    /// Port to listen on [default: a free one].
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Address to listen on. Anything but a loopback address lets other machines reach the
    /// review (they still need the secret address): only on a network you trust.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: std::net::IpAddr,
    /// Name recorded with each decision [default: asked in the browser].
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,
    /// Decisions memory to update [default: DIR/ocrqa-decisions.json].
    #[arg(long, value_name = "FILE")]
    pub memory: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// Output folder of `ocrqa fix` (with its review files).
    pub dir: PathBuf,
    /// Where the final texts and their diffs go (same relative paths as the inputs).
    #[arg(long, short, default_value = "ocrqa-final", value_name = "DIR")]
    pub out: PathBuf,
    /// Find each source under this folder by its relative path, instead of where `ocrqa fix`
    /// read it.
    #[arg(long, value_name = "DIR")]
    pub source_root: Option<PathBuf>,
    /// Largest source file accepted, in bytes.
    #[arg(long, default_value_t = ocrqa::files::DEFAULT_MAX_BYTES, value_name = "BYTES")]
    pub max_bytes: u64,
    /// No summary on stdout.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Combine the reports of the shards of a batch (`fix --shard K/N`) into the batch's
    /// report: `ocrqa-report.json` and `ocrqa-report.md` in `--out`.
    Merge(MergeArgs),
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Shard reports (`ocrqa-report.K-of-N.json`).
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,
    /// Where the merged reports go.
    #[arg(long, short = 'o', value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
}

#[derive(Args, Debug, Clone)]
pub struct ModelArgs {
    /// Lexicon to use instead of the shipped one (`word<TAB>count` lines).
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
    /// Extra words (names, local terms), one per line, optionally `<TAB>count`. Repeatable.
    #[arg(long = "words", value_name = "FILE")]
    pub words: Vec<PathBuf>,
    /// Where the lexicon's index cache lives [default: $OCRQA_CACHE_DIR, else
    /// $XDG_CACHE_HOME/ocrqa, else ~/.cache/ocrqa]
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Build the lexicon's indexes in memory; read and write no cache.
    #[arg(long, conflicts_with = "cache_dir")]
    pub no_cache: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ApplyLevel {
    /// Only changes safe to make without a person.
    Auto,
    /// Automatic changes and those proposed for review.
    Review,
    /// Nothing: the corrected text is the original; findings go to the review file.
    None,
}

impl ApplyLevel {
    pub fn threshold(self) -> Option<Applicability> {
        match self {
            ApplyLevel::Auto => Some(Applicability::Auto),
            ApplyLevel::Review => Some(Applicability::Review),
            ApplyLevel::None => None,
        }
    }
}

#[derive(Args, Debug)]
pub struct FixArgs {
    /// Files and folders (folders: every *.txt below, relative paths kept).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output folder.
    #[arg(long, short, default_value = "ocrqa-out", value_name = "DIR")]
    pub out: PathBuf,
    /// Which findings go into the corrected text.
    #[arg(long, value_enum, default_value_t = ApplyLevel::Auto)]
    pub apply: ApplyLevel,
    /// Largest input file accepted, in bytes.
    #[arg(long, default_value_t = ocrqa::files::DEFAULT_MAX_BYTES, value_name = "BYTES")]
    pub max_bytes: u64,
    /// No progress bar and no summary on stdout.
    #[arg(long, short)]
    pub quiet: bool,
    /// Process only the K-th of N disjoint parts of the batch (for several machines; the
    /// report is `ocrqa-report.K-of-N.json`, combined by `ocrqa report merge`).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<ocrqa::report::Shard>,
    /// Redo documents whose outputs are already complete (by default a re-run skips those
    /// with the same source and settings, so an interrupted batch resumes).
    #[arg(long)]
    pub force: bool,
    /// Sync every output to disk before renaming it into place: slower, for storage that may
    /// lose power. Without it a re-run still redoes any document whose outputs a crash left
    /// short (review files record their fingerprints).
    #[arg(long)]
    pub sync: bool,
    /// Documents processed at once [default: one per core]. Outputs do not depend on it.
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Reviewers' decisions to learn from [default: OUT/ocrqa-decisions.json, if it exists]:
    /// changes they rejected are never automatic, ones accepted repeatedly become automatic.
    #[arg(long, value_name = "FILE")]
    pub memory: Option<PathBuf>,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Folder of NAME.ocr.txt / TRUTH.truth.txt pairs.
    pub set_dir: PathBuf,
    /// Folder of corrected files named like the OCR files.
    pub system_dir: PathBuf,
    /// Print JSON instead of a Markdown table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct CandidatesArgs {
    /// The word as OCR printed it.
    pub word: String,
    /// Show the breakdown of this many candidates.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// A phrase holding the word: also weigh its accent twins in this context.
    #[arg(long, value_name = "TEXT")]
    pub context: Option<String>,
    /// The document's accent-drop rate, above 0 and at most 1 (default: that of a document
    /// nothing is known of).
    #[arg(long, value_name = "RATE", default_value_t = 0.25, value_parser = rate)]
    pub drop_rate: f64,
    /// The document's rate of spurious accents, above 0 and at most 1.
    #[arg(long, value_name = "RATE", default_value_t = 0.01, value_parser = rate)]
    pub add_rate: f64,
    /// The share of marks glued to words that stand for letters on the document, from 0
    /// (a clean page: specks) to 1 (a carbon copy full of `muje:es`).
    #[arg(long, value_name = "SHARE", default_value_t = 0.0, value_parser = share)]
    pub letter_share: f64,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// A rate in (0, 1]: its logarithm prices accents.
fn rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text.parse().map_err(|e| format!("{e}"))?;
    if rate > 0.0 && rate <= 1.0 {
        Ok(rate)
    } else {
        Err(format!("{text} is not a rate above 0 and at most 1"))
    }
}

fn share(text: &str) -> Result<f64, String> {
    let share: f64 = text.parse().map_err(|e| format!("{e}"))?;
    if (0.0..=1.0).contains(&share) {
        Ok(share)
    } else {
        Err(format!("{text} is not a share from 0 to 1"))
    }
}

#[derive(Args, Debug)]
pub struct TokensArgs {
    pub file: PathBuf,
}
