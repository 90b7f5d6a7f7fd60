//! Debug subcommands that show one stage: `ocrqa tokens`, `ocrqa candidates`.

use super::args::{CandidatesArgs, TokensArgs};
use super::EXIT_OK;
use ocrqa::candidates::Generator;
use ocrqa::errmodel::AccentCosts;
use ocrqa::rank::Ranker;
use ocrqa::tokenize::tokenize;

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
    let ranker = Ranker {
        lexicon: &engine.lexicon,
        model: &engine.model,
        accents: AccentCosts::NEUTRAL,
    };
    let ranked = ranker.rank(&word, &candidates);
    println!(
        "{word}: {} ({} candidates, accent costs: dropped {}, added {})",
        if known.is_some() {
            "in the lexicon"
        } else {
            "not in the lexicon"
        },
        ranked.len(),
        AccentCosts::NEUTRAL.dropped,
        AccentCosts::NEUTRAL.added
    );
    println!(
        "{:<24} {:>8} {:>9} {:>8} {:>8}  {:<12} steps",
        "candidate", "score", "log_prob", "channel", "struct", "source"
    );
    for r in ranked.iter().take(args.limit) {
        let b = &r.breakdown;
        let steps: Vec<String> = r.steps.iter().map(|s| format!("{s:?}")).collect();
        println!(
            "{:<24} {:>8.3} {:>9.3} {:>8.3} {:>8.3}  {:<12} {}",
            r.text,
            b.score,
            b.log_prob,
            b.channel_cost,
            b.structural_cost,
            format!("{:?}", r.source),
            steps.join(", ")
        );
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
