//! `ocrqa eval` agrees with the dev set's score.py, counter for counter, on three documents
//! (one per condition; fixtures described in tests/fixtures/README.md).

use ocrqa::eval::{find_pairs, score_document};
use std::path::Path;

#[test]
fn counters_equal_score_py() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eval");
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("score_py_expected.json")).unwrap(),
    )
    .unwrap();
    let files = std::fs::read_dir(root.join("set"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let pairs = find_pairs(files);
    assert_eq!(pairs.len(), 3);
    for p in pairs {
        let read = |d: &str, f: &str| std::fs::read_to_string(root.join(d).join(f)).unwrap();
        let c = score_document(
            &read("set", &p.ocr),
            &read("set", &p.truth),
            Some(&read("sys", &p.ocr)),
        );
        let ours = serde_json::to_value(c).unwrap();
        for (key, want) in expected[&p.ocr].as_object().unwrap() {
            assert_eq!(&ours[key], want, "{}: {key}", p.ocr);
        }
    }
}
