//! XML as the layout readers see it: elements with the byte spans of their tags, attribute
//! values and content in the file as read, found by streaming it through quick-xml. Nothing
//! is rebuilt: writers splice their changes into the original bytes at these spans, so every
//! byte they do not change stays as it was.

use super::LayoutError;
use crate::span::ByteSpan;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;

/// A start tag (or an empty element) as it stands in the file.
#[derive(Debug, Clone)]
pub struct Element<'s> {
    /// The name as written (with its prefix, `alto:String`).
    pub name: &'s str,
    /// Without the prefix (`String`).
    pub local: &'s str,
    /// The tag, `<` to `>`.
    pub tag: ByteSpan,
    /// `<x/>`: no content, no end tag.
    pub empty: bool,
    /// Local name, the raw value's span (inside its quotes).
    pub attributes: Vec<(&'s str, ByteSpan)>,
}

impl<'s> Element<'s> {
    /// The raw (escaped) value of attribute `name`.
    pub fn raw(&self, source: &'s str, name: &str) -> Option<&'s str> {
        self.attributes
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, span)| span.of(source))
    }

    /// The value of attribute `name`, unescaped.
    pub fn attribute(&self, source: &'s str, name: &str) -> Option<Cow<'s, str>> {
        self.raw(source, name).map(unescape)
    }

    /// Where an attribute can be added: just before the tag's `>` or `/>`.
    pub fn attributes_end(&self, source: &str) -> usize {
        let tag = self.tag.of(source);
        let back = if self.empty { 2 } else { 1 };
        let mut at = self.tag.end - back;
        // Before any white space that precedes the closing bracket.
        while at > self.tag.start && tag.as_bytes()[at - 1 - self.tag.start].is_ascii_whitespace() {
            at -= 1;
        }
        at
    }
}

/// What the scan meets, in document order.
pub enum Item<'s> {
    Open(Element<'s>),
    /// An end tag: the local name and the tag's span.
    Close(&'s str, ByteSpan),
}

/// Streams `source` through quick-xml (end names checked), calling `meet` for every start,
/// empty and end tag. A malformed file is an error naming its line.
pub fn scan<'s>(source: &'s str, meet: impl FnMut(Item<'s>)) -> Result<(), LayoutError> {
    scan_checked(source, true, meet)
}

/// As [`scan`], without checking end names: HTML leaves some elements unclosed (`<meta>`).
pub fn scan_html<'s>(source: &'s str, meet: impl FnMut(Item<'s>)) -> Result<(), LayoutError> {
    scan_checked(source, false, meet)
}

fn scan_checked<'s>(
    source: &'s str,
    check: bool,
    mut meet: impl FnMut(Item<'s>),
) -> Result<(), LayoutError> {
    // The reader is given the text after any byte-order marks, which it would skip while
    // counting positions from a different start than ours.
    let offset = source.len() - source.trim_start_matches('\u{feff}').len();
    let mut reader = Reader::from_str(&source[offset..]);
    reader.config_mut().check_end_names = check;
    loop {
        let start = offset + reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let at = offset + reader.error_position() as usize;
            LayoutError::at(source, at, format!("malformed XML: {e}"))
        })?;
        let end = offset + reader.buffer_position() as usize;
        match event {
            Event::Start(_) | Event::Empty(_) if source[start + 1..end].contains('<') => {
                return Err(LayoutError::at(
                    source,
                    start,
                    "malformed XML: a '<' inside this tag",
                ));
            }
            Event::Start(e) => meet(Item::Open(
                element(source, &e, start, end, false, check)
                    .map_err(|why| LayoutError::at(source, start, why))?,
            )),
            Event::Empty(e) => meet(Item::Open(
                element(source, &e, start, end, true, check)
                    .map_err(|why| LayoutError::at(source, start, why))?,
            )),
            Event::End(e) => {
                let name = e.local_name().into_inner();
                let at = start + name_offset(&source[start..end], name);
                let name = source.get(at..at + name.len()).unwrap_or_default();
                meet(Item::Close(name, ByteSpan::new(start, end)));
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// Where `name` stands in `tag` (after `<` or `</`, past a prefix); if the reader's name is
/// not found as written (a tag it repaired), just after the tag's `<`.
fn name_offset(tag: &str, name: &str) -> usize {
    // Nearly always right after the `<` or `</`: looked at there before it is searched for.
    for at in [1, 2] {
        if tag.get(at..).is_some_and(|rest| rest.starts_with(name)) {
            return at;
        }
    }
    tag.find(name)
        .unwrap_or_else(|| tag.find('<').map_or(0, |lt| lt + 1))
}

/// The element of the tag `start..end`, read in one pass over its attributes; an error when
/// an attribute value opens a quote it never closes (`title='bbox 1 2 3 4>`: the tag's end,
/// and where an attribute could be added, are then guesses), or, in XML (not HTML,
/// `strict`), when the tag holds anything that is no `name="value"`.
fn element<'s>(
    source: &'s str,
    e: &BytesStart<'s>,
    start: usize,
    end: usize,
    empty: bool,
    strict: bool,
) -> Result<Element<'s>, &'static str> {
    let tag = &source[start..end];
    let qualified = e.name().into_inner();
    let name_at = start + name_offset(tag, qualified);
    let name = source
        .get(name_at..name_at + qualified.len())
        .unwrap_or_default();
    let local = match name.rfind(':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    };
    let base = source.as_ptr() as usize;
    let mut attributes = Vec::new();
    // Unchecked for duplicates (a quadratic search per tag, and harmless here); every other
    // fault of an attribute is reported.
    for a in e.attributes().with_checks(false) {
        let a =
            match a {
                Ok(a) => a,
                Err(AttrError::ExpectedQuote(..)) => {
                    return Err("malformed XML: an attribute value in this tag is not closed")
                }
                Err(_) if strict => return Err(
                    "malformed XML: this tag holds something that is no name=\"value\" attribute",
                ),
                Err(_) => continue,
            };
        let key = a.key.local_name().into_inner();
        // Values of a reader over a `&str` borrow from it: their place is their address.
        let Cow::Borrowed(value) = a.value else {
            continue;
        };
        let at = value.as_ptr() as usize - base;
        let span = ByteSpan::new(at, at + value.len());
        attributes.push((key_in(source, key, span), span));
    }
    Ok(Element {
        name,
        local,
        tag: ByteSpan::new(start, end),
        empty,
        attributes,
    })
}

/// `key` as a slice of `source`: the attribute's name just before its value, past the quote,
/// the `=` and any white space around it (searched for only when it is not there).
fn key_in<'s>(source: &'s str, key: &str, value: ByteSpan) -> &'s str {
    let bytes = source.as_bytes();
    let mut end = value.start.saturating_sub(1); // the opening quote
    while end > 0 && (bytes[end - 1].is_ascii_whitespace() || bytes[end - 1] == b'=') {
        end -= 1;
    }
    if let Some(start) = end.checked_sub(key.len()) {
        if source.get(start..end) == Some(key) {
            return &source[start..end];
        }
    }
    let before = &source[..value.start];
    match before.rfind(key) {
        Some(at) => &source[at..at + key.len()],
        None => "",
    }
}

/// Text or an attribute value as XML writes it, unescaped (`&amp;` → `&`); what cannot be
/// unescaped is kept as written.
pub fn unescape(raw: &str) -> Cow<'_, str> {
    quick_xml::escape::unescape(raw).unwrap_or(Cow::Borrowed(raw))
}

/// `text` escaped for an attribute value in double quotes or for element content.
pub fn escape(text: &str) -> Cow<'_, str> {
    quick_xml::escape::escape(text)
}
