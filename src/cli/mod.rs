//! The command-line interface: the only place that knows clap, indicatif and the terminal.
//! Exit codes: 0 everything done; 1 done, but some documents are in error; 2 nothing could run.

mod args;
mod debug;
mod eval;
mod fix;
mod report;
mod review;
mod screen;
mod serve;
mod tui;

use anyhow::Context as _;
use args::{Cli, Command, ModelArgs};
use clap::Parser;
use ocrqa::context::ContextModel;
use ocrqa::errmodel::ErrorModel;
use ocrqa::lexicon::CacheOutcome;
use ocrqa::{Engine, Lexicon, Policy};
use std::path::PathBuf;

pub const EXIT_OK: i32 = 0;
pub const EXIT_SOME_FAILED: i32 = 1;
pub const EXIT_NOTHING_RAN: i32 = 2;

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_NOTHING_RAN
            } else {
                EXIT_OK
            };
        }
    };
    let result = match cli.command {
        Command::Fix(a) => fix::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Candidates(a) => debug::candidates(a),
        Command::Tokens(a) => debug::tokens(a),
        Command::Review(a) => review::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Apply(a) => review::apply(a),
        Command::Report(args::ReportCommand::Merge(a)) => report::merge(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ocrqa: error: {e:#}");
            EXIT_NOTHING_RAN
        }
    }
}

/// The index cache folder the arguments and environment ask for; `None` for no cache.
fn cache_dir(model: &ModelArgs) -> Option<PathBuf> {
    if model.no_cache {
        return None;
    }
    let env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    model
        .cache_dir
        .clone()
        .or_else(|| env("OCRQA_CACHE_DIR"))
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("ocrqa")))
        .or_else(|| env("HOME").map(|d| d.join(".cache").join("ocrqa")))
}

/// The engine the model arguments ask for.
fn engine(model: &ModelArgs) -> anyhow::Result<Engine> {
    let cache = cache_dir(model);
    let (lexicon, outcome) = match (&model.lexicon, &cache) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading lexicon {}", path.display()))?;
            let name = path.display().to_string();
            match &cache {
                Some(dir) => {
                    let (lexicon, outcome) = Lexicon::from_tsv_cached(&name, text.into(), dir);
                    (lexicon?, outcome)
                }
                None => (Lexicon::from_tsv(&name, text)?, CacheOutcome::Built),
            }
        }
        (None, Some(dir)) => Lexicon::shipped_cached(dir),
        (None, None) => (Lexicon::shipped(), CacheOutcome::Built),
    };
    if let CacheOutcome::Unusable(why) = outcome {
        eprintln!("ocrqa: warning: index cache: {why}");
    }
    let mut lexicon = lexicon;
    for path in &model.words {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading word list {}", path.display()))?;
        lexicon.add_user_words(&path.display().to_string(), &text)?;
    }
    Ok(Engine::new(
        lexicon,
        ErrorModel::shipped(),
        ContextModel::shipped(),
        Policy::default(),
    ))
}
