//! Arbitrary bytes as a layout file (hOCR, ALTO or PAGE XML): read without a panic; a file
//! that reads takes edits of its text and reads back with the same boxes and the edited words
//! (an hOCR file whose rewrite the check before writing refuses aside).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocrqa::edit::apply_choices;
use ocrqa::layout;
use ocrqa::ByteSpan;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for format in [layout::Format::Hocr, layout::Format::Alto, layout::Format::Page] {
        let Ok(doc) = layout::parse(format, text.to_string()) else {
            continue;
        };
        // Every third word's text replaced, every fifth removed.
        let choices = doc.spans.iter().enumerate().filter_map(|(k, &span)| {
            let replacement = match k % 15 {
                0 => "xó",
                5 | 10 => "",
                _ => return None,
            };
            Some((span, Some(replacement)))
        });
        let choices: Vec<(ByteSpan, Option<&str>)> = choices.collect();
        let edited = apply_choices(&doc.text, choices);
        let written = doc.rewrite(&edited.text, &edited.changes);
        let checked = doc.check_rewrite(&written, &edited.text, &edited.changes);
        if format == layout::Format::Hocr && checked.is_err() {
            // HTML forgives garbage that the writer cannot always mirror (a known limit, see
            // tests/fixtures/layout/refused/): such a file must be refused, never written,
            // which is what the check before writing does.
            continue;
        }
        // What the check lets through (often without reading the whole file again) reads back.
        assert_eq!(checked, Ok(()));
        let back = layout::parse(format, written).expect("a rewritten file reads");
        let boxes = |d: &layout::LayoutDoc| d.words.iter().map(|w| w.bbox).collect::<Vec<_>>();
        assert_eq!(boxes(&back), boxes(&doc));
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(words(&back.text), words(&edited.text));
    }
});
