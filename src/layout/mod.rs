//! Layout formats: hOCR, ALTO (v2–v4) and PAGE XML (2013, 2019), what OCR engines write
//! beside the text, with each word's page, box and confidence. One front door: a layout file
//! becomes the text the pipeline already reads (its words in reading order, a space between
//! words of a line, a line break between lines, a blank line between blocks and pages) and
//! the words behind it. One way out: the corrected words are spliced into the file as read,
//! byte for byte elsewhere (`rewrite`), each format keeping the OCR reading where it has a
//! place for it.

mod alto;
mod hocr;
mod page;
mod xml;

use crate::document::{Document, WordInfo};
use crate::edit::{apply_edits, Change, Edit};
use crate::span::ByteSpan;
use std::fmt;
use thiserror::Error;

/// A layout format, recognised from the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Hocr,
    Alto,
    Page,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Hocr => "hocr",
            Format::Alto => "alto",
            Format::Page => "page",
        })
    }
}

/// Why a layout file cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {reason}")]
pub struct LayoutError {
    pub line: usize,
    pub reason: String,
}

impl LayoutError {
    /// An error at byte `offset` of `source`.
    pub fn at(source: &str, offset: usize, reason: impl Into<String>) -> LayoutError {
        let offset = offset.min(source.len());
        let line = source.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        LayoutError {
            line,
            reason: reason.into(),
        }
    }
}

/// A page of a layout file: the image it was read from, as the file names it, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageInfo {
    pub image: Option<String>,
    /// Where the file names the image (for errors).
    pub image_at: usize,
}

/// One word of the file: where it is on the page, how sure the engine was, and where its
/// text is in the file.
#[derive(Debug, Clone)]
pub struct LayoutWord {
    pub page: usize,
    pub block: usize,
    pub line: usize,
    /// Its text, unescaped.
    pub text: String,
    /// Its text as written in the file: an element's content or an attribute's value.
    pub content: ByteSpan,
    /// The element's start tag (PAGE: the `TextEquiv` that holds the text).
    pub tag: ByteSpan,
    /// The element's name as written, and whether it is empty (`<String …/>`).
    pub name: String,
    pub empty: bool,
    /// Where attributes can be added to the tag.
    pub attributes_end: usize,
    /// (x0, y0, x1, y1) in the page image's pixels.
    pub bbox: Option<[u32; 4]>,
    /// 0 (unsure) to 1 (sure).
    pub confidence: Option<f32>,
    /// PAGE: the `index` attribute's value span of its `TextEquiv`, if it has one.
    pub index: Option<ByteSpan>,
    /// ALTO: whether the word already carries `SUBS_TYPE`.
    pub substituted: bool,
    /// hOCR, ALTO: the whole element, start tag to end tag, if it closes.
    pub element: Option<ByteSpan>,
}

/// A layout file read: the file itself, its pages and words, and the text they make.
#[derive(Debug, Clone)]
pub struct LayoutDoc {
    pub format: Format,
    pub source: String,
    pub pages: Vec<PageInfo>,
    pub words: Vec<LayoutWord>,
    /// The text the pipeline reads (see the module).
    pub text: String,
    /// Each word's span in `text` (empty words: an empty span where they stand).
    pub spans: Vec<ByteSpan>,
}

/// The layout format of a file, from its content (its first few kilobytes), if it is one.
pub fn sniff(source: &str) -> Option<Format> {
    let mut end = source.len().min(16 * 1024);
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    let head = &source[..end];
    if head.contains("ocrx_word") || head.contains("ocr_page") {
        Some(Format::Hocr)
    } else if head.contains("<alto") || head.contains(":alto") {
        Some(Format::Alto)
    } else if head.contains("PcGts") {
        Some(Format::Page)
    } else {
        None
    }
}

/// Where the first control character other than tab, line feed and carriage return stands
/// (the C0 characters XML 1.0 forbids). Every layout file is scanned so, twice when it is
/// written: chunks are checked without branches, and only a chunk with one is searched.
fn first_control(source: &str) -> Option<usize> {
    let forbidden = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r');
    let bytes = source.as_bytes();
    let chunk = bytes
        .chunks(64)
        .position(|c| c.iter().fold(false, |any, &b| any | forbidden(b)))?;
    let start = chunk * 64;
    bytes[start..]
        .iter()
        .position(|&b| forbidden(b))
        .map(|k| start + k)
}

/// Whether `element` (hOCR, ALTO), read alone, is well-formed, balanced XML that reads as
/// one word with box `bbox` and the words of `text`, on no page, block or line of its own.
fn reads_alone_as(format: Format, element: &str, bbox: Option<[u32; 4]>, text: &str) -> bool {
    let mut depth: usize = 0;
    let mut balanced = true;
    let scanned = xml::scan(element, xml::Attributes::Of(&[]), |item| match item {
        xml::Item::Open(e) if !e.empty => depth += 1,
        xml::Item::Open(_) => {}
        xml::Item::Close(..) => match depth.checked_sub(1) {
            Some(d) => depth = d,
            None => balanced = false,
        },
    });
    if scanned.is_err() || !balanced || depth != 0 || first_control(element).is_some() {
        return false;
    }
    let read = match format {
        Format::Hocr => hocr::read(element),
        Format::Alto => alto::read(element),
        Format::Page => return false,
    };
    matches!(read, Ok((pages, words)) if pages.is_empty()
        && words.len() == 1
        && words[0].bbox == bbox
        && (words[0].block, words[0].line) == (0, 0)
        && words[0].text.split_whitespace().eq(text.split_whitespace()))
}

/// Reads a layout file of `format`.
pub fn parse(format: Format, source: String) -> Result<LayoutDoc, LayoutError> {
    // XML 1.0 admits no C0 control character but tab and line ends, and HTML takes them for
    // errors; no OCR engine writes one.
    if let Some(at) = first_control(&source) {
        let c = source[at..].chars().next().unwrap_or_default();
        return Err(LayoutError::at(
            &source,
            at,
            format!(
                "malformed file: a control character (U+{:04X})",
                u32::from(c)
            ),
        ));
    }
    let (pages, words) = match format {
        Format::Hocr => hocr::read(&source)?,
        Format::Alto => alto::read(&source)?,
        Format::Page => page::read(&source)?,
    };
    if words.iter().all(|w| w.text.trim().is_empty()) {
        return Err(LayoutError::at(
            &source,
            0,
            "no text: the file holds no words",
        ));
    }
    let mut text = String::new();
    let mut spans = Vec::with_capacity(words.len());
    let mut last: Option<&LayoutWord> = None;
    for w in &words {
        if w.text.is_empty() {
            spans.push(ByteSpan::new(text.len(), text.len()));
            continue;
        }
        if let Some(l) = last {
            text.push_str(if (l.page, l.block) != (w.page, w.block) {
                "\n\n"
            } else if l.line != w.line {
                "\n"
            } else {
                " "
            });
        }
        let start = text.len();
        // A word holds no line break: what OCR put there is a space.
        text.extend(
            w.text
                .chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
        );
        spans.push(ByteSpan::new(start, text.len()));
        last = Some(w);
    }
    text.push('\n');
    Ok(LayoutDoc {
        format,
        source,
        pages,
        words,
        text,
        spans,
    })
}

impl LayoutDoc {
    /// The document the pipeline reads, named `name`, with each word's page, box and
    /// confidence.
    pub fn document(&self, name: impl Into<String>) -> Document {
        let words = self
            .words
            .iter()
            .zip(&self.spans)
            .filter(|(_, span)| !span.is_empty())
            .map(|(w, &span)| WordInfo {
                span,
                page: w.page,
                bbox: w.bbox,
                confidence: w.confidence,
            })
            .collect();
        Document::new(name, self.text.clone()).with_words(words)
    }

    /// The words a change of the text touches: those its span meets (an insertion: the
    /// word it stands in or at the edge of).
    fn touched(&self, span: ByteSpan) -> std::ops::Range<usize> {
        let meets = |w: &ByteSpan| {
            if span.is_empty() {
                !w.is_empty() && w.start <= span.start && span.start <= w.end
            } else {
                w.start < span.end && span.start < w.end
            }
        };
        let mut first = self.spans.partition_point(|w| w.end < span.start);
        while first < self.spans.len()
            && self.spans[first].start <= span.end
            && !meets(&self.spans[first])
        {
            first += 1;
        }
        let mut end = first;
        while end < self.spans.len() && meets(&self.spans[end]) {
            end += 1;
        }
        if first < end {
            return first..end;
        }
        // Only what stands between words: the words on either side (two words joined).
        let before = self.spans[..first.min(self.spans.len())]
            .iter()
            .rposition(|w| !w.is_empty() && w.end <= span.start);
        let after = (first..self.spans.len()).find(|&k| {
            let w = self.spans[k];
            !w.is_empty() && w.start >= span.end
        });
        match (before, after) {
            (Some(b), Some(a)) => b..a + 1,
            (Some(b), None) => b..b + 1,
            (None, Some(a)) => a..a + 1,
            (None, None) => 0..0,
        }
    }

    /// Whether `rewritten` (made by [`LayoutDoc::rewrite`] for the text `changed` and its
    /// `changes`) reads back as a file of this format with every word box where it was and
    /// `changed`'s words: checked before anything is written, so that a file no reader could
    /// open, or one whose words moved, is refused, never written.
    pub fn check_rewrite(
        &self,
        rewritten: &str,
        changed: &str,
        changes: &[Change],
    ) -> Result<(), LayoutError> {
        let unreadable = |line: usize, why: &str| LayoutError {
            line,
            reason: format!("the corrected file would not read back ({why}); nothing written"),
        };
        // The file as it was read, for its own text, reads back as it did.
        if rewritten == self.source && changed == self.text
            || self.reads_back_word_by_word(rewritten, changed, changes)
        {
            return Ok(());
        }
        let back =
            parse(self.format, rewritten.to_string()).map_err(|e| unreadable(e.line, &e.reason))?;
        let boxes = |doc: &LayoutDoc| doc.words.iter().map(|w| w.bbox).collect::<Vec<_>>();
        if boxes(&back) != boxes(self) {
            return Err(unreadable(0, "its word boxes differ"));
        }
        if !back.text.split_whitespace().eq(changed.split_whitespace()) {
            return Err(unreadable(0, "its words are not the corrected text"));
        }
        Ok(())
    }

    /// The read-back of [`LayoutDoc::check_rewrite`] without reading the whole file again
    /// (half the time of a layout batch): true when `rewritten` is this file with only the
    /// elements of the words `rewrite` changes replaced, each old and new element reading
    /// alone, as well-formed balanced XML, as that one word with its box (and no page, block
    /// or line), the new one with its new text, and the words' texts making `changed`.
    /// XML content replaced by balanced content leaves the reading of the rest as it was.
    /// False says nothing: the whole file is then read back.
    fn reads_back_word_by_word(&self, rewritten: &str, changed: &str, changes: &[Change]) -> bool {
        if self.format == Format::Page {
            return false; // a line's own text is rewritten with its words'
        }
        // Changes of this text into `changed`, in order, as `rewrite` takes them.
        let fit = |c: &Change| c.old.fits(&self.text) && c.new.fits(changed);
        let in_order =
            |p: &[Change]| p[0].old.end <= p[1].old.start && p[0].new.end <= p[1].new.start;
        if !changes.iter().all(fit) || !changes.windows(2).all(in_order) {
            return false;
        }
        let rewrites = self.word_edits(changed, changes);
        let mut texts: Vec<&str> = self.words.iter().map(|w| w.text.as_str()).collect();
        for (k, new, _) in &rewrites {
            texts[*k] = new;
        }
        let words = texts.iter().flat_map(|t| t.split_whitespace());
        if !words.eq(changed.split_whitespace()) {
            return false;
        }
        // Cursors in the file as read and in the rewritten file, after the last element.
        let (mut read, mut written) = (0, 0);
        for (k, new, edits) in &rewrites {
            let w = &self.words[*k];
            let Some(element) = w.element.filter(|e| e.start >= read) else {
                return false;
            };
            let inside = |e: &Edit| {
                e.span.start > element.start
                    && e.span.end <= element.end
                    && !(e.span.is_empty() && e.span.start == element.end)
            };
            if !edits.iter().all(inside) {
                return false;
            }
            let start = written + (element.start - read);
            let grown: isize = edits
                .iter()
                .map(|e| e.replacement.len() as isize - e.span.len() as isize)
                .sum();
            let end = (start + element.len()).checked_add_signed(grown);
            let (Some(end), Some(old)) = (end, self.source.get(element.start..element.end)) else {
                return false;
            };
            let same_between =
                rewritten.get(written..start) == self.source.get(read..element.start);
            if !same_between
                || !rewritten.get(start..end).is_some_and(|new_element| {
                    reads_alone_as(self.format, old, w.bbox, &w.text)
                        && reads_alone_as(self.format, new_element, w.bbox, new)
                })
            {
                return false;
            }
            (read, written) = (element.end, end);
        }
        rewritten.get(written..) == self.source.get(read..)
    }

    /// The file with the text `changed`, made of the layout's text by `changes`: each word
    /// takes the text that now stands where it stood. A change over several words (a word
    /// joined across a space or a line end, a tail of specks) gives the first of them the
    /// whole new text and empties the others, so that every element and every box stays.
    pub fn rewrite(&self, changed: &str, changes: &[Change]) -> String {
        let edits: Vec<Edit> = self
            .word_edits(changed, changes)
            .into_iter()
            .flat_map(|(_, _, edits)| edits)
            .collect();
        apply_edits(&self.source, &edits).0
    }

    /// Per word that takes a new text, in order: the word, its new text, and the edits of
    /// the file that write it.
    fn word_edits(&self, changed: &str, changes: &[Change]) -> Vec<(usize, String, Vec<Edit>)> {
        let mut rewrites = Vec::new();
        for (words, text) in self.new_words(changed, changes) {
            let first = words.start;
            for k in words.clone() {
                let new = if k == first { text.as_str() } else { "" };
                let joined = (words.len() > 1).then_some((k == first, text.as_str()));
                let w = &self.words[k];
                if new == w.text {
                    continue;
                }
                let mut edits = Vec::new();
                match self.format {
                    Format::Hocr => hocr::rewrite(&self.source, w, new, &mut edits),
                    Format::Alto => {
                        let across_lines = self.words[words.end - 1].line != self.words[first].line;
                        alto::rewrite(
                            &self.source,
                            w,
                            new,
                            joined.filter(|_| across_lines),
                            &mut edits,
                        )
                    }
                    Format::Page => page::rewrite(&self.source, w, new, &mut edits),
                }
                rewrites.push((k, new.to_string(), edits));
            }
        }
        rewrites
    }

    /// Per group of words that changes touch: the words and the text that now stands where
    /// they stood.
    fn new_words(
        &self,
        changed: &str,
        changes: &[Change],
    ) -> Vec<(std::ops::Range<usize>, String)> {
        // Where an offset of the text is in the changed text: moved by what the changes before
        // it did; inside a change, at its replacement's start (`end`: its end).
        let map = |at: usize, end: bool| -> usize {
            let mut delta: isize = 0;
            for c in changes {
                if c.old.end <= at && !(c.old.is_empty() && c.old.start == at && !end) {
                    delta += c.new.len() as isize - c.old.len() as isize;
                } else if c.old.start < at {
                    return if end { c.new.end } else { c.new.start };
                } else {
                    break;
                }
            }
            (at as isize + delta) as usize
        };
        let mut groups: Vec<(std::ops::Range<usize>, ByteSpan)> = Vec::new();
        for c in changes {
            let mut words = self.touched(c.old);
            if words.is_empty() {
                continue;
            }
            // A change that takes all the space before or after its words away glues them to
            // the word beyond (`Solicita al` → `Solicitaal`).
            let replacement = c.new.of(changed);
            let glued = |k: Option<usize>, at: usize| {
                k.filter(|&k| !self.spans[k].is_empty())
                    .filter(|&k| self.spans[k].end == at || self.spans[k].start == at)
            };
            let before = (0..words.start).rev().find(|&k| !self.spans[k].is_empty());
            if !replacement.starts_with(char::is_whitespace)
                && c.old.start < self.spans[words.start].start
            {
                if let Some(k) = glued(before, c.old.start) {
                    words.start = k;
                }
            }
            let after = (words.end..self.spans.len()).find(|&k| !self.spans[k].is_empty());
            if !replacement.ends_with(char::is_whitespace)
                && c.old.end > self.spans[words.end - 1].end
            {
                if let Some(k) = glued(after, c.old.end) {
                    words.end = k + 1;
                }
            }
            let (first, last) = (self.spans[words.start], self.spans[words.end - 1]);
            let start = map(first.start.min(c.old.start), false).min(c.new.start);
            let end = map(last.end.max(c.old.end), true).max(c.new.end);
            match groups.last_mut() {
                Some((range, span)) if words.start < range.end => {
                    range.end = range.end.max(words.end);
                    span.end = span.end.max(end);
                }
                _ => groups.push((words, ByteSpan::new(start, end.max(start)))),
            }
        }
        groups
            .into_iter()
            .map(|(words, span)| {
                let text = span.of(changed).replace(['\n', '\r'], " ");
                (words, text.trim().to_string())
            })
            .collect()
    }
}

/// An attribute `name="value"` to insert into a tag.
fn attribute(name: &str, value: &str) -> String {
    format!(" {name}=\"{}\"", xml::escape(value))
}

/// An edit inserting `text` at byte `at`.
fn insert(at: usize, text: String) -> Edit {
    Edit {
        span: ByteSpan::new(at, at),
        replacement: text,
    }
}

/// (x0, y0, x1, y1) from `bbox x0 y0 x1 y1` (hOCR) or points `x,y x,y …` (PAGE).
fn bbox_of(numbers: impl Iterator<Item = u32>) -> Option<[u32; 4]> {
    let numbers: Vec<u32> = numbers.collect();
    (numbers.len() >= 4).then(|| [numbers[0], numbers[1], numbers[2], numbers[3]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply_choices;

    fn fixture(name: &str) -> LayoutDoc {
        let path = format!(
            "{}/tests/fixtures/layout/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(path).unwrap();
        parse(sniff(&text).unwrap(), text).unwrap()
    }

    /// The fixture `name`, its text with every fifth word replaced, every seventh emptied and
    /// two words joined, and the file rewritten for it.
    fn rewritten(name: &str) -> (LayoutDoc, crate::edit::Edited, String) {
        let doc = fixture(name);
        let edited = edited(&doc);
        let written = doc.rewrite(&edited.text, &edited.changes);
        (doc, edited, written)
    }

    fn edited(doc: &LayoutDoc) -> crate::edit::Edited {
        let mut choices: Vec<(ByteSpan, Option<&str>)> = Vec::new();
        for (k, &span) in doc.spans.iter().enumerate() {
            match k % 35 {
                0 | 5 | 10 | 15 | 20 | 25 | 30 => choices.push((span, Some("acción"))),
                7 | 14 | 21 | 28 => choices.push((span, Some(""))),
                33 => choices.push((ByteSpan::new(span.start, doc.spans[k + 1].end), Some("así"))),
                _ => {}
            }
        }
        apply_choices(&doc.text, choices)
    }

    #[test]
    fn an_ordinary_rewrite_reads_back_word_by_word() {
        for name in ["un-015.hocr", "un-015.xml"] {
            let (doc, edited, written) = rewritten(name);
            assert!(
                doc.reads_back_word_by_word(&written, &edited.text, &edited.changes),
                "{name}"
            );
        }
    }

    /// Anything else than the words' elements touched, or another text, and the word-by-word
    /// check declines (the whole file is then read back).
    #[test]
    fn the_word_by_word_read_back_declines_what_it_cannot_vouch_for() {
        for name in ["un-015.hocr", "un-015.xml"] {
            let (doc, edited, written) = rewritten(name);
            let check = |w: &str, text: &str| doc.reads_back_word_by_word(w, text, &edited.changes);
            // A byte between two elements.
            let between = doc.words[1].tag.start - 1;
            let extra = format!("{}<b>{}", &written[..between], &written[between..]);
            assert!(!check(&extra, &edited.text), "{name}");
            // A box moved inside a rewritten word's tag.
            let first = &doc.words[0];
            let bbox = first.bbox.unwrap();
            let tag = &written[first.tag.start..];
            let at = first.tag.start + tag.find(&bbox[1].to_string()).unwrap();
            let moved = format!("{}9{}", &written[..at], &written[at..]);
            assert!(!check(&moved, &edited.text), "{name}");
            // Another text than the one the file was written for.
            assert!(!check(&written, "otras palabras"), "{name}");
            // Written for other changes.
            assert!(
                !doc.reads_back_word_by_word(&written, &edited.text, &[]),
                "{name}"
            );
        }
    }
}
