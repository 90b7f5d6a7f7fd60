//! Edits and their one-pass application. Every change ocrqa makes to a text goes through
//! `apply_edits`: sorted by span, overlapping edits skipped (the earlier one wins), and every
//! byte outside an edit copied unchanged from the original.

use crate::span::ByteSpan;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: ByteSpan,
    pub replacement: String,
}

/// Applies `edits` to `original`. Edits whose span does not fit the text or overlaps an earlier
/// edit are skipped and returned by index, so callers can report them.
pub fn apply_edits(original: &str, edits: &[Edit]) -> (String, Vec<usize>) {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|&i| (edits[i].span.start, edits[i].span.end, i));
    let mut out = String::with_capacity(original.len() + 64);
    let mut skipped = Vec::new();
    let mut cursor = 0;
    for i in order {
        let edit = &edits[i];
        if edit.span.start < cursor || !edit.span.fits(original) {
            skipped.push(i);
            continue;
        }
        out.push_str(&original[cursor..edit.span.start]);
        out.push_str(&edit.replacement);
        cursor = edit.span.end;
    }
    out.push_str(&original[cursor..]);
    skipped.sort_unstable();
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        Edit {
            span: ByteSpan::new(start, end),
            replacement: text.to_string(),
        }
    }

    #[test]
    fn applies_in_span_order_whatever_the_input_order() {
        let (out, skipped) = apply_edits(
            "la informacion y asi",
            &[edit(17, 20, "así"), edit(3, 14, "información")],
        );
        assert_eq!(out, "la información y así");
        assert!(skipped.is_empty());
    }

    #[test]
    fn overlapping_edit_is_skipped() {
        let (out, skipped) = apply_edits(
            "tecnolo gias",
            &[edit(0, 12, "tecnologías"), edit(8, 12, "guías")],
        );
        assert_eq!(out, "tecnologías");
        assert_eq!(skipped, vec![1]);
    }

    #[test]
    fn span_off_char_boundary_is_skipped() {
        let (out, skipped) = apply_edits("año", &[edit(0, 2, "x")]);
        assert_eq!(out, "año");
        assert_eq!(skipped, vec![0]);
    }
}
