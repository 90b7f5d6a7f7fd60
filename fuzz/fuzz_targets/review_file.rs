//! Arbitrary bytes as a review file: read strictly, never a panic; a file that reads writes
//! back to a file that reads as the same, and is applied to a source (its fingerprint made to
//! match, so every span is checked).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocrqa::review::ReviewFile;

const SOURCE: &str = "la informacion y la cooperación practica\naño, país — A/75/816\n";

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(mut review) = ReviewFile::from_json(text) {
            assert_eq!(ReviewFile::from_json(&review.to_json()).as_ref(), Ok(&review));
            review.source.fingerprint = ocrqa::hash::fingerprint(SOURCE.as_bytes());
            let _ = review.final_text(SOURCE);
        }
    }
});
