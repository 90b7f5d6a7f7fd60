//! Debug subcommands that show one stage: `ocrqa tokens`, `ocrqa candidates`.

use super::args::{CandidatesArgs, TokensArgs};
use super::EXIT_OK;
use ocrqa::candidates::Source;
use ocrqa::errmodel::Step;
use ocrqa::pipeline::accent_twins::{AMBIGUOUS_AUTO_ODDS, TWIN_AUTO_ODDS, TWIN_REVIEW_ODDS};
use ocrqa::pipeline::{AccentHabits, MarkHabits};
use ocrqa::tokenize::tokenize;

pub fn candidates(args: CandidatesArgs) -> anyhow::Result<i32> {
    let engine = super::engine(&args.model)?;
    let word = ocrqa::detect::nfc(&args.word).into_owned();
    let context = args.context.as_deref().map(ocrqa::detect::nfc);
    let accents = AccentHabits {
        drop_rate: args.drop_rate,
        add_rate: args.add_rate,
        ..AccentHabits::default()
    };
    let marks = MarkHabits {
        letter_share: args.letter_share,
        ..MarkHabits::default()
    };
    let explained = engine
        .explain(&word, &accents, &marks, context.as_deref())
        .map_err(|e| anyhow::anyhow!(e))?;
    let costs = explained.costs;
    println!(
        "{word}: {} ({} candidates, accent costs: dropped {:.2}, added {:.2}; marks: for a letter {:.2}, a speck {:.2})",
        if explained.known {
            "in the lexicon"
        } else {
            "not in the lexicon"
        },
        explained.ranked.len(),
        costs.dropped,
        costs.added,
        costs.mark_for_letter,
        costs.mark_dropped
    );
    println!(
        "{:<24} {:>8} {:>9} {:>8} {:>8} {:>8}  {:<12} steps",
        "candidate", "score", "log_prob", "channel", "struct", "context", "source"
    );
    for r in explained.ranked.iter().take(args.limit) {
        let b = &r.breakdown;
        let steps: Vec<String> = r.steps.iter().map(step).collect();
        println!(
            "{:<24} {:>8.3} {:>9.3} {:>8.3} {:>8.3} {:>8.3}  {:<12} {}",
            r.text,
            b.score,
            b.log_prob,
            b.channel_cost,
            b.structural_cost,
            b.context,
            source_name(r.source),
            steps.join(", ")
        );
    }
    if let Some(((left, right), odds)) = explained.twins {
        println!(
            "\naccent twins in context `{left} _ {right}` (ln; review from ln {TWIN_REVIEW_ODDS}, \
             auto from ln {TWIN_AUTO_ODDS}, ln {AMBIGUOUS_AUTO_ODDS} for the ambiguous pairs):"
        );
        println!(
            "{:<24} {:>8} {:>8} {:>8} {:>9}",
            "twin", "prior", "context", "channel", "log_odds"
        );
        for o in &odds {
            println!(
                "{:<24} {:>8.3} {:>8.3} {:>8.3} {:>9.3}",
                o.text, o.prior, o.context, o.channel, o.log_odds
            );
        }
        if odds.is_empty() {
            println!("(none: {word} has no accent twin in the lexicon, or is not a word)");
        }
    }
    Ok(EXIT_OK)
}

/// A step as a reviewer reads it: `o→ó accent dropped`.
fn step(step: &Step) -> String {
    let (kind, observed, intended) = match step {
        Step::AccentDropped { observed, intended } => ("accent dropped", observed, intended),
        Step::AccentAdded { observed, intended } => ("accent added", observed, intended),
        Step::Confusion { observed, intended } => ("OCR confusion", observed, intended),
        Step::Generic { observed, intended } => ("edit", observed, intended),
    };
    format!("{observed}→{intended} {kind}")
}

/// The source as the review file spells it (`near_word`).
fn source_name(source: Source) -> String {
    serde_json::to_string(&source)
        .unwrap_or_default()
        .trim_matches('"')
        .to_string()
}

pub fn tokens(args: TokensArgs) -> anyhow::Result<i32> {
    let text = ocrqa::files::read_text(&args.file, ocrqa::files::DEFAULT_MAX_BYTES)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    for t in tokenize(&text) {
        println!(
            "{}..{}\t{:?}\t{:?}",
            t.span.start,
            t.span.end,
            t.kind,
            t.span.of(&text)
        );
    }
    Ok(EXIT_OK)
}
