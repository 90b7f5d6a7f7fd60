//! Debug subcommands that show one stage: `ocrqa tokens`, `ocrqa candidates`.

use super::args::{CandidatesArgs, TokensArgs};
use super::EXIT_OK;
use ocrqa::analyze::neighbours_in;
use ocrqa::candidates::Generator;
use ocrqa::errmodel::AccentCosts;
use ocrqa::rank::Ranker;
use ocrqa::tokenize::tokenize;
use ocrqa::Profile;

pub fn candidates(args: CandidatesArgs) -> anyhow::Result<i32> {
    let engine = super::engine(&args.model)?;
    let word = ocrqa::detect::nfc(&args.word).into_owned();
    let known = engine.lexicon.known(&word);
    let generator = Generator {
        lexicon: &engine.lexicon,
        model: &engine.model,
    };
    let mut candidates = Vec::new();
    generator.for_word(&word, &mut candidates);
    let accents = AccentCosts::for_drop_rate(args.drop_rate);
    let ranker = Ranker {
        lexicon: &engine.lexicon,
        model: &engine.model,
        accents,
    };
    let mut ranked = ranker.rank(&word, &candidates);
    let around =
        match &args.context {
            Some(text) => {
                let text = ocrqa::detect::nfc(text);
                Some(neighbours_in(&text, &word).ok_or_else(|| {
                    anyhow::anyhow!("{word:?} is not a word of the context {text:?}")
                })?)
            }
            None => None,
        };
    if let Some(around) = &around {
        engine.context_between_twins(&mut ranked, || around.clone());
    }
    println!(
        "{word}: {} ({} candidates, accent costs: dropped {:.2}, added {:.2})",
        if known.is_some() {
            "in the lexicon"
        } else {
            "not in the lexicon"
        },
        ranked.len(),
        accents.dropped,
        accents.added
    );
    println!(
        "{:<24} {:>8} {:>9} {:>8} {:>8} {:>8}  {:<12} steps",
        "candidate", "score", "log_prob", "channel", "struct", "context", "source"
    );
    for r in ranked.iter().take(args.limit) {
        let b = &r.breakdown;
        let steps: Vec<String> = r.steps.iter().map(|s| format!("{s:?}")).collect();
        println!(
            "{:<24} {:>8.3} {:>9.3} {:>8.3} {:>8.3} {:>8.3}  {:<12} {}",
            r.text,
            b.score,
            b.log_prob,
            b.channel_cost,
            b.structural_cost,
            b.context,
            format!("{:?}", r.source),
            steps.join(", ")
        );
    }
    if let Some((left, right)) = around {
        let profile = Profile {
            accent_drop_rate: args.drop_rate,
            accent_add_rate: args.add_rate,
            ..Profile::default()
        };
        let odds = engine.twin_odds(&word, (&left, &right), &profile);
        println!("\naccent twins in context `{left} _ {right}` (ln; review from ln 1.5, auto from ln 4, ln 20 for the ambiguous pairs):");
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

pub fn tokens(args: TokensArgs) -> anyhow::Result<i32> {
    let text = ocrqa::batch::read_text(&args.file, ocrqa::batch::DEFAULT_MAX_BYTES)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    for t in tokenize(&text) {
        println!(
            "{}..{}\t{:?}\t{:?}",
            t.span.start,
            t.span.end,
            t.kind,
            &text[t.span.start..t.span.end]
        );
    }
    Ok(EXIT_OK)
}
