//! Layout files in and out: hOCR and ALTO that Tesseract wrote (`tests/fixtures/layout/`:
//! two pages of dev-set document un-015, a carbon-copy typewriter page and a low-resolution
//! serif page, read with `tesseract LIST un-015 -l spa txt hocr alto`) and a hand-written
//! PAGE file.

mod common;

use common::{fix, fixtures, ocrqa, read_tree};
use ocrqa::edit::apply_choices;
use ocrqa::layout::{self, Format, LayoutDoc};
use ocrqa::review::{Decision, ReviewFile};
use ocrqa::ByteSpan;
use proptest::prelude::*;
use std::fs;
use std::path::Path;

const FILES: [(&str, Format); 3] = [
    ("un-015.hocr", Format::Hocr),
    ("un-015.xml", Format::Alto),
    ("sample.page.xml", Format::Page),
];

fn read(path: &Path) -> LayoutDoc {
    let text = fs::read_to_string(path).unwrap();
    let format = layout::sniff(&text).expect("a layout file");
    layout::parse(format, text).unwrap()
}

fn boxes(doc: &LayoutDoc) -> Vec<Option<[u32; 4]>> {
    doc.words.iter().map(|w| w.bbox).collect()
}

/// White space made one space: what a reader of the words gets.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn input_folder(root: &Path) -> std::path::PathBuf {
    let input = root.join("in");
    fs::create_dir_all(&input).unwrap();
    for (name, _) in FILES {
        fs::copy(fixtures().join("layout").join(name), input.join(name)).unwrap();
    }
    input
}

#[test]
fn formats_are_recognised_from_the_content() {
    for (name, format) in FILES {
        let text = fs::read_to_string(fixtures().join("layout").join(name)).unwrap();
        assert_eq!(layout::sniff(&text), Some(format), "{name}");
    }
    assert_eq!(layout::sniff("la informacion"), None);
    let hocr = read(&fixtures().join("layout/un-015.hocr"));
    assert_eq!(hocr.pages.len(), 2, "a multi-page file");
    assert_eq!(hocr.pages[1].image.as_deref(), Some("un-015.p3.jpg"));
    let plain = fs::read_to_string(fixtures().join("layout/un-015.txt")).unwrap();
    assert_eq!(
        words(&hocr.text),
        words(&plain),
        "the words Tesseract wrote as text"
    );
    assert_eq!(
        words(&read(&fixtures().join("layout/un-015.xml")).text),
        words(&plain)
    );
    assert!(hocr
        .words
        .iter()
        .all(|w| w.confidence.is_some() && w.bbox.is_some()));
}

#[test]
fn corrected_layout_files_keep_every_box_and_read_as_the_corrected_text() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_folder(tmp.path());
    let before = read_tree(&input);
    let out = tmp.path().join("out");
    let o = fix(&input, &out, &["-q"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(read_tree(&input), before, "inputs untouched");
    for (name, _) in FILES {
        let original = read(&input.join(name));
        let corrected = read(&out.join(name));
        assert_eq!(boxes(&corrected), boxes(&original), "{name}: boxes moved");
        let reading = fs::read_to_string(out.join(format!("{name}.txt"))).unwrap();
        assert_eq!(words(&corrected.text), words(&reading), "{name}");
        assert_ne!(
            words(&corrected.text),
            words(&original.text),
            "{name}: nothing corrected"
        );
        let review = fs::read_to_string(out.join(format!("{name}.review.json"))).unwrap();
        let review = ReviewFile::from_json(&review).unwrap();
        let item = review.items.iter().find(|i| i.layout.is_some()).unwrap();
        let at = item.layout.as_ref().unwrap();
        assert!(at.page >= 1 && !at.boxes.is_empty(), "{name}: {at:?}");
    }
    let page = fs::read_to_string(out.join("sample.page.xml")).unwrap();
    assert!(page.contains(
        "<TextEquiv index=\"1\" comments=\"ocrqa correction\"><Unicode>información</Unicode>"
    ));
    assert!(page.contains("<myExtension xmlns=\"urn:example:ext\" note=\"kept as it is\"/>"));
    let alto = fs::read_to_string(out.join("un-015.xml")).unwrap();
    assert!(alto.contains("<ALTERNATIVE>"), "the OCR reading is kept");
    let hocr = fs::read_to_string(out.join("un-015.hocr")).unwrap();
    assert!(hocr.contains("data-ocrqa-ocr="));
}

#[test]
fn nothing_applied_or_everything_rejected_gives_the_file_back_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_folder(tmp.path());
    let none = tmp.path().join("none");
    assert_eq!(
        fix(&input, &none, &["-q", "--apply", "none"]).status.code(),
        Some(0)
    );
    let out = tmp.path().join("out");
    assert_eq!(
        fix(&input, &out, &["-q", "--apply", "review"])
            .status
            .code(),
        Some(0)
    );
    for (name, _) in FILES {
        assert_eq!(
            fs::read(none.join(name)).unwrap(),
            fs::read(input.join(name)).unwrap(),
            "{name}"
        );
        // Every item rejected: apply writes the source as it was.
        let path = out.join(format!("{name}.review.json"));
        let mut review = ReviewFile::from_json(&fs::read_to_string(&path).unwrap()).unwrap();
        for item in &mut review.items {
            item.decision = Decision::Rejected;
        }
        fs::write(&path, review.to_json()).unwrap();
    }
    let final_dir = tmp.path().join("final");
    let mut apply = common::ocrqa_command();
    let o = apply
        .arg("apply")
        .arg(&out)
        .arg("-o")
        .arg(&final_dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    for (name, _) in FILES {
        assert_eq!(
            fs::read(final_dir.join(name)).unwrap(),
            fs::read(input.join(name)).unwrap(),
            "{name}: rejected everything, yet changed"
        );
    }
}

#[test]
fn review_items_name_their_page_image() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_folder(tmp.path());
    fs::write(input.join("un-015.p2.png"), b"a scan").unwrap();
    let out = tmp.path().join("out");
    let o = fix(&input.join("un-015.hocr"), &out, &["-q"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("un-015.hocr: line 601: page image un-015.p3.jpg not found"),
        "{stderr}"
    );
    let review = fs::read_to_string(out.join("un-015.hocr.review.json")).unwrap();
    let review = ReviewFile::from_json(&review).unwrap();
    let images: Vec<Option<&str>> = review
        .items
        .iter()
        .filter_map(|i| i.layout.as_ref())
        .map(|l| l.image.as_deref())
        .collect();
    assert!(images
        .iter()
        .any(|i| i.is_some_and(|p| p.ends_with("un-015.p2.png"))));
    assert!(
        images.iter().any(Option::is_none),
        "page 2's image is not there"
    );
}

#[test]
fn bad_layout_files_are_named_with_their_line_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("good.txt"), "la informacion").unwrap();
    let alto = fs::read_to_string(fixtures().join("layout/un-015.xml")).unwrap();
    let broken = alto.replacen("</TextLine>", "</TextBlock>", 1);
    fs::write(input.join("broken.xml"), broken).unwrap();
    let old = alto.replace("alto/ns-v3#", "ALTO/ns-v1#");
    fs::write(input.join("old.xml"), old.replace("ns-v1#", "ns-v1")).unwrap();
    let page = fs::read_to_string(fixtures().join("layout/sample.page.xml")).unwrap();
    let start = page.find("<TextRegion").unwrap();
    let end = page.rfind("</TextRegion>").unwrap() + "</TextRegion>".len();
    fs::write(
        input.join("empty.page.xml"),
        format!("{}{}", &page[..start], &page[end..]),
    )
    .unwrap();
    let o = fix(&input, &tmp.path().join("out"), &["-q"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    for said in [
        "broken.xml: alto: line ",
        "malformed XML",
        "old.xml: alto: line 2: ALTO namespace",
        "empty.page.xml: page: line 1: no text",
    ] {
        assert!(stderr.contains(said), "should say {said:?}: {stderr}");
    }
    assert!(
        tmp.path().join("out/good.txt").exists(),
        "the batch went on"
    );
    // Any XML that is none of the three, given by name, is refused too.
    fs::write(tmp.path().join("mets.xml"), "<mets/>").unwrap();
    let o = ocrqa(&[
        "fix",
        tmp.path().join("mets.xml").to_str().unwrap(),
        "-q",
        "--out",
    ]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
}

/// What the fuzzer (`fuzz/`, target `layout`) found to break the reader reads, in every
/// format, as an error or as a file whose edits read back (the target's own check).
#[test]
fn inputs_the_fuzzer_found_read_or_fail_cleanly() {
    for entry in fs::read_dir(fixtures().join("layout/fuzz")).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        for format in [
            layout::Format::Hocr,
            layout::Format::Alto,
            layout::Format::Page,
        ] {
            let Ok(doc) = layout::parse(format, text.clone()) else {
                continue;
            };
            let choices: Vec<(ByteSpan, Option<&str>)> =
                doc.spans.iter().map(|&s| (s, Some("xó"))).collect();
            let edited = apply_choices(&doc.text, choices);
            let back = layout::parse(format, doc.rewrite(&edited.text, &edited.changes)).unwrap();
            assert_eq!(boxes(&back), boxes(&doc));
            assert_eq!(words(&back.text), words(&edited.text));
        }
    }
}

/// Found by the fuzzer: a word element inside another. Both took the same text node, so
/// that an edit of one wrote over the other's.
#[test]
fn a_word_inside_a_word_is_one_word() {
    let hocr = "<html><body><div class='ocr_page' title='image \"p.png\"; bbox 0 0 100 100'>\
        <p class='ocr_par'><span class='ocr_line'><span class='ocrx_word' title='bb'>\
        <span class='ocrx_word' title='bbox 1 21 9 29; x_wconf 80'><strong>mentos</strong>\
        </span></span></span></p></div></body></html>\n";
    let doc = layout::parse(layout::Format::Hocr, hocr.to_string()).unwrap();
    assert_eq!(doc.words.len(), 1);
    assert_eq!(boxes(&doc), vec![Some([1, 21, 9, 29])]);
    let span = doc.spans[0];
    let edited = apply_choices(&doc.text, [(span, Some("xó"))]);
    let back = layout::parse(
        layout::Format::Hocr,
        doc.rewrite(&edited.text, &edited.changes),
    )
    .unwrap();
    assert_eq!(words(&back.text), "xó");
}

fn fixture(name: &str) -> LayoutDoc {
    read(&fixtures().join("layout").join(name))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any edits of the text, written into the file: it stays well-formed, its boxes stay
    /// where they were, and its words read as the edited text.
    #[test]
    fn edits_written_into_a_layout_file_read_back(
        which in 0usize..3,
        edits in prop::collection::vec((0usize..6000, 0usize..12, "[a-zñó ]{0,6}"), 0..8),
    ) {
        let doc = fixture(FILES[which].0);
        let text = &doc.text;
        let snap = |mut at: usize| {
            at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let mut spans: Vec<(ByteSpan, &str)> = edits
            .iter()
            .map(|(a, len, t)| {
                let start = snap(*a % (text.len() + 1));
                (ByteSpan::new(start, snap(start + len)), t.as_str())
            })
            .collect();
        spans.sort_by_key(|(s, _)| (s.start, s.end));
        let edited = apply_choices(text, spans.iter().map(|&(s, t)| (s, Some(t))));
        let written = doc.rewrite(&edited.text, &edited.changes);
        prop_assert_eq!(doc.check_rewrite(&written, &edited.text, &edited.changes), Ok(()));
        let back = layout::parse(doc.format, written).unwrap();
        prop_assert_eq!(boxes(&back), boxes(&doc));
        prop_assert_eq!(words(&back.text), words(&edited.text));
    }
}

/// What is written of a layout file is read back first: a rewrite that would not read, or
/// whose boxes moved, is refused.
#[test]
fn a_rewrite_that_would_not_read_back_is_refused() {
    let hocr = read(&fixtures().join("layout/un-015.hocr"));
    assert_eq!(hocr.check_rewrite(&hocr.source, &hocr.text, &[]), Ok(()));
    let cut = &hocr.source[..hocr.source.len() / 2];
    assert!(hocr.check_rewrite(cut, &hocr.text, &[]).is_err());
    assert!(hocr
        .check_rewrite(&hocr.source, "otras palabras", &[])
        .is_err());
    let (word, b) = (&hocr.words[0], hocr.words[0].bbox.unwrap());
    let tag = &hocr.source[word.tag.start..word.tag.end];
    let moved_tag = tag.replacen(
        &format!("bbox {} {}", b[0], b[1]),
        &format!("bbox {} {}", b[0] + 1, b[1]),
        1,
    );
    assert_ne!(tag, moved_tag);
    let moved = format!(
        "{}{moved_tag}{}",
        &hocr.source[..word.tag.start],
        &hocr.source[word.tag.end..]
    );
    let error = hocr.check_rewrite(&moved, &hocr.text, &[]).unwrap_err();
    assert!(error.reason.contains("word boxes differ"), "{error}");
}

/// A garbled hOCR (found by the fuzzer) whose words, once written, the reader parses into
/// other tags: the reader and the writer still disagree on such HTML, and the read-back check
/// is what keeps the file from being written.
#[test]
fn a_garbled_file_whose_rewrite_reads_otherwise_is_refused() {
    let text = fs::read_to_string(fixtures().join("layout/refused/garbled.hocr")).unwrap();
    let doc = layout::parse(layout::Format::Hocr, text).unwrap();
    let choices: Vec<(ByteSpan, Option<&str>)> = doc
        .spans
        .iter()
        .enumerate()
        .filter_map(|(k, &span)| match k % 15 {
            0 => Some((span, Some("xó"))),
            5 | 10 => Some((span, Some(""))),
            _ => None,
        })
        .collect();
    let edited = apply_choices(&doc.text, choices);
    let written = doc.rewrite(&edited.text, &edited.changes);
    let error = doc
        .check_rewrite(&written, &edited.text, &edited.changes)
        .unwrap_err();
    assert!(error.reason.contains("would not read back"), "{error}");
}
