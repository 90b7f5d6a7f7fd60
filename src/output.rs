//! Writing results: unified diffs (similar) and atomic file writes (temp file + rename in the
//! same folder, so a reader or an interrupted batch never sees half a file).

use rustc_hash::FxHashMap;
use similar::{Algorithm, ChangeTag, DiffOp};
use std::fs;
use std::io::{self, Write};
use std::path::Path;

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

/// A JSON output file's text, laid out by [`Outline`], ending in a newline.
pub fn pretty_json<T: serde::Serialize>(value: &T) -> String {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Outline::default());
    value.serialize(&mut ser).expect("outputs serialise");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Containers this deep (the file's own object is 1) get one line per value; deeper ones
/// are written on one line.
const OUTLINE_DEPTH: usize = 4;

/// JSON written value by value in [`Outline`]'s layout, for the one large output: review
/// files (12 MB on the dev set), whose serialisation through serde took 9 % of a run's
/// instructions, most of it per string and per field. Keys are written as given; strings are
/// escaped, and numbers formatted, as serde_json does (the review file's test checks the
/// bytes against `pretty_json`).
pub struct OutlineWriter {
    out: String,
    depth: usize,
    /// The container being written has a value (its end goes on a line of its own).
    has_value: bool,
    /// The next key or element is the container's first (no comma before it).
    first: bool,
}

impl OutlineWriter {
    pub fn with_capacity(bytes: usize) -> OutlineWriter {
        OutlineWriter {
            out: String::with_capacity(bytes),
            depth: 0,
            has_value: false,
            first: true,
        }
    }

    /// The text, ending in a newline.
    pub fn finish(mut self) -> String {
        self.out.push('\n');
        self.out
    }

    fn separate(&mut self) {
        let first = std::mem::replace(&mut self.first, false);
        if self.depth <= OUTLINE_DEPTH {
            if !first {
                self.out.push(',');
            }
            self.line_break(self.depth);
        } else if !first {
            self.out.push_str(", ");
        }
    }

    fn line_break(&mut self, depth: usize) {
        const INDENT: &str = "\n        ";
        self.out
            .push_str(&INDENT[..1 + 2 * depth.min(OUTLINE_DEPTH)]);
    }

    fn open(&mut self, bracket: char) {
        self.depth += 1;
        self.has_value = false;
        self.first = true;
        self.out.push(bracket);
    }

    fn close(&mut self, bracket: char) {
        if self.depth <= OUTLINE_DEPTH && self.has_value {
            self.line_break(self.depth - 1);
        }
        self.depth -= 1;
        self.out.push(bracket);
        self.has_value = true;
        self.first = false;
    }

    pub fn begin_object(&mut self) {
        self.open('{');
    }

    pub fn end_object(&mut self) {
        self.close('}');
    }

    pub fn begin_array(&mut self) {
        self.open('[');
    }

    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// The key of the next value (a plain name: not escaped).
    pub fn key(&mut self, key: &str) -> &mut OutlineWriter {
        self.separate();
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\": ");
        self
    }

    /// Before each element of an array.
    pub fn element(&mut self) -> &mut OutlineWriter {
        self.separate();
        self
    }

    fn value(&mut self) {
        self.has_value = true;
    }

    pub fn string(&mut self, s: &str) {
        self.out.push('"');
        // Nearly every string needs no escape: one quick scan, one copy.
        let plain = |b: &u8| *b >= 0x20 && *b != b'"' && *b != b'\\';
        if s.as_bytes().iter().all(plain) {
            self.out.push_str(s);
            self.out.push('"');
            self.value();
            return;
        }
        let mut start = 0;
        for (i, &b) in s.as_bytes().iter().enumerate() {
            let escape = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0C => "\\f",
                0..=0x1F => "",
                _ => continue,
            };
            self.out.push_str(&s[start..i]);
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.out.push_str("\\u00");
                self.out.push(char::from(HEX[usize::from(b >> 4)]));
                self.out.push(char::from(HEX[usize::from(b & 0xF)]));
            } else {
                self.out.push_str(escape);
            }
            start = i + 1;
        }
        self.out.push_str(&s[start..]);
        self.out.push('"');
        self.value();
    }

    /// A string or `null`.
    pub fn optional(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.string(s),
            None => self.null(),
        }
    }

    pub fn null(&mut self) {
        self.out.push_str("null");
        self.value();
    }

    pub fn unsigned(&mut self, n: u64) {
        self.out.push_str(itoa::Buffer::new().format(n));
        self.value();
    }

    /// As serde_json writes it: shortest round trip, `null` when not finite.
    pub fn float(&mut self, x: f64) {
        if x.is_finite() {
            self.out.push_str(zmij::Buffer::new().format_finite(x));
        } else {
            self.out.push_str("null");
        }
        self.value();
    }

    pub fn boolean(&mut self, b: bool) {
        self.out.push_str(if b { "true" } else { "false" });
        self.value();
    }

    /// A value serde writes as one string (a unit enum variant's name).
    pub fn named<T: serde::Serialize>(&mut self, value: &T) {
        let name = serde_json::to_string(value).expect("a unit variant serialises");
        self.out.push_str(&name);
        self.value();
    }
}

/// JSON laid out for people and written fast: the outer levels indented one value per line,
/// like `serde_json`'s pretty printer, and what is nested deeper on one line, so a review
/// item's alternatives read one per line (`{"text": "así", "score": -9.1, …}`) at a third of
/// the bytes of indenting every field.
#[derive(Default)]
struct Outline {
    depth: usize,
    has_value: bool,
}

impl Outline {
    fn laid_out(&self) -> bool {
        self.depth <= OUTLINE_DEPTH
    }

    /// A new line indented for `depth` (at most `OUTLINE_DEPTH`: deeper values stay on one
    /// line).
    fn line_break<W: ?Sized + Write>(w: &mut W, depth: usize) -> io::Result<()> {
        const INDENT: &[u8] = &[b' '; 2 * OUTLINE_DEPTH];
        w.write_all(b"\n")?;
        w.write_all(&INDENT[..2 * depth])
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        if self.laid_out() && self.has_value {
            Outline::line_break(w, self.depth - 1)?;
        }
        self.depth -= 1;
        w.write_all(bracket)
    }

    fn separate<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if self.laid_out() {
            if !first {
                w.write_all(b",")?;
            }
            Outline::line_break(w, self.depth)
        } else if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }
}

impl serde_json::ser::Formatter for Outline {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.separate(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.separate(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Reads a versioned JSON file of one version, strictly (the types deny unknown fields).
pub fn read_versioned<T: serde::de::DeserializeOwned>(
    text: &str,
    what: &str,
    version: impl Fn(&T) -> u32,
    supported: u32,
) -> Result<T, String> {
    let value: T = serde_json::from_str(text).map_err(|e| e.to_string())?;
    match version(&value) {
        v if v == supported => Ok(value),
        v => Err(format!(
            "{what} version {v} is not supported (this ocrqa reads {supported})"
        )),
    }
}

/// Writes `bytes` to `path` atomically and durably (synced to disk before it is renamed into
/// place), creating parent folders. The temporary file is
/// `.NAME.tmp` beside it: one a killed run left behind is overwritten, then renamed away, by
/// the next write of the same file, so a resumed batch ends with no leftovers. For the outputs
/// of one document, which one process writes at a time.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via(path, bytes, "tmp", true)
}

/// As [`write_atomic`], without waiting for the disk: the file replaces the old one whole
/// or not at all should the process die, but a crash of the machine may leave it empty or
/// short. For outputs whose readers check them (`ocrqa fix` verifies a document's outputs
/// against the fingerprints in its review file before it skips the document).
pub fn write_atomic_unsynced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via(path, bytes, "tmp", false)
}

/// As [`write_atomic`], for a file that several processes may write at once (the index
/// cache, built by every shard of a first run): the temporary file carries the process id.
pub fn write_atomic_shared(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via(path, bytes, &format!("{}.tmp", std::process::id()), true)
}

fn write_via(path: &Path, bytes: &[u8], suffix: &str, sync: bool) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{suffix}"));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if sync {
            f.sync_all()?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
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
