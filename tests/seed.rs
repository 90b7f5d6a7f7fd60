//! One test per seed document: the seed page (`seeds/`) against its hand-made truth
//! (`tests/fixtures/seed/`), plus snapshots of its diff and review file.

use ocrqa::eval::score_document;
use ocrqa::review::ReviewFile;
use ocrqa::{Applicability, Document, Engine};
use std::path::Path;

const SEED: &str = "000_5b033a22578a78a3.txt";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn seed() -> (Document, String) {
    let text = std::fs::read_to_string(root().join("seeds").join(SEED)).unwrap();
    let truth = std::fs::read_to_string(
        root()
            .join("tests/fixtures/seed")
            .join(SEED.replace(".txt", ".truth.txt")),
    )
    .unwrap();
    (Document::new(SEED, text), truth)
}

/// Compares with `tests/snapshots/NAME`; `UPDATE_SNAPSHOTS=1` rewrites it.
fn assert_snapshot(name: &str, actual: &str) {
    let path = root().join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}: run with UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "snapshot {name} differs; review and run with UPDATE_SNAPSHOTS=1\n{}",
        similar::TextDiff::from_lines(expected.as_str(), actual)
            .unified_diff()
            .header(name, name)
    );
}

#[test]
fn seed_page_auto_fixes_at_least_86_review_all_and_nothing_breaks() {
    let (doc, truth) = seed();
    let analysis = Engine::shipped().analyze(&doc);
    let auto = analysis.corrected(&doc, Some(Applicability::Auto)).text;
    let c = score_document(&doc.text, &truth, Some(&auto));
    assert_eq!(c.errors, 88, "the hand count of wrong words");
    assert!(c.fixed >= 86, "auto fixed {}", c.fixed);
    assert_eq!(c.broken, 0, "auto broke a correct word");
    for name in [
        "Ibragimov",
        "Bakhtiyor",
        "COVID-19",
        "transfronterizo",
        "A fin de",
    ] {
        assert!(auto.contains(name), "{name} changed");
    }
    let review = analysis.corrected(&doc, Some(Applicability::Review)).text;
    let c = score_document(&doc.text, &truth, Some(&review));
    assert_eq!(c.fixed, 88, "review fixed {}", c.fixed);
    assert_eq!(c.broken, 0, "review broke a correct word");
}

#[test]
fn seed_page_outputs_match_snapshots() {
    let (doc, _) = seed();
    let analysis = Engine::shipped().analyze(&doc);
    let auto = analysis.corrected(&doc, Some(Applicability::Auto));
    assert_snapshot(
        "seed.auto.diff",
        &ocrqa::output::unified_diff(SEED, &doc.text, &auto.text, &auto.changes),
    );
    let review = ReviewFile::new(
        &doc,
        &analysis,
        &auto.applied,
        Some(Applicability::Auto),
        String::new(),
    );
    let json = review.to_json();
    assert_snapshot("seed.review.json", &json);
    assert_eq!(
        ReviewFile::from_json(&json).unwrap(),
        review,
        "the review file reads back"
    );
}
