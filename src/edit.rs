//! Edits and their one-pass application. Every change ocrqa makes to a text goes through
//! `apply_edits`: sorted by span, overlapping edits skipped (the earlier one wins), and every
//! byte outside an edit copied unchanged from the original.

use crate::span::ByteSpan;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: ByteSpan,
    pub replacement: String,
}

/// Where an applied edit lies: its span in the original and the span of its replacement in
/// the new text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub old: ByteSpan,
    pub new: ByteSpan,
}

/// A text made by applying edits, and what went in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    /// Per edit (or choice) given: whether it went in.
    pub applied: Vec<bool>,
    /// The edits that went in, in text order.
    pub changes: Vec<Change>,
}

/// Applies `edits` to `original`. Edits whose span does not fit the text or overlaps an earlier
/// edit are skipped and returned by index, so callers can report them.
pub fn apply_edits(original: &str, edits: &[Edit]) -> (String, Vec<usize>) {
    let edited = apply(original, edits);
    let skipped = (0..edits.len()).filter(|&i| !edited.applied[i]).collect();
    (edited.text, skipped)
}

/// The one pass: edits sorted by span (then by index), each copied in after the original
/// text before it; one that overlaps an earlier edit, or does not fit the text, is skipped.
fn apply(original: &str, edits: &[Edit]) -> Edited {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|&i| (edits[i].span.start, edits[i].span.end, i));
    let mut text = String::with_capacity(original.len() + 64);
    let mut applied = vec![false; edits.len()];
    let mut changes = Vec::new();
    let mut cursor = 0;
    for i in order {
        let edit = &edits[i];
        if edit.span.start < cursor || !edit.span.fits(original) {
            continue;
        }
        text.push_str(&original[cursor..edit.span.start]);
        let start = text.len();
        text.push_str(&edit.replacement);
        changes.push(Change {
            old: edit.span,
            new: ByteSpan::new(start, text.len()),
        });
        applied[i] = true;
        cursor = edit.span.end;
    }
    text.push_str(&original[cursor..]);
    Edited {
        text,
        applied,
        changes,
    }
}

/// Applies the replacement each item chose (`None`: the item stays as it is) in one pass, as
/// `apply_edits` does; `applied` says, per item, whether its replacement went in. Both the
/// corrected text of `ocrqa fix` and the final text of `ocrqa apply` are made here.
pub fn apply_choices<'r>(
    original: &str,
    choices: impl IntoIterator<Item = (ByteSpan, Option<&'r str>)>,
) -> Edited {
    let mut edits = Vec::new();
    let mut chosen = Vec::new();
    let mut count = 0;
    for (i, (span, replacement)) in choices.into_iter().enumerate() {
        count += 1;
        if let Some(replacement) = replacement {
            chosen.push(i);
            edits.push(Edit {
                span,
                replacement: replacement.to_string(),
            });
        }
    }
    let mut edited = apply(original, &edits);
    let mut applied = vec![false; count];
    for (k, &i) in chosen.iter().enumerate() {
        applied[i] = edited.applied[k];
    }
    edited.applied = applied;
    edited
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
        let edited = apply_choices(
            "tecnolo gias y asi",
            [
                (ByteSpan::new(0, 12), Some("tecnologías")),
                (ByteSpan::new(8, 12), Some("guías")),
                (ByteSpan::new(13, 14), None),
                (ByteSpan::new(15, 18), Some("así")),
            ],
        );
        assert_eq!(edited.text, "tecnologías y así");
        assert_eq!(edited.applied, [true, false, false, true]);
        let new: Vec<&str> = edited
            .changes
            .iter()
            .map(|c| c.new.of(&edited.text))
            .collect();
        assert_eq!(new, ["tecnologías", "así"]);
    }
}
