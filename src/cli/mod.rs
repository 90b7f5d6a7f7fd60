//! The command-line interface: the only place that knows clap, indicatif and the terminal.
//! Exit codes: 0 everything done; 1 done, but some documents are in error; 2 nothing could run.

mod args;
mod debug;
mod eval;
mod fix;

use anyhow::Context as _;
use args::{Cli, Command, ModelArgs};
use clap::Parser;
use ocrqa::errmodel::ErrorModel;
use ocrqa::{Engine, Lexicon, Policy};

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
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ocrqa: error: {e:#}");
            EXIT_NOTHING_RAN
        }
    }
}

/// The engine the model arguments ask for.
fn engine(model: &ModelArgs) -> anyhow::Result<Engine> {
    let mut lexicon = match &model.lexicon {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading lexicon {}", path.display()))?;
            Lexicon::from_tsv(&path.display().to_string(), &text)?
        }
        None => Lexicon::shipped(),
    };
    for path in &model.words {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading word list {}", path.display()))?;
        lexicon.add_user_words(&path.display().to_string(), &text)?;
    }
    Ok(Engine::new(
        lexicon,
        ErrorModel::shipped(),
        Policy::default(),
    ))
}
