//! Arbitrary bytes as a review file: read strictly, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocrqa::review::ReviewFile;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ReviewFile::from_json(text);
    }
});
