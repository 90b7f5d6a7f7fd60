//! Arbitrary bytes through the whole `fix` path: decoding, analysis at every level, the
//! corrected text, the diff, and the review file, which must read back as it was written.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocrqa::files::decode;
use ocrqa::output::unified_diff;
use ocrqa::review::ReviewFile;
use ocrqa::{Applicability, Document, Engine};
use std::sync::OnceLock;

static ENGINE: OnceLock<Engine> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let engine = ENGINE.get_or_init(Engine::shipped);
    let Ok(text) = decode(data.to_vec()) else {
        return;
    };
    let doc = Document::new("fuzz.txt", text);
    let analysis = engine.analyze(&doc);
    for level in [None, Some(Applicability::Review), Some(Applicability::Auto)] {
        let corrected = analysis.corrected(&doc, level);
        let _ = unified_diff("fuzz.txt", &doc.text, &corrected.text, &corrected.changes);
        let review = ReviewFile::new(&doc, &analysis, &corrected.applied, level, String::new());
        let json = review.to_json();
        assert_eq!(ReviewFile::from_json(&json).as_ref(), Ok(&review));
    }
});
