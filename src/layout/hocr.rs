//! hOCR (Tesseract, Kraken, OCRopus): pages `ocr_page` (`title="image …; bbox …"`), blocks
//! and paragraphs, lines `ocr_line` (and its kin), words `ocrx_word` (`title="bbox x0 y0 x1
//! y1; x_wconf NN"`). A corrected word's text replaces the word's text node; the OCR's reading
//! is kept in the attribute `data-ocrqa-ocr`.

use super::xml::{self, Item};
use super::{attribute, bbox_of, LayoutError, LayoutWord, PageInfo};
use crate::edit::Edit;
use crate::span::ByteSpan;

/// HTML elements that never have an end tag: hOCR written as HTML rather than XHTML.
const VOID: &[&str] = &[
    "meta", "link", "br", "img", "hr", "input", "col", "area", "base",
];

/// Classes that begin a block, and a line.
const BLOCKS: &[&str] = &["ocr_carea", "ocr_par", "ocr_block", "ocrx_block"];
const LINES: &[&str] = &[
    "ocr_line",
    "ocrx_line",
    "ocr_textfloat",
    "ocr_header",
    "ocr_caption",
];

pub fn read(source: &str) -> Result<(Vec<PageInfo>, Vec<LayoutWord>), LayoutError> {
    let mut pages: Vec<PageInfo> = Vec::new();
    let mut words: Vec<LayoutWord> = Vec::new();
    let (mut block, mut line) = (0, 0);
    // Open elements: local name, whether it is a word (then the word's index).
    let mut open: Vec<(&str, Option<usize>)> = Vec::new();
    // Words that hold other words: containers, not words (their text is their words').
    let mut containers: Vec<usize> = Vec::new();
    xml::scan_html(source, |item| match item {
        Item::Open(e) => {
            let classes = e.attribute(source, "class").unwrap_or_default();
            let (mut is_page, mut is_block, mut is_line, mut is_word) =
                (false, false, false, false);
            for class in classes.split_ascii_whitespace() {
                is_page |= class == "ocr_page";
                is_block |= BLOCKS.contains(&class);
                is_line |= LINES.contains(&class);
                is_word |= class == "ocrx_word";
            }
            let title = || e.attribute(source, "title").unwrap_or_default();
            if is_page {
                let image =
                    property(&title(), "image").map(|v| v.trim().trim_matches('"').to_string());
                pages.push(PageInfo {
                    image,
                    image_at: e.tag.start,
                });
                block += 1;
            }
            if is_block {
                block += 1;
            }
            if is_line {
                line += 1;
            }
            let mut word = None;
            if is_word {
                containers.extend(open.iter().filter_map(|&(_, w)| w));
                let title = title();
                let confidence = property(&title, "x_wconf")
                    .and_then(|v| v.trim().parse::<f32>().ok())
                    .map(|c| (c / 100.0).clamp(0.0, 1.0));
                let bbox = property(&title, "bbox")
                    .and_then(|v| bbox_of(v.split_whitespace().filter_map(|n| n.parse().ok())));
                words.push(LayoutWord {
                    page: pages.len().saturating_sub(1),
                    block,
                    line,
                    text: String::new(),
                    content: ByteSpan::new(e.tag.end, e.tag.end),
                    tag: e.tag,
                    name: e.name.to_string(),
                    empty: e.empty,
                    attributes_end: e.attributes_end(source),
                    bbox,
                    confidence,
                    index: None,
                    substituted: false,
                    element: None,
                });
                word = Some(words.len() - 1);
            }
            if !e.empty && !VOID.iter().any(|v| e.local.eq_ignore_ascii_case(v)) {
                open.push((e.local, word));
            }
        }
        Item::Close(name, tag) => {
            // Pop to the matching element (HTML forgives unclosed ones).
            while let Some((local, word)) = open.pop() {
                if let Some(k) = word {
                    let w = &mut words[k];
                    w.content = innermost_text(source, ByteSpan::new(w.tag.end, tag.start));
                    w.text = xml::unescape(w.content.of(source)).trim().to_string();
                    w.element = Some(ByteSpan::new(w.tag.start, tag.end));
                }
                if local == name {
                    break;
                }
            }
        }
    })?;
    containers.sort_unstable();
    containers.dedup();
    for k in containers.into_iter().rev() {
        words.remove(k);
    }
    Ok((pages, words))
}

/// A property of an hOCR `title` (`bbox 1 2 3 4; x_wconf 95`). Read for every word: the
/// title is cut at its `;` by a byte loop (titles are short).
fn property<'t>(title: &'t str, name: &str) -> Option<&'t str> {
    let mut rest = title;
    loop {
        let (part, next) = match rest.bytes().position(|b| b == b';') {
            Some(semicolon) => (&rest[..semicolon], Some(&rest[semicolon + 1..])),
            None => (rest, None),
        };
        let value = part.trim().strip_prefix(name);
        if let Some(value) = value.filter(|v| v.starts_with(' ') || v.is_empty()) {
            return Some(value);
        }
        rest = next?;
    }
}

/// The text inside a word element, inside any markup around it (`<strong>…</strong>`): its
/// first run of text between tags that is not white space.
fn innermost_text(source: &str, inner: ByteSpan) -> ByteSpan {
    let text = inner.of(source);
    if !text.as_bytes().contains(&b'<') {
        return inner;
    }
    let mut at = 0;
    while let Some(gt) = text[at..].find('>') {
        let start = at + gt + 1;
        let end = text[start..].find('<').map_or(text.len(), |e| start + e);
        if !text[start..end].trim().is_empty() {
            return ByteSpan::new(inner.start + start, inner.start + end);
        }
        at = end;
    }
    inner
}

/// A word's new text in its text node, the OCR's reading beside it.
pub fn rewrite(source: &str, w: &LayoutWord, new: &str, edits: &mut Vec<Edit>) {
    edits.push(Edit {
        span: w.content,
        replacement: xml::escape(new).into_owned(),
    });
    let ocr = xml::unescape(w.content.of(source));
    edits.push(super::insert(
        w.attributes_end,
        attribute("data-ocrqa-ocr", &ocr),
    ));
}
