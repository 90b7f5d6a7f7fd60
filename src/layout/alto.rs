//! ALTO v2–v4 (libraries, newspapers, Tesseract, ABBYY): `Page`, `TextBlock`, `TextLine`,
//! `String` (`CONTENT`, `HPOS VPOS WIDTH HEIGHT`, `WC` from 0 to 1). A corrected word's
//! `CONTENT` is replaced and the OCR's reading kept as the word's `ALTERNATIVE`. A word joined
//! across a line end keeps both `String`s: the first holds the whole word, the second is
//! emptied, and both carry `SUBS_TYPE` (`HypPart1`, `HypPart2`) and `SUBS_CONTENT` as ALTO
//! says, so that readers who know them and readers who do not both read the word once.

use super::xml::{self, Attributes, Item};
use super::{attribute, insert, LayoutError, LayoutWord, PageInfo};
use crate::edit::Edit;
use crate::span::ByteSpan;

/// The ALTO namespaces this reads.
const VERSIONS: &[&str] = &["alto/ns-v2#", "alto/ns-v3#", "alto/ns-v4#"];

pub fn read(source: &str) -> Result<(Vec<PageInfo>, Vec<LayoutWord>), LayoutError> {
    let mut pages: Vec<PageInfo> = Vec::new();
    let mut words: Vec<LayoutWord> = Vec::new();
    let (mut block, mut line) = (0, 0);
    // The image the description names (Tesseract names the first page's only).
    let mut file_name: Option<(ByteSpan, usize)> = None;
    let mut in_file_name: Option<usize> = None;
    let mut version_error: Option<LayoutError> = None;
    // The word whose `String` is open (not empty), to be given its end tag.
    let mut open_word: Option<usize> = None;
    xml::scan(
        source,
        Attributes::Of(&["alto", "String"]),
        |item| match item {
            Item::Open(e) => match e.local {
                "alto" => {
                    let namespace = e.attribute(source, "xmlns").unwrap_or_default();
                    if !VERSIONS.iter().any(|v| namespace.contains(v)) {
                        version_error.get_or_insert(LayoutError::at(
                        source,
                        e.tag.start,
                        format!(
                            "ALTO namespace {namespace:?} is not supported (this reads ALTO 2, 3 and 4)"
                        ),
                    ));
                    }
                }
                "fileName" if !e.empty => in_file_name = Some(e.tag.end),
                "Page" => {
                    pages.push(PageInfo {
                        image: None,
                        image_at: e.tag.start,
                    });
                    block += 1;
                }
                "TextBlock" => block += 1,
                "TextLine" => line += 1,
                "String" => {
                    // One pass over the attributes (the first of a name counts), as a batch meets
                    // a String for every word.
                    let mut found: [Option<ByteSpan>; 6] = [None; 6];
                    let mut substituted = false;
                    for &(name, span) in e.attributes {
                        let slot = match name {
                            "HPOS" => 0,
                            "VPOS" => 1,
                            "WIDTH" => 2,
                            "HEIGHT" => 3,
                            "WC" => 4,
                            "CONTENT" => 5,
                            "SUBS_TYPE" => {
                                substituted = true;
                                continue;
                            }
                            _ => continue,
                        };
                        found[slot].get_or_insert(span);
                    }
                    let number = |slot: usize| found[slot].and_then(|span| number(span.of(source)));
                    let bbox = match (number(0), number(1), number(2), number(3)) {
                        (Some(x), Some(y), Some(w), Some(h)) => {
                            Some([x as u32, y as u32, (x + w) as u32, (y + h) as u32])
                        }
                        _ => None,
                    };
                    let content = found[5].unwrap_or(ByteSpan::new(e.tag.end, e.tag.end));
                    words.push(LayoutWord {
                        page: pages.len().saturating_sub(1),
                        block,
                        line,
                        text: xml::unescape(content.of(source)).trim().to_string(),
                        content,
                        tag: e.tag,
                        name: e.name.to_string(),
                        empty: e.empty,
                        attributes_end: e.attributes_end(source),
                        bbox,
                        confidence: number(4).map(|c| c.clamp(0.0, 1.0)),
                        index: None,
                        substituted,
                        element: e.empty.then_some(e.tag),
                    });
                    if !e.empty {
                        open_word = Some(words.len() - 1);
                    }
                }
                _ => {}
            },
            Item::Close(name, tag) => {
                if let Some(k) = open_word.take_if(|_| name == "String") {
                    let w = &mut words[k];
                    w.element = Some(ByteSpan::new(w.tag.start, tag.end));
                }
                if let (Some(start), "fileName") = (in_file_name.take(), name) {
                    file_name = Some((ByteSpan::new(start, tag.start), start));
                }
            }
        },
    )?;
    if let Some(error) = version_error {
        return Err(error);
    }
    if let (Some(first), Some((span, at))) = (pages.first_mut(), file_name) {
        first.image = Some(xml::unescape(span.of(source)).trim().to_string());
        first.image_at = at;
    }
    Ok((pages, words))
}

/// A number attribute's value: integers, as nearly every engine writes coordinates, without
/// the float parser.
fn number(raw: &str) -> Option<f32> {
    if let Ok(n) = raw.parse::<u32>() {
        return Some(n as f32);
    }
    xml::unescape(raw).trim().parse().ok()
}

/// A word's new `CONTENT`, its OCR reading as an `ALTERNATIVE`; `joined` (first part?, the
/// whole word) when a word joined across a line end takes it.
pub fn rewrite(
    source: &str,
    w: &LayoutWord,
    new: &str,
    joined: Option<(bool, &str)>,
    edits: &mut Vec<Edit>,
) {
    edits.push(Edit {
        span: w.content,
        replacement: xml::escape(new).into_owned(),
    });
    if let (Some((first, whole)), false) = (joined, w.substituted) {
        let part = if first { "HypPart1" } else { "HypPart2" };
        let attributes = attribute("SUBS_TYPE", part) + &attribute("SUBS_CONTENT", whole);
        edits.push(insert(w.attributes_end, attributes));
    }
    let ocr = xml::escape(&xml::unescape(w.content.of(source))).into_owned();
    let alternative = format!("<ALTERNATIVE>{ocr}</ALTERNATIVE>");
    if w.empty {
        // `<String …/>` becomes `<String …><ALTERNATIVE>…</ALTERNATIVE></String>`.
        edits.push(Edit {
            span: ByteSpan::new(w.tag.end - 2, w.tag.end),
            replacement: format!(">{alternative}</{}>", w.name),
        });
    } else {
        edits.push(insert(w.tag.end, alternative));
    }
}
