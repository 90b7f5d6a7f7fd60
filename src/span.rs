//! `ByteSpan`: the one way this crate names a piece of a document. Half-open, `start <= end`,
//! both on UTF-8 character boundaries of the text it was made for.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ByteSpan {
    pub start: usize,
    pub end: usize,
}

impl ByteSpan {
    /// Panics if `start > end`: a reversed span is a bug in the caller, never data.
    pub fn new(start: usize, end: usize) -> Self {
        assert!(start <= end, "ByteSpan start {start} > end {end}");
        ByteSpan { start, end }
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The text under this span, if the span is valid for `text`.
    pub fn get(self, text: &str) -> Option<&str> {
        text.get(self.start..self.end)
    }

    /// The text under this span; panics if the span is not valid for `text` (a span made for
    /// another text is a bug, never data).
    pub fn of(self, text: &str) -> &str {
        &text[self.start..self.end]
    }

    /// Whether this span lies inside `text` on character boundaries.
    pub fn fits(self, text: &str) -> bool {
        self.get(text).is_some()
    }

    pub fn overlaps(self, other: ByteSpan) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: ByteSpan) -> ByteSpan {
        ByteSpan::new(self.start.min(other.start), self.end.max(other.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_respects_char_boundaries() {
        let text = "año";
        assert_eq!(ByteSpan::new(0, 1).get(text), Some("a"));
        assert_eq!(ByteSpan::new(0, 2).get(text), None, "inside ñ");
        assert_eq!(ByteSpan::new(1, 3).get(text), Some("ñ"));
    }

    #[test]
    fn overlap_is_strict() {
        let a = ByteSpan::new(0, 3);
        assert!(!a.overlaps(ByteSpan::new(3, 5)));
        assert!(a.overlaps(ByteSpan::new(2, 5)));
        assert_eq!(a.cover(ByteSpan::new(5, 6)), ByteSpan::new(0, 6));
    }

    #[test]
    #[should_panic]
    fn reversed_span_panics() {
        ByteSpan::new(4, 2);
    }
}
