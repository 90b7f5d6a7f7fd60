//! The unified diff of a document: original → corrected (or final), line by line, as
//! similar's patience diff writes it.

use crate::document::line_starts;
use crate::edit::Change;
use crate::span::ByteSpan;
use similar::{ChangeTag, DiffOp};

/// Lines of context around each diff hunk.
pub const DIFF_CONTEXT: usize = 2;

/// The lines of `text`, each with its line break (see `document::line_starts`).
fn lines(text: &str) -> Vec<&str> {
    let mut starts = line_starts(text);
    if starts.last() == Some(&text.len()) {
        starts.pop();
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    starts.iter().zip(ends).map(|(&s, e)| &text[s..e]).collect()
}

/// Unified diff from `original` to `changed`, empty when they are equal. `changes` are the
/// edits that made one from the other (in text order, as `edit::apply_choices` reports them):
/// the lines no edit touches are matched as they are, so the cost is linear in the size of
/// the texts, however often their lines repeat.
pub fn unified_diff(path: &str, original: &str, changed: &str, changes: &[Change]) -> String {
    if original == changed {
        return String::new();
    }
    let old = lines(original);
    let new = lines(changed);
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let ops = line_ops(&old, &new, changes);
    for hunk in similar::group_diff_ops(ops, DIFF_CONTEXT) {
        out.push_str(&format!(
            "{}\n",
            similar::udiff::UnifiedHunkHeader::new(&hunk)
        ));
        for op in &hunk {
            for change in op.iter_changes(&old[..], &new[..]) {
                out.push_str(match change.tag() {
                    ChangeTag::Equal => " ",
                    ChangeTag::Delete => "-",
                    ChangeTag::Insert => "+",
                });
                let line = change.value();
                out.push_str(line);
                if line.ends_with('\r') {
                    // A line ended by a carriage return alone still gets a line of its own.
                    out.push('\n');
                } else if !line.ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// Index of the line (among those starting at `starts`) that holds byte `offset`.
fn line_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).saturating_sub(1)
}

/// The line diff: every line an edit touches (the lines its span meets, and the next one when
/// it took the line break before it) is in a region; regions that share a line merge, and the
/// lines between regions are equal, one for one. Within a region the lines both sides share
/// at its start and at its end are equal, the rest replaced.
fn line_ops(old: &[&str], new: &[&str], changes: &[Change]) -> Vec<DiffOp> {
    // Where each line starts, and where the empty line after a final line break would.
    let starts = |lines: &[&str]| -> Vec<usize> {
        let mut at = 0;
        let mut starts: Vec<usize> = lines
            .iter()
            .map(|l| {
                let start = at;
                at += l.len();
                start
            })
            .collect();
        if lines.last().is_some_and(|l| l.ends_with(['\n', '\r'])) {
            starts.push(at);
        }
        starts
    };
    let (old_starts, new_starts) = (starts(old), starts(new));
    // The half-open range of lines `span` touches.
    let touched = |starts: &[usize], lines: usize, span: ByteSpan| {
        let first = line_of(starts, span.start);
        let last = line_of(starts, span.end).max(first);
        (first.min(lines), (last + 1).min(lines))
    };
    // Regions: old lines a0..a1, new lines b0..b1.
    let mut regions: Vec<[usize; 4]> = Vec::new();
    for c in changes {
        let (a0, a1) = touched(&old_starts, old.len(), c.old);
        let (b0, b1) = touched(&new_starts, new.len(), c.new);
        match regions.last_mut() {
            Some(r) if a0 < r[1] || b0 < r[3] => {
                r[1] = r[1].max(a1);
                r[3] = r[3].max(b1);
            }
            _ => regions.push([a0, a1, b0, b1]),
        }
    }
    let mut ops = Vec::new();
    let equal = |ops: &mut Vec<DiffOp>, old_index: usize, new_index: usize, len: usize| {
        ops.push(DiffOp::Equal {
            old_index,
            new_index,
            len,
        });
    };
    let (mut i, mut j) = (0, 0);
    for [a0, a1, b0, b1] in regions {
        debug_assert_eq!(a0 - i, b0 - j, "lines between edits are copied one for one");
        equal(&mut ops, i, j, a0 - i);
        let (old_region, new_region) = (&old[a0..a1], &new[b0..b1]);
        let prefix = old_region
            .iter()
            .zip(new_region)
            .take_while(|(a, b)| a == b)
            .count();
        let suffix = old_region[prefix..]
            .iter()
            .rev()
            .zip(new_region[prefix..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        equal(&mut ops, a0, b0, prefix);
        let (old_index, new_index) = (a0 + prefix, b0 + prefix);
        let (old_len, new_len) = (a1 - suffix - old_index, b1 - suffix - new_index);
        match (old_len, new_len) {
            (0, 0) => {}
            (_, 0) => ops.push(DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            }),
            (0, _) => ops.push(DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            }),
            _ => ops.push(DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            }),
        }
        equal(&mut ops, a1 - suffix, b1 - suffix, suffix);
        (i, j) = (a1, b1);
    }
    equal(&mut ops, i, j, old.len() - i);
    merge_runs(ops)
}

/// Joins adjacent ops of a kind: equal runs, so hunks break at long unchanged stretches, and
/// changed runs, so that consecutive changed lines read as their old lines, then their new
/// ones (as diff and similar write them). Empty equal runs go.
fn merge_runs(ops: Vec<DiffOp>) -> Vec<DiffOp> {
    let mut merged: Vec<DiffOp> = Vec::with_capacity(ops.len());
    for op in ops {
        match (merged.last_mut(), op) {
            (_, DiffOp::Equal { len: 0, .. }) => {}
            (Some(DiffOp::Equal { len, .. }), DiffOp::Equal { len: more, .. }) => *len += more,
            (Some(last), op)
                if !matches!(last, DiffOp::Equal { .. }) && !matches!(op, DiffOp::Equal { .. }) =>
            {
                let (old, new) = (last.old_range(), last.new_range());
                *last = DiffOp::Replace {
                    old_index: old.start,
                    old_len: op.old_range().end - old.start,
                    new_index: new.start,
                    new_len: op.new_range().end - new.start,
                };
            }
            (_, op) => merged.push(op),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply_choices;
    use proptest::prelude::*;

    /// `original` with `edits` (byte offsets, snapped to character boundaries) applied, and
    /// the diff between them.
    fn edited(original: &str, edits: &[(usize, usize, String)]) -> (String, String) {
        let snap = |mut at: usize| {
            at = at.min(original.len());
            while !original.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let mut spans: Vec<(ByteSpan, &str)> = edits
            .iter()
            .map(|(a, len, text)| {
                let start = snap(*a);
                (ByteSpan::new(start, snap(start + len)), text.as_str())
            })
            .collect();
        spans.sort_by_key(|(s, _)| (s.start, s.end));
        let e = apply_choices(original, spans.iter().map(|&(s, t)| (s, Some(t))));
        let diff = unified_diff("x.txt", original, &e.text, &e.changes);
        (e.text, diff)
    }

    /// similar's own unified patience diff.
    fn reference(original: &str, corrected: &str) -> String {
        if original == corrected {
            return String::new();
        }
        similar::TextDiff::configure()
            .algorithm(similar::Algorithm::Patience)
            .diff_lines(original, corrected)
            .unified_diff()
            .context_radius(DIFF_CONTEXT)
            .header("a/x.txt", "b/x.txt")
            .to_string()
    }

    /// Applies a unified diff to `original`.
    fn patch(original: &str, diff: &str) -> String {
        let old = lines(original);
        let mut out = String::new();
        let mut at = 0;
        let mut body = diff.lines().skip(2).peekable();
        while let Some(header) = body.next() {
            let start: usize = header[4..]
                .split([',', ' '])
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let start = start.saturating_sub(1).max(at);
            while at < start {
                out.push_str(old[at]);
                at += 1;
            }
            while let Some(line) = body.next_if(|l| !l.starts_with("@@")) {
                let (mark, text) = line.split_at(1);
                let no_newline = body.next_if(|l| l.starts_with('\\')).is_some();
                let text = if no_newline {
                    text.to_string()
                } else {
                    format!("{text}\n")
                };
                match mark {
                    " " => {
                        out.push_str(&text);
                        at += 1;
                    }
                    "-" => at += 1,
                    _ => out.push_str(&text),
                }
            }
        }
        while at < old.len() {
            out.push_str(old[at]);
            at += 1;
        }
        out
    }

    #[test]
    fn diff_marks_changed_lines() {
        let (_, d) = edited("la informacion\nfin\n", &[(3, 11, "información".into())]);
        assert!(d.starts_with("--- a/x.txt\n+++ b/x.txt\n"));
        assert!(d.contains("-la informacion\n+la información\n"), "{d}");
        assert_eq!(unified_diff("x.txt", "a\n", "a\n", &[]), "");
    }

    #[test]
    fn a_join_across_a_line_break_replaces_both_lines() {
        let (text, d) = edited("a docu-\nmentos b\nc\n", &[(2, 12, "documentos".into())]);
        assert_eq!(text, "a documentos b\nc\n");
        assert!(
            d.contains("-a docu-\n-mentos b\n+a documentos b\n c\n"),
            "{d}"
        );
    }

    proptest! {
        /// Lines from a small alphabet repeat, vanish and are joined: the diff turns the
        /// original into the edited text.
        #[test]
        fn the_diff_patches_the_original_into_the_edited_text(
            lines in prop::collection::vec("[a-cé]{0,3}", 0..30),
            edits in prop::collection::vec((0usize..120, 0usize..6, "[ab\n]{0,3}"), 0..6),
            trailing_newline: bool,
        ) {
            let mut original = lines.join("\n");
            if trailing_newline {
                original.push('\n');
            }
            let (text, diff) = edited(&original, &edits);
            prop_assert_eq!(patch(&original, &diff), text);
        }

        /// Where every line differs from every other, the diff is similar's patience diff.
        #[test]
        fn with_distinct_lines_it_is_similars_patience_diff(
            count in 1usize..40,
            edits in prop::collection::vec((0usize..400, 0usize..4, "[xy]{0,2}"), 0..6),
        ) {
            let original: String = (0..count).map(|n| format!("line {n:03}\n")).collect();
            let (text, diff) = edited(&original, &edits);
            prop_assert_eq!(diff, reference(&original, &text));
        }
    }
}
