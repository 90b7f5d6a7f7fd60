//! `Document`: one text and what every later stage needs to point into it. The text is kept
//! byte for byte as read (no normalisation), so that nothing outside an edit can change;
//! lookups normalise tokens to NFC instead.

use crate::hash;
use crate::span::ByteSpan;

#[derive(Debug, Clone)]
pub struct Document {
    /// How the document is named in outputs (a path relative to its input root).
    pub source: String,
    pub text: String,
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
    /// What the OCR engine said of each word, in text order, when the document came from a
    /// layout file (hOCR, ALTO, PAGE); empty for plain text.
    pub words: Vec<WordInfo>,
}

/// A word of a layout document: where it is in the text and on its page, and how sure the
/// OCR engine was of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordInfo {
    pub span: ByteSpan,
    pub page: usize,
    /// (x0, y0, x1, y1) in the page image's pixels.
    pub bbox: Option<[u32; 4]>,
    /// 0 (unsure) to 1 (sure).
    pub confidence: Option<f32>,
}

impl Document {
    pub fn new(source: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = line_starts(&text);
        Document {
            source: source.into(),
            text,
            line_starts,
            words: Vec::new(),
        }
    }

    /// The document with what the OCR engine said of its words (sorted by span).
    pub fn with_words(mut self, words: Vec<WordInfo>) -> Document {
        self.words = words;
        self
    }

    /// The layout words that `span` meets, in order.
    pub fn words_in(&self, span: ByteSpan) -> &[WordInfo] {
        let first = self.words.partition_point(|w| w.span.end <= span.start);
        let end = first + self.words[first..].partition_point(|w| w.span.start < span.end);
        &self.words[first..end.max(first)]
    }

    /// Stable fingerprint of the exact bytes (`fnv1a64:…`).
    pub fn fingerprint(&self) -> String {
        hash::fingerprint(self.text.as_bytes())
    }

    /// 1-based line and 1-based column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        (line + 1, column)
    }

    /// The text of the line holding `offset`, without its line break.
    pub fn line_span(&self, offset: usize) -> ByteSpan {
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |&s| s);
        let line = &self.text.as_bytes()[start..end];
        let break_len = match line {
            [.., b'\r', b'\n'] => 2,
            [.., b'\n' | b'\r'] => 1,
            _ => 0,
        };
        ByteSpan::new(start, start + line.len() - break_len)
    }

    pub fn slice(&self, span: ByteSpan) -> &str {
        span.of(&self.text)
    }
}

/// Byte offsets where the lines of `text` start: 0, and after every line break — `\n`,
/// `\r\n`, or a `\r` alone (old Mac files end their lines so).
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        let breaks = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if breaks {
            starts.push(i + 1);
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let doc = Document::new("t", "año\nla informacion\r\nfin");
        assert_eq!(doc.line_col(0), (1, 1));
        assert_eq!(doc.line_col(5), (2, 1));
        assert_eq!(doc.line_col(8), (2, 4));
        assert_eq!(doc.slice(doc.line_span(8)), "la informacion");
        assert_eq!(doc.slice(doc.line_span(doc.text.len())), "fin");
    }

    #[test]
    fn a_carriage_return_alone_ends_a_line() {
        let doc = Document::new("t", "uno\rdos\r\ntres\ncuatro");
        assert_eq!(line_starts(&doc.text), [0, 4, 9, 14]);
        assert_eq!(doc.line_col(5), (2, 2));
        assert_eq!(doc.slice(doc.line_span(5)), "dos");
        assert_eq!(doc.slice(doc.line_span(0)), "uno");
    }
}
