//! PAGE XML, 2013 and 2019 (OCR-D, Transkribus, eScriptorium): `Page` (`imageFilename`),
//! `TextRegion`, `TextLine`, `Word`, each with `Coords` and `TextEquiv/Unicode` (`conf`).
//! Words are read from `Word` elements, or, for a line that has none, the line's own text is
//! one word. A correction is written as a new `TextEquiv` of index 1 before the OCR's, which
//! becomes index 2; `@comments` says which is which.

use super::xml::{self, Attributes, Item};
use super::{attribute, bbox_of, insert, LayoutError, LayoutWord, PageInfo};
use crate::edit::Edit;
use crate::span::ByteSpan;

/// The elements whose attributes the reader reads.
const READ: &[&str] = &["PcGts", "Page", "Coords", "TextEquiv"];

/// The PAGE namespaces this reads.
const VERSIONS: &[&str] = &["pagecontent/2013-07-15", "pagecontent/2019-07-15"];

/// Where the `TextEquiv` being read belongs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    Word,
    Line,
    Other,
}

/// A `TextEquiv` being read: its owner, tag, index value, conf, and its `Unicode` text.
struct Equiv {
    owner: Owner,
    tag: ByteSpan,
    name: String,
    attributes_end: usize,
    index: Option<(ByteSpan, u32)>,
    conf: Option<f32>,
    text: Option<ByteSpan>,
}

pub fn read(source: &str) -> Result<(Vec<PageInfo>, Vec<LayoutWord>), LayoutError> {
    let mut pages: Vec<PageInfo> = Vec::new();
    let mut words: Vec<LayoutWord> = Vec::new();
    let (mut block, mut line) = (0, 0);
    let mut stack: Vec<&str> = Vec::new();
    // The word or line being read: its box, and the `TextEquiv`s it has.
    let mut bbox: Option<[u32; 4]> = None;
    let mut equivs: Vec<Equiv> = Vec::new();
    let mut line_has_words = false;
    let mut unicode_start: Option<usize> = None;
    let mut error: Option<LayoutError> = None;
    // The preferred reading of an element: index 1 (or the lowest), else the first.
    let take = |equivs: &mut Vec<Equiv>, owner: Owner| -> Option<Equiv> {
        let mut mine: Vec<Equiv> = Vec::new();
        equivs.retain_mut(|e| {
            if e.owner == owner {
                mine.push(Equiv {
                    owner: e.owner,
                    tag: e.tag,
                    name: std::mem::take(&mut e.name),
                    attributes_end: e.attributes_end,
                    index: e.index,
                    conf: e.conf,
                    text: e.text,
                });
                false
            } else {
                true
            }
        });
        mine.into_iter()
            .min_by_key(|e| e.index.map_or(u32::MAX, |(_, i)| i))
    };
    xml::scan(source, Attributes::Of(READ), |item| match item {
        Item::Open(e) => {
            match e.local {
                "PcGts" => {
                    let namespace = e.attribute(source, "xmlns").unwrap_or_default();
                    if !VERSIONS.iter().any(|v| namespace.contains(v)) {
                        error.get_or_insert(LayoutError::at(
                            source,
                            e.tag.start,
                            format!("PAGE namespace {namespace:?} is not supported (this reads 2013 and 2019)"),
                        ));
                    }
                }
                "Page" => {
                    pages.push(PageInfo {
                        image: e.attribute(source, "imageFilename").map(|v| v.into_owned()),
                        image_at: e.tag.start,
                    });
                    block += 1;
                }
                "TextRegion" => block += 1,
                "TextLine" => {
                    line += 1;
                    line_has_words = false;
                }
                "Word" => line_has_words = true,
                "Coords" => {
                    let points = e.attribute(source, "points").unwrap_or_default();
                    let xy: Vec<(u32, u32)> = points
                        .split_whitespace()
                        .filter_map(|p| {
                            let (x, y) = p.split_once(',')?;
                            Some((x.parse().ok()?, y.parse().ok()?))
                        })
                        .collect();
                    let parent = stack.last().copied();
                    if matches!(parent, Some("Word" | "TextLine")) && !xy.is_empty() {
                        let (xs, ys): (Vec<u32>, Vec<u32>) = xy.into_iter().unzip();
                        let min_max = [
                            *xs.iter().min().unwrap_or(&0),
                            *ys.iter().min().unwrap_or(&0),
                            *xs.iter().max().unwrap_or(&0),
                            *ys.iter().max().unwrap_or(&0),
                        ];
                        bbox = bbox_of(min_max.into_iter());
                    }
                }
                "TextEquiv" => {
                    let owner = match stack.last().copied() {
                        Some("Word") => Owner::Word,
                        Some("TextLine") => Owner::Line,
                        _ => Owner::Other,
                    };
                    let index =
                        e.attributes
                            .iter()
                            .find(|(n, _)| *n == "index")
                            .and_then(|(_, span)| {
                                span.of(source).trim().parse().ok().map(|i| (*span, i))
                            });
                    equivs.push(Equiv {
                        owner,
                        tag: e.tag,
                        name: e.name.to_string(),
                        attributes_end: e.attributes_end(source),
                        index,
                        conf: e
                            .attribute(source, "conf")
                            .and_then(|c| c.trim().parse().ok()),
                        text: None,
                    });
                }
                "Unicode" if !e.empty => unicode_start = Some(e.tag.end),
                _ => {}
            }
            if !e.empty {
                stack.push(e.local);
            }
        }
        Item::Close(name, tag) => {
            stack.pop();
            match name {
                "Unicode" => {
                    if let (Some(start), Some(equiv)) = (unicode_start.take(), equivs.last_mut()) {
                        equiv.text = Some(ByteSpan::new(start, tag.start));
                    }
                }
                "Word" | "TextLine" => {
                    let owner = if name == "Word" {
                        Owner::Word
                    } else {
                        Owner::Line
                    };
                    let chosen = take(&mut equivs, owner);
                    let wanted = owner == Owner::Word || !line_has_words;
                    if let (Some(equiv), true) = (chosen, wanted) {
                        if let Some(text) = equiv.text {
                            words.push(LayoutWord {
                                page: pages.len().saturating_sub(1),
                                block,
                                line,
                                text: xml::unescape(text.of(source)).trim().to_string(),
                                content: text,
                                tag: equiv.tag,
                                name: equiv.name,
                                empty: false,
                                attributes_end: equiv.attributes_end,
                                bbox,
                                confidence: equiv.conf,
                                index: equiv.index.map(|(span, _)| span),
                                substituted: false,
                                element: None,
                            });
                        }
                    }
                    bbox = None;
                    if owner == Owner::Line {
                        equivs.clear();
                    }
                }
                _ => {}
            }
        }
    })?;
    if let Some(error) = error {
        return Err(error);
    }
    if words.is_empty() {
        return Err(LayoutError::at(
            source,
            0,
            "no text: no Word or TextLine has a TextEquiv/Unicode",
        ));
    }
    Ok((pages, words))
}

/// A correction as `TextEquiv` index 1 before the OCR's reading, which becomes index 2.
pub fn rewrite(source: &str, w: &LayoutWord, new: &str, edits: &mut Vec<Edit>) {
    let name = &w.name;
    let unicode = name.replace("TextEquiv", "Unicode");
    edits.push(insert(
        w.tag.start,
        format!(
            "<{name} index=\"1\" comments=\"ocrqa correction\"><{unicode}>{}</{unicode}></{name}>",
            xml::escape(new)
        ),
    ));
    match w.index {
        Some(span) => edits.push(Edit {
            span,
            replacement: "2".into(),
        }),
        None => edits.push(insert(w.attributes_end, attribute("index", "2"))),
    }
    if !w.tag.of(source).contains("comments=") {
        edits.push(insert(
            w.attributes_end,
            attribute("comments", "OCR reading"),
        ));
    }
}
