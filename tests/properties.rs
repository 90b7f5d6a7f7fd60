//! Span and edit invariants as properties.

use ocrqa::review::{Decision, ReviewFile};
use ocrqa::tokenize::tokenize;
use ocrqa::{apply_edits, Applicability, ByteSpan, Document, Edit, Engine};
use proptest::prelude::*;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(Engine::shipped)
}

/// Spanish-looking OCR text: words (some damaged), numbers, punctuation, line ends.
fn ocr_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("informacion".to_string()),
        Just("la".to_string()),
        Just("tecnolo gias".to_string()),
        Just("docu-\nmentos".to_string()),
        Just("COVID-19".to_string()),
        Just("A/75/816".to_string()),
        Just("entrafian".to_string()),
        Just("Ibragimov".to_string()),
        "[a-zñáéíóú]{1,9}",
        "[0-9]{1,4}",
        Just(", ".to_string()),
        Just("\r\n".to_string()),
        // Specks of degraded scans: tails after a sentence's end, marks at a line's edges.
        Just("falsificado. S Sn . :\n".to_string()),
        Just("Lanka. íú ,\n* los".to_string()),
        Just("Miembros *\n".to_string()),
        Just("‘de".to_string()),
        "\\PC{0,3}",
    ];
    proptest::collection::vec(piece, 0..30).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn tokens_cover_every_byte_in_order(text in ocr_text()) {
        let mut cursor = 0;
        for t in tokenize(&text) {
            prop_assert_eq!(t.span.start, cursor);
            prop_assert!(t.span.end > t.span.start);
            prop_assert!(t.span.fits(&text));
            cursor = t.span.end;
        }
        prop_assert_eq!(cursor, text.len());
    }

    #[test]
    fn no_edits_means_identical_bytes(text in ocr_text()) {
        prop_assert_eq!(apply_edits(&text, &[]).0, text.clone());
        let doc = Document::new("p", text.clone());
        let analysis = engine().analyze(&doc);
        prop_assert_eq!(analysis.corrected(&doc, None).text, text);
    }

    #[test]
    fn only_finding_spans_change(text in ocr_text()) {
        let doc = Document::new("p", text.clone());
        let analysis = engine().analyze(&doc);
        let corrected = analysis.corrected(&doc, Some(Applicability::Review));
        let (fixed, applied) = (corrected.text, corrected.applied);
        // Rebuild from the original by hand: every byte outside an applied span is copied.
        let mut expected = String::new();
        let mut cursor = 0;
        for (f, &a) in analysis.findings.iter().zip(&applied) {
            prop_assert!(f.span.fits(&text));
            prop_assert!(f.span.start >= cursor, "findings overlap");
            if a {
                expected.push_str(&text[cursor..f.span.start]);
                expected.push_str(f.proposal().unwrap());
                cursor = f.span.end;
            }
        }
        expected.push_str(&text[cursor..]);
        prop_assert_eq!(fixed, expected);
    }

    #[test]
    fn non_overlapping_edits_all_apply(text in "[a-z ]{0,60}", cuts in proptest::collection::vec((0usize..60, 0usize..4, "[A-Z]{0,3}"), 0..6)) {
        let mut edits: Vec<Edit> = Vec::new();
        for (start, len, rep) in cuts {
            let start = start.min(text.len());
            let span = ByteSpan::new(start, (start + len).min(text.len()));
            if edits.iter().all(|e| !e.span.overlaps(span) && e.span.start != span.start) {
                edits.push(Edit { span, replacement: rep });
            }
        }
        let (out, skipped) = apply_edits(&text, &edits);
        // Distinct starts and no overlaps: nothing may be skipped, whatever the order given.
        prop_assert!(skipped.is_empty());
        let mut sorted = edits.clone();
        sorted.sort_by_key(|e| e.span.start);
        let mut expected = String::new();
        let mut cursor = 0;
        for e in &sorted {
            expected.push_str(&text[cursor..e.span.start]);
            expected.push_str(&e.replacement);
            cursor = e.span.end;
        }
        expected.push_str(&text[cursor..]);
        prop_assert_eq!(out, expected);
    }

    /// Review items never overlap, so every decision stands on its own: rejecting every item
    /// gives the source back byte for byte, accepting every proposal gives the text with
    /// every proposal in it.
    #[test]
    fn reject_all_gives_the_source_and_accept_all_every_proposal(text in ocr_text()) {
        let doc = Document::new("p", text.clone());
        let analysis = engine().analyze(&doc);
        let auto = analysis.corrected(&doc, Some(Applicability::Auto));
        let level = Some(Applicability::Auto);
        let mut review = ReviewFile::new(&doc, &analysis, &auto.applied, level, String::new());
        for pair in review.items.windows(2) {
            prop_assert!(pair[0].span.end <= pair[1].span.start, "items overlap");
        }
        for item in &mut review.items {
            item.decision = Decision::Rejected;
        }
        prop_assert_eq!(review.final_text(&text).unwrap().text, text.clone());
        for item in &mut review.items {
            item.decision = match item.proposal {
                Some(_) => Decision::Accepted,
                None => Decision::Rejected,
            };
        }
        let accepted = review.final_text(&text).unwrap();
        prop_assert!(accepted.overlapping.is_empty());
        prop_assert_eq!(accepted.text, analysis.corrected(&doc, Some(Applicability::Flag)).text);
    }
}
