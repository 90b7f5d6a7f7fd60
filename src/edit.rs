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

/// Applies the replacement each item chose (`None`: the item stays as it is) in one pass, as
/// `apply_edits` does; returns the text and, per item, whether its replacement went in. Both
/// the corrected text of `ocrqa fix` and the final text of `ocrqa apply` are made here.
pub fn apply_choices<'r>(
    original: &str,
    choices: impl IntoIterator<Item = (ByteSpan, Option<&'r str>)>,
) -> (String, Vec<bool>) {
    let mut edits = Vec::new();
    let mut chosen = Vec::new();
    let mut applied = Vec::new();
    for (i, (span, replacement)) in choices.into_iter().enumerate() {
        applied.push(false);
        if let Some(replacement) = replacement {
            chosen.push(i);
            edits.push(Edit {
                span,
                replacement: replacement.to_string(),
            });
        }
    }
    let (text, skipped) = apply_edits(original, &edits);
    for (k, &i) in chosen.iter().enumerate() {
        applied[i] = skipped.binary_search(&k).is_err();
    }
    (text, applied)
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

    #[test]
    fn choices_report_what_went_in() {
        let (out, applied) = apply_choices(
            "tecnolo gias y asi",
            [
                (ByteSpan::new(0, 12), Some("tecnologías")),
                (ByteSpan::new(8, 12), Some("guías")),
                (ByteSpan::new(13, 14), None),
                (ByteSpan::new(15, 18), Some("así")),
            ],
        );
        assert_eq!(out, "tecnologías y así");
        assert_eq!(applied, [true, false, false, true]);
    }
}
