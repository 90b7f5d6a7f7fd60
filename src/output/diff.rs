//! The unified diff of a document: original → corrected (or final), line by line, as
//! similar's patience diff writes it.

use rustc_hash::FxHashMap;
use similar::{Algorithm, ChangeTag, DiffOp};

/// Lines of context around each diff hunk.
pub const DIFF_CONTEXT: usize = 2;

/// Unified diff from `original` to `corrected`, empty when they are equal.
pub fn unified_diff(path: &str, original: &str, corrected: &str) -> String {
    if original == corrected {
        return String::new();
    }
    let old: Vec<&str> = original.split_inclusive('\n').collect();
    let new: Vec<&str> = corrected.split_inclusive('\n').collect();
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    for hunk in similar::group_diff_ops(line_ops(&old, &new), DIFF_CONTEXT) {
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
                out.push_str(change.value());
                if !change.value().ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// The line diff of `old` and `new`, as patience diffing finds it: lines that occur once in
/// each text are matched first, then the lines between two matches are diffed (Myers).
/// Corrections change lines in place and never move one, so the matches are nearly always
/// already in order and are taken as they are, in linear time; otherwise (any two texts can
/// be given) similar's patience diff orders them, which on a page where half the lines
/// changed costs more than the whole analysis.
fn line_ops(old: &[&str], new: &[&str]) -> Vec<DiffOp> {
    // For each distinct line: (times in old, its index there, times in new, its index there).
    let mut seen: FxHashMap<&str, (u32, usize, u32, usize)> = FxHashMap::default();
    for (i, line) in old.iter().enumerate() {
        let e = seen.entry(line).or_default();
        (e.0, e.1) = (e.0 + 1, i);
    }
    for (j, line) in new.iter().enumerate() {
        let e = seen.entry(line).or_default();
        (e.2, e.3) = (e.2 + 1, j);
    }
    let mut matches: Vec<(usize, usize)> = seen
        .values()
        .filter(|&&(a, _, b, _)| a == 1 && b == 1)
        .map(|&(_, i, _, j)| (i, j))
        .collect();
    matches.sort_unstable();
    if matches.windows(2).any(|w| w[0].1 > w[1].1) {
        return similar::capture_diff_slices(Algorithm::Patience, old, new);
    }
    let mut ops: Vec<DiffOp> = Vec::new();
    let (mut i, mut j) = (0, 0);
    for (mi, mj) in matches.into_iter().chain([(old.len(), new.len())]) {
        if i < mi || j < mj {
            ops.extend(similar::capture_diff(
                Algorithm::Myers,
                old,
                i..mi,
                new,
                j..mj,
            ));
        }
        if mi < old.len() {
            ops.push(DiffOp::Equal {
                old_index: mi,
                new_index: mj,
                len: 1,
            });
        }
        (i, j) = (mi + 1, mj + 1);
    }
    merge_equal_runs(ops)
}

/// Joins adjacent `Equal` ops, so hunks break at long unchanged stretches.
fn merge_equal_runs(ops: Vec<DiffOp>) -> Vec<DiffOp> {
    let mut merged: Vec<DiffOp> = Vec::with_capacity(ops.len());
    for op in ops {
        if let (Some(DiffOp::Equal { len, .. }), DiffOp::Equal { len: more, .. }) =
            (merged.last_mut(), op)
        {
            *len += more;
        } else {
            merged.push(op);
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_changed_lines() {
        let d = unified_diff("x.txt", "la informacion\nfin\n", "la información\nfin\n");
        assert!(d.starts_with("--- a/x.txt\n+++ b/x.txt\n"));
        assert!(d.contains("-la informacion\n+la información\n"));
        assert_eq!(unified_diff("x.txt", "a\n", "a\n"), "");
    }

    /// similar's own unified patience diff, which `unified_diff` must equal.
    fn reference(original: &str, corrected: &str) -> String {
        if original == corrected {
            return String::new();
        }
        similar::TextDiff::configure()
            .algorithm(Algorithm::Patience)
            .diff_lines(original, corrected)
            .unified_diff()
            .context_radius(DIFF_CONTEXT)
            .header("a/x.txt", "b/x.txt")
            .to_string()
    }

    proptest::proptest! {
        /// Lines from a small alphabet repeat, vanish, are joined, reordered or lose their
        /// final newline: the fast path and the fallback both give similar's diff.
        #[test]
        fn equals_similars_patience_diff(
            lines in proptest::collection::vec("[a-e]{0,2}", 0..40),
            changes in proptest::collection::vec((0usize..40, "[abcd\n]{0,3}"), 0..8),
            moved in proptest::option::of((0usize..40, 0usize..40)),
            trailing_newline: bool,
        ) {
            let mut original = lines.join("\n");
            if trailing_newline {
                original.push('\n');
            }
            let mut new_lines: Vec<String> = lines.clone();
            for (at, text) in &changes {
                if let Some(line) = new_lines.get_mut(*at) {
                    *line = text.clone();
                }
            }
            if let Some((from, to)) = moved {
                if from < new_lines.len() && to < new_lines.len() {
                    let line = new_lines.remove(from);
                    new_lines.insert(to, line);
                }
            }
            let corrected = new_lines.join("\n");
            proptest::prop_assert_eq!(
                unified_diff("x.txt", &original, &corrected),
                reference(&original, &corrected)
            );
        }
    }
}
