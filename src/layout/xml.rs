//! XML as the layout readers see it: elements with the byte spans of their tags, attribute
//! values and content in the file as read, found by streaming it through quick-xml. Nothing
//! is rebuilt: writers splice their changes into the original bytes at these spans, so every
//! byte they do not change stays as it was.

use super::LayoutError;
use crate::span::ByteSpan;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;

/// A start tag (or an empty element) as it stands in the file.
#[derive(Debug, Clone)]
pub struct Element<'a, 's> {
    /// The name as written (with its prefix, `alto:String`).
    pub name: &'s str,
    /// Without the prefix (`String`).
    pub local: &'s str,
    /// The tag, `<` to `>`.
    pub tag: ByteSpan,
    /// `<x/>`: no content, no end tag.
    pub empty: bool,
    /// Local name, the raw value's span (inside its quotes).
    pub attributes: &'a [(&'s str, ByteSpan)],
}

impl<'s> Element<'_, 's> {
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
pub enum Item<'a, 's> {
    Open(Element<'a, 's>),
    /// An end tag: the local name and the tag's span.
    Close(&'s str, ByteSpan),
}

/// Which elements' attributes a reader reads.
#[derive(Clone, Copy)]
pub enum Attributes {
    All,
    /// Only these (local names): the others' tags are passed over with no attributes, and
    /// with their faults unreported (nothing reads them, and nothing is written into them).
    /// An ALTO file is half `SP` elements.
    Of(&'static [&'static str]),
}

/// Streams `source` through quick-xml (end names checked), calling `meet` for every start,
/// empty and end tag. A malformed file is an error naming its line.
pub fn scan<'s>(
    source: &'s str,
    read: Attributes,
    meet: impl FnMut(Item<'_, 's>),
) -> Result<(), LayoutError> {
    scan_checked(source, true, read, meet)
}

/// As [`scan`], without checking end names: HTML leaves some elements unclosed (`<meta>`).
pub fn scan_html<'s>(source: &'s str, meet: impl FnMut(Item<'_, 's>)) -> Result<(), LayoutError> {
    scan_checked(source, false, Attributes::All, meet)
}

fn scan_checked<'s>(
    source: &'s str,
    check: bool,
    read: Attributes,
    mut meet: impl FnMut(Item<'_, 's>),
) -> Result<(), LayoutError> {
    // The reader is given the text after any byte-order marks, which it would skip while
    // counting positions from a different start than ours.
    let offset = source.len() - source.trim_start_matches('\u{feff}').len();
    let mut reader = Reader::from_str(&source[offset..]);
    reader.config_mut().check_end_names = check;
    let mut attributes = Vec::new();
    loop {
        let start = offset + reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let at = offset + reader.error_position() as usize;
            LayoutError::at(source, at, format!("malformed XML: {e}"))
        })?;
        let end = offset + reader.buffer_position() as usize;
        match event {
            Event::Start(_) | Event::Empty(_)
                if source.as_bytes()[start + 1..end].contains(&b'<') =>
            {
                return Err(LayoutError::at(
                    source,
                    start,
                    "malformed XML: a '<' inside this tag",
                ));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let element = element(
                    source,
                    e,
                    (start, end),
                    empty,
                    (check, read),
                    &mut attributes,
                )
                .map_err(|why| LayoutError::at(source, start, why))?;
                meet(Item::Open(element));
            }
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

/// Where the first byte of `bytes` at or after `at` that is not `skipped` stands (a slice
/// iterator: no bounds checks in the loop, which a batch runs over every byte of its tags).
fn past(bytes: &[u8], at: usize, skipped: impl Fn(u8) -> bool) -> usize {
    at + bytes[at..]
        .iter()
        .position(|&b| !skipped(b))
        .unwrap_or(bytes.len() - at)
}

/// `name` without its prefix (`alto:String` → `String`). Names are short: a loop beats the
/// library's search, which a batch would call for every attribute.
fn local_name(name: &str) -> &str {
    match name.bytes().rposition(|b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

/// XML's white space (`S`): what may stand between a tag's name and its attributes.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

const UNCLOSED_VALUE: &str = "malformed XML: an attribute value in this tag is not closed";
const NOT_AN_ATTRIBUTE: &str =
    "malformed XML: this tag holds something that is no name=\"value\" attribute";

/// The element of the tag `start..end`, with the attributes `read` asks for in `attributes`
/// (reused from tag to tag: a batch meets millions of tags).
fn element<'a, 's>(
    source: &'s str,
    e: &BytesStart<'s>,
    (start, end): (usize, usize),
    empty: bool,
    (strict, read): (bool, Attributes),
    attributes: &'a mut Vec<(&'s str, ByteSpan)>,
) -> Result<Element<'a, 's>, &'static str> {
    let tag = &source[start..end];
    let qualified = e.name().into_inner();
    let name_at = start + name_offset(tag, qualified);
    let name = source
        .get(name_at..name_at + qualified.len())
        .unwrap_or_default();
    let local = local_name(name);
    attributes.clear();
    let reads = match read {
        Attributes::All => true,
        Attributes::Of(names) => names.contains(&local),
    };
    if reads {
        read_attributes(source, e, strict, attributes)?;
    }
    Ok(Element {
        name,
        local,
        tag: ByteSpan::new(start, end),
        empty,
        attributes,
    })
}

/// The tag's attributes, as (local name, value span) pairs into `attributes`, in one pass.
/// An error when an attribute value opens a quote it never closes (`title='bbox 1 2 3 4>`:
/// the tag's end, and where an attribute could be added, are then guesses), or, in XML (not
/// HTML, `strict`), when the tag holds anything that is no `name="value"`. HTML's bare and
/// unquoted attributes are passed over. Duplicates are not looked for (harmless here).
fn read_attributes<'s>(
    source: &'s str,
    e: &BytesStart<'s>,
    strict: bool,
    attributes: &mut Vec<(&'s str, ByteSpan)>,
) -> Result<(), &'static str> {
    // The reader's events over a `&str` borrow from it: the attributes' place is their address.
    let raw = e.attributes_raw();
    let from = (raw.as_ptr() as usize).wrapping_sub(source.as_ptr() as usize);
    let Some(raw) = source.get(from..from.saturating_add(raw.len())) else {
        return Err("malformed XML: this tag could not be read in place");
    };
    let bytes = raw.as_bytes();
    let mut at = 0;
    loop {
        at = past(bytes, at, is_space);
        if at == bytes.len() {
            return Ok(());
        }
        let key_start = at;
        at = past(bytes, at, |b| b != b'=' && !is_space(b));
        let key = &raw[key_start..at];
        at = past(bytes, at, is_space);
        if bytes.get(at) != Some(&b'=') {
            // A bare name (`<td nowrap>`), the next token read from where it stands.
            if strict {
                return Err(NOT_AN_ATTRIBUTE);
            }
            continue;
        }
        at = past(bytes, at + 1, is_space);
        match bytes.get(at) {
            Some(&quote) if quote == b'"' || quote == b'\'' => {
                let Some(length) = bytes[at + 1..].iter().position(|&b| b == quote) else {
                    return Err(UNCLOSED_VALUE);
                };
                let value = from + at + 1;
                at += length + 2;
                attributes.push((local_name(key), ByteSpan::new(value, value + length)));
            }
            _ if strict => return Err(NOT_AN_ATTRIBUTE),
            // An unquoted value (`width=3`), passed over.
            _ => at = past(bytes, at, |b| !is_space(b)),
        }
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
